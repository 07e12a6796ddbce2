//! `gongkai report` (CONTRACT.md): every report format from a results.json, with the month-over-month comparison when
//! given the previous month's. A results file that cannot be read or parsed, or whose site ids cannot be file names,
//! is bad input (exit status 2).

use super::UsageError;
use crate::cli::ReportArgs;
use anyhow::Result;
use gongkai_reports::BadInput;

pub fn run(args: ReportArgs) -> Result<()> {
    let results = read(&args.results)?;
    let previous = args.previous.as_deref().map(read).transpose()?;
    let written = gongkai_reports::write_all(&results, previous.as_ref(), &args.out).map_err(usage_if_bad_input)?;
    eprintln!(
        "gongkai: wrote {} files for {} sites into {}",
        written.files().count(),
        results.sites.len(),
        args.out.display()
    );
    println!("{}", written.report_html.display());
    Ok(())
}

fn read(path: &std::path::Path) -> Result<gongkai_scoring::Results> {
    if !path.is_file() {
        return Err(UsageError(format!("{}: no such results file", path.display())).into());
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
