#!/usr/bin/env bash
# Takes the user guide's screenshots (docs/huong-dan-su-dung.md) from the real app, so that
# they can be taken again after a change: for each size, Xvfb, a D-Bus session with the
# accessibility bus (as tests/qa/real-window.sh), the app on a fresh data folder, driven by
# tests/qa/screenshots.py (widgets found by their accessible names, clicks and keys by
# xdotool), each screen captured by ImageMagick's `import` into assets/screenshots/ and made a
# palette PNG by its `convert` (docs/testing.md).
#
#   bash tests/qa/screenshots.sh [WIDTHxHEIGHT …]     (default: 1366x768 1024x600)
#
# Not part of tests/run.sh or CI (it needs the desktop's services and changes tracked files):
# run it by hand, look at the pictures, commit those that changed for a reason. What it does
# not take (double entry's differences, the dark theme, signing, the signed minutes, Wine) is
# listed in docs/testing.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
sizes=("$@")
((${#sizes[@]})) || sizes=(1366x768 1024x600)
need=()
command -v Xvfb >/dev/null || need+=(xvfb)
command -v xdotool >/dev/null || need+=(xdotool)
command -v import >/dev/null || need+=(imagemagick)
command -v xmodmap >/dev/null || need+=(x11-xserver-utils)
command -v dbus-launch >/dev/null || need+=(dbus-x11)
[ -x /usr/libexec/at-spi-bus-launcher ] || need+=(at-spi2-core)
/usr/bin/python3 -c 'import pyatspi' 2>/dev/null || need+=(python3-pyatspi)
if [ ${#need[@]} -gt 0 ]; then
    sudo=$([ "$(id -u)" = 0 ] || echo sudo)
    $sudo apt-get install -y "${need[@]}"
fi
cargo build --quiet
app=${CARGO_TARGET_DIR:-$PWD/target}/debug/tinnhiem
shots=$PWD/assets/screenshots
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    pids=()
}
trap cleanup EXIT

for size in "${sizes[@]}"; do
    out=$(mktemp -d)
    echo "$size: folder $out"
    exec 3>"$out/display"
    Xvfb -displayfd 3 -screen 0 "${size}x24" -nolisten tcp >"$out/xvfb.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 50); do [ -s "$out/display" ] && break; sleep 0.1; done
    export DISPLAY=":$(cat "$out/display")"
    eval "$(dbus-launch --sh-syntax)"
    pids+=("$DBUS_SESSION_BUS_PID")
    /usr/libexec/at-spi-bus-launcher --launch-immediately >"$out/atspi.log" 2>&1 &
    pids+=($!)
    sleep 1
    for key in IsEnabled ScreenReaderEnabled; do
        dbus-send --session --dest=org.a11y.Bus --type=method_call /org/a11y/bus \
            org.freedesktop.DBus.Properties.Set string:org.a11y.Status "string:$key" variant:boolean:true
    done
    # The app's preferences, recent files and recovery copies in the run's folder: the start
    # screen shows no one's recent files, and the light theme.
    export HOME=$out/home XDG_DATA_HOME=$out/home/data XDG_CONFIG_HOME=$out/home/config
    /usr/bin/python3 tests/qa/screenshots.py "$app" "$size" "$shots" "$out"
    cleanup
done
ls -l "$shots"
