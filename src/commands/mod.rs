//! Glue between the command line and the library crates. Each command is a short sequence of library calls.

use crate::cli::{Cli, Command};
use anyhow::Result;

mod check;
mod crawl;
mod demo;
mod export;
mod merge;
mod monitor;
mod pipeline;
mod report;
mod run;
mod sample;
mod score;
mod screenshots;
mod serve;
mod settings;
mod store;

/// An error that means "bad usage or bad input file" (exit status 2, docs/commands.md).
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// `check` ran to the end but the site could not be read, so it was not assessed (exit status 3).
#[derive(Debug)]
pub struct NotAssessed(pub String);

impl std::fmt::Display for NotAssessed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "网站未检查（not assessed）：{}", self.0)
    }
}

impl std::error::Error for NotAssessed {}

/// Exit status 3 of `check` when the site was not assessed.
pub const EXIT_NOT_ASSESSED: u8 = 3;

/// `check` ran to the end and the site was assessed 不合格 (exit status 4 under `--fail-on 不合格`).
#[derive(Debug)]
pub struct FailedCheck(pub String);

impl std::fmt::Display for FailedCheck {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "网站检查结果为不合格：{}", self.0)
    }
}

impl std::error::Error for FailedCheck {}

/// Exit status 4 of `check` when the site was assessed 不合格.
pub const EXIT_FAILED_CHECK: u8 = 4;

/// 2 for bad usage or input, 3 for a self-check whose site could not be assessed, 4 for one assessed 不合格, 1 for
/// anything else.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    if err.chain().any(|e| e.is::<UsageError>()) {
        2
    } else if err.chain().any(|e| e.is::<NotAssessed>()) {
        EXIT_NOT_ASSESSED
    } else if err.chain().any(|e| e.is::<FailedCheck>()) {
        EXIT_FAILED_CHECK
    } else {
        1
    }
}

pub fn init_tracing(verbose: u8) {
    let level = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("GONGKAI_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

/// Wrap an input problem so it exits with status 2.
pub(crate) fn usage(message: impl std::fmt::Display) -> anyhow::Error {
    anyhow::Error::new(UsageError(message.to_string()))
}

/// T0 from `--as-of` (docs/commands.md forms), or now, in Asia/Shanghai's offset.
pub(crate) fn as_of(text: Option<&str>) -> Result<chrono::DateTime<chrono::FixedOffset>> {
    match text {
        Some(t) => gongkai_config::parse_as_of(t).map_err(|e| usage(format!("--as-of: {e}"))),
        None => {
            let tz = chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset");
            Ok(chrono::Utc::now().with_timezone(&tz))
        }
    }
}

/// A clock duration flag (`500ms`, `15s`, `72m`, `1h`, `7d`); calendar months and working days are refused.
pub(crate) fn fixed_duration(flag: &str, text: &str) -> Result<std::time::Duration> {
    let p = gongkai_config::parse_duration(text).map_err(|e| usage(format!("{flag}: {e}")))?;
    p.as_std().ok_or_else(|| usage(format!("{flag}：{text:?} 不是固定的时长（请用 ms、s、m、h 或 d 为单位）")))
}

pub fn dispatch(cli: Cli) -> Result<()> {
    settings::set_config_flag(cli.config.clone());
    match cli.command {
        Command::Demo(args) => demo::run(args),
        Command::Run(args) => run::run(args),
        Command::Crawl(args) => crawl::run(args),
        Command::Monitor(args) => monitor::run(args),
        Command::Score(args) => score::run(args),
        Command::Report(args) => report::run(args),
        Command::Merge(args) => merge::run(args),
        Command::Check(args) => check::run(args),
        Command::Sample(args) => sample::run(args),
        Command::Store(cmd) => store::run(cmd),
        Command::Export(args) => export::run(args),
        Command::Serve(args) => serve::run(args),
    }
}
