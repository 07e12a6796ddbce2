//! The HTTP side: one client for the whole crawl, every request paced per host, retried with back-off, capped in size.
//!
//! reqwest's automatic decompression is off (the workspace builds it without the gzip feature); we send
//! `Accept-Encoding: gzip, deflate` ourselves and keep the bytes exactly as the server sent them, because those are what
//! the WARC file must hold. Redirects are not followed by the client: each hop is a request of its own, paced,
//! robots-checked and archived by the caller.

use crate::options::CrawlOptions;
use crate::pacer::HostPacer;
use crate::urls::authority;
use bytes::{Bytes, BytesMut};
use chrono::{DateTime, Utc};
use std::io::Read;
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
}

impl Exchange {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The redirect target, for a 3xx with a usable Location.
    pub fn redirect_target(&self) -> Option<Url> {
        if !(300..400).contains(&self.status) || self.status == 304 {
            return None;
        }
        let loc = self.header("location")?;
        crate::urls::resolve_link(&self.url, loc)
    }

    /// `text/html; charset=gbk` → `text/html`.
    pub fn mime(&self) -> String {
        self.header("content-type").unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase()
    }

    /// The reason phrase for the status line.
    pub fn reason(&self) -> &'static str {
        http::StatusCode::from_u16(self.status).ok().and_then(|s| s.canonical_reason()).unwrap_or("")
    }
}

/// A request that produced no usable HTTP response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    #[error("timeout")]
    Timeout,
    #[error("connect: {0}")]
    Connect(String),
    #[error("body too large (over {0} bytes)")]
    TooLarge(u64),
    /// The host is outside the `--resolve` map while only resolved hosts may be contacted.
    #[error("not contacted: host outside the --resolve map")]
    NotContacted,
    #[error("http: {0}")]
    Other(String),
}

impl FetchError {
    fn retryable(&self) -> bool {
        matches!(self, FetchError::Timeout | FetchError::Connect(_) | FetchError::Other(_))
    }
}

/// The crawl's HTTP client.
pub struct Fetcher {
    client: reqwest::Client,
    pub(crate) pacer: Arc<HostPacer>,
    pub(crate) opts: Arc<CrawlOptions>,
}

impl Fetcher {
    pub fn new(opts: Arc<CrawlOptions>, pacer: Arc<HostPacer>) -> anyhow::Result<Self> {
        let mut b = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(opts.connect_timeout)
            .pool_idle_timeout(Duration::from_secs(30))
            .pool_max_idle_per_host(4)
            .user_agent(opts.user_agent.clone());
        for (host, addrs) in opts.resolve_map() {
            b = b.resolve_to_addrs(&host, &addrs);
        }
        Ok(Fetcher { client: b.build()?, pacer, opts })
    }

    pub fn options(&self) -> &CrawlOptions {
        &self.opts
    }

    /// One paced request, with the crawl's retry policy: timeouts, connection failures, 5xx and 429 are tried again
    /// after a back-off (429/503 `Retry-After` honoured up to `max_retry_after`). The last answer is returned, even an
    /// error status; only "no answer at all" is an `Err`.
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
            self.pacer.wait(&auth, rate).await;
            let res = self.once(method, url, self.opts.request_timeout, true, extra_headers).await;
            let more = attempt <= retries;
            match res {
                Ok(mut ex) => {
                    ex.attempts = attempt;
                    let retry_status = ex.status >= 500 || ex.status == 429;
                    if !(retry_status && more) {
                        return Ok(ex);
                    }
                    let backoff = self.opts.retry_backoff * 2u32.saturating_pow(attempt - 1);
                    let wait = match ex.header("retry-after").and_then(parse_retry_after) {
                        Some(ra) if ra > self.opts.max_retry_after => return Ok(ex),
                        Some(ra) => ra.max(backoff),
                        None => backoff,
                    };
                    tracing::debug!(%url, status = ex.status, ?wait, "retrying");
                    tokio::time::sleep(wait).await;
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
        let host = url.host_str().unwrap_or("");
        if !self.opts.may_contact(host, url.port_or_known_default().unwrap_or(0)) {
            return Err(FetchError::NotContacted);
        }
        self.pacer.wait(&authority(url), rate).await;
        self.once(method, url, self.opts.request_timeout, false, &[]).await
    }

    /// One request, no pacing, no retry (the caller paced it). `read_body: false` stops after the headers.
    pub(crate) async fn once(
        &self,
        method: &'static str,
        url: &Url,
        timeout: Duration,
        read_body: bool,
        extra_headers: &[(String, String)],
    ) -> Result<Exchange, FetchError> {
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
        let mut req = self.client.request(m, url.clone());
        for (k, v) in &request_headers[2..] {
            req = req.header(k.as_str(), v.as_str());
        }
        let cap = self.opts.max_body_bytes;
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
            if let Some(len) = resp.content_length().filter(|_| read_body) {
                if len > cap {
                    return Err(FetchError::TooLarge(cap));
                }
            }
            let mut body = BytesMut::new();
            while let Some(chunk) = if read_body { resp.chunk().await.map_err(classify)? } else { None } {
                if body.len() as u64 + chunk.len() as u64 > cap {
                    return Err(FetchError::TooLarge(cap));
                }
                body.extend_from_slice(&chunk);
            }
            Ok((status, http_version, headers, body.freeze(), remote_ip))
        };
        let (status, http_version, headers, body, remote_ip) =
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
        })
    }
}

fn classify(e: reqwest::Error) -> FetchError {
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

/// `Retry-After: 120` or an HTTP date.
pub fn parse_retry_after(v: &str) -> Option<Duration> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let t = DateTime::parse_from_rfc2822(v).ok()?;
    let d = t.with_timezone(&Utc) - Utc::now();
    Some(d.to_std().unwrap_or(Duration::ZERO))
}

/// Removes Content-Encoding (gzip, x-gzip, deflate as zlib or raw), reading at most `cap` decoded bytes: a gzip bomb
/// yields its first `cap` bytes and stops. Unknown encodings and corrupt streams yield what could be decoded (possibly
/// nothing); the archived bytes are never touched.
pub fn decode_content(content_encoding: Option<&str>, body: &[u8], cap: u64) -> Vec<u8> {
    let enc = content_encoding.unwrap_or("").trim().to_ascii_lowercase();
    let mut out = Vec::new();
    match enc.as_str() {
        "" | "identity" => return body[..body.len().min(cap as usize)].to_vec(),
        "gzip" | "x-gzip" => {
            let _ = flate2::read::MultiGzDecoder::new(body).take(cap).read_to_end(&mut out);
        }
        "deflate" if flate2::read::ZlibDecoder::new(body).take(cap).read_to_end(&mut out).is_err() => {
            // Not zlib-wrapped: raw deflate, as some servers send.
            out.clear();
            let _ = flate2::read::DeflateDecoder::new(body).take(cap).read_to_end(&mut out);
        }
        "deflate" => {}
        _ => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn retry_after_forms() {
        assert_eq!(parse_retry_after("3"), Some(Duration::from_secs(3)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon"), None);
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
