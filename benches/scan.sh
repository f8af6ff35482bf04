#!/usr/bin/env bash
# Pages per second read by `tinnhiem-cli scan` (release) from the files an office scanner
# writes (issue 23 §4): a PDF of 200 dpi grayscale JPEG pages, each a marked 12-cadre ballot
# printed by tinnhiem, rendered by pdftoppm. The whole process is timed, wall clock (both
# cores are used) and CPU, for 100 and 200 pages, with its peak memory: the cost per page
# and the memory must not grow with the pages.
#
#   bash benches/scan.sh [--cli PATH] [--runs N]
#
# Needs pdftoppm (poppler-utils) and python3 (its standard library only: the PDF is written by
# hand around the JPEG bytes, as a scanner writes one).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

runs=3
cli=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --cli) cli=$2; shift 2 ;;
    *) echo "usage: $0 [--cli PATH] [--runs N]" >&2; exit 2 ;;
  esac
done
if [ -z "$cli" ]; then
  cargo build --release --locked --no-default-features --bin tinnhiem-cli
  cli=${CARGO_TARGET_DIR:-target}/release/tinnhiem-cli
fi
cli=$(realpath "$cli")
command -v pdftoppm >/dev/null || { echo "pdftoppm missing: run tests/run.sh (installs poppler-utils)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The vote: the chi-bo example with 12 cadres, counts cleared, printed for a scanner.
python3 - "$work" <<'PY'
import re, sys
s = open("assets/examples/chi-bo.ron", encoding="utf-8").read()
s = re.sub(r"\n\s*overall: \(\n(?:.*\n)*?\s*\),", "", s)
s = s.replace("                void_sheets: 0,\n", "")
s = s.replace("            voters: (", "            scan_form: true,\n            voters: (", 1)
head, rest = s.split("            cadres: [", 1)
tail = rest.split("\n            ],", 1)[1]
cadres = "".join(
    f'\n                (\n                    name: "Cán bộ Số {i}",\n                    position: "Ủy viên",\n                ),'
    for i in range(1, 13)
)
open(sys.argv[1] + "/vote.ron", "w", encoding="utf-8").write(head + "            cadres: [" + cadres + "\n            ]," + tail)
PY
"$cli" ballots "$work/vote.ron" -o "$work/ballots.pdf" >/dev/null
pdftoppm -r 200 -gray -jpeg -jpegopt quality=85 -singlefile -f 1 -l 1 "$work/ballots.pdf" "$work/page"

# A scanner's PDF of N pages, each its own JPEG image object (DCTDecode), 200 dpi on A4.
make_pdf() {
  python3 - "$work/page.jpg" "$1" "$2" <<'PY'
import struct, sys
jpeg = open(sys.argv[1], "rb").read()
n, out = int(sys.argv[2]), sys.argv[3]
# The JPEG's size, from its SOF marker.
i = 2
while True:
    marker, length = jpeg[i + 1], struct.unpack(">H", jpeg[i + 2:i + 4])[0]
    if marker in (0xC0, 0xC1, 0xC2):
        h, w = struct.unpack(">HH", jpeg[i + 5:i + 9])
        break
    i += 2 + length
objs = [b"<< /Type /Catalog /Pages 2 0 R >>", None]
kids = []
for k in range(n):
    img, content, page = len(objs) + 1, len(objs) + 2, len(objs) + 3
    draw = b"q 595.28 0 0 841.89 0 0 cm /I Do Q"
    objs.append(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % (w, h, len(jpeg)) + jpeg + b"\nendstream")
    objs.append(b"<< /Length %d >>\nstream\n" % len(draw) + draw + b"\nendstream")
    objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /XObject << /I %d 0 R >> >> /Contents %d 0 R >>" % (img, content))
    kids.append(page)
objs[1] = b"<< /Type /Pages /Count %d /Kids [%s] >>" % (n, b" ".join(b"%d 0 R" % k for k in kids))
body, offsets = bytearray(b"%PDF-1.4\n"), []
for i, o in enumerate(objs, 1):
    offsets.append(len(body))
    body += b"%d 0 obj\n" % i + o + b"\nendobj\n"
xref = len(body)
body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
body += b"".join(b"%010d 00000 n \n" % off for off in offsets)
body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
open(out, "wb").write(body)
PY
}

# A scanner's folder of N JPEG files, one a page, each told apart by a comment (a file read
# before is refused by its bytes).
make_folder() {
  mkdir -p "$2"
  python3 - "$work/page.jpg" "$1" "$2" <<'PY'
import struct, sys
jpeg = open(sys.argv[1], "rb").read()
for k in range(int(sys.argv[2])):
    note = b"scan %06d" % k
    open(f"{sys.argv[3]}/{k:06d}.jpg", "wb").write(jpeg[:2] + b"\xff\xfe" + struct.pack(">H", len(note) + 2) + note + jpeg[2:])
PY
}

# run INPUT LABEL N: the best wall time of $runs runs, its CPU time and peak memory.
run() {
  local input=$1 label=$2 n=$3 best="" r line wall cpu rss counted
  for ((r = 0; r < runs; r++)); do
    cp "$work/vote.ron" "$work/run.ron"
    line=$(python3 - "$cli" "$work/run.ron" "$input" <<'PY'
import json, resource, subprocess, sys, time
t = time.monotonic()
p = subprocess.run([sys.argv[1], "scan", sys.argv[2], sys.argv[3], "--operator", "bench", "--json"],
                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.monotonic() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.3f} {u.ru_utime + u.ru_stime:.3f} {u.ru_maxrss} {json.loads(p.stdout)['counted']}")
PY
)
    read -r wall cpu rss counted <<<"$line"
    if [ -z "$best" ] || awk -v a="$wall" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then
      best="$wall $cpu $rss $counted"
    fi
  done
  read -r wall cpu rss counted <<<"$best"
  awk -v n="$n" -v w="$wall" -v c="$cpu" -v m="$rss" -v k="$counted" -v l="$label" 'BEGIN {
    printf "%-28s wall %6.2f s = %5.1f pages/s; CPU %6.2f s = %5.1f ms a page; peak %6.1f MB; %d counted\n",
      l, w, n / w, c, c * 1000 / n, m / 1024, k }'
}

echo "$(date -u +%F), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load $(cut -d' ' -f1-3 /proc/loadavg)"
for n in 100 200; do
  make_pdf "$n" "$work/scan-$n.pdf"
  run "$work/scan-$n.pdf" "PDF of $n pages ($(($(stat -c %s "$work/scan-$n.pdf") / 1000000)) MB)" "$n"
  rm -f "$work/scan-$n.pdf"
done
for n in 100 200; do
  make_folder "$n" "$work/folder-$n"
  run "$work/folder-$n" "folder of $n JPEG files" "$n"
  rm -rf "$work/folder-$n"
done
