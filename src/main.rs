//! The `tinnhiem` binary: a subcommand runs the command line; no subcommand opens the app.

use std::process::ExitCode;

use clap::Parser;
use tinnhiem::cli::{Cli, EXIT_UNREADABLE, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(command) => run(command),
        None => gui(cli.file),
    }
}

#[cfg(feature = "gui")]
fn gui(file: Option<std::path::PathBuf>) -> ExitCode {
    match tinnhiem::app::run(file) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("Không mở được cửa sổ ứng dụng: {e}\nCannot open the app window: {e}");
            ExitCode::from(EXIT_UNREADABLE)
        }
    }
}

#[cfg(not(feature = "gui"))]
fn gui(_file: Option<std::path::PathBuf>) -> ExitCode {
    eprintln!(
        "Bản này được dịch không có giao diện đồ họa; hãy dùng `tinnhiem check` hoặc `tinnhiem tally`.\n\
         This build has no desktop app (built without the `gui` feature); use `tinnhiem check` or `tinnhiem tally`."
    );
    ExitCode::from(EXIT_UNREADABLE)
}
