//! `gongkai demo`: start the bundled sample province on loopback, assess it end to end, print where report.html is.
//! Needs no network and no configuration: the sample sites get their `.gov.cn` names through `--resolve`-style
//! overrides, and the crawler is told to contact no host outside that map.

use super::pipeline;
use crate::cli::DemoArgs;
use anyhow::{Context, Result};
use gongkai_sample::{Province, SampleServer};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

/// The sample server is our own loopback process, so the demo may crawl it faster than a real government site.
const DEMO_RATE: f64 = 20.0;
/// The sample's Crawl-delay site asks for 1 s between requests; on our own server the demo caps it (and says so).
const DEMO_CRAWL_DELAY_CAP: std::time::Duration = std::time::Duration::from_millis(200);

/// Marks a directory this command created, so a later demo may replace its store without touching anything else.
const MARKER: &str = ".gongkai-demo";

pub fn run(args: DemoArgs) -> Result<()> {
    let started = Instant::now();
    let replay = pipeline::replay_links(&args.replay)?;
    let out = args.out.clone().unwrap_or_else(|| PathBuf::from("gongkai-demo"));
    prepare_out(&out)?;

    let t0 = super::as_of(None)?;
    let province = Arc::new(Province::default_at(t0));
    let server = SampleServer::start(province).context("启动示例省网站服务")?;
    eprintln!(
        "示例省份：{} 个网站，地址 {}（T0 {}）",
        server.province().len(),
        server.addr(),
        t0.format("%Y-%m-%d %H:%M")
    );

    let fixture = out.join("sample");
    server.write_fixture(&fixture).context("写入示例的 sites.toml 和标准答案")?;
    let sites = gongkai_config::parse_sites(&server.sites_toml(), "sample sites.toml")
        .map_err(|e| anyhow::anyhow!("示例自带的 sites.toml 无法解析：{e}"))?;

    let mut opts = gongkai_crawler::CrawlOptions::default();
    opts.add_resolves(&server.resolve_args()).map_err(anyhow::Error::msg)?;
    opts.only_resolved_hosts = true;
    opts.rate = Some(DEMO_RATE);
    opts.crawl_delay_cap = DEMO_CRAWL_DELAY_CAP;
    opts.concurrency = sites.len().max(1);

    let store = pipeline::open_store(&out.join("store"))?;
    let progress = gongkai_crawler::stderr_progress();
    let summary = pipeline::crawl(&sites, &store, &opts, progress.as_ref())?;
    for line in pipeline::crawl_summary_lines(sites.len(), &summary) {
        eprintln!("{line}");
    }
    server.shutdown();

    let rubric = gongkai_config::Rubric::default_rubric();
    let results = pipeline::score(
        &store,
        &sites,
        &rubric,
        &pipeline::load_calendar(None)?,
        t0,
        &[],
        &gongkai_config::Filings::default(),
    )?;
    // Like `run`: 存档 links, and screenshots of the vetoes' archived evidence pages (skipped with a note without a
    // browser).
    let options = pipeline::report_options(replay, &args.replay, &results, Some(&store), &out);
    let html = pipeline::write_reports_with(&results, None, &out, &options)?;
    let html = std::fs::canonicalize(&html).unwrap_or(html);
    eprintln!(
        "完成，用时 {:.0} 秒：已评分 {} 个网站；标准答案见 {}",
        started.elapsed().as_secs_f64(),
        results.sites.len(),
        fixture.join("ground-truth.json").display()
    );
    eprintln!("报告中的“存档”链接需先运行：gongkai serve --store {}", out.join("store").display());
    println!("{}", html.display());
    Ok(())
}

/// A fresh store each time (the sample's port, and so its URLs, change between runs), but never delete a directory
/// that a demo did not create.
fn prepare_out(out: &std::path::Path) -> Result<()> {
    if out.exists() && std::fs::read_dir(out)?.next().is_some() && !out.join(MARKER).exists() {
        return Err(super::usage(format!(
            "{} 已存在，且不是 `gongkai demo` 生成的；请换一个 --out 目录，或先删除它",
            out.display()
        )));
    }
    let store = out.join("store");
    if store.exists() {
        std::fs::remove_dir_all(&store).with_context(|| format!("删除上次演示的存储库 {}", store.display()))?;
    }
    std::fs::create_dir_all(out).with_context(|| format!("创建 {}", out.display()))?;
    std::fs::write(out.join(MARKER), "made by gongkai demo\n")
        .with_context(|| format!("写入 {}", out.join(MARKER).display()))?;
    Ok(())
}
