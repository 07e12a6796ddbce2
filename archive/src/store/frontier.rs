//! A snapshot's frontier: the queue, claimed URLs, done marks, and the re-queueing of claimed URLs on resume.
//!
//! The queue is kept per host (`host:port`): the crawler asks for the shallowest URL of a host that can take a request
//! now ([`Frontier::heads`], [`Frontier::next_from`]), so a host with work never waits behind another host's politeness
//! slots; [`Frontier::next`] is the breadth-first order over all hosts.
//!
//! # Claims live in memory
//! A claimed URL keeps its queue entry and its `Pending` record in sled until it is done: the claim itself is only
//! noted in memory ([`Claims`], under the frontier lock), and the queue is read past the claimed entries. A killed
//! process thus leaves its claimed URLs pending, which is what resuming has to restore anyway, and a claim costs no
//! index write: sled seals its log buffer for every batch (two writes and a flusher wake-up), which the profile of a
//! crawl showed as its largest single cost while each page took three batches (claim, push, archive).
//! A page is archived, marked done and its new links queued in one batch ([`Store::record_fetch_and_push`]).

use anyhow::Result;
use serde::{Deserialize, Serialize};
use url::Url;

use super::*;

/// A URL waiting in (or taken from) a snapshot's frontier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrontierEntry {
    pub url: Url,
    /// Link depth from the home page.
    pub depth: u32,
    /// The page the link was found on.
    pub referrer: Option<Url>,
    /// Free text for the crawler (e.g. `script`, `iframe`, `page`).
    pub tag: Option<String>,
}

impl FrontierEntry {
    pub fn new(url: Url, depth: u32) -> Self {
        FrontierEntry { url, depth, referrer: None, tag: None }
    }
}

/// Counts of one snapshot's frontier.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrontierStats {
    /// Distinct URLs pushed or archived in this snapshot.
    pub seen: u64,
    /// Waiting to be claimed.
    pub pending: u64,
    /// Claimed by [`Frontier::next`] and not yet done.
    pub claimed: u64,
    /// Done (archived, failed, or marked done).
    pub done: u64,
    /// Fetches archived in this snapshot.
    pub fetched: u64,
    /// Failures recorded in this snapshot.
    pub failed: u64,
}

/// A host with URLs waiting in a frontier, and where its first one stands in breadth-first order. Ordered by that
/// place (depth, then push order), so the smallest head is the URL [`Frontier::next`] would claim.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct QueueHead {
    /// Link depth of the host's first waiting URL.
    pub depth: u32,
    order: u64,
    /// `host:port`, the key for [`Frontier::next_from`] (the same as the crawler's politeness key).
    pub host: String,
}

/// `host:port` with the scheme's default port filled in: the key of a host's queue, of its politeness limit and of
/// its robots.txt.
pub fn authority(url: &Url) -> String {
    format!("{}:{}", url.host_str().unwrap_or(""), url.port_or_known_default().unwrap_or(0))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum UrlState {
    Pending,
    Claimed,
    Done,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct UrlRecord {
    pub(crate) state: UrlState,
    /// Key of the queue entry while pending.
    pub(crate) queue_key: Option<Vec<u8>>,
    pub(crate) entry: FrontierEntry,
}

/// The URLs this process has claimed and not yet marked done (the state behind the frontier lock, see the module doc).
#[derive(Debug, Default)]
pub(crate) struct Claims {
    /// Queue keys of the claimed URLs (they stay in the sled queue, passed over when reading it).
    keys: HashSet<Vec<u8>>,
    /// How many of them each snapshot (site id, seq) has.
    per_snapshot: HashMap<(String, u64), u64>,
}

impl Claims {
    fn claim(&mut self, snap: &Snapshot, qk: Vec<u8>) {
        if self.keys.insert(qk) {
            *self.per_snapshot.entry((snap.site_id.clone(), snap.seq)).or_default() += 1;
        }
    }

    /// Forget the claim on `qk`, if any (the URL is done).
    fn release(&mut self, snap: &Snapshot, qk: &[u8]) {
        if self.keys.remove(qk) {
            if let Some(n) = self.per_snapshot.get_mut(&(snap.site_id.clone(), snap.seq)) {
                *n = n.saturating_sub(1);
            }
        }
    }

    fn count(&self, snap: &Snapshot) -> u64 {
        self.per_snapshot.get(&(snap.site_id.clone(), snap.seq)).copied().unwrap_or(0)
    }
}

impl std::fmt::Debug for Frontier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Frontier").field("site_id", &self.snap.site_id).field("seq", &self.snap.seq).finish()
    }
}

impl Store {
    /// The frontier of a snapshot (a cheap handle).
    pub fn frontier(&self, snap: &Snapshot) -> Frontier {
        Frontier { store: self.clone(), snap: snap.clone() }
    }

    /// The counts as stored: URLs claimed in memory are still counted as pending here ([`Frontier::stats`] tells
    /// them apart).
    pub(super) fn counts(&self, snap: &Snapshot) -> Result<FrontierStats> {
        let (id, seq) = snap_parts(snap);
        Ok(self.get(&key(&[K_COUNT, &id, &seq]))?.unwrap_or_default())
    }

    /// Puts URLs a store written by an older gongkai recorded as claimed (this one keeps claims in memory) back in
    /// their hosts' queues.
    pub(super) fn requeue_claimed(&self, snap: &Snapshot) -> Result<()> {
        self.migrate_queue(snap)?;
        let (id, seq) = snap_parts(snap);
        let mut b = Batch::default();
        let mut counts = self.counts(snap)?;
        let mut n = 0;
        for kv in self.db().scan_prefix(prefix(&[K_URL, &id, &seq])) {
            let (k, v) = kv?;
            let mut rec: UrlRecord = from_json(&v)?;
            if rec.state == UrlState::Claimed {
                let qk = self.queue_key(&id, &seq, &rec.entry.url, rec.entry.depth)?;
                b.insert(qk.clone(), to_json(&rec.entry));
                rec.state = UrlState::Pending;
                rec.queue_key = Some(qk);
                b.insert(k, to_json(&rec));
                counts.claimed = counts.claimed.saturating_sub(1);
                counts.pending += 1;
                n += 1;
            }
        }
        if n > 0 {
            b.insert(key(&[K_COUNT, &id, &seq]), to_json(&counts));
            self.apply(b)?;
            tracing::info!(site = %snap.site_id, seq = snap.seq, n, "resumed snapshot: claimed URLs back to pending");
        }
        Ok(())
    }

    /// Queue order within a host: shallower first, then first pushed first (breadth-first). The key ends in the
    /// depth and the push order (12 bytes), which is how [`Frontier::heads`] compares hosts without decoding entries.
    pub(super) fn queue_key(&self, id: &[u8], seq: &[u8; 8], url: &Url, depth: u32) -> Result<Vec<u8>> {
        let order = self.db().generate_id()?;
        let mut tail = depth.to_be_bytes().to_vec();
        tail.extend_from_slice(&be(order));
        Ok(key(&[K_HQUEUE, id, seq, authority(url).as_bytes(), &tail]))
    }

    /// Moves a snapshot's queue from the layout before per-host queues (one queue keyed by depth and order) to the
    /// per-host layout, keeping each URL's place: a crawl interrupted by an older gongkai resumes where it stopped.
    fn migrate_queue(&self, snap: &Snapshot) -> Result<()> {
        let (id, seq) = snap_parts(snap);
        let mut b = Batch::default();
        let mut n = 0;
        for kv in self.db().scan_prefix(prefix(&[K_QUEUE, &id, &seq])) {
            let (old, v) = kv?;
            let entry: FrontierEntry = from_json(&v)?;
            let tail = &old[old.len() - 12..];
            let qk = key(&[K_HQUEUE, &id, &seq, authority(&entry.url).as_bytes(), tail]);
            let ukey = key(&[K_URL, &id, &seq, entry.url.as_str().as_bytes()]);
            if let Some(mut rec) = self.get::<UrlRecord>(&ukey)? {
                rec.queue_key = Some(qk.clone());
                b.insert(ukey, to_json(&rec));
            }
            b.remove(old);
            b.insert(qk, v);
            n += 1;
        }
        if n > 0 {
            self.apply(b)?;
            tracing::info!(site = %snap.site_id, seq = snap.seq, n, "resumed snapshot: queue moved to per-host order");
        }
        Ok(())
    }

    /// Mark `url` done inside a batch being built (frontier lock held: `claims` is what it guards). Adds it to the
    /// seen set if it was never pushed.
    pub(super) fn mark_done(
        &self,
        claims: &mut Claims,
        b: &mut Batch,
        counts: &mut FrontierStats,
        snap: &Snapshot,
        url: &Url,
        depth: u32,
    ) -> Result<()> {
        let (id, seq) = snap_parts(snap);
        let ukey = key(&[K_URL, &id, &seq, url.as_str().as_bytes()]);
        let rec = match self.get::<UrlRecord>(&ukey)? {
            Some(mut rec) => {
                match rec.state {
                    UrlState::Done => return Ok(()),
                    UrlState::Pending => {
                        if let Some(qk) = rec.queue_key.take() {
                            claims.release(snap, &qk);
                            b.remove(qk);
                        }
                        counts.pending = counts.pending.saturating_sub(1);
                    }
                    UrlState::Claimed => counts.claimed = counts.claimed.saturating_sub(1),
                }
                rec.state = UrlState::Done;
                rec
            }
            None => {
                counts.seen += 1;
                UrlRecord { state: UrlState::Done, queue_key: None, entry: FrontierEntry::new(url.clone(), depth) }
            }
        };
        counts.done += 1;
        b.insert(ukey, to_json(&rec));
        Ok(())
    }

    /// Add to a batch being built (frontier lock held) the URLs of `entries` not yet seen in the snapshot nor earlier
    /// in `entries`, counted in `counts`; returns how many. The caller writes `counts` and applies the batch.
    pub(super) fn push_into(
        &self,
        b: &mut Batch,
        counts: &mut FrontierStats,
        snap: &Snapshot,
        entries: Vec<FrontierEntry>,
    ) -> Result<usize> {
        let (id, seq) = snap_parts(snap);
        let mut added = HashSet::new();
        for entry in entries {
            let ukey = key(&[K_URL, &id, &seq, entry.url.as_str().as_bytes()]);
            if added.contains(&ukey) || self.db().get(&ukey)?.is_some() {
                continue;
            }
            let qk = self.queue_key(&id, &seq, &entry.url, entry.depth)?;
            counts.seen += 1;
            counts.pending += 1;
            b.insert(qk.clone(), to_json(&entry));
            b.insert(ukey.clone(), to_json(&UrlRecord { state: UrlState::Pending, queue_key: Some(qk), entry }));
            added.insert(ukey);
        }
        Ok(added.len())
    }

    /// Mark `url` done and push `links` other than `url` itself (see `push_into`) in one batch; returns how many
    /// links were added.
    pub(super) fn done_locked(
        &self,
        claims: &mut Claims,
        snap: &Snapshot,
        url: &Url,
        depth: u32,
        links: Vec<FrontierEntry>,
    ) -> Result<usize> {
        let (id, seq) = snap_parts(snap);
        let mut counts = self.counts(snap)?;
        let mut b = Batch::default();
        self.mark_done(claims, &mut b, &mut counts, snap, url, depth)?;
        let added = self.push_into(&mut b, &mut counts, snap, links.into_iter().filter(|e| e.url != *url).collect())?;
        b.insert(key(&[K_COUNT, &id, &seq]), to_json(&counts));
        self.apply(b)?;
        Ok(added)
    }
}

/// A snapshot's frontier: URLs to fetch, claimed, done. Lives in sled (claims in memory, see the module doc); every
/// write is atomic and survives kill -9 (up to sled's last flush: an operation lost there is simply redone by the
/// resumed crawl).
#[derive(Clone)]
pub struct Frontier {
    store: Store,
    snap: Snapshot,
}

impl Frontier {
    /// Add a URL; false if it was already seen in this snapshot (pushed, claimed, done, archived or failed).
    pub fn push(&self, entry: FrontierEntry) -> Result<bool> {
        Ok(self.push_all(vec![entry])? == 1)
    }

    /// Add the URLs not yet seen in this snapshot (nor earlier in `entries`), in order, in one index batch (all or
    /// none of them survive a kill); returns how many were added. The crawler hands a page's links to
    /// [`Store::record_fetch_and_push`] instead, which writes them in the page's own batch.
    pub fn push_all(&self, entries: Vec<FrontierEntry>) -> Result<usize> {
        let s = &self.store;
        let (id, seq) = snap_parts(&self.snap);
        let _f = lock(&s.inner.frontier);
        let mut b = Batch::default();
        let mut counts = s.counts(&self.snap)?;
        let added = s.push_into(&mut b, &mut counts, &self.snap, entries)?;
        if added > 0 {
            s.writable()?;
            s.ensure_space(0, s.inner.reserve / 2)?;
            b.insert(key(&[K_COUNT, &id, &seq]), to_json(&counts));
            s.apply(b)?;
        }
        Ok(added)
    }

    /// Shorthand for `push(FrontierEntry::new(url, depth))`.
    pub fn push_url(&self, url: &Url, depth: u32) -> Result<bool> {
        self.push(FrontierEntry::new(url.clone(), depth))
    }

    /// Whether a URL was seen in this snapshot.
    pub fn contains(&self, url: &Url) -> Result<bool> {
        let (id, seq) = snap_parts(&self.snap);
        Ok(self.store.db().get(key(&[K_URL, &id, &seq, url.as_str().as_bytes()]))?.is_some())
    }

    /// Claim the next URL (shallowest first, then in push order, over all hosts). None when nothing is pending — other
    /// URLs may still be claimed and in flight ([`Frontier::stats`]).
    pub fn next(&self) -> Result<Option<FrontierEntry>> {
        let mut claims = lock(&self.store.inner.frontier);
        match self.heads_locked(&claims)?.into_iter().min() {
            Some(h) => self.claim_first(&mut claims, &h.host),
            None => Ok(None),
        }
    }

    /// The hosts with URLs waiting, each with the place of its first one: the crawler picks, among the hosts that can
    /// take a request now, the one whose head comes first (breadth-first over the hosts that are free).
    pub fn heads(&self) -> Result<Vec<QueueHead>> {
        let claims = lock(&self.store.inner.frontier);
        self.heads_locked(&claims)
    }

    /// Claim the first URL waiting for `host` (a [`QueueHead::host`]).
    pub fn next_from(&self, host: &str) -> Result<Option<FrontierEntry>> {
        let mut claims = lock(&self.store.inner.frontier);
        self.claim_first(&mut claims, host)
    }

    /// One seek per host: the first unclaimed key under the queue prefix names a host; the next search starts past
    /// that host. A host's claimed keys (at most its requests in flight) are read past.
    fn heads_locked(&self, claims: &Claims) -> Result<Vec<QueueHead>> {
        let (id, seq) = snap_parts(&self.snap);
        let base = prefix(&[K_HQUEUE, &id, &seq]);
        let mut heads = Vec::new();
        let mut from = base.clone();
        'hosts: loop {
            for kv in self.store.db().range(from.clone(), super::index::prefix_end(&base)) {
                let (k, _) = kv?;
                if !k.starts_with(&base) || k.len() < base.len() + 13 {
                    break 'hosts;
                }
                if claims.keys.contains(k.as_ref()) {
                    continue;
                }
                let host_end = k.len() - 13; // host, separator, depth (4), order (8)
                let host = String::from_utf8_lossy(&k[base.len()..host_end]).into_owned();
                let depth = u32::from_be_bytes(k[host_end + 1..host_end + 5].try_into().expect("4 bytes"));
                let order = u64::from_be_bytes(k[host_end + 5..].try_into().expect("8 bytes"));
                from = k[..host_end].to_vec();
                from.push(1); // past every key of this host (they continue with the separator 0)
                heads.push(QueueHead { depth, order, host });
                continue 'hosts;
            }
            break;
        }
        Ok(heads)
    }

    /// Claim the first unclaimed queued URL of `host` (frontier lock held: `claims` is what it guards). Writes
    /// nothing to the index (see the module doc).
    fn claim_first(&self, claims: &mut Claims, host: &str) -> Result<Option<FrontierEntry>> {
        let (id, seq) = snap_parts(&self.snap);
        for kv in self.store.db().scan_prefix(prefix(&[K_HQUEUE, &id, &seq, host.as_bytes()])) {
            let (qk, v) = kv?;
            if claims.keys.contains(qk.as_ref()) {
                continue;
            }
            let entry: FrontierEntry = from_json(&v)?;
            claims.claim(&self.snap, qk.to_vec());
            return Ok(Some(entry));
        }
        Ok(None)
    }

    /// Mark a URL done without archiving it (robots-disallowed, skipped, over a limit). [`Store::record_fetch`] and
    /// [`Store::record_failure`] mark done themselves.
    pub fn done(&self, url: &Url) -> Result<()> {
        let mut claims = lock(&self.store.inner.frontier);
        self.store.done_locked(&mut claims, &self.snap, url, 0, Vec::new()).map(|_| ())
    }

    pub fn stats(&self) -> Result<FrontierStats> {
        let claims = lock(&self.store.inner.frontier);
        let mut counts = self.store.counts(&self.snap)?;
        let claimed = claims.count(&self.snap);
        counts.pending = counts.pending.saturating_sub(claimed);
        counts.claimed += claimed;
        Ok(counts)
    }

    pub fn snapshot(&self) -> &Snapshot {
        &self.snap
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::FetchFailure;
    use crate::store::test_support::*;
    use chrono::Utc;

    #[test]
    fn each_host_has_its_own_queue_and_next_is_breadth_first_over_all() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let snap = store.begin_snapshot(&site("h")).unwrap();
        let fr = store.frontier(&snap);
        for (u, d) in [("http://a.gov.cn/1", 1), ("http://a.gov.cn/2", 1), ("http://b.gov.cn:8080/1", 1)] {
            fr.push_url(&url(u), d).unwrap();
        }
        fr.push_url(&url("http://a.gov.cn/0"), 0).unwrap();
        fr.push_url(&url("http://a.gov.cn.x.cn/1"), 2).unwrap();
        let heads = fr.heads().unwrap();
        let hosts: Vec<(&str, u32)> = heads.iter().map(|h| (h.host.as_str(), h.depth)).collect();
        assert_eq!(hosts, [("a.gov.cn.x.cn:80", 2), ("a.gov.cn:80", 0), ("b.gov.cn:8080", 1)]);
        // A host that is busy is passed over: b's URL is taken while a's shallower ones wait.
        assert_eq!(fr.next_from("b.gov.cn:8080").unwrap().unwrap().url.as_str(), "http://b.gov.cn:8080/1");
        assert_eq!(fr.next_from("b.gov.cn:8080").unwrap(), None);
        let order: Vec<String> = std::iter::from_fn(|| fr.next().unwrap()).map(|e| e.url.to_string()).collect();
        assert_eq!(order, ["http://a.gov.cn/0", "http://a.gov.cn/1", "http://a.gov.cn/2", "http://a.gov.cn.x.cn/1"]);
        assert_eq!(fr.stats().unwrap().claimed, 5);
    }

    #[test]
    fn a_page_and_its_links_are_recorded_in_one_batch() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let snap = store.begin_snapshot(&site("p")).unwrap();
        let fr = store.frontier(&snap);
        fr.push_url(&url("http://p.gov.cn/"), 0).unwrap();
        fr.push_url(&url("http://p.gov.cn/old"), 1).unwrap();
        let home = fr.next().unwrap().unwrap();
        let link = |u: &str| FrontierEntry::new(url(u), 1);
        // The page itself, a URL already queued and a link found twice are not queued again.
        let links =
            ["http://p.gov.cn/", "http://p.gov.cn/old", "http://p.gov.cn/a", "http://p.gov.cn/a", "http://p.gov.cn/b"];
        let rec = store
            .record_fetch_and_push(
                &snap,
                &fetch(home.url.as_str(), 0, html(200, "home", &[])),
                links.map(link).to_vec(),
            )
            .unwrap();
        assert_eq!((rec.duplicate, rec.queued), (false, 2));
        assert_eq!(
            fr.stats().unwrap(),
            FrontierStats { seen: 4, pending: 3, claimed: 0, done: 1, fetched: 1, failed: 0 }
        );
        // Archived again (another task got there first): nothing new is written, new links are still queued.
        let again = store
            .record_fetch_and_push(
                &snap,
                &fetch(home.url.as_str(), 0, html(200, "home", &[])),
                vec![link("http://p.gov.cn/c")],
            )
            .unwrap();
        assert_eq!((again.duplicate, again.queued), (true, 1));
        let rest: Vec<String> = std::iter::from_fn(|| fr.next().unwrap()).map(|e| e.url.to_string()).collect();
        assert_eq!(rest, ["http://p.gov.cn/old", "http://p.gov.cn/a", "http://p.gov.cn/b", "http://p.gov.cn/c"]);
        assert_eq!(
            fr.stats().unwrap(),
            FrontierStats { seen: 5, pending: 0, claimed: 4, done: 1, fetched: 1, failed: 0 }
        );
    }

    #[test]
    fn a_queue_of_the_layout_before_per_host_queues_is_moved_on_resume() {
        let dir = tempfile::tempdir().unwrap();
        let s = site("m");
        {
            let store = Store::open(dir.path()).unwrap();
            let snap = store.begin_snapshot(&s).unwrap();
            let fr = store.frontier(&snap);
            for (u, d) in [("http://m.gov.cn/b", 2), ("http://x.m.gov.cn/a", 1), ("http://m.gov.cn/c", 1)] {
                fr.push_url(&url(u), d).unwrap();
            }
            // Rewrite the queue as an older gongkai wrote it: one queue keyed by depth and order.
            let (id, seq) = snap_parts(&snap);
            let mut b = Batch::default();
            for kv in store.db().scan_prefix(prefix(&[K_HQUEUE, &id, &seq])) {
                let (k, v) = kv.unwrap();
                let old = key(&[K_QUEUE, &id, &seq, &k[k.len() - 12..]]);
                let entry: FrontierEntry = from_json(&v).unwrap();
                let ukey = key(&[K_URL, &id, &seq, entry.url.as_str().as_bytes()]);
                let mut rec: UrlRecord = store.get(&ukey).unwrap().unwrap();
                rec.queue_key = Some(old.clone());
                b.insert(ukey, to_json(&rec));
                b.remove(k);
                b.insert(old, v);
            }
            store.apply(b).unwrap();
            assert!(fr.heads().unwrap().is_empty());
        }
        let store = Store::open(dir.path()).unwrap();
        let snap = store.begin_snapshot(&s).unwrap();
        let fr = store.frontier(&snap);
        let first = fr.next().unwrap().unwrap();
        assert_eq!(first.url.as_str(), "http://x.m.gov.cn/a");
        store.record_fetch(&snap, &fetch(first.url.as_str(), 1, html(200, "a", &[]))).unwrap();
        // Marking a moved URL done removes its moved queue entry.
        fr.done(&url("http://m.gov.cn/b")).unwrap();
        let rest: Vec<String> = std::iter::from_fn(|| fr.next().unwrap()).map(|e| e.url.to_string()).collect();
        assert_eq!(rest, ["http://m.gov.cn/c"]);
        assert_eq!(fr.stats().unwrap().pending, 0);
    }

    #[test]
    pub(super) fn frontier_resume_semantics() {
        let dir = tempfile::tempdir().unwrap();
        let s = site("g");
        let (a, b, c, d) =
            (url("http://g.gov.cn/a"), url("http://g.gov.cn/b"), url("http://g.gov.cn/c"), url("http://g.gov.cn/d"));
        {
            let store = Store::open(dir.path()).unwrap();
            let snap = store.begin_snapshot(&s).unwrap();
            let fr = store.frontier(&snap);
            assert!(fr.push_url(&c, 2).unwrap());
            assert!(fr.push_url(&a, 1).unwrap());
            assert!(fr.push_url(&b, 1).unwrap());
            assert!(!fr.push_url(&a, 1).unwrap(), "already seen");
            assert!(fr
                .push(FrontierEntry { url: d.clone(), depth: 3, referrer: Some(c.clone()), tag: Some("page".into()) })
                .unwrap());
            // Shallowest first, then push order.
            assert_eq!(fr.next().unwrap().unwrap().url, a);
            assert_eq!(fr.next().unwrap().unwrap().url, b);
            store.record_fetch(&snap, &fetch(a.as_str(), 1, html(200, "a", &[]))).unwrap();
            // b is claimed, not done, when the process "dies".
            assert_eq!(
                fr.stats().unwrap(),
                FrontierStats { seen: 4, pending: 2, claimed: 1, done: 1, fetched: 1, failed: 0 }
            );
        }
        let store = Store::open(dir.path()).unwrap();
        let snap = store.begin_snapshot(&s).unwrap();
        assert_eq!((snap.seq, snap.resumed), (1, true));
        let fr = store.frontier(&snap);
        assert_eq!(
            fr.stats().unwrap(),
            FrontierStats { seen: 4, pending: 3, claimed: 0, done: 1, fetched: 1, failed: 0 }
        );
        assert!(!fr.push_url(&a, 1).unwrap(), "done URLs are not pushed again");
        let mut order = Vec::new();
        while let Some(e) = fr.next().unwrap() {
            order.push(e.url.clone());
            if e.url == d {
                assert_eq!(e.referrer.as_ref(), Some(&c));
                store
                    .record_failure(&snap, &FetchFailure { url: d.clone(), at: Utc::now(), error: "timeout".into() })
                    .unwrap();
            } else if e.url == c {
                fr.done(&c).unwrap();
            } else {
                store.record_fetch(&snap, &fetch(e.url.as_str(), e.depth, html(200, "x", &[]))).unwrap();
            }
        }
        assert_eq!(order, [b.clone(), c.clone(), d.clone()]);
        assert_eq!(
            fr.stats().unwrap(),
            FrontierStats { seen: 4, pending: 0, claimed: 0, done: 4, fetched: 2, failed: 1 }
        );
        // A URL fetched without being pushed (robots.txt) is seen too.
        let robots = url("http://g.gov.cn/robots.txt");
        store.record_fetch(&snap, &fetch(robots.as_str(), 0, html(404, "", &[]))).unwrap();
        assert!(!fr.push_url(&robots, 1).unwrap());
        store.finish_snapshot(&snap).unwrap();
        let cap = store.latest_capture("g").unwrap().unwrap();
        assert_eq!(cap.pages.len(), 3);
        assert_eq!(cap.failures.len(), 1);
        // The next begin starts a new snapshot with an empty frontier.
        let snap2 = store.begin_snapshot(&s).unwrap();
        assert_eq!((snap2.seq, snap2.resumed), (2, false));
        assert!(store.frontier(&snap2).push_url(&a, 1).unwrap());
    }
}
