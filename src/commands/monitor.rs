//! `gongkai monitor` (docs/commands.md): probe every site's home page on a schedule, storing each probe.

use super::{fixed_duration as duration, pipeline, usage};
use crate::cli::MonitorArgs;
use anyhow::{Context, Result};

pub fn run(args: MonitorArgs) -> Result<()> {
    let sites = pipeline::load_sites(&args.sites)?;
    let opts = pipeline::crawl_options(&args.crawl)?;
    let interval = duration("--interval", &args.interval)?;
    if interval.is_zero() {
        return Err(usage("--interval：应大于 0"));
    }
    let for_ = args.duration.as_deref().map(|d| duration("--for", d)).transpose()?;
    let store = pipeline::open_store(&args.store)?;
    let progress = gongkai_crawler::stderr_progress();
    let schedule = gongkai_crawler::MonitorOptions { interval, duration: for_ };
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("启动异步运行时")?;
    let summary = rt.block_on(gongkai_crawler::monitor(&sites, &store, &opts, &schedule, progress.as_ref()))?;
    eprintln!("监测完成：{} 轮，{} 次探测，{} 次失败", summary.rounds, summary.probes, summary.failures);
    Ok(())
}
