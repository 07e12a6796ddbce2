//! `gongkai.toml`: who runs gongkai and how its 通报 is issued (docs/configuration.md).
//!
//! Two tables, both optional:
//! - `[operator]`: the office running the crawl and how a webmaster reaches it. Polite crawling means saying who you
//!   are: the contact goes into the User-Agent of every request and into the `operator` field of every WARC file's
//!   warcinfo record, so a site's administrator who sees the traffic, or an archivist who opens the WARC years later,
//!   knows whom to ask.
//! - `[bulletin]`: what a 公文 needs and results cannot know: the issuing office (发文机关), the 文号 template, the
//!   recipients (主送), the rectification deadline (整改期限), the contact person for the 附注, and how many sites the
//!   body of the bulletin names (`top_n`; the full lists go into the 附件).
//!
//! The file is found in the working directory (`./gongkai.toml`) or given with `--config FILE`; without one, gongkai
//! runs with [`Settings::default`] (the built-in User-Agent, a bulletin without 文号, 主送 or office). It is validated
//! like sites.toml: unknown keys, wrong types and bad values are errors naming the file, line, column and field.

use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};
use serde::Deserialize;
use serde_spanned::Spanned;
use toml_edit::Item;
use url::Url;

use crate::error::{ConfigError, TomlFile};

/// The file looked for in the working directory when `--config` is not given.
pub const SETTINGS_FILE: &str = "gongkai.toml";
/// Sites the body of the bulletin names per list (best, worst, examples) unless `top_n` says otherwise.
pub const DEFAULT_TOP_N: usize = 10;
pub const MAX_TOP_N: usize = 1000;
/// Days from the bulletin's date to the rectification deadline unless `deadline` says otherwise.
pub const DEFAULT_DEADLINE_DAYS: u32 = 30;
pub const MAX_DEADLINE_DAYS: u32 = 366;
/// Placeholders a 文号 template may use.
pub const NUMBER_PLACEHOLDERS: [&str; 4] = ["office", "office_short", "year", "n"];

/// Everything `gongkai.toml` configures, with defaults for what it leaves out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Settings {
    /// The file these settings came from; `None` for the built-in defaults.
    pub file: Option<PathBuf>,
    pub operator: Option<Operator>,
    pub bulletin: BulletinSettings,
}

/// Who runs the crawl (`[operator]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Operator {
    /// The office, e.g. 某省人民政府办公厅政务公开办公室.
    pub name: String,
    /// An ASCII name for the User-Agent (HTTP header values are ASCII); without it the User-Agent names the contact only.
    pub name_en: Option<String>,
    /// A page explaining the crawl, or the office's site.
    pub url: Option<Url>,
    pub email: Option<String>,
}

/// The 通报's 公文 elements (`[bulletin]`).
#[derive(Debug, Clone, PartialEq)]
pub struct BulletinSettings {
    /// 发文机关, shown in the 落款.
    pub office: Option<String>,
    /// The office's short form for the 文号 (某政办).
    pub office_short: Option<String>,
    /// 文号 template, e.g. `{office_short}〔{year}〕{n}号`.
    pub number: Option<String>,
    /// `{n}` of the 文号.
    pub serial: Option<u32>,
    /// The area checked, as the title names it (全省 → 关于2026年11月全省政府网站检查情况的通报).
    pub scope: Option<String>,
    /// 主送机关.
    pub recipients: Vec<String>,
    pub deadline: Deadline,
    pub contact_person: Option<String>,
    pub contact_phone: Option<String>,
    /// Sites the body names per list; the 附件 list them all.
    pub top_n: usize,
}

impl Default for BulletinSettings {
    fn default() -> Self {
        BulletinSettings {
            office: None,
            office_short: None,
            number: None,
            serial: None,
            scope: None,
            recipients: Vec::new(),
            deadline: Deadline::Days(DEFAULT_DEADLINE_DAYS),
            contact_person: None,
            contact_phone: None,
            top_n: DEFAULT_TOP_N,
        }
    }
}

/// 整改期限: days after the bulletin's date, or a fixed date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Deadline {
    Days(u32),
    Date(NaiveDate),
}

impl Deadline {
    /// The deadline of a bulletin dated `issued`.
    pub fn date(self, issued: NaiveDate) -> NaiveDate {
        match self {
            Deadline::Days(n) => issued.checked_add_days(Days::new(u64::from(n))).unwrap_or(NaiveDate::MAX),
            Deadline::Date(d) => d,
        }
    }
}

impl Operator {
    /// `gongkai/0.1.0 (+https://…; gongkai@…; Example Office)`: the product token stays `gongkai` (robots.txt groups
    /// match it), the comment says who to contact.
    pub fn user_agent(&self, version: &str) -> String {
        let mut parts: Vec<String> = Vec::new();
        if let Some(u) = &self.url {
            parts.push(format!("+{u}"));
        }
        if let Some(e) = &self.email {
            parts.push(e.clone());
        }
        if let Some(n) = &self.name_en {
            parts.push(n.clone());
        }
        format!("gongkai/{version} ({})", parts.join("; "))
    }

    /// The warcinfo `operator` field: `name (url; email)`.
    pub fn warcinfo(&self) -> String {
        let contact: Vec<String> = self.url.iter().map(|u| u.to_string()).chain(self.email.iter().cloned()).collect();
        if contact.is_empty() {
            self.name.clone()
        } else {
            format!("{} ({})", self.name, contact.join("; "))
        }
    }
}

impl BulletinSettings {
    /// The 文号 for a bulletin issued in `year`, `None` when no template is configured.
    pub fn document_number(&self, year: i32) -> Option<String> {
        let template = self.number.as_deref()?;
        let mut out = template.to_string();
        for (name, value) in [
            ("office", self.office.clone().unwrap_or_default()),
            ("office_short", self.office_short.clone().unwrap_or_default()),
            ("year", year.to_string()),
            ("n", self.serial.map(|n| n.to_string()).unwrap_or_default()),
        ] {
            out = out.replace(&format!("{{{name}}}"), &value);
        }
        Some(out)
    }
}

// ---------------------------------------------------------------------------------------------------------------------
// Reading the file

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    #[serde(default)]
    operator: Option<RawOperator>,
    #[serde(default)]
    bulletin: Option<RawBulletin>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOperator {
    name: Spanned<String>,
    #[serde(default)]
    name_en: Option<Spanned<String>>,
    #[serde(default)]
    url: Option<Spanned<String>>,
    #[serde(default)]
    email: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawBulletin {
    #[serde(default)]
    office: Option<Spanned<String>>,
    #[serde(default)]
    office_short: Option<Spanned<String>>,
    #[serde(default)]
    number: Option<Spanned<String>>,
    #[serde(default)]
    serial: Option<Spanned<u32>>,
    #[serde(default)]
    scope: Option<Spanned<String>>,
    #[serde(default)]
    recipients: Vec<Spanned<String>>,
    #[serde(default)]
    deadline: Option<Spanned<toml::Value>>,
    #[serde(default)]
    contact_person: Option<Spanned<String>>,
    #[serde(default)]
    contact_phone: Option<Spanned<String>>,
    #[serde(default)]
    top_n: Option<Spanned<u32>>,
}

/// Longest text accepted in a name-like field (an office's full name is rarely over 40 characters).
const MAX_TEXT_CHARS: usize = 200;

impl Settings {
    /// The settings to use: `explicit` (`--config FILE`, which must exist), else `gongkai.toml` in `dir` when there is
    /// one, else the defaults.
    pub fn find(explicit: Option<&Path>, dir: &Path) -> Result<Settings, ConfigError> {
        match explicit {
            Some(p) => Settings::load(p),
            None => {
                let p = dir.join(SETTINGS_FILE);
                if p.is_file() {
                    Settings::load(&p)
                } else {
                    Ok(Settings::default())
                }
            }
        }
    }

    /// Reads and checks one `gongkai.toml`.
    pub fn load(path: &Path) -> Result<Settings, ConfigError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError::whole_file(&file, format!("无法读取配置文件：{}", crate::io_error_zh(&e))))?;
        let mut s = Settings::parse(&text, &file)?;
        s.file = Some(path.to_path_buf());
        Ok(s)
    }

    /// Parses `gongkai.toml` text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Settings, ConfigError> {
        let toml = TomlFile::parse(text, file)?;
        let raw: RawSettings = toml.deserialize(Item::Table(toml.root().clone()), None)?;
        let operator = raw.operator.map(|o| operator(&toml, o)).transpose()?;
        let bulletin = bulletin(&toml, raw.bulletin.unwrap_or_default())?;
        Ok(Settings { file: None, operator, bulletin })
    }

    /// The User-Agent to crawl with: the operator's, else `default`.
    pub fn user_agent(&self, version: &str, default: &str) -> String {
        match &self.operator {
            Some(o) => o.user_agent(version),
            None => default.to_string(),
        }
    }
}

/// A single-line text: trimmed, not empty, no control characters (it goes into HTTP headers, WARC headers and 公文).
fn text(toml: &TomlFile, v: &Spanned<String>, field: &str) -> Result<String, ConfigError> {
    let t = v.get_ref().trim();
    let err = |m: String| toml.error(Some(v.span()), field, m);
    if t.is_empty() {
        return Err(err("不能为空，应填写文字".into()));
    }
    if t.chars().any(char::is_control) {
        return Err(err("不能包含换行符或控制字符".into()));
    }
    let n = t.chars().count();
    if n > MAX_TEXT_CHARS {
        return Err(err(format!("长度为{n}个字符，最多{MAX_TEXT_CHARS}个字符")));
    }
    Ok(t.to_string())
}

fn opt_text(toml: &TomlFile, v: &Option<Spanned<String>>, field: &str) -> Result<Option<String>, ConfigError> {
    v.as_ref().map(|v| text(toml, v, field)).transpose()
}

fn operator(toml: &TomlFile, o: RawOperator) -> Result<Operator, ConfigError> {
    let name = text(toml, &o.name, "operator.name")?;
    let name_en = opt_text(toml, &o.name_en, "operator.name_en")?;
    if let (Some(n), Some(raw)) = (&name_en, &o.name_en) {
        if !n.chars().all(|c| c.is_ascii_graphic() || c == ' ') || n.contains(['(', ')', ';']) {
            return Err(toml.error(
                Some(raw.span()),
                "operator.name_en",
                "应为英文字母、数字和空格（用于 User-Agent 请求头，不能含括号或分号）",
            ));
        }
    }
    let url = match &o.url {
        Some(u) => {
            let parsed = Url::parse(u.get_ref().trim())
                .ok()
                .filter(|p| matches!(p.scheme(), "http" | "https") && p.host_str().is_some_and(|h| !h.is_empty()));
            Some(parsed.ok_or_else(|| {
                toml.error(
                    Some(u.span()),
                    "operator.url",
                    format!("网址“{}”无效：应为 http:// 或 https:// 开头、带主机名的地址", u.get_ref()),
                )
            })?)
        }
        None => None,
    };
    let email = match &o.email {
        Some(e) => {
            let t = e.get_ref().trim();
            let ok = t.is_ascii()
                && !t.contains(char::is_whitespace)
                && !t.contains(['(', ')', ';', '<', '>'])
                && t.split_once('@').is_some_and(|(a, d)| !a.is_empty() && d.contains('.') && !d.contains('@'));
            if !ok {
                return Err(toml.error(
                    Some(e.span()),
                    "operator.email",
                    format!("电子邮箱“{}”无效：应形如 name@example.gov.cn", e.get_ref()),
                ));
            }
            Some(t.to_string())
        }
        None => None,
    };
    if url.is_none() && email.is_none() {
        return Err(toml.error(
            Some(o.name.span()),
            "operator",
            "缺少联系方式：请填写 url 或 email（写入 User-Agent，便于网站管理员联系）",
        ));
    }
    Ok(Operator { name, name_en, url, email })
}

fn bulletin(toml: &TomlFile, b: RawBulletin) -> Result<BulletinSettings, ConfigError> {
    let mut recipients = Vec::with_capacity(b.recipients.len());
    for (i, r) in b.recipients.iter().enumerate() {
        recipients.push(text(toml, r, &format!("bulletin.recipients[{}]", i + 1))?);
    }
    let out = BulletinSettings {
        office: opt_text(toml, &b.office, "bulletin.office")?,
        office_short: opt_text(toml, &b.office_short, "bulletin.office_short")?,
        number: opt_text(toml, &b.number, "bulletin.number")?,
        serial: b.serial.as_ref().map(|s| *s.get_ref()),
        scope: opt_text(toml, &b.scope, "bulletin.scope")?,
        recipients,
        deadline: match &b.deadline {
            Some(d) => deadline(toml, d)?,
            None => Deadline::Days(DEFAULT_DEADLINE_DAYS),
        },
        contact_person: opt_text(toml, &b.contact_person, "bulletin.contact_person")?,
        contact_phone: opt_text(toml, &b.contact_phone, "bulletin.contact_phone")?,
        top_n: match &b.top_n {
            Some(n) if (1..=MAX_TOP_N as u32).contains(n.get_ref()) => *n.get_ref() as usize,
            Some(n) => {
                return Err(toml.error(
                    Some(n.span()),
                    "bulletin.top_n",
                    format!("{} 超出范围：应为 1 到 {MAX_TOP_N} 的整数", n.get_ref()),
                ))
            }
            None => DEFAULT_TOP_N,
        },
    };
    if let Some(t) = &b.number {
        check_number_template(toml, t.span(), t.get_ref(), &out)?;
    }
    Ok(out)
}

/// `deadline = 30` (days after the bulletin's date) or `deadline = 2026-12-31` (a TOML date, or the same in quotes).
fn deadline(toml: &TomlFile, d: &Spanned<toml::Value>) -> Result<Deadline, ConfigError> {
    let err = |m: String| toml.error(Some(d.span()), "bulletin.deadline", m);
    let expected = "应为天数（如 30）或日期（如 2026-12-31）";
    let parse_date = |s: &str| {
        NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map_err(|_| err(format!("日期“{s}”无效：{expected}")))
            .map(Deadline::Date)
    };
    match d.get_ref() {
        toml::Value::Integer(n) => match u32::try_from(*n) {
            Ok(n) if (1..=MAX_DEADLINE_DAYS).contains(&n) => Ok(Deadline::Days(n)),
            _ => Err(err(format!("{n} 超出范围：应为 1 到 {MAX_DEADLINE_DAYS} 天"))),
        },
        toml::Value::Datetime(dt) => match (dt.date, dt.time) {
            (Some(_), None) => parse_date(&dt.to_string()),
            _ => Err(err(format!("{dt} 不是日期：{expected}"))),
        },
        toml::Value::String(s) => parse_date(s),
        other => Err(err(format!("类型为 {}：{expected}", other.type_str()))),
    }
}

/// A 文号 template names only known placeholders, and each one it names is configured.
fn check_number_template(
    toml: &TomlFile,
    span: Range<usize>,
    template: &str,
    b: &BulletinSettings,
) -> Result<(), ConfigError> {
    let err = |m: String| toml.error(Some(span.clone()), "bulletin.number", m);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after.find('}').ok_or_else(|| err("文号模板中的“{”没有配对的“}”".into()))?;
        let name = &after[..close];
        let configured = match name {
            "office" => b.office.is_some(),
            "office_short" => b.office_short.is_some(),
            "n" => b.serial.is_some(),
            "year" => true,
            _ => {
                return Err(err(format!(
                    "文号模板中的占位符 {{{name}}} 无法识别：可用 {}",
                    NUMBER_PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", ")
                )))
            }
        };
        if !configured {
            let key = if name == "n" { "serial" } else { name };
            return Err(err(format!("文号模板使用了 {{{name}}}，但 [bulletin] 中没有设置 {key}")));
        }
        rest = &after[close + 1..];
    }
    if rest.contains('}') {
        return Err(err("文号模板中的“}”没有配对的“{”".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: &str = r#"
[operator]
name = "示范省人民政府办公厅政务公开办公室"
name_en = "Shifan Province Government Openness Office"
url = "https://www.shifan.gov.cn/gongkai/crawler.html"
email = "gongkai@shifan.gov.cn"

[bulletin]
office = "示范省人民政府办公厅"
office_short = "示政办"
number = "{office_short}函〔{year}〕{n}号"
serial = 12
scope = "全省"
recipients = ["各市（州）人民政府办公室", "省直各部门"]
deadline = 2026-12-31
contact_person = "张三"
contact_phone = "028-12345678"
top_n = 5
"#;

    #[test]
    fn full_file() {
        let s = Settings::parse(FULL, "gongkai.toml").unwrap();
        let o = s.operator.as_ref().unwrap();
        assert_eq!(
            o.user_agent("0.1.0"),
            "gongkai/0.1.0 (+https://www.shifan.gov.cn/gongkai/crawler.html; gongkai@shifan.gov.cn; Shifan Province Government Openness Office)"
        );
        assert_eq!(
            o.warcinfo(),
            "示范省人民政府办公厅政务公开办公室 (https://www.shifan.gov.cn/gongkai/crawler.html; gongkai@shifan.gov.cn)"
        );
        let b = &s.bulletin;
        assert_eq!(b.document_number(2026).as_deref(), Some("示政办函〔2026〕12号"));
        assert_eq!(b.recipients.len(), 2);
        assert_eq!(b.top_n, 5);
        let issued = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        assert_eq!(b.deadline.date(issued), NaiveDate::from_ymd_opt(2026, 12, 31).unwrap());
        assert_eq!(b.contact_person.as_deref(), Some("张三"));
    }

    #[test]
    fn defaults_without_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let s = Settings::find(None, dir.path()).unwrap();
        assert_eq!(s, Settings::default());
        assert_eq!(s.user_agent("0.1.0", "built-in"), "built-in");
        let issued = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
        assert_eq!(s.bulletin.deadline.date(issued), NaiveDate::from_ymd_opt(2027, 1, 1).unwrap());
        assert_eq!(s.bulletin.document_number(2026), None);
        // Found in the directory when present; --config must exist.
        std::fs::write(dir.path().join(SETTINGS_FILE), "[bulletin]\ndeadline = 15\n").unwrap();
        let s = Settings::find(None, dir.path()).unwrap();
        assert_eq!(s.bulletin.deadline, Deadline::Days(15));
        assert!(s.file.is_some());
        let missing = dir.path().join("nope.toml");
        let e = Settings::find(Some(&missing), dir.path()).unwrap_err();
        assert!(e.message.contains("无法读取"), "{e}");
    }

    fn err(text: &str) -> ConfigError {
        Settings::parse(text, "gongkai.toml").unwrap_err()
    }

    #[test]
    fn mistakes_name_file_line_and_field() {
        let e = err("[bulletin]\noffice = \"x\"\ntop = 3\n");
        assert_eq!((e.file.as_str(), e.line, e.field.as_str()), ("gongkai.toml", 3, "bulletin.top"));
        assert!(e.message.contains("未知的键 `top`"), "{e}");

        let e = err("[bulletin]\ntop_n = \"ten\"\n");
        assert_eq!((e.line, e.field.as_str()), (2, "bulletin.top_n"));

        let e = err("[bulletin]\n\ndeadline = \"2026-02-30\"\n");
        assert_eq!((e.line, e.field.as_str()), (3, "bulletin.deadline"));
        assert!(e.message.contains("日期“2026-02-30”无效"), "{e}");

        let e = err("[bulletin]\ndeadline = 0\n");
        assert!(e.message.contains("超出范围"), "{e}");
        let e = err("[bulletin]\ndeadline = 2026-12-31T10:00:00\n");
        assert_eq!(e.field, "bulletin.deadline");
        let e = err("[bulletin]\ndeadline = true\n");
        assert_eq!(e.field, "bulletin.deadline");

        let e = err("[bulletin]\nnumber = \"{office_short}〔{year}〕{n}号\"\noffice_short = \"示政办\"\n");
        assert_eq!((e.line, e.field.as_str()), (2, "bulletin.number"));
        assert!(e.message.contains("serial"), "{e}");
        let e = err("[bulletin]\nnumber = \"{office_abbr}〔{year}〕号\"\n");
        assert!(e.message.contains("占位符 {office_abbr} 无法识别"), "{e}");

        let e = err("[operator]\nname = \"某办\"\n");
        assert_eq!(e.field, "operator");
        assert!(e.message.contains("url 或 email"), "{e}");
        let e = err("[operator]\nname = \"某办\"\nurl = \"ftp://x.gov.cn/\"\n");
        assert_eq!((e.line, e.field.as_str()), (3, "operator.url"));
        let e = err("[operator]\nname = \"某办\"\nemail = \"not an address\"\n");
        assert_eq!(e.field, "operator.email");
        let e = err("[operator]\nname = \"某办\"\nname_en = \"某办\"\nemail = \"a@b.cn\"\n");
        assert_eq!(e.field, "operator.name_en");
        let e = err("[operator]\nname = \"某办\\r\\nX: y\"\nemail = \"a@b.cn\"\n");
        assert!(e.message.contains("控制字符"), "{e}");

        let e = err("[bulletin]\nrecipients = [\"甲\", \"\"]\n");
        assert_eq!(e.field, "bulletin.recipients[2]");
        let e = err("[operater]\nname = \"x\"\n");
        assert_eq!((e.line, e.field.as_str()), (1, "operater"));
    }
}
