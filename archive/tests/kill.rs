//! Resumability under kill -9: a child process crawls a synthetic site into a store and is killed at arbitrary moments,
//! then run again, until it completes. Afterwards every page is archived exactly once in that snapshot (in the index
//! and in the WARC files), and every WARC file passes warcio.
//!
//! The child is this test binary itself, running the ignored test `child_crawl` with the store directory in an
//! environment variable.

use std::collections::HashMap;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use gongkai_archive::testing::{validate_with_warcio, warc_files_under};
use gongkai_archive::warc::WarcFileReader;
use gongkai_archive::{Fetch, RecordKind, Store, StoreOptions};
use gongkai_config::Site;
use url::Url;

const PAGES: usize = 300;
const ENV_DIR: &str = "GONGKAI_ARCHIVE_KILL_CHILD_DIR";
const ENV_ROUND: &str = "GONGKAI_ARCHIVE_KILL_CHILD_ROUND";

fn site() -> Site {
    serde_json::from_value(serde_json::json!({
        "id": "kill", "name": "测试县人民政府", "url": "http://www.kill.gov.cn/p0",
        "region": ["四川省", "测试市", "测试县"], "level": "county", "platform": null,
        "rate": 2.0, "max_pages": 1000, "max_depth": 20
    }))
    .unwrap()
}

fn page_url(i: usize) -> Url {
    Url::parse(&format!("http://www.kill.gov.cn/p{i}")).unwrap()
}

/// Page i links to pages 2i+1 and 2i+2 (a binary tree of PAGES pages). In round 2, odd pages change.
fn body(i: usize, round: u32) -> Vec<u8> {
    let version = if round >= 2 && i % 2 == 1 { round } else { 1 };
    let mut s = format!("<html><body><h1>页面 {i} v{version}</h1>");
    for c in [2 * i + 1, 2 * i + 2] {
        if c < PAGES {
            s.push_str(&format!("<a href=\"/p{c}\">p{c}</a>"));
        }
    }
    // Some bulk so that records span several write calls' worth of time and files roll.
    for k in 0..200 {
        s.push_str(&format!("<p>{}</p>", (i * 31 + k * 17) % 9973));
    }
    s.push_str("</body></html>");
    s.into_bytes()
}

#[test]
#[ignore = "entry point of the child process of kill_minus_nine_at_any_point_then_resume"]
fn child_crawl() {
    let dir = std::env::var(ENV_DIR).expect("run by the kill test only");
    let round: u32 = std::env::var(ENV_ROUND).unwrap().parse().unwrap();
    let store = Store::open_with(&dir, StoreOptions { max_warc_bytes: 64 * 1024, ..Default::default() }).unwrap();
    // A kill after finish_snapshot leaves round `round` complete: do not start another snapshot then.
    let snaps = store.snapshots("kill").unwrap();
    if snaps.len() as u32 >= round && snaps.last().unwrap().finished_at.is_some() {
        return;
    }
    let snap = store.begin_snapshot(&site()).unwrap();
    assert_eq!(snap.seq, round as u64);
    let frontier = store.frontier(&snap);
    frontier.push_url(&page_url(0), 0).unwrap();
    while let Some(e) = frontier.next().unwrap() {
        let i: usize = e.url.path()[2..].parse().unwrap();
        let mut f = Fetch::get(
            e.url.clone(),
            e.depth,
            200,
            vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
            body(i, round),
        );
        f.request_headers.push(("User-Agent".into(), "gongkai-test".into()));
        // As the crawler does: queue the links first, then archive (which marks the URL done in the same batch).
        for c in [2 * i + 1, 2 * i + 2] {
            if c < PAGES {
                frontier.push_url(&page_url(c), e.depth + 1).unwrap();
            }
        }
        store.record_fetch(&snap, &f).unwrap();
    }
    store.finish_snapshot(&snap).unwrap();
}

/// Run the child until it completes, killing it (SIGKILL) after the given delays. Returns how many kills hit the
/// crawl in the middle (after some of this round's pages were archived and before all were). Between runs the store is
/// opened by this process, which also exercises the open-time repair.
// A child whose try_wait() returned its status is reaped already.
#[allow(clippy::zombie_processes)]
fn crawl_with_kills(dir: &std::path::Path, round: u32, delays_ms: &[u64]) -> usize {
    let exe = std::env::current_exe().unwrap();
    let spawn = || {
        Command::new(&exe)
            .args(["child_crawl", "--exact", "--ignored", "--nocapture", "--test-threads=1"])
            .env(ENV_DIR, dir)
            .env(ENV_ROUND, round.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap()
    };
    let mut kills = 0;
    for &d in delays_ms {
        let mut child = spawn();
        let start = Instant::now();
        let mut exited = None;
        while start.elapsed() < Duration::from_millis(d) {
            if let Some(st) = child.try_wait().unwrap() {
                exited = Some(st);
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        match exited {
            Some(st) => {
                assert!(st.success(), "child failed: {st}");
                return kills;
            }
            None => {
                child.kill().unwrap(); // SIGKILL on Unix
                child.wait().unwrap();
                // Count the kills that hit the crawl itself (some pages of this round archived, not all).
                let store = Store::open(dir).unwrap();
                let mid_crawl = store.snapshots("kill").unwrap().len() as u64 == round as u64 && {
                    let n = store.fetch_count().unwrap() - (round as u64 - 1) * PAGES as u64;
                    n > 0 && n < PAGES as u64
                };
                if mid_crawl {
                    kills += 1;
                }
            }
        }
    }
    let st = spawn().wait().unwrap();
    assert!(st.success(), "final child run failed: {st}");
    kills
}

fn check_store(dir: &std::path::Path, seq: u64) -> Store {
    let store = Store::open(dir).unwrap();
    let cap = store.latest_capture("kill").unwrap().unwrap();
    assert_eq!(cap.snapshot.seq, seq);
    assert!(cap.snapshot.finished_at.is_some());
    assert_eq!(cap.pages.len(), PAGES, "every page archived");
    let mut urls: Vec<_> = cap.pages.iter().map(|p| p.url.to_string()).collect();
    urls.sort();
    urls.dedup();
    assert_eq!(urls.len(), PAGES, "each page once in the index");
    for p in &cap.pages {
        let i: usize = p.url.path()[2..].parse().unwrap();
        assert_eq!(p.body, body(i, seq as u32), "{}", p.url);
    }
    // In the files: per URL, exactly one response-or-revisit record per snapshot, and one request each.
    let mut per_url: HashMap<String, (usize, usize)> = HashMap::new();
    for f in warc_files_under(dir).unwrap() {
        for r in WarcFileReader::open(&f).unwrap() {
            let r = r.unwrap_or_else(|e| panic!("{}: {e:#}", f.display()));
            // The index's metadata records name their URL too; count the capture records.
            if r.record_type() == Some("metadata") {
                continue;
            }
            let Some(uri) = r.target_uri() else { continue };
            let e = per_url.entry(uri.to_string()).or_default();
            match r.record_type() {
                Some("response") | Some("revisit") => e.0 += 1,
                Some("request") => e.1 += 1,
                t => panic!("unexpected record type {t:?}"),
            }
        }
    }
    assert_eq!(per_url.len(), PAGES);
    for (u, (resp, req)) in &per_url {
        assert_eq!((*resp, *req), (seq as usize, seq as usize), "{u}: records in the WARC files");
    }
    validate_with_warcio(dir).unwrap_or_else(|e| panic!("{e:#}"));
    store
}

#[test]
fn kill_minus_nine_at_any_point_then_resume() {
    let dir = tempfile::tempdir().unwrap();
    // Delays spread over the child's start-up and its crawl.
    let delays = [15, 20, 25, 30, 35, 40, 45, 50, 60, 70, 80, 100, 130, 170, 220, 300, 400, 550];
    let kills = crawl_with_kills(dir.path(), 1, &delays);
    eprintln!("kill test: round 1, {kills} kills mid-crawl");
    assert!(kills >= 2, "the test must actually interrupt the crawl (only {kills} kills)");
    check_store(dir.path(), 1);

    // A second snapshot, interrupted as well: unchanged pages become revisits, changed ones responses.
    let kills = crawl_with_kills(dir.path(), 2, &delays);
    eprintln!("kill test: round 2, {kills} kills mid-crawl");
    assert!(kills >= 2, "the test must actually interrupt the crawl (only {kills} kills)");
    let store = check_store(dir.path(), 2);
    let snaps = store.snapshots("kill").unwrap();
    assert_eq!(snaps.len(), 2);
    let snap =
        gongkai_archive::Snapshot { site_id: "kill".into(), seq: 2, started_at: snaps[1].started_at, resumed: false };
    let entries = store.fetch_entries(&snap).unwrap();
    let revisits = entries.iter().filter(|e| e.kind == RecordKind::RevisitIdentical).count();
    assert_eq!(revisits, PAGES.div_ceil(2), "even pages unchanged");
    eprintln!("kill test: {} WARC files", warc_files_under(dir.path()).unwrap().len());
}
