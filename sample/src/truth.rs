//! Ground truth: what a correct crawler must archive and what the default rubric must find, for every site.
//!
//! The findings are computed here from the MODEL with docs/rules.md's definitions (an independent oracle: it never runs
//! the scorer and does not read the rubric file, the points and caps below are copied from docs/rules.md's table). The
//! generator keeps every date well away from every window boundary, so the oracle's answer is the only right one.
//!
//! Working days: the oracle counts Monday–Friday only (no holiday calendar); every case is generated so that holidays
//! cannot change the answer (on-time gaps are at most 4 calendar days, late gaps at least 50 calendar days).

use crate::gen::annual_deadline;
use crate::grading::{design_basics, Site, Stale, Tally, Windows};
use crate::model::*;
use crate::render::fmt_iso;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use gongkai_config::Level;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GroundTruth {
    pub seed: u64,
    /// T0, RFC 3339 with +08:00.
    pub t0: String,
    pub sites_count: usize,
    pub pages_per_site: usize,
    /// The port the URLs below carry (None: URLs without a port).
    pub port: Option<u16>,
    /// Total HTML pages a correct crawler must archive over all sites.
    pub total_pages: usize,
    /// Site ids of the red and black lists (ranking over all sites with an assessment).
    pub red_list: Vec<String>,
    pub black_list: Vec<String>,
    /// Hosts the server answers for that are not sites (shared platform, stub national services).
    pub other_hosts: Vec<String>,
    pub notes: Vec<String>,
    pub sites: Vec<SiteTruth>,
}

impl GroundTruth {
    pub fn site(&self, id: &str) -> Option<&SiteTruth> {
        self.sites.iter().find(|s| s.id == id)
    }
    pub fn read(path: &std::path::Path) -> anyhow::Result<GroundTruth> {
        Ok(serde_json::from_slice(&std::fs::read(path)?)?)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteTruth {
    pub id: String,
    pub name: String,
    pub url: String,
    pub host: String,
    pub region: Vec<String>,
    pub level: Level,
    /// The 政府信息公开 platform URL when it lives on another host (sites.toml `platform`).
    pub platform: Option<String>,
    /// False for plain generated (scale) sites, whose truth is limited to their page set.
    pub crafted: bool,
    pub cms: CmsStyle,
    pub charset: Charset,
    pub columns: Vec<ColumnTruth>,
    /// Broken link targets (unique) on the home page, and elsewhere (not on the home page).
    pub broken_links_home: Vec<String>,
    pub broken_links_elsewhere: Vec<String>,
    /// Every HTML page a correct crawler must archive within default budgets (sorted).
    pub expected_pages: Vec<String>,
    /// Linked URLs robots.txt disallows: must never be requested, never counted as broken.
    pub robots_disallowed_linked: Vec<String>,
    /// URL prefixes of crawler traps (endless URL spaces): requests under them must stay bounded.
    pub trap_prefixes: Vec<String>,
    /// (from, to) redirects linked from pages.
    pub redirects: Vec<(String, String)>,
    pub crawl_delay: Option<u32>,
    /// The server answers 503 to every third request of the home page (3rd, 6th, …).
    pub flaky_home: bool,
    /// How the site answers over IPv6 (`resolve_args` and the server's [::1] listener); written only when not `dual`.
    #[serde(default, skip_serializing_if = "is_dual")]
    pub ipv6: Ipv6Service,
    pub gzip: bool,
    pub assessment: Option<Assessment>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnTruth {
    pub category: Category,
    pub name: String,
    pub url: String,
    pub first_level: bool,
    pub kind: ColumnKind,
    /// Items on the first list page.
    pub items: usize,
    pub dated_items: usize,
    /// Newest readable date on the first page (for a consultation list: the newest posted date).
    pub newest: Option<String>,
    pub blank: bool,
    /// A list only a script loads (JSON over XHR): unreadable, counted as blank.
    pub unreadable: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IdentityTruth {
    pub site_code: Option<String>,
    /// Canonical forms; the page prints messier variants (see `Footer::variant`).
    pub icp: Option<String>,
    pub police: Option<String>,
    pub badge: bool,
    pub sponsor: Option<String>,
    pub contact: bool,
    pub error_entry: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FindingTruth {
    pub rule: String,
    /// `veto`, `deduction` or `bonus`.
    pub kind: String,
    pub occurrences: u32,
    /// Points after the item cap (0 for a veto).
    pub points: f64,
    /// URLs the finding rests on, where there are any.
    pub evidence: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub vetoes: Vec<String>,
    pub findings: Vec<FindingTruth>,
    /// Points lost per deduction group, after group caps.
    pub groups: BTreeMap<String, f64>,
    pub deduction_score: f64,
    pub bonus: f64,
    pub score: f64,
    pub grade: String,
    /// `red`, `black` or None.
    pub list: Option<String>,
    pub rank: usize,
    pub identity: IdentityTruth,
}

/// (rule, group, points per occurrence, item cap) — docs/rules.md's table.
pub const DEDUCTIONS: [(&str, &str, f64, f64); 35] = [
    ("publish.news_stale", "publish", 2.0, 8.0),
    ("publish.notice_stale", "publish", 2.0, 6.0),
    ("publish.policy_stale", "publish", 5.0, 10.0),
    ("publish.periodic_stale", "publish", 1.0, 5.0),
    ("publish.blank_column", "publish", 1.0, 5.0),
    ("publish.missing_column", "publish", 2.0, 12.0),
    ("publish.undated_items", "publish", 1.0, 3.0),
    ("disclosure.platform_column", "disclosure", 3.0, 12.0),
    ("disclosure.annual_report", "disclosure", 8.0, 8.0),
    ("disclosure.guide_elements", "disclosure", 1.0, 5.0),
    ("disclosure.statutory_coverage", "disclosure", 0.5, 5.0),
    ("disclosure.timeliness", "disclosure", 1.0, 5.0),
    ("disclosure.no_application", "disclosure", 3.0, 3.0),
    ("interaction.replies_stale", "interaction", 3.0, 3.0),
    ("interaction.late_reply", "interaction", 1.0, 6.0),
    ("interaction.collection_stale", "interaction", 2.0, 2.0),
    ("interaction.interview_stale", "interaction", 2.0, 2.0),
    ("service.entry_broken", "service", 5.0, 5.0),
    ("service.stats_stale", "service", 2.0, 2.0),
    ("design.availability", "design", 1.0, 4.0),
    ("design.ipv6", "design", 2.0, 2.0),
    ("design.emblem", "design", 2.0, 2.0),
    ("design.broken_links_home", "design", 1.0, 5.0),
    ("design.broken_links_site", "design", 0.2, 5.0),
    ("design.identity", "design", 1.0, 5.0),
    ("design.error_entry", "design", 2.0, 2.0),
    ("design.search", "design", 2.0, 2.0),
    ("design.domain", "design", 2.0, 2.0),
    ("security.privacy", "security", 1.0, 5.0),
    ("security.certificate", "security", 2.0, 2.0),
    ("content.serious_errors", "security", 2.0, 5.0),
    ("content.sensitive_words", "security", 2.0, 5.0),
    ("content.spam_links", "security", 2.0, 4.0),
    ("content.typos", "publish", 0.5, 2.0),
    ("disclosure.annual_report_late", "disclosure", 4.0, 8.0),
];

pub const GROUP_CAPS: [(&str, f64); 6] = [
    ("publish", 30.0),
    ("disclosure", 25.0),
    ("interaction", 15.0),
    ("service", 10.0),
    ("design", 15.0),
    ("security", 5.0),
];

/// Working days after `from` up to and including `to`, Monday–Friday.
pub fn weekdays_between(from: NaiveDate, to: NaiveDate) -> i64 {
    let mut n = 0;
    let mut d = from;
    while d < to {
        d = d + Days::new(1);
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            n += 1;
        }
    }
    n
}

/// Per-site inputs the oracle needs beyond the model: absolute URLs.
pub struct Urls<'a> {
    pub col_url: &'a dyn Fn(&Column) -> String,
    /// Absolute URL of an item's article page.
    pub art_url: &'a dyn Fn(&Column, &Item) -> String,
    /// Absolute URL of a link target written on the site (path or absolute URL).
    pub link_url: &'a dyn Fn(&str) -> String,
    pub home: String,
}

/// The newest readable date on a column's first page.
pub fn newest(s: &SiteModel, c: &Column) -> Option<NaiveDate> {
    if c.is_blank() {
        return None;
    }
    c.first_page(first_page_size(s, c)).iter().filter_map(|i| i.date).max()
}

/// Items on a column's first page (Hanweb pages hold every record; consultation lists are one page).
pub fn first_page_size(s: &SiteModel, c: &Column) -> usize {
    if s.style == CmsStyle::Hanweb || c.category == Category::Consultation {
        usize::MAX
    } else {
        s.page_size
    }
}

/// Evaluate the default rubric on one site's model. Rank and list are filled in by `rank_sites`.
pub fn assess(s: &SiteModel, t0: NaiveDate, urls: &Urls) -> Assessment {
    let w = Windows::at(t0);
    let site = Site {
        cols: &s.columns,
        first_page: &|c| c.first_page(first_page_size(s, c)),
        col_url: urls.col_url,
        art_url: urls.art_url,
    };
    let mut t = Tally::default();
    let messages: Vec<(NaiveDate, Option<NaiveDate>)> = s
        .columns
        .iter()
        .filter(|c| c.category == Category::Consultation)
        .flat_map(|c| c.items.iter())
        .filter_map(|i| match i.extra {
            ItemExtra::Message { posted, replied } => Some((posted, replied)),
            _ => None,
        })
        .collect();
    let stale = vetoes(s, &site, &w, urls, &messages, &mut t);
    site.publish(&w, &stale, s.level, &|c| s.has(c), &mut t);
    disclosure(s, &site, &w, &mut t);
    interaction(s, &site, &w, urls, &messages, &mut t);
    service_and_design(s, &site, &w, urls, &mut t);
    spam_links(s, urls, &mut t);
    ipv6(s, urls, &mut t);
    emblem(s, urls, &mut t);
    certificate(s, urls, &mut t);
    let f = &s.footer;
    t.finish(
        s.accessibility,
        &urls.home,
        IdentityTruth {
            site_code: f.site_code.clone(),
            icp: f.icp.clone(),
            police: f.police.clone(),
            badge: f.badge,
            sponsor: f.sponsor.clone(),
            contact: f.contact,
            error_entry: s.error_entry,
        },
    )
}

fn is_dual(v: &Ipv6Service) -> bool {
    *v == Ipv6Service::Dual
}

/// `design.ipv6` (county level and above): no AAAA record, or an IPv6 home page that is not the IPv4 one, is one
/// occurrence on the home page; the sampled inner pages answer over IPv6 on every dual-stack site.
fn ipv6(s: &SiteModel, urls: &Urls, t: &mut Tally) {
    let applies = matches!(s.level, Level::Province | Level::City | Level::County);
    if applies && s.ipv6 != Ipv6Service::Dual {
        t.add("design.ipv6", 1, vec![urls.home.clone()]);
    }
}

/// `design.emblem` (county level and above): a text-only header without a stylesheet is one occurrence on the home
/// page; a named emblem image (found) or an unnamed logo with a background stylesheet (undetermined) is none.
fn emblem(s: &SiteModel, urls: &Urls, t: &mut Tally) {
    let applies = matches!(s.level, Level::Province | Level::City | Level::County);
    if applies && s.emblem == EmblemShow::None {
        t.add("design.emblem", 1, vec![urls.home.clone()]);
    }
}

/// `security.certificate`: a site on one of the https hosts (self-signed certificate) is one occurrence, cited on the
/// home page whose fetch met the certificate (every level).
fn certificate(s: &SiteModel, urls: &Urls, t: &mut Tally) {
    if crate::gen::scheme(&s.host) == "https" {
        t.add("security.certificate", 1, vec![urls.home.clone()]);
    }
}

/// `content.spam_links`: the home page's 友情链接 to the expired partner (now a gambling page) is one occurrence on the
/// home page; the clean partner and the news article that mentions 六合彩 once are none.
fn spam_links(s: &SiteModel, urls: &Urls, t: &mut Tally) {
    if s.partner_links {
        t.add("content.spam_links", 1, vec![urls.home.clone()]);
    }
}

/// Vetoes, in the rubric's order.
fn vetoes<'a>(
    s: &'a SiteModel,
    site: &Site<'a, Column>,
    w: &Windows,
    urls: &Urls,
    messages: &[(NaiveDate, Option<NaiveDate>)],
    t: &mut Tally,
) -> Stale<'a, Column> {
    let t0 = w.t0;
    let cu = |c: &Column| (urls.col_url)(c);
    let home_dates: Vec<NaiveDate> = [(Category::News, 6), (Category::Notice, 6), (Category::Policy, 5)]
        .iter()
        .filter_map(|(cat, n)| {
            s.column(*cat).map(|c| c.items.iter().take(*n).filter_map(|i| i.date).collect::<Vec<_>>())
        })
        .flatten()
        .collect();
    if home_dates.iter().max().is_none_or(|d| *d < w.d14) {
        t.veto("veto.homepage_stale", vec![urls.home.clone()]);
    }
    let stale = site.stale_vetoes(w, t);
    let consultation = s.column(Category::Consultation);
    if consultation.is_none() {
        t.veto("veto.no_consultation", vec![]);
    }
    if messages.iter().any(|(p, r)| {
        *p >= w.y365
            && match r {
                None => *p < t0 - Days::new(90),
                Some(r) => (*r - *p).num_days() > 90,
            }
    }) {
        t.veto("veto.unanswered", consultation.map(|c| vec![cu(c)]).unwrap_or_default());
    }
    if !s.has(Category::Service) {
        t.veto("veto.no_service", vec![]);
    }
    let future: Vec<String> = s
        .columns
        .iter()
        .filter(|c| c.items.iter().any(|i| i.date.is_some_and(|d| d > t0 + Days::new(1))))
        .map(cu)
        .collect();
    if !future.is_empty() {
        t.veto("veto.future_dates", future);
    }
    if s.spam_link {
        t.veto("veto.hidden_links", vec![urls.home.clone()]);
    }
    stale
}

/// Disclosure: platform columns, annual report, guide elements, statutory coverage, timeliness, application.
fn disclosure(s: &SiteModel, site: &Site<Column>, w: &Windows, t: &mut Tally) {
    let t0 = w.t0;
    let platform_missing = [Category::Guide, Category::System, Category::Statutory, Category::AnnualReport]
        .iter()
        .filter(|c| !s.has(**c))
        .count();
    t.add("disclosure.platform_column", platform_missing as u32, vec![]);
    let y = t0.year();
    let deadline = annual_deadline(s.level, y);
    if t0 > deadline {
        let report = s
            .columns
            .iter()
            .filter(|c| c.category == Category::AnnualReport)
            .flat_map(|c| c.items.iter())
            .find(|i| i.extra == ItemExtra::AnnualReport { year: y - 1 });
        match report {
            None => t.add("disclosure.annual_report", 1, vec![]),
            Some(r) if r.date.unwrap() > deadline => t.add("disclosure.annual_report_late", 1, vec![]),
            _ => {}
        }
    }
    if let Some(g) = s.column(Category::Guide) {
        t.add(
            "disclosure.guide_elements",
            (GUIDE_ELEMENTS.len() - s.guide_elements.len()) as u32,
            vec![(site.col_url)(g)],
        );
    }
    // 条例 第20条 (一)–(十四): (一) policy, (二) functions, (三) plan, (四) statistics, (七) finance, (十四) personnel;
    // the other eight are the OTHER_COLUMNS sub-columns every site has.
    // (二) is also covered by 领导信息 alone.
    let coverage_missing = [
        Category::Policy,
        Category::Functions,
        Category::Plan,
        Category::Statistics,
        Category::Finance,
        Category::Personnel,
    ]
    .iter()
    .filter(|c| !(s.has(**c) || (**c == Category::Functions && s.has(Category::Leaders))))
    .count();
    t.add("disclosure.statutory_coverage", coverage_missing as u32, vec![]);
    site.timeliness(t);
    if !s.has(Category::Application) {
        t.add("disclosure.no_application", 1, vec![]);
    }
}

/// Interaction: replies, late replies, collection and interview freshness.
fn interaction(
    s: &SiteModel,
    site: &Site<Column>,
    w: &Windows,
    urls: &Urls,
    messages: &[(NaiveDate, Option<NaiveDate>)],
    t: &mut Tally,
) {
    let cu = |c: &Column| (urls.col_url)(c);
    if let Some(c) = s.column(Category::Consultation) {
        let newest_reply = messages.iter().filter_map(|(_, r)| *r).max();
        if newest_reply.is_none_or(|r| r < w.t0 - Days::new(60)) {
            t.add("interaction.replies_stale", 1, vec![cu(c)]);
        }
        let late =
            messages.iter().filter(|(p, r)| *p >= w.y365 && r.is_some_and(|r| weekdays_between(*p, r) > 20)).count();
        t.add("interaction.late_reply", late as u32, vec![cu(c)]);
    }
    for (cat, rule) in
        [(Category::Collection, "interaction.collection_stale"), (Category::Interview, "interaction.interview_stale")]
    {
        if !site.fresh(cat, w.m12) {
            t.add(rule, 1, vec![]);
        }
    }
}

/// Service (entry, 办件 statistics) and design (broken links, identity, error entry, search, domain), privacy.
fn service_and_design(s: &SiteModel, site: &Site<Column>, w: &Windows, urls: &Urls, t: &mut Tally) {
    let cu = |c: &Column| (urls.col_url)(c);
    // Service.
    let service = s.column(Category::Service);
    let mut broken_home: Vec<String> = s.broken_home.clone();
    if let Some(sv) = service {
        if sv.entry_broken {
            t.add("service.entry_broken", 1, vec![cu(sv)]);
            broken_home.push(cu(sv));
        }
    }
    if !site.fresh(Category::ServiceStats, w.m3) {
        t.add("service.stats_stale", 1, vec![]);
    }

    // Design.
    let broken_home_ev: Vec<String> =
        s.broken_home.iter().map(|b| (urls.link_url)(b)).chain(service.filter(|c| c.entry_broken).map(cu)).collect();
    t.add("design.broken_links_home", broken_home.len() as u32, broken_home_ev);
    let elsewhere: Vec<String> = s
        .columns
        .iter()
        .flat_map(|c| c.items.iter())
        .flat_map(|i| i.broken_links.iter())
        .map(|b| (urls.link_url)(b))
        .collect();
    t.add("design.broken_links_site", elsewhere.len() as u32, elsewhere);
    let f = &s.footer;
    let identity_missing =
        [f.site_code.is_none(), f.icp.is_none(), f.police.is_none(), !f.badge, f.sponsor.is_none(), !f.contact]
            .iter()
            .filter(|m| **m)
            .count();
    design_basics(t, identity_missing, s.error_entry, s.search, &s.host, s.level, &urls.home);
    site.privacy(t);
    site.content(t);
}

/// docs/rules.md `design.domain`: governments `www.<name>.gov.cn`, departments a subdomain of a .gov.cn domain.
pub fn domain_ok(host: &str, level: Level) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    if !host.ends_with(".gov.cn") || labels.iter().any(|l| l.is_empty()) {
        return false;
    }
    if level.is_government() {
        labels.len() == 4 && labels[0] == "www"
    } else {
        labels.len() >= 4
    }
}

/// docs/rules.md ranking over all assessed sites: non-vetoed by score desc, then vetoed by deduction_score desc, ties by
/// id; red = 优秀 within the top 10% (at least one); black = every 不合格.
pub fn rank_sites(sites: &mut [SiteTruth]) {
    let mut order: Vec<usize> = (0..sites.len()).filter(|&i| sites[i].assessment.is_some()).collect();
    let key = |s: &SiteTruth| {
        let a = s.assessment.as_ref().unwrap();
        let vetoed = !a.vetoes.is_empty();
        (vetoed, -(if vetoed { a.deduction_score } else { a.score } * 100.0).round() as i64, s.id.clone())
    };
    order.sort_by_key(|&i| key(&sites[i]));
    let n = order.len();
    let red_max = ((n as f64 * 0.1).floor() as usize).max(1);
    for (r, &i) in order.iter().enumerate() {
        let a = sites[i].assessment.as_mut().unwrap();
        a.rank = r + 1;
        a.list = if a.grade == "不合格" {
            Some("black".into())
        } else if a.grade == "优秀" && r < red_max {
            Some("red".into())
        } else {
            None
        };
    }
}

pub fn column_truth(s: &SiteModel, c: &Column, url: String) -> ColumnTruth {
    let fp = if c.kind == ColumnKind::List && !c.placeholder { c.first_page(first_page_size(s, c)) } else { &[] };
    ColumnTruth {
        category: c.category,
        name: c.name.clone(),
        url,
        first_level: c.first_level,
        kind: c.kind,
        items: fp.len(),
        dated_items: fp.iter().filter(|i| i.date.is_some()).count(),
        newest: newest(s, c).map(fmt_iso),
        blank: c.is_blank(),
        unreadable: c.kind == ColumnKind::ScriptOnly,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn weekdays_count_the_end_not_the_start() {
        // Friday → next Monday: one working day.
        assert_eq!(weekdays_between(d(2026, 11, 13), d(2026, 11, 16)), 1);
        assert_eq!(weekdays_between(d(2026, 11, 16), d(2026, 11, 16)), 0);
        assert_eq!(weekdays_between(d(2026, 11, 2), d(2026, 11, 30)), 20);
    }

    #[test]
    fn domain_rule() {
        assert!(domain_ok("www.jinniu.gov.cn", Level::County));
        assert!(!domain_ok("jinniu.gov.cn", Level::County));
        assert!(domain_ok("fgw.linjiang.gov.cn", Level::Department));
        assert!(!domain_ok("www.ljnync.com", Level::Department));
    }
}
