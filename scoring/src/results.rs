//! results.json (docs/results.md). Field names and shapes here are a contract with scripts: add, never rename.

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
    /// The month assessed, `2026-11` (`--period`; by default the month of `as_of`). Absent in files written before it
    /// existed: readers then take the month of `as_of`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// The issuing office (gongkai.toml `[bulletin] office`), when one is configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// Set in one shard's results.json (`gongkai run --shard I/N`); absent in a whole run and in a merged one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardRef>,
}

/// `assessment.shard`: which shard of a sharded run this is, and where its store is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardRef {
    /// 0-based.
    pub index: u32,
    pub count: u32,
    /// The shard's store directory (absolute path): `gongkai merge` prefixes evidence WARC files with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<String>,
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

/// Whether a site was assessed (docs/results.md `status`).
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

/// A window of planned downtime the site filed (网站临时报备), and how many probes it left out of availability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FiledDowntime {
    /// RFC 3339.
    pub from: String,
    pub to: String,
    pub reason: String,
    pub excluded_probes: u32,
}

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
    /// Planned downtime the site filed (网站临时报备, `--filings`): each window and the probes it left out of
    /// availability. Absent when the site filed none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub filed_downtime: Vec<FiledDowntime>,
    /// What the crawler's IPv6 check found (docs/results.md `ipv6`); absent when it made none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6: Option<Ipv6Result>,
    /// The certificate of each https host of the site as the crawler saw it (docs/results.md `tls`); absent for an
    /// http-only site. A certificate that did not verify is also a finding (`security.certificate`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tls: Vec<TlsResult>,
}

/// One https host's certificate check, as results.json gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TlsResult {
    /// The host's origin, `https://host[:port]/`.
    pub url: String,
    /// True when the certificate verified.
    pub verified: bool,
    /// Why not: `expired`, `not_yet_valid`, `wrong_host`, `untrusted`, `revoked`, `other`; null when verified.
    pub error: Option<String>,
    /// The presented certificate's subject and issuer (RFC 4514 style), and its validity (RFC 3339, UTC); null when
    /// it could not be read.
    pub subject: Option<String>,
    pub issuer: Option<String>,
    pub not_before: Option<String>,
    pub not_after: Option<String>,
    /// True when the host's pages were fetched without certificate verification (as a user clicking through).
    pub fetched_unverified: bool,
    pub checked_at: String,
}

impl TlsResult {
    pub fn from_check(c: &gongkai_archive::TlsCheck) -> TlsResult {
        let cert = c.certificate.as_ref();
        TlsResult {
            url: c.url.to_string(),
            verified: c.verified(),
            error: c.error.map(|e| e.as_str().to_string()),
            subject: cert.map(|x| x.subject.clone()),
            issuer: cert.map(|x| x.issuer.clone()),
            not_before: cert.map(|x| x.not_before.to_rfc3339()),
            not_after: cert.map(|x| x.not_after.to_rfc3339()),
            fetched_unverified: c.fetched_unverified,
            checked_at: c.checked_at.to_rfc3339(),
        }
    }
}

/// The IPv6 check of a site, as results.json gives it (the finding, if any, is in `findings` as `design.ipv6`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ipv6Result {
    /// true / false when the AAAA lookup answered; null when it failed (then nothing was checked).
    pub has_aaaa: Option<bool>,
    pub addresses: Vec<String>,
    /// Why the lookup failed (Chinese), when it did.
    pub lookup_error: Option<String>,
    /// The home page's status over IPv6 (null: no answer, or not fetched).
    pub home_status: Option<u16>,
    /// Whether the IPv6 home page is the IPv4 one (null: not compared).
    pub home_same: Option<bool>,
    pub home_difference: Option<String>,
    /// Inner pages sampled over IPv6, and how many answered 2xx/3xx.
    pub sampled: u32,
    pub working: u32,
}

impl Ipv6Result {
    pub fn from_check(c: &gongkai_archive::Ipv6Check) -> Ipv6Result {
        let (sampled, working) = c.sampled();
        Ipv6Result {
            has_aaaa: c.has_aaaa(),
            addresses: c.addresses().iter().map(|a| a.to_string()).collect(),
            lookup_error: match &c.aaaa {
                gongkai_archive::AaaaLookup::Failed { error } => Some(error.clone()),
                _ => None,
            },
            home_status: c.home_v6.as_ref().and_then(|h| h.status),
            home_same: c.home_v6.as_ref().map(|h| h.same),
            home_difference: c.home_v6.as_ref().and_then(|h| h.difference.clone()),
            sampled,
            working,
        }
    }
}

impl SiteResult {
    /// Was the site assessed (docs/results.md `status`)?
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
    /// Responses archived, page requisites not included.
    pub pages: u64,
    pub errors: u64,
    pub started_at: String,
    pub finished_at: Option<String>,
    /// Page requisites archived (stylesheets, images, icons, fonts: what the pages need to replay as they looked;
    /// docs/crawling.md). Never scored as pages. Absent (0) in files written before it existed.
    #[serde(default)]
    pub requisites: u64,
}

impl CrawlSummary {
    /// How many of `pages` are page requisites: stylesheets, images and fonts by their Content-Type (or, sent as
    /// `application/octet-stream` or without one, by their extension). The crawler archives a requisite only when it
    /// is not HTML, so none of them is ever read as a page.
    pub fn count_requisites(pages: &[gongkai_archive::CapturedPage]) -> u64 {
        pages.iter().filter(|p| is_requisite(p)).count() as u64
    }
}

fn is_requisite(p: &gongkai_archive::CapturedPage) -> bool {
    let ct = p.header("content-type").unwrap_or("").to_ascii_lowercase();
    let ct = ct.split(';').next().unwrap_or("").trim();
    if ct == "text/css" || ct.starts_with("image/") || ct.starts_with("font/") || ct.contains("font") {
        return true;
    }
    let ext = p.url.path().rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    (ct.is_empty() || ct == "application/octet-stream") && REQUISITE_EXTENSIONS.contains(&ext.as_str())
}

/// File extensions of page requisites sent without a telling Content-Type.
const REQUISITE_EXTENSIONS: &[&str] =
    &["css", "png", "jpg", "jpeg", "gif", "ico", "svg", "webp", "bmp", "woff", "woff2", "ttf", "eot", "otf"];

/// What the home page shows of each identity element (docs/site-understanding.md), value as printed or null.
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
    /// Canonical category (docs/site-understanding.md), e.g. `notice`; `other` when none.
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
    /// Where the page's bytes are when this record holds none: this record is a revisit (an unchanged page of a later
    /// month) and `payload` is the response it refers to (`gongkai_archive::Store::resolve_payload`). Absent when the
    /// record is itself the response.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<Box<WarcLocation>>,
}

impl WarcLocation {
    /// The record that holds the page's bytes: `payload` when set, else this one.
    pub fn payload_location(&self) -> &WarcLocation {
        self.payload.as_deref().unwrap_or(self)
    }
}

impl SiteResult {
    /// Set `payload` on every evidence location that is a revisit, following the store's chain
    /// ([`gongkai_archive::Store::resolve_payload`]); each record is resolved once. A record that cannot be resolved
    /// (a damaged file) keeps no `payload` and is logged: the month's own record stays the evidence.
    pub fn resolve_payloads(&mut self, store: &gongkai_archive::Store) {
        let mut seen: std::collections::HashMap<(String, u64), Option<WarcLocation>> = std::collections::HashMap::new();
        for w in self.findings.iter_mut().flat_map(|f| f.evidence.iter_mut()).filter_map(|e| e.warc.as_mut()) {
            let payload = seen.entry((w.file.clone(), w.offset)).or_insert_with(|| {
                let own =
                    gongkai_archive::WarcRef { file: w.file.clone(), offset: w.offset, record_id: w.record_id.clone() };
                match store.resolve_payload(&own) {
                    Ok(p) if p != own => {
                        Some(WarcLocation { file: p.file, offset: p.offset, record_id: p.record_id, payload: None })
                    }
                    Ok(_) => None,
                    Err(e) => {
                        tracing::warn!(file = %w.file, offset = w.offset, "evidence payload not resolved: {e:#}");
                        None
                    }
                }
            });
            w.payload = payload.clone().map(Box::new);
        }
    }
}
