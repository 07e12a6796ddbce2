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
//! gets [`StoreError::Locked`] naming that PID. Before any WARC write the free space is checked: a write that would
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
//! in RAM, so 100,000-page crawls stay small (see `tests/scale.rs` for the measurement). [`Store::latest_capture`] loads one site's pages at a time.

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use anyhow::{bail, Context, Result};
use chrono::{DateTime, SubsecRound, Utc};
use gongkai_config::Site;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use url::Url;

use crate::capture::*;
use crate::error::{available_space, classify_io, classify_sled, StoreError, StoreLock};
use crate::meta::{FetchMeta, Meta};
use crate::text::decode_content;
use crate::warc::{self, RecordType, WarcRecord, WarcRecordBuilder};

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

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SnapshotRecord {
    pub(crate) info: SnapshotInfo,
    pub(crate) site: Site,
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

impl std::fmt::Debug for Frontier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Frontier").field("site_id", &self.snap.site_id).field("seq", &self.snap.seq).finish()
    }
}

struct Inner {
    dir: PathBuf,
    db: sled::Db,
    /// Held while the store is open on its own index (None for an index built in memory from the WARC files).
    _lock: Option<StoreLock>,
    /// Why this store refuses writes: its index was built in memory from the WARC files (see
    /// [`Store::open_for_reading`]). None for a store open for writing.
    read_only: Option<String>,
    reserve: u64,
    /// Serialises WARC appends and the index batch that follows them (index order = file order).
    writer: Mutex<Writer>,
    /// Serialises frontier read-modify-write (taken after `writer` when both are needed).
    frontier: Mutex<()>,
    /// Snapshots begun by this process (a second `begin_snapshot` must not release their claimed URLs).
    active: Mutex<HashSet<(String, u64)>>,
}

struct Writer {
    options: StoreOptions,
    current: Option<OpenWarc>,
}

struct OpenWarc {
    file: File,
    /// Relative to the store directory, `/`-separated.
    rel: String,
    size: u64,
    /// Only the warcinfo so far.
    empty: bool,
    /// Record id of the file's `warcinfo` (every record of the file names it in `WARC-Warcinfo-ID`).
    warcinfo_id: String,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Ok(mut w) = self.writer.lock() {
            if let Some(cur) = w.current.take() {
                let _ = cur.file.sync_all();
            }
        }
        let _ = self.db.flush();
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
pub(crate) const K_QUEUE: &[u8] = b"fq";
pub(crate) const K_URL: &[u8] = b"fu";
pub(crate) const K_COUNT: &[u8] = b"fc";
pub(crate) const K_WEND: &[u8] = b"wend";
pub(crate) const K_SERIAL: &[u8] = b"serial";
pub(crate) const K_WFILE: &[u8] = b"wfile";

fn snap_parts(s: &Snapshot) -> (Vec<u8>, [u8; 8]) {
    (s.site_id.as_bytes().to_vec(), be(s.seq))
}

pub(crate) fn to_json<T: Serialize>(v: &T) -> Vec<u8> {
    serde_json::to_vec(v).expect("index values serialise")
}

pub(crate) fn from_json<T: DeserializeOwned>(v: &[u8]) -> Result<T> {
    serde_json::from_slice(v).context("corrupt index entry")
}

fn site_key_ok(id: &str) -> Result<()> {
    if id.is_empty() || id.bytes().any(|b| b == 0) {
        bail!("invalid site id {id:?}");
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
    /// A store whose index directory is gone but whose WARC files are there gets its index rebuilt from them first (as
    /// `gongkai store rebuild`), so a crawl never starts over snapshots the WARC files already hold.
    pub fn open_with(dir: impl AsRef<Path>, options: StoreOptions) -> Result<Store> {
        let dir = dir.as_ref();
        let lost_index = !dir.join("index").exists()
            && fs::read_dir(dir.join("warc")).map(|mut d| d.next().is_some()).unwrap_or(false);
        let store = Store::open_disk(dir, options, true)?;
        if lost_index {
            let sum = crate::rebuild::scan_into(&store, true)?;
            store.db().flush().map_err(|e| store.sled_err("写入索引", e))?;
            tracing::warn!(
                files = sum.files,
                fetches = sum.fetches,
                "index directory missing: rebuilt from the WARC files"
            );
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
        let db = sled::Config::new()
            .path(dir.join("index"))
            .cache_capacity(options.cache_bytes)
            .open()
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
                db,
                _lock: lock,
                read_only,
                reserve: options.reserve_bytes,
                writer: Mutex::new(Writer { options, current: None }),
                frontier: Mutex::new(()),
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
                .context("creating a temporary index")?,
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
        let db = sled::Config::new()
            .path(&index)
            .cache_capacity(options.cache_bytes)
            .open()
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
    fn apply(&self, b: sled::Batch) -> Result<(), StoreError> {
        self.writable()?;
        self.db().apply_batch(b).map_err(|e| self.sled_err("写入索引", e))
    }

    /// Insert one index value (typed errors).
    fn put(&self, k: Vec<u8>, v: Vec<u8>) -> Result<(), StoreError> {
        self.writable()?;
        self.db().insert(k, v).map(|_| ()).map_err(|e| self.sled_err("写入索引", e))
    }

    /// Append gongkai metadata records to the current WARC file (writer lock held); returns the file and its new end,
    /// for the index batch that follows (which must set the file's indexed end).
    fn append_meta(&self, w: &mut Writer, metas: &[Meta]) -> Result<(String, u64)> {
        let now = Utc::now().trunc_subsecs(6);
        let recs: Vec<WarcRecordBuilder> = metas.iter().map(|m| m.record(now)).collect();
        let build = |wid: &str| {
            recs.iter().map(|r| r.clone().header("WARC-Warcinfo-ID", format!("<{wid}>")).to_gzip()).collect()
        };
        let (file, _, end) = self.append(w, None, &build)?;
        Ok((file, end))
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

    fn db(&self) -> &sled::Db {
        &self.inner.db
    }

    /// The sled database itself, for building it from the WARC files ([`crate::rebuild`]).
    pub(crate) fn raw_db(&self) -> &sled::Db {
        &self.inner.db
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
        self.db().scan_prefix(p).values().map(|v| from_json(&v?)).collect()
    }

    // ---- WARC files ---------------------------------------------------------------------------------------------

    /// Every `.warc.gz` file under `DIR/warc`, as paths relative to the store (sorted).
    pub fn warc_files(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let root = self.inner.dir.join("warc");
        let mut stack = vec![root];
        while let Some(d) = stack.pop() {
            let rd = match fs::read_dir(&d) {
                Ok(rd) => rd,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e.into()),
            };
            for ent in rd {
                let ent = ent?;
                let p = ent.path();
                if ent.file_type()?.is_dir() {
                    stack.push(p);
                } else if p.to_string_lossy().ends_with(".warc.gz") {
                    out.push(self.rel_path(&p));
                }
            }
        }
        out.sort();
        Ok(out)
    }

    fn rel_path(&self, p: &Path) -> String {
        p.strip_prefix(&self.inner.dir)
            .unwrap_or(p)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Absolute path of a store-relative WARC path.
    pub fn warc_path(&self, rel: &str) -> PathBuf {
        self.inner.dir.join(rel)
    }

    /// Cut every WARC file the store wrote back to the end of its last indexed record; remove those holding no indexed
    /// record. Files the index does not know (copied in, or written before the index was deleted) are left alone.
    fn repair_warc_files(&self) -> Result<()> {
        for rel in self.warc_files()? {
            let path = self.warc_path(&rel);
            let len = fs::metadata(&path)?.len();
            if self.db().get(key(&[K_WFILE, rel.as_bytes()]))?.is_none() {
                tracing::warn!(file = %rel, "a WARC file this store's index does not know; leaving it untouched");
                continue;
            }
            let end: Option<u64> = self.get(&key(&[K_WEND, rel.as_bytes()]))?;
            match end {
                None => {
                    tracing::warn!(file = %rel, "removing a WARC file with no indexed record (left by an interrupted crawl)");
                    fs::remove_file(&path)?;
                }
                Some(end) if len > end => {
                    tracing::warn!(file = %rel, from = len, to = end, "cutting unindexed tail off a WARC file");
                    let f = OpenOptions::new().write(true).open(&path)?;
                    f.set_len(end)?;
                    f.sync_all()?;
                }
                Some(end) if len < end => {
                    // Only after a system crash lost written data: keep what is still complete.
                    let valid = warc::valid_prefix_len(&path)?;
                    tracing::error!(file = %rel, len, indexed_end = end, valid, "WARC file shorter than its index");
                    if valid < len {
                        let f = OpenOptions::new().write(true).open(&path)?;
                        f.set_len(valid)?;
                        f.sync_all()?;
                    }
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    fn next_serial(&self) -> Result<u64> {
        Ok(self
            .db()
            .update_and_fetch(key(&[K_SERIAL]), |old| {
                let n = old.map(|o| u64::from_be_bytes(o.try_into().unwrap_or([0; 8]))).unwrap_or(0) + 1;
                Some(be(n).to_vec())
            })?
            .map(|v| u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8])))
            .unwrap_or(1))
    }

    fn new_warc_file(&self, w: &mut Writer) -> Result<OpenWarc> {
        let now = Utc::now();
        let month_dir = self.inner.dir.join("warc").join(now.format("%Y-%m").to_string());
        let dir = &self.inner.dir;
        let reserve = self.inner.reserve;
        fs::create_dir_all(&month_dir).map_err(|e| classify_io(dir, "创建目录", &month_dir, 4096, reserve, e))?;
        // The serial counter may have lost its last increments in a kill; skip names that exist.
        let (name, path, mut file) = loop {
            let name = format!("gongkai-{}-{:05}.warc.gz", now.format("%Y%m%d%H%M%S"), self.next_serial()?);
            let path = month_dir.join(&name);
            if path.exists() {
                continue;
            }
            // Register the file as the store's own before creating it (durably: this happens once per file), so the
            // open-time repair only ever removes or cuts files this store wrote.
            self.put(key(&[K_WFILE, self.rel_path(&path).as_bytes()]), to_json(&now))?;
            self.db().flush().map_err(|e| self.sled_err("写入索引", e))?;
            match OpenOptions::new().create_new(true).append(true).open(&path) {
                Ok(f) => break (name, path, f),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(classify_io(dir, "创建 WARC 文件", &path, 4096, reserve, e).into()),
            }
        };
        let info = &w.options.warcinfo;
        let mut fields = format!(
            "software: {SOFTWARE}\r\nformat: WARC File Format 1.1\r\n\
             conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n\
             robots: {}\r\n",
            info.robots
        );
        if let Some(op) = &info.operator {
            fields.push_str(&format!("operator: {op}\r\n"));
        }
        if let Some(ua) = &info.user_agent {
            fields.push_str(&format!("http-header-user-agent: {ua}\r\n"));
        }
        if let Some(d) = &info.description {
            fields.push_str(&format!("description: {d}\r\n"));
        }
        let rec = WarcRecordBuilder::new(RecordType::Warcinfo, now, fields.into_bytes())
            .header("WARC-Filename", name.clone())
            .content_type("application/warc-fields");
        let warcinfo_id = rec.record_id.clone();
        let gz = rec.to_gzip();
        file.write_all(&gz).map_err(|e| classify_io(dir, "写入 WARC 文件", &path, gz.len() as u64, reserve, e))?;
        Ok(OpenWarc { file, rel: self.rel_path(&path), size: gz.len() as u64, empty: true, warcinfo_id })
    }

    /// Append records to the current file (rolling first if they would take it past the size limit). `build` makes
    /// the compressed records for a file, given its warcinfo record id; `pre` is what it made for the file that was
    /// current a moment ago (compressed outside the lock), reused when that file is still the one written to.
    /// Returns the file and the offset of each record and the file's new end. Called with the writer lock held.
    fn append(
        &self,
        w: &mut Writer,
        pre: Option<(String, Vec<Vec<u8>>)>,
        build: &dyn Fn(&str) -> Vec<Vec<u8>>,
    ) -> Result<(String, Vec<u64>, u64)> {
        self.writable()?;
        let size = |rs: &[Vec<u8>]| rs.iter().map(|r| r.len() as u64).sum::<u64>();
        let mut records = match (&w.current, pre) {
            (Some(c), Some((id, rs))) if id == c.warcinfo_id => Some(rs),
            (Some(c), _) => Some(build(&c.warcinfo_id)),
            (None, _) => None,
        };
        let must_roll = match (&w.current, &records) {
            (Some(c), Some(rs)) => !c.empty && c.size + size(rs) > w.options.max_warc_bytes,
            _ => true,
        };
        // Write-ahead order on a full disk: refuse before writing anything, keeping the reserve for the index.
        let estimate = records.as_deref().map(size).unwrap_or(0) + if must_roll { 4096 } else { 0 };
        self.ensure_space(estimate, self.inner.reserve)?;
        if must_roll {
            if let Some(old) = w.current.take() {
                old.file.sync_all().map_err(|e| {
                    classify_io(&self.inner.dir, "同步 WARC 文件", &self.warc_path(&old.rel), 0, self.inner.reserve, e)
                })?;
            }
            let new = self.new_warc_file(w)?;
            records = Some(build(&new.warcinfo_id));
            w.current = Some(new);
        }
        let records = records.expect("records built");
        let cur = w.current.as_mut().expect("a current WARC file");
        let mut offsets = Vec::with_capacity(records.len());
        let mut buf = Vec::with_capacity(size(&records) as usize);
        let mut off = cur.size;
        for r in &records {
            offsets.push(off);
            off += r.len() as u64;
            buf.extend_from_slice(r);
        }
        if let Err(e) = cur.file.write_all(&buf) {
            // Leave no partial write behind in this process's file (nothing indexed points past `cur.size`).
            let _ = cur.file.set_len(cur.size);
            let path = self.inner.dir.join(&cur.rel);
            return Err(
                classify_io(&self.inner.dir, "写入 WARC 文件", &path, buf.len() as u64, self.inner.reserve, e).into()
            );
        }
        cur.size = off;
        cur.empty = false;
        Ok((cur.rel.clone(), offsets, off))
    }

    /// Fsync the current WARC file and the index.
    pub fn flush(&self) -> Result<()> {
        {
            let w = lock(&self.inner.writer);
            if let Some(c) = &w.current {
                c.file.sync_all()?;
            }
        }
        self.db().flush()?;
        Ok(())
    }

    /// Read the record a [`WarcRef`] points at (checking its record id).
    pub fn read_record(&self, r: &WarcRef) -> Result<WarcRecord> {
        let rec = warc::read_record_at(&self.warc_path(&r.file), r.offset)?;
        if rec.record_id() != Some(r.record_id.as_str()) {
            bail!("{}@{}: expected record {}, found {:?}", r.file, r.offset, r.record_id, rec.record_id());
        }
        Ok(rec)
    }

    // ---- sites and snapshots ------------------------------------------------------------------------------------

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
            let mut rec: SnapshotRecord = self.get(&skey)?.context("open snapshot without its record")?;
            rec.site = site.clone();
            let (file, end) =
                self.append_meta(&mut w, &[Meta::Snapshot { site: site.clone(), info: rec.info.clone() }])?;
            let mut b = sled::Batch::default();
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
            .scan_prefix(prefix(&[K_SNAP, id]))
            .keys()
            .next_back()
            .transpose()?
            .map(|k| u64::from_be_bytes(k[k.len() - 8..].try_into().expect("8-byte seq")))
            .unwrap_or(0);
        let seq = last + 1;
        let started_at = Utc::now().trunc_subsecs(6);
        let rec = SnapshotRecord { info: SnapshotInfo { seq, started_at, finished_at: None }, site: site.clone() };
        let (file, end) = self.append_meta(&mut w, &[Meta::Snapshot { site: site.clone(), info: rec.info.clone() }])?;
        let mut b = sled::Batch::default();
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
            let mut rec: SnapshotRecord = self.get(&skey)?.context("unknown snapshot")?;
            if rec.info.finished_at.is_none() {
                rec.info.finished_at = Some(Utc::now().trunc_subsecs(6));
            }
            let (file, end) =
                self.append_meta(&mut w, &[Meta::Snapshot { site: rec.site.clone(), info: rec.info.clone() }])?;
            let mut b = sled::Batch::default();
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
        let mut b = sled::Batch::default();
        b.insert(key(&[K_SITE, site.id.as_bytes()]), to_json(site));
        b.insert(key(&[K_WEND, file.as_bytes()]), to_json(&end));
        self.apply(b)?;
        Ok(())
    }

    // ---- frontier -----------------------------------------------------------------------------------------------

    /// The frontier of a snapshot (a cheap handle).
    pub fn frontier(&self, snap: &Snapshot) -> Frontier {
        Frontier { store: self.clone(), snap: snap.clone() }
    }

    fn counts(&self, snap: &Snapshot) -> Result<FrontierStats> {
        let (id, seq) = snap_parts(snap);
        Ok(self.get(&key(&[K_COUNT, &id, &seq]))?.unwrap_or_default())
    }

    fn requeue_claimed(&self, snap: &Snapshot) -> Result<()> {
        let (id, seq) = snap_parts(snap);
        let mut b = sled::Batch::default();
        let mut counts = self.counts(snap)?;
        let mut n = 0;
        for kv in self.db().scan_prefix(prefix(&[K_URL, &id, &seq])) {
            let (k, v) = kv?;
            let mut rec: UrlRecord = from_json(&v)?;
            if rec.state == UrlState::Claimed {
                let qk = self.queue_key(&id, &seq, rec.entry.depth)?;
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

    /// Queue order: shallower first, then first pushed first (breadth-first).
    fn queue_key(&self, id: &[u8], seq: &[u8; 8], depth: u32) -> Result<Vec<u8>> {
        let order = self.db().generate_id()?;
        let mut tail = depth.to_be_bytes().to_vec();
        tail.extend_from_slice(&be(order));
        Ok(key(&[K_QUEUE, id, seq, &tail]))
    }

    /// Mark `url` done inside a batch being built (frontier lock held). Adds it to the seen set if it was never pushed.
    fn mark_done(
        &self,
        b: &mut sled::Batch,
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

    // ---- fetches ------------------------------------------------------------------------------------------------

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

    /// Archive one fetch and index it; marks the URL done in the snapshot's frontier (atomically with the index entry).
    ///
    /// Writes a `request` record and then: a `revisit` (server-not-modified) when the status is 304 and an earlier
    /// snapshot holds the URL; a `revisit` (identical-payload-digest) when the non-empty payload's digest equals the
    /// earlier snapshot's; otherwise a `response`. A URL already archived in this snapshot is not written again (the
    /// earlier entry is returned with `duplicate: true`).
    pub fn record_fetch(&self, snap: &Snapshot, fetch: &Fetch) -> Result<Recorded> {
        if let Some(entry) = self.fetch_entry(snap, &fetch.url)? {
            let _f = lock(&self.inner.frontier);
            self.done_locked(snap, &fetch.url, fetch.depth)?;
            return Ok(Recorded { entry, duplicate: true });
        }
        let fetched_at = fetch.fetched_at.trunc_subsecs(6);
        let previous = self.previous_fetch(snap, &fetch.url)?;
        let payload_digest = warc::sha1_digest(&fetch.body);
        let header = |name: &str| {
            fetch.response_headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
        };
        let kind = match &previous {
            Some(_) if fetch.status == 304 => RecordKind::RevisitNotModified,
            Some(p) if !fetch.body.is_empty() && p.payload_digest == payload_digest => RecordKind::RevisitIdentical,
            _ => RecordKind::Response,
        };

        let uri = fetch.url.as_str().to_string();
        let request_block =
            warc::http_request_block(&fetch.method, &fetch.url, &fetch.http_version, &fetch.request_headers);
        let reason = fetch.reason.clone().unwrap_or_else(|| warc::reason_phrase(fetch.status).to_string());
        let head = warc::http_response_head(&fetch.http_version, fetch.status, &reason, &fetch.response_headers);
        let ip = fetch.ip.map(|ip| ip.to_string());

        let mut resp = match kind {
            RecordKind::Response => {
                let mut block = head;
                block.extend_from_slice(&fetch.body);
                WarcRecordBuilder::new(RecordType::Response, fetched_at, block)
                    .header("WARC-Target-URI", uri.clone())
                    .header("WARC-Payload-Digest", payload_digest.clone())
            }
            RecordKind::RevisitIdentical | RecordKind::RevisitNotModified => {
                let p = previous.as_ref().expect("revisit has a previous fetch");
                let profile = if kind == RecordKind::RevisitIdentical {
                    warc::PROFILE_IDENTICAL
                } else {
                    warc::PROFILE_NOT_MODIFIED
                };
                let mut r = WarcRecordBuilder::new(RecordType::Revisit, fetched_at, head)
                    .header("WARC-Target-URI", uri.clone())
                    .header("WARC-Profile", profile)
                    .header("WARC-Refers-To-Target-URI", p.payload_uri.clone())
                    .header("WARC-Refers-To-Date", warc::warc_date(&p.payload_date))
                    .header("WARC-Refers-To", format!("<{}>", p.payload.record_id));
                if kind == RecordKind::RevisitIdentical {
                    r = r.header("WARC-Payload-Digest", payload_digest.clone());
                }
                r
            }
        }
        .content_type("application/http;msgtype=response");
        if let Some(ip) = &ip {
            resp = resp.header("WARC-IP-Address", ip.clone());
        }
        if let Some(t) = &fetch.truncated {
            resp = resp.header("WARC-Truncated", t.clone());
        }
        let mut req = WarcRecordBuilder::new(RecordType::Request, fetched_at, request_block)
            .header("WARC-Target-URI", uri.clone())
            .header("WARC-Concurrent-To", format!("<{}>", resp.record_id))
            .content_type("application/http;msgtype=request");
        if let Some(ip) = &ip {
            req = req.header("WARC-IP-Address", ip.clone());
        }
        // Response first, as most crawlers write (replay tools index the response; the request refers to it).
        resp.headers.insert(0, ("WARC-Concurrent-To".into(), format!("<{}>", req.record_id)));
        let (etag, last_modified) = match (&kind, &previous) {
            (RecordKind::RevisitNotModified, Some(p)) => {
                (header("ETag").or_else(|| p.etag.clone()), header("Last-Modified").or_else(|| p.last_modified.clone()))
            }
            _ => (header("ETag"), header("Last-Modified")),
        };
        let (payload, payload_uri, payload_date, payload_digest) = match (&kind, &previous) {
            (RecordKind::Response, _) => (None, uri.clone(), fetched_at, payload_digest),
            (_, Some(p)) => (Some(p.payload.clone()), p.payload_uri.clone(), p.payload_date, p.payload_digest.clone()),
            _ => unreachable!("revisit without previous"),
        };
        // The index entry as a metadata record, in the same write as the records it describes (the WARC is the record).
        let meta = FetchMeta {
            url: fetch.url.clone(),
            fetched_at,
            status: fetch.status,
            depth: fetch.depth,
            kind,
            response_id: resp.record_id.clone(),
            request_id: req.record_id.clone(),
            payload_digest,
            payload,
            payload_uri,
            payload_date,
            etag,
            last_modified,
        };
        let meta_rec =
            Meta::Fetch { site_id: snap.site_id.clone(), seq: snap.seq, fetch: meta.clone() }.record(fetched_at);
        let build = |warcinfo_id: &str| {
            let wid = format!("<{warcinfo_id}>");
            vec![
                resp.clone().header("WARC-Warcinfo-ID", wid.clone()).to_gzip(),
                req.clone().header("WARC-Warcinfo-ID", wid.clone()).to_gzip(),
                meta_rec.clone().header("WARC-Warcinfo-ID", wid).to_gzip(),
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
            let _f = lock(&self.inner.frontier);
            self.done_locked(snap, &fetch.url, fetch.depth)?;
            return Ok(Recorded { entry, duplicate: true });
        }
        let (file, offsets, end) = self.append(&mut w, pre, &build)?;
        let warc_ref = WarcRef { file: file.clone(), offset: offsets[0], record_id: resp.record_id.clone() };
        let request_ref = WarcRef { file: file.clone(), offset: offsets[1], record_id: req.record_id.clone() };
        let entry = meta.to_entry(warc_ref, request_ref);
        let _f = lock(&self.inner.frontier);
        let (id, seq) = snap_parts(snap);
        let mut counts = self.counts(snap)?;
        let mut b = sled::Batch::default();
        self.mark_done(&mut b, &mut counts, snap, &fetch.url, fetch.depth)?;
        counts.fetched += 1;
        b.insert(key(&[K_COUNT, &id, &seq]), to_json(&counts));
        b.insert(key(&[K_FETCH, &id, &seq, uri.as_bytes()]), to_json(&entry));
        b.insert(key(&[K_WEND, file.as_bytes()]), to_json(&end));
        self.apply(b)?;
        drop(w);
        Ok(Recorded { entry, duplicate: false })
    }

    fn done_locked(&self, snap: &Snapshot, url: &Url, depth: u32) -> Result<()> {
        let (id, seq) = snap_parts(snap);
        let mut counts = self.counts(snap)?;
        let mut b = sled::Batch::default();
        self.mark_done(&mut b, &mut counts, snap, url, depth)?;
        b.insert(key(&[K_COUNT, &id, &seq]), to_json(&counts));
        self.apply(b)?;
        Ok(())
    }

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

    /// Number of fetches archived in the whole store (all sites, all snapshots).
    pub fn fetch_count(&self) -> Result<u64> {
        let mut n = 0;
        for k in self.db().scan_prefix(prefix(&[K_FETCH])).keys() {
            k?;
            n += 1;
        }
        Ok(n)
    }

    // ---- read side ----------------------------------------------------------------------------------------------

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

/// A snapshot's frontier: URLs to fetch, claimed, done. Lives in sled; every operation is atomic and survives kill -9
/// (up to sled's last flush: an operation lost there is simply redone by the resumed crawl).
#[derive(Clone)]
pub struct Frontier {
    store: Store,
    snap: Snapshot,
}

impl Frontier {
    /// Add a URL; false if it was already seen in this snapshot (pushed, claimed, done, archived or failed).
    pub fn push(&self, entry: FrontierEntry) -> Result<bool> {
        let s = &self.store;
        let (id, seq) = snap_parts(&self.snap);
        let ukey = key(&[K_URL, &id, &seq, entry.url.as_str().as_bytes()]);
        let _f = lock(&s.inner.frontier);
        if s.db().get(&ukey)?.is_some() {
            return Ok(false);
        }
        s.writable()?;
        s.ensure_space(0, s.inner.reserve / 2)?;
        let qk = s.queue_key(&id, &seq, entry.depth)?;
        let mut counts = s.counts(&self.snap)?;
        counts.seen += 1;
        counts.pending += 1;
        let mut b = sled::Batch::default();
        b.insert(qk.clone(), to_json(&entry));
        b.insert(ukey, to_json(&UrlRecord { state: UrlState::Pending, queue_key: Some(qk), entry }));
        b.insert(key(&[K_COUNT, &id, &seq]), to_json(&counts));
        s.apply(b)?;
        Ok(true)
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

    /// Claim the next URL (shallowest first, then in push order). None when nothing is pending — other URLs may still
    /// be claimed and in flight ([`Frontier::stats`]).
    pub fn next(&self) -> Result<Option<FrontierEntry>> {
        let s = &self.store;
        let (id, seq) = snap_parts(&self.snap);
        let _f = lock(&s.inner.frontier);
        let Some(kv) = s.db().scan_prefix(prefix(&[K_QUEUE, &id, &seq])).next() else { return Ok(None) };
        let (qk, v) = kv?;
        let entry: FrontierEntry = from_json(&v)?;
        let ukey = key(&[K_URL, &id, &seq, entry.url.as_str().as_bytes()]);
        let mut counts = s.counts(&self.snap)?;
        counts.pending = counts.pending.saturating_sub(1);
        counts.claimed += 1;
        let mut b = sled::Batch::default();
        b.remove(qk);
        b.insert(ukey, to_json(&UrlRecord { state: UrlState::Claimed, queue_key: None, entry: entry.clone() }));
        b.insert(key(&[K_COUNT, &id, &seq]), to_json(&counts));
        s.apply(b)?;
        Ok(Some(entry))
    }

    /// Mark a URL done without archiving it (robots-disallowed, skipped, over a limit). [`Store::record_fetch`] and
    /// [`Store::record_failure`] mark done themselves.
    pub fn done(&self, url: &Url) -> Result<()> {
        let _f = lock(&self.store.inner.frontier);
        self.store.done_locked(&self.snap, url, 0)
    }

    pub fn stats(&self) -> Result<FrontierStats> {
        self.store.counts(&self.snap)
    }

    pub fn snapshot(&self) -> &Snapshot {
        &self.snap
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn site(id: &str) -> Site {
        serde_json::from_value(serde_json::json!({
            "id": id, "name": "测试县人民政府", "url": format!("http://{id}.gov.cn/"),
            "region": ["四川省", "成都市", "测试县"], "level": "county", "platform": null,
            "rate": 2.0, "max_pages": 100, "max_depth": 3
        }))
        .unwrap()
    }

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    fn html(status: u16, body: &str, extra: &[(&str, &str)]) -> (u16, Vec<(String, String)>, Vec<u8>) {
        let mut h = vec![("Content-Type".to_string(), "text/html; charset=utf-8".to_string())];
        h.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        (status, h, body.as_bytes().to_vec())
    }

    fn fetch(u: &str, depth: u32, (status, headers, body): (u16, Vec<(String, String)>, Vec<u8>)) -> Fetch {
        let mut f = Fetch::get(url(u), depth, status, headers, body);
        f.request_headers = vec![("User-Agent".into(), "gongkai-test".into())];
        f.ip = Some("127.0.0.1".parse().unwrap());
        f
    }

    fn all_records(store: &Store) -> Vec<(String, WarcRecord)> {
        let mut out = Vec::new();
        for rel in store.warc_files().unwrap() {
            for r in warc::WarcFileReader::open(&store.warc_path(&rel)).unwrap() {
                out.push((rel.clone(), r.expect("every record readable")));
            }
        }
        out
    }

    #[test]
    fn fetch_round_trips_with_request_response_and_decoded_body() {
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
    fn unchanged_payload_becomes_identical_payload_revisit() {
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
    fn not_modified_becomes_server_not_modified_revisit() {
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
        assert_eq!(r.http_response().unwrap().status, 304);
        store.finish_snapshot(&s2).unwrap();
        let page = &store.latest_capture("c").unwrap().unwrap().pages[0];
        assert_eq!(page.status, 200, "an unchanged page shows the original status");
        assert_eq!(page.body, b"<p>x</p>");
        assert_eq!(page.header("Content-Type"), Some("text/html; charset=utf-8"));
        assert_eq!(page.warc, nm.entry.warc);
    }

    #[test]
    fn unsolicited_304_without_earlier_capture_is_a_plain_response() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let snap = store.begin_snapshot(&site("d")).unwrap();
        let r = store.record_fetch(&snap, &fetch("http://d.gov.cn/", 0, (304, vec![], vec![]))).unwrap();
        assert_eq!(r.entry.kind, RecordKind::Response);
    }

    #[test]
    fn files_roll_at_the_size_limit() {
        let dir = tempfile::tempdir().unwrap();
        let opts = StoreOptions { max_warc_bytes: 3000, ..Default::default() };
        let store = Store::open_with(dir.path(), opts).unwrap();
        let snap = store.begin_snapshot(&site("e")).unwrap();
        let mut refs = Vec::new();
        for i in 0..20 {
            let body: String = (0..200).map(|j| format!("{}", (i * 7919 + j * 104729) % 1000)).collect();
            refs.push(
                store.record_fetch(&snap, &fetch(&format!("http://e.gov.cn/{i}"), 1, html(200, &body, &[]))).unwrap(),
            );
        }
        let files = store.warc_files().unwrap();
        assert!(files.len() >= 4, "expected several files, got {files:?}");
        for f in &files {
            let len = fs::metadata(store.warc_path(f)).unwrap().len();
            let recs: Vec<_> = warc::WarcFileReader::open(&store.warc_path(f)).unwrap().collect::<Result<_>>().unwrap();
            assert_eq!(recs[0].record_type(), Some("warcinfo"));
            assert_eq!(recs[0].header("WARC-Filename"), f.rsplit('/').next());
            let info_id = format!("<{}>", recs[0].record_id().unwrap());
            assert!(recs[1..].iter().all(|r| r.header("WARC-Warcinfo-ID") == Some(info_id.as_str())), "{f}");
            // Over the limit only when a single fetch does not fit in an otherwise empty file.
            assert!(len <= 3000 || recs.len() == 3, "{f}: {len} bytes, {} records", recs.len());
            assert!(f.starts_with(&format!("warc/{}/gongkai-", Utc::now().format("%Y-%m"))), "{f}");
        }
        for r in &refs {
            assert_eq!(store.read_record(&r.entry.warc).unwrap().target_uri(), Some(r.entry.url.as_str()));
        }
    }

    #[test]
    fn torn_tail_and_unindexed_records_are_cut_on_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let s = site("f");
        let (file, good_len, orphan) = {
            let store = Store::open(dir.path()).unwrap();
            let snap = store.begin_snapshot(&s).unwrap();
            for i in 0..3 {
                store
                    .record_fetch(&snap, &fetch(&format!("http://f.gov.cn/{i}"), 1, html(200, "<p>f</p>", &[])))
                    .unwrap();
            }
            store.flush().unwrap();
            let files = store.warc_files().unwrap();
            assert_eq!(files.len(), 1);
            let p = store.warc_path(&files[0]);
            // A file holding only its warcinfo (killed right after a roll).
            let orphan = {
                let mut w = lock(&store.inner.writer);
                let o = store.new_warc_file(&mut w).unwrap();
                store.warc_path(&o.rel)
            };
            (p.clone(), fs::metadata(&p).unwrap().len(), orphan)
        };
        // A complete but unindexed record (index entry lost) and then half a gzip member (torn write).
        let extra =
            WarcRecordBuilder::new(RecordType::Response, Utc::now(), b"HTTP/1.1 200 OK\r\n\r\nlost".to_vec()).to_gzip();
        let torn = WarcRecordBuilder::new(RecordType::Response, Utc::now(), vec![b'x'; 5000]).to_gzip();
        let mut f = OpenOptions::new().append(true).open(&file).unwrap();
        f.write_all(&extra).unwrap();
        f.write_all(&torn[..torn.len() / 2]).unwrap();
        drop(f);
        // A file the store never wrote (copied in): left alone.
        let foreign = file.with_file_name("other-crawler.warc.gz");
        let foreign_bytes = WarcRecordBuilder::new(RecordType::Warcinfo, Utc::now(), b"x: y\r\n".to_vec()).to_gzip();
        fs::write(&foreign, &foreign_bytes).unwrap();
        assert!(orphan.exists());

        let store = Store::open(dir.path()).unwrap();
        assert_eq!(fs::metadata(&file).unwrap().len(), good_len);
        assert!(!orphan.exists());
        assert_eq!(fs::read(&foreign).unwrap(), foreign_bytes);
        let snap = store.begin_snapshot(&s).unwrap();
        assert!(snap.resumed);
        for i in 3..6 {
            store.record_fetch(&snap, &fetch(&format!("http://f.gov.cn/{i}"), 1, html(200, "<p>f</p>", &[]))).unwrap();
        }
        store.finish_snapshot(&snap).unwrap();
        let recs = all_records(&store);
        assert_eq!(recs.iter().filter(|(_, r)| r.record_type() == Some("response")).count(), 6);
        assert_eq!(store.latest_capture("f").unwrap().unwrap().pages.len(), 6);
    }

    #[test]
    fn frontier_resume_semantics() {
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
    fn probes_link_checks_sites_and_captures() {
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

    #[test]
    fn unfinished_snapshot_is_read_only_when_no_finished_one_exists() {
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

    #[test]
    fn concurrent_writers_keep_files_and_index_consistent() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with(dir.path(), StoreOptions { max_warc_bytes: 8000, ..Default::default() }).unwrap();
        let s = site("k");
        let snap = store.begin_snapshot(&s).unwrap();
        let fr = store.frontier(&snap);
        for i in 0..400 {
            fr.push_url(&url(&format!("http://k.gov.cn/{i}")), 1).unwrap();
        }
        std::thread::scope(|scope| {
            for _ in 0..8 {
                let (store, fr, snap) = (store.clone(), fr.clone(), snap.clone());
                scope.spawn(move || {
                    while let Some(e) = fr.next().unwrap() {
                        let body = format!("<p>{}</p>", e.url);
                        store.record_fetch(&snap, &fetch(e.url.as_str(), e.depth, html(200, &body, &[]))).unwrap();
                    }
                });
            }
        });
        let stats = fr.stats().unwrap();
        assert_eq!((stats.seen, stats.done, stats.fetched, stats.pending, stats.claimed), (400, 400, 400, 0, 0));
        let entries = store.fetch_entries(&snap).unwrap();
        assert_eq!(entries.len(), 400);
        for e in &entries {
            let r = store.read_record(&e.warc).unwrap();
            assert_eq!(r.http_response().unwrap().body, format!("<p>{}</p>", e.url).as_bytes());
        }
        // Every file ends exactly at its last indexed record.
        for f in store.warc_files().unwrap() {
            let end: u64 = store.get(&key(&[K_WEND, f.as_bytes()])).unwrap().unwrap();
            assert_eq!(fs::metadata(store.warc_path(&f)).unwrap().len(), end, "{f}");
        }
    }

    #[test]
    fn file_shorter_than_its_index_keeps_its_complete_records() {
        // Only after a system crash: written data lost although the index survived.
        let dir = tempfile::tempdir().unwrap();
        let (file, refs) = {
            let store = Store::open(dir.path()).unwrap();
            let snap = store.begin_snapshot(&site("l")).unwrap();
            let refs: Vec<_> = (0..3)
                .map(|i| {
                    store.record_fetch(&snap, &fetch(&format!("http://l.gov.cn/{i}"), 1, html(200, "l", &[]))).unwrap()
                })
                .collect();
            (store.warc_path(&store.warc_files().unwrap()[0]), refs)
        };
        let cut = refs[2].entry.warc.offset + 10;
        OpenOptions::new().write(true).open(&file).unwrap().set_len(cut).unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(fs::metadata(&file).unwrap().len(), refs[2].entry.warc.offset);
        assert!(store.read_record(&refs[1].entry.warc).is_ok());
        assert!(store.read_record(&refs[2].entry.warc).is_err());
        let cap = store.latest_capture("l").unwrap().unwrap();
        assert_eq!(cap.pages.len(), 2);
        assert_eq!(cap.failures.len(), 1);
        assert!(cap.failures[0].error.starts_with("archived record unreadable"));
    }
}
