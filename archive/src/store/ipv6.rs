//! The IPv6 check of one snapshot (issue 16; docs/rules.md `ipv6`): what the crawler found when it looked the home
//! host up for AAAA records, fetched the home page over IPv6 only and compared it with the IPv4 copy, and fetched a
//! sample of inner pages over IPv6.
//!
//! Archived as evidence an assessor can open: the home page's IPv6 answer as `response` and `request` records of their
//! own (the IPv6 address as `WARC-IP-Address`), and an `ipv6` metadata record with the structured result naming that
//! response (`WARC-Refers-To`), in one write. The IPv6 answer is not a fetch of the site: it is neither among the
//! site's pages nor in its frontier. Its `WARC-Target-URI` is the home page's URL (it is a capture of that URL, over
//! IPv6; WARC readers parse HTTP only for http(s) targets), so a replay tool indexing the WARC files sees a second,
//! later capture of the home page: the crawler archives it only when it differs from the IPv4 copy (when it is the same
//! page, the metadata record says so and is the evidence), and `gongkai serve` opens it by record id only
//! ([`Store::ipv6_home_entries`]), never by URL. `store rebuild` restores the result from the metadata record (see
//! [`crate::rebuild`]).

use std::net::{IpAddr, Ipv6Addr};

use anyhow::Result;
use chrono::{DateTime, SubsecRound, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

use super::*;
use crate::capture::WarcRef;
use crate::meta::Meta;
use crate::warc::{self, ExchangeRecords};

pub(crate) const K_IPV6: &[u8] = b"ipv6";

/// The AAAA lookup of the home host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AaaaLookup {
    /// The name has these IPv6 addresses (from DNS, or from `--resolve` when the host is mapped there).
    Found { addresses: Vec<Ipv6Addr> },
    /// The name exists but has no AAAA record (or a `--resolve` map names only IPv4 addresses for it).
    NoRecord,
    /// The lookup could not be made (no resolver configuration, resolver unreachable, time-out, SERVFAIL): the check
    /// was not made, and nothing is held against the site.
    Failed { error: String },
}

/// The home page fetched over IPv6 only, compared with the IPv4 copy archived by the crawl.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ipv6Home {
    /// The IPv6 answer's status; None when no answer came.
    pub status: Option<u16>,
    /// Why no answer came (`connect: …`, `timeout`).
    pub error: Option<String>,
    /// The IPv6 address answered from.
    pub address: Option<IpAddr>,
    /// The IPv4 copy's status (None when the crawl archived no copy: then nothing is compared).
    pub v4_status: Option<u16>,
    /// True when status and content agree (same payload digest, or the same non-empty `<title>`; for a redirect, the
    /// same `Location`).
    pub same: bool,
    /// What differs, in Chinese, for the finding (`状态码 200 / 404`, `标题“…” / “…”`).
    pub difference: Option<String>,
    /// The archived IPv6 answer (filled by the store).
    pub warc: Option<WarcRef>,
}

/// One sampled inner page (depth 1–2, archived over IPv4) fetched over IPv6.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ipv6Sample {
    pub url: Url,
    pub depth: u32,
    pub status: Option<u16>,
    pub error: Option<String>,
}

impl Ipv6Sample {
    /// A 2xx or 3xx answer over IPv6.
    pub fn works(&self) -> bool {
        self.status.is_some_and(|s| (200..400).contains(&s))
    }
}

/// The whole IPv6 result of one snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ipv6Check {
    /// The home page URL whose host was looked up.
    pub home: Url,
    pub checked_at: DateTime<Utc>,
    pub aaaa: AaaaLookup,
    /// None when there was nothing to fetch (no AAAA, lookup failed) or the host's robots.txt forbids the home page.
    pub home_v6: Option<Ipv6Home>,
    /// Inner pages fetched over IPv6 (samples whose own host could not be looked up are left out).
    pub samples: Vec<Ipv6Sample>,
    /// The `ipv6` metadata record itself (filled by the store; never written into the record).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record: Option<WarcRef>,
}

impl Ipv6Check {
    /// Some(true/false) when the lookup answered; None when it failed.
    pub fn has_aaaa(&self) -> Option<bool> {
        match &self.aaaa {
            AaaaLookup::Found { addresses } => Some(!addresses.is_empty()),
            AaaaLookup::NoRecord => Some(false),
            AaaaLookup::Failed { .. } => None,
        }
    }

    pub fn addresses(&self) -> &[Ipv6Addr] {
        match &self.aaaa {
            AaaaLookup::Found { addresses } => addresses,
            _ => &[],
        }
    }

    /// Inner pages sampled, and how many of them worked over IPv6.
    pub fn sampled(&self) -> (u32, u32) {
        (self.samples.len() as u32, self.samples.iter().filter(|s| s.works()).count() as u32)
    }
}

impl Store {
    /// Record a snapshot's IPv6 check (replacing an earlier one of the same snapshot): `home_response`, the home page's
    /// IPv6 answer, as `response` and `request` records, then the `ipv6` metadata record naming it, in one write.
    /// Returns the check with [`Ipv6Home::warc`] filled.
    pub fn record_ipv6_check(
        &self,
        snap: &Snapshot,
        home_response: Option<&Fetch>,
        check: &Ipv6Check,
    ) -> Result<Ipv6Check> {
        let now = Utc::now().trunc_subsecs(6);
        let records = home_response.map(|f| {
            let at = f.fetched_at.trunc_subsecs(6);
            ExchangeRecords::build(f, at, &warc::sha1_digest(&f.body), None)
        });
        let response_id = records.as_ref().map(|r| r.response.record_id.clone());
        let mut stored = check.clone();
        if let Some(h) = stored.home_v6.as_mut() {
            h.warc = None;
        }
        stored.record = None;
        let meta = Meta::Ipv6 {
            site_id: snap.site_id.clone(),
            seq: snap.seq,
            check: stored.clone(),
            response_id: response_id.clone(),
        }
        .record(now);
        let meta_id = meta.record_id.clone();
        let mut all = Vec::new();
        if let Some(r) = &records {
            all.push(r.response.clone());
            all.push(r.request.clone());
        }
        all.push(meta);
        let build = |warcinfo_id: &str| {
            let wid = format!("<{warcinfo_id}>");
            all.iter().map(|r| r.to_gzip_with("WARC-Warcinfo-ID", &wid)).collect()
        };
        let mut w = lock(&self.inner.writer);
        let (file, offsets, end) = self.append(&mut w, None, &build)?;
        if let (Some(id), Some(h)) = (response_id, stored.home_v6.as_mut()) {
            h.warc = Some(WarcRef { file: file.clone(), offset: offsets[0], record_id: id });
        }
        let last = *offsets.last().expect("the metadata record was written");
        stored.record = Some(WarcRef { file: file.clone(), offset: last, record_id: meta_id });
        let (sid, seq) = snap_parts(snap);
        let mut b = Batch::default();
        b.insert(key(&[K_IPV6, &sid, &seq]), to_json(&stored));
        b.insert(key(&[K_WEND, file.as_bytes()]), to_json(&end));
        self.apply(b)?;
        Ok(stored)
    }

    /// The archived IPv6 answer of the home page as an index entry (none, or one), for a replay server that opens
    /// records by id: not a page of the site, so never among [`Store::fetch_entries`].
    pub fn ipv6_home_entries(&self, snap: &Snapshot) -> Result<Vec<FetchEntry>> {
        let Some(c) = self.ipv6_check(snap)? else { return Ok(Vec::new()) };
        let Some((h, w)) = c.home_v6.as_ref().and_then(|h| h.warc.clone().map(|w| (h, w))) else {
            return Ok(Vec::new());
        };
        Ok(vec![FetchEntry {
            url: c.home.clone(),
            fetched_at: c.checked_at,
            status: h.status.unwrap_or(0),
            depth: 0,
            kind: RecordKind::Response,
            request: w.clone(),
            payload: w.clone(),
            payload_digest: String::new(),
            payload_uri: c.home.to_string(),
            payload_date: c.checked_at,
            etag: None,
            last_modified: None,
            warc: w,
        }])
    }

    /// The IPv6 check of a snapshot, if the crawler made one (stores written before it existed have none).
    pub fn ipv6_check(&self, snap: &Snapshot) -> Result<Option<Ipv6Check>> {
        let (id, seq) = snap_parts(snap);
        self.get(&key(&[K_IPV6, &id, &seq]))
    }
}

/// Rebuild: the index entry of an `ipv6` metadata record found at `record`, its response found by record id.
pub(crate) fn index_entry(mut check: Ipv6Check, response: Option<WarcRef>, record: WarcRef) -> Ipv6Check {
    if let Some(h) = check.home_v6.as_mut() {
        h.warc = response;
    }
    check.record = Some(record);
    check
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::*;

    fn check(home: &Url) -> Ipv6Check {
        Ipv6Check {
            home: home.clone(),
            checked_at: Utc::now().trunc_subsecs(6),
            aaaa: AaaaLookup::Found { addresses: vec!["::1".parse().unwrap()] },
            home_v6: Some(Ipv6Home {
                status: Some(200),
                error: None,
                address: Some("::1".parse().unwrap()),
                v4_status: Some(200),
                same: false,
                difference: Some("标题不同".into()),
                warc: None,
            }),
            samples: vec![
                Ipv6Sample { url: home.join("/a.html").unwrap(), depth: 1, status: Some(200), error: None },
                Ipv6Sample {
                    url: home.join("/b.html").unwrap(),
                    depth: 2,
                    status: None,
                    error: Some("timeout".into()),
                },
            ],
            record: None,
        }
    }

    #[test]
    fn ipv6_check_round_trips_and_survives_a_rebuild() {
        let dir = tempfile::tempdir().unwrap();
        let s = site("v6");
        let c = {
            let store = Store::open(dir.path()).unwrap();
            let snap = store.begin_snapshot(&s).unwrap();
            store.record_fetch(&snap, &fetch(s.url.as_str(), 0, html(200, "v4", &[]))).unwrap();
            assert_eq!(store.ipv6_check(&snap).unwrap(), None);
            let mut v6 = fetch(s.url.as_str(), 0, html(200, "v6", &[]));
            v6.ip = Some("::1".parse().unwrap());
            let c = store.record_ipv6_check(&snap, Some(&v6), &check(&s.url)).unwrap();
            let w = c.home_v6.as_ref().unwrap().warc.clone().expect("response archived");
            let rec = store.read_record(&w).unwrap();
            assert_eq!(rec.record_type(), Some("response"));
            assert_eq!(rec.header("WARC-IP-Address"), Some("::1"));
            assert_eq!(rec.target_uri(), Some(s.url.as_str()));
            assert!(rec.http_response().unwrap().body.ends_with(b"v6"), "the IPv6 answer's own body");
            let entries = store.ipv6_home_entries(&snap).unwrap();
            assert_eq!(entries.len(), 1);
            assert_eq!(entries[0].warc, w);
            assert_eq!(store.load_page(&entries[0]).unwrap().body, b"v6");
            assert_eq!(store.ipv6_check(&snap).unwrap(), Some(c.clone()));
            assert_eq!(c.sampled(), (2, 1));
            assert_eq!(c.has_aaaa(), Some(true));
            let meta = store.read_record(c.record.as_ref().unwrap()).unwrap();
            assert_eq!(meta.record_type(), Some("metadata"));
            assert_eq!(meta.target_uri(), Some(format!("urn:gongkai:ipv6:{}", s.url).as_str()));
            assert_eq!(meta.header("WARC-Refers-To"), Some(format!("<{}>", w.record_id).as_str()));
            store.finish_snapshot(&snap).unwrap();
            let cap = store.latest_capture("v6").unwrap().unwrap();
            assert_eq!(cap.pages.len(), 1, "the IPv6 answer is not a page of the site");
            assert_eq!(cap.ipv6, Some(c.clone()));
            c
        };
        let sum = Store::rebuild_index(dir.path()).unwrap();
        assert!(sum.undescribed.is_empty(), "the IPv6 response is described: {:?}", sum.undescribed);
        let store = Store::open(dir.path()).unwrap();
        let cap = store.latest_capture("v6").unwrap().unwrap();
        assert_eq!(cap.ipv6, Some(c));
    }
}
