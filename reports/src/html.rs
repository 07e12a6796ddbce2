//! report.html and sites/<id>.html, rendered with minijinja from templates embedded in the binary.
//!
//! Safety of crawled text, in layers:
//! - templates end in `.html`, so minijinja auto-escapes every expression (`<`, `>`, `&`, `"`, `'`, `/`);
//! - a URL becomes a link only when it parses as http or https ([`safe_href`]); anything else (`javascript:`,
//!   `data:`) is shown as text;
//! - the ranking table and every detail are rendered here, server-side: no data is handed to script as JSON, so there
//!   is no `</script>` to escape;
//! - the report page carries a Content-Security-Policy allowing only its own inline script, by SHA-256 hash, and no
//!   network at all; the site pages allow no script. An escaping mistake would still not run anything.
//!
//! The page needs no network: CSS and the small sorting/filtering script are inline, charts are inline SVG, fonts are
//! whatever CJK fonts the reader's system has.

mod charts;

use crate::compare::{FindingRef, SiteChange};
use crate::csv_out::signed;
use crate::labels::*;
use crate::{fmt_points, fmt_score, Comparison};
use anyhow::{Context, Result};
use charts::*;
use gongkai_config::{Grade, Level};
use gongkai_scoring::{Finding, FindingKind, Results, SiteResult};
use minijinja::{context, Environment, UndefinedBehavior, Value};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

const REPORT_JS: &str = include_str!("../templates/report.js");

/// The whole report page.
pub fn report_html(results: &Results, comparison: Option<&Comparison>) -> Result<String> {
    crate::validate(results)?;
    Renderer::new(results, comparison)?.report()
}

/// One site's 整改清单 page (`sites/<id>.html`); `None` when no site has that id.
pub fn site_html(results: &Results, site_id: &str, comparison: Option<&Comparison>) -> Result<Option<String>> {
    crate::validate(results)?;
    let Some(site) = results.sites.iter().find(|s| s.id == site_id) else {
        return Ok(None);
    };
    Renderer::new(results, comparison)?.site(site).map(Some)
}

/// Templates compiled once, for rendering the report page and many site pages.
pub(crate) struct Renderer<'a> {
    env: Environment<'static>,
    results: &'a Results,
    comparison: Option<&'a Comparison>,
    changes: HashMap<&'a str, &'a SiteChange>,
    meta: Meta,
    /// How many region parts group sites (computed once: it looks at every site).
    region_depth: usize,
    /// 存档 links and screenshots (`crate::archive_links`).
    options: crate::ReportOptions,
}

#[derive(Serialize)]
struct Meta {
    /// The month assessed (`2026年11月`): results.json `assessment.period`, else the month of T0.
    period: Option<String>,
    /// The issuing office (`assessment.issuer`), when configured.
    issuer: Option<String>,
    as_of: String,
    generated_at: String,
    rubric: String,
    total: usize,
    /// Sites assessed (and ranked).
    ranked: usize,
    /// Sites not assessed (未检查).
    not_assessed: usize,
    previous_as_of: Option<String>,
}

impl<'a> Renderer<'a> {
    pub(crate) fn new(results: &'a Results, comparison: Option<&'a Comparison>) -> Result<Self> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.add_template("style.css", include_str!("../templates/style.css"))?;
        env.add_template("macros.html", include_str!("../templates/macros.html"))?;
        env.add_template("report.html", include_str!("../templates/report.html"))?;
        env.add_template("site.html", include_str!("../templates/site.html"))?;
        let changes = comparison.map(|c| c.sites.iter().map(|s| (s.id.as_str(), s)).collect()).unwrap_or_default();
        let meta = Meta {
            period: crate::bulletin::assessment_period(results).map(|m| m.label_zh()),
            issuer: results.assessment.issuer.clone().filter(|s| !s.trim().is_empty()),
            as_of: chinese_datetime(&results.assessment.as_of),
            generated_at: chinese_datetime(&results.assessment.generated_at),
            rubric: format!("{} {}", results.assessment.rubric.id, results.assessment.rubric.version),
            total: results.sites.len(),
            ranked: results.sites.iter().filter(|s| s.assessed()).count(),
            not_assessed: results.sites.iter().filter(|s| !s.assessed()).count(),
            previous_as_of: comparison.map(|c| chinese_datetime(&c.previous_as_of)),
        };
        let options = crate::ReportOptions::default();
        Ok(Renderer { env, results, comparison, changes, meta, region_depth: region_group_depth(results), options })
    }

    /// Where 存档 links go and which screenshots the site pages show.
    pub(crate) fn with_options(mut self, options: crate::ReportOptions) -> Self {
        self.options = options;
        self
    }

    /// Fill in each evidence entry's 存档 link (the record it cites; the site's crawl start as the replay time).
    fn link_archive<'v>(&self, s: &SiteResult, findings: impl Iterator<Item = &'v mut FindingView>) {
        let ts = crate::replay_timestamp(&s.crawl.started_at)
            .or_else(|| crate::replay_timestamp(&self.results.assessment.as_of))
            .unwrap_or_default();
        for f in findings {
            for e in &mut f.evidence {
                e.archive_href = self.options.replay.href(&e.url, e.warc_record.as_deref(), &ts);
            }
        }
    }

    pub(crate) fn report(&self) -> Result<String> {
        // The ranking, charts and counts cover the assessed sites; the others are listed apart (未检查网站).
        let (ranked, not_assessed) = crate::split_ranked(self.results);
        let depth = self.region_depth;
        let rows: Vec<SiteView> = ranked.iter().map(|s| self.site_view(s, depth, false)).collect();
        let unassessed: Vec<SiteView> = not_assessed.iter().map(|s| self.site_view(s, depth, false)).collect();

        let mut regions: BTreeMap<String, (String, usize)> = BTreeMap::new();
        for s in &ranked {
            let (key, label) = region_group(&s.region, depth);
            regions.entry(key).or_insert((label, 0)).1 += 1;
        }
        let regions: Vec<Option_> = regions
            .into_iter()
            .map(|(value, (label, n))| Option_ { value, label: format!("{label}（{n}）") })
            .collect();
        let mut levels: Vec<Level> = ranked.iter().map(|s| s.level).collect();
        levels.sort_by_key(|l| level_order(*l));
        levels.dedup();
        let levels: Vec<Option_> = levels
            .into_iter()
            .map(|l| Option_ {
                value: l.as_str().to_string(),
                label: format!("{}（{}）", l.label_zh(), ranked.iter().filter(|s| s.level == l).count()),
            })
            .collect();

        let summary = Summary::of(&ranked, &not_assessed);
        let charts =
            Charts { histogram: histogram(&ranked), regions: region_chart(&ranked, depth), rules: rule_chart(&ranked) };
        let movers = self.comparison.map(Movers::of);

        let tmpl = self.env.get_template("report.html")?;
        tmpl.render(context! {
            meta => &self.meta,
            summary,
            charts,
            rows,
            unassessed,
            regions,
            levels,
            grades => GRADES,
            movers,
            has_comparison => self.comparison.is_some(),
            script => Value::from_safe_string(REPORT_JS.to_string()),
            csp => Value::from_safe_string(csp(Some(REPORT_JS))),
        })
        .context("生成 report.html")
    }

    pub(crate) fn site(&self, site: &SiteResult) -> Result<String> {
        let view = self.site_view(site, self.region_depth, true);
        let tmpl = self.env.get_template("site.html")?;
        tmpl.render(context! {
            meta => &self.meta,
            site => view,
            has_comparison => self.comparison.is_some(),
            csp => Value::from_safe_string(csp(None)),
        })
        .with_context(|| format!("生成 sites/{}.html", site.id))
    }

    fn site_view(&self, s: &SiteResult, depth: usize, full: bool) -> SiteView {
        let (region_key, region_label) = region_group(&s.region, depth);
        let findings = findings_by_seriousness(s);
        let mut problems: Vec<FindingView> =
            findings.iter().filter(|f| f.kind != FindingKind::Bonus).map(|f| finding_view(f)).collect();
        let mut bonuses: Vec<FindingView> =
            findings.iter().filter(|f| f.kind == FindingKind::Bonus).map(|f| finding_view(f)).collect();
        self.link_archive(s, problems.iter_mut().chain(bonuses.iter_mut()));
        let change = self.changes.get(s.id.as_str()).map(|c| change_view(c));
        let assessed = s.assessed();
        SiteView {
            assessed,
            status_reason: if assessed { String::new() } else { crate::not_assessed_reason(s) },
            unreachable_black: crate::unreachable_black(s),
            review: s.review.iter().map(|r| ReviewView { check: r.check.clone(), reason: r.reason.clone() }).collect(),
            review_text: crate::review_text(s),
            filed_downtime: s
                .filed_downtime
                .iter()
                .map(|f| FiledView {
                    from: crate::labels::chinese_datetime(&f.from),
                    to: crate::labels::chinese_datetime(&f.to),
                    reason: f.reason.clone(),
                    excluded_probes: f.excluded_probes,
                })
                .collect(),
            ipv6_text: s.ipv6.as_ref().map(ipv6_text).unwrap_or_default(),
            id: s.id.clone(),
            name: s.name.clone(),
            href: safe_href(&s.url),
            url: s.url.clone(),
            region: region_path(&s.region),
            region_group: region_key,
            region_label,
            level: s.level.as_str().to_string(),
            level_name: s.level.label_zh().to_string(),
            level_order: level_order(s.level),
            rank: s.rank,
            score: fmt_score(s.score),
            score_num: if s.score.is_finite() { crate::round2(s.score) } else { 0.0 },
            deduction_score: fmt_score(s.deduction_score),
            bonus: fmt_score(s.bonus),
            grade: s.grade.to_string(),
            grade_code: grade_code(s.grade),
            grade_order: grade_order(s.grade),
            list: list_code(s.list),
            list_name: list_name(s.list),
            vetoes: s.vetoes.iter().map(|v| veto_title(s, v).to_string()).collect(),
            problem_count: problems.len(),
            deducted: fmt_points(
                s.findings.iter().filter(|f| f.kind == FindingKind::Deduction).map(|f| f.points).sum::<f64>(),
            ),
            search: format!("{} {} {}", s.name, s.id, region_path(&s.region)).to_lowercase(),
            problems,
            bonuses,
            change,
            columns: if full { s.columns.iter().map(column_view).collect() } else { Vec::new() },
            // A site that was not read has no identity to show (every element would read as missing).
            identity: if full && assessed { identity_view(s) } else { Vec::new() },
            // Screenshots of the vetoes' archived evidence pages (site pages only: paths are relative to sites/).
            screenshots: if full {
                self.options.screenshots.get(&s.id).cloned().unwrap_or_default()
            } else {
                Vec::new()
            },
            screenshot_note: if full && s.vetoed { self.options.screenshot_note.clone() } else { None },
            crawl: format!(
                "抓取页面{}个，出错{}个{}",
                s.crawl.pages,
                s.crawl.errors,
                match &s.crawl.finished_at {
                    Some(t) => format!("，完成于{}", chinese_datetime(t)),
                    None => "，抓取未完成".to_string(),
                }
            ),
        }
    }
}

/// The Content-Security-Policy for a page with the given inline script (or none): nothing from the network, inline
/// styles, `data:` images, and only the script whose hash is listed.
fn csp(script: Option<&str>) -> String {
    let script_src = match script {
        Some(js) => format!("'sha256-{}'", data_encoding::BASE64.encode(&Sha256::digest(js.as_bytes()))),
        None => "'none'".to_string(),
    };
    format!(
        "default-src 'none'; style-src 'unsafe-inline'; img-src data: 'self'; script-src {script_src}; base-uri 'none'; \
         form-action 'none'"
    )
}

/// A URL usable as a link: http or https only, in its normalised (percent-encoded) form; `None` otherwise.
pub(crate) fn safe_href(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    matches!(parsed.scheme(), "http" | "https").then(|| parsed.to_string())
}

#[derive(Serialize)]
struct Option_ {
    value: String,
    label: String,
}

#[derive(Serialize)]
struct ReviewView {
    check: String,
    reason: String,
}

/// results.json `ipv6` as one sentence for the site's page (the finding, if any, is among the problems).
fn ipv6_text(v: &gongkai_scoring::Ipv6Result) -> String {
    let home = match (v.home_same, v.home_status) {
        (Some(true), _) => "首页与 IPv4 一致".to_string(),
        (Some(false), Some(st)) => format!("首页与 IPv4 不一致（HTTP {st}）"),
        (Some(false), None) => "首页无法经 IPv6 访问".to_string(),
        (None, _) => "首页未比对".to_string(),
    };
    match v.has_aaaa {
        None => format!("未检查（{}）", v.lookup_error.as_deref().unwrap_or("域名查询失败")),
        Some(false) => "域名无 AAAA 记录，不支持 IPv6 访问".to_string(),
        Some(true) => format!(
            "AAAA 记录 {}；{home}；抽查二三级页面 {} 个，{} 个可经 IPv6 访问",
            v.addresses.join("、"),
            v.sampled,
            v.working
        ),
    }
}

/// A 网站临时报备 window and the probes it left out of availability.
#[derive(Serialize)]
struct FiledView {
    from: String,
    to: String,
    reason: String,
    excluded_probes: u32,
}

#[derive(Serialize)]
struct SiteView {
    /// False for a site that was not assessed (未检查): no score, no rank.
    assessed: bool,
    /// Why it was not assessed; empty for an assessed site.
    status_reason: String,
    /// Not assessed, but on the black list because the home page was unreachable (veto.unreachable).
    unreachable_black: bool,
    /// 需人工复核 warnings.
    review: Vec<ReviewView>,
    review_text: String,
    /// 网站临时报备 windows.
    filed_downtime: Vec<FiledView>,
    /// The IPv6 check in one Chinese sentence; empty when none was made.
    ipv6_text: String,
    id: String,
    name: String,
    href: Option<String>,
    url: String,
    region: String,
    /// The region group (see `region_group`) the region filter matches exactly.
    region_group: String,
    region_label: String,
    level: String,
    level_name: String,
    level_order: u8,
    rank: u32,
    score: String,
    score_num: f64,
    deduction_score: String,
    bonus: String,
    grade: String,
    grade_code: &'static str,
    grade_order: i8,
    list: &'static str,
    list_name: &'static str,
    vetoes: Vec<String>,
    problem_count: usize,
    deducted: String,
    search: String,
    problems: Vec<FindingView>,
    bonuses: Vec<FindingView>,
    change: Option<ChangeView>,
    columns: Vec<ColumnView>,
    identity: Vec<IdentityView>,
    screenshots: Vec<crate::Screenshot>,
    screenshot_note: Option<String>,
    crawl: String,
}

#[derive(Serialize)]
struct FindingView {
    kind: &'static str,
    kind_name: &'static str,
    rule: String,
    title: String,
    group: String,
    /// `否决`, `-2`, `+2`.
    points: String,
    /// `3处` when the finding counts more than one occurrence.
    occurrences: Option<String>,
    message: String,
    /// How to fix it, from the rubric file (empty when it gives none, and for bonuses).
    advice: String,
    evidence: Vec<EvidenceView>,
}

#[derive(Serialize)]
struct EvidenceView {
    href: Option<String>,
    /// The archived copy on the replay server (存档), see `crate::archive_links`.
    archive_href: Option<String>,
    url: String,
    observed: String,
    /// `file @ offset`, and the record id for the tooltip.
    warc: Option<String>,
    warc_record: Option<String>,
}

fn finding_view(f: &Finding) -> FindingView {
    FindingView {
        kind: kind_code(f.kind),
        kind_name: kind_name(f.kind),
        rule: f.rule.clone(),
        title: finding_title(f).to_string(),
        group: finding_group(f).to_string(),
        points: match f.kind {
            FindingKind::Veto => "否决".to_string(),
            FindingKind::Deduction => format!("-{}", fmt_points(f.points)),
            FindingKind::Bonus => signed(f.points),
        },
        occurrences: crate::occurrences_text(f),
        message: f.message.clone(),
        advice: if f.kind == FindingKind::Bonus { String::new() } else { f.advice.trim().to_string() },
        evidence: f
            .evidence
            .iter()
            .map(|e| EvidenceView {
                href: safe_href(&e.url),
                archive_href: None,
                url: e.url.clone(),
                observed: e.observed.clone(),
                // where the page's bytes are: a revisit's payload record (scoring's `payload`), else the record itself
                warc: e.warc.as_ref().map(|w| w.payload_location()).map(|w| format!("{} @ {}", w.file, w.offset)),
                warc_record: e.warc.as_ref().map(|w| w.record_id.clone()),
            })
            .collect(),
    }
}

fn finding_ref_view(f: &FindingRef) -> FindingView {
    finding_view(&Finding {
        occurrences: 1,
        rule: f.rule.clone(),
        title: f.title.clone(),
        advice: String::new(),
        group: None,
        group_name: f.group_name.clone(),
        kind: f.kind,
        points: f.points,
        message: f.message.clone(),
        evidence: f
            .urls
            .iter()
            .map(|u| gongkai_scoring::Evidence { url: u.clone(), observed: String::new(), warc: None })
            .collect(),
    })
}

#[derive(Serialize)]
struct ChangeView {
    is_new: bool,
    /// Assessed this month and last month: scores and ranks compare.
    comparable: bool,
    /// Not assessed this month.
    not_assessed_now: bool,
    /// In last month's results, but not assessed then.
    not_assessed_before: bool,
    previous_rank: Option<u32>,
    previous_score: Option<String>,
    previous_grade: Option<String>,
    rank_change: Option<i64>,
    rank_change_text: String,
    score_change: Option<f64>,
    score_change_text: String,
    new_findings: Vec<FindingView>,
    fixed_findings: Vec<FindingView>,
}

fn change_view(c: &SiteChange) -> ChangeView {
    ChangeView {
        is_new: c.previous.is_none(),
        comparable: c.comparable().is_some(),
        not_assessed_now: !c.assessed,
        not_assessed_before: c.previously_not_assessed(),
        previous_rank: c.previous.as_ref().filter(|p| p.assessed).map(|p| p.rank),
        previous_score: c.previous.as_ref().map(|p| {
            if p.assessed {
                fmt_score(p.score)
            } else {
                Grade::NotAssessed.label_zh().into()
            }
        }),
        previous_grade: c.previous.as_ref().map(|p| p.grade.to_string()),
        rank_change: c.rank_change(),
        rank_change_text: c.rank_change_text(),
        score_change: c.score_change().map(crate::round2),
        score_change_text: c.score_change().map(signed).unwrap_or_default(),
        new_findings: c.new_findings.iter().map(finding_ref_view).collect(),
        fixed_findings: c.fixed_findings.iter().map(finding_ref_view).collect(),
    }
}

#[derive(Serialize)]
struct ColumnView {
    category: String,
    name: String,
    href: Option<String>,
    url: String,
    first_level: bool,
    items: u32,
    dated_items: u32,
    newest: String,
    blank: bool,
}

fn column_view(c: &gongkai_scoring::ColumnResult) -> ColumnView {
    ColumnView {
        category: column_category(c).to_string(),
        name: c.name.clone(),
        href: safe_href(&c.url),
        url: c.url.clone(),
        first_level: c.first_level,
        items: c.items,
        dated_items: c.dated_items,
        newest: c.newest.clone().unwrap_or_else(|| "—".into()),
        blank: c.blank,
    }
}

#[derive(Serialize)]
struct IdentityView {
    name: &'static str,
    present: bool,
    value: String,
}

fn identity_view(s: &SiteResult) -> Vec<IdentityView> {
    let i = &s.identity;
    let text =
        |name, v: &Option<String>| IdentityView { name, present: v.is_some(), value: v.clone().unwrap_or_default() };
    let flag = |name, b: bool| IdentityView { name, present: b, value: String::new() };
    vec![
        text("网站标识码", &i.site_code),
        text("ICP备案编号", &i.icp),
        text("公安机关备案", &i.police),
        flag("党政机关网站标识", i.badge),
        text("主办单位", &i.sponsor),
        flag("联系方式", i.contact),
        flag("我为政府网站找错", i.error_entry),
    ]
}

#[derive(Serialize)]
struct Summary {
    /// Sites assessed (every count but `black` and `unreachable` is of these).
    total: usize,
    grades: Vec<(String, &'static str, usize)>,
    red: usize,
    /// Black-listed sites, including those not assessed whose home page was unreachable.
    black: usize,
    average: String,
    /// The mean over the sites graded 合格 or better (as report.xlsx's 汇总 and the region chart count), or `—`.
    average_passing: String,
    /// 合格率 of the assessed sites (`labels::pass_rate`), `85.7%`, or `—`.
    pass_rate: String,
    /// The sites it counts as passed, for the card's label.
    passed: usize,
    /// How the 合格率 is defined.
    pass_rate_note: &'static str,
    /// Vetoed sites on the black list (including unreachable ones not assessed).
    vetoed: usize,
    /// Sites not assessed.
    not_assessed: usize,
    /// Of those, on the black list because the home page was unreachable.
    unreachable: usize,
}

impl Summary {
    /// Counts over the assessed sites, and the not-assessed sites counted apart.
    fn of(sites: &[&SiteResult], not_assessed: &[&SiteResult]) -> Summary {
        let n = sites.len();
        let unreachable = not_assessed.iter().filter(|s| crate::unreachable_black(s)).count();
        Summary {
            total: n,
            grades: GRADES
                .iter()
                .map(|g| (g.to_string(), grade_code(*g), sites.iter().filter(|s| s.grade == *g).count()))
                .collect(),
            red: sites.iter().filter(|s| s.list == Some(gongkai_scoring::ListKind::Red)).count(),
            black: sites.iter().filter(|s| s.list == Some(gongkai_scoring::ListKind::Black)).count() + unreachable,
            average: mean(sites.iter().map(|s| s.score)),
            average_passing: mean(sites.iter().filter(|s| s.grade != Grade::Fail).map(|s| s.score)),
            pass_rate: pass_rate(sites).map(|r| format!("{}%", fmt_points(r * 100.0))).unwrap_or_else(|| "—".into()),
            passed: sites.iter().filter(|s| s.grade != Grade::Fail).count(),
            pass_rate_note: PASS_RATE_NOTE,
            vetoed: sites.iter().filter(|s| s.vetoed && s.list == Some(gongkai_scoring::ListKind::Black)).count()
                + unreachable,
            not_assessed: not_assessed.len(),
            unreachable,
        }
    }
}

/// The mean of the finite values, formatted as points, or `—` when there is none.
fn mean(values: impl Iterator<Item = f64>) -> String {
    let v: Vec<f64> = values.filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        "—".into()
    } else {
        fmt_points(v.iter().sum::<f64>() / v.len() as f64)
    }
}

/// The biggest movers for the report page's month-over-month section.
#[derive(Serialize)]
struct Movers {
    improved: Vec<MoverView>,
    fell_back: Vec<MoverView>,
    improved_total: usize,
    fell_back_total: usize,
    fixed_total: usize,
    new_total: usize,
    /// Sites in both months' results but not assessed in one of them: not compared.
    not_compared: usize,
}

#[derive(Serialize)]
struct MoverView {
    id: String,
    name: String,
    previous_score: String,
    score: String,
    change: String,
    up: bool,
    previous_grade: String,
    grade: String,
    rank_change: String,
}

impl Movers {
    const SHOWN: usize = 15;

    fn of(c: &Comparison) -> Movers {
        let view = |s: &&SiteChange| {
            let p = s.comparable().expect("movers were assessed in both months");
            MoverView {
                id: s.id.clone(),
                name: s.name.clone(),
                previous_score: fmt_score(p.score),
                score: fmt_score(s.score),
                change: signed(s.score_change().unwrap_or(0.0)),
                up: s.score_change().unwrap_or(0.0) > 0.0,
                previous_grade: p.grade.to_string(),
                grade: s.grade.to_string(),
                rank_change: s.rank_change_text(),
            }
        };
        let by_change = |a: &&SiteChange, b: &&SiteChange| {
            b.score_change()
                .partial_cmp(&a.score_change())
                .unwrap_or(std::cmp::Ordering::Equal)
                .then(a.rank.cmp(&b.rank))
        };
        let mut up: Vec<&SiteChange> = c.sites.iter().filter(|s| s.improved()).collect();
        up.sort_by(by_change);
        let mut down: Vec<&SiteChange> = c.sites.iter().filter(|s| s.fell_back()).collect();
        down.sort_by(|a, b| by_change(b, a));
        Movers {
            improved_total: up.len(),
            fell_back_total: down.len(),
            improved: up.iter().take(Self::SHOWN).map(view).collect(),
            fell_back: down.iter().take(Self::SHOWN).map(view).collect(),
            fixed_total: c.sites.iter().map(|s| s.fixed_findings.len()).sum(),
            new_total: c
                .sites
                .iter()
                .filter(|s| s.previous.as_ref().is_some_and(|p| p.assessed))
                .map(|s| s.new_findings.len())
                .sum(),
            not_compared: c.sites.iter().filter(|s| s.previous.is_some() && s.comparable().is_none()).count(),
        }
    }
}

// ---- charts: geometry computed here, drawn as inline SVG by the template ----

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synthetic::{make_hostile, results, HOSTILE_TITLE};

    #[test]
    fn only_http_and_https_become_links() {
        assert_eq!(safe_href("http://www.example.gov.cn/a b").as_deref(), Some("http://www.example.gov.cn/a%20b"));
        assert!(safe_href("https://x.gov.cn/").is_some());
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "data:text/html,<b>",
            "vbscript:x",
            "/relative",
            "file:///etc/passwd",
        ] {
            assert_eq!(safe_href(bad), None, "{bad}");
        }
        // Quotes cannot break out of the attribute: the URL parser percent-encodes them, auto-escaping does the rest.
        let h = safe_href("http://x.gov.cn/?q=\"><script>").unwrap();
        assert!(!h.contains('"') && !h.contains('<'));
    }

    #[test]
    fn hostile_text_is_escaped_in_report_and_site_pages() {
        let mut r = results(10, 1);
        make_hostile(&mut r);
        let page = report_html(&r, None).unwrap();
        let site = site_html(&r, &r.sites[0].id.clone(), None).unwrap().unwrap();
        for html in [&page, &site] {
            assert!(!html.contains(HOSTILE_TITLE));
            assert!(!html.contains("<img"), "an img tag from crawled text");
            assert!(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"), "quote and tag shown as text");
            assert!(!html.contains("href=\"javascript:"), "javascript: link");
            assert!(html.contains("&lt;script&gt;alert("), "title shown as text");
            assert_eq!(html.matches("<script").count(), usize::from(std::ptr::eq(html, &page)), "only our own script");
        }
    }

    #[test]
    fn csp_hash_matches_the_inline_script() {
        let r = results(3, 1);
        let page = report_html(&r, None).unwrap();
        let start = page.find("<script>").unwrap() + "<script>".len();
        let end = page[start..].find("</script>").unwrap() + start;
        let digest = data_encoding::BASE64.encode(&Sha256::digest(&page.as_bytes()[start..end]));
        assert!(page.contains(&format!("script-src 'sha256-{digest}'")));
        assert!(!page.contains("http://fonts") && !page.contains("<link"), "no external resources");
    }

    #[test]
    fn report_has_every_site_and_finding() {
        let r = results(25, 4);
        let page = report_html(&r, None).unwrap();
        assert_eq!(page.matches("<tr class=\"site-row").count(), 25);
        for s in &r.sites {
            assert!(page.contains(&format!("id=\"site-{}\"", s.id)));
            assert!(page.contains(&format!("href=\"sites/{}.html\"", s.id)));
        }
        let findings: usize = r.sites.iter().map(|s| s.findings.len()).sum();
        assert_eq!(page.matches("<tr class=\"finding ").count(), findings);
    }

    #[test]
    fn nice_axis() {
        assert_eq!(nice_max(0), 4);
        assert_eq!(nice_max(7), 8);
        assert_eq!(nice_max(33), 40);
        assert!(nice_max(410) >= 410);
        assert_eq!(nice_max(410) % 4, 0);
    }
}
