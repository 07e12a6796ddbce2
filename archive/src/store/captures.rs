//! The read side for scoring: a site's latest capture, pages read back (revisits resolved, content decoded).

use anyhow::Result;
use gongkai_config::Site;

use super::*;
use crate::capture::{CapturedPage, FetchFailure, SiteCapture, SnapshotInfo};
use crate::content::decode_content;

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
    /// file) is reported in `failures` as `archived record unreadable: …` instead. Bodies are content-decoded (when decoding fails, e.g. a body that is not really gzip,
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
                    tracing::error!(url = %e.url, "archived record unreadable: {err:#}");
                    failures.push(FetchFailure {
                        url: e.url.clone(),
                        at: e.fetched_at,
                        error: format!("archived record unreadable: {err:#}"),
                    });
                }
            }
        }
        Ok(Some(SiteCapture {
            site,
            snapshot: info,
            pages,
            failures,
            link_checks: self.link_checks(&snap)?,
            probes: self.probes(site_id)?,
        }))
    }

    /// Read one archived fetch back as a page (revisits resolved, content decoded; see [`Store::latest_capture`]).
    /// The crawler uses it for link discovery after a 304.
    pub fn load_page(&self, e: &FetchEntry) -> Result<CapturedPage> {
        let own = self.read_record(&e.warc)?.http_response()?;
        let (status, headers, payload_resp) = match e.kind {
            RecordKind::Response => (own.status, own.headers.clone(), own),
            RecordKind::RevisitIdentical => {
                let orig = self.read_record(&e.payload)?.http_response()?;
                (own.status, own.headers, orig)
            }
            // A 304 answer says the page is unchanged: what the site shows is the original response, so scoring sees
            // its status (a 304 is not a redirect nor an error page). The revisit record stays the page's evidence.
            RecordKind::RevisitNotModified => {
                let orig = self.read_record(&e.payload)?.http_response()?;
                (orig.status, orig.headers.clone(), orig)
            }
        };
        let body =
            match decode_content(&payload_resp.body, payload_resp.header("Content-Encoding"), MAX_DECODED_PAYLOAD) {
                Ok(b) => b,
                Err(err) => {
                    tracing::warn!(url = %e.url, "keeping the archived body: {err:#}");
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
