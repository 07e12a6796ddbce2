//! gongkai.toml for the commands: found once per process (`--config FILE`, else `./gongkai.toml`, else the defaults)
//! and read where it matters — the User-Agent and warcinfo of a crawl, the 通报 of a report — so that commands need
//! not pass it around. A broken file is bad input (exit status 2) with file, line and field.
//!
//! Also the assessment period (`--period 2026-11`) and the issuing office, stamped into results.json's `assessment`.

use super::usage;
use anyhow::Result;
use gongkai_config::{AssessmentMonth, Settings};
use gongkai_scoring::Results;
use std::path::PathBuf;
use std::sync::OnceLock;

/// `--config`, as given on the command line (set once by `dispatch`).
static CONFIG_FLAG: OnceLock<Option<PathBuf>> = OnceLock::new();
static SETTINGS: OnceLock<std::result::Result<Settings, gongkai_config::ConfigError>> = OnceLock::new();

/// Remember `--config` for this process.
pub(crate) fn set_config_flag(path: Option<PathBuf>) {
    let _ = CONFIG_FLAG.set(path);
}

/// The settings of this process, read on first use.
pub(crate) fn settings() -> Result<&'static Settings> {
    let loaded = SETTINGS.get_or_init(|| {
        let flag = CONFIG_FLAG.get().cloned().flatten();
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        Settings::find(flag.as_deref(), &cwd)
    });
    loaded.as_ref().map_err(|e| usage(format!("配置文件有误：{e}")))
}

/// `--period`, checked; `None` when not given.
pub(crate) fn period_flag(text: Option<&str>) -> Result<Option<AssessmentMonth>> {
    text.map(|t| AssessmentMonth::parse(t).map_err(|e| usage(format!("--period: {e}")))).transpose()
}

/// Put the period (when given; the scorer already wrote the month of T0) and the configured issuing office into
/// `results.assessment`.
pub(crate) fn stamp(results: &mut Results, period: Option<AssessmentMonth>) -> Result<()> {
    if let Some(p) = period {
        results.assessment.period = Some(p.to_string());
    }
    if let Some(office) = &settings()?.bulletin.office {
        results.assessment.issuer = Some(office.clone());
    }
    Ok(())
}
