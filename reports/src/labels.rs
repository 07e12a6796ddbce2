//! Chinese names for what results.json carries as ids (levels, rule ids, finding kinds, lists), and the ordering of
//! findings by seriousness. Rule titles follow RUBRIC.md's default rubric; a rule id this table does not know (a
//! province's own rubric) is shown as its id, and the finding's own message always accompanies it.

use gongkai_scoring::{Finding, FindingKind, ListKind, Results, SiteResult};
use std::cmp::Ordering;

/// 省级 / 市级 / 县级 / 乡镇 / 部门; unknown levels as given.
pub fn level_name(level: &str) -> &str {
    match level {
        "province" => "省级",
        "city" => "市级",
        "county" => "县级",
        "township" => "乡镇",
        "department" => "部门",
        other => other,
    }
}

/// Sort key for levels (province first), unknown last.
pub(crate) fn level_order(level: &str) -> u8 {
    match level {
        "province" => 0,
        "city" => 1,
        "county" => 2,
        "township" => 3,
        "department" => 4,
        _ => 5,
    }
}

/// The short Chinese title of a rule of the default rubric, or `None` for a rule this table does not know.
pub fn rule_title(rule: &str) -> Option<&'static str> {
    Some(match rule {
        "veto.unreachable" => "网站无法访问",
        "veto.homepage_stale" => "首页长期未更新",
        "veto.columns_stale" => "动态、通知公告、政策文件类栏目长期未更新",
        "veto.columns_long_stale" => "栏目长期未更新或空白",
        "veto.blank_columns" => "空白栏目过多",
        "veto.no_consultation" => "无政务咨询渠道",
        "veto.unanswered" => "留言长期未回复",
        "veto.no_service" => "无办事服务入口",
        "veto.future_dates" => "伪造发稿日期",
        "veto.hidden_links" => "存在暗链（网站被篡改）",
        "publish.news_stale" => "政务动态栏目未及时更新",
        "publish.notice_stale" => "通知公告栏目未及时更新",
        "publish.policy_stale" => "政策文件栏目未及时更新",
        "publish.periodic_stale" => "解读、人事、规划、财政、统计类栏目未及时更新",
        "publish.blank_column" => "空白栏目",
        "publish.missing_column" => "缺少必备栏目",
        "publish.undated_items" => "栏目信息未标注发布日期",
        "disclosure.platform_column" => "政府信息公开平台缺少一级栏目",
        "disclosure.annual_report" => "政府信息公开年报缺失或逾期",
        "disclosure.guide_elements" => "政府信息公开指南要素不全",
        "disclosure.statutory_coverage" => "法定主动公开内容不全",
        "disclosure.timeliness" => "信息公开超过20个工作日",
        "disclosure.no_application" => "无依申请公开页面",
        "interaction.replies_stale" => "留言答复超过2个月未更新",
        "interaction.late_reply" => "留言答复超过20个工作日",
        "interaction.collection_stale" => "意见征集栏目缺失或未更新",
        "interaction.interview_stale" => "在线访谈栏目缺失或未更新",
        "service.entry_broken" => "办事服务入口无法访问",
        "service.stats_stale" => "办件统计未及时更新",
        "design.availability" => "首页可用性不足",
        "design.broken_links_home" => "首页存在错链断链",
        "design.broken_links_site" => "网站存在错链断链",
        "design.identity" => "网站标识要素缺失",
        "design.error_entry" => "无“我为政府网站找错”入口",
        "design.search" => "无站内搜索",
        "design.domain" => "域名不规范",
        "security.privacy" => "泄露个人隐私信息",
        "bonus.https" => "支持HTTPS加密访问",
        "bonus.accessibility" => "提供无障碍或适老化服务",
        "bonus.manual" => "人工调整",
        _ => return None,
    })
}

/// The Chinese name of a canonical column category (DOMAIN.md), or the category id.
pub fn category_name(category: &str) -> &str {
    match category {
        "news" => "政务动态",
        "notice" => "通知公告",
        "policy" => "政策文件",
        "interpretation" => "政策解读",
        "overview" => "概况信息",
        "functions" => "机构职能",
        "leaders" => "领导信息",
        "personnel" => "人事信息",
        "plan" => "规划计划",
        "finance" => "财政预决算",
        "statistics" => "统计信息",
        "guide" => "政府信息公开指南",
        "system" => "政府信息公开制度",
        "statutory" => "法定主动公开内容",
        "annual_report" => "政府信息公开年报",
        "application" => "依申请公开",
        "consultation" => "政务咨询",
        "collection" => "征集调查",
        "interview" => "在线访谈",
        "service" => "办事服务",
        "error_report" => "我为政府网站找错",
        other => other,
    }
}

/// The rule's title, or the rule id itself when the table does not know it.
pub(crate) fn rule_label(rule: &str) -> String {
    rule_title(rule).map(str::to_string).unwrap_or_else(|| rule.to_string())
}

/// The rubric group of a rule id (`publish.news_stale` → 发布解读).
pub(crate) fn group_name(rule: &str) -> &str {
    match rule.split('.').next().unwrap_or("") {
        "veto" => "单项否决",
        "publish" => "发布解读",
        "disclosure" => "政务公开",
        "interaction" => "互动交流",
        "service" => "办事服务",
        "design" => "功能设计",
        "security" => "安全",
        "bonus" => "加分",
        _ => "其他",
    }
}

pub(crate) fn kind_name(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Veto => "单项否决",
        FindingKind::Deduction => "扣分",
        FindingKind::Bonus => "加分",
    }
}

pub(crate) fn kind_code(kind: FindingKind) -> &'static str {
    match kind {
        FindingKind::Veto => "veto",
        FindingKind::Deduction => "deduction",
        FindingKind::Bonus => "bonus",
    }
}

pub(crate) fn list_name(list: Option<ListKind>) -> &'static str {
    match list {
        Some(ListKind::Red) => "红榜",
        Some(ListKind::Black) => "黑榜",
        None => "",
    }
}

pub(crate) fn list_code(list: Option<ListKind>) -> &'static str {
    match list {
        Some(ListKind::Red) => "red",
        Some(ListKind::Black) => "black",
        None => "",
    }
}

/// 优秀 3, 良好 2, 合格 1, 不合格 0; unknown grades -1.
pub(crate) fn grade_order(grade: &str) -> i8 {
    match grade {
        "优秀" => 3,
        "良好" => 2,
        "合格" => 1,
        "不合格" => 0,
        _ => -1,
    }
}

pub(crate) const GRADES: [&str; 4] = ["优秀", "良好", "合格", "不合格"];

pub(crate) fn grade_code(grade: &str) -> &'static str {
    match grade {
        "优秀" => "excellent",
        "良好" => "good",
        "合格" => "pass",
        "不合格" => "fail",
        gongkai_scoring::NOT_ASSESSED_GRADE => "unassessed",
        _ => "unknown",
    }
}

/// Most serious first: vetoes, then deductions by points (largest first), then bonuses; ties by rule id and message
/// so the order never depends on the scorer's.
pub(crate) fn seriousness(a: &Finding, b: &Finding) -> Ordering {
    a.kind
        .cmp(&b.kind)
        .then_with(|| b.points.partial_cmp(&a.points).unwrap_or(Ordering::Equal))
        .then_with(|| a.rule.cmp(&b.rule))
        .then_with(|| a.message.cmp(&b.message))
}

/// A site's findings, most serious first.
pub(crate) fn findings_by_seriousness(site: &SiteResult) -> Vec<&Finding> {
    let mut v: Vec<&Finding> = site.findings.iter().collect();
    v.sort_by(|a, b| seriousness(a, b));
    v
}

/// `四川省/成都市/金牛区`.
pub(crate) fn region_path(region: &[String]) -> String {
    region.join("/")
}

/// How many leading region parts to group by for "scores by region": the first depth at which the sites differ
/// (a province's run groups by city, a city's by county), at least 1.
pub(crate) fn region_group_depth(results: &Results) -> usize {
    let max = results.sites.iter().map(|s| s.region.len()).max().unwrap_or(0);
    for depth in 0..max {
        let first = results.sites.first().and_then(|s| s.region.get(depth));
        if results.sites.iter().any(|s| s.region.get(depth) != first) {
            return depth + 1;
        }
    }
    max.max(1)
}

/// The group label of a site at `depth` (`成都市`), or 未标注地区 when the site's region is shorter.
pub(crate) fn region_group(region: &[String], depth: usize) -> (String, String) {
    if region.len() < depth || depth == 0 {
        let path = region_path(region);
        let label = region.last().cloned().unwrap_or_else(|| "未标注地区".to_string());
        return (if path.is_empty() { String::new() } else { format!("{path}/") }, label);
    }
    let prefix = &region[..depth];
    (format!("{}/", region_path(prefix)), prefix[depth - 1].clone())
}

/// `2026-10-31T23:59:59+08:00` → (2026, 10, 31) in Asia/Shanghai; `None` when it does not parse.
pub(crate) fn shanghai_date(rfc3339: &str) -> Option<chrono::NaiveDate> {
    let t = chrono::DateTime::parse_from_rfc3339(rfc3339).ok()?;
    Some(t.with_timezone(&chrono_tz::Asia::Shanghai).date_naive())
}

/// `2026年10月31日`, or the text as given when it is not RFC 3339.
pub(crate) fn chinese_date(rfc3339: &str) -> String {
    match shanghai_date(rfc3339) {
        Some(d) => d.format("%Y年%-m月%-d日").to_string(),
        None => rfc3339.to_string(),
    }
}

/// `2026年10月31日 23:59`, or the text as given.
pub(crate) fn chinese_datetime(rfc3339: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(rfc3339) {
        Ok(t) => t.with_timezone(&chrono_tz::Asia::Shanghai).format("%Y年%-m月%-d日 %H:%M").to_string(),
        Err(_) => rfc3339.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongkai_scoring::Evidence;

    fn f(kind: FindingKind, points: f64, rule: &str) -> Finding {
        Finding {
            rule: rule.into(),
            kind,
            points,
            occurrences: 1,
            message: String::new(),
            evidence: Vec::<Evidence>::new(),
        }
    }

    #[test]
    fn vetoes_come_first_then_biggest_deductions_then_bonus() {
        let mut v = [
            f(FindingKind::Bonus, 2.0, "bonus.https"),
            f(FindingKind::Deduction, 1.0, "design.search"),
            f(FindingKind::Deduction, 5.0, "publish.policy_stale"),
            f(FindingKind::Veto, 0.0, "veto.no_service"),
            f(FindingKind::Deduction, 1.0, "a.first"),
        ];
        v.sort_by(seriousness);
        let rules: Vec<_> = v.iter().map(|f| f.rule.as_str()).collect();
        assert_eq!(rules, ["veto.no_service", "publish.policy_stale", "a.first", "design.search", "bonus.https"]);
    }

    #[test]
    fn region_grouping_uses_first_differing_level() {
        let mut r = crate::synthetic::results(30, 3);
        assert_eq!(region_group_depth(&r), 2, "synthetic province groups by city");
        for s in &mut r.sites {
            s.region = vec!["四川省".into(), "成都市".into(), s.id.clone()];
        }
        assert_eq!(region_group_depth(&r), 3);
        let (prefix, label) = region_group(&["四川省".into(), "成都市".into()], 2);
        assert_eq!((prefix.as_str(), label.as_str()), ("四川省/成都市/", "成都市"));
        let (prefix, label) = region_group(&[], 2);
        assert_eq!((prefix.as_str(), label.as_str()), ("", "未标注地区"));
    }

    #[test]
    fn dates_in_shanghai() {
        assert_eq!(chinese_date("2026-10-31T23:59:59+08:00"), "2026年10月31日");
        assert_eq!(chinese_date("2026-10-31T16:00:00Z"), "2026年11月1日");
        assert_eq!(chinese_date("garbage"), "garbage");
        assert_eq!(chinese_datetime("2026-11-01T01:02:03+08:00"), "2026年11月1日 01:02");
    }
}
