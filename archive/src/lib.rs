//! The store: everything a crawl saw, kept so scoring and reports can be redone without the network.
//!
//! The crawler hands every HTTP exchange to a [`Store`] ([`Store::record_fetch`]), which writes it as standard WARC
//! records and indexes it; scoring reads a site's latest snapshot back as a [`SiteCapture`] ([`Store::latest_capture`]),
//! bodies content-decoded and revisits resolved; reports cite the archived record of every finding ([`WarcRef`]).
//!
//! On disk (`--store DIR`): `DIR/warc/…/*.warc.gz` (WARC/1.1, one gzip member per record) and an embedded sled index of
//! fetches, the crawl frontier, link checks and probe history. This crate is the only code that knows that layout; the
//! rest of gongkai sees the types in [`capture`], the [`Store`] API, and the decoding helpers ([`decode_content`],
//! [`decode_html`]).
//!
//! ```
//! use gongkai_archive::{Fetch, Store};
//!
//! # fn main() -> anyhow::Result<()> {
//! let dir = tempfile::tempdir()?;
//! let store = Store::open(dir.path())?;
//! let site: gongkai_config::Site = serde_json::from_value(serde_json::json!({
//!     "id": "demo", "name": "示例县人民政府", "url": "http://demo.gov.cn/",
//!     "region": ["四川省", "成都市", "示例县"], "level": "county", "platform": null,
//!     "rate": 2.0, "max_pages": 100, "max_depth": 3
//! }))?;
//! let snap = store.begin_snapshot(&site)?;
//! let headers = vec![("Content-Type".to_string(), "text/html; charset=utf-8".to_string())];
//! let home = Fetch::get(site.url.clone(), 0, 200, headers, "<title>首页</title>".as_bytes().to_vec());
//! let recorded = store.record_fetch(&snap, &home)?; // a request and a response record, then the index entry
//! store.finish_snapshot(&snap)?;
//!
//! let capture = store.latest_capture("demo")?.expect("a finished snapshot");
//! assert_eq!(capture.pages[0].body, "<title>首页</title>".as_bytes());
//! assert_eq!(capture.pages[0].warc, recorded.entry.warc); // where the evidence is: file, offset, record id
//! # Ok(())
//! # }
//! ```
//!
//! - [`store`]: the [`Store`] (sites, snapshots, frontier, fetch index, probes, link checks; crash-safe), one file per
//!   concern under `store/`.
//! - [`warc`]: building and reading WARC records (digests, the records of one exchange, revisits, one gzip member per
//!   record).
//! - [`capture`]: what scoring reads (pages, failures, link checks, probes of a snapshot).
//! - [`error`]: typed store errors ([`StoreError`]: disk full, read-only, locked by PID n, damaged index) and the lock
//!   file.
//! - [`meta`]: the index as WARC `metadata` records, so the WARC files alone are the record.
//! - [`rebuild`]: the index rebuilt from the WARC files (on disk or in memory) and checked against them.
//! - [`content`]: Content-Encoding removal (streaming while a body arrives, or a whole body), always capped.
//! - [`export`]: a store's CDXJ index and WACZ package, for replay tools (pywb, ReplayWeb.page).
//! - [`tls`]: the certificate check of a site's https hosts, as the crawler saw it.
//! - [`text`]: HTML charset detection shared by crawler and scoring, and the defusing of parser amplification.
//! - `testing` (cargo feature `testing`, for other crates' tests): validation of a store's WARC files with an
//!   independent reader (warcio), tmpfs and read-only mounts.

pub mod capture;
pub mod content;
pub mod error;
pub mod export;
mod gzip;
pub mod meta;
pub mod rebuild;
pub mod store;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
pub mod text;
pub mod tls;
pub mod warc;

pub use capture::{
    CapturedPage, FetchFailure, LinkCheck, LinkOutcome, LinkedPage, Probe, ProbeSource, SiteCapture, SnapshotInfo,
    WarcRef, LINKED_PAGE_CAP,
};
pub use content::{decode_content, decode_content_prefix, ContentDecoder};
pub use error::StoreError;
pub use gzip::gzip_member;
pub use rebuild::{RebuildSummary, VerifyReport};
pub use store::{
    authority, Fetch, FetchEntry, Frontier, FrontierEntry, FrontierStats, QueueHead, RecordKind, Recorded, Snapshot,
    Store, StoreOptions, Validators, WarcInfo,
};
pub use store::{AaaaLookup, Ipv6Check, Ipv6Home, Ipv6Sample};
pub use text::{decode_html, defuse_formatting};
pub use tls::{CertificateInfo, TlsCheck, TlsErrorKind};
