//! Write every report for synthetic results (no crawl), to look at the pages:
//! `cargo run -p gongkai-reports --example synthetic_report -- OUT_DIR [SITES] [--previous] [--hostile] [--phases]`.
//! The data is invented (示范省); see `gongkai_reports::synthetic`.

use gongkai_reports::{synthetic, write_all};
use std::path::PathBuf;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let out = PathBuf::from(args.first().map(String::as_str).unwrap_or("synthetic-report"));
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(120);
    let mut results = synthetic::results(n, 1);
    if args.iter().any(|a| a == "--hostile") {
        synthetic::make_hostile(&mut results);
    }
    let previous =
        args.iter().any(|a| a == "--previous").then(|| synthetic::results_at(n, 2, "2026-09-30T23:59:59+08:00"));
    if args.iter().any(|a| a == "--phases") {
        // Time each writer on its own (in memory, no disk), to see where the time goes.
        let cmp = previous.as_ref().map(|p| gongkai_reports::compare(&results, p));
        let t = Instant::now();
        let _ = gongkai_reports::results_json(&results)?;
        eprintln!("results.json {:.2?}", t.elapsed());
        let t = Instant::now();
        let _ = gongkai_reports::ranking_csv(&results, cmp.as_ref())?;
        eprintln!("ranking.csv  {:.2?}", t.elapsed());
        let t = Instant::now();
        let _ = gongkai_reports::report_xlsx(&results, cmp.as_ref())?;
        eprintln!("report.xlsx  {:.2?}", t.elapsed());
        let t = Instant::now();
        let _ = gongkai_reports::bulletin_md(&results, cmp.as_ref());
        eprintln!("bulletin.md  {:.2?}", t.elapsed());
        let t = Instant::now();
        let _ = gongkai_reports::report_html(&results, cmp.as_ref())?;
        eprintln!("report.html  {:.2?}", t.elapsed());
        let t = Instant::now();
        for s in results.sites.iter().take(100) {
            let _ = gongkai_reports::site_html(&results, &s.id, cmp.as_ref())?;
        }
        eprintln!("100 site pages (each building its own renderer) {:.2?}", t.elapsed());
    }
    let started = Instant::now();
    let written = write_all(&results, previous.as_ref(), &out)?;
    eprintln!("{n} sites: {} files in {:.2?}", written.files().count(), started.elapsed());
    println!("{}", written.report_html.display());
    Ok(())
}
