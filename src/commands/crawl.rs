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
    for line in pipeline::crawl_summary_lines(sites.len(), &summary) {
        eprintln!("{line}");
    }
    Ok(())
}
