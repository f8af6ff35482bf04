#!/usr/bin/env bash
# The speed check of tests/run.sh (issue 14):
#  1. `tinnhiem-cli minutes` for 200 cadres (release, the vote of benches/session.sh) must not
#     take more than 3 times the CPU time recorded in benches/recorded.txt: the generous ratio
#     the issue asks for, so that a noisy shared machine does not fail it. It catches a gross
#     slowdown, not a 2x one (the pipeline before issue 14 was 43 ms against 20 recorded);
#     lower the recorded figure when the code gets faster.
#  2. Its cost must grow linearly: 500 cadres may not take more than 2.5 times the CPU time of
#     200 (500/200; a fixed cost plus a cost per cadre always stays below that, anything
#     quadratic in the cadres goes above it). Both are measured in the same minute, so the
#     machine's speed cancels out.
# CPU time (user + sys), median of 11 runs after a warm-up: on a shared machine wall time
# measures the neighbours.
#
# Builds the release CLI without the GUI (--no-default-features): the same document code,
# without compiling the window toolkit in a second profile.
set -euo pipefail
# bash's `time` writes the locale's decimal separator; awk below reads a point.
export LC_ALL=C
cd "$(dirname "$0")/.."

runs=11
ratio=3
recorded=$(awk '$1 == "minutes-200-cpu-ms" { print $2 }' benches/recorded.txt)
if [ -z "$recorded" ]; then
  echo "benches/recorded.txt: no minutes-200-cpu-ms line" >&2
  exit 1
fi

cargo build --release --locked --no-default-features --bin tinnhiem-cli
cli=$(realpath "${CARGO_TARGET_DIR:-target}/release/tinnhiem-cli")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash benches/session.sh 200 "$work/s200.ron"
bash benches/session.sh 500 "$work/s500.ron"

# CPU milliseconds of one run of `minutes` on the vote of N cadres, from bash's own `time`
# (the child's getrusage, to the ms).
once() {
  cp "$work/s$1.ron" "$work/run.ron"
  rm -f "$work/out.pdf"
  local TIMEFORMAT='%3U %3S' t
  t=$({ time "$cli" minutes "$work/run.ron" -o "$work/out.pdf" >/dev/null 2>&1; } 2>&1)
  [ -s "$work/out.pdf" ] || { echo "minutes wrote no PDF for $1 cadres" >&2; exit 1; }
  awk '{ printf "%d\n", ($1 + $2) * 1000 + 0.5 }' <<<"$t"
}

# Median CPU milliseconds of `runs` runs after a warm-up; the runs go to stderr.
median_of() {
  once "$1" >/dev/null
  local cpu=() i
  for ((i = 0; i < runs; i++)); do
    cpu+=("$(once "$1")")
  done
  echo "  $1 cadres, runs (ms): ${cpu[*]}" >&2
  printf '%s\n' "${cpu[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

m200=$(median_of 200)
m500=$(median_of 500)
limit=$((recorded * ratio))
echo "minutes, 200 cadres: median CPU ${m200} ms over ${runs} runs (recorded ${recorded} ms, limit ${limit} ms)"
echo "minutes, 500 cadres: median CPU ${m500} ms ($(awk -v a="$m500" -v b="$m200" 'BEGIN { printf "%.2f", a / b }')x the 200, limit 2.5x)"
if [ "$m200" -gt "$limit" ]; then
  echo "Too slow: more than ${ratio}x the recorded CPU time (benches/recorded.txt). Profile it: README, \"Speed\"." >&2
  exit 1
fi
# 2 × m500 > 5 × m200 ⇔ m500 / m200 > 2.5, in integers.
if [ $((2 * m500)) -gt $((5 * m200)) ]; then
  echo "Not linear: 500 cadres cost more than 2.5x the CPU time of 200. Profile it: README, \"Speed\"." >&2
  exit 1
fi
