#!/usr/bin/env bash
# Writes the archive (.ron) of the benchmark vote: N cadres, 500 voters, a draft. The one
# generator of it: benches/minutes.sh, benches/check-speed.sh, benches/minutes.rs and
# tests/it/pdf_output.rs all read what this writes. Usage: benches/session.sh N FILE
# Plain bash, so that the whole-process benchmark and the speed check build nothing extra.
set -euo pipefail
n=$1
out=$2
{
  cat <<'HEAD'
#![enable(implicit_some)]
(
    format_version: 3,
    meta: (
        superior_body: "Đảng bộ tỉnh Gia Lai",
        issuing_body: "Ban Chấp hành Đảng bộ tỉnh",
        document_number: "05-BB/TU",
        conference: "Hội nghị Ban Chấp hành Đảng bộ tỉnh",
        place: "Gia Lai",
        date: "2023-12-15",
    ),
    profile: Qd96,
    chair: (
        name: "Hoàng Minh Tuấn",
        role: "Bí thư Tỉnh ủy",
    ),
    committee: [
HEAD
  for i in 0 1 2 3 4; do
    printf '        (name: "Thành viên Ban kiểm phiếu %d", role: ""),\n' "$i"
  done
  cat <<'GROUP'
    ],
    groups: [
        (
            name: "Cán bộ diện Ban Thường vụ Tỉnh ủy quản lý",
            voters: (summoned: 500, present: 490, issued: 490, collected: 489, void_sheets: 2),
            cadres: [
GROUP
  for ((i = 0; i < n; i++)); do
    high=$(((i * 37) % 300))
    medium=$(((i * 11) % 150))
    low=$((487 - high - medium - i % 3))
    printf '                (name: "Nguyễn Thị Ngọc Ánh %d", position: "Ủy viên Ban Thường vụ, Trưởng ban", overall: (high: %d, medium: %d, low: %d)),\n' \
      "$i" "$high" "$medium" "$low"
  done
  printf '            ],\n        ),\n    ],\n    double_entry: true,\n)\n'
} >"$out"
