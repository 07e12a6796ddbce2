//! `gongkai run` end to end on the CMS families province (ASP tables, DedeCMS, message boards, gkmlpt JSON platforms,
//! 开普云, Hanweb jpage …) served on loopback: the real crawler must reach what each family hides (JSON list APIs,
//! `?ClassID=` lists, more than a hundred `ShowArticle.asp?ArticleID=N` articles, GBK pages) and the scorer must
//! then give every site the vetoes, grade and list of its independent ground truth.

mod common;

use common::*;
use gongkai_sample::families::FamilyProvince;
use gongkai_sample::{default_t0, SampleServer};
use serde_json::Value;
use std::sync::Arc;

#[test]
fn run_the_families_province_matches_its_ground_truth() {
    let tmp = tempfile::tempdir().unwrap();
    if let Ok(keep) = std::env::var("GONGKAI_KEEP_RUN") {
        // for looking at a failure: the crawl's store and reports stay in this directory
        let _ = std::fs::remove_dir_all(&keep);
        std::fs::create_dir_all(&keep).unwrap();
        return run_in(std::path::Path::new(&keep));
    }
    run_in(tmp.path());
}

fn run_in(dir: &std::path::Path) {
    let tmp = dir;
    let fixture = tmp.join("fixture");
    let out = tmp.join("out");
    let server = SampleServer::start_source(Arc::new(FamilyProvince::all(1, default_t0()))).expect("start server");
    server.write_fixture(&fixture).expect("fixture");
    let mut args: Vec<String> = vec![
        "run".into(),
        "--sites".into(),
        fixture.join("sites.toml").display().to_string(),
        "--out".into(),
        out.display().to_string(),
        "--store".into(),
        tmp.join("store").display().to_string(),
        "--as-of".into(),
        as_of(),
        "--rate".into(),
        "100/s".into(),
        "--concurrency".into(),
        "40".into(),
        "--crawl-delay-cap".into(),
        "100ms".into(),
    ];
    args.extend(resolve_flags(&server));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(&argv);
    server.shutdown();
    assert!(o.status.success(), "gongkai run failed: {}", stderr(&o));

    let truth: Value = serde_json::from_slice(&std::fs::read(fixture.join("ground-truth.json")).unwrap()).unwrap();
    let results: Value = serde_json::from_slice(&std::fs::read(out.join("results.json")).unwrap()).unwrap();
    let mut problems = Vec::new();
    let sites = truth["sites"].as_array().unwrap();
    for st in sites {
        let id = st["id"].as_str().unwrap();
        let a = &st["assessment"];
        let r = results["sites"].as_array().unwrap().iter().find(|s| s["id"] == id).expect("every site in results");
        let mut tv: Vec<&str> = a["vetoes"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        tv.sort();
        let rv: Vec<&str> = r["vetoes"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        if tv != rv {
            problems.push(format!("{id}: vetoes expected {tv:?}, got {rv:?}"));
        }
        if a["grade"] != r["grade"] || a["list"] != r["list"] {
            problems.push(format!("{id}: expected {} {}, got {} {}", a["grade"], a["list"], r["grade"], r["list"]));
        }
        let (es, rs) = (a["score"].as_f64().unwrap(), r["score"].as_f64().unwrap_or(f64::NAN));
        if (es - rs).abs() > 1e-6 {
            let got: Vec<String> = r["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| format!("{}x{}", f["rule"].as_str().unwrap(), f["occurrences"]))
                .collect();
            let exp: Vec<String> = a["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| format!("{}x{}", f["rule"].as_str().unwrap(), f["occurrences"]))
                .collect();
            problems.push(format!("{id}: score expected {es}, got {rs}\n  expected {exp:?}\n  got      {got:?}"));
        }
    }
    eprintln!("{} sites crawled and scored, {} differ", sites.len(), problems.len());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
