//! Failures, link checks and probes: what the crawler recorded besides fetches.

use anyhow::Result;
use chrono::SubsecRound;
use url::Url;

use super::*;
use crate::capture::{FetchFailure, LinkCheck, Probe, WarcRef};
use crate::meta::Meta;
use crate::store::Fetch;
use crate::warc::{self, ExchangeRecords};

impl Store {
    /// Record a fetch that produced no HTTP response after all retries; marks the URL done in the frontier.
    pub fn record_failure(&self, snap: &Snapshot, failure: &FetchFailure) -> Result<()> {
        let (id, seq) = snap_parts(snap);
        let mut w = lock(&self.inner.writer);
        let (file, end) = self.append_meta(
            &mut w,
            &[Meta::Failure { site_id: snap.site_id.clone(), seq: snap.seq, failure: failure.clone() }],
        )?;
        let mut claims = lock(&self.inner.frontier);
        let fkey = key(&[K_FAIL, &id, &seq, failure.url.as_str().as_bytes()]);
        let mut counts = self.counts(snap)?;
        let mut b = Batch::default();
        b.insert(key(&[K_WEND, file.as_bytes()]), to_json(&end));
        let depth = self
            .get::<UrlRecord>(&key(&[K_URL, &id, &seq, failure.url.as_str().as_bytes()]))?
            .map(|r| r.entry.depth)
            .unwrap_or(0);
        self.mark_done(&mut claims, &mut b, &mut counts, snap, &failure.url, depth)?;
        if self.db().get(&fkey)?.is_none() {
            counts.failed += 1;
        }
        b.insert(fkey, to_json(failure));
        b.insert(key(&[K_COUNT, &id, &seq]), to_json(&counts));
        self.apply(b)?;
        Ok(())
    }

    /// Failures recorded in a snapshot.
    pub fn failures(&self, snap: &Snapshot) -> Result<Vec<FetchFailure>> {
        let (id, seq) = snap_parts(snap);
        self.scan(&prefix(&[K_FAIL, &id, &seq]))
    }

    /// Record the outcome of checking one link target (replaces an earlier check of the same target in this snapshot).
    pub fn record_link_check(&self, snap: &Snapshot, check: &LinkCheck) -> Result<()> {
        self.record_link_checks(snap, std::slice::from_ref(check))
    }

    /// [`record_link_check`](Self::record_link_check) for many targets in one write: one `link_check` record each,
    /// appended together, and one index batch. For the outcomes that need no request (the crawl's own fetches, the
    /// targets past the budget): written one by one, the 99,856 of a page with 100,000 links took its crawl from
    /// 11.8 s to 20.1 s (fault farm, release build).
    pub fn record_link_checks(&self, snap: &Snapshot, checks: &[LinkCheck]) -> Result<()> {
        if checks.is_empty() {
            return Ok(());
        }
        let (id, seq) = snap_parts(snap);
        let metas: Vec<Meta> = checks
            .iter()
            .map(|c| Meta::LinkCheck { site_id: snap.site_id.clone(), seq: snap.seq, check: c.clone() })
            .collect();
        let mut w = lock(&self.inner.writer);
        let (file, end) = self.append_meta(&mut w, &metas)?;
        let mut b = Batch::default();
        for check in checks {
            b.insert(key(&[K_LINK, &id, &seq, check.target.as_str().as_bytes()]), to_json(check));
        }
        b.insert(key(&[K_WEND, file.as_bytes()]), to_json(&end));
        self.apply(b)?;
        Ok(())
    }

    /// Archive the page an outbound link target answered with: its `response` and `request` records and a `linked_page`
    /// metadata record naming them, in one write (so a rebuild knows the response for what it is). Not a fetch of the
    /// site: it is neither in the site's pages nor in its frontier. Returns the response record, for the
    /// [`LinkedPage`](crate::LinkedPage) of the link checks that cite it (one archived page serves every site of the
    /// crawl that links to it).
    pub fn record_linked_page(&self, snap: &Snapshot, fetch: &Fetch) -> Result<WarcRef> {
        let fetched_at = fetch.fetched_at.trunc_subsecs(6);
        let digest = warc::sha1_digest(&fetch.body);
        let ExchangeRecords { response: resp, request: req } = ExchangeRecords::build(fetch, fetched_at, &digest, None);
        let meta = Meta::LinkedPage {
            site_id: snap.site_id.clone(),
            seq: snap.seq,
            url: fetch.url.clone(),
            response_id: resp.record_id.clone(),
            request_id: req.record_id.clone(),
        }
        .record(fetched_at);
        let build = |warcinfo_id: &str| {
            let wid = format!("<{warcinfo_id}>");
            [&resp, &req, &meta].iter().map(|r| r.to_gzip_with("WARC-Warcinfo-ID", &wid)).collect()
        };
        let mut w = lock(&self.inner.writer);
        let (file, offsets, end) = self.append(&mut w, None, &build)?;
        let mut b = Batch::default();
        b.insert(key(&[K_WEND, file.as_bytes()]), to_json(&end));
        self.apply(b)?;
        Ok(WarcRef { file, offset: offsets[0], record_id: resp.record_id.clone() })
    }

    /// The check of `target` recorded in this snapshot, if any (so each target is checked once per crawl).
    pub fn link_check(&self, snap: &Snapshot, target: &Url) -> Result<Option<LinkCheck>> {
        let (id, seq) = snap_parts(snap);
        self.get(&key(&[K_LINK, &id, &seq, target.as_str().as_bytes()]))
    }

    /// The pages outbound link targets showed in this snapshot ([`Store::record_linked_page`]), as fetch entries a
    /// replay index can serve (`gongkai serve` opens them where a finding cites them). Not the site's fetches: depth 1,
    /// and `request` names the response record too (a linked page's request record is archived beside it, not indexed).
    pub fn linked_page_entries(&self, snap: &Snapshot) -> Result<Vec<crate::store::FetchEntry>> {
        let mut seen = std::collections::HashSet::new();
        let mut out = Vec::new();
        for c in self.link_checks(snap)? {
            let Some(p) = c.page else { continue };
            if !seen.insert(p.warc.record_id.clone()) {
                continue;
            }
            out.push(crate::store::FetchEntry {
                url: p.url.clone(),
                fetched_at: c.checked_at,
                status: p.status,
                depth: 1,
                kind: crate::store::RecordKind::Response,
                request: p.warc.clone(),
                payload: p.warc.clone(),
                payload_digest: String::new(),
                payload_uri: p.url.to_string(),
                payload_date: c.checked_at,
                etag: None,
                last_modified: None,
                warc: p.warc,
            });
        }
        Ok(out)
    }

    /// Every link check of a snapshot.
    pub fn link_checks(&self, snap: &Snapshot) -> Result<Vec<LinkCheck>> {
        let (id, seq) = snap_parts(snap);
        self.scan(&prefix(&[K_LINK, &id, &seq]))
    }

    /// Store one home-page probe (monitor or crawl).
    pub fn record_probe(&self, probe: &Probe) -> Result<()> {
        site_key_ok(&probe.site_id)?;
        let micros = probe.at.timestamp_micros().max(0) as u64;
        let mut w = lock(&self.inner.writer);
        let (file, end) = self.append_meta(&mut w, &[Meta::Probe { probe: probe.clone() }])?;
        let n = self.db().generate_id()?;
        let mut b = Batch::default();
        b.insert(key(&[K_PROBE, probe.site_id.as_bytes(), &be(micros), &be(n)]), to_json(probe));
        b.insert(key(&[K_WEND, file.as_bytes()]), to_json(&end));
        self.apply(b)?;
        Ok(())
    }

    /// Every probe of a site, oldest first.
    pub fn probes(&self, site_id: &str) -> Result<Vec<Probe>> {
        self.scan(&prefix(&[K_PROBE, site_id.as_bytes()]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::*;
    use crate::store::test_support::*;
    use chrono::Utc;

    #[test]
    pub(super) fn probes_link_checks_sites_and_captures() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let (s1, s2, s3) = (site("h1"), site("h2"), site("h3"));
        store.put_site(&s3).unwrap();
        let t0 = Utc::now();
        for (i, ok) in [(2, true), (0, false), (1, true)] {
            store
                .record_probe(&Probe {
                    site_id: "h1".into(),
                    url: s1.url.clone(),
                    at: t0 + chrono::Duration::seconds(i),
                    duration_ms: 10,
                    status: ok.then_some(200),
                    error: (!ok).then(|| "timeout".into()),
                    source: ProbeSource::Monitor,
                })
                .unwrap();
        }
        let probes = store.probes("h1").unwrap();
        assert_eq!(probes.len(), 3);
        assert!(probes.windows(2).all(|w| w[0].at <= w[1].at), "oldest first");
        assert!(store.probes("h").unwrap().is_empty(), "no prefix confusion between site ids");
        for s in [&s1, &s2] {
            let snap = store.begin_snapshot(s).unwrap();
            store.record_fetch(&snap, &fetch(s.url.as_str(), 0, html(200, &s.id, &[]))).unwrap();
            let target = url("http://elsewhere.gov.cn/dead");
            assert!(store.link_check(&snap, &target).unwrap().is_none());
            let check = LinkCheck {
                target: target.clone(),
                checked_at: Utc::now(),
                outcome: LinkOutcome::Status { status: 404 },
                page: None,
            };
            store.record_link_check(&snap, &check).unwrap();
            assert_eq!(store.link_check(&snap, &target).unwrap(), Some(check));
            store.finish_snapshot(&snap).unwrap();
        }
        let ids: Vec<_> = store.sites().unwrap().into_iter().map(|s| s.id).collect();
        assert_eq!(ids, ["h1", "h2", "h3"]);
        let caps: Vec<SiteCapture> = store.captures().unwrap().collect::<Result<_>>().unwrap();
        assert_eq!(caps.len(), 2, "h3 has no snapshot");
        assert_eq!(caps[0].site.id, "h1");
        assert_eq!(caps[0].probes.len(), 3);
        assert_eq!(caps[0].link_checks.len(), 1);
        assert!(caps[0].link_checks[0].is_broken());
        assert_eq!(caps[1].pages[0].body, b"h2");
        assert_eq!(store.fetch_count().unwrap(), 2);
    }

    #[test]
    pub(super) fn a_linked_page_is_archived_once_cited_by_link_checks_and_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let c = {
            let store = Store::open(dir.path()).unwrap();
            let (a, b) = (site("la"), site("lb"));
            let (sa, sb) = (store.begin_snapshot(&a).unwrap(), store.begin_snapshot(&b).unwrap());
            for (s, snap) in [(&a, &sa), (&b, &sb)] {
                store.record_fetch(snap, &fetch(s.url.as_str(), 0, html(200, "home", &[]))).unwrap();
            }
            let page = fetch("http://spam.example.com/", 0, html(200, "<title>百家乐</title>", &[]));
            let warc = store.record_linked_page(&sa, &page).unwrap();
            let rec = store.read_record(&warc).unwrap();
            assert_eq!(rec.record_type(), Some("response"));
            assert_eq!(rec.target_uri(), Some("http://spam.example.com/"), "replay tools see the page itself");
            let linked = LinkedPage {
                url: page.url.clone(),
                domain: Some("example.com".into()),
                target_domain: Some("partner.org.cn".into()),
                status: 200,
                warc,
                body: Vec::new(),
                headers: Vec::new(),
            };
            let check = LinkCheck {
                target: url("http://www.partner.org.cn/"),
                checked_at: Utc::now(),
                outcome: LinkOutcome::Status { status: 200 },
                page: Some(linked),
            };
            for snap in [&sa, &sb] {
                store.record_link_check(snap, &check).unwrap();
                store.finish_snapshot(snap).unwrap();
            }
            for id in ["la", "lb"] {
                let cap = store.latest_capture(id).unwrap().unwrap();
                assert_eq!(cap.pages.len(), 1, "the linked page is not a page of the site");
                let p = cap.link_checks[0].page.as_ref().unwrap();
                assert_eq!(p.body, "<title>百家乐</title>".as_bytes());
                assert!(p.headers.iter().any(|(k, _)| k == "Content-Type"));
            }
            check
        };
        let sum = Store::rebuild_index(dir.path()).unwrap();
        assert!(sum.undescribed.is_empty(), "the linked page is described: {:?}", sum.undescribed);
        let store = Store::open(dir.path()).unwrap();
        let cap = store.latest_capture("lb").unwrap().unwrap();
        let p = cap.link_checks[0].page.as_ref().unwrap();
        assert_eq!(p.warc, c.page.as_ref().unwrap().warc);
        assert_eq!(p.body, "<title>百家乐</title>".as_bytes());
    }
}
