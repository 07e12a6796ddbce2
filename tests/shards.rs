//! Sharded runs, end to end (issue 15, docs/kubernetes.md): three `gongkai run --shards 3` processes with
//! `JOB_COMPLETION_INDEX` set as a Kubernetes Indexed Job sets it, run at the same time against the sample province,
//! then `gongkai merge`; compared with one whole run over all sites. Also: the merged request log never shows a host
//! above its rate, sites sharing a host are in one shard, and bad shard input exits 2 with a Chinese message.

mod common;

use common::*;
use gongkai_sample::{default_t0, max_requests_in_window, Province, SampleServer};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SHARDS: usize = 3;
/// Per-host rate for the test crawls: low enough that a violation would show in the log, high enough to stay quick.
const RATE: usize = 10;

fn json(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))).unwrap()
}

/// `run` arguments shared by the shards and the whole run.
fn run_args(server: &SampleServer, sites: &Path, out: &Path) -> Vec<String> {
    let mut args: Vec<String> = vec![
        "run".into(),
        "--sites".into(),
        sites.display().to_string(),
        "--out".into(),
        out.display().to_string(),
        "--as-of".into(),
        as_of(),
        "--rate".into(),
        format!("{RATE}/s"),
        "--concurrency".into(),
        "32".into(),
        "--crawl-delay-cap".into(),
        "100ms".into(),
    ];
    args.extend(resolve_flags(server));
    args
}

/// results.json with what legitimately differs between a sharded and a whole run blanked: when it was written and
/// crawled, the shard, and where the evidence's WARC records are (file, offset and record id depend on the store).
/// Also the order of a finding's evidence and of the parts of its message: it follows the order pages were fetched in,
/// which differs between any two crawls (two whole runs too); the evidence itself and the points must be the same.
fn comparable(mut v: Value) -> Value {
    v["assessment"]["generated_at"] = Value::Null;
    v["assessment"].as_object_mut().unwrap().remove("shard");
    for s in v["sites"].as_array_mut().unwrap() {
        s["crawl"]["started_at"] = Value::Null;
        s["crawl"]["finished_at"] = Value::Null;
        // When each https host's certificate was first seen (the sample's https site).
        for t in s["tls"].as_array_mut().into_iter().flatten() {
            t["checked_at"] = Value::Null;
        }
        for f in s["findings"].as_array_mut().unwrap() {
            let evidence = f["evidence"].as_array_mut().unwrap();
            for e in evidence.iter_mut() {
                if !e["warc"].is_null() {
                    e["warc"] = Value::Bool(true);
                }
            }
            evidence.sort_by_key(|e| e.to_string());
            let mut parts: Vec<&str> = f["message"].as_str().unwrap().split('；').collect();
            parts.sort();
            f["message"] = Value::String(parts.join("；"));
        }
    }
    v
}

/// For each host over its rate, its busiest one-second window: requests by shard (User-Agent) and a few paths.
fn who(log: &[gongkai_sample::RequestLogEntry], over: &[(&String, &usize)]) -> String {
    let mut out = String::new();
    for (host, _) in over {
        let times: Vec<&gongkai_sample::RequestLogEntry> = log.iter().filter(|e| &e.host == *host).collect();
        let (mut best, mut start) = ((0, 0), 0);
        for end in 0..times.len() {
            while times[end].at - times[start].at >= Duration::from_secs(1) {
                start += 1;
            }
            if end - start + 1 > best.1 - best.0 {
                best = (start, end + 1);
            }
        }
        let window = &times[best.0..best.1];
        let mut by: std::collections::BTreeMap<String, Vec<String>> = Default::default();
        for e in window {
            by.entry(e.user_agent.clone().unwrap_or_default()).or_default().push(e.path.clone());
        }
        out += &format!("{host}: {by:?}\n");
    }
    out
}

/// The lines of a CDXJ file, each `SURT-key timestamp {json}`.
fn cdxj_lines(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    for l in &lines {
        let mut parts = l.splitn(3, ' ');
        let (_key, ts, fields) = (parts.next().unwrap(), parts.next().unwrap(), parts.next().unwrap());
        assert!(ts.len() == 14 && ts.bytes().all(|b| b.is_ascii_digit()), "{l}");
        let v: Value = serde_json::from_str(fields).unwrap_or_else(|e| panic!("{l}: {e}"));
        assert!(v["url"].is_string() && v["offset"].is_string() && v["length"].is_string(), "{l}");
    }
    lines
}

fn cdxj_filename(line: &str) -> String {
    let fields: Value = serde_json::from_str(line.splitn(3, ' ').nth(2).unwrap()).unwrap();
    fields["filename"].as_str().unwrap().to_string()
}

fn ranking(v: &Value) -> Vec<(u64, String, Value)> {
    v["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["rank"].as_u64().unwrap(), s["id"].to_string(), s["list"].clone()))
        .collect()
}

#[test]
fn three_shards_merged_equal_one_whole_run_and_stay_polite() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = tmp.path().join("fixture");
    let province = Arc::new(Province::default_at(default_t0()));
    let server = SampleServer::start(province.clone()).unwrap();
    server.write_fixture(&fixture).unwrap();
    let port = server.port();
    let sites = fixture.join("sites.toml");

    // The shards, at the same time, each with its index in JOB_COMPLETION_INDEX.
    let t = Instant::now();
    let shard_dirs: Vec<PathBuf> = (0..SHARDS).map(|i| tmp.path().join(format!("shard-{i}"))).collect();
    let children: Vec<_> = shard_dirs
        .iter()
        .enumerate()
        .map(|(i, dir)| {
            let mut args = run_args(&server, &sites, dir);
            args.extend(["--shards".to_string(), SHARDS.to_string()]);
            // Each shard signs its requests, so a rate violation can be traced to the shards that caused it.
            args.extend(["--user-agent".to_string(), format!("gongkai-test-shard-{i}")]);
            gongkai()
                .args(&args)
                .env("JOB_COMPLETION_INDEX", i.to_string())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("start a shard")
        })
        .collect();
    for (i, c) in children.into_iter().enumerate() {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "shard {i} failed: {}", stderr(&o));
        eprintln!(
            "shard {i}: {}",
            stderr(&o).lines().filter(|l| l.contains("已抓取") || l.contains("分片")).collect::<Vec<_>>().join(" | ")
        );
    }
    let sharded_secs = t.elapsed().as_secs_f64();
    let log = server.request_log();
    server.shutdown();

    // No host saw more than RATE requests in any one-second window, whichever shard sent them.
    let max = max_requests_in_window(&log, Duration::from_secs(1));
    let over: Vec<_> = max.iter().filter(|(_, &n)| n > RATE).collect();
    assert!(over.is_empty(), "hosts above {RATE}/s with {SHARDS} shards at once: {over:?}; {}", who(&log, &over));
    assert!(max.len() > 30, "the log should cover every host: {max:?}");

    // Each shard kept to its own sites; together they are every site once; the shared platform's sites are together.
    let mut shard_of = std::collections::BTreeMap::new();
    for (i, dir) in shard_dirs.iter().enumerate() {
        let r = json(&dir.join("results.json"));
        assert_eq!(r["assessment"]["shard"]["index"], i as u64);
        assert_eq!(r["assessment"]["shard"]["count"], SHARDS as u64);
        assert!(dir.join("store").join("warc").is_dir());
        for s in r["sites"].as_array().unwrap() {
            assert!(shard_of.insert(s["id"].as_str().unwrap().to_string(), i).is_none(), "{} twice", s["id"]);
        }
    }
    assert_eq!(shard_of.len(), province.len());
    let on_platform: Vec<usize> =
        province.crafted_sites().iter().filter(|s| s.platform.shared).map(|s| shard_of[&s.id]).collect();
    assert!(on_platform.len() >= 2, "the sample has departments on a shared platform");
    assert!(on_platform.iter().all(|&s| s == on_platform[0]), "shared-platform sites split: {on_platform:?}");
    // Every host a site owns (home page, platform) was contacted by its own shard only.
    let all_sites = gongkai_config::load_sites(&sites).unwrap();
    let mut owner = std::collections::BTreeMap::new();
    for s in &all_sites {
        for h in gongkai_config::shard::site_hosts(s) {
            owner.insert(h, format!("gongkai-test-shard-{}", shard_of[&s.id]));
        }
    }
    for e in &log {
        if let Some(o) = owner.get(&e.host) {
            assert_eq!(e.user_agent.as_deref(), Some(o.as_str()), "{} {} sent by another shard", e.host, e.path);
        }
    }
    let used: std::collections::BTreeSet<usize> = shard_of.values().copied().collect();
    assert!(used.len() > 1, "all sites in one shard: the test would prove nothing");

    // Merge: directories and a results.json path are both accepted.
    let merged = tmp.path().join("merged");
    let o = run(&[
        "merge",
        "--results",
        shard_dirs[0].to_str().unwrap(),
        shard_dirs[1].join("results.json").to_str().unwrap(),
        shard_dirs[2].to_str().unwrap(),
        "--out",
        merged.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "merge failed: {}", stderr(&o));
    assert_eq!(stdout(&o).trim(), merged.join("report.html").display().to_string());
    for f in ["results.json", "report.html", "ranking.csv", "report.xlsx", "bulletin.md"] {
        assert!(merged.join(f).is_file(), "merge: {f} missing");
    }
    let m = json(&merged.join("results.json"));
    assert!(m["assessment"].get("shard").is_none(), "a merged run is not a shard");
    // Evidence names its shard's store, and the record is there.
    let mut checked = 0;
    for s in m["sites"].as_array().unwrap() {
        let store = std::path::absolute(shard_dirs[shard_of[s["id"].as_str().unwrap()]].join("store")).unwrap();
        for w in
            s["findings"].as_array().unwrap().iter().flat_map(|f| f["evidence"].as_array().unwrap()).map(|e| &e["warc"])
        {
            if let Some(file) = w["file"].as_str() {
                assert!(Path::new(file).starts_with(&store), "{file} not in {}", store.display());
                assert!(Path::new(file).is_file(), "{file} missing");
                checked += 1;
            }
        }
    }
    assert!(checked > 0, "no evidence with a WARC location");

    // CDXJ: one sorted index per shard, naming its own store's WARC files; merged into one sorted index of them all.
    let mut shard_lines = 0;
    for dir in &shard_dirs {
        let lines = cdxj_lines(&dir.join("index.cdxj"));
        assert!(!lines.is_empty(), "{}: empty index.cdxj", dir.display());
        let store = std::path::absolute(dir.join("store")).unwrap();
        for l in &lines {
            assert!(Path::new(&cdxj_filename(l)).starts_with(&store), "{l}");
        }
        shard_lines += lines.len();
    }
    let merged_lines = cdxj_lines(&merged.join("index.cdxj"));
    assert_eq!(merged_lines.len(), shard_lines, "merged index.cdxj: every shard's lines once");
    assert!(merged_lines.windows(2).all(|w| w[0] <= w[1]), "merged index.cdxj is not sorted");
    for l in &merged_lines {
        assert!(Path::new(&cdxj_filename(l)).is_file(), "{l}: no such WARC file");
    }
    // An independent reader (warcio) finds the record each line points at (every 7th line, to stay quick).
    let check = r#"
import sys, json
from warcio.archiveiterator import ArchiveIterator
n = 0
for i, line in enumerate(open(sys.argv[1], encoding="utf-8")):
    if i % 7:
        continue
    f = json.loads(line.split(" ", 2)[2])
    with open(f["filename"], "rb") as fh:
        fh.seek(int(f["offset"]))
        rec = next(iter(ArchiveIterator(fh)))
        uri = rec.rec_headers.get_header("WARC-Target-URI")
        assert uri == f["url"], (line, uri)
        n += 1
print(n)
"#;
    let o = std::process::Command::new("python3")
        .args(["-c", check])
        .arg(merged.join("index.cdxj"))
        .output()
        .expect("python3");
    assert!(o.status.success(), "merged index.cdxj vs WARC files (pip install warcio): {}", stderr(&o));

    // One whole run over all sites, against a fresh server on the same port (same URLs; the flaky site's counter
    // starts again as it did for the shards).
    let server = SampleServer::start_on(province.clone(), port).unwrap();
    let whole = tmp.path().join("whole");
    let t = Instant::now();
    let o = run(&run_args(&server, &sites, &whole).iter().map(String::as_str).collect::<Vec<_>>());
    assert!(o.status.success(), "whole run failed: {}", stderr(&o));
    let whole_secs = t.elapsed().as_secs_f64();
    server.shutdown();
    eprintln!("{SHARDS} shards at once: {sharded_secs:.1}s; one whole run: {whole_secs:.1}s");

    let w = json(&whole.join("results.json"));
    assert_eq!(ranking(&m), ranking(&w), "ranking differs");
    let (cm, cw) = (comparable(m), comparable(w));
    if cm != cw {
        for (a, b) in cm["sites"].as_array().unwrap().iter().zip(cw["sites"].as_array().unwrap()) {
            assert_eq!(
                serde_json::to_string_pretty(a).unwrap(),
                serde_json::to_string_pretty(b).unwrap(),
                "site {} differs between merged shards (left) and the whole run (right)",
                a["id"]
            );
        }
        assert_eq!(cm, cw);
    }
}

#[test]
fn bad_shard_input_exits_2_in_chinese() {
    let tmp = tempfile::tempdir().unwrap();
    let sites = tmp.path().join("sites.toml");
    std::fs::write(&sites, Province::default_at(default_t0()).sites_toml(1)).unwrap();
    let out = tmp.path().join("out");
    let base = ["run", "--sites", sites.to_str().unwrap(), "--out", out.to_str().unwrap(), "--as-of", "2026-11-15"];
    let cases: Vec<(Vec<&str>, Option<&str>, &str)> = vec![
        (vec!["--shard", "3/3"], None, "超出范围"),
        (vec!["--shard", "0/0"], None, "至少为 1"),
        (vec!["--shard", "x"], None, "I/N"),
        (vec!["--shards", "3"], None, "JOB_COMPLETION_INDEX"),
        (vec!["--shards", "3"], Some("abc"), "JOB_COMPLETION_INDEX"),
        (vec!["--shards", "3"], Some("3"), "超出范围"),
        (vec!["--shards", "0"], Some("0"), "至少为 1"),
    ];
    for (extra, env, expect) in cases {
        let mut cmd = gongkai();
        cmd.args(base).args(&extra).env_remove("JOB_COMPLETION_INDEX");
        if let Some(v) = env {
            cmd.env("JOB_COMPLETION_INDEX", v);
        }
        let o = cmd.output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{extra:?} {env:?}: {}", stderr(&o));
        assert!(stderr(&o).contains(expect), "{extra:?} {env:?}: expected {expect:?} in {}", stderr(&o));
        assert!(!out.exists(), "{extra:?}: nothing may be written on bad input");
    }
    // A sharded run needs --as-of (every shard the same T0).
    let o = run(&["run", "--sites", sites.to_str().unwrap(), "--out", out.to_str().unwrap(), "--shard", "0/2"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("--as-of"), "{}", stderr(&o));
}

/// A results.json written by hand from a shard's shape.
fn results_file(
    dir: &Path,
    name: &str,
    ids: &[&str],
    as_of: &str,
    version: &str,
    shard: Option<(u32, u32)>,
) -> PathBuf {
    let sites: Vec<Value> = ids
        .iter()
        .map(|id| {
            serde_json::json!({
                "id": id, "name": format!("{id}人民政府"), "url": format!("http://www.{id}.gov.cn/"),
                "region": ["西川省"], "level": "county", "score": 90.0, "deduction_score": 90.0, "bonus": 0.0,
                "grade": "优秀", "vetoed": false, "vetoes": [], "rank": 1, "list": null,
                "crawl": {"pages": 10, "errors": 0, "started_at": as_of, "finished_at": as_of},
                "identity": {"site_code": null, "icp": null, "police": null, "badge": false, "sponsor": null,
                             "contact": false, "error_entry": false},
                "columns": [], "findings": []
            })
        })
        .collect();
    let mut assessment =
        serde_json::json!({"as_of": as_of, "rubric": {"id": "default", "version": version}, "generated_at": as_of});
    if let Some((index, count)) = shard {
        assessment["shard"] = serde_json::json!({"index": index, "count": count});
    }
    let path = dir.join(name);
    std::fs::write(
        &path,
        serde_json::to_string(&serde_json::json!({"assessment": assessment, "sites": sites})).unwrap(),
    )
    .unwrap();
    path
}

#[test]
fn merge_refuses_what_cannot_be_one_assessment() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let version = gongkai_config::Rubric::default_rubric().info.version;
    let t0 = "2026-11-15T10:00:00+08:00";
    let a = results_file(d, "a.json", &["aa", "bb"], t0, &version, Some((0, 2)));
    let b = results_file(d, "b.json", &["cc"], t0, &version, Some((1, 2)));
    let overlap = results_file(d, "overlap.json", &["cc", "bb"], t0, &version, Some((1, 2)));
    let other_t0 = results_file(d, "t0.json", &["cc"], "2026-11-16T10:00:00+08:00", &version, Some((1, 2)));
    let other_rubric = results_file(d, "rubric.json", &["cc"], t0, "1999.1", Some((1, 2)));
    let only_one = results_file(d, "only.json", &["cc"], t0, &version, Some((1, 3)));
    let out = d.join("out");
    let merge = |files: &[&Path]| {
        let mut args: Vec<String> = vec!["merge".into(), "--results".into()];
        args.extend(files.iter().map(|p| p.display().to_string()));
        args.extend(["--out".into(), out.display().to_string()]);
        run(&args.iter().map(String::as_str).collect::<Vec<_>>())
    };
    for (files, expect) in [
        (vec![&a, &overlap], vec!["bb", "a.json", "overlap.json"]),
        (vec![&a, &other_t0], vec!["T0", "t0.json"]),
        (vec![&a, &other_rubric], vec!["评分细则", "1999.1"]),
        (vec![&a, &only_one], vec!["分片总数"]),
        (vec![&a], vec!["缺少分片 1/2"]),
    ] {
        let paths: Vec<&Path> = files.iter().map(|p| p.as_path()).collect();
        let o = merge(&paths);
        assert_eq!(o.status.code(), Some(2), "{files:?}: {}", stderr(&o));
        for e in expect {
            assert!(stderr(&o).contains(e), "{files:?}: expected {e:?} in {}", stderr(&o));
        }
        assert!(!out.exists(), "nothing written on bad input");
    }
    // A rubric file whose version is not the results' is refused.
    let rubric =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("config/rubrics/default.toml")).unwrap();
    let changed = d.join("changed.toml");
    std::fs::write(&changed, rubric.replacen("version = \"", "version = \"changed-", 1)).unwrap();
    let o = run(&[
        "merge",
        "--results",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--rubric",
        changed.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("changed-"), "{}", stderr(&o));

    // The good pair merges, ranked across both files.
    let o = merge(&[&a, &b]);
    assert!(o.status.success(), "{}", stderr(&o));
    let m = json(&out.join("results.json"));
    let ranks: Vec<u64> = m["sites"].as_array().unwrap().iter().map(|s| s["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, [1, 2, 3]);
}

#[test]
fn a_shard_with_no_sites_succeeds_with_empty_results() {
    let tmp = tempfile::tempdir().unwrap();
    let sites = tmp.path().join("sites.toml");
    // One site, "a": sha256("a") starts ca978112ca1bbdca, even, so shard 0 of 2 has it and shard 1 is empty.
    std::fs::write(
        &sites,
        "[[site]]\nid = \"a\"\nname = \"甲县人民政府\"\nurl = \"http://www.a.gov.cn:1/\"\nlevel = \"county\"\n",
    )
    .unwrap();
    let out = tmp.path().join("out");
    let o = gongkai()
        .args(["run", "--sites", sites.to_str().unwrap(), "--out", out.to_str().unwrap(), "--as-of", "2026-11-15"])
        .args(["--shards", "2", "--resolve", "www.a.gov.cn:1:127.0.0.1", "--resolved-only"])
        .env("JOB_COMPLETION_INDEX", "1")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let r = json(&out.join("results.json"));
    assert_eq!(r["sites"].as_array().unwrap().len(), 0);
    assert_eq!(r["assessment"]["shard"]["index"], 1);
    assert_eq!(r["assessment"]["shard"]["count"], 2);
}

/// The Kubernetes manifests against the Kubernetes JSON schema (strict: unknown fields are errors), with the
/// kubernetes-validate tool from PyPI (`kubectl apply --dry-run=client` needs an API server for that). Then what the
/// schema cannot say: the Job is Indexed with completions = parallelism = --shards, and exit status 2 fails an index.
#[test]
fn manifests_validate_against_the_kubernetes_schema() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = [
        "deploy/k8s/pvc.yaml",
        "deploy/k8s/configmap-sites.yaml",
        "deploy/k8s/job-shards.yaml",
        "deploy/k8s/merge/job-merge.yaml",
    ];
    let validator = std::process::Command::new("kubernetes-validate")
        .args(["--strict", "--kubernetes-version", "1.31.0"])
        .args(files)
        .current_dir(root)
        .output();
    let o = match validator {
        Ok(o) => o,
        Err(e) => {
            assert!(std::env::var_os("CI").is_none(), "kubernetes-validate is needed under CI: {e}");
            eprintln!("SKIPPED: kubernetes-validate not found ({e}); `pip install kubernetes-validate` to check the manifests");
            return;
        }
    };
    assert!(o.status.success(), "manifests do not validate:\n{}{}", stdout(&o), stderr(&o));
    assert_eq!(stdout(&o).matches("passed").count(), files.len(), "{}", stdout(&o));

    // kubernetes-validate brings PyYAML.
    let check = r#"
import sys, yaml
job = yaml.safe_load(open(sys.argv[1]))
spec = job["spec"]
assert spec["completionMode"] == "Indexed", spec["completionMode"]
assert spec["completions"] == spec["parallelism"], (spec["completions"], spec["parallelism"])
c = spec["template"]["spec"]["containers"][0]
args = c["args"]
n = int(args[args.index("--shards") + 1])
assert n == spec["completions"], (n, spec["completions"])
assert spec["backoffLimitPerIndex"] >= 1
assert spec["template"]["spec"]["restartPolicy"] == "Never"
rules = spec["podFailurePolicy"]["rules"]
assert any(r["action"] == "FailIndex" and r["onExitCodes"]["operator"] == "In" and 2 in r["onExitCodes"]["values"]
           and r["onExitCodes"]["containerName"] == c["name"] for r in rules if "onExitCodes" in r), rules
assert "$(JOB_COMPLETION_INDEX)" in " ".join(args)
sc = spec["template"]["spec"]["securityContext"]
assert sc["runAsNonRoot"] and sc["runAsUser"] != 0
print("ok", n)
"#;
    let o = std::process::Command::new("python3")
        .args(["-c", check, "deploy/k8s/job-shards.yaml"])
        .current_dir(root)
        .output()
        .expect("python3");
    assert!(o.status.success(), "job-shards.yaml: {}", stderr(&o));

    // The validator really rejects a wrong field (so a pass above means something).
    let bad = tempfile::NamedTempFile::with_suffix(".yaml").unwrap();
    let text = std::fs::read_to_string(root.join("deploy/k8s/job-shards.yaml")).unwrap();
    std::fs::write(bad.path(), text.replace("backoffLimitPerIndex", "backoffLimitPerIndx")).unwrap();
    let o = std::process::Command::new("kubernetes-validate")
        .args(["--strict", "--kubernetes-version", "1.31.0"])
        .arg(bad.path())
        .output()
        .unwrap();
    assert!(!o.status.success(), "a misspelt field passed: {}", stdout(&o));
}
