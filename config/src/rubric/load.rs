//! Loading a rubric file: TOML → a validated [`Rubric`].
//!
//! Everything a generic engine relies on is checked here, so that scoring never meets an unknown check, an unknown
//! category, a rule without a group, or points it cannot interpret: each such mistake is a [`ConfigError`] with file,
//! line, column and field. A rule's common keys ([`RULE_KEYS`]) are read here; the keys that remain are the check's
//! parameters, read by the check's own struct in `config/src/check/<family>.rs`.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;
use toml_edit::{Item, Table};

use super::*;
use crate::check::{Check, CheckKind, IdentityKey, KNOWN_CHECKS};
use crate::error::{key_span, ConfigError, TomlFile};
use crate::lexicon::{LexiconKind, Lexicons};
use crate::period::Period;
use crate::site::Level;
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
    #[serde(default)]
    lexicons: RawLexicons,
}

/// `[lexicons]`: the rubric's own lexicon files, relative to the rubric file (the shipped ones for keys left out).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLexicons {
    #[serde(default)]
    wrong_forms: Option<String>,
    #[serde(default)]
    sensitive: Option<String>,
    #[serde(default)]
    leaders: Option<String>,
    #[serde(default)]
    spam: Option<String>,
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
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    advice: Option<String>,
    message: String,
}

/// Keys every rule may have, whatever its check (the others are the check's parameters).
pub const RULE_KEYS: &[&str] =
    &["id", "kind", "group", "points", "cap", "levels", "fires_at", "enabled", "title", "advice", "message", "check"];

const RULE_ID_CHARS: &str = "小写字母、数字、'_'、'-' 和 '.'";

fn valid_id(s: &str, extra: &[char]) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || extra.contains(&c))
}

impl Rubric {
    /// Reads and validates a rubric file.
    pub fn load(path: &Path) -> Result<Rubric, ConfigError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError::whole_file(&file, format!("无法读取指标文件：{}", crate::io_error_zh(&e))))?;
        Rubric::from_str(&text, &file)
    }

    /// The shipped default rubric (`config/rubrics/default.toml`).
    pub fn default_rubric() -> Rubric {
        Rubric::from_str(include_str!("../../rubrics/default.toml"), "rubrics/default.toml")
            .expect("the shipped default rubric is valid (tested)")
    }

    /// The shipped official-only rubric (`config/rubrics/guoban-2019.toml`).
    pub fn guoban_2019() -> Rubric {
        Rubric::from_str(include_str!("../../rubrics/guoban-2019.toml"), "rubrics/guoban-2019.toml")
            .expect("the shipped guoban-2019 rubric is valid (tested)")
    }

    /// Parses and validates rubric text; `file` names it in errors.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str, file: &str) -> Result<Rubric, ConfigError> {
        let toml = TomlFile::parse(text, file)?;
        let mut root = toml.root().clone();
        let rule_item = root.remove("rule");
        let raw: RawRubric = toml.deserialize(Item::Table(root), None)?;

        let parameters = parameters(&toml, &raw.parameters)?;
        unique_ids(&toml, "category", raw.category.iter().map(|c| c.id.as_str()))?;
        identity_complete(&toml, &raw.identity)?;
        unique_ids(&toml, "group", raw.group.iter().map(|g| g.id.as_str()))?;
        group_caps(&toml, &raw.group, parameters.deduction_total)?;
        let lexicons = lexicons(file, &raw.lexicons)?;

        let mut rubric = Rubric {
            file: file.to_string(),
            info: raw.rubric,
            parameters,
            columns: raw.columns,
            categories: raw.category,
            identity: raw.identity,
            groups: raw.group,
            lexicons,
            rules: Vec::new(),
        };
        rubric.rules = rules(&toml, &rubric, rule_item)?;
        Ok(rubric)
    }
}

/// The lexicons `[lexicons]` names, read relative to the rubric file's directory; shipped ones for keys left out.
fn lexicons(file: &str, raw: &RawLexicons) -> Result<Lexicons, ConfigError> {
    let named: Vec<(LexiconKind, String)> = [
        (LexiconKind::WrongForms, &raw.wrong_forms),
        (LexiconKind::Sensitive, &raw.sensitive),
        (LexiconKind::Leaders, &raw.leaders),
        (LexiconKind::Spam, &raw.spam),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.clone().map(|v| (k, v)))
    .collect();
    if named.is_empty() {
        return Ok(Lexicons::shipped());
    }
    let base = Path::new(file).parent().unwrap_or(Path::new("."));
    Lexicons::with_files(base, &named)
}

/// `[parameters]`: a clock-time probe timeout, grade bounds in order.
fn parameters(toml: &TomlFile, raw: &Parameters) -> Result<Parameters, ConfigError> {
    let mut params = raw.clone();
    let params_span = toml.root().get("parameters").and_then(|i| i.span());
    if params.probe_timeout.as_std().is_none() || matches!(params.probe_timeout, Period::Days(_)) {
        let span =
            key_span(toml.root().get("parameters").and_then(Item::as_table).unwrap_or(toml.root()), "probe_timeout");
        return Err(toml.error(span, "parameters.probe_timeout", "应为以时钟计的时长，如 \"15s\" 或 \"500ms\""));
    }
    check_order(toml, &params, params_span)?;
    params.red_list.top_share = params.red_list.top_share.clamp(0.0, 1.0);
    Ok(params)
}

/// The ids of `[[category]]` or `[[group]]` tables: well formed and unique (the error points at the second).
fn unique_ids<'a>(toml: &TomlFile, array: &str, ids: impl Iterator<Item = &'a str>) -> Result<(), ConfigError> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (i, id) in ids.enumerate() {
        let field = format!("{array}[{}].id", i + 1);
        let span = id_span(toml, array, i);
        if !valid_id(id, &[]) {
            return Err(toml.error(span, field, format!("{array} 的 id \"{id}\" 无效：只能用小写字母、数字和 '_'")));
        }
        if let Some(first) = seen.insert(id, i) {
            return Err(toml.error(
                span,
                field,
                format!("{array} 的 id \"{id}\" 重复（已在 {array}[{}] 中定义）", first + 1),
            ));
        }
    }
    Ok(())
}

/// Every identity element described.
fn identity_complete(toml: &TomlFile, identity: &BTreeMap<IdentityKey, IdentityElement>) -> Result<(), ConfigError> {
    match IdentityKey::ALL.iter().find(|k| !identity.contains_key(k)) {
        Some(missing) => {
            let span = toml.root().get("identity").and_then(|i| i.span()).or_else(|| toml.root().span());
            Err(toml.error(
                span,
                "identity",
                format!("缺少 [identity.{}]：每个标识要素都要写明识别方式", missing.as_str()),
            ))
        }
        None => Ok(()),
    }
}

/// Group caps: positive, and adding up to no more than the deduction total.
fn group_caps(toml: &TomlFile, groups: &[Group], deduction_total: f64) -> Result<(), ConfigError> {
    let mut total = 0.0;
    for (i, g) in groups.iter().enumerate() {
        if g.cap <= 0.0 || !g.cap.is_finite() {
            let span = table_at(toml, "group", i).and_then(|t| key_span(t, "cap"));
            return Err(toml.error(span, format!("group[{}].cap", i + 1), "应为大于 0 的分值"));
        }
        total += g.cap;
    }
    if total > deduction_total + 1e-9 {
        let span = table_at(toml, "group", 0).and_then(|t| t.span());
        return Err(toml.error(
            span,
            "group",
            format!("各 group 的 cap 合计 {total} 分，超过 parameters.deduction_total = {deduction_total}"),
        ));
    }
    Ok(())
}

/// `[[rule]]` tables, each read by [`parse_rule`]; ids unique.
fn rules(toml: &TomlFile, rubric: &Rubric, item: Option<Item>) -> Result<Vec<Rule>, ConfigError> {
    let tables = match item {
        None => return Ok(Vec::new()),
        Some(Item::ArrayOfTables(rules)) => rules,
        Some(other) => return Err(toml.error(other.span(), "rule", "应写成 [[rule]] 表")),
    };
    let mut out: Vec<Rule> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, t) in tables.iter().enumerate() {
        let rule = parse_rule(toml, rubric, t, i)?;
        if let Some(first) = seen.insert(rule.id.clone(), i) {
            return Err(toml.error(
                t.get("id").and_then(|i| i.span()).or_else(|| key_span(t, "id")),
                format!("rule[{}].id", i + 1),
                format!("规则 id \"{}\" 重复（已在 rule[{}] 中定义）", rule.id, first + 1),
            ));
        }
        out.push(rule);
    }
    Ok(out)
}

fn check_order(toml: &TomlFile, p: &Parameters, span: Option<Range<usize>>) -> Result<(), ConfigError> {
    let ok = p.deduction_total > 0.0
        && p.fail_below <= p.good_from
        && p.good_from <= p.excellent_from
        && p.bonus_max >= 0.0
        && (0.0..=1.0).contains(&p.red_list.top_share)
        && p.link_attempts >= 1
        && p.red_list.grade != Grade::NotAssessed;
    if ok {
        Ok(())
    } else {
        Err(toml.error(
            span,
            "parameters",
            "应满足：deduction_total > 0，fail_below ≤ good_from ≤ excellent_from，bonus_max ≥ 0，link_attempts ≥ 1，\
             red_list.top_share 在 0 到 1 之间，red_list.grade 为按分数可得的等次（优秀、良好、合格、不合格）",
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

/// One `[[rule]]` table being read: where it is, for messages.
struct RuleTable<'a> {
    toml: &'a TomlFile,
    t: &'a Table,
    /// 1-based position, as messages show it (`rule[3]`).
    n: usize,
    header: Option<Range<usize>>,
}

impl RuleTable<'_> {
    fn field(&self, k: &str) -> String {
        format!("rule[{}].{k}", self.n)
    }

    fn whole(&self) -> String {
        format!("rule[{}]", self.n)
    }

    fn err(&self, span: Option<Range<usize>>, field: String, message: impl Into<String>) -> ConfigError {
        self.toml.error(span, field, message)
    }

    /// The check first: its name decides which other keys are allowed.
    fn check_kind(&self) -> Result<(String, CheckKind), ConfigError> {
        let check_name = match self.t.get("check") {
            None => return Err(self.err(self.header.clone(), self.whole(), "缺少必填的键 `check`：应写明检查项名称")),
            Some(item) => match item.as_str() {
                Some(s) => s.to_string(),
                None => return Err(self.err(item.span(), self.field("check"), "应为检查项名称（带引号的字符串）")),
            },
        };
        let kind = CheckKind::from_name(&check_name).ok_or_else(|| {
            self.err(
                self.t.get("check").and_then(|i| i.span()),
                self.field("check"),
                format!("未知的检查项 \"{check_name}\"（可选：{}）", KNOWN_CHECKS.join("、")),
            )
        })?;
        Ok((check_name, kind))
    }

    /// The common keys ([`RULE_KEYS`]) and the check's parameters (every other key), each read by its own type.
    fn split(&self, check_name: &str, kind: CheckKind) -> Result<(RawRuleCommon, Check), ConfigError> {
        let mut common = Table::new();
        let mut params = Table::new();
        for (k, item) in self.t.iter() {
            if k == "check" {
                continue;
            }
            let target = if RULE_KEYS.contains(&k) { &mut common } else { &mut params };
            let key = self.t.key(k).cloned().unwrap_or_else(|| toml_edit::Key::new(k));
            target.insert_formatted(&key, item.clone());
        }
        let raw: RawRuleCommon = self.toml.deserialize(Item::Table(common), self.header.clone())?;

        use serde::de::IntoDeserializer;
        let value =
            Item::Table(params).into_value().unwrap_or_else(|_| toml_edit::Value::InlineTable(Default::default()));
        let check = Check::deserialize_params(kind, value.into_deserializer()).map_err(|e| {
            let mut err = self.toml.de_error(e, self.header.clone());
            if err.message.starts_with("未知的键") {
                err.message = format!(
                    "{}；这是检查项 check = \"{check_name}\" 的参数，此外每条规则都可以有 {}",
                    err.message.replace(crate::explain::NO_KEYS, "此检查项没有参数"),
                    RULE_KEYS.join("、")
                );
            }
            err
        })?;
        Ok((raw, check))
    }

    fn id(&self, raw: &RawRuleCommon) -> Result<String, ConfigError> {
        let id = raw.id.get_ref().clone();
        if !valid_id(&id, &['.', '-']) {
            return Err(self.err(
                Some(raw.id.span()),
                self.field("id"),
                format!("规则 id \"{id}\" 无效：只能用{RULE_ID_CHARS}"),
            ));
        }
        Ok(id)
    }

    /// Deductions need a group that exists; vetoes and bonuses have none.
    fn group(&self, raw: &RawRuleCommon, rubric: &Rubric) -> Result<Option<String>, ConfigError> {
        match (raw.kind, &raw.group) {
            (RuleKind::Deduction, None) => Err(self.err(
                self.header.clone(),
                self.whole(),
                "缺少必填的键 `group`：扣分规则（deduction）须归入一个 [[group]]",
            )),
            (RuleKind::Deduction, Some(g)) => {
                if rubric.group(g.get_ref()).is_none() {
                    let known: Vec<&str> = rubric.groups.iter().map(|g| g.id.as_str()).collect();
                    return Err(self.err(
                        Some(g.span()),
                        self.field("group"),
                        format!("未知的 group \"{}\"（可选：{}）", g.get_ref(), known.join("、")),
                    ));
                }
                Ok(Some(g.get_ref().clone()))
            }
            (k, Some(g)) => Err(self.err(
                Some(g.span()),
                self.field("group"),
                format!("{} 规则不属于任何 group；请删除此键", k.as_str()),
            )),
            (_, None) => Ok(None),
        }
    }

    fn points(&self, raw: &RawRuleCommon, check_name: &str, kind: CheckKind) -> Result<Points, ConfigError> {
        let outcomes = kind.outcomes();
        let field = self.field("points");
        let p = match (raw.kind, &raw.points, kind) {
            (RuleKind::Veto, Some(p), _) => {
                return Err(self.err(Some(p.span()), field, "否决规则（veto）不扣分（直接判为不合格）；请删除此键"))
            }
            (RuleKind::Veto, None, _) => return Ok(Points::None),
            (_, Some(p), CheckKind::Manual) => {
                return Err(self.err(Some(p.span()), field, "人工评分规则（manual）的分值来自调整文件；请删除此键"))
            }
            (_, None, CheckKind::Manual) => return Ok(Points::None),
            (_, None, _) => {
                return Err(self.err(
                    self.header.clone(),
                    self.whole(),
                    format!("缺少必填的键 `points`：{} 规则须写明分值", raw.kind.as_str()),
                ))
            }
            (_, Some(p), _) => p,
        };
        match (p.get_ref(), outcomes.is_empty()) {
            (RawPoints::Fixed(v), true) => {
                if *v <= 0.0 || !v.is_finite() {
                    return Err(self.err(Some(p.span()), field, "应为大于 0 的分值"));
                }
                Ok(Points::Fixed(*v))
            }
            (RawPoints::Fixed(_), false) => Err(self.err(
                Some(p.span()),
                field,
                format!(
                    "检查项 \"{check_name}\" 有多种结果：应按结果分别给分，{{ {} }}",
                    outcomes.iter().map(|o| format!("{o} = …")).collect::<Vec<_>>().join(", ")
                ),
            )),
            (RawPoints::ByOutcome(m), _) => {
                let keys: Vec<&str> = m.keys().map(String::as_str).collect();
                let mut want: Vec<&str> = outcomes.to_vec();
                want.sort_unstable();
                if keys != want || m.values().any(|v| *v <= 0.0 || !v.is_finite()) {
                    let expected = if outcomes.is_empty() {
                        "一个大于 0 的分值".to_string()
                    } else {
                        format!("恰好为这些结果分别给出大于 0 的分值：{}", outcomes.join("、"))
                    };
                    return Err(self.err(Some(p.span()), field, format!("检查项 \"{check_name}\" 要求{expected}")));
                }
                Ok(Points::ByOutcome(m.clone()))
            }
        }
    }

    fn cap(&self, raw: &RawRuleCommon) -> Result<Option<f64>, ConfigError> {
        match &raw.cap {
            Some(c) if raw.kind == RuleKind::Veto => {
                Err(self.err(Some(c.span()), self.field("cap"), "否决规则（veto）没有扣分上限；请删除此键"))
            }
            Some(c) if *c.get_ref() <= 0.0 || !c.get_ref().is_finite() => {
                Err(self.err(Some(c.span()), self.field("cap"), "应为大于 0 的分值"))
            }
            Some(c) => Ok(Some(*c.get_ref())),
            None => Ok(None),
        }
    }

    fn fires_at(&self, raw: &RawRuleCommon) -> Result<u32, ConfigError> {
        match &raw.fires_at {
            Some(f) if raw.kind != RuleKind::Veto => {
                Err(self.err(Some(f.span()), self.field("fires_at"), "只有否决规则（veto）才有 fires_at；请删除此键"))
            }
            Some(f) if *f.get_ref() == 0 => Err(self.err(Some(f.span()), self.field("fires_at"), "应至少为 1")),
            Some(f) => Ok(*f.get_ref()),
            None => Ok(1),
        }
    }

    /// Categories named by the check must exist.
    fn category_refs(&self, check: &Check, rubric: &Rubric) -> Result<(), ConfigError> {
        for c in check.category_refs() {
            if rubric.category(c).is_none() {
                let span = self
                    .t
                    .iter()
                    .filter(|(k, _)| !RULE_KEYS.contains(k))
                    .find_map(|(_, item)| find_string(item, c))
                    .or(self.header.clone());
                let field = span
                    .clone()
                    .and_then(|s| crate::error::path_at(self.toml.root(), s.start))
                    .unwrap_or_else(|| self.whole());
                let known: Vec<&str> = rubric.categories.iter().map(|c| c.id.as_str()).collect();
                return Err(self.err(span, field, format!("未知的栏目类别 \"{c}\"（可选：{}）", known.join("、"))));
            }
        }
        Ok(())
    }

    fn levels(&self, raw: &RawRuleCommon) -> Result<Option<Vec<Level>>, ConfigError> {
        let Some(list) = &raw.levels else { return Ok(None) };
        let mut out = Vec::new();
        for (j, l) in list.iter().enumerate() {
            let level = Level::parse(l.get_ref())
                .map_err(|m| self.err(Some(l.span()), format!("rule[{}].levels[{}]", self.n, j + 1), m))?;
            out.push(level);
        }
        if out.is_empty() {
            return Err(self.err(
                key_span(self.t, "levels"),
                self.field("levels"),
                "应至少写一个级别（适用于所有级别时请删除此键）",
            ));
        }
        Ok(Some(out))
    }

    /// The message template names only placeholders the check fills.
    fn message(&self, raw: &RawRuleCommon, check_name: &str, kind: CheckKind) -> Result<(), ConfigError> {
        if raw.message.trim().is_empty() {
            return Err(self.err(key_span(self.t, "message"), self.field("message"), "应填写中文提示语模板"));
        }
        let allowed = kind.placeholders();
        if let Some(bad) = crate::check::template_placeholders(&raw.message)
            .into_iter()
            .find(|p| !allowed.contains(p) && !crate::check::COMMON_PLACEHOLDERS.contains(p))
        {
            let mut all: Vec<&str> = crate::check::COMMON_PLACEHOLDERS.to_vec();
            all.extend_from_slice(allowed);
            let span = self.t.get("message").and_then(|i| i.span()).or_else(|| key_span(self.t, "message"));
            return Err(self.err(
                span,
                self.field("message"),
                format!(
                    "检查项 \"{check_name}\" 没有占位符 {{{bad}}}（可用：{}）",
                    all.iter().map(|p| format!("{{{p}}}")).collect::<Vec<_>>().join("、")
                ),
            ));
        }
        Ok(())
    }
}

fn parse_rule(toml: &TomlFile, rubric: &Rubric, t: &Table, i: usize) -> Result<Rule, ConfigError> {
    let r = RuleTable { toml, t, n: i + 1, header: t.span() };
    let (check_name, kind) = r.check_kind()?;
    let (raw, check) = r.split(&check_name, kind)?;
    let id = r.id(&raw)?;
    let group = r.group(&raw, rubric)?;
    let points = r.points(&raw, &check_name, kind)?;
    let cap = r.cap(&raw)?;
    let fires_at = r.fires_at(&raw)?;
    r.category_refs(&check, rubric)?;
    let levels = r.levels(&raw)?;
    validate_params(toml, t, r.n, &check, levels.as_deref().unwrap_or(&Level::ALL))?;
    r.message(&raw, &check_name, kind)?;
    let title = raw.title.filter(|t| !t.trim().is_empty()).unwrap_or_else(|| id.clone());
    Ok(Rule {
        id,
        kind: raw.kind,
        group,
        points,
        cap,
        levels,
        fires_at,
        enabled: raw.enabled.unwrap_or(true),
        title,
        advice: raw.advice.unwrap_or_default(),
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

/// Checks on parameter values that their types cannot express: windows written in clock units (every check), then
/// the check's own [`Params::validate`](crate::check::Params::validate).
fn validate_params(toml: &TomlFile, t: &Table, n: usize, check: &Check, levels: &[Level]) -> Result<(), ConfigError> {
    // Windows are dates, not clock time: "6m" is 6 minutes, almost surely meant as "6mo".
    if let Some((span, text)) = find_clock_window(&Item::Table(t.clone())) {
        return Err(toml.error_at(
            Some(span),
            format!("\"{text}\" 是以时钟计的时长；时间窗口应以天（\"14d\"）、月（\"6mo\"）或工作日（\"20wd\"）计"),
        ));
    }
    check.validate(levels).map_err(|e| {
        let field = format!("rule[{n}].{}", e.field.as_deref().unwrap_or(e.key));
        toml.error(key_span(t, e.key), field, e.message)
    })
}
