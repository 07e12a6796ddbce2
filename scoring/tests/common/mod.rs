//! Test harness: a [`SiteCapture`] of a sample-province site built without a crawler or network.
//!
//! Pages are the sample's `site_pages` (every page a correct crawler archives); like the crawler, the harness also
//! checks every link target found on them once (following redirects, honouring robots.txt) and archives the
//! redirect answers it met on the site's own hosts.

#![allow(dead_code)]

use chrono::{TimeZone, Utc};
use gongkai_archive::{CapturedPage, LinkCheck, LinkOutcome, LinkedPage, SiteCapture, SnapshotInfo, WarcRef};
use gongkai_config::Site;
use gongkai_sample::{SiteSource, SiteTruth};
use scraper::{Html, Selector};
use std::collections::{BTreeMap, BTreeSet};
use url::Url;

fn host_port(u: &Url) -> String {
    match u.port() {
        Some(p) => format!("{}:{p}", u.host_str().unwrap_or("")),
        None => u.host_str().unwrap_or("").to_string(),
    }
}

fn path_query(u: &Url) -> String {
    match u.query() {
        Some(q) => format!("{}?{q}", u.path()),
        None => u.path().to_string(),
    }
}

pub fn site_of(t: &SiteTruth) -> Site {
    Site {
        id: t.id.clone(),
        name: t.name.clone(),
        url: Url::parse(&t.url).unwrap(),
        region: t.region.clone(),
        level: t.level,
        platform: t.platform.as_deref().map(|p| Url::parse(p).unwrap()),
        rate: 2.0,
        max_pages: 2000,
        max_depth: 6,
        max_link_checks: gongkai_config::DEFAULT_MAX_LINK_CHECKS,
    }
}

fn disallowed<S: SiteSource + ?Sized>(p: &S, u: &Url, cache: &mut BTreeMap<String, Vec<String>>) -> bool {
    let hp = host_port(u);
    let rules = cache.entry(hp.clone()).or_insert_with(|| match p.render(&hp, "/robots.txt") {
        Some(r) if r.status == 200 => String::from_utf8_lossy(&r.body)
            .lines()
            .filter_map(|l| l.strip_prefix("Disallow:").map(|x| x.trim().to_string()))
            .filter(|x| !x.is_empty())
            .collect(),
        _ => vec![],
    });
    rules.iter().any(|r| u.path().starts_with(r.as_str()))
}

/// Writes the captures of `sites` into `store` with the archive's own API, one snapshot each, as a crawl would.
#[allow(dead_code)] // not every test target that includes this module archives captures
pub fn archive_captures<'a, S: SiteSource + ?Sized>(
    store: &gongkai_archive::Store,
    p: &S,
    sites: impl IntoIterator<Item = &'a SiteTruth>,
) {
    for st in sites {
        let cap = capture(p, st);
        let snap = store.begin_snapshot(&cap.site).unwrap();
        for pg in cap.pages {
            let mut f = gongkai_archive::Fetch::get(pg.url, pg.depth, pg.status, pg.headers, pg.body);
            f.fetched_at = pg.fetched_at;
            store.record_fetch(&snap, &f).unwrap();
        }
        for lc in &cap.link_checks {
            let mut lc = lc.clone();
            // An outbound page read for the link check is archived as the crawler archives it.
            if let Some(p) = lc.page.as_mut() {
                let f = gongkai_archive::Fetch::get(p.url.clone(), 0, p.status, p.headers.clone(), p.body.clone());
                p.warc = store.record_linked_page(&snap, &f).unwrap();
            }
            store.record_link_check(&snap, &lc).unwrap();
        }
        for c in &cap.tls {
            store.record_tls(&snap, c).unwrap();
        }
        if let Some(c) = &cap.ipv6 {
            // The home page's IPv6 answer, archived as the crawler archives it: the IPv4 page or another one.
            let home = c.home_v6.as_ref().map(|h| {
                let body =
                    if h.same { b"<html><title>home</title></html>".to_vec() } else { IPV6_DEFAULT_PAGE.to_vec() };
                let mut f = gongkai_archive::Fetch::get(c.home.clone(), 0, 200, vec![], body);
                f.fetched_at = c.checked_at;
                f
            });
            store.record_ipv6_check(&snap, home.as_ref(), c).unwrap();
        }
        store.finish_snapshot(&snap).unwrap();
    }
}

/// What an unconfigured IPv6 virtual host answers (the sample server's `HomeDiffers`).
const IPV6_DEFAULT_PAGE: &[u8] = b"<html><head><title>Welcome to nginx!</title></head><body>default</body></html>";

pub fn capture<S: SiteSource + ?Sized>(p: &S, t: &SiteTruth) -> SiteCapture {
    let at = Utc.with_ymd_and_hms(2026, 11, 15, 1, 0, 0).unwrap();
    let site = site_of(t);
    let mut pages: Vec<CapturedPage> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut n = 0u64;
    let mut mk = |url: Url, status: u16, headers: Vec<(String, String)>, body: Vec<u8>, depth: u32| {
        n += 1;
        CapturedPage {
            url,
            fetched_at: at,
            status,
            headers,
            body,
            depth,
            warc: WarcRef {
                file: format!("warc/sample-{}.warc.gz", t.id),
                offset: n * 1000,
                record_id: format!("urn:uuid:{}-{n}", t.id),
            },
        }
    };
    for (u, r) in p.site_pages(&t.id) {
        let depth = if u.as_str() == site.url.as_str() { 0 } else { 1 };
        seen.insert(u.to_string());
        pages.push(mk(u, r.status, r.headers, r.body, depth));
    }
    // link checks, like the crawler's
    let sel = Selector::parse("a[href]").unwrap();
    let mut targets: BTreeSet<String> = BTreeSet::new();
    for pg in &pages {
        let ct = pg.header("content-type").unwrap_or("").to_string();
        if !ct.contains("html") {
            continue;
        }
        let text = gongkai_scoring::text::decode(&pg.body, Some(&ct));
        let doc = Html::parse_document(&text);
        for a in doc.select(&sel) {
            let href = a.value().attr("href").unwrap();
            if let Ok(mut u) = pg.url.join(href) {
                u.set_fragment(None);
                if u.scheme() == "http" || u.scheme() == "https" {
                    targets.insert(u.to_string());
                }
            }
        }
    }
    let mut robots = BTreeMap::new();
    let mut checks = Vec::new();
    let site_hosts: BTreeSet<String> =
        [Some(host_port(&site.url)), site.platform.as_ref().map(host_port)].into_iter().flatten().collect();
    let mut extra_pages = Vec::new();
    let st_id = t.id.clone();
    let (mut page, mut n_linked): (Option<LinkedPage>, u64) = (None, 0);
    for t in targets {
        let u = Url::parse(&t).unwrap();
        let outcome = if disallowed(p, &u, &mut robots) {
            LinkOutcome::RobotsDisallowed
        } else {
            let mut cur = u.clone();
            let mut out = LinkOutcome::Failed { error: "connect: connection refused".into() };
            page = None;
            for _ in 0..5 {
                match p.render(&host_port(&cur), &path_query(&cur)) {
                    None => break,
                    Some(r) if (300..400).contains(&r.status) => {
                        let loc = r.header("location").unwrap_or("/").to_string();
                        if site_hosts.contains(&host_port(&cur)) && !seen.contains(cur.as_str()) {
                            seen.insert(cur.to_string());
                            extra_pages.push((cur.clone(), r.status, r.headers.clone(), r.body.clone()));
                        }
                        cur = cur.join(&loc).unwrap();
                        out = LinkOutcome::Status { status: r.status };
                    }
                    Some(r) => {
                        out = LinkOutcome::Status { status: r.status };
                        // An outbound HTML page is read and archived (外链变质), as the crawler does.
                        let html = r.header("content-type").is_some_and(|c| c.contains("html"));
                        if !site_hosts.contains(&host_port(&u)) && (200..300).contains(&r.status) && html {
                            n_linked += 1;
                            page = Some(LinkedPage {
                                url: cur.clone(),
                                domain: None,
                                target_domain: None,
                                status: r.status,
                                warc: WarcRef {
                                    file: format!("warc/sample-{}.warc.gz", st_id),
                                    offset: 1_000_000 + n_linked,
                                    record_id: format!("urn:uuid:{st_id}-linked-{n_linked}"),
                                },
                                body: r.body.clone(),
                                headers: r.headers.clone(),
                            });
                        }
                        break;
                    }
                }
            }
            out
        };
        checks.push(LinkCheck { target: u, checked_at: at, outcome, page: page.take() });
    }
    for (u, s, h, b) in extra_pages {
        pages.push(mk(u, s, h, b, 1));
    }
    SiteCapture {
        site,
        snapshot: SnapshotInfo { seq: 1, started_at: at, finished_at: Some(at) },
        pages,
        failures: vec![],
        link_checks: checks,
        probes: vec![],
        tls: tls_checks(t, at),
        ipv6: Some(ipv6_check(t, at)),
    }
}

/// What the crawler records of an https site on the sample server: its host presents a self-signed certificate
/// (`gongkai_sample::gen::HTTPS_HOSTS`), which does not verify; its pages are then fetched without verification.
fn tls_checks(t: &SiteTruth, at: chrono::DateTime<Utc>) -> Vec<gongkai_archive::TlsCheck> {
    use gongkai_archive::{CertificateInfo, TlsCheck, TlsErrorKind};
    let home = Url::parse(&t.url).unwrap();
    if home.scheme() != "https" {
        return vec![];
    }
    let host = home.host_str().unwrap_or_default().to_string();
    let mut origin = home.clone();
    origin.set_path("/");
    let cn = format!("CN={host}");
    vec![TlsCheck {
        url: origin,
        checked_at: at,
        error: Some(TlsErrorKind::Untrusted),
        detail: Some("invalid peer certificate: UnknownIssuer".into()),
        certificate: Some(CertificateInfo {
            subject: cn.clone(),
            issuer: cn,
            not_before: at - chrono::Duration::days(30),
            not_after: at + chrono::Duration::days(365),
            names: vec![host],
        }),
        fetched_unverified: true,
        warc: None,
    }]
}

/// What the crawler's IPv6 check finds on the sample server for this site (the server's [::1] listener and
/// `resolve_args`): no AAAA, or a home page over IPv6 that is or is not the IPv4 one; no inner pages sampled.
fn ipv6_check(t: &SiteTruth, at: chrono::DateTime<Utc>) -> gongkai_archive::Ipv6Check {
    use gongkai_archive::{AaaaLookup, Ipv6Check, Ipv6Home};
    use gongkai_sample::Ipv6Service;
    let found = AaaaLookup::Found { addresses: vec![std::net::Ipv6Addr::LOCALHOST] };
    let home = |same: bool| Ipv6Home {
        status: Some(200),
        error: None,
        address: Some(std::net::IpAddr::V6(std::net::Ipv6Addr::LOCALHOST)),
        v4_status: Some(200),
        same,
        difference: (!same).then(|| "页面内容不同".to_string()),
        warc: None,
    };
    let (aaaa, home_v6) = match t.ipv6 {
        Ipv6Service::Dual => (found, Some(home(true))),
        Ipv6Service::NoAaaa => (AaaaLookup::NoRecord, None),
        Ipv6Service::HomeDiffers => (found, Some(home(false))),
    };
    Ipv6Check { home: Url::parse(&t.url).unwrap(), checked_at: at, aaaa, home_v6, samples: vec![], record: None }
}

fn list_str(l: Option<gongkai_scoring::ListKind>) -> Option<String> {
    l.map(|l| match l {
        gongkai_scoring::ListKind::Red => "red".to_string(),
        gongkai_scoring::ListKind::Black => "black".to_string(),
    })
}

fn canon(u: &str) -> String {
    u.trim_end_matches("index.html").to_string()
}

/// How one scored site differs from its ground truth (empty when it matches): vetoes, findings (rule and
/// occurrences), score, grade, list, rank and every expected column's category, newest date, blank and level.
pub fn differences(st: &SiteTruth, r: &gongkai_scoring::SiteResult) -> Vec<String> {
    use gongkai_scoring::FindingKind;
    let a = st.assessment.as_ref().expect("an assessed site");
    let mut p = Vec::new();
    let mut tv = a.vetoes.clone();
    tv.sort();
    if tv != r.vetoes {
        p.push(format!("vetoes: expected {:?}, got {:?}", tv, r.vetoes));
    }
    let expected: BTreeMap<String, u32> = a
        .findings
        .iter()
        .filter(|f| f.kind == "deduction" || f.kind == "bonus")
        .map(|f| (f.rule.clone(), f.occurrences))
        .collect();
    let got: BTreeMap<String, u32> =
        r.findings.iter().filter(|f| f.kind != FindingKind::Veto).map(|f| (f.rule.clone(), f.occurrences)).collect();
    for (rule, n) in &expected {
        match got.get(rule) {
            Some(m) if m == n => {}
            Some(m) => p.push(format!("{rule}: expected {n} occurrences, got {m}")),
            None => p.push(format!("{rule}: expected {n} occurrences, got none")),
        }
    }
    for (rule, m) in &got {
        if !expected.contains_key(rule) {
            let f = r.findings.iter().find(|f| &f.rule == rule).unwrap();
            p.push(format!("{rule}: unexpected ({m}): {}", f.message));
        }
    }
    if (a.score - r.score).abs() > 1e-6 || (a.deduction_score - r.deduction_score).abs() > 1e-6 {
        p.push(format!("score: expected {} ({}), got {} ({})", a.score, a.deduction_score, r.score, r.deduction_score));
    }
    let lost: f64 = r.findings.iter().filter(|f| f.kind == FindingKind::Deduction).map(|f| f.points).sum();
    if (100.0 - lost - r.deduction_score).abs() > 1e-6 {
        p.push(format!("deduction findings add up to {lost}, deduction_score is {}", r.deduction_score));
    }
    if a.grade != r.grade.as_str() {
        p.push(format!("grade: expected {}, got {}", a.grade, r.grade));
    }
    if a.list != list_str(r.list) {
        p.push(format!("list: expected {:?}, got {:?}", a.list, list_str(r.list)));
    }
    if a.rank as u32 != r.rank {
        p.push(format!("rank: expected {}, got {}", a.rank, r.rank));
    }
    for c in &st.columns {
        let cat = c.category.as_str();
        match find_column(r, c) {
            None => p.push(format!("column {} {} ({cat}) not found", c.name, c.url)),
            Some(x) => {
                if x.category != cat {
                    p.push(format!("column {}: category expected {cat}, got {}", c.name, x.category));
                }
                if x.newest != c.newest {
                    p.push(format!("column {}: newest expected {:?}, got {:?}", c.name, c.newest, x.newest));
                }
                if x.blank != c.blank {
                    p.push(format!("column {}: blank expected {}, got {}", c.name, c.blank, x.blank));
                }
                if x.first_level != c.first_level {
                    p.push(format!("column {}: first_level expected {}, got {}", c.name, c.first_level, x.first_level));
                }
            }
        }
    }
    p
}

/// The scored column an expected column corresponds to: same URL (index.html folded), else same name.
pub fn find_column<'r>(
    r: &'r gongkai_scoring::SiteResult,
    c: &gongkai_sample::ColumnTruth,
) -> Option<&'r gongkai_scoring::ColumnResult> {
    r.columns.iter().find(|x| canon(&x.url) == canon(&c.url)).or_else(|| r.columns.iter().find(|x| x.name == c.name))
}
