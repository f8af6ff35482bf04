#!/usr/bin/python3
"""Tries the desktop app as a person would, in its real window (issue 21): run by
real-window.sh, which starts Xvfb, a D-Bus session, the accessibility bus and the app.

Every widget is found by its accessible name over AT-SPI (pyatspi) and clicked or typed into
with xdotool at 1 and 5 ms a key: the setup screen's fields, a list of twelve cadres typed
name, Tab, position, Enter into the new-cadre row, the session saved through the system's
dialog and read back; the entry grid typed with Tab; ballot by ballot, 14 sheets of 12 lines
(a void sheet, a sheet counted wrongly and taken back with Backspace), each compared with what
was typed. Prints one line per check and exits 1 if any differs.

Two things xdotool does that no keyboard does are avoided: `type` sends "\\n" as Linefeed,
not Return (so every key here goes through `xdotool key`), and it remaps a spare keycode for
each letter it cannot find, losing letters below ~40 ms a key (so every Vietnamese letter is
mapped to a spare keycode with xmodmap first).
"""
import random
import re
import subprocess
import sys
import time

import pyatspi

CADRES = [
    ("Nguyễn Văn An", "Bí thư Tỉnh ủy"),
    ("Trần Thị Bình", "Phó Bí thư Thường trực"),
    ("Lê Hoàng Cường", "Chủ tịch UBND tỉnh"),
    ("Phạm Thị Dung", "Trưởng ban Tổ chức"),
    ("Hoàng Văn Em", "Chủ nhiệm Ủy ban Kiểm tra"),
    ("Vũ Thị Giang", "Trưởng ban Tuyên giáo"),
    ("Đặng Quốc Hùng", "Phó Chủ tịch HĐND tỉnh"),
    ("Bùi Thị Lan", "Trưởng ban Dân vận"),
    ("Đỗ Minh Khôi", "Chỉ huy trưởng Bộ CHQS tỉnh"),
    ("Hồ Thị Mai", "Giám đốc Công an tỉnh"),
    ("Ngô Văn Nam", "Bí thư Thành ủy"),
    ("Dương Thị Oanh", "Chủ tịch Ủy ban MTTQ tỉnh"),
]
LEVELS = ["Tín nhiệm cao", "Tín nhiệm", "Tín nhiệm thấp"]
VALID = 14
FAILED = []


SHOTS = None


def shot(name):
    """A screenshot of the screen as it is, in the run's folder."""
    subprocess.run(["import", "-window", "root", f"{SHOTS}/{name}.png"], check=True)


def check(ok, what):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        FAILED.append(what)


# --- the window, over AT-SPI --------------------------------------------------------------

def app():
    desk = pyatspi.Registry.getDesktop(0)
    for i in range(desk.childCount):
        a = desk.getChildAtIndex(i)
        if a is not None and a.name == "tinnhiem":
            return a
    sys.exit("the app is not on the accessibility bus")


def walk(node, out):
    out.append(node)
    for i in range(node.childCount):
        c = node.getChildAtIndex(i)
        if c is not None:
            walk(c, out)
    return out


def find(name, role=None):
    return [n for n in walk(app(), []) if n.name == name and (role is None or n.getRoleName() == role)]


def extents(n):
    e = n.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
    return e.x, e.y, e.width, e.height


def text_of(n):
    try:
        t = n.queryText()
        return t.getText(0, t.characterCount)
    except NotImplementedError:
        return ""


def click_at(n, left=False):
    x, y, w, h = extents(n)
    x = x + 5 if left else x + w // 2
    subprocess.run(["xdotool", "mousemove", str(x), str(y + h // 2), "click", "1"], check=True)
    time.sleep(0.4)


def click(name, nth=0):
    nodes = find(name)
    if len(nodes) <= nth:
        sys.exit(f"no {name!r} on the screen")
    click_at(nodes[nth])


def wheel(clicks, x=600, y=400):
    button = "5" if clicks > 0 else "4"
    subprocess.run(["xdotool", "mousemove", str(x), str(y)] + ["click", button] * abs(clicks), check=True)
    time.sleep(0.4)


def window(name):
    out = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name], capture_output=True, text=True)
    ids = out.stdout.split()
    return ids[0] if ids else None


def focus(win):
    subprocess.run(["xdotool", "windowfocus", "--sync", win], check=True)


# --- keys ---------------------------------------------------------------------------------

NAMES = {" ": "space", ",": "comma", ".": "period", "-": "minus", "/": "slash", "\t": "Tab", "\n": "Return"}
POOL = None
MAPPED = {}


def spare_keycodes():
    out = subprocess.run(["xmodmap", "-pke"], capture_output=True, text=True, check=True).stdout
    codes = []
    for line in out.splitlines():
        head, _, tail = line.partition("=")
        code, syms = int(head.split()[1]), tail.split()
        if code >= 8 and (not syms or (code >= 191 and all(s.startswith("XF86") or s == "NoSymbol" for s in syms))):
            codes.append(code)
    return codes


def keysyms(text):
    """Each character as a keysym; a non-ASCII letter mapped to a spare keycode first."""
    global POOL
    if POOL is None:
        POOL = spare_keycodes()
    new = []
    for c in sorted({c for c in text if ord(c) > 127} - MAPPED.keys()):
        code = POOL[len(MAPPED) % len(POOL)]
        MAPPED[c] = code
        new += ["-e", f"keycode {code} = U{ord(c):04X} U{ord(c):04X}"]
    if new:
        subprocess.run(["xmodmap"] + new, check=True)
    return [NAMES.get(c) or (f"U{ord(c):04X}" if ord(c) > 127 else c) for c in text]


def keys(text, delay):
    """Types `text` in one run of xdotool at `delay` ms a key ("\\t" Tab, "\\n" Return)."""
    subprocess.run(["xdotool", "key", "--delay", str(delay)] + keysyms(text), check=True)


def fill(name, text, delay):
    """Clicks the field `name`, empties it, types `text`; returns what the field holds."""
    field = find(name, "entry")[0]
    click_at(field)
    subprocess.run(["xdotool", "key", "ctrl+a", "BackSpace"], check=True)
    keys(text, delay)
    time.sleep(0.5)
    return text_of(find(name, "entry")[0])


# --- the archive --------------------------------------------------------------------------

def counts(path):
    """Each cadre's (high, medium, low) in the archive, in order (None where empty)."""
    s = open(path, encoding="utf-8").read()
    s = s[: s.find("audit:")]
    out = []
    for m in re.finditer(r'name: "[^"]*",\s*position: "[^"]*",\s*overall: \(([^)]*)\)', s):
        field = lambda k: (lambda f: int(f.group(1)) if f else None)(re.search(rf"\b{k}: (\d+)", m.group(1)))
        out.append((field("high"), field("medium"), field("low")))
    return out


def wrong_cells(path, want):
    got = counts(path)
    return sum(a != b for g, w in zip(got, want) for a, b in zip(g, w)) + 3 * abs(len(got) - len(want))


def save(path):
    """Ctrl+S; the first time, the system's dialog (through the desktop portal) is given the
    path."""
    subprocess.run(["xdotool", "key", "ctrl+s"], check=True)
    time.sleep(2.5)
    dialog = window("Lưu thành")
    if dialog:
        focus(dialog)
        subprocess.run(["xdotool", "key", "ctrl+a"], check=True)
        keys(path, 5)
        subprocess.run(["xdotool", "key", "Return"], check=True)
        time.sleep(2)
        focus(window("tinnhiem"))
    time.sleep(1)


# --- the pass -----------------------------------------------------------------------------

def setup(path):
    click("Tạo phiên mới")
    time.sleep(1)
    fields = {
        "Cơ quan cấp trên": "Đảng bộ tỉnh Hà Giang",
        "Cơ quan ban hành": "Chi bộ Văn phòng Tỉnh ủy",
        "Số biên bản": "07 - BB/CB",
        "Tên hội nghị": "Hội nghị lấy phiếu tín nhiệm giữa nhiệm kỳ",
        "Địa danh": "Hà Giang",
        "Địa điểm họp": "Hội trường tầng 3, trụ sở Tỉnh ủy",
        "Giờ bắt đầu kiểm phiếu": "14 giờ 30",
        "Tổ kiểm phiếu (nếu tổ kiểm riêng)": "Tổ số 1 khu vực Bắc",
        "Họ tên – Chủ trì": "Lê Thị Ngọc Ánh",
        "Chức vụ – Chủ trì": "Bí thư chi bộ",
        "Họ tên – Thư ký": "Trần Đức Thắng",
        "Chức vụ – Thư ký": "Chi ủy viên",
    }
    typed = dict(fields)
    for i, (name, text) in enumerate(fields.items()):
        got = fill(name, text, 1 if i % 2 == 0 else 5)
        check(got == text, f"setup field {name!r} at {1 if i % 2 == 0 else 5} ms: {got!r}")
    wheel(3)
    click("Thêm thành viên")
    member = {"Họ tên – Thành viên 1": "Phạm Quốc Việt", "Chức vụ – Thành viên 1": "Trưởng ban"}
    for i, (name, text) in enumerate(member.items()):
        got = fill(name, text, 1 if i % 2 == 0 else 5)
        check(got == text, f"setup field {name!r}: {got!r}")
    typed.update(member)
    wheel(20)
    click("Nhập hai lần độc lập (hai người nhập, đối chiếu) trước khi chốt kết quả")
    click("Nhóm phiếu, cán bộ, tiêu chí")
    group = [("Tên nhóm (đối tượng lấy phiếu)", "Ban Thường vụ Tỉnh ủy khóa XVII"), ("Số được triệu tập", "15"),
             ("Số có mặt", "14"), ("Số phiếu phát ra", "14"), ("Số phiếu thu về", "14"),
             ("Số phiếu không hợp lệ (cả tờ)", "0")]
    for i, (name, text) in enumerate(group):
        got = fill(name, text, 1 if i % 2 == 0 else 5)
        check(got == text, f"setup field {name!r}: {got!r}")
    typed[group[0][0]] = group[0][1]
    subprocess.run(["xdotool", "key", "Tab"], check=True)
    click_at(find("Họ tên cán bộ mới", "entry")[0], left=True)
    keys("".join(f"{n}\t{p}\n" for n, p in CADRES[:6]), 1)
    keys("".join(f"{n}\t{p}\n" for n, p in CADRES[6:]), 5)
    time.sleep(1)
    shot("1-setup-cadres")
    last = find(f"Họ tên – cán bộ {len(CADRES)}", "entry")
    below = extents(find("Họ tên cán bộ mới", "entry")[0])
    check(bool(last) and sum(extents(last[0])[1::2]) <= below[1] + 1,
          "the cadre just added through the new-cadre row is in sight, above the row")
    save(path)
    s = open(path, encoding="utf-8").read()
    for text in typed.values():
        check(f'"{text}"' in s, f"in the saved archive: {text!r}")
    got = re.findall(r'name: "([^"]*)",\s*position: "([^"]*)"', s[s.index("groups:"):])
    check(got == CADRES, "twelve cadres typed in the new-cadre row at 1 and 5 ms, saved")


def grid(path):
    click("2. Nhập số liệu")
    time.sleep(1)
    for seed, delay in [(21, 1), (22, 5)]:
        r = random.Random(seed)
        rows = []
        for _ in CADRES:
            h = r.randint(0, VALID)
            m = r.randint(0, VALID - h)
            rows.append((h, m, r.randint(0, VALID - h - m)))
        wheel(-5, 400, 400)
        click(f"{LEVELS[0]} – {CADRES[0][0]}")
        subprocess.run(["xdotool", "key", "ctrl+a"], check=True)
        keys("".join(f"{h}\t{m}\t{l}\t" for h, m, l in rows), delay)
        time.sleep(1.5)
        shot(f"2-grid-{delay}ms")
        save(path)
        n = wrong_cells(path, rows)
        check(n == 0, f"entry grid at {delay} ms a key: {n} wrong cells of {3 * len(rows)}")


def ballots(path):
    click("Nhập từng phiếu")
    time.sleep(1)
    for seed, delay, void, undo in [(31, 1, {2}, {4}), (32, 5, {7, 13}, {0, 9})]:
        for start in ("Đếm lại từ 0", "Đếm mới từ 0"):
            if find(start):
                click(start)
                time.sleep(1)
                break
        r = random.Random(seed)
        sheets = [None if i in void else [r.choice("1230") for _ in CADRES] for i in range(VALID)]
        strokes = []
        for i, sheet in enumerate(sheets):
            if i in undo:
                strokes += ["3"] * len(CADRES) + ["Return", "BackSpace"]
            strokes += ["v"] if sheet is None else sheet
            strokes.append("Return")
        subprocess.run(["xdotool", "key", "--delay", str(delay)] + strokes, check=True)
        time.sleep(2)
        shot(f"3-ballots-{delay}ms")
        save(path)
        want = [tuple(sum(1 for s in sheets if s and s[i] == k) for k in "123") for i in range(len(CADRES))]
        n = wrong_cells(path, want)
        check(n == 0, f"ballot by ballot at {delay} ms a key: {n} wrong cells of {3 * len(CADRES)}")
        got = re.search(r"void_sheets: (\d+)", open(path, encoding="utf-8").read())
        check(got and int(got.group(1)) == len(void), f"void sheets {got and got.group(1)}, typed {len(void)}")
        if find("Đã đếm đủ 14 tờ: kết thúc đếm"):
            click("Đã đếm đủ 14 tờ: kết thúc đếm")


if __name__ == "__main__":
    archive = sys.argv[1]
    SHOTS = sys.argv[2]
    focus(window("tinnhiem"))
    if find("Tiếng Việt"):
        click("Tiếng Việt")
    setup(archive)
    grid(archive)
    ballots(archive)
    print(f"{len(FAILED)} failed" if FAILED else "all passed")
    sys.exit(1 if FAILED else 0)
