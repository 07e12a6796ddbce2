//! The store: everything a crawl saw, kept so scoring and reports can be redone without the network.
//!
//! On disk (`--store DIR`): `DIR/warc/…/*.warc.gz` (WARC/1.1, one gzip member per record) and an embedded sled index of
//! fetches, the crawl frontier, link checks and probe history. This crate is the only code that knows that layout; the
//! rest of gongkai sees the types in [`capture`].

pub mod capture;

pub use capture::*;
