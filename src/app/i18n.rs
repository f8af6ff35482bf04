//! Every string of the desktop app, Vietnamese first, in one place.
//!
//! Fixed strings are [`Tr`] constants; strings with numbers in them are small functions. Legal
//! wording (band labels, consequences, citations) is not here: it comes from the rule profiles
//! in the core, so the app and the documents can never say two different things.

use crate::text::{Lang, Tr};

pub const APP_TITLE: Tr = Tr::new("Kiểm phiếu tín nhiệm", "Confidence-vote tally");
pub const LANGUAGE: Tr = Tr::new("Ngôn ngữ", "Language");

// Menu and commands.
pub const MENU_FILE: Tr = Tr::new("Tệp", "File");
pub const MENU_EDIT: Tr = Tr::new("Sửa", "Edit");
pub const NEW: Tr = Tr::new("Phiên mới…", "New session…");
pub const OPEN: Tr = Tr::new("Mở tệp…", "Open…");
pub const MERGE: Tr = Tr::new("Gộp kết quả các tổ kiểm phiếu…", "Merge counting teams…");
pub const START_TEAMS: Tr = Tr::new("Kiểm phiếu theo tổ", "Counting in teams");
pub const MERGE_WHY: Tr = Tr::new(
    "Chọn tệp phiên của từng tổ (mỗi tệp ghi tên tổ ở phần Thiết lập). Kết quả gộp là phiên mới, chưa lưu; các tệp của tổ không bị sửa.",
    "Pick each team's session file (each names its team in Setup). The merge is a new, unsaved session; the teams' files are not changed.",
);
pub const SAVE: Tr = Tr::new("Lưu", "Save");
pub const SAVE_AS: Tr = Tr::new("Lưu thành…", "Save as…");
pub const CLOSE_SESSION: Tr = Tr::new("Đóng phiên", "Close session");
pub const QUIT: Tr = Tr::new("Thoát", "Quit");
pub const UNDO: Tr = Tr::new("Hoàn tác", "Undo");
pub const REDO: Tr = Tr::new("Làm lại", "Redo");

// Screens.
pub const SCREEN_SETUP: Tr = Tr::new("1. Thiết lập", "1. Setup");
pub const SCREEN_ENTRY: Tr = Tr::new("2. Nhập số liệu", "2. Enter counts");
pub const SCREEN_RESULTS: Tr = Tr::new("3. Kết quả", "3. Results");

// Start screen.
pub const OPERATOR: Tr = Tr::new("Người thao tác", "Operator");
pub const OPERATOR_HINT: Tr = Tr::new(
    "Họ và tên người nhập liệu",
    "Full name of who enters the data",
);
pub const OPERATOR_WHY: Tr = Tr::new(
    "Mọi thay đổi được ghi vào nhật ký nhập liệu dưới tên này.",
    "Every change is recorded in the audit log under this name.",
);
pub const START_NEW: Tr = Tr::new("Tạo phiên lấy phiếu mới", "New confidence vote");
pub const START_PROFILE: Tr = Tr::new("Quy định áp dụng", "Rules applied");
pub const START_CREATE: Tr = Tr::new("Tạo phiên mới", "Create session");
pub const START_OPEN: Tr = Tr::new("Mở phiên đã lưu", "Open a saved session");
pub const START_RECENT: Tr = Tr::new("Tệp mở gần đây", "Recent files");
pub const START_NO_RECENT: Tr = Tr::new("(chưa có)", "(none yet)");
pub const START_EXAMPLES: Tr = Tr::new("Mở ví dụ", "Open an example");
pub const UNSAVED: Tr = Tr::new("chưa lưu", "not saved");

// Setup screen.
pub const META: Tr = Tr::new("Thông tin biên bản", "Minutes header");
pub const DATE: Tr = Tr::new(
    "Ngày hội nghị (ngày/tháng/năm)",
    "Conference date (day/month/year)",
);
pub const DATE_INVALID: Tr = Tr::new(
    "Ngày không hợp lệ: chưa được ghi nhận",
    "Invalid date: not recorded",
);
pub const PROFILE: Tr = Tr::new("Quy định", "Rules");
pub const BASE: Tr = Tr::new("Tỉ lệ tính trên", "Shares over");
pub const PEOPLE: Tr = Tr::new(
    "Chủ trì, thư ký, ban kiểm phiếu",
    "Chair, secretary, counting committee",
);
pub const CHAIR: Tr = Tr::new("Chủ trì", "Chair");
pub const SECRETARY: Tr = Tr::new("Thư ký", "Secretary");
pub const NAME: Tr = Tr::new("Họ tên", "Name");
pub const ROLE: Tr = Tr::new("Chức vụ", "Role");
pub const COMMITTEE: Tr = Tr::new(
    "Ban kiểm phiếu (người đầu là trưởng ban)",
    "Counting committee (the first is its head)",
);
pub const MEMBER: Tr = Tr::new("Thành viên", "Member");
pub const ADD_MEMBER: Tr = Tr::new("Thêm thành viên", "Add member");
pub const REMOVE: Tr = Tr::new("Xóa", "Remove");
pub const GROUPS: Tr = Tr::new("Nhóm phiếu", "Ballot groups");
pub const GROUP: Tr = Tr::new("Nhóm phiếu", "Ballot group");
pub const GROUP_HELP: Tr = Tr::new(
    "Nhóm phiếu: một loại phiếu in riêng, gồm những cán bộ được cùng những người lấy phiếu (ví dụ Ban Thường vụ do Ban Chấp hành lấy phiếu). Mỗi nhóm có số người triệu tập, có mặt, số phiếu và kết quả riêng.",
    "Ballot group: one kind of printed ballot, for the cadres voted on by the same voters (e.g. the Standing Committee, voted on by the Executive Committee). Each group has its own voters, sheets and results.",
);
pub const SESSION_HELP: Tr = Tr::new(
    "Phiên: một lần lấy phiếu tín nhiệm tại một hội nghị, lưu trong một tệp (thông tin hội nghị, các nhóm phiếu, số liệu, nhật ký).",
    "Session: one confidence vote at one conference, kept in one file (the conference, its ballot groups, the counts, the log).",
);
pub const PERSON_NAME_HEAD: Tr = Tr::new("Họ và tên", "Full name");
pub const PERSON_ROLE_HEAD: Tr = Tr::new("Chức vụ", "Position");
pub const GROUP_NAME: Tr = Tr::new(
    "Tên nhóm (đối tượng lấy phiếu)",
    "Group name (who is voted on)",
);
pub const ADD_GROUP: Tr = Tr::new("Thêm nhóm phiếu", "Add ballot group");
pub const REMOVE_GROUP: Tr = Tr::new("Xóa nhóm này", "Remove this group");
pub const NEW_GROUP_NAME: Tr = Tr::new("Nhóm phiếu mới", "New ballot group");
pub const VOTERS: Tr = Tr::new("Số người và số phiếu", "Voters and ballots");
pub const VALID_SHEETS: Tr = Tr::new("Số phiếu hợp lệ", "Valid sheets");
pub const CRITERIA: Tr = Tr::new(
    "Câu hỏi theo tiêu chí (tùy chọn)",
    "Per-criterion questions (optional)",
);
pub const CRITERIA_NOTE: Tr = Tr::new(
    "Phiếu chính thức (Phụ lục 4) chỉ có một câu hỏi chung; câu hỏi theo tiêu chí không làm thay đổi kết quả chính thức.",
    "The official ballot (Annex 4) has one overall question; per-criterion questions never change the official result.",
);
pub const CRITERION: Tr = Tr::new("Tiêu chí", "Criterion");
pub const ADD_CRITERION: Tr = Tr::new("Thêm tiêu chí", "Add criterion");
pub const ADD_QD96: Tr = Tr::new("Thêm 5 tiêu chí theo QĐ 96", "Add the 5 QĐ 96 criteria");
pub const CADRES: Tr = Tr::new("Cán bộ được lấy phiếu", "Cadres on the ballot");
pub const ADD_CADRE: Tr = Tr::new("Thêm cán bộ", "Add cadre");
pub const NEW_NAME: Tr = Tr::new("Họ tên cán bộ mới", "New cadre's name");
pub const NEW_POSITION: Tr = Tr::new("Chức vụ cán bộ mới", "New cadre's position");
pub const POSITION: Tr = Tr::new("Chức vụ", "Position");
pub const EXEMPT: Tr = Tr::new("Không lấy phiếu", "Exempt");
pub const EXEMPT_REASON: Tr = Tr::new("Lý do không lấy phiếu", "Reason for exemption");
pub const MOVE_UP: Tr = Tr::new("Lên", "Up");
pub const MOVE_DOWN: Tr = Tr::new("Xuống", "Down");
pub const PASTE_BOX: Tr = Tr::new(
    "Dán danh sách từ Excel/Word: mỗi dòng một người, họ tên rồi chức vụ ở cột bên cạnh",
    "Paste a list from Excel/Word: a person a line, the name and then the position in the next column",
);
pub const PASTE_ADD: Tr = Tr::new("Thêm các cán bộ trong danh sách", "Add the pasted cadres");

// Entry screen.
pub const NO: Tr = Tr::new("STT", "No.");
pub const INVALID_LINES: Tr = Tr::new("Không hợp lệ", "Invalid");
pub const INVALID_HELP: Tr = Tr::new(
    "Số phiếu không hợp lệ ở dòng của cán bộ này (để trống hoặc đánh nhiều ô), bằng số phiếu hợp lệ trừ ba mức cộng lại",
    "Votes on this cadre's line that are invalid (left blank or several boxes ticked): the valid sheets less the three levels",
);
pub const SUM: Tr = Tr::new("Cộng", "Sum");
pub const OVERALL: Tr = Tr::new("Câu hỏi chung", "Overall question");
pub const COLUMN_TOTALS: Tr = Tr::new("Tổng cột", "Column totals");
pub const FINDINGS: Tr = Tr::new("Lỗi và cảnh báo", "Errors and warnings");
pub const NO_FINDINGS: Tr = Tr::new("Không có lỗi nào.", "No errors.");
pub const ONLY_MISSING: Tr = Tr::new(
    "Chỉ còn các ô chưa nhập (xem ở trên).",
    "Only cells not entered yet remain (see above).",
);
pub const ERROR_MARK: Tr = Tr::new("Lỗi:", "Error:");
pub const WARNING_MARK: Tr = Tr::new("Lưu ý:", "Note:");
pub const CODE: Tr = Tr::new("mã", "code");
pub const SHOW_MISSING: Tr = Tr::new("Hiện cả ô chưa nhập", "Show empty cells too");
pub const ENTRY_HELP: Tr = Tr::new(
    "Gõ số rồi Enter (xuống) hoặc Tab (sang phải); các phím mũi tên để di chuyển. Ô trống là \"chưa nhập\", khác với 0.",
    "Type a number, then Enter (down) or Tab (right); arrows move. An empty cell is \"not entered\", not 0.",
);
pub const EXEMPT_ROW: Tr = Tr::new("Không lấy phiếu", "Exempt");

// Results screen.
pub const TABLE: Tr = Tr::new("Bảng kết quả", "Results table");
pub const CHART: Tr = Tr::new("Biểu đồ", "Chart");
pub const BALLOT_ORDER: Tr = Tr::new("Theo thứ tự trên phiếu", "Ballot order");
pub const BY_RANK: Tr = Tr::new("Xếp hạng theo tín nhiệm cao", "Ranked by high confidence");
pub const RANK: Tr = Tr::new("Hạng", "Rank");
/// The minutes' own heading of the column that says which case of the rules a cadre is in.
pub const BAND: Tr = Tr::new("Ghi chú", "Note");
pub const BAND_HOVER: Tr = Tr::new(
    "Trường hợp theo quy định, bằng lời của quy định như biên bản ghi",
    "The case under the rules, in the rules' own words as the minutes print them",
);
pub const NO_BAND: Tr = Tr::new("Không thuộc trường hợp nào", "No case of the rules");
pub const INCOMPLETE: Tr = Tr::new("Chưa đủ số liệu", "Incomplete");
pub const RESULTS_HAVE_ERRORS: Tr = Tr::new(
    "Còn lỗi trong số liệu: kết quả dưới đây chưa đầy đủ hoặc chưa đúng.",
    "The counts still have errors: the results below are incomplete or wrong.",
);
pub const QUORUM_MET: Tr = Tr::new("Đủ số lượng có mặt", "Quorum met");
pub const QUORUM_NOT_MET: Tr = Tr::new("Không đủ số lượng có mặt", "Quorum not met");
pub const CONSEQUENCE: Tr = Tr::new("Hệ quả", "Consequence");
pub const CITATION: Tr = Tr::new("Căn cứ", "Source");
pub const PROCEEDINGS: Tr = Tr::new("Diễn biến kiểm phiếu (tùy chọn)", "Proceedings (optional)");
pub const PROCEEDINGS_NOTE: Tr = Tr::new(
    "Mục nào để trống thì biên bản không ghi câu đó.",
    "A part left empty is left out of the minutes.",
);
pub const WORDING: Tr = Tr::new(
    "Lời văn biên bản (tùy chọn)",
    "Wording of the minutes (optional)",
);
pub const WORDING_NOTE: Tr = Tr::new(
    "Không chọn thì biên bản dùng lời văn mặc định. Trường viết trong ngoặc nhọn:",
    "Unticked, the minutes use the built-in wording. Fields in braces:",
);
pub const WORDING_OWN: Tr = Tr::new("Tự soạn", "Own wording for the");
pub const WORDING_PREVIEW: Tr = Tr::new("Sẽ in:", "Prints:");
pub const NOT_STATED: Tr = Tr::new("(không ghi)", "(not stated)");
pub const REMARKS_STATED: Tr = Tr::new(
    "Ghi vào biên bản (để trống: \"không có khiếu nại\")",
    "State in the minutes (empty: \"no complaints\")",
);
pub const REMARKS_TEXT: Tr = Tr::new(
    "Nội dung khiếu nại, ý kiến",
    "What was complained or remarked",
);
pub const REMARKS_HELP: Tr = Tr::new(
    "Để trống nếu không có khiếu nại; biên bản ghi \"Trong quá trình kiểm phiếu không có khiếu nại.\"",
    "Leave empty when there were none; the minutes then say \"There were no complaints during the count.\"",
);
pub const QD41_NOT_SHOWN: Tr = Tr::new(
    "Không áp dụng Quy định 41-QĐ/TW (đã được thay thế)",
    "Regulation 41-QĐ/TW does not apply (replaced)",
);

// Dialogs.
pub const ERROR: Tr = Tr::new("Lỗi", "Error");
/// The heading of what is no error but worth knowing.
pub const NOTICE: Tr = Tr::new("Thông báo", "Notice");
pub const OK: Tr = Tr::new("Đồng ý", "OK");
pub const CANCEL: Tr = Tr::new("Hủy", "Cancel");
pub const UNSAVED_TITLE: Tr = Tr::new("Thay đổi chưa lưu", "Unsaved changes");
pub const UNSAVED_TEXT: Tr = Tr::new(
    "Phiên này có thay đổi chưa lưu. Lưu trước khi tiếp tục?",
    "This session has unsaved changes. Save before going on?",
);
pub const DISCARD: Tr = Tr::new("Không lưu", "Don't save");
pub const RECOVERY_TITLE: Tr = Tr::new("Có bản khôi phục", "A recovery copy exists");
pub const RECOVERY_TEXT: Tr = Tr::new(
    "Lần trước phần mềm đã đóng khi còn thay đổi chưa lưu. Bản khôi phục tự động mới hơn tệp đã lưu. Khôi phục?",
    "Last time the app closed with unsaved changes. The automatic recovery copy is newer than the saved file. Restore it?",
);
pub const RESTORE: Tr = Tr::new("Khôi phục", "Restore");
pub const IGNORE_RECOVERY: Tr = Tr::new("Bỏ bản khôi phục", "Discard the recovery copy");
pub const SAVED: Tr = Tr::new("Đã lưu", "Saved");
pub const MODIFIED: Tr = Tr::new("Có thay đổi chưa lưu", "Unsaved changes");
pub const NEVER_SAVED: Tr = Tr::new("Chưa lưu vào tệp nào", "Not saved to a file yet");
pub const SAVING: Tr = Tr::new("Đang lưu…", "Saving…");

/// The status bar's one word on saving.
#[must_use]
pub fn save_state(lang: Lang, state: super::SaveState) -> &'static str {
    use super::SaveState;
    match state {
        SaveState::Saving => SAVING.get(lang),
        SaveState::NeverSaved => NEVER_SAVED.get(lang),
        SaveState::Modified => MODIFIED.get(lang),
        SaveState::Saved => SAVED.get(lang),
    }
}
pub const RECOVERY_SAVED: Tr = Tr::new("bản khôi phục đã ghi", "recovery copy written");

/// The title of the window: app, file, and a star when there are unsaved changes.
#[must_use]
pub fn window_title(lang: Lang, file: Option<&str>, dirty: bool) -> String {
    let file = file.unwrap_or(UNSAVED.get(lang));
    let star = if dirty { " *" } else { "" };
    format!("{file}{star} — tinnhiem — {}", APP_TITLE.get(lang))
}

/// A count of findings, for the side panel's heading.
#[must_use]
pub fn findings_count(lang: Lang, errors: usize, warnings: usize) -> String {
    match lang {
        Lang::Vi => format!("{errors} lỗi, {warnings} cảnh báo"),
        Lang::En => format!("{errors} errors, {warnings} warnings"),
    }
}

/// How many cells are still empty.
#[must_use]
pub fn missing_cells(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Vi => format!("Còn {n} ô chưa nhập"),
        Lang::En => format!("{n} cells not entered yet"),
    }
}

/// The accessible name of a count cell: "Tín nhiệm thấp – Nguyễn Văn A" (overall question), or
/// with the criterion's number for per-criterion questions. Stable, for tests and screen readers.
#[must_use]
pub fn cell_name(lang: Lang, level: Tr, criterion: Option<usize>, cadre: &str) -> String {
    match criterion {
        None => format!("{} – {cadre}", level.get(lang)),
        Some(k) => format!(
            "{} – {} {} – {cadre}",
            level.get(lang),
            CRITERION.get(lang),
            k + 1
        ),
    }
}

/// The base of percentages and its figure: "Tỉ lệ tính trên số phiếu thu về: 50".
#[must_use]
pub fn base_line(lang: Lang, base: Tr, figure: Option<u32>) -> String {
    let n = figure.map_or_else(|| "—".to_owned(), |n| n.to_string());
    format!("{} {}: {n}", BASE.get(lang), base.get(lang))
}

/// A line for a cadre on the ballot list: "Cán bộ 3".
#[must_use]
pub fn cadre_number(lang: Lang, i: usize) -> String {
    match lang {
        Lang::Vi => format!("cán bộ {}", i + 1),
        Lang::En => format!("cadre {}", i + 1),
    }
}

/// The column heading of a level: its whole name, as on the ballot ("Tín nhiệm thấp", never
/// "TN thấp"); a narrow column wraps it on two lines rather than abbreviate it.
#[must_use]
pub fn level_short(lang: Lang, level: crate::model::Level) -> &'static str {
    level.label().get(lang)
}

pub const FIRST_MISSING: Tr = Tr::new("Đến ô đầu tiên chưa nhập", "Go to the first empty cell");
pub const SETUP_GENERAL: Tr = Tr::new("Biên bản và thành phần", "Minutes and people");
pub const SETUP_GROUPS: Tr = Tr::new(
    "Nhóm phiếu, cán bộ, tiêu chí",
    "Ballot groups, cadres, criteria",
);
pub const RECOVERY_FAILING: Tr = Tr::new(
    "không ghi được bản khôi phục: hãy lưu sang nơi khác",
    "cannot write the recovery copy: save elsewhere",
);

// Finalising, documents, signature, audit log (issues 4 and 5).
pub const MENU_DOCUMENTS: Tr = Tr::new("Văn bản", "Documents");
pub const STATUS_DRAFT: Tr = Tr::new("Bản nháp", "Draft");
pub const STATUS_FINAL: Tr = Tr::new("Đã chốt", "Final");
pub const STATUS_TAMPERED: Tr = Tr::new(
    "Đã chốt · KHÔNG KHỚP mã đã chốt",
    "Final · DOES NOT MATCH its seal",
);
pub const TAMPERED_WHY: Tr = Tr::new(
    "Tệp không còn khớp mã đã chốt: nội dung đã bị sửa ngoài ứng dụng, hoặc phiên bản ứng dụng này tính ra kết quả khác với lúc chốt (`tinnhiem verify` cho biết trường hợp nào). Không dùng kết quả này; đối chiếu với biên bản giấy, rồi mở lại để sửa (lý do được ghi nhật ký) và chốt lại.",
    "The file no longer matches its seal: its content was edited outside the app, or this version of the app computes results differently from when it was sealed (`tinnhiem verify` says which). Do not use these results; check them against the paper minutes, then reopen (the reason is logged) and finalise again.",
);
pub const FINALISE: Tr = Tr::new("Chốt kết quả", "Finalise results");
/// Why finalising waits for double entry: group `n` (1-based) has not agreed.
#[must_use]
pub fn finalise_not_agreed(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Vi => format!(
            "Nhóm phiếu {n} chưa nhập đủ hai lần và thống nhất: hoàn tất nhập hai lần rồi mới chốt được"
        ),
        Lang::En => format!(
            "Ballot group {n} has not been entered twice and agreed: finish the double entry before finalising"
        ),
    }
}

/// "Đang đếm từng phiếu: 4/24" for the top bar, on every screen.
#[must_use]
pub fn counting_now(lang: Lang, group: &str, sheets: u32, collected: Option<u32>) -> String {
    let of = collected.map_or_else(|| "?".to_owned(), |n| n.to_string());
    match lang {
        Lang::Vi => format!("Đang đếm từng phiếu ({group}): {sheets}/{of}"),
        Lang::En => format!("Counting ballot by ballot ({group}): {sheets}/{of}"),
    }
}

pub const FINALISE_HAS_ERRORS: Tr = Tr::new(
    "Còn lỗi trong số liệu: sửa hết lỗi rồi mới chốt được",
    "The figures have errors: fix them all before finalising",
);
pub const FINALISE_TITLE: Tr = Tr::new("Chốt kết quả kiểm phiếu?", "Finalise the results?");
pub const FINALISE_TEXT: Tr = Tr::new(
    "Sau khi chốt, số liệu được niêm phong bằng mã kiểm tra và không sửa được nữa, trừ khi mở lại kèm lý do (được ghi vào nhật ký). Biên bản in ra không còn dấu \"BẢN NHÁP\".",
    "Once finalised, the figures are sealed by their fingerprint and cannot be edited unless the session is reopened with a reason (which is logged). The minutes print without the \"DRAFT\" mark.",
);
pub const FINALISE_CONFIRM: Tr = Tr::new("Chốt", "Finalise");
pub const FINGERPRINT: Tr = Tr::new("Mã kiểm tra", "Fingerprint");
pub const FINGERPRINT_HOVER: Tr = Tr::new(
    "Mã SHA-256 của số liệu đã chốt, in ở chân mọi trang biên bản: tệp hoặc biên bản nào cho ra mã khác là đã bị sửa",
    "The SHA-256 of the sealed figures, printed in every page's footer of the minutes: a file or minutes giving another one were changed",
);
pub const REOPEN: Tr = Tr::new("Mở lại để sửa", "Reopen for editing");
pub const REOPEN_TITLE: Tr = Tr::new("Mở lại phiên đã chốt", "Reopen the final session");
pub const REOPEN_TEXT: Tr = Tr::new(
    "Phiên trở lại bản nháp. Lý do được ghi vào nhật ký nhập liệu cùng tên người thao tác.",
    "The session becomes a draft again. The reason is logged with the operator's name.",
);
pub const REOPEN_REASON: Tr = Tr::new("Lý do mở lại (bắt buộc)", "Reason to reopen (required)");
pub const REOPEN_CONFIRM: Tr = Tr::new("Mở lại", "Reopen");
pub const EXPORT_MINUTES: Tr = Tr::new("Xuất biên bản (PDF)…", "Export minutes (PDF)…");
pub const SIGN_MINUTES: Tr = Tr::new("Ký số biên bản…", "Sign the minutes…");
pub const PRINT_BALLOTS: Tr = Tr::new("In phiếu trống (PDF)…", "Print blank ballots (PDF)…");
pub const EXPORT_CSV: Tr = Tr::new("Xuất CSV…", "Export CSV…");
pub const EXPORT_XLSX: Tr = Tr::new("Xuất Excel (.xlsx)…", "Export Excel (.xlsx)…");
pub const IMPORT_CADRES: Tr = Tr::new(
    "Nhập danh sách từ tệp Excel (.xlsx, .xls, .ods)…",
    "Import the list from a spreadsheet (.xlsx, .xls, .ods)…",
);
pub const IMPORT_COUNTS: Tr = Tr::new(
    "Nhập số liệu từ bảng tính…",
    "Import counts from a spreadsheet…",
);
pub const IMPORT_COUNTS_HELP: Tr = Tr::new(
    "Bảng tính của tổ kiểm phiếu (.xlsx, .xls, .ods, .csv), mỗi cán bộ một dòng: cột STT hoặc Họ và tên, các cột Tín nhiệm cao, Tín nhiệm, Tín nhiệm thấp. Xem trước, rồi mới áp dụng; mỗi số liệu được ghi vào nhật ký như khi gõ.",
    "A counting team's spreadsheet (.xlsx, .xls, .ods, .csv), a row per cadre: an STT or Name column, then High confidence, Confidence, Low confidence. Previewed before it is applied; each count is logged as if typed.",
);
pub const IMPORT_TITLE: Tr = Tr::new("Số liệu từ bảng tính", "Counts from a spreadsheet");
pub const IMPORT_ACCEPTED: Tr = Tr::new("Sẽ nhập", "To import");
pub const IMPORT_REFUSED: Tr = Tr::new(
    "Không nhập (sửa bảng tính rồi đọc lại, hoặc gõ tay)",
    "Not imported (correct the sheet and read it again, or type them)",
);
pub const IMPORT_EXEMPT: Tr = Tr::new("Bỏ qua (không lấy phiếu)", "Skipped (not voted on)");
pub const IMPORT_ROW: Tr = Tr::new("Dòng", "Row");
pub const IMPORT_NOW: Tr = Tr::new("Đang có", "Now");
pub const IMPORT_APPLY: Tr = Tr::new("Áp dụng", "Apply");
pub const IMPORT_NOTHING: Tr = Tr::new("Không có dòng nào nhập được.", "No row can be imported.");
pub const WITH_LOG: Tr = Tr::new(
    "Biên bản kèm nhật ký nhập liệu",
    "Minutes with the audit log",
);
pub const AUDIT_LOG: Tr = Tr::new("Nhật ký nhập liệu", "Audit log");
pub const AUDIT_EMPTY: Tr = Tr::new("(chưa có mục nào)", "(no entries yet)");
pub const AUDIT_TIME: Tr = Tr::new("Thời điểm (giờ VN)", "Time (Vietnam)");
pub const AUDIT_BY: Tr = Tr::new("Người thao tác", "Operator");
pub const AUDIT_WHAT: Tr = Tr::new("Nội dung", "What");
pub const NO_SESSION: Tr = Tr::new("Chưa mở phiên nào", "No session is open");
pub const NO_CADRE_ON_BALLOT: Tr = Tr::new(
    "Không in phiếu: chưa có cán bộ nào để lấy phiếu",
    "Ballots not written: no cadre to vote on",
);
pub const SIGN_TITLE: Tr = Tr::new("Ký số biên bản", "Sign the minutes");
pub const SIGN_FOR: Tr = Tr::new("Ký vào ô của", "Sign in the block of");
pub const SIGN_ON_BEHALF: Tr = Tr::new(
    "Ký thay: lý do (chỉ khi chữ ký số không phải của người này)",
    "Signing for them: why (only when the certificate is not this person's)",
);
pub const SIGN_ON_BEHALF_HINT: Tr = Tr::new(
    "Chữ ký số phải đúng là của người có tên in dưới ô ký. Ký thay người khác thì ghi rõ lý do: lý do được ghi vào chữ ký và hiện khi kiểm tra.",
    "The certificate must be that of the person printed under the block. To sign for someone else, say why: it is written into the signature and shown by verify.",
);
pub const START_SUMMARY: Tr = Tr::new(
    "Tổng hợp nhiều đơn vị (cấp trên)",
    "Summarise many units (superior body)",
);
pub const START_SUMMARY_BUTTON: Tr = Tr::new("Tổng hợp…", "Summary…");
pub const START_SUMMARY_WHY: Tr = Tr::new(
    "Đọc thư mục tệp phiên (và biên bản, tệp zip) của các đơn vị, kiểm tra từng tệp, lập báo cáo tổng hợp.",
    "Read a folder of the units' session files (and minutes, zip files), check each, make the summary report.",
);
pub const SUMMARY_TITLE: Tr = Tr::new("Tổng hợp nhiều đơn vị", "Summary of many units");
pub const SUMMARY_BACK: Tr = Tr::new("← Màn hình đầu", "← Start screen");
pub const SUMMARY_PICK: Tr = Tr::new("Chọn thư mục…", "Choose a folder…");
pub const SUMMARY_DRAFTS: Tr = Tr::new(
    "Tính cả phiên chưa chốt (ghi BẢN NHÁP)",
    "Count sessions not finalised too (marked DRAFT)",
);
pub const SUMMARY_READING: Tr = Tr::new("Đang đọc và kiểm tra…", "Reading and checking…");
pub const SUMMARY_HOW: Tr = Tr::new(
    "Chọn thư mục chứa tệp phiên của các đơn vị; biên bản đã ký và tệp nén (zip) trong đó cũng được đọc. Không tệp nào bị ghi đè hay sửa.",
    "Choose the folder of the units' session files; signed minutes and zip files in it are read too. No file is written or changed.",
);
pub const SUMMARY_COMPILER: Tr = Tr::new("Người tổng hợp", "Compiled by");
pub const SUMMARY_BODY: Tr = Tr::new("Cơ quan tổng hợp", "Compiling body");
pub const SUMMARY_PDF: Tr = Tr::new("Xuất báo cáo PDF…", "Export PDF report…");
pub const SUMMARY_XLSX: Tr = Tr::new("Xuất Excel…", "Export Excel…");
pub const SUMMARY_JSON: Tr = Tr::new("Xuất JSON…", "Export JSON…");
pub const SUMMARY_FILES: Tr = Tr::new("Tệp", "Files");
pub const SUMMARY_UNITS: Tr = Tr::new("Đơn vị", "Units");
pub const SUMMARY_CADRES: Tr = Tr::new("Cán bộ", "Cadres");
pub const SUMMARY_FILTER: Tr = Tr::new("Lọc", "Filter");
pub const SUMMARY_SORT: Tr = Tr::new("Xếp theo", "Sort by");
pub const SUMMARY_SORT_READ: Tr = Tr::new("thứ tự đọc", "order read");
pub const SUMMARY_SORT_NAME: Tr = Tr::new("họ tên", "name");
pub const SUMMARY_SORT_LOW: Tr = Tr::new("tín nhiệm thấp giảm dần", "low share, highest first");
pub const SUMMARY_SORT_HIGH: Tr = Tr::new("tín nhiệm cao giảm dần", "high share, highest first");
pub const SUMMARY_COL_FILE: Tr = Tr::new("Tệp", "File");
pub const SUMMARY_COL_STATUS: Tr = Tr::new("Tình trạng", "Status");
pub const SUMMARY_COL_REASON: Tr = Tr::new("Lý do", "Reason");
pub const SUMMARY_COL_UNIT: Tr = Tr::new("Đơn vị", "Unit");
pub const SUMMARY_COL_DATE: Tr = Tr::new("Ngày", "Date");
pub const SUMMARY_COL_RATED: Tr = Tr::new("Cán bộ", "Cadres");
pub const SUMMARY_COL_HIGH_HALF: Tr = Tr::new("Cao > 1/2", "High > 1/2");
pub const SUMMARY_COL_BAND_A: Tr = Tr::new("1/2–2/3 thấp", "1/2–2/3 low");
pub const SUMMARY_COL_BAND_B: Tr = Tr::new("≥ 2/3 thấp", "≥ 2/3 low");
pub const SUMMARY_COL_NAME: Tr = Tr::new("Họ và tên", "Name");
pub const SUMMARY_COL_POSITION: Tr = Tr::new("Chức vụ", "Position");
pub const SUMMARY_COL_BASE: Tr = Tr::new("Cơ sở", "Base");
pub const SUMMARY_COL_HIGH: Tr = Tr::new("Cao", "High");
pub const SUMMARY_COL_MEDIUM: Tr = Tr::new("Tín nhiệm", "Medium");
pub const SUMMARY_COL_LOW: Tr = Tr::new("Thấp", "Low");
pub const SUMMARY_BAR: Tr = Tr::new(
    "Xanh: không thuộc mức nào; cam: trên 1/2 đến dưới 2/3 tín nhiệm thấp; đỏ: từ 2/3 tín nhiệm thấp",
    "Green: in no band; orange: over 1/2 to under 2/3 low; red: 2/3 low or more",
);
pub const SUMMARY_HISTORY: Tr = Tr::new("Qua các lần", "Across votes");
pub const SUMMARY_HISTORY_NONE: Tr = Tr::new(
    "Chưa có cán bộ nào được lấy phiếu từ hai lần trở lên trong các tệp đã đọc",
    "No cadre was rated in two votes or more in the files read",
);
pub const SUMMARY_BAND_CHANGED: Tr = Tr::new("đổi mức", "band changed");
pub const SUMMARY_COL_BAND: Tr = Tr::new("Mức", "Band");
pub const SIGN_IMAGE: Tr = Tr::new("Ảnh chữ ký tay", "Handwritten signature image");
pub const SEAL_IMAGE: Tr = Tr::new("Ảnh con dấu", "Seal image");
pub const IMAGE_KEPT: Tr = Tr::new("đã có", "kept");
pub const IMAGE_NONE: Tr = Tr::new(
    "chưa có (chữ ký hiện bằng chữ)",
    "none (the signature shows as words)",
);
pub const IMAGE_NONE_SEAL: Tr = Tr::new("chưa có (không vẽ con dấu)", "none (no seal is drawn)");
pub const IMAGE_PICK: Tr = Tr::new("Chọn ảnh PNG…", "Choose a PNG…");
pub const IMAGE_FORGET: Tr = Tr::new("Bỏ ảnh", "Forget");
pub const IMAGE_HINT: Tr = Tr::new(
    "Ảnh PNG nền trong suốt (chữ ký màu xanh, con dấu màu đỏ đúng cỡ thật), chọn một lần và lưu trên máy này, không lưu vào tệp phiên. Ảnh chữ ký được vẽ khi chữ ký số mang tên người này; ảnh con dấu khi chữ ký số ghi tên cơ quan này.",
    "A PNG with a transparent background (a blue signature, a red seal at real size), chosen once and kept on this computer, never in the session file. The signature is drawn when the certificate names this person; the seal when it names this organisation.",
);
pub const FILTER_PNG: Tr = Tr::new("Ảnh PNG", "PNG image");
pub const SIGN_TEXT: Tr = Tr::new(
    "Chọn USB ký số hoặc tệp chữ ký số trên máy, rồi nhập mã PIN hoặc mật khẩu. Mã PIN và mật khẩu không được lưu hay ghi vào nhật ký.",
    "Choose a USB signing key or a signature file on this computer, then type its PIN or password. Neither is stored or logged.",
);
pub const SIGN_PICK: Tr = Tr::new("Chọn tệp chữ ký số…", "Choose the signature file…");
pub const SIGN_FILE_HOVER: Tr = Tr::new(
    "Tệp chứng thư số (.p12 hoặc .pfx) mà nhà cung cấp chữ ký số cấp, có mật khẩu riêng",
    "The certificate file (.p12 or .pfx) the signature provider issued, with its own password",
);
pub const SIGN_NO_FILE: Tr = Tr::new("(chưa chọn tệp)", "(no file chosen)");
pub const SIGN_PASSWORD: Tr = Tr::new(
    "Mật khẩu của tệp chữ ký số",
    "The signature file's password",
);
pub const SIGN_TOKEN: Tr = Tr::new("USB ký số", "USB signing key");
pub const SIGN_TOKEN_KIND_HOVER: Tr = Tr::new(
    "Thiết bị cắm cổng USB chứa chữ ký số (thường gọi là USB token), có mã PIN",
    "The USB device holding the signature (a \"USB token\"), with its PIN",
);
pub const SIGN_FILE: Tr = Tr::new("Tệp chữ ký số trên máy", "Signature file on this computer");
pub const SIGN_PIN: Tr = Tr::new("Mã PIN của USB ký số", "The USB key's PIN");
pub const SIGN_PICK_MODULE: Tr = Tr::new(
    "Tự chọn phần mềm của USB ký số…",
    "Choose the USB key's software yourself…",
);
pub const SIGN_PICK_MODULE_HOVER: Tr = Tr::new(
    "Khi thiết bị ký số của bạn không có trong danh sách: chọn tệp thư viện PKCS#11 (.dll trên Windows, .so trên Linux) mà phần mềm của nhà cung cấp đã cài. Ứng dụng nhớ tệp đã chọn cho lần sau.",
    "When your token is not listed: choose the PKCS#11 library file (.dll on Windows, .so on Linux) its provider's software installed. The app remembers it for next time.",
);
pub const SIGN_RELIST: Tr = Tr::new("Tìm lại USB ký số", "Look for USB keys again");
pub const SIGN_NO_LIBRARY: Tr = Tr::new(
    "Không tìm thấy phần mềm của USB ký số trên máy này. Hãy cài phần mềm của nhà cung cấp chữ ký số (VNPT-CA, Viettel-CA, BKAV-CA, FPT-CA, Ban Cơ yếu Chính phủ…), cắm USB ký số rồi bấm “Tìm lại USB ký số”.",
    "No USB signing key software was found on this computer. Install your signature provider's software (VNPT-CA, Viettel-CA, BKAV-CA, FPT-CA, the Government Cipher Committee…), plug the key in, then press “Look for USB keys again”.",
);
pub const SIGN_FOUND: Tr = Tr::new(
    "Phần mềm USB ký số trên máy:",
    "USB signing key software on this computer:",
);
pub const SIGN_ISSUED_BY: Tr = Tr::new("cấp bởi", "issued by");
pub const SIGN_VALID_UNTIL: Tr = Tr::new("còn hạn đến", "valid until");
pub const SIGN_EXPIRED: Tr = Tr::new("đã hết hạn ngày", "expired on");
pub const SIGN_TOKEN_HOVER: Tr = Tr::new("Thiết bị", "Token");
pub const DOING_SIGN: Tr = Tr::new("Đang ký…", "Signing…");
pub const DOING_TOKENS: Tr = Tr::new("Đang đọc USB ký số…", "Reading the USB signing keys…");
pub const SEAL_STALE: Tr = Tr::new(
    "Chưa chốt: phiên đã thay đổi trong lúc ký. Hãy chốt lại.",
    "Not finalised: the session changed while the seal was being signed. Finalise again.",
);
pub const JOB_FAILED: Tr = Tr::new(
    "Công việc đang làm bị dừng đột ngột; không có tệp nào được ghi",
    "The job stopped unexpectedly; no file was written",
);

/// "Đang chờ lưu X: …" while another program holds the archive's lock.
#[must_use]
pub fn doing_wait_lock(lang: Lang, path: &str) -> String {
    match lang {
        Lang::Vi => format!("Đang chờ lưu {path}: một chương trình khác đang ghi tệp này…"),
        Lang::En => format!("Waiting to save {path}: another program is writing it…"),
    }
}

/// The refusal of a command that would replace the session while a job runs on it.
#[must_use]
pub fn busy_refused(lang: Lang, doing: &str) -> String {
    match lang {
        Lang::Vi => format!("Chưa làm được: ứng dụng còn bận ({doing}). Hãy chờ xong rồi thử lại."),
        Lang::En => format!("Not now: the app is busy ({doing}). Try again when it is done."),
    }
}
pub const SIGN_CHOOSE_KEY: Tr = Tr::new(
    "Chọn chữ ký số để ký:",
    "Choose the signature to sign with:",
);
pub const SIGN_NO_CERT: Tr = Tr::new(
    "Không thấy chữ ký số nào: hãy cắm USB ký số rồi bấm “Tìm lại USB ký số”.",
    "No signature found: plug the USB key in, then press “Look for USB keys again”.",
);
pub const SIGN_SEAL: Tr = Tr::new(
    "Ký số khi chốt, để chứng minh ai đã chốt (tùy chọn)",
    "Sign when finalising, to prove who finalised (optional)",
);
pub const SIGN_SEAL_HELP: Tr = Tr::new(
    "Có chữ ký số, tệp chứng minh được ai đã chốt kết quả; không ký thì tệp chỉ cho biết số liệu còn nguyên vẹn.",
    "Signed, the file proves who finalised the results; unsigned, it only shows the figures are intact.",
);
pub const SIGN_CONFIRM: Tr = Tr::new("Ký và lưu…", "Sign and save…");
pub const SIGN_REASON: Tr = Tr::new("Ký biên bản kiểm phiếu", "Signing the minutes of the count");

/// "12 mục" / "12 entries".
#[must_use]
pub fn audit_count(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Vi => format!("{n} mục, cũ trước, mới sau"),
        Lang::En => format!("{n} entries, oldest first"),
    }
}

// Counting teams (issue 6).
pub const TEAM: Tr = Tr::new(
    "Tổ kiểm phiếu (nếu tổ kiểm riêng)",
    "Counting team (if counted apart)",
);
pub const TEAM_HELP: Tr = Tr::new(
    "Khi số phiếu được chia cho nhiều tổ, mỗi tổ nhập phần của mình trong một tệp riêng có ghi tên tổ; sau đó gộp ở Tệp → Gộp kết quả các tổ kiểm phiếu…",
    "When the sheets are split among teams, each team enters its share in its own file with the team's name; then merge them with File → Merge counting teams…",
);

// Counting: ballot by ballot, double entry, presentation (issue 6).
pub const SCREEN_BALLOT: Tr = Tr::new("Nhập từng phiếu", "Ballot by ballot");
pub const SCREEN_PRESENT: Tr = Tr::new("Trình chiếu", "Present");
pub const BALLOT_TITLE: Tr = Tr::new("Nhập từng phiếu", "Ballot by ballot");
/// What each key of the ballot screen does, as its help line says it (the keys themselves are
/// in the screen's one table, `src/app/ballot.rs`).
#[must_use]
pub fn ballot_key_action(lang: Lang, key: crate::counting::BallotKey) -> &'static str {
    use crate::counting::{BallotKey, Mark};
    let (vi, en) = match key {
        BallotKey::Mark(Mark::High) => ("tín nhiệm cao", "high"),
        BallotKey::Mark(Mark::Medium) => ("tín nhiệm", "confidence"),
        BallotKey::Mark(Mark::Low) => ("tín nhiệm thấp", "low"),
        BallotKey::Mark(Mark::Invalid) => ("dòng không hợp lệ", "invalid line"),
        BallotKey::Void => ("cả tờ không hợp lệ", "whole sheet void"),
        BallotKey::Confirm => ("xác nhận tờ", "confirm the sheet"),
        BallotKey::Undo => ("lấy lại tờ", "take back a sheet"),
        BallotKey::Up | BallotKey::Down => ("chọn dòng", "move between lines"),
    };
    Tr::new(vi, en).get(lang)
}
pub const BALLOT_CLICK_LINE: Tr = Tr::new("bấm vào dòng để sửa", "click a line to correct it");
pub const BALLOT_HAS_COUNTS: Tr = Tr::new(
    "Nhóm phiếu này đã có số liệu. Bắt đầu đếm mới từ 0? Khi xác nhận phiếu đầu tiên, số liệu hiện có (câu hỏi chung, các tiêu chí) và số phiếu không hợp lệ sẽ được thay (có thể hoàn tác bằng Ctrl+Z).",
    "This ballot group already has counts. Start a fresh count from zero? When the first ballot is confirmed, the counts (overall question, criteria) and void sheets are replaced (Ctrl+Z undoes it).",
);
pub const BALLOT_FRESH: Tr = Tr::new("Đếm mới từ 0", "Fresh count from zero");
pub const BALLOT_BACK: Tr = Tr::new("Quay lại bảng nhập số liệu", "Back to the grid");
pub const BALLOT_CONFIRM: Tr = Tr::new("Xác nhận phiếu", "Confirm ballot");
pub const BALLOT_END_EARLY_OPEN: Tr = Tr::new("Kết thúc đếm sớm…", "End the count early…");
pub const BALLOT_END_REASON: Tr = Tr::new("Lý do kết thúc đếm sớm", "Why the count ends early");
pub const END_COUNT_BUTTON: Tr = Tr::new("Kết thúc đếm…", "End the count…");
pub const BALLOT_END_EARLY: Tr = Tr::new(
    "Kết thúc đếm sớm (sau đó nhập số liệu theo giấy)",
    "End the count early (then type the figures from the paper)",
);

/// The button that ends a complete count.
#[must_use]
pub fn ballot_end(lang: Lang, sheets: u32) -> String {
    match lang {
        Lang::Vi => format!("Đã đếm đủ {sheets} tờ: kết thúc đếm"),
        Lang::En => format!("All {sheets} sheets counted: end the count"),
    }
}

pub const BALLOT_VOID: Tr = Tr::new("Cả tờ không hợp lệ", "Void sheet");

/// The warning over a sheet marked void, with the keys that confirm and unmark it.
#[must_use]
pub fn ballot_void_marked(lang: Lang, confirm: &str, void: &str) -> String {
    match lang {
        Lang::Vi => {
            format!("TỜ PHIẾU NÀY KHÔNG HỢP LỆ — {confirm} để xác nhận, {void} để bỏ đánh dấu")
        }
        Lang::En => format!("THIS SHEET IS VOID — {confirm} to confirm, {void} to unmark"),
    }
}

pub const BALLOT_UNDO: Tr = Tr::new("Lấy lại phiếu vừa xác nhận", "Take back the last ballot");

/// Said once every collected sheet is counted, and after the count ends: the totals are in
/// the session (the grid, the results, the recovery copy) since each sheet's Enter.
#[must_use]
pub fn ballot_saved(lang: Lang, sheets: u32, valid: u32, void: u32) -> String {
    match lang {
        Lang::Vi => {
            format!("Đã lưu số liệu đếm: {sheets} tờ ({valid} hợp lệ, {void} không hợp lệ)")
        }
        Lang::En => format!("Count saved: {sheets} sheets ({valid} valid, {void} void)"),
    }
}

pub const BALLOT_SAVED_NOTE: Tr = Tr::new(
    "Đủ số phiếu thu về. Số liệu đã ở bảng nhập số liệu và kết quả; nhớ lưu tệp (Ctrl+S).",
    "Every collected sheet is counted. The figures are in the grid and the results; remember to save the file (Ctrl+S).",
);
pub const BALLOT_ENDED: Tr = Tr::new(
    "Đã kết thúc đếm từng phiếu (ghi vào nhật ký).",
    "The ballot-by-ballot count has ended (logged).",
);
pub const BALLOT_ENDED_EARLY: Tr = Tr::new(
    "Đã kết thúc đếm sớm (ghi vào nhật ký, kèm lý do): nhập số liệu theo giấy ở bảng nhập số liệu.",
    "The count ended early (logged, with the reason): type the figures from the paper in the grid.",
);
pub const BALLOT_SEE_RESULTS: Tr = Tr::new("Xem kết quả", "See the results");
pub const BALLOT_RECOUNT: Tr = Tr::new("Đếm lại từ 0", "Count again from zero");
pub const BALLOT_RECOUNT_NOTE: Tr = Tr::new(
    "Đếm lại từ 0: số liệu đã lưu chỉ bị thay khi xác nhận tờ phiếu đầu tiên (hoàn tác được bằng Ctrl+Z).",
    "Count again from zero: the saved figures are replaced only when the first sheet is confirmed (Ctrl+Z undoes it).",
);
pub const BALLOT_NO_UNDO: Tr = Tr::new(
    "Không còn phiếu nào để lấy lại (chỉ giữ 20 phiếu gần nhất, để bảo đảm bí mật).",
    "No ballot left to take back (only the last 20 are kept, for the secrecy of the vote).",
);
pub const BALLOT_THIS: Tr = Tr::new("Phiếu đang đọc", "This ballot");
pub const BALLOT_INVALID: Tr = Tr::new("Không hợp lệ", "Invalid");
/// The overall line of a cadre whose ballot also asks criteria.
pub const BALLOT_OVERALL_LINE: Tr = Tr::new("đánh giá chung", "overall");
pub const BALLOT_CHANGED: Tr = Tr::new(
    "Danh sách cán bộ hoặc tiêu chí của nhóm đã thay đổi (thêm, bớt, đổi thứ tự, không lấy phiếu) từ khi bắt đầu đếm: các dòng trên màn hình không còn khớp phiếu in. Hãy đếm mới từ 0, hoặc quay lại bảng nhập số liệu.",
    "The group's cadres or criteria changed (added, removed, reordered, exempted) since the count began: the lines on screen no longer match the printed ballot. Start a fresh count from zero, or go back to the grid.",
);
pub const BALLOT_OUT_OF_SYNC: Tr = Tr::new(
    "Số liệu của nhóm đã bị thay đổi ngoài màn hình này (bảng nhập, hoàn tác). Hãy đếm mới từ 0, hoặc quay lại bảng nhập số liệu.",
    "The group's counts were changed outside this screen (grid, undo). Start a fresh count from zero, or go back to the grid.",
);
pub const BALLOT_LOCKED: Tr = Tr::new(
    "Ở bước này không nhập số liệu được.",
    "Counts cannot be entered at this stage.",
);
pub const BALLOT_NO_CADRES: Tr = Tr::new(
    "Nhóm phiếu chưa có cán bộ nào được lấy phiếu.",
    "The ballot group has no cadre on the ballot.",
);

/// "Phiếu thứ 12".
#[must_use]
pub fn ballot_number(lang: Lang, n: u32) -> String {
    match lang {
        Lang::Vi => format!("Phiếu thứ {n}"),
        Lang::En => format!("Ballot {n}"),
    }
}

/// The sheets entered so far: "Đã nhập 12 tờ (11 hợp lệ, 1 không hợp lệ)".
#[must_use]
pub fn sheets_entered(lang: Lang, total: u32, valid: u32, void: u32) -> String {
    match lang {
        Lang::Vi => format!("Đã nhập {total} tờ ({valid} hợp lệ, {void} không hợp lệ)"),
        Lang::En => format!("{total} sheets entered ({valid} valid, {void} void)"),
    }
}

/// Reconciliation against the ballots collected: `Ok` text, or `Err` text for too many.
///
/// # Errors
///
/// The text to show as a finding when more sheets are entered than were collected.
pub fn sheets_left(lang: Lang, entered: u32, collected: Option<u32>) -> Result<String, String> {
    match (collected, lang) {
        (None, Lang::Vi) => Ok("chưa nhập số phiếu thu về".to_owned()),
        (None, Lang::En) => Ok("ballots collected not entered".to_owned()),
        (Some(c), Lang::Vi) if entered <= c => Ok(format!("thu về {c}, còn {} phiếu", c - entered)),
        (Some(c), Lang::En) if entered <= c => Ok(format!("{c} collected, {} left", c - entered)),
        (Some(c), Lang::Vi) => Err(format!(
            "Nhiều hơn số phiếu thu về ({c}): thừa {} tờ",
            entered - c
        )),
        (Some(c), Lang::En) => Err(format!(
            "More sheets than ballots collected ({c}): {} too many",
            entered - c
        )),
    }
}

pub const DOUBLE_ENTRY_SETTING: Tr = Tr::new(
    "Nhập hai lần độc lập (hai người nhập, đối chiếu) trước khi chốt kết quả",
    "Blind double entry (two operators, compared) before the results are final",
);
pub const SCAN_FORM_SETTING: Tr = Tr::new("Đếm bằng máy quét", "Counted by scanner");
pub const SCAN_FORM_HINT: Tr = Tr::new(
    "Phiếu của nhóm được in để máy quét đọc: ô vuông để đánh dấu, ô đen ở bốn góc và mã QR. Mọi bản phiếu của nhóm giống hệt nhau: mã QR chỉ ghi mẫu phiếu, không ghi số thứ tự phiếu, để giữ bí mật bỏ phiếu.",
    "The group's ballots are printed for a scanner to read: square boxes for the marks, black squares in the corners and a QR code. Every copy of the group's ballot is identical: the QR code names the form, never the copy, so the vote stays secret.",
);
pub const STAGE_FIRST: Tr = Tr::new("Lần nhập 1", "First entry");
pub const STAGE_SECOND: Tr = Tr::new("Lần nhập 2", "Second entry");
pub const STAGE_DIFFERENCES: Tr = Tr::new("Chênh lệch", "Differences");
pub const STAGE_AGREED: Tr = Tr::new("Đã thống nhất", "Agreed");
pub const FINISH_FIRST: Tr = Tr::new("Xong lần nhập thứ nhất", "First entry done");
pub const FINISH_ENTRY_ASK: Tr = Tr::new(
    "Kết thúc lần nhập này? Số liệu vừa nhập sẽ được ẩn để đối chiếu, không sửa được nữa.",
    "End this entry? Its figures are then hidden for the comparison and can no longer be changed.",
);
pub const FINISH_ENTRY_YES: Tr = Tr::new("Đồng ý, kết thúc lần nhập", "Yes, end the entry");
pub const FINISH_SECOND: Tr = Tr::new("Xong lần nhập thứ hai", "Second entry done");
pub const SETTLE: Tr = Tr::new("Thống nhất", "Settle");
pub const REOPEN_ENTRY: Tr = Tr::new("Nhập lại", "Re-enter");
pub const ENTRY_REOPEN_REASON: Tr = Tr::new("Lý do nhập lại", "Reason to re-enter");
pub const FIRST_HIDDEN: Tr = Tr::new(
    "Số liệu lần nhập 1 được ẩn; người thứ hai nhập lại cùng các phiếu.",
    "The first entry is hidden; a second operator enters the same ballots.",
);
pub const CHOSEN: Tr = Tr::new("Đã thống nhất", "Settled");
pub const DIFFERING_CELL: Tr = Tr::new("Ô chênh lệch", "Differing cell");

/// Who made each entry, above the differences: "Lần 1: Nguyễn Văn A · Lần 2: Trần Thị B".
#[must_use]
pub fn entries_by(lang: Lang, first: &str, second: &str) -> String {
    match lang {
        Lang::Vi => format!("Lần 1: {first} · Lần 2: {second}"),
        Lang::En => format!("Entry 1: {first} · Entry 2: {second}"),
    }
}
pub const CHOOSE: Tr = Tr::new("Chọn", "Choose");
pub const OTHER_VALUE: Tr = Tr::new("Số khác", "Other value");
pub const PRESENT_EXIT: Tr = Tr::new(
    "Esc: thoát trình chiếu · ← →: nhóm phiếu · T: nền sáng/tối",
    "Esc: leave the presentation · ← →: ballot group · T: light/dark",
);
pub const PRESENT_DRAFT: Tr = Tr::new(
    "Kết quả chưa chốt (chưa niêm phong)",
    "Results not final (not sealed)",
);

/// "Lần 1 do Nguyễn Văn A nhập (đang ẩn)".
#[must_use]
pub fn first_by(lang: Lang, by: &str) -> String {
    match lang {
        Lang::Vi => format!("lần 1 do {by} nhập (đang ẩn)"),
        Lang::En => format!("first entry by {by} (hidden)"),
    }
}

/// "3 ô chênh lệch, còn 1 ô chưa thống nhất".
#[must_use]
pub fn differences_count(lang: Lang, cells: usize, open: usize) -> String {
    match lang {
        Lang::Vi => format!("{cells} ô chênh lệch, còn {open} ô chưa thống nhất"),
        Lang::En => format!("{cells} differing cells, {open} not settled"),
    }
}

/// The button that settles a cell on one entry's value: "Lấy lần 1: 5".
#[must_use]
pub fn take_value(lang: Lang, entry: u8, value: u32) -> String {
    match lang {
        Lang::Vi => format!("Lấy lần {entry}: {value}"),
        Lang::En => format!("Take entry {entry}: {value}"),
    }
}

// tinnhiem's own file dialog (where the system's cannot open) and the notice after a save.
pub const FD_FOLDER: Tr = Tr::new("Thư mục", "Folder");
pub const FD_UP: Tr = Tr::new("Lên thư mục trên", "Up one folder");
pub const FD_NAME: Tr = Tr::new("Tên tệp", "File name");
pub const FD_SAVE: Tr = Tr::new("Lưu", "Save");
pub const FD_OPEN: Tr = Tr::new("Mở", "Open");
pub const FD_EMPTY: Tr = Tr::new("(Thư mục không có tệp phù hợp)", "(No matching file here)");
pub const FD_UNREADABLE: Tr = Tr::new("Không đọc được thư mục", "Cannot read the folder");
pub const FD_OVERWRITE_YES: Tr = Tr::new("Ghi đè", "Replace it");
/// The names of the kinds of file the file dialogs offer (their filters).
pub const FILTER_SESSION: Tr = Tr::new("Tệp phiên kiểm phiếu", "Vote session file");
pub const FILTER_SIGNATURE: Tr = Tr::new("Tệp chữ ký số", "Signature file");
pub const FILTER_KEY_SOFTWARE: Tr = Tr::new("Phần mềm USB ký số", "USB signing key software");
pub const FD_SYSTEM_FAILED: Tr = Tr::new(
    "Không mở được hộp thoại chọn tệp của hệ thống; dùng hộp thoại của tinnhiem.",
    "The system's file dialog could not open; using tinnhiem's own.",
);

/// "Tệp … đã có. Ghi đè?"
#[must_use]
pub fn fd_overwrite(lang: Lang, path: &str) -> String {
    match lang {
        Lang::Vi => format!("Tệp {path} đã có. Ghi đè lên tệp này?"),
        Lang::En => format!("{path} already exists. Replace it?"),
    }
}

/// "Đã lưu tại …"
#[must_use]
pub fn saved_at(lang: Lang, path: &str) -> String {
    match lang {
        Lang::Vi => format!("Đã lưu tại {path}"),
        Lang::En => format!("Saved at {path}"),
    }
}

/// The menu's word before printing the ballots: "Sẽ in 16 trang A4: …".
#[must_use]
pub fn ballots_will_print(lang: Lang, summary: &str) -> String {
    match lang {
        Lang::Vi => format!("Sẽ in {summary}"),
        Lang::En => format!("Will print {summary}"),
    }
}

pub const SAVED_OPEN: Tr = Tr::new("Mở tệp", "Open the file");
pub const SAVED_FOLDER: Tr = Tr::new("Mở thư mục", "Open the folder");
pub const SAVED_PRINT: Tr = Tr::new("In", "Print");
pub const SAVED_CLOSE: Tr = Tr::new("Đóng thông báo", "Dismiss");

/// The file was written but no program opened it (none installed for its kind, or the
/// system's opener is missing): where it is, to open it by hand.
#[must_use]
pub fn viewer_failed(lang: Lang, path: &str, folder: bool) -> String {
    match (lang, folder) {
        (Lang::Vi, false) => format!(
            "Đã lưu tại {path}. Máy chưa có chương trình mở được loại tệp này: hãy tự mở tệp đó bằng chương trình khác (trình duyệt web cũng đọc được PDF)."
        ),
        (Lang::En, false) => format!(
            "Saved at {path}. No program on this computer opens this kind of file: open it yourself with another program (a web browser reads PDF too)."
        ),
        (Lang::Vi, true) => {
            format!("Không mở được thư mục {path} bằng chương trình của máy: hãy tự mở thư mục đó.")
        }
        (Lang::En, true) => {
            format!("The folder {path} could not be opened by this computer: open it yourself.")
        }
    }
}

pub const PRINT_FAILED: Tr = Tr::new(
    "Không in được: máy chưa có máy in mặc định, hoặc chưa cài phần mềm in. Hãy mở tệp rồi in từ chương trình xem.",
    "Could not print: there is no default printer, or no printing software. Open the file and print it from its viewer.",
);

pub const THEME_LIGHT: Tr = Tr::new("Sáng", "Light");
pub const THEME_DARK: Tr = Tr::new("Tối", "Dark");
pub const THEME_SYSTEM: Tr = Tr::new("Theo hệ thống", "As the system");
pub const THEME: Tr = Tr::new("Giao diện", "Theme");
pub const MENU_VIEW: Tr = Tr::new("Xem", "View");
pub const MENU_HELP: Tr = Tr::new("Trợ giúp", "Help");
pub const HELP_GUIDE: Tr = Tr::new("Hướng dẫn sử dụng", "User guide");

/// The user guide could not be written where the app keeps its files.
#[must_use]
pub fn guide_failed(lang: Lang, path: &str, why: &str) -> String {
    match lang {
        Lang::Vi => format!(
            "Không mở được hướng dẫn sử dụng: không ghi được tệp {path} ({why}). Bản in sẵn Huong-dan-su-dung.pdf nằm trong thư mục cài đặt tinnhiem."
        ),
        Lang::En => format!(
            "The user guide could not be opened: the file {path} could not be written ({why}). A copy, Huong-dan-su-dung.pdf, is in tinnhiem's installation folder."
        ),
    }
}

pub const CHART_VOTES: Tr = Tr::new("Số phiếu", "Votes");

/// The name of the chart's dashed line at `fraction` ("1/2", "2/3") of the figure the shares
/// are taken over: "2/3 số phiếu thu về" (the figure itself is on the axis).
#[must_use]
pub fn chart_line(lang: Lang, fraction: &str, base: Tr) -> String {
    match lang {
        Lang::Vi => format!("{fraction} {}", base.get(lang)),
        Lang::En => format!("{fraction} of the {}", base.get(lang)),
    }
}

/// "nhóm 1/2" in the presentation's title.
#[must_use]
pub fn group_of(lang: Lang, k: usize, n: usize) -> String {
    match lang {
        Lang::Vi => format!("nhóm {k}/{n}, ← → để chuyển"),
        Lang::En => format!("group {k}/{n}, ← → to page"),
    }
}

/// A save refused because the name completed with its extension is an existing file.
#[must_use]
pub fn fd_overwrite_refused(lang: Lang, path: &str) -> String {
    match lang {
        Lang::Vi => format!("Không ghi: tệp {path} đã có. Hãy chọn tên khác."),
        Lang::En => format!("Not written: {path} already exists. Choose another name."),
    }
}

// Text fields, the file dialog and the recovery copy (issue 21 §2 and §4).
pub const FD_READING: Tr = Tr::new("Đang đọc thư mục…", "Reading the folder…");

// The scan screen ("Quét phiếu", issue 23 §3).

pub const SCREEN_SCAN: Tr = Tr::new("Quét phiếu", "Scanned ballots");
pub const SCAN_PICK_FILES: Tr = Tr::new("Đọc tệp quét…", "Read scanned files…");
pub const SCAN_PICK_FOLDER: Tr = Tr::new("Đọc cả thư mục…", "Read a whole folder…");
pub const SCAN_WATCH: Tr = Tr::new("Theo dõi thư mục máy quét…", "Watch the scanner's folder…");
pub const SCAN_WATCH_STOP: Tr = Tr::new("Dừng theo dõi", "Stop watching");
pub const SCAN_WATCH_ENDED: Tr =
    Tr::new("Đã dừng theo dõi thư mục:", "Stopped watching the folder:");
pub const SCAN_STOP: Tr = Tr::new("Dừng sau tệp đang đọc", "Stop after this file");
pub const FILTER_SCANS: Tr = Tr::new("Tệp máy quét (PDF, ảnh)", "Scanner files (PDF, images)");
pub const FD_THIS_FOLDER: Tr = Tr::new("Chọn thư mục này", "Choose this folder");
pub const SCAN_NAME_FIRST: Tr = Tr::new(
    "Ghi tên người thao tác trước khi quét: mọi tệp đọc và mọi quyết định được ghi vào nhật ký dưới tên này.",
    "Type the operator's name before scanning: every file read and every decision is logged under it.",
);
pub const SCAN_NOT_SCAN_FORM: Tr = Tr::new(
    "Phiếu của nhóm này không in để máy quét đọc. Bật \"Đếm bằng máy quét\" ở màn hình Thiết lập rồi in lại phiếu.",
    "This group's ballots are not printed for a scanner. Turn on \"Counted by scanner\" on the Setup screen and print the ballots again.",
);
pub const SCAN_WAITING: Tr = Tr::new("Phiếu chờ quyết định", "Sheets waiting for a decision");
pub const SCAN_NONE_WAITING: Tr = Tr::new("Không có phiếu nào chờ.", "No sheet is waiting.");
pub const SCAN_REFUSED: Tr = Tr::new(
    "Trang không đọc (nhập bằng tay ở màn hình Nhập từng phiếu)",
    "Pages not read (enter them on the Ballot by ballot screen)",
);
pub const SCAN_NOTHING_TO_DECIDE: Tr = Tr::new(
    "Không có phiếu nào chờ Ban kiểm phiếu quyết định.",
    "No sheet waits for the counting committee.",
);
pub const SCAN_REVIEW_HELP: Tr = Tr::new(
    "Xem từng dòng chưa rõ trên ảnh quét, đối chiếu tờ phiếu nếu cần, rồi chọn: 1 tín nhiệm cao, 2 tín nhiệm, 3 tín nhiệm thấp, 0 không đánh dấu, X đánh dấu nhiều ô; V cả phiếu không hợp lệ; ↑ ↓ chuyển dòng; Enter đếm phiếu.",
    "Look at each unclear line on the scan, and at the paper if need be, then choose: 1 high confidence, 2 confidence, 3 low confidence, 0 no mark, X several marks; V the whole sheet is void; ↑ ↓ between lines; Enter counts the sheet.",
);
pub const SCAN_LINE: Tr = Tr::new("Dòng", "Line");
pub const SCAN_ROW: Tr = Tr::new("Ảnh dòng trên bản quét", "The line as scanned");
pub const SCAN_ROW_LOADING: Tr = Tr::new("Đang đọc lại ảnh quét…", "Reading the scan again…");
pub const SCAN_ROW_MISSING: Tr = Tr::new(
    "Không hiện được ảnh: tệp quét đã bị chuyển đi hoặc thay đổi. Hãy xem tờ phiếu giấy để quyết định.",
    "The scan cannot be shown: its file moved or changed. Look at the paper sheet to decide.",
);
pub const SCAN_VOID: Tr = Tr::new("V  Cả phiếu không hợp lệ", "V  The whole sheet is void");
pub const SCAN_DROP: Tr = Tr::new("Để riêng, nhập bằng tay", "Set aside, enter by hand");
pub const SCAN_DROP_HELP: Tr = Tr::new(
    "Không đếm tờ này từ bản quét: Ban kiểm phiếu nhập nó ở màn hình Nhập từng phiếu.",
    "Not counted from the scan: the committee enters this sheet on the Ballot by ballot screen.",
);
pub const SCAN_WAIT_FOR_BATCH: Tr = Tr::new(
    "Đang đọc bản quét: quyết định sau khi đọc xong.",
    "Scans are being read: decide once they are done.",
);

/// "Đang theo dõi thư mục …"
#[must_use]
pub fn scan_watching(lang: Lang, folder: &str) -> String {
    match lang {
        Lang::Vi => format!(
            "Đang theo dõi thư mục {folder}: tệp mới được đọc khi máy quét ghi xong cả xấp."
        ),
        Lang::En => {
            format!("Watching {folder}: new files are read once the scanner has written the pile.")
        }
    }
}

/// "Tệp 3/40"
#[must_use]
pub fn scan_files_taken(lang: Lang, taken: usize, total: usize) -> String {
    match lang {
        Lang::Vi => format!("Tệp {taken}/{total}"),
        Lang::En => format!("File {taken} of {total}"),
    }
}

/// A batch's figures in words.
#[must_use]
pub fn scan_figures(lang: Lang, f: super::scan::Figures) -> String {
    let (p, c, w, r) = (f.pages, f.counted, f.waiting, f.refused);
    match lang {
        Lang::Vi => format!(
            "đã đọc {p} trang: đếm {c} phiếu, {w} phiếu chờ quyết định, {r} trang không đọc"
        ),
        Lang::En => format!(
            "{p} pages read: {c} sheets counted, {w} waiting for a decision, {r} pages not read"
        ),
    }
}

/// What this window's batches did.
#[must_use]
pub fn scan_window_figures(lang: Lang, f: super::scan::Figures) -> String {
    match lang {
        Lang::Vi => format!("Từ khi mở cửa sổ: {}", scan_figures(lang, f)),
        Lang::En => format!("Since the window opened: {}", scan_figures(lang, f)),
    }
}

/// The group's figures from scans.
#[must_use]
pub fn scan_group_figures(
    lang: Lang,
    sheets: u32,
    waiting: usize,
    decided: u32,
    counted: u32,
) -> String {
    match lang {
        Lang::Vi => format!(
            "Nhóm này: {sheets} phiếu đếm từ bản quét ({decided} dòng do Ban kiểm phiếu quyết định), {waiting} phiếu chờ quyết định; tổng số phiếu đã đếm: {counted}."
        ),
        Lang::En => format!(
            "This group: {sheets} sheets counted from scans ({decided} lines decided by the counting committee), {waiting} waiting for a decision; sheets counted in all: {counted}."
        ),
    }
}

/// A waiting sheet in the list.
#[must_use]
pub fn scan_waiting_item(lang: Lang, number: u32, file: &str, unclear: usize) -> String {
    match lang {
        Lang::Vi => format!("Số {number} — {file} — {unclear} dòng chưa rõ"),
        Lang::En => format!("No. {number} — {file} — {unclear} unclear lines"),
    }
}

/// "scan.pdf, trang 4"
#[must_use]
pub fn scan_page_of(lang: Lang, file: &str, page: usize) -> String {
    match lang {
        Lang::Vi => format!("{file}, trang {page}"),
        Lang::En => format!("{file}, page {page}"),
    }
}

/// The heading of the sheet being decided.
#[must_use]
pub fn scan_sheet_title(lang: Lang, number: u32, file: &str, pages: &[u32]) -> String {
    let pages = pages
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    match lang {
        Lang::Vi => format!("Phiếu chờ số {number} — {file}, trang {pages}"),
        Lang::En => format!("Waiting sheet {number} — {file}, page {pages}"),
    }
}

/// A line's box scores.
#[must_use]
pub fn scan_scores(lang: Lang, s: [(u16, u16); 3]) -> String {
    let [h, m, l] = s;
    match lang {
        Lang::Vi => format!(
            "Độ phủ mực (‰, đậm/nhạt): cao {}/{} · tín nhiệm {}/{} · thấp {}/{}",
            h.0, h.1, m.0, m.1, l.0, l.1
        ),
        Lang::En => format!(
            "Ink cover (‰, dark/faint): high {}/{} · confidence {}/{} · low {}/{}",
            h.0, h.1, m.0, m.1, l.0, l.1
        ),
    }
}

/// The sheet's confirming button.
#[must_use]
pub fn scan_confirm(lang: Lang, void: bool) -> &'static str {
    match (lang, void) {
        (Lang::Vi, false) => "Enter  Đếm phiếu này",
        (Lang::Vi, true) => "Enter  Đếm là phiếu không hợp lệ",
        (Lang::En, false) => "Enter  Count this sheet",
        (Lang::En, true) => "Enter  Count it as a void sheet",
    }
}

#[cfg(test)]
mod tests {
    /// The words a secretary does not use (file formats, standards, abbreviations, the
    /// software's own names for things), lower case; each has a secretary's word on screen,
    /// and stays only in a hover text (an item named `…_HOVER`) where it must be named.
    const JARGON: [&str; 21] = [
        "pkcs",
        ".dll",
        "readme",
        "token",
        ".p12",
        ".pfx",
        "sha-256",
        ".ron",
        "<tab>",
        "mức a",
        "mức b",
        "band a",
        "band b",
        "độ chắc chắn",
        "cơ sở tính tỉ lệ",
        "khl",
        "tn cao",
        "tn thấp",
        "mã chốt",
        "chứng thư",
        "tìm lại thiết bị",
    ];

    /// The string literals of this file's code (not its comments nor its tests), each with
    /// the item it is in.
    fn literals(src: &str) -> Vec<(String, String)> {
        let code = src.split("#[cfg(test)]").next().unwrap_or(src);
        let mut item = String::new();
        let mut out = Vec::new();
        for line in code.lines() {
            let t = line.trim_start();
            if t.starts_with("//") {
                continue;
            }
            for head in ["pub const ", "pub fn ", "fn "] {
                if let Some(rest) = t.strip_prefix(head) {
                    item = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                }
            }
            let mut chars = t.chars();
            while let Some(c) = chars.next() {
                if c != '"' {
                    continue;
                }
                let mut text = String::new();
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some(n) = chars.next() {
                                text.push(n);
                            }
                        }
                        '"' => break,
                        c => text.push(c),
                    }
                }
                out.push((item.clone(), text));
            }
        }
        out
    }

    /// No screen string says a listed jargon word, in either language, except the hover texts
    /// that explain it.
    #[test]
    fn screen_strings_speak_a_secretarys_words() {
        let all = literals(include_str!("i18n.rs"));
        assert!(all.len() > 300, "the scan reads the strings: {}", all.len());
        assert!(
            all.iter()
                .any(|(item, t)| item == "SIGN_PICK_MODULE_HOVER" && t.contains("PKCS#11")),
            "a hover text may name the term it explains"
        );
        let mut found = Vec::new();
        for (item, text) in &all {
            if item.ends_with("_HOVER") {
                continue;
            }
            let lower = text.to_lowercase();
            for word in JARGON {
                if lower.contains(word) {
                    found.push(format!("{item}: “{word}” in “{text}”"));
                }
            }
        }
        assert!(found.is_empty(), "{}", found.join("\n"));
    }
}
