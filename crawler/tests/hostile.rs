//! Hosts and pages that push back or try to misuse the crawler: Retry-After (within and past the cap), links and
//! redirects to private addresses and to names that resolve to loopback, a page with 100,000 links, and URL families
//! that are endless traps or big families of distinct articles. Every server here is on 127.0.0.1.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use gongkai_archive::{LinkOutcome, Store};
use gongkai_config::{Level, Site};
use gongkai_crawler::{crawl, CrawlOptions, NoProgress};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use url::Url;

const HOST: &str = "www.test.gov.cn";

/// What the server saw: (received at, method, path and query, status sent).
type Log = Arc<Mutex<Vec<(Instant, String, String, u16)>>>;

/// Serves `handler(method, path_and_query, n-th request of that path)`, logging every request.
async fn serve<F>(handler: F) -> (u16, Log)
where
    F: Fn(&str, &str, u32) -> Response + Send + Sync + 'static,
{
    let log: Log = Arc::default();
    let counts: Arc<Mutex<std::collections::HashMap<String, u32>>> = Arc::default();
    let handler = Arc::new(handler);
    let l2 = log.clone();
    let app = Router::new().fallback(move |req: Request| {
        let (log, counts, handler) = (l2.clone(), counts.clone(), handler.clone());
        async move {
            let at = Instant::now();
            let pq = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
            let method = req.method().as_str().to_string();
            let n = {
                let mut c = counts.lock().unwrap();
                let e = c.entry(format!("{method} {pq}")).or_default();
                *e += 1;
                *e
            };
            let resp = handler(&method, &pq, n);
            log.lock().unwrap().push((at, method, pq, resp.status().as_u16()));
            resp
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (port, log)
}

fn site(port: u16, rate: f64, max_pages: u32, max_depth: u32) -> Site {
    Site {
        id: "t".into(),
        name: "测试县人民政府".into(),
        url: Url::parse(&format!("http://{HOST}:{port}/")).unwrap(),
        region: vec!["测试省".into()],
        level: Level::County,
        platform: None,
        rate,
        max_pages,
        max_depth,
        max_link_checks: gongkai_config::DEFAULT_MAX_LINK_CHECKS,
    }
}

fn opts(port: u16) -> CrawlOptions {
    let mut o = CrawlOptions::default();
    o.add_resolves(&[format!("{HOST}:{port}:127.0.0.1")]).unwrap();
    o.only_resolved_hosts = true;
    o.retry_backoff = Duration::from_millis(20);
    o.request_timeout = Duration::from_secs(5);
    o.connect_timeout = Duration::from_secs(2);
    o
}

fn html(body: &str) -> Response {
    ([("content-type", "text/html; charset=utf-8")], body.to_string()).into_response()
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "no").into_response()
}

fn with_retry_after(status: StatusCode, ra: &str) -> Response {
    let mut r = (status, "slow down").into_response();
    r.headers_mut().insert("retry-after", HeaderValue::from_str(ra).unwrap());
    r
}

fn outcome(cap: &gongkai_archive::SiteCapture, url: &str) -> LinkOutcome {
    let u = Url::parse(url).unwrap();
    cap.link_checks.iter().find(|c| c.target == u).unwrap_or_else(|| panic!("no link check of {url}")).outcome.clone()
}

fn assert_not_checked(o: &LinkOutcome, words: &str) {
    match o {
        LinkOutcome::NotChecked { reason } => assert!(reason.contains(words), "reason {reason:?} lacks {words:?}"),
        other => panic!("expected not checked ({words}), got {other:?}"),
    }
}

// ---------------------------------------------------------------------------------------------------------------------
// Retry-After

/// A 429 with `Retry-After: 2` on one page pauses the whole host: the server sees no request from anyone for two
/// seconds (read from its own log), then the crawl goes on; the 429 is not a broken link.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_pauses_the_whole_host() {
    let (port, log) = serve(|_m, pq, n| match pq {
        "/" => html(
            r#"<a href="/a.html">a</a><a href="/b.html">b</a><a href="/c.html">c</a><a href="/d.html">d</a>
<a href="/e.html">e</a><a href="/f.html">f</a><a href="/g.html">g</a><a href="/h.html">h</a><a href="/busy.html">x</a>"#,
        ),
        "/a.html" if n == 1 => with_retry_after(StatusCode::TOO_MANY_REQUESTS, "2"),
        "/busy.html" => with_retry_after(StatusCode::TOO_MANY_REQUESTS, "1"),
        "/robots.txt" => not_found(),
        _ => html("page"),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut o = opts(port);
    o.retries = 1;
    let s = crawl(&[site(port, 10.0, 100, 5)], &store, &o, &NoProgress).await.unwrap();
    let log = log.lock().unwrap().clone();
    let (t429, ..) = log.iter().find(|e| e.2 == "/a.html" && e.3 == 429).cloned().expect("the 429 was sent");
    let pause = Duration::from_secs(2);
    // Requests sent before the crawler read the 429 may arrive just after it; after that, nothing until the pause ends.
    let during: Vec<_> = log
        .iter()
        .filter(|e| e.0 > t429 + Duration::from_millis(30) && e.0 < t429 + pause)
        .map(|e| (e.0.duration_since(t429), e.1.clone(), e.2.clone()))
        .collect();
    assert!(during.is_empty(), "requests during the Retry-After pause: {during:?}");
    let retry = log.iter().find(|e| e.2 == "/a.html" && e.3 == 200).expect("retried after the pause");
    assert!(retry.0 >= t429 + pause, "retried {:?} after the 429", retry.0.duration_since(t429));
    assert_eq!(s.errors, 0);
    let cap = store.latest_capture("t").unwrap().unwrap();
    assert_eq!(outcome(&cap, &format!("http://{HOST}:{port}/a.html")), LinkOutcome::Status { status: 200 });
    // Still 429 after its retry: not checked, never broken.
    let busy = outcome(&cap, &format!("http://{HOST}:{port}/busy.html"));
    assert_not_checked(&busy, "429");
    assert!(cap.link_checks.iter().all(|c| !c.is_broken()), "{:?}", cap.link_checks);
}

/// A host asking for a day (over the 10-minute cap) is left alone: no request after the 429 reaches it, its other
/// pages are recorded as not fetched (no failures) and its links as not checked, and the crawl ends at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_past_the_cap_leaves_the_host_alone() {
    let (port, log) = serve(|_m, pq, _n| match pq {
        "/" => html(
            r#"<a href="/a.html">a</a><a href="/b.html">b</a><a href="/c.html">c</a><a href="/d.html">d</a>
<a href="/e.html">e</a><a href="/f.html">f</a>"#,
        ),
        "/robots.txt" => not_found(),
        _ => with_retry_after(StatusCode::TOO_MANY_REQUESTS, "86400"),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut o = opts(port);
    o.per_site_parallelism = 1;
    let t0 = Instant::now();
    let s = crawl(&[site(port, 10.0, 100, 5)], &store, &o, &NoProgress).await.unwrap();
    assert!(t0.elapsed() < Duration::from_secs(15), "took {:?}", t0.elapsed());
    let log = log.lock().unwrap().clone();
    let first429 = log.iter().position(|e| e.3 == 429).expect("a 429 was sent");
    assert_eq!(log.len(), first429 + 1, "requests after the one-day Retry-After: {:?}", &log[first429..]);
    assert_eq!(s.errors, 0);
    assert!(s.sites[0].not_fetched >= 4, "{:?}", s.sites[0]);
    let cap = store.latest_capture("t").unwrap().unwrap();
    assert!(cap.failures.is_empty(), "{:?}", cap.failures);
    for p in ["b", "c", "d", "e", "f"] {
        let o = outcome(&cap, &format!("http://{HOST}:{port}/{p}.html"));
        if let LinkOutcome::NotChecked { reason } = &o {
            assert!(reason.contains("站点要求暂停访问") || reason.contains("429"), "{reason}");
        } else {
            panic!("{p}: {o:?}");
        }
    }
    assert!(cap.link_checks.iter().all(|c| !c.is_broken()));
}

// ---------------------------------------------------------------------------------------------------------------------
// Private addresses

/// A listener that must never see a connection.
fn tripwire() -> (u16, Arc<AtomicU32>) {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let hits = Arc::new(AtomicU32::new(0));
    let h = hits.clone();
    std::thread::spawn(move || {
        for s in l.incoming() {
            h.fetch_add(1, Ordering::SeqCst);
            drop(s);
        }
    });
    (port, hits)
}

/// Links and redirects to 10.1.2.3, to `localhost` (a name not configured nor `--resolve`d that resolves to
/// loopback) and to a loopback address: no connection is attempted (the tripwire listener sees none, and nothing
/// waits for 10.1.2.3's connect time-out), each is recorded as not checked; the configured site itself is crawled.
/// With `--resolved-only`, a loopback URL is not contacted either.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_addresses_and_unmapped_names_are_never_contacted() {
    let (trap, hits) = tripwire();
    let page = format!(
        r#"<a href="http://10.1.2.3/x.html">内网</a><a href="http://localhost:{trap}/secret.html">本机名</a>
<a href="http://127.0.0.1:{trap}/direct.html">环回</a><a href="http://[::1]:{trap}/v6.html">v6</a>
<a href="/go-private">跳内网</a><a href="/go-local">跳本机</a><a href="/ok.html">正常</a>"#
    );
    let (port, _log) = serve(move |_m, pq, _n| match pq {
        "/" => html(&page),
        "/go-private" => (StatusCode::FOUND, [("location", "http://10.1.2.3/y.html")]).into_response(),
        "/go-local" => (StatusCode::FOUND, [("location", format!("http://localhost:{trap}/z.html"))]).into_response(),
        "/robots.txt" => not_found(),
        _ => html("ok"),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut o = opts(port);
    o.only_resolved_hosts = false; // the address rules alone must stop these
    o.connect_timeout = Duration::from_secs(20);
    let t0 = Instant::now();
    let s = crawl(&[site(port, 200.0, 100, 5)], &store, &o, &NoProgress).await.unwrap();
    assert!(t0.elapsed() < Duration::from_secs(10), "something waited for a connection: {:?}", t0.elapsed());
    assert_eq!(hits.load(Ordering::SeqCst), 0, "a connection reached the loopback tripwire");
    assert!(s.addresses_refused >= 4, "refused {}", s.addresses_refused);
    let cap = store.latest_capture("t").unwrap().unwrap();
    for u in [
        "http://10.1.2.3/x.html".to_string(),
        format!("http://localhost:{trap}/secret.html"),
        format!("http://127.0.0.1:{trap}/direct.html"),
        format!("http://[::1]:{trap}/v6.html"),
        format!("http://{HOST}:{port}/go-private"),
        format!("http://{HOST}:{port}/go-local"),
    ] {
        assert_not_checked(&outcome(&cap, &u), "地址不在检查范围内");
    }
    assert_eq!(outcome(&cap, &format!("http://{HOST}:{port}/ok.html")), LinkOutcome::Status { status: 200 });
    assert_eq!(s.errors, 0);

    // --resolved-only: only --resolve'd hosts, so not even a loopback address is contacted.
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut o = opts(port);
    o.only_resolved_hosts = true;
    let s = crawl(&[site(port, 200.0, 100, 5)], &store, &o, &NoProgress).await.unwrap();
    assert_eq!(hits.load(Ordering::SeqCst), 0, "--resolved-only contacted a loopback address");
    assert!(s.links_not_contacted >= 3, "{}", s.links_not_contacted);
}

// ---------------------------------------------------------------------------------------------------------------------
// Link-check budget

/// A page with 100,000 in-scope links, a 20-page budget and 50 link checks: finishes promptly, checks 50 targets
/// over the network and records the rest as not checked (超出链接检查上限).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn link_checks_are_bounded_by_the_site_budget() {
    const LINKS: usize = 100_000;
    let mut big = String::with_capacity(LINKS * 30);
    big.push_str("<html><body>");
    for i in 0..LINKS {
        big.push_str(&format!("<a href=\"/p/{i}.html\">{i}</a>\n"));
    }
    big.push_str("</body></html>");
    let big = Arc::new(big);
    let (port, log) = serve(move |_m, pq, _n| match pq {
        "/" => html(&big),
        "/robots.txt" => not_found(),
        _ => html("leaf"),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let o = opts(port);
    let mut st = site(port, 1000.0, 20, 5);
    st.max_link_checks = 50;
    let t0 = Instant::now();
    let s = crawl(&[st], &store, &o, &NoProgress).await.unwrap();
    let took = t0.elapsed();
    eprintln!("100,000-link page, 20 pages, 50 link checks: {took:?}");
    assert!(took < Duration::from_secs(120), "took {took:?}");
    let log = log.lock().unwrap().clone();
    let heads = log.iter().filter(|e| e.1 == "HEAD").count();
    assert!(heads <= 50, "{heads} HEAD requests for a budget of 50");
    assert!(log.len() <= 1 + 20 + 2 * 50 + 1, "{} requests", log.len());
    let site = &s.sites[0];
    assert!(site.link_budget_exhausted);
    let cap = store.latest_capture("t").unwrap().unwrap();
    assert_eq!(cap.link_checks.len(), LINKS, "every target gets a record");
    let over = cap
        .link_checks
        .iter()
        .filter(|c| matches!(&c.outcome, LinkOutcome::NotChecked { reason } if reason.contains("超出链接检查上限")))
        .count();
    assert!(over >= LINKS - 20 - 50, "{over} not checked");
    assert!(cap.link_checks.iter().all(|c| !c.is_broken()));
}

// ---------------------------------------------------------------------------------------------------------------------
// Traps and families of articles

const WORDS: [&str; 13] =
    ["安全", "生产", "教育", "卫生", "交通", "水利", "农业", "环保", "财政", "民政", "文旅", "住建", "应急"];

/// An old ASP site with 150 distinct articles behind one `ShowArticle.asp?ArticleID=N` pattern: all crawled. Its
/// endless calendar (next/prev month, the same page every month) is cut after the probe; a search page answering
/// every query with the same "no results" page too.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn distinct_articles_are_crawled_and_endless_calendars_cut() {
    let list: String = (1..=150)
        .map(|i| format!("<tr><td><a href=\"/Article/ShowArticle.asp?ArticleID={i}\">文章</a></td></tr>\n"))
        .collect();
    let list = format!("<table>{list}</table><a href=\"/search.asp?q=1\">搜索</a>");
    let (port, log) = serve(move |_m, pq, _n| {
        let url = Url::parse(&format!("http://x{pq}")).unwrap();
        let q = |k: &str| url.query_pairs().find(|(n, _)| n == k).map(|(_, v)| v.into_owned()).unwrap_or_default();
        match url.path() {
            "/" | "/index.asp" => html(
                r#"<a href="/Article/ShowClass.asp?ClassID=1">通知公告</a><a href="/calendar/?month=2026-11">活动日历</a>"#,
            ),
            "/Article/ShowClass.asp" => html(&list),
            "/Article/ShowArticle.asp" => {
                let i: usize = q("ArticleID").parse().unwrap_or(0);
                html(&format!(
                    "<h1>关于{}{}工作的通知</h1><p>发布时间：2026-11-{:02}</p><p>{}领域的具体安排。</p>",
                    WORDS[i % 13],
                    WORDS[(i / 13) % 13],
                    1 + i % 28,
                    WORDS[(i * 7) % 13]
                ))
            }
            "/calendar/" => {
                let m = q("month");
                let (y, mo): (i32, u32) = m
                    .split_once('-')
                    .and_then(|(a, b)| Some((a.parse().ok()?, b.parse().ok()?)))
                    .unwrap_or((2026, 11));
                let next = if mo == 12 { (y + 1, 1) } else { (y, mo + 1) };
                let prev = if mo == 1 { (y - 1, 12) } else { (y, mo - 1) };
                html(&format!(
                    "<h1>活动日历 {y}年{mo}月</h1><a href=\"/calendar/?month={}-{:02}\">上一月</a> <a href=\"/calendar/?month={}-{:02}\">下一月</a>",
                    prev.0, prev.1, next.0, next.1
                ))
            }
            "/search.asp" => {
                let n: u64 = q("q").parse().unwrap_or(0);
                html(&format!("<p>没有找到相关结果</p><a href=\"/search.asp?q={}\">下一页</a>", n + 1))
            }
            "/robots.txt" => not_found(),
            _ => not_found(),
        }
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let o = opts(port);
    let s = crawl(&[site(port, 1000.0, 1000, 400)], &store, &o, &NoProgress).await.unwrap();
    let cap = store.latest_capture("t").unwrap().unwrap();
    let articles = cap.pages.iter().filter(|p| p.url.path() == "/Article/ShowArticle.asp" && p.status == 200).count();
    assert_eq!(articles, 150, "every distinct article is crawled");
    let log = log.lock().unwrap().clone();
    let calendar_gets = log.iter().filter(|e| e.1 == "GET" && e.2.starts_with("/calendar/")).count();
    let search_gets = log.iter().filter(|e| e.1 == "GET" && e.2.starts_with("/search.asp")).count();
    let bound = (o.trap_probe as usize + o.per_site_parallelism) * 2;
    eprintln!("150 articles: {articles} archived; calendar {calendar_gets} GETs, search {search_gets} GETs");
    assert!(calendar_gets <= bound, "{calendar_gets} calendar requests (bound {bound})");
    assert!(search_gets <= bound, "{search_gets} search requests (bound {bound})");
    assert!(s.sites[0].traps_cut >= 2, "{:?}", s.sites[0]);
    assert!(!s.sites[0].budget_exhausted);
}

// ---------------------------------------------------------------------------------------------------------------------
// Memory

fn peak_rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

/// A ~10 MB gzip body that inflates to 10 GiB: the crawl reads it only up to the decoded cap, so the process's peak
/// memory grows by about the caps, not the bomb. Slow to build the bomb (~30 s in a debug build): run by hand with
/// `cargo test -p gongkai-crawler --test hostile -- --ignored --nocapture gzip_bomb_memory`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "builds a 10 GiB gzip bomb; run by hand for the memory figure"]
async fn gzip_bomb_memory() {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..10 * 1024 {
        enc.write_all(&zeros).unwrap();
    }
    let bomb = Arc::new(enc.finish().unwrap());
    let sent = bomb.len();
    let before = peak_rss_kib();
    let (port, _log) = serve(move |_m, pq, _n| match pq {
        "/" => {
            let mut r = (*bomb).clone().into_response();
            r.headers_mut().insert("content-type", HeaderValue::from_static("text/html"));
            r.headers_mut().insert("content-encoding", HeaderValue::from_static("gzip"));
            r
        }
        _ => not_found(),
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let t0 = Instant::now();
    crawl(&[site(port, 100.0, 10, 2)], &store, &opts(port), &NoProgress).await.unwrap();
    let after = peak_rss_kib();
    eprintln!(
        "gzip bomb: {sent} bytes sent, inflating to 10 GiB; crawl took {:?}; peak RSS {} MiB before, {} MiB after",
        t0.elapsed(),
        before / 1024,
        after / 1024
    );
    assert!(after < before + 200 * 1024, "peak RSS grew by {} MiB", (after - before) / 1024);
}
