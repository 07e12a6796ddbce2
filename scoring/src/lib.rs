//! Scoring: understand each archived site the way an assessor would (columns, items, dates, footer, messages), apply
//! the rubric, and produce [`results::Results`] — the content of results.json (docs/results.md).
//!
//! Scoring reads only the store, never the network: re-scoring with another rubric needs no re-crawl.
//!
//! - [`analysis`]: from a [`SiteCapture`] to a [`analysis::SiteAnalysis`] (what the site shows);
//! - [`engine`]: the rubric engine (one function per check kind, groups, caps, grades) and [`engine::ranking`];
//! - [`adjustments`]: the assessor's manual adjustments file.
//!
//! Each rule of the rubric names a check; the checks live in families (`engine/checks/<family>.rs`, beside their
//! parameters in `config/src/check/<family>.rs`), each with its unit tests.
//!
//! ```
//! use chrono::{FixedOffset, TimeZone, Utc};
//! use gongkai_archive::{CapturedPage, SiteCapture, SnapshotInfo, WarcRef};
//! use gongkai_config::{Calendar, Grade, Rubric};
//!
//! let site = gongkai_config::parse_sites(
//!     "[[site]]\nid = \"t\"\nname = \"测试县人民政府\"\nurl = \"http://www.test.gov.cn/\"\nlevel = \"county\"\n",
//!     "sites.toml",
//! )
//! .unwrap()
//! .remove(0);
//! // One archived home page is too little to judge a site: it is not assessed, never scored from missing data.
//! let home = CapturedPage {
//!     url: site.url.clone(),
//!     fetched_at: Utc::now(),
//!     status: 200,
//!     headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
//!     body: "<html><body><a href=\"/tzgg/\">通知公告</a></body></html>".into(),
//!     depth: 0,
//!     warc: WarcRef { file: "warc/t.warc.gz".into(), offset: 0, record_id: "urn:uuid:1".into() },
//! };
//! let capture = SiteCapture {
//!     site,
//!     snapshot: SnapshotInfo { seq: 1, started_at: Utc::now(), finished_at: Some(Utc::now()) },
//!     pages: vec![home],
//!     failures: vec![],
//!     link_checks: vec![],
//!     probes: vec![],
//!     tls: vec![],
//!     ipv6: None,
//! };
//! let as_of = FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(2025, 11, 20, 12, 0, 0).unwrap();
//! let r = gongkai_scoring::score_capture(&capture, &Rubric::default_rubric(), &Calendar::default_cn(), as_of);
//! assert!(!r.assessed());
//! assert_eq!(r.grade, Grade::NotAssessed);
//! assert!(r.findings.is_empty());
//! ```

pub mod adjustments;
pub mod analysis;
pub mod engine;
pub mod fetch_error;
pub mod filings;
pub mod plausibility;
pub mod results;
pub mod status;
pub mod text;

pub use adjustments::{Adjustment, AdjustmentError};
pub use engine::OTHER_CATEGORY_NAME;
pub use results::{
    Assessment, ColumnResult, CrawlSummary, Evidence, FiledDowntime, Finding, FindingKind, Identity, Ipv6Result,
    ListKind, Results, Review, RubricRef, ShardRef, SiteResult, SiteStatus, WarcLocation, NOT_ASSESSED_GRADE,
};

use anyhow::{Context, Result};
use chrono::{DateTime, FixedOffset};
use gongkai_archive::{SiteCapture, Store};
use gongkai_config::{Calendar, Rubric};

/// Score one site's capture (rank and list unset; no adjustments).
pub fn score_capture(
    capture: &SiteCapture,
    rubric: &Rubric,
    calendar: &Calendar,
    as_of: DateTime<FixedOffset>,
) -> SiteResult {
    score_capture_with(capture, rubric, calendar, as_of, &[])
}

/// Score one site's capture with the assessor's adjustments (those for other sites are ignored).
pub fn score_capture_with(
    capture: &SiteCapture,
    rubric: &Rubric,
    calendar: &Calendar,
    as_of: DateTime<FixedOffset>,
    adjustments: &[Adjustment],
) -> SiteResult {
    let t0 = as_of.with_timezone(&gongkai_config::ASSESSMENT_TZ).date_naive();
    let reason = status::not_assessed_reason(capture, rubric);
    let a = analysis::analyze(capture, rubric, t0);
    let mut r = match &reason {
        None => {
            let mut r = engine::score(&a, &engine::Ctx { rubric, calendar, as_of, t0 }, adjustments);
            r.review = plausibility::review(&a, &r);
            r
        }
        Some(why) => not_assessed(&a, rubric, calendar, as_of, t0, why),
    };
    let requisites = CrawlSummary::count_requisites(&capture.pages);
    r.crawl = CrawlSummary {
        pages: a.crawl_pages.saturating_sub(requisites),
        errors: a.crawl_errors,
        started_at: capture.snapshot.started_at.to_rfc3339(),
        finished_at: capture.snapshot.finished_at.map(|t| t.to_rfc3339()),
        requisites,
    };
    r
}

/// The result of a site that could not be read: no rubric finding but `veto.unreachable` from probe data, no score.
fn not_assessed(
    a: &analysis::SiteAnalysis,
    rubric: &Rubric,
    calendar: &Calendar,
    as_of: DateTime<FixedOffset>,
    t0: chrono::NaiveDate,
    why: &str,
) -> SiteResult {
    let mut probes_only = rubric.clone();
    probes_only.rules.retain(|r| {
        r.kind == gongkai_config::RuleKind::Veto && r.check.kind() == gongkai_config::CheckKind::ProbeFailureRate
    });
    let mut r = engine::score(a, &engine::Ctx { rubric: &probes_only, calendar, as_of, t0 }, &[]);
    r.status = SiteStatus::NotAssessed;
    r.status_reason = Some(why.to_string());
    r.score = f64::NAN;
    r.deduction_score = f64::NAN;
    r.bonus = f64::NAN;
    r.grade = if r.vetoed { gongkai_config::Grade::Fail } else { NOT_ASSESSED_GRADE };
    r.columns.clear();
    r.identity = Identity::default();
    r
}

/// A site with no snapshot in the store at all (never crawled): not assessed, with its probes if the monitor ran.
pub fn not_crawled(
    site: &gongkai_config::Site,
    probes: Vec<gongkai_archive::Probe>,
    rubric: &Rubric,
    calendar: &Calendar,
    as_of: DateTime<FixedOffset>,
) -> SiteResult {
    not_crawled_capture(&empty_capture(site, probes, as_of), rubric, calendar, as_of)
}

/// The capture of a site never crawled: its probes only.
fn empty_capture(
    site: &gongkai_config::Site,
    probes: Vec<gongkai_archive::Probe>,
    as_of: DateTime<FixedOffset>,
) -> SiteCapture {
    SiteCapture {
        site: site.clone(),
        snapshot: gongkai_archive::SnapshotInfo {
            seq: 0,
            started_at: as_of.with_timezone(&chrono::Utc),
            finished_at: None,
        },
        pages: Vec::new(),
        failures: Vec::new(),
        link_checks: Vec::new(),
        probes,
        tls: vec![],
        ipv6: None,
    }
}

fn not_crawled_capture(
    capture: &SiteCapture,
    rubric: &Rubric,
    calendar: &Calendar,
    as_of: DateTime<FixedOffset>,
) -> SiteResult {
    let t0 = as_of.with_timezone(&gongkai_config::ASSESSMENT_TZ).date_naive();
    let a = analysis::analyze(capture, rubric, t0);
    let mut r = not_assessed(&a, rubric, calendar, as_of, t0, "未抓取（存储中没有该网站的快照）");
    r.crawl = CrawlSummary { pages: 0, errors: 0, started_at: String::new(), finished_at: None, requisites: 0 };
    r
}

/// Rank sites (docs/rules.md): sorts them by rank and sets `rank` and `list`.
pub fn rank(results: &mut [SiteResult], rubric: &Rubric) {
    engine::ranking::rank(results, rubric)
}

/// The results.json header for an assessment.
pub fn assessment(rubric: &Rubric, as_of: DateTime<FixedOffset>) -> Assessment {
    Assessment {
        as_of: as_of.to_rfc3339(),
        rubric: RubricRef { id: rubric.info.id.clone(), version: rubric.info.version.clone() },
        generated_at: chrono::Utc::now().with_timezone(&gongkai_config::ASSESSMENT_TZ).fixed_offset().to_rfc3339(),
        shard: None,
        period: Some(gongkai_config::AssessmentMonth::of(as_of.date_naive()).to_string()),
        issuer: None,
    }
}

/// Score the latest snapshot of every site in the store (no network), ranked. Output is deterministic: the same store,
/// rubric, calendar, T0 and adjustments give the same results apart from `generated_at`.
pub fn score_store(
    store: &Store,
    rubric: &Rubric,
    calendar: &Calendar,
    as_of: DateTime<FixedOffset>,
    adjustments: &[Adjustment],
    filings: &gongkai_config::Filings,
) -> Result<Results> {
    let mut sites = Vec::new();
    for cap in store.captures().context("读取存储库")? {
        let mut cap = cap.context("从存储库读取网站的抓取记录")?;
        tracing::info!(site = %cap.site.id, pages = cap.pages.len(), "scoring");
        let filed = filings::apply(&mut cap, filings);
        let mut r = score_capture_with(&cap, rubric, calendar, as_of, adjustments);
        r.filed_downtime = filed;
        r.resolve_payloads(store);
        sites.push(r);
    }
    Ok(ranked(sites, rubric, as_of))
}

/// Score the latest snapshot of each of `sites` from the store (no network), ranked among themselves. A site the
/// store has never seen is not assessed (with the monitor's probes, if any).
pub fn score_sites(
    store: &Store,
    sites: &[gongkai_config::Site],
    rubric: &Rubric,
    calendar: &Calendar,
    as_of: DateTime<FixedOffset>,
    adjustments: &[Adjustment],
    filings: &gongkai_config::Filings,
) -> Result<Results> {
    let mut results = Vec::with_capacity(sites.len());
    for site in sites {
        let capture = store.latest_capture(&site.id).with_context(|| format!("从存储库读取网站 {}", site.id))?;
        results.push(match capture {
            Some(mut capture) => {
                let filed = filings::apply(&mut capture, filings);
                let mut r = score_capture_with(&capture, rubric, calendar, as_of, adjustments);
                r.filed_downtime = filed;
                r.resolve_payloads(store);
                r
            }
            None => {
                let probes = store.probes(&site.id).with_context(|| format!("读取网站 {} 的探测记录", site.id))?;
                let mut capture = empty_capture(site, probes, as_of);
                let filed = filings::apply(&mut capture, filings);
                let mut r = not_crawled_capture(&capture, rubric, calendar, as_of);
                r.filed_downtime = filed;
                r
            }
        });
    }
    Ok(ranked(results, rubric, as_of))
}

/// Ranked sites with the assessment header: the content of results.json.
fn ranked(mut sites: Vec<SiteResult>, rubric: &Rubric, as_of: DateTime<FixedOffset>) -> Results {
    rank(&mut sites, rubric);
    Results { assessment: assessment(rubric, as_of), sites }
}
