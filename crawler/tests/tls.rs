//! HTTPS certificate checks against loopback https servers (test CA from `gongkai_sample::tls`): a certificate of the
//! CA given with `extra_roots` verifies; an expired one, one for another name and a self-signed one are recorded as
//! such, and the sites' pages are still fetched (without verification) and archived. A link to another host with a
//! bad certificate is a failed link, not a reason to turn verification off.

use axum::response::{Html, IntoResponse};
use axum::routing::get;
use axum::Router;
use chrono::{Duration as Days, Utc};
use gongkai_archive::{LinkOutcome, Store, TlsErrorKind};
use gongkai_config::{Level, Site};
use gongkai_crawler::{crawl, CrawlOptions, NoProgress};
use gongkai_sample::tls::{serve_https, ServerCert, TestCa};
use std::time::Duration;
use url::Url;

fn site(id: &str, host: &str, port: u16) -> Site {
    Site {
        id: id.into(),
        name: "测试县人民政府".into(),
        url: Url::parse(&format!("https://{host}:{port}/")).unwrap(),
        region: vec!["测试省".into()],
        level: Level::County,
        platform: None,
        rate: 100.0,
        max_pages: 20,
        max_depth: 3,
        max_link_checks: gongkai_config::DEFAULT_MAX_LINK_CHECKS,
    }
}

fn app(link: Option<String>) -> Router {
    let extra = link.map(|l| format!(r#"<a href="{l}">外部</a>"#)).unwrap_or_default();
    Router::new()
        .route(
            "/",
            get(move || async move { Html(format!(r#"<title>首页</title><a href="/a.html">通知公告</a>{extra}"#)) }),
        )
        .route("/a.html", get(|| async { Html("<title>通知</title><p>内容</p>").into_response() }))
}

#[tokio::test]
async fn certificates_are_checked_recorded_and_bad_ones_clicked_through() {
    let now = Utc::now();
    let ca = TestCa::new("测试省 CA").unwrap();
    let valid = ca.issue(&["www.ok.gov.cn"], now - Days::days(30), now + Days::days(300)).unwrap();
    let expired = ca.issue(&["www.old.gov.cn"], now - Days::days(400), now - Days::days(20)).unwrap();
    let wrong = ca.issue(&["www.other.gov.cn"], now - Days::days(30), now + Days::days(300)).unwrap();
    let selfsigned =
        ServerCert::self_signed(&["www.self.gov.cn"], now - Days::days(30), now + Days::days(300)).unwrap();
    let ext_bad = ServerCert::self_signed(&["ext.bad.cn"], now - Days::days(30), now + Days::days(300)).unwrap();

    let ext = serve_https(app(None), &ext_bad).await.unwrap();
    let ext_url = format!("https://ext.bad.cn:{}/", ext.port());
    let ok = serve_https(app(Some(ext_url.clone())), &valid).await.unwrap();
    let old = serve_https(app(None), &expired).await.unwrap();
    let wr = serve_https(app(None), &wrong).await.unwrap();
    let ss = serve_https(app(None), &selfsigned).await.unwrap();
    let sites = vec![
        site("ok", "www.ok.gov.cn", ok.port()),
        site("old", "www.old.gov.cn", old.port()),
        site("wrong", "www.wrong.gov.cn", wr.port()),
        // One request a second: its window holds one turn, so the retry without verification must give back the
        // failed try's turn before taking its own (holding it waited for ever).
        Site { rate: 1.0, ..site("self", "www.self.gov.cn", ss.port()) },
    ];
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca.pem()).unwrap();
    let mut opts = CrawlOptions::default();
    opts.add_resolves(&[
        format!("www.ok.gov.cn:{}:127.0.0.1", ok.port()),
        format!("www.old.gov.cn:{}:127.0.0.1", old.port()),
        format!("www.wrong.gov.cn:{}:127.0.0.1", wr.port()),
        format!("www.self.gov.cn:{}:127.0.0.1", ss.port()),
        format!("ext.bad.cn:{}:127.0.0.1", ext.port()),
    ])
    .unwrap();
    opts.only_resolved_hosts = true;
    opts.retry_backoff = Duration::from_millis(20);
    opts.ipv6_check = false;
    opts.add_ca_file(&ca_file).unwrap();
    let store = Store::open(dir.path().join("store")).unwrap();
    let summary = crawl(&sites, &store, &opts, &NoProgress).await.unwrap();
    for s in &summary.sites {
        assert_eq!(s.errors, 0, "{}: every page fetched, bad certificate or not", s.site_id);
    }

    let cap = |id: &str| store.latest_capture(id).unwrap().unwrap();
    // Valid: verified, nothing to report beyond the certificate read.
    let c = cap("ok");
    assert_eq!(c.tls.len(), 1);
    let t = &c.tls[0];
    assert_eq!(t.error, None, "{t:?}");
    assert!(!t.fetched_unverified);
    let cert = t.certificate.as_ref().expect("certificate read");
    assert!(cert.subject.contains("www.ok.gov.cn"), "{}", cert.subject);
    assert!(cert.issuer.contains("CA"), "{}", cert.issuer);
    assert_eq!(cert.names, ["www.ok.gov.cn"]);
    assert!(cert.not_after > now + Days::days(290));
    assert!(c.pages.iter().any(|p| p.url.path() == "/a.html"));
    // The external host's self-signed certificate: a failed link, verification stays on for it.
    let ext_check = c.link_checks.iter().find(|l| l.target.as_str() == ext_url).expect("external link checked");
    match &ext_check.outcome {
        LinkOutcome::Failed { error } => assert!(error.contains("certificate"), "{error}"),
        other => panic!("{other:?}"),
    }

    // Bad certificates: recorded with their kind and certificate, pages fetched anyway and marked so.
    for (id, kind) in
        [("old", TlsErrorKind::Expired), ("wrong", TlsErrorKind::WrongHost), ("self", TlsErrorKind::Untrusted)]
    {
        let c = cap(id);
        assert_eq!(c.tls.len(), 1, "{id}");
        let t = &c.tls[0];
        assert_eq!(t.error, Some(kind), "{id}: {t:?}");
        assert!(t.fetched_unverified, "{id}");
        assert!(t.detail.as_deref().unwrap_or("").contains("certificate"), "{id}: {:?}", t.detail);
        assert!(t.certificate.is_some(), "{id}: the presented certificate is recorded");
        assert!(t.warc.is_some(), "{id}: archived as a metadata record");
        let paths: Vec<&str> = c.pages.iter().map(|p| p.url.path()).collect();
        assert!(paths.contains(&"/") && paths.contains(&"/a.html"), "{id}: {paths:?}");
        assert!(c.failures.is_empty(), "{id}: {:?}", c.failures);
    }
    let old = cap("old");
    let cert = old.tls[0].certificate.as_ref().unwrap();
    assert!(cert.not_after < now - Days::days(19), "{:?}", cert.not_after);
    assert_eq!(cap("wrong").tls[0].certificate.as_ref().unwrap().names, ["www.other.gov.cn"]);

    // The WARC files alone hold the checks: a rebuilt index gives them back; an independent reader accepts them.
    store.flush().unwrap();
    drop(store);
    gongkai_archive::testing::validate_with_warcio(&dir.path().join("store")).expect("warcio validates every file");
    let sum = Store::rebuild_index(dir.path().join("store")).unwrap();
    assert_eq!(sum.tls_checks, 4);
    let store = Store::open(dir.path().join("store")).unwrap();
    assert_eq!(store.latest_capture("old").unwrap().unwrap().tls, old.tls);
}

#[tokio::test]
async fn without_the_test_ca_a_valid_certificate_is_untrusted() {
    let now = Utc::now();
    let ca = TestCa::new("测试省 CA").unwrap();
    let valid = ca.issue(&["www.ok.gov.cn"], now - Days::days(30), now + Days::days(300)).unwrap();
    let ok = serve_https(app(None), &valid).await.unwrap();
    let mut opts = CrawlOptions::default();
    opts.add_resolves(&[format!("www.ok.gov.cn:{}:127.0.0.1", ok.port())]).unwrap();
    opts.only_resolved_hosts = true;
    opts.ipv6_check = false;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    crawl(&[site("ok", "www.ok.gov.cn", ok.port())], &store, &opts, &NoProgress).await.unwrap();
    let c = store.latest_capture("ok").unwrap().unwrap();
    assert_eq!(c.tls[0].error, Some(TlsErrorKind::Untrusted));
    assert!(c.pages.iter().any(|p| p.url.path() == "/a.html"), "fetched anyway");
}
