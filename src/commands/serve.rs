//! `gongkai serve` (docs/commands.md, docs/replay.md): the store's archived pages replayed over HTTP, on loopback unless
//! told otherwise, so that every deduction can be checked against the page as the assessor's crawler saw it.
//!
//! URLs (stable: the reports link to them):
//! - `/record/<id>`: the fetch whose own WARC record (response or revisit) is `urn:uuid:<id>` — the record results.json
//!   cites as evidence;
//! - `/<timestamp>/<url>`: the capture of `url` closest to the timestamp (14 digits, or a prefix), as pywb's URL form;
//!   `/<timestamp>id_/<url>` answers the archived body alone (no banner, no rewriting);
//! - `/`: the sites and their latest home page.
//!
//! An answer carries the archived status and `Content-Type`, and the body with any Content-Encoding removed; a
//! revisit is answered with the payload it refers to (the store's reader follows it: `Store::load_page`). HTML pages
//! get a banner (site, 存档时间, the findings of results.json that cite the page) and their links rewritten into the
//! archive ([`rewrite`]). Crawled content is untrusted: banner text is escaped, and every answer carries a
//! Content-Security-Policy that lets a replayed page load nothing from outside the replay server (no leak to the live
//! site, no request to anyone else).

mod index;
pub(crate) mod rewrite;

use crate::cli::ServeArgs;
use anyhow::{Context, Result};
use axum::body::Body;
use axum::extract::{Path as UrlPath, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use gongkai_archive::Store;
use gongkai_scoring::Results;
use index::{parse_timestamp, Capture, ReplayIndex};
use rewrite::attr_escape;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// What a replayed page may load: only what the replay server has (inline script and style included, as the page
/// had them); nothing from the network.
const CSP: &str =
    "default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; form-action 'self'; frame-ancestors 'self'";

struct App {
    store: Store,
    index: ReplayIndex,
}

pub fn run(args: ServeArgs) -> Result<()> {
    if !args.store.join("warc").is_dir() {
        return Err(super::usage(format!("--store {}：不是 gongkai 存储库（没有 warc/ 目录）", args.store.display())));
    }
    let results = load_results(&args.store, args.results.as_deref())?;
    let ip: std::net::IpAddr =
        args.bind.parse().map_err(|_| super::usage(format!("--bind {:?}：不是 IP 地址（如 127.0.0.1）", args.bind)))?;
    if !ip.is_loopback() {
        eprintln!("gongkai serve：注意，监听 {ip} 会让网络上的其他计算机访问本存档");
    }
    let store = Store::open_for_reading(&args.store).with_context(|| format!("打开存储库 {}", args.store.display()))?;
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().context("启动异步运行时")?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(SocketAddr::new(ip, args.port))
            .await
            .with_context(|| format!("无法监听 {ip}:{}", args.port))?;
        let app = app(store, results.as_ref())?;
        let addr = listener.local_addr()?;
        eprintln!("gongkai serve：{} 条存档记录，按 Ctrl-C 停止", app.index.len());
        use std::io::Write;
        println!("http://{addr}/");
        std::io::stdout().flush()?;
        axum::serve(listener, router(app))
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await
            .context("回放服务出错")
    })
}

/// results.json given with `--results`, else the one beside the store (`run --out DIR` puts the store in DIR/store).
fn load_results(store: &Path, given: Option<&Path>) -> Result<Option<Results>> {
    let path: Option<PathBuf> = match given {
        Some(p) if !p.is_file() => return Err(super::usage(format!("--results {}：文件不存在", p.display()))),
        Some(p) => Some(p.to_path_buf()),
        None => [store.join("results.json"), store.parent().map(|p| p.join("results.json")).unwrap_or_default()]
            .into_iter()
            .find(|p| p.is_file()),
    };
    match path {
        Some(p) => {
            gongkai_reports::read_results(&p).map(Some).map_err(|e| super::usage(format!("{}: {e:#}", p.display())))
        }
        None => Ok(None),
    }
}

fn app(store: Store, results: Option<&Results>) -> Result<Arc<App>> {
    let index = ReplayIndex::build(&store, results)?;
    Ok(Arc::new(App { store, index }))
}

fn router(app: Arc<App>) -> Router {
    Router::new().route("/", get(home)).route("/record/{id}", get(record)).fallback(get(by_url)).with_state(app)
}

/// A replay server on an ephemeral loopback port, in a thread of its own, for as long as the handle lives (the
/// screenshot step uses it).
pub(crate) struct Background {
    pub addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Background {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

pub(crate) fn background(store: Store, results: Option<&Results>) -> Result<Background> {
    let app = app(store, results)?;
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").context("无法在 127.0.0.1 上监听")?;
    std_listener.set_nonblocking(true)?;
    let addr = std_listener.local_addr()?;
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let Ok(rt) = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() else { return };
        rt.block_on(async move {
            let Ok(listener) = tokio::net::TcpListener::from_std(std_listener) else { return };
            let _ = axum::serve(listener, router(app))
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
    });
    Ok(Background { addr, stop: Some(tx), thread: Some(thread) })
}

async fn home(State(app): State<Arc<App>>) -> Response {
    let mut rows = String::new();
    for c in app.index.home_pages() {
        rows.push_str(&format!(
            "<li><a href=\"/record/{}\">{}</a>（{}，存档于 {}）</li>\n",
            attr_escape(c.short_id()),
            attr_escape(app.index.site_name(&c.site_id)),
            attr_escape(c.entry.url.as_str()),
            attr_escape(&chinese_time(&c.entry.fetched_at)),
        ));
    }
    let body = format!(
        "<!doctype html><meta charset=utf-8><title>gongkai 网页存档</title><h1>gongkai 网页存档</h1>\
         <p>共 {} 条存档记录。各网站首页（最近一次存档）：</p><ul>{rows}</ul>",
        app.index.len()
    );
    html_response(StatusCode::OK, body)
}

async fn record(State(app): State<Arc<App>>, UrlPath(id): UrlPath<String>) -> Response {
    match app.index.by_record(&id) {
        Some(c) => replay(app.clone(), c, false).await,
        None => not_archived(&format!("存档记录 urn:uuid:{id}"), None),
    }
}

/// `/<timestamp>[id_]/<url>`; anything else is a path a rewritten page asked for relative to its host (`/css/a.css`),
/// which the Referer places in the archive.
async fn by_url(State(app): State<Arc<App>>, uri: Uri, headers: HeaderMap) -> Response {
    let path_and_query = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    if let Some((ts, raw, url)) = split_replay_path(path_and_query) {
        return match app.index.closest(&url, parse_timestamp(ts)) {
            Some(c) => replay(app.clone(), c, raw).await,
            None => not_archived(&url, Some(&url)),
        };
    }
    if let Some(target) = from_referer(&app, &headers, path_and_query) {
        return (StatusCode::FOUND, [(header::LOCATION, target)]).into_response();
    }
    not_archived(path_and_query, None)
}

/// `/20261202112354/http://x.gov.cn/a?b` → (`20261202112354`, false, `http://x.gov.cn/a?b`); `…id_/…` → raw.
fn split_replay_path(p: &str) -> Option<(&str, bool, String)> {
    let rest = p.strip_prefix('/')?;
    let (ts, url) = rest.split_once('/')?;
    let (ts, raw) = match ts.strip_suffix("id_") {
        Some(t) => (t, true),
        None => (ts, false),
    };
    if ts.is_empty() || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Some clients fold `http://` to `http:/`.
    let url = if let Some(r) = url.strip_prefix("http:/").filter(|r| !r.starts_with('/')) {
        format!("http://{r}")
    } else if let Some(r) = url.strip_prefix("https:/").filter(|r| !r.starts_with('/')) {
        format!("https://{r}")
    } else {
        url.to_string()
    };
    url::Url::parse(&url).ok().filter(|u| matches!(u.scheme(), "http" | "https"))?;
    Some((ts, raw, url))
}

/// A host-relative request from a replayed page: the page's archived URL (from the Referer) gives the host.
fn from_referer(app: &App, headers: &HeaderMap, path_and_query: &str) -> Option<String> {
    let referer = url::Url::parse(headers.get(header::REFERER)?.to_str().ok()?).ok()?;
    let rp = &referer[url::Position::BeforePath..];
    let (ts, page) = match split_replay_path(rp) {
        Some((ts, _, u)) => (ts.to_string(), url::Url::parse(&u).ok()?),
        None => {
            let id = rp.strip_prefix("/record/")?;
            let c = app.index.by_record(id.split(['?', '#']).next()?)?;
            (c.timestamp(), c.entry.url.clone())
        }
    };
    let target = page.join(path_and_query).ok()?;
    Some(format!("/{ts}/{target}"))
}

async fn replay(app: Arc<App>, c: &Capture, raw: bool) -> Response {
    let entry = c.entry.clone();
    let app2 = app.clone();
    let page = match tokio::task::spawn_blocking(move || app2.store.load_page(&entry)).await {
        Ok(Ok(p)) => p,
        Ok(Err(e)) => {
            return text_response(StatusCode::INTERNAL_SERVER_ERROR, format!("存档记录无法读取：{e:#}"));
        }
        Err(e) => return text_response(StatusCode::INTERNAL_SERVER_ERROR, format!("存档记录无法读取：{e}")),
    };
    let status = StatusCode::from_u16(page.status).unwrap_or(StatusCode::BAD_GATEWAY);
    let ts = c.timestamp();
    let content_type = page.header("Content-Type").map(str::to_string);
    let is_html = content_type.as_deref().map(|ct| ct.to_ascii_lowercase().contains("html")).unwrap_or(false);
    let is_css = content_type.as_deref().map(|ct| ct.to_ascii_lowercase().contains("text/css")).unwrap_or(false);

    let mut h = HeaderMap::new();
    h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    if let Ok(v) = HeaderValue::from_str(&c.entry.warc.record_id) {
        h.insert("X-Archive-Record", v);
    }
    if let Ok(v) = HeaderValue::from_str(&c.entry.fetched_at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()) {
        h.insert("Memento-Datetime", v);
    }
    if let Some(loc) = page.header("Location") {
        let target = if raw {
            c.entry.url.join(loc).ok().map(|u| format!("/{ts}id_/{u}"))
        } else {
            rewrite::archive_url(loc, &c.entry.url, &ts)
        };
        if let Some(v) = target.and_then(|t| HeaderValue::from_str(&t).ok()) {
            h.insert(header::LOCATION, v);
        }
    }
    let body: Vec<u8> = if raw || !(is_html || is_css) {
        if let Some(v) = content_type.as_deref().and_then(|ct| HeaderValue::from_str(ct).ok()) {
            h.insert(header::CONTENT_TYPE, v);
        }
        page.body
    } else if is_css {
        let (text, _) = gongkai_archive::decode_html(&page.body, content_type.as_deref());
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8"));
        rewrite::rewrite_css(&text, &c.entry.url, &ts).into_bytes()
    } else {
        let (text, _) = gongkai_archive::decode_html(&page.body, content_type.as_deref());
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        rewrite::rewrite_html(&text, &c.entry.url, &ts, &banner(&app.index, c)).into_bytes()
    };
    (status, h, Body::from(body)).into_response()
}

/// The banner at the top of a replayed HTML page: every value escaped (site names, URLs and findings quote crawled
/// text). Inline styles only, reset with `all: initial`, so the page's style sheets neither hide nor restyle it.
fn banner(index: &ReplayIndex, c: &Capture) -> String {
    let cited = index.cited(c);
    let findings = if cited.is_empty() {
        "<div style=\"all:initial;display:block;font:inherit;color:#555\">本页未被本次检查结果引用。</div>".to_string()
    } else {
        let items: String = cited
            .iter()
            .map(|f| {
                let observed =
                    if f.observed.is_empty() { String::new() } else { format!("（{}）", attr_escape(&f.observed)) };
                format!(
                    "<li style=\"all:initial;display:list-item;font:inherit;color:inherit;margin-left:1.5em\">\
                     <b style=\"all:initial;font:inherit;font-weight:bold;color:{}\">[{}]</b> {}：{}{}</li>",
                    if f.kind == "否决" { "#b71c1c" } else { "#333" },
                    f.kind,
                    attr_escape(&f.title),
                    attr_escape(&f.message),
                    observed
                )
            })
            .collect();
        format!(
            "<div style=\"all:initial;display:block;font:inherit;color:inherit\">引用本页的检查结果（{}项）：</div>\
             <ul style=\"all:initial;display:block;font:inherit;color:inherit;margin:0;padding:0\">{items}</ul>",
            cited.len()
        )
    };
    format!(
        "<div id=\"gongkai-replay-banner\" style=\"all:initial;display:block;position:relative;z-index:2147483647;\
         box-sizing:border-box;width:100%;background:#fff8e1;border-bottom:3px solid #c62828;color:#222;\
         font:14px/1.6 'Noto Sans CJK SC','Microsoft YaHei',sans-serif;padding:8px 14px;text-align:left\">\
         <div style=\"all:initial;display:block;font:inherit;font-weight:bold;font-size:16px;color:#b71c1c\">\
         gongkai 网页存档 · {site}</div>\
         <div style=\"all:initial;display:block;font:inherit;color:inherit\">存档时间：{time}　原网址：{url}　\
         记录：{record}</div>{findings}</div>",
        site = attr_escape(index.site_name(&c.site_id)),
        time = attr_escape(&chinese_time(&c.entry.fetched_at)),
        url = attr_escape(c.entry.url.as_str()),
        record = attr_escape(&c.entry.warc.record_id),
    )
}

/// `2026年12月2日 19:23:54（北京时间）`.
fn chinese_time(t: &chrono::DateTime<chrono::Utc>) -> String {
    let bj = t.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).expect("valid offset"));
    format!("{}（北京时间）", bj.format("%Y年%-m月%-d日 %H:%M:%S"))
}

fn not_archived(what: &str, live: Option<&str>) -> Response {
    let live = live
        .and_then(|u| url::Url::parse(u).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .map(|u| format!("<p>原网页（现在的网站，可能已变化）：{}</p>", attr_escape(u.as_str())))
        .unwrap_or_default();
    html_response(
        StatusCode::NOT_FOUND,
        format!(
            "<!doctype html><meta charset=utf-8><title>未存档</title><h1>此网页未存档</h1><p>{}</p>{live}\
             <p><a href=\"/\">存档首页</a></p>",
            attr_escape(what)
        ),
    )
}

fn html_response(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8")),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
            ),
        ],
        body,
    )
        .into_response()
}

fn text_response(status: StatusCode, body: String) -> Response {
    (status, [(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"))], body).into_response()
}

#[cfg(test)]
mod tests {
    use super::split_replay_path;
    use clap::Parser;

    #[test]
    fn the_default_port_is_the_reports_default_replay_base() {
        let cli = crate::cli::Cli::try_parse_from(["gongkai", "serve", "--store", "s"]).unwrap();
        let crate::cli::Command::Serve(args) = cli.command else { panic!("not serve") };
        let base = url::Url::parse(gongkai_reports::DEFAULT_REPLAY_BASE).unwrap();
        assert_eq!(Some(args.port), base.port());
        assert_eq!(args.bind, base.host_str().unwrap());
    }

    #[test]
    fn replay_paths_split_into_time_and_url() {
        assert_eq!(
            split_replay_path("/20261202112354/http://x.gov.cn/a?b=1"),
            Some(("20261202112354", false, "http://x.gov.cn/a?b=1".to_string()))
        );
        assert_eq!(split_replay_path("/2026id_/http:/x.gov.cn/"), Some(("2026", true, "http://x.gov.cn/".to_string())));
        for bad in ["/", "/css/a.css", "/record/abc", "/x2026/http://x.gov.cn/", "/2026/javascript:alert(1)"] {
            assert_eq!(split_replay_path(bad), None, "{bad}");
        }
    }
}
