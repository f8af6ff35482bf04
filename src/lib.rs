//! tinnhiem: tally Vietnamese confidence votes (lấy phiếu tín nhiệm) exactly as the
//! regulations say.
//!
//! This library is the pure core: the session model, the rule profiles, validation, the tally
//! and the archive. It knows nothing of any GUI; the desktop app and the command line are thin
//! layers over it.
//!
//! ```
//! use tinnhiem::{archive, tally, validate};
//!
//! let text = std::fs::read_to_string("assets/examples/chi-bo.ron").unwrap();
//! let session = archive::from_str(&text).unwrap();
//! assert!(!validate::validate(&session).has_errors());
//! let results = tally::tally(&session);
//! println!("{} cadres", results.groups[0].cadres.len());
//! ```

// The layers of docs/architecture.md, bottom first, each a folder of `src/` a newcomer can
// see (`tests/it/layers.rs` holds every module to its folder's layer and no import upwards).
// The modules keep one short path each (`crate::tally`, `tinnhiem::model`): the folder says
// the layer, `#[path]` keeps the path.

// base: what every layer writes with.
#[path = "base/encode.rs"]
pub mod encode;
#[path = "base/text.rs"]
pub mod text;

// data: the session as an archive stores it, and the rules as data.
#[path = "data/fraction.rs"]
pub mod fraction;
#[path = "data/model/mod.rs"]
pub mod model;
#[path = "data/rules.rs"]
pub mod rules;

// operations: what is done with the data.
#[path = "operations/archive/mod.rs"]
pub mod archive;
#[path = "operations/counting.rs"]
pub mod counting;
#[path = "operations/edit.rs"]
pub mod edit;
#[path = "operations/fingerprint.rs"]
pub mod fingerprint;
#[path = "operations/history.rs"]
pub mod history;
#[path = "operations/json.rs"]
pub mod json;
#[path = "operations/lifecycle.rs"]
pub mod lifecycle;
#[path = "operations/sealed.rs"]
pub mod sealed;
#[path = "operations/spreadsheet/mod.rs"]
pub mod spreadsheet;
#[path = "operations/tally.rs"]
pub mod tally;
#[path = "operations/teams.rs"]
pub mod teams;
#[path = "operations/template.rs"]
pub mod template;
#[path = "operations/validate.rs"]
pub mod validate;

// documents and signing: the files a committee prints, signs and verifies.
pub mod documents;
pub mod signing;
// Many units' votes summarised, as a superior body does (issue 25).
pub mod summary;
// Scanned ballots: the scanner's files read against the forms the documents print.
pub mod scan;

// app and command line: the two faces over the core.
#[cfg(feature = "gui")]
pub mod app;
pub mod cli;
