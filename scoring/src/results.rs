//! results.json (CONTRACT.md). Field names and shapes here are a contract with scripts: add, never rename.

use gongkai_config::{Grade, Level};
use serde::{Deserialize, Serialize};

/// The whole result of one assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub assessment: Assessment,
    pub sites: Vec<SiteResult>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// T0, RFC 3339 with the +08:00 offset.
    pub as_of: String,
    pub rubric: RubricRef,
    /// When this file was written (the only field that differs between two scorings of one store).
    pub generated_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RubricRef {
    pub id: String,
    pub version: String,
}

/// `kind` of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FindingKind {
    Veto,
    Deduction,
    Bonus,
}

/// `list` of a site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ListKind {
    Red,
    Black,
}

/// Whether a site was assessed (CONTRACT.md `status`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SiteStatus {
    #[default]
    Assessed,
    /// The site could not be read (home page not fetched, crawl unfinished, too few pages): no rubric findings, no
    /// score; ranked apart and on neither list unless `veto.unreachable` fires from probe data.
    NotAssessed,
}

/// The grade shown for a site that was not assessed.
pub const NOT_ASSESSED_GRADE: Grade = Grade::NotAssessed;

/// A result that looks like a misreading (需人工复核): flagged for an assessor, the score is left as computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Review {
    /// Short id of the plausibility test, e.g. `blank_columns_exceed_navigation`.
    pub check: String,
    /// Why, in Chinese.
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteResult {
    pub id: String,
    pub name: String,
    pub url: String,
    pub region: Vec<String>,
    /// `province` | `city` | `county` | `township` | `department`.
    pub level: Level,
    /// `assessed` or `not_assessed`.
    #[serde(default)]
    pub status: SiteStatus,
    /// Why the site was not assessed (Chinese); null for an assessed site.
    #[serde(default)]
    pub status_reason: Option<String>,
    /// Not a number for a site that was not assessed (written as null in results.json).
    #[serde(serialize_with = "nan_as_null", deserialize_with = "null_as_nan")]
    pub score: f64,
    #[serde(serialize_with = "nan_as_null", deserialize_with = "null_as_nan")]
    pub deduction_score: f64,
    #[serde(serialize_with = "nan_as_null", deserialize_with = "null_as_nan")]
    pub bonus: f64,
    /// 优秀 | 良好 | 合格 | 不合格 | 未检查.
    pub grade: Grade,
    pub vetoed: bool,
    pub vetoes: Vec<String>,
    pub rank: u32,
    pub list: Option<ListKind>,
    pub crawl: CrawlSummary,
    pub identity: Identity,
    pub columns: Vec<ColumnResult>,
    pub findings: Vec<Finding>,
    /// Plausibility warnings (需人工复核); empty when nothing looks like a misreading.
    #[serde(default)]
    pub review: Vec<Review>,
}

impl SiteResult {
    /// Was the site assessed (CONTRACT.md `status`)?
    pub fn assessed(&self) -> bool {
        self.status == SiteStatus::Assessed
    }
}

fn nan_as_null<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    if x.is_finite() {
        s.serialize_f64(*x)
    } else {
        s.serialize_none()
    }
}

fn null_as_nan<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    Ok(Option::<f64>::deserialize(d)?.unwrap_or(f64::NAN))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CrawlSummary {
    pub pages: u64,
    pub errors: u64,
    pub started_at: String,
    pub finished_at: Option<String>,
}

/// What the home page shows of each identity element (DOMAIN.md), value as printed or null.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    pub site_code: Option<String>,
    pub icp: Option<String>,
    pub police: Option<String>,
    pub badge: bool,
    pub sponsor: Option<String>,
    pub contact: bool,
    pub error_entry: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnResult {
    /// Canonical category (DOMAIN.md), e.g. `notice`; `other` when none.
    pub category: String,
    /// The category's Chinese name from the rubric file (通知公告); 其他 for `other`.
    #[serde(default)]
    pub category_name: String,
    /// The name the site gives it.
    pub name: String,
    pub url: String,
    pub first_level: bool,
    pub items: u32,
    pub dated_items: u32,
    /// `YYYY-MM-DD`, null when no item is dated.
    pub newest: Option<String>,
    pub blank: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Rule id, e.g. `publish.news_stale`.
    pub rule: String,
    /// The rule's Chinese title from the rubric file (政务动态栏目未及时更新).
    #[serde(default)]
    pub title: String,
    /// How to fix it, from the rubric file (empty when the rubric gives none).
    #[serde(default)]
    pub advice: String,
    /// The deduction group's id and Chinese name (publish, 发布解读); null for vetoes and bonuses.
    #[serde(default)]
    pub group: Option<String>,
    #[serde(default)]
    pub group_name: Option<String>,
    pub kind: FindingKind,
    /// What the finding costs after caps (0 for veto); for a bonus, what it adds.
    pub points: f64,
    /// The count its points come from (stale columns, missing elements, broken links …).
    #[serde(default)]
    pub occurrences: u32,
    /// In Chinese.
    pub message: String,
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub url: String,
    /// What was observed there, e.g. `newest item 2026-09-30`.
    pub observed: String,
    pub warc: Option<WarcLocation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WarcLocation {
    pub file: String,
    pub offset: u64,
    pub record_id: String,
}
