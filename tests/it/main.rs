//! Every integration test, in one binary.
//!
//! Each test binary links the whole app (egui, printpdf, the signing stack): eleven of them
//! took over 8 GB of disk in a debug build and filled CI's disk. One binary links it once; the
//! modules keep the tests apart by subject.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod bench_vote;
mod common;

mod archive;
mod attacks;
mod ballots;
mod cli;
mod documents;
mod excel;
mod fuzz;
mod fuzz_pdf;
mod guide;
mod layers;
mod lifecycle;
mod pdf_archival;
mod pdf_output;
mod properties;
mod reliability;
mod scan;
mod signing;
mod summary;
mod teams;
mod thresholds;
mod token;

#[cfg(feature = "gui")]
mod gui;
#[cfg(feature = "gui")]
mod gui_ballot_keys;
#[cfg(feature = "gui")]
mod gui_counting;
#[cfg(feature = "gui")]
mod gui_documents;
#[cfg(feature = "gui")]
mod gui_fields;
#[cfg(feature = "gui")]
mod gui_files;
#[cfg(feature = "gui")]
mod gui_glyphs;
#[cfg(feature = "gui")]
mod gui_keys;
#[cfg(feature = "gui")]
mod gui_scan;
#[cfg(feature = "gui")]
mod gui_screens;
#[cfg(feature = "gui")]
mod gui_summary;
#[cfg(feature = "gui")]
mod gui_teams;
#[cfg(feature = "gui")]
mod gui_words;
