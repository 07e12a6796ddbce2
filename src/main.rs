//! The `gongkai` command line. Only argument parsing and dispatch live here; the work is done by the library crates
//! (config → crawler → archive → scoring → reports) through the small adapters in `commands`.

mod cli;
mod commands;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    commands::init_tracing(cli.verbose);
    match commands::dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let code = commands::exit_code(&err);
            eprintln!("gongkai: error: {err:#}");
            ExitCode::from(code)
        }
    }
}
