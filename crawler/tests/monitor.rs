//! The availability monitor: rounds on schedule, every probe stored with its time and outcome, time-outs and dead hosts
//! recorded as failed probes, redirects followed.

use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use gongkai_archive::{ProbeSource, Store};
use gongkai_config::{Level, Site};
use gongkai_crawler::{monitor, CountingProgress, CrawlOptions, MonitorOptions};
use std::time::Duration;
use url::Url;

fn site(id: &str, url: &str) -> Site {
    Site {
        id: id.into(),
        name: id.into(),
        url: Url::parse(url).unwrap(),
        region: vec![],
        level: Level::County,
        platform: None,
        rate: 50.0,
        max_pages: 10,
        max_depth: 2,
        max_link_checks: gongkai_config::DEFAULT_MAX_LINK_CHECKS,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probes_every_site_each_round_and_stores_outcomes() {
    let app = Router::new()
        .route("/", get(|| async { (StatusCode::FOUND, [("location", "/index.html")]).into_response() }))
        .route("/index.html", get(|| async { "home" }))
        .route(
            "/slow/",
            get(|| async {
                tokio::time::sleep(Duration::from_millis(800)).await;
                "late"
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    // A closed port for the dead site.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead_port = dead.local_addr().unwrap().port();
    drop(dead);

    let sites = vec![
        site("ok", &format!("http://www.ok.gov.cn:{port}/")),
        site("slow", &format!("http://www.slow.gov.cn:{port}/slow/")),
        site("dead", &format!("http://www.dead.gov.cn:{dead_port}/")),
    ];
    let mut opts = CrawlOptions::default();
    opts.add_resolves(&[
        format!("www.ok.gov.cn:{port}:127.0.0.1"),
        format!("www.slow.gov.cn:{port}:127.0.0.1"),
        format!("www.dead.gov.cn:{dead_port}:127.0.0.1"),
    ])
    .unwrap();
    opts.only_resolved_hosts = true;
    opts.probe_timeout = Duration::from_millis(400);
    opts.retry_backoff = Duration::from_millis(10);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let schedule =
        MonitorOptions { interval: Duration::from_millis(1000), duration: Some(Duration::from_millis(2500)) };
    let progress = CountingProgress::default();
    let t0 = std::time::Instant::now();
    let summary = monitor(&sites, &store, &opts, &schedule, &progress).await.unwrap();
    let took = t0.elapsed();
    assert_eq!(summary.rounds, 3, "rounds at 0, 1 and 2 s within 2.5 s");
    assert!(took >= Duration::from_millis(2000), "rounds were not spaced: {took:?}");
    assert_eq!(summary.probes, 9);

    let ok = store.probes("ok").unwrap();
    assert_eq!(ok.len(), 3);
    assert!(ok.iter().all(|p| p.source == ProbeSource::Monitor && p.status == Some(200) && p.error.is_none()));
    assert!(ok.windows(2).all(|w| w[0].at < w[1].at));
    let slow = store.probes("slow").unwrap();
    assert!(slow.iter().all(|p| p.error.as_deref() == Some("timeout") && p.status.is_none()), "{slow:?}");
    assert!(slow.iter().all(|p| p.duration_ms >= 390 && p.duration_ms < 800));
    let dead = store.probes("dead").unwrap();
    assert_eq!(dead.len(), 3);
    assert!(
        dead.iter().all(|p| p.error.as_deref().is_some_and(|e| e.starts_with("connect")) && p.status.is_none()),
        "{dead:?}"
    );
    // Sites are remembered for scoring even without a crawl.
    assert_eq!(store.sites().unwrap().len(), 3);
}
