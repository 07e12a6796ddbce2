//! Sites and snapshots: beginning (or resuming) and finishing a crawl of a site.

use anyhow::{Context, Result};
use chrono::{DateTime, SubsecRound, Utc};
use gongkai_config::Site;
use serde::{Deserialize, Serialize};

use super::*;
use crate::capture::SnapshotInfo;
use crate::meta::Meta;

/// One site's crawl in progress, returned by [`Store::begin_snapshot`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub site_id: String,
    /// 1 for the site's first snapshot, then 2, 3, …
    pub seq: u64,
    pub started_at: DateTime<Utc>,
    /// True when this continues an unfinished snapshot (the previous crawl was interrupted).
    pub resumed: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SnapshotRecord {
    pub(crate) info: SnapshotInfo,
    pub(crate) site: Site,
}

impl Store {
    /// Start a crawl of `site`: resumes the site's unfinished snapshot if there is one (same seq; URLs claimed but not
    /// done by the killed process go back to pending), else starts snapshot seq+1. Stores the site's configuration.
    pub fn begin_snapshot(&self, site: &Site) -> Result<Snapshot> {
        site_key_ok(&site.id)?;
        self.writable()?;
        let id = site.id.as_bytes();
        // WARC first (the snapshot as a metadata record), then the index batch; writer lock before frontier lock.
        let mut w = lock(&self.inner.writer);
        let _f = lock(&self.inner.frontier);
        let open: Option<u64> = self.get(&key(&[K_OPEN, id]))?;
        if let Some(seq) = open {
            let skey = key(&[K_SNAP, id, &be(seq)]);
            let mut rec: SnapshotRecord = self.get(&skey)?.context("未完成的快照缺少其记录")?;
            rec.site = site.clone();
            let (file, end) =
                self.append_meta(&mut w, &[Meta::Snapshot { site: site.clone(), info: rec.info.clone() }])?;
            let mut b = Batch::default();
            b.insert(key(&[K_SITE, id]), to_json(site));
            b.insert(skey, to_json(&rec));
            b.insert(key(&[K_WEND, file.as_bytes()]), to_json(&end));
            self.apply(b)?;
            drop(w);
            let snap = Snapshot { site_id: site.id.clone(), seq, started_at: rec.info.started_at, resumed: true };
            let newly_active = lock(&self.inner.active).insert((site.id.clone(), seq));
            if newly_active {
                self.requeue_claimed(&snap)?;
            }
            return Ok(snap);
        }
        let last = self
            .db()
            .scan_prefix(&prefix(&[K_SNAP, id]))
            .last()
            .transpose()?
            .map(|(k, _)| u64::from_be_bytes(k[k.len() - 8..].try_into().expect("8-byte seq")))
            .unwrap_or(0);
        let seq = last + 1;
        let started_at = Utc::now().trunc_subsecs(6);
        let rec = SnapshotRecord { info: SnapshotInfo { seq, started_at, finished_at: None }, site: site.clone() };
        let (file, end) = self.append_meta(&mut w, &[Meta::Snapshot { site: site.clone(), info: rec.info.clone() }])?;
        let mut b = Batch::default();
        b.insert(key(&[K_SITE, id]), to_json(site));
        b.insert(key(&[K_SNAP, id, &be(seq)]), to_json(&rec));
        b.insert(key(&[K_OPEN, id]), to_json(&seq));
        b.insert(key(&[K_WEND, file.as_bytes()]), to_json(&end));
        self.apply(b)?;
        lock(&self.inner.active).insert((site.id.clone(), seq));
        Ok(Snapshot { site_id: site.id.clone(), seq, started_at, resumed: false })
    }

    /// Mark a snapshot finished (its crawl completed) and fsync everything.
    pub fn finish_snapshot(&self, snap: &Snapshot) -> Result<SnapshotInfo> {
        let id = snap.site_id.as_bytes();
        let skey = key(&[K_SNAP, id, &be(snap.seq)]);
        let info = {
            let mut w = lock(&self.inner.writer);
            let _f = lock(&self.inner.frontier);
            let mut rec: SnapshotRecord = self.get(&skey)?.context("未知的快照")?;
            if rec.info.finished_at.is_none() {
                rec.info.finished_at = Some(Utc::now().trunc_subsecs(6));
            }
            let (file, end) =
                self.append_meta(&mut w, &[Meta::Snapshot { site: rec.site.clone(), info: rec.info.clone() }])?;
            let mut b = Batch::default();
            b.insert(skey.clone(), to_json(&rec));
            if self.get::<u64>(&key(&[K_OPEN, id]))? == Some(snap.seq) {
                b.remove(key(&[K_OPEN, id]));
            }
            b.insert(key(&[K_WEND, file.as_bytes()]), to_json(&end));
            self.apply(b)?;
            drop(w);
            lock(&self.inner.active).remove(&(snap.site_id.clone(), snap.seq));
            rec.info
        };
        self.flush()?;
        Ok(info)
    }

    /// All snapshots of a site, oldest first.
    pub fn snapshots(&self, site_id: &str) -> Result<Vec<SnapshotInfo>> {
        Ok(self.scan::<SnapshotRecord>(&prefix(&[K_SNAP, site_id.as_bytes()]))?.into_iter().map(|r| r.info).collect())
    }

    /// The latest configuration of every site ever crawled or probed into this store, by id.
    pub fn sites(&self) -> Result<Vec<Site>> {
        self.scan(&prefix(&[K_SITE]))
    }

    /// Remember a site's configuration without starting a snapshot (e.g. `gongkai monitor` before any crawl).
    pub fn put_site(&self, site: &Site) -> Result<()> {
        site_key_ok(&site.id)?;
        let mut w = lock(&self.inner.writer);
        let (file, end) = self.append_meta(&mut w, &[Meta::Site { site: site.clone() }])?;
        let mut b = Batch::default();
        b.insert(key(&[K_SITE, site.id.as_bytes()]), to_json(site));
        b.insert(key(&[K_WEND, file.as_bytes()]), to_json(&end));
        self.apply(b)?;
        Ok(())
    }
}
