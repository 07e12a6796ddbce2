//! The fetch index: archiving one fetch (response or revisit), its index entry, earlier fetches and their validators.

use std::net::IpAddr;

use anyhow::Result;
use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

use super::*;
use crate::capture::WarcRef;
use crate::meta::{FetchMeta, Meta};
use crate::warc::{self, ExchangeRecords};

/// One HTTP exchange as the crawler saw it, handed to [`Store::record_fetch`].
#[derive(Debug, Clone)]
pub struct Fetch {
    /// The URL requested.
    pub url: Url,
    /// Link depth from the home page (0 = home page).
    pub depth: u32,
    /// When the response was complete.
    pub fetched_at: DateTime<Utc>,
    /// The server's address, when known (`WARC-IP-Address`).
    pub ip: Option<IpAddr>,
    /// `GET` normally.
    pub method: String,
    /// Request headers as sent (a `Host` header is added when missing).
    pub request_headers: Vec<(String, String)>,
    /// `HTTP/1.1` (or `HTTP/1.0`, `HTTP/2.0`).
    pub http_version: String,
    pub status: u16,
    /// Reason phrase as sent; None → the standard phrase.
    pub reason: Option<String>,
    /// Response headers in order, names as sent.
    pub response_headers: Vec<(String, String)>,
    /// The entity body after transfer decoding (chunking removed) but still content-encoded if the server compressed
    /// it: what reqwest returns when its own decompression is off.
    pub body: Vec<u8>,
    /// Set when `body` is only the start of what the server sent (the crawler's size cap): written as the response
    /// record's `WARC-Truncated` header (WARC 1.1 §5.13: `length`, `time`, `disconnect`, `unspecified`).
    pub truncated: Option<String>,
}

impl Fetch {
    /// A `GET` answered now, with no request headers recorded yet (fill in `request_headers`, `ip`, … as known).
    pub fn get(url: Url, depth: u32, status: u16, response_headers: Vec<(String, String)>, body: Vec<u8>) -> Fetch {
        Fetch {
            url,
            depth,
            fetched_at: Utc::now(),
            ip: None,
            method: "GET".into(),
            request_headers: Vec::new(),
            http_version: "HTTP/1.1".into(),
            status,
            reason: None,
            response_headers,
            body,
            truncated: None,
        }
    }
}

/// How a fetch was archived.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// A full `response` record.
    Response,
    /// A `revisit` record (identical-payload-digest): same payload as the previous snapshot's capture of the URL.
    RevisitIdentical,
    /// A `revisit` record (server-not-modified): the server answered 304 to a conditional request.
    RevisitNotModified,
}

/// The index entry of one archived fetch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FetchEntry {
    pub url: Url,
    pub fetched_at: DateTime<Utc>,
    /// The status the server sent (304 for a not-modified revisit).
    pub status: u16,
    pub depth: u32,
    pub kind: RecordKind,
    /// The response or revisit record.
    pub warc: WarcRef,
    /// The request record.
    pub request: WarcRef,
    /// `sha1:<BASE32>` of the payload (for a 304: of the referenced payload).
    pub payload_digest: String,
    /// The `response` record that holds the payload bytes (equal to `warc` for a response).
    pub payload: WarcRef,
    /// Target URI and date of the record in `payload` (what a revisit refers to).
    pub payload_uri: String,
    pub payload_date: DateTime<Utc>,
    /// Validators for the next conditional request.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl FetchEntry {
    /// The ETag / Last-Modified this fetch answered with, for a conditional request next time; None without either.
    pub fn validators(&self) -> Option<Validators> {
        (self.etag.is_some() || self.last_modified.is_some())
            .then(|| Validators { etag: self.etag.clone(), last_modified: self.last_modified.clone() })
    }
}

/// The answer of [`Store::record_fetch`].
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    pub entry: FetchEntry,
    /// True when this URL was already archived in this snapshot: nothing was written, `entry` is the earlier one.
    pub duplicate: bool,
    /// How many of the links handed to [`Store::record_fetch_and_push`] were new to the snapshot's frontier.
    pub queued: usize,
}

/// Validators from an earlier snapshot, for `If-None-Match` / `If-Modified-Since`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    /// The conditional request headers to send (`If-None-Match`, `If-Modified-Since`). When the server answers 304,
    /// [`Store::record_fetch`] writes a server-not-modified revisit and [`Store::load_page`] on the returned entry gives
    /// the earlier body (for link discovery).
    pub fn request_headers(&self) -> Vec<(String, String)> {
        let mut h = Vec::new();
        if let Some(e) = &self.etag {
            h.push(("If-None-Match".to_string(), e.clone()));
        }
        if let Some(lm) = &self.last_modified {
            h.push(("If-Modified-Since".to_string(), lm.clone()));
        }
        h
    }
}

impl Store {
    /// The fetch of `url` in the latest snapshot of the same site before `snap`, if any.
    pub fn previous_fetch(&self, snap: &Snapshot, url: &Url) -> Result<Option<FetchEntry>> {
        let id = snap.site_id.as_bytes();
        for s in (1..snap.seq).rev() {
            if let Some(e) = self.get(&key(&[K_FETCH, id, &be(s), url.as_str().as_bytes()]))? {
                return Ok(Some(e));
            }
        }
        Ok(None)
    }

    /// ETag / Last-Modified of `url` from the latest earlier snapshot that fetched it, for a conditional request
    /// (`If-None-Match` / `If-Modified-Since`). None when the URL was never fetched before or sent no validator.
    pub fn previous_validators(&self, snap: &Snapshot, url: &Url) -> Result<Option<Validators>> {
        Ok(self.previous_fetch(snap, url)?.and_then(|e| e.validators()))
    }

    /// The fetch of `url` archived in this snapshot, if any.
    pub fn fetch_entry(&self, snap: &Snapshot, url: &Url) -> Result<Option<FetchEntry>> {
        let (id, seq) = snap_parts(snap);
        self.get(&key(&[K_FETCH, &id, &seq, url.as_str().as_bytes()]))
    }

    /// Every fetch archived in a snapshot (URL order).
    pub fn fetch_entries(&self, snap: &Snapshot) -> Result<Vec<FetchEntry>> {
        let (id, seq) = snap_parts(snap);
        self.scan(&prefix(&[K_FETCH, &id, &seq]))
    }

    /// Every fetch archived in a snapshot, read one at a time (URL order): for a pass that keeps little of each
    /// entry. Every site of a province finishes at about the same time, so a step that held all its entries at once
    /// held the whole province's index in memory.
    pub fn each_fetch_entry(&self, snap: &Snapshot) -> impl Iterator<Item = Result<FetchEntry>> {
        let (id, seq) = snap_parts(snap);
        self.scan_each(&prefix(&[K_FETCH, &id, &seq]))
    }

    /// Archive one fetch and index it; marks the URL done in the snapshot's frontier (atomically with the index entry).
    ///
    /// Writes a `request` record and then: a `revisit` (server-not-modified) when the status is 304 and an earlier
    /// snapshot holds the URL; a `revisit` (identical-payload-digest) when the non-empty payload's digest equals the
    /// earlier snapshot's; otherwise a `response`. A URL already archived in this snapshot is not written again (the
    /// earlier entry is returned with `duplicate: true`).
    pub fn record_fetch(&self, snap: &Snapshot, fetch: &Fetch) -> Result<Recorded> {
        self.record_fetch_and_push(snap, fetch, Vec::new())
    }

    /// [`Store::record_fetch`], and the links found in the answer pushed to the frontier in the same index batch: the
    /// page is done and its links queued, or neither (a killed crawl fetches it again). One batch instead of two
    /// matters: sled writes its log buffer out for every batch, which a crawl's profile shows as a large share of
    /// its CPU time.
    pub fn record_fetch_and_push(&self, snap: &Snapshot, fetch: &Fetch, links: Vec<FrontierEntry>) -> Result<Recorded> {
        if let Some(entry) = self.fetch_entry(snap, &fetch.url)? {
            let mut claims = lock(&self.inner.frontier);
            let queued = self.done_locked(&mut claims, snap, &fetch.url, fetch.depth, links)?;
            return Ok(Recorded { entry, duplicate: true, queued });
        }
        let fetched_at = fetch.fetched_at.trunc_subsecs(6);
        let previous = self.previous_fetch(snap, &fetch.url)?;
        let payload_digest = warc::sha1_digest(&fetch.body);
        let kind = match &previous {
            Some(_) if fetch.status == 304 => RecordKind::RevisitNotModified,
            Some(p) if !fetch.body.is_empty() && p.payload_digest == payload_digest => RecordKind::RevisitIdentical,
            _ => RecordKind::Response,
        };

        let uri = fetch.url.as_str().to_string();
        let revisit = match kind {
            RecordKind::Response => None,
            RecordKind::RevisitIdentical | RecordKind::RevisitNotModified => {
                let p = previous.as_ref().expect("revisit has a previous fetch");
                let profile = if kind == RecordKind::RevisitIdentical {
                    warc::PROFILE_IDENTICAL
                } else {
                    warc::PROFILE_NOT_MODIFIED
                };
                Some(warc::Revisit {
                    profile,
                    target_uri: &p.payload_uri,
                    date: p.payload_date,
                    record_id: &p.payload.record_id,
                })
            }
        };
        let records = ExchangeRecords::build(fetch, fetched_at, &payload_digest, revisit.as_ref());
        // The index entry as a metadata record, in the same write as the records it describes (the WARC is the record).
        let meta = fetch_meta(fetch, fetched_at, kind, previous.as_ref(), payload_digest, &records);
        let ExchangeRecords { response: resp, request: req } = records;
        let meta_rec =
            Meta::Fetch { site_id: snap.site_id.clone(), seq: snap.seq, fetch: meta.clone() }.record(fetched_at);
        let build = |warcinfo_id: &str| {
            let wid = format!("<{warcinfo_id}>");
            vec![
                resp.to_gzip_with("WARC-Warcinfo-ID", &wid),
                req.to_gzip_with("WARC-Warcinfo-ID", &wid),
                meta_rec.to_gzip_with("WARC-Warcinfo-ID", &wid),
            ]
        };
        // Compress outside the writer lock, for the file that is current now (redone under the lock if it rolled).
        let current_id = lock(&self.inner.writer).current.as_ref().map(|c| c.warcinfo_id.clone());
        let pre = current_id.map(|id| {
            let rs = build(&id);
            (id, rs)
        });

        let mut w = lock(&self.inner.writer);
        if let Some(entry) = self.fetch_entry(snap, &fetch.url)? {
            // Another task archived the same URL meanwhile.
            drop(w);
            let mut claims = lock(&self.inner.frontier);
            let queued = self.done_locked(&mut claims, snap, &fetch.url, fetch.depth, links)?;
            return Ok(Recorded { entry, duplicate: true, queued });
        }
        let (file, offsets, end) = self.append(&mut w, pre, &build)?;
        let warc_ref = WarcRef { file: file.clone(), offset: offsets[0], record_id: resp.record_id.clone() };
        let request_ref = WarcRef { file: file.clone(), offset: offsets[1], record_id: req.record_id.clone() };
        let entry = meta.to_entry(warc_ref, request_ref);
        let mut claims = lock(&self.inner.frontier);
        let (id, seq) = snap_parts(snap);
        let mut counts = self.counts(snap)?;
        let mut b = Batch::default();
        self.mark_done(&mut claims, &mut b, &mut counts, snap, &fetch.url, fetch.depth)?;
        let links = links.into_iter().filter(|e| e.url != fetch.url).collect();
        let queued = self.push_into(&mut b, &mut counts, snap, links)?;
        counts.fetched += 1;
        b.insert(key(&[K_COUNT, &id, &seq]), to_json(&counts));
        b.insert(key(&[K_FETCH, &id, &seq, uri.as_bytes()]), to_json(&entry));
        b.insert(key(&[K_WEND, file.as_bytes()]), to_json(&end));
        self.apply(b)?;
        drop(w);
        Ok(Recorded { entry, duplicate: false, queued })
    }

    /// Number of fetches archived in the whole store (all sites, all snapshots).
    pub fn fetch_count(&self) -> Result<u64> {
        let mut n = 0;
        for k in self.db().scan_prefix(&prefix(&[K_FETCH])) {
            k?;
            n += 1;
        }
        Ok(n)
    }
}

/// The index entry of a fetch archived as `records` (before its place in the WARC file is known): for a revisit, the
/// payload is the earlier response's, and a 304 keeps the earlier validators it does not repeat.
fn fetch_meta(
    fetch: &Fetch,
    fetched_at: DateTime<Utc>,
    kind: RecordKind,
    previous: Option<&FetchEntry>,
    payload_digest: String,
    records: &ExchangeRecords,
) -> FetchMeta {
    let header =
        |name: &str| fetch.response_headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone());
    let (etag, last_modified) = match (&kind, &previous) {
        (RecordKind::RevisitNotModified, Some(p)) => {
            (header("ETag").or_else(|| p.etag.clone()), header("Last-Modified").or_else(|| p.last_modified.clone()))
        }
        _ => (header("ETag"), header("Last-Modified")),
    };
    let (payload, payload_uri, payload_date, payload_digest) = match (&kind, &previous) {
        (RecordKind::Response, _) => (None, fetch.url.as_str().to_string(), fetched_at, payload_digest),
        (_, Some(p)) => (Some(p.payload.clone()), p.payload_uri.clone(), p.payload_date, p.payload_digest.clone()),
        _ => unreachable!("revisit without previous"),
    };
    FetchMeta {
        url: fetch.url.clone(),
        fetched_at,
        status: fetch.status,
        depth: fetch.depth,
        kind,
        response_id: records.response.record_id.clone(),
        request_id: records.request.record_id.clone(),
        payload_digest,
        payload,
        payload_uri,
        payload_date,
        etag,
        last_modified,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::*;
    use std::io::Write;

    #[test]
    pub(super) fn fetch_round_trips_with_request_response_and_decoded_body() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let s = site("a");
        let snap = store.begin_snapshot(&s).unwrap();
        assert_eq!((snap.seq, snap.resumed), (1, false));
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all("<html>通知公告</html>".as_bytes()).unwrap();
        let body = gz.finish().unwrap();
        let f = fetch(
            "http://a.gov.cn/",
            0,
            (
                200,
                vec![("Content-Type".into(), "text/html".into()), ("Content-Encoding".into(), "gzip".into())],
                body.clone(),
            ),
        );
        let rec = store.record_fetch(&snap, &f).unwrap();
        assert!(!rec.duplicate);
        assert_eq!(rec.entry.kind, RecordKind::Response);
        assert_eq!(rec.entry.payload_digest, warc::sha1_digest(&body));
        let r = store.read_record(&rec.entry.warc).unwrap();
        assert_eq!(r.record_type(), Some("response"));
        assert_eq!(r.header("WARC-Payload-Digest"), Some(warc::sha1_digest(&body).as_str()));
        assert_eq!(r.header("WARC-IP-Address"), Some("127.0.0.1"));
        assert_eq!(r.header("Content-Type"), Some("application/http;msgtype=response"));
        let q = store.read_record(&rec.entry.request).unwrap();
        assert_eq!(q.record_type(), Some("request"));
        assert_eq!(q.header("WARC-Concurrent-To"), Some(format!("<{}>", rec.entry.warc.record_id).as_str()));
        assert!(String::from_utf8_lossy(&q.block).starts_with("GET / HTTP/1.1\r\nHost: a.gov.cn\r\n"));
        // A second record_fetch of the same URL writes nothing.
        let again = store.record_fetch(&snap, &f).unwrap();
        assert!(again.duplicate);
        assert_eq!(again.entry, rec.entry);
        store.finish_snapshot(&snap).unwrap();

        let cap = store.latest_capture("a").unwrap().unwrap();
        assert_eq!(cap.site, s);
        assert!(cap.snapshot.finished_at.is_some());
        assert_eq!(cap.pages.len(), 1);
        assert_eq!(cap.pages[0].body, "<html>通知公告</html>".as_bytes());
        assert_eq!(cap.pages[0].header("content-encoding"), Some("gzip"));
        assert_eq!(cap.pages[0].warc, rec.entry.warc);
        assert_eq!(store.fetch_count().unwrap(), 1);
        // warcinfo first, then the snapshot's start, response + request + the fetch's index entry, the finish.
        let recs = all_records(&store);
        let types: Vec<_> = recs.iter().map(|(_, r)| r.record_type().unwrap().to_string()).collect();
        assert_eq!(types, ["warcinfo", "metadata", "response", "request", "metadata", "metadata"]);
        let m = &recs[4].1;
        assert_eq!(m.header("Content-Type"), Some("application/json"));
        assert_eq!(m.header("WARC-Refers-To"), Some(format!("<{}>", rec.entry.warc.record_id).as_str()));
        match Meta::from_record(m).unwrap().unwrap() {
            Meta::Fetch { site_id, seq, fetch } => {
                assert_eq!((site_id.as_str(), seq), ("a", 1));
                assert_eq!(fetch.to_entry(rec.entry.warc.clone(), rec.entry.request.clone()), rec.entry);
            }
            other => panic!("not a fetch: {other:?}"),
        }
        let info_id = format!("<{}>", recs[0].1.record_id().unwrap());
        assert!(recs[1..].iter().all(|(_, r)| r.header("WARC-Warcinfo-ID") == Some(info_id.as_str())));
        let info = String::from_utf8_lossy(&recs[0].1.block).into_owned();
        assert!(info.contains(&format!("software: {SOFTWARE}")), "{info}");
        assert!(info.contains("robots: obey"));
    }

    #[test]
    pub(super) fn unchanged_payload_becomes_identical_payload_revisit() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let s = site("b");
        let s1 = store.begin_snapshot(&s).unwrap();
        let first = store
            .record_fetch(&s1, &fetch("http://b.gov.cn/", 0, html(200, "<p>same</p>", &[("ETag", "\"v1\"")])))
            .unwrap();
        store.record_fetch(&s1, &fetch("http://b.gov.cn/x", 1, html(200, "<p>old</p>", &[]))).unwrap();
        store.finish_snapshot(&s1).unwrap();

        let s2 = store.begin_snapshot(&s).unwrap();
        assert_eq!((s2.seq, s2.resumed), (2, false));
        assert_eq!(
            store.previous_validators(&s2, &url("http://b.gov.cn/")).unwrap(),
            Some(Validators { etag: Some("\"v1\"".into()), last_modified: None })
        );
        assert_eq!(store.previous_validators(&s2, &url("http://b.gov.cn/x")).unwrap(), None);
        let same = store
            .record_fetch(&s2, &fetch("http://b.gov.cn/", 0, html(200, "<p>same</p>", &[("ETag", "\"v1\"")])))
            .unwrap();
        assert_eq!(same.entry.kind, RecordKind::RevisitIdentical);
        assert_eq!(same.entry.payload, first.entry.warc);
        let changed = store.record_fetch(&s2, &fetch("http://b.gov.cn/x", 1, html(200, "<p>new</p>", &[]))).unwrap();
        assert_eq!(changed.entry.kind, RecordKind::Response);
        let r = store.read_record(&same.entry.warc).unwrap();
        assert_eq!(r.record_type(), Some("revisit"));
        assert_eq!(r.header("WARC-Profile"), Some(warc::PROFILE_IDENTICAL));
        assert_eq!(r.header("WARC-Refers-To-Target-URI"), Some("http://b.gov.cn/"));
        assert_eq!(r.header("WARC-Refers-To"), Some(format!("<{}>", first.entry.warc.record_id).as_str()));
        assert_eq!(r.header("WARC-Refers-To-Date"), Some(warc::warc_date(&first.entry.fetched_at).as_str()));
        assert!(r.http_response().unwrap().body.is_empty());
        store.finish_snapshot(&s2).unwrap();

        // A third snapshot still refers to the original response, not to the revisit.
        let s3 = store.begin_snapshot(&s).unwrap();
        let third = store.record_fetch(&s3, &fetch("http://b.gov.cn/", 0, html(200, "<p>same</p>", &[]))).unwrap();
        assert_eq!(third.entry.kind, RecordKind::RevisitIdentical);
        assert_eq!(third.entry.payload, first.entry.warc);
        store.finish_snapshot(&s3).unwrap();

        let cap = store.latest_capture("b").unwrap().unwrap();
        assert_eq!(cap.snapshot.seq, 3);
        assert_eq!(cap.pages.len(), 1);
        assert_eq!(cap.pages[0].body, b"<p>same</p>");
        assert_eq!(cap.pages[0].status, 200);
        assert_eq!(cap.pages[0].warc, third.entry.warc);
        assert_eq!(store.snapshots("b").unwrap().len(), 3);
    }

    #[test]
    pub(super) fn not_modified_becomes_server_not_modified_revisit() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let s = site("c");
        let s1 = store.begin_snapshot(&s).unwrap();
        let lm = "Sat, 01 Nov 2026 00:00:00 GMT";
        let first = store
            .record_fetch(&s1, &fetch("http://c.gov.cn/", 0, html(200, "<p>x</p>", &[("Last-Modified", lm)])))
            .unwrap();
        store.finish_snapshot(&s1).unwrap();
        let s2 = store.begin_snapshot(&s).unwrap();
        let v = store.previous_validators(&s2, &url("http://c.gov.cn/")).unwrap().unwrap();
        assert_eq!(v.last_modified.as_deref(), Some(lm));
        assert_eq!(v.request_headers(), [("If-Modified-Since".to_string(), lm.to_string())]);
        let mut f = fetch("http://c.gov.cn/", 0, (304, vec![("Date".into(), "x".into())], Vec::new()));
        f.request_headers.push(("If-Modified-Since".into(), lm.into()));
        let nm = store.record_fetch(&s2, &f).unwrap();
        assert_eq!(nm.entry.kind, RecordKind::RevisitNotModified);
        assert_eq!(nm.entry.payload, first.entry.warc);
        assert_eq!(nm.entry.payload_digest, first.entry.payload_digest);
        assert_eq!(nm.entry.last_modified.as_deref(), Some(lm), "validators carried over");
        let r = store.read_record(&nm.entry.warc).unwrap();
        assert_eq!(r.record_type(), Some("revisit"));
        assert_eq!(r.header("WARC-Profile"), Some(warc::PROFILE_NOT_MODIFIED));
        assert!(r.block.is_empty(), "a 304 revisit's block is empty (replayed as the earlier page)");
        store.finish_snapshot(&s2).unwrap();
        let page = &store.latest_capture("c").unwrap().unwrap().pages[0];
        assert_eq!(page.status, 200, "an unchanged page shows the original status");
        assert_eq!(page.body, b"<p>x</p>");
        assert_eq!(page.header("Content-Type"), Some("text/html; charset=utf-8"));
        assert_eq!(page.warc, nm.entry.warc);
    }

    #[test]
    pub(super) fn unsolicited_304_without_earlier_capture_is_a_plain_response() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let snap = store.begin_snapshot(&site("d")).unwrap();
        let r = store.record_fetch(&snap, &fetch("http://d.gov.cn/", 0, (304, vec![], vec![]))).unwrap();
        assert_eq!(r.entry.kind, RecordKind::Response);
    }
}
