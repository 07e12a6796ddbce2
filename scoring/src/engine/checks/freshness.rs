//! Freshness and coverage checks: the home page and columns updated in time, none blank, none missing, items dated.
//!
//! Parameters and their placeholders: `config/src/check/freshness.rs`.

use super::{category_name, col_source, date_or_none, is_stale, judgeable_list, window_start, Occurrence, NONE_ZH};
use crate::analysis::site::Column;
use crate::analysis::{dates, SiteAnalysis};
use crate::engine::Ctx;
use gongkai_config::check::{
    BlankColumns, CategoryInactive, HomepageStale, MissingCategories, StaleColumns, StaleTerm, UndatedItems, Within,
};

pub(super) fn homepage_stale(p: &HomepageStale, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let Some(h) = a.home else { return Vec::new() };
    if !a.docs[h].ok() {
        return Vec::new();
    }
    let Some(start) = window_start(p.window, ctx) else { return Vec::new() };
    let newest = a.home_items.iter().filter_map(|i| i.date).max();
    let src = a.source(h);
    match newest {
        Some(d) if d >= start => Vec::new(),
        Some(d) => vec![Occurrence::new()
            .set("newest", dates::iso(d))
            .set("window", p.window.label_zh())
            .ev(&src, format!("首页链接信息最新日期 {}", dates::iso(d)))],
        None => {
            if !p.navigation_fallback {
                return vec![Occurrence::new()
                    .set("newest", NONE_ZH)
                    .set("window", p.window.label_zh())
                    .ev(&src, "首页没有带日期的信息")];
            }
            // navigation-only home page: judge the second-level columns
            let newest_col = a.columns.iter().filter(|c| judgeable_list(c)).filter_map(|c| c.newest).max();
            match newest_col {
                Some(d) if d >= start => Vec::new(),
                d => vec![Occurrence::new()
                    .set("newest", date_or_none(d))
                    .set("window", p.window.label_zh())
                    .ev(&src, format!("首页仅有导航，无带日期的信息；各栏目最新信息日期 {}", date_or_none(d)))],
            }
        }
    }
}

fn term_matches(t: &StaleTerm, c: &Column) -> bool {
    let cat_ok =
        t.categories.iter().any(|x| x == "*") || c.category.as_ref().is_some_and(|cat| t.categories.contains(cat));
    cat_ok && (!t.first_level_only || c.first_level)
}

pub(super) fn stale_columns(p: &StaleColumns, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for c in &a.columns {
        if p.count_blank && c.blank.is_some() {
            let reason = c.blank.clone().unwrap_or_default();
            out.push(
                Occurrence::new()
                    .set("column", c.name.clone())
                    .set("category", c.category.clone().unwrap_or_default())
                    .set("url", c.url.to_string())
                    .set("newest", NONE_ZH)
                    .set("window", "")
                    .ev(&col_source(a, c), format!("空白栏目：{reason}")),
            );
            continue;
        }
        if !judgeable_list(c) {
            continue;
        }
        let Some(term) = p.columns.iter().find(|t| term_matches(t, c)) else { continue };
        let Some(start) = window_start(term.window, ctx) else { continue };
        if is_stale(c, start) {
            let observed = match c.newest {
                Some(d) => format!("最新信息日期 {}（应不早于 {}）", dates::iso(d), dates::iso(start)),
                None => format!("首页{}条信息均无可识别日期", c.items.len()),
            };
            out.push(
                Occurrence::new()
                    .set("column", c.name.clone())
                    .set("category", c.category.clone().unwrap_or_default())
                    .set("url", c.url.to_string())
                    .set("newest", date_or_none(c.newest))
                    .set("window", term.window.label_zh())
                    .ev(&col_source(a, c), observed),
            );
        }
    }
    out
}

pub(super) fn blank_columns(p: &BlankColumns, a: &SiteAnalysis) -> Vec<Occurrence> {
    a.columns
        .iter()
        .filter(|c| c.blank.is_some())
        .filter(|c| p.categories.as_ref().is_none_or(|cats| c.category.as_ref().is_some_and(|x| cats.contains(x))))
        .map(|c| {
            let reason = c.blank.clone().unwrap_or_default();
            Occurrence::new()
                .set("column", c.name.clone())
                .set("url", c.url.to_string())
                .set("reason", reason.clone())
                .ev(&col_source(a, c), reason)
        })
        .collect()
}

pub(super) fn missing_categories(p: &MissingCategories, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let home = a.home_source();
    p.required_for(a.site.level)
        .iter()
        .filter(|cat| {
            !a.columns
                .iter()
                .any(|c| c.category.as_deref() == Some(cat.as_str()) && (p.within == Within::Site || c.on_platform))
        })
        .map(|cat| {
            let name = category_name(ctx, cat);
            let where_ = if p.within == Within::Platform { "政府信息公开专栏" } else { "网站" };
            Occurrence::new()
                .set("category", cat.clone())
                .set("category_name", name.clone())
                .ev(&home, format!("{where_}未发现“{name}”类栏目"))
        })
        .collect()
}

pub(super) fn category_inactive(p: &CategoryInactive, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let Some(start) = window_start(p.window, ctx) else { return Vec::new() };
    let mut out = Vec::new();
    for cat in &p.categories {
        let cols: Vec<&Column> = a.columns.iter().filter(|c| c.category.as_deref() == Some(cat.as_str())).collect();
        // an archived column we could not judge (not crawled) is not called inactive
        if cols.iter().any(|c| c.unknown) && !cols.iter().any(|c| c.newest.is_some()) {
            continue;
        }
        let newest = cols.iter().filter_map(|c| c.newest).max();
        if newest.is_some_and(|d| d >= start) {
            continue;
        }
        let name = category_name(ctx, cat);
        let (src, observed) = match cols.first() {
            Some(c) => (col_source(a, c), format!("栏目最新信息日期 {}", date_or_none(newest))),
            None => (a.home_source(), format!("未发现“{name}”类栏目")),
        };
        out.push(
            Occurrence::new()
                .set("category", cat.clone())
                .set("category_name", name)
                .set("newest", date_or_none(newest))
                .set("window", p.window.label_zh())
                .ev(&src, observed),
        );
    }
    out
}

pub(super) fn undated_items(p: &UndatedItems, a: &SiteAnalysis) -> Vec<Occurrence> {
    a.columns
        .iter()
        .filter(|c| judgeable_list(c) && !c.items.is_empty())
        .filter(|c| {
            let undated = c.items.len() - c.dated_items();
            undated as f64 > p.more_than_share * c.items.len() as f64
        })
        .map(|c| {
            let undated = c.items.len() - c.dated_items();
            Occurrence::new()
                .set("column", c.name.clone())
                .set("url", c.url.to_string())
                .set("undated", undated.to_string())
                .set("items", c.items.len().to_string())
                .ev(&col_source(a, c), format!("首页{}条信息中{}条无日期", c.items.len(), undated))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;

    fn with_column(name: &str, dir: &str, date: &str) -> TestSite {
        let it = items(dir, 3, date);
        TestSite::new()
            .page("/", home(&[(dir, name)], &[("/x/t1.html", "本县召开工作会议", "2025-11-18")], ""))
            .page(dir, list(name, &refs(&it)))
    }

    #[test]
    fn homepage_stale_when_no_home_item_is_recent() {
        let fresh = TestSite::new().page("/", home(&[], &[("/a.html", "本县召开工作会议", "2025-11-18")], ""));
        assert!(fresh.occurrences("veto.homepage_stale").is_empty());
        let stale = TestSite::new().page("/", home(&[], &[("/a.html", "本县召开工作会议", "2025-09-01")], ""));
        let o = stale.occurrences("veto.homepage_stale");
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].values["newest"], "2025-09-01");
    }

    #[test]
    fn stale_columns_judges_each_column_by_its_window() {
        assert!(with_column("政务动态", "/zwdt/", "2025-11-15").occurrences("publish.news_stale").is_empty());
        let o = with_column("政务动态", "/zwdt/", "2025-10-01").occurrences("publish.news_stale");
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].values["column"], "政务动态");
        assert_eq!(o[0].values["newest"], "2025-10-01");
        // a notice column of 2025-10-01 is within its six months
        assert!(with_column("通知公告", "/tzgg/", "2025-10-01").occurrences("publish.notice_stale").is_empty());
    }

    #[test]
    fn blank_columns_counts_placeholder_pages() {
        let blank = TestSite::new()
            .page("/", home(&[("/tzgg/", "通知公告")], &[("/x/t1.html", "本县召开工作会议", "2025-11-18")], ""))
            .page("/tzgg/", "<html><head><meta name=\"ColumnName\" content=\"通知公告\"></head><body><div class=\"nav\"><ul><li><a href=\"/\">首页</a></li></ul></div><p>暂无信息</p></body></html>");
        let o = blank.occurrences("publish.blank_column");
        assert_eq!(o.len(), 1, "{o:?}");
        assert_eq!(o[0].values["column"], "通知公告");
        assert!(with_column("通知公告", "/tzgg/", "2025-11-15").occurrences("publish.blank_column").is_empty());
    }

    #[test]
    fn missing_categories_names_what_no_column_shows() {
        let o = with_column("政务动态", "/zwdt/", "2025-11-15").occurrences("veto.no_consultation");
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].values["category"], "consultation");
        assert_eq!(o[0].values["category_name"], "政务咨询");
        assert!(with_column("县长信箱", "/xzxx/", "2025-11-15").occurrences("veto.no_consultation").is_empty());
    }

    #[test]
    fn category_inactive_when_missing_or_without_recent_items() {
        let none = with_column("政务动态", "/zwdt/", "2025-11-15").occurrences("interaction.collection_stale");
        assert_eq!(none.len(), 1);
        assert_eq!(none[0].values["newest"], "无");
        assert!(with_column("意见征集", "/yjzj/", "2025-06-01").occurrences("interaction.collection_stale").is_empty());
        let old = with_column("意见征集", "/yjzj/", "2024-06-01").occurrences("interaction.collection_stale");
        assert_eq!(old.len(), 1);
        assert_eq!(old[0].values["newest"], "2024-06-01");
    }

    #[test]
    fn undated_items_when_most_items_show_no_date() {
        let undated = TestSite::new()
            .page("/", home(&[("/tzgg/", "通知公告")], &[("/x/t1.html", "本县召开工作会议", "2025-11-18")], ""))
            .page(
                "/tzgg/",
                list(
                    "通知公告",
                    &[
                        ("/tzgg/1.html", "关于甲的通知", ""),
                        ("/tzgg/2.html", "关于乙的通知", ""),
                        ("/tzgg/3.html", "关于丙的通知", ""),
                        ("/tzgg/4.html", "关于丁的通知", "2025-11-01"),
                    ],
                ),
            );
        let o = undated.occurrences("publish.undated_items");
        assert_eq!(o.len(), 1, "{o:?}");
        assert_eq!((o[0].values["undated"].as_str(), o[0].values["items"].as_str()), ("3", "4"));
        assert!(with_column("通知公告", "/tzgg/", "2025-11-15").occurrences("publish.undated_items").is_empty());
    }
}
