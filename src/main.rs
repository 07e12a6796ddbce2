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
    // Every site of a province is crawled at once, each host keeping a connection or two open: lift the soft limit on
    // open files to the hard one (1,024 by default on many systems), as servers do.
    if let Err(e) = rlimit::increase_nofile_limit(u64::MAX) {
        tracing::debug!("cannot raise the open-file limit: {e}");
    }
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
