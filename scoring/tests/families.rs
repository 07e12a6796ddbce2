//! The scorer against CMS families it was not written for (issue 9): the sample's `families` province (ASP table
//! layouts, DedeCMS, message boards with a page per message, gkmlpt JSON platforms, 开普云 opaque ids, Hanweb
//! jpage), whose ground truth was written from docs/rules.md by someone who had not read the scorer, at five seeds.
//!
//! Per family it prints veto accuracy, findings F1 (by rule and occurrences) and column newest-date accuracy, and it
//! requires every site to match its ground truth: no false veto, no missed veto, the same findings and columns.
//! `cargo test -p gongkai-scoring --test families -- --nocapture` shows the table.

mod common;

use gongkai_config::{Calendar, Rubric};
use gongkai_sample::default_t0;
use gongkai_sample::families::{Family, FamilyProvince};
use gongkai_scoring::{rank, score_capture, FindingKind, SiteResult};
use std::collections::BTreeMap;

const SEEDS: [u64; 5] = [1, 2, 3, 4, 5];

#[derive(Default)]
struct Tally {
    sites: usize,
    veto_exact: usize,
    false_vetoes: usize,
    missed_vetoes: usize,
    tp: u32,
    fp: u32,
    fn_: u32,
    columns: usize,
    newest_right: usize,
    sites_exact: usize,
}

impl Tally {
    fn f1(&self) -> f64 {
        let p = self.tp as f64 / (self.tp + self.fp).max(1) as f64;
        let r = self.tp as f64 / (self.tp + self.fn_).max(1) as f64;
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn occurrences(r: &SiteResult) -> BTreeMap<String, u32> {
    r.findings.iter().filter(|f| f.kind != FindingKind::Veto).map(|f| (f.rule.clone(), f.occurrences)).collect()
}

#[test]
fn every_family_matches_its_independent_ground_truth() {
    let t0 = default_t0();
    let rubric = Rubric::default_rubric();
    let calendar = Calendar::default_cn();
    let mut tallies: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut problems: Vec<String> = Vec::new();
    for family in Family::ALL {
        let t = tallies.entry(family.as_str()).or_default();
        for seed in SEEDS {
            let province = FamilyProvince::generate(family, seed, t0);
            let truth = province.ground_truth();
            let mut results: Vec<SiteResult> = truth
                .sites
                .iter()
                .filter(|s| s.assessment.is_some())
                .map(|st| score_capture(&common::capture(&province, st), &rubric, &calendar, t0))
                .collect();
            rank(&mut results, &rubric);
            for st in truth.sites.iter().filter(|s| s.assessment.is_some()) {
                let a = st.assessment.as_ref().unwrap();
                let r = results.iter().find(|r| r.id == st.id).unwrap();
                t.sites += 1;
                let mut expected_vetoes = a.vetoes.clone();
                expected_vetoes.sort();
                t.veto_exact += usize::from(expected_vetoes == r.vetoes);
                t.false_vetoes += r.vetoes.iter().filter(|v| !expected_vetoes.contains(v)).count();
                t.missed_vetoes += expected_vetoes.iter().filter(|v| !r.vetoes.contains(v)).count();
                let exp: BTreeMap<String, u32> =
                    a.findings.iter().filter(|f| f.kind != "veto").map(|f| (f.rule.clone(), f.occurrences)).collect();
                let got = occurrences(r);
                for (rule, &n) in &exp {
                    let m = got.get(rule).copied().unwrap_or(0);
                    t.tp += n.min(m);
                    t.fn_ += n.saturating_sub(m);
                }
                for (rule, &m) in &got {
                    let n = exp.get(rule).copied().unwrap_or(0);
                    t.fp += m.saturating_sub(n);
                }
                for c in st.columns.iter().filter(|c| c.kind != gongkai_sample::ColumnKind::Single) {
                    t.columns += 1;
                    if common::find_column(r, c).is_some_and(|x| x.newest == c.newest) {
                        t.newest_right += 1;
                    }
                }
                let p = common::differences(st, r);
                if p.is_empty() {
                    t.sites_exact += 1;
                } else {
                    problems.push(format!(
                        "== {} seed {seed}: {} ({})\n  {}",
                        family.as_str(),
                        st.id,
                        st.name,
                        p.join("\n  ")
                    ));
                }
            }
        }
    }
    eprintln!("family        sites  veto-exact  false  missed  findings-F1  newest-date  sites-exact");
    for (f, t) in &tallies {
        eprintln!(
            "{f:<13} {:>5}  {:>9.1}%  {:>5}  {:>6}  {:>11.3}  {:>10.1}%  {:>10.1}%",
            t.sites,
            100.0 * t.veto_exact as f64 / t.sites.max(1) as f64,
            t.false_vetoes,
            t.missed_vetoes,
            t.f1(),
            100.0 * t.newest_right as f64 / t.columns.max(1) as f64,
            100.0 * t.sites_exact as f64 / t.sites.max(1) as f64,
        );
    }
    // Every family: no false veto, no missed veto — a misreading must never black-list a site or let one escape.
    let veto_errors: Vec<String> = tallies
        .iter()
        .filter(|(_, t)| t.false_vetoes + t.missed_vetoes > 0)
        .map(|(f, t)| format!("{f}: {} false, {} missed vetoes", t.false_vetoes, t.missed_vetoes))
        .collect();
    assert!(veto_errors.is_empty(), "{}\n{}", veto_errors.join("\n"), problems.join("\n"));
    // Every site of every family matches exactly, but for the differences still known in two holdout families
    // (written after the scorer was tuned on the others): sub-columns of a flat table tree marked only by class
    // (JEECMS) and PHPCMS's statutory (一) and annual-report dates. They are printed above; the note of issue 9 lists
    // them. Remove a family from this list when it reads exactly.
    const KNOWN_DIFFERENT: [&str; 2] = ["jeecms_board", "phpcms"];
    let unexpected: Vec<&String> =
        problems.iter().filter(|p| !KNOWN_DIFFERENT.iter().any(|f| p.starts_with(&format!("== {f} ")))).collect();
    assert!(
        unexpected.is_empty(),
        "{} sites differ from their ground truth:\n{}",
        unexpected.len(),
        unexpected.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
    );
}

/// Development aid: `FAMILY=kaipu SEED=1 SITE=<id> cargo test -p gongkai-scoring --test families dump -- --ignored
/// --nocapture` prints every archived page of one site (URL, status, first 3,000 characters).
#[test]
#[ignore]
fn dump() {
    use gongkai_sample::SiteSource;
    let family = std::env::var("FAMILY").unwrap_or_default();
    let seed: u64 = std::env::var("SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let site = std::env::var("SITE").unwrap_or_default();
    let only = std::env::var("URL").unwrap_or_default();
    let f = Family::ALL.into_iter().find(|f| f.as_str() == family).expect("FAMILY");
    let p = FamilyProvince::generate(f, seed, default_t0());
    for st in p.ground_truth().sites {
        if !site.is_empty() && st.id != site {
            continue;
        }
        eprintln!("##### {} {}", st.id, st.url);
        for (u, r) in p.site_pages(&st.id) {
            if !only.is_empty() && !u.as_str().contains(&only) {
                continue;
            }
            let body = gongkai_scoring::text::decode(&r.body, r.header("content-type"));
            eprintln!(
                "=== {u} {} {:?}\n{}",
                r.status,
                r.header("content-type"),
                body.chars().take(3000).collect::<String>()
            );
        }
    }
}

/// Development aid: `FAMILY=… SEED=… SITE=… cargo test … families show -- --ignored --nocapture` prints the scored
/// columns and findings of one site.
#[test]
#[ignore]
fn show() {
    let family = std::env::var("FAMILY").unwrap_or_default();
    let seed: u64 = std::env::var("SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1);
    let site = std::env::var("SITE").unwrap_or_default();
    let f = Family::ALL.into_iter().find(|f| f.as_str() == family).expect("FAMILY");
    let p = FamilyProvince::generate(f, seed, default_t0());
    for st in p.ground_truth().sites.iter().filter(|s| s.id == site) {
        let r =
            score_capture(&common::capture(&p, st), &Rubric::default_rubric(), &Calendar::default_cn(), default_t0());
        for c in &r.columns {
            eprintln!(
                "{:<14} {:<16} items={:<3} newest={:?} blank={} first={} {}",
                c.category, c.name, c.items, c.newest, c.blank, c.first_level, c.url
            );
        }
        for f in &r.findings {
            eprintln!("{} x{} {}: {}", f.rule, f.occurrences, f.points, f.message);
        }
        for f in &st.assessment.as_ref().unwrap().findings {
            eprintln!("truth: {} x{} {:?}", f.rule, f.occurrences, f.evidence);
        }
    }
}
