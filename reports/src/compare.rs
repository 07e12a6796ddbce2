//! Month over month: each site's score and rank change against the previous month's results, and which problems are
//! new and which were fixed.
//!
//! A problem (a veto or deduction finding) is identified across months by its rule and the URLs its evidence points
//! at, not by its message: messages carry dates and counts that change every month even when nothing was fixed. Two
//! findings of one rule are the same problem when they share an evidence URL, or when neither has evidence. Bonus
//! findings are not problems and are not compared.
//!
//! A site that was not assessed in either month (docs/results.md `status`) has no score to compare: its score, rank and
//! grade changes are `None`, it is neither progress nor falling back, and a site not assessed this month fixed
//! nothing (its pages were not read).

use crate::labels::grade_order;
use gongkai_config::Grade;
use gongkai_scoring::{Finding, FindingKind, ListKind, Results, SiteResult};
use serde::Serialize;
use std::collections::{BTreeSet, HashMap};

/// The comparison of one month's results with the previous month's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// T0 of the previous assessment.
    pub previous_as_of: String,
    /// One entry per site of the current results, in the current results' order.
    pub sites: Vec<SiteChange>,
    /// Ids assessed last month but not this month.
    pub dropped: Vec<String>,
}

/// How one site changed since the previous month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteChange {
    pub id: String,
    pub name: String,
    /// Not a number when the site was not assessed this month.
    pub score: f64,
    /// 0 when the site was not assessed this month (unranked).
    pub rank: u32,
    pub grade: Grade,
    pub list: Option<ListKind>,
    /// Was the site assessed this month?
    pub assessed: bool,
    /// Why not, when it was not.
    pub status_reason: Option<String>,
    /// `None` when the site was not in last month's results.
    pub previous: Option<PreviousStanding>,
    /// Problems this month that last month did not have (all of them for a site new to the assessment).
    pub new_findings: Vec<FindingRef>,
    /// Problems last month that are gone this month.
    pub fixed_findings: Vec<FindingRef>,
}

/// Where a site stood last month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PreviousStanding {
    /// Not a number when the site was not assessed last month.
    pub score: f64,
    pub rank: u32,
    pub grade: Grade,
    pub list: Option<ListKind>,
    /// Was the site assessed last month?
    pub assessed: bool,
}

/// A finding named in a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FindingRef {
    pub rule: String,
    /// The rule's title from the rubric file.
    pub title: String,
    /// The deduction group's name from the rubric file (None for vetoes).
    pub group_name: Option<String>,
    pub kind: FindingKind,
    pub points: f64,
    pub message: String,
    pub urls: Vec<String>,
}

impl SiteChange {
    /// The previous standing when the site was assessed in both months (so scores and ranks can be compared).
    pub fn comparable(&self) -> Option<&PreviousStanding> {
        self.previous.as_ref().filter(|p| self.assessed && p.assessed)
    }

    /// In last month's results but not assessed then.
    pub fn previously_not_assessed(&self) -> bool {
        self.previous.as_ref().is_some_and(|p| !p.assessed)
    }

    /// This month's score minus last month's (`None` unless assessed in both months).
    pub fn score_change(&self) -> Option<f64> {
        self.comparable().map(|p| self.score - p.score).filter(|d| d.is_finite())
    }

    /// Places moved up (positive) or down (negative) in the ranking (`None` unless assessed in both months).
    pub fn rank_change(&self) -> Option<i64> {
        self.comparable().map(|p| i64::from(p.rank) - i64::from(self.rank))
    }

    /// Grade steps up (positive) or down (negative) (`None` unless assessed in both months).
    pub fn grade_change(&self) -> Option<i8> {
        self.comparable().map(|p| grade_order(self.grade) - grade_order(p.grade))
    }

    /// `↑3`, `↓2`, `—`, or why there is no change to show (新参评, 本期未检查, 上期未检查).
    pub fn rank_change_text(&self) -> String {
        match self.rank_change() {
            Some(0) => "—".into(),
            Some(d) if d > 0 => format!("↑{d}"),
            Some(d) => format!("↓{}", -d),
            None if !self.assessed => "本期未检查".into(),
            None if self.previously_not_assessed() => "上期未检查".into(),
            None => "新参评".into(),
        }
    }

    /// 进步: the grade rose, or the score rose by at least [`Comparison::NOTABLE_SCORE_CHANGE`] points.
    pub fn improved(&self) -> bool {
        self.grade_change().is_some_and(|g| g > 0)
            || (self.grade_change() == Some(0)
                && self.score_change().is_some_and(|d| d >= Comparison::NOTABLE_SCORE_CHANGE - 1e-9))
    }

    /// 退步: the grade fell, or the score fell by at least [`Comparison::NOTABLE_SCORE_CHANGE`] points.
    pub fn fell_back(&self) -> bool {
        self.grade_change().is_some_and(|g| g < 0)
            || (self.grade_change() == Some(0)
                && self.score_change().is_some_and(|d| d <= -Comparison::NOTABLE_SCORE_CHANGE + 1e-9))
    }
}

impl Comparison {
    /// A score change this large (points) counts as progress or falling back even without a change of grade.
    pub const NOTABLE_SCORE_CHANGE: f64 = 5.0;

    /// The change of the site with this id.
    pub fn site(&self, id: &str) -> Option<&SiteChange> {
        self.sites.iter().find(|s| s.id == id)
    }
}

/// Compare this month's results with last month's.
pub fn compare(current: &Results, previous: &Results) -> Comparison {
    let before: HashMap<&str, &SiteResult> = previous.sites.iter().map(|s| (s.id.as_str(), s)).collect();
    let now_ids: BTreeSet<&str> = current.sites.iter().map(|s| s.id.as_str()).collect();
    let sites = current
        .sites
        .iter()
        .map(|site| {
            let prev = before.get(site.id.as_str()).copied();
            let (new_findings, fixed_findings) = match prev {
                // Not read this month: nothing can be said to be fixed.
                Some(p) if !site.assessed() => (unmatched(&site.findings, &p.findings), Vec::new()),
                Some(p) => (unmatched(&site.findings, &p.findings), unmatched(&p.findings, &site.findings)),
                None => (unmatched(&site.findings, &[]), Vec::new()),
            };
            SiteChange {
                id: site.id.clone(),
                name: site.name.clone(),
                score: site.score,
                rank: site.rank,
                grade: site.grade,
                list: site.list,
                assessed: site.assessed(),
                status_reason: site.status_reason.clone(),
                previous: prev.map(|p| PreviousStanding {
                    score: p.score,
                    rank: p.rank,
                    grade: p.grade,
                    list: p.list,
                    assessed: p.assessed(),
                }),
                new_findings,
                fixed_findings,
            }
        })
        .collect();
    let mut dropped: Vec<String> =
        previous.sites.iter().filter(|s| !now_ids.contains(s.id.as_str())).map(|s| s.id.clone()).collect();
    dropped.sort();
    Comparison { previous_as_of: previous.assessment.as_of.clone(), sites, dropped }
}

fn is_problem(f: &Finding) -> bool {
    matches!(f.kind, FindingKind::Veto | FindingKind::Deduction)
}

fn same_problem(a: &Finding, b: &Finding) -> bool {
    if a.rule != b.rule || !is_problem(b) {
        return false;
    }
    if a.evidence.is_empty() && b.evidence.is_empty() {
        return true;
    }
    a.evidence.iter().any(|ea| b.evidence.iter().any(|eb| ea.url == eb.url))
}

/// Problems in `these` that no problem in `those` matches.
fn unmatched(these: &[Finding], those: &[Finding]) -> Vec<FindingRef> {
    let mut out: Vec<&Finding> =
        these.iter().filter(|f| is_problem(f) && !those.iter().any(|o| same_problem(f, o))).collect();
    out.sort_by(|a, b| crate::labels::seriousness(a, b));
    out.into_iter()
        .map(|f| FindingRef {
            rule: f.rule.clone(),
            title: crate::labels::finding_title(f).to_string(),
            group_name: f.group_name.clone(),
            kind: f.kind,
            points: f.points,
            message: f.message.clone(),
            urls: f.evidence.iter().map(|e| e.url.clone()).collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_scoring::Evidence;

    fn finding(rule: &str, kind: FindingKind, points: f64, urls: &[&str], msg: &str) -> Finding {
        Finding {
            occurrences: 1,
            rule: rule.into(),
            title: rule.into(),
            advice: String::new(),
            group: None,
            group_name: None,
            kind,
            points,
            message: msg.into(),
            evidence: urls.iter().map(|u| Evidence { url: u.to_string(), observed: msg.into(), warc: None }).collect(),
        }
    }

    fn pair() -> (Results, Results) {
        let prev = crate::synthetic::results(4, 11);
        let mut cur = prev.clone();
        cur.assessment.as_of = "2026-11-30T23:59:59+08:00".into();
        (cur, prev)
    }

    #[test]
    fn new_and_fixed_findings_by_rule_and_evidence_url() {
        let (mut cur, mut prev) = pair();
        prev.sites[0].findings = vec![
            finding("publish.news_stale", FindingKind::Deduction, 2.0, &["http://a/zwdt/"], "最新 2026-09-01"),
            finding("publish.news_stale", FindingKind::Deduction, 2.0, &["http://a/bmdt/"], "最新 2026-09-02"),
            finding("design.search", FindingKind::Deduction, 2.0, &[], "无搜索"),
            finding("bonus.https", FindingKind::Bonus, 2.0, &[], "https"),
        ];
        cur.sites[0].findings = vec![
            // same column, new date in message: still the same problem
            finding("publish.news_stale", FindingKind::Deduction, 2.0, &["http://a/zwdt/"], "最新 2026-10-01"),
            finding("design.search", FindingKind::Deduction, 2.0, &[], "无搜索"),
            finding("veto.no_service", FindingKind::Veto, 0.0, &["http://a/"], "无办事服务入口"),
        ];
        let c = compare(&cur, &prev);
        let s = c.site(&cur.sites[0].id).unwrap();
        let new: Vec<_> = s.new_findings.iter().map(|f| f.rule.as_str()).collect();
        let fixed: Vec<_> = s.fixed_findings.iter().map(|f| (f.rule.as_str(), f.urls[0].as_str())).collect();
        assert_eq!(new, ["veto.no_service"]);
        assert_eq!(fixed, [("publish.news_stale", "http://a/bmdt/")]);
        assert_eq!(c.previous_as_of, prev.assessment.as_of);
    }

    #[test]
    fn score_rank_and_grade_changes() {
        let (mut cur, mut prev) = pair();
        let id = cur.sites[1].id.clone();
        prev.sites[1].score = 70.0;
        prev.sites[1].rank = 4;
        prev.sites[1].grade = Grade::Pass;
        cur.sites[1].score = 91.5;
        cur.sites[1].rank = 1;
        cur.sites[1].grade = Grade::Excellent;
        let c = compare(&cur, &prev);
        let s = c.site(&id).unwrap();
        assert_eq!(s.score_change(), Some(21.5));
        assert_eq!(s.rank_change(), Some(3));
        assert_eq!(s.grade_change(), Some(2));
        assert!(s.improved() && !s.fell_back());
    }

    #[test]
    fn small_score_change_within_grade_is_neither_progress_nor_falling_back() {
        let (mut cur, prev) = pair();
        cur.sites[2].score = prev.sites[2].score - 4.0;
        let c = compare(&cur, &prev);
        let s = c.site(&cur.sites[2].id).unwrap();
        assert!(!s.improved() && !s.fell_back());
        cur.sites[2].score = prev.sites[2].score - 5.0;
        let c = compare(&cur, &prev);
        assert!(c.site(&cur.sites[2].id).unwrap().fell_back());
    }

    #[test]
    fn sites_new_and_dropped() {
        let (mut cur, prev) = pair();
        let gone = cur.sites.remove(3).id;
        cur.sites[0].id = "brand-new".into();
        let c = compare(&cur, &prev);
        let s = c.site("brand-new").unwrap();
        assert!(s.previous.is_none() && s.score_change().is_none() && !s.improved());
        let problems = cur.sites[0].findings.iter().filter(|f| f.kind != FindingKind::Bonus).count();
        assert_eq!(s.new_findings.len(), problems);
        let mut want = vec![gone, prev.sites[0].id.clone()];
        want.sort();
        assert_eq!(c.dropped, want);
    }
}
