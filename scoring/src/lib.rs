//! Scoring: understand each archived site the way an assessor would (columns, items, dates, footer, messages), apply
//! the rubric, and produce [`results::Results`] — the content of results.json (CONTRACT.md).
//!
//! Scoring reads only the store, never the network: re-scoring with another rubric needs no re-crawl.
//!
//! - [`analysis`]: from a [`SiteCapture`] to a [`analysis::SiteAnalysis`] (what the site shows);
//! - [`engine`]: the rubric engine (one function per check kind, groups, caps, grades) and [`engine::ranking`];
//! - [`adjustments`]: the assessor's manual adjustments file.

pub mod adjustments;
pub mod analysis;
pub mod engine;
pub mod plausibility;
pub mod results;
pub mod status;
pub mod text;

pub use adjustments::{Adjustment, AdjustmentError};
pub use results::*;

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
    r.crawl = CrawlSummary {
        pages: a.crawl_pages,
        errors: a.crawl_errors,
        started_at: capture.snapshot.started_at.to_rfc3339(),
        finished_at: capture.snapshot.finished_at.map(|t| t.to_rfc3339()),
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
    r.grade =
        if r.vetoed { gongkai_config::Grade::Fail.label_zh().to_string() } else { NOT_ASSESSED_GRADE.to_string() };
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
    let capture = SiteCapture {
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
    };
    let t0 = as_of.with_timezone(&gongkai_config::ASSESSMENT_TZ).date_naive();
    let a = analysis::analyze(&capture, rubric, t0);
    let mut r = not_assessed(&a, rubric, calendar, as_of, t0, "未抓取（存储中没有该网站的快照）");
    r.crawl = CrawlSummary { pages: 0, errors: 0, started_at: String::new(), finished_at: None };
    r
}

/// Rank sites (RUBRIC.md): sorts them by rank and sets `rank` and `list`.
pub fn rank(results: &mut [SiteResult], rubric: &Rubric) {
    engine::ranking::rank(results, rubric)
}

/// The results.json header for an assessment.
pub fn assessment(rubric: &Rubric, as_of: DateTime<FixedOffset>) -> Assessment {
    Assessment {
        as_of: as_of.to_rfc3339(),
        rubric: RubricRef { id: rubric.info.id.clone(), version: rubric.info.version.clone() },
        generated_at: chrono::Utc::now().with_timezone(&gongkai_config::ASSESSMENT_TZ).fixed_offset().to_rfc3339(),
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
) -> Result<Results> {
    let mut sites = Vec::new();
    for cap in store.captures().context("reading the store")? {
        let cap = cap.context("reading a site's capture from the store")?;
        tracing::info!(site = %cap.site.id, pages = cap.pages.len(), "scoring");
        sites.push(score_capture_with(&cap, rubric, calendar, as_of, adjustments));
    }
    rank(&mut sites, rubric);
    Ok(Results { assessment: assessment(rubric, as_of), sites })
}
