//! The HTTP side: one client for the whole crawl, every request paced per host, retried with back-off, capped in size.
//!
//! reqwest's automatic decompression is off (the workspace builds it without the gzip feature); we send
//! `Accept-Encoding: gzip, deflate` ourselves and keep the bytes exactly as the server sent them, because those are what
//! the WARC file must hold. Redirects are not followed by the client: each hop is a request of its own, paced,
//! robots-checked and archived by the caller.
//!
//! Bodies are bounded while they arrive: at most `max_body_bytes` are kept as sent, and Content-Encoding is removed
//! chunk by chunk (the archive's [`gongkai_archive::ContentDecoder`]) into at most `max_decoded_bytes`; past either cap reading stops and the
//! exchange is marked truncated (archived with `WARC-Truncated: length`). A gzip bomb costs its cap, not its size.
//!
//! Certificates: the client verifies them and records what it saw ([`crate::tls`]); a configured site's host whose
//! certificate does not verify is then fetched through a second client that does not verify (recorded, reported).
//!
//! Addresses are checked before every request ([`crate::netpolicy`]), and a host's `Retry-After` pauses every request
//! to it ([`crate::pacer::HostPacer::pause_until`]).

use crate::netpolicy::{AddressPolicy, AddressRefused, PolicyResolver};
use crate::options::CrawlOptions;
use crate::pacer::{HostPacer, Turn};
use crate::urls::authority;
use bytes::{Bytes, BytesMut};
use chrono::{DateTime, Utc};
use gongkai_archive::ContentDecoder;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use url::Url;

/// One request and its complete response, as exchanged on the wire.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub url: Url,
    /// `GET` or `HEAD`.
    pub method: &'static str,
    /// The request headers we sent (including `Host`), in order.
    pub request_headers: Vec<(String, String)>,
    /// When the (last) attempt was sent.
    pub started_at: DateTime<Utc>,
    /// Time from sending to the last body byte.
    pub elapsed: Duration,
    pub status: u16,
    /// `HTTP/1.1`, `HTTP/1.0`, `HTTP/2.0`.
    pub http_version: &'static str,
    /// Response headers in order, names as received (lower-case with our HTTP stack).
    pub headers: Vec<(String, String)>,
    /// The body exactly as sent (Content-Encoding not removed).
    pub body: Bytes,
    pub remote_ip: Option<IpAddr>,
    /// Tries it took (1 = first time).
    pub attempts: u32,
    /// Why the body is incomplete (`length`: over the crawler's cap, the rest not read), as `WARC-Truncated` says it.
    pub truncated: Option<String>,
    /// The body with Content-Encoding removed while reading (at most `max_decoded_bytes`), when it was encoded with
    /// gzip or deflate; None for an unencoded body (then `body` is the content) or an unknown encoding.
    pub decoded: Option<Bytes>,
}

impl Exchange {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The redirect target, for a 3xx with a usable Location.
    pub fn redirect_target(&self) -> Option<Url> {
        crate::urls::redirect_target(self.status, &self.url, self.header("location"))
    }

    /// The answer asks us to come back later: 429, or 503 with Retry-After. Such an answer says nothing about the
    /// link (docs/rules.md counts it neither way): the reason to record it as not checked.
    pub fn rate_limited(&self) -> Option<String> {
        rate_limited_reason(self.status, self.header("retry-after"))
    }
}

/// A request that produced no usable HTTP response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("timeout")]
    Timeout,
    #[error("connect: {0}")]
    Connect(String),
    /// The host is outside the `--resolve` map while only resolved hosts may be contacted.
    #[error("not contacted: host outside the --resolve map")]
    NotContacted,
    /// The address is not one the crawler may contact (private, loopback, …; see [`crate::netpolicy`]).
    #[error("{0}")]
    Refused(String),
    /// The host asked to be left alone for longer than the crawl's Retry-After cap: not contacted again.
    #[error("{0}")]
    Paused(String),
    /// The server's certificate does not verify (expired, wrong name, untrusted chain, …; see [`crate::tls`]).
    #[error("certificate: {0}")]
    Certificate(crate::tls::CertProblem),
    #[error("http: {0}")]
    Other(String),
}

impl FetchError {
    fn retryable(&self) -> bool {
        matches!(self, FetchError::Timeout | FetchError::Connect(_) | FetchError::Other(_))
    }

    /// For errors that are the crawler's own choice (an address out of scope, a host that asked for a pause), the
    /// reason a link is recorded as not checked; None for real failures of the site.
    pub fn not_checked_reason(&self) -> Option<String> {
        match self {
            FetchError::Refused(r) | FetchError::Paused(r) => Some(r.clone()),
            _ => None,
        }
    }
}

/// The crawl's HTTP client.
pub struct Fetcher {
    client: reqwest::Client,
    /// The same client without certificate verification, for the site hosts whose certificate failed
    /// ([`crate::tls`]: fetched as a user clicking through the browser's warning would, and recorded).
    insecure: reqwest::Client,
    /// The crawl's certificate ledger and TLS configurations, shared by every fetcher of the crawl.
    pub(crate) tls: Arc<crate::tls::TlsClients>,
    pub(crate) pacer: Arc<HostPacer>,
    pub(crate) opts: Arc<CrawlOptions>,
    pub(crate) policy: Arc<AddressPolicy>,
    /// Places for requests in flight ([`CrawlOptions::max_in_flight`]), see [`Fetcher::slot`].
    in_flight: tokio::sync::Semaphore,
}

impl Fetcher {
    /// The client resolves names through [`PolicyResolver`]: `--resolve` entries first, then DNS, filtered.
    pub fn new(opts: Arc<CrawlOptions>, pacer: Arc<HostPacer>) -> anyhow::Result<Self> {
        let policy = Arc::new(AddressPolicy::new(opts.resolve_map().into_iter().collect()));
        let tls = Arc::new(crate::tls::TlsClients::new(&opts.extra_roots)?);
        let (client, insecure) =
            tls.clients(|| client_builder(&opts).dns_resolver(Arc::new(PolicyResolver(policy.clone()))))?;
        let in_flight = tokio::sync::Semaphore::new(opts.max_in_flight.max(1));
        Ok(Fetcher { client, insecure, tls, pacer, opts, policy, in_flight })
    }

    /// A fetcher sharing this one's options, pacer (its requests count against each host's rate like all others) and
    /// address rules, whose connections go only to the addresses `resolver` gives: the IPv6 check's
    /// ([`crate::ipv6`]). Its requests are few and one at a time per site, so they have places in flight of their own.
    pub(crate) fn with_resolver<R: reqwest::dns::Resolve + 'static>(
        &self,
        resolver: Arc<R>,
    ) -> anyhow::Result<Fetcher> {
        let (client, insecure) = self.tls.clients(|| client_builder(&self.opts).dns_resolver(resolver.clone()))?;
        let in_flight = tokio::sync::Semaphore::new(self.opts.max_in_flight.max(1));
        Ok(Fetcher {
            client,
            insecure,
            tls: self.tls.clone(),
            pacer: self.pacer.clone(),
            opts: self.opts.clone(),
            policy: self.policy.clone(),
            in_flight,
        })
    }

    /// Allows a configured site's host whatever its address (a site under assessment may well be on an intranet
    /// address in a staging setup; the operator named it).
    pub fn trust_host(&self, host: &str) {
        self.policy.trust_host(host);
        self.tls.ledger.add_own_host(host);
    }

    /// The address rules in force.
    pub fn policy(&self) -> &AddressPolicy {
        &self.policy
    }

    /// A 429 or 503 with Retry-After: pause the host for the time asked, or give it up when that is over the cap.
    /// Returns the pause when the host was paused.
    fn honour_retry_after(&self, auth: &str, ex: &Exchange) -> Option<Duration> {
        if ex.status != 429 && ex.status != 503 {
            return None;
        }
        let ra = ex.header("retry-after").and_then(parse_retry_after)?;
        let cap = self.opts.retry_after_cap;
        if ra > cap {
            let reason = format!("站点要求暂停访问（Retry-After {} 秒，超过上限 {} 秒）", ra.as_secs(), cap.as_secs());
            tracing::warn!(host = %auth, retry_after_secs = ra.as_secs(), cap_secs = cap.as_secs(),
                "主机要求的暂停时间超过 --retry-after-cap：该主机其余网址不再抓取");
            self.pacer.suspend(auth, reason);
            return None;
        }
        tracing::info!(host = %auth, retry_after_ms = ra.as_millis() as u64, "host paused by Retry-After");
        self.pacer.pause_until(auth, Instant::now() + ra);
        Some(ra)
    }

    pub fn options(&self) -> &CrawlOptions {
        &self.opts
    }

    /// One paced request, with the crawl's retry policy: timeouts, connection failures, 5xx and 429 are tried again
    /// after a back-off. A 429/503 `Retry-After` pauses the whole host for that long (up to `retry_after_cap`; past it
    /// the host is given up and later requests to it are `Err(Paused)`). The last answer is returned, even an error
    /// status; only "no answer at all" is an `Err`.
    pub async fn fetch(
        &self,
        method: &'static str,
        url: &Url,
        rate: f64,
        retries: u32,
    ) -> Result<Exchange, FetchError> {
        self.fetch_with(method, url, rate, retries, &[]).await
    }

    /// [`fetch`](Self::fetch) with extra request headers (the validators of a conditional re-crawl:
    /// `If-None-Match`, `If-Modified-Since`); they are sent and archived with the request.
    pub async fn fetch_with(
        &self,
        method: &'static str,
        url: &Url,
        rate: f64,
        retries: u32,
        extra_headers: &[(String, String)],
    ) -> Result<Exchange, FetchError> {
        let host = url.host_str().unwrap_or("");
        let port = url.port_or_known_default().unwrap_or(0);
        if !self.opts.may_contact(host, port) {
            return Err(FetchError::NotContacted);
        }
        let auth = authority(url);
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            if let Some(reason) = self.pacer.suspended(&auth) {
                return Err(FetchError::Paused(reason));
            }
            let (place, mut turn) = self.slot(&auth, rate).await;
            if let Some(reason) = self.pacer.suspended(&auth) {
                turn.unused();
                return Err(FetchError::Paused(reason));
            }
            let res = self
                .once(
                    &Request { extra_headers, ..Request::new(method, url, rate, self.opts.request_timeout) },
                    &mut turn,
                )
                .await;
            drop((place, turn));
            let more = attempt <= retries;
            match res {
                Ok(mut ex) => {
                    ex.attempts = attempt;
                    let paused = self.honour_retry_after(&auth, &ex);
                    let retry_status = ex.status >= 500 || ex.status == 429;
                    if !(retry_status && more) || self.pacer.suspended(&auth).is_some() {
                        return Ok(ex);
                    }
                    // The pause (if any) is enforced by the pacer for every request to the host; the back-off is
                    // this URL's own.
                    let backoff = self.opts.retry_backoff * 2u32.saturating_pow(attempt - 1);
                    tracing::debug!(%url, status = ex.status, ?backoff, ?paused, "retrying");
                    tokio::time::sleep(backoff).await;
                }
                Err(e) if e.retryable() && more => {
                    let backoff = self.opts.retry_backoff * 2u32.saturating_pow(attempt - 1);
                    tracing::debug!(%url, error = %e, ?backoff, "retrying");
                    tokio::time::sleep(backoff).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// One paced try for a link check: the status is what matters, so a GET's body is not downloaded (the connection is
    /// dropped after the headers).
    pub async fn check(&self, method: &'static str, url: &Url, rate: f64) -> Result<Exchange, FetchError> {
        self.paced_once(method, url, rate, false).await
    }

    /// A paced GET of an outbound link target's page, body included (bounded by the crawl's body cap; the caller keeps
    /// what it needs): the page read for what it shows (外链变质). One try, like a link check.
    pub async fn read_linked(&self, url: &Url, rate: f64) -> Result<Exchange, FetchError> {
        self.paced_once("GET", url, rate, true).await
    }

    /// One paced try, politeness first: the `--resolve` rules, a suspended host, the host's rate.
    async fn paced_once(
        &self,
        method: &'static str,
        url: &Url,
        rate: f64,
        read_body: bool,
    ) -> Result<Exchange, FetchError> {
        let host = url.host_str().unwrap_or("");
        if !self.opts.may_contact(host, url.port_or_known_default().unwrap_or(0)) {
            return Err(FetchError::NotContacted);
        }
        let auth = authority(url);
        if let Some(reason) = self.pacer.suspended(&auth) {
            return Err(FetchError::Paused(reason));
        }
        let (place, mut turn) = self.slot(&auth, rate).await;
        if let Some(reason) = self.pacer.suspended(&auth) {
            turn.unused();
            return Err(FetchError::Paused(reason));
        }
        let req = Request { read_body, ..Request::new(method, url, rate, self.opts.request_timeout) };
        let ex = self.once(&req, &mut turn).await;
        drop((place, turn));
        let ex = ex?;
        self.honour_retry_after(&auth, &ex);
        Ok(ex)
    }

    /// The host's politeness slot and a place in flight, in the order that keeps the promise: the request must go
    /// right after its slot, so a request that had to wait for a place takes a fresh slot (the stale one is spent
    /// unused). Waiting for a place can then only make requests later, never closer together.
    ///
    /// A place is never held through a politeness wait: with a place in hand the request goes only if its host can
    /// take it at once, and otherwise gives the place back and waits for its host again. Holding places through
    /// those waits (half a second at 2/s) had the whole crawl's `--max-in-flight` places waiting on hosts once the
    /// cap was first reached: 500 sites at 2/s went at 252 pages a second, 256 places over about one second each,
    /// with either runtime.
    ///
    /// Hold what it returns until the answer is in: the turn counts against the host's window until then.
    async fn slot(&self, auth: &str, rate: f64) -> (tokio::sync::SemaphorePermit<'_>, Turn) {
        loop {
            let turn = self.pacer.wait(auth, rate).await;
            if let Ok(place) = self.in_flight.try_acquire() {
                return (place, turn);
            }
            turn.unused();
            let place = self.in_flight.acquire().await.expect("the in-flight semaphore is never closed");
            if let Some(turn) = self.pacer.try_turn(auth) {
                return (place, turn);
            }
        }
    }

    /// One request, no pacing, no retry (the caller paced it). `read_body: false` stops after the headers. An IP-literal
    /// URL outside the address rules is refused here (names are refused by the resolver).
    ///
    /// A site host whose certificate does not verify is recorded and tried again at once without verification, and
    /// so are all its later requests ([`crate::tls`]); any other host's certificate failure is the request's.
    ///
    /// `turn` is the request's turn at its host ([`HostPacer::wait`]): a second try ends it (its answer is in) and
    /// takes a new one, since holding it while waiting for another could wait for ever at a host allowed one at a time.
    pub(crate) async fn once(&self, req: &Request<'_>, turn: &mut Turn) -> Result<Exchange, FetchError> {
        let url = req.url;
        let host = url.host_str().unwrap_or("");
        let ledger = &self.tls.ledger;
        let unverified = url.scheme() == "https" && ledger.fetches_unverified(host);
        let t0 = Instant::now();
        match self.exchange(req, req.timeout, unverified).await {
            Err(FetchError::Certificate(p)) if !unverified && ledger.is_own_host(host) => {
                ledger.mark_unverified(host);
                tracing::warn!(%url, kind = p.kind.as_str(), detail = %p.detail,
                    "证书校验未通过：该网站的主机改为不校验证书抓取（已记录）");
                // A second connection to the host: paced like every other, at the caller's rate.
                drop(std::mem::replace(turn, Turn::ended()));
                *turn = self.pacer.wait(&authority(url), req.rate).await;
                let left = req.timeout.saturating_sub(t0.elapsed()).max(Duration::from_secs(1));
                self.exchange(req, left, true).await
            }
            r => r,
        }
    }

    /// [`once`](Self::once) through the verifying client, or the accepting one when `unverified`, within `timeout`.
    async fn exchange(&self, req: &Request<'_>, timeout: Duration, unverified: bool) -> Result<Exchange, FetchError> {
        let Request { method, url, read_body, extra_headers, .. } = *req;
        self.policy.check_url(url).map_err(FetchError::Refused)?;
        let started_at = Utc::now();
        let t0 = Instant::now();
        let host_header = match url.port() {
            Some(p) => format!("{}:{}", url.host_str().unwrap_or(""), p),
            None => url.host_str().unwrap_or("").to_string(),
        };
        let mut request_headers = vec![
            ("Host".to_string(), host_header),
            ("User-Agent".to_string(), self.opts.user_agent.clone()),
            ("Accept".to_string(), "text/html,application/xhtml+xml,*/*;q=0.8".to_string()),
            ("Accept-Encoding".to_string(), "gzip, deflate".to_string()),
            ("Accept-Language".to_string(), "zh-CN,zh;q=0.9".to_string()),
        ];
        request_headers.extend(extra_headers.iter().cloned());
        let m = if method == "HEAD" { reqwest::Method::HEAD } else { reqwest::Method::GET };
        let client = if unverified { &self.insecure } else { &self.client };
        let mut req = client.request(m, url.clone());
        for (k, v) in &request_headers[2..] {
            req = req.header(k.as_str(), v.as_str());
        }
        let cap = self.opts.max_body_bytes as usize;
        let decoded_cap = self.opts.max_decoded_bytes as usize;
        let work = async {
            let mut resp = req.send().await.map_err(classify)?;
            let status = resp.status().as_u16();
            let http_version = match resp.version() {
                http::Version::HTTP_09 => "HTTP/0.9",
                http::Version::HTTP_10 => "HTTP/1.0",
                http::Version::HTTP_2 => "HTTP/2.0",
                http::Version::HTTP_3 => "HTTP/3.0",
                _ => "HTTP/1.1",
            };
            let headers: Vec<(String, String)> = resp
                .headers()
                .iter()
                .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                .collect();
            let remote_ip = resp.remote_addr().map(|a| a.ip());
            let encoding = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("content-encoding")).map(|(_, v)| v);
            let mut decoder = ContentDecoder::new(encoding.map(String::as_str), decoded_cap);
            let mut body = BytesMut::with_capacity(resp.content_length().unwrap_or(0).min(cap as u64) as usize);
            let mut truncated = None;
            while let Some(chunk) = if read_body { resp.chunk().await.map_err(classify)? } else { None } {
                let take = chunk.len().min(cap - body.len());
                // Fed in small pieces, so that a body stopped by the decoded cap keeps little more than what made it.
                let mut decoded_full = false;
                for piece in chunk[..take].chunks(8192) {
                    body.extend_from_slice(piece);
                    if !decoder.feed(piece) {
                        decoded_full = true;
                        break;
                    }
                }
                if take < chunk.len() || decoded_full {
                    // Over a cap: stop reading (dropping the response closes the connection), keep what came.
                    tracing::info!(%url, kept = body.len(), decoded_full, "body over the crawler's cap: truncated");
                    truncated = Some("length".to_string());
                    break;
                }
            }
            let decoded = decoder.finish().map(Bytes::from);
            Ok((status, http_version, headers, body.freeze(), remote_ip, truncated, decoded))
        };
        let (status, http_version, headers, body, remote_ip, truncated, decoded) =
            tokio::time::timeout(timeout, work).await.map_err(|_| FetchError::Timeout)??;
        Ok(Exchange {
            url: url.clone(),
            method,
            request_headers,
            started_at,
            elapsed: t0.elapsed(),
            status,
            http_version,
            headers,
            body,
            remote_ip,
            attempts: 1,
            truncated,
            decoded,
        })
    }
}

/// One request as [`Fetcher::once`] sends it: what to ask, the host's rate (for the second connection a certificate
/// failure on a site's own host makes), how long to wait for the whole answer, and whether to read the body.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Request<'a> {
    pub method: &'static str,
    pub url: &'a Url,
    pub rate: f64,
    pub timeout: Duration,
    /// `false` stops after the headers (a link check's GET).
    pub read_body: bool,
    /// Sent and archived with the request (the validators of a conditional re-crawl).
    pub extra_headers: &'a [(String, String)],
}

impl<'a> Request<'a> {
    pub(crate) fn new(method: &'static str, url: &'a Url, rate: f64, timeout: Duration) -> Request<'a> {
        Request { method, url, rate, timeout, read_body: true, extra_headers: &[] }
    }
}

/// How long an idle connection is kept for its host's next request. A politely paced host asks again within its
/// interval (0.5 s at the usual 2/s), so a few seconds keep its connection; a finished host's connections go soon.
/// Each open connection costs about 10 KB: at 30 s and 4 per host a 2,000-site crawl held 16,869 of them (163 MB).
const POOL_IDLE: Duration = Duration::from_secs(5);

/// The crawl's client settings: redirects by hand, bounded pools, our User-Agent (the resolver is the caller's).
///
/// A host keeps as many idle connections as it may have requests at once (`per_site_parallelism`; fewer are open
/// when its rate lets out fewer at once, 2 at 2/s). With fewer, a host answering fast lost a connection after every
/// other request and the next one opened it again: connecting was 3 % of a crawl's CPU with the rate lifted.
fn client_builder(opts: &CrawlOptions) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(opts.connect_timeout)
        .pool_idle_timeout(POOL_IDLE)
        .pool_max_idle_per_host(opts.per_site_parallelism.max(1))
        .user_agent(opts.user_agent.clone())
}

fn classify(e: reqwest::Error) -> FetchError {
    if let Some(p) = crate::tls::classify(&e) {
        return FetchError::Certificate(p);
    }
    // The resolver refused every address of the name: the crawler's choice, not a failure of the site.
    let mut src: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(&e);
    while let Some(s) = src {
        if let Some(r) = s.downcast_ref::<AddressRefused>() {
            return FetchError::Refused(r.0.clone());
        }
        src = s.source();
    }
    if e.is_timeout() {
        FetchError::Timeout
    } else if e.is_connect() {
        let mut msg = e.to_string();
        let mut src = std::error::Error::source(&e);
        while let Some(s) = src {
            msg = s.to_string();
            src = s.source();
        }
        FetchError::Connect(msg)
    } else {
        FetchError::Other(e.to_string())
    }
}

/// The not-checked reason for an answer that asks us to come back later (429, or 503 with Retry-After).
pub fn rate_limited_reason(status: u16, retry_after: Option<&str>) -> Option<String> {
    match (status, retry_after) {
        (429, Some(ra)) => Some(format!("站点限流（HTTP 429，Retry-After {}）", ra.trim())),
        (429, None) => Some("站点限流（HTTP 429）".to_string()),
        (503, Some(ra)) => Some(format!("站点要求稍后访问（HTTP 503，Retry-After {}）", ra.trim())),
        _ => None,
    }
}

/// `Retry-After: 120` (seconds) or an HTTP date (RFC 9110 §10.2.3, parsed by `httpdate`: IMF-fixdate and the two
/// obsolete forms); a date in the past is zero.
pub fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let t = httpdate::parse_http_date(v).ok()?;
    Some(t.duration_since(std::time::SystemTime::now()).unwrap_or(Duration::ZERO))
}

/// Removes Content-Encoding (gzip, x-gzip, deflate as zlib or raw), reading at most `cap` decoded bytes: the archive's
/// [`gongkai_archive::decode_content_prefix`] (a gzip bomb yields its first `cap` bytes; unknown encodings and corrupt
/// streams yield what could be decoded, possibly nothing; the archived bytes are never touched).
pub fn decode_content(content_encoding: Option<&str>, body: &[u8], cap: u64) -> Vec<u8> {
    gongkai_archive::decode_content_prefix(body, content_encoding, usize::try_from(cap).unwrap_or(usize::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_archive::ContentDecoder as StreamDecoder;
    use std::io::Write;

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon"), None);
        let later = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(120));
        let d = parse_retry_after(&later).unwrap();
        assert!(d > Duration::from_secs(115) && d <= Duration::from_secs(120), "{d:?}");
    }

    fn stream(enc: &str, wire: &[u8], cap: usize, chunk: usize) -> (Option<Bytes>, bool) {
        let mut d = StreamDecoder::new(Some(enc), cap);
        let mut full = false;
        for c in wire.chunks(chunk) {
            if !d.feed(c) {
                full = true;
                break;
            }
        }
        (d.finish().map(Bytes::from), full)
    }

    #[test]
    fn streaming_decoder_stops_at_its_cap() {
        // 64 MiB of spaces behind ~64 KB of gzip: the decoder keeps 1 MB and says stop long before the end.
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(b"<a href=x>").unwrap();
        let spaces = vec![b' '; 1 << 20];
        for _ in 0..64 {
            enc.write_all(&spaces).unwrap();
        }
        let bomb = enc.finish().unwrap();
        let mut d = StreamDecoder::new(Some("gzip"), 1_000_000);
        let mut fed = 0;
        for c in bomb.chunks(8192) {
            fed += c.len();
            if !d.feed(c) {
                break;
            }
        }
        assert!(fed < bomb.len() / 4, "stopped after {fed} of {} wire bytes", bomb.len());
        let out = d.finish().unwrap();
        assert_eq!(out.len(), 1_000_000);
        assert!(out.starts_with(b"<a href=x>"));
        // Small bodies decode whole, whatever the chunking; zlib and raw deflate are told apart.
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(b"<a href=y>").unwrap();
        assert_eq!(stream("deflate", &z.finish().unwrap(), 100, 1), (Some(Bytes::from_static(b"<a href=y>")), false));
        let mut r = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        r.write_all(b"raw deflate").unwrap();
        assert_eq!(stream("deflate", &r.finish().unwrap(), 100, 3), (Some(Bytes::from_static(b"raw deflate")), false));
        let mut g = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        g.write_all(b"gz").unwrap();
        let gz = g.finish().unwrap();
        assert_eq!(stream("gzip", &gz, 100, 5), (Some(Bytes::from_static(b"gz")), false));
        // A stream cut short yields what it held; garbage yields nothing; identity is not decoded here.
        assert_eq!(stream("gzip", &gz[..gz.len() - 6], 100, 4).1, false);
        assert_eq!(stream("gzip", b"not gzip at all", 100, 4), (Some(Bytes::new()), false));
        assert_eq!(stream("identity", b"plain", 100, 4), (None, false));
    }

    #[test]
    fn decoding_is_capped() {
        // 50 MB of zeros compress to ~50 KB: decoding must stop at the cap.
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..50 {
            enc.write_all(&zeros).unwrap();
        }
        let bomb = enc.finish().unwrap();
        assert!(bomb.len() < 200_000);
        let out = decode_content(Some("gzip"), &bomb, 1_000_000);
        assert_eq!(out.len(), 1_000_000);
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(b"<a href=x>").unwrap();
        assert_eq!(decode_content(Some("deflate"), &z.finish().unwrap(), 100), b"<a href=x>");
        let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        d.write_all(b"raw").unwrap();
        assert_eq!(decode_content(Some("deflate"), &d.finish().unwrap(), 100), b"raw");
        assert_eq!(decode_content(None, b"plain", 3), b"pla");
    }
}
