//! `gongkai crawl` (CONTRACT.md).

use crate::cli::CrawlArgs;
use anyhow::Result;

pub fn run(_args: CrawlArgs) -> Result<()> {
    super::not_built("crawl")
}
