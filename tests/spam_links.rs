//! 外链变质 end to end: sites on loopback link to partner sites; the crawl link-checks each outbound target, reads the
//! HTML ones once (however many sites link to them) and archives them; scoring finds the spam ones on the linking page
//! with evidence that resolves to the archived target page. A clean partner, a redirect to a clean domain and a news
//! page that mentions one spam word are not findings.

use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use gongkai_archive::Store;
use gongkai_config::{Calendar, Level, Rubric, Site};
use gongkai_crawler::{crawl, CrawlOptions, NoProgress};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use url::Url;

const HOSTS: &[&str] = &[
    "www.a.gov.cn",
    "www.b.gov.cn",
    "www.spam-partner.com",
    "www.clean-partner.org.cn",
    "old-partner.com.cn",
    "www.clean-new.cn",
    "moved-partner.cn",
    "bet.casino-example.com",
    "news.example.cn",
    "www.private-partner.com",
    "files.example.com",
];

const SPAM: &str = "<html><head><title>百家乐-真人娱乐官网</title></head>\
    <body><p>首存送彩金，澳门赌场在线，六合彩。</p></body></html>";

fn html(body: String) -> Response {
    ([("content-type", "text/html; charset=utf-8")], body).into_response()
}

fn redirect(to: &str) -> Response {
    (StatusCode::MOVED_PERMANENTLY, [("location", to.to_string())]).into_response()
}

fn page(title: &str, body: &str) -> String {
    format!("<html><head><title>{title}</title></head><body>{body}</body></html>")
}

/// A government site's pages: a home page with two articles and the 友情链接 block `partners`.
fn gov(path: &str, name: &str, port: u16, partners: &[(&str, &str)]) -> Response {
    let links: String =
        partners.iter().map(|(u, t)| format!("<a href=\"{}\">{t}</a>", u.replace("PORT", &port.to_string()))).collect();
    match path {
        "/" => html(page(
            name,
            &format!(
                "<h1>{name}</h1><ul><li><a href=\"/x/1.html\">召开工作会议</a> 2025-11-18</li>\
                 <li><a href=\"/x/2.html\">发布通知公告</a> 2025-11-17</li></ul><div class=\"yqlj\">友情链接：{links}</div>"
            ),
        )),
        "/x/1.html" | "/x/2.html" => html(page("工作动态", "<p>本县召开工作会议，部署下一阶段工作。</p>")),
        _ => (StatusCode::NOT_FOUND, "无此页面").into_response(),
    }
}

fn answer(host: &str, path: &str, port: u16) -> Response {
    let to = |u: &str| u.replace("PORT", &port.to_string());
    if path == "/robots.txt" {
        // A partner that forbids crawlers: checked as robots-disallowed, never read, never a finding.
        if host == "www.private-partner.com" {
            return ([("content-type", "text/plain")], "User-agent: *\nDisallow: /\n").into_response();
        }
        return (StatusCode::NOT_FOUND, "").into_response();
    }
    match (host, path) {
        ("www.a.gov.cn", p) => gov(
            p,
            "甲县人民政府",
            port,
            &[
                ("http://www.spam-partner.com:PORT/", "某某网"),
                ("http://www.clean-partner.org.cn:PORT/", "合作单位"),
                ("http://old-partner.com.cn:PORT/", "老伙伴"),
                ("http://moved-partner.cn:PORT/", "搬家网"),
                ("http://news.example.cn:PORT/a.html", "新闻网"),
                ("http://www.private-partner.com:PORT/", "闭门网"),
                ("http://files.example.com:PORT/spam.pdf", "文件"),
            ],
        ),
        ("www.b.gov.cn", p) => gov(p, "乙县人民政府", port, &[("http://www.spam-partner.com:PORT/", "某某网")]),
        ("www.spam-partner.com", "/") => html(SPAM.to_string()),
        ("www.clean-partner.org.cn", "/") => html(page("合作单位", "<p>欢迎访问合作单位网站。</p>")),
        ("old-partner.com.cn", "/") => redirect(&to("http://www.clean-new.cn:PORT/")),
        ("www.clean-new.cn", "/") => html(page("新网站", "<p>本单位网站已迁至新域名。</p>")),
        ("moved-partner.cn", "/") => redirect(&to("http://bet.casino-example.com:PORT/")),
        ("bet.casino-example.com", "/") => html(page("在线娱乐", "<p>百家乐 老虎机 体育投注</p>")),
        ("www.private-partner.com", "/") => html(SPAM.to_string()),
        ("files.example.com", "/spam.pdf") => ([("content-type", "application/pdf")], SPAM).into_response(),
        ("news.example.cn", "/a.html") => html(page(
            "市民政局开展福利彩票公益金使用检查",
            "<p>本次检查彩票公益金项目12个，并提醒市民远离非法六合彩。</p>",
        )),
        _ => (StatusCode::NOT_FOUND, "").into_response(),
    }
}

fn site(id: &str, host: &str, port: u16) -> Site {
    Site {
        id: id.into(),
        name: format!("{id}县人民政府"),
        url: Url::parse(&format!("http://{host}:{port}/")).unwrap(),
        region: vec!["测试省".into(), "测试市".into(), format!("{id}县")],
        level: Level::County,
        platform: None,
        rate: 200.0,
        max_pages: 50,
        max_depth: 3,
        max_link_checks: gongkai_config::DEFAULT_MAX_LINK_CHECKS,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spam_links_end_to_end_finding_on_the_linking_page_with_the_archived_target() {
    let log: Arc<Mutex<Vec<(String, String, String)>>> = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let l = log.clone();
    let app = Router::new().fallback(move |method: Method, headers: HeaderMap, uri: Uri| {
        let l = l.clone();
        async move {
            let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("").split(':').next().unwrap_or("");
            l.lock().unwrap().push((host.to_string(), method.to_string(), uri.path().to_string()));
            answer(host, uri.path(), port)
        }
    });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let mut opts = CrawlOptions::default();
    opts.add_resolves(&HOSTS.iter().map(|h| format!("{h}:{port}:127.0.0.1")).collect::<Vec<_>>()).unwrap();
    opts.only_resolved_hosts = true;
    opts.rate = Some(200.0);
    opts.retry_backoff = Duration::from_millis(20);
    opts.request_timeout = Duration::from_secs(5);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let sites = [site("a", "www.a.gov.cn", port), site("b", "www.b.gov.cn", port)];
    crawl(&sites, &store, &opts, &NoProgress).await.unwrap();

    // Read once per crawl: two sites link to the spam partner, its page is fetched with one GET.
    let gets = |host: &str| {
        log.lock().unwrap().iter().filter(|(h, m, p)| h == host && m == "GET" && p != "/robots.txt").count()
    };
    assert_eq!(gets("www.spam-partner.com"), 1, "{:?}", log.lock().unwrap());
    assert_eq!(gets("news.example.cn"), 1);
    assert_eq!(gets("www.private-partner.com"), 0, "robots.txt forbids it: not even checked");
    assert_eq!(gets("files.example.com"), 0, "not HTML: checked with HEAD, not read");

    let rubric = Rubric::default_rubric();
    let calendar = Calendar::default_cn();
    let as_of = chrono::Utc::now().fixed_offset();
    let cap = store.latest_capture("a").unwrap().unwrap();
    assert_eq!(
        cap.pages.iter().filter(|p| p.url.host_str() != Some("www.a.gov.cn")).count(),
        0,
        "not pages of the site"
    );
    let moved = cap.link_checks.iter().find(|c| c.target.host_str() == Some("moved-partner.cn")).unwrap();
    let mp = moved.page.as_ref().expect("the redirect target's page was read");
    assert_eq!(mp.url.host_str(), Some("bet.casino-example.com"));
    assert_eq!(
        (mp.domain.as_deref(), mp.target_domain.as_deref()),
        (Some("casino-example.com"), Some("moved-partner.cn"))
    );
    let check_of = |host: &str| cap.link_checks.iter().find(|c| c.target.host_str() == Some(host)).unwrap();
    assert_eq!(check_of("www.private-partner.com").outcome, gongkai_archive::LinkOutcome::RobotsDisallowed);
    assert!(check_of("www.private-partner.com").page.is_none() && check_of("files.example.com").page.is_none());
    let old = cap.link_checks.iter().find(|c| c.target.host_str() == Some("old-partner.com.cn")).unwrap();
    assert_eq!(old.page.as_ref().unwrap().domain.as_deref(), Some("clean-new.cn"), "public-suffix list: .cn");

    let r = gongkai_scoring::score_capture(&cap, &rubric, &calendar, as_of);
    let spam: Vec<_> = r.findings.iter().filter(|f| f.rule == "content.spam_links").collect();
    assert_eq!(spam.len(), 1, "{:#?}", r.findings);
    let f = spam[0];
    assert_eq!(f.occurrences, 2, "the spam partner and the redirect to a spam domain, nothing else: {}", f.message);
    assert_eq!(f.points, 4.0);
    assert!(
        f.message.contains(&format!(
            "首页的链接「某某网」（http://www.spam-partner.com:{port}/）指向的网站已变质，页面含博彩内容（百家乐、真人娱乐、首存送、澳门赌场、六合彩）"
        )),
        "{}",
        f.message
    );
    assert!(f.message.contains("「搬家网」") && f.message.contains("，现已跳转至casino-example.com"), "{}", f.message);
    for clean in ["合作单位", "老伙伴", "新闻网", "闭门网", "文件"] {
        assert!(!f.message.contains(clean), "{clean} is not spam: {}", f.message);
    }
    // Evidence: the linking page's record, then the target's archived page, which opens to the spam page.
    assert_eq!(f.evidence.len(), 4, "{:#?}", f.evidence);
    assert_eq!(f.evidence[0].url, format!("http://www.a.gov.cn:{port}/"));
    let home = cap.pages.iter().find(|p| p.url.path() == "/").unwrap();
    assert_eq!(f.evidence[0].warc.as_ref().unwrap().record_id, home.warc.record_id);
    assert_eq!(f.evidence[1].url, format!("http://www.spam-partner.com:{port}/"));
    let w = f.evidence[1].warc.as_ref().expect("the target's record");
    let loc = gongkai_archive::WarcRef { file: w.file.clone(), offset: w.offset, record_id: w.record_id.clone() };
    assert_eq!(store.resolve_payload(&loc).unwrap(), loc, "a response record, its own payload");
    let rec = store.read_record(&loc).unwrap();
    assert_eq!(rec.record_type(), Some("response"));
    assert_eq!(rec.target_uri(), Some(f.evidence[1].url.as_str()));
    assert_eq!(rec.http_response().unwrap().body, SPAM.as_bytes());
    assert_eq!(f.evidence[3].url, format!("http://bet.casino-example.com:{port}/"));

    // `gongkai serve` indexes the linked pages, so the 存档 link of the evidence opens the spam page.
    let snap = gongkai_archive::Snapshot {
        site_id: "a".into(),
        seq: cap.snapshot.seq,
        started_at: cap.snapshot.started_at,
        resumed: false,
    };
    let served: Vec<String> =
        store.linked_page_entries(&snap).unwrap().iter().map(|e| e.warc.record_id.clone()).collect();
    assert!(served.contains(&w.record_id), "{served:?}");

    // The other site links the same partner: its own finding, citing the same archived page.
    let cap_b = store.latest_capture("b").unwrap().unwrap();
    let rb = gongkai_scoring::score_capture(&cap_b, &rubric, &calendar, as_of);
    let fb = rb.findings.iter().find(|f| f.rule == "content.spam_links").expect("b links the spam partner too");
    assert_eq!(fb.occurrences, 1);
    assert_eq!(fb.evidence[1].warc, f.evidence[1].warc);

    // Rebuilt from the WARC files alone, the store still holds the pages and nothing is undescribed.
    drop(store);
    let sum = Store::rebuild_index(dir.path()).unwrap();
    assert!(sum.undescribed.is_empty(), "{:?}", sum.undescribed);
    let store = Store::open(dir.path()).unwrap();
    let again = gongkai_scoring::score_capture(&store.latest_capture("a").unwrap().unwrap(), &rubric, &calendar, as_of);
    let fa = again.findings.iter().find(|f| f.rule == "content.spam_links").unwrap();
    assert_eq!((fa.occurrences, &fa.message), (2, &f.message));
}
