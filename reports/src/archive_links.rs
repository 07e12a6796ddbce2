//! Evidence links into the archive (存档) and the screenshots shown on site pages.
//!
//! Every evidence entry links to the live page (原网页, which may have changed by the time anyone appeals) and to its
//! archived copy (存档) on a replay server: `gongkai serve` by default (`/record/<id>`, the record results.json cites),
//! pywb (`<base>/<timestamp>id_/<url>`, `base` ending in the collection), or any server through a template with
//! `{timestamp}`, `{url}` and `{record}`. The timestamp is the site's crawl start: replay tools answer the capture
//! closest to it, which is that crawl's.

use serde::Serialize;
use std::collections::BTreeMap;

/// `gongkai serve`'s own address, the default replay base.
pub const DEFAULT_REPLAY_BASE: &str = "http://127.0.0.1:8780";

/// How 存档 links are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplayLinks {
    /// `gongkai serve` at this base: `<base>/record/<id>` (or `<base>/<timestamp>/<url>` without a record id).
    Gongkai { base: String },
    /// pywb: `<base>/<timestamp>id_/<url>`, `base` ending in the collection (`http://127.0.0.1:8080/gongkai`).
    Pywb { base: String },
    /// A template with `{timestamp}`, `{url}` and/or `{record}`.
    Template(String),
}

impl Default for ReplayLinks {
    fn default() -> Self {
        ReplayLinks::Gongkai { base: DEFAULT_REPLAY_BASE.to_string() }
    }
}

impl ReplayLinks {
    /// From `--replay-base URL` and `--replay-style gongkai|pywb`; a base holding `{url}` or `{record}` is a template.
    pub fn from_flags(base: Option<&str>, style: Option<&str>) -> Result<ReplayLinks, String> {
        let base = base.map(str::trim).unwrap_or(DEFAULT_REPLAY_BASE);
        if base.contains("{url}") || base.contains("{record}") {
            return Ok(ReplayLinks::Template(base.to_string()));
        }
        let parsed = url::Url::parse(base).map_err(|e| format!("--replay-base {base:?}：不是网址（{e}）"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(format!("--replay-base {base:?}：只能是 http 或 https 网址"));
        }
        let base = base.trim_end_matches('/').to_string();
        match style.map(str::trim).unwrap_or("gongkai") {
            "gongkai" => Ok(ReplayLinks::Gongkai { base }),
            "pywb" => Ok(ReplayLinks::Pywb { base }),
            other => Err(format!("--replay-style {other:?}：应为 gongkai 或 pywb")),
        }
    }

    /// The 存档 link of an evidence URL; None when the URL is not http(s) (nothing was archived for it).
    pub fn href(&self, url: &str, record_id: Option<&str>, timestamp: &str) -> Option<String> {
        let url = crate::html::safe_href(url)?;
        let record = record_id.map(|r| r.trim().trim_start_matches("urn:uuid:")).filter(|r| !r.is_empty());
        let href = match (self, record) {
            (ReplayLinks::Gongkai { base }, Some(id)) => format!("{base}/record/{}", encode_segment(id)),
            (ReplayLinks::Gongkai { base }, None) => format!("{base}/{timestamp}/{url}"),
            (ReplayLinks::Pywb { base }, _) => format!("{base}/{timestamp}id_/{url}"),
            (ReplayLinks::Template(t), _) => t
                .replace("{timestamp}", timestamp)
                .replace("{record}", &encode_segment(record.unwrap_or_default()))
                .replace("{url}", &url),
        };
        crate::html::safe_href(&href)
    }
}

/// A record id as a path segment (ids are `[0-9a-f-]`; anything else is percent-encoded).
fn encode_segment(s: &str) -> String {
    s.bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b == b'-' { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// `2026-11-30T09:00:00+08:00` → `20261130010000` (UTC, 14 digits), as replay URLs write times.
pub fn replay_timestamp(rfc3339: &str) -> Option<String> {
    chrono::DateTime::parse_from_rfc3339(rfc3339.trim())
        .ok()
        .map(|t| t.with_timezone(&chrono::Utc).format("%Y%m%d%H%M%S").to_string())
}

/// A screenshot of an archived evidence page, shown on the site's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Screenshot {
    /// Relative to the report directory: `screenshots/<site-id>-<n>.png`.
    pub file: String,
    /// The evidence URL it shows.
    pub url: String,
    /// What it is evidence for (the veto's title).
    pub caption: String,
}

/// What the reports say beyond results.json: where 存档 links go, and the screenshots taken for vetoes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReportOptions {
    pub replay: ReplayLinks,
    /// By site id.
    pub screenshots: BTreeMap<String, Vec<Screenshot>>,
    /// Why there are no screenshots (no browser, turned off), shown on the pages of vetoed sites; None when taken.
    pub screenshot_note: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_for_each_replay_style() {
        let id = Some("urn:uuid:7b713308-cb61-43fa-bd9c-59bc504df6b4");
        let u = "http://www.x.gov.cn/a b.html";
        let g = ReplayLinks::default();
        assert_eq!(
            g.href(u, id, "20261130010000").unwrap(),
            "http://127.0.0.1:8780/record/7b713308-cb61-43fa-bd9c-59bc504df6b4"
        );
        assert_eq!(
            g.href(u, None, "20261130010000").unwrap(),
            "http://127.0.0.1:8780/20261130010000/http://www.x.gov.cn/a%20b.html"
        );
        let p = ReplayLinks::from_flags(Some("http://127.0.0.1:8080/gongkai/"), Some("pywb")).unwrap();
        assert_eq!(
            p.href(u, id, "20261130010000").unwrap(),
            "http://127.0.0.1:8080/gongkai/20261130010000id_/http://www.x.gov.cn/a%20b.html"
        );
        let t = ReplayLinks::from_flags(Some("https://wayback.example/{timestamp}/{url}"), None).unwrap();
        assert_eq!(t.href(u, id, "1").unwrap(), "https://wayback.example/1/http://www.x.gov.cn/a%20b.html");
        assert_eq!(g.href("javascript:alert(1)", id, "1"), None);
        assert!(ReplayLinks::from_flags(Some("ftp://x/"), None).is_err());
        assert!(ReplayLinks::from_flags(None, Some("wayback")).is_err());
        assert_eq!(replay_timestamp("2026-11-30T09:00:00+08:00").unwrap(), "20261130010000");
    }
}
