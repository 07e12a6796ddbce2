//! Ground truth of the family province, computed from the family model with docs/rules.md's definitions (never by running
//! or reading the scorer). Points, caps and group caps are docs/rules.md's table (`crate::truth::DEDUCTIONS`); the
//! statutory keyword map is the rubric data file's table, copied below.
//!
//! Decisions where docs/rules.md leaves room (also in the truth's notes):
//! - a broken link target that appears on the home page counts for `design.broken_links_home` only; `broken_links_site`
//!   counts the unique broken targets never linked from the home page (the broken 办事服务 entry is a home link);
//! - a message's date is its 留言时间, read from the list row or, when the row prints none, from its detail page; the
//!   consultation column's newest date is the newest 留言时间;
//! - "a column name under the platform" = the names of the platform's columns and of the policy column, which the
//!   platform tree links; 404 columns carry names that match no statutory keyword, so either reading agrees;
//! - identity values are the printed values with whitespace removed; for the 公安机关备案号 wording the value is the
//!   number (the rubric's capture group).

use super::layout;
use super::model::*;
use super::FamilyProvince;
use crate::gen::annual_deadline;
use crate::grading::{design_basics, RubricColumn, Site, Stale, Tally, Windows};
use crate::model::{Category, Item, ItemExtra, Place};
#[cfg(test)]
use crate::truth::domain_ok;
use crate::truth::{weekdays_between, Assessment, ColumnTruth, IdentityTruth};
use chrono::{Datelike, Days, NaiveDate};
#[cfg(test)]
use gongkai_config::Level;

/// 条例 第20条 (一)–(十四) keyword map of `config/rubrics/default.toml` (`disclosure.statutory_coverage`).
pub const STATUTORY_KEYWORDS: [&[&str]; 14] = [
    &["规章", "规范性文件", "政策文件", "政府文件", "行政法规", "政府令"],
    &["机构职能", "机构设置", "内设机构", "领导信息", "负责人", "机构概况", "部门职责"],
    &["规划", "计划"],
    &["统计"],
    &["行政许可", "办事", "服务事项", "政务服务", "审批"],
    &["行政处罚", "行政强制", "执法", "双随机"],
    &["预算", "决算", "财政", "三公"],
    &["收费"],
    &["采购", "招标", "公共资源交易"],
    &["重大建设项目", "重大项目", "建设项目"],
    &["扶贫", "乡村振兴", "教育", "医疗", "卫生", "社会保障", "社会保险", "就业", "社会救助", "养老"],
    &["应急", "突发", "预警"],
    &["环境保护", "生态环境", "环保", "安全生产", "食品药品", "食品安全", "产品质量", "监督检查", "公共卫生"],
    &["公务员", "招考", "录用", "招聘", "人事"],
];

pub fn newest(s: &FSite, c: &FCol) -> Option<NaiveDate> {
    if c.is_blank() {
        return None;
    }
    layout::first_page(s, c).iter().filter_map(|i| i.date).max()
}

pub fn column_truth(s: &FSite, c: &FCol) -> ColumnTruth {
    let fp = layout::first_page(s, c);
    ColumnTruth {
        category: c.category,
        name: c.name.clone(),
        url: FamilyProvince::col_url(s, c),
        first_level: c.first_level,
        kind: c.kind,
        items: fp.len(),
        dated_items: fp.iter().filter(|i| i.date.is_some()).count(),
        newest: newest(s, c).map(|d| d.format("%Y-%m-%d").to_string()),
        blank: c.is_blank(),
        unreadable: false,
    }
}

/// (home-page broken targets, broken targets elsewhere), unique, absolute, no port.
pub fn broken_links(s: &FSite) -> (Vec<String>, Vec<String>) {
    let mut home: Vec<String> = s.broken_home.iter().map(|p| format!("http://{}{p}", s.host)).collect();
    if let Some(sv) = s.column(Category::Service) {
        if sv.entry_broken {
            home.push(FamilyProvince::col_url(s, sv));
        }
    }
    let mut elsewhere: Vec<String> = vec![];
    for c in &s.columns {
        let (h, _) = s.base(c.place);
        for it in &c.items {
            for b in &it.broken_links {
                elsewhere.push(format!("http://{h}{b}"));
            }
        }
        if c.dead {
            elsewhere.push(FamilyProvince::col_url(s, c));
        }
    }
    home.sort();
    home.dedup();
    elsewhere.sort();
    elsewhere.dedup();
    elsewhere.retain(|u| !home.contains(u));
    (home, elsewhere)
}

/// Names of the columns the 政府信息公开 platform's tree shows.
pub fn platform_names(s: &FSite) -> Vec<&str> {
    let mut v: Vec<&str> = s.columns.iter().filter(|c| c.place == Place::Platform).map(|c| c.name.as_str()).collect();
    if let Some(p) = s.column(Category::Policy) {
        v.push(&p.name);
    }
    v
}

/// Evaluate the default rubric on one site. Rank and list are filled in by `rank_sites`.
pub fn assess(s: &FSite, t0: NaiveDate) -> Assessment {
    let w = Windows::at(t0);
    let home = FamilyProvince::home_url(s);
    let site = Site {
        cols: &s.columns,
        first_page: &|c| layout::first_page(s, c),
        col_url: &|c| FamilyProvince::col_url(s, c),
        art_url: &|c, i| FamilyProvince::art_url(s, c, i),
    };
    let mut t = Tally::default();
    let messages: Vec<(NaiveDate, Option<NaiveDate>, String)> = s
        .columns
        .iter()
        .filter(|c| c.category == Category::Consultation)
        .flat_map(|c| c.items.iter().map(move |i| (c, i)))
        .filter_map(|(c, i)| match i.extra {
            ItemExtra::Message { posted, replied } => Some((posted, replied, FamilyProvince::art_url(s, c, i))),
            _ => None,
        })
        .collect();
    let stale = vetoes(s, &site, &w, &home, &messages, &mut t);
    site.publish(&w, &stale, s.level, &|c| s.has(c), &mut t);
    disclosure(s, &site, &w, &mut t);
    interaction(s, &site, &w, &messages, &mut t);
    service_and_design(s, &site, &w, &home, &mut t);
    let f = &s.footer;
    t.finish(
        s.accessibility.is_some(),
        &home,
        IdentityTruth {
            site_code: f.site_code.as_ref().map(|c| c.0.clone()),
            icp: f.icp.as_ref().map(|c| c.1.clone()),
            police: f.police.as_ref().map(|c| c.1.clone()),
            badge: f.badge.is_some(),
            sponsor: f.sponsor.as_ref().map(|c| c.0.clone()),
            contact: f.contact.is_some(),
            error_entry: f.error_entry.is_some(),
        },
    )
}

/// Vetoes, in the rubric's order.
fn vetoes<'a>(
    s: &'a FSite,
    site: &Site<'a, FCol>,
    w: &Windows,
    home: &str,
    messages: &[(NaiveDate, Option<NaiveDate>, String)],
    t: &mut Tally,
) -> Stale<'a, FCol> {
    let t0 = w.t0;
    let cols = &s.columns;
    let first_news = cols.iter().find(|c| c.category == Category::News);
    let mut home_dates: Vec<NaiveDate> = vec![];
    for (c, n) in [(first_news, 6), (s.column(Category::Notice), 6), (s.column(Category::Policy), 5)] {
        if let Some(c) = c {
            home_dates.extend(c.items.iter().take(n).filter_map(|i| i.date));
        }
    }
    if !home_dates.iter().any(|d| *d >= w.d14) {
        t.veto("veto.homepage_stale", vec![home.to_string()]);
    }
    let stale = site.stale_vetoes(w, t);
    if s.column(Category::Consultation).is_none() {
        t.veto("veto.no_consultation", vec![]);
    }
    let unanswered: Vec<String> = messages
        .iter()
        .filter(|(p, r, _)| {
            *p >= w.y365
                && match r {
                    None => *p < t0 - Days::new(90),
                    Some(r) => (*r - *p).num_days() > 90,
                }
        })
        .map(|m| m.2.clone())
        .collect();
    if !unanswered.is_empty() {
        t.veto("veto.unanswered", unanswered);
    }
    if !s.has(Category::Service) {
        t.veto("veto.no_service", vec![]);
    }
    let future: Vec<String> = cols
        .iter()
        .flat_map(|c| c.items.iter().map(move |i| (c, i)))
        .filter(|(_, i)| i.date.is_some_and(|d| d > t0 + Days::new(1)))
        .map(|(c, i)| FamilyProvince::art_url(s, c, i))
        .collect();
    if !future.is_empty() {
        t.veto("veto.future_dates", future);
    }
    if s.spam {
        t.veto("veto.hidden_links", vec![home.to_string()]);
    }
    stale
}

/// Disclosure: platform columns, annual report, guide elements, statutory coverage (keyword map), timeliness,
/// application.
fn disclosure(s: &FSite, site: &Site<FCol>, w: &Windows, t: &mut Tally) {
    let t0 = w.t0;
    let cols = &s.columns;
    let platform_missing = [Category::Guide, Category::System, Category::Statutory, Category::AnnualReport]
        .iter()
        .filter(|c| !cols.iter().any(|x| x.category == **c && x.place == Place::Platform))
        .count();
    t.add("disclosure.platform_column", platform_missing as u32, vec![]);
    let y = t0.year();
    let deadline = annual_deadline(s.level, y);
    if t0 > deadline {
        let report = cols
            .iter()
            .filter(|c| c.category == Category::AnnualReport)
            .flat_map(|c| c.items.iter().map(move |i| (c, i)))
            .find(|(_, i)| i.extra == ItemExtra::AnnualReport { year: y - 1 });
        match report {
            None => t.add("disclosure.annual_report", 1, vec![]),
            Some((c, r)) if r.date.unwrap() > deadline => {
                t.add("disclosure.annual_report_late", 1, vec![FamilyProvince::art_url(s, c, r)])
            }
            _ => {}
        }
    }
    if let Some(g) = s.column(Category::Guide) {
        t.add("disclosure.guide_elements", s.guide_missing.len() as u32, vec![(site.col_url)(g)]);
    }
    let names = platform_names(s);
    let uncovered =
        STATUTORY_KEYWORDS.iter().filter(|kws| !names.iter().any(|n| kws.iter().any(|k| n.contains(k)))).count();
    t.add("disclosure.statutory_coverage", uncovered as u32, vec![]);
    site.timeliness(t);
    if !s.has(Category::Application) {
        t.add("disclosure.no_application", 1, vec![]);
    }
}

/// Interaction: replies, late replies (evidence: the messages), collection and interview freshness.
fn interaction(
    s: &FSite,
    site: &Site<FCol>,
    w: &Windows,
    messages: &[(NaiveDate, Option<NaiveDate>, String)],
    t: &mut Tally,
) {
    if let Some(c) = s.column(Category::Consultation) {
        let newest_reply = messages.iter().filter_map(|m| m.1).max();
        if newest_reply.map_or(true, |r| r < w.t0 - Days::new(60)) {
            t.add("interaction.replies_stale", 1, vec![(site.col_url)(c)]);
        }
        let late: Vec<String> = messages
            .iter()
            .filter(|(p, r, _)| *p >= w.y365 && r.is_some_and(|r| weekdays_between(*p, r) > 20))
            .map(|m| m.2.clone())
            .collect();
        t.add("interaction.late_reply", late.len() as u32, late);
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
fn service_and_design(s: &FSite, site: &Site<FCol>, w: &Windows, home: &str, t: &mut Tally) {
    // Service.
    if let Some(sv) = s.column(Category::Service) {
        if sv.entry_broken {
            t.add("service.entry_broken", 1, vec![(site.col_url)(sv)]);
        }
    }
    if !site.fresh(Category::ServiceStats, w.m3) {
        t.add("service.stats_stale", 1, vec![]);
    }

    // Design.
    let (bh, be) = broken_links(s);
    t.add("design.broken_links_home", bh.len() as u32, bh);
    t.add("design.broken_links_site", be.len() as u32, be);
    let f = &s.footer;
    let identity_missing = [
        f.site_code.is_none(),
        f.icp.is_none(),
        f.police.is_none(),
        f.badge.is_none(),
        f.sponsor.is_none(),
        f.contact.is_none(),
    ]
    .iter()
    .filter(|m| **m)
    .count();
    design_basics(t, identity_missing, f.error_entry.is_some(), s.search, &s.host, s.level, home);
    site.privacy(t);
}

impl RubricColumn for FCol {
    fn category(&self) -> Category {
        self.category
    }
    fn first_level(&self) -> bool {
        self.first_level
    }
    fn is_list(&self) -> bool {
        FCol::is_list(self)
    }
    fn is_blank(&self) -> bool {
        FCol::is_blank(self)
    }
    fn items(&self) -> &[Item] {
        &self.items
    }
}

/// Ground-truth notes.
pub fn notes() -> Vec<String> {
    vec![
        "CMS-family province: findings computed from the family model with the rubric's definitions (docs/rules.md) (independent oracle), never by running the scorer.".into(),
        "No availability probes: veto.unreachable and design.availability never fire.".into(),
        "Working days: every gap is at most 4 calendar days or at least 50, so Monday–Friday counting and any holiday calendar agree.".into(),
        "A broken target linked from the home page counts for design.broken_links_home only (the broken 办事服务 entry is a home link); design.broken_links_site counts unique broken targets not linked from the home page.".into(),
        "Consultation messages are dated by 留言时间 (on the list row or, when the row shows none, on the detail page); the column's newest is the newest 留言时间. Detail pages are not columns.".into(),
        "disclosure.statutory_coverage matches the rubric keyword map against the names of the platform's columns and the policy column the platform tree links.".into(),
        "Identity values: the printed value with whitespace removed (ICP as printed, with or without 号); for 公安机关备案号 the number only.".into(),
        "Category `other`: 法定主动公开内容 sub-columns with no canonical category (and the placeholder / 404 columns).".into(),
        "first_level: every main-site column is in the home page's main navigation; platform columns are first-level unless listed under 法定主动公开内容.".into(),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domain_rule_follows_the_rubric() {
        assert!(domain_ok("www.anping.gov.cn", Level::County));
        assert!(!domain_ok("anping.gov.cn", Level::County));
        assert!(domain_ok("fgj.shimen.gov.cn", Level::Department));
        assert!(!domain_ok("www.shimenfgj.com", Level::Department));
    }
}
