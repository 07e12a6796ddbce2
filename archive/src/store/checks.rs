//! Failures, link checks and probes: what the crawler recorded besides fetches.

use anyhow::Result;
use url::Url;

use super::*;
use crate::capture::{FetchFailure, LinkCheck, Probe};
use crate::meta::Meta;

impl Store {
    /// Record a fetch that produced no HTTP response after all retries; marks the URL done in the frontier.
    pub fn record_failure(&self, snap: &Snapshot, failure: &FetchFailure) -> Result<()> {
        let (id, seq) = snap_parts(snap);
        let mut w = lock(&self.inner.writer);
        let (file, end) = self.append_meta(
            &mut w,
            &[Meta::Failure { site_id: snap.site_id.clone(), seq: snap.seq, failure: failure.clone() }],
        )?;
        let _f = lock(&self.inner.frontier);
        let fkey = key(&[K_FAIL, &id, &seq, failure.url.as_str().as_bytes()]);
        let mut counts = self.counts(snap)?;
        let mut b = sled::Batch::default();
        b.insert(key(&[K_WEND, file.as_bytes()]), to_json(&end));
        let depth = self
            .get::<UrlRecord>(&key(&[K_URL, &id, &seq, failure.url.as_str().as_bytes()]))?
            .map(|r| r.entry.depth)
            .unwrap_or(0);
        self.mark_done(&mut b, &mut counts, snap, &failure.url, depth)?;
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
        let (id, seq) = snap_parts(snap);
        let mut w = lock(&self.inner.writer);
        let (file, end) = self.append_meta(
            &mut w,
            &[Meta::LinkCheck { site_id: snap.site_id.clone(), seq: snap.seq, check: check.clone() }],
        )?;
        let mut b = sled::Batch::default();
        b.insert(key(&[K_LINK, &id, &seq, check.target.as_str().as_bytes()]), to_json(check));
        b.insert(key(&[K_WEND, file.as_bytes()]), to_json(&end));
        self.apply(b)?;
        Ok(())
    }

    /// The check of `target` recorded in this snapshot, if any (so each target is checked once per crawl).
    pub fn link_check(&self, snap: &Snapshot, target: &Url) -> Result<Option<LinkCheck>> {
        let (id, seq) = snap_parts(snap);
        self.get(&key(&[K_LINK, &id, &seq, target.as_str().as_bytes()]))
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
        let mut b = sled::Batch::default();
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
}
