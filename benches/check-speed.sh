#!/usr/bin/env bash
# The speed check of tests/run.sh (issues 14 and 22):
#  1. `tinnhiem minutes` for 200 cadres (the vote of benches/session.sh) against a reference
#     workload measured in the same run: gzip -6 of a fixed 5 MB text (the 500-cadre archive
#     written 64 times), which takes about as long. The ratio of the two CPU times cancels the
#     machine's speed (a slower CI runner slows both), so it is held to a recorded ratio
#     (benches/recorded.txt, minutes-200-per-gzip): it fails above 2 times that ratio. gzip is
#     an Essential package of Debian, the same on every machine of a distribution release.
#  2. The absolute CPU time of the 200 cadres, no more than 3 times the figure recorded for
#     this machine (minutes-200-debug-cpu-ms): a check that needs no reference, generous so
#     that a noisy shared machine does not fail it.
#  3. Its cost must grow linearly: 500 cadres may not take more than 2.5 times the CPU time of
#     200 (500/200; a fixed cost plus a cost per cadre always stays below that, anything
#     quadratic in the cadres goes above it).
# CPU time (user + sys), 11 rounds after a warm-up: on a shared machine wall time measures the
# neighbours. Each round runs 200 cadres, 500 cadres and the reference one after the other,
# and each ratio is taken within a round, then the median of the rounds: a shared machine has
# slow spells that last seconds (seen: every run of a batch 30% slower), and a round shares
# its spell.
#
# It times the debug build the tests have just made (tinnhiem's own code unoptimised, the
# libraries at opt-level 1: Cargo.toml's [profile.dev]), against figures recorded for that
# build. A release build of its own cost CI 6 minutes of its budget (docs/testing.md) for a
# check that asks only "slower?" and "linear?", which the debug build answers as well: the
# slow parts (flate, font subsetting, layout) are in both. The release figures, what a user
# sees, are measured by benches/minutes.sh and `cargo bench` (docs/speed-and-size.md).
set -euo pipefail
# bash's `time` writes the locale's decimal separator; awk below reads a point.
export LC_ALL=C
cd "$(dirname "$0")/.."

runs=11
ratio=3
ratio_limit=2
read_recorded() {
  local v
  v=$(awk -v k="$1" '$1 == k { print $2 }' benches/recorded.txt)
  if [ -z "$v" ]; then
    echo "benches/recorded.txt: no $1 line" >&2
    exit 1
  fi
  echo "$v"
}
recorded=$(read_recorded minutes-200-debug-cpu-ms)
# In hundredths, as the ratios below are computed.
per_gzip=$(read_recorded minutes-200-per-gzip | awk '{ printf "%d\n", $1 * 100 + 0.5 }')

# Nothing to do after `cargo test`, which builds the binary for the CLI tests.
cargo build --locked --bin tinnhiem
cli=$(realpath "${CARGO_TARGET_DIR:-target}/debug/tinnhiem")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bash benches/session.sh 200 "$work/s200.ron"
bash benches/session.sh 500 "$work/s500.ron"
for ((i = 0; i < 64; i++)); do cat "$work/s500.ron"; done >"$work/reference.txt"

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

# CPU milliseconds of the reference workload, measured the same way.
reference() {
  local TIMEFORMAT='%3U %3S' t
  t=$({ time gzip -6 -c "$work/reference.txt" >/dev/null; } 2>&1)
  awk '{ printf "%d\n", ($1 + $2) * 1000 + 0.5 }' <<<"$t"
}

# The median of numbers, one per line.
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# Hundredths printed as a decimal.
hundredths() { echo "$(($1 / 100)).$(printf '%02d' $(($1 % 100)))"; }

once 200 >/dev/null
once 500 >/dev/null
reference >/dev/null
c200=() c500=() cref=() linear=() relative=()
for ((i = 0; i < runs; i++)); do
  a=$(once 200)
  b=$(once 500)
  g=$(reference)
  # A run under the clock's resolution would divide by zero.
  [ "$a" -gt 0 ] || a=1
  [ "$g" -gt 0 ] || g=1
  c200+=("$a") c500+=("$b") cref+=("$g")
  linear+=("$((100 * b / a))") relative+=("$((100 * a / g))")
done
echo "  200 cadres, runs (ms): ${c200[*]}"
echo "  500 cadres, runs (ms): ${c500[*]}"
echo "  reference (gzip), runs (ms): ${cref[*]}"
echo "  500/200 of each round (hundredths): ${linear[*]}"
echo "  200/reference of each round (hundredths): ${relative[*]}"
m200=$(printf '%s\n' "${c200[@]}" | median)
m500=$(printf '%s\n' "${c500[@]}" | median)
mref=$(printf '%s\n' "${cref[@]}" | median)
r=$(printf '%s\n' "${linear[@]}" | median)
rel=$(printf '%s\n' "${relative[@]}" | median)
limit=$((recorded * ratio))
rel_limit=$((per_gzip * ratio_limit))
echo "minutes, 200 cadres: median CPU ${m200} ms over ${runs} runs (recorded ${recorded} ms, limit ${limit} ms)"
echo "reference, gzip -6 of 5 MB: median CPU ${mref} ms; 200 cadres per reference: median of the rounds $(hundredths "$rel")x (recorded $(hundredths "$per_gzip")x, limit $(hundredths "$rel_limit")x)"
echo "minutes, 500 cadres: median CPU ${m500} ms; median ratio of the rounds $(hundredths "$r")x, limit 2.5x"
if [ "$rel" -gt "$rel_limit" ]; then
  echo "Too slow: more than ${ratio_limit}x the recorded ratio of the minutes to the reference workload (benches/recorded.txt). Profile it: docs/speed-and-size.md." >&2
  exit 1
fi
if [ "$m200" -gt "$limit" ]; then
  echo "Too slow: more than ${ratio}x the recorded CPU time of the debug build (benches/recorded.txt). Profile it: docs/speed-and-size.md." >&2
  exit 1
fi
# In hundredths: above 250 is above 2.5 times.
if [ "$r" -gt 250 ]; then
  echo "Not linear: 500 cadres cost more than 2.5x the CPU time of 200. Profile it: docs/speed-and-size.md." >&2
  exit 1
fi
