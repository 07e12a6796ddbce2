//! The steps `run`, `check` and `demo` share: read inputs, crawl, score, write reports. Each step is one library call;
//! this module only turns command-line values into library arguments and library errors into exit statuses.

use super::usage;
use crate::cli::CrawlFlags;
use anyhow::{Context, Result};
use chrono::{DateTime, FixedOffset};
use gongkai_archive::Store;
use gongkai_config::{Calendar, Filings, Rubric, Site};
use gongkai_crawler::{CrawlOptions, CrawlSummary, Progress};
use gongkai_scoring::{Adjustment, Results};
use std::path::Path;

/// sites.toml, with problems reported as usage errors (exit 2).
pub fn load_sites(path: &Path) -> Result<Vec<Site>> {
    gongkai_config::load_sites(path).map_err(usage)
}

/// The rubric given with `--rubric`, or the shipped default.
pub fn load_rubric(path: Option<&Path>) -> Result<Rubric> {
    match path {
        Some(p) => Rubric::load(p).map_err(usage),
        None => Ok(Rubric::default_rubric()),
    }
}

/// The working-day calendar from `--calendar`, or the one shipped with gongkai.
pub fn load_calendar(path: Option<&Path>) -> Result<Calendar> {
    match path {
        Some(p) => Calendar::load(p).map_err(usage),
        None => Ok(Calendar::default_cn()),
    }
}

/// An assessor's adjustments file, checked against the rubric and the sites being scored.
pub fn load_adjustments(path: Option<&Path>, rubric: &Rubric, site_ids: &[String]) -> Result<Vec<Adjustment>> {
    match path {
        Some(p) => gongkai_scoring::adjustments::load(p, rubric, Some(site_ids)).map_err(usage),
        None => Ok(Vec::new()),
    }
}

/// The 网站临时报备 file, every filing naming a site of `sites`; none without `--filings`.
pub fn load_filings(path: Option<&Path>, sites: &[Site]) -> Result<Filings> {
    match path {
        Some(p) => {
            let filings = Filings::load(p).map_err(usage)?;
            filings.check_sites(sites).map_err(usage)?;
            Ok(filings)
        }
        None => Ok(Filings::default()),
    }
}

/// Crawl options from the flags every crawling command takes (values on the command line override sites.toml).
pub fn crawl_options(flags: &CrawlFlags) -> Result<CrawlOptions> {
    let mut opts = CrawlOptions::default();
    // gongkai.toml's operator and contact, unless --user-agent says otherwise.
    opts.user_agent = super::settings::settings()?.user_agent(env!("CARGO_PKG_VERSION"), &opts.user_agent);
    // The crawler's message names the flag and the value (`--resolve "x:y:z"：…`).
    opts.add_resolves(&flags.resolve).map_err(usage)?;
    for pem in &flags.ca_file {
        opts.add_ca_file(pem).map_err(usage)?;
    }
    if let Some(rate) = &flags.rate {
        opts.rate = Some(gongkai_config::parse_rate(rate).map_err(|e| usage(format!("--rate：{e}")))?);
    }
    if let Some(n) = flags.concurrency {
        if n == 0 {
            return Err(usage("--concurrency：应至少为 1"));
        }
        opts.concurrency = n;
    }
    if let Some(n) = flags.max_in_flight {
        if n == 0 {
            return Err(usage("--max-in-flight：应至少为 1"));
        }
        opts.max_in_flight = n;
    }
    opts.max_pages = flags.max_pages.or(opts.max_pages);
    opts.max_depth = flags.max_depth.or(opts.max_depth);
    opts.only_resolved_hosts = flags.resolved_only;
    if flags.resolved_only && opts.resolve.is_empty() {
        return Err(usage("--resolved-only 需要至少一个 --resolve HOST:PORT:ADDR"));
    }
    if let Some(ua) = &flags.user_agent {
        opts.user_agent = ua.clone();
    }
    if let Some(cap) = &flags.crawl_delay_cap {
        opts.crawl_delay_cap = super::fixed_duration("--crawl-delay-cap", cap)?;
    }
    if let Some(cap) = &flags.retry_after_cap {
        opts.retry_after_cap = super::fixed_duration("--retry-after-cap", cap)?;
    }
    if let Some(t) = &flags.request_timeout {
        let t = super::fixed_duration("--request-timeout", t)?;
        if t < std::time::Duration::from_secs(1) || t > std::time::Duration::from_secs(600) {
            return Err(usage("--request-timeout：应在 1 秒到 10 分钟之间"));
        }
        opts.request_timeout = t;
    }
    opts.max_link_checks = flags.max_link_checks.or(opts.max_link_checks);
    Ok(opts)
}

/// Open (or create) the store, with a clear message when another gongkai process holds it.
pub fn open_store(dir: &Path) -> Result<Store> {
    Store::open(dir).with_context(|| format!("打开存储库 {}", dir.display()))
}

/// Crawl every site into the store, on a runtime of one thread.
///
/// The crawl is one future (every site's fetch loop inside it), so a multi-threaded runtime gave it no second core:
/// it only moved each connection's task to the other thread, and every answer then cost a cross-thread wake-up. On
/// one thread, `BENCH_NGINX=100x200 cargo bench -p gongkai-crawler --bench crawl -- nginx` (rate lifted, same
/// machine, one run after the other) took 1.29 CPU-ms a page against 1.71 and 20.4 s against 31.8 s. The index's
/// own threads (sled's flusher) still use the other core.
pub fn crawl(sites: &[Site], store: &Store, opts: &CrawlOptions, progress: &dyn Progress) -> Result<CrawlSummary> {
    store.set_warcinfo(gongkai_archive::WarcInfo {
        operator: super::settings::settings()?.operator.as_ref().map(|o| o.warcinfo()),
        user_agent: Some(opts.user_agent.clone()),
        robots: "obey".into(),
        description: Some(format!("gongkai {} crawl of {} site(s)", env!("CARGO_PKG_VERSION"), sites.len())),
    });
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().context("启动异步运行时")?;
    rt.block_on(gongkai_crawler::crawl(sites, store, opts, progress))
}

/// What `crawl`, `run` and `demo` print when the crawl is done: the sites the crawler's own limits cut short (page
/// budget, capped Crawl-delay, link-check budget), then the totals. At province scale the lists name the first ten.
pub fn crawl_summary_lines(sites: usize, summary: &CrawlSummary) -> Vec<String> {
    let mut lines = Vec::new();
    let mut capped = Vec::new();
    for s in &summary.sites {
        for (host, asked, applied) in &s.crawl_delay_capped {
            capped.push(format!("{}（{host} 要求 {asked} 秒，按 {:.1} 秒）", s.site_id, applied.as_secs_f64()));
        }
    }
    let ids = |f: &dyn Fn(&gongkai_crawler::SiteSummary) -> bool| -> Vec<String> {
        summary.sites.iter().filter(|s| f(s)).map(|s| s.site_id.clone()).collect()
    };
    let budget = ids(&|s| s.budget_exhausted);
    let links = ids(&|s| s.link_budget_exhausted);
    for (what, list) in [
        ("达到页面数上限（max_pages），仍有网址未抓取", budget),
        ("抓取间隔（Crawl-delay）超过上限，已按上限抓取", capped),
        ("达到链接检查上限（max_link_checks），其余链接未检查", links),
    ] {
        if !list.is_empty() {
            let more = if list.len() > 10 { format!(" 等 {} 个", list.len()) } else { String::new() };
            lines.push(format!("{} 个网站{what}：{}{more}", list.len(), list[..list.len().min(10)].join("、")));
        }
    }
    lines.push(format!(
        "已抓取 {sites} 个网站：{} 个页面，{} 个错误，用时 {:.1} 秒",
        summary.pages,
        summary.errors,
        summary.elapsed.as_secs_f64()
    ));
    lines
}

/// Score the latest snapshot of each of `sites` from the store (no network), ranked among themselves.
pub fn score(
    store: &Store,
    sites: &[Site],
    rubric: &Rubric,
    calendar: &Calendar,
    as_of: DateTime<FixedOffset>,
    adjustments: &[Adjustment],
    filings: &Filings,
) -> Result<Results> {
    gongkai_scoring::score_sites(store, sites, rubric, calendar, as_of, adjustments, filings)
}

/// Where the 存档 links go (`--replay-base`, `--replay-style`), checked before anything else runs.
pub fn replay_links(flags: &crate::cli::ReplayFlags) -> Result<gongkai_reports::ReplayLinks> {
    gongkai_reports::ReplayLinks::from_flags(flags.replay_base.as_deref(), flags.replay_style.as_deref()).map_err(usage)
}

/// The reports' options: 存档 links, and screenshots of the vetoes' archived evidence pages into `out/screenshots/`
/// when a store is given and `--no-screenshots` is not (never fails: a missing browser becomes a note).
pub fn report_options(
    replay: gongkai_reports::ReplayLinks,
    flags: &crate::cli::ReplayFlags,
    results: &Results,
    store: Option<&Store>,
    out: &Path,
) -> gongkai_reports::ReportOptions {
    let mut options = gongkai_reports::ReportOptions { replay, ..Default::default() };
    match store {
        _ if flags.no_screenshots => options.screenshot_note = Some(super::screenshots::OFF_NOTE.to_string()),
        Some(store) => {
            let taken = super::screenshots::take(store, results, out);
            options.screenshots = taken.by_site;
            options.screenshot_note = taken.note;
        }
        None => {}
    }
    options
}

/// Write every report; returns the path of report.html.
pub fn write_reports(results: &Results, previous: Option<&Path>, out: &Path) -> Result<std::path::PathBuf> {
    write_reports_with(results, previous, out, &gongkai_reports::ReportOptions::default())
}

/// [`write_reports`] with 存档 links and screenshots as `options` say.
pub fn write_reports_with(
    results: &Results,
    previous: Option<&Path>,
    out: &Path,
    options: &gongkai_reports::ReportOptions,
) -> Result<std::path::PathBuf> {
    let previous = match previous {
        Some(p) => Some(gongkai_reports::read_results(p).map_err(usage)?),
        None => None,
    };
    let bulletin = &super::settings::settings()?.bulletin;
    let written = gongkai_reports::write_all_with_options(results, previous.as_ref(), out, bulletin, options)
        .with_context(|| format!("写入报告到 {}", out.display()))?;
    Ok(written.report_html)
}
