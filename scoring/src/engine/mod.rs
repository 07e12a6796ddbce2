//! The rubric engine: a generic interpreter of the rubric file (docs/rules.md) over a [`SiteAnalysis`].
//!
//! Each rule names a check ([`gongkai_config::Check`]); [`checks::occurrences`] implements every check once and yields
//! occurrences (one per stale column, missing element, broken link …) with the values its message template uses and
//! the evidence it rests on. This module turns occurrences into findings by the rule's kind:
//! - veto: fires when occurrences ≥ `fires_at`;
//! - deduction: `min(item cap, Σ points)`, then each group never more than its cap (the group's findings are trimmed
//!   in finding order so that their points always add up to what the site lost);
//! - bonus: the rule's points once when it has an occurrence (manual entries: each its own points), counted only when
//!   deduction_score is above the gate (80), never more than `bonus_max` in all.
//!
//! Adding a rule that reuses a check is therefore a change to the TOML alone.

pub mod checks;
pub mod identity;
pub mod ranking;

use crate::adjustments::Adjustment;
use crate::analysis::{dates, SiteAnalysis, Source};
use crate::results::*;
use checks::Occurrence;
use gongkai_config::{render_message, Calendar, Check, Parameters, Rubric, Rule, RuleKind};
use std::collections::BTreeMap;

/// What a check needs besides the analysis.
pub struct Ctx<'a> {
    pub rubric: &'a Rubric,
    pub calendar: &'a Calendar,
    pub as_of: chrono::DateTime<chrono::FixedOffset>,
    pub t0: chrono::NaiveDate,
}

pub(crate) fn round2(x: f64) -> f64 {
    let r = (x * 100.0).round() / 100.0;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

pub(crate) fn evidence(src: &Source, observed: impl Into<String>) -> Evidence {
    Evidence {
        url: src.url.to_string(),
        observed: observed.into(),
        warc: src.warc.as_ref().map(|w| WarcLocation {
            file: w.file.clone(),
            offset: w.offset,
            record_id: w.record_id.clone(),
            payload: None,
        }),
    }
}

/// A finding of `rule`, with the rule's words from the rubric file (title, advice, group name).
fn finding_of(rule: &Rule, rubric: &Rubric, kind: FindingKind, points: f64, occurrences: u32) -> Finding {
    Finding {
        rule: rule.id.clone(),
        title: rule.title.clone(),
        advice: rule.advice.clone(),
        group: rule.group.clone(),
        group_name: rule.group.as_deref().and_then(|g| rubric.group(g)).map(|g| g.name.clone()),
        kind,
        points,
        occurrences,
        message: String::new(),
        evidence: Vec::new(),
    }
}

/// The findings of one site before caps: vetoes, deductions and bonuses.
#[derive(Default)]
struct Tally {
    vetoes: Vec<Finding>,
    deductions: Vec<Pending>,
    bonuses: Vec<Finding>,
}

struct Pending {
    finding: Finding,
    /// Manual deductions stand outside the groups.
    ungrouped: bool,
}

/// The placeholder values every message may use.
fn common_values<'a>(rule: &Rule, a: &SiteAnalysis, count: usize) -> BTreeMap<&'a str, String> {
    let mut v = BTreeMap::new();
    v.insert("rule", rule.id.clone());
    v.insert("site", a.site.name.clone());
    v.insert("url", a.site.url.to_string());
    v.insert("count", count.to_string());
    v
}

/// A manual rule: each entry of the adjustments file for this site and rule is a bonus or a deduction of its own.
fn tally_manual(rule: &Rule, a: &SiteAnalysis, rubric: &Rubric, adjustments: &[Adjustment], t: &mut Tally) {
    for adj in adjustments.iter().filter(|x| x.site == a.site.id && x.rule == rule.id) {
        let mut v = common_values(rule, a, 1);
        v.insert("reason", adj.reason.clone());
        v.insert("points", format!("{:+}", adj.points));
        let kind = if adj.points >= 0.0 { FindingKind::Bonus } else { FindingKind::Deduction };
        let mut f = finding_of(rule, rubric, kind, round2(adj.points.abs()), 1);
        f.message = render_message(&rule.message, &v);
        f.evidence.push(Evidence {
            url: adj.evidence.clone().unwrap_or_else(|| a.site.url.to_string()),
            observed: format!("人工调整：{}", adj.reason),
            warc: None,
        });
        if adj.points >= 0.0 {
            t.bonuses.push(f);
        } else {
            t.deductions.push(Pending { finding: f, ungrouped: rule.group.is_none() });
        }
    }
}

/// A rule over its check's occurrences: a veto fires at `fires_at`, a deduction costs its capped points (one message
/// per occurrence), a bonus earns its points once.
fn tally_rule(rule: &Rule, a: &SiteAnalysis, rubric: &Rubric, occ: &[Occurrence], t: &mut Tally) {
    let message_of = |o: &Occurrence| {
        let mut v = common_values(rule, a, occ.len());
        for (k, val) in &o.values {
            v.insert(k, val.clone());
        }
        let mut m = render_message(&rule.message, &v);
        if let Some(n) = &o.note {
            m.push_str(n);
        }
        m
    };
    let n = occ.len() as u32;
    let evidence: Vec<Evidence> = occ.iter().flat_map(|o| o.evidence.iter().cloned()).collect();
    match rule.kind {
        RuleKind::Veto => {
            if n >= rule.fires_at.max(1) {
                let mut f = finding_of(rule, rubric, FindingKind::Veto, 0.0, n);
                f.message = message_of(&occ[0]);
                f.evidence = evidence;
                t.vetoes.push(f);
            }
        }
        RuleKind::Deduction => {
            let raw: f64 = occ.iter().map(|o| rule.points_for(o.outcome).unwrap_or(0.0)).sum();
            let mut f = finding_of(rule, rubric, FindingKind::Deduction, round2(rule.capped(raw)), n);
            f.message = occ.iter().map(message_of).collect::<Vec<_>>().join("；");
            f.evidence = evidence;
            t.deductions.push(Pending { finding: f, ungrouped: false });
        }
        RuleKind::Bonus => {
            let pts = round2(rule.capped(rule.points_for(occ[0].outcome).unwrap_or(0.0)));
            let mut f = finding_of(rule, rubric, FindingKind::Bonus, pts, 1);
            f.message = message_of(&occ[0]);
            f.evidence = evidence;
            t.bonuses.push(f);
        }
    }
}

/// Each group never costs more than its cap: the group's findings are trimmed in order (largest first) so that their
/// points always add up to what the site lost. Returns the points lost in all.
fn apply_group_caps(deductions: &mut [Pending], rubric: &Rubric) -> f64 {
    deductions.sort_by(|x, y| {
        y.finding.points.total_cmp(&x.finding.points).then_with(|| x.finding.rule.cmp(&y.finding.rule))
    });
    let mut used: BTreeMap<String, f64> = BTreeMap::new();
    let mut lost = 0.0;
    for d in deductions.iter_mut() {
        if d.ungrouped {
            lost += d.finding.points;
            continue;
        }
        let group = d.finding.group.clone();
        let cap = group.as_deref().and_then(|g| rubric.group(g)).map(|g| g.cap).unwrap_or(f64::INFINITY);
        let u = used.entry(group.unwrap_or_default()).or_insert(0.0);
        let allowed = round2((cap - *u).max(0.0).min(d.finding.points));
        if allowed < d.finding.points {
            d.finding.message.push_str(&format!("（本组扣分已达上限{cap}分，此项计{allowed}分）"));
        }
        d.finding.points = allowed;
        *u = round2(*u + allowed);
        lost += allowed;
    }
    lost
}

/// Bonuses count only when the deduction score is above the gate, and never more than `bonus_max` in all (largest
/// first). Returns the bonus and the findings that count.
fn count_bonuses(mut bonuses: Vec<Finding>, p: &Parameters, deduction_score: f64) -> (f64, Vec<Finding>) {
    let mut bonus = 0.0;
    let mut counted = Vec::new();
    if deduction_score > p.bonus_above {
        bonuses.sort_by(|x, y| y.points.total_cmp(&x.points).then_with(|| x.rule.cmp(&y.rule)));
        for mut b in bonuses {
            let allowed = round2((p.bonus_max - bonus).max(0.0).min(b.points));
            b.points = allowed;
            bonus = round2(bonus + allowed);
            counted.push(b);
        }
    }
    (bonus, counted)
}

/// Apply every rule of the rubric to one analysed site. Rank and list are left unset ([`ranking::rank`]).
pub fn score(a: &SiteAnalysis, ctx: &Ctx, adjustments: &[Adjustment]) -> SiteResult {
    let rubric = ctx.rubric;
    let mut t = Tally::default();
    for rule in rubric.rules.iter().filter(|r| r.applies_to(a.site.level)) {
        if let Check::Manual(_) = rule.check {
            tally_manual(rule, a, rubric, adjustments, &mut t);
            continue;
        }
        let occ: Vec<Occurrence> = checks::occurrences(&rule.check, a, ctx);
        if !occ.is_empty() {
            tally_rule(rule, a, rubric, &occ, &mut t);
        }
    }

    let p = &rubric.parameters;
    let lost = apply_group_caps(&mut t.deductions, rubric);
    let deduction_score = round2(p.deduction_total - lost);
    let (bonus, counted_bonuses) = count_bonuses(t.bonuses, p, deduction_score);
    let vetoed = !t.vetoes.is_empty();
    let score = round2(deduction_score + bonus);

    let mut findings: Vec<Finding> = t.vetoes;
    findings.extend(t.deductions.into_iter().map(|d| d.finding));
    findings.extend(counted_bonuses);
    findings.sort_by(|x, y| {
        let vx = x.kind != FindingKind::Veto;
        let vy = y.kind != FindingKind::Veto;
        vx.cmp(&vy).then_with(|| y.points.total_cmp(&x.points)).then_with(|| x.rule.cmp(&y.rule))
    });
    let mut veto_ids: Vec<String> =
        findings.iter().filter(|f| f.kind == FindingKind::Veto).map(|f| f.rule.clone()).collect();
    veto_ids.sort();

    SiteResult {
        id: a.site.id.clone(),
        name: a.site.name.clone(),
        url: a.site.url.to_string(),
        region: a.site.region.clone(),
        level: a.site.level,
        status: Default::default(),
        status_reason: None,
        score,
        deduction_score,
        bonus,
        grade: p.grade(vetoed, deduction_score, score),
        vetoed,
        vetoes: veto_ids,
        rank: 0,
        list: None,
        crawl: CrawlSummary { pages: 0, errors: 0, started_at: String::new(), finished_at: None, requisites: 0 },
        identity: identity::identity(a, rubric),
        columns: column_results(a, rubric),
        findings,
        review: Vec::new(),
        filed_downtime: Vec::new(),
        ipv6: a.ipv6.as_ref().map(crate::results::Ipv6Result::from_check),
        tls: a.tls.iter().map(crate::results::TlsResult::from_check).collect(),
    }
}

/// The name results.json gives a column that belongs to no category.
pub const OTHER_CATEGORY_NAME: &str = "其他";

fn column_results(a: &SiteAnalysis, rubric: &Rubric) -> Vec<ColumnResult> {
    let mut v: Vec<ColumnResult> = a
        .columns
        .iter()
        .map(|c| ColumnResult {
            category: c.category.clone().unwrap_or_else(|| "other".to_string()),
            category_name: c
                .category
                .as_deref()
                .and_then(|id| rubric.category(id))
                .map(|cat| cat.name.clone())
                .unwrap_or_else(|| OTHER_CATEGORY_NAME.to_string()),
            name: c.name.clone(),
            url: c.url.to_string(),
            first_level: c.first_level,
            items: c.items.len() as u32,
            dated_items: c.dated_items() as u32,
            newest: c.newest.map(dates::iso),
            blank: c.blank.is_some(),
        })
        .collect();
    v.sort_by(|x, y| (&x.category, &x.url, &x.name).cmp(&(&y.category, &y.url, &y.name)));
    v
}
