//! The plausibility pass: results that look like a misreading of the site rather than a fact about it are flagged
//! 需人工复核 (with the reason) for an assessor to confirm. The score is left exactly as computed — a flag never
//! changes a number — but a bulletin should not publish a flagged veto unread.
//!
//! What no real government site looks like, so that seeing it means the analysis probably misread the markup:
//! - more blank columns than the home page has navigation entries (detail pages taken for columns);
//! - one category seen far more often than any real site has it (every message of a board taken for a column);
//! - every list column of the site blank, or every list without one readable date (lists or dates not read);
//! - a home page with no navigation and no list the analysis could read.

use crate::analysis::SiteAnalysis;
use crate::results::{Review, SiteResult};
use std::collections::{BTreeMap, BTreeSet};

/// Columns of one category beyond which a site is implausible (news columns are more numerous on real sites).
const MAX_SAME_CATEGORY: usize = 8;
const MAX_NEWS: usize = 14;

pub fn review(a: &SiteAnalysis, r: &SiteResult) -> Vec<Review> {
    let mut out = Vec::new();
    let mut add = |check: &str, reason: String| out.push(Review { check: check.to_string(), reason });

    let nav: BTreeSet<String> = a
        .home_doc()
        .map(|h| h.links.iter().filter(|l| l.nav && !l.hidden).map(|l| l.href.to_string()).collect())
        .unwrap_or_default();
    let blank = r.columns.iter().filter(|c| c.blank).count();
    if blank >= 5 && blank > nav.len() {
        add(
            "blank_columns_exceed_navigation",
            format!("空白栏目{blank}个，多于首页导航入口数（{}个），可能把详情页误识别为栏目", nav.len()),
        );
    }

    let mut by_cat: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &r.columns {
        *by_cat.entry(c.category.as_str()).or_default() += 1;
    }
    for (cat, n) in by_cat {
        let max = if cat == "news" { MAX_NEWS } else { MAX_SAME_CATEGORY };
        if cat != "other" && n > max {
            add("category_repeated", format!("“{cat}”类栏目识别出{n}个，远多于实际网站，可能误识别"));
        }
    }

    let lists: Vec<_> = a.columns.iter().filter(|c| c.is_list() && !c.unknown).collect();
    if lists.len() >= 3 && lists.iter().all(|c| c.blank.is_some()) {
        add("all_lists_blank", format!("全部{}个列表栏目均为空白，可能未能读取列表结构", lists.len()));
    }
    let with_items: Vec<_> = lists.iter().filter(|c| !c.items.is_empty()).collect();
    if with_items.len() >= 3 && with_items.iter().all(|c| c.dated_items() == 0) {
        add("no_dates_read", format!("{}个列表栏目均未读出任何日期，可能未能识别日期格式", with_items.len()));
    }

    if let Some(h) = a.home_doc() {
        if nav.is_empty() && h.links.len() < 5 && a.home_items.is_empty() {
            add("home_unreadable", "首页未识别出导航和信息列表，可能页面由脚本生成或结构未能读取".to_string());
        }
    }
    out
}
