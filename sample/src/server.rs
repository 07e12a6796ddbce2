//! The loopback server: one listener on 127.0.0.1 answering for every host of the province by `Host` header, and one
//! on [::1] on the same port (the IPv6 check, docs/rules.md `ipv6`): `resolve_args` maps each host to both addresses,
//! except the hosts of sites without AAAA. Over IPv6 the flaky home page is not flaky (its counter is the IPv4
//! server's) and a `HomeDiffers` site answers its home page with another page.
//!
//! Both listeners speak plain HTTP and HTTPS on the one port ([`SniffListener`]): the https hosts
//! (`gen::HTTPS_HOSTS`) present a self-signed certificate made at start.
//!
//! It runs on its own thread with its own tokio runtime, so it can be started from synchronous code and from inside
//! another runtime alike. Every request is logged (time since start, host, method, path+query, User-Agent, status)
//! so tests can check politeness (rate per host, robots.txt obeyed, traps bounded).

use crate::tls::{ConnMeta, SniffListener};
use crate::{GroundTruth, Province, SiteSource};
use anyhow::{Context, Result};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::Router;
use flate2::write::GzEncoder;
use flate2::Compression;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::future::IntoFuture;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One request the server answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestLogEntry {
    /// Time since the server started (millisecond precision or better) when the request arrived; for the first
    /// request of a TLS connection, when the client connected (`tls::ConnMeta::request_started`).
    pub at: Duration,
    /// Host header without the port, lower case.
    pub host: String,
    pub method: String,
    /// Path and query as requested.
    pub path: String,
    pub user_agent: Option<String>,
    pub status: u16,
    /// Answered on the [::1] listener.
    #[serde(default)]
    pub ipv6: bool,
}

/// What the server can serve: a site source with its host list, sites.toml and ground truth (the default
/// `Province` and the CMS-family `FamilyProvince` both are).
pub trait Servable: SiteSource + Send + Sync + 'static {
    /// Every host answered (sites, platforms, stub services).
    fn served_hosts(&self) -> Vec<String>;
    /// sites.toml with `port` in every URL.
    fn served_sites_toml(&self, port: u16) -> String;
    /// Ground truth with `port` in every URL.
    fn served_truth(&self, port: Option<u16>) -> GroundTruth;
    /// Hosts without AAAA: `resolve_args` maps them to 127.0.0.1 only.
    fn hosts_without_aaaa(&self) -> Vec<String> {
        Vec::new()
    }
}

impl Servable for Province {
    fn served_hosts(&self) -> Vec<String> {
        self.hosts()
    }
    fn served_sites_toml(&self, port: u16) -> String {
        self.sites_toml(port)
    }
    fn served_truth(&self, port: Option<u16>) -> GroundTruth {
        self.ground_truth(port)
    }
    fn hosts_without_aaaa(&self) -> Vec<String> {
        self.crafted_sites().iter().filter(|s| s.ipv6 == crate::Ipv6Service::NoAaaa).map(|s| s.host.clone()).collect()
    }
}

impl Servable for crate::families::FamilyProvince {
    fn served_hosts(&self) -> Vec<String> {
        self.hosts()
    }
    fn served_sites_toml(&self, port: u16) -> String {
        self.sites_toml(port)
    }
    fn served_truth(&self, port: Option<u16>) -> GroundTruth {
        self.ground_truth_with_port(port)
    }
}

struct Shared {
    /// Set when serving the default province (flaky and gzip sites live there).
    province: Option<Arc<Province>>,
    source: Arc<dyn Servable>,
    started: Instant,
    log: Mutex<Vec<RequestLogEntry>>,
    /// Home-page request counters of flaky hosts.
    flaky: Mutex<HashMap<String, u64>>,
}

pub struct SampleServer {
    addr: SocketAddr,
    /// The [::1] listener is up (false on a machine without IPv6 loopback: then no host has AAAA).
    ipv6: bool,
    shared: Arc<Shared>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SampleServer {
    /// Serve the province on 127.0.0.1 on a free port.
    pub fn start(province: Arc<Province>) -> Result<SampleServer> {
        Self::start_on(province, 0)
    }

    /// Serve the province on 127.0.0.1:`port` (0 = any free port).
    pub fn start_on(province: Arc<Province>, port: u16) -> Result<SampleServer> {
        let source: Arc<dyn Servable> = province.clone();
        Self::start_inner(Some(province), source, port)
    }

    /// Serve any `Servable` source (e.g. the CMS-family province) on 127.0.0.1 on a free port.
    pub fn start_source(source: Arc<dyn Servable>) -> Result<SampleServer> {
        Self::start_inner(None, source, 0)
    }

    /// Serve any `Servable` source on 127.0.0.1:`port` (0 = any free port).
    pub fn start_source_on(source: Arc<dyn Servable>, port: u16) -> Result<SampleServer> {
        Self::start_inner(None, source, port)
    }

    fn start_inner(province: Option<Arc<Province>>, source: Arc<dyn Servable>, port: u16) -> Result<SampleServer> {
        let std_listener =
            std::net::TcpListener::bind(("127.0.0.1", port)).context("示例网站服务无法监听 127.0.0.1")?;
        std_listener.set_nonblocking(true)?;
        let addr = std_listener.local_addr()?;
        let v6_listener = match std::net::TcpListener::bind(("::1", addr.port())) {
            Ok(l) => {
                l.set_nonblocking(true)?;
                Some(l)
            }
            Err(e) => {
                eprintln!("sample server: no IPv6 listener on [::1]:{} ({e}); no host has AAAA", addr.port());
                None
            }
        };
        let ipv6 = v6_listener.is_some();
        // The https hosts' certificate: self-signed, valid from a month ago for a year (trusted by nobody).
        let now = chrono::Utc::now();
        let cert = crate::tls::ServerCert::self_signed(
            &crate::gen::HTTPS_HOSTS,
            now - chrono::Duration::days(30),
            now + chrono::Duration::days(365),
        )?;
        let tls = crate::tls::server_config(&cert)?;
        let shared = Arc::new(Shared {
            province,
            source,
            started: Instant::now(),
            log: Mutex::new(vec![]),
            flaky: Mutex::new(HashMap::new()),
        });
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<()>>();
        let sh = shared.clone();
        let thread = std::thread::Builder::new().name("gongkai-sample-server".into()).spawn(move || {
            let rt = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = ready_tx.send(Err(e.into()));
                    return;
                }
            };
            rt.block_on(async move {
                let listener = match tokio::net::TcpListener::from_std(std_listener)
                    .and_then(|l| SniffListener::new(l, tls.clone()))
                {
                    Ok(l) => l,
                    Err(e) => {
                        let _ = ready_tx.send(Err(e.into()));
                        return;
                    }
                };
                let app = Router::new().fallback(handle).with_state(sh);
                let (grace6_tx, grace6_rx) = tokio::sync::oneshot::channel::<()>();
                let serving6 = match v6_listener
                    .map(|l| tokio::net::TcpListener::from_std(l).and_then(|l| SniffListener::new(l, tls.clone())))
                {
                    Some(Ok(l)) => Some(tokio::spawn(
                        axum::serve(
                            l,
                            app.clone()
                                .layer(axum::Extension(Via { ipv6: true }))
                                .into_make_service_with_connect_info::<ConnMeta>(),
                        )
                        .with_graceful_shutdown(async move {
                            let _ = grace6_rx.await;
                        })
                        .into_future(),
                    )),
                    Some(Err(e)) => {
                        let _ = ready_tx.send(Err(e.into()));
                        return;
                    }
                    None => None,
                };
                let app = app.layer(axum::Extension(Via { ipv6: false }));
                let _ = ready_tx.send(Ok(()));
                let (grace_tx, grace_rx) = tokio::sync::oneshot::channel::<()>();
                let serving = tokio::spawn(
                    axum::serve(listener, app.into_make_service_with_connect_info::<ConnMeta>())
                        .with_graceful_shutdown(async move {
                            let _ = grace_rx.await;
                        })
                        .into_future(),
                );
                // Stop on request (or when the handle is gone); give open connections two seconds, then drop them.
                let _ = stop_rx.await;
                let _ = grace_tx.send(());
                let _ = grace6_tx.send(());
                let _ = tokio::time::timeout(Duration::from_secs(2), serving).await;
                if let Some(s6) = serving6 {
                    let _ = tokio::time::timeout(Duration::from_secs(2), s6).await;
                }
            });
        })?;
        ready_rx.recv().context("示例网站服务线程意外退出")??;
        Ok(SampleServer { addr, ipv6, shared, stop: Some(stop_tx), thread: Some(thread) })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    pub fn port(&self) -> u16 {
        self.addr.port()
    }
    /// The default province served. Panics for a server started with `start_source` (use `source`).
    pub fn province(&self) -> &Arc<Province> {
        self.shared.province.as_ref().expect("this sample server serves a source other than the default province")
    }

    /// The source served.
    pub fn source(&self) -> &Arc<dyn Servable> {
        &self.shared.source
    }

    /// Whether the [::1] listener is up.
    pub fn ipv6(&self) -> bool {
        self.ipv6
    }

    /// `host:port:127.0.0.1` for every host the server answers for (curl-style `--resolve`), and `host:port:[::1]`
    /// for every one with AAAA when the [::1] listener is up.
    pub fn resolve_args(&self) -> Vec<String> {
        let no_aaaa = self.shared.source.hosts_without_aaaa();
        let mut v: Vec<String> = Vec::new();
        for h in self.shared.source.served_hosts() {
            v.push(format!("{h}:{}:127.0.0.1", self.port()));
            if self.ipv6 && !no_aaaa.contains(&h) {
                v.push(format!("{h}:{}:[::1]", self.port()));
            }
        }
        // The deliberately dead link (`UNREACHABLE_URL`, 127.0.0.1:1): the crawler contacts no loopback address it was
        // not given, so the sample maps it explicitly for its broken-link case.
        v.push("127.0.0.1:1:127.0.0.1".to_string());
        v
    }

    /// sites.toml for the province with this server's port in every URL.
    pub fn sites_toml(&self) -> String {
        self.shared.source.served_sites_toml(self.port())
    }

    /// Ground truth with this server's port in every URL.
    pub fn ground_truth(&self) -> crate::GroundTruth {
        self.shared.source.served_truth(Some(self.port()))
    }

    pub fn write_ground_truth(&self, path: &std::path::Path) -> Result<()> {
        match &self.shared.province {
            Some(p) => p.write_ground_truth(path, Some(self.port())),
            None => Ok(std::fs::write(path, serde_json::to_vec_pretty(&self.ground_truth())?)?),
        }
    }

    /// Write `sites.toml`, `ground-truth.json` and `resolve.txt` (one `--resolve` value a line) into `dir`.
    pub fn write_fixture(&self, dir: &std::path::Path) -> Result<()> {
        match &self.shared.province {
            Some(p) => {
                p.write_fixture(dir, self.port())?;
                // resolve.txt as `resolve_args` gives it (it may map more than the province's hosts).
                std::fs::write(dir.join("resolve.txt"), self.resolve_args().join("\n") + "\n")?;
                Ok(())
            }
            None => {
                std::fs::create_dir_all(dir)?;
                std::fs::write(dir.join("sites.toml"), self.sites_toml())?;
                self.write_ground_truth(&dir.join("ground-truth.json"))?;
                std::fs::write(dir.join("resolve.txt"), self.resolve_args().join("\n") + "\n")?;
                Ok(())
            }
        }
    }

    /// Every request answered so far, in order.
    pub fn request_log(&self) -> Vec<RequestLogEntry> {
        self.shared.log.lock().unwrap().clone()
    }

    /// Stop serving and wait for the server thread.
    pub fn shutdown(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for SampleServer {
    fn drop(&mut self) {
        self.stop_now();
    }
}

/// Which listener a request came in on.
#[derive(Clone, Copy)]
struct Via {
    ipv6: bool,
}

/// The page an unconfigured IPv6 virtual host shows instead of the site's home page (`Ipv6Service::HomeDiffers`).
const V6_DEFAULT_PAGE: &str =
    "<html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1></body></html>";

async fn handle(
    State(sh): State<Arc<Shared>>,
    axum::Extension(via): axum::Extension<Via>,
    axum::extract::ConnectInfo(conn): axum::extract::ConnectInfo<ConnMeta>,
    req: Request,
) -> Response {
    // When the request came in, before any work on it: politeness checks read these times. The first request of a
    // TLS connection started when the client connected, before the handshake (`ConnMeta::request_started`).
    let at = conn.request_started(Instant::now()).saturating_duration_since(sh.started);
    let host_header = req
        .headers()
        .get(http::header::HOST)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()))
        .unwrap_or_default();
    let bare = host_header.rsplit_once(':').map(|(h, _)| h).unwrap_or(&host_header).to_ascii_lowercase();
    let path = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
    let ua = req.headers().get(http::header::USER_AGENT).and_then(|v| v.to_str().ok()).map(str::to_string);
    let accepts_gzip = req
        .headers()
        .get(http::header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("gzip"));
    let if_none_match =
        req.headers().get(http::header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(str::to_string);
    let method = req.method().clone();
    let site = sh.province.as_ref().and_then(|p| p.crafted_sites().iter().find(|s| s.host == bare));

    let mut resp = if method != http::Method::GET && method != http::Method::HEAD {
        let mut r = crate::SampleResponse::html(405, "<html><body>405</body></html>".into());
        r.headers.push(("Allow".into(), "GET, HEAD".into()));
        Some(r)
    } else {
        sh.source.render(&host_header, &path)
    };
    // The flaky home page: every third request of it answers 503.
    if let (Some(s), Some(r)) = (site, resp.as_mut()) {
        let p = path.split('?').next().unwrap_or("/");
        if via.ipv6 && s.ipv6 == crate::Ipv6Service::HomeDiffers && (p == "/" || p.is_empty()) {
            *r = crate::SampleResponse::html(200, V6_DEFAULT_PAGE.into());
        } else if s.flaky_home && !via.ipv6 && (p == "/" || p.is_empty()) {
            let mut f = sh.flaky.lock().unwrap();
            let n = f.entry(bare.clone()).or_insert(0);
            *n += 1;
            if *n % 3 == 0 {
                *r = crate::SampleResponse::html(
                    503,
                    "<html><body><h1>503 Service Unavailable</h1></body></html>".into(),
                );
                r.headers.push(("Retry-After".into(), "1".into()));
            }
        }
    }
    let mut resp =
        resp.unwrap_or_else(|| crate::SampleResponse::html(404, "<html><body>unknown host</body></html>".into()));
    // Like most CMS front ends, a page carries an ETag (from its content) and a matching If-None-Match gets a 304:
    // what lets a monthly re-crawl fetch only what changed.
    if resp.status == 200 {
        let etag = etag_of(&resp.body);
        if if_none_match.is_some_and(|v| v.split(',').any(|t| t.trim() == etag)) {
            resp = crate::SampleResponse { status: 304, headers: Vec::new(), body: Vec::new() };
        }
        resp.headers.push(("ETag".into(), etag));
    }
    let status = resp.status;
    let gzip = site.is_some_and(|s| s.gzip) && accepts_gzip && status != 304;
    sh.log.lock().unwrap().push(RequestLogEntry {
        at,
        host: bare,
        method: method.to_string(),
        path,
        user_agent: ua,
        status,
        ipv6: via.ipv6,
    });
    let mut builder = Response::builder().status(status);
    for (k, v) in &resp.headers {
        builder = builder.header(k.as_str(), v.as_str());
    }
    let body = if gzip {
        let mut enc = GzEncoder::new(Vec::new(), Compression::fast());
        let _ = enc.write_all(&resp.body);
        builder = builder.header("Content-Encoding", "gzip").header("Vary", "Accept-Encoding");
        enc.finish().unwrap_or_default()
    } else {
        resp.body
    };
    let body = if method == http::Method::HEAD { Vec::new() } else { body };
    builder.body(Body::from(body)).unwrap_or_else(|_| Response::new(Body::empty()))
}

/// A weak validator from the page's bytes (FNV-1a): the same page gives the same tag in every run.
fn etag_of(body: &[u8]) -> String {
    let h = body.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    format!("W/\"{h:016x}\"")
}

/// For each host, the most requests the log shows inside any window of length `window` (e.g. one second): what a
/// politeness test compares with the crawler's per-host rate.
pub fn max_requests_in_window(log: &[RequestLogEntry], window: Duration) -> std::collections::BTreeMap<String, usize> {
    let mut by_host: HashMap<&str, Vec<Duration>> = HashMap::new();
    for e in log {
        by_host.entry(e.host.as_str()).or_default().push(e.at);
    }
    by_host
        .into_iter()
        .map(|(h, mut times)| {
            times.sort();
            let mut best = 0;
            let mut start = 0;
            for end in 0..times.len() {
                while times[end] - times[start] >= window {
                    start += 1;
                }
                best = best.max(end - start + 1);
            }
            (h.to_string(), best)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(host: &str, ms: u64) -> RequestLogEntry {
        RequestLogEntry {
            at: Duration::from_millis(ms),
            host: host.into(),
            method: "GET".into(),
            path: "/".into(),
            user_agent: None,
            status: 200,
            ipv6: false,
        }
    }

    #[test]
    fn window_counts_are_per_host_and_sliding() {
        let log = vec![
            entry("a", 0),
            entry("a", 400),
            entry("b", 450),
            entry("a", 999),
            entry("a", 1000),
            entry("a", 1500),
            entry("a", 2600),
        ];
        let m = max_requests_in_window(&log, Duration::from_secs(1));
        // a: {0, 400, 999}, {400, 999, 1000} and {999, 1000, 1500} each fit in one second; no four do.
        assert_eq!(m["a"], 3);
        assert_eq!(m["b"], 1);
    }
}
