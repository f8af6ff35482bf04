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
    "Chọn các tệp .ron của từng tổ (mỗi tệp ghi tên tổ ở phần Thiết lập). Kết quả gộp là phiên mới, chưa lưu; các tệp của tổ không bị sửa.",
    "Pick each team's .ron file (each names its team in Setup). The merge is a new, unsaved session; the teams' files are not changed.",
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
    "Phiên: một lần lấy phiếu tín nhiệm tại một hội nghị, lưu trong một tệp .ron (thông tin hội nghị, các nhóm phiếu, số liệu, nhật ký).",
    "Session: one confidence vote at one conference, kept in one .ron file (the conference, its ballot groups, the counts, the log).",
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
    "Dán danh sách từ Excel/Word: mỗi dòng \"Họ tên<Tab>Chức vụ\"",
    "Paste a list from Excel/Word: one \"Name<Tab>Position\" per line",
);
pub const PASTE_ADD: Tr = Tr::new("Thêm các cán bộ trong danh sách", "Add the pasted cadres");

// Entry screen.
pub const NO: Tr = Tr::new("STT", "No.");
pub const INVALID_LINES: Tr = Tr::new("Không hợp lệ", "Invalid");
pub const INVALID_HELP: Tr = Tr::new(
    "KHL: số phiếu không hợp lệ ở dòng của cán bộ này (để trống hoặc đánh nhiều ô), bằng số phiếu hợp lệ trừ ba mức cộng lại",
    "Inv.: votes on this cadre's line that are invalid (left blank or several boxes ticked): the valid sheets less the three levels",
);
pub const INVALID_SHORT: Tr = Tr::new("KHL", "Inv.");
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
pub const BAND: Tr = Tr::new("Mức", "Band");
pub const NO_BAND: Tr = Tr::new("Không thuộc mức nào", "No band");
pub const INCOMPLETE: Tr = Tr::new("Chưa đủ số liệu", "Incomplete");
pub const RESULTS_HAVE_ERRORS: Tr = Tr::new(
    "Còn lỗi trong số liệu: kết quả dưới đây chưa đầy đủ hoặc chưa đúng.",
    "The counts still have errors: the results below are incomplete or wrong.",
);
pub const QUORUM_MET: Tr = Tr::new("Đủ số lượng có mặt", "Quorum met");
pub const QUORUM_NOT_MET: Tr = Tr::new("Không đủ số lượng có mặt", "Quorum not met");
pub const CONSEQUENCE: Tr = Tr::new("Hệ quả", "Consequence");
pub const CITATION: Tr = Tr::new("Căn cứ", "Source");
pub const CERTAINTY: Tr = Tr::new("Độ chắc chắn", "Certainty");
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

/// "Mức A", "Band B": the short band name shown with its colour.
#[must_use]
pub fn band_short(lang: Lang, band: crate::rules::BandId) -> &'static str {
    use crate::rules::BandId;
    match (band, lang) {
        (BandId::BandA, Lang::Vi) => "Mức A",
        (BandId::BandB, Lang::Vi) => "Mức B",
        (BandId::BandA, Lang::En) => "Band A",
        (BandId::BandB, Lang::En) => "Band B",
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

/// The short column heading of a level (the full label is its tooltip).
#[must_use]
pub fn level_short(lang: Lang, level: crate::model::Level) -> &'static str {
    use crate::model::Level;
    match (level, lang) {
        (Level::High, Lang::Vi) => "TN cao",
        (Level::Medium, Lang::Vi) => "Tín nhiệm",
        (Level::Low, Lang::Vi) => "TN thấp",
        (Level::High, Lang::En) => "High",
        (Level::Medium, Lang::En) => "Conf.",
        (Level::Low, Lang::En) => "Low",
    }
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
pub const FINGERPRINT: Tr = Tr::new("Mã kiểm tra (SHA-256)", "Fingerprint (SHA-256)");
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
pub const SIGN_TEXT: Tr = Tr::new(
    "Chọn thiết bị ký số (USB token) hoặc tệp chứng thư số (.p12/.pfx), rồi nhập mã PIN hoặc mật khẩu. Mã PIN và mật khẩu không được lưu hay ghi vào nhật ký.",
    "Choose a USB token or a certificate file (.p12/.pfx), then type its PIN or password. Neither is stored or logged.",
);
pub const SIGN_PICK: Tr = Tr::new("Chọn tệp chứng thư…", "Choose certificate file…");
pub const SIGN_NO_FILE: Tr = Tr::new("(chưa chọn tệp)", "(no file chosen)");
pub const SIGN_PASSWORD: Tr = Tr::new("Mật khẩu tệp chứng thư", "Certificate password");
pub const SIGN_TOKEN: Tr = Tr::new("Thiết bị ký số (USB token)", "USB token");
pub const SIGN_FILE: Tr = Tr::new("Tệp .p12/.pfx", ".p12/.pfx file");
pub const SIGN_PIN: Tr = Tr::new("Mã PIN của thiết bị ký số", "The token's PIN");
pub const SIGN_PICK_MODULE: Tr = Tr::new("Chọn tệp thư viện khác…", "Choose another library file…");
pub const SIGN_PICK_MODULE_HOVER: Tr = Tr::new(
    "Khi thiết bị ký số của bạn không có trong danh sách: chọn tệp thư viện PKCS#11 (.dll trên Windows, .so trên Linux) mà phần mềm của nhà cung cấp đã cài. Ứng dụng nhớ tệp đã chọn cho lần sau.",
    "When your token is not listed: choose the PKCS#11 library file (.dll on Windows, .so on Linux) its provider's software installed. The app remembers it for next time.",
);
pub const SIGN_RELIST: Tr = Tr::new("Tìm lại thiết bị", "Look for tokens again");
pub const SIGN_NO_LIBRARY: Tr = Tr::new(
    "Không tìm thấy phần mềm của thiết bị ký số trên máy này. Hãy cài phần mềm của nhà cung cấp chứng thư số (VNPT-CA, Viettel-CA, BKAV-CA, FPT-CA, Ban Cơ yếu Chính phủ…), cắm thiết bị rồi bấm “Tìm lại thiết bị”.",
    "No token software was found on this computer. Install your certificate provider's software (VNPT-CA, Viettel-CA, BKAV-CA, FPT-CA, the Government Cipher Committee…), plug the token in, then press “Look for tokens again”.",
);
pub const SIGN_FOUND: Tr = Tr::new(
    "Phần mềm thiết bị ký số trên máy:",
    "Token software on this computer:",
);
pub const SIGN_ISSUED_BY: Tr = Tr::new("cấp bởi", "issued by");
pub const SIGN_VALID_UNTIL: Tr = Tr::new("còn hạn đến", "valid until");
pub const SIGN_EXPIRED: Tr = Tr::new("đã hết hạn ngày", "expired on");
pub const SIGN_TOKEN_HOVER: Tr = Tr::new("Thiết bị", "Token");
pub const DOING_SIGN: Tr = Tr::new("Đang ký…", "Signing…");
pub const DOING_TOKENS: Tr = Tr::new("Đang đọc thiết bị ký số…", "Reading the tokens…");
pub const SEAL_STALE: Tr = Tr::new(
    "Chưa chốt: phiên đã thay đổi trong lúc ký mã chốt. Hãy chốt lại.",
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
    "Chọn chứng thư để ký:",
    "Choose the certificate to sign with:",
);
pub const SIGN_NO_CERT: Tr = Tr::new(
    "Không thấy chứng thư số nào: hãy cắm thiết bị ký số rồi bấm “Tìm lại thiết bị”.",
    "No certificate found: plug the token in, then press “Look for tokens again”.",
);
pub const SIGN_SEAL: Tr = Tr::new(
    "Ký số mã chốt bằng khóa của người chốt (tùy chọn)",
    "Sign the seal with the finaliser's key (optional)",
);
pub const SIGN_SEAL_HELP: Tr = Tr::new(
    "Mã chốt có chữ ký số chứng minh ai đã chốt; không ký thì mã chốt chỉ kiểm tra tệp còn nguyên vẹn.",
    "A signed seal proves who sealed; unsigned, it only checks that the file is intact.",
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
    "Khi số phiếu được chia cho nhiều tổ, mỗi tổ nhập phần của mình trong một tệp riêng có ghi tên tổ; sau đó gộp bằng lệnh: tinnhiem merge TO1.ron TO2.ron -o TONG.ron",
    "When the sheets are split among teams, each team enters its share in its own file with the team's name; then merge them: tinnhiem merge TEAM1.ron TEAM2.ron -o ALL.ron",
);

// Counting: ballot by ballot, double entry, presentation (issue 6).
pub const SCREEN_BALLOT: Tr = Tr::new("Nhập từng phiếu", "Ballot by ballot");
pub const SCREEN_PRESENT: Tr = Tr::new("Trình chiếu", "Present");
pub const BALLOT_TITLE: Tr = Tr::new("Nhập từng phiếu", "Ballot by ballot");
pub const BALLOT_KEYS: Tr = Tr::new(
    "1 = tín nhiệm cao · 2 = tín nhiệm · 3 = tín nhiệm thấp · 0 = dòng không hợp lệ · V = đánh dấu cả tờ không hợp lệ · Enter = xác nhận tờ phiếu · Backspace = lấy lại từng phiếu đã xác nhận · bấm vào một dòng để sửa",
    "1 = high · 2 = confidence · 3 = low · 0 = invalid line · V = mark the whole sheet void · Enter = confirm the sheet · Backspace = take back confirmed ballots one by one · click a line to correct it",
);
pub const BALLOT_HAS_COUNTS: Tr = Tr::new(
    "Nhóm phiếu này đã có số liệu. Bắt đầu đếm mới từ 0? Khi xác nhận phiếu đầu tiên, số liệu hiện có (câu hỏi chung, các tiêu chí) và số phiếu không hợp lệ sẽ được thay (có thể hoàn tác bằng Ctrl+Z).",
    "This ballot group already has counts. Start a fresh count from zero? When the first ballot is confirmed, the counts (overall question, criteria) and void sheets are replaced (Ctrl+Z undoes it).",
);
pub const BALLOT_FRESH: Tr = Tr::new("Đếm mới từ 0", "Fresh count from zero");
pub const BALLOT_BACK: Tr = Tr::new("Quay lại bảng nhập số liệu", "Back to the grid");
pub const BALLOT_CONFIRM: Tr = Tr::new("Xác nhận phiếu (Enter)", "Confirm ballot (Enter)");
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

pub const BALLOT_VOID: Tr = Tr::new("Cả tờ không hợp lệ (V)", "Void sheet (V)");
pub const BALLOT_VOID_MARKED: Tr = Tr::new(
    "TỜ PHIẾU NÀY KHÔNG HỢP LỆ — Enter để xác nhận, V để bỏ đánh dấu",
    "THIS SHEET IS VOID — Enter to confirm, V to unmark",
);
pub const BALLOT_UNDO: Tr = Tr::new(
    "Lấy lại phiếu vừa xác nhận (Backspace)",
    "Take back the last ballot (Backspace)",
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
pub const QUESTION: Tr = Tr::new("Câu hỏi", "Question");
pub const LEVEL: Tr = Tr::new("Mức", "Level");
pub const FIRST_VALUE: Tr = Tr::new("Lần 1", "Entry 1");
pub const SECOND_VALUE: Tr = Tr::new("Lần 2", "Entry 2");
pub const CHOSEN: Tr = Tr::new("Đã thống nhất", "Settled");
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
pub const VIEWER_FAILED: Tr = Tr::new(
    "Không mở được tệp bằng chương trình xem của máy (hãy mở bằng tay)",
    "No viewer could open the file (open it yourself)",
);
pub const PRINT_FAILED: Tr = Tr::new(
    "Không in được (máy chưa có máy in mặc định, hoặc chưa cài CUPS/lp)",
    "Could not print (no default printer, or CUPS/lp is not installed)",
);

pub const THEME_LIGHT: Tr = Tr::new("Sáng", "Light");
pub const THEME_DARK: Tr = Tr::new("Tối", "Dark");
pub const THEME_SYSTEM: Tr = Tr::new("Theo hệ thống", "As the system");
pub const THEME: Tr = Tr::new("Giao diện", "Theme");
pub const MENU_VIEW: Tr = Tr::new("Xem", "View");

pub const CHART_VOTES: Tr = Tr::new("Số phiếu", "Votes");
pub const CHART_HALF: Tr = Tr::new(
    "1/2 cơ sở tính tỉ lệ (tín nhiệm thấp vượt vạch này: Mức A)",
    "1/2 of the base (low confidence past this line: Band A)",
);
pub const CHART_TWO_THIRDS: Tr = Tr::new(
    "2/3 cơ sở tính tỉ lệ (tín nhiệm thấp tới vạch này: Mức B)",
    "2/3 of the base (low confidence reaching this line: Band B)",
);

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
