//! `gongkai check URL`: a county's self-check. Crawls one site, scores it (the default rubric or `--rubric`) and
//! prints the findings, most serious first, each followed by how to fix it (the rule's `advice` from the rubric
//! file), with the score and grade.
//!
//! Without `--out` the crawl goes into a temporary store that is deleted afterwards; with `--out DIR` the store is
//! DIR/store (WARC files kept, so the evidence can be replayed) and DIR also gets results.json, the site's 整改清单
//! (sites/<id>.html and sites/<id>.xlsx, the files an office hands on to whoever fixes the site) and report.html. `--json` puts the
//! site's result on standard output as JSON and the words on standard error, so a script can read one and a person
//! the other. The exit status tells a script the verdict (`--fail-on`, docs/commands.md): 4 不合格, 3 未检查.

use super::pipeline;
use crate::cli::CheckArgs;
use anyhow::{Context, Result};
use gongkai_config::{Grade, Level, Site};
use gongkai_scoring::{FindingKind, Results, SiteResult, SiteStatus};
use std::io::Write;
use std::path::{Path, PathBuf};

/// A self-check is an office checking its own site, so it may ask a little more of the server than a province-wide
/// assessment (sites.toml's usual 2/s): at 10 requests/s a 2,000-page site is crawled in under four minutes rather than
/// seventeen. `--rate` sets another; robots.txt Crawl-delay still applies.
const CHECK_RATE: f64 = 10.0;
/// Page and depth budgets of a self-check (sites.toml's defaults).
const CHECK_MAX_PAGES: u32 = 2000;
const CHECK_MAX_DEPTH: u32 = 6;
/// Evidence lines printed per finding (the 整改清单 written with `--out` has all of them).
const EVIDENCE_SHOWN: usize = 5;

/// `--fail-on`: which verdicts make the exit status non-zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FailOn {
    /// 4 for 不合格, 3 for 未检查 (the default).
    Fail,
    /// 3 for 未检查 only.
    NotAssessed,
    /// 0 whenever the check ran to the end.
    Never,
}

impl FailOn {
    fn parse(text: &str) -> Result<FailOn> {
        match text.trim() {
            "不合格" | "fail" => Ok(FailOn::Fail),
            "未检查" | "unassessed" | "not-assessed" => Ok(FailOn::NotAssessed),
            "never" | "从不" => Ok(FailOn::Never),
            other => Err(super::usage(format!("--fail-on：无法识别的取值 {other:?}，可选 不合格、未检查 或 never"))),
        }
    }
}

pub fn run(args: CheckArgs) -> Result<()> {
    let url = url::Url::parse(&args.url).map_err(|e| super::usage(format!("网址 {:?} 无法解析：{e}", args.url)))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(super::usage(format!("网址 {:?}：应为带主机名的 http(s) 地址", args.url)));
    }
    let platform = match &args.platform {
        Some(p) => Some(url::Url::parse(p).map_err(|e| super::usage(format!("--platform {p:?} 无法解析：{e}")))?),
        None => None,
    };
    let fail_on = FailOn::parse(&args.fail_on)?;
    let level = Level::parse(&args.level).map_err(|e| super::usage(format!("--level：{e}")))?;
    let as_of_given = args.as_of.is_some();
    let as_of = super::as_of(args.as_of.as_deref())?;
    let opts = pipeline::crawl_options(&args.crawl)?;
    let calendar = pipeline::load_calendar(args.calendar.as_deref())?;
    let rubric = pipeline::load_rubric(args.rubric.as_deref())?;
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

    let check = Check { site: &site, opts: &opts, calendar: &calendar, rubric: &rubric };
    let as_of = as_of_given.then_some(as_of);
    let results = match &args.out {
        Some(out) => {
            std::fs::create_dir_all(out).with_context(|| format!("创建输出目录 {}", out.display()))?;
            let results = check.run_in(&out.join("store"), as_of)?;
            let written = write_outputs(&results, out)?;
            for p in &written {
                eprintln!("已写入 {}", p.display());
            }
            results
        }
        None => {
            let dir = std::env::temp_dir().join(format!("gongkai-check-{}-{}", site.id, std::process::id()));
            let results = check.run_in(&dir, as_of);
            let _ = std::fs::remove_dir_all(&dir);
            results?
        }
    };
    let result = results.sites.first().context("该网站没有评分结果")?;
    if args.json {
        let mut out = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut out, result).context("生成该网站结果的 JSON")?;
        writeln!(out).context("写入标准输出")?;
        print_result(&mut std::io::stderr().lock(), result)?;
    } else {
        print_result(&mut std::io::stdout().lock(), result)?;
    }
    verdict(result, fail_on)
}

/// The exit status `--fail-on` asks for, as an error carrying it (or Ok for 0).
fn verdict(result: &SiteResult, fail_on: FailOn) -> Result<()> {
    match (result.status, fail_on) {
        (_, FailOn::Never) => Ok(()),
        (SiteStatus::NotAssessed, _) => Err(anyhow::Error::new(super::NotAssessed(
            result.status_reason.clone().unwrap_or_else(|| "网站无法读取".to_string()),
        ))),
        (SiteStatus::Assessed, FailOn::Fail) if result.grade == Grade::Fail => {
            let why = if result.vetoed {
                format!("单项否决（{}）", veto_titles(result).join("、"))
            } else {
                format!("得分 {}，低于合格线", trim(result.score))
            };
            Err(anyhow::Error::new(super::FailedCheck(why)))
        }
        (SiteStatus::Assessed, _) => Ok(()),
    }
}

/// What one self-check needs besides its store.
struct Check<'a> {
    site: &'a Site,
    opts: &'a gongkai_crawler::CrawlOptions,
    calendar: &'a gongkai_config::Calendar,
    rubric: &'a gongkai_config::Rubric,
}

impl Check<'_> {
    /// Crawl into the store at `dir`, score, and name the site from its home page.
    fn run_in(&self, dir: &Path, as_of: Option<chrono::DateTime<chrono::FixedOffset>>) -> Result<Results> {
        let store = pipeline::open_store(dir)?;
        let progress = gongkai_crawler::stderr_progress();
        let sites = std::slice::from_ref(self.site);
        pipeline::crawl(sites, &store, self.opts, progress.as_ref())?;
        let as_of = match as_of {
            Some(t) => t,
            None => super::as_of(None)?,
        };
        let mut results = pipeline::score(
            &store,
            sites,
            self.rubric,
            self.calendar,
            as_of,
            &[],
            &gongkai_config::Filings::default(),
        )?;
        let name = home_page_name(&store, self.site, as_of.date_naive());
        let result = results.sites.first_mut().context("该网站没有评分结果")?;
        if let Some(name) = name {
            result.name = name;
        }
        Ok(results)
    }
}

/// results.json, sites/<id>.html and sites/<id>.xlsx in `out`, and report.html (the page the 整改清单 links back
/// to); returns what was written.
fn write_outputs(results: &Results, out: &Path) -> Result<Vec<PathBuf>> {
    let json = out.join("results.json");
    gongkai_reports::write_results_json(results, &json)?;
    let mut written = vec![json];
    written.extend(gongkai_reports::write_site_pages(results, None, out)?);
    let report = out.join("report.html");
    std::fs::write(&report, gongkai_reports::report_html(results, None)?)
        .with_context(|| format!("写入 {}", report.display()))?;
    written.push(report);
    let xlsx = out.join("sites").join(format!("{}.xlsx", results.sites[0].id));
    let bytes = gongkai_reports::report_xlsx(results, None)?;
    std::fs::write(&xlsx, bytes).with_context(|| format!("写入 {}", xlsx.display()))?;
    written.push(xlsx);
    written.push(out.join("store"));
    Ok(written)
}

/// The site's name as its home page gives it: the `<title>` without the usual 首页/欢迎 decorations (`首页 -
/// 某某县人民政府` → `某某县人民政府`); None when the home page was not archived or has no usable title.
fn home_page_name(store: &gongkai_archive::Store, site: &Site, t0: chrono::NaiveDate) -> Option<String> {
    let capture = store.latest_capture(&site.id).ok()??;
    let home = capture
        .pages
        .iter()
        .find(|p| p.url == site.url && p.status == 200)
        .or_else(|| capture.pages.iter().find(|p| p.depth == 0 && p.status == 200))?;
    let doc = gongkai_scoring::analysis::page::parse_page(home, t0);
    name_from_title(&doc.title)
}

/// The most name-like part of a page title.
fn name_from_title(title: &str) -> Option<String> {
    const GENERIC: [&str; 6] = ["首页", "主页", "网站首页", "门户首页", "欢迎访问", "欢迎光临"];
    let parts: Vec<&str> = title
        .split(['-', '|', '_', '—', '｜', '–', '·'])
        .map(|p| p.trim().trim_start_matches("欢迎访问").trim_start_matches("欢迎光临").trim())
        .filter(|p| !p.is_empty() && !GENERIC.contains(p))
        .collect();
    let pick = parts
        .iter()
        .find(|p| p.contains("人民政府") || p.ends_with("政府") || p.contains("网"))
        .or_else(|| parts.first())?;
    let name: String = pick.chars().take(60).collect();
    Some(name)
}

/// `www.cdjinniu.gov.cn` → `www-cdjinniu-gov-cn`.
fn site_id(host: &str) -> String {
    let id: String =
        host.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    id.trim_matches('-').to_string()
}

fn veto_titles(r: &SiteResult) -> Vec<&str> {
    r.vetoes
        .iter()
        .map(|rule| {
            r.findings
                .iter()
                .find(|f| &f.rule == rule && !f.title.trim().is_empty())
                .map(|f| f.title.as_str())
                .unwrap_or(rule)
        })
        .collect()
}

fn print_result(o: &mut dyn Write, r: &SiteResult) -> Result<()> {
    print_lines(o, r).context("输出检查结果")
}

fn print_lines(o: &mut dyn Write, r: &SiteResult) -> std::io::Result<()> {
    writeln!(o, "{}  {}", r.name, r.url)?;
    if !r.assessed() {
        writeln!(o, "未检查：{}", r.status_reason.as_deref().unwrap_or("网站无法读取"))?;
        writeln!(o, "网站未能读取，不评分、不扣分（退出状态 {}）。", super::EXIT_NOT_ASSESSED)?;
        writeln!(o, "抓取页面 {}，抓取错误 {}", r.crawl.pages, r.crawl.errors)?;
        for f in &r.findings {
            writeln!(o, "  [单项否决] {}  ({})", f.message, f.rule)?;
            advice(o, f)?;
        }
        return Ok(());
    }
    writeln!(o, "得分 {:.1}（扣分项得分 {:.1}，加分 {:.1}）  等级：{}", r.score, r.deduction_score, r.bonus, r.grade)?;
    if r.vetoed {
        writeln!(o, "单项否决：{}", veto_titles(r).join("、"))?;
    }
    writeln!(o, "抓取页面 {}，抓取错误 {}", r.crawl.pages, r.crawl.errors)?;
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
        writeln!(o, "未发现问题。")?;
    }
    for (i, f) in findings.iter().enumerate() {
        let kind = match f.kind {
            FindingKind::Veto => "单项否决".to_string(),
            FindingKind::Deduction => format!("扣 {} 分", trim(f.points)),
            FindingKind::Bonus => format!("加 {} 分", trim(f.points)),
        };
        writeln!(o, "{:>3}. [{}] {}  ({})", i + 1, kind, f.message, f.rule)?;
        for e in f.evidence.iter().take(EVIDENCE_SHOWN) {
            writeln!(o, "       {}  {}", e.url, e.observed)?;
        }
        if f.evidence.len() > EVIDENCE_SHOWN {
            writeln!(o, "       …… 另有 {} 处", f.evidence.len() - EVIDENCE_SHOWN)?;
        }
        if f.kind != FindingKind::Bonus {
            advice(o, f)?;
        }
    }
    Ok(())
}

/// `       整改建议：…`, when the rubric gives advice for the rule.
fn advice(o: &mut dyn Write, f: &gongkai_scoring::Finding) -> std::io::Result<()> {
    let advice = f.advice.trim();
    if !advice.is_empty() {
        writeln!(o, "       整改建议：{advice}")?;
    }
    Ok(())
}

fn trim(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_id_from_host() {
        assert_eq!(site_id("www.CDjinniu.gov.cn"), "www-cdjinniu-gov-cn");
    }

    #[test]
    fn name_from_home_page_title() {
        assert_eq!(name_from_title("首页 - 金牛区人民政府").as_deref(), Some("金牛区人民政府"));
        assert_eq!(name_from_title("云溪县人民政府门户网站").as_deref(), Some("云溪县人民政府门户网站"));
        assert_eq!(name_from_title("欢迎访问示范市教育局网站 | 首页").as_deref(), Some("示范市教育局网站"));
        assert_eq!(name_from_title("  首页 "), None);
        assert_eq!(name_from_title(""), None);
    }

    #[test]
    fn fail_on_values() {
        assert_eq!(FailOn::parse("不合格").unwrap(), FailOn::Fail);
        assert_eq!(FailOn::parse("unassessed").unwrap(), FailOn::NotAssessed);
        assert_eq!(FailOn::parse("never").unwrap(), FailOn::Never);
        let err = FailOn::parse("sometimes").unwrap_err();
        assert_eq!(super::super::exit_code(&err), 2);
        assert!(err.to_string().contains("sometimes"));
    }
}
