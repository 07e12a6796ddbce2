//! The words reports show beside what results.json carries, and the ordering of findings by seriousness.
//!
//! Rubric words (rule titles, group and category names) are never written here: they come from the rubric file, via
//! the finding or column that carries them, so a province's own rubric shows its own titles. Level names come from
//! [`Level::label_zh`], grades from [`Grade`]. What is fixed vocabulary of the reports themselves lives here: finding
//! kinds (单项否决/扣分/加分) and list names (红榜/黑榜).

use gongkai_config::{Grade, Level};
use gongkai_scoring::{ColumnResult, Finding, FindingKind, ListKind, Results, SiteResult};
use std::cmp::Ordering;

/// Sort key for levels (province first), as the report page's level filter and sort use it.
pub(crate) fn level_order(level: Level) -> u8 {
    Level::ALL.iter().position(|l| *l == level).unwrap_or(Level::ALL.len()) as u8
}

/// A finding's title from the rubric file, or the rule id when the results carry none (an older results.json).
pub(crate) fn finding_title(f: &Finding) -> &str {
    if f.title.trim().is_empty() {
        &f.rule
    } else {
        &f.title
    }
}

/// The group a finding is listed under: its deduction group's name from the rubric file, else its kind (单项否决,
/// 扣分, 加分).
pub(crate) fn finding_group(f: &Finding) -> &str {
    match f.group_name.as_deref() {
        Some(name) if !name.trim().is_empty() => name,
        _ => kind_name(f.kind),
    }
}

/// The title of the veto `rule` of a site, from the site's veto finding of that rule; the id when it has none.
pub(crate) fn veto_title<'a>(site: &'a SiteResult, rule: &'a str) -> &'a str {
    site.findings.iter().find(|f| f.kind == FindingKind::Veto && f.rule == rule).map(finding_title).unwrap_or(rule)
}

/// A column's category name from the rubric file (通知公告; 其他), or the category id when the results carry none.
pub(crate) fn column_category(c: &ColumnResult) -> &str {
    if c.category_name.trim().is_empty() {
        &c.category
    } else {
        &c.category_name
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

/// 优秀 3, 良好 2, 合格 1, 不合格 0; 未检查 -1.
pub(crate) fn grade_order(grade: Grade) -> i8 {
    match grade {
        Grade::Excellent => 3,
        Grade::Good => 2,
        Grade::Pass => 1,
        Grade::Fail => 0,
        Grade::NotAssessed => -1,
    }
}

pub(crate) const GRADES: [Grade; 4] = Grade::EARNED;

pub(crate) fn grade_code(grade: Grade) -> &'static str {
    match grade {
        Grade::Excellent => "excellent",
        Grade::Good => "good",
        Grade::Pass => "pass",
        Grade::Fail => "fail",
        Grade::NotAssessed => "unassessed",
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
            title: rule.into(),
            advice: String::new(),
            group: None,
            group_name: None,
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

/// The columns of ranking.csv and of the xlsx 排名 sheet, in this one order. The first nine are fixed by the
/// contract (scripts read them by position; 单项否决 holds the veto rule ids); 否决项 beside them gives the same vetoes
/// by their Chinese titles. ranking.csv then adds the month-over-month columns when a comparison is given; both end
/// with [`crate::csv_out::STATUS_COLUMNS`].
pub(crate) const RANKING_COLUMNS: [&str; 14] = [
    "排名",
    "网站ID",
    "网站名称",
    "地区",
    "级别",
    "得分",
    "等次",
    "榜单",
    "单项否决",
    "否决项",
    "扣分后得分",
    "加分",
    "问题数",
    "网址",
];

/// A site's vetoes by their Chinese titles, in the order of `vetoes`, joined with `sep`.
pub(crate) fn veto_titles(site: &SiteResult, sep: &str) -> String {
    site.vetoes.iter().map(|rule| veto_title(site, rule)).collect::<Vec<_>>().join(sep)
}

/// The problems counted for a site (every finding but bonuses); `None` for a site never read and without a veto
/// (0 would read as "no problems").
pub(crate) fn problem_count(site: &SiteResult) -> Option<usize> {
    let n = site.findings.iter().filter(|f| f.kind != FindingKind::Bonus).count();
    (site.assessed() || n > 0).then_some(n)
}

/// The city a site belongs to (`region[1]`): 省本级 for a site whose region names the province only, 未标注地区 when
/// it names nothing.
pub(crate) fn city(region: &[String]) -> &str {
    match region {
        [] => "未标注地区",
        [_] => "省本级",
        [_, city, ..] => city,
    }
}

/// 合格率: the share of assessed sites whose grade is not 不合格 (vetoed sites are 不合格); sites not assessed are in
/// neither count. `None` when no site was assessed.
pub(crate) fn pass_rate(sites: &[&SiteResult]) -> Option<f64> {
    let assessed: Vec<_> = sites.iter().filter(|s| s.assessed()).collect();
    if assessed.is_empty() {
        return None;
    }
    let passed = assessed.iter().filter(|s| s.grade != Grade::Fail).count();
    Some(passed as f64 / assessed.len() as f64)
}

/// How reports state the 合格率 definition (xlsx 汇总 note, report page).
pub(crate) const PASS_RATE_NOTE: &str =
    "合格率 = 已检查网站中等次不是“不合格”的网站数 ÷ 已检查网站数（被单项否决的网站等次为不合格）；\
     未检查网站单独计数，不计入合格率、平均得分和等次统计。“平均得分（不含不合格）”只计等次为合格及以上的网站。";
