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

#[cfg(feature = "gui")]
pub mod app;
pub mod archive;
pub mod cli;
pub mod counting;
pub mod documents;
pub mod edit;
pub mod encode;
pub mod fingerprint;
pub mod fraction;
pub mod history;
pub mod json;
pub mod lifecycle;
pub mod model;
pub mod rules;
pub mod sealed;
pub mod signing;
pub mod spreadsheet;
pub mod tally;
pub mod teams;
pub mod template;
pub mod text;
pub mod validate;
