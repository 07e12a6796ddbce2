//! The store commands end to end with the binary on the sample province: `store rebuild` on a store whose index was
//! deleted gives the same `score` output; `store verify` says what is inconsistent; `score` works on read-only storage
//! and on a full disk; a crawl into a full disk stops with a clear message and the same command completes once space is
//! freed, losing nothing archived before; a crawl killed with SIGKILL at random moments and resumed archives every
//! expected page exactly once.
//!
//! Tests that need root and `mount` (tmpfs, read-only bind mounts) print why they skip elsewhere. More rounds:
//! `GONGKAI_FULL_DISK_ROUNDS=10 cargo test --test store_commands full_disk -- --nocapture`;
//! the kill test: `cargo test --test store_commands kill -- --ignored --nocapture`.

mod common;

use common::*;
use gongkai_archive::testing::{read_only_store, Tmpfs};
use gongkai_archive::{FetchEntry, Snapshot, Store};
use gongkai_sample::SampleServer;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Output;

fn crawl_args(fixture: &Path, store: &Path, server: &SampleServer) -> Vec<String> {
    let mut args: Vec<String> = vec![
        "crawl".into(),
        "--sites".into(),
        fixture.join("sites.toml").display().to_string(),
        "--store".into(),
        store.display().to_string(),
    ];
    args.extend(fast_crawl_flags(server));
    args
}

fn crawl(fixture: &Path, store: &Path, server: &SampleServer) -> Output {
    let args = crawl_args(fixture, store, server);
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&argv)
}

fn score(store: &Path, out: &Path) -> Output {
    run(&["score", "--store", store.to_str().unwrap(), "--out", out.to_str().unwrap(), "--as-of", &as_of()])
}

/// results.json without `generated_at`.
fn results(out: &Path) -> String {
    let p = out.join("results.json");
    let mut v: Value =
        serde_json::from_slice(&std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))).unwrap();
    v["assessment"]["generated_at"] = Value::Null;
    serde_json::to_string_pretty(&v).unwrap()
}

fn verify(store: &Path) -> Output {
    run(&["store", "verify", "--store", store.to_str().unwrap()])
}

/// Every fetch of the latest snapshot of every site, by (site, url).
fn fetches(store: &Path) -> BTreeMap<(String, String), FetchEntry> {
    let s = Store::open_for_reading(store).unwrap();
    let mut out = BTreeMap::new();
    for site in s.sites().unwrap() {
        let Some(info) = s.snapshots(&site.id).unwrap().pop() else { continue };
        let snap = Snapshot { site_id: site.id.clone(), seq: info.seq, started_at: info.started_at, resumed: false };
        for e in s.fetch_entries(&snap).unwrap() {
            out.insert((site.id.clone(), e.url.to_string()), e);
        }
    }
    out
}

fn du(dir: &Path) -> u64 {
    let mut n = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let m = e.metadata().unwrap();
            if m.is_dir() {
                stack.push(e.path());
            } else {
                n += m.len();
            }
        }
    }
    n
}

/// A crawled and scored sample province: (tempdir, fixture, store, scored out dir, server).
fn crawled() -> (tempfile::TempDir, PathBuf, PathBuf, PathBuf, SampleServer) {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = tmp.path().join("fixture");
    let store = tmp.path().join("store");
    let out = tmp.path().join("score0");
    let server = sample_server(&fixture);
    let o = crawl(&fixture, &store, &server);
    assert!(o.status.success(), "crawl failed: {}", stderr(&o));
    let o = score(&store, &out);
    assert!(o.status.success(), "score failed: {}", stderr(&o));
    (tmp, fixture, store, out, server)
}

#[test]
fn rebuild_from_the_warc_files_gives_the_same_score_and_verify_says_what_is_wrong() {
    let (tmp, _fixture, store, out, server) = crawled();
    server.shutdown();
    let before = results(&out);
    let o = verify(&store);
    assert!(o.status.success(), "verify of a fresh store: {}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("一致"), "{}", stdout(&o));

    // The index directory deleted.
    std::fs::remove_dir_all(store.join("index")).unwrap();
    let o = verify(&store);
    assert_eq!(o.status.code(), Some(1), "verify without index: {}{}", stdout(&o), stderr(&o));
    assert!(stdout(&o).contains("没有索引目录"), "{}", stdout(&o));
    // score still works (from the WARC files, writing nothing into the store) and gives the same results.
    let o = score(&store, &tmp.path().join("score1"));
    assert!(o.status.success(), "score without index: {}", stderr(&o));
    assert!(stderr(&o).contains("WARC"), "says where the index came from: {}", stderr(&o));
    assert_eq!(results(&tmp.path().join("score1")), before);
    assert!(!store.join("index").exists());

    let o = run(&["store", "rebuild", "--store", store.to_str().unwrap()]);
    assert!(o.status.success(), "rebuild: {}", stderr(&o));
    assert!(stderr(&o).contains("重建索引"), "{}", stderr(&o));
    let o = verify(&store);
    assert!(o.status.success(), "verify after rebuild: {}{}", stdout(&o), stderr(&o));
    let o = score(&store, &tmp.path().join("score2"));
    assert!(o.status.success(), "score after rebuild: {}", stderr(&o));
    assert!(!stderr(&o).contains("WARC"), "the rebuilt index is used: {}", stderr(&o));
    assert_eq!(results(&tmp.path().join("score2")), before, "same results after store rebuild");

    // A torn WARC tail is reported (exit 1), in Chinese.
    let files = gongkai_archive::testing::warc_files_under(&store).unwrap();
    let last = files.last().unwrap();
    let mut bytes = std::fs::read(last).unwrap();
    let head = bytes[..40].to_vec();
    bytes.extend_from_slice(&head);
    std::fs::write(last, &bytes).unwrap();
    let o = verify(&store);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("尾部不完整"), "{}", stdout(&o));
    // Bad usage: not a store.
    let o = run(&["store", "verify", "--store", tmp.path().join("nothing").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

#[test]
fn score_works_on_a_read_only_store() {
    let (tmp, _fixture, store, out, server) = crawled();
    server.shutdown();
    let (ro, _view) = match read_only_store(&store, &tmp.path().join("ro")) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("SKIPPED read-only store test: {e:#}");
            return;
        }
    };
    let o = score(&ro, &tmp.path().join("ro-score"));
    assert!(o.status.success(), "score on read-only storage: {}", stderr(&o));
    assert_eq!(results(&tmp.path().join("ro-score")), results(&out));
    // A crawl into it says what is wrong (read-only), not a guess.
    let o = run(&["store", "rebuild", "--store", ro.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("无法写入"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("另一个"), "{}", stderr(&o));
    let _ = std::process::Command::new("chmod").arg("-R").arg("u+w").arg(&store).status();
}

/// Write a file until the disk is full.
fn fill(path: &Path) {
    use std::io::Write;
    let mut f = std::fs::File::create(path).unwrap();
    for size in [64 * 1024, 512, 1] {
        let chunk = vec![0x5a; size];
        while f.write_all(&chunk).is_ok() {}
    }
}

#[test]
fn crawl_into_a_full_disk_then_score_then_the_same_commands_complete() {
    let rounds: usize = std::env::var("GONGKAI_FULL_DISK_ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    let (tmp, fixture, reference, ref_out, server) = crawled();
    let total = du(&reference);
    let expected = fetches(&reference);
    // Room for the reserve the store keeps for its index plus about a third of the province.
    let size = gongkai_archive::store::DEFAULT_RESERVE_BYTES + total / 3;
    let mut summary = Vec::new();
    for round in 0..rounds {
        let mnt = tmp.path().join(format!("disk{round}"));
        let disk = match Tmpfs::mount(&mnt, size) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("SKIPPED full-disk test: cannot mount a tmpfs here ({e:#})");
                return;
            }
        };
        let store = mnt.join("store");
        let o = crawl(&fixture, &store, &server);
        assert_eq!(o.status.code(), Some(1), "round {round}: the crawl must stop on the full disk: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("磁盘空间不足") && err.contains(&store.display().to_string()), "round {round}: {err}");
        assert!(!err.contains("另一个 gongkai 进程"), "{err}");
        if round == 0 {
            eprintln!("round 0: the crawl stopped with: {}", err.lines().rfind(|l| l.contains("磁盘")).unwrap_or(""));
        }
        // The rest of the disk taken: completely full. score works (it writes nothing into the store).
        fill(&mnt.join("filler"));
        let before = fetches(&store);
        assert!(!before.is_empty(), "round {round}: nothing archived before the disk filled");
        let o = score(&store, &tmp.path().join(format!("full-score{round}")));
        assert!(o.status.success(), "round {round}: score on the full disk: {}", stderr(&o));
        // Opening for writing on the full disk: clear error, index untouched.
        let o = crawl(&fixture, &store, &server);
        assert_eq!(o.status.code(), Some(1));
        assert!(stderr(&o).contains("磁盘空间不足"), "{}", stderr(&o));
        assert_eq!(fetches(&store), before, "round {round}: a refused open changed nothing");

        // Space freed: the same commands complete; nothing archived before is lost.
        disk.resize(total * 3 + (16 << 20)).unwrap();
        let o = crawl(&fixture, &store, &server);
        assert!(o.status.success(), "round {round}: resumed crawl: {}", stderr(&o));
        let after = fetches(&store);
        for (k, e) in &before {
            assert_eq!(after.get(k), Some(e), "round {round}: {k:?} archived before the failure");
        }
        // A resumed crawl is not page-for-page a clean one (its URL-trap counters and shared hosts' robots.txt
        // start afresh), so the clean crawl is the yardstick for completeness, not an exact list.
        let missing: Vec<_> = expected.keys().filter(|k| !after.contains_key(*k)).collect();
        assert!(missing.len() * 50 <= expected.len(), "round {round}: pages of a clean crawl missing: {missing:?}");
        if !missing.is_empty() {
            eprintln!("round {round}: {} pages of the clean crawl not in the resumed one: {missing:?}", missing.len());
        }
        let o = score(&store, &tmp.path().join(format!("score{round}")));
        assert!(o.status.success(), "round {round}: score after freeing space: {}", stderr(&o));
        let o = verify(&store);
        assert!(o.status.success(), "round {round}: verify: {}", stdout(&o));
        let sites = serde_json::from_str::<Value>(&results(&tmp.path().join(format!("score{round}")))).unwrap()
            ["sites"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(
            sites,
            serde_json::from_str::<Value>(&results(&ref_out)).unwrap()["sites"].as_array().unwrap().len()
        );
        gongkai_archive::testing::validate_with_warcio(&store).unwrap();
        eprintln!(
            "full-disk round {round}: disk {} KiB; {} of {} fetches archived before the disk filled, all kept; {} after",
            size / 1024,
            before.len(),
            expected.len(),
            after.len()
        );
        summary.push(before.len());
        drop(disk);
    }
    server.shutdown();
    eprintln!("full-disk test: {} rounds passed, fetches kept per round: {summary:?}", summary.len());
}

/// Kill -9 a 30-site sample-province crawl at 10 random moments, resume each time, then check that every page a
/// clean crawl archives is archived exactly once in the snapshot (index and WARC files).
#[test]
#[ignore = "about a minute: cargo test --test store_commands kill -- --ignored --nocapture"]
fn kill_minus_nine_at_ten_random_moments_then_resume() {
    use std::time::{Duration, Instant};
    let (tmp, fixture, reference, _out, server) = crawled();
    // How long a clean crawl takes; the pages both clean crawls archive are the expected ones (a crawl's URL-trap cut
    // and shared hosts' robots.txt depend on timing).
    let t = Instant::now();
    let second = tmp.path().join("timing");
    let o = crawl(&fixture, &second, &server);
    assert!(o.status.success());
    let clean = t.elapsed();
    let other = fetches(&second);
    let expected: BTreeMap<_, _> = fetches(&reference).into_iter().filter(|(k, _)| other.contains_key(k)).collect();
    let store = tmp.path().join("killed");
    let args = crawl_args(&fixture, &store, &server);
    let mut seed: u64 = std::env::var("GONGKAI_KILL_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos() as u64
    });
    eprintln!("kill test: clean crawl {:.1}s, seed {seed}", clean.as_secs_f64());
    // Ten moments spread at random over the time a clean crawl takes; each run is killed at the next one (a resumed
    // run only does what is left, so the runs together take about one clean crawl).
    let mut moments: Vec<u64> = (0..10)
        .map(|_| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) % (clean.as_millis() as u64 * 9 / 10).max(1000)
        })
        .collect();
    moments.sort();
    let mut kills = 0;
    let mut mid = 0;
    let mut last = 0;
    for m in moments {
        // At least 300 ms per run, so each gets past start-up into the crawl.
        let delay = Duration::from_millis((m - last).max(300));
        last = m;
        let mut child = gongkai()
            .args(&args)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        let mut finished = false;
        while start.elapsed() < delay {
            if let Some(st) = child.try_wait().unwrap() {
                assert!(st.success(), "a resumed crawl failed: {st}");
                finished = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
        if finished {
            break;
        }
        child.kill().unwrap();
        child.wait().unwrap();
        kills += 1;
        let n = fetches(&store).len();
        if n > 0 && n < expected.len() {
            mid += 1;
        }
    }
    let o = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(o.status.success(), "final resumed crawl: {}", stderr(&o));
    let got = fetches(&store);
    let missing: Vec<_> = expected.keys().filter(|k| !got.contains_key(*k)).collect();
    let extra: Vec<_> = got.keys().filter(|k| !expected.contains_key(*k)).collect();
    // In the WARC files: each (site, snapshot, URL) archived once — one fetch metadata record naming one response or
    // revisit record — and no response or revisit record beside those (`store verify` below checks that every one is
    // described). A host's robots.txt may be archived once in each of the sites sharing the host.
    // Responses that are not crawl fetches are described by their own metadata: outbound pages read for 外链变质
    // (`linked_page`) and a home page's IPv6 answer (`ipv6`).
    let mut per_url: HashMap<(String, u64, String), usize> = HashMap::new();
    let mut responses: Vec<String> = Vec::new();
    let mut not_fetches: std::collections::HashSet<String> = std::collections::HashSet::new();
    for f in gongkai_archive::testing::warc_files_under(&store).unwrap() {
        for r in gongkai_archive::warc::WarcFileReader::open(&f).unwrap() {
            let r = r.unwrap();
            if matches!(r.record_type(), Some("response") | Some("revisit")) {
                responses.push(r.record_id().unwrap_or_default().to_string());
            }
            match gongkai_archive::meta::Meta::from_record(&r) {
                Some(Ok(gongkai_archive::meta::Meta::Fetch { site_id, seq, fetch })) => {
                    *per_url.entry((site_id, seq, fetch.url.to_string())).or_default() += 1;
                }
                Some(Ok(gongkai_archive::meta::Meta::LinkedPage { response_id, .. }))
                | Some(Ok(gongkai_archive::meta::Meta::Ipv6 { response_id: Some(response_id), .. })) => {
                    not_fetches.insert(response_id);
                }
                _ => {}
            }
        }
    }
    let fetch_responses = responses.iter().filter(|id| !not_fetches.contains(*id)).count();
    assert_eq!(fetch_responses, per_url.values().sum::<usize>(), "response records = fetch metadata records");
    let dup: Vec<_> = per_url.iter().filter(|(_, n)| **n != 1).collect();
    eprintln!(
        "kill test: {kills} SIGKILLs ({mid} mid-crawl), {} expected pages, {} archived, {} missing, {} extra, {} duplicated in WARC, {} WARC files",
        expected.len(),
        got.len(),
        missing.len(),
        extra.len(),
        dup.len(),
        gongkai_archive::testing::warc_files_under(&store).unwrap().len()
    );
    if !dup.is_empty() || !extra.is_empty() || !missing.is_empty() {
        let st = Store::open_for_reading(&store).unwrap();
        for site in st.sites().unwrap() {
            let snaps = st.snapshots(&site.id).unwrap();
            if snaps.len() != 1 || missing.iter().chain(extra.iter()).any(|k| k.0 == site.id) {
                eprintln!("kill test: site {} snapshots {snaps:?}", site.id);
            }
        }
        eprintln!("kill test: extra {extra:?}; duplicated {dup:?}");
    }
    assert!(mid >= 8, "the kills must hit the crawl itself ({mid} of {kills} did)");
    // A host's robots.txt is fetched once per crawl by whichever of the sites sharing the host asks first, so after a
    // resume it may sit in another of those sites' snapshots: compare it by URL only.
    let is_robots = |k: &(String, String)| k.1.ends_with("/robots.txt");
    let got_urls: std::collections::BTreeSet<&str> = got.keys().map(|k| k.1.as_str()).collect();
    let lost: Vec<_> = missing.iter().filter(|k| !is_robots(k) || !got_urls.contains(k.1.as_str())).collect();
    if missing.len() > lost.len() {
        eprintln!("kill test: robots.txt in another site's snapshot than in the clean crawls: {missing:?}");
    }
    assert!(lost.is_empty(), "missing: {lost:?}");
    assert!(dup.is_empty(), "archived more than once: {dup:?}");
    assert_eq!(per_url.len(), got.len());
    assert!(per_url.keys().all(|(site, _, url)| got.contains_key(&(site.clone(), url.clone()))));
    let o = verify(&store);
    assert!(o.status.success(), "verify: {}", stdout(&o));
    gongkai_archive::testing::validate_with_warcio(&store).unwrap();
    server.shutdown();
}

/// 网站临时报备: a filed window leaves the probes it covers out of availability; results.json and the site's 整改清单
/// say so; a filing for a site the store does not know is bad input (exit 2, file, line and field).
#[test]
fn filed_downtime_leaves_its_probes_out_and_is_reported() {
    let (tmp, _fixture, store, _out, server) = crawled();
    server.shutdown();
    let site = "xc-lj-qingxi";
    let now = chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap());
    let filings = tmp.path().join("报备.toml");
    let window = |id: &str| {
        format!(
            "[[filing]]\nsite = \"{id}\"\nfrom = \"{}\"\nto = \"{}\"\nreason = \"机房电力改造\"\n",
            (now - chrono::Duration::hours(3)).to_rfc3339(),
            (now + chrono::Duration::hours(1)).to_rfc3339()
        )
    };
    std::fs::write(&filings, window(site)).unwrap();
    let out = tmp.path().join("filed");
    let o = run(&[
        "score",
        "--store",
        store.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--as-of",
        &as_of(),
        "--filings",
        filings.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "score --filings: {}", stderr(&o));
    let v: Value = serde_json::from_slice(&std::fs::read(out.join("results.json")).unwrap()).unwrap();
    let sites = v["sites"].as_array().unwrap();
    let s = sites.iter().find(|s| s["id"] == site).unwrap();
    let filed = s["filed_downtime"].as_array().expect("filed_downtime on the filed site");
    assert_eq!(filed.len(), 1);
    assert_eq!(filed[0]["reason"], "机房电力改造");
    assert!(filed[0]["excluded_probes"].as_u64().unwrap() >= 1, "the crawl's own home-page probes fall in the window");
    assert!(sites.iter().filter(|x| x["id"] != site).all(|x| x.get("filed_downtime").is_none()));
    let o = run(&["report", "--results", out.join("results.json").to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "report: {}", stderr(&o));
    let html = std::fs::read_to_string(out.join("sites").join(format!("{site}.html"))).unwrap();
    assert!(html.contains("网站临时报备") && html.contains("机房电力改造"), "the 整改清单 names the filing");

    std::fs::write(&filings, window("no-such-site")).unwrap();
    let o = run(&[
        "score",
        "--store",
        store.to_str().unwrap(),
        "--out",
        tmp.path().join("bad").to_str().unwrap(),
        "--filings",
        filings.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("filing[1].site") && stderr(&o).contains(":2:"), "{}", stderr(&o));
}
