//! The rubric engine: a generic interpreter of the rubric file (RUBRIC.md) over a [`SiteAnalysis`].
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
use gongkai_config::{Calendar, Check, Rubric, RuleKind};
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
        }),
    }
}

/// Fill `{placeholders}`; unknown ones are left as written.
pub fn fill(template: &str, values: &BTreeMap<&str, String>) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                let key = &after[..end];
                match values.get(key) {
                    Some(v) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(key);
                        out.push('}');
                    }
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

struct Pending {
    finding: Finding,
    group: Option<String>,
    /// Manual deductions stand outside the groups.
    ungrouped: bool,
}

/// Apply every rule of the rubric to one analysed site. Rank and list are left unset ([`ranking::rank`]).
pub fn score(a: &SiteAnalysis, ctx: &Ctx, adjustments: &[Adjustment]) -> SiteResult {
    let rubric = ctx.rubric;
    let level = a.site.level;
    let mut vetoes: Vec<Finding> = Vec::new();
    let mut deductions: Vec<Pending> = Vec::new();
    let mut bonuses: Vec<Finding> = Vec::new();
    for rule in rubric.rules.iter().filter(|r| r.applies_to(level)) {
        let base = |count: usize| {
            let mut v = BTreeMap::new();
            v.insert("rule", rule.id.clone());
            v.insert("site", a.site.name.clone());
            v.insert("url", a.site.url.to_string());
            v.insert("count", count.to_string());
            v
        };
        if let Check::Manual(_) = rule.check {
            for adj in adjustments.iter().filter(|x| x.site == a.site.id && x.rule == rule.id) {
                let mut v = base(1);
                v.insert("reason", adj.reason.clone());
                v.insert("points", format!("{:+}", adj.points));
                let ev = Evidence {
                    url: adj.evidence.clone().unwrap_or_else(|| a.site.url.to_string()),
                    observed: format!("人工调整：{}", adj.reason),
                    warc: None,
                };
                let f = Finding {
                    rule: rule.id.clone(),
                    kind: if adj.points >= 0.0 { FindingKind::Bonus } else { FindingKind::Deduction },
                    points: round2(adj.points.abs()),
                    occurrences: 1,
                    message: fill(&rule.message, &v),
                    evidence: vec![ev],
                };
                if adj.points >= 0.0 {
                    bonuses.push(f);
                } else {
                    deductions.push(Pending { finding: f, group: rule.group.clone(), ungrouped: rule.group.is_none() });
                }
            }
            continue;
        }
        let occ: Vec<Occurrence> = checks::occurrences(&rule.check, a, ctx);
        if occ.is_empty() {
            continue;
        }
        let message_of = |o: &Occurrence| {
            let mut v = base(occ.len());
            for (k, val) in &o.values {
                v.insert(k, val.clone());
            }
            let mut m = fill(&rule.message, &v);
            if let Some(n) = &o.note {
                m.push_str(n);
            }
            m
        };
        let evidence: Vec<Evidence> = occ.iter().flat_map(|o| o.evidence.iter().cloned()).collect();
        match rule.kind {
            RuleKind::Veto => {
                if occ.len() as u32 >= rule.fires_at.max(1) {
                    vetoes.push(Finding {
                        rule: rule.id.clone(),
                        kind: FindingKind::Veto,
                        points: 0.0,
                        occurrences: occ.len() as u32,
                        message: message_of(&occ[0]),
                        evidence,
                    });
                }
            }
            RuleKind::Deduction => {
                let raw: f64 = occ.iter().map(|o| rule.points_for(o.outcome).unwrap_or(0.0)).sum();
                let pts = round2(rule.capped(raw));
                let message = occ.iter().map(message_of).collect::<Vec<_>>().join("；");
                deductions.push(Pending {
                    finding: Finding {
                        rule: rule.id.clone(),
                        kind: FindingKind::Deduction,
                        points: pts,
                        occurrences: occ.len() as u32,
                        message,
                        evidence,
                    },
                    group: rule.group.clone(),
                    ungrouped: false,
                });
            }
            RuleKind::Bonus => {
                let pts = round2(rule.capped(rule.points_for(occ[0].outcome).unwrap_or(0.0)));
                bonuses.push(Finding {
                    rule: rule.id.clone(),
                    kind: FindingKind::Bonus,
                    points: pts,
                    occurrences: 1,
                    message: message_of(&occ[0]),
                    evidence,
                });
            }
        }
    }

    // group caps
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
        let cap = d.group.as_deref().and_then(|g| rubric.group(g)).map(|g| g.cap).unwrap_or(f64::INFINITY);
        let u = used.entry(d.group.clone().unwrap_or_default()).or_insert(0.0);
        let allowed = round2((cap - *u).max(0.0).min(d.finding.points));
        if allowed < d.finding.points {
            d.finding.message.push_str(&format!("（本组扣分已达上限{cap}分，此项计{allowed}分）"));
        }
        d.finding.points = allowed;
        *u = round2(*u + allowed);
        lost += allowed;
    }
    let p = &rubric.parameters;
    let deduction_score = round2(p.deduction_total - lost);
    let mut bonus = 0.0;
    let mut counted_bonuses = Vec::new();
    if deduction_score > p.bonus_above {
        bonuses.sort_by(|x, y| y.points.total_cmp(&x.points).then_with(|| x.rule.cmp(&y.rule)));
        for mut b in bonuses {
            let allowed = round2((p.bonus_max - bonus).max(0.0).min(b.points));
            b.points = allowed;
            bonus = round2(bonus + allowed);
            counted_bonuses.push(b);
        }
    }
    let vetoed = !vetoes.is_empty();
    let score = round2(deduction_score + bonus);
    let grade = p.grade(vetoed, deduction_score, score);

    let mut findings: Vec<Finding> = vetoes;
    findings.extend(deductions.into_iter().map(|d| d.finding));
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
        level: a.site.level.as_str().to_string(),
        status: Default::default(),
        status_reason: None,
        score,
        deduction_score,
        bonus,
        grade: grade.label_zh().to_string(),
        vetoed,
        vetoes: veto_ids,
        rank: 0,
        list: None,
        crawl: CrawlSummary { pages: 0, errors: 0, started_at: String::new(), finished_at: None },
        identity: identity::identity(a, rubric),
        columns: column_results(a),
        findings,
        review: Vec::new(),
    }
}

fn column_results(a: &SiteAnalysis) -> Vec<ColumnResult> {
    let mut v: Vec<ColumnResult> = a
        .columns
        .iter()
        .map(|c| ColumnResult {
            category: c.category.clone().unwrap_or_else(|| "other".to_string()),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_known_placeholders_only() {
        let mut v = BTreeMap::new();
        v.insert("column", "通知公告".to_string());
        v.insert("newest", "2026-01-02".to_string());
        assert_eq!(fill("栏目“{column}”最新{newest}，{window}", &v), "栏目“通知公告”最新2026-01-02，{window}");
        assert_eq!(fill("无占位符", &v), "无占位符");
        assert_eq!(fill("坏{括号", &v), "坏{括号");
    }
}
