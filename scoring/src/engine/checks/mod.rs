//! One function per check kind of the rubric (`check = "…"` in a `[[rule]]`, see `gongkai_config::check`).
//! Each returns occurrences; the rule's kind, points and caps are applied in [`super::score`].
//!
//! The checks live in families, one file each, named like the family file of their parameters in the config crate
//! (`config/src/check/<family>.rs`); each file holds its checks' code and their unit tests. This module only holds
//! what they share and dispatches. To change a rule: its entry in the rubric file (`config/rubrics/*.toml`) → its
//! parameters in `config/src/check/<family>.rs` → its code and tests in `scoring/src/engine/checks/<family>.rs`.
//!
//! Precision rule: a check never fires on a guess. A column the crawl did not archive is not judged stale; a list
//! that could not be read is blank and says why; a document whose dates fall outside the working-day calendar is not
//! judged late.

mod availability;
mod bonus;
mod content;
mod design;
mod disclosure;
mod freshness;
mod integrity;
mod interaction;

use super::{evidence, Ctx};
use crate::analysis::site::Column;
use crate::analysis::{dates, SiteAnalysis, Source};
use crate::results::Evidence;
use chrono::NaiveDate;
use gongkai_config::{Check, ColumnKind, Period};
use std::collections::BTreeMap;

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
        Check::ProbeFailureRate(p) => availability::probe_failure_rate(p, a, ctx),
        Check::ProbeFailurePercent(p) => availability::probe_failure_percent(p, a, ctx),
        Check::Ipv6(p) => availability::ipv6(p, a),
        Check::HomepageStale(p) => freshness::homepage_stale(p, a, ctx),
        Check::StaleColumns(p) => freshness::stale_columns(p, a, ctx),
        Check::BlankColumns(p) => freshness::blank_columns(p, a),
        Check::MissingCategories(p) => freshness::missing_categories(p, a, ctx),
        Check::CategoryInactive(p) => freshness::category_inactive(p, a, ctx),
        Check::ReplyDelay(p) => interaction::reply_delay(p, a, ctx),
        Check::RepliesStale(p) => interaction::replies_stale(p, a, ctx),
        Check::FutureDates(p) => integrity::future_dates(p, a, ctx),
        Check::HiddenLinks(p) => integrity::hidden_links(p, a),
        Check::AnnualReport(p) => disclosure::annual_report(p, a, ctx),
        Check::GuideElements(p) => disclosure::guide_elements(p, a),
        Check::StatutoryCoverage(p) => disclosure::statutory_coverage(p, a),
        Check::PublicationDelay(p) => disclosure::publication_delay(p, a, ctx),
        Check::UndatedItems(p) => freshness::undated_items(p, a),
        Check::WrongForms(p) => content::wrong_forms(p, a, ctx),
        Check::SensitiveWords(p) => content::sensitive_words(p, a, ctx),
        Check::LeaderNames(p) => content::leader_names(p, a, ctx),
        Check::SpamLinks(p) => content::spam_links(p, a, ctx),
        Check::EntryBroken(p) => design::entry_broken(p, a),
        Check::BrokenLinks(p) => design::broken_links(p, a),
        Check::IdentityMissing(p) => design::identity_missing(p, a, ctx.rubric),
        Check::SearchForm(p) => design::search_form(p, a),
        Check::DomainRule(p) => design::domain_rule(p, a),
        Check::Emblem(p) => design::emblem(p, a),
        Check::PrivacyExposure(p) => integrity::privacy_exposure(p, a),
        Check::Certificate(p) => integrity::certificate(p, a),
        Check::Https(p) => bonus::https(p, a),
        Check::HomeKeywords(p) => bonus::home_keywords(p, a),
        Check::Manual(_) => Vec::new(),
    }
}

#[cfg(test)]
pub(crate) mod testkit;
