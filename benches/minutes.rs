//! Time to write the minutes of 200 cadres in one process, and the size of the file. Run:
//! `cargo bench --bench minutes`. The faces printpdf embeds are parsed on the first run and
//! kept (as in the app); the whole `minutes` process, with that parse, is measured by
//! `benches/minutes.sh` (README, "Speed").

use std::time::{Duration, Instant};

use tinnhiem::documents::minutes::{MinutesOptions, minutes_pdf};
use tinnhiem::model::{BallotGroup, Counts, Date, Person, Session, Voters};
use tinnhiem::rules::ProfileId;
use tinnhiem::text::Lang;

/// A valid session of `n` cadres, 500 voters.
fn session(n: u32) -> Session {
    let mut s = Session::new(ProfileId::Qd96);
    s.meta.superior_body = "Đảng bộ tỉnh Gia Lai".into();
    s.meta.issuing_body = "Ban Chấp hành Đảng bộ tỉnh".into();
    s.meta.document_number = "05-BB/TU".into();
    s.meta.conference = "Hội nghị Ban Chấp hành Đảng bộ tỉnh".into();
    s.meta.place = "Gia Lai".into();
    s.meta.date = Date::new(2023, 12, 15);
    s.chair = Person {
        name: "Hoàng Minh Tuấn".into(),
        role: "Bí thư Tỉnh ủy".into(),
    };
    s.committee = (0..5)
        .map(|i| Person {
            name: format!("Thành viên Ban kiểm phiếu {i}"),
            role: String::new(),
        })
        .collect();
    let mut g = BallotGroup {
        name: "Cán bộ diện Ban Thường vụ Tỉnh ủy quản lý".into(),
        voters: Voters {
            summoned: Some(500),
            present: Some(490),
            issued: Some(490),
            collected: Some(489),
            void_sheets: Some(2),
        },
        ..BallotGroup::default()
    };
    for i in 0..n {
        let mut c = g.new_cadre(
            &format!("Nguyễn Thị Ngọc Ánh {i}"),
            "Ủy viên Ban Thường vụ, Trưởng ban",
        );
        let high = (i * 37) % 300;
        let medium = (i * 11) % 150;
        c.overall = Counts {
            high: Some(high),
            medium: Some(medium),
            low: Some(487 - high - medium - i % 3),
        };
        g.cadres.push(c);
    }
    s.groups = vec![g];
    s
}

fn main() {
    let s = session(200);
    let options = MinutesOptions {
        lang: Lang::Vi,
        draft: true,
        audit_annex: false,
    };
    let mut times: Vec<Duration> = Vec::new();
    let mut size = 0;
    for _ in 0..20 {
        let start = Instant::now();
        match minutes_pdf(&s, options) {
            Ok(bytes) => size = bytes.len(),
            Err(e) => {
                eprintln!("{e}");
                std::process::exit(1);
            }
        }
        times.push(start.elapsed());
    }
    times.sort();
    let start = Instant::now();
    let fonts = tinnhiem::documents::layout::Fonts::load();
    let parse = start.elapsed();
    if let Ok(fonts) = fonts {
        let fp = tinnhiem::fingerprint::fingerprint(&s);
        let start = Instant::now();
        let pages = tinnhiem::documents::minutes::minutes_pages(&s, &fonts, options, fp);
        let layout = start.elapsed();
        println!(
            "  of which: open fonts {} µs, layout {} µs ({} pages)",
            parse.as_micros(),
            layout.as_micros(),
            pages.len()
        );
    }
    println!(
        "minutes, 200 cadres: median {} µs, min {} µs, max {} µs over {} runs; {size} bytes",
        times[times.len() / 2].as_micros(),
        times[0].as_micros(),
        times[times.len() - 1].as_micros(),
        times.len()
    );
}
