//! The index as WARC `metadata` records: everything the sled index holds that scoring needs is also written into the
//! WARC files, so the WARC files alone are the record and the index can be rebuilt from them (`gongkai store rebuild`)
//! or built in memory when the store's directory cannot be written (read-only storage, a full disk).
//!
//! Each event is one `metadata` record (WARC/1.1 §6.7), `Content-Type: application/json`, whose block is
//! `{"gongkai": KIND, "data": {…}}`:
//!
//! | KIND | written by | data |
//! |---|---|---|
//! | `site` | [`Store::put_site`](crate::Store::put_site) | `{"site": …}` |
//! | `snapshot` | begin (new or resumed) and finish of a snapshot | `{"site": …, "info": {"seq", "started_at", "finished_at"}}` |
//! | `fetch` | [`Store::record_fetch`](crate::Store::record_fetch), in the same write as its response and request | the index entry, records named by id |
//! | `failure` | [`Store::record_failure`](crate::Store::record_failure) | `{"site_id", "seq", "failure"}` |
//! | `link_check` | [`Store::record_link_check`](crate::Store::record_link_check) | `{"site_id", "seq", "check"}` |
//! | `linked_page` | [`Store::record_linked_page`](crate::Store::record_linked_page), in the same write as its response and request | `{"site_id", "seq", "url", "response_id", "request_id"}` |
//! | `ipv6` | [`Store::record_ipv6_check`](crate::Store::record_ipv6_check), in the same write as the home page's IPv6 response and request | `{"site_id", "seq", "check", "response_id"}` |
//! | `probe` | [`Store::record_probe`](crate::Store::record_probe) | `{"probe"}` |
//! | `tls` | [`Store::record_tls`](crate::Store::record_tls), one per https host of a site per snapshot | `{"site_id", "seq", "tls"}` ([`crate::tls::TlsCheck`]) |
//!
//! A `fetch` record carries `WARC-Refers-To` and `WARC-Concurrent-To` naming its response (or revisit) record. Every
//! record's `WARC-Target-URI` is `urn:gongkai:KIND:URL` (the URL it is about), never the bare URL, which replay tools
//! would take for a capture of the page; later records of the same key replace earlier ones (a snapshot's finish replaces its begin).

use chrono::{DateTime, Utc};
use gongkai_config::Site;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::capture::{FetchFailure, LinkCheck, Probe, SnapshotInfo, WarcRef};
use crate::store::Ipv6Check;
use crate::store::{FetchEntry, RecordKind};
use crate::tls::TlsCheck;
use crate::warc::{RecordType, WarcRecord, WarcRecordBuilder};

/// Content-Type of gongkai's metadata records.
pub const META_CONTENT_TYPE: &str = "application/json";

/// One index event as written into the WARC.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "gongkai", content = "data", rename_all = "snake_case")]
pub enum Meta {
    Site {
        site: Site,
    },
    Snapshot {
        site: Site,
        info: SnapshotInfo,
    },
    Fetch {
        site_id: String,
        seq: u64,
        fetch: FetchMeta,
    },
    Failure {
        site_id: String,
        seq: u64,
        failure: FetchFailure,
    },
    LinkCheck {
        site_id: String,
        seq: u64,
        check: LinkCheck,
    },
    /// An outbound link target's page archived for a link check (its `link_check` record, written after, cites it).
    LinkedPage {
        site_id: String,
        seq: u64,
        url: Url,
        response_id: String,
        request_id: String,
    },
    Probe {
        probe: Probe,
    },
    Tls {
        site_id: String,
        seq: u64,
        tls: TlsCheck,
    },
    /// A snapshot's IPv6 check; `response_id` names the home page's IPv6 answer archived in the same write.
    Ipv6 {
        site_id: String,
        seq: u64,
        check: Ipv6Check,
        response_id: Option<String>,
    },
}

/// A [`FetchEntry`] with its own records named by record id (their offsets are where the records are found).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FetchMeta {
    pub url: Url,
    pub fetched_at: DateTime<Utc>,
    pub status: u16,
    pub depth: u32,
    pub kind: RecordKind,
    /// Record id of the response or revisit record.
    pub response_id: String,
    /// Record id of the request record.
    pub request_id: String,
    pub payload_digest: String,
    /// The record holding the payload when it is an earlier snapshot's response; None: the response itself.
    pub payload: Option<WarcRef>,
    pub payload_uri: String,
    pub payload_date: DateTime<Utc>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl FetchMeta {
    pub fn from_entry(e: &FetchEntry) -> FetchMeta {
        FetchMeta {
            url: e.url.clone(),
            fetched_at: e.fetched_at,
            status: e.status,
            depth: e.depth,
            kind: e.kind,
            response_id: e.warc.record_id.clone(),
            request_id: e.request.record_id.clone(),
            payload_digest: e.payload_digest.clone(),
            payload: (e.payload != e.warc).then(|| e.payload.clone()),
            payload_uri: e.payload_uri.clone(),
            payload_date: e.payload_date,
            etag: e.etag.clone(),
            last_modified: e.last_modified.clone(),
        }
    }

    /// The index entry, given where its response and request records are.
    pub fn to_entry(&self, warc: WarcRef, request: WarcRef) -> FetchEntry {
        FetchEntry {
            url: self.url.clone(),
            fetched_at: self.fetched_at,
            status: self.status,
            depth: self.depth,
            kind: self.kind,
            payload: self.payload.clone().unwrap_or_else(|| warc.clone()),
            warc,
            request,
            payload_digest: self.payload_digest.clone(),
            payload_uri: self.payload_uri.clone(),
            payload_date: self.payload_date,
            etag: self.etag.clone(),
            last_modified: self.last_modified.clone(),
        }
    }
}

impl Meta {
    /// The metadata record (without `WARC-Warcinfo-ID`, which the writer adds per file).
    pub fn record(&self, date: DateTime<Utc>) -> WarcRecordBuilder {
        let block = serde_json::to_vec(self).expect("metadata serialises");
        let mut r = WarcRecordBuilder::new(RecordType::Metadata, date, block).content_type(META_CONTENT_TYPE);
        let (kind, target) = match self {
            Meta::Site { site } => ("site", site.url.as_str()),
            Meta::Snapshot { site, .. } => ("snapshot", site.url.as_str()),
            Meta::Fetch { fetch, .. } => ("fetch", fetch.url.as_str()),
            Meta::Failure { failure, .. } => ("failure", failure.url.as_str()),
            Meta::LinkCheck { check, .. } => ("link_check", check.target.as_str()),
            Meta::LinkedPage { url, .. } => ("linked_page", url.as_str()),
            Meta::Probe { probe } => ("probe", probe.url.as_str()),
            Meta::Tls { tls, .. } => ("tls", tls.url.as_str()),
            Meta::Ipv6 { check, .. } => ("ipv6", check.home.as_str()),
        };
        // `urn:gongkai:KIND:URL`, not the URL itself: replay tools (pywb) index every record with an http(s) target as
        // a capture of that URL, so a JSON record named by the page's URL would be replayed instead of the page. The
        // urn: form (as browsertrix names its `urn:pageinfo:…` records) keeps the URL readable.
        r = r.header("WARC-Target-URI", format!("urn:gongkai:{kind}:{target}"));
        if let Meta::Fetch { fetch: FetchMeta { response_id, .. }, .. } | Meta::LinkedPage { response_id, .. } = self {
            r = r
                .header("WARC-Refers-To", format!("<{response_id}>"))
                .header("WARC-Concurrent-To", format!("<{response_id}>"));
        }
        if let Meta::Ipv6 { response_id: Some(id), .. } = self {
            r = r.header("WARC-Refers-To", format!("<{id}>"));
        }
        r
    }

    /// The gongkai metadata a record holds; None for any other record (other types, other tools' metadata).
    pub fn from_record(r: &WarcRecord) -> Option<Result<Meta, serde_json::Error>> {
        if r.record_type() != Some("metadata") {
            return None;
        }
        let ct = r.header("Content-Type").unwrap_or_default();
        if !ct.starts_with(META_CONTENT_TYPE) || !r.block.starts_with(b"{\"gongkai\":") {
            return None;
        }
        Some(serde_json::from_slice(&r.block))
    }
}
