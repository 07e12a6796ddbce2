//! A site that could not be read is not assessed (未检查), never scored from missing data (issue 9, class 4): in
//! `check` (exit status 3, no deduction printed) and in `run` (results.json `status`, every report shows 未检查,
//! the site is ranked apart and on neither list).

mod common;

use common::*;
use serde_json::Value;

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let p = l.local_addr().unwrap().port();
    drop(l);
    p
}

#[test]
fn check_of_an_unreachable_site_is_not_assessed() {
    let port = closed_port();
    let url = format!("http://www.nonexistent.gov.cn:{port}/");
    let resolve = format!("www.nonexistent.gov.cn:{port}:127.0.0.1");
    let o = run(&["check", &url, "--as-of", &as_of(), "--resolve", &resolve, "--resolved-only"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(3), "exit status 3 for a site not assessed\n{out}\n{}", stderr(&o));
    assert!(out.contains("未检查"), "{out}");
    assert!(out.contains("首页无法访问"), "{out}");
    assert!(!out.contains("不合格"), "an unreachable site is not failed from missing data:\n{out}");
    assert!(!out.contains("veto.no_consultation") && !out.contains("veto.no_service"), "{out}");
    assert!(!out.contains("得分"), "no score is printed for a site not assessed:\n{out}");
}

#[test]
fn run_reports_an_unreachable_site_as_not_assessed() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = tmp.path().join("fixture");
    let out = tmp.path().join("out");
    let server = sample_server(&fixture);
    let truth: Value = serde_json::from_slice(&std::fs::read(fixture.join("ground-truth.json")).unwrap()).unwrap();
    let site = truth["sites"].as_array().unwrap().iter().find(|s| s["id"] == "xc-lj-yunxi").unwrap();
    let port = closed_port();
    let sites = format!(
        "[defaults]\nrate = \"50/s\"\n\n[[site]]\nid = \"xc-lj-yunxi\"\nname = \"{}\"\nurl = \"{}\"\nregion = [\"西川省\", \"临江市\"]\nlevel = \"county\"\n\n\
         [[site]]\nid = \"gone\"\nname = \"消失县人民政府\"\nurl = \"http://www.gone.gov.cn:{port}/\"\nregion = [\"西川省\", \"临江市\"]\nlevel = \"county\"\n",
        site["name"].as_str().unwrap(),
        site["url"].as_str().unwrap(),
    );
    let sites_path = tmp.path().join("sites.toml");
    std::fs::write(&sites_path, sites).unwrap();
    let mut args: Vec<String> = vec![
        "run".into(),
        "--sites".into(),
        sites_path.display().to_string(),
        "--out".into(),
        out.display().to_string(),
        "--store".into(),
        tmp.path().join("store").display().to_string(),
        "--as-of".into(),
        as_of(),
        "--resolve".into(),
        format!("www.gone.gov.cn:{port}:127.0.0.1"),
    ];
    args.extend(resolve_flags(&server));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(&argv);
    server.shutdown();
    assert!(o.status.success(), "gongkai run failed: {}", stderr(&o));

    let results: Value = serde_json::from_slice(&std::fs::read(out.join("results.json")).unwrap()).unwrap();
    let sites = results["sites"].as_array().unwrap();
    let gone = sites.iter().find(|s| s["id"] == "gone").unwrap();
    assert_eq!(gone["status"], "not_assessed");
    assert!(gone["status_reason"].as_str().unwrap().contains("首页无法访问"), "{}", gone["status_reason"]);
    assert_eq!(gone["findings"].as_array().unwrap().len(), 0, "no rubric findings");
    assert!(gone["score"].is_null(), "no score: {}", gone["score"]);
    assert_eq!(gone["grade"], "未检查");
    assert!(gone["list"].is_null(), "on neither list");
    assert_eq!(gone["rank"], 0, "ranked apart");
    let yunxi = sites.iter().find(|s| s["id"] == "xc-lj-yunxi").unwrap();
    assert_eq!(yunxi["status"], "assessed");
    assert_eq!(yunxi["rank"], 1);
    assert!(yunxi["status_reason"].is_null());
    for f in yunxi["findings"].as_array().unwrap() {
        assert!(f["occurrences"].as_u64().unwrap() >= 1, "every finding says its occurrences: {f}");
    }

    for f in ["report.html", "ranking.csv", "bulletin.md", "sites/gone.html"] {
        let text = std::fs::read_to_string(out.join(f)).unwrap_or_else(|e| panic!("{f}: {e}"));
        assert!(text.contains("未检查"), "{f} does not show the site as 未检查");
        assert!(!text.contains("NaN"), "{f} shows NaN");
    }
    let o = std::process::Command::new("python3")
        .arg("-c")
        .arg("import sys, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1], read_only=True)\nprint(any('未检查' in str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None))")
        .arg(out.join("report.xlsx"))
        .output()
        .expect("python3");
    assert!(o.status.success(), "openpyxl: {}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "True", "report.xlsx shows the site as 未检查");
}
