//! Crawler behaviour against small purpose-built servers: retries and Retry-After, time-outs, body caps, gzip bombs,
//! redirects, HEAD refused, unreachable robots.txt, script-only discovery.

use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use gongkai_archive::{LinkOutcome, ProbeSource, Store};
use gongkai_config::{Level, Site};
use gongkai_crawler::{crawl, CrawlOptions, NoProgress};
use std::io::Write;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use url::Url;

const HOST: &str = "www.test.gov.cn";

async fn serve(app: Router) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    port
}

fn site(port: u16) -> Site {
    Site {
        id: "t".into(),
        name: "测试县人民政府".into(),
        url: Url::parse(&format!("http://{HOST}:{port}/")).unwrap(),
        region: vec!["测试省".into()],
        level: Level::County,
        platform: None,
        rate: 200.0,
        max_pages: 100,
        max_depth: 5,
        max_link_checks: gongkai_config::DEFAULT_MAX_LINK_CHECKS,
    }
}

fn opts(port: u16) -> CrawlOptions {
    let mut o = CrawlOptions::default();
    o.add_resolves(&[format!("{HOST}:{port}:127.0.0.1")]).unwrap();
    o.only_resolved_hosts = true;
    o.retry_backoff = Duration::from_millis(20);
    o.request_timeout = Duration::from_millis(800);
    o
}

fn html(body: &str) -> Response {
    ([("content-type", "text/html; charset=utf-8")], body.to_string()).into_response()
}

#[tokio::test]
async fn retries_5xx_and_429_then_archives_the_answer() {
    let hits = Arc::new(AtomicU32::new(0));
    let h = hits.clone();
    let h2 = Arc::new(AtomicU32::new(0));
    let h2c = h2.clone();
    let app = Router::new()
        .route(
            "/",
            get(move || {
                let n = h.fetch_add(1, Ordering::SeqCst);
                async move {
                    if n == 0 {
                        (StatusCode::SERVICE_UNAVAILABLE, "busy").into_response()
                    } else {
                        html(r#"<a href="/a.html">a</a>"#)
                    }
                }
            }),
        )
        .route(
            "/a.html",
            get(move || {
                let n = h2c.fetch_add(1, Ordering::SeqCst);
                async move {
                    if n == 0 {
                        let mut r = (StatusCode::TOO_MANY_REQUESTS, "slow down").into_response();
                        r.headers_mut().insert("retry-after", HeaderValue::from_static("1"));
                        r
                    } else {
                        html("ok")
                    }
                }
            }),
        );
    let port = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let t0 = std::time::Instant::now();
    let s = crawl(&[site(port)], &store, &opts(port), &NoProgress).await.unwrap();
    assert_eq!(hits.load(Ordering::SeqCst), 2);
    assert_eq!(h2.load(Ordering::SeqCst), 2);
    assert!(t0.elapsed() >= Duration::from_millis(950), "Retry-After: 1 was not honoured");
    assert_eq!(s.errors, 0);
    let cap = store.latest_capture("t").unwrap().unwrap();
    let statuses: Vec<(String, u16)> = cap.pages.iter().map(|p| (p.url.path().to_string(), p.status)).collect();
    assert!(statuses.contains(&("/".into(), 200)) && statuses.contains(&("/a.html".into(), 200)), "{statuses:?}");
    // The crawl's probe is the home page's first answer: the retry that succeeded does not hide the 503.
    let probes: Vec<_> = cap.probes.iter().filter(|p| p.source == ProbeSource::Crawl).collect();
    assert_eq!(probes.len(), 1);
    assert_eq!(probes[0].status, Some(503));
    assert_eq!(probes[0].error.as_deref(), Some("status 503"));
}

#[tokio::test]
async fn timeouts_are_failures_oversized_bodies_are_archived_truncated() {
    let app = Router::new()
        .route(
            "/",
            get(|| async { html(r#"<a href="/slow.html">s</a><a href="/big.html">b</a><a href="/ok.html">o</a>"#) }),
        )
        .route(
            "/slow.html",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(3)).await;
                html("late")
            }),
        )
        .route("/big.html", get(|| async { html(&"x".repeat(300_000)) }))
        .route("/ok.html", get(|| async { html("fine") }));
    let port = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut o = opts(port);
    o.retries = 1;
    o.max_body_bytes = 100_000;
    let s = crawl(&[site(port)], &store, &o, &NoProgress).await.unwrap();
    assert_eq!(s.errors, 1, "only the time-out is a failure of the site");
    let cap = store.latest_capture("t").unwrap().unwrap();
    let err = |p: &str| cap.failures.iter().find(|f| f.url.path() == p).map(|f| f.error.clone());
    assert_eq!(err("/slow.html").as_deref(), Some("timeout"));
    assert_eq!(err("/big.html"), None, "a page over the crawler's own cap is not a failure of the site");
    assert!(cap.pages.iter().any(|p| p.url.path() == "/ok.html"));
    // The big page is archived as its first 100,000 bytes, marked truncated.
    let big = cap.pages.iter().find(|p| p.url.path() == "/big.html").expect("big page archived");
    let rec = store.read_record(&big.warc).unwrap();
    assert_eq!(rec.header("WARC-Truncated"), Some("length"));
    assert_eq!(rec.http_response().unwrap().body.len(), 100_000);
    // Failed targets are broken links; the truncated one is not checked, not broken.
    let check = |p: &str| cap.link_checks.iter().find(|c| c.target.path() == p).unwrap().clone();
    assert!(check("/slow.html").is_broken());
    assert!(matches!(&check("/big.html").outcome, LinkOutcome::NotChecked { reason } if reason.contains("抓取上限")));
    assert!(!check("/big.html").is_broken());
    gongkai_archive::testing::validate_with_warcio(dir.path()).expect("warcio reads the truncated record");
}

#[tokio::test]
async fn gzip_bomb_is_decoded_while_read_up_to_its_cap_and_archived_truncated() {
    // 200 MB of zeros behind ~200 KB of gzip, with a link at the very start.
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(br#"<html><body><a href="/after.html">x</a>"#).unwrap();
    let zeros = vec![b' '; 1 << 20];
    for _ in 0..200 {
        enc.write_all(&zeros).unwrap();
    }
    let bomb = Arc::new(enc.finish().unwrap());
    let sent_len = bomb.len();
    let b = bomb.clone();
    let app = Router::new()
        .route(
            "/",
            get(move || {
                let b = b.clone();
                async move {
                    let mut h = HeaderMap::new();
                    h.insert("content-type", HeaderValue::from_static("text/html"));
                    h.insert("content-encoding", HeaderValue::from_static("gzip"));
                    (h, (*b).clone()).into_response()
                }
            }),
        )
        .route("/after.html", get(|| async { html("after") }));
    let port = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut o = opts(port);
    o.max_decoded_bytes = 4 << 20;
    crawl(&[site(port)], &store, &o, &NoProgress).await.unwrap();
    let snap = &store.snapshots("t").unwrap()[0];
    let s =
        gongkai_archive::Snapshot { site_id: "t".into(), seq: snap.seq, started_at: snap.started_at, resumed: false };
    let home = store.fetch_entry(&s, &site(port).url).unwrap().expect("home archived");
    let record = store.read_record(&home.warc).unwrap();
    assert_eq!(record.header("WARC-Truncated"), Some("length"), "the rest of the bomb was not read");
    let rec = record.http_response().unwrap();
    assert_eq!(rec.header("content-encoding"), Some("gzip"), "archived as sent (compressed)");
    assert!(
        rec.body.len() < sent_len / 4,
        "reading stopped at the decoded cap: {} of {sent_len} bytes",
        rec.body.len()
    );
    assert_eq!(&rec.body[..], &bomb[..rec.body.len()], "the archived bytes are a prefix of what was sent");
    // Discovery read the capped prefix and found the link.
    assert!(store
        .fetch_entry(&s, &Url::parse(&format!("http://{HOST}:{port}/after.html")).unwrap())
        .unwrap()
        .is_some());
}

#[tokio::test]
async fn redirects_are_followed_hop_by_hop_and_head_refusal_falls_back_to_get() {
    let heads = Arc::new(Mutex::new(Vec::<String>::new()));
    let hl = heads.clone();
    let app = Router::new()
        .route("/", get(|| async { (StatusCode::MOVED_PERMANENTLY, [("location", "/index.html")]).into_response() }))
        .route("/index.html", get(|| async { html(r#"<a href="/doc.pdf">pdf</a><a href="/gone.html">gone</a>"#) }))
        .route("/gone.html", get(|| async { (StatusCode::NOT_FOUND, "no").into_response() }))
        .route(
            "/doc.pdf",
            get(|| async { ([("content-type", "application/pdf")], vec![b'%'; 10]).into_response() }).head(move || {
                hl.lock().unwrap().push("HEAD".into());
                async { StatusCode::METHOD_NOT_ALLOWED.into_response() }
            }),
        );
    let port = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    crawl(&[site(port)], &store, &opts(port), &NoProgress).await.unwrap();
    let cap = store.latest_capture("t").unwrap().unwrap();
    let paths: Vec<(&str, u16)> = cap.pages.iter().map(|p| (p.url.path(), p.status)).collect();
    assert!(paths.contains(&("/", 301)) && paths.contains(&("/index.html", 200)), "{paths:?}");
    assert!(!paths.iter().any(|(p, _)| *p == "/doc.pdf"), "documents are checked, not crawled");
    assert_eq!(heads.lock().unwrap().len(), 1);
    let check = |p: &str| cap.link_checks.iter().find(|c| c.target.path() == p).unwrap().outcome.clone();
    assert_eq!(check("/doc.pdf"), LinkOutcome::Status { status: 200 });
    assert_eq!(check("/gone.html"), LinkOutcome::Status { status: 404 });
    let probe = cap.probes.iter().find(|p| p.source == ProbeSource::Crawl).unwrap();
    assert_eq!(probe.status, Some(200), "the crawl probe follows the home page's redirect");
}

#[tokio::test]
async fn robots_5xx_means_nothing_is_crawled() {
    let hits = Arc::new(AtomicU32::new(0));
    let h = hits.clone();
    let app = Router::new()
        .route("/robots.txt", get(|| async { (StatusCode::INTERNAL_SERVER_ERROR, "oops").into_response() }))
        .route(
            "/",
            get(move || {
                h.fetch_add(1, Ordering::SeqCst);
                async { html("home") }
            }),
        );
    let port = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let s = crawl(&[site(port)], &store, &opts(port), &NoProgress).await.unwrap();
    assert_eq!(hits.load(Ordering::SeqCst), 0, "RFC 9309: unreachable robots.txt means complete disallow");
    assert_eq!(s.sites[0].robots_disallowed, 1);
}

#[tokio::test]
async fn script_pagination_xml_records_frames_and_gbk_are_discovered() {
    let (gbk_bytes, _, _) = encoding_rs::GBK
        .encode(r#"<html><head><meta charset="gbk"></head><body><a href="/gbk/文章.html">文章</a></body></html>"#);
    let gbk = gbk_bytes.into_owned();
    let app = Router::new()
        .route(
            "/",
            get(|| async {
                html(
                    r#"<html><body><iframe src="/footer.html"></iframe><script src="/js/foot.js"></script>
<a href="/list/index.html">list</a><a href="/gbk.html">gbk</a>
<script type="text/xml"><recordset><record><![CDATA[<a href="/rec/1.html">r</a>]]></record></recordset></script></body></html>"#,
                )
            }),
        )
        .route("/list/index.html", get(|| async { html(r#"<script>createPageHTML(3, 0, "index", "html");</script>"#) }))
        .route("/list/index_1.html", get(|| async { html("p1") }))
        .route("/list/index_2.html", get(|| async { html("p2") }))
        .route("/footer.html", get(|| async { html("网站标识码1234567890") }))
        .route(
            "/js/foot.js",
            get(|| async {
                ([("content-type", "application/javascript")], r#"document.write('<a href="/lxwm.html">联系我们</a>');"#)
                    .into_response()
            }),
        )
        .route("/lxwm.html", get(|| async { html("电话") }))
        .route("/rec/1.html", get(|| async { html("record") }))
        .route("/gbk.html", get(move || {
            let g = gbk.clone();
            async move { ([("content-type", "text/html")], g).into_response() }
        }))
        .route("/gbk/%E6%96%87%E7%AB%A0.html", get(|| async { html("gbk article") }));
    let port = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    crawl(&[site(port)], &store, &opts(port), &NoProgress).await.unwrap();
    let cap = store.latest_capture("t").unwrap().unwrap();
    let ok: Vec<String> = cap.pages.iter().filter(|p| p.status == 200).map(|p| p.url.path().to_string()).collect();
    for p in [
        "/footer.html",
        "/js/foot.js",
        "/lxwm.html",
        "/list/index_1.html",
        "/list/index_2.html",
        "/rec/1.html",
        "/gbk/%E6%96%87%E7%AB%A0.html",
    ] {
        assert!(ok.iter().any(|x| x == p), "{p} not archived; got {ok:?}");
    }
}

/// The next month's crawl asks only for what changed: validators from the earlier snapshot are sent, a 304 is archived
/// as a not-modified revisit that reads back as the original page, and links are still discovered from that page.
#[tokio::test]
async fn recrawl_sends_validators_and_archives_304_as_revisit() {
    type Seen = Arc<Mutex<Vec<(String, Option<String>, Option<String>, u16)>>>;
    let seen: Seen = Arc::default();
    let month = Arc::new(AtomicU32::new(1));
    const LAST_MODIFIED: &str = "Tue, 03 Nov 2026 08:00:00 GMT";

    // ETag-validated pages: (path, etag, body) for the current month.
    let pages = move |m: u32, path: &str| -> Option<(String, &'static str)> {
        match path {
            "/" => Some(("\"home-1\"".into(), r#"<a href="/a.html">a</a><a href="/list.html">list</a>"#)),
            "/list.html" if m == 1 => Some(("\"list-1\"".into(), r#"<a href="/old.html">old</a>"#)),
            "/list.html" => Some(("\"list-2\"".into(), r#"<a href="/new.html">new</a><a href="/old.html">old</a>"#)),
            _ => None,
        }
    };
    let (s2, m2) = (seen.clone(), month.clone());
    let app = Router::new().fallback(move |headers: HeaderMap, uri: axum::http::Uri| {
        let (seen, m) = (s2.clone(), m2.load(Ordering::SeqCst));
        async move {
            let path = uri.path().to_string();
            let get = |h: &str| headers.get(h).and_then(|v| v.to_str().ok()).map(str::to_string);
            let (inm, ims) = (get("if-none-match"), get("if-modified-since"));
            let resp = if let Some((etag, body)) = pages(m, &path) {
                if inm.as_deref() == Some(etag.as_str()) {
                    (StatusCode::NOT_MODIFIED, [("etag", etag)]).into_response()
                } else {
                    let mut r = html(body);
                    r.headers_mut().insert("etag", HeaderValue::from_str(&etag).unwrap());
                    r
                }
            } else if path == "/a.html" {
                // Validated by date only; it links to a page found nowhere else.
                if ims.as_deref() == Some(LAST_MODIFIED) {
                    (StatusCode::NOT_MODIFIED, "").into_response()
                } else {
                    let mut r = html(r#"<p>发布日期：2026-11-03</p><a href="/only-from-a.html">deep</a>"#);
                    r.headers_mut().insert("last-modified", HeaderValue::from_static(LAST_MODIFIED));
                    r
                }
            } else if path == "/robots.txt" {
                (StatusCode::NOT_FOUND, "").into_response()
            } else {
                html("plain page, no validators")
            };
            seen.lock().unwrap().push((path, inm, ims, resp.status().as_u16()));
            resp
        }
    });
    let port = serve(app).await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    crawl(&[site(port)], &store, &opts(port), &NoProgress).await.unwrap();
    let first: Vec<_> = std::mem::take(&mut *seen.lock().unwrap());
    assert!(
        first.iter().all(|(_, inm, ims, _)| inm.is_none() && ims.is_none()),
        "a first crawl is unconditional: {first:?}"
    );

    month.store(2, Ordering::SeqCst);
    crawl(&[site(port)], &store, &opts(port), &NoProgress).await.unwrap();
    let second = seen.lock().unwrap().clone();
    let req =
        |p: &str| second.iter().find(|r| r.0 == p).cloned().unwrap_or_else(|| panic!("{p} not requested: {second:?}"));
    assert_eq!(req("/").1.as_deref(), Some("\"home-1\""));
    assert_eq!(req("/").3, 304);
    assert_eq!(req("/a.html").2.as_deref(), Some(LAST_MODIFIED));
    assert_eq!(req("/a.html").3, 304);
    assert_eq!(req("/list.html").1.as_deref(), Some("\"list-1\""));
    assert_eq!(req("/list.html").3, 200, "a changed page is fetched in full");
    assert_eq!(req("/old.html").1, None, "no validators, no conditional request");
    // Links of unchanged pages are still followed (from the archived copy), new links of changed ones too.
    assert_eq!(req("/only-from-a.html").3, 200);
    assert_eq!(req("/new.html").3, 200);

    let snaps = store.snapshots("t").unwrap();
    assert_eq!(snaps.len(), 2);
    let cap = store.latest_capture("t").unwrap().unwrap();
    assert_eq!(cap.snapshot.seq, 2);
    let home = cap.pages.iter().find(|p| p.url.path() == "/").unwrap();
    assert_eq!(home.status, 200, "a 304 reads back as the unchanged page");
    assert!(String::from_utf8_lossy(&home.body).contains("/a.html"));
    let a = cap.pages.iter().find(|p| p.url.path() == "/a.html").unwrap();
    assert!(String::from_utf8_lossy(&a.body).contains("2026-11-03"));
    // The home page answered: the crawl's availability probe is not a failure.
    let probe = cap.probes.iter().filter(|p| p.source == ProbeSource::Crawl).max_by_key(|p| p.at).unwrap();
    assert_eq!((probe.status, probe.error.as_deref()), (Some(304), None));

    // In the WARC files: revisit records with the server-not-modified profile, and every file valid for warcio.
    let mut not_modified = 0;
    for f in gongkai_archive::testing::warc_files_under(dir.path()).unwrap() {
        let mut raw = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::MultiGzDecoder::new(std::fs::File::open(&f).unwrap()), &mut raw)
            .unwrap();
        not_modified += String::from_utf8_lossy(&raw)
            .matches("WARC-Profile: http://netpreserve.org/warc/1.1/revisit/server-not-modified")
            .count();
    }
    assert_eq!(not_modified, 2, "the home page and /a.html");
    gongkai_archive::testing::validate_with_warcio(dir.path()).expect("warcio validates the re-crawl's WARC files");
}
