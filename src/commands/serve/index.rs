//! What the replay server can answer: every archived fetch of the store, found by its record id or by URL and time,
//! and the findings of a results.json that cite each record.
//!
//! Built once at start-up from the store's fetch index (every snapshot of every site), so a lookup is a hash probe.
//! URLs are compared by their SURT key (the one the CDXJ index uses), so `http://www.x.gov.cn/a/?b=1&a=2` finds
//! `http://x.gov.cn/a?a=2&b=1` as pywb would.

use anyhow::Result;
use chrono::{DateTime, NaiveDateTime, Utc};
use gongkai_archive::export::surt;
use gongkai_archive::{FetchEntry, Store};
use gongkai_scoring::{FindingKind, Results};
use std::collections::HashMap;

/// One archived fetch and the site whose snapshot holds it.
pub struct Capture {
    pub site_id: String,
    pub entry: FetchEntry,
}

impl Capture {
    /// `20261202112354`: the capture time as replay URLs write it.
    pub fn timestamp(&self) -> String {
        self.entry.fetched_at.format("%Y%m%d%H%M%S").to_string()
    }

    /// The record id without `urn:uuid:` (the `/record/<id>` path).
    pub fn short_id(&self) -> &str {
        short_id(&self.entry.warc.record_id)
    }
}

/// `urn:uuid:1234…` → `1234…`.
pub fn short_id(record_id: &str) -> &str {
    record_id.strip_prefix("urn:uuid:").unwrap_or(record_id)
}

/// A finding that cites a page, as the banner lists it (already in Chinese, not yet escaped).
#[derive(Clone)]
pub struct Cited {
    pub kind: &'static str,
    pub title: String,
    pub message: String,
    pub observed: String,
}

pub struct ReplayIndex {
    captures: Vec<Capture>,
    by_id: HashMap<String, usize>,
    /// SURT key → captures, oldest first.
    by_key: HashMap<String, Vec<usize>>,
    site_names: HashMap<String, String>,
    /// Site id → home page URL (sites.toml `url`).
    site_homes: HashMap<String, url::Url>,
    /// Record id (short) → findings whose evidence names that record.
    cited_by_record: HashMap<String, Vec<Cited>>,
    /// SURT key → findings whose evidence names the URL without a record.
    cited_by_url: HashMap<String, Vec<Cited>>,
}

impl ReplayIndex {
    pub fn build(store: &Store, results: Option<&Results>) -> Result<ReplayIndex> {
        let mut idx = ReplayIndex {
            captures: Vec::new(),
            by_id: HashMap::new(),
            by_key: HashMap::new(),
            site_names: HashMap::new(),
            site_homes: HashMap::new(),
            cited_by_record: HashMap::new(),
            cited_by_url: HashMap::new(),
        };
        for site in store.sites()? {
            idx.site_names.insert(site.id.clone(), site.name.clone());
            idx.site_homes.insert(site.id.clone(), site.url.clone());
            for info in store.snapshots(&site.id)? {
                let snap = gongkai_archive::Snapshot {
                    site_id: site.id.clone(),
                    seq: info.seq,
                    started_at: info.started_at,
                    resumed: false,
                };
                // The pages outbound links led to (外链变质), so that a finding's 存档 link opens the page it cites.
                for entry in store.fetch_entries(&snap)?.into_iter().chain(store.linked_page_entries(&snap)?) {
                    let i = idx.captures.len();
                    idx.by_id.insert(short_id(&entry.warc.record_id).to_string(), i);
                    idx.by_key.entry(surt(entry.url.as_str())).or_default().push(i);
                    idx.captures.push(Capture { site_id: site.id.clone(), entry });
                }
                // The home page's IPv6 answer (design.ipv6 evidence): by record id only, so that replay by URL keeps
                // showing the crawl's own capture of the home page.
                for entry in store.ipv6_home_entries(&snap)? {
                    idx.by_id.insert(short_id(&entry.warc.record_id).to_string(), idx.captures.len());
                    idx.captures.push(Capture { site_id: site.id.clone(), entry });
                }
            }
        }
        let captures = &idx.captures;
        for list in idx.by_key.values_mut() {
            list.sort_by_key(|&i| captures[i].entry.fetched_at);
        }
        if let Some(results) = results {
            for site in &results.sites {
                if !idx.site_names.contains_key(&site.id) {
                    idx.site_names.insert(site.id.clone(), site.name.clone());
                }
                for f in &site.findings {
                    let cited = Cited {
                        kind: match f.kind {
                            FindingKind::Veto => "否决",
                            FindingKind::Deduction => "扣分",
                            FindingKind::Bonus => "加分",
                        },
                        title: if f.title.trim().is_empty() { f.rule.clone() } else { f.title.clone() },
                        message: f.message.clone(),
                        observed: String::new(),
                    };
                    for e in &f.evidence {
                        let c = Cited { observed: e.observed.clone(), ..cited.clone() };
                        match &e.warc {
                            Some(w) => idx.cited_by_record.entry(short_id(&w.record_id).to_string()).or_default(),
                            None => idx.cited_by_url.entry(surt(&e.url)).or_default(),
                        }
                        .push(c);
                    }
                }
            }
        }
        Ok(idx)
    }

    pub fn len(&self) -> usize {
        self.captures.len()
    }

    /// The capture whose own record (response or revisit) has this id (with or without `urn:uuid:`).
    pub fn by_record(&self, id: &str) -> Option<&Capture> {
        self.by_id.get(short_id(id)).map(|&i| &self.captures[i])
    }

    /// The capture of `url` closest in time to `ts` (the latest without one).
    pub fn closest(&self, url: &str, ts: Option<DateTime<Utc>>) -> Option<&Capture> {
        let list = self.by_key.get(&surt(url))?;
        let pick = match ts {
            None => *list.last()?,
            Some(t) => {
                *list.iter().min_by_key(|&&i| (self.captures[i].entry.fetched_at - t).num_seconds().unsigned_abs())?
            }
        };
        Some(&self.captures[pick])
    }

    pub fn site_name<'a>(&'a self, site_id: &'a str) -> &'a str {
        self.site_names.get(site_id).map(String::as_str).unwrap_or(site_id)
    }

    /// The findings citing this capture: by its own record, by the record holding its payload, or by its URL.
    pub fn cited(&self, c: &Capture) -> Vec<Cited> {
        let mut out = Vec::new();
        for id in [&c.entry.warc.record_id, &c.entry.payload.record_id] {
            if let Some(v) = self.cited_by_record.get(short_id(id)) {
                out.extend(v.iter().cloned());
            }
            if c.entry.warc == c.entry.payload {
                break;
            }
        }
        if let Some(v) = self.cited_by_url.get(&surt(c.entry.url.as_str())) {
            out.extend(v.iter().cloned());
        }
        // One line per finding: a finding citing the page for several things lists what it observed together.
        let mut merged: Vec<Cited> = Vec::new();
        for f in out {
            match merged.iter_mut().find(|m| m.kind == f.kind && m.title == f.title && m.message == f.message) {
                Some(m) if !f.observed.is_empty() && !m.observed.split("；").any(|o| o == f.observed) => {
                    if !m.observed.is_empty() {
                        m.observed.push('；');
                    }
                    m.observed.push_str(&f.observed);
                }
                Some(_) => {}
                None => merged.push(f),
            }
        }
        merged
    }

    /// The latest capture of every site's home page (its sites.toml URL), for the index page. The page's
    /// requisites (CSS, images) share its depth 0 and come later, so they are told apart by URL.
    pub fn home_pages(&self) -> Vec<&Capture> {
        let mut latest: HashMap<&str, &Capture> = HashMap::new();
        let is_home = |c: &Capture| self.site_homes.get(&c.site_id).is_some_and(|u| *u == c.entry.url);
        for c in self.captures.iter().filter(|c| c.entry.depth == 0 && is_home(c)) {
            let e = latest.entry(c.site_id.as_str()).or_insert(c);
            if c.entry.fetched_at > e.entry.fetched_at {
                *e = c;
            }
        }
        let mut v: Vec<&Capture> = latest.into_values().collect();
        v.sort_by(|a, b| a.site_id.cmp(&b.site_id));
        v
    }
}

/// A replay timestamp (`2026`, `202612`, … `20261202112354`) as a time; shorter forms are padded as pywb pads them.
pub fn parse_timestamp(ts: &str) -> Option<DateTime<Utc>> {
    if ts.is_empty() || ts.len() > 14 || !ts.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let full = format!("{ts}{}", &"00000101000000"[ts.len()..]);
    NaiveDateTime::parse_from_str(&full, "%Y%m%d%H%M%S").ok().map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::parse_timestamp;

    #[test]
    fn timestamps_pad_like_pywb() {
        assert_eq!(parse_timestamp("20261202112354").unwrap().to_rfc3339(), "2026-12-02T11:23:54+00:00");
        assert_eq!(parse_timestamp("2026").unwrap().to_rfc3339(), "2026-01-01T00:00:00+00:00");
        assert_eq!(parse_timestamp("202612").unwrap().to_rfc3339(), "2026-12-01T00:00:00+00:00");
        for bad in ["", "2026x", "202612021123541", "20261340000000"] {
            assert!(parse_timestamp(bad).is_none(), "{bad}");
        }
    }
}
