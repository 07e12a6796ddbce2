//! Prints the default province's expected outcomes (run with --nocapture to see them) and checks their spread.
use gongkai_sample::{default_t0, Province};

#[test]
fn default_province_has_a_spread_of_outcomes() {
    let p = Province::default_at(default_t0());
    let gt = p.ground_truth(None);
    let mut grades = std::collections::BTreeMap::new();
    for s in &gt.sites {
        let a = s.assessment.as_ref().unwrap();
        *grades.entry(a.grade.clone()).or_insert(0) += 1;
        let f: Vec<String> = a.findings.iter().map(|f| format!("{}x{}={}", f.rule, f.occurrences, f.points)).collect();
        println!(
            "{:3} {:22} {:6.2} {:6.2} {} {:?} pages={} | {}",
            a.rank,
            s.id,
            a.deduction_score,
            a.score,
            a.grade,
            a.list,
            s.expected_pages.len(),
            f.join(", ")
        );
    }
    println!("{grades:?} red={:?} black={:?} total_pages={}", gt.red_list, gt.black_list, gt.total_pages);
    assert_eq!(gt.sites.len(), 30);
    for g in ["优秀", "良好", "合格", "不合格"] {
        assert!(grades.get(g).copied().unwrap_or(0) >= 2, "too few {g}");
    }
    assert!(!gt.red_list.is_empty() && gt.red_list.len() <= 3);
}
