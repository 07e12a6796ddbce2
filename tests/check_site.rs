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

/// The sample's fixture, its server and the `check` arguments for one of its sites.
struct Sample {
    _tmp: tempfile::TempDir,
    server: gongkai_sample::SampleServer,
    truth: serde_json::Value,
}

impl Sample {
    fn start() -> Sample {
        let tmp = tempfile::tempdir().unwrap();
        let server = sample_server(tmp.path());
        let truth = serde_json::from_slice(&std::fs::read(tmp.path().join("ground-truth.json")).unwrap()).unwrap();
        Sample { _tmp: tmp, server, truth }
    }

    fn site(&self, id: &str) -> &serde_json::Value {
        self.truth["sites"].as_array().unwrap().iter().find(|s| s["id"] == id).expect("site in the sample")
    }

    /// `gongkai check URL-of-id --level county --as-of T0 --rate 50/s --resolve … extra…`.
    fn check(&self, id: &str, extra: &[&str]) -> std::process::Output {
        let url = self.site(id)["url"].as_str().unwrap().to_string();
        let mut args: Vec<String> =
            vec!["check".into(), url, "--level".into(), "county".into(), "--as-of".into(), as_of()];
        args.extend(["--rate".into(), "50/s".into()]);
        args.extend(resolve_flags(&self.server));
        args.extend(extra.iter().map(|s| s.to_string()));
        let argv: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&argv)
    }
}

#[test]
fn check_names_the_site_from_its_home_page_and_says_how_to_fix_each_finding() {
    let sample = Sample::start();
    let o = sample.check("xc-lj-yunxi", &[]);
    assert_eq!(o.status.code(), Some(0), "良好 exits 0: {}", stderr(&o));
    let out = stdout(&o);
    let first = out.lines().next().unwrap();
    assert!(first.starts_with("临江市云溪区人民政府  http://www.yunxi.gov.cn"), "name from <title>: {first}");
    let findings = out.lines().filter(|l| l.contains(". [扣 ")).count();
    let advice = out.lines().filter(|l| l.trim_start().starts_with("整改建议：")).count();
    assert!(findings > 0 && advice == findings, "{findings} findings, {advice} advice lines:\n{out}");
}

#[test]
fn check_out_keeps_the_checklist_results_and_warc_and_json_goes_to_stdout() {
    let sample = Sample::start();
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("自查");
    let o = sample.check("xc-lj-yunxi", &["--out", out_dir.to_str().unwrap(), "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // Standard output is the site's result and nothing else; the words went to standard error.
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is one JSON document");
    let truth = &sample.site("xc-lj-yunxi")["assessment"];
    assert_eq!(json["id"], "www-yunxi-gov-cn");
    assert_eq!(json["name"], "临江市云溪区人民政府");
    assert_eq!(json["status"], "assessed");
    assert_eq!(json["score"].as_f64(), truth["score"].as_f64());
    assert_eq!(json["grade"], truth["grade"]);
    assert!(json["findings"].as_array().unwrap().iter().all(|f| f["advice"].as_str().is_some_and(|a| !a.is_empty())));
    assert!(stderr(&o).contains("整改建议："), "the words are on standard error");

    for f in ["results.json", "report.html", "sites/www-yunxi-gov-cn.html", "sites/www-yunxi-gov-cn.xlsx"] {
        let p = out_dir.join(f);
        assert!(std::fs::metadata(&p).map(|m| m.len() > 0).unwrap_or(false), "{} missing", p.display());
    }
    let results: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out_dir.join("results.json")).unwrap()).unwrap();
    assert_eq!(results["sites"][0], json, "results.json holds the same result");
    let page = std::fs::read_to_string(out_dir.join("sites/www-yunxi-gov-cn.html")).unwrap();
    assert!(page.contains("临江市云溪区人民政府") && page.contains("整改建议："), "the 整改清单 page");
    let xlsx = std::fs::read(out_dir.join("sites/www-yunxi-gov-cn.xlsx")).unwrap();
    assert!(xlsx.starts_with(b"PK"), "an xlsx is a zip file");
    let warcs: Vec<_> = walk(&out_dir.join("store").join("warc"))
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".warc.gz"))
        .collect();
    assert!(!warcs.is_empty(), "the WARC store is kept");
    assert!(warcs.iter().map(|p| std::fs::metadata(p).unwrap().len()).sum::<u64>() > 10_000);
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn check_exit_status_is_4_for_a_failed_site_unless_told_otherwise() {
    let sample = Sample::start();
    assert_eq!(sample.site("xc-lj-qingxi")["assessment"]["grade"], "不合格");
    let o = sample.check("xc-lj-qingxi", &[]);
    assert_eq!(o.status.code(), Some(4), "不合格 exits 4\n{}\n{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("等级：不合格"));
    assert!(stderr(&o).contains("不合格") && stderr(&o).contains("退出状态 4"), "{}", stderr(&o));
    let o = sample.check("xc-lj-qingxi", &["--fail-on", "never", "--json"]);
    assert_eq!(o.status.code(), Some(0), "--fail-on never: {}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json["grade"], "不合格");
}

#[test]
fn check_exit_status_is_3_for_a_site_not_assessed_and_json_says_so() {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    drop(l);
    let url = format!("http://www.nonexistent.gov.cn:{port}/");
    let resolve = format!("www.nonexistent.gov.cn:{port}:127.0.0.1");
    let base = ["check", &url, "--as-of", &as_of(), "--resolve", &resolve, "--resolved-only", "--json"];
    let o = run(&base);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).expect("stdout is JSON");
    assert_eq!(json["status"], "not_assessed");
    assert!(json["score"].is_null());
    let mut never = base.to_vec();
    never.extend(["--fail-on", "never"]);
    assert_eq!(run(&never).status.code(), Some(0));
    let mut bad = base.to_vec();
    bad.extend(["--fail-on", "sometimes"]);
    let o = run(&bad);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--fail-on") && stderr(&o).contains("sometimes"), "{}", stderr(&o));
}
