//! The sites under assessment, as declared in `sites.toml` (docs/sites.md).

use serde::{Deserialize, Serialize};
use url::Url;

/// Administrative level of a site (docs/rules.md: some rules apply only to some levels).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Province,
    City,
    County,
    Township,
    Department,
}

impl Level {
    pub const ALL: [Level; 5] = [Level::Province, Level::City, Level::County, Level::Township, Level::Department];

    /// The identifier used in files (`county`).
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Province => "province",
            Level::City => "city",
            Level::County => "county",
            Level::Township => "township",
            Level::Department => "department",
        }
    }

    /// The Chinese name used in reports (`县级`).
    pub fn label_zh(self) -> &'static str {
        match self {
            Level::Province => "省级",
            Level::City => "市级",
            Level::County => "县级",
            Level::Township => "乡镇",
            Level::Department => "部门",
        }
    }

    /// Parses the identifier used in files; the error says what was expected.
    pub fn parse(name: &str) -> Result<Level, String> {
        Level::ALL
            .iter()
            .copied()
            .find(|l| l.as_str() == name)
            .ok_or_else(|| format!("未知的级别 \"{name}\"（可选：{}）", Level::ALL.map(Level::as_str).join("、")))
    }

    /// Governments (as opposed to departments): their portal must be `www.<name>.gov.cn`.
    pub fn is_government(self) -> bool {
        !matches!(self, Level::Department)
    }
}

impl std::str::FromStr for Level {
    type Err = String;
    fn from_str(s: &str) -> Result<Level, String> {
        Level::parse(s)
    }
}

impl<'de> Deserialize<'de> for Level {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Level::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// One site to assess, with its defaults already applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    /// Unique id, `[a-z0-9-]+`.
    pub id: String,
    /// Official name, e.g. 成都市金牛区人民政府.
    pub name: String,
    /// Home page.
    pub url: Url,
    /// Region path from province down, e.g. ["四川省", "成都市", "金牛区"].
    pub region: Vec<String>,
    pub level: Level,
    /// The 政府信息公开 platform when it lives elsewhere; what lies under this URL's path belongs to the site.
    pub platform: Option<Url>,
    /// Requests per second per host.
    pub rate: f64,
    pub max_pages: u32,
    pub max_depth: u32,
    /// Link checks over the network for this site's crawl (targets past it are recorded as not checked, 未检查).
    #[serde(default = "default_max_link_checks")]
    pub max_link_checks: u32,
}

fn default_max_link_checks() -> u32 {
    DEFAULT_MAX_LINK_CHECKS
}

// ---------------------------------------------------------------------------------------------------------------------
// sites.toml

use std::collections::HashMap;
use std::path::Path;

use serde_spanned::Spanned;
use toml_edit::Item;

use crate::error::{ConfigError, TomlFile};

/// Values used when neither the site nor `[defaults]` gives them (docs/commands.md).
pub const DEFAULT_RATE: f64 = 2.0;
pub const DEFAULT_MAX_PAGES: u32 = 2000;
pub const DEFAULT_MAX_DEPTH: u32 = 6;
pub const DEFAULT_MAX_LINK_CHECKS: u32 = 2000;

/// Accepted ranges (a value outside is an error naming the range).
pub const MAX_SITE_ID_CHARS: usize = 64;
pub const MAX_SITE_NAME_CHARS: usize = 200;
/// Rates: at least one request per hour, at most 1000 per second per host.
pub const MIN_RATE: f64 = 1.0 / 3600.0;
pub const MAX_RATE: f64 = 1000.0;
pub const MAX_MAX_PAGES: u32 = 10_000_000;
pub const MAX_MAX_DEPTH: u32 = 100;
pub const MAX_MAX_LINK_CHECKS: u32 = 10_000_000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSitesFile {
    #[serde(default)]
    defaults: Option<RawDefaults>,
    #[serde(default)]
    site: Vec<RawSite>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawDefaults {
    #[serde(default)]
    rate: Option<Spanned<String>>,
    #[serde(default)]
    max_pages: Option<Spanned<u32>>,
    #[serde(default)]
    max_depth: Option<Spanned<u32>>,
    #[serde(default)]
    max_link_checks: Option<Spanned<u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSite {
    id: Spanned<String>,
    name: Spanned<String>,
    url: Spanned<String>,
    #[serde(default)]
    region: Vec<String>,
    level: Spanned<String>,
    #[serde(default)]
    platform: Option<Spanned<String>>,
    #[serde(default)]
    rate: Option<Spanned<String>>,
    #[serde(default)]
    max_pages: Option<Spanned<u32>>,
    #[serde(default)]
    max_depth: Option<Spanned<u32>>,
    #[serde(default)]
    max_link_checks: Option<Spanned<u32>>,
}

/// Parses a rate per host: `"2/s"`, `"0.5/s"`, `"30/min"`, `"600/h"`, or a bare number meaning per second. Returns
/// requests per second, from 1/h to 1000/s ([`MIN_RATE`], [`MAX_RATE`]). Shared with the `--rate` flag.
pub fn parse_rate(text: &str) -> Result<f64, String> {
    let t = text.trim();
    let bad = || format!("速率 \"{text}\" 无效：应写成每单位时间的请求数，如 \"2/s\"、\"0.5/s\" 或 \"30/min\"");
    let (num, per) = match t.split_once('/') {
        Some((n, u)) => {
            let secs = match u.trim() {
                "s" | "sec" | "second" => 1.0,
                "m" | "min" | "minute" => 60.0,
                "h" | "hour" => 3600.0,
                _ => return Err(bad()),
            };
            (n.trim(), secs)
        }
        None => (t, 1.0),
    };
    let n: f64 = num.parse().map_err(|_| bad())?;
    if !n.is_finite() || n <= 0.0 {
        return Err(format!("速率 \"{text}\" 无效：必须大于 0（允许 1/h 到 1000/s）"));
    }
    let r = n / per;
    // A small tolerance so that "1/h" itself is accepted despite rounding.
    if !(MIN_RATE * (1.0 - 1e-9)..=MAX_RATE).contains(&r) {
        return Err(format!(
            "速率 \"{text}\" 超出范围：每个主机允许 1/h 到 1000/s（请尽量放慢：被检查的是政府网站的服务器）"
        ));
    }
    Ok(r)
}

/// Reads `sites.toml` (docs/sites.md) and returns the sites with `[defaults]` applied.
pub fn load_sites(path: &Path) -> Result<Vec<Site>, ConfigError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|e| ConfigError::whole_file(&file, format!("无法读取站点文件：{}", crate::io_error_zh(&e))))?;
    parse_sites(&text, &file)
}

fn is_site_id(id: &str) -> bool {
    !id.is_empty() && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A home page or platform address: http or https with a host.
fn parse_web_url(text: &str) -> Result<Url, String> {
    // The URL parser is lenient for http(s): `http:///x` and `http:x` silently become `http://x/`. Ask for `//host`.
    let t = text.trim();
    if let Some((scheme, rest)) = t.split_once(':') {
        let special = scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https");
        let after = rest.strip_prefix("//").map(|r| r.trim_start_matches('\\'));
        if special
            && !matches!(after, Some(r) if !r.is_empty() && !r.starts_with('/') && !r.starts_with('?') && !r.starts_with('#'))
        {
            return Err(format!("网址 \"{text}\" 无效：{scheme}:// 之后应为主机名（如 http://www.example.gov.cn/）"));
        }
    }
    let url = Url::parse(t).map_err(|e| {
        format!("网址 \"{text}\" 无效（{}）：应为 http:// 或 https:// 开头、带主机名的地址", url_error_zh(e))
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("网址 \"{text}\" 无效：协议是 {}，应为 http 或 https", url.scheme()));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(format!("网址 \"{text}\" 无效：缺少主机名"));
    }
    Ok(url)
}

/// The URL parser's reason in Chinese (its own text when it is one this does not know).
fn url_error_zh(e: url::ParseError) -> String {
    use url::ParseError as P;
    match e {
        P::EmptyHost => "主机名为空".into(),
        P::IdnaError => "域名无效".into(),
        P::InvalidPort => "端口号无效".into(),
        P::InvalidIpv4Address => "IPv4 地址无效".into(),
        P::InvalidIpv6Address => "IPv6 地址无效".into(),
        P::InvalidDomainCharacter => "域名含有不允许的字符".into(),
        P::RelativeUrlWithoutBase => "缺少 http:// 或 https:// 开头".into(),
        other => other.to_string(),
    }
}

/// A site's crawl limits: its own values, else those of `[defaults]`, else gongkai's.
#[derive(Debug, Clone, Copy)]
struct Limits {
    rate: f64,
    max_pages: u32,
    max_depth: u32,
    max_link_checks: u32,
}

/// The limit keys of a `[defaults]` or `[[site]]` table.
struct LimitKeys<'a> {
    rate: &'a Option<Spanned<String>>,
    max_pages: &'a Option<Spanned<u32>>,
    max_depth: &'a Option<Spanned<u32>>,
    max_link_checks: &'a Option<Spanned<u32>>,
}

impl Limits {
    const BUILT_IN: Limits = Limits {
        rate: DEFAULT_RATE,
        max_pages: DEFAULT_MAX_PAGES,
        max_depth: DEFAULT_MAX_DEPTH,
        max_link_checks: DEFAULT_MAX_LINK_CHECKS,
    };

    /// These limits with the values `keys` gives (checked), fields named `{table}.{key}`.
    fn with(self, toml: &TomlFile, keys: LimitKeys, table: &str) -> Result<Limits, ConfigError> {
        let field = |k: &str| format!("{table}.{k}");
        let num = |v: &Option<Spanned<u32>>, k: &str, min: u32, max: u32, base: u32| match v {
            Some(v) => in_range(toml, v, field(k), min, max),
            None => Ok(base),
        };
        Ok(Limits {
            rate: match keys.rate {
                Some(r) => parse_rate(r.get_ref()).map_err(|m| toml.error(Some(r.span()), field("rate"), m))?,
                None => self.rate,
            },
            max_pages: num(keys.max_pages, "max_pages", 1, MAX_MAX_PAGES, self.max_pages)?,
            max_depth: num(keys.max_depth, "max_depth", 0, MAX_MAX_DEPTH, self.max_depth)?,
            max_link_checks: num(
                keys.max_link_checks,
                "max_link_checks",
                0,
                MAX_MAX_LINK_CHECKS,
                self.max_link_checks,
            )?,
        })
    }
}

fn in_range(toml: &TomlFile, v: &Spanned<u32>, field: String, min: u32, max: u32) -> Result<u32, ConfigError> {
    let n = *v.get_ref();
    if n < min || n > max {
        Err(toml.error(Some(v.span()), field, format!("{n} 超出范围：应为 {min} 到 {max} 的整数")))
    } else {
        Ok(n)
    }
}

/// A site's id: well formed, not too long, unique in the file (`seen`: id → position and line of its first use).
fn site_id(
    toml: &TomlFile,
    text: &str,
    s: &RawSite,
    n: usize,
    seen: &mut HashMap<String, (usize, usize)>,
) -> Result<String, ConfigError> {
    let field = format!("site[{n}].id");
    let id = s.id.get_ref().clone();
    if id.chars().count() > MAX_SITE_ID_CHARS {
        return Err(toml.error(
            Some(s.id.span()),
            field,
            format!(
                "站点 id 长 {} 个字符：最多 {MAX_SITE_ID_CHARS} 个（小写字母 a-z、数字和 '-'）",
                id.chars().count()
            ),
        ));
    }
    if !is_site_id(&id) {
        return Err(toml.error(
            Some(s.id.span()),
            field,
            format!("站点 id \"{id}\" 无效：只能用小写字母 a-z、数字和 '-'"),
        ));
    }
    let (line, _) = crate::error::line_column(text, s.id.span().start);
    if let Some((first, first_line)) = seen.insert(id.clone(), (n, line)) {
        return Err(toml.error(
            Some(s.id.span()),
            field,
            format!("站点 id \"{id}\" 重复：第 {first_line} 行的 site[{first}] 已经用过；每个站点的 id 必须不同"),
        ));
    }
    Ok(id)
}

/// A site's official name, trimmed: not empty, not too long.
fn site_name(toml: &TomlFile, s: &RawSite, n: usize) -> Result<String, ConfigError> {
    let name = s.name.get_ref().trim();
    if name.is_empty() {
        return Err(toml.error(Some(s.name.span()), format!("site[{n}].name"), "应填写网站的正式名称"));
    }
    let name_len = name.chars().count();
    if name_len > MAX_SITE_NAME_CHARS {
        return Err(toml.error(
            Some(s.name.span()),
            format!("site[{n}].name"),
            format!("名称长 {name_len} 个字符：最多 {MAX_SITE_NAME_CHARS} 个"),
        ));
    }
    Ok(name.to_string())
}

/// Parses `sites.toml` text; `file` names it in errors.
pub fn parse_sites(text: &str, file: &str) -> Result<Vec<Site>, ConfigError> {
    let toml = TomlFile::parse(text, file)?;
    let raw: RawSitesFile = toml.deserialize(Item::Table(toml.root().clone()), None)?;
    let d = raw.defaults.unwrap_or_default();
    if raw.site.is_empty() {
        let span = toml.root().get("site").and_then(|i| i.span()).unwrap_or(0..0);
        return Err(toml.error(Some(span), "site", "没有站点：应至少有一个 [[site]] 表，写明 id、name、url 和 level"));
    }
    let keys = LimitKeys {
        rate: &d.rate,
        max_pages: &d.max_pages,
        max_depth: &d.max_depth,
        max_link_checks: &d.max_link_checks,
    };
    let defaults = Limits::BUILT_IN.with(&toml, keys, "defaults")?;

    let mut sites = Vec::with_capacity(raw.site.len());
    let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
    for (i, s) in raw.site.iter().enumerate() {
        let n = i + 1;
        let field = |k: &str| format!("site[{n}].{k}");
        let id = site_id(&toml, text, s, n, &mut seen)?;
        let name = site_name(&toml, s, n)?;
        let url = parse_web_url(s.url.get_ref()).map_err(|m| toml.error(Some(s.url.span()), field("url"), m))?;
        let level = Level::parse(s.level.get_ref()).map_err(|m| toml.error(Some(s.level.span()), field("level"), m))?;
        let platform = match &s.platform {
            Some(p) => Some(parse_web_url(p.get_ref()).map_err(|m| toml.error(Some(p.span()), field("platform"), m))?),
            None => None,
        };
        let keys = LimitKeys {
            rate: &s.rate,
            max_pages: &s.max_pages,
            max_depth: &s.max_depth,
            max_link_checks: &s.max_link_checks,
        };
        let limits = defaults.with(&toml, keys, &format!("site[{n}]"))?;
        sites.push(Site {
            id,
            name,
            url,
            region: s.region.clone(),
            level,
            platform,
            rate: limits.rate,
            max_pages: limits.max_pages,
            max_depth: limits.max_depth,
            max_link_checks: limits.max_link_checks,
        });
    }
    Ok(sites)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates() {
        assert_eq!(parse_rate("2/s"), Ok(2.0));
        assert_eq!(parse_rate("0.5/s"), Ok(0.5));
        assert_eq!(parse_rate("30/min"), Ok(0.5));
        assert_eq!(parse_rate("3600/h"), Ok(1.0));
        assert_eq!(parse_rate("4"), Ok(4.0));
        assert!(parse_rate("0/s").unwrap_err().contains("必须大于 0"));
        assert_eq!(parse_rate("1/h"), Ok(1.0 / 3600.0));
        assert_eq!(parse_rate("1000/s"), Ok(1000.0));
        assert!(parse_rate("1e308/s").unwrap_err().contains("超出范围：每个主机允许 1/h 到 1000/s"));
        assert!(parse_rate("inf").is_err());
        assert!(parse_rate("1/min").is_ok() && parse_rate("0.1/h").is_err());
        assert!(parse_rate("fast").unwrap_err().contains("应写成每单位时间的请求数"));
        assert!(parse_rate("2/day").is_err());
    }

    #[test]
    fn defaults_apply_in_order() {
        let text = r#"
[defaults]
rate = "1/s"
max_pages = 500

[[site]]
id = "a"
name = "甲县人民政府"
url = "http://www.a.gov.cn/"
region = ["某省", "甲县"]
level = "county"

[[site]]
id = "b"
name = "乙局"
url = "https://b.a.gov.cn/"
level = "department"
platform = "http://xxgk.a.gov.cn/b/"
rate = "30/min"
max_depth = 3
"#;
        let sites = parse_sites(text, "sites.toml").unwrap();
        assert_eq!(sites.len(), 2);
        assert_eq!((sites[0].rate, sites[0].max_pages, sites[0].max_depth), (1.0, 500, DEFAULT_MAX_DEPTH));
        assert_eq!((sites[1].rate, sites[1].max_pages, sites[1].max_depth), (0.5, 500, 3));
        assert_eq!(sites[1].platform.as_ref().unwrap().as_str(), "http://xxgk.a.gov.cn/b/");
        assert_eq!(sites[1].level, Level::Department);
        assert!(sites[1].region.is_empty());
        let none =
            parse_sites("[[site]]\nid = \"c\"\nname = \"丙\"\nurl = \"http://www.c.gov.cn\"\nlevel = \"city\"\n", "s")
                .unwrap();
        assert_eq!(
            (none[0].rate, none[0].max_pages, none[0].max_depth),
            (DEFAULT_RATE, DEFAULT_MAX_PAGES, DEFAULT_MAX_DEPTH)
        );
    }
}
