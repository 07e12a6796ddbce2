//! WARC/1.1 records: building them (one gzip member each) and reading them back.
//!
//! Why one gzip member per record: a record can then be read by seeking to its offset and inflating one member, which is
//! what the index stores ([`crate::WarcRef`]) and what replay tools (pywb, warcio) expect. It also makes a torn write
//! easy to cut off: a file is valid up to the end of its last complete member.
//!
//! Digests are `sha1:<BASE32>` as most WARC tools write them. The block digest covers the whole record block; the
//! payload digest covers the HTTP entity body after transfer decoding (chunking removed), still content-encoded if the
//! server compressed it — exactly the bytes reqwest returns when its own decompression is off.
//!
//! Transfer coding: the archived block holds the body without chunking, so a `Transfer-Encoding` response header would
//! lie about the bytes that follow it and make readers try to de-chunk a plain body. It is therefore archived under the
//! name [`ORIG_TRANSFER_ENCODING`] (readers such as [`HttpResponse::parse`] map it back), the usual practice of
//! crawlers that archive decoded bodies.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use anyhow::{bail, Context, Result};
use chrono::{DateTime, SecondsFormat, Utc};
use sha1::{Digest, Sha1};

/// Header name under which a response's `Transfer-Encoding` is archived (the body is stored de-chunked).
pub const ORIG_TRANSFER_ENCODING: &str = "X-Archive-Orig-Transfer-Encoding";

/// WARC-Profile of a revisit whose payload is identical to an earlier capture.
pub const PROFILE_IDENTICAL: &str = "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest";
/// WARC-Profile of a revisit for a `304 Not Modified` answer to a conditional request.
pub const PROFILE_NOT_MODIFIED: &str = "http://netpreserve.org/warc/1.1/revisit/server-not-modified";

/// `sha1:<BASE32>` of `data`, the form written in `WARC-Block-Digest` and `WARC-Payload-Digest`.
pub fn sha1_digest(data: &[u8]) -> String {
    let mut h = Sha1::new();
    h.update(data);
    format!("sha1:{}", data_encoding::BASE32.encode(&h.finalize()))
}

/// A fresh `urn:uuid:…` record id (without the angle brackets the WARC header adds).
pub fn new_record_id() -> String {
    format!("urn:uuid:{}", uuid::Uuid::new_v4())
}

/// The WARC-Date form: UTC, microseconds (WARC/1.1 allows fractions of a second).
pub fn warc_date(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The record types gongkai writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordType {
    Warcinfo,
    Request,
    Response,
    Revisit,
    /// Data about other records or about the crawl (gongkai writes its index entries as JSON `metadata` records).
    Metadata,
}

impl RecordType {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordType::Warcinfo => "warcinfo",
            RecordType::Request => "request",
            RecordType::Response => "response",
            RecordType::Revisit => "revisit",
            RecordType::Metadata => "metadata",
        }
    }
}

/// A record before serialisation. Header values are written as given; `WARC/1.1`, `WARC-Type`, `WARC-Record-ID`,
/// `WARC-Date`, `WARC-Block-Digest`, `Content-Type` and `Content-Length` are added by [`WarcRecordBuilder::to_gzip`].
#[derive(Debug, Clone)]
pub struct WarcRecordBuilder {
    pub record_type: RecordType,
    /// Without angle brackets: `urn:uuid:…`.
    pub record_id: String,
    pub date: DateTime<Utc>,
    pub content_type: Option<String>,
    /// Further headers in order (`WARC-Target-URI`, `WARC-Payload-Digest`, …).
    pub headers: Vec<(String, String)>,
    pub block: Vec<u8>,
}

impl WarcRecordBuilder {
    pub fn new(record_type: RecordType, date: DateTime<Utc>, block: Vec<u8>) -> Self {
        WarcRecordBuilder {
            record_type,
            record_id: new_record_id(),
            date,
            content_type: None,
            headers: Vec::new(),
            block,
        }
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    pub fn content_type(mut self, ct: &str) -> Self {
        self.content_type = Some(ct.to_string());
        self
    }

    /// The uncompressed record bytes (header, block, the two closing CRLFs).
    pub fn to_bytes(&self) -> Vec<u8> {
        let head = self.head(None);
        let mut out = Vec::with_capacity(head.len() + self.block.len() + 4);
        out.extend_from_slice(head.as_bytes());
        out.extend_from_slice(&self.block);
        out.extend_from_slice(b"\r\n\r\n");
        out
    }

    /// The record as one complete gzip member, ready to append to a `.warc.gz` file, at [`GZIP_LEVEL`].
    pub fn to_gzip(&self) -> Vec<u8> {
        self.gzip(None)
    }

    /// [`Self::to_gzip`] with one more header after the others (the same bytes as `.header(name, value).to_gzip()`,
    /// without copying the block).
    pub fn to_gzip_with(&self, name: &str, value: &str) -> Vec<u8> {
        self.gzip(Some((name, value)))
    }

    fn gzip(&self, extra: Option<(&str, &str)>) -> Vec<u8> {
        crate::gzip::gzip_member(&[self.head(extra).as_bytes(), &self.block, b"\r\n\r\n"], GZIP_LEVEL)
    }

    /// The record's header lines and the blank line that ends them.
    fn head(&self, extra: Option<(&str, &str)>) -> String {
        use std::fmt::Write as _;
        let mut head = String::with_capacity(512);
        head.push_str("WARC/1.1\r\n");
        let _ = write!(head, "WARC-Type: {}\r\n", self.record_type.as_str());
        let _ = write!(head, "WARC-Record-ID: <{}>\r\n", self.record_id);
        let _ = write!(head, "WARC-Date: {}\r\n", warc_date(&self.date));
        for (k, v) in self.headers.iter().map(|(k, v)| (k.as_str(), v.as_str())).chain(extra) {
            let _ = write!(head, "{}: {}\r\n", k, sanitize_header_value(v));
        }
        let _ = write!(head, "WARC-Block-Digest: {}\r\n", sha1_digest(&self.block));
        if let Some(ct) = &self.content_type {
            let _ = write!(head, "Content-Type: {}\r\n", ct);
        }
        let _ = write!(head, "Content-Length: {}\r\n\r\n", self.block.len());
        head
    }
}

/// The gzip level of every record. Chosen by `cargo bench -p gongkai-archive --bench compression` (release, the 23
/// real government pages of `tests/fixtures/real/`, 56 KB on average, each its own gzip member as in a WARC file):
/// against zlib's default level 6, level 1 took 0.32× the CPU time (219 µs against 690 µs a record) for members
/// 1.32× the size (25.7 % of the raw record against 19.5 %); level 3 took 0.67× for 1.06×. Compression at level 6 was
/// the biggest single cost of archiving a real page, and a provincial crawl is bound by CPU long before disk: 2,000
/// sites × 200 pages of that size are about 5.8 GB of WARC at level 1 against 4.4 GB at level 6. Readers need
/// nothing: every level is the same gzip format.
pub const GZIP_LEVEL: u32 = 1;

/// Header values must stay on one line.
fn sanitize_header_value(v: &str) -> String {
    if v.contains(['\r', '\n']) {
        v.replace(['\r', '\n'], " ")
    } else {
        v.to_string()
    }
}

/// The HTTP request head as sent (`GET /path HTTP/1.1`, headers, blank line).
pub fn http_request_block(method: &str, url: &url::Url, version: &str, headers: &[(String, String)]) -> Vec<u8> {
    let mut target = url.path().to_string();
    if let Some(q) = url.query() {
        target.push('?');
        target.push_str(q);
    }
    let mut s = format!("{} {} {}\r\n", method, target, version);
    let has_host = headers.iter().any(|(k, _)| k.eq_ignore_ascii_case("host"));
    if !has_host {
        let host = match (url.host_str(), url.port()) {
            (Some(h), Some(p)) => format!("{h}:{p}"),
            (Some(h), None) => h.to_string(),
            _ => String::new(),
        };
        s.push_str(&format!("Host: {host}\r\n"));
    }
    for (k, v) in headers {
        s.push_str(&format!("{}: {}\r\n", k, sanitize_header_value(v)));
    }
    s.push_str("\r\n");
    s.into_bytes()
}

/// The HTTP response head (status line, headers with `Transfer-Encoding` renamed, blank line).
pub fn http_response_head(version: &str, status: u16, reason: &str, headers: &[(String, String)]) -> Vec<u8> {
    let mut s = format!("{} {} {}\r\n", version, status, reason);
    for (k, v) in headers {
        let name = if k.eq_ignore_ascii_case("transfer-encoding") { ORIG_TRANSFER_ENCODING } else { k.as_str() };
        s.push_str(&format!("{}: {}\r\n", name, sanitize_header_value(v)));
    }
    s.push_str("\r\n");
    s.into_bytes()
}

/// The standard reason phrase for a status, for when the crawler does not know the one sent.
pub fn reason_phrase(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        206 => "Partial Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        410 => "Gone",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "",
    }
}

/// The earlier `response` record a `revisit` refers to (the record that holds the payload).
#[derive(Debug, Clone, Copy)]
pub struct Revisit<'a> {
    /// [`PROFILE_IDENTICAL`] (same payload digest as the earlier capture; the digest is written) or
    /// [`PROFILE_NOT_MODIFIED`] (a 304 answer; no payload was received, so no payload digest; the block is empty, see
    /// [`ExchangeRecords::build`]).
    pub profile: &'static str,
    /// `WARC-Refers-To-Target-URI`.
    pub target_uri: &'a str,
    /// `WARC-Refers-To-Date`.
    pub date: DateTime<Utc>,
    /// `WARC-Refers-To` (the record id, without angle brackets).
    pub record_id: &'a str,
}

/// The two records of one HTTP exchange, each naming the other in `WARC-Concurrent-To`: the `response` (or `revisit`)
/// and the `request`. `WARC-Warcinfo-ID` is not set: the writer adds it for the file the records go into.
#[derive(Debug, Clone)]
pub struct ExchangeRecords {
    pub response: WarcRecordBuilder,
    pub request: WarcRecordBuilder,
}

impl ExchangeRecords {
    /// The records of `fetch`, dated `fetched_at`. Without `revisit`, a `response` record holding the HTTP head and
    /// the body (`WARC-Payload-Digest: payload_digest`); with it, a `revisit` record: for identical-payload-digest, one
    /// holding only the answer's HTTP head (a 200: replayed with the referred payload); for server-not-modified, an
    /// empty one (a revisit's block is optional content in WARC 1.1 §6.7; pywb and warcio read an empty one as "no head
    /// of its own"), so that replay tools serve the earlier capture's head and payload instead of an empty 304 — the
    /// 304 stays recorded by the profile, the request record and the index metadata record. Both
    /// carry `WARC-IP-Address` when the address is known; the response (or revisit) carries `WARC-Truncated` when the
    /// body is incomplete.
    pub fn build(
        fetch: &crate::store::Fetch,
        fetched_at: DateTime<Utc>,
        payload_digest: &str,
        revisit: Option<&Revisit<'_>>,
    ) -> ExchangeRecords {
        let uri = fetch.url.as_str().to_string();
        let request_block = http_request_block(&fetch.method, &fetch.url, &fetch.http_version, &fetch.request_headers);
        let reason = fetch.reason.clone().unwrap_or_else(|| reason_phrase(fetch.status).to_string());
        let head = http_response_head(&fetch.http_version, fetch.status, &reason, &fetch.response_headers);
        let ip = fetch.ip.map(|ip| ip.to_string());

        let mut resp: WarcRecordBuilder = match revisit {
            None => {
                let mut block = head;
                block.extend_from_slice(&fetch.body);
                WarcRecordBuilder::new(RecordType::Response, fetched_at, block)
                    .header("WARC-Target-URI", uri.clone())
                    .header("WARC-Payload-Digest", payload_digest)
            }
            Some(p) => {
                // A 304's own head is not the block: replay tools serve a revisit with the head it holds and the
                // payload it refers to, so a `304 Not Modified` head replays as an empty 304. An empty block makes
                // them serve the earlier capture's head and payload (the page the server says is unchanged); the
                // 304 itself stays recorded by the profile, the request record (its conditional headers) and the
                // index metadata record (its status and validators).
                let block = if p.profile == PROFILE_NOT_MODIFIED { Vec::new() } else { head };
                let mut r = WarcRecordBuilder::new(RecordType::Revisit, fetched_at, block)
                    .header("WARC-Target-URI", uri.clone())
                    .header("WARC-Profile", p.profile)
                    .header("WARC-Refers-To-Target-URI", p.target_uri)
                    .header("WARC-Refers-To-Date", warc_date(&p.date))
                    .header("WARC-Refers-To", format!("<{}>", p.record_id));
                if p.profile == PROFILE_IDENTICAL {
                    r = r.header("WARC-Payload-Digest", payload_digest);
                }
                r
            }
        };
        if !resp.block.is_empty() {
            resp = resp.content_type("application/http;msgtype=response");
        }
        if let Some(ip) = &ip {
            resp = resp.header("WARC-IP-Address", ip.clone());
        }
        if let Some(t) = &fetch.truncated {
            resp = resp.header("WARC-Truncated", t.clone());
        }
        let mut req = WarcRecordBuilder::new(RecordType::Request, fetched_at, request_block)
            .header("WARC-Target-URI", uri)
            .header("WARC-Concurrent-To", format!("<{}>", resp.record_id))
            .content_type("application/http;msgtype=request");
        if let Some(ip) = &ip {
            req = req.header("WARC-IP-Address", ip.clone());
        }
        // Response first, as most crawlers write (replay tools index the response; the request refers to it).
        resp.headers.insert(0, ("WARC-Concurrent-To".into(), format!("<{}>", req.record_id)));
        ExchangeRecords { response: resp, request: req }
    }
}

/// One record read back from a file.
#[derive(Debug, Clone)]
pub struct WarcRecord {
    /// `WARC/1.1` or `WARC/1.0`.
    pub version: String,
    /// All WARC headers in order.
    pub headers: Vec<(String, String)>,
    pub block: Vec<u8>,
    /// Offset of the record's gzip member in its file.
    pub offset: u64,
    /// Length of the gzip member (compressed bytes).
    pub length: u64,
}

impl WarcRecord {
    /// First WARC header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn record_type(&self) -> Option<&str> {
        self.header("WARC-Type")
    }

    /// `WARC-Record-ID` without angle brackets.
    pub fn record_id(&self) -> Option<&str> {
        self.header("WARC-Record-ID").map(strip_brackets)
    }

    pub fn target_uri(&self) -> Option<&str> {
        self.header("WARC-Target-URI")
    }

    pub fn date(&self) -> Option<DateTime<Utc>> {
        self.header("WARC-Date").and_then(|d| DateTime::parse_from_rfc3339(d).ok()).map(|d| d.with_timezone(&Utc))
    }

    /// The block parsed as an HTTP response (for `response` and `revisit` records).
    pub fn http_response(&self) -> Result<HttpResponse> {
        HttpResponse::parse(&self.block)
    }
}

/// `<urn:uuid:…>` → `urn:uuid:…`.
pub fn strip_brackets(s: &str) -> &str {
    s.trim().trim_start_matches('<').trim_end_matches('>')
}

/// An HTTP response as archived in a record block.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpResponse {
    pub version: String,
    pub status: u16,
    pub reason: String,
    /// Headers in order, with the archived `Transfer-Encoding` name restored.
    pub headers: Vec<(String, String)>,
    /// The entity body as archived (de-chunked, still content-encoded). Empty for header-only revisits.
    pub body: Vec<u8>,
}

impl HttpResponse {
    pub fn parse(block: &[u8]) -> Result<HttpResponse> {
        let end = find_subslice(block, b"\r\n\r\n").context("HTTP 头部不完整（没有结束的空行）")?;
        let head = String::from_utf8_lossy(&block[..end]);
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or_default();
        let mut parts = status_line.splitn(3, ' ');
        let version = parts.next().unwrap_or_default().to_string();
        let status: u16 = parts.next().unwrap_or_default().trim().parse().context("HTTP 状态行无效")?;
        let reason = parts.next().unwrap_or_default().to_string();
        let mut headers = Vec::new();
        for line in lines {
            if let Some((k, v)) = line.split_once(':') {
                let k =
                    if k.trim().eq_ignore_ascii_case(ORIG_TRANSFER_ENCODING) { "Transfer-Encoding" } else { k.trim() };
                headers.push((k.to_string(), v.trim().to_string()));
            }
        }
        Ok(HttpResponse { version, status, reason, headers, body: block[end + 4..].to_vec() })
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

fn find_subslice(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// A parsed record: version line, headers, block.
type RawRecord = (String, Vec<(String, String)>, Vec<u8>);

/// Parse an uncompressed record (header + block) from a reader positioned at `WARC/…`.
fn parse_record<R: BufRead>(r: &mut R) -> Result<Option<RawRecord>> {
    let mut line = String::new();
    // Skip blank lines (tolerant of trailing CRLFs).
    loop {
        line.clear();
        let n = r.read_line(&mut line)?;
        if n == 0 {
            return Ok(None);
        }
        if !line.trim().is_empty() {
            break;
        }
    }
    let version = line.trim().to_string();
    if !version.starts_with("WARC/") {
        bail!("不是 WARC 记录（开头为 {:?}）", version);
    }
    let mut headers = Vec::new();
    loop {
        line.clear();
        let n = r.read_line(&mut line)?;
        if n == 0 {
            bail!("WARC 头部不完整");
        }
        let l = line.trim_end_matches(['\r', '\n']);
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
    }
    let len: usize = headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("Content-Length"))
        .context("WARC 记录缺少 Content-Length")?
        .1
        .parse()
        .context("Content-Length 无效")?;
    let mut block = vec![0u8; len];
    r.read_exact(&mut block).context("WARC 记录内容被截断")?;
    Ok(Some((version, headers, block)))
}

/// A `BufRead` that counts the bytes consumed from the file, so member boundaries are known exactly.
struct CountingReader<R> {
    inner: R,
    consumed: u64,
}

impl<R: BufRead> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = {
            let avail = self.inner.fill_buf()?;
            let n = avail.len().min(buf.len());
            buf[..n].copy_from_slice(&avail[..n]);
            n
        };
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for CountingReader<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }
    fn consume(&mut self, amt: usize) {
        self.consumed += amt as u64;
        self.inner.consume(amt)
    }
}

/// Read the one record whose gzip member starts at `offset` in `path`.
pub fn read_record_at(path: &Path, offset: u64) -> Result<WarcRecord> {
    let mut f = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    f.seek(SeekFrom::Start(offset))?;
    let mut counting = CountingReader { inner: BufReader::new(f), consumed: 0 };
    let rec = read_member(&mut counting, offset)
        .with_context(|| format!("读取 {} 中偏移 {offset} 处的记录", path.display()))?;
    rec.context("该偏移处没有记录（已到文件末尾）")
}

/// Read one member from the current position; None at a clean end of file.
fn read_member<R: BufRead>(counting: &mut CountingReader<R>, offset: u64) -> Result<Option<WarcRecord>> {
    if counting.fill_buf()?.is_empty() {
        return Ok(None);
    }
    let start = counting.consumed;
    let mut data = Vec::new();
    {
        let mut dec = flate2::bufread::GzDecoder::new(&mut *counting);
        dec.read_to_end(&mut data).context("gzip 数据被截断或已损坏")?;
    }
    let length = counting.consumed - start;
    let mut cur = std::io::Cursor::new(&data);
    let (version, headers, block) = parse_record(&mut cur)?.context("gzip 数据为空")?;
    Ok(Some(WarcRecord { version, headers, block, offset, length }))
}

/// Iterate every record of a `.warc.gz` file, in order, with their offsets.
pub struct WarcFileReader<R> {
    reader: CountingReader<R>,
    failed: bool,
}

impl WarcFileReader<BufReader<File>> {
    pub fn open(path: &Path) -> Result<Self> {
        let f = File::open(path).with_context(|| format!("opening {}", path.display()))?;
        Ok(WarcFileReader { reader: CountingReader { inner: BufReader::new(f), consumed: 0 }, failed: false })
    }
}

impl<R: BufRead> WarcFileReader<R> {
    pub fn new(inner: R) -> Self {
        WarcFileReader { reader: CountingReader { inner, consumed: 0 }, failed: false }
    }

    /// Bytes consumed so far: after a clean end, the file length; after an error, where the bad member starts.
    pub fn position(&self) -> u64 {
        self.reader.consumed
    }
}

impl<R: BufRead> Iterator for WarcFileReader<R> {
    type Item = Result<WarcRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let offset = self.reader.consumed;
        match read_member(&mut self.reader, offset) {
            Ok(Some(r)) => Some(Ok(r)),
            Ok(None) => None,
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

/// Length of the longest prefix of the file made of complete, parseable records (where a torn tail starts).
pub fn valid_prefix_len(path: &Path) -> Result<u64> {
    let mut rd = WarcFileReader::open(path)?;
    let mut end = 0;
    for rec in rd.by_ref() {
        match rec {
            Ok(r) => end = r.offset + r.length,
            Err(_) => break,
        }
    }
    Ok(end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_of_empty_is_the_known_vector() {
        assert_eq!(sha1_digest(b""), "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ");
    }

    #[test]
    fn record_round_trips_through_gzip_member() {
        let t = Utc::now();
        let block = http_response_head("HTTP/1.1", 200, "OK", &[("Transfer-Encoding".into(), "chunked".into())]);
        let mut block = block;
        block.extend_from_slice("<html>公开</html>".as_bytes());
        let rec = WarcRecordBuilder::new(RecordType::Response, t, block.clone())
            .content_type("application/http;msgtype=response")
            .header("WARC-Target-URI", "http://example.gov.cn/");
        let id = rec.record_id.clone();
        let mut file = rec.to_gzip();
        let second_offset = file.len() as u64;
        let rec2 = WarcRecordBuilder::new(RecordType::Warcinfo, t, b"software: x\r\n".to_vec());
        file.extend(rec2.to_gzip());
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.warc.gz");
        std::fs::write(&p, &file).unwrap();
        let r = read_record_at(&p, 0).unwrap();
        assert_eq!(r.record_id(), Some(id.as_str()));
        assert_eq!(r.block, block);
        assert_eq!(r.header("WARC-Block-Digest").unwrap(), sha1_digest(&block));
        let http = r.http_response().unwrap();
        assert_eq!(http.status, 200);
        assert_eq!(http.header("transfer-encoding"), Some("chunked"));
        assert_eq!(http.body, "<html>公开</html>".as_bytes());
        assert_eq!(r.length, second_offset);
        let r2 = read_record_at(&p, second_offset).unwrap();
        assert_eq!(r2.record_type(), Some("warcinfo"));
        let all: Vec<_> = WarcFileReader::open(&p).unwrap().collect::<Result<_>>().unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all[1].offset, second_offset);
        assert_eq!(valid_prefix_len(&p).unwrap(), file.len() as u64);
        // A torn tail is detected.
        let mut torn = file.clone();
        torn.extend_from_slice(&rec2.to_gzip()[..20]);
        std::fs::write(&p, &torn).unwrap();
        assert_eq!(valid_prefix_len(&p).unwrap(), file.len() as u64);
    }
}
