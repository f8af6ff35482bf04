#!/usr/bin/env bash
# Packs the Windows executables built by build.sh (folder given as $1) into
#   dist/tinnhiem-VERSION-windows-x64.zip   (portable: unzip and run tinnhiem.exe)
#   dist/tinnhiem-VERSION-setup.exe         (per-user installer, no administrator rights)
# Every file gets the time of the last commit (SOURCE_DATE_EPOCH) and the zip lists them in
# one order, so the same commit gives the same zip.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?folder with tinnhiem.exe}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/Cargo.toml" | head -1)
epoch=${SOURCE_DATE_EPOCH:-$(git -C "$root" log -1 --format=%ct 2>/dev/null || date +%s)}
dist="$root/dist"
stage="$dist/stage/tinnhiem-$version"
rm -rf "$dist/stage"
mkdir -p "$stage/licenses" "$stage/examples"

cp "$out/tinnhiem.exe" "$out/tinnhiem-cli.exe" "$stage/"
cp "$root/packaging/windows/tinnhiem.ico" "$root/README.md" "$stage/"
# The user guide as PDF, typeset by tinnhiem itself (`tinnhiem guide`, docs/cli.md). Every
# build of a commit writes the same bytes (tests/windows.sh compares the Windows one's), so a
# build already made does it: TINNHIEM_GUIDE_BIN names one (tests/windows.sh gives the Linux
# build the tests made: no second build in CI); without it, a native build of the console
# program, without the app (a minute or two).
guide_pdf="$stage/Huong-dan-su-dung.pdf"
if [[ -n ${TINNHIEM_GUIDE_BIN:-} ]]; then
    "$TINNHIEM_GUIDE_BIN" guide -o "$guide_pdf"
else
    (cd "$root" && cargo run --quiet --locked --no-default-features --bin tinnhiem-cli -- guide -o "$guide_pdf")
fi
head -c 5 "$guide_pdf" | grep -q '^%PDF-' || { echo "the user guide's PDF was not made" >&2; exit 1; }
cp "$root"/assets/examples/*.ron "$stage/examples/"
cp "$root"/packaging/licenses/*.txt "$stage/licenses/"
for f in "$root"/assets/fonts/*LICENSE* "$root"/assets/fonts/*OFL*; do
    cp "$f" "$stage/licenses/font-$(basename "$f")"
done
# The crates built into the executables, with their licences (from Cargo's own metadata).
(
    cd "$root"
    echo "The Rust crates in tinnhiem $version's dependency graph (name version: licence);"
    echo "some only build or test it and are not in the executables."
    echo "Their licence texts are at https://crates.io/crates/NAME/VERSION."
    echo
    cargo metadata --format-version 1 --locked --filter-platform x86_64-pc-windows-gnu \
        | sed 's/},{/},\n{/g' \
        | sed -n 's/.*"name":"\([^"]*\)","version":"\([^"]*\)",[^\n]*"license":"\([^"]*\)".*/\1 \2: \3/p' \
        | sort -u
) > "$stage/licenses/THIRD-PARTY.txt"
# A short note Notepad opens well (CRLF), for people who do not read Markdown.
sed 's/$/\r/' > "$stage/README.txt" <<TXT
tinnhiem $version — kiểm phiếu lấy phiếu tín nhiệm / tallying confidence votes

TIẾNG VIỆT
- Mở tinnhiem.exe. Màn hình đầu có các phiên gần đây và các ví dụ (thư mục examples).
- Dữ liệu khôi phục và danh sách tệp gần đây nằm ở %APPDATA%\\tinnhiem.
- Các lệnh dòng lệnh: mở cmd hoặc PowerShell trong thư mục này, gõ
  tinnhiem-cli.exe --help
- Hướng dẫn sử dụng: Huong-dan-su-dung.pdf (hoặc phím F1 trong ứng dụng).
- Nếu cửa sổ không mở được (Remote Desktop, máy ảo, máy cũ): xem
  Huong-dan-su-dung.pdf, mục "Khi không mở được cửa sổ".

ENGLISH
- Start tinnhiem.exe. The first screen lists recent sessions and the examples
  (folder examples).
- Recovery copies and the recent files live in %APPDATA%\\tinnhiem.
- Commands: open cmd or PowerShell in this folder and type
  tinnhiem-cli.exe --help
- The user guide (in Vietnamese): Huong-dan-su-dung.pdf, or F1 in the app.
- If the window does not open (Remote Desktop, a virtual machine, an old PC):
  see Huong-dan-su-dung.pdf, "Khi không mở được cửa sổ".

Licences: folder licenses (tinnhiem: MIT OR Apache-2.0; fonts: SIL OFL).
TXT

find "$dist/stage" -exec touch -h -d "@$epoch" {} +
zip_name="tinnhiem-$version-windows-x64.zip"
rm -f "$dist/$zip_name"
(cd "$dist/stage" && find "tinnhiem-$version" -print | LC_ALL=C sort | TZ=UTC zip -X -q -D "$dist/$zip_name" -@)

setup_name="tinnhiem-$version-setup.exe"
makensis -V2 -INPUTCHARSET UTF8 \
    "-DVERSION=$version" "-DSTAGE=$stage" "-DOUTFILE=$dist/$setup_name" \
    "$root/packaging/windows/installer.nsi"
ls -l "$dist/$zip_name" "$dist/$setup_name"
