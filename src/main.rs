//! The `tinnhiem` binary: a subcommand runs the command line; no subcommand opens the app.
//!
//! On Windows this is a window program, so no console window flashes behind the app; a
//! window program cannot print to the console it was started from, so the same commands for
//! a console are `tinnhiem-cli.exe` (`src/bin/tinnhiem-cli.rs`).
#![cfg_attr(windows, windows_subsystem = "windows")]

use std::process::ExitCode;

use clap::Parser;
use tinnhiem::cli::{Cli, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(command) => run(command),
        None => gui(cli.file, cli.self_test),
    }
}

#[cfg(feature = "gui")]
fn gui(file: Option<std::path::PathBuf>, self_test: Option<std::path::PathBuf>) -> ExitCode {
    match tinnhiem::app::run(file, self_test) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tinnhiem::app::report_start_failure(&e);
            ExitCode::from(tinnhiem::cli::EXIT_UNREADABLE)
        }
    }
}

#[cfg(not(feature = "gui"))]
fn gui(_file: Option<std::path::PathBuf>, _self_test: Option<std::path::PathBuf>) -> ExitCode {
    eprintln!(
        "Bản này được dịch không có giao diện đồ họa; hãy dùng `tinnhiem check` hoặc `tinnhiem tally`.\n\
         This build has no desktop app (built without the `gui` feature); use `tinnhiem check` or `tinnhiem tally`."
    );
    ExitCode::from(tinnhiem::cli::EXIT_UNREADABLE)
}
