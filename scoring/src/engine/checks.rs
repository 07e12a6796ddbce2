//! One function per check kind of the rubric (`check = "…"` in a `[[rule]]`, see `gongkai_config::check`).
//! Each returns occurrences; the rule's kind, points and caps are applied in [`super::score`].
//!
//! Precision rule: a check never fires on a guess. A column the crawl did not archive is not judged stale; a list
//! that could not be read is blank and says why; a document whose dates fall outside the working-day calendar is not
//! judged late.

use super::{evidence, Ctx};
use crate::analysis::footer::outcome_label;
use crate::analysis::homepage;
use crate::analysis::privacy;
use crate::analysis::site::Column;
use crate::analysis::{dates, SiteAnalysis, Source};
use crate::results::Evidence;
use chrono::{Datelike, NaiveDate};
use gongkai_archive::ProbeSource;
use gongkai_config::check::*;
use gongkai_config::{Check, ColumnKind, Period};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// One occurrence of a check: placeholder values for the message, evidence, and (for checks with several outcomes)
/// which outcome it is.
#[derive(Debug, Clone, Default)]
pub struct Occurrence {
    pub values: BTreeMap<&'static str, String>,
    pub evidence: Vec<Evidence>,
    pub outcome: Option<&'static str>,
    /// Appended to the rule's message (e.g. how availability was measured).
    pub note: Option<String>,
}

impl Occurrence {
    fn new() -> Self {
        Self::default()
    }
    fn set(mut self, k: &'static str, v: impl Into<String>) -> Self {
        self.values.insert(k, v.into());
        self
    }
    fn ev(mut self, src: &Source, observed: impl Into<String>) -> Self {
        self.evidence.push(evidence(src, observed));
        self
    }
}

const NONE_ZH: &str = "无";

fn date_or_none(d: Option<NaiveDate>) -> String {
    d.map(dates::iso).unwrap_or_else(|| NONE_ZH.to_string())
}

fn window_start(p: Period, ctx: &Ctx) -> Option<NaiveDate> {
    p.window_start(ctx.t0, ctx.calendar).ok()
}

fn col_source(a: &SiteAnalysis, c: &Column) -> Source {
    match c.page {
        Some(p) => a.source(p),
        None => Source { url: c.url.clone(), warc: None },
    }
}

fn category_name(ctx: &Ctx, id: &str) -> String {
    ctx.rubric.categories.iter().find(|c| c.id == id).map(|c| c.name.clone()).unwrap_or_else(|| id.to_string())
}

/// A list column that can be judged for staleness: a list, archived, not blank.
fn judgeable_list(c: &Column) -> bool {
    c.is_list() && c.blank.is_none() && !c.unknown && c.kind != ColumnKind::Entry
}

fn is_stale(c: &Column, start: NaiveDate) -> bool {
    match c.newest {
        Some(d) => d < start,
        None => !c.items.is_empty(),
    }
}

pub fn occurrences(check: &Check, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    match check {
        Check::ProbeFailureRate(p) => probe_failure_rate(p, a, ctx),
        Check::ProbeFailurePercent(p) => probe_failure_percent(p, a, ctx),
        Check::HomepageStale(p) => homepage_stale(p, a, ctx),
        Check::StaleColumns(p) => stale_columns(p, a, ctx),
        Check::BlankColumns(p) => blank_columns(p, a),
        Check::MissingCategories(p) => missing_categories(p, a, ctx),
        Check::CategoryInactive(p) => category_inactive(p, a, ctx),
        Check::ReplyDelay(p) => reply_delay(p, a, ctx),
        Check::RepliesStale(p) => replies_stale(p, a, ctx),
        Check::FutureDates(p) => future_dates(p, a, ctx),
        Check::HiddenLinks(p) => hidden_links(p, a),
        Check::AnnualReport(p) => annual_report(p, a, ctx),
        Check::GuideElements(p) => guide_elements(p, a),
        Check::StatutoryCoverage(p) => statutory_coverage(p, a),
        Check::PublicationDelay(p) => publication_delay(p, a, ctx),
        Check::UndatedItems(p) => undated_items(p, a),
        Check::EntryBroken(p) => entry_broken(p, a),
        Check::BrokenLinks(p) => broken_links(p, a),
        Check::IdentityMissing(p) => super::identity::missing(p, a, ctx.rubric),
        Check::SearchForm(p) => search_form(p, a),
        Check::DomainRule(p) => domain_rule(p, a),
        Check::PrivacyExposure(p) => privacy_exposure(p, a),
        Check::Https(p) => https(p, a),
        Check::HomeKeywords(p) => home_keywords(p, a),
        Check::Manual(_) => Vec::new(),
    }
}

// ---- availability ---------------------------------------------------------------------------------------------

struct ProbeStats {
    probes: usize,
    failures: usize,
    from_crawl: bool,
}

impl ProbeStats {
    fn percent(&self) -> f64 {
        if self.probes == 0 {
            0.0
        } else {
            self.failures as f64 * 100.0 / self.probes as f64
        }
    }
}

/// A probe the site answered: 2xx, or 304 to the crawl's conditional request for an unchanged home page.
fn answered(status: u16) -> bool {
    (200..300).contains(&status) || status == 304
}

fn probe_stats(window: Period, a: &SiteAnalysis, ctx: &Ctx) -> (ProbeStats, String) {
    let start = match window.as_std() {
        Some(d) => ctx.as_of - chrono::Duration::from_std(d).unwrap_or_default(),
        None => {
            let s = window_start(window, ctx).unwrap_or(NaiveDate::MIN);
            s.and_hms_opt(0, 0, 0).unwrap().and_local_timezone(*ctx.as_of.offset()).single().unwrap_or(ctx.as_of)
        }
    };
    let timeout_ms = ctx.rubric.parameters.probe_timeout.as_std().map(|d| d.as_millis() as u64).unwrap_or(15_000);
    let in_window: Vec<_> = a.probes.iter().filter(|p| p.at >= start && p.at <= ctx.as_of).collect();
    let monitor: Vec<_> = in_window.iter().filter(|p| p.source == ProbeSource::Monitor).copied().collect();
    let (used, from_crawl) = if monitor.is_empty() { (in_window, true) } else { (monitor, false) };
    let failed: Vec<_> = used
        .iter()
        .filter(|p| p.error.is_some() || !p.status.is_some_and(answered) || p.duration_ms > timeout_ms)
        .collect();
    let mut what: Vec<String> = failed
        .iter()
        .take(10)
        .map(|p| {
            let why = match (&p.error, p.status) {
                (Some(e), _) => e.clone(),
                (None, Some(s)) if !answered(s) => format!("HTTP {s}"),
                _ => format!("{}毫秒未完成", p.duration_ms),
            };
            format!("{} {}", p.at.with_timezone(ctx.as_of.offset()).format("%Y-%m-%d %H:%M"), why)
        })
        .collect();
    if failed.len() > 10 {
        what.push(format!("等{}次", failed.len()));
    }
    let observed = format!("监测{}次，失败{}次：{}", used.len(), failed.len(), what.join("；"));
    (ProbeStats { probes: used.len(), failures: failed.len(), from_crawl }, observed)
}

fn probe_occurrence(s: &ProbeStats, window: Period, a: &SiteAnalysis, observed: &str) -> Occurrence {
    let mut o = Occurrence::new()
        .set("probes", s.probes.to_string())
        .set("failures", s.failures.to_string())
        .set("percent", format!("{:.1}", s.percent()))
        .set("window", window.label_zh())
        .ev(&a.home_source(), observed);
    if s.from_crawl {
        o.note = Some("（未运行可用性监测，依据抓取时对首页的访问记录计算）".to_string());
    }
    o
}

fn probe_failure_rate(p: &ProbeFailureRate, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let (s, observed) = probe_stats(p.window, a, ctx);
    if s.probes as u32 >= p.min_probes && s.probes > 0 && s.percent() >= p.at_least_percent {
        return vec![probe_occurrence(&s, p.window, a, &observed)];
    }
    Vec::new()
}

fn probe_failure_percent(p: &ProbeFailurePercent, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let (s, observed) = probe_stats(p.window, a, ctx);
    if (s.probes as u32) < p.min_probes.max(1) || s.percent() >= p.below_percent {
        return Vec::new();
    }
    // one occurrence per whole percent; the evidence says it once
    let n = s.percent().floor() as usize;
    let mut out = vec![probe_occurrence(&s, p.window, a, &observed)];
    for k in 1..n {
        let mut o = out[0].clone();
        o.evidence = vec![evidence(&a.home_source(), format!("不可用率第{}个百分点", k + 1))];
        out.push(o);
    }
    out.truncate(n);
    out
}

// ---- freshness ---------------------------------------------------------------------------------------------------

fn homepage_stale(p: &HomepageStale, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let Some(h) = a.home else { return Vec::new() };
    if !a.docs[h].ok() {
        return Vec::new();
    }
    let Some(start) = window_start(p.window, ctx) else { return Vec::new() };
    let newest = a.home_items.iter().filter_map(|i| i.date).max();
    let src = a.source(h);
    match newest {
        Some(d) if d >= start => Vec::new(),
        Some(d) => vec![Occurrence::new()
            .set("newest", dates::iso(d))
            .set("window", p.window.label_zh())
            .ev(&src, format!("首页链接信息最新日期 {}", dates::iso(d)))],
        None => {
            if !p.navigation_fallback {
                return vec![Occurrence::new()
                    .set("newest", NONE_ZH)
                    .set("window", p.window.label_zh())
                    .ev(&src, "首页没有带日期的信息")];
            }
            // navigation-only home page: judge the second-level columns
            let newest_col = a.columns.iter().filter(|c| judgeable_list(c)).filter_map(|c| c.newest).max();
            match newest_col {
                Some(d) if d >= start => Vec::new(),
                d => vec![Occurrence::new()
                    .set("newest", date_or_none(d))
                    .set("window", p.window.label_zh())
                    .ev(&src, format!("首页仅有导航，无带日期的信息；各栏目最新信息日期 {}", date_or_none(d)))],
            }
        }
    }
}

fn term_matches(t: &StaleTerm, c: &Column) -> bool {
    let cat_ok =
        t.categories.iter().any(|x| x == "*") || c.category.as_ref().is_some_and(|cat| t.categories.contains(cat));
    cat_ok && (!t.first_level_only || c.first_level)
}

fn stale_columns(p: &StaleColumns, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for c in &a.columns {
        if p.count_blank && c.blank.is_some() {
            let reason = c.blank.clone().unwrap_or_default();
            out.push(
                Occurrence::new()
                    .set("column", c.name.clone())
                    .set("category", c.category.clone().unwrap_or_default())
                    .set("url", c.url.to_string())
                    .set("newest", NONE_ZH)
                    .set("window", "")
                    .ev(&col_source(a, c), format!("空白栏目：{reason}")),
            );
            continue;
        }
        if !judgeable_list(c) {
            continue;
        }
        let Some(term) = p.columns.iter().find(|t| term_matches(t, c)) else { continue };
        let Some(start) = window_start(term.window, ctx) else { continue };
        if is_stale(c, start) {
            let observed = match c.newest {
                Some(d) => format!("最新信息日期 {}（应不早于 {}）", dates::iso(d), dates::iso(start)),
                None => format!("首页{}条信息均无可识别日期", c.items.len()),
            };
            out.push(
                Occurrence::new()
                    .set("column", c.name.clone())
                    .set("category", c.category.clone().unwrap_or_default())
                    .set("url", c.url.to_string())
                    .set("newest", date_or_none(c.newest))
                    .set("window", term.window.label_zh())
                    .ev(&col_source(a, c), observed),
            );
        }
    }
    out
}

fn blank_columns(p: &BlankColumns, a: &SiteAnalysis) -> Vec<Occurrence> {
    a.columns
        .iter()
        .filter(|c| c.blank.is_some())
        .filter(|c| p.categories.as_ref().is_none_or(|cats| c.category.as_ref().is_some_and(|x| cats.contains(x))))
        .map(|c| {
            let reason = c.blank.clone().unwrap_or_default();
            Occurrence::new()
                .set("column", c.name.clone())
                .set("url", c.url.to_string())
                .set("reason", reason.clone())
                .ev(&col_source(a, c), reason)
        })
        .collect()
}

fn missing_categories(p: &MissingCategories, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let home = a.home_source();
    p.required_for(a.site.level)
        .iter()
        .filter(|cat| {
            !a.columns
                .iter()
                .any(|c| c.category.as_deref() == Some(cat.as_str()) && (p.within == Within::Site || c.on_platform))
        })
        .map(|cat| {
            let name = category_name(ctx, cat);
            let where_ = if p.within == Within::Platform { "政府信息公开专栏" } else { "网站" };
            Occurrence::new()
                .set("category", cat.clone())
                .set("category_name", name.clone())
                .ev(&home, format!("{where_}未发现“{name}”类栏目"))
        })
        .collect()
}

fn category_inactive(p: &CategoryInactive, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let Some(start) = window_start(p.window, ctx) else { return Vec::new() };
    let mut out = Vec::new();
    for cat in &p.categories {
        let cols: Vec<&Column> = a.columns.iter().filter(|c| c.category.as_deref() == Some(cat.as_str())).collect();
        // an archived column we could not judge (not crawled) is not called inactive
        if cols.iter().any(|c| c.unknown) && !cols.iter().any(|c| c.newest.is_some()) {
            continue;
        }
        let newest = cols.iter().filter_map(|c| c.newest).max();
        if newest.is_some_and(|d| d >= start) {
            continue;
        }
        let name = category_name(ctx, cat);
        let (src, observed) = match cols.first() {
            Some(c) => (col_source(a, c), format!("栏目最新信息日期 {}", date_or_none(newest))),
            None => (a.home_source(), format!("未发现“{name}”类栏目")),
        };
        out.push(
            Occurrence::new()
                .set("category", cat.clone())
                .set("category_name", name)
                .set("newest", date_or_none(newest))
                .set("window", p.window.label_zh())
                .ev(&src, observed),
        );
    }
    out
}

// ---- interaction ---------------------------------------------------------------------------------------------------

fn messages_of<'a>(a: &'a SiteAnalysis, categories: &[String]) -> Vec<&'a crate::analysis::messages::Message> {
    a.messages.iter().filter(|m| categories.contains(&m.category)).collect()
}

fn reply_delay(p: &ReplyDelay, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let Some(start) = window_start(p.lookback, ctx) else { return Vec::new() };
    let mut out = Vec::new();
    for m in messages_of(a, &p.categories) {
        if m.posted < start {
            continue;
        }
        let late = match m.replied {
            Some(r) => p.limit.exceeded(m.posted, r, ctx.calendar).unwrap_or(false),
            None => p.count_unanswered && p.limit.exceeded(m.posted, ctx.t0, ctx.calendar).unwrap_or(false),
        };
        if late {
            let replied = m.replied.map(dates::iso).unwrap_or_else(|| "未答复".to_string());
            out.push(
                Occurrence::new()
                    .set("title", m.title.clone())
                    .set("url", m.source.url.to_string())
                    .set("posted", dates::iso(m.posted))
                    .set("replied", replied.clone())
                    .set("limit", p.limit.label_zh())
                    .ev(&m.source, format!("留言 {}，答复 {}", dates::iso(m.posted), replied)),
            );
        }
    }
    out
}

fn replies_stale(p: &RepliesStale, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let cols: Vec<&Column> =
        a.columns.iter().filter(|c| c.category.as_ref().is_some_and(|x| p.categories.contains(x))).collect();
    if cols.is_empty() || cols.iter().all(|c| c.unknown) {
        return Vec::new();
    }
    let Some(start) = window_start(p.window, ctx) else { return Vec::new() };
    let newest = messages_of(a, &p.categories).iter().filter_map(|m| m.replied).max();
    if newest.is_some_and(|d| d >= start) {
        return Vec::new();
    }
    let src = col_source(a, cols[0]);
    vec![Occurrence::new()
        .set("newest", date_or_none(newest))
        .set("window", p.window.label_zh())
        .ev(&src, format!("最新答复日期 {}", date_or_none(newest)))]
}

// ---- integrity --------------------------------------------------------------------------------------------------------

fn future_dates(p: &FutureDates, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let limit = match p.tolerance {
        Period::Days(n) => ctx.t0 + chrono::Days::new(n as u64),
        other => ctx.t0 + chrono::Days::new(other.as_std().map(|d| d.as_secs().div_ceil(86_400)).unwrap_or(1)),
    };
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for t in &a.dated_things {
        if t.date > limit && seen.insert(t.url.to_string()) {
            out.push(
                Occurrence::new()
                    .set("date", dates::iso(t.date))
                    .set("title", t.title.clone())
                    .set("url", t.url.to_string())
                    .ev(&t.source, format!("发布日期 {}，检查时间 {}", dates::iso(t.date), dates::iso(ctx.t0))),
            );
        }
    }
    out
}

fn hidden_links(p: &HiddenLinks, a: &SiteAnalysis) -> Vec<Occurrence> {
    let words: Vec<String> = p.words.iter().map(|w| w.to_lowercase()).collect();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for l in &a.hidden_links {
        let text = l.text.to_lowercase();
        let target = l.target.as_str().to_lowercase();
        let hit = words.iter().any(|w| text.contains(w) || target.contains(w))
            || p.patterns.iter().any(|r| r.is_match(&l.text) || r.is_match(l.target.as_str()));
        if hit && seen.insert((l.source.url.to_string(), l.target.to_string(), l.text.clone())) {
            out.push(
                Occurrence::new()
                    .set("text", l.text.clone())
                    .set("target", l.target.to_string())
                    .set("url", l.source.url.to_string())
                    .set("how", "以CSS隐藏")
                    .ev(&l.source, format!("隐藏链接“{}” → {}", l.text, l.target)),
            );
        }
    }
    out
}

// ---- disclosure ---------------------------------------------------------------------------------------------------------

static REPORT_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年度?.*(?:年度报告|年报)").unwrap());

fn annual_report(p: &AnnualReport, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let Some(md) = p.deadline.get(&a.site.level) else { return Vec::new() };
    let y = ctx.t0.year();
    let deadline = md.in_year(y);
    let cols: Vec<&Column> = a.columns.iter().filter(|c| c.category.as_deref() == Some(p.category.as_str())).collect();
    let report = cols
        .iter()
        .flat_map(|c| c.items.iter().map(move |i| (*c, i)))
        .find(|(_, i)| REPORT_YEAR.captures(&i.title).is_some_and(|cap| cap[1].parse::<i32>().ok() == Some(y - 1)));
    match report {
        None if ctx.t0 > deadline => {
            if cols.iter().any(|c| c.unknown) {
                return Vec::new();
            }
            let src = cols.first().map(|c| col_source(a, c)).unwrap_or_else(|| a.home_source());
            vec![Occurrence {
                outcome: Some("missing"),
                ..Occurrence::new()
                    .set("year", (y - 1).to_string())
                    .set("deadline", dates::iso(deadline))
                    .set("published", "未发布")
                    .ev(&src, format!("未发现{}年政府信息公开工作年度报告", y - 1))
            }]
        }
        Some((c, item)) => match item.date {
            Some(d) if d > deadline => {
                let src = match &item.url {
                    Some(u) => Source { url: u.clone(), warc: None },
                    None => col_source(a, c),
                };
                vec![Occurrence {
                    outcome: Some("late"),
                    ..Occurrence::new()
                        .set("year", (y - 1).to_string())
                        .set("deadline", dates::iso(deadline))
                        .set("published", format!("{}发布", dates::iso(d)))
                        .ev(&src, format!("“{}”发布日期 {}，晚于 {}", item.title, dates::iso(d), dates::iso(deadline)))
                }]
            }
            _ => Vec::new(),
        },
        None => Vec::new(),
    }
}

fn guide_elements(p: &GuideElements, a: &SiteAnalysis) -> Vec<Occurrence> {
    let pages: Vec<usize> = a
        .columns
        .iter()
        .filter(|c| c.category.as_deref() == Some(p.category.as_str()))
        .filter_map(|c| c.page)
        .filter(|&i| a.docs[i].ok())
        .collect();
    let Some(&first) = pages.first() else { return Vec::new() };
    let text: String = pages.iter().map(|&i| a.docs[i].main_text.as_str()).collect::<Vec<_>>().join(" ");
    let src = a.source(first);
    p.elements
        .iter()
        .filter(|e| !e.found_in(&text))
        .map(|e| {
            Occurrence::new()
                .set("element", e.name.clone())
                .set("url", src.url.to_string())
                .ev(&src, format!("指南中未见“{}”", e.name))
        })
        .collect()
}

fn statutory_coverage(p: &StatutoryCoverage, a: &SiteAnalysis) -> Vec<Occurrence> {
    let Some(root) = &a.platform_root else {
        // no platform at all: every clause is uncovered
        let src = a.home_source();
        return p
            .items
            .iter()
            .map(|i| {
                Occurrence::new()
                    .set("clause", i.clause.clone())
                    .set("title", i.title.clone())
                    .ev(&src, "未发现政府信息公开专栏")
            })
            .collect();
    };
    let mut names: Vec<String> = a.columns.iter().filter(|c| c.on_platform).map(|c| c.name.clone()).collect();
    for c in a.columns.iter().filter(|c| c.on_platform && matches!(c.kind, ColumnKind::Container)) {
        if let Some(pg) = c.page {
            // the container's own list names its sub-columns (not every link of the page: a menu without
            // navigation markup would lend the platform the main site's column names)
            names.extend(a.docs[pg].list.items.iter().map(|i| i.title.clone()));
        }
    }
    let src = Source { url: root.clone(), warc: None };
    p.items
        .iter()
        .filter(|i| !i.keywords.iter().any(|k| names.iter().any(|n| n.contains(k.as_str()))))
        .map(|i| {
            Occurrence::new()
                .set("clause", i.clause.clone())
                .set("title", i.title.clone())
                .ev(&src, format!("专栏栏目中未见第二十条{}相关栏目", i.clause))
        })
        .collect()
}

fn publication_delay(p: &PublicationDelay, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for d in &a.documents {
        if !seen.insert(d.source.url.to_string()) {
            continue;
        }
        if p.limit.exceeded(d.written, d.published, ctx.calendar).unwrap_or(false) {
            out.push(
                Occurrence::new()
                    .set("title", d.title.clone())
                    .set("url", d.source.url.to_string())
                    .set("written", dates::iso(d.written))
                    .set("published", dates::iso(d.published))
                    .set("limit", p.limit.label_zh())
                    .ev(&d.source, format!("成文日期 {}，发布日期 {}", dates::iso(d.written), dates::iso(d.published))),
            );
        }
    }
    out
}

fn undated_items(p: &UndatedItems, a: &SiteAnalysis) -> Vec<Occurrence> {
    a.columns
        .iter()
        .filter(|c| judgeable_list(c) && !c.items.is_empty())
        .filter(|c| {
            let undated = c.items.len() - c.dated_items();
            undated as f64 > p.more_than_share * c.items.len() as f64
        })
        .map(|c| {
            let undated = c.items.len() - c.dated_items();
            Occurrence::new()
                .set("column", c.name.clone())
                .set("url", c.url.to_string())
                .set("undated", undated.to_string())
                .set("items", c.items.len().to_string())
                .ev(&col_source(a, c), format!("首页{}条信息中{}条无日期", c.items.len(), undated))
        })
        .collect()
}

// ---- service and design ------------------------------------------------------------------------------------------------

fn entry_broken(p: &EntryBroken, a: &SiteAnalysis) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for c in a.columns.iter().filter(|c| c.category.as_ref().is_some_and(|x| p.categories.contains(x))) {
        let status = if let Some(lc) = a.link_checks.get(c.url.as_str()) {
            lc.is_broken().then(|| outcome_label(lc))
        } else if let Some(pg) = c.page {
            (!a.docs[pg].ok()).then(|| format!("HTTP {}", a.docs[pg].status))
        } else {
            None
        };
        if let Some(status) = status {
            out.push(
                Occurrence::new()
                    .set("column", c.name.clone())
                    .set("url", c.url.to_string())
                    .set("status", status.clone())
                    .ev(
                        &Source { url: c.url.clone(), warc: c.page.map(|p| a.docs[p].warc.clone()) },
                        format!("入口链接访问结果：{status}"),
                    ),
            );
        }
    }
    out
}

fn broken_links(p: &BrokenLinks, a: &SiteAnalysis) -> Vec<Occurrence> {
    let home_targets: BTreeSet<String> =
        a.home_doc().map(|h| h.links.iter().map(|l| l.href.as_str().to_string()).collect()).unwrap_or_default();
    // target → first page that links it
    let mut found: BTreeMap<String, usize> = BTreeMap::new();
    for (i, d) in a.docs.iter().enumerate() {
        if !d.ok() || !d.is_html {
            continue;
        }
        let is_home = Some(i) == a.home;
        let wanted = match p.scope {
            LinkScope::Home => is_home,
            LinkScope::Elsewhere => !is_home,
            LinkScope::All => true,
        };
        if !wanted {
            continue;
        }
        for l in &d.links {
            let t = l.href.as_str();
            if p.scope == LinkScope::Elsewhere && home_targets.contains(t) {
                continue;
            }
            if a.link_checks.get(t).is_some_and(|lc| lc.is_broken()) {
                found.entry(t.to_string()).or_insert(i);
            }
        }
    }
    found
        .into_iter()
        .map(|(t, i)| {
            let lc = &a.link_checks[&t];
            let status = outcome_label(lc);
            let src = a.source(i);
            Occurrence::new()
                .set("target", t.clone())
                .set("source", src.url.to_string())
                .set("status", status.clone())
                .ev(&src, format!("链接 {t} 访问结果：{status}"))
        })
        .collect()
}

fn search_form(p: &SearchForm, a: &SiteAnalysis) -> Vec<Occurrence> {
    if a.home.is_none() || homepage::has_search_form(&a.footer, &p.hints) {
        return Vec::new();
    }
    vec![Occurrence::new().ev(&a.home_source(), "首页未发现站内搜索表单")]
}

fn domain_rule(p: &DomainRule, a: &SiteAnalysis) -> Vec<Occurrence> {
    let host = a.site.url.host_str().unwrap_or("").to_ascii_lowercase();
    if p.pattern_for(a.site.level).is_match(&host) {
        return Vec::new();
    }
    let expected = if a.site.level.is_government() { "www.<名称>.gov.cn" } else { "<部门>.<政府域名>.gov.cn" };
    vec![Occurrence::new()
        .set("host", host.clone())
        .set("expected", expected)
        .ev(&a.home_source(), format!("域名 {host}"))]
}

fn privacy_exposure(p: &PrivacyExposure, a: &SiteAnalysis) -> Vec<Occurrence> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (src, e) in &a.exposures {
        if !seen.insert(src.url.to_string()) {
            continue;
        }
        let mut kinds = Vec::new();
        let mut samples = Vec::new();
        if p.id_numbers && !e.id_numbers.is_empty() {
            kinds.push("身份证号");
            samples.extend(e.id_numbers.iter().map(|s| privacy::mask(s)));
        }
        let cards: Vec<&String> = e
            .card_numbers
            .iter()
            .filter(|c| (p.card_digits[0]..=p.card_digits[1]).contains(&(c.len() as u32)))
            .collect();
        if p.bank_cards && !cards.is_empty() {
            kinds.push("银行卡号");
            samples.extend(cards.iter().map(|s| privacy::mask(s)));
        }
        if kinds.is_empty() {
            continue;
        }
        let kinds = kinds.join("、");
        let sample = samples.join("、");
        out.push(
            Occurrence::new()
                .set("url", src.url.to_string())
                .set("kinds", kinds.clone())
                .set("sample", sample.clone())
                .ev(src, format!("页面含{kinds}：{sample}")),
        );
    }
    out
}

// ---- bonus -------------------------------------------------------------------------------------------------------------

fn https(p: &Https, a: &SiteAnalysis) -> Vec<Occurrence> {
    let Some(h) = a.home_doc() else { return Vec::new() };
    if h.url.scheme() != "https" || !h.ok() {
        return Vec::new();
    }
    if p.require_redirect {
        let mut plain = h.url.clone();
        if plain.set_scheme("http").is_err() {
            return Vec::new();
        }
        let _ = plain.set_port(None);
        let redirects = a.docs.iter().any(|d| {
            d.url.scheme() == "http"
                && d.url.host_str() == h.url.host_str()
                && d.url.path() == h.url.path()
                && (300..400).contains(&d.status)
                && d.location.as_ref().is_some_and(|l| l.scheme() == "https")
        });
        if !redirects {
            return Vec::new();
        }
    }
    vec![Occurrence::new().set("url", h.url.to_string()).ev(&a.home_source(), "首页以HTTPS提供")]
}

fn home_keywords(p: &HomeKeywords, a: &SiteAnalysis) -> Vec<Occurrence> {
    if a.home.is_none() {
        return Vec::new();
    }
    match homepage::keyword_shown(&a.footer, &p.keywords) {
        Some(k) => vec![Occurrence::new()
            .set("keyword", k)
            .set("url", a.site.url.to_string())
            .ev(&a.home_source(), format!("首页含“{k}”入口"))],
        None => Vec::new(),
    }
}
