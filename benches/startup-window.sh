#!/usr/bin/env bash
# The real window's start-up under Xvfb (Mesa's software OpenGL), on a 15-cadre session:
#   bash benches/startup-window.sh [BINARY] [RUNS]     (default target/release/tinnhiem, 15)
# Each run is `tinnhiem --self-test DIR SESSION` with its own empty data folder; the app writes
# when its first two frames ended, counted from its start (DIR/timing.txt: the first frame is
# painted between the two), and /usr/bin/time gives the whole process's wall time, CPU time
# and peak memory (the self-test draws 5 frames, takes a screenshot and closes). Prints the
# median of each. One Xvfb serves all runs, started here.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-${CARGO_TARGET_DIR:-$root/target}/release/tinnhiem}
runs=${2:-15}
[[ -x $bin ]] || { echo "no $bin: cargo build --release first" >&2; exit 1; }
work=$(mktemp -d)
display=:$((200 + RANDOM % 100))
Xvfb "$display" -screen 0 1366x768x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 50); do [[ -e /tmp/.X11-unix/X${display#:} ]] && break; sleep 0.1; done
export DISPLAY=$display
# The shipped example of 15 cadres (the same file as benches/startup.rs).
session="$work/Phiên họp tỉnh ủy.ron"
cp "$root/assets/examples/tinh-uy.ron" "$session"
: > "$work/all"
for i in $(seq 1 "$runs"); do
    out="$work/run$i"
    mkdir -p "$out/data"
    XDG_DATA_HOME="$out/data" /usr/bin/time -f "%e %U %S %M" -o "$out/time" \
        "$bin" --self-test "$out/st" "$session" >/dev/null 2>"$out/err" || {
        cat "$out/err" >&2; exit 1; }
    read -r first < <(sed -n 's/^first-frame-us //p' "$out/st/timing.txt")
    read -r second < <(sed -n 's/^second-frame-us //p' "$out/st/timing.txt")
    read -r wall user sys rss < "$out/time"
    echo "$first $second $wall $user $sys $rss" >> "$work/all"
done
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
col() { awk -v c="$1" '{print $c}' "$work/all" | median; }
cpu=$(awk '{printf "%.2f\n", $4 + $5}' "$work/all" | median)
echo "$(basename "$bin") --self-test under Xvfb, $runs runs, medians:"
echo "  first frame's UI done    $(( $(col 1) / 1000 )) ms after start (painted right after)"
echo "  second frame's UI done   $(( $(col 2) / 1000 )) ms"
echo "  whole process (5 frames, screenshot, exit): wall $(col 3) s, CPU $cpu s, peak $(( $(col 6) / 1024 )) MB"
