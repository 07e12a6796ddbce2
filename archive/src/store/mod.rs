//! The store: WARC files plus a sled index, opened by one process at a time.
//!
//! # Layout
//! `DIR/warc/<YYYY-MM>/gongkai-<YYYYMMDDHHMMSS>-<serial>.warc.gz` and `DIR/index/` (sled). Every process that writes
//! starts its own new WARC file (a `warcinfo` record first) and rolls to another one at the size limit.
//!
//! # Crash safety (kill -9 at any point)
//! A fetch is archived in this order: the request and response (or revisit) records are appended to the current WARC
//! file with one `write` each (no user-space buffer, so a killed process loses nothing already written), and only then
//! is the fetch indexed — together with the file's new "indexed end" offset and the frontier's `done` mark — in one
//! atomic sled batch. sled may lose its last few hundred milliseconds of writes when the process is killed, but what it
//! recovers is a consistent prefix. So after a kill, every WARC file is at least as long as its indexed end; whatever lies
//! beyond (a torn record, or complete records whose index entry was lost) is cut off when the store is next opened, and
//! a file with no indexed record at all (only its `warcinfo`) is removed. Only files the index registered as its own
//! (durably, before creating them) are ever cut or removed; a WARC file copied into the directory is left alone. The URLs whose records were cut are not marked
//! done, so the resumed crawl fetches them again: every page is archived exactly once per snapshot and every file stays
//! readable by standard tools.
//!
//! # The WARC files are the record
//! Every index entry scoring needs (a snapshot's begin and finish, each fetch, failure, link check, probe, a site's
//! configuration) is also written into the current WARC file as a `metadata` record ([`crate::meta`]) — a fetch's in
//! the same write as its response and request — before the index batch that refers to it. So `gongkai store rebuild`
//! ([`Store::rebuild_index`]) restores the index from the WARC files alone, and [`Store::open_for_reading`] can build it
//! in memory where the store cannot be written. [`Store::verify`] compares the two.
//!
//! # Full and read-only disks
//! A process holding the store for writing keeps `DIR/gongkai.lock` locked (flock) with its PID in it; a second one
//! gets [`StoreError::Locked`] naming that PID (a lock this process itself is still letting go of is waited for, up to
//! ten seconds; see `StoreLock`). Before any WARC write the free space is checked: a write that would
//! leave less than [`StoreOptions::reserve_bytes`] is refused with [`StoreError::DiskFull`] (directory, free space,
//! space needed) before anything is written, so the index always has room to finish its own writes — sled hitting
//! ENOSPC mid-write is what can leave it unopenable — and the WARC and index stay consistent (if the disk fills
//! anyway, a failed append is cut back and nothing is indexed). Opening for writing on a disk with less than the
//! reserve fails the same way without opening sled (which writes while opening). Reading ([`Store::open_for_reading`])
//! never writes: on read-only storage, a full disk or a missing/damaged index it reads the WARC files instead. Once
//! space is freed the same command continues (a killed or refused crawl resumes its snapshot).
//!
//! # Fsync policy
//! Records are flushed to the operating system per record (which survives a killed process) but fsynced only when a file
//! is rolled or closed and at [`Store::flush`] / [`Store::finish_snapshot`]. An fsync per record would cost a disk
//! round trip per page for protection against a power failure only; after one, the open-time repair still cuts files
//! back to their last complete record, and at worst the last seconds of a crawl are fetched again.
//!
//! # Memory
//! The frontier, the seen-set and all index data live in sled (page cache capped at [`StoreOptions::cache_bytes`]), not
//! in RAM, so 100,000-page crawls stay small (see `tests/scale.rs` for the measurement). [`Store::latest_capture`] loads
//! one site's pages at a time.
//!
//! # Code
//! This file holds [`Store`] itself (opening, locking, rebuilding, verifying) and the index key helpers; each concern of
//! the store is a file of its own, adding methods to [`Store`]:
//! - `files`: WARC files (creating, rolling at the size limit, serial numbers, appending, reading) and the open-time
//!   repair of torn tails;
//! - `snapshots`: sites and snapshots ([`Store::begin_snapshot`], [`Store::finish_snapshot`]);
//! - `frontier`: a snapshot's [`Frontier`] (queue, claims in memory, done);
//! - `fetches`: the fetch index ([`Store::record_fetch`], [`FetchEntry`], previous validators);
//! - `checks`: failures, link checks and probes;
//! - `ipv6`: the IPv6 check of a snapshot ([`Store::record_ipv6_check`]);
//! - `tls`: certificate checks of a site's https hosts ([`Store::record_tls`]);
//! - `captures`: the read side for scoring ([`Store::latest_capture`], [`Store::load_page`], [`Store::captures`]).

mod captures;
mod checks;
mod fetches;
mod files;
mod frontier;
mod index;
mod ipv6;
mod snapshots;
#[cfg(test)]
mod test_support;
mod tls;

pub use fetches::{Fetch, FetchEntry, RecordKind, Recorded, Validators};
use files::Writer;
pub use frontier::{authority, Frontier, FrontierEntry, FrontierStats, QueueHead};
pub(crate) use frontier::{UrlRecord, UrlState};
use index::{Batch, Index};
pub(crate) use ipv6::{index_entry as ipv6_index_entry, K_IPV6};
pub use ipv6::{AaaaLookup, Ipv6Check, Ipv6Home, Ipv6Sample};
pub use snapshots::Snapshot;
pub(crate) use snapshots::SnapshotRecord;

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use anyhow::{bail, Context, Result};
use chrono::Utc;
use serde::{de::DeserializeOwned, Serialize};

use crate::error::{available_space, classify_io, classify_sled, StoreError, StoreLock};

/// The software name written in every `warcinfo` record.
pub const SOFTWARE: &str = concat!("gongkai/", env!("CARGO_PKG_VERSION"));

/// Default WARC file size at which a new file is started (1 GB).
pub const DEFAULT_MAX_WARC_BYTES: u64 = 1_000_000_000;

/// Largest decoded payload handed to scoring (a gzip bomb in the archive cannot exhaust memory).
pub const MAX_DECODED_PAYLOAD: usize = 64 * 1024 * 1024;

/// What the `warcinfo` record at the head of each WARC file says about the crawl.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcInfo {
    /// Who ran the crawl (`operator` field), e.g. the assessing office.
    pub operator: Option<String>,
    /// The User-Agent the crawler sends (`http-header-user-agent`).
    pub user_agent: Option<String>,
    /// The robots policy (`robots`): `obey` for gongkai.
    pub robots: String,
    /// Free text (`description`).
    pub description: Option<String>,
}

impl Default for WarcInfo {
    fn default() -> Self {
        WarcInfo { operator: None, user_agent: None, robots: "obey".into(), description: None }
    }
}

/// Settings for [`Store::open_with`].
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// A WARC file is closed and a new one started when the next record would take it past this size (a file always
    /// holds at least one record after its `warcinfo`). Default 1 GB; tests use tiny limits.
    pub max_warc_bytes: u64,
    pub warcinfo: WarcInfo,
    /// sled page cache size. Default 2 MiB: sled's real memory use is many times this figure (measured pushing 100,000
    /// URLs: 64 MiB → 400 MB peak RSS, 4 MiB → 110 MB, 1 MiB → 47 MB) while throughput barely changes at crawl rates.
    pub cache_bytes: u64,
    /// Free space kept on the store's disk for the index: a WARC write that would leave less is refused with
    /// [`StoreError::DiskFull`] before anything is written, so the index can always complete its own writes (a full
    /// disk in the middle of a sled write is what can leave sled unopenable). Default [`DEFAULT_RESERVE_BYTES`].
    pub reserve_bytes: u64,
}

/// Default [`StoreOptions::reserve_bytes`]: 2 MiB (sled writes its log in 512 KiB segments).
pub const DEFAULT_RESERVE_BYTES: u64 = 2 << 20;

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            max_warc_bytes: DEFAULT_MAX_WARC_BYTES,
            warcinfo: WarcInfo::default(),
            cache_bytes: 2 << 20,
            reserve_bytes: DEFAULT_RESERVE_BYTES,
        }
    }
}

/// The store. Cheap to clone (an `Arc` inside); `Send + Sync`, usable from many tokio tasks (calls block briefly on a
/// file write or an index update; from async code they are fine to call directly for small pages or via
/// `spawn_blocking`).
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("dir", &self.inner.dir).finish_non_exhaustive()
    }
}

struct Inner {
    dir: PathBuf,
    /// sled behind a group-commit overlay (see `index.rs`).
    db: Index,
    /// Held while the store is open on its own index (None for an index built in memory from the WARC files).
    _lock: Option<StoreLock>,
    /// Why this store refuses writes: its index was built in memory from the WARC files (see
    /// [`Store::open_for_reading`]). None for a store open for writing.
    read_only: Option<String>,
    reserve: u64,
    /// Serialises WARC appends and the index batch that follows them (index order = file order).
    writer: Mutex<Writer>,
    /// Serialises frontier read-modify-write (taken after `writer` when both are needed), and holds the URLs this
    /// process has claimed (see `frontier.rs`).
    frontier: Mutex<frontier::Claims>,
    /// Snapshots begun by this process (a second `begin_snapshot` must not release their claimed URLs).
    active: Mutex<HashSet<(String, u64)>>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Ok(mut w) = self.writer.lock() {
            if let Some(cur) = w.current.take() {
                let _ = cur.file.sync_all();
            }
        }
        if let Err(e) = self.db.flush() {
            tracing::error!(error = %e, "索引写入失败");
        }
    }
}

// ---- keys -------------------------------------------------------------------------------------------------------

pub(crate) fn key(parts: &[&[u8]]) -> Vec<u8> {
    let mut k = Vec::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            k.push(0);
        }
        k.extend_from_slice(p);
    }
    k
}

/// `key(parts)` followed by a separator: the prefix of everything below it.
pub(crate) fn prefix(parts: &[&[u8]]) -> Vec<u8> {
    let mut k = key(parts);
    k.push(0);
    k
}

pub(crate) fn be(n: u64) -> [u8; 8] {
    n.to_be_bytes()
}

pub(crate) const K_SITE: &[u8] = b"site";
pub(crate) const K_SNAP: &[u8] = b"snap";
pub(crate) const K_OPEN: &[u8] = b"open";
pub(crate) const K_FETCH: &[u8] = b"fetch";
pub(crate) const K_FAIL: &[u8] = b"fail";
pub(crate) const K_LINK: &[u8] = b"link";
pub(crate) const K_PROBE: &[u8] = b"probe";
/// The queue before per-host queues (read only to move an interrupted crawl's queue, see `frontier.rs`).
pub(crate) const K_QUEUE: &[u8] = b"fq";
/// Per-host queues: site, seq, `host:port`, depth and push order.
pub(crate) const K_HQUEUE: &[u8] = b"fh";
pub(crate) const K_URL: &[u8] = b"fu";
pub(crate) const K_COUNT: &[u8] = b"fc";
pub(crate) const K_WEND: &[u8] = b"wend";
pub(crate) const K_SERIAL: &[u8] = b"serial";
pub(crate) const K_WFILE: &[u8] = b"wfile";
pub(crate) use tls::K_TLS;

fn snap_parts(s: &Snapshot) -> (Vec<u8>, [u8; 8]) {
    (s.site_id.as_bytes().to_vec(), be(s.seq))
}

pub(crate) fn to_json<T: Serialize>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).expect("index values serialise")
}

pub(crate) fn from_json<T: DeserializeOwned>(v: &[u8]) -> Result<T> {
    serde_json::from_slice(v).context("索引条目已损坏")
}

fn site_key_ok(id: &str) -> Result<()> {
    if id.is_empty() || id.bytes().any(|b| b == 0) {
        bail!("网站 id {id:?} 无效");
    }
    Ok(())
}

impl Store {
    /// Open (or create) the store in `dir` with default options. A second process opening the same store gets an error
    /// naming the directory. Torn WARC tails left by a killed process are cut off here (see the module docs).
    pub fn open(dir: impl AsRef<Path>) -> Result<Store> {
        Store::open_with(dir, StoreOptions::default())
    }

    /// Open (or create) the store with explicit options.
    ///
    /// Errors are [`StoreError`]s saying what happened: another process holds the store ([`StoreError::Locked`],
    /// with its PID from the lock file), the disk has less free space than [`StoreOptions::reserve_bytes`]
    /// ([`StoreError::DiskFull`]: the index is then not opened at all, since sled writes while opening), the storage
    /// is read-only ([`StoreError::ReadOnly`]), or the index is damaged ([`StoreError::IndexCorrupt`]).
    ///
    /// A store whose index directory is gone, or damaged (sled can be left unreadable by a process killed mid-write),
    /// but whose WARC files are there gets its index rebuilt from them first (as `gongkai store rebuild`, keeping a
    /// damaged index beside it), so a crawl never starts over snapshots the WARC files already hold.
    pub fn open_with(dir: impl AsRef<Path>, options: StoreOptions) -> Result<Store> {
        let dir = dir.as_ref();
        let has_warc = fs::read_dir(dir.join("warc")).map(|mut d| d.next().is_some()).unwrap_or(false);
        let lost_index = !dir.join("index").exists() && has_warc;
        let store = match Store::open_disk(dir, options.clone(), true) {
            // sled can be left unreadable by a process killed mid-write: the WARC files hold every index event, so
            // rebuild from them (the damaged index is kept beside it, as `gongkai store rebuild` does).
            Err(StoreError::IndexCorrupt { detail, .. }) if has_warc => {
                let sum = Store::rebuild_index(dir)?;
                tracing::warn!(
                    %detail,
                    files = sum.files,
                    fetches = sum.fetches,
                    "索引已损坏（可能有进程被强行终止）：已从 WARC 文件重建；损坏的索引保留未删"
                );
                Store::open_disk(dir, options, true)?
            }
            other => other?,
        };
        if lost_index {
            let sum = crate::rebuild::scan_into(&store, true)?;
            store.db().flush().map_err(|e| store.sled_err("写入索引", e))?;
            tracing::warn!(files = sum.files, fetches = sum.fetches, "索引目录不存在：已从 WARC 文件重建");
        }
        store.repair_warc_files()?;
        Ok(store)
    }

    /// Lock the store and open its on-disk index (creating the store when `create`), without repairing anything.
    fn open_disk(dir: &Path, options: StoreOptions, create: bool) -> Result<Store, StoreError> {
        let dir = dir.to_path_buf();
        let reserve = options.reserve_bytes;
        if create {
            fs::create_dir_all(&dir).map_err(|e| classify_io(&dir, "创建存储库目录", &dir, 0, reserve, e))?;
        }
        let lock = StoreLock::acquire(&dir)?;
        let free = available_space(&dir);
        if free < reserve {
            return Err(StoreError::DiskFull { dir, free, needed: reserve, reserve });
        }
        if create {
            let warc = dir.join("warc");
            fs::create_dir_all(&warc).map_err(|e| classify_io(&dir, "创建目录", &warc, 0, reserve, e))?;
        }
        let db = open_sled(&dir.join("index"), options.cache_bytes)
            .map_err(|e| classify_sled(&dir, "打开索引", reserve, e))?;
        Ok(Store::with_db(dir, db, Some(lock), None, options))
    }

    fn with_db(
        dir: PathBuf,
        db: sled::Db,
        lock: Option<StoreLock>,
        read_only: Option<String>,
        options: StoreOptions,
    ) -> Store {
        Store {
            inner: Arc::new(Inner {
                dir,
                db: Index::new(db),
                _lock: lock,
                read_only,
                reserve: options.reserve_bytes,
                writer: Mutex::new(Writer { options, current: None }),
                frontier: Mutex::new(frontier::Claims::default()),
                active: Mutex::new(HashSet::new()),
            }),
        }
    }

    /// Open a store only to read it (`score`, `export`, `serve`, `verify`): never writes to the store's files.
    ///
    /// When the store can be locked, has its index and the disk has room, its index is used as is (no repair: reads
    /// only follow index entries). Otherwise — read-only storage, a full disk (opening sled there could damage it), a
    /// missing or damaged index — the index is built in memory from the WARC files' metadata records, which hold
    /// everything scoring needs ([`crate::meta`]); [`Store::index_source`] then says why. A store locked by another
    /// process is an error ([`StoreError::Locked`]).
    pub fn open_for_reading(dir: impl AsRef<Path>) -> Result<Store> {
        let dir = dir.as_ref();
        if !dir.join("warc").is_dir() && !dir.join("index").is_dir() {
            bail!("{} 不是 gongkai 存储库（没有 warc/ 和 index/ 目录）", dir.display());
        }
        let fallback = |why: String| -> Result<Store> { Store::open_from_warc(dir, &why) };
        if !dir.join("index").is_dir() {
            return fallback("索引目录不存在".into());
        }
        match Store::open_disk(dir, StoreOptions::default(), false) {
            Ok(store) => Ok(store),
            Err(e @ StoreError::Locked { .. }) => Err(e.into()),
            Err(e) => fallback(e.to_string()),
        }
    }

    /// A read-only store whose index is built in memory (a temporary sled database, in /dev/shm on Linux) from the
    /// WARC files' metadata records. `why` is what [`Store::index_source`] reports.
    pub fn open_from_warc(dir: impl AsRef<Path>, why: &str) -> Result<Store> {
        Ok(Store::from_warc(dir.as_ref(), why)?.0)
    }

    fn from_warc(dir: &Path, why: &str) -> Result<(Store, crate::rebuild::RebuildSummary)> {
        let dir = dir.to_path_buf();
        let db = match sled::Config::new().temporary(true).cache_capacity(2 << 20).open() {
            Ok(db) => db,
            Err(_) => sled::Config::new()
                .temporary(true)
                .path(std::env::temp_dir().join(format!("gongkai-index-{}", uuid::Uuid::new_v4())))
                .open()
                .context("创建临时索引")?,
        };
        let store = Store::with_db(dir, db, None, Some(why.to_string()), StoreOptions::default());
        let summary = crate::rebuild::scan_into(&store, false)?;
        tracing::info!(why, records = summary.records, fetches = summary.fetches, "index built in memory from WARC");
        Ok((store, summary))
    }

    /// None when this store uses its own on-disk index; else why the index was built in memory from the WARC files.
    pub fn index_source(&self) -> Option<&str> {
        self.inner.read_only.as_deref()
    }

    /// Rebuild the on-disk index from the WARC files (`gongkai store rebuild`). The old index directory, if any, is
    /// kept beside it as `index.before-rebuild-<time>` (nothing is deleted). The WARC files are not changed; a torn
    /// tail is cut the next time the store is opened for writing, as after a kill.
    pub fn rebuild_index(dir: impl AsRef<Path>) -> Result<crate::rebuild::RebuildSummary> {
        let dir = dir.as_ref().to_path_buf();
        if !dir.join("warc").is_dir() {
            bail!("{} 不是 gongkai 存储库（没有 warc/ 目录）", dir.display());
        }
        let lock = StoreLock::acquire(&dir)?;
        let options = StoreOptions::default();
        let free = available_space(&dir);
        if free < options.reserve_bytes {
            return Err(StoreError::DiskFull {
                dir,
                free,
                needed: options.reserve_bytes,
                reserve: options.reserve_bytes,
            }
            .into());
        }
        let index = dir.join("index");
        let kept = if index.exists() {
            let to = dir.join(format!("index.before-rebuild-{}", Utc::now().format("%Y%m%dT%H%M%S%.6f")));
            fs::rename(&index, &to).map_err(|e| classify_io(&dir, "移走旧索引", &index, 0, 0, e))?;
            Some(to)
        } else {
            None
        };
        let db = open_sled(&index, options.cache_bytes)
            .map_err(|e| classify_sled(&dir, "创建索引", options.reserve_bytes, e))?;
        let store = Store::with_db(dir.clone(), db, Some(lock), None, options);
        let mut summary = crate::rebuild::scan_into(&store, true)?;
        store.db().flush().map_err(|e| classify_sled(&dir, "写入索引", store.inner.reserve, e))?;
        summary.old_index = kept;
        Ok(summary)
    }

    /// Refuse writes to a store opened for reading.
    fn writable(&self) -> Result<(), StoreError> {
        match &self.inner.read_only {
            Some(why) => Err(StoreError::ReadOnly {
                dir: self.inner.dir.clone(),
                detail: format!("以只读方式打开（{why}），索引来自 WARC 文件"),
            }),
            None => Ok(()),
        }
    }

    /// Fail with [`StoreError::DiskFull`] unless `bytes` more fit on the disk with the reserve left over.
    fn ensure_space(&self, bytes: u64, reserve: u64) -> Result<(), StoreError> {
        let free = available_space(&self.inner.dir);
        let needed = bytes + reserve;
        if free < needed {
            return Err(StoreError::DiskFull { dir: self.inner.dir.clone(), free, needed, reserve });
        }
        Ok(())
    }

    fn sled_err(&self, action: &str, e: sled::Error) -> StoreError {
        classify_sled(&self.inner.dir, action, self.inner.reserve, e)
    }

    /// Apply an index batch (typed errors).
    fn apply(&self, b: Batch) -> Result<(), StoreError> {
        self.writable()?;
        self.db().apply(b).map_err(|e| self.sled_err("写入索引", e))
    }

    /// Insert one index value (typed errors).
    fn put(&self, k: Vec<u8>, v: Vec<u8>) -> Result<(), StoreError> {
        self.writable()?;
        self.db().insert(k, v).map(|_| ()).map_err(|e| self.sled_err("写入索引", e))
    }

    /// The store directory.
    pub fn dir(&self) -> &Path {
        &self.inner.dir
    }

    /// Change what the next WARC file's `warcinfo` says (the current file keeps its own).
    pub fn set_warcinfo(&self, info: WarcInfo) {
        lock(&self.inner.writer).options.warcinfo = info;
    }

    /// Change the roll size for the files that follow.
    pub fn set_max_warc_bytes(&self, bytes: u64) {
        lock(&self.inner.writer).options.max_warc_bytes = bytes;
    }

    fn db(&self) -> &Index {
        &self.inner.db
    }

    /// The sled database itself (every batch applied), for building it from the WARC files ([`crate::rebuild`]) or
    /// reading it as stored.
    pub(crate) fn raw_db(&self) -> Result<&sled::Db> {
        self.inner.db.raw().map_err(|e| self.sled_err("写入索引", e).into())
    }

    /// Check the store's on-disk index against its WARC files without changing either (`gongkai store verify`):
    /// index entries pointing at missing or corrupt records, WARC records or metadata not indexed, torn WARC tails,
    /// index data that the WARC files do not hold. Uses the index as is (no repair) and a second index built in
    /// memory from the WARC files.
    pub fn verify(dir: impl AsRef<Path>) -> Result<crate::rebuild::VerifyReport> {
        let dir = dir.as_ref();
        if !dir.join("warc").is_dir() {
            bail!("{} 不是 gongkai 存储库（没有 warc/ 目录）", dir.display());
        }
        let (warc, summary) = Store::from_warc(dir, "verify")?;
        if !dir.join("index").is_dir() {
            let mut rep = crate::rebuild::VerifyReport::default();
            rep.problems.push(format!(
                "存储库 {} 没有索引目录 index/；运行 `gongkai store rebuild --store {}` 从 WARC 文件重建",
                dir.display(),
                dir.display()
            ));
            return Ok(rep);
        }
        let disk = Store::open_disk(dir, StoreOptions::default(), false)?;
        crate::rebuild::verify(&disk, &warc, &summary)
    }

    fn get<T: DeserializeOwned>(&self, k: &[u8]) -> Result<Option<T>> {
        match self.db().get(k)? {
            Some(v) => Ok(Some(from_json(&v)?)),
            None => Ok(None),
        }
    }

    fn scan<T: DeserializeOwned>(&self, p: &[u8]) -> Result<Vec<T>> {
        self.scan_each(p).collect()
    }

    fn scan_each<T: DeserializeOwned>(&self, p: &[u8]) -> impl Iterator<Item = Result<T>> {
        self.db().scan_prefix(p).map(|kv| from_json(&kv?.1))
    }
}

/// Open the sled index, waiting while its file lock is still held by this process.
///
/// The caller holds the store's own lock, so no other gongkai process uses the index. sled releases its lock on
/// `index/db` only when its background threads have let go of the file, a moment after the last handle of an earlier
/// [`Store`] in this process was dropped (`run` opens the store to crawl, then to score). Opening again in that moment
/// fails with `WouldBlock`; we retry for up to ten seconds instead of reporting a store that nobody else holds.
fn open_sled(path: &Path, cache_bytes: u64) -> sled::Result<sled::Db> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        match sled::Config::new().path(path).cache_capacity(cache_bytes).open() {
            // sled reports its lock as `ErrorKind::Other` with the OS error in the message.
            Err(sled::Error::Io(e))
                if (e.kind() == std::io::ErrorKind::WouldBlock || e.to_string().contains("could not acquire lock"))
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_open_of_a_store_in_use_fails_clearly() {
        let dir = tempfile::tempdir().unwrap();
        let _store = Store::open(dir.path()).unwrap();
        let err = Store::open(dir.path()).expect_err("second open must fail");
        match StoreError::find(&err) {
            Some(StoreError::Locked { pid: Some(pid), .. }) => assert_eq!(*pid, std::process::id()),
            other => panic!("expected Locked with a PID, got {other:?}: {err:#}"),
        }
        assert!(format!("{err:#}").contains(&format!("PID {}", std::process::id())), "{err:#}");
        // Reading is refused too while a writer holds the store.
        let err = Store::open_for_reading(dir.path()).expect_err("locked");
        assert!(matches!(StoreError::find(&err), Some(StoreError::Locked { .. })), "{err:#}");
    }

    #[test]
    fn a_damaged_index_is_rebuilt_from_the_warc_files_on_open() {
        use crate::store::test_support::*;
        let dir = tempfile::tempdir().unwrap();
        {
            let store = Store::open(dir.path()).unwrap();
            let snap = store.begin_snapshot(&site("a")).unwrap();
            store.record_fetch(&snap, &fetch("http://a.gov.cn/", 0, html(200, "<p>x</p>", &[]))).unwrap();
            store.flush().unwrap();
        }
        // What a process killed mid-write can leave: an index sled cannot read.
        for e in fs::read_dir(dir.path().join("index")).unwrap() {
            let p = e.unwrap().path();
            if p.is_file() {
                fs::write(&p, vec![0xA5u8; 4096]).unwrap();
            }
        }
        let damaged = match Store::open_disk(dir.path(), StoreOptions::default(), false) {
            Err(StoreError::IndexCorrupt { .. }) => true,
            Err(e) => panic!("unexpected error {e}"),
            Ok(_) => false,
        };
        assert!(damaged, "sled read the overwritten index without complaint: the test no longer reaches the rebuild");
        {
            let store = Store::open(dir.path()).expect("rebuilt from the WARC files");
            assert_eq!(store.fetch_count().unwrap(), 1);
            assert!(fs::read_dir(dir.path()).unwrap().any(|e| e
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("index.before-rebuild-")));
        }
    }
}
