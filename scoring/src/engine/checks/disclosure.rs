//! 政务公开 checks: annual report, guide elements, statutory contents (条例 第20条), publication delay.
//!
//! Parameters and their placeholders: `config/src/check/disclosure.rs`.

use super::{col_source, Occurrence};
use crate::analysis::site::Column;
use crate::analysis::{dates, SiteAnalysis, Source};
use crate::engine::Ctx;
use chrono::Datelike;
use gongkai_config::check::{AnnualReport, GuideElements, PublicationDelay, StatutoryCoverage};
use gongkai_config::ColumnKind;
use regex::Regex;
use std::collections::BTreeSet;
use std::sync::LazyLock;

static REPORT_YEAR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"((?:19|20)\d{2})\s*年度?.*(?:年度报告|年报)").unwrap());

pub(super) fn annual_report(p: &AnnualReport, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let Some(md) = p.deadline.get(&a.site.level) else { return Vec::new() };
    let y = ctx.t0.year();
    let deadline = md.in_year(y);
    let cols: Vec<&Column> = a.columns.iter().filter(|c| c.category.as_deref() == Some(p.category.as_str())).collect();
    let report = cols
        .iter()
        .flat_map(|c| c.items.iter().map(move |i| (*c, i)))
        .find(|(_, i)| REPORT_YEAR.captures(&i.title).is_some_and(|cap| cap[1].parse::<i32>().ok() == Some(y - 1)));
    match report {
        None if ctx.t0 > deadline => {
            if cols.iter().any(|c| c.unknown) {
                return Vec::new();
            }
            let src = cols.first().map(|c| col_source(a, c)).unwrap_or_else(|| a.home_source());
            vec![Occurrence {
                outcome: Some("missing"),
                ..Occurrence::new()
                    .set("year", (y - 1).to_string())
                    .set("deadline", dates::iso(deadline))
                    .set("published", "未发布")
                    .ev(&src, format!("未发现{}年政府信息公开工作年度报告", y - 1))
            }]
        }
        Some((c, item)) => match item.date {
            Some(d) if d > deadline => {
                let src = match &item.url {
                    Some(u) => Source { url: u.clone(), warc: None },
                    None => col_source(a, c),
                };
                vec![Occurrence {
                    outcome: Some("late"),
                    ..Occurrence::new()
                        .set("year", (y - 1).to_string())
                        .set("deadline", dates::iso(deadline))
                        .set("published", format!("{}发布", dates::iso(d)))
                        .ev(&src, format!("“{}”发布日期 {}，晚于 {}", item.title, dates::iso(d), dates::iso(deadline)))
                }]
            }
            _ => Vec::new(),
        },
        None => Vec::new(),
    }
}

pub(super) fn guide_elements(p: &GuideElements, a: &SiteAnalysis) -> Vec<Occurrence> {
    let pages: Vec<usize> = a
        .columns
        .iter()
        .filter(|c| c.category.as_deref() == Some(p.category.as_str()))
        .filter_map(|c| c.page)
        .filter(|&i| a.docs[i].ok())
        .collect();
    let Some(&first) = pages.first() else { return Vec::new() };
    let text: String = pages.iter().map(|&i| a.docs[i].main_text.as_str()).collect::<Vec<_>>().join(" ");
    let src = a.source(first);
    p.elements
        .iter()
        .filter(|e| !e.found_in(&text))
        .map(|e| {
            Occurrence::new()
                .set("element", e.name.clone())
                .set("url", src.url.to_string())
                .ev(&src, format!("指南中未见“{}”", e.name))
        })
        .collect()
}

pub(super) fn statutory_coverage(p: &StatutoryCoverage, a: &SiteAnalysis) -> Vec<Occurrence> {
    let Some(root) = &a.platform_root else {
        // no platform at all: every clause is uncovered
        let src = a.home_source();
        return p
            .items
            .iter()
            .map(|i| {
                Occurrence::new()
                    .set("clause", i.clause.clone())
                    .set("title", i.title.clone())
                    .ev(&src, "未发现政府信息公开专栏")
            })
            .collect();
    };
    let mut names: Vec<String> = a.columns.iter().filter(|c| c.on_platform).map(|c| c.name.clone()).collect();
    for c in a.columns.iter().filter(|c| c.on_platform && matches!(c.kind, ColumnKind::Container)) {
        if let Some(pg) = c.page {
            // the container's own list names its sub-columns (not every link of the page: a menu without
            // navigation markup would lend the platform the main site's column names)
            names.extend(a.docs[pg].list.items.iter().map(|i| i.title.clone()));
        }
    }
    let src = Source { url: root.clone(), warc: None };
    p.items
        .iter()
        .filter(|i| !i.keywords.iter().any(|k| names.iter().any(|n| n.contains(k.as_str()))))
        .map(|i| {
            Occurrence::new()
                .set("clause", i.clause.clone())
                .set("title", i.title.clone())
                .ev(&src, format!("专栏栏目中未见第二十条{}相关栏目", i.clause))
        })
        .collect()
}

pub(super) fn publication_delay(p: &PublicationDelay, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for d in &a.documents {
        if !seen.insert(d.source.url.to_string()) {
            continue;
        }
        if p.limit.exceeded(d.written, d.published, ctx.calendar).unwrap_or(false) {
            out.push(
                Occurrence::new()
                    .set("title", d.title.clone())
                    .set("url", d.source.url.to_string())
                    .set("written", dates::iso(d.written))
                    .set("published", dates::iso(d.published))
                    .set("limit", p.limit.label_zh())
                    .ev(&d.source, format!("成文日期 {}，发布日期 {}", dates::iso(d.written), dates::iso(d.published))),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;

    fn with_reports(titles: &[(&str, &str)]) -> TestSite {
        let rows: Vec<(String, String, String)> = titles
            .iter()
            .enumerate()
            .map(|(i, (t, d))| (format!("/gknb/{i}.html"), t.to_string(), d.to_string()))
            .collect();
        TestSite::new()
            .page("/", home(&[("/gknb/", "政府信息公开年报")], &[("/x/t1.html", "本县召开工作会议", "2025-11-18")], ""))
            .page("/gknb/", list("政府信息公开年报", &refs(&rows)))
    }

    #[test]
    fn annual_report_missing_late_or_on_time() {
        // T0 2025-11-20 is past the county deadline 03-31: the 2024 report is due
        let missing = with_reports(&[("测试县2023年政府信息公开工作年度报告", "2024-03-20")])
            .occurrences("disclosure.annual_report");
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].outcome, Some("missing"));
        let late = with_reports(&[("测试县2024年政府信息公开工作年度报告", "2025-04-10")])
            .occurrences("disclosure.annual_report");
        assert_eq!(late.len(), 1);
        assert_eq!(late[0].outcome, Some("late"));
        assert!(with_reports(&[("测试县2024年政府信息公开工作年度报告", "2025-03-28")])
            .occurrences("disclosure.annual_report")
            .is_empty());
    }

    #[test]
    fn guide_elements_lists_what_the_guide_lacks() {
        let guide = |body: &str| {
            TestSite::new()
                .page("/", home(&[("/gkzn/", "政府信息公开指南")], &[("/x/t1.html", "本县召开工作会议", "2025-11-18")], ""))
                .page("/gkzn/", format!("<html><head><meta name=\"ColumnName\" content=\"政府信息公开指南\"></head><body><div class=\"nav\"><ul><li><a href=\"/\">首页</a></li></ul></div><div class=\"content\">{body}</div></body></html>"))
        };
        let full = "一、分类与编排体系 二、获取方式 三、办公地址：测试县政府大楼 办公时间：工作日 联系电话：0838-1234567 传真：0838-1234568 电子邮箱：gk@test.gov.cn";
        assert!(guide(full).occurrences("disclosure.guide_elements").is_empty());
        let o = guide(&full.replace("传真：0838-1234568 ", "")).occurrences("disclosure.guide_elements");
        assert_eq!(o.len(), 1, "{o:?}");
        assert_eq!(o[0].values["element"], "传真");
        // no guide page at all: another rule covers it
        let none = TestSite::new().page("/", home(&[], &[("/x/t1.html", "本县召开工作会议", "2025-11-18")], ""));
        assert!(none.occurrences("disclosure.guide_elements").is_empty());
    }

    #[test]
    fn statutory_coverage_without_a_platform_misses_every_clause() {
        let none = TestSite::new().page("/", home(&[], &[("/x/t1.html", "本县召开工作会议", "2025-11-18")], ""));
        let o = none.occurrences("disclosure.statutory_coverage");
        assert_eq!(o.len(), 14);
        assert_eq!(o[0].values["clause"], "（一）");
    }

    #[test]
    fn publication_delay_counts_working_days_from_the_calendar() {
        let site = TestSite::new()
            .page(
                "/",
                home(&[("/zcwj/", "政策文件")], &[("/zcwj/t20251024_1.html", "关于印发办法的通知", "2025-10-24")], ""),
            )
            .page(
                "/zcwj/",
                list(
                    "政策文件",
                    &[
                        ("/zcwj/t20251024_1.html", "关于印发办法的通知", "2025-10-24"),
                        ("/zcwj/t20251027_2.html", "关于印发规定的通知", "2025-10-27"),
                    ],
                ),
            )
            // 2025-09-22 → 2025-10-24: 20 working days across 国庆 (on time); → 2025-10-27: 21 (late)
            .page("/zcwj/t20251024_1.html", article("关于印发办法的通知", "2025-09-22", "2025-10-24", ""))
            .page("/zcwj/t20251027_2.html", article("关于印发规定的通知", "2025-09-22", "2025-10-27", ""));
        let o = site.occurrences("disclosure.timeliness");
        assert_eq!(o.len(), 1, "{o:?}");
        assert_eq!(o[0].values["published"], "2025-10-27");
    }
}
