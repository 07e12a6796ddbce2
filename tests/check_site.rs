//! `gongkai check URL`: one site's self-check prints its score, grade and findings, most serious first.

mod common;

use common::*;

#[test]
fn check_one_sample_site_prints_its_findings() {
    let tmp = tempfile::tempdir().unwrap();
    let server = sample_server(tmp.path());
    let truth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("ground-truth.json")).unwrap()).unwrap();
    let site =
        truth["sites"].as_array().unwrap().iter().find(|s| s["id"] == "xc-lj-yunxi").expect("yunxi in the sample");
    let url = site["url"].as_str().unwrap().to_string();

    let mut args: Vec<String> = vec![
        "check".into(),
        url.clone(),
        "--level".into(),
        "county".into(),
        "--as-of".into(),
        as_of(),
        "--rate".into(),
        "50/s".into(),
    ];
    args.extend(resolve_flags(&server));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(&argv);
    server.shutdown();
    assert!(o.status.success(), "gongkai check failed: {}", stderr(&o));
    let out = stdout(&o);

    let a = &site["assessment"];
    assert!(out.contains(&format!("得分 {:.1}", a["score"].as_f64().unwrap())), "score {} not in:\n{out}", a["score"]);
    assert!(out.contains(a["grade"].as_str().unwrap()), "grade not in:\n{out}");
    let findings = a["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        assert!(out.contains(f["rule"].as_str().unwrap()), "finding {} not printed:\n{out}", f["rule"]);
    }
    // Most serious first: printed deductions never increase in points.
    let points: Vec<f64> = out
        .lines()
        .filter_map(|l| l.split("[扣 ").nth(1))
        .map(|r| r.split(' ').next().unwrap().parse().unwrap())
        .collect();
    assert!(points.windows(2).all(|w| w[0] >= w[1]), "not most serious first: {points:?}");
}
