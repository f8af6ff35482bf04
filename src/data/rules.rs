//! The rule profiles: which base the percentages use, the quorum, the thresholds on
//! "tín nhiệm thấp" and what each band means, as data with their citations.
//!
//! The law is the spec (`domain.md` §1–2). Each fact carries a [`Certainty`] tag so that the
//! app can say where a rule comes from secondary summaries or our own inference instead of
//! hiding the doubt. Every decision is an integer cross-multiplication (see [`Threshold`]).

use serde::{Deserialize, Serialize};

use crate::fraction::Fraction;
use crate::text::Tr;

/// Which regulation a session is tallied under. Stored in the archive and never inferred from
/// the date: an old archive is reopened under the profile it was made with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum ProfileId {
    /// Quy định 96-QĐ/TW (Bộ Chính trị, 02/02/2023): party bodies. The default.
    #[default]
    Qd96,
    /// Nghị quyết 96/2023/QH15: Quốc hội and HĐND.
    Nq96_2023,
    /// Nghị quyết 85/2014/QH13: Quốc hội and HĐND before 07/2023 (legacy).
    Nq85_2014,
    /// Quy định 262-QĐ/TW (08/10/2014): party bodies before 2023 (legacy).
    Qd262_2014,
}

impl ProfileId {
    /// Every profile, the default first.
    pub const ALL: [ProfileId; 4] = [
        ProfileId::Qd96,
        ProfileId::Nq96_2023,
        ProfileId::Nq85_2014,
        ProfileId::Qd262_2014,
    ];

    /// The profile's rules.
    #[must_use]
    pub fn profile(self) -> &'static Profile {
        match self {
            ProfileId::Qd96 => &QD96,
            ProfileId::Nq96_2023 => &NQ96_2023,
            ProfileId::Nq85_2014 => &NQ85_2014,
            ProfileId::Qd262_2014 => &QD262_2014,
        }
    }

    /// The identifier used in the archive and in JSON output ("Qd96", …).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            ProfileId::Qd96 => "Qd96",
            ProfileId::Nq96_2023 => "Nq96_2023",
            ProfileId::Nq85_2014 => "Nq85_2014",
            ProfileId::Qd262_2014 => "Qd262_2014",
        }
    }
}

/// How sure we are of a rule (`domain.md` tags): shown in help texts next to the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Certainty {
    /// \[V\] a source states it.
    Verified,
    /// \[S\] secondary summaries agree; the official article text was not read.
    Secondary,
    /// \[I\] our inference: visible and configurable.
    Inferred,
}

impl Certainty {
    /// A short tag for help texts.
    #[must_use]
    pub fn label(self) -> Tr {
        match self {
            Certainty::Verified => Tr::new("đã đối chiếu văn bản", "checked against the text"),
            Certainty::Secondary => Tr::new(
                "theo các bản tóm tắt, chưa đối chiếu nguyên văn",
                "per secondary summaries, article text not read",
            ),
            Certainty::Inferred => Tr::new(
                "suy luận của phần mềm, có thể cấu hình",
                "the software's inference, configurable",
            ),
        }
    }
}

/// Which figure of a ballot group the percentages are taken over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BaseKind {
    /// Phiếu thu về: ballots collected (QĐ 96 Điều 6 k.3).
    Collected,
    /// Phiếu phát ra: ballots issued.
    Issued,
    /// Số được triệu tập, which for NQ 85/2014 is the total number of deputies (tổng số đại
    /// biểu): the law takes the share over all deputies, not over ballots.
    Summoned,
}

impl BaseKind {
    /// The figure's name.
    #[must_use]
    pub fn label(self) -> Tr {
        match self {
            BaseKind::Collected => Tr::new("số phiếu thu về", "ballots collected"),
            BaseKind::Issued => Tr::new("số phiếu phát ra", "ballots issued"),
            BaseKind::Summoned => Tr::new(
                "tổng số đại biểu (được triệu tập)",
                "total number of deputies (summoned)",
            ),
        }
    }

    /// The identifier used in JSON ("collected", …).
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            BaseKind::Collected => "collected",
            BaseKind::Issued => "issued",
            BaseKind::Summoned => "summoned",
        }
    }
}

/// A bound `num/den` on a share, strict ("trên", "dưới") or inclusive ("từ … trở lên").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Threshold {
    /// Numerator of the bound.
    pub num: u32,
    /// Denominator of the bound (never 0).
    pub den: u32,
    /// `true` for "trên"/"dưới"/"quá" (strict), `false` for "từ … trở lên" (inclusive).
    pub strict: bool,
}

impl Threshold {
    /// "more than num/den" (strict lower bound).
    #[must_use]
    pub const fn more_than(num: u32, den: u32) -> Self {
        Self {
            num,
            den,
            strict: true,
        }
    }

    /// "num/den or more" (inclusive lower bound).
    #[must_use]
    pub const fn at_least(num: u32, den: u32) -> Self {
        Self {
            num,
            den,
            strict: false,
        }
    }

    /// Whether `count / base` reaches this bound from above: `den*count > num*base` (strict) or
    /// `>=` (inclusive). A zero base reaches nothing.
    #[must_use]
    pub fn reached_by(&self, count: u32, base: u32) -> bool {
        if base == 0 {
            return false;
        }
        let lhs = u64::from(self.den) * u64::from(count);
        let rhs = u64::from(self.num) * u64::from(base);
        if self.strict { lhs > rhs } else { lhs >= rhs }
    }

    /// Whether `count / base` stays under this bound: `den*count < num*base` (strict "dưới") or
    /// `<=` (inclusive). A zero base is under nothing.
    #[must_use]
    pub fn stays_below(&self, count: u32, base: u32) -> bool {
        if base == 0 {
            return false;
        }
        let lhs = u64::from(self.den) * u64::from(count);
        let rhs = u64::from(self.num) * u64::from(base);
        if self.strict { lhs < rhs } else { lhs <= rhs }
    }

    /// The bound as a fraction, for display.
    #[must_use]
    pub fn fraction(&self) -> Fraction {
        Fraction::new(self.num, self.den)
    }
}

/// A band of "tín nhiệm thấp" shares and the consequence the law attaches to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BandId {
    /// The lower band (QĐ 96: more than 1/2 and less than 2/3).
    BandA,
    /// The upper band (QĐ 96: 2/3 or more).
    BandB,
}

impl BandId {
    /// The identifier used in JSON ("band_a", "band_b").
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            BandId::BandA => "band_a",
            BandId::BandB => "band_b",
        }
    }
}

/// One band of a profile: `from` ≤ share (< `below`), with its legal meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Band {
    /// Which band.
    pub id: BandId,
    /// The lower bound the low share must reach.
    pub from: Threshold,
    /// The upper bound the low share must stay below, if any.
    pub below: Option<Threshold>,
    /// The band in words ("Trên 1/2 đến dưới 2/3 …").
    pub label: Tr,
    /// The bounds alone, in the law's own words ("Trên 50% đến dưới 2/3"): the minutes'
    /// "Ghi chú" column, where the whole label does not fit.
    pub short: Tr,
    /// What follows for the cadre, in one sentence: [`Band::must`] then [`Band::considers`].
    /// State profiles name the body with `{cq}` (Quốc hội, Hội đồng nhân dân) and its standing
    /// body with `{tt}`: see [`Band::consequence_for`].
    pub consequence: Tr,
    /// What the competent body must do.
    pub must: Tr,
    /// What it considers (may decide), if the law says so.
    pub considers: Option<Tr>,
    /// Where the law says so (article and clause).
    pub citation: Tr,
    /// How sure we are.
    pub certainty: Certainty,
}

/// The elected body a state profile's vote is held in: its name goes into the band sentences,
/// never "Quốc hội/Hội đồng nhân dân".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StateBody {
    /// Quốc hội.
    QuocHoi,
    /// A Hội đồng nhân dân (tỉnh or xã since 7/2025).
    Hdnd,
}

impl StateBody {
    /// The elected body a vote is held in, read from the header's bodies (the issuing body and
    /// its superior): Quốc hội when either names it, otherwise a Hội đồng nhân dân (by far the
    /// most votes under NQ 96/2023: the provinces' and communes' councils). Read from the
    /// header so that the minutes name the one body; the session passes its texts in
    /// ([`crate::model::Session::state_body`]).
    #[must_use]
    pub fn named_in<'a>(header: impl IntoIterator<Item = &'a str>) -> Self {
        if header
            .into_iter()
            .any(|t| t.to_lowercase().contains("quốc hội"))
        {
            StateBody::QuocHoi
        } else {
            StateBody::Hdnd
        }
    }

    /// The body's name (`{cq}`).
    #[must_use]
    pub fn name(self) -> Tr {
        match self {
            StateBody::QuocHoi => Tr::new("Quốc hội", "the National Assembly"),
            StateBody::Hdnd => Tr::new("Hội đồng nhân dân", "the People's Council"),
        }
    }

    /// Its standing body (`{tt}`).
    #[must_use]
    pub fn standing(self) -> Tr {
        match self {
            StateBody::QuocHoi => Tr::new(
                "Ủy ban Thường vụ Quốc hội",
                "the Standing Committee of the National Assembly",
            ),
            StateBody::Hdnd => Tr::new(
                "Thường trực Hội đồng nhân dân",
                "the Standing Board of the People's Council",
            ),
        }
    }

    /// `text` with `{cq}` and `{tt}` filled in.
    #[must_use]
    pub fn fill(self, text: Tr, lang: crate::text::Lang) -> String {
        text.get(lang)
            .replace("{cq}", self.name().get(lang))
            .replace("{tt}", self.standing().get(lang))
    }
}

impl Band {
    /// [`Band::consequence`] for a vote held in `body` (party profiles name no body).
    #[must_use]
    pub fn consequence_for(&self, body: StateBody, lang: crate::text::Lang) -> String {
        body.fill(self.consequence, lang)
    }

    /// Whether `low / base` falls in this band.
    #[must_use]
    pub fn contains(&self, low: u32, base: u32) -> bool {
        self.from.reached_by(low, base) && self.below.is_none_or(|b| b.stays_below(low, base))
    }
}

/// The quorum: the conference may proceed only if `present / summoned` reaches the bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Quorum {
    /// The bound on present / summoned.
    pub bound: Threshold,
    /// Where the law says so.
    pub citation: Tr,
    /// How sure we are.
    pub certainty: Certainty,
    /// Why we are not sure, when we are not: for the help and `--explain`, never for a signed
    /// record.
    pub doubt: Option<Tr>,
}

impl Quorum {
    /// Whether `present` of `summoned` meets the quorum (`3*present >= 2*summoned` for 2/3).
    /// Nobody summoned is no conference: not met.
    #[must_use]
    pub fn met(&self, present: u32, summoned: u32) -> bool {
        self.bound.reached_by(present, summoned)
    }
}

/// Which layout the documents follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStyle {
    /// Party documents, Hướng dẫn 36-HD/VPTW (2018): "ĐẢNG CỘNG SẢN VIỆT NAM", "T/M".
    Party,
    /// State documents, Nghị định 30/2020/NĐ-CP: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "TM.".
    State,
}

/// A rule profile: everything that differs between the regulations, as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Profile {
    /// Which profile.
    pub id: ProfileId,
    /// Full name of the regulation.
    pub name: Tr,
    /// One line on what it is for (start screen).
    pub summary: Tr,
    /// The allowed bases for percentages; the first is the default.
    pub bases: &'static [BaseKind],
    /// Where the base comes from, and how sure we are of it.
    pub base_citation: Tr,
    /// Certainty of the base rule.
    pub base_certainty: Certainty,
    /// Why the base rule is not certain, when it is not (help and `--explain` only).
    pub base_doubt: Option<Tr>,
    /// The quorum rule.
    pub quorum: Quorum,
    /// The bands on "tín nhiệm thấp", lowest first; they never overlap.
    pub bands: &'static [Band],
    /// Whether QĐ 41-QĐ/TW facts are shown for this profile (party cadres).
    pub qd41_applies: bool,
    /// Which document layout the minutes use.
    pub document_style: DocumentStyle,
}

impl Profile {
    /// The default base of percentages.
    #[must_use]
    pub fn default_base(&self) -> BaseKind {
        self.bases[0]
    }

    /// The band that `low / base` falls in, if any.
    #[must_use]
    pub fn band_for(&self, low: u32, base: u32) -> Option<&'static Band> {
        self.bands.iter().find(|b| b.contains(low, base))
    }

    /// The band with this id, if the profile has it.
    #[must_use]
    pub fn band(&self, id: BandId) -> Option<&'static Band> {
        self.bands.iter().find(|b| b.id == id)
    }
}

/// Quy định 41-QĐ/TW (2021) on dismissal and resignation, an overlay on the party profiles,
/// valid for votes held before it was repealed (by Quy định 377-QĐ/TW of 08/10/2025). At
/// exactly 2/3 QĐ 96 (Band B, "từ 2/3") and QĐ 41 ("trên 2/3") disagree: both are shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Qd41Overlay {
    /// More than 1/2 low: a ground for resignation (từ chức).
    pub resign: Threshold,
    /// More than 2/3 low (strict): a ground for dismissal (miễn nhiệm).
    pub dismiss: Threshold,
    /// Wording of the resignation ground.
    pub resign_text: Tr,
    /// Wording of the dismissal ground.
    pub dismiss_text: Tr,
    /// Where the law says so.
    pub citation: Tr,
    /// How sure we are.
    pub certainty: Certainty,
    /// The first day it no longer applies, as (year, month, day): the day Quy định 377-QĐ/TW
    /// replaced it. Chosen by the vote's date, never by today's.
    pub valid_before: (u16, u8, u8),
    /// Why it is not shown for later votes (help).
    pub repealed: Tr,
}

impl Qd41Overlay {
    /// Whether it applies to a vote held on (year, month, day); a vote without a date is not
    /// placed in time, and gets nothing from it.
    #[must_use]
    pub fn applies_on(&self, date: Option<(u16, u8, u8)>) -> bool {
        date.is_some_and(|d| d < self.valid_before)
    }
}

/// The QĐ 41 overlay.
pub static QD41: Qd41Overlay = Qd41Overlay {
    resign: Threshold::more_than(1, 2),
    dismiss: Threshold::more_than(2, 3),
    resign_text: Tr::new(
        "Trên 50% tín nhiệm thấp: thuộc trường hợp xem xét cho từ chức",
        "More than 50% low confidence: a ground for resignation",
    ),
    dismiss_text: Tr::new(
        "Trên 2/3 tín nhiệm thấp: thuộc trường hợp xem xét miễn nhiệm",
        "More than 2/3 low confidence: a ground for dismissal",
    ),
    citation: Tr::new(
        "Quy định 41-QĐ/TW năm 2021 về miễn nhiệm, từ chức",
        "Regulation 41-QĐ/TW (2021) on dismissal and resignation",
    ),
    certainty: Certainty::Secondary,
    valid_before: (2025, 10, 8),
    repealed: Tr::new(
        "Quy định 41-QĐ/TW đã được thay thế bởi Quy định 377-QĐ/TW ngày 08/10/2025: căn cứ của Quy định 41 chỉ hiện cho cuộc lấy phiếu trước ngày đó. Nội dung của Quy định 377 về kết quả lấy phiếu tín nhiệm chưa được đối chiếu nên chưa hiện.",
        "Regulation 41-QĐ/TW was replaced by Regulation 377-QĐ/TW of 08/10/2025: its grounds are shown only for votes held before that day. What Regulation 377 says on confidence votes has not been checked yet, so nothing is shown in its name.",
    ),
};

const TWO_THIRDS_QUORUM_QD96: Quorum = Quorum {
    bound: Threshold::at_least(2, 3),
    citation: Tr::new(
        "Quy định 96-QĐ/TW, Điều 3 khoản 2: hội nghị chỉ tiến hành khi có ít nhất 2/3 số người được triệu tập có mặt",
        "Regulation 96-QĐ/TW, art. 3 cl. 2: the conference proceeds only with at least 2/3 of those summoned present",
    ),
    certainty: Certainty::Verified,
    doubt: None,
};

static QD96_BANDS: [Band; 2] = [
    Band {
        id: BandId::BandA,
        from: Threshold::more_than(1, 2),
        below: Some(Threshold::more_than(2, 3)),
        label: Tr::new(
            "Trên 50% đến dưới 2/3 tín nhiệm thấp",
            "More than 50% and less than 2/3 low confidence",
        ),
        short: Tr::new("Trên 50% đến dưới 2/3", "Over 50%, under 2/3"),
        consequence: Tr::new(
            "Cấp có thẩm quyền quản lý cán bộ phải đưa ra khỏi quy hoạch các chức danh cao hơn và xem xét cho thôi giữ chức vụ, bố trí công tác khác, cho từ chức hoặc bỏ phiếu tín nhiệm",
            "The managing level must take the cadre out of planning for higher posts, and considers relief from the post, other work, resignation or a formal confidence vote",
        ),
        must: Tr::new(
            "Cấp có thẩm quyền quản lý cán bộ phải đưa ra khỏi quy hoạch các chức danh cao hơn",
            "The managing level must take the cadre out of planning for higher posts",
        ),
        considers: Some(Tr::new(
            "Xem xét cho thôi giữ chức vụ, bố trí công tác khác, cho từ chức hoặc bỏ phiếu tín nhiệm",
            "It considers relief from the post, other work, resignation or a formal confidence vote",
        )),
        citation: Tr::new(
            "Quy định 96-QĐ/TW, Điều 11 khoản 2",
            "Regulation 96-QĐ/TW, art. 11 cl. 2",
        ),
        certainty: Certainty::Verified,
    },
    Band {
        id: BandId::BandB,
        from: Threshold::at_least(2, 3),
        below: None,
        label: Tr::new(
            "Từ 2/3 trở lên tín nhiệm thấp",
            "2/3 or more low confidence",
        ),
        short: Tr::new("Từ 2/3 trở lên", "2/3 or more"),
        consequence: Tr::new(
            "Cấp có thẩm quyền quản lý cán bộ phải cho thôi giữ chức vụ và bố trí công tác khác thấp hơn, không chờ hết nhiệm kỳ, thời hạn bổ nhiệm",
            "The managing level must relieve the cadre of the post and assign other, lower work, without waiting for the end of the term or appointment",
        ),
        must: Tr::new(
            "Cấp có thẩm quyền quản lý cán bộ phải cho thôi giữ chức vụ và bố trí công tác khác thấp hơn, không chờ hết nhiệm kỳ, thời hạn bổ nhiệm",
            "The managing level must relieve the cadre of the post and assign other, lower work, without waiting for the end of the term or appointment",
        ),
        considers: None,
        citation: Tr::new(
            "Quy định 96-QĐ/TW, Điều 11 khoản 3",
            "Regulation 96-QĐ/TW, art. 11 cl. 3",
        ),
        certainty: Certainty::Verified,
    },
];

static QD96: Profile = Profile {
    id: ProfileId::Qd96,
    name: Tr::new(
        "Quy định 96-QĐ/TW ngày 02/02/2023 của Bộ Chính trị",
        "Regulation 96-QĐ/TW of the Politburo, 02/02/2023",
    ),
    summary: Tr::new(
        "Lấy phiếu tín nhiệm trong hệ thống chính trị (Đảng); tỉ lệ tính trên số phiếu thu về",
        "Confidence votes in the political system (party); shares over ballots collected",
    ),
    bases: &[BaseKind::Collected],
    base_citation: Tr::new(
        "Quy định 96-QĐ/TW, Điều 6 khoản 3: tỉ lệ tính trên số phiếu thu về",
        "Regulation 96-QĐ/TW, art. 6 cl. 3: shares over ballots collected",
    ),
    base_certainty: Certainty::Verified,
    base_doubt: None,
    quorum: TWO_THIRDS_QUORUM_QD96,
    bands: &QD96_BANDS,
    qd41_applies: true,
    document_style: DocumentStyle::Party,
};

const NQ96_CITATION: Tr = Tr::new(
    "Nghị quyết 96/2023/QH15, Điều 12",
    "Resolution 96/2023/QH15, art. 12",
);

static NQ96_BANDS: [Band; 2] = [
    Band {
        id: BandId::BandA,
        from: Threshold::more_than(1, 2),
        below: Some(Threshold::more_than(2, 3)),
        label: Tr::new(
            "Trên 1/2 đến dưới 2/3 tổng số phiếu đánh giá tín nhiệm thấp",
            "More than 1/2 and less than 2/3 of all ballots rate low",
        ),
        short: Tr::new("Trên 1/2 đến dưới 2/3", "Over 1/2, under 2/3"),
        consequence: Tr::new(
            "Người được lấy phiếu có thể xin từ chức; nếu không xin từ chức, {tt} trình {cq} bỏ phiếu tín nhiệm tại kỳ họp đó hoặc kỳ họp gần nhất",
            "The person may resign; if not, {tt} puts a formal confidence vote to {cq} at that or the next session",
        ),
        must: Tr::new(
            "Nếu người được lấy phiếu không xin từ chức, {tt} trình {cq} bỏ phiếu tín nhiệm tại kỳ họp đó hoặc kỳ họp gần nhất",
            "If the person does not resign, {tt} puts a formal confidence vote to {cq} at that or the next session",
        ),
        considers: Some(Tr::new(
            "Người được lấy phiếu có thể xin từ chức",
            "The person may resign",
        )),
        citation: NQ96_CITATION,
        certainty: Certainty::Verified,
    },
    Band {
        id: BandId::BandB,
        from: Threshold::at_least(2, 3),
        below: None,
        label: Tr::new(
            "Từ 2/3 tổng số phiếu trở lên đánh giá tín nhiệm thấp",
            "2/3 or more of all ballots rate low",
        ),
        short: Tr::new("Từ 2/3 trở lên", "2/3 or more"),
        consequence: Tr::new(
            "Cơ quan, người có thẩm quyền giới thiệu để {cq} bầu, phê chuẩn người đó phải trình {cq} miễn nhiệm hoặc phê chuẩn việc miễn nhiệm tại kỳ họp đó hoặc kỳ họp gần nhất",
            "The body or person who nominated the cadre for election or approval must propose to {cq} the dismissal (or its approval) at that or the next session",
        ),
        must: Tr::new(
            "Cơ quan, người có thẩm quyền giới thiệu để {cq} bầu, phê chuẩn người đó phải trình {cq} miễn nhiệm hoặc phê chuẩn việc miễn nhiệm tại kỳ họp đó hoặc kỳ họp gần nhất",
            "The body or person who nominated the cadre for election or approval must propose to {cq} the dismissal (or its approval) at that or the next session",
        ),
        considers: None,
        citation: NQ96_CITATION,
        certainty: Certainty::Verified,
    },
];

const STATE_QUORUM: Quorum = Quorum {
    bound: Threshold::at_least(2, 3),
    citation: Tr::new(
        "Kỳ họp tiến hành khi có ít nhất 2/3 tổng số đại biểu tham dự",
        "The session proceeds with at least 2/3 of the deputies present",
    ),
    certainty: Certainty::Inferred,
    doubt: Some(Tr::new(
        "Suy luận từ luật tổ chức; nghị quyết không nêu riêng tỉ lệ có mặt",
        "Inferred from the organisation laws; the resolution sets no quorum of its own",
    )),
};

static NQ96_2023: Profile = Profile {
    id: ProfileId::Nq96_2023,
    name: Tr::new(
        "Nghị quyết 96/2023/QH15 của Quốc hội",
        "Resolution 96/2023/QH15 of the National Assembly",
    ),
    summary: Tr::new(
        "Quốc hội, Hội đồng nhân dân lấy phiếu tín nhiệm; tỉ lệ tính trên tổng số phiếu (mặc định: phiếu thu về)",
        "National Assembly and People's Councils; shares over all ballots (default: collected)",
    ),
    bases: &[BaseKind::Collected, BaseKind::Issued],
    base_citation: Tr::new(
        "Nghị quyết 96/2023/QH15, Điều 12: tỉ lệ tính trên tổng số phiếu",
        "Resolution 96/2023/QH15, art. 12: shares over all ballots",
    ),
    base_certainty: Certainty::Inferred,
    base_doubt: Some(Tr::new(
        "Nghị quyết nói \"tổng số phiếu\", không nói phát ra hay thu về; các kết quả đã công bố đều chia cho số phiếu thu về (bằng số phát ra), nên mặc định là số phiếu thu về, có thể chọn số phiếu phát ra",
        "The resolution says \"all ballots\", not whether issued or collected; every published result divides by the sheets collected (equal to those issued), so collected is the default and issued can be chosen",
    )),
    quorum: STATE_QUORUM,
    bands: &NQ96_BANDS,
    qd41_applies: false,
    document_style: DocumentStyle::State,
};

const NQ85_CITATION: Tr = Tr::new(
    "Nghị quyết 85/2014/QH13 về lấy phiếu tín nhiệm, bỏ phiếu tín nhiệm",
    "Resolution 85/2014/QH13 on confidence votes",
);

static NQ85_BANDS: [Band; 2] = [
    Band {
        id: BandId::BandA,
        from: Threshold::more_than(1, 2),
        below: Some(Threshold::more_than(2, 3)),
        label: Tr::new(
            "Quá 1/2 đến dưới 2/3 tổng số đại biểu đánh giá tín nhiệm thấp",
            "More than 1/2 and less than 2/3 of all deputies rate low",
        ),
        short: Tr::new("Quá 1/2 đến dưới 2/3", "Over 1/2, under 2/3"),
        consequence: Tr::new("Có thể xin từ chức", "May resign"),
        must: Tr::new("Không có hệ quả bắt buộc", "Nothing is mandatory"),
        considers: Some(Tr::new("Có thể xin từ chức", "May resign")),
        citation: NQ85_CITATION,
        certainty: Certainty::Verified,
    },
    Band {
        id: BandId::BandB,
        from: Threshold::at_least(2, 3),
        below: None,
        label: Tr::new(
            "Từ 2/3 tổng số đại biểu trở lên đánh giá tín nhiệm thấp",
            "2/3 or more of all deputies rate low",
        ),
        short: Tr::new("Từ 2/3 trở lên", "2/3 or more"),
        consequence: Tr::new(
            "{tt} trình {cq} bỏ phiếu tín nhiệm (người đó vẫn có thể xin từ chức)",
            "{tt} puts a formal confidence vote to {cq} (the person may still resign)",
        ),
        must: Tr::new(
            "{tt} trình {cq} bỏ phiếu tín nhiệm",
            "{tt} puts a formal confidence vote to {cq}",
        ),
        considers: Some(Tr::new(
            "Người đó vẫn có thể xin từ chức",
            "The person may still resign",
        )),
        citation: NQ85_CITATION,
        certainty: Certainty::Verified,
    },
];

static NQ85_2014: Profile = Profile {
    id: ProfileId::Nq85_2014,
    name: Tr::new(
        "Nghị quyết 85/2014/QH13 của Quốc hội (trước 07/2023)",
        "Resolution 85/2014/QH13 of the National Assembly (before 07/2023)",
    ),
    summary: Tr::new(
        "Phiếu tín nhiệm ở Quốc hội, HĐND trước 07/2023; tỉ lệ tính trên tổng số đại biểu",
        "National Assembly and People's Councils before 07/2023; shares over all deputies",
    ),
    bases: &[BaseKind::Summoned],
    base_citation: Tr::new(
        "Nghị quyết 85/2014/QH13: tỉ lệ tính trên tổng số đại biểu, không phải số phiếu",
        "Resolution 85/2014/QH13: shares over the total number of deputies, not ballots",
    ),
    base_certainty: Certainty::Verified,
    base_doubt: None,
    quorum: STATE_QUORUM,
    bands: &NQ85_BANDS,
    qd41_applies: false,
    document_style: DocumentStyle::State,
};

static QD262_BANDS: [Band; 1] = [Band {
    id: BandId::BandA,
    from: Threshold::more_than(1, 2),
    below: None,
    label: Tr::new("Trên 1/2 tín nhiệm thấp", "More than 1/2 low confidence"),
    short: Tr::new("Trên 1/2", "Over 1/2"),
    consequence: Tr::new(
        "Cấp có thẩm quyền xem xét đưa ra khỏi quy hoạch chức danh cao hơn; không có hệ quả tự động ở mức 2/3",
        "The competent body considers removal from planning for higher posts; nothing automatic at 2/3",
    ),
    must: Tr::new(
        "Không có hệ quả tự động ở mức 2/3",
        "Nothing automatic at 2/3",
    ),
    considers: Some(Tr::new(
        "Cấp có thẩm quyền xem xét đưa ra khỏi quy hoạch chức danh cao hơn",
        "The competent body considers removal from planning for higher posts",
    )),
    citation: Tr::new(
        "Quy định 262-QĐ/TW ngày 08/10/2014 của Bộ Chính trị",
        "Regulation 262-QĐ/TW of the Politburo, 08/10/2014",
    ),
    certainty: Certainty::Secondary,
}];

static QD262_2014: Profile = Profile {
    id: ProfileId::Qd262_2014,
    name: Tr::new(
        "Quy định 262-QĐ/TW ngày 08/10/2014 của Bộ Chính trị (trước 2023)",
        "Regulation 262-QĐ/TW of the Politburo, 08/10/2014 (before 2023)",
    ),
    summary: Tr::new(
        "Lấy phiếu tín nhiệm trong Đảng trước năm 2023; tỉ lệ tính trên số phiếu thu về",
        "Party confidence votes before 2023; shares over ballots collected",
    ),
    bases: &[BaseKind::Collected],
    base_citation: Tr::new(
        "Quy định 262-QĐ/TW: tỉ lệ tính trên số phiếu thu về",
        "Regulation 262-QĐ/TW: shares over ballots collected",
    ),
    base_certainty: Certainty::Verified,
    base_doubt: None,
    quorum: Quorum {
        bound: Threshold::at_least(2, 3),
        citation: Tr::new(
            "Quy định 262-QĐ/TW: hội nghị có từ 2/3 số người được triệu tập có mặt",
            "Regulation 262-QĐ/TW: at least 2/3 of those summoned present",
        ),
        certainty: Certainty::Secondary,
        doubt: None,
    },
    bands: &QD262_BANDS,
    qd41_applies: true,
    document_style: DocumentStyle::Party,
};

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    /// Quốc hội when the issuing body or its superior names it, in any case; a council
    /// otherwise, including when the header is empty.
    #[test]
    fn state_body_from_the_header() {
        assert_eq!(
            StateBody::named_in(["Ủy ban Thường vụ QUỐC HỘI", ""]),
            StateBody::QuocHoi
        );
        assert_eq!(
            StateBody::named_in(["", "Quốc hội khóa XV"]),
            StateBody::QuocHoi
        );
        assert_eq!(
            StateBody::named_in(["Hội đồng nhân dân tỉnh Thái Nguyên", "Quốc hội khóa XV"]),
            StateBody::QuocHoi
        );
        assert_eq!(
            StateBody::named_in(["Hội đồng nhân dân xã Tân Cương", ""]),
            StateBody::Hdnd
        );
        assert_eq!(StateBody::named_in(["", ""]), StateBody::Hdnd);
    }

    /// The published HĐND case (domain.md §3): 25 low of 47 is Band A under NQ 96/2023.
    #[test]
    fn published_case_is_band_a() {
        let band = ProfileId::Nq96_2023.profile().band_for(25, 47).unwrap();
        assert_eq!(band.id, BandId::BandA);
    }

    /// Exactly 1/2 triggers nothing; exactly 2/3 is Band B under QĐ 96 but not a QĐ 41
    /// dismissal ground.
    #[test]
    fn exact_boundaries() {
        let p = ProfileId::Qd96.profile();
        assert_eq!(p.band_for(5, 10), None);
        assert_eq!(p.band_for(6, 10).map(|b| b.id), Some(BandId::BandA));
        assert_eq!(p.band_for(2, 3).map(|b| b.id), Some(BandId::BandB));
        assert!(!QD41.dismiss.reached_by(2, 3));
        assert!(QD41.resign.reached_by(2, 3));
    }

    /// Bands of a profile never overlap and are ordered lowest first.
    #[test]
    fn bands_are_disjoint() {
        for id in ProfileId::ALL {
            let p = id.profile();
            for base in 1..=60 {
                for low in 0..=base {
                    let hits = p.bands.iter().filter(|b| b.contains(low, base)).count();
                    assert!(hits <= 1, "{id:?} {low}/{base}");
                }
            }
        }
    }

    /// The quorum is `3*present >= 2*summoned`, and nobody summoned never meets it.
    #[test]
    fn quorum_two_thirds() {
        let q = ProfileId::Qd96.profile().quorum;
        assert!(q.met(2, 3));
        assert!(!q.met(1, 3));
        assert!(q.met(34, 50));
        assert!(!q.met(33, 50));
        assert!(!q.met(0, 0));
    }

    /// Each profile's identifier is the archive's variant name.
    #[test]
    fn codes_match_archive_names() {
        for id in ProfileId::ALL {
            let ron = ron::to_string(&id).unwrap();
            assert_eq!(ron, id.code());
        }
    }
}
