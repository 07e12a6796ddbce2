//! `gongkai crawl` (docs/commands.md): snapshot every site into the store; resumable.

use super::pipeline;
use crate::cli::CrawlArgs;
use anyhow::Result;

pub fn run(args: CrawlArgs) -> Result<()> {
    let sites = pipeline::load_sites(&args.sites)?;
    let opts = pipeline::crawl_options(&args.crawl)?;
    let store = pipeline::open_store(&args.store)?;
    let progress = gongkai_crawler::stderr_progress();
    let summary = pipeline::crawl(&sites, &store, &opts, progress.as_ref())?;
    for s in &summary.sites {
        for (host, asked, applied) in &s.crawl_delay_capped {
            eprintln!("{}: {host} asks Crawl-delay {asked}s; capped to {:.1}s", s.site_id, applied.as_secs_f64());
        }
        if s.budget_exhausted {
            eprintln!("{}: page budget reached with URLs still waiting", s.site_id);
        }
    }
    eprintln!(
        "crawled {} sites: {} pages, {} errors in {:.1}s",
        sites.len(),
        summary.pages,
        summary.errors,
        summary.elapsed.as_secs_f64()
    );
    Ok(())
}
