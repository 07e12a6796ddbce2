//! The real-page fixtures (`tests/fixtures/real/`, see its README) as captures the analysis reads: shared by
//! `real_pages.rs` and `emblem_real.rs`.

#![allow(dead_code)]

use gongkai_archive::{CapturedPage, SiteCapture, SnapshotInfo, WarcRef};
use gongkai_config::{Level, Site};
use std::path::{Path, PathBuf};
use url::Url;

pub fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/real")
}

pub fn page(url: &Url, content_type: &str, body: Vec<u8>, depth: u32) -> CapturedPage {
    CapturedPage {
        url: url.clone(),
        fetched_at: chrono::Utc::now(),
        status: 200,
        headers: vec![("Content-Type".into(), content_type.into())],
        body,
        depth,
        warc: WarcRef { file: "real.warc.gz".into(), offset: 0, record_id: format!("urn:uuid:{url}") },
    }
}

pub fn capture(url: &Url, pages: Vec<CapturedPage>) -> SiteCapture {
    SiteCapture {
        site: Site {
            id: "real".into(),
            name: "real".into(),
            url: url.clone(),
            region: vec![],
            level: Level::County,
            platform: None,
            rate: 2.0,
            max_pages: 100,
            max_depth: 3,
            max_link_checks: gongkai_config::DEFAULT_MAX_LINK_CHECKS,
        },
        snapshot: SnapshotInfo { seq: 1, started_at: chrono::Utc::now(), finished_at: Some(chrono::Utc::now()) },
        pages,
        failures: vec![],
        link_checks: vec![],
        probes: vec![],
        tls: vec![],
        ipv6: None,
    }
}
