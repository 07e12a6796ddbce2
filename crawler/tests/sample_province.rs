//! End to end against the sample province: every expected page archived, robots.txt obeyed, traps bounded, link checks
//! right, probes stored, WARC files valid for warcio; and, at a modest rate, no host above its rate in any one-second
//! window of the server's own log.

mod common;

use common::*;
use gongkai_archive::{LinkOutcome, ProbeSource};
use gongkai_crawler::{crawl, CountingProgress};
use std::collections::{HashMap, HashSet};
use std::time::Duration;
use url::Url;

/// The tests of this file run one at a time: the rate test reads server-side times, which a concurrent crawl on the
/// same two cores would blur.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crawls_the_whole_sample_province_correctly() {
    let _serial = SERIAL.lock().await;
    let server = start_sample();
    let sites = sites(&server);
    let truth = server.ground_truth();
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let mut opts = options(&server);
    // The crawl-delay site's robots.txt asks for 1 s between requests; keep the test short by capping it lower, which
    // also exercises the cap report.
    opts.crawl_delay_cap = Duration::from_millis(100);
    let progress = CountingProgress::default();
    let summary = crawl(&sites, &store, &opts, &progress).await.expect("crawl");
    let log = server.request_log();

    assert_eq!(summary.sites.len(), sites.len());
    assert!(progress.sites_done() as usize == sites.len());
    // Crawl-delay above the cap was applied capped and reported.
    let capped: Vec<_> = summary.sites.iter().flat_map(|s| s.crawl_delay_capped.clone()).collect();
    assert!(
        truth.sites.iter().all(|s| s.crawl_delay.is_none()) || !capped.is_empty(),
        "a Crawl-delay over the cap must be reported"
    );

    // Every request carries our User-Agent.
    assert!(log.iter().all(|e| e.user_agent.as_deref() == Some(opts.user_agent.as_str())));

    for st in &truth.sites {
        let cap = store.latest_capture(&st.id).unwrap().unwrap_or_else(|| panic!("{}: no snapshot", st.id));
        assert!(cap.snapshot.finished_at.is_some(), "{}: snapshot not finished", st.id);
        let archived: HashSet<Url> = cap.pages.iter().map(|p| p.url.clone()).collect();
        for p in &st.expected_pages {
            let u = Url::parse(p).unwrap();
            assert!(archived.contains(&u), "{}: expected page {p} not archived", st.id);
        }
        // Each URL archived once per snapshot.
        assert_eq!(archived.len(), cap.pages.len(), "{}: a URL archived twice", st.id);
        // Robots-disallowed links: never requested, recorded as such (not broken).
        for d in &st.robots_disallowed_linked {
            let u = Url::parse(d).unwrap();
            assert!(!archived.contains(&u), "{}: disallowed {d} archived", st.id);
            if let Some(c) = cap.link_checks.iter().find(|c| c.target == u) {
                assert_eq!(c.outcome, LinkOutcome::RobotsDisallowed, "{}: {d}", st.id);
            }
        }
        // Broken links found and broken; no link check of a working page says broken.
        for b in st.broken_links_home.iter().chain(&st.broken_links_elsewhere) {
            let u = Url::parse(b).unwrap();
            let c =
                cap.link_checks.iter().find(|c| c.target == u).unwrap_or_else(|| panic!("{}: no check of {b}", st.id));
            assert!(c.is_broken(), "{}: {b} should be broken, got {:?}", st.id, c.outcome);
        }
        let expected: HashSet<Url> = st.expected_pages.iter().map(|p| Url::parse(p).unwrap()).collect();
        for c in &cap.link_checks {
            if expected.contains(&c.target) {
                assert!(!c.is_broken(), "{}: expected page {} checked as broken: {:?}", st.id, c.target, c.outcome);
            }
        }
        // Traps bounded.
        for t in &st.trap_prefixes {
            let n = requests_under(&server, &log, t);
            assert!(
                n <= 2 * (opts.trap_probe as usize + opts.per_site_parallelism),
                "{}: {n} requests under trap {t}",
                st.id
            );
        }
        // The crawl's home-page fetch is stored as a probe.
        assert!(cap.probes.iter().any(|p| p.source == ProbeSource::Crawl), "{}: no crawl probe", st.id);
        // The gzip site's responses are archived as sent (compressed) and read back decoded.
        if st.gzip {
            let home_url = Url::parse(&st.url).unwrap();
            let home = cap.pages.iter().find(|p| p.url == home_url && p.status == 200).expect("home page");
            let rec = store.read_record(&home.warc).unwrap().http_response().unwrap();
            assert_eq!(rec.header("Content-Encoding"), Some("gzip"), "{}: archived body must stay gzip", st.id);
            let text = String::from_utf8_lossy(&home.body).to_ascii_lowercase();
            assert!(
                text.contains("<html"),
                "{}: decoded home page is not HTML: {:?}",
                st.id,
                &text[..text.len().min(200)]
            );
        }
    }
    assert_robots_obeyed(&server, &log);
    assert_rate_held(&log, |_| 400.0);

    // Next month, nothing changed: the re-crawl sends the validators it archived, unchanged pages answer 304, and the
    // new snapshot reads back the same pages, every expected one included.
    let before: Vec<_> = truth.sites.iter().map(|st| store.latest_capture(&st.id).unwrap().unwrap()).collect();
    crawl(&sites, &store, &opts, &CountingProgress::default()).await.expect("re-crawl");
    let relog = server.request_log();
    let again = &relog[log.len()..];
    let not_modified = again.iter().filter(|e| e.status == 304).count();
    let answered_200 = again.iter().filter(|e| e.status == 200 && e.method == "GET").count();
    assert!(
        not_modified > 4 * answered_200,
        "unchanged pages should answer 304: {not_modified} 304s, {answered_200} 200s"
    );
    for (st, first) in truth.sites.iter().zip(&before) {
        let cap = store.latest_capture(&st.id).unwrap().unwrap();
        assert_eq!(cap.snapshot.seq, 2, "{}", st.id);
        let now: HashMap<&Url, &gongkai_archive::CapturedPage> = cap.pages.iter().map(|p| (&p.url, p)).collect();
        for p in &st.expected_pages {
            assert!(now.contains_key(&Url::parse(p).unwrap()), "{}: expected page {p} not in the re-crawl", st.id);
        }
        for p in first.pages.iter().filter(|p| p.status == 200) {
            if let Some(q) = now.get(&p.url).filter(|q| q.status == 200) {
                assert!(q.body == p.body, "{}: {} reads back differently after the re-crawl", st.id, p.url);
            }
        }
    }
    assert_robots_obeyed(&server, &relog);
    assert_rate_held(&relog, |_| 400.0);

    drop(store);
    let files = gongkai_archive::testing::validate_with_warcio(dir.path()).expect("warcio validates the WARC files");
    assert!(files >= 1);
    server.shutdown();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_host_above_its_rate_in_any_second() {
    let _serial = SERIAL.lock().await;
    let server = start_sample();
    let mut sites = sites(&server);
    // Four sites (one of them with a robots.txt Crawl-delay), small budgets: a few seconds at 5 requests per second.
    let truth = server.ground_truth();
    let delayed: Vec<String> = truth.sites.iter().filter(|s| s.crawl_delay.is_some()).map(|s| s.id.clone()).collect();
    let mut picked: Vec<_> = sites.iter().filter(|s| !delayed.contains(&s.id)).take(3).cloned().collect();
    picked.extend(sites.iter().filter(|s| delayed.contains(&s.id)).take(1).cloned());
    sites = picked;
    for s in &mut sites {
        s.max_pages = if delayed.contains(&s.id) { 5 } else { 20 };
        s.rate = 5.0;
    }
    let dir = tempfile::tempdir().unwrap();
    let store = open_store(dir.path());
    let mut opts = options(&server);
    opts.rate = None;
    opts.check_links = false;
    let t0 = std::time::Instant::now();
    crawl(&sites, &store, &opts, &gongkai_crawler::NoProgress).await.expect("crawl");
    let took = t0.elapsed();
    let log = server.request_log();
    assert!(log.len() >= 20, "only {} requests", log.len());
    assert_rate_held(&log, |_| 5.0);
    // Crawl-delay (1 s, under the default 10 s cap) holds on that host: consecutive requests ≥ 1 s apart.
    for s in sites.iter().filter(|s| delayed.contains(&s.id)) {
        let host = s.url.host_str().unwrap();
        let times: Vec<Duration> = log.iter().filter(|e| e.host == host).map(|e| e.at).collect();
        assert!(times.len() >= 3, "{host}: {} requests", times.len());
        for w in times.windows(2) {
            assert!(w[1] - w[0] >= Duration::from_millis(990), "{host}: requests {:?} apart", w[1] - w[0]);
        }
    }
    // Sites run in parallel: the whole thing takes about as long as the slowest site, not the sum.
    assert!(took < Duration::from_secs(20), "took {took:?}");
    assert_robots_obeyed(&server, &log);
    server.shutdown();
}
