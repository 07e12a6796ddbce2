//! kill -9 and resume: a crawl killed at several points and run again archives every expected page exactly once, obeys
//! robots.txt and the rate throughout, finishes every snapshot, and leaves WARC files warcio accepts; once, the index
//! is deleted and rebuilt from the WARC files between a kill and the resume.
//!
//! The crawling process is this test binary itself, re-run with `--ignored --exact child_crawl` and the store, sites
//! and `--resolve` list in environment variables; the sample server lives in the parent, so its request log spans
//! every run.

mod common;

use common::*;
use std::collections::HashMap;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use url::Url;

const ENV_STORE: &str = "GONGKAI_TEST_CHILD_STORE";
const ENV_SITES: &str = "GONGKAI_TEST_CHILD_SITES";
const ENV_RESOLVE: &str = "GONGKAI_TEST_CHILD_RESOLVE";
const RATE: f64 = 20.0;

/// The crawl the parent kills. Does nothing unless started by the parent.
#[test]
#[ignore = "run by kill_and_resume_keeps_every_page_once as a child process"]
fn child_crawl() {
    let Ok(store_dir) = std::env::var(ENV_STORE) else { return };
    let sites =
        gongkai_config::parse_sites(&std::fs::read_to_string(std::env::var(ENV_SITES).unwrap()).unwrap(), "sites.toml")
            .unwrap();
    let resolve: Vec<String> = std::env::var(ENV_RESOLVE).unwrap().split(',').map(str::to_string).collect();
    let mut opts = gongkai_crawler::CrawlOptions::default();
    opts.add_resolves(&resolve).unwrap();
    opts.only_resolved_hosts = true;
    opts.rate = Some(RATE);
    opts.retry_backoff = Duration::from_millis(50);
    opts.crawl_delay_cap = Duration::from_millis(50);
    let store = gongkai_archive::Store::open(&store_dir).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    rt.block_on(gongkai_crawler::crawl(&sites, &store, &opts, &gongkai_crawler::NoProgress)).unwrap();
}

fn spawn_child(store: &std::path::Path, sites: &std::path::Path, resolve: &str) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "child_crawl", "--nocapture", "--test-threads", "1"])
        .env(ENV_STORE, store)
        .env(ENV_SITES, sites)
        .env(ENV_RESOLVE, resolve)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn the child crawl")
}

#[test]
fn kill_and_resume_keeps_every_page_once() {
    let server = start_sample();
    let truth = server.ground_truth();
    let dir = tempfile::tempdir().unwrap();
    let store_dir = dir.path().join("store");
    // Six sites, two of them sharing the platform host when the sample has one; a few seconds of crawling at RATE.
    let all = sites(&server);
    let picked: Vec<&gongkai_config::Site> = all.iter().take(6).collect();
    let ids: Vec<String> = picked.iter().map(|s| s.id.clone()).collect();
    let toml = server.sites_toml();
    let chosen: String = toml
        .split("[[site]]")
        .skip(1)
        .filter(|block| ids.iter().any(|id| block.contains(&format!("id = \"{id}\""))))
        .map(|b| format!("[[site]]{b}"))
        .collect();
    let sites_path = dir.path().join("sites.toml");
    std::fs::write(&sites_path, chosen).unwrap();
    let resolve = server.resolve_args().join(",");

    // Kill at several points: early (robots.txt and home pages), mid-crawl, late.
    let mut kills = 0;
    let mut finished_early = false;
    let mut rebuilt = None;
    for (round, delay_ms) in [300u64, 900, 1700, 2600].into_iter().enumerate() {
        let mut child = spawn_child(&store_dir, &sites_path, &resolve);
        let t0 = Instant::now();
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                assert!(status.success(), "child crawl failed: {status}");
                finished_early = true;
                break;
            }
            if t0.elapsed() >= Duration::from_millis(delay_ms) {
                child.kill().unwrap(); // SIGKILL
                child.wait().unwrap();
                kills += 1;
                // After the second kill the index is lost and rebuilt from the WARC files (`gongkai store
                // rebuild`): the rebuilt frontier knows only what was archived, and the resumed crawl derives the
                // URLs that were still waiting from the archived pages again.
                if round == 1 {
                    std::fs::remove_dir_all(store_dir.join("index")).unwrap();
                    let s = gongkai_archive::Store::rebuild_index(&store_dir).unwrap();
                    rebuilt = Some(s.fetches);
                }
                break;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        if finished_early {
            break;
        }
    }
    assert!(kills >= 2, "the crawl finished before it could be killed; make it longer");
    assert!(rebuilt.is_some_and(|n| n > 0), "the index was not rebuilt from archived fetches: {rebuilt:?}");
    // The last run goes to the end.
    if !finished_early {
        let status = spawn_child(&store_dir, &sites_path, &resolve).wait().unwrap();
        assert!(status.success());
    }

    let log = server.request_log();
    assert_robots_obeyed(&server, &log);
    assert_rate_held(&log, |_| RATE);

    let store = open_store(&store_dir);
    // The home page's IPv6 answers archived as IPv6-check evidence (docs/rules.md `design.ipv6`) are not crawl fetches.
    let mut ipv6_evidence = std::collections::HashSet::new();
    for id in &ids {
        let st = truth.site(id).unwrap();
        let snaps = store.snapshots(id).unwrap();
        assert_eq!(snaps.len(), 1, "{id}: the resumed crawl must continue its snapshot, not start another");
        assert!(snaps[0].finished_at.is_some(), "{id}: snapshot not finished");
        let cap = store.latest_capture(id).unwrap().unwrap();
        let archived: std::collections::HashSet<Url> = cap.pages.iter().map(|p| p.url.clone()).collect();
        for p in &st.expected_pages {
            assert!(archived.contains(&Url::parse(p).unwrap()), "{id}: {p} not archived after resume");
        }
        for d in &st.robots_disallowed_linked {
            assert!(!archived.contains(&Url::parse(d).unwrap()), "{id}: disallowed {d} archived");
        }
        assert!(!cap.link_checks.is_empty(), "{id}: no link checks after resume");
        if let Some(w) = cap.ipv6.as_ref().and_then(|c| c.home_v6.as_ref()).and_then(|h| h.warc.as_ref()) {
            ipv6_evidence.insert(format!("<{}>", w.record_id));
        }
    }
    drop(store);

    // Exactly once in the WARC files too (what an independent reader sees), and every file valid.
    gongkai_archive::testing::validate_with_warcio(&store_dir).expect("warcio validates every file");
    let mut responses: HashMap<String, usize> = HashMap::new();
    for f in gongkai_archive::testing::warc_files_under(&store_dir).unwrap() {
        for line in gongkai_archive::testing::warcio_check_file(&f).unwrap() {
            let v: serde_json::Value = serde_json::from_str(&line).unwrap();
            let ty = v["warc-type"].as_str().unwrap_or("");
            if (ty == "response" || ty == "revisit")
                && !ipv6_evidence.contains(v["warc-record-id"].as_str().unwrap_or(""))
            {
                *responses.entry(v["warc-target-uri"].as_str().unwrap_or("").to_string()).or_default() += 1;
            }
        }
    }
    assert!(!responses.is_empty());
    let twice: Vec<_> = responses.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "archived more than once: {twice:?}");

    // The same crawl, never interrupted, into a fresh store: it archives exactly the same URLs. The trap detector
    // judges URL families from the archived pages, so a resumed run (which rebuilds it from the store) cuts the same
    // traps at the same point as an uninterrupted one.
    let clean_dir = dir.path().join("clean");
    let status = spawn_child(&clean_dir, &sites_path, &resolve).wait().unwrap();
    assert!(status.success());
    let resumed = open_store(&store_dir);
    let clean = open_store(&clean_dir);
    let (mut total, mut calendar) = (0, 0);
    for id in &ids {
        let urls = |s: &gongkai_archive::Store| -> std::collections::BTreeSet<String> {
            s.latest_capture(id).unwrap().unwrap().pages.iter().map(|p| p.url.to_string()).collect()
        };
        let (a, b) = (urls(&resumed), urls(&clean));
        let only_resumed: Vec<_> = a.difference(&b).collect();
        let only_clean: Vec<_> = b.difference(&a).collect();
        assert!(
            only_resumed.is_empty() && only_clean.is_empty(),
            "{id}: killed-and-resumed and clean crawls differ: only resumed {only_resumed:?}, only clean {only_clean:?}"
        );
        total += a.len();
        calendar += a.iter().filter(|u| u.contains("/calendar/")).count();
    }
    eprintln!("killed {kills} times and resumed: the same {total} URLs as a clean crawl ({calendar} calendar pages)");
    server.shutdown();
}
