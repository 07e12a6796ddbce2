//! Ground truth of the family province, computed from the family model with RUBRIC.md's definitions (never by running
//! or reading the scorer). Points, caps and group caps are RUBRIC.md's table (`crate::truth::DEDUCTIONS`); the
//! statutory keyword map is the rubric data file's table, copied below.
//!
//! Decisions where RUBRIC.md leaves room (also in the truth's notes):
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
use crate::model::{Category, ItemExtra, Place};
use crate::truth::{weekdays_between, Assessment, ColumnTruth, FindingTruth, IdentityTruth, DEDUCTIONS, GROUP_CAPS};
use chrono::{Datelike, Days, Months, NaiveDate};
use gongkai_config::Level;
use std::collections::BTreeMap;

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

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

pub fn newest(s: &FSite, c: &FCol) -> Option<NaiveDate> {
    if c.is_blank() {
        return None;
    }
    layout::first_page(s, c).iter().filter_map(|i| i.date).max()
}

/// RUBRIC.md "stale": a list column (not blank) whose newest date is before `start`, or with items but none dated.
pub fn stale(s: &FSite, c: &FCol, start: NaiveDate) -> bool {
    if !c.is_list() || c.is_blank() {
        return false;
    }
    match newest(s, c) {
        None => true,
        Some(d) => d < start,
    }
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

/// RUBRIC.md `design.domain`.
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

pub fn annual_deadline(level: Level, y: i32) -> NaiveDate {
    crate::gen::annual_deadline(level, y)
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
    let d14 = t0 - Days::new(14);
    let m3 = t0.checked_sub_months(Months::new(3)).unwrap();
    let m6 = t0.checked_sub_months(Months::new(6)).unwrap();
    let m12 = t0.checked_sub_months(Months::new(12)).unwrap();
    let y365 = t0 - Days::new(365);
    let home = FamilyProvince::home_url(s);
    let cols = &s.columns;
    let cu = |c: &FCol| FamilyProvince::col_url(s, c);
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
    let first_news = cols.iter().find(|c| c.category == Category::News);
    let mut home_dates: Vec<NaiveDate> = vec![];
    for (c, n) in [(first_news, 6), (s.column(Category::Notice), 6), (s.column(Category::Policy), 5)] {
        if let Some(c) = c {
            home_dates.extend(c.items.iter().take(n).filter_map(|i| i.date));
        }
    }
    if !home_dates.iter().any(|d| *d >= d14) {
        vetoes.push(("veto.homepage_stale".into(), vec![home.clone()]));
    }
    let news_stale: Vec<&FCol> = cols.iter().filter(|c| c.category == Category::News && stale(s, c, d14)).collect();
    let np_stale: Vec<&FCol> = cols
        .iter()
        .filter(|c| matches!(c.category, Category::Notice | Category::Policy) && c.first_level && stale(s, c, m6))
        .collect();
    if news_stale.len() + np_stale.len() >= 5 {
        vetoes.push(("veto.columns_stale".into(), news_stale.iter().chain(np_stale.iter()).map(|c| cu(c)).collect()));
    }
    let blank: Vec<&FCol> = cols.iter().filter(|c| c.is_blank()).collect();
    let long_stale: Vec<&FCol> = cols
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
    let messages: Vec<(NaiveDate, Option<NaiveDate>, String)> = cols
        .iter()
        .filter(|c| c.category == Category::Consultation)
        .flat_map(|c| c.items.iter().map(move |i| (c, i)))
        .filter_map(|(c, i)| match i.extra {
            ItemExtra::Message { posted, replied } => Some((posted, replied, FamilyProvince::art_url(s, c, i))),
            _ => None,
        })
        .collect();
    let unanswered: Vec<String> = messages
        .iter()
        .filter(|(p, r, _)| {
            *p >= y365
                && match r {
                    None => *p < t0 - Days::new(90),
                    Some(r) => (*r - *p).num_days() > 90,
                }
        })
        .map(|m| m.2.clone())
        .collect();
    if !unanswered.is_empty() {
        vetoes.push(("veto.unanswered".into(), unanswered));
    }
    if !s.has(Category::Service) {
        vetoes.push(("veto.no_service".into(), vec![]));
    }
    let future: Vec<String> = cols
        .iter()
        .flat_map(|c| c.items.iter().map(move |i| (c, i)))
        .filter(|(_, i)| i.date.is_some_and(|d| d > t0 + Days::new(1)))
        .map(|(c, i)| FamilyProvince::art_url(s, c, i))
        .collect();
    if !future.is_empty() {
        vetoes.push(("veto.future_dates".into(), future));
    }
    if s.spam {
        vetoes.push(("veto.hidden_links".into(), vec![home.clone()]));
    }

    // Publish.
    add("publish.news_stale", news_stale.len() as u32, news_stale.iter().map(|c| cu(c)).collect());
    let notice_stale: Vec<String> =
        cols.iter().filter(|c| c.category == Category::Notice && stale(s, c, m6)).map(cu).collect();
    add("publish.notice_stale", notice_stale.len() as u32, notice_stale);
    let policy_stale: Vec<String> =
        cols.iter().filter(|c| c.category == Category::Policy && c.first_level && stale(s, c, m6)).map(cu).collect();
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
        .map(cu)
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
            let fp = layout::first_page(s, c);
            fp.iter().filter(|i| i.date.is_none()).count() * 2 > fp.len()
        })
        .map(cu)
        .collect();
    add("publish.undated_items", undated.len() as u32, undated);

    // Disclosure.
    let platform_missing = [Category::Guide, Category::System, Category::Statutory, Category::AnnualReport]
        .iter()
        .filter(|c| !cols.iter().any(|x| x.category == **c && x.place == Place::Platform))
        .count();
    add("disclosure.platform_column", platform_missing as u32, vec![]);
    let y = t0.year();
    let deadline = annual_deadline(s.level, y);
    if t0 > deadline {
        let report = cols
            .iter()
            .filter(|c| c.category == Category::AnnualReport)
            .flat_map(|c| c.items.iter().map(move |i| (c, i)))
            .find(|(_, i)| i.extra == ItemExtra::AnnualReport { year: y - 1 });
        match report {
            None => add("disclosure.annual_report", 1, vec![]),
            Some((c, r)) if r.date.unwrap() > deadline => {
                add("disclosure.annual_report_late", 1, vec![FamilyProvince::art_url(s, c, r)])
            }
            _ => {}
        }
    }
    if let Some(g) = s.column(Category::Guide) {
        add("disclosure.guide_elements", s.guide_missing.len() as u32, vec![cu(g)]);
    }
    let names = platform_names(s);
    let uncovered =
        STATUTORY_KEYWORDS.iter().filter(|kws| !names.iter().any(|n| kws.iter().any(|k| n.contains(k)))).count();
    add("disclosure.statutory_coverage", uncovered as u32, vec![]);
    let mut late_docs = vec![];
    for c in cols {
        for it in &c.items {
            if let (Some(doc), Some(d)) = (&it.doc, it.date) {
                if weekdays_between(doc.written, d) > 20 {
                    late_docs.push(FamilyProvince::art_url(s, c, it));
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
        let newest_reply = messages.iter().filter_map(|m| m.1).max();
        if newest_reply.map_or(true, |r| r < t0 - Days::new(60)) {
            add("interaction.replies_stale", 1, vec![cu(c)]);
        }
        let late: Vec<String> = messages
            .iter()
            .filter(|(p, r, _)| *p >= y365 && r.is_some_and(|r| weekdays_between(*p, r) > 20))
            .map(|m| m.2.clone())
            .collect();
        add("interaction.late_reply", late.len() as u32, late);
    }
    for (cat, rule) in
        [(Category::Collection, "interaction.collection_stale"), (Category::Interview, "interaction.interview_stale")]
    {
        if !cols.iter().any(|c| c.category == cat && newest(s, c).is_some_and(|d| d >= m12)) {
            add(rule, 1, vec![]);
        }
    }

    // Service.
    if let Some(sv) = s.column(Category::Service) {
        if sv.entry_broken {
            add("service.entry_broken", 1, vec![cu(sv)]);
        }
    }
    if !cols.iter().any(|c| c.category == Category::ServiceStats && newest(s, c).is_some_and(|d| d >= m3)) {
        add("service.stats_stale", 1, vec![]);
    }

    // Design.
    let (bh, be) = broken_links(s);
    add("design.broken_links_home", bh.len() as u32, bh);
    add("design.broken_links_site", be.len() as u32, be);
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
    add("design.identity", identity_missing as u32, vec![home.clone()]);
    if f.error_entry.is_none() {
        add("design.error_entry", 1, vec![home.clone()]);
    }
    if !s.search {
        add("design.search", 1, vec![home.clone()]);
    }
    if !domain_ok(&s.host, s.level) {
        add("design.domain", 1, vec![home.clone()]);
    }
    let privacy: Vec<String> = cols
        .iter()
        .flat_map(|c| {
            c.items.iter().filter(|i| i.exposes_id || i.exposes_card).map(move |i| FamilyProvince::art_url(s, c, i))
        })
        .collect();
    add("security.privacy", privacy.len() as u32, privacy);

    // Points, caps, groups.
    let mut findings = vec![];
    let mut groups: BTreeMap<String, f64> = GROUP_CAPS.iter().map(|(g, _)| (g.to_string(), 0.0)).collect();
    for (rule, (n, ev)) in &occ {
        let (_, group, per, cap) = DEDUCTIONS.iter().find(|d| d.0 == *rule).unwrap();
        let pts = round2((*n as f64 * per).min(*cap));
        let name = if *rule == "disclosure.annual_report_late" { "disclosure.annual_report" } else { rule };
        *groups.get_mut(*group).unwrap() += pts;
        findings.push(FindingTruth {
            rule: name.to_string(),
            kind: "deduction".into(),
            occurrences: *n,
            points: pts,
            evidence: ev.clone(),
        });
    }
    let mut lost = 0.0;
    for (g, cap) in GROUP_CAPS {
        let v = groups.get_mut(g).unwrap();
        *v = round2(v.min(cap));
        lost += *v;
    }
    let deduction_score = round2(100.0 - lost);
    let mut bonus = 0.0;
    if s.accessibility.is_some() && deduction_score > 80.0 {
        bonus += 2.0;
        findings.push(FindingTruth {
            rule: "bonus.accessibility".into(),
            kind: "bonus".into(),
            occurrences: 1,
            points: 2.0,
            evidence: vec![home.clone()],
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
            site_code: f.site_code.as_ref().map(|c| c.0.clone()),
            icp: f.icp.as_ref().map(|c| c.1.clone()),
            police: f.police.as_ref().map(|c| c.1.clone()),
            badge: f.badge.is_some(),
            sponsor: f.sponsor.as_ref().map(|c| c.0.clone()),
            contact: f.contact.is_some(),
            error_entry: f.error_entry.is_some(),
        },
    }
}

/// Ground-truth notes.
pub fn notes() -> Vec<String> {
    vec![
        "CMS-family province: findings computed from the family model with RUBRIC.md's definitions (independent oracle), never by running the scorer.".into(),
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
