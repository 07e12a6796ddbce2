//! gongkai-reports: everything a user reads after an assessment, written from one [`Results`] (results.json,
//! docs/commands.md) and, for the month-over-month comparison, the previous month's.
//!
//! | file | writer |
//! |---|---|
//! | `results.json` | [`write_results_json`] |
//! | `report.html` | [`report_html`] (one self-contained page: ranking, charts, every finding with its evidence) |
//! | `sites/<id>.html` | [`site_html`] (one site's 整改清单, most serious first) |
//! | `ranking.csv` | [`ranking_csv`] (UTF-8 with BOM so spreadsheet programs read Chinese) |
//! | `report.xlsx` | [`report_xlsx`] |
//! | `bulletin.md` | [`bulletin_md`] (the 红黑榜 通报) |
//! | `bulletin.docx` | [`bulletin_docx`] (the same 通报 as a Word document in 公文 format, GB/T 9704) |
//!
//! [`write_all`] writes all of them into one directory ([`write_all_with`]: with the 通报's settings from gongkai.toml).
//!
//! Sites that were not assessed (docs/results.md `status`: `not_assessed`, grade 未检查, no score) are shown in every
//! format as 未检查 with their reason, after the ranking and apart from it (no rank, no score — never NaN, never 0),
//! and counted in no average, grade count or chart; the exception is a site whose home page was unreachable
//! (`veto.unreachable` from probe data), which is on the black list for that reason. 需人工复核 warnings
//! (`SiteResult::review`) and finding occurrences (`3处`) are shown wherever the site or finding is.
//!
//! Why the care about escaping: titles, column names, URLs and observed text come from crawled pages, i.e. from
//! whoever controls (or has defaced) a government site. They are untrusted everywhere: HTML templates auto-escape,
//! links are only made for http/https URLs, the report page carries a Content-Security-Policy that allows only its own
//! inline script (by hash), the bulletin escapes Markdown syntax, and spreadsheet cells are written as text, never as
//! formulas. Site ids become file names, so they are checked (`[a-z0-9-]`) and refused otherwise.
//!
//! ```
//! # fn main() -> anyhow::Result<()> {
//! // results.json as `gongkai score` wrote it (here an empty assessment).
//! let json = r#"{"assessment": {"as_of": "2026-11-30T12:00:00+08:00",
//!     "rubric": {"id": "default", "version": "2026.11"}, "generated_at": "2026-12-01T09:00:00+08:00"}, "sites": []}"#;
//! let dir = std::env::temp_dir().join(format!("gongkai-reports-doc-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! std::fs::write(dir.join("in.json"), json)?;
//! let results = gongkai_reports::read_results(&dir.join("in.json"))?;
//! let written = gongkai_reports::write_all(&results, None, &dir.join("out"))?;
//! assert!(written.report_html.exists());
//! assert!(gongkai_reports::bulletin_md(&results, None).contains("红榜"));
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok(())
//! # }
//! ```

mod archive_links;
mod bulletin;
mod compare;
mod csv_out;
mod html;
mod json;
mod labels;
#[cfg(any(test, feature = "testing"))]
pub mod synthetic;
mod xlsx;

use anyhow::{Context, Result};
use gongkai_scoring::{Results, SiteResult};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

pub use archive_links::{replay_timestamp, ReplayLinks, ReportOptions, Screenshot, DEFAULT_REPLAY_BASE};
pub use bulletin::{assessment_period, bulletin_docx, bulletin_md, bulletin_md_with};
pub use compare::{compare, Comparison, FindingRef, PreviousStanding, SiteChange};
pub use csv_out::ranking_csv;
pub use html::{report_html, site_html};
pub use json::{read_results, results_json, write_results_json};
pub use xlsx::report_xlsx;

/// The input cannot be reported on as it is (a site id that cannot be a file name, two sites with one id, a results
/// file that does not parse). The command line maps this to exit status 2 (docs/commands.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadInput(pub String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}

/// The files [`write_all`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub results_json: PathBuf,
    pub report_html: PathBuf,
    /// `sites/<id>.html`, in rank order.
    pub site_pages: Vec<PathBuf>,
    pub ranking_csv: PathBuf,
    pub report_xlsx: PathBuf,
    pub bulletin_md: PathBuf,
    pub bulletin_docx: PathBuf,
}

impl Written {
    /// Every file written, the report page first.
    pub fn files(&self) -> impl Iterator<Item = &Path> {
        [
            &self.report_html,
            &self.results_json,
            &self.ranking_csv,
            &self.report_xlsx,
            &self.bulletin_md,
            &self.bulletin_docx,
        ]
        .into_iter()
        .chain(self.site_pages.iter())
        .map(PathBuf::as_path)
    }
}

/// Check that every site id is usable as a file name (`[a-z0-9-]`, 1–100 characters, docs/commands.md) and unique.
pub fn validate(results: &Results) -> Result<()> {
    let mut seen = HashSet::new();
    for site in &results.sites {
        if !is_valid_site_id(&site.id) {
            return Err(BadInput(format!(
                "网站 id {:?}（{:?}）不是由 [a-z0-9-] 组成的 1 到 100 个字符，不能用作文件名",
                site.id, site.name
            ))
            .into());
        }
        if !seen.insert(site.id.as_str()) {
            return Err(BadInput(format!("网站 id {:?} 出现了不止一次", site.id)).into());
        }
    }
    Ok(())
}

/// `[a-z0-9-]{1,100}`.
pub fn is_valid_site_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= 100 && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Write every report format into `out_dir` (created if missing): results.json, report.html, sites/<id>.html,
/// ranking.csv, report.xlsx, bulletin.md. With `previous` (last month's results) the reports carry the
/// month-over-month comparison. Refuses ([`BadInput`]) results whose site ids cannot be file names.
pub fn write_all(results: &Results, previous: Option<&Results>, out_dir: &Path) -> Result<Written> {
    write_all_with(results, previous, out_dir, &gongkai_config::BulletinSettings::default())
}

/// [`write_all`], the 通报 (bulletin.md, bulletin.docx) with the 文号, 主送, office, deadline and `top_n` of
/// `bulletin` (gongkai.toml `[bulletin]`).
pub fn write_all_with(
    results: &Results,
    previous: Option<&Results>,
    out_dir: &Path,
    bulletin: &gongkai_config::BulletinSettings,
) -> Result<Written> {
    write_all_with_options(results, previous, out_dir, bulletin, &ReportOptions::default())
}

/// [`write_all_with`], the evidence's 存档 links and the vetoes' screenshots as `options` say.
pub fn write_all_with_options(
    results: &Results,
    previous: Option<&Results>,
    out_dir: &Path,
    bulletin: &gongkai_config::BulletinSettings,
    options: &ReportOptions,
) -> Result<Written> {
    validate(results)?;
    let comparison = previous.map(|p| compare(results, p));
    let cmp = comparison.as_ref();
    std::fs::create_dir_all(out_dir).with_context(|| format!("创建 {}", out_dir.display()))?;

    let written = Written {
        results_json: out_dir.join("results.json"),
        report_html: out_dir.join("report.html"),
        site_pages: Vec::new(),
        ranking_csv: out_dir.join("ranking.csv"),
        report_xlsx: out_dir.join("report.xlsx"),
        bulletin_md: out_dir.join("bulletin.md"),
        bulletin_docx: out_dir.join("bulletin.docx"),
    };
    // The data files on one thread, the pages on this one: a province's run writes ~100 MB, most of it HTML.
    let site_pages = std::thread::scope(|scope| {
        let data = scope.spawn(|| -> Result<()> {
            write_results_json(results, &written.results_json)?;
            write_file(&written.ranking_csv, &ranking_csv(results, cmp)?)?;
            write_file(&written.report_xlsx, &report_xlsx(results, cmp)?)?;
            write_file(&written.bulletin_md, bulletin_md_with(results, cmp, bulletin).as_bytes())?;
            write_file(&written.bulletin_docx, &bulletin_docx(results, cmp, bulletin)?)?;
            Ok(())
        });
        let pages = write_site_pages_with(results, cmp, out_dir, options).and_then(|pages| {
            let page = html::Renderer::new(results, cmp)?.with_options(options.clone()).report()?;
            write_file(&written.report_html, page.as_bytes()).map(|()| pages)
        });
        let data = data.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        data.and(pages)
    })?;
    Ok(Written { site_pages, ..written })
}

/// Write `sites/<id>.html` for every site, in rank order; returns the paths.
pub fn write_site_pages(results: &Results, comparison: Option<&Comparison>, out_dir: &Path) -> Result<Vec<PathBuf>> {
    write_site_pages_with(results, comparison, out_dir, &ReportOptions::default())
}

/// [`write_site_pages`] with the evidence's 存档 links and the screenshots as `options` say.
pub fn write_site_pages_with(
    results: &Results,
    comparison: Option<&Comparison>,
    out_dir: &Path,
    options: &ReportOptions,
) -> Result<Vec<PathBuf>> {
    validate(results)?;
    let dir = out_dir.join("sites");
    std::fs::create_dir_all(&dir).with_context(|| format!("创建 {}", dir.display()))?;
    let renderer = html::Renderer::new(results, comparison)?.with_options(options.clone());
    let mut paths = Vec::with_capacity(results.sites.len());
    for site in ranked(results) {
        let path = dir.join(format!("{}.html", site.id));
        write_file(&path, renderer.site(site)?.as_bytes())?;
        paths.push(path);
    }
    Ok(paths)
}

/// Sites in rank order (ties, which a correct scorer never produces, by id), then the sites that were not assessed
/// (unranked, `rank` 0) by id, so every format lists them alike.
pub(crate) fn ranked(results: &Results) -> Vec<&SiteResult> {
    let mut sites: Vec<&SiteResult> = results.sites.iter().collect();
    sites.sort_by(|a, b| {
        b.assessed().cmp(&a.assessed()).then_with(|| a.rank.cmp(&b.rank)).then_with(|| a.id.cmp(&b.id))
    });
    sites
}

/// The assessed sites in rank order and the not-assessed ones by id: the ranking and what stands apart from it.
pub(crate) fn split_ranked(results: &Results) -> (Vec<&SiteResult>, Vec<&SiteResult>) {
    ranked(results).into_iter().partition(|s| s.assessed())
}

/// Why a site was not assessed, as the scorer gave it (or a generic reason when it gave none).
pub(crate) fn not_assessed_reason(site: &SiteResult) -> String {
    match site.status_reason.as_deref().map(str::trim) {
        Some(r) if !r.is_empty() => r.to_string(),
        _ => "未能读取网站内容（未说明原因）".to_string(),
    }
}

/// A not-assessed site that is on the black list because `veto.unreachable` fired from probe data.
pub(crate) fn unreachable_black(site: &SiteResult) -> bool {
    !site.assessed() && site.list == Some(gongkai_scoring::ListKind::Black)
}

/// A site's 需人工复核 warnings as one line (`原因一；原因二`), empty when there are none.
pub(crate) fn review_text(site: &SiteResult) -> String {
    site.review.iter().map(|r| r.reason.trim()).filter(|r| !r.is_empty()).collect::<Vec<_>>().join("；")
}

/// The short kind of a not-assessed reason (`首页无法访问（dns …）` → `首页无法访问`), for counting reasons.
pub(crate) fn reason_kind(reason: &str) -> &str {
    let cut = reason.find(['（', '(', '：', ':', '，', ',']).unwrap_or(reason.len());
    let kind = reason[..cut].trim();
    if kind.is_empty() {
        reason.trim()
    } else {
        kind
    }
}

/// A score as shown for a site: `86.5`, or `—` when there is none (a site that was not assessed).
pub(crate) fn fmt_score(x: f64) -> String {
    if x.is_finite() {
        fmt_points(x)
    } else {
        "—".to_string()
    }
}

/// `（3处）`-style count of a finding's occurrences, `None` when it is one (or not given).
pub(crate) fn occurrences_text(f: &gongkai_scoring::Finding) -> Option<String> {
    (f.occurrences > 1).then(|| format!("{}处", f.occurrences))
}

/// Write through a temporary file and rename, so a reader never sees half a report.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.tmp"));
    std::fs::write(&tmp, bytes).with_context(|| format!("写入 {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("重命名 {} 为 {}", tmp.display(), path.display()))?;
    Ok(())
}

/// Round to two decimals for display (scores add 0.2- and 0.5-point deductions, so binary noise is possible).
pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// `86.5`, `86`, `85.25`, `-3`: a score or point value as a person writes it.
pub(crate) fn fmt_points(x: f64) -> String {
    let r = round2(x);
    let s = format!("{r:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_ids_must_be_file_name_safe() {
        assert!(is_valid_site_id("sc-cd-jinniu"));
        assert!(is_valid_site_id("a1"));
        for bad in ["", "../etc", "a/b", "A", "a b", "a.html", "中文", "a\0", &"x".repeat(101)] {
            assert!(!is_valid_site_id(bad), "{bad:?} accepted");
        }
    }

    #[test]
    fn validate_refuses_bad_and_duplicate_ids() {
        let mut r = synthetic::results(3, 1);
        assert!(validate(&r).is_ok());
        r.sites[1].id = "../../evil".into();
        let err = validate(&r).unwrap_err();
        assert!(err.downcast_ref::<BadInput>().is_some());
        r.sites[1].id = r.sites[0].id.clone();
        let err = validate(&r).unwrap_err();
        assert!(err.to_string().contains("出现了不止一次"), "{err}");
    }

    #[test]
    fn write_all_refuses_bad_id_before_writing_anything() {
        let dir = tempfile::tempdir().unwrap();
        let mut r = synthetic::results(2, 1);
        r.sites[0].id = "../x".into();
        let err = write_all(&r, None, dir.path()).unwrap_err();
        assert!(err.downcast_ref::<BadInput>().is_some());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn points_format_like_a_person_writes_them() {
        assert_eq!(fmt_points(86.5), "86.5");
        assert_eq!(fmt_points(86.0), "86");
        assert_eq!(fmt_points(0.1 + 0.2), "0.3");
        assert_eq!(fmt_points(85.25), "85.25");
        assert_eq!(fmt_points(-0.001), "0");
        assert_eq!(fmt_points(-3.0), "-3");
    }
}
