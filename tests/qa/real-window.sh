#!/usr/bin/env bash
# Tries the desktop app as a person would, in its real window under Xvfb (issue 21): the setup
# screen's fields, the new-cadre row, the entry grid and ballot by ballot typed with xdotool
# at 1 and 5 ms a key, the session saved through the system's dialog and read back
# (tests/qa/real_window.py says what is checked). Not part of tests/run.sh: it needs a
# desktop's accessibility and dialog services, and takes a minute or two.
#
#   bash tests/qa/real-window.sh [WIDTHxHEIGHT]      (default 1024x600; also 1366x768)
#
# Screenshots of each step are left in the printed folder. Everything it starts (the X
# server, the D-Bus session and what it activates, the app) is ended by its process id.
set -euo pipefail
size=${1:-1024x600}
cd "$(dirname "$0")/../.."
need=()
command -v Xvfb >/dev/null || need+=(xvfb)
command -v xdotool >/dev/null || need+=(xdotool)
command -v import >/dev/null || need+=(imagemagick)
command -v xmodmap >/dev/null || need+=(x11-xserver-utils)
command -v dbus-launch >/dev/null || need+=(dbus-x11)
[ -x /usr/libexec/at-spi-bus-launcher ] || need+=(at-spi2-core)
/usr/bin/python3 -c 'import pyatspi' 2>/dev/null || need+=(python3-pyatspi)
[ -x /usr/libexec/xdg-desktop-portal-gtk ] || need+=(xdg-desktop-portal-gtk)
if [ ${#need[@]} -gt 0 ]; then
    sudo=$([ "$(id -u)" = 0 ] || echo sudo)
    $sudo apt-get install -y "${need[@]}"
fi
cargo build --quiet
app=${CARGO_TARGET_DIR:-$PWD/target}/debug/tinnhiem
out=$(mktemp -d)
echo "folder: $out"
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

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
# The app's preferences, recent files and recovery copies in the run's folder.
HOME=$out/home XDG_DATA_HOME=$out/home/data XDG_CONFIG_HOME=$out/home/config \
    "$app" >"$out/app.log" 2>&1 &
pids+=($!)
for _ in $(seq 60); do xdotool search --name tinnhiem >/dev/null 2>&1 && break; sleep 0.5; done
sleep 3
xdotool windowsize "$(xdotool search --name tinnhiem | head -1)" "${size%x*}" "${size#*x}"
sleep 1
/usr/bin/python3 tests/qa/real_window.py "$out/phien.ron" "$out"
