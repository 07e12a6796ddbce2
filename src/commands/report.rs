//! `gongkai report` (docs/results.md): every report format from a results.json, with the month-over-month comparison when
//! given the previous month's. A results file that cannot be read or parsed, or whose site ids cannot be file names,
//! is bad input (exit status 2).

use super::UsageError;
use crate::cli::ReportArgs;
use anyhow::Result;
use gongkai_reports::BadInput;

pub fn run(args: ReportArgs) -> Result<()> {
    let period = super::settings::period_flag(args.period.as_deref())?;
    let mut results = read(&args.results)?;
    let previous = args.previous.as_deref().map(read).transpose()?;
    super::settings::stamp(&mut results, period)?;
    let bulletin = &super::settings::settings()?.bulletin;
    let replay = super::pipeline::replay_links(&args.replay)?;
    // With --store, screenshots of the vetoes' archived evidence pages (read-only: the store is not changed).
    let store = match &args.store {
        Some(dir) if !dir.join("warc").is_dir() => {
            return Err(UsageError(format!("--store {}：不是 gongkai 存储库（没有 warc/ 目录）", dir.display())).into())
        }
        Some(dir) => Some(gongkai_archive::Store::open_for_reading(dir)?),
        None => None,
    };
    let options = super::pipeline::report_options(replay, &args.replay, &results, store.as_ref(), &args.out);
    let written = gongkai_reports::write_all_with_options(&results, previous.as_ref(), &args.out, bulletin, &options)
        .map_err(usage_if_bad_input)?;
    eprintln!(
        "gongkai：已为 {1} 个网站写入 {0} 个文件到 {2}",
        written.files().count(),
        results.sites.len(),
        args.out.display()
    );
    println!("{}", written.report_html.display());
    Ok(())
}

fn read(path: &std::path::Path) -> Result<gongkai_scoring::Results> {
    if !path.is_file() {
        return Err(UsageError(format!("{}：找不到结果文件（results.json）", path.display())).into());
    }
    gongkai_reports::read_results(path).map_err(usage_if_bad_input)
}

/// Bad input from the reports library becomes a usage error (exit status 2); anything else stays as it is.
fn usage_if_bad_input(err: anyhow::Error) -> anyhow::Error {
    match err.downcast_ref::<BadInput>() {
        Some(bad) => UsageError(bad.to_string()).into(),
        None => err,
    }
}
