//! gongkai.toml and `--period` at the command line: a broken file stops every command with file, line and field
//! (exit 2); a good one (given with `--config` or found in the working directory) puts the operator's contact into
//! the User-Agent and the WARC files' warcinfo, and the issuing office, 文号 and deadline into the 通报; `--period`
//! names the month in results.json and the bulletin's title.

mod common;

use common::*;
use serde_json::Value;
use std::io::Read;
use std::path::Path;

const CONFIG: &str = r#"[operator]
name = "示范省政务公开办"
name_en = "Shifan Openness Office"
url = "https://www.shifan.gov.cn/gongkai/"
email = "gongkai@shifan.gov.cn"

[bulletin]
office = "示范省人民政府办公厅"
office_short = "示政办"
number = "{office_short}〔{year}〕{n}号"
serial = 3
deadline = 2026-12-31
"#;

/// An assessment of no sites (enough for `report`), T0 at the end of November, written on 2 December.
const RESULTS: &str = r#"{"assessment": {"as_of": "2026-12-02T09:00:00+08:00",
    "rubric": {"id": "default", "version": "2026.11"}, "generated_at": "2026-12-02T10:00:00+08:00"}, "sites": []}"#;

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn a_broken_config_is_bad_input_with_file_line_and_field() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("results.json"), RESULTS).unwrap();
    let bad = tmp.path().join("bad.toml");
    std::fs::write(&bad, "[bulletin]\noffice = \"某办\"\ndeadline = \"2026-02-30\"\n").unwrap();
    let results = tmp.path().join("results.json");
    let out = tmp.path().join("out");
    let o = run(&[
        "report",
        "--results",
        results.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--config",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("bad.toml:3:") && err.contains("bulletin.deadline"), "{err}");
    assert!(!out.join("bulletin.docx").exists(), "nothing written");

    // Found in the working directory just the same.
    std::fs::write(tmp.path().join("gongkai.toml"), "[operator]\nname = \"x\"\ncolour = 1\n").unwrap();
    let o = gongkai()
        .current_dir(tmp.path())
        .args(["report", "--results", "results.json", "--out", "out"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("gongkai.toml:3:") && stderr(&o).contains("operator.colour"), "{}", stderr(&o));

    // A period that is not a month.
    let o =
        run(&["report", "--results", results.to_str().unwrap(), "--out", out.to_str().unwrap(), "--period", "2026-13"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--period"), "{}", stderr(&o));
}

#[test]
fn report_with_config_and_period() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("results.json"), RESULTS).unwrap();
    std::fs::write(tmp.path().join("gongkai.toml"), CONFIG).unwrap();
    let o = gongkai()
        .current_dir(tmp.path())
        .args(["report", "--results", "results.json", "--out", "out", "--period", "2026-11"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = tmp.path().join("out");
    let a = &json(&out.join("results.json"))["assessment"];
    assert_eq!((a["period"].as_str(), a["issuer"].as_str()), (Some("2026-11"), Some("示范省人民政府办公厅")));
    assert!(out.join("bulletin.docx").is_file());
    let b = std::fs::read_to_string(out.join("bulletin.md")).unwrap();
    assert!(
        b.starts_with("**示范省人民政府办公厅**\n\n示政办〔2026〕3号\n\n# 关于2026年11月政府网站检查情况的通报"),
        "{b}"
    );
    assert!(b.contains("于2026年12月31日前完成整改"), "{b}");
    assert!(b.contains("示范省人民政府办公厅  \n2026年12月2日"), "{b}");

    // Without --period, the month of T0 (here 2 December: why --period exists).
    let o = gongkai()
        .current_dir(tmp.path())
        .args(["report", "--results", "results.json", "--out", "out2"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let b = std::fs::read_to_string(tmp.path().join("out2/bulletin.md")).unwrap();
    assert!(b.contains("# 关于2026年12月政府网站检查情况的通报"), "{b}");
}

/// Every WARC record of a store, decompressed, as text.
fn warc_text(store: &Path) -> String {
    let mut text = String::new();
    let mut dirs = vec![store.join("warc")];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.to_string_lossy().ends_with(".warc.gz") {
                let mut bytes = Vec::new();
                flate2::read::MultiGzDecoder::new(std::fs::File::open(&p).unwrap()).read_to_end(&mut bytes).unwrap();
                text.push_str(&String::from_utf8_lossy(&bytes));
            }
        }
    }
    text
}

#[test]
fn the_operator_is_in_the_user_agent_and_the_warcinfo() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = tmp.path().join("fixture");
    let server = sample_server(&fixture);
    // One site of the sample province is enough.
    let sites = std::fs::read_to_string(fixture.join("sites.toml")).unwrap();
    let mut parts = sites.split("[[site]]");
    let one = format!("{}[[site]]{}", parts.next().unwrap(), parts.next().unwrap());
    std::fs::write(tmp.path().join("one.toml"), one).unwrap();
    std::fs::write(tmp.path().join("op.toml"), CONFIG).unwrap();
    let store = tmp.path().join("store");
    let mut args: Vec<String> = [
        "crawl",
        "--sites",
        "one.toml",
        "--store",
        "store",
        "--config",
        "op.toml",
        "--max-pages",
        "5",
        "--rate",
        "50/s",
    ]
    .map(String::from)
    .to_vec();
    args.extend(resolve_flags(&server));
    let o = gongkai().current_dir(tmp.path()).args(&args).output().unwrap();
    server.shutdown();
    assert!(o.status.success(), "{}", stderr(&o));
    let warc = warc_text(&store);
    let ua = format!(
        "gongkai/{} (+https://www.shifan.gov.cn/gongkai/; gongkai@shifan.gov.cn; Shifan Openness Office)",
        env!("CARGO_PKG_VERSION")
    );
    assert!(warc.contains(&format!("User-Agent: {ua}")), "the requests' User-Agent");
    assert!(
        warc.contains("operator: 示范省政务公开办 (https://www.shifan.gov.cn/gongkai/; gongkai@shifan.gov.cn)"),
        "warcinfo operator"
    );
}
