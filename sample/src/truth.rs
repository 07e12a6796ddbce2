//! Ground truth: what a correct crawler must archive and what the default rubric must find, for every site.
//!
//! The findings are computed here from the MODEL with RUBRIC.md's definitions (an independent oracle: it never runs
//! the scorer and does not read the rubric file, the points and caps below are copied from RUBRIC.md's table). The
//! generator keeps every date well away from every window boundary, so the oracle's answer is the only right one.
//!
//! Working days: the oracle counts Monday–Friday only (no holiday calendar); every case is generated so that holidays
//! cannot change the answer (on-time gaps are at most 4 calendar days, late gaps at least 50 calendar days).

use crate::gen::annual_deadline;
use crate::model::*;
use crate::render::fmt_iso;
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
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

/// (rule, group, points per occurrence, item cap) — RUBRIC.md's table.
pub const DEDUCTIONS: [(&str, &str, f64, f64); 28] = [
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
    ("design.broken_links_home", "design", 1.0, 5.0),
    ("design.broken_links_site", "design", 0.2, 5.0),
    ("design.identity", "design", 1.0, 5.0),
    ("design.error_entry", "design", 2.0, 2.0),
    ("design.search", "design", 2.0, 2.0),
    ("design.domain", "design", 2.0, 2.0),
    ("security.privacy", "security", 1.0, 5.0),
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

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
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

/// RUBRIC.md "stale": a list column (not blank) whose newest date is before `start`, or with items but none dated.
fn stale(s: &SiteModel, c: &Column, start: NaiveDate) -> bool {
    if !c.is_list() || c.is_blank() {
        return false;
    }
    match newest(s, c) {
        None => true,
        Some(d) => d < start,
    }
}

/// Evaluate the default rubric on one site's model. Rank and list are filled in by `rank_sites`.
pub fn assess(s: &SiteModel, t0: NaiveDate, urls: &Urls) -> Assessment {
    let d14 = t0 - Days::new(14);
    let m3 = t0.checked_sub_months(Months::new(3)).unwrap();
    let m6 = t0.checked_sub_months(Months::new(6)).unwrap();
    let m12 = t0.checked_sub_months(Months::new(12)).unwrap();
    let y365 = t0 - Days::new(365);
    let cols = &s.columns;
    let cu = |c: &Column| (urls.col_url)(c);
    let mut vetoes: Vec<(String, Vec<String>)> = vec![];
    let mut occ: BTreeMap<&str, (u32, Vec<String>)> = BTreeMap::new();
    let mut add = |rule: &'static str, n: u32, ev: Vec<String>| {
        if n > 0 {
            let e = occ.entry(rule).or_default();
            e.0 += n;
            e.1.extend(ev);
        }
    };

    // Vetoes.
    let home_dates: Vec<NaiveDate> = [(Category::News, 6), (Category::Notice, 6), (Category::Policy, 5)]
        .iter()
        .filter_map(|(cat, n)| {
            s.column(*cat).map(|c| c.items.iter().take(*n).filter_map(|i| i.date).collect::<Vec<_>>())
        })
        .flatten()
        .collect();
    if home_dates.iter().max().is_none_or(|d| *d < d14) {
        vetoes.push(("veto.homepage_stale".into(), vec![urls.home.clone()]));
    }
    let news_stale: Vec<&Column> = cols.iter().filter(|c| c.category == Category::News && stale(s, c, d14)).collect();
    let np_stale: Vec<&Column> = cols
        .iter()
        .filter(|c| matches!(c.category, Category::Notice | Category::Policy) && c.first_level && stale(s, c, m6))
        .collect();
    if news_stale.len() + np_stale.len() >= 5 {
        vetoes.push(("veto.columns_stale".into(), news_stale.iter().chain(np_stale.iter()).map(|c| cu(c)).collect()));
    }
    let blank: Vec<&Column> = cols.iter().filter(|c| c.is_blank()).collect();
    let long_stale: Vec<&Column> = cols
        .iter()
        .filter(|c| {
            let start = match c.category {
                Category::News => d14,
                Category::Notice | Category::Policy => m6,
                _ => m12,
            };
            stale(s, c, start)
        })
        .collect();
    if long_stale.len() + blank.len() >= 10 {
        vetoes.push(("veto.columns_long_stale".into(), long_stale.iter().chain(blank.iter()).map(|c| cu(c)).collect()));
    }
    if blank.len() >= 5 {
        vetoes.push(("veto.blank_columns".into(), blank.iter().map(|c| cu(c)).collect()));
    }
    let consultation = s.column(Category::Consultation);
    if consultation.is_none() {
        vetoes.push(("veto.no_consultation".into(), vec![]));
    }
    let messages: Vec<(NaiveDate, Option<NaiveDate>)> = cols
        .iter()
        .filter(|c| c.category == Category::Consultation)
        .flat_map(|c| c.items.iter())
        .filter_map(|i| match i.extra {
            ItemExtra::Message { posted, replied } => Some((posted, replied)),
            _ => None,
        })
        .collect();
    if messages.iter().any(|(p, r)| {
        *p >= y365
            && match r {
                None => *p < t0 - Days::new(90),
                Some(r) => (*r - *p).num_days() > 90,
            }
    }) {
        vetoes.push(("veto.unanswered".into(), consultation.map(|c| vec![cu(c)]).unwrap_or_default()));
    }
    if !s.has(Category::Service) {
        vetoes.push(("veto.no_service".into(), vec![]));
    }
    let future: Vec<String> = cols
        .iter()
        .filter(|c| c.items.iter().any(|i| i.date.is_some_and(|d| d > t0 + Days::new(1))))
        .map(&cu)
        .collect();
    if !future.is_empty() {
        vetoes.push(("veto.future_dates".into(), future));
    }
    if s.spam_link {
        vetoes.push(("veto.hidden_links".into(), vec![urls.home.clone()]));
    }

    // Deductions: publish.
    add("publish.news_stale", news_stale.len() as u32, news_stale.iter().map(|c| cu(c)).collect());
    let notice_stale: Vec<String> =
        cols.iter().filter(|c| c.category == Category::Notice && stale(s, c, m6)).map(&cu).collect();
    add("publish.notice_stale", notice_stale.len() as u32, notice_stale);
    let policy_stale: Vec<String> =
        cols.iter().filter(|c| c.category == Category::Policy && c.first_level && stale(s, c, m6)).map(&cu).collect();
    add("publish.policy_stale", policy_stale.len() as u32, policy_stale);
    let periodic: Vec<String> = cols
        .iter()
        .filter(|c| {
            matches!(
                c.category,
                Category::Interpretation
                    | Category::Personnel
                    | Category::Plan
                    | Category::Finance
                    | Category::Statistics
            ) && stale(s, c, m12)
        })
        .map(&cu)
        .collect();
    add("publish.periodic_stale", periodic.len() as u32, periodic);
    add("publish.blank_column", blank.len() as u32, blank.iter().map(|c| cu(c)).collect());
    let missing = Category::REQUIRED
        .iter()
        .filter(|cat| !(s.level == Level::Department && **cat == Category::Overview))
        .filter(|cat| !s.has(**cat))
        .count();
    add("publish.missing_column", missing as u32, vec![]);
    let undated: Vec<String> = cols
        .iter()
        .filter(|c| c.is_list() && !c.is_blank())
        .filter(|c| {
            let fp = c.first_page(first_page_size(s, c));
            let n = fp.iter().filter(|i| i.date.is_none()).count();
            n * 2 > fp.len()
        })
        .map(&cu)
        .collect();
    add("publish.undated_items", undated.len() as u32, undated);

    // Disclosure.
    let platform_missing = [Category::Guide, Category::System, Category::Statutory, Category::AnnualReport]
        .iter()
        .filter(|c| !s.has(**c))
        .count();
    add("disclosure.platform_column", platform_missing as u32, vec![]);
    let y = t0.year();
    let deadline = annual_deadline(s.level, y);
    if t0 > deadline {
        let report = cols
            .iter()
            .filter(|c| c.category == Category::AnnualReport)
            .flat_map(|c| c.items.iter())
            .find(|i| i.extra == ItemExtra::AnnualReport { year: y - 1 });
        match report {
            None => add("disclosure.annual_report", 1, vec![]),
            Some(r) if r.date.unwrap() > deadline => add("disclosure.annual_report_late", 1, vec![]),
            _ => {}
        }
    }
    if let Some(g) = s.column(Category::Guide) {
        add("disclosure.guide_elements", (GUIDE_ELEMENTS.len() - s.guide_elements.len()) as u32, vec![cu(g)]);
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
    add("disclosure.statutory_coverage", coverage_missing as u32, vec![]);
    let mut late_docs = vec![];
    for c in cols {
        for it in &c.items {
            if let (Some(doc), Some(d)) = (&it.doc, it.date) {
                if weekdays_between(doc.written, d) > 20 {
                    late_docs.push((urls.art_url)(c, it));
                }
            }
        }
    }
    add("disclosure.timeliness", late_docs.len() as u32, late_docs);
    if !s.has(Category::Application) {
        add("disclosure.no_application", 1, vec![]);
    }

    // Interaction.
    if let Some(c) = consultation {
        let newest_reply = messages.iter().filter_map(|(_, r)| *r).max();
        if newest_reply.is_none_or(|r| r < t0 - Days::new(60)) {
            add("interaction.replies_stale", 1, vec![cu(c)]);
        }
        let late =
            messages.iter().filter(|(p, r)| *p >= y365 && r.is_some_and(|r| weekdays_between(*p, r) > 20)).count();
        add("interaction.late_reply", late as u32, vec![cu(c)]);
    }
    for (cat, rule) in
        [(Category::Collection, "interaction.collection_stale"), (Category::Interview, "interaction.interview_stale")]
    {
        let ok = cols.iter().any(|c| c.category == cat && newest(s, c).is_some_and(|d| d >= m12));
        if !ok {
            add(rule, 1, vec![]);
        }
    }

    // Service.
    let service = s.column(Category::Service);
    let mut broken_home: Vec<String> = s.broken_home.clone();
    if let Some(sv) = service {
        if sv.entry_broken {
            add("service.entry_broken", 1, vec![cu(sv)]);
            broken_home.push(cu(sv));
        }
    }
    let stats_ok = cols.iter().any(|c| c.category == Category::ServiceStats && newest(s, c).is_some_and(|d| d >= m3));
    if !stats_ok {
        add("service.stats_stale", 1, vec![]);
    }

    // Design.
    let broken_home_ev: Vec<String> =
        s.broken_home.iter().map(|b| (urls.link_url)(b)).chain(service.filter(|c| c.entry_broken).map(cu)).collect();
    add("design.broken_links_home", broken_home.len() as u32, broken_home_ev);
    let elsewhere: Vec<String> = cols
        .iter()
        .flat_map(|c| c.items.iter())
        .flat_map(|i| i.broken_links.iter())
        .map(|b| (urls.link_url)(b))
        .collect();
    add("design.broken_links_site", elsewhere.len() as u32, elsewhere);
    let f = &s.footer;
    let identity_missing =
        [f.site_code.is_none(), f.icp.is_none(), f.police.is_none(), !f.badge, f.sponsor.is_none(), !f.contact]
            .iter()
            .filter(|m| **m)
            .count();
    add("design.identity", identity_missing as u32, vec![urls.home.clone()]);
    if !s.error_entry {
        add("design.error_entry", 1, vec![urls.home.clone()]);
    }
    if !s.search {
        add("design.search", 1, vec![urls.home.clone()]);
    }
    if !domain_ok(&s.host, s.level) {
        add("design.domain", 1, vec![urls.home.clone()]);
    }
    let privacy: Vec<String> = cols
        .iter()
        .flat_map(|c| c.items.iter().filter(|i| i.exposes_id || i.exposes_card).map(move |i| (urls.art_url)(c, i)))
        .collect();
    add("security.privacy", privacy.len() as u32, privacy);

    // Points, caps, groups.
    let mut findings = vec![];
    let mut groups: BTreeMap<String, f64> = GROUP_CAPS.iter().map(|(g, _)| (g.to_string(), 0.0)).collect();
    let mut annual_points = 0.0;
    for (rule, (n, ev)) in &occ {
        let (_, group, per, cap) = DEDUCTIONS.iter().find(|d| d.0 == *rule).unwrap();
        let pts = round2((*n as f64 * per).min(*cap));
        // `annual_report_late` is the 4-point form of the one rule `disclosure.annual_report`.
        let name = if *rule == "disclosure.annual_report_late" { "disclosure.annual_report" } else { rule };
        if name == "disclosure.annual_report" {
            annual_points += pts;
        }
        *groups.get_mut(*group).unwrap() += pts;
        findings.push(FindingTruth {
            rule: name.to_string(),
            kind: "deduction".into(),
            occurrences: *n,
            points: pts,
            evidence: ev.clone(),
        });
    }
    let _ = annual_points;
    let mut lost = 0.0;
    for (g, cap) in GROUP_CAPS {
        let v = groups.get_mut(g).unwrap();
        *v = round2(v.min(cap));
        lost += *v;
    }
    let deduction_score = round2(100.0 - lost);
    let mut bonus = 0.0;
    if s.accessibility && deduction_score > 80.0 {
        bonus += 2.0;
        findings.push(FindingTruth {
            rule: "bonus.accessibility".into(),
            kind: "bonus".into(),
            occurrences: 1,
            points: 2.0,
            evidence: vec![urls.home.clone()],
        });
    }
    for (v, ev) in &vetoes {
        findings.push(FindingTruth {
            rule: v.clone(),
            kind: "veto".into(),
            occurrences: 1,
            points: 0.0,
            evidence: ev.clone(),
        });
    }
    let score = round2(deduction_score + bonus);
    let grade = if !vetoes.is_empty() || deduction_score < 60.0 {
        "不合格"
    } else if score >= 90.0 {
        "优秀"
    } else if score >= 80.0 {
        "良好"
    } else {
        "合格"
    };
    Assessment {
        vetoes: vetoes.into_iter().map(|v| v.0).collect(),
        findings,
        groups,
        deduction_score,
        bonus,
        score,
        grade: grade.into(),
        list: None,
        rank: 0,
        identity: IdentityTruth {
            site_code: f.site_code.clone(),
            icp: f.icp.clone(),
            police: f.police.clone(),
            badge: f.badge,
            sponsor: f.sponsor.clone(),
            contact: f.contact,
            error_entry: s.error_entry,
        },
    }
}

/// RUBRIC.md `design.domain`: governments `www.<name>.gov.cn`, departments a subdomain of a .gov.cn domain.
pub fn domain_ok(host: &str, level: Level) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    if !host.ends_with(".gov.cn") {
        return false;
    }
    if level.is_government() {
        labels.len() == 4 && labels[0] == "www"
    } else {
        labels.len() >= 4
    }
}

/// RUBRIC.md ranking over all assessed sites: non-vetoed by score desc, then vetoed by deduction_score desc, ties by
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
