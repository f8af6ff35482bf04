//! The `tinnhiem` binary: a subcommand runs the command line; no subcommand opens the app.

use std::process::ExitCode;

use clap::Parser;
use tinnhiem::cli::{Cli, EXIT_UNREADABLE, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(command) => run(command),
        None => {
            eprintln!(
                "Giao diện đồ họa chưa có trong bản này; hãy dùng `tinnhiem check` hoặc `tinnhiem tally`.\n\
                 The desktop app is not in this build yet; use `tinnhiem check` or `tinnhiem tally`."
            );
            ExitCode::from(EXIT_UNREADABLE)
        }
    }
}
