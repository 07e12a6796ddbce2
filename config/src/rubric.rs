//! The rubric: what is checked and what it costs, as data (RUBRIC.md).
//!
//! A rubric file has these parts (see `rubrics/default.toml`, which is commented for the people who edit it):
//! - `[rubric]`: id, version, name;
//! - `[parameters]`: engine-wide numbers (probe timeout, score bounds, grades, bonus gate, red list);
//! - `[columns]`: words that mark a blank column (暂无信息 …);
//! - `[[category]]`: the canonical column categories with the names, name patterns, URL path segments and exclusions
//!   that recognise them (DOMAIN.md's synonym table);
//! - `[identity.<element>]`: how each footer identity element is recognised;
//! - `[[group]]`: deduction groups with their caps;
//! - `[[rule]]`: veto, deduction and bonus rules; each names a [`Check`] (the closed vocabulary in [`crate::check`]) and
//!   gives that check's parameters as further keys.
//!
//! Loading validates everything a generic engine relies on, so that scoring never meets an unknown check, an unknown
//! category, a rule without a group, or points it cannot interpret: each such mistake is a [`ConfigError`] with file,
//! line, column and field.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

use serde::{Deserialize, Serialize};
use toml::Spanned;
use toml_edit::{Item, Table};

use crate::check::{Check, CheckKind, IdentityKey, KNOWN_CHECKS};
use crate::error::{key_span, ConfigError, TomlFile};
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

/// A grade (RUBRIC.md Result), written in Chinese in files and reports.
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
}

impl Grade {
    pub fn label_zh(self) -> &'static str {
        match self {
            Grade::Excellent => "优秀",
            Grade::Good => "良好",
            Grade::Pass => "合格",
            Grade::Fail => "不合格",
        }
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

/// `[columns]`: words that show a column is blank (RUBRIC.md Terms).
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
/// Matching (normalise whitespace first, DOMAIN.md): a column name equal to one of `names` (any category) wins; then a
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
        self.text.iter().find_map(|p| {
            p.captures(text).map(|c| {
                let m = c.name("value").or_else(|| c.get(0)).map(|m| m.as_str()).unwrap_or_default();
                collapse_whitespace(m)
            })
        })
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

/// Veto, deduction or bonus (RUBRIC.md).
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

// ---------------------------------------------------------------------------------------------------------------------
// Loading

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRubric {
    rubric: RubricInfo,
    parameters: Parameters,
    #[serde(default)]
    columns: ColumnWords,
    #[serde(default)]
    category: Vec<Category>,
    #[serde(default)]
    identity: BTreeMap<IdentityKey, IdentityElement>,
    #[serde(default)]
    group: Vec<Group>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawPoints {
    Fixed(f64),
    ByOutcome(BTreeMap<String, f64>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRuleCommon {
    id: Spanned<String>,
    kind: RuleKind,
    #[serde(default)]
    group: Option<Spanned<String>>,
    #[serde(default)]
    points: Option<Spanned<RawPoints>>,
    #[serde(default)]
    cap: Option<Spanned<f64>>,
    #[serde(default)]
    levels: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    fires_at: Option<Spanned<u32>>,
    #[serde(default)]
    enabled: Option<bool>,
    message: String,
}

/// Keys every rule may have, whatever its check (the others are the check's parameters).
pub const RULE_KEYS: &[&str] =
    &["id", "kind", "group", "points", "cap", "levels", "fires_at", "enabled", "message", "check"];

const RULE_ID_CHARS: &str = "lowercase letters, digits, '_', '-' and '.'";

fn valid_id(s: &str, extra: &[char]) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || extra.contains(&c))
}

impl Rubric {
    /// Reads and validates a rubric file.
    pub fn load(path: &Path) -> Result<Rubric, ConfigError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError::whole_file(&file, format!("cannot read the rubric file: {e}")))?;
        Rubric::from_str(&text, &file)
    }

    /// The shipped default rubric (`config/rubrics/default.toml`).
    pub fn default_rubric() -> Rubric {
        Rubric::from_str(include_str!("../rubrics/default.toml"), "rubrics/default.toml")
            .expect("the shipped default rubric is valid (tested)")
    }

    /// The shipped official-only rubric (`config/rubrics/guoban-2019.toml`).
    pub fn guoban_2019() -> Rubric {
        Rubric::from_str(include_str!("../rubrics/guoban-2019.toml"), "rubrics/guoban-2019.toml")
            .expect("the shipped guoban-2019 rubric is valid (tested)")
    }

    /// Parses and validates rubric text; `file` names it in errors.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str, file: &str) -> Result<Rubric, ConfigError> {
        let toml = TomlFile::parse(text, file)?;
        let mut root = toml.root().clone();
        let rule_item = root.remove("rule");
        let raw: RawRubric = toml.deserialize(Item::Table(root), None)?;

        let mut params = raw.parameters.clone();
        let params_span = toml.root().get("parameters").and_then(|i| i.span());
        if params.probe_timeout.as_std().is_none() || matches!(params.probe_timeout, Period::Days(_)) {
            let span = key_span(
                toml.root().get("parameters").and_then(Item::as_table).unwrap_or(toml.root()),
                "probe_timeout",
            );
            return Err(toml.error(
                span,
                "parameters.probe_timeout",
                "expected a clock duration such as \"15s\" or \"500ms\"",
            ));
        }
        check_order(&toml, &params, params_span)?;
        params.red_list.top_share = params.red_list.top_share.clamp(0.0, 1.0);

        // Categories: unique ids.
        let mut categories = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, c) in raw.category.iter().enumerate() {
            let cat = c;
            let field = format!("category[{}].id", i + 1);
            let span = id_span(&toml, "category", i);
            if !valid_id(&cat.id, &[]) {
                return Err(toml.error(
                    span,
                    field,
                    format!("invalid category id \"{}\": expected lowercase letters, digits and '_'", cat.id),
                ));
            }
            if let Some(first) = seen.insert(cat.id.clone(), i) {
                return Err(toml.error(
                    span,
                    field,
                    format!("duplicate category id \"{}\" (first defined in category[{}])", cat.id, first + 1),
                ));
            }
            categories.push(cat.clone());
        }

        // Identity: every element described.
        if let Some(missing) = IdentityKey::ALL.iter().find(|k| !raw.identity.contains_key(k)) {
            let span = toml.root().get("identity").and_then(|i| i.span()).or_else(|| toml.root().span());
            return Err(toml.error(
                span,
                "identity",
                format!("missing [identity.{}]: every identity element needs its patterns", missing.as_str()),
            ));
        }

        // Groups: unique ids, caps within the deduction total.
        let mut groups = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let mut total = 0.0;
        for (i, g) in raw.group.iter().enumerate() {
            let grp = g;
            let span = id_span(&toml, "group", i);
            let field = format!("group[{}].id", i + 1);
            if !valid_id(&grp.id, &[]) {
                return Err(toml.error(
                    span,
                    field,
                    format!("invalid group id \"{}\": expected lowercase letters, digits and '_'", grp.id),
                ));
            }
            if let Some(first) = seen.insert(grp.id.clone(), i) {
                return Err(toml.error(
                    span,
                    field,
                    format!("duplicate group id \"{}\" (first defined in group[{}])", grp.id, first + 1),
                ));
            }
            if grp.cap <= 0.0 || !grp.cap.is_finite() {
                let span = table_at(&toml, "group", i).and_then(|t| key_span(t, "cap"));
                return Err(toml.error(span, format!("group[{}].cap", i + 1), "expected a positive number of points"));
            }
            total += grp.cap;
            groups.push(grp.clone());
        }
        if total > params.deduction_total + 1e-9 {
            let span = table_at(&toml, "group", 0).and_then(|t| t.span());
            return Err(toml.error(
                span,
                "group",
                format!(
                    "the group caps add up to {total}, more than parameters.deduction_total = {}",
                    params.deduction_total
                ),
            ));
        }

        let mut rubric = Rubric {
            file: file.to_string(),
            info: raw.rubric,
            parameters: params,
            columns: raw.columns,
            categories,
            identity: raw.identity,
            groups,
            rules: Vec::new(),
        };

        // Rules.
        match rule_item {
            None => {}
            Some(Item::ArrayOfTables(rules)) => {
                let mut seen: HashMap<String, usize> = HashMap::new();
                for (i, t) in rules.iter().enumerate() {
                    let rule = parse_rule(&toml, &rubric, t, i)?;
                    if let Some(first) = seen.insert(rule.id.clone(), i) {
                        return Err(toml.error(
                            t.get("id").and_then(|i| i.span()).or_else(|| key_span(t, "id")),
                            format!("rule[{}].id", i + 1),
                            format!("duplicate rule id \"{}\" (first defined in rule[{}])", rule.id, first + 1),
                        ));
                    }
                    rubric.rules.push(rule);
                }
            }
            Some(other) => {
                return Err(toml.error(other.span(), "rule", "expected [[rule]] tables"));
            }
        }
        Ok(rubric)
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    pub fn category(&self, id: &str) -> Option<&Category> {
        self.categories.iter().find(|c| c.id == id)
    }

    /// The category of a column name (DOMAIN.md): an exact name of any category wins over a pattern; among patterns
    /// the first category in file order wins. Names containing a category's `exclude` words never match it.
    pub fn categorize_name(&self, name: &str) -> Option<&Category> {
        self.categories
            .iter()
            .find(|c| c.has_name(name))
            .or_else(|| self.categories.iter().find(|c| c.matches_pattern(name)))
    }

    /// The category a URL path segment (`tzgg`) suggests, the weakest signal (DOMAIN.md). Case-insensitive.
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

fn check_order(toml: &TomlFile, p: &Parameters, span: Option<Range<usize>>) -> Result<(), ConfigError> {
    let ok = p.deduction_total > 0.0
        && p.fail_below <= p.good_from
        && p.good_from <= p.excellent_from
        && p.bonus_max >= 0.0
        && (0.0..=1.0).contains(&p.red_list.top_share)
        && p.link_attempts >= 1;
    if ok {
        Ok(())
    } else {
        Err(toml.error(
            span,
            "parameters",
            "expected deduction_total > 0, fail_below ≤ good_from ≤ excellent_from, bonus_max ≥ 0, link_attempts ≥ 1 and \
             red_list.top_share between 0 and 1",
        ))
    }
}

fn table_at<'a>(toml: &'a TomlFile, array: &str, i: usize) -> Option<&'a Table> {
    toml.root().get(array).and_then(Item::as_array_of_tables).and_then(|a| a.get(i))
}

fn id_span(toml: &TomlFile, array: &str, i: usize) -> Option<Range<usize>> {
    table_at(toml, array, i).and_then(|t| t.get("id").and_then(|v| v.span()).or_else(|| t.span()))
}

/// The span of the first string value equal to `needle` anywhere in `item` (to point at a bad reference).
fn find_string(item: &Item, needle: &str) -> Option<Range<usize>> {
    fn in_value(v: &toml_edit::Value, needle: &str) -> Option<Range<usize>> {
        match v {
            toml_edit::Value::String(s) if s.value() == needle => v.span(),
            toml_edit::Value::Array(a) => a.iter().find_map(|e| in_value(e, needle)),
            toml_edit::Value::InlineTable(t) => t.iter().find_map(|(_, e)| in_value(e, needle)),
            _ => None,
        }
    }
    match item {
        Item::Value(v) => in_value(v, needle),
        Item::Table(t) => t.iter().find_map(|(_, i)| find_string(i, needle)),
        Item::ArrayOfTables(a) => a.iter().find_map(|t| t.iter().find_map(|(_, i)| find_string(i, needle))),
        Item::None => None,
    }
}

fn parse_rule(toml: &TomlFile, rubric: &Rubric, t: &Table, i: usize) -> Result<Rule, ConfigError> {
    let n = i + 1;
    let header = t.span();
    let field = |k: &str| format!("rule[{n}].{k}");

    // The check first: its name decides which other keys are allowed.
    let check_name = match t.get("check") {
        None => {
            return Err(toml.error(header, format!("rule[{n}]"), "missing key `check`: expected the name of a check"))
        }
        Some(item) => match item.as_str() {
            Some(s) => s.to_string(),
            None => return Err(toml.error(item.span(), field("check"), "expected a string naming a check")),
        },
    };
    let kind = CheckKind::from_name(&check_name).ok_or_else(|| {
        toml.error(
            t.get("check").and_then(|i| i.span()),
            field("check"),
            format!("unknown check \"{check_name}\", expected one of {}", KNOWN_CHECKS.join(", ")),
        )
    })?;

    let mut common = Table::new();
    let mut params = Table::new();
    for (k, item) in t.iter() {
        if k == "check" {
            continue;
        }
        let target = if RULE_KEYS.contains(&k) { &mut common } else { &mut params };
        let key = t.key(k).cloned().unwrap_or_else(|| toml_edit::Key::new(k));
        target.insert_formatted(&key, item.clone());
    }
    let raw: RawRuleCommon = toml.deserialize(Item::Table(common), header.clone())?;

    let check = {
        use serde::de::IntoDeserializer;
        let value =
            Item::Table(params).into_value().unwrap_or_else(|_| toml_edit::Value::InlineTable(Default::default()));
        Check::deserialize_params(kind, value.into_deserializer()).map_err(|e| {
            let mut err = toml.de_error(e, header.clone());
            if err.message.starts_with("unknown key") {
                err.message = format!(
                    "{} (check \"{check_name}\"; every rule may also have {})",
                    err.message.replace("there are no fields", "this check takes no parameters"),
                    RULE_KEYS.join(", ")
                );
            }
            err
        })?
    };

    let id = raw.id.get_ref().clone();
    if !valid_id(&id, &['.', '-']) {
        return Err(toml.error(
            Some(raw.id.span()),
            field("id"),
            format!("invalid rule id \"{id}\": expected {RULE_ID_CHARS}"),
        ));
    }

    // Group: deductions need one that exists; vetoes and bonuses have none.
    let group = match (raw.kind, &raw.group) {
        (RuleKind::Deduction, None) => {
            return Err(toml.error(
                header,
                format!("rule[{n}]"),
                "missing key `group`: a deduction rule belongs to a [[group]]",
            ))
        }
        (RuleKind::Deduction, Some(g)) => {
            if rubric.group(g.get_ref()).is_none() {
                let known: Vec<&str> = rubric.groups.iter().map(|g| g.id.as_str()).collect();
                return Err(toml.error(
                    Some(g.span()),
                    field("group"),
                    format!("unknown group \"{}\", expected one of {}", g.get_ref(), known.join(", ")),
                ));
            }
            Some(g.get_ref().clone())
        }
        (k, Some(g)) => {
            return Err(toml.error(
                Some(g.span()),
                field("group"),
                format!("a {} rule has no group; remove this key", k.as_str()),
            ))
        }
        (_, None) => None,
    };

    // Points.
    let outcomes = check.outcomes();
    let points = match (raw.kind, &raw.points, kind) {
        (RuleKind::Veto, Some(p), _) => {
            return Err(toml.error(
                Some(p.span()),
                field("points"),
                "a veto rule costs no points (it fails the site); remove this key",
            ))
        }
        (RuleKind::Veto, None, _) => Points::None,
        (_, Some(p), CheckKind::Manual) => {
            return Err(toml.error(
                Some(p.span()),
                field("points"),
                "a manual rule takes its points from the adjustments file; remove this key",
            ))
        }
        (_, None, CheckKind::Manual) => Points::None,
        (_, None, _) => {
            return Err(toml.error(
                header,
                format!("rule[{n}]"),
                format!("missing key `points`: a {} rule needs points", raw.kind.as_str()),
            ))
        }
        (_, Some(p), _) => match (p.get_ref(), outcomes.is_empty()) {
            (RawPoints::Fixed(v), true) => {
                if *v <= 0.0 || !v.is_finite() {
                    return Err(toml.error(Some(p.span()), field("points"), "expected a positive number of points"));
                }
                Points::Fixed(*v)
            }
            (RawPoints::Fixed(_), false) => {
                return Err(toml.error(
                    Some(p.span()),
                    field("points"),
                    format!(
                        "check \"{check_name}\" has several outcomes: expected points per outcome, {{ {} }}",
                        outcomes.iter().map(|o| format!("{o} = …")).collect::<Vec<_>>().join(", ")
                    ),
                ))
            }
            (RawPoints::ByOutcome(m), _) => {
                let keys: Vec<&str> = m.keys().map(String::as_str).collect();
                let mut want: Vec<&str> = outcomes.to_vec();
                want.sort_unstable();
                if keys != want || m.values().any(|v| *v <= 0.0 || !v.is_finite()) {
                    let expected = if outcomes.is_empty() {
                        "a single positive number".to_string()
                    } else {
                        format!("positive points for exactly the outcomes {}", outcomes.join(", "))
                    };
                    return Err(toml.error(
                        Some(p.span()),
                        field("points"),
                        format!("check \"{check_name}\" expects {expected}"),
                    ));
                }
                Points::ByOutcome(m.clone())
            }
        },
    };

    let cap = match &raw.cap {
        Some(c) if raw.kind == RuleKind::Veto => {
            return Err(toml.error(Some(c.span()), field("cap"), "a veto rule has no cap; remove this key"))
        }
        Some(c) if *c.get_ref() <= 0.0 || !c.get_ref().is_finite() => {
            return Err(toml.error(Some(c.span()), field("cap"), "expected a positive number of points"))
        }
        Some(c) => Some(*c.get_ref()),
        None => None,
    };

    let fires_at = match &raw.fires_at {
        Some(f) if raw.kind != RuleKind::Veto => {
            return Err(toml.error(Some(f.span()), field("fires_at"), "only veto rules have fires_at; remove this key"))
        }
        Some(f) if *f.get_ref() == 0 => {
            return Err(toml.error(Some(f.span()), field("fires_at"), "expected at least 1"))
        }
        Some(f) => *f.get_ref(),
        None => 1,
    };

    // Categories named by the check must exist.
    for c in check.category_refs() {
        if rubric.category(c).is_none() {
            let span = t
                .iter()
                .filter(|(k, _)| !RULE_KEYS.contains(k))
                .find_map(|(_, item)| find_string(item, c))
                .or(header.clone());
            let field = span
                .clone()
                .and_then(|s| crate::error::path_at(toml.root(), s.start))
                .unwrap_or_else(|| format!("rule[{n}]"));
            let known: Vec<&str> = rubric.categories.iter().map(|c| c.id.as_str()).collect();
            return Err(toml.error(
                span,
                field,
                format!("unknown category \"{c}\", expected one of {}", known.join(", ")),
            ));
        }
    }

    validate_params(toml, t, n, &check)?;

    let levels = match &raw.levels {
        None => None,
        Some(list) => {
            let mut out = Vec::new();
            for (j, l) in list.iter().enumerate() {
                let level = Level::parse(l.get_ref())
                    .map_err(|m| toml.error(Some(l.span()), format!("rule[{n}].levels[{}]", j + 1), m))?;
                out.push(level);
            }
            if out.is_empty() {
                return Err(toml.error(
                    key_span(t, "levels"),
                    field("levels"),
                    "expected at least one level (or remove the key for all levels)",
                ));
            }
            Some(out)
        }
    };

    if let (Check::AnnualReport(p), list) = (&check, levels.as_deref().unwrap_or(&Level::ALL)) {
        if let Some(l) = list.iter().find(|l| !p.deadline.contains_key(l)) {
            return Err(toml.error(
                key_span(t, "deadline"),
                field("deadline"),
                format!(
                    "no deadline for level {}: the rule applies to it, so give `{} = \"MM-DD\"`",
                    l.as_str(),
                    l.as_str()
                ),
            ));
        }
    }

    if raw.message.trim().is_empty() {
        return Err(toml.error(key_span(t, "message"), field("message"), "expected a Chinese message template"));
    }
    let allowed = kind.placeholders();
    if let Some(bad) = crate::check::template_placeholders(&raw.message)
        .into_iter()
        .find(|p| !allowed.contains(p) && !crate::check::COMMON_PLACEHOLDERS.contains(p))
    {
        let mut all: Vec<&str> = crate::check::COMMON_PLACEHOLDERS.to_vec();
        all.extend_from_slice(allowed);
        let span = t.get("message").and_then(|i| i.span()).or_else(|| key_span(t, "message"));
        return Err(toml.error(
            span,
            field("message"),
            format!(
                "unknown placeholder {{{bad}}} for check \"{check_name}\", expected one of {}",
                all.iter().map(|p| format!("{{{p}}}")).collect::<Vec<_>>().join(", ")
            ),
        ));
    }

    Ok(Rule {
        id,
        kind: raw.kind,
        group,
        points,
        cap,
        levels,
        fires_at,
        enabled: raw.enabled.unwrap_or(true),
        message: raw.message,
        check,
    })
}

/// A window-like parameter (`window`, `lookback`, `limit`, `tolerance`) written in clock units.
fn find_clock_window(item: &Item) -> Option<(Range<usize>, String)> {
    const WINDOW_KEYS: &[&str] = &["window", "lookback", "limit", "tolerance"];
    fn in_value(key: &str, v: &toml_edit::Value) -> Option<(Range<usize>, String)> {
        match v {
            toml_edit::Value::String(s) if WINDOW_KEYS.contains(&key) => match crate::period::parse_duration(s.value())
            {
                Ok(Period::Exact(_)) => Some((v.span()?, s.value().clone())),
                _ => None,
            },
            toml_edit::Value::Array(a) => a.iter().find_map(|e| in_value(key, e)),
            toml_edit::Value::InlineTable(t) => t.iter().find_map(|(k, e)| in_value(k, e)),
            _ => None,
        }
    }
    match item {
        Item::Table(t) => t.iter().find_map(|(k, i)| match i {
            Item::Value(v) => in_value(k, v),
            other => find_clock_window(other),
        }),
        Item::Value(v) => in_value("", v),
        _ => None,
    }
}

/// Checks on parameter values that their types cannot express.
fn validate_params(toml: &TomlFile, t: &Table, n: usize, check: &Check) -> Result<(), ConfigError> {
    let at = |key: &str, msg: String| Err(toml.error(key_span(t, key), format!("rule[{n}].{key}"), msg));
    // Windows are dates, not clock time: "6m" is 6 minutes, almost surely meant as "6mo".
    if let Some((span, text)) = find_clock_window(&Item::Table(t.clone())) {
        return Err(toml.error_at(
            Some(span),
            format!("\"{text}\" is clock time; windows are written in days (\"14d\"), months (\"6mo\") or working days (\"20wd\")"),
        ));
    }
    match check {
        Check::StaleColumns(p) => {
            if p.columns.is_empty() {
                return at("columns", "expected at least one { categories = [...], window = \"...\" } term".into());
            }
            for (j, term) in p.columns.iter().enumerate() {
                if term.categories.is_empty() || (term.categories.len() > 1 && term.categories.iter().any(|c| c == "*"))
                {
                    return Err(toml.error(
                        key_span(t, "columns"),
                        format!("rule[{n}].columns[{}].categories", j + 1),
                        "expected category ids, or [\"*\"] alone for every other list column",
                    ));
                }
            }
        }
        Check::ProbeFailureRate(p) if !(p.at_least_percent > 0.0 && p.at_least_percent <= 100.0) => {
            return at("at_least_percent", "expected a percentage above 0 and at most 100".into());
        }
        Check::ProbeFailurePercent(p) if !(p.below_percent > 0.0 && p.below_percent <= 100.0) => {
            return at("below_percent", "expected a percentage above 0 and at most 100".into());
        }
        Check::UndatedItems(p) if !(0.0..1.0).contains(&p.more_than_share) => {
            return at("more_than_share", "expected a share from 0 up to (not including) 1, e.g. 0.5".into());
        }
        Check::PrivacyExposure(p) if p.card_digits[0] > p.card_digits[1] || p.card_digits[0] < 12 => {
            return at("card_digits", "expected [least, most] digits of a bank card number, e.g. [16, 19]".into());
        }
        Check::MissingCategories(p) if p.categories.is_empty() && p.by_level.is_empty() => {
            return at("categories", "expected at least one category id".into());
        }
        Check::HiddenLinks(p) if p.words.iter().any(|w| w.trim().chars().count() < 2) => {
            return at(
                "words",
                "spam words must have at least 2 characters (a shorter one matches ordinary links)".into(),
            );
        }
        _ => {}
    }
    Ok(())
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
