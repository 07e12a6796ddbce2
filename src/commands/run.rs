//! `gongkai run`: crawl, score and report in one go (CONTRACT.md).

use super::pipeline;
use crate::cli::RunArgs;
use anyhow::Result;

pub fn run(args: RunArgs) -> Result<()> {
    // Read and check every input before touching the network or the store.
    let sites = pipeline::load_sites(&args.sites)?;
    let rubric = pipeline::load_rubric(args.rubric.as_deref())?;
    let calendar = pipeline::load_calendar(args.calendar.as_deref())?;
    let ids: Vec<String> = sites.iter().map(|s| s.id.clone()).collect();
    let adjustments = pipeline::load_adjustments(args.adjustments.as_deref(), &rubric, &ids)?;
    let as_of_given = args.as_of.is_some();
    let as_of = super::as_of(args.as_of.as_deref())?;
    let opts = pipeline::crawl_options(&args.crawl)?;
    let store_dir = args.store.clone().unwrap_or_else(|| args.out.join("store"));

    let store = pipeline::open_store(&store_dir)?;
    let progress = gongkai_crawler::stderr_progress();
    let summary = pipeline::crawl(&sites, &store, &opts, progress.as_ref())?;
    eprintln!(
        "crawled {} sites: {} pages, {} errors in {:.1}s",
        sites.len(),
        summary.pages,
        summary.errors,
        summary.elapsed.as_secs_f64()
    );

    // T0 defaults to the end of the crawl, so nothing fetched counts as "in the future".
    let as_of = if as_of_given { as_of } else { super::as_of(None)? };
    let results = pipeline::score(&store, &sites, &rubric, &calendar, as_of, &adjustments)?;
    let html = pipeline::write_reports(&results, args.previous.as_deref(), &args.out)?;
    println!("{}", html.display());
    Ok(())
}
