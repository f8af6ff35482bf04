#!/usr/bin/env bash
# Builds the Windows release of tinnhiem on Debian 12, from a fresh clone, in one command:
#   bash packaging/windows/build.sh          → dist/tinnhiem-VERSION-windows-x64.zip
#                                              dist/tinnhiem-VERSION-setup.exe
#   bash packaging/windows/build.sh --exe    → only target/windows/…/tinnhiem.exe, -cli.exe
#
# How: Debian's rustc-web/cargo-web 1.96 (bookworm-security) build the standard library from
# its source (rust-web-src) for x86_64-pc-windows-gnu (-Zbuild-std, RUSTC_BOOTSTRAP=1: rustup
# cannot fetch other targets here), linked by mingw-w64 with its runtime linked in statically,
# so nothing but Windows' own DLLs is needed beside the .exe. Those packages put cargo and
# rustc in /usr/bin: /usr/bin goes first in PATH for this build only; the Linux build keeps
# rustup's toolchain. The installer is built by NSIS' makensis (Debian's nsis).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
only_exe=false
[[ "${1:-}" == "--exe" ]] && only_exe=true

packages=(rustc-web cargo-web rust-web-src gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64)
$only_exe || packages+=(nsis zip)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
# An older rustc-web already installed (bookworm's own 1.85, installed when the apt index
# lacked bookworm-security) cannot build this crate (rust-version 1.95): upgrade it too.
have=$(dpkg-query -W -f='${Version}' rustc-web 2>/dev/null || true)
if [[ -n $have ]] && ! dpkg --compare-versions "$have" ge 1.95; then
    echo "rustc-web $have < 1.95"
    missing+=(rustc-web cargo-web rust-web-src)
fi
if ((${#missing[@]})); then
    echo "Cài / installing: ${missing[*]}"
    sudo=""
    [[ $(id -u) -ne 0 ]] && sudo=sudo
    $sudo apt-get update -qq
    # rustc-web 1.96 is in bookworm-security: ask for that suite where it is configured.
    if apt-cache policy rustc-web | grep -q bookworm-security; then
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q -t bookworm-security "${missing[@]}"
    else
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
    fi
fi

export PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1
# Its own folder below the build output: another target, another standard library.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}/windows"
target=x86_64-pc-windows-gnu
# The mingw runtime (libgcc, libwinpthread) linked in: the .exe runs alone.
# Stripped by the linker, with no time stamp in the PE header (mingw's strip would write one):
# the same commit gives the same .exe.
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUSTFLAGS="-C strip=symbols -C link-arg=-static -C link-arg=-static-libgcc -C link-arg=-Wl,--no-insert-timestamp"
# `dist` (Cargo.toml): LTO and one codegen unit. On this target it is what keeps the .exe
# small, not only a polish: windows-gnu compiles without function sections, so the linker can
# drop no single unused function and a release build carried whole codegen units (46 MB for
# the app and for the CLI alike); LTO drops them before the linker. TINNHIEM_WINDOWS_PROFILE=
# release builds faster for trying things, over the size budget (tests/windows.sh).
profile=${TINNHIEM_WINDOWS_PROFILE:-dist}
echo "$(cargo --version), $(rustc --version), profile $profile"
build=(cargo build --locked --profile "$profile" -Zbuild-std=std,panic_abort --target "$target")
# Both in one build: the libraries are compiled once and the two whole-program links (most of
# the time) run side by side, one per core. Building the console program apart, without the
# `gui` feature, recompiled tinnhiem and 40 libraries with other features and linked after
# the app: CI's build went from about 17 to 22.6 minutes (15 + 7.6), for an .exe 1 MB smaller.
"${build[@]}" --bin tinnhiem --bin tinnhiem-cli
out="$CARGO_TARGET_DIR/$target/$profile"
ls -l "$out/tinnhiem.exe" "$out/tinnhiem-cli.exe"
$only_exe && exit 0

bash "$root/packaging/windows/package.sh" "$out"
