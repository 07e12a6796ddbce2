//! The rubric: what is checked and what it costs, as data (docs/rules.md).
//!
//! A rubric file has these parts (see `rubrics/default.toml`, which is commented for the people who edit it):
//! - `[rubric]`: id, version, name;
//! - `[parameters]`: engine-wide numbers (probe timeout, score bounds, grades, bonus gate, red list);
//! - `[columns]`: words that mark a blank column (暂无信息 …);
//! - `[[category]]`: the canonical column categories with the names, name patterns, URL path segments and exclusions
//!   that recognise them (docs/site-understanding.md's synonym table);
//! - `[identity.<element>]`: how each footer identity element is recognised;
//! - `[[group]]`: deduction groups with their caps;
//! - `[[rule]]`: veto, deduction and bonus rules; each names a [`Check`] (the closed vocabulary in [`crate::check`]) and
//!   gives that check's parameters as further keys.
//!
//! Loading validates everything a generic engine relies on, so that scoring never meets an unknown check, an unknown
//! category, a rule without a group, or points it cannot interpret: each such mistake is a [`ConfigError`] with file,
//! line, column and field (see [`load`](self::load)).

mod load;

pub use load::RULE_KEYS;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::check::{Check, IdentityKey};
use crate::pattern::Pattern;
use crate::period::Period;
use crate::site::Level;

/// A loaded, validated rubric.
#[derive(Debug, Clone, Serialize)]
pub struct Rubric {
    /// The file it came from (for messages).
    pub file: String,
    pub info: RubricInfo,
    pub parameters: Parameters,
    pub columns: ColumnWords,
    pub categories: Vec<Category>,
    pub identity: BTreeMap<IdentityKey, IdentityElement>,
    pub groups: Vec<Group>,
    /// The word lists of the content checks (`[lexicons]`, or the shipped ones).
    #[serde(skip)]
    pub lexicons: crate::lexicon::Lexicons,
    pub rules: Vec<Rule>,
}

/// `[rubric]`: which rubric this is (recorded in results.json `assessment.rubric`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RubricInfo {
    pub id: String,
    pub version: String,
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
}

/// A grade (docs/rules.md Result), written in Chinese in files and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize)]
pub enum Grade {
    #[serde(rename = "优秀")]
    Excellent,
    #[serde(rename = "良好")]
    Good,
    #[serde(rename = "合格")]
    Pass,
    #[serde(rename = "不合格")]
    Fail,
    /// A site that could not be read (results.json `status = "not_assessed"`): never a grade a score earns.
    #[serde(rename = "未检查")]
    NotAssessed,
}

impl Grade {
    /// The grades a score earns, best first (without [`Grade::NotAssessed`]).
    pub const EARNED: [Grade; 4] = [Grade::Excellent, Grade::Good, Grade::Pass, Grade::Fail];

    /// The grade written `label` (优秀 …), as in results.json.
    pub fn parse(label: &str) -> Option<Grade> {
        [Grade::Excellent, Grade::Good, Grade::Pass, Grade::Fail, Grade::NotAssessed]
            .into_iter()
            .find(|g| g.label_zh() == label)
    }

    /// How the grade is written in files (results.json, rubric files): its Chinese name.
    pub fn as_str(self) -> &'static str {
        self.label_zh()
    }

    pub fn label_zh(self) -> &'static str {
        match self {
            Grade::Excellent => "优秀",
            Grade::Good => "良好",
            Grade::Pass => "合格",
            Grade::Fail => "不合格",
            Grade::NotAssessed => "未检查",
        }
    }
}

impl std::fmt::Display for Grade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label_zh())
    }
}

/// `[parameters.red_list]`: the best sites of a group: grade at least `grade`, at most the top `top_share` of the
/// group, and at least `min_sites` (when any site reaches the grade).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RedList {
    pub grade: Grade,
    pub top_share: f64,
    pub min_sites: u32,
}

/// `[parameters]`: engine-wide numbers.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Parameters {
    /// A probe fails without a complete 2xx response within this time (official: 15 s). Clock units only.
    pub probe_timeout: Period,
    /// How many times a link is tried before it counts as broken.
    pub link_attempts: u32,
    /// The deduction score starts here (100).
    pub deduction_total: f64,
    /// The bonus never exceeds this (30).
    pub bonus_max: f64,
    /// The bonus counts only when deduction_score is strictly above this (80, official).
    pub bonus_above: f64,
    /// deduction_score below this is 不合格 (60, official).
    pub fail_below: f64,
    /// score at or above this is 优秀 (90).
    pub excellent_from: f64,
    /// score at or above this is 良好 (80); below it 合格.
    pub good_from: f64,
    /// A site whose crawl archived fewer HTML answers (any status) than this is not assessed (未检查): too little was
    /// read to score it. Optional in a rubric file (default 3).
    #[serde(default = "default_min_pages")]
    pub min_pages: u32,
    pub red_list: RedList,
}

fn default_min_pages() -> u32 {
    3
}

impl Parameters {
    /// The grade of a site: 不合格 when vetoed or `deduction_score < fail_below`, else by `score`.
    pub fn grade(&self, vetoed: bool, deduction_score: f64, score: f64) -> Grade {
        if vetoed || deduction_score < self.fail_below {
            Grade::Fail
        } else if score >= self.excellent_from {
            Grade::Excellent
        } else if score >= self.good_from {
            Grade::Good
        } else {
            Grade::Pass
        }
    }
}

/// `[columns]`: words that show a column is blank (docs/rules.md Terms).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnWords {
    pub placeholders: Vec<String>,
}

/// What a category's columns look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// A list of dated items (possibly paginated).
    List,
    /// A single page of text (指南, 概况).
    Single,
    /// A list or a single page (政府信息公开制度).
    ListOrSingle,
    /// A container of sub-columns (法定主动公开内容).
    Container,
    /// A list of messages with replies (政务咨询).
    Messages,
    /// An entry link, often to another host (办事服务, 我为政府网站找错).
    Entry,
}

/// `[[category]]`: a canonical column category and how to recognise it.
///
/// Matching (normalise whitespace first, docs/site-understanding.md): a column name equal to one of `names` (any category) wins; then a
/// name matching one of `patterns`; then a URL path segment equal to one of `url_segments`. A name containing one of
/// `exclude` is never this category (信访 channels are not 政务咨询).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    pub id: String,
    /// Chinese name used in messages (通知公告).
    pub name: String,
    pub kind: ColumnKind,
    pub names: Vec<String>,
    #[serde(default)]
    pub patterns: Vec<Pattern>,
    #[serde(default)]
    pub url_segments: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Update cadence, for information (the rules carry their own windows).
    #[serde(default)]
    pub cadence: Option<Period>,
}

/// A column name as matching sees it: every whitespace character removed (including the full-width space of
/// letter-spaced labels, "首　　页", and line breaks of "政府信息<br>公开指南").
pub fn normalize_name(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Runs of whitespace collapsed to one space, trimmed: how identity values are reported.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Category {
    fn excluded(&self, name: &str) -> bool {
        self.exclude.iter().any(|x| name.contains(normalize_name(x).as_str()))
    }

    /// Whether a column name is one of this category's exact names (after [`normalize_name`], never when it contains
    /// an excluded word).
    pub fn has_name(&self, name: &str) -> bool {
        let name = normalize_name(name);
        !self.excluded(&name) && self.names.iter().any(|n| normalize_name(n) == name)
    }

    /// Whether a column name matches one of this category's patterns (after [`normalize_name`], never when it contains
    /// an excluded word).
    pub fn matches_pattern(&self, name: &str) -> bool {
        let name = normalize_name(name);
        !self.excluded(&name) && self.patterns.iter().any(|p| p.is_match(&name))
    }

    /// Whether a column name belongs to this category by exact name or pattern. To categorise a name among all
    /// categories use [`Rubric::categorize_name`], which applies the precedence (exact names first).
    pub fn matches_name(&self, name: &str) -> bool {
        self.has_name(name) || self.matches_pattern(name)
    }
}

impl IdentityElement {
    /// The value shown for this element in `text` (normalised page text): the `value` group of the first matching
    /// `text` pattern, else its whole match, whitespace collapsed.
    pub fn find_text(&self, text: &str) -> Option<String> {
        self.find(&[text.to_string()], &[], &[])
    }

    /// The value the home page shows for this element: the `value` group (or the whole match) of the first `text`
    /// pattern that matches one of `texts`, tried again with every space removed for letter-spaced labels
    /// ("网 站 标 识 码"); else the printed text of a link (`(href, text)`) matching a `link` pattern when that text
    /// has a digit (蜀ICP备12345678号 as the text of a link to beian.miit.gov.cn); else the first of `link_strings`
    /// (link targets, image sources, script attributes) a `link` pattern matches, which says only that it is there.
    pub fn find(&self, texts: &[String], links: &[(String, String)], link_strings: &[String]) -> Option<String> {
        let value = |c: regex::Captures| c.name("value").or_else(|| c.get(0)).map(|m| m.as_str().to_string());
        for pat in &self.text {
            if let Some(v) = texts.iter().find_map(|t| pat.captures(t).and_then(value)) {
                return Some(collapse_whitespace(&v));
            }
        }
        for pat in &self.text {
            for t in texts {
                let packed: String = t.chars().filter(|c| !c.is_whitespace()).collect();
                if let Some(v) = pat.captures(&packed).and_then(value) {
                    return Some(v);
                }
            }
        }
        for pat in &self.link {
            if let Some((_, text)) =
                links.iter().find(|(href, text)| pat.is_match(href) && text.chars().any(|c| c.is_ascii_digit()))
            {
                return Some(collapse_whitespace(text));
            }
            if let Some(s) = link_strings.iter().find(|s| pat.is_match(s)) {
                return Some(s.clone());
            }
        }
        None
    }

    /// Whether a link target, image source or alt text, or script source/attribute shows this element.
    pub fn matches_link(&self, value: &str) -> bool {
        self.link.iter().any(|p| p.is_match(value))
    }
}

/// `[identity.<element>]`: how a footer identity element is recognised on the home page (including footers written by
/// scripts or iframes). `text` patterns run on the normalised page text; the value shown in results.json is the
/// capture group named `value` if present, else the whole match. `link` patterns run on link targets, image sources
/// and alt texts, and script sources and attributes (the 党政机关 badge, the 找错 loader).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityElement {
    /// Chinese label (网站标识码).
    pub label: String,
    #[serde(default)]
    pub text: Vec<Pattern>,
    #[serde(default)]
    pub link: Vec<Pattern>,
}

/// `[[group]]`: a deduction group (发布解读 30 …); the group's deductions never exceed `cap`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub cap: f64,
}

/// Veto, deduction or bonus (docs/rules.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RuleKind {
    Veto,
    Deduction,
    Bonus,
}

impl RuleKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleKind::Veto => "veto",
            RuleKind::Deduction => "deduction",
            RuleKind::Bonus => "bonus",
        }
    }
}

/// What an occurrence of a rule is worth.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Points {
    /// Vetoes (they cost no points; they fail the site) and manual rules (points come from the adjustments file).
    None,
    /// The same for every occurrence.
    Fixed(f64),
    /// Per named outcome of the check (`{ missing = 8, late = 4 }`, see [`Check::outcomes`]).
    ByOutcome(BTreeMap<String, f64>),
}

impl Points {
    pub fn is_none(&self) -> bool {
        matches!(self, Points::None)
    }
}

/// `[[rule]]`: one veto, deduction or bonus item.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    pub id: String,
    pub kind: RuleKind,
    /// The deduction group (deductions only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    #[serde(skip_serializing_if = "Points::is_none")]
    pub points: Points,
    /// The most this item costs (deductions) or earns (bonus); `None` = no item cap.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cap: Option<f64>,
    /// Levels the rule applies to; `None` = every level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub levels: Option<Vec<Level>>,
    /// Vetoes fire when the check has at least this many occurrences (1 unless given).
    pub fires_at: u32,
    /// A disabled rule is kept in the file but not applied.
    pub enabled: bool,
    /// The rule's short Chinese title (网站无法访问), shown in reports beside each finding; the id when the file
    /// gives none.
    pub title: String,
    /// How to fix what the rule finds (shown in 整改清单 and by `gongkai check`); empty when the file gives none.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub advice: String,
    /// Chinese message template with `{placeholders}` (see each check).
    pub message: String,
    #[serde(flatten)]
    pub check: Check,
}

impl Rule {
    pub fn applies_to(&self, level: Level) -> bool {
        self.enabled && self.levels.as_ref().is_none_or(|l| l.contains(&level))
    }

    /// Points of one occurrence: `outcome` names the outcome for checks that have several (`"missing"`, `"late"`).
    /// `None` for vetoes and manual rules.
    pub fn points_for(&self, outcome: Option<&str>) -> Option<f64> {
        match &self.points {
            Points::None => None,
            Points::Fixed(p) => Some(*p),
            Points::ByOutcome(m) => outcome.and_then(|o| m.get(o)).copied(),
        }
    }

    /// The deduction/bonus for `occurrences` of a fixed-points rule, after the item cap.
    pub fn capped(&self, raw: f64) -> f64 {
        match self.cap {
            Some(c) => raw.min(c),
            None => raw,
        }
    }
}

impl Rubric {
    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The category of a column name (docs/site-understanding.md): an exact name of any category wins over a pattern; among patterns
    /// the first category in file order wins. Names containing a category's `exclude` words never match it.
    pub fn categorize_name(&self, name: &str) -> Option<&Category> {
        self.categories
            .iter()
            .find(|c| c.has_name(name))
            .or_else(|| self.categories.iter().find(|c| c.matches_pattern(name)))
    }

    /// The category a URL path segment (`tzgg`) suggests, the weakest signal (docs/site-understanding.md). Case-insensitive.
    pub fn categorize_url_segment(&self, segment: &str) -> Option<&Category> {
        let seg = segment.trim().to_ascii_lowercase();
        self.categories.iter().find(|c| c.url_segments.iter().any(|s| s.eq_ignore_ascii_case(&seg)))
    }

    /// Whether a column's (whitespace-normalised) text is only a placeholder of `[columns] placeholders` (暂无信息 …),
    /// or contains one while holding no items.
    pub fn has_placeholder(&self, text: &str) -> bool {
        let t = normalize_name(text);
        self.columns.placeholders.iter().any(|p| t.contains(normalize_name(p).as_str()))
    }

    /// The enabled rules that apply to a site of `level`, in file order.
    pub fn rules_for(&self, level: Level) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(move |r| r.applies_to(level))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_rubric_parses() {
        let r = Rubric::default_rubric();
        assert_eq!(r.info.id, "default");
        assert!(r.rules.len() >= 30, "{}", r.rules.len());
        let caps: f64 = r.groups.iter().map(|g| g.cap).sum();
        assert_eq!(caps, 100.0);
    }

    #[test]
    fn guoban_rubric_has_the_four_official_groups() {
        let r = Rubric::guoban_2019();
        let groups: Vec<(&str, f64)> = r.groups.iter().map(|g| (g.id.as_str(), g.cap)).collect();
        assert_eq!(groups, vec![("publish", 35.0), ("service", 25.0), ("interaction", 20.0), ("design", 20.0)]);
        assert!(r.rules.iter().all(|r| !r.id.starts_with("disclosure.")));
        assert_eq!(r.rule("security.privacy").unwrap().group.as_deref(), Some("design"));
    }

    #[test]
    fn annual_report_points_per_outcome() {
        let r = Rubric::default_rubric();
        let rule = r.rule("disclosure.annual_report").unwrap();
        assert_eq!(rule.points_for(Some("missing")), Some(8.0));
        assert_eq!(rule.points_for(Some("late")), Some(4.0));
        assert_eq!(rule.points_for(None), None);
    }

    #[test]
    fn categorizes_names_with_precedence_and_exclusions() {
        let r = Rubric::default_rubric();
        let cat = |n: &str| r.categorize_name(n).map(|c| c.id.as_str());
        assert_eq!(cat("通知公告"), Some("notice"));
        assert_eq!(cat("通 知 公 告"), Some("notice"));
        assert_eq!(cat("政府信息\n公开指南"), Some("guide"));
        assert_eq!(cat("金牛要闻"), Some("news"));
        assert_eq!(cat("走进金牛"), Some("overview"));
        assert_eq!(cat("金牛概况"), Some("overview"));
        // An exact name of functions wins over overview's "…概况" pattern.
        assert_eq!(cat("机构概况"), Some("functions"));
        assert_eq!(cat("县长信箱"), Some("consultation"));
        assert_eq!(cat("信访信箱"), None);
        assert_eq!(cat("纪检举报信箱"), None);
        assert_eq!(cat("办件公示"), Some("service_stats"));
        assert_eq!(cat("友情链接"), None);
        assert_eq!(r.categorize_url_segment("TZGG").map(|c| c.id.as_str()), Some("notice"));
        assert_eq!(r.categorize_url_segment("xxgknb").map(|c| c.id.as_str()), Some("annual_report"));
        assert!(r.has_placeholder("暂无 信息"));
        assert!(!r.has_placeholder("关于开展2026年工作的通知"));
    }

    #[test]
    fn identity_patterns_read_messy_footers() {
        let r = Rubric::default_rubric();
        let find = |k: IdentityKey, t: &str| r.identity[&k].find_text(t);
        assert_eq!(
            find(IdentityKey::SiteCode, "网站标识码:5101060001 蜀ICP备12345678号-1").as_deref(),
            Some("5101060001")
        );
        assert_eq!(find(IdentityKey::SiteCode, "网站标识码5100000062").as_deref(), Some("5100000062"));
        assert_eq!(find(IdentityKey::SiteCode, "政府网站标识码 ：bm64130001").as_deref(), Some("bm64130001"));
        assert_eq!(
            find(IdentityKey::Icp, "网站标识码:5101060001 蜀ICP备12345678号-1").as_deref(),
            Some("蜀ICP备12345678号-1")
        );
        assert_eq!(find(IdentityKey::Icp, "鲁ICP备 05038584号").as_deref(), Some("鲁ICP备 05038584号"));
        assert_eq!(find(IdentityKey::Icp, "京ICP备05070218").as_deref(), Some("京ICP备05070218"));
        assert_eq!(
            find(IdentityKey::Police, "川公网安备 51010602000123号").as_deref(),
            Some("川公网安备 51010602000123号")
        );
        assert_eq!(
            find(IdentityKey::Police, "公安机关备案号：15081599004-00001").as_deref(),
            Some("15081599004-00001")
        );
        assert_eq!(
            find(IdentityKey::Sponsor, "主办单位：成都市金牛区人民政府办公室 地址：成都市金牛区").as_deref(),
            Some("成都市金牛区人民政府办公室")
        );
        assert_eq!(
            find(IdentityKey::Sponsor, "主办单位:XX县人民政府办公室承办单位:XX县大数据中心").as_deref(),
            Some("XX县人民政府办公室")
        );
        assert_eq!(find(IdentityKey::Contact, "联系电话：028-87654321").as_deref(), Some("028-87654321"));
        assert!(find(IdentityKey::SiteCode, "网站地图 联系我们").is_none());
        assert!(r.identity[&IdentityKey::Badge]
            .matches_link("https://dcs.conac.cn/js/33/000/0000/60429971/CA330000000604299710002.js"));
        assert!(r.identity[&IdentityKey::Badge].matches_link("<span id=\"_ideConac\"></span>"));
        assert!(r.identity[&IdentityKey::ErrorEntry]
            .matches_link("https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=5101060001"));
        assert!(r.identity[&IdentityKey::Icp].matches_link("https://beian.miit.gov.cn/"));
        assert!(!r.identity[&IdentityKey::Badge].matches_link("https://www.cdjinniu.gov.cn/images/logo.png"));
    }

    #[test]
    fn rules_serialize_back_to_toml() {
        let r = Rubric::default_rubric();
        for rule in &r.rules {
            let text = toml::to_string(rule).unwrap_or_else(|e| panic!("{}: {e}", rule.id));
            assert!(text.contains(&format!("check = \"{}\"", rule.check.kind().as_str())), "{text}");
        }
    }

    #[test]
    fn grades_follow_parameters() {
        let p = Rubric::default_rubric().parameters;
        assert_eq!(p.grade(true, 99.0, 99.0), Grade::Fail);
        assert_eq!(p.grade(false, 59.5, 59.5), Grade::Fail);
        assert_eq!(p.grade(false, 90.0, 90.0), Grade::Excellent);
        assert_eq!(p.grade(false, 85.0, 85.0), Grade::Good);
        assert_eq!(p.grade(false, 70.0, 70.0), Grade::Pass);
    }
}
