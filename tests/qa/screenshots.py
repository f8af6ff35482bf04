#!/usr/bin/python3
"""The user guide's screenshots from the real app: run by screenshots.sh, which starts Xvfb at
one size, a D-Bus session and the accessibility bus. Starts the app, drives it to each screen
the guide shows (widgets found by their accessible names over AT-SPI, as real_window.py does)
and captures the screen with ImageMagick into the screenshots folder, as a palette PNG:

  1366x768: start, entry, results, chart, help-menu, present, ballot, recovery
  another size (1024x600): only ballot, named ballot-1024x600.png (the screen the
  guide shows at a small laptop's size)

    screenshots.py APP WIDTHxHEIGHT SHOTS_FOLDER WORK_FOLDER
"""
import signal
import subprocess
import sys
import time

import pyatspi

import real_window as rw

APP, SIZE, SHOTS, WORK = sys.argv[1:5]
SUFFIX = "" if SIZE == "1366x768" else f"-{SIZE}"
# The screens taken at a size other than 1366x768.
SMALL = {"ballot"}
PROC = None


def start():
    """Starts the app and sizes its window to the screen."""
    global PROC
    PROC = subprocess.Popen([APP], stdout=open(f"{WORK}/app.log", "a"), stderr=subprocess.STDOUT)
    for _ in range(60):
        if rw.window("tinnhiem"):
            break
        time.sleep(0.5)
    # On the accessibility bus: it may come a few seconds after the window.
    for _ in range(60):
        desk = pyatspi.Registry.getDesktop(0)
        names = [desk.getChildAtIndex(i) for i in range(desk.childCount)]
        if any(a is not None and a.name == "tinnhiem" for a in names):
            break
        time.sleep(0.5)
    time.sleep(2)
    win = rw.window("tinnhiem")
    w, h = SIZE.split("x")
    subprocess.run(["xdotool", "windowsize", win, w, h], check=True)
    subprocess.run(["xdotool", "windowmove", win, "0", "0"], check=True)
    time.sleep(1)
    rw.focus(win)


def shot(name, hover=None):
    """The whole screen (the window fills it), as assets/screenshots/NAME[-size].png; the
    pointer out of the way, or over the widget `hover` (its hover text shown)."""
    if SUFFIX and name not in SMALL:
        return
    if hover is None:
        subprocess.run(["xdotool", "mousemove", "0", "0"], check=True)
    else:
        x, y, w, h = rw.extents(hover)
        subprocess.run(["xdotool", "mousemove", str(x + w // 2), str(y + h // 2)], check=True)
    time.sleep(1.2)
    path = f"{SHOTS}/{name}{SUFFIX}.png"
    subprocess.run(["import", "-window", "root", path], check=True)
    # As every screenshot is kept (docs/testing.md): a palette of at most 256 colours, not
    # dithered, no metadata (no date): a third of the bytes of RGB, which both executables
    # carry for the guide's PDF, for a picture that looks the same.
    subprocess.run(["convert", path, "-strip", "+dither", "-colors", "256", f"PNG8:{path}"],
                   check=True)
    print(f"{name}{SUFFIX}.png", flush=True)


def key(*names):
    subprocess.run(["xdotool", "key", "--delay", "60", *names], check=True)
    time.sleep(0.6)


def starts_with(prefix):
    return [n for n in rw.walk(rw.app(), []) if n.name and n.name.startswith(prefix)]


def main():
    start()
    if rw.find("Tiếng Việt"):
        rw.click("Tiếng Việt")
    rw.fill("Người thao tác", "Trần Đức Thắng", 5)
    shot("start")

    # The provincial committee's example: the entry grid, the results and their bands.
    rw.click("tinh-uy.ron")
    time.sleep(1)
    rw.click("2. Nhập số liệu")
    time.sleep(1)
    # An impossible count: more "high" than the valid sheets, flagged at its cell.
    cell = starts_with("Tín nhiệm cao – ")
    if cell:
        rw.click_at(cell[0])
        key("ctrl+a", "BackSpace", "9", "9", "Tab")
    shot("entry")
    key("ctrl+z")

    rw.click("3. Kết quả")
    time.sleep(1)
    band = starts_with("Trên 50%") or starts_with("Từ 2/3")
    shot("results", band[0] if band else None)
    if rw.find("Biểu đồ"):
        rw.click("Biểu đồ")
        time.sleep(1)
        shot("chart")
        rw.click("Bảng kết quả")

    rw.click("Trợ giúp")
    time.sleep(0.8)
    item = starts_with("Hướng dẫn sử dụng")
    shot("help-menu", item[0] if item else None)
    key("Escape")

    rw.click("Trình chiếu")
    time.sleep(1.5)
    shot("present")
    key("Escape")
    time.sleep(1)

    # The example with criteria: a ballot with a line per criterion, three sheets counted.
    rw.click("Tệp")
    rw.click("Đóng phiên")
    time.sleep(1)
    if rw.find("Không lưu"):
        rw.click("Không lưu")
        time.sleep(1)
    rw.click("tieu-chi.ron")
    time.sleep(1)
    rw.click("Nhập từng phiếu")
    time.sleep(1)
    if rw.find("Đếm mới từ 0"):
        rw.click("Đếm mới từ 0")
        time.sleep(1)
    for sheet in (["1", "1", "2", "1", "3"], ["2", "1", "1"], ["v"]):
        key(*sheet, "Return")
    key("1", "2")
    shot("ballot")

    # A change, then the app killed before it is saved: the next start offers the recovery.
    rw.click("1. Thiết lập")
    time.sleep(1)
    rw.fill("Địa danh", "Hà Giang", 5)
    time.sleep(2.5)
    PROC.send_signal(signal.SIGKILL)
    PROC.wait()
    time.sleep(1)
    start()
    time.sleep(1)
    shot("recovery")
    if rw.find("Bỏ bản khôi phục"):
        rw.click("Bỏ bản khôi phục")
    PROC.terminate()
    PROC.wait()


if __name__ == "__main__":
    try:
        main()
    finally:
        if PROC and PROC.poll() is None:
            PROC.kill()
