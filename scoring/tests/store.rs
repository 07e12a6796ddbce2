//! Scoring from a real store (WARC files + sled index) written with the archive's API from the sample province:
//! the same store scored twice gives byte-identical results.json apart from `generated_at`; re-scoring with a
//! changed rubric needs nothing but the store (no sample server runs in this test at all); and the results equal the
//! ground truth, so the WARC read path loses nothing the analysis needs.

mod common;

use gongkai_archive::Store;
use gongkai_config::{Calendar, Rubric};
use gongkai_sample::{default_t0, Province};
use gongkai_scoring::{score_store, Results};

fn build_store(dir: &std::path::Path, province: &Province) -> Store {
    let store = Store::open(dir).unwrap();
    let truth = province.ground_truth(None);
    common::archive_captures(&store, province, truth.sites.iter().filter(|s| s.assessment.is_some()));
    store
}

fn json_without_generated_at(r: &Results) -> String {
    let mut r = r.clone();
    r.assessment.generated_at = String::new();
    serde_json::to_string_pretty(&r).unwrap()
}

#[test]
fn store_scores_deterministically_and_rescoring_needs_only_the_store() {
    let t0 = default_t0();
    let province = Province::default_at(t0);
    let truth = province.ground_truth(None);
    let dir = tempfile::tempdir().unwrap();
    let store = build_store(dir.path(), &province);
    let rubric = Rubric::default_rubric();
    let calendar = Calendar::default_cn();

    let a = score_store(&store, &rubric, &calendar, t0, &[], &Default::default()).unwrap();
    let b = score_store(&store, &rubric, &calendar, t0, &[], &Default::default()).unwrap();
    assert_eq!(a.sites.len(), 30);
    assert_eq!(json_without_generated_at(&a), json_without_generated_at(&b), "two scorings of one store differ");

    // the store path gives the ground truth
    for s in &a.sites {
        let t = truth.site(&s.id).unwrap().assessment.as_ref().unwrap();
        assert_eq!((s.score, s.grade.as_str(), s.rank as usize), (t.score, t.grade.as_str(), t.rank), "{}", s.id);
        let mut tv = t.vetoes.clone();
        tv.sort();
        assert_eq!(s.vetoes, tv, "{}", s.id);
        // every finding points at an archived record
        for f in s.findings.iter().filter(|f| f.rule.starts_with("publish.") && f.rule != "publish.missing_column") {
            assert!(
                f.evidence.iter().all(|e| e.warc.as_ref().is_some_and(|w| w.file.ends_with(".warc.gz"))),
                "{}: {:?}",
                s.id,
                f
            );
        }
    }

    // a changed rubric: news columns cost 3 points each and the homepage veto is switched off
    let text = include_str!("../../config/rubrics/default.toml");
    let changed = text
        .replacen(
            "id = \"publish.news_stale\"\nkind = \"deduction\"\ngroup = \"publish\"\npoints = 2",
            "id = \"publish.news_stale\"\nkind = \"deduction\"\ngroup = \"publish\"\npoints = 3",
            1,
        )
        .replacen(
            "id = \"veto.homepage_stale\"\nkind = \"veto\"",
            "id = \"veto.homepage_stale\"\nkind = \"veto\"\nenabled = false",
            1,
        );
    assert_ne!(changed, text, "the rubric edit applied");
    let rubric2 = Rubric::from_str(&changed, "changed.toml").unwrap();
    let c = score_store(&store, &rubric2, &calendar, t0, &[], &Default::default()).unwrap();
    let mut changed_sites = 0;
    for s in &c.sites {
        let before = a.sites.iter().find(|x| x.id == s.id).unwrap();
        assert!(!s.vetoes.iter().any(|v| v == "veto.homepage_stale"));
        if let Some(f) = before.findings.iter().find(|f| f.rule == "publish.news_stale") {
            let n = f.evidence.len() as f64;
            let g = s.findings.iter().find(|f| f.rule == "publish.news_stale").unwrap();
            assert_eq!(g.points, (3.0 * n).min(8.0), "{}", s.id);
            changed_sites += 1;
        }
    }
    assert!(changed_sites >= 3, "the sample has stale news columns");
    let changning = c.sites.iter().find(|s| s.id == "xc-lj-changning").unwrap();
    assert!(!changning.vetoed, "changning failed only on the home page veto");
}
