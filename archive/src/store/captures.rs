//! The read side for scoring: a site's latest capture, pages read back (revisits resolved, content decoded).

use anyhow::{Context, Result};
use gongkai_config::Site;

use super::*;
use crate::capture::{CapturedPage, FetchFailure, SiteCapture, SnapshotInfo, WarcRef};
use crate::content::decode_content;
use crate::meta::Meta;

/// Most revisits followed from one record to the payload (gongkai's revisits refer to a response directly; a longer
/// chain comes from other tools' files, and a loop must end).
const MAX_REVISIT_HOPS: usize = 16;

impl Store {
    /// The snapshot scoring reads for a site: its latest finished snapshot, or — when no crawl of it ever finished — its
    /// latest unfinished one (`finished_at` is then None).
    pub fn latest_snapshot(&self, site_id: &str) -> Result<Option<(SnapshotInfo, Site)>> {
        let recs: Vec<SnapshotRecord> = self.scan(&prefix(&[K_SNAP, site_id.as_bytes()]))?;
        let pick = recs.iter().rev().find(|r| r.info.finished_at.is_some()).or_else(|| recs.last());
        Ok(pick.map(|r| (r.info.clone(), r.site.clone())))
    }

    /// Everything scoring needs about a site's latest snapshot ([`Store::latest_snapshot`]); None if it has none.
    ///
    /// Pages are in fetch order. A page whose archived record cannot be read (only after a system crash or a damaged
    /// file) is reported in `failures` as `已存档的记录无法读取：…` instead. Bodies are content-decoded (when decoding fails, e.g. a body that is not really gzip,
    /// the archived bytes are kept and a warning logged). A revisit is resolved to the payload it refers to: the page
    /// keeps the revisit's own record and time; its status and headers are the revisit's for an identical-payload
    /// revisit, and the original response's for a 304 (the answer says the page is unchanged; its own headers say little).
    pub fn latest_capture(&self, site_id: &str) -> Result<Option<SiteCapture>> {
        let Some((info, site)) = self.latest_snapshot(site_id)? else { return Ok(None) };
        let snap =
            Snapshot { site_id: site_id.to_string(), seq: info.seq, started_at: info.started_at, resumed: false };
        let mut entries = self.fetch_entries(&snap)?;
        entries.sort_by(|a, b| a.fetched_at.cmp(&b.fetched_at).then_with(|| a.url.as_str().cmp(b.url.as_str())));
        let mut pages = Vec::with_capacity(entries.len());
        let mut failures = self.failures(&snap)?;
        for e in &entries {
            match self.load_page(e) {
                Ok(p) => pages.push(p),
                Err(err) => {
                    // Only after a system crash or tampering with the files; say so rather than fail the whole site.
                    tracing::error!(url = %e.url, "已存档的记录无法读取：{err:#}");
                    failures.push(FetchFailure {
                        url: e.url.clone(),
                        at: e.fetched_at,
                        error: format!("已存档的记录无法读取：{err:#}"),
                    });
                }
            }
        }
        Ok(Some(SiteCapture {
            site,
            snapshot: info,
            pages,
            failures,
            link_checks: self.link_checks_with_pages(&snap)?,
            probes: self.probes(site_id)?,
            ipv6: self.ipv6_check(&snap)?,
            tls: self.tls_checks(&snap)?,
        }))
    }

    /// The snapshot's link checks, each linked page's body and headers read back from its record. A record that cannot
    /// be read (only after a crash or a damaged file) leaves the check without its page, with a warning: nothing is
    /// judged on a page that is not there.
    fn link_checks_with_pages(&self, snap: &Snapshot) -> Result<Vec<crate::capture::LinkCheck>> {
        let mut checks = self.link_checks(snap)?;
        for c in &mut checks {
            let Some(p) = c.page.as_mut() else { continue };
            match self.read_record(&p.warc).and_then(|r| r.http_response()) {
                Ok(resp) => {
                    // A compressed page cut at the cap is decoded as far as it goes.
                    let enc = resp.header("Content-Encoding");
                    p.body = decode_content(&resp.body, enc, MAX_DECODED_PAYLOAD).unwrap_or_else(|_| {
                        crate::content::decode_content_prefix(&resp.body, enc, MAX_DECODED_PAYLOAD)
                    });
                    p.headers = resp.headers;
                }
                Err(err) => {
                    tracing::error!(url = %p.url, "所链接页面的记录无法读取：{err:#}");
                    c.page = None;
                }
            }
        }
        Ok(checks)
    }

    /// Read one archived fetch back as a page (revisits resolved, content decoded; see [`Store::latest_capture`]).
    /// The crawler uses it for link discovery after a 304.
    pub fn load_page(&self, e: &FetchEntry) -> Result<CapturedPage> {
        let (status, headers, payload_resp) = match e.kind {
            RecordKind::Response => {
                let own = self.read_record(&e.warc)?.http_response()?;
                (own.status, own.headers.clone(), own)
            }
            RecordKind::RevisitIdentical => {
                let own = self.read_record(&e.warc)?.http_response()?;
                let orig = self.read_record(&e.payload)?.http_response()?;
                (own.status, own.headers, orig)
            }
            // A 304 answer says the page is unchanged: what the site shows is the original response, so scoring sees
            // its status (a 304 is not a redirect nor an error page). The revisit record stays the page's evidence.
            // Its block is empty (see `ExchangeRecords::build`); the record is still read, so a missing one is an
            // error here as for the other kinds.
            RecordKind::RevisitNotModified => {
                self.read_record(&e.warc)?;
                let orig = self.read_record(&e.payload)?.http_response()?;
                (orig.status, orig.headers.clone(), orig)
            }
        };
        let body =
            match decode_content(&payload_resp.body, payload_resp.header("Content-Encoding"), MAX_DECODED_PAYLOAD) {
                Ok(b) => b,
                Err(err) => {
                    tracing::warn!(url = %e.url, "保留存档的原始内容：{err:#}");
                    payload_resp.body
                }
            };
        Ok(CapturedPage {
            url: e.url.clone(),
            fetched_at: e.fetched_at,
            status,
            headers,
            body,
            depth: e.depth,
            warc: e.warc.clone(),
        })
    }

    /// Where the payload of the record at `loc` is: `loc` itself for a `response` (or any record that is not a
    /// `revisit`); for a `revisit`, the record it refers to (`WARC-Refers-To`), followed until a record that is not a
    /// revisit. This is the one place that follows the chain: evidence in results.json, the reports, `gongkai serve`
    /// and WACZ export call it to get from a month's own record (e.g. a server-not-modified revisit, which holds no
    /// page) to the bytes of the page.
    ///
    /// Each hop is found from the WARC files alone when gongkai wrote them (the exchange's index metadata record
    /// follows its request record and names the payload's place), else from the fetch index (the sites' snapshots
    /// that fetched the revisit's URL). Every record read is checked against its expected record id.
    ///
    /// # Errors
    /// The record at `loc` (or one it refers to) cannot be read, a revisit names no `WARC-Refers-To`, its referent is
    /// not in this store, or the chain is longer than 16 revisits (a loop).
    pub fn resolve_payload(&self, loc: &WarcRef) -> Result<WarcRef> {
        let mut cur = loc.clone();
        for _ in 0..MAX_REVISIT_HOPS {
            let rec = self.read_record(&cur)?;
            if rec.record_type() != Some("revisit") {
                return Ok(cur);
            }
            let refers = rec
                .header("WARC-Refers-To")
                .map(crate::warc::strip_brackets)
                .with_context(|| format!("{}@{}：revisit 记录缺少 WARC-Refers-To", cur.file, cur.offset))?
                .to_string();
            let next = match self.referent_from_meta(&cur, &rec, &refers)? {
                Some(r) => r,
                None => self.referent_from_index(&cur, &rec, &refers)?.with_context(|| {
                    format!("{}@{}：它所引用的记录（{refers}）不在本存储库中", cur.file, cur.offset)
                })?,
            };
            cur = next;
        }
        anyhow::bail!("{}@{}：连续超过 {MAX_REVISIT_HOPS} 条 revisit 记录", loc.file, loc.offset)
    }

    /// The referent of the revisit `rec` (at `at`) as its exchange's index metadata record names it: gongkai writes
    /// revisit, request and metadata records in one append, so the metadata record is one of the two that follow.
    fn referent_from_meta(&self, at: &WarcRef, rec: &crate::warc::WarcRecord, refers: &str) -> Result<Option<WarcRef>> {
        let path = self.warc_path(&at.file);
        let mut offset = at.offset + rec.length;
        for _ in 0..2 {
            let Ok(next) = crate::warc::read_record_at(&path, offset) else { return Ok(None) };
            if let Some(Ok(Meta::Fetch { fetch, .. })) = Meta::from_record(&next) {
                if fetch.response_id != at.record_id {
                    return Ok(None);
                }
                return Ok(fetch.payload.filter(|p| p.record_id == refers));
            }
            offset = next.offset + next.length;
        }
        Ok(None)
    }

    /// The referent of the revisit `rec` (at `at`) from the fetch index: the entry of the revisit's URL whose record is
    /// `at`, in any site's snapshot.
    fn referent_from_index(
        &self,
        at: &WarcRef,
        rec: &crate::warc::WarcRecord,
        refers: &str,
    ) -> Result<Option<WarcRef>> {
        let Some(uri) = rec.target_uri() else { return Ok(None) };
        for site in self.sites()? {
            for snap in self.snapshots(&site.id)? {
                let k = key(&[K_FETCH, site.id.as_bytes(), &be(snap.seq), uri.as_bytes()]);
                if let Some(e) = self.get::<FetchEntry>(&k)? {
                    if e.warc == *at && e.payload.record_id == refers {
                        return Ok(Some(e.payload));
                    }
                }
            }
        }
        Ok(None)
    }

    /// The latest capture of every site in the store, one site at a time (scoring 500 sites never holds more than one
    /// in memory). Sites without a snapshot (only probed) are skipped.
    pub fn captures(&self) -> Result<impl Iterator<Item = Result<SiteCapture>> + '_> {
        let ids: Vec<String> = self.sites()?.into_iter().map(|s| s.id).collect();
        Ok(ids.into_iter().filter_map(move |id| self.latest_capture(&id).transpose()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::*;

    #[test]
    pub(super) fn revisits_resolve_to_the_response_that_holds_the_payload() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let s = site("r");
        let s1 = store.begin_snapshot(&s).unwrap();
        let first = store
            .record_fetch(&s1, &fetch("http://r.gov.cn/", 0, html(200, "<p>page</p>", &[("ETag", "\"e\"")])))
            .unwrap();
        store.finish_snapshot(&s1).unwrap();
        assert_eq!(
            store.resolve_payload(&first.entry.warc).unwrap(),
            first.entry.warc,
            "a response is its own payload"
        );
        // Month two: a 304 (server-not-modified revisit, empty block); month three: the same bytes again.
        let s2 = store.begin_snapshot(&s).unwrap();
        let nm = store.record_fetch(&s2, &fetch("http://r.gov.cn/", 0, (304, vec![], vec![]))).unwrap();
        store.finish_snapshot(&s2).unwrap();
        let s3 = store.begin_snapshot(&s).unwrap();
        let same = store.record_fetch(&s3, &fetch("http://r.gov.cn/", 0, html(200, "<p>page</p>", &[]))).unwrap();
        store.finish_snapshot(&s3).unwrap();
        for rev in [&nm, &same] {
            assert_ne!(rev.entry.warc, first.entry.warc);
            let p = store.resolve_payload(&rev.entry.warc).unwrap();
            assert_eq!(p, first.entry.warc);
            assert_eq!(store.read_record(&p).unwrap().http_response().unwrap().body, b"<p>page</p>");
        }
        let r = store.read_record(&nm.entry.warc).unwrap();
        assert!(r.block.is_empty(), "a 304 revisit holds no head of its own, so replay serves the earlier page");
        assert_eq!(r.header("Content-Type"), None);
        assert_eq!(store.latest_capture("r").unwrap().unwrap().pages[0].body, b"<p>page</p>");
        // Found from the index too (a record not followed by gongkai's metadata record).
        let rec = store.read_record(&nm.entry.warc).unwrap();
        let via_index = store.referent_from_index(&nm.entry.warc, &rec, &first.entry.warc.record_id).unwrap();
        assert_eq!(via_index, Some(first.entry.warc.clone()));
        // A location that names the wrong record is an error, not a guess.
        let wrong = WarcRef { record_id: "urn:uuid:0".into(), ..first.entry.warc.clone() };
        assert!(store.resolve_payload(&wrong).is_err());
    }

    #[test]
    pub(super) fn unfinished_snapshot_is_read_only_when_no_finished_one_exists() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let s = site("i");
        let s1 = store.begin_snapshot(&s).unwrap();
        store.record_fetch(&s1, &fetch("http://i.gov.cn/", 0, html(200, "one", &[]))).unwrap();
        let cap = store.latest_capture("i").unwrap().unwrap();
        assert_eq!(cap.snapshot.finished_at, None);
        store.finish_snapshot(&s1).unwrap();
        let s2 = store.begin_snapshot(&s).unwrap();
        store.record_fetch(&s2, &fetch("http://i.gov.cn/", 0, html(200, "two", &[]))).unwrap();
        let cap = store.latest_capture("i").unwrap().unwrap();
        assert_eq!(cap.snapshot.seq, 1, "the finished snapshot wins over an unfinished later one");
        assert_eq!(cap.pages[0].body, b"one");
    }
}
