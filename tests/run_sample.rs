//! `gongkai run` on the sample province, end to end: every report file written and consistent with the sample's
//! ground truth; then `score` (no network, twice, byte-identical), `report` and month-over-month from the same store.

mod common;

use common::*;
use serde_json::Value;
use std::path::Path;

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

fn without_generated_at(path: &Path) -> String {
    let mut v = json(path);
    v["assessment"]["generated_at"] = Value::Null;
    serde_json::to_string_pretty(&v).unwrap()
}

fn python(code: &str, arg: &Path) -> std::process::Output {
    std::process::Command::new("python3").arg("-c").arg(code).arg(arg).output().expect("python3")
}

#[test]
fn run_score_and_report_the_sample_province() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = tmp.path().join("fixture");
    let out = tmp.path().join("out");
    let store = tmp.path().join("store");
    let server = sample_server(&fixture);

    let mut args: Vec<String> = vec![
        "run".into(),
        "--sites".into(),
        fixture.join("sites.toml").display().to_string(),
        "--out".into(),
        out.display().to_string(),
        "--store".into(),
        store.display().to_string(),
        "--as-of".into(),
        as_of(),
    ];
    args.extend(fast_crawl_flags(&server));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(&argv);
    assert!(o.status.success(), "gongkai run failed: {}", stderr(&o));
    // Standard output carries only the path of the report.
    assert_eq!(stdout(&o).trim(), out.join("report.html").display().to_string());
    server.shutdown();

    // Every report file.
    for f in ["results.json", "report.html", "ranking.csv", "report.xlsx", "bulletin.md"] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let results = json(&out.join("results.json"));
    let truth = json(&fixture.join("ground-truth.json"));
    let sites = results["sites"].as_array().unwrap();
    assert_eq!(sites.len(), truth["sites"].as_array().unwrap().len());
    for s in sites {
        let id = s["id"].as_str().unwrap();
        assert!(out.join("sites").join(format!("{id}.html")).is_file(), "sites/{id}.html missing");
    }

    // ranking.csv: BOM, every site, in rank order.
    let csv = std::fs::read(out.join("ranking.csv")).unwrap();
    assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]), "ranking.csv must start with the UTF-8 BOM");
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    let rows: Vec<&str> = text.lines().skip(1).filter(|l| !l.is_empty()).collect();
    assert_eq!(rows.len(), sites.len());
    let ranks: Vec<u32> = rows.iter().map(|r| r.split(',').next().unwrap().parse().unwrap()).collect();
    assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "ranking.csv not in rank order: {ranks:?}");
    let by_rank: Vec<&str> = rows.iter().map(|r| r.split(',').nth(1).unwrap()).collect();
    let mut expected: Vec<(u64, &str)> =
        sites.iter().map(|s| (s["rank"].as_u64().unwrap(), s["id"].as_str().unwrap())).collect();
    expected.sort();
    assert_eq!(by_rank, expected.iter().map(|e| e.1).collect::<Vec<_>>());

    // The black list is exactly the ground truth's 不合格 sites.
    let mut black: Vec<&str> =
        sites.iter().filter(|s| s["list"] == "black").map(|s| s["id"].as_str().unwrap()).collect();
    let mut truth_black: Vec<&str> = truth["sites"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["assessment"]["grade"] == "不合格")
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    black.sort();
    truth_black.sort();
    assert!(!truth_black.is_empty(), "the sample province must have failed sites");
    assert_eq!(black, truth_black);
    // Through the real crawler (https with a self-signed certificate, IPv6 on [::1], gzip, GBK, a flaky home page …)
    // every site's findings and score are the generator's ground truth exactly (a veto by rule alone: the truth
    // does not count a veto's evidence pages).
    let findings = |s: &Value| -> Vec<(String, String, u64)> {
        let mut v: Vec<(String, String, u64)> = s["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().into(),
                    f["kind"].as_str().unwrap().into(),
                    if f["kind"] == "veto" { 0 } else { f["occurrences"].as_u64().unwrap() },
                )
            })
            .collect();
        v.sort();
        v
    };
    let mut differ: Vec<String> = Vec::new();
    for s in sites {
        let id = s["id"].as_str().unwrap();
        let t = truth["sites"].as_array().unwrap().iter().find(|t| t["id"] == id).unwrap();
        let ta = &t["assessment"];
        let (got, want) = (findings(s), findings(ta));
        if got != want || (s["score"].as_f64().unwrap() - ta["score"].as_f64().unwrap()).abs() > 0.005 {
            differ
                .push(format!("{id}: score {} (truth {}), findings {got:?} (truth {want:?})", s["score"], ta["score"]));
        }
    }
    assert!(differ.is_empty(), "{} sites differ from the ground truth:\n{}", differ.len(), differ.join("\n"));
    // The https site's certificate finding cites the archived `tls` record of its host.
    let https_site = sites.iter().find(|s| s["url"].as_str().unwrap().starts_with("https://")).expect("an https site");
    let cert = https_site["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "security.certificate").unwrap();
    assert!(cert["message"].as_str().unwrap().contains("自签名证书"), "{cert}");
    assert!(cert["evidence"][0]["warc"]["record_id"].as_str().is_some_and(|r| r.starts_with("urn:uuid:")), "{cert}");

    let bulletin = std::fs::read_to_string(out.join("bulletin.md")).unwrap();
    for s in sites.iter().filter(|s| s["list"] == "black") {
        assert!(bulletin.contains(s["name"].as_str().unwrap()), "bulletin lacks black-listed {}", s["name"]);
    }

    // report.xlsx opens with a standard reader (openpyxl), with the sheets and a row per site in 排名 (汇总 comes first).
    let o = python(
        "import sys, openpyxl\nwb = openpyxl.load_workbook(sys.argv[1], read_only=True)\nprint(len(wb.sheetnames), wb[\"排名\"].max_row)",
        &out.join("report.xlsx"),
    );
    assert!(o.status.success(), "openpyxl could not open report.xlsx (pip install openpyxl): {}", stderr(&o));
    let printed = stdout(&o);
    let nums: Vec<usize> = printed.split_whitespace().map(|x| x.parse().unwrap()).collect();
    assert!(nums[0] >= 3, "report.xlsx has {} sheets", nums[0]);
    assert_eq!(nums[1], sites.len() + 1, "ranking sheet: header + one row per site");

    // Every WARC file the crawl wrote is valid for an independent reader.
    let n = gongkai_archive_validate(&store);
    assert!(n > 0, "no WARC files written");

    // Re-score from the store alone (the server is stopped), twice: identical but for generated_at.
    let s1 = tmp.path().join("score1");
    let s2 = tmp.path().join("score2");
    for dir in [&s1, &s2] {
        let o =
            run(&["score", "--store", store.to_str().unwrap(), "--out", dir.to_str().unwrap(), "--as-of", &as_of()]);
        assert!(o.status.success(), "gongkai score failed: {}", stderr(&o));
    }
    assert_eq!(without_generated_at(&s1.join("results.json")), without_generated_at(&s2.join("results.json")));
    assert_eq!(without_generated_at(&s1.join("results.json")), without_generated_at(&out.join("results.json")));

    // A changed rubric needs no network: make news staleness dearer and re-score.
    let rubric =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rubrics/default.toml")).unwrap();
    let changed = rubric.replacen("version = \"", "version = \"changed-", 1);
    let rubric_path = tmp.path().join("changed.toml");
    std::fs::write(&rubric_path, changed).unwrap();
    let s3 = tmp.path().join("score3");
    let o = run(&[
        "score",
        "--store",
        store.to_str().unwrap(),
        "--out",
        s3.to_str().unwrap(),
        "--as-of",
        &as_of(),
        "--rubric",
        rubric_path.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "re-scoring with a changed rubric failed: {}", stderr(&o));
    let r3 = json(&s3.join("results.json"));
    assert!(r3["assessment"]["rubric"]["version"].as_str().unwrap().starts_with("changed-"));
    assert_eq!(r3["sites"].as_array().unwrap().len(), sites.len());

    // Reports rebuilt from results.json, with last month's results for the comparison.
    let rep = tmp.path().join("report");
    let o = run(&[
        "report",
        "--results",
        s1.join("results.json").to_str().unwrap(),
        "--out",
        rep.to_str().unwrap(),
        "--previous",
        out.join("results.json").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "gongkai report failed: {}", stderr(&o));
    for f in ["report.html", "ranking.csv", "report.xlsx", "bulletin.md"] {
        assert!(rep.join(f).is_file(), "report: {f} missing");
    }
}

fn gongkai_archive_validate(store: &Path) -> usize {
    gongkai_archive::testing::validate_with_warcio(store).unwrap_or_else(|e| panic!("warcio validation failed: {e:#}"))
}
