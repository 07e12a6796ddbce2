//! The model of the sample province: sites → columns → items with dates, messages, footer facts and defects.
//!
//! Pages are rendered from this model on request (see `render`), and the ground truth is computed from it (see
//! `truth`), so what the server shows and what the ground truth expects can never drift apart: both read the same
//! model. Dates are plain calendar dates in Asia/Shanghai, all derived from T0.

use chrono::NaiveDate;
use gongkai_config::Level;
use serde::{Deserialize, Serialize};

/// Canonical column categories (docs/site-understanding.md), plus two the sample needs: `service_stats` (办件公示, docs/rules.md
/// `service.stats_stale`) and `other` (sub-columns of 法定主动公开内容 that map to no canonical category).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    News,
    Notice,
    Policy,
    Interpretation,
    Overview,
    Functions,
    Leaders,
    Personnel,
    Plan,
    Finance,
    Statistics,
    Guide,
    System,
    Statutory,
    AnnualReport,
    Application,
    Consultation,
    Collection,
    Interview,
    Service,
    ServiceStats,
    Other,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::News => "news",
            Category::Notice => "notice",
            Category::Policy => "policy",
            Category::Interpretation => "interpretation",
            Category::Overview => "overview",
            Category::Functions => "functions",
            Category::Leaders => "leaders",
            Category::Personnel => "personnel",
            Category::Plan => "plan",
            Category::Finance => "finance",
            Category::Statistics => "statistics",
            Category::Guide => "guide",
            Category::System => "system",
            Category::Statutory => "statutory",
            Category::AnnualReport => "annual_report",
            Category::Application => "application",
            Category::Consultation => "consultation",
            Category::Collection => "collection",
            Category::Interview => "interview",
            Category::Service => "service",
            Category::ServiceStats => "service_stats",
            Category::Other => "other",
        }
    }

    /// Required categories of docs/rules.md `publish.missing_column`.
    pub const REQUIRED: [Category; 11] = [
        Category::News,
        Category::Notice,
        Category::Policy,
        Category::Interpretation,
        Category::Overview,
        Category::Functions,
        Category::Leaders,
        Category::Personnel,
        Category::Plan,
        Category::Finance,
        Category::Statistics,
    ];
}

/// How a site answers over IPv6 (issue 16, docs/rules.md `ipv6`): the sample server listens on [::1] as well as
/// 127.0.0.1, and `resolve_args` maps a host to both addresses unless it has no AAAA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Ipv6Service {
    /// The same pages over IPv4 and IPv6.
    #[default]
    Dual,
    /// No AAAA record: `resolve_args` maps the host to 127.0.0.1 only.
    NoAaaa,
    /// The IPv6 listener answers the home page with another page (a web server's default page on an unconfigured
    /// IPv6 virtual host).
    HomeDiffers,
}

/// How a site's header shows the national emblem (国徽法, docs/rules.md `design.emblem`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EmblemShow {
    /// An image named 国徽 (`/images/guohui.png`, alt 国徽) beside the logo: found, no deduction.
    #[default]
    Named,
    /// Only an unnamed logo image (`/images/logo.png`) and a stylesheet with a background: undetermined, no deduction.
    Logo,
    /// A text-only header and no stylesheet: the emblem is absent, one deduction (county level and above).
    None,
}

/// How a site's CMS lays out URLs and lists (docs/site-understanding.md "Content management systems and their traps").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CmsStyle {
    /// TRS WCM: `/zwdt/202610/t20261020_123456.html`, `createPageHTML(total, cur, "index", "html")`.
    Trs,
    /// Hanweb jcms: `/col/col12/index.html`, records in `<script type="text/xml">`, `/art/2026/10/20/art_12_345.html`.
    Hanweb,
    /// Plain lists with ordinary `下一页` links: `/zwdt/list.html`, `/zwdt/content_345.html`.
    Plain,
}

/// How list items print their dates (docs/site-understanding.md "Dates").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DateStyle {
    Iso,
    IsoTime,
    Slash,
    Dot,
    Chinese,
    /// `[10-20]` on the home page's news block (year implied); full ISO dates elsewhere.
    Bracket,
}

impl DateStyle {
    pub fn format(self, d: NaiveDate) -> String {
        match self {
            DateStyle::Iso | DateStyle::Bracket => d.format("%Y-%m-%d").to_string(),
            DateStyle::IsoTime => {
                format!("{} {:02}:{:02}", d.format("%Y-%m-%d"), 8 + (d.ordinal() % 9), (d.ordinal() * 7) % 60)
            }
            DateStyle::Slash => format!("{}/{}/{}", d.year(), d.month(), d.day()),
            DateStyle::Dot => d.format("%Y.%m.%d").to_string(),
            DateStyle::Chinese => format!("{}年{:02}月{:02}日", d.year(), d.month(), d.day()),
        }
    }
}

use chrono::Datelike;

/// The character encoding a site serves its pages in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Charset {
    Utf8,
    /// GBK, declared only in `<meta charset="gbk">` (the HTTP header says just `text/html`).
    GbkMeta,
    /// GBK, declared only in the HTTP header (`text/html; charset=GBK`).
    GbkHeader,
}

/// What a list item is in a special column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemExtra {
    None,
    /// A consultation message: posted date and reply date (None = not answered).
    Message {
        posted: NaiveDate,
        replied: Option<NaiveDate>,
    },
    /// An annual report for `year`.
    AnnualReport {
        year: i32,
    },
}

/// One dated (or undated) item of a list column, with its article page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub id: u32,
    pub title: String,
    /// The date printed in the list and on the article (None = the item shows no date anywhere).
    pub date: Option<NaiveDate>,
    /// 信息公开 label block: 成文日期 and 文号 (发布日期 = `date`).
    pub doc: Option<DocInfo>,
    pub extra: ItemExtra,
    /// The article exposes a checksum-valid resident ID number (security.privacy).
    pub exposes_id: bool,
    /// The article exposes a Luhn-valid bank card number (security.privacy).
    pub exposes_card: bool,
    /// Broken link targets on the article page (path on the site's host, or absolute URL).
    pub broken_links: Vec<String>,
    /// Wrong forms and sensitive words the article's text carries (content.* rules).
    #[serde(default)]
    pub misstatements: Vec<Misstatement>,
}

/// A wrong form of the shipped lexicon, or a word of the shipped neutral sensitive list, planted in an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Misstatement {
    /// The sentence as the page prints it; it contains `word`.
    pub sentence: String,
    pub word: String,
    pub kind: MisstatementKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MisstatementKind {
    /// A 严重 entry of the wrong-forms lexicon (content.serious_errors).
    Serious,
    /// A 一般 entry (content.typos).
    Typo,
    /// A word of the sensitive list (content.sensitive_words).
    Sensitive,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocInfo {
    pub written: NaiveDate,
    pub number: String,
}

/// How a column presents itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    /// A paginated list of items.
    List,
    /// A single page of text (指南, 概况 …).
    Single,
    /// A list whose items only a script loads from a JSON endpoint: unreadable, counts as blank (docs/rules.md).
    ScriptOnly,
    /// A container page listing sub-columns (法定主动公开内容).
    Container,
    /// An entry link (办事服务) to another host.
    Entry,
}

/// Where a column lives: on the site's main host, or under its 政府信息公开 platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Place {
    Main,
    Platform,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// URL segment (pinyin initials, e.g. `zwdt`).
    pub seg: String,
    /// Hanweb column id.
    pub cid: u32,
    pub name: String,
    pub category: Category,
    pub first_level: bool,
    pub place: Place,
    pub kind: ColumnKind,
    /// Newest first.
    pub items: Vec<Item>,
    /// Shows a placeholder (暂无信息) instead of items or text: blank.
    pub placeholder: bool,
    /// For an entry: the absolute target URL (without port) and whether it answers.
    pub entry_target: Option<String>,
    pub entry_broken: bool,
}

impl Column {
    /// docs/rules.md "blank": no items / placeholder / unreadable list.
    pub fn is_blank(&self) -> bool {
        match self.kind {
            ColumnKind::ScriptOnly => true,
            ColumnKind::List => self.placeholder || self.items.is_empty(),
            ColumnKind::Single | ColumnKind::Container => self.placeholder,
            ColumnKind::Entry => false,
        }
    }
    pub fn is_list(&self) -> bool {
        matches!(self.kind, ColumnKind::List | ColumnKind::ScriptOnly)
    }
    /// Items on the first list page.
    pub fn first_page(&self, page_size: usize) -> &[Item] {
        &self.items[..self.items.len().min(page_size)]
    }
}

/// Identity footer elements (docs/site-understanding.md), each present or missing, with a format variant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Footer {
    pub site_code: Option<String>,
    pub icp: Option<String>,
    pub police: Option<String>,
    pub badge: bool,
    /// The badge is drawn only by a script from the 中央编办 badge service.
    pub badge_by_script: bool,
    pub sponsor: Option<String>,
    pub contact: bool,
    /// Selects one of several messy real-world layouts.
    pub variant: u8,
    /// The footer is served in an iframe (`/footer.html`).
    pub in_iframe: bool,
    /// The footer is written by `document.write` from an external GBK-encoded script (`/js/footer.js`).
    pub by_script: bool,
}

/// The 政府信息公开 guide page: which of the eight elements it shows.
pub const GUIDE_ELEMENTS: [&str; 8] =
    ["分类", "编排体系", "获取方式", "办公地址", "办公时间", "联系电话", "传真", "互联网联系方式"];

/// Where a site's 政府信息公开 platform lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlatformLoc {
    pub host: String,
    /// Path prefix ending in `/`, e.g. `/xxgk/` or `/fgw/`.
    pub prefix: String,
    /// True when on another host than the site (sites.toml `platform =`).
    pub shared: bool,
}

/// One hand-crafted site of the default province.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteModel {
    pub idx: usize,
    pub id: String,
    pub name: String,
    /// Short name (机构简称) used in titles, e.g. 临江市发改委.
    pub short: String,
    pub host: String,
    pub level: Level,
    pub region: Vec<String>,
    pub style: CmsStyle,
    pub date_style: DateStyle,
    pub charset: Charset,
    pub platform: PlatformLoc,
    pub columns: Vec<Column>,
    /// Present guide elements (indexes into GUIDE_ELEMENTS).
    pub guide_elements: Vec<usize>,
    pub footer: Footer,
    pub error_entry: bool,
    /// The error entry is the `<script id="_jiucuo_">` loader rather than a link.
    pub error_entry_script: bool,
    pub search: bool,
    pub accessibility: bool,
    /// Broken link targets on the home page (unique).
    pub broken_home: Vec<String>,
    pub spam_link: bool,
    /// A 友情链接 block on the home page whose first partner's domain expired and now serves gambling
    /// (content.spam_links); the other two links (a partner, a news article mentioning 六合彩 once) are clean.
    #[serde(default)]
    pub partner_links: bool,
    /// 信访 link (not a consultation channel; a trap for column detection).
    pub petition_link: bool,
    /// Every third request to the home page answers 503 (server only).
    pub flaky_home: bool,
    /// How the site answers over IPv6 (the server's [::1] listener and `resolve_args`).
    pub ipv6: Ipv6Service,
    /// How the header shows the national emblem (design.emblem).
    pub emblem: EmblemShow,
    /// Responses gzip-encoded when the client accepts it (server only).
    pub gzip: bool,
    pub calendar_trap: bool,
    pub crawl_delay: Option<u32>,
    /// Paths robots.txt disallows.
    pub disallow: Vec<String>,
    /// Disallowed paths linked from the home page (never counted as broken; must never be requested).
    pub disallowed_links: Vec<String>,
    /// (from, to) redirects; `from` is linked somewhere.
    pub redirects: Vec<(String, String)>,
    pub page_size: usize,
}

impl SiteModel {
    pub fn column(&self, cat: Category) -> Option<&Column> {
        self.columns.iter().find(|c| c.category == cat)
    }
    pub fn has(&self, cat: Category) -> bool {
        self.column(cat).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_styles_print_real_world_forms() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 9).unwrap();
        assert_eq!(DateStyle::Iso.format(d), "2026-01-09");
        assert_eq!(DateStyle::Slash.format(d), "2026/1/9");
        assert_eq!(DateStyle::Dot.format(d), "2026.01.09");
        assert_eq!(DateStyle::Chinese.format(d), "2026年01月09日");
        assert!(DateStyle::IsoTime.format(d).starts_with("2026-01-09 "));
    }
}
