#!/usr/bin/env bash
# Whole-process benchmark of `tinnhiem-cli minutes` (release), the method docs/speed-and-size.md's speed
# section states: for 1, 20, 200 and 500 cadres (the vote of benches/session.sh), N runs each,
# the median of CPU time (user + sys) and of wall time, and the median peak memory (maximum
# resident set size). CPU time first: on a shared machine wall time measures the neighbours.
#
#   bash benches/minutes.sh [--runs N] [--cli PATH] [--with-libreoffice]
#
# --with-libreoffice also converts an HTML of the same minutes (the same heading, paragraphs
# and a table of every cadre's counts and percentages) to PDF with LibreOffice Writer,
# measured the same way; it installs libreoffice-writer-nogui with apt if soffice is missing.
# --cli measures a binary already built (e.g. an older one, for a before/after).
set -euo pipefail
# bash's `time` writes the locale's decimal separator; awk below reads a point.
export LC_ALL=C
cd "$(dirname "$0")/.."

runs=21
cli=""
libreoffice=false
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --cli) cli=$2; shift 2 ;;
    --with-libreoffice) libreoffice=true; shift ;;
    *) echo "usage: $0 [--runs N] [--cli PATH] [--with-libreoffice]" >&2; exit 2 ;;
  esac
done
if [ -z "$cli" ]; then
  cargo build --release --locked --no-default-features --bin tinnhiem-cli
  cli=${CARGO_TARGET_DIR:-target}/release/tinnhiem-cli
fi
cli=$(realpath "$cli")
if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends time
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Prints "CPU_MS WALL_MS" of one run of the command: bash's own `time`, which reads the
# children's getrusage to the millisecond (GNU time prints only hundredths).
measure() {
  local TIMEFORMAT='%3U %3S %3R' t
  t=$({ time "$@" >/dev/null 2>&1; } 2>&1)
  awk '{ printf "%d %d\n", ($1 + $2) * 1000 + 0.5, $3 * 1000 + 0.5 }' <<<"$t"
}

median() {
  sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# bench NAME PREPARE COMMAND...: N measured runs of COMMAND after one warm-up (which fills
# the page cache), then the peak memory of 5 more; PREPARE runs before each, untimed.
bench() {
  local name=$1 prepare=$2 cpu=() wall=() mem=() i
  shift 2
  $prepare
  "$@" >/dev/null 2>&1
  for ((i = 0; i < runs; i++)); do
    $prepare
    read -r c w < <(measure "$@")
    cpu+=("$c")
    wall+=("$w")
  done
  for ((i = 0; i < 5; i++)); do
    $prepare
    mem+=("$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1)")
  done
  last_cpu=$(printf '%s\n' "${cpu[@]}" | median)
  printf '%-22s CPU %6s ms   wall %6s ms   peak %7s KB   (median of %d; CPU min %s max %s)\n' \
    "$name" "$last_cpu" "$(printf '%s\n' "${wall[@]}" | median)" \
    "$(printf '%s\n' "${mem[@]}" | median)" "$runs" \
    "$(printf '%s\n' "${cpu[@]}" | sort -n | head -1)" "$(printf '%s\n' "${cpu[@]}" | sort -n | tail -1)"
}

echo "$(date -u +%F), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "$("$cli" --version 2>/dev/null || basename "$cli")"
# A fresh copy of the archive for each run: `minutes` appends the export to its audit log.
fresh() {
  cp "$work/s$n.ron" "$work/run.ron"
  rm -f "$work/out.pdf"
}
for n in 1 20 200 500; do
  bash benches/session.sh "$n" "$work/s$n.ron"
  bench "minutes, $n cadres" fresh "$cli" minutes "$work/run.ron" -o "$work/out.pdf"
  [ "$n" != 200 ] || ours200=$last_cpu
  echo "    $(stat -c %s "$work/out.pdf") bytes"
done

if $libreoffice; then
  if ! command -v soffice >/dev/null; then
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
      libreoffice-writer-nogui
  fi
  bash benches/minutes-html.sh 200 >"$work/m200.html"
  # A profile of its own, created by the warm-up run, so that no run pays for creating it.
  no_pdf() { rm -f "$work/lo/m200.pdf"; }
  bench "LibreOffice, 200" no_pdf soffice -env:UserInstallation="file://$work/lo-profile" \
    --headless --convert-to pdf:writer_pdf_Export --outdir "$work/lo" "$work/m200.html"
  echo "    $(stat -c %s "$work/lo/m200.pdf") bytes, $(pdfinfo "$work/lo/m200.pdf" 2>/dev/null | awk '/^Pages/ { print $2 }') pages"
  # The figure issue 22 asks about: how many times our CPU time LibreOffice's is.
  awk -v lo="$last_cpu" -v ours="$ours200" 'BEGIN { if (ours > 0) printf "    LibreOffice / minutes, 200 cadres: %.0fx the CPU time\n", lo / ours }'
fi
