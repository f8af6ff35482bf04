#!/usr/bin/env bash
# A province's summary, measured (issue 25 §4): 1,000 units' archives of 40 cadres each,
# all finalised and half of them with a signed seal, in a folder of 20 districts; then
# `tinnhiem-cli summary` (release) over 1,000 and over 2,000 of them (the second thousand a
# copy under other units' names, so that none is a duplicate), wall clock, CPU and peak
# memory of the whole process: the check and the summary must take under 10 s and 300 MB
# for 1,000 on this 2-core machine, and the cost grow linearly.
#
#   bash benches/summary.sh [--cli PATH] [--units N]
#
# Needs openssl (the signing key) and python3 (its standard library only).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."

units=1000
cli=""
while [ $# -gt 0 ]; do
  case "$1" in
    --units) units=$2; shift 2 ;;
    --cli) cli=$2; shift 2 ;;
    *) echo "usage: $0 [--cli PATH] [--units N]" >&2; exit 2 ;;
  esac
done
if [ -z "$cli" ]; then
  cargo build --release --locked --no-default-features --bin tinnhiem-cli
  cli=${CARGO_TARGET_DIR:-target}/release/tinnhiem-cli
fi
cli=$(realpath "$cli")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/k.pem" -out "$work/c.pem" -days 30 \
  -utf8 -subj "/CN=Văn thư Tỉnh ủy" 2>/dev/null
openssl pkcs12 -export -inkey "$work/k.pem" -in "$work/c.pem" -out "$work/k.p12" -passout pass:pw
echo pw > "$work/pw"

python3 - "$work" "$units" "$cli" <<'PY'
import os, random, re, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
work, units, cli = sys.argv[1], int(sys.argv[2]), sys.argv[3]
s = open("assets/examples/tinh-uy.ron", encoding="utf-8").read()
head, rest = s.split("cadres: [", 1)
_, tail = re.split(r"\n            \],\n", rest, maxsplit=1)
rng = random.Random(7)
def archive(u):
    cadres = []
    for k in range(40):
        low = rng.choice([0, 1, 2, 3, 5, 8, 26, 30, 34])
        high = rng.randint(0, 49 - low)
        cadres.append(f"""                (
                    name: "Cán bộ {k + 1} đơn vị {u}",
                    position: "Ủy viên Ban Chấp hành",
                    overall: (
                        high: {high},
                        medium: {49 - low - high},
                        low: {low},
                    ),
                ),""")
    text = head + "cadres: [\n" + "\n".join(cadres) + "\n            ],\n" + tail
    return text.replace('issuing_body: "BAN CHẤP HÀNH ĐẢNG BỘ TỈNH"', f'issuing_body: "ĐẢNG ỦY XÃ SỐ {u}"')
def make(u, root):
    d = os.path.join(root, f"huyen-{u % 20:02d}")
    os.makedirs(d, exist_ok=True)
    p = os.path.join(d, f"xa-{u:04d}.ron")
    open(p, "w", encoding="utf-8").write(archive(u))
    key = ["--p12", f"{work}/k.p12", "--password-file", f"{work}/pw"] if u % 2 == 0 else []
    r = subprocess.run([cli, "finalise", p, "--operator", "Văn thư"] + key, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"finalise {p}: {r.stdout}{r.stderr}")
    os.remove(p + ".bak") if os.path.exists(p + ".bak") else None
with ThreadPoolExecutor(4) as ex:
    list(ex.map(lambda u: make(u, f"{work}/tinh"), range(1, units + 1)))
    list(ex.map(lambda u: make(u, f"{work}/them"), range(units + 1, 2 * units + 1)))
PY

python3 - "$work" "$cli" "$units" <<'PY'
import resource, subprocess, sys, time
work, cli, units = sys.argv[1], sys.argv[2], int(sys.argv[3])
def run(inputs, out):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    p = subprocess.run([cli, "summary", *inputs, "-o", out], capture_output=True)
    wall = time.monotonic() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0:
        sys.exit(f"summary exited {p.returncode}: {p.stdout[-2000:]}{p.stderr[-2000:]}")
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return wall, cpu, r1.ru_maxrss / 1024
best = {}
for n, inputs in [(units, [f"{work}/tinh"]), (2 * units, [f"{work}/tinh", f"{work}/them"])]:
    runs = [run(inputs, f"{work}/out-{n}.json") for _ in range(2)]
    wall, cpu, rss = min(runs)
    best[n] = wall
    print(f"summary of {n} archives x 40 cadres (half signed): wall {wall:.2f} s, CPU {cpu:.2f} s, peak memory {rss:.0f} MB (best of 2)")
print(f"2x the archives: {best[2 * units] / best[units]:.2f}x the time")
t0 = time.monotonic()
p = subprocess.run([cli, "summary", f"{work}/tinh", "-o", f"{work}/bao-cao.xlsx"], capture_output=True)
print(f"the same {units} as .xlsx: {time.monotonic() - t0:.2f} s")
PY
