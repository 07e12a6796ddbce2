//! The sample province at its fixed T0, scored from captures built without a network, against the sample's ground
//! truth: every site's veto set, findings (rule and count), score, grade and list, and every expected column found
//! with the right category and newest date.

mod common;

use gongkai_config::{Calendar, Rubric};
use gongkai_sample::{default_t0, Province};
use gongkai_scoring::{rank, score_capture, FindingKind, ListKind, SiteResult};
use std::collections::BTreeMap;

fn list_str(l: Option<ListKind>) -> Option<String> {
    l.map(|l| match l {
        ListKind::Red => "red".to_string(),
        ListKind::Black => "black".to_string(),
    })
}

fn canon(u: &str) -> String {
    let u = u.trim_end_matches("index.html");
    u.to_string()
}

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
                .map(|f| format!("{}x{}={}", f.rule, f.evidence.len(), f.points))
                .collect::<Vec<_>>()
                .join(",")
        );
    }
    let mut problems: Vec<String> = Vec::new();
    for st in truth.sites.iter().filter(|s| s.assessment.is_some()) {
        let a = st.assessment.as_ref().unwrap();
        let r = results.iter().find(|r| r.id == st.id).unwrap();
        let mut p = Vec::new();
        let mut tv = a.vetoes.clone();
        tv.sort();
        if tv != r.vetoes {
            p.push(format!("vetoes: expected {:?}, got {:?}", tv, r.vetoes));
        }
        let expected: BTreeMap<String, u32> = a
            .findings
            .iter()
            .filter(|f| f.kind == "deduction" || f.kind == "bonus")
            .map(|f| (f.rule.clone(), f.occurrences))
            .collect();
        let got: BTreeMap<String, u32> = r
            .findings
            .iter()
            .filter(|f| f.kind != FindingKind::Veto)
            .map(|f| (f.rule.clone(), f.evidence.len() as u32))
            .collect();
        for (rule, n) in &expected {
            match got.get(rule) {
                Some(m) if m == n => {}
                Some(m) => p.push(format!("{rule}: expected {n} occurrences, got {m}")),
                None => p.push(format!("{rule}: expected {n} occurrences, got none")),
            }
        }
        for (rule, m) in &got {
            if !expected.contains_key(rule) {
                let f = r.findings.iter().find(|f| &f.rule == rule).unwrap();
                p.push(format!("{rule}: unexpected ({m}): {}", f.message));
            }
        }
        if (a.score - r.score).abs() > 1e-6 || (a.deduction_score - r.deduction_score).abs() > 1e-6 {
            p.push(format!(
                "score: expected {} ({}), got {} ({})",
                a.score, a.deduction_score, r.score, r.deduction_score
            ));
        }
        let lost: f64 = r.findings.iter().filter(|f| f.kind == FindingKind::Deduction).map(|f| f.points).sum();
        if (100.0 - lost - r.deduction_score).abs() > 1e-6 {
            p.push(format!("deduction findings add up to {lost}, deduction_score is {}", r.deduction_score));
        }
        if a.grade != r.grade {
            p.push(format!("grade: expected {}, got {}", a.grade, r.grade));
        }
        if a.list != list_str(r.list) {
            p.push(format!("list: expected {:?}, got {:?}", a.list, list_str(r.list)));
        }
        if a.rank as u32 != r.rank {
            p.push(format!("rank: expected {}, got {}", a.rank, r.rank));
        }
        for c in &st.columns {
            let cat = c.category.as_str();
            let found = r
                .columns
                .iter()
                .find(|x| canon(&x.url) == canon(&c.url))
                .or_else(|| r.columns.iter().find(|x| x.name == c.name));
            match found {
                None => p.push(format!("column {} {} ({cat}) not found", c.name, c.url)),
                Some(x) => {
                    if x.category != cat {
                        p.push(format!("column {}: category expected {cat}, got {}", c.name, x.category));
                    }
                    if x.newest != c.newest {
                        p.push(format!("column {}: newest expected {:?}, got {:?}", c.name, c.newest, x.newest));
                    }
                    if x.blank != c.blank {
                        p.push(format!("column {}: blank expected {}, got {}", c.name, c.blank, x.blank));
                    }
                    if x.first_level != c.first_level {
                        p.push(format!(
                            "column {}: first_level expected {}, got {}",
                            c.name, c.first_level, x.first_level
                        ));
                    }
                }
            }
        }
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
