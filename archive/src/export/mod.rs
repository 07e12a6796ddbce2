//! Exports of the store in the formats replay tools read: a CDXJ index ([`cdxj`]) and a WACZ package ([`wacz`]).
//!
//! They live here because this crate is the only code that knows the store's layout: which files hold which
//! snapshot's records, where a revisit's payload is.
//!
//! - [`write_cdxj`]: a sorted, pywb-compatible CDXJ index of every WARC file of a store ([`write_cdxj_files`] for
//!   chosen files and names); [`merge_cdxj`]: several sorted CDXJ files merged into one (sharded runs).
//! - [`write_wacz`]: a WACZ 1.1.1 package of the store or of chosen snapshots.
//! - [`surt`](surt::surt): the SURT keys the index is sorted by, byte for byte as python `surt` (pywb) makes them.

pub mod cdxj;
pub mod surt;
pub mod wacz;

pub use cdxj::{base_name, merge_cdxj, store_sources, write_cdxj, write_cdxj_files, CdxjSummary, WarcSource};
pub use surt::surt;
pub use wacz::{write_wacz, Selection, SnapshotPick, WaczSummary};
