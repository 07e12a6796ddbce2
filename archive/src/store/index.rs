//! The store's index: sled, with index batches committed in groups.
//!
//! # Why group commit
//! sled 0.34 seals its log buffer for every `apply_batch` (`pin_log` rolls the I/O buffer), and its I/O threads then
//! write that buffer with a `pwrite` and a waiting `sync_file_range`: one synchronous disk write per batch, whatever its
//! size. A crawl archives a page with one batch, so at a few hundred pages a second those writes were the largest
//! single cost the profile of a crawl showed. [`Index::apply`] therefore only adds a batch to an in-memory overlay
//! (`Pending`), and the overlay is applied to sled as one batch when it is [`MAX_AGE`] old or holds [`MAX_OPS`] writes,
//! by the next `apply` or by a background thread, and at every [`Index::flush`]. Every read ([`Index::get`],
//! [`Index::range`]) sees the overlay first, so to the rest of the store a batch is visible the moment it is applied.
//!
//! # What a kill loses
//! A group is applied atomically, and groups are applied in the order their batches were, so what survives a kill is
//! still a prefix of the batches: at most the last [`MAX_AGE`] of them more than before (sled itself already loses up
//! to its last flush, 500 ms by default). The store's WARC-before-index order is unchanged, so the records of a lost
//! batch lie past their file's indexed end and are cut off when the store is next opened, and their URLs are fetched
//! again (see the store's crash-safety notes).
//!
//! Writes that must be durable before something else happens (a WARC file registered before it is created) call
//! [`Index::flush`], which applies the overlay first.

use std::collections::BTreeMap;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::{Duration, Instant};

use sled::IVec;

/// The oldest a batch waits in the overlay before it is applied to sled.
pub(crate) const MAX_AGE: Duration = Duration::from_millis(100);

/// Writes the overlay holds at most before it is applied (bounds its memory: a few MB).
pub(crate) const MAX_OPS: usize = 4096;

/// An index batch: inserts and removals applied atomically by [`Index::apply`] (sled's own `Batch` cannot be read
/// back, which the overlay needs).
#[derive(Debug, Default)]
pub(crate) struct Batch {
    ops: Vec<(Vec<u8>, Option<IVec>)>,
}

impl Batch {
    pub(crate) fn insert(&mut self, k: impl AsRef<[u8]>, v: impl Into<IVec>) {
        self.ops.push((k.as_ref().to_vec(), Some(v.into())));
    }

    pub(crate) fn remove(&mut self, k: impl AsRef<[u8]>) {
        self.ops.push((k.as_ref().to_vec(), None));
    }
}

/// sled behind a group-commit overlay (see the module doc). Cheap to clone.
#[derive(Clone)]
pub(crate) struct Index {
    shared: Arc<Shared>,
    /// Dropping the last handle disconnects the background committer, which then stops.
    _stop: Arc<mpsc::SyncSender<()>>,
}

struct Shared {
    db: sled::Db,
    pending: Mutex<Pending>,
}

#[derive(Default)]
struct Pending {
    /// The latest write of every key not yet applied to sled; `None` removes it.
    writes: BTreeMap<Vec<u8>, Option<IVec>>,
    /// When the oldest of those writes was made.
    since: Option<Instant>,
    /// A background commit that failed: reported by the next `apply` or `flush` (the writes stay in the overlay).
    failed: Option<sled::Error>,
}

impl Index {
    pub(crate) fn new(db: sled::Db) -> Index {
        let shared = Arc::new(Shared { db, pending: Mutex::new(Pending::default()) });
        let (stop, wait) = mpsc::sync_channel::<()>(0);
        let weak: Weak<Shared> = Arc::downgrade(&shared);
        let spawned = std::thread::Builder::new().name("gongkai-index".into()).spawn(move || loop {
            match wait.recv_timeout(MAX_AGE) {
                Err(RecvTimeoutError::Timeout) => {}
                _ => return,
            }
            let Some(shared) = weak.upgrade() else { return };
            let mut p = shared.lock();
            if p.since.is_some_and(|t| t.elapsed() >= MAX_AGE) {
                if let Err(e) = shared.commit(&mut p) {
                    p.failed = Some(e);
                }
            }
        });
        if let Err(e) = spawned {
            // Without the thread, batches are still applied by the next `apply` past MAX_AGE and by `flush`.
            tracing::warn!(error = %e, "index: could not start the background committer");
        }
        Index { shared, _stop: Arc::new(stop) }
    }

    /// sled itself, with the overlay applied first: for code that writes sled directly (rebuilding from WARC files)
    /// or reads it as stored (verify).
    pub(crate) fn raw(&self) -> sled::Result<&sled::Db> {
        self.commit()?;
        Ok(&self.shared.db)
    }

    /// Add a batch; it is visible to every read at once and applied to sled with the group it joins.
    pub(crate) fn apply(&self, b: Batch) -> sled::Result<()> {
        let mut p = self.shared.lock();
        if let Some(e) = p.failed.take() {
            return Err(e);
        }
        for (k, v) in b.ops {
            p.writes.insert(k, v);
        }
        let since = *p.since.get_or_insert_with(Instant::now);
        if p.writes.len() >= MAX_OPS || since.elapsed() >= MAX_AGE {
            self.shared.commit(&mut p)?;
        }
        Ok(())
    }

    /// Insert one value (a batch of one).
    pub(crate) fn insert(&self, k: Vec<u8>, v: Vec<u8>) -> sled::Result<()> {
        let mut b = Batch::default();
        b.insert(k, v);
        self.apply(b)
    }

    pub(crate) fn get(&self, k: impl AsRef<[u8]>) -> sled::Result<Option<IVec>> {
        let k = k.as_ref();
        if let Some(v) = self.shared.lock().writes.get(k) {
            return Ok(v.clone());
        }
        self.shared.db.get(k)
    }

    /// Key-ordered entries from `start` (inclusive) to `end` (exclusive; `None`: to the last key).
    pub(crate) fn range(&self, start: Vec<u8>, end: Option<Vec<u8>>) -> Entries {
        let overlay: Vec<(Vec<u8>, Option<IVec>)> = {
            let p = self.shared.lock();
            let r = match &end {
                Some(e) => p.writes.range(start.clone()..e.clone()),
                None => p.writes.range(start.clone()..),
            };
            r.map(|(k, v)| (k.clone(), v.clone())).collect()
        };
        let stored = match end {
            Some(e) => self.shared.db.range(start..e),
            None => self.shared.db.range(start..),
        };
        Entries { stored: stored.peekable(), overlay: overlay.into_iter().peekable() }
    }

    /// Entries whose key starts with `p`, in key order.
    pub(crate) fn scan_prefix(&self, p: impl AsRef<[u8]>) -> Entries {
        let p = p.as_ref();
        self.range(p.to_vec(), prefix_end(p))
    }

    pub(crate) fn generate_id(&self) -> sled::Result<u64> {
        self.shared.db.generate_id()
    }

    /// sled's atomic read-modify-write of one key, after the overlay is applied.
    pub(crate) fn update_and_fetch<F>(&self, k: Vec<u8>, f: F) -> sled::Result<Option<IVec>>
    where
        F: FnMut(Option<&[u8]>) -> Option<Vec<u8>>,
    {
        self.commit()?;
        self.shared.db.update_and_fetch(k, f)
    }

    /// Apply the overlay and make everything durable.
    pub(crate) fn flush(&self) -> sled::Result<()> {
        self.commit()?;
        self.shared.db.flush().map(|_| ())
    }

    /// Apply the overlay to sled now.
    pub(crate) fn commit(&self) -> sled::Result<()> {
        let mut p = self.shared.lock();
        if let Some(e) = p.failed.take() {
            return Err(e);
        }
        self.shared.commit(&mut p)
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Pending> {
        self.pending.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Apply the overlay as one sled batch, holding the overlay's lock: a read that misses the overlay then finds the
    /// value in sled. On failure the writes stay in the overlay.
    fn commit(&self, p: &mut Pending) -> sled::Result<()> {
        if p.writes.is_empty() {
            p.since = None;
            return Ok(());
        }
        let mut b = sled::Batch::default();
        for (k, v) in &p.writes {
            match v {
                Some(v) => b.insert(k.as_slice(), v.clone()),
                None => b.remove(k.as_slice()),
            }
        }
        self.db.apply_batch(b)?;
        p.writes.clear();
        p.since = None;
        Ok(())
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        let p = self.pending.get_mut().unwrap_or_else(|e| e.into_inner());
        let mut p = std::mem::take(p);
        if let Err(e) = self.commit(&mut p) {
            tracing::error!(error = %e, "index: the last writes could not be applied");
        }
        let _ = self.db.flush();
    }
}

/// The first key past every key starting with `p` (None when there is none: `p` is all 0xFF).
pub(crate) fn prefix_end(p: &[u8]) -> Option<Vec<u8>> {
    let mut end = p.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xFF {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

/// Entries of [`Index::range`]: sled's merged with the overlay's (the overlay wins on equal keys, and its removals
/// hide stored entries).
pub(crate) struct Entries {
    stored: std::iter::Peekable<sled::Iter>,
    overlay: std::iter::Peekable<std::vec::IntoIter<(Vec<u8>, Option<IVec>)>>,
}

impl Iterator for Entries {
    type Item = sled::Result<(IVec, IVec)>;

    fn next(&mut self) -> Option<Self::Item> {
        use std::cmp::Ordering;
        loop {
            let order = match (self.stored.peek(), self.overlay.peek()) {
                (None, None) => return None,
                (Some(Err(_)), _) | (Some(Ok(_)), None) => return self.stored.next(),
                (None, Some(_)) => Ordering::Greater,
                (Some(Ok((sk, _))), Some((ok, _))) => sk.as_ref().cmp(ok.as_slice()),
            };
            match order {
                Ordering::Less => return self.stored.next(),
                Ordering::Equal => {
                    self.stored.next();
                }
                Ordering::Greater => {}
            }
            let (k, v) = self.overlay.next().expect("peeked");
            if let Some(v) = v {
                return Some(Ok((IVec::from(k), v)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp() -> Index {
        Index::new(sled::Config::new().temporary(true).open().unwrap())
    }

    fn keys(it: impl Iterator<Item = sled::Result<(IVec, IVec)>>) -> Vec<(String, String)> {
        it.map(|kv| {
            let (k, v) = kv.unwrap();
            (String::from_utf8_lossy(&k).into_owned(), String::from_utf8_lossy(&v).into_owned())
        })
        .collect()
    }

    #[test]
    fn reads_see_batches_not_yet_applied_to_sled() {
        let ix = temp();
        let mut b = Batch::default();
        for k in ["a/1", "a/3", "b/1"] {
            b.insert(k.as_bytes(), k.as_bytes());
        }
        ix.apply(b).unwrap();
        ix.commit().unwrap();
        let mut b = Batch::default();
        b.insert("a/2".as_bytes(), "new".as_bytes());
        b.insert("a/3".as_bytes(), "changed".as_bytes());
        b.remove("a/1".as_bytes());
        ix.apply(b).unwrap();
        assert_eq!(ix.shared.db.get("a/3").unwrap().unwrap().as_ref(), b"a/3", "still in the overlay only");
        assert_eq!(ix.get(b"a/3").unwrap().unwrap().as_ref(), b"changed");
        assert_eq!(ix.get(b"a/1").unwrap(), None);
        let want = [("a/2", "new"), ("a/3", "changed")].map(|(k, v)| (k.to_string(), v.to_string()));
        assert_eq!(keys(ix.scan_prefix(b"a/")), want);
        assert_eq!(keys(ix.range(b"a/25".to_vec(), None)).len(), 2, "a/3 and b/1");
        ix.flush().unwrap();
        assert_eq!(keys(ix.shared.db.scan_prefix("a/")), want, "applied by flush");
    }

    #[test]
    fn a_batch_is_applied_once_it_is_old_enough() {
        let ix = temp();
        ix.insert(b"k".to_vec(), b"v".to_vec()).unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while ix.shared.db.get("k").unwrap().is_none() {
            assert!(Instant::now() < deadline, "the background committer never applied the batch");
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(ix.shared.lock().writes.is_empty());
    }

    #[test]
    fn dropping_the_index_applies_what_is_pending() {
        let dir = tempfile::tempdir().unwrap();
        {
            let ix = Index::new(sled::Config::new().path(dir.path()).open().unwrap());
            ix.insert(b"k".to_vec(), b"v".to_vec()).unwrap();
        }
        let db = sled::Config::new().path(dir.path()).open().unwrap();
        assert_eq!(db.get("k").unwrap().unwrap().as_ref(), b"v");
    }

    #[test]
    fn prefix_end_is_the_first_key_past_the_prefix() {
        assert_eq!(prefix_end(b"ab"), Some(b"ac".to_vec()));
        assert_eq!(prefix_end(&[1, 0xFF]), Some(vec![2]));
        assert_eq!(prefix_end(&[0xFF]), None);
    }
}
