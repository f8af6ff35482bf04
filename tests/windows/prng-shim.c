/* A stand-in for bcryptprimitives.dll, for Wine < 9 only (Windows 10 and 11 have the real
 * one): Rust's standard library >= 1.78 imports ProcessPrng from it, which Wine 8 lacks, so
 * every Rust program exits at once with status c0000135. This exports ProcessPrng on top of
 * RtlGenRandom (advapi32's SystemFunction036). Built by tests/windows.sh into the test's own
 * Wine prefix; never shipped. */
#include <windows.h>
#include <ntsecapi.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!RtlGenRandom(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
