//! The sites under assessment, as declared in `sites.toml` (CONTRACT.md).

use serde::{Deserialize, Serialize};
use url::Url;

/// Administrative level of a site (RUBRIC.md: some rules apply only to some levels).
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

    /// The Chinese name used in reports (`县区`).
    pub fn label_zh(self) -> &'static str {
        match self {
            Level::Province => "省级",
            Level::City => "市级",
            Level::County => "县区",
            Level::Township => "乡镇",
            Level::Department => "部门",
        }
    }

    /// Parses the identifier used in files; the error says what was expected.
    pub fn parse(name: &str) -> Result<Level, String> {
        Level::ALL.iter().copied().find(|l| l.as_str() == name).ok_or_else(|| {
            format!(
                "unknown level \"{name}\", expected one of {}",
                Level::ALL.map(Level::as_str).join(", ")
            )
        })
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
}
