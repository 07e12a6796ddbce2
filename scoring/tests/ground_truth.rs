//! The sample province at its fixed T0, scored from captures built without a network, against the sample's ground
//! truth: every site's veto set, findings (rule and count), score, grade and list, and every expected column found
//! with the right category and newest date.

mod common;

use gongkai_config::{Calendar, Rubric};
use gongkai_sample::{default_t0, Province};
use gongkai_scoring::{rank, score_capture, FindingKind, SiteResult};

#[test]
fn sample_province_matches_ground_truth() {
    let t0 = default_t0();
    let province = Province::default_at(t0);
    let truth = province.ground_truth(None);
    let rubric = Rubric::default_rubric();
    let calendar = Calendar::default_cn();
    let mut results: Vec<SiteResult> = Vec::new();
    for st in truth.sites.iter().filter(|s| s.assessment.is_some()) {
        let cap = common::capture(&province, st);
        results.push(score_capture(&cap, &rubric, &calendar, t0));
    }
    assert_eq!(results.len(), gongkai_sample::CRAFTED_SITES, "every crafted site is assessed");
    rank(&mut results, &rubric);
    for r in &results {
        eprintln!(
            "{:>2} {:<22} {:>6} {:>6} {} {:?} vetoes={:?} findings={}",
            r.rank,
            r.id,
            r.score,
            r.deduction_score,
            r.grade,
            r.list,
            r.vetoes,
            r.findings
                .iter()
                .map(|f| format!("{}x{}={}", f.rule, f.occurrences, f.points))
                .collect::<Vec<_>>()
                .join(",")
        );
    }
    let mut problems: Vec<String> = Vec::new();
    for st in truth.sites.iter().filter(|s| s.assessment.is_some()) {
        let r = results.iter().find(|r| r.id == st.id).unwrap();
        let p = common::differences(st, r);
        if !p.is_empty() {
            problems.push(format!("== {} ({})\n  {}", st.id, st.name, p.join("\n  ")));
        }
    }
    assert!(problems.is_empty(), "{} of {} sites differ:\n{}", problems.len(), results.len(), problems.join("\n"));
}

/// The second shipped rubric (official website check only) runs on the same captures: same vetoes, no 政务公开
/// findings, and its findings add up to its deduction score.
#[test]
fn guoban_rubric_runs_on_the_same_captures() {
    let t0 = default_t0();
    let province = Province::default_at(t0);
    let truth = province.ground_truth(None);
    let default = Rubric::default_rubric();
    let guoban = Rubric::guoban_2019();
    let calendar = Calendar::default_cn();
    for st in truth.sites.iter().filter(|s| s.assessment.is_some()) {
        let cap = common::capture(&province, st);
        let a = score_capture(&cap, &default, &calendar, t0);
        let b = score_capture(&cap, &guoban, &calendar, t0);
        assert_eq!(a.vetoes, b.vetoes, "{}", st.id);
        assert!(b.findings.iter().all(|f| !f.rule.starts_with("disclosure.")), "{}", st.id);
        let lost_b: f64 = b.findings.iter().filter(|f| f.kind == FindingKind::Deduction).map(|f| f.points).sum();
        assert!((100.0 - lost_b - b.deduction_score).abs() < 1e-6, "{}: findings add up to the deduction score", st.id);
    }
}
