//! `tinnhiem-cli`: the command line alone, as a console program (on Windows, where the app's
//! own executable is a window program that cannot print to a console). Without a subcommand
//! it prints the help instead of opening a window.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use tinnhiem::cli::{Cli, run};

fn main() -> ExitCode {
    let cli = Cli::parse();
    match &cli.command {
        Some(command) => run(command),
        None => {
            let mut help = Cli::command().bin_name("tinnhiem-cli");
            // A closed console is nothing to report.
            let _ = help.print_help();
            ExitCode::from(2)
        }
    }
}
