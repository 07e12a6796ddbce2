//! Bad input files end the command with exit status 2 and a message naming the file, line, column and field, before
//! anything is crawled or written (docs/commands.md).

mod common;

use common::*;

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

/// `gongkai score` on an empty store under `dir` (out: `dir/o`) with one input file flag.
fn score_with(dir: &std::path::Path, flag: &str, file: &str) -> std::process::Output {
    let (store, out) = (dir.join("store"), dir.join("o"));
    run(&["score", "--store", store.to_str().unwrap(), "--out", out.to_str().unwrap(), flag, file])
}

const GOOD_SITE: &str = "[[site]]\nid = \"a\"\nname = \"甲县人民政府\"\nurl = \"http://www.jia.gov.cn/\"\nregion = [\"某省\"]\nlevel = \"county\"\n";

#[test]
fn unknown_level_in_sites_toml_exits_2_with_position() {
    let tmp = tempfile::tempdir().unwrap();
    let sites = write(tmp.path(), "sites.toml", &GOOD_SITE.replace("\"county\"", "\"conty\""));
    let store = tmp.path().join("store");
    let o = run(&["crawl", "--sites", &sites, "--store", store.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "stderr: {}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("sites.toml:6:9"), "no file:line:column in: {err}");
    assert!(err.contains("conty") && err.contains("county"), "no field/expectation in: {err}");
    assert!(!store.exists(), "nothing may be written for bad input");
}

#[test]
fn duplicate_site_id_in_run_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let sites = write(tmp.path(), "sites.toml", &format!("{GOOD_SITE}\n{GOOD_SITE}"));
    let out = tmp.path().join("out");
    let o = run(&["run", "--sites", &sites, "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "stderr: {}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("sites.toml:9:") && err.contains("站点 id \"a\" 重复"), "got: {err}");
    assert!(!out.exists(), "nothing may be written for bad input");
}

#[test]
fn rubric_with_unknown_check_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let rubric = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/rubrics/default.toml")).unwrap();
    let first = rubric.find("check = \"").expect("default rubric has checks");
    let end = first + rubric[first + 9..].find('"').unwrap() + 9;
    let bad = format!("{}check = \"no_such_check{}", &rubric[..first], &rubric[end..]);
    let line = rubric[..first].lines().count() + if rubric[..first].ends_with('\n') { 1 } else { 0 };
    let path = write(tmp.path(), "mine.toml", &bad);
    let o = score_with(tmp.path(), "--rubric", &path);
    assert_eq!(o.status.code(), Some(2), "stderr: {}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains(&format!("mine.toml:{line}:")), "expected mine.toml:{line}: in: {err}");
    assert!(err.contains("no_such_check"), "got: {err}");
}

#[test]
fn bad_flags_exit_2() {
    let tmp = tempfile::tempdir().unwrap();
    let sites = write(tmp.path(), "sites.toml", GOOD_SITE);
    for (flag, value) in [
        ("--rate", "fast"),
        ("--resolve", "nonsense"),
        ("--as-of", "yesterday"),
        ("--crawl-delay-cap", "6mo"),
        ("--request-timeout", "0s"),
        ("--request-timeout", "soon"),
    ] {
        let o = run(&["run", "--sites", &sites, "--out", tmp.path().join("o").to_str().unwrap(), flag, value]);
        assert_eq!(o.status.code(), Some(2), "{flag} {value}: {}", stderr(&o));
        assert!(stderr(&o).contains(flag), "{flag}: message should name the flag: {}", stderr(&o));
    }
    let o = run(&["results-please"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn missing_results_file_for_report_is_reported() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = write(tmp.path(), "results.json", "{\"assessment\": 3}");
    let o = run(&["report", "--results", &bad, "--out", tmp.path().join("o").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "stderr: {}", stderr(&o));
    assert!(stderr(&o).contains("results.json"), "got: {}", stderr(&o));
}

#[test]
fn bad_calendar_file_exits_2_with_position() {
    let tmp = tempfile::tempdir().unwrap();
    let cal = write(
        tmp.path(),
        "cal.toml",
        "[calendar]\nname = \"本地日历\"\nsource = \"测试\"\n\n[[year]]\nyear = 2027\nholidays = [\"2027-02-30\"]\n",
    );
    let o = score_with(tmp.path(), "--calendar", &cal);
    assert_eq!(o.status.code(), Some(2), "stderr: {}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("cal.toml:7:") && err.contains("2027-02-30"), "expected cal.toml:7: and the date in: {err}");
    assert!(!tmp.path().join("o").exists(), "nothing is written after bad input");
}
