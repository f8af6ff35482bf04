#!/usr/bin/env bash
# Prints an HTML page with the content of the minutes of benches/session.sh's vote of N cadres
# (the heading, the opening paragraphs, the results table with every cadre's counts and
# percentages, the closing and the signatures), A4 with the minutes' margins and font: what
# LibreOffice converts to PDF in benches/minutes.sh --with-libreoffice. Usage: minutes-html.sh N
set -euo pipefail
n=$1
pct() { # count of 489 collected, as "12,34%"
  local h=$(((($1 * 1000000 / 489) + 50) / 100))
  printf '%d,%02d%%' $((h / 100)) $((h % 100))
}
cat <<'HEAD'
<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Biên bản kiểm phiếu</title>
<style>
@page { size: 210mm 297mm; margin: 20mm 15mm 20mm 30mm; }
body { font-family: "Liberation Serif", "Times New Roman", serif; font-size: 14pt; }
p { margin: 0 0 6pt 0; }
div.b p { text-align: justify; text-indent: 10mm; }
table { border-collapse: collapse; width: 100%; font-size: 12pt; }
th, td { border: 0.5pt solid black; padding: 2pt; text-align: left; font-size: 11pt; }
th { background: #ebebeb; }
td.n { text-align: right; }
.c { text-align: center; text-indent: 0; }
</style></head><body>
<table style="border: none; font-size: 13pt"><tr>
<td style="border: none; text-align: center">ĐẢNG BỘ TỈNH GIA LAI<br><b>BAN CHẤP HÀNH ĐẢNG BỘ TỈNH</b><br>*<br>Số 05-BB/TU</td>
<td style="border: none; text-align: center"><b><u>ĐẢNG CỘNG SẢN VIỆT NAM</u></b><br><br><br><i>Gia Lai, ngày 15 tháng 12 năm 2023</i></td>
</tr></table>
<div class="b">
<p class="c"><b>BIÊN BẢN KIỂM PHIẾU</b></p>
<p class="c"><b>Lấy phiếu tín nhiệm đối với Cán bộ diện Ban Thường vụ Tỉnh ủy quản lý</b></p>
<p>Hôm nay, ngày 15 tháng 12 năm 2023, Hội nghị Ban Chấp hành Đảng bộ tỉnh tiến hành lấy phiếu tín nhiệm theo Quy định 96-QĐ/TW ngày 02/02/2023 của Bộ Chính trị.</p>
<p>Chủ trì hội nghị: đồng chí Hoàng Minh Tuấn, Bí thư Tỉnh ủy.</p>
<p>Ban kiểm phiếu gồm:</p>
<p>1. Đồng chí Thành viên Ban kiểm phiếu 0, Trưởng ban</p>
<p>2. Đồng chí Thành viên Ban kiểm phiếu 1, Thành viên</p>
<p>3. Đồng chí Thành viên Ban kiểm phiếu 2, Thành viên</p>
<p>4. Đồng chí Thành viên Ban kiểm phiếu 3, Thành viên</p>
<p>5. Đồng chí Thành viên Ban kiểm phiếu 4, Thành viên</p>
<p>Ban kiểm phiếu đã tiến hành kiểm phiếu; kết quả như sau:</p>
<p style="text-indent: 0"><b>I. Kết quả lấy phiếu đối với Cán bộ diện Ban Thường vụ Tỉnh ủy quản lý</b></p>
<p>Số người được triệu tập: 500; có mặt: 490; vắng mặt: 10.</p>
<p>Số người có mặt đạt từ 2/3 số người được triệu tập trở lên, đủ điều kiện tiến hành (Quy định 96-QĐ/TW, Điều 3 khoản 2: hội nghị chỉ tiến hành khi có ít nhất 2/3 số người được triệu tập có mặt).</p>
<p>Số phiếu phát ra: 490; số phiếu thu về: 489; số phiếu hợp lệ: 487; số phiếu không hợp lệ: 2.</p>
<p>Tỉ lệ phần trăm tính trên số phiếu thu về (489).</p>
</div>
<table>
<thead>
<tr><th rowspan="2" width="6%">STT</th><th rowspan="2" width="28%">Họ và tên, chức vụ</th><th colspan="2" width="15%">Tín nhiệm cao</th><th colspan="2" width="15%">Tín nhiệm</th><th colspan="2" width="15%">Tín nhiệm thấp</th><th rowspan="2" width="8%">Không hợp lệ</th><th rowspan="2" width="13%">Ghi chú</th></tr>
<tr><th width="7%">Số phiếu</th><th width="8%">Tỉ lệ</th><th width="7%">Số phiếu</th><th width="8%">Tỉ lệ</th><th width="7%">Số phiếu</th><th width="8%">Tỉ lệ</th></tr>
</thead><tbody>
HEAD
for ((i = 0; i < n; i++)); do
  high=$(((i * 37) % 300))
  medium=$(((i * 11) % 150))
  low=$((487 - high - medium - i % 3))
  note=""
  if ((low * 3 >= 2 * 489)); then note="Từ 2/3 trở lên"; elif ((low * 2 > 489)); then note="Trên 50% đến dưới 2/3"; fi
  printf '<tr><td class="n">%d</td><td>Nguyễn Thị Ngọc Ánh %d<br>Ủy viên Ban Thường vụ, Trưởng ban</td><td class="n">%d</td><td class="n">%s</td><td class="n">%d</td><td class="n">%s</td><td class="n">%d</td><td class="n">%s</td><td class="n">%d</td><td>%s</td></tr>\n' \
    $((i + 1)) "$i" "$high" "$(pct "$high")" "$medium" "$(pct "$medium")" "$low" "$(pct "$low")" $((i % 3)) "$note"
done
cat <<'TAIL'
</tbody></table>
<div class="b"><p>Biên bản này được lập vào hồi ... giờ ... phút cùng ngày, đã đọc lại cho Hội nghị cùng nghe và nhất trí thông qua.</p></div>
<table style="border: none"><tr>
<td style="border: none; text-align: center; width: 50%"><b>TRƯỞNG BAN KIỂM PHIẾU</b><br><i>(Ký, ghi rõ họ tên)</i><br><br><br><br><b>Thành viên Ban kiểm phiếu 0</b></td>
<td style="border: none; text-align: center"><b>T/M HỘI NGHỊ<br>CHỦ TRÌ</b><br><i>(Ký, ghi rõ họ tên)</i><br><br><br><br><b>Hoàng Minh Tuấn</b></td>
</tr></table>
<p class="c">Mã kiểm tra đầy đủ (SHA-256): 7c3d2353125c131781c94b77a88e4b93b482d2c4fe295dc98ea8d7fc93f8367b</p>
</body></html>
TAIL
