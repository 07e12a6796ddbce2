//! results.json (CONTRACT.md). Field names and shapes here are a contract with scripts: add, never rename.

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

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteResult {
    pub id: String,
    pub name: String,
    pub url: String,
    pub region: Vec<String>,
    /// `province` | `city` | `county` | `township` | `department`.
    pub level: String,
    pub score: f64,
    pub deduction_score: f64,
    pub bonus: f64,
    /// 优秀 | 良好 | 合格 | 不合格.
    pub grade: String,
    pub vetoed: bool,
    pub vetoes: Vec<String>,
    pub rank: u32,
    pub list: Option<ListKind>,
    pub crawl: CrawlSummary,
    pub identity: Identity,
    pub columns: Vec<ColumnResult>,
    pub findings: Vec<Finding>,
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
    /// Canonical category (DOMAIN.md), e.g. `notice`.
    pub category: String,
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
    pub kind: FindingKind,
    /// What the finding costs after caps (0 for veto); for a bonus, what it adds.
    pub points: f64,
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
