//! `gongkai check URL`: a county's self-check. Crawls one site into a temporary store, scores it with the default
//! rubric and prints the findings to standard output, most serious first, with the score and grade.

use super::pipeline;
use crate::cli::CheckArgs;
use anyhow::{Context, Result};
use gongkai_config::{Level, Site};
use gongkai_scoring::{FindingKind, SiteResult, SiteStatus};

/// A self-check is an office checking its own site, so it may ask a little more of the server than a province-wide
/// assessment (sites.toml's usual 2/s): at 10 requests/s a 2,000-page site is crawled in under four minutes rather than
/// seventeen. `--rate` sets another; robots.txt Crawl-delay still applies.
const CHECK_RATE: f64 = 10.0;
/// Page and depth budgets of a self-check (sites.toml's defaults).
const CHECK_MAX_PAGES: u32 = 2000;
const CHECK_MAX_DEPTH: u32 = 6;

pub fn run(args: CheckArgs) -> Result<()> {
    let url = url::Url::parse(&args.url).map_err(|e| super::usage(format!("URL {:?}: {e}", args.url)))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(super::usage(format!("URL {:?}: expected an http(s) address with a host", args.url)));
    }
    let platform = match &args.platform {
        Some(p) => Some(url::Url::parse(p).map_err(|e| super::usage(format!("--platform {p:?}: {e}")))?),
        None => None,
    };
    let level = Level::parse(&args.level).map_err(|e| super::usage(format!("--level: {e}")))?;
    let as_of_given = args.as_of.is_some();
    let as_of = super::as_of(args.as_of.as_deref())?;
    let opts = pipeline::crawl_options(&args.crawl)?;
    let calendar = pipeline::load_calendar(args.calendar.as_deref())?;
    let host = url.host_str().unwrap_or_default().to_string();
    let site = Site {
        id: site_id(&host),
        name: host.clone(),
        url,
        region: Vec::new(),
        level,
        platform,
        rate: CHECK_RATE,
        max_pages: CHECK_MAX_PAGES,
        max_depth: CHECK_MAX_DEPTH,
        max_link_checks: gongkai_config::DEFAULT_MAX_LINK_CHECKS,
    };
    eprintln!(
        "自查 {}：每个主机每秒最多 {} 次请求，最多 {} 页（--rate、--max-pages 可调）",
        site.url,
        opts.rate.unwrap_or(site.rate),
        opts.max_pages.unwrap_or(site.max_pages)
    );

    let dir = std::env::temp_dir().join(format!("gongkai-check-{}-{}", site.id, std::process::id()));
    let result = check_in(&dir, &site, &opts, &calendar, as_of_given.then_some(as_of));
    let _ = std::fs::remove_dir_all(&dir);
    let result = result?;
    print_result(&result);
    match (&result.status, &result.status_reason) {
        (SiteStatus::NotAssessed, reason) => {
            Err(anyhow::Error::new(super::NotAssessed(reason.clone().unwrap_or_default())))
        }
        (SiteStatus::Assessed, _) => Ok(()),
    }
}

fn check_in(
    dir: &std::path::Path,
    site: &Site,
    opts: &gongkai_crawler::CrawlOptions,
    calendar: &gongkai_config::Calendar,
    as_of: Option<chrono::DateTime<chrono::FixedOffset>>,
) -> Result<SiteResult> {
    let store = pipeline::open_store(dir)?;
    let progress = gongkai_crawler::stderr_progress();
    let sites = std::slice::from_ref(site);
    pipeline::crawl(sites, &store, opts, progress.as_ref())?;
    let as_of = match as_of {
        Some(t) => t,
        None => super::as_of(None)?,
    };
    let rubric = gongkai_config::Rubric::default_rubric();
    let mut results = pipeline::score(&store, sites, &rubric, calendar, as_of, &[])?;
    results.sites.pop().context("the site was not scored")
}

/// `www.cdjinniu.gov.cn` → `www-cdjinniu-gov-cn`.
fn site_id(host: &str) -> String {
    let id: String =
        host.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    id.trim_matches('-').to_string()
}

fn print_result(r: &SiteResult) {
    println!("{}  {}", r.name, r.url);
    if !r.assessed() {
        println!("未检查：{}", r.status_reason.as_deref().unwrap_or("网站无法读取"));
        println!("网站未能读取，不评分、不扣分（退出状态 {}）。", super::EXIT_NOT_ASSESSED);
        println!("抓取页面 {}，抓取错误 {}", r.crawl.pages, r.crawl.errors);
        for f in &r.findings {
            println!("  [单项否决] {}  ({})", f.message, f.rule);
        }
        return;
    }
    println!("得分 {:.1}（扣分项得分 {:.1}，加分 {:.1}）  等级：{}", r.score, r.deduction_score, r.bonus, r.grade);
    if r.vetoed {
        println!("单项否决：{}", r.vetoes.join("、"));
    }
    println!("抓取页面 {}，抓取错误 {}", r.crawl.pages, r.crawl.errors);
    let mut findings: Vec<_> = r.findings.iter().collect();
    findings.sort_by(|a, b| {
        let rank = |k: FindingKind| match k {
            FindingKind::Veto => 0,
            FindingKind::Deduction => 1,
            FindingKind::Bonus => 2,
        };
        rank(a.kind).cmp(&rank(b.kind)).then(b.points.total_cmp(&a.points)).then(a.rule.cmp(&b.rule))
    });
    if findings.is_empty() {
        println!("未发现问题。");
    }
    for (i, f) in findings.iter().enumerate() {
        let kind = match f.kind {
            FindingKind::Veto => "单项否决".to_string(),
            FindingKind::Deduction => format!("扣 {} 分", trim(f.points)),
            FindingKind::Bonus => format!("加 {} 分", trim(f.points)),
        };
        println!("{:>3}. [{}] {}  ({})", i + 1, kind, f.message, f.rule);
        for e in f.evidence.iter().take(5) {
            println!("       {}  {}", e.url, e.observed);
        }
        if f.evidence.len() > 5 {
            println!("       …… 另有 {} 处", f.evidence.len() - 5);
        }
    }
}

fn trim(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    #[test]
    fn site_id_from_host() {
        assert_eq!(super::site_id("www.CDjinniu.gov.cn"), "www-cdjinniu-gov-cn");
    }
}
