#!/usr/bin/env bash
# The speed check of tests/run.sh: `tinnhiem-cli minutes` for 200 cadres (release, the vote of
# benches/session.sh) must not take more than 3 times the CPU time recorded in
# benches/recorded.txt. CPU time (user + sys), median of 11 runs after a warm-up: on a shared
# machine wall time measures the neighbours; the generous ratio keeps a noisy machine from
# failing it, while a change that brings back the old pipeline (2-3 times slower) or anything
# quadratic in the cadres does fail it.
#
# Builds the release CLI without the GUI (--no-default-features): the same document code,
# without compiling the window toolkit in a second profile.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=11
ratio=3
recorded=$(awk '$1 == "minutes-200-cpu-ms" { print $2 }' benches/recorded.txt)
if [ -z "$recorded" ]; then
  echo "benches/recorded.txt: no minutes-200-cpu-ms line" >&2
  exit 1
fi

cargo build --release --locked --no-default-features --bin tinnhiem-cli
cli=$(realpath target/release/tinnhiem-cli)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash benches/session.sh 200 "$work/s200.ron"

# CPU milliseconds of one run, from bash's own `time` (the child's getrusage, to the ms).
once() {
  cp "$work/s200.ron" "$work/run.ron"
  rm -f "$work/out.pdf"
  local TIMEFORMAT='%3U %3S' t
  t=$({ time "$cli" minutes "$work/run.ron" -o "$work/out.pdf" >/dev/null 2>&1; } 2>&1)
  awk '{ printf "%d\n", ($1 + $2) * 1000 + 0.5 }' <<<"$t"
}

once >/dev/null
cpu=()
for ((i = 0; i < runs; i++)); do
  cpu+=("$(once)")
done
[ -s "$work/out.pdf" ] || { echo "minutes wrote no PDF" >&2; exit 1; }
median=$(printf '%s\n' "${cpu[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
limit=$((recorded * ratio))
echo "minutes, 200 cadres: median CPU ${median} ms over ${runs} runs (recorded ${recorded} ms, limit ${limit} ms); runs: ${cpu[*]}"
if [ "$median" -gt "$limit" ]; then
  echo "Too slow: more than ${ratio}x the recorded CPU time (benches/recorded.txt). Profile it: README, \"Speed\"." >&2
  exit 1
fi
