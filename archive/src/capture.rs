//! What the store hands to scoring: one site's latest snapshot, with every page, link check and probe.
//!
//! These types are the seam between the crawler/archive side and the scoring side. Scoring builds them by hand in its
//! unit tests; the store builds them from its index and WARC files.

use chrono::{DateTime, Utc};
use gongkai_config::Site;
use serde::{Deserialize, Serialize};
use url::Url;

/// Where a record lives: enough to open the WARC file at `offset` and read one gzip member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WarcRef {
    /// Path relative to the store directory, e.g. `warc/2026-11/gongkai-20261122-0001.warc.gz`.
    pub file: String,
    /// Byte offset of the record's gzip member in that file.
    pub offset: u64,
    /// `WARC-Record-ID`, e.g. `urn:uuid:…`.
    pub record_id: String,
}

/// One snapshot of one site: the pages of one crawl of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SnapshotInfo {
    /// Sequence number of this site's snapshot (1, 2, …).
    pub seq: u64,
    pub started_at: DateTime<Utc>,
    /// None while the crawl has not finished (it was killed and not yet resumed).
    pub finished_at: Option<DateTime<Utc>>,
}

/// One fetched resource (HTML page, script, robots.txt, …) as archived.
#[derive(Debug, Clone, PartialEq)]
pub struct CapturedPage {
    /// The URL requested.
    pub url: Url,
    pub fetched_at: DateTime<Utc>,
    /// HTTP status (a 404 is a page too: it tells a column link is broken).
    pub status: u16,
    /// Response headers in order, names as sent.
    pub headers: Vec<(String, String)>,
    /// The payload with any Content-Encoding removed, in its original charset (decoding is the reader's job).
    pub body: Vec<u8>,
    /// Link depth from the home page (0 = home page).
    pub depth: u32,
    /// The record that holds this response (for a revisit: the revisit record itself).
    pub warc: WarcRef,
}

impl CapturedPage {
    /// First header of that name (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A fetch that produced no HTTP response after all retries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FetchFailure {
    pub url: Url,
    pub at: DateTime<Utc>,
    /// `timeout`, `connect: …`, `body too large`, …
    pub error: String,
}

/// The outcome of checking one link target (docs/rules.md: broken links).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LinkOutcome {
    /// An HTTP answer (after redirects, after the retry when the first answer was an error).
    Status { status: u16 },
    /// No answer: connection refused, DNS failure, timeout.
    Failed { error: String },
    /// robots.txt forbids it: not tried and not counted.
    RobotsDisallowed,
    /// Not tried, or its answer says nothing about the site: the crawler's own limits (link-check budget, body cap),
    /// a host pausing us with 429/503 Retry-After, an address the crawler may not contact. Never counted as broken;
    /// reports show it as 未检查 with the reason.
    NotChecked { reason: String },
}

/// A link target checked once per crawl. The crawler records one for every distinct http(s) target found on any
/// archived page, including targets it crawled as pages (then the outcome is that fetch's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkCheck {
    pub target: Url,
    pub checked_at: DateTime<Utc>,
    pub outcome: LinkOutcome,
    /// For an outbound target that answered 2xx with an HTML page: that page, read and archived (外链变质, docs/rules.md
    /// `spam_links`). None for every other target (and in stores written before it existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<LinkedPage>,
}

/// The page an outbound link target shows, read once per crawl (a GET capped at [`LINKED_PAGE_CAP`] bytes) and archived
/// as a `response` record of its own, so that a finding on what the page says (gambling, adult content on a partner
/// site whose domain expired and was bought) cites the page as it was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkedPage {
    /// Where the redirect chain from the link target ended (the URL of the archived response).
    pub url: Url,
    /// The registrable domain (public-suffix list) of `url`, e.g. `example.com.cn`; None for an IP address or a host
    /// the list does not cover.
    pub domain: Option<String>,
    /// The registrable domain of the link target itself; differs from `domain` when the target now redirects to
    /// another domain.
    pub target_domain: Option<String>,
    pub status: u16,
    /// The `response` record.
    pub warc: WarcRef,
    /// The payload, content-decoded, in its own charset: filled by [`crate::Store::latest_capture`] from the record,
    /// never written into the index.
    #[serde(skip)]
    pub body: Vec<u8>,
    /// The response headers as archived (filled with `body`).
    #[serde(skip)]
    pub headers: Vec<(String, String)>,
}

/// The most of an outbound target's page that is read (and archived): enough for its title and opening text.
pub const LINKED_PAGE_CAP: usize = 256 * 1024;

impl LinkCheck {
    /// docs/rules.md: 4xx, 5xx, failure to connect or time-out. Robots-disallowed targets are not broken.
    pub fn is_broken(&self) -> bool {
        match &self.outcome {
            LinkOutcome::Status { status } => *status >= 400,
            LinkOutcome::Failed { .. } => true,
            LinkOutcome::RobotsDisallowed | LinkOutcome::NotChecked { .. } => false,
        }
    }
}

/// Who made a probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeSource {
    /// `gongkai monitor`.
    Monitor,
    /// The crawl's own home-page fetch (used when no monitor ran; findings say so).
    Crawl,
}

/// One timed GET of a site's home page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Probe {
    pub site_id: String,
    pub url: Url,
    pub at: DateTime<Utc>,
    /// Time until the complete response arrived, or until giving up.
    pub duration_ms: u64,
    /// Final status after redirects, None when no response came.
    pub status: Option<u16>,
    /// Why it failed, when it did (`timeout`, `connect: …`).
    pub error: Option<String>,
    pub source: ProbeSource,
}

/// Everything scoring needs about one site, read from the store alone.
#[derive(Debug, Clone)]
pub struct SiteCapture {
    /// The site as configured at crawl time (score needs no sites.toml).
    pub site: Site,
    pub snapshot: SnapshotInfo,
    pub pages: Vec<CapturedPage>,
    pub failures: Vec<FetchFailure>,
    pub link_checks: Vec<LinkCheck>,
    /// Every probe of this site's home page in the store (monitor and crawl), oldest first.
    pub probes: Vec<Probe>,
    /// The snapshot's IPv6 check (AAAA, home page and sampled pages over IPv6); None when the crawler made none.
    pub ipv6: Option<crate::store::Ipv6Check>,
    /// The certificate checks of the snapshot's https hosts (none for an http-only site).
    pub tls: Vec<crate::tls::TlsCheck>,
}
