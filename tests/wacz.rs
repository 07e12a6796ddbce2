//! `gongkai export --wacz` end to end: two crawls of the sample province into one store (the second archives
//! unchanged pages as revisits), exported whole and as the latest snapshots; `wacz validate` (py-wacz) passes on both,
//! and the latest snapshots' package holds the month-one records their revisits refer to.

mod common;

use common::*;
use std::io::Read;
use std::path::Path;

fn crawl(fixture: &Path, store: &Path, server: &gongkai_sample::SampleServer) {
    let mut args: Vec<String> = vec![
        "crawl".into(),
        "--sites".into(),
        fixture.join("sites.toml").display().to_string(),
        "--store".into(),
        store.display().to_string(),
        "--max-pages".into(),
        "15".into(),
    ];
    args.extend(fast_crawl_flags(server));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(&argv);
    assert!(o.status.success(), "crawl failed: {}", stderr(&o));
}

fn entry(wacz: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(wacz).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap_or_else(|e| panic!("{name}: {e}")).read_to_string(&mut s).unwrap();
    s
}

/// `wacz validate -f FILE`, or None when py-wacz is not installed.
fn validate(wacz: &Path) -> Option<std::process::Output> {
    std::process::Command::new("wacz").args(["validate", "-f"]).arg(wacz).output().ok()
}

#[test]
fn exported_wacz_validates_and_holds_what_revisits_refer_to() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = tmp.path().join("fixture");
    let store = tmp.path().join("store");
    let server = sample_server(&fixture);
    crawl(&fixture, &store, &server);
    crawl(&fixture, &store, &server);
    server.shutdown();

    let whole = tmp.path().join("whole.wacz");
    let latest = tmp.path().join("latest.wacz");
    let s = store.to_str().unwrap();
    let o = run(&["export", "--store", s, "--wacz", whole.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), whole.display().to_string());
    let o = run(&["export", "--store", s, "--wacz", latest.to_str().unwrap(), "--snapshot", "latest"]);
    assert!(o.status.success(), "{}", stderr(&o));

    for wacz in [&whole, &latest] {
        // The WARC files are stored, not deflated (a reader seeks into them).
        let mut zip = zip::ZipArchive::new(std::fs::File::open(wacz).unwrap()).unwrap();
        let names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
        for n in ["indexes/index.cdx", "pages/pages.jsonl", "datapackage.json", "datapackage-digest.json"] {
            assert!(names.iter().any(|x| x == n), "{n} missing from {}: {names:?}", wacz.display());
        }
        let warcs: Vec<&String> =
            names.iter().filter(|n| n.starts_with("archive/") && n.ends_with(".warc.gz")).collect();
        assert!(!warcs.is_empty());
        for w in warcs {
            assert_eq!(zip.by_name(w).unwrap().compression(), zip::CompressionMethod::Stored, "{w}");
        }
        let package: serde_json::Value = serde_json::from_str(&entry(wacz, "datapackage.json")).unwrap();
        assert_eq!(package["wacz_version"], "1.1.1");
        assert_eq!(package["profile"], "data-package");
        let pages = entry(wacz, "pages/pages.jsonl");
        let mut lines = pages.lines();
        let header: serde_json::Value = serde_json::from_str(lines.next().unwrap()).unwrap();
        assert_eq!(header["format"], "json-pages-1.0");
        let pages: Vec<serde_json::Value> = lines.map(|l| serde_json::from_str(l).unwrap()).collect();
        assert!(pages.len() > 30, "{} pages", pages.len());
        assert!(pages.iter().any(|p| p["title"].as_str().is_some_and(|t| t.contains("人民政府"))), "titles");

        match validate(wacz) {
            Some(o) => {
                let out = format!("{}{}", stdout(&o), stderr(&o));
                assert!(o.status.success() && out.contains("Validation succeeded"), "{}: {out}", wacz.display());
            }
            None => {
                assert!(std::env::var_os("CI").is_none(), "py-wacz is needed under CI (.ci/run installs it)");
                eprintln!("`wacz` (pip install wacz) is not installed: `wacz validate` skipped")
            }
        }
    }

    // Month two's unchanged pages are revisits; the latest snapshots' package also holds the month-one responses
    // they refer to, so every revisit line has a response line of the same URL and digest.
    let index = entry(&latest, "indexes/index.cdx");
    let lines: Vec<serde_json::Value> =
        index.lines().map(|l| serde_json::from_str(l.splitn(3, ' ').nth(2).unwrap()).unwrap()).collect();
    let revisits: Vec<&serde_json::Value> = lines.iter().filter(|j| j["mime"] == "warc/revisit").collect();
    assert!(!revisits.is_empty(), "the second crawl wrote no revisit");
    for r in revisits {
        assert!(
            lines.iter().any(|j| j["mime"] != "warc/revisit" && j["url"] == r["url"] && j["digest"] == r["digest"]),
            "no payload for the revisit {r}"
        );
    }
    // A snapshot that is not in the store is bad input.
    let o = run(&["export", "--store", s, "--wacz", latest.to_str().unwrap(), "--snapshot", "no-such-site"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("no-such-site"), "{}", stderr(&o));
}
