//! The `gongkai` command line. Only argument parsing and dispatch live here; the work is done by the library crates
//! (config → crawler → archive → scoring → reports) through the small adapters in `commands`. What the user reads
//! when something goes wrong is worded in `messages` (Chinese).

mod cli;
mod commands;
mod messages;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => return ExitCode::from(messages::report_clap_error(&err)),
    };
    commands::init_tracing(cli.verbose);
    match commands::dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            let code = commands::exit_code(&err);
            if code == commands::EXIT_NOT_ASSESSED || code == commands::EXIT_FAILED_CHECK {
                // A verdict of `check`, not a failure of the program.
                eprintln!("gongkai：{err}（退出状态 {code}）");
            } else {
                eprintln!("{}", messages::error_message(&err));
            }
            ExitCode::from(code)
        }
    }
}
