//! The store: everything a crawl saw, kept so scoring and reports can be redone without the network.
//!
//! On disk (`--store DIR`): `DIR/warc/…/*.warc.gz` (WARC/1.1, one gzip member per record) and an embedded sled index of
//! fetches, the crawl frontier, link checks and probe history. This crate is the only code that knows that layout; the
//! rest of gongkai sees the types in [`capture`], the [`Store`] API, and the text helpers in [`text`].
//!
//! - [`warc`]: building and reading WARC records (digests, revisits, one gzip member per record).
//! - [`store`]: the [`Store`] (sites, snapshots, frontier, fetch index, probes, link checks; crash-safe).
//! - [`error`]: typed store errors (disk full, read-only, locked by PID n, damaged index) and the lock file.
//! - [`meta`]: the index as WARC `metadata` records, so the WARC files alone are the record.
//! - [`rebuild`]: the index rebuilt from the WARC files (on disk or in memory) and checked against them.
//! - [`text`]: content decoding and HTML charset detection shared by crawler and scoring.
//! - [`testing`]: validation of a store's WARC files with an independent reader (warcio).

pub mod capture;
pub mod error;
pub mod meta;
pub mod rebuild;
pub mod store;
pub mod testing;
pub mod text;
pub mod warc;

pub use capture::*;
pub use error::StoreError;
pub use rebuild::{RebuildSummary, VerifyReport};
pub use store::{
    Fetch, FetchEntry, Frontier, FrontierEntry, FrontierStats, RecordKind, Recorded, Snapshot, Store, StoreOptions,
    Validators, WarcInfo,
};
pub use text::{decode_content, decode_html, defuse_formatting};
