//! 网站临时报备: planned downtime a site filed in advance (server moves, power work), so that the availability probes
//! inside the filed window do not count against it.
//!
//! A filings file is kept by the office that accepts the filings, one `[[filing]]` per window:
//!
//! ```toml
//! [[filing]]
//! site = "sc-cd-jinniu"
//! from = "2026-11-12 22:00"            # Asia/Shanghai, or RFC 3339 with its offset
//! to = "2026-11-13 06:00"
//! reason = "机房电力改造"
//! ```
//!
//! A window is at most [`MAX_FILING_DAYS`] days (a 临时 filing; a longer outage is not planned downtime) and names a
//! site of the run. Scoring leaves the probes inside a window out of every availability rule and says how many it left
//! out, and why, in the site's result.

use std::path::Path;

use chrono::{DateTime, FixedOffset, Utc};
use serde::Deserialize;
use toml_edit::Item;

use crate::error::{ConfigError, TomlFile};
use crate::period::parse_as_of;
use crate::site::Site;

/// The longest window one filing may cover.
pub const MAX_FILING_DAYS: i64 = 7;

/// One filed window of planned downtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filing {
    pub site: String,
    pub from: DateTime<FixedOffset>,
    pub to: DateTime<FixedOffset>,
    pub reason: String,
}

impl Filing {
    /// Whether `at` falls inside the window (both ends included).
    pub fn covers(&self, at: DateTime<Utc>) -> bool {
        self.from <= at && at <= self.to
    }
}

/// Every filing of a filings file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filings {
    pub file: String,
    pub entries: Vec<Filing>,
    /// Where each entry's `site` value is (an error without its message), for [`Filings::check_sites`].
    site_places: Vec<ConfigError>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFilings {
    #[serde(default)]
    filing: Vec<RawFiling>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFiling {
    site: toml::Spanned<String>,
    from: toml::Spanned<String>,
    to: toml::Spanned<String>,
    reason: toml::Spanned<String>,
}

impl Filings {
    /// Reads a filings file.
    pub fn load(path: &Path) -> Result<Filings, ConfigError> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|e| ConfigError::whole_file(&file, format!("无法读取报备文件：{}", crate::io_error_zh(&e))))?;
        Filings::parse(&text, &file)
    }

    /// Parses filings text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Filings, ConfigError> {
        let toml = TomlFile::parse(text, file)?;
        let raw: RawFilings = toml.deserialize(Item::Table(toml.root().clone()), None)?;
        let mut entries = Vec::with_capacity(raw.filing.len());
        let mut site_places = Vec::with_capacity(raw.filing.len());
        for f in &raw.filing {
            let time = |s: &toml::Spanned<String>| {
                let t = parse_as_of(s.get_ref()).map_err(|m| toml.error_at(Some(s.span()), m))?;
                if s.get_ref().trim().len() == "2026-11-12".len() {
                    return Err(toml.error_at(
                        Some(s.span()),
                        "请同时写明时刻（如 \"2026-11-12 22:00\"）：报备的停机时段有具体的开始和结束时间",
                    ));
                }
                Ok(t)
            };
            let (from, to) = (time(&f.from)?, time(&f.to)?);
            if to <= from {
                return Err(toml.error_at(Some(f.to.span()), "`to` 应晚于 `from`"));
            }
            if to - from > chrono::Duration::days(MAX_FILING_DAYS) {
                return Err(toml.error_at(
                    Some(f.to.span()),
                    format!("一次报备最长 {MAX_FILING_DAYS} 天；更长时间的停机不属于临时报备"),
                ));
            }
            let reason = f.reason.get_ref().trim();
            if reason.is_empty() {
                return Err(toml.error_at(Some(f.reason.span()), "请填写停机原因"));
            }
            site_places.push(toml.error_at(Some(f.site.span()), String::new()));
            entries.push(Filing { site: f.site.get_ref().clone(), from, to, reason: reason.to_string() });
        }
        Ok(Filings { file: file.to_string(), entries, site_places })
    }

    /// Every filing names a site of `sites` (a filing for a site the run does not know is a typo that would silently
    /// leave a failing site's probes counted).
    pub fn check_sites(&self, sites: &[Site]) -> Result<(), ConfigError> {
        for (f, place) in self.entries.iter().zip(&self.site_places) {
            if !sites.iter().any(|s| s.id == f.site) {
                return Err(ConfigError {
                    message: format!("站点文件中没有 id 为 \"{}\" 的站点", f.site),
                    ..place.clone()
                });
            }
        }
        Ok(())
    }

    /// The filings of site `id`.
    pub fn for_site<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Filing> + 'a {
        self.entries.iter().filter(move |f| f.site == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &str =
        "[[filing]]\nsite = \"a\"\nfrom = \"2026-11-12 22:00\"\nto = \"2026-11-13 06:00\"\nreason = \"机房电力改造\"\n";

    #[test]
    fn a_window_covers_its_probes_only() {
        let f = Filings::parse(OK, "filings.toml").unwrap();
        let f = &f.entries[0];
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert!(f.covers(at("2026-11-12T22:00:00+08:00")));
        assert!(f.covers(at("2026-11-12T15:30:00Z")));
        assert!(f.covers(at("2026-11-13T06:00:00+08:00")));
        assert!(!f.covers(at("2026-11-13T06:00:01+08:00")));
        assert!(!f.covers(at("2026-11-12T21:59:59+08:00")));
    }

    #[test]
    fn bad_filings_name_line_and_field() {
        let e = Filings::parse(&OK.replace("2026-11-13 06:00", "2026-11-12 21:00"), "f.toml").unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (4, "filing[1].to"), "{e}");
        let e = Filings::parse(&OK.replace("2026-11-13 06:00", "2026-11-30 06:00"), "f.toml").unwrap_err();
        assert!(e.message.contains("一次报备最长 7 天"), "{e}");
        let e = Filings::parse(&OK.replace("2026-11-12 22:00", "2026-11-12"), "f.toml").unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (3, "filing[1].from"), "{e}");
        let e = Filings::parse(&OK.replace("机房电力改造", " "), "f.toml").unwrap_err();
        assert_eq!(e.field, "filing[1].reason", "{e}");
        let e = Filings::parse(&OK.replace("reason", "why"), "f.toml").unwrap_err();
        assert_eq!(e.line, 5, "{e}");
    }

    #[test]
    fn a_filing_for_an_unknown_site_is_refused() {
        let f = Filings::parse(OK, "filings.toml").unwrap();
        let sites = crate::parse_sites(
            "[[site]]\nid = \"b\"\nname = \"乙县人民政府\"\nurl = \"http://www.b.gov.cn/\"\nregion = [\"某省\"]\nlevel = \"county\"\n",
            "sites.toml",
        )
        .unwrap();
        let e = f.check_sites(&sites).unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (2, "filing[1].site"), "{e}");
        assert!(e.message.contains("没有 id 为 \"a\" 的站点"), "{e}");
    }
}
