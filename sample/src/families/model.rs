//! The model of the CMS-family province and its seeded generator.
//!
//! One `FSite` per site: its columns (each with items dated relative to T0), its messages, its footer facts and the
//! defects it carries. Pages are rendered from this model (family renderer files) and the ground truth is computed from
//! it (`oracle.rs`) with docs/rules.md's definitions; both read only this model. Dates keep at least 4 days away from every
//! window boundary, and working-day gaps are either at most 4 calendar days or at least 50, so holidays cannot change
//! an answer.

use super::Family;
use crate::gen::{card_number, id_number};
use crate::model::{Category, Charset, ColumnKind, Item, Place};
use chrono::{Datelike, NaiveDate};
use gongkai_config::Level;
use serde::{Deserialize, Serialize};

pub const FPROVINCE: &str = "南岭省";

/// Where the 政府信息公开 platform lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlatKind {
    /// Its own host (sites.toml `platform =`).
    OwnHost,
    /// A path on the main host, e.g. `/xxgk/`.
    Path,
    /// Opaque ids on the main host, reached only from the 政府信息公开 navigation link.
    Opaque,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plat {
    pub kind: PlatKind,
    pub host: String,
    /// Ends in `/`.
    pub prefix: String,
    /// Opaque id of the platform index page.
    pub pid: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NavStyle {
    Ul,
    Table,
    Div,
    ImageMap,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DateFmt {
    Iso,
    Slash,
    Chinese,
    Label,
    Dot,
    IsoTime,
}

impl DateFmt {
    pub fn format(self, d: NaiveDate, salt: u32) -> String {
        match self {
            DateFmt::Iso => d.format("%Y-%m-%d").to_string(),
            DateFmt::Slash => d.format("%Y/%m/%d").to_string(),
            DateFmt::Chinese => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
            DateFmt::Label => format!("发布时间：{}", d.format("%Y-%m-%d")),
            DateFmt::Dot => d.format("%Y.%m.%d").to_string(),
            DateFmt::IsoTime => format!("{} {:02}:{:02}", d.format("%Y-%m-%d"), 8 + salt % 9, (salt * 7) % 60),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FooterMode {
    Inline,
    /// `/footer.html` in an iframe.
    Iframe,
    /// `/js/footer.js` (GBK) writing the footer with `document.write`.
    Script,
}

/// Identity footer: each element absent (None) or present with the variant it is printed in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FFooter {
    pub mode: FooterMode,
    /// (code, print variant 0..5)
    pub site_code: Option<(String, u8)>,
    /// (printed text, value = printed with whitespace removed, ICP text inside the beian link?)
    pub icp: Option<(String, String, bool)>,
    /// (printed text, value)
    pub police: Option<(String, String)>,
    /// Some(true): the standard conac `document.write(unescape(…))` snippet; Some(false): a static badge link.
    pub badge: Option<bool>,
    pub conac_code: String,
    /// (sponsor, label and value in separate elements)
    pub sponsor: Option<(String, bool)>,
    /// 0 phone, 1 address, 2 联系我们 link.
    pub contact: Option<u8>,
    /// Some(true): the `_jiucuo_` script loader; Some(false): a text link.
    pub error_entry: Option<bool>,
    pub phone: String,
}

/// A column of a site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FCol {
    /// Numeric id (ClassID, col id, tid, CATID).
    pub key: u32,
    /// URL segment (DedeCMS, generic layouts).
    pub seg: String,
    pub name: String,
    pub category: Category,
    pub first_level: bool,
    pub place: Place,
    /// Listed on the 法定主动公开内容 container page (false for platform first-level columns and main-site columns).
    pub in_container: bool,
    pub kind: ColumnKind,
    /// Newest first.
    pub items: Vec<Item>,
    /// Shows a placeholder (暂无信息) instead of items or text.
    pub placeholder: bool,
    /// The column link answers 404.
    pub dead: bool,
    /// For the 办事服务 entry: absolute target URL (no port) and whether it answers 404.
    pub entry_target: Option<String>,
    pub entry_broken: bool,
    /// DedeCMS: the column is linked as `/plus/list.php?tid=N`.
    pub via_plus: bool,
}

impl FCol {
    /// docs/rules.md "blank".
    pub fn is_blank(&self) -> bool {
        if self.dead {
            return true;
        }
        match self.kind {
            ColumnKind::List | ColumnKind::ScriptOnly => self.placeholder || self.items.is_empty(),
            ColumnKind::Single | ColumnKind::Container => self.placeholder,
            ColumnKind::Entry => false,
        }
    }
    pub fn is_list(&self) -> bool {
        self.kind == ColumnKind::List
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FSite {
    /// Index in the province.
    pub idx: usize,
    pub family: Family,
    pub id: String,
    pub name: String,
    pub short: String,
    pub host: String,
    pub level: Level,
    pub region: Vec<String>,
    pub charset: Charset,
    pub plat: Plat,
    pub columns: Vec<FCol>,
    /// Indexes into `crate::model::GUIDE_ELEMENTS` missing from the guide page.
    pub guide_missing: Vec<usize>,
    pub footer: FFooter,
    pub search: bool,
    pub accessibility: Option<&'static str>,
    pub spam: bool,
    /// Broken (404) paths linked from the home page only.
    pub broken_home: Vec<String>,
    pub page_size: usize,
    pub nav: NavStyle,
    pub date_fmt: DateFmt,
    /// The home page's news block prints `[11-03]` (year implied).
    pub home_bracket: bool,
    /// Message lists print 留言时间 / 回复时间 on each row (else only on the detail pages).
    pub msg_dates_on_list: bool,
    /// Class-name prefix of the layout.
    pub cls: String,
    /// Nesting depth of layout wrappers.
    pub depth: usize,
    /// Gkmlpt site id; Hanweb webid and unitid.
    pub sid: String,
    pub webid: u32,
    pub unitid: u32,
    /// Scenario label (for humans reading the truth).
    pub scenario: String,
}

impl FSite {
    pub fn column(&self, cat: Category) -> Option<&FCol> {
        self.columns.iter().find(|c| c.category == cat)
    }
    pub fn has(&self, cat: Category) -> bool {
        self.column(cat).is_some()
    }
    /// (host, prefix) of a column's place.
    pub fn base(&self, place: Place) -> (&str, &str) {
        match place {
            Place::Main => (&self.host, "/"),
            Place::Platform => (&self.plat.host, &self.plat.prefix),
        }
    }
}

/// The veto scenarios a model can drive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VetoCase {
    HomepageStale,
    ColumnsStale,
    ColumnsLongStale,
    BlankColumns,
    NoConsultation,
    Unanswered,
    NoService,
    FutureDates,
    HiddenLinks,
}

pub const VETO_CASES: [VetoCase; 9] = [
    VetoCase::HomepageStale,
    VetoCase::ColumnsStale,
    VetoCase::ColumnsLongStale,
    VetoCase::BlankColumns,
    VetoCase::NoConsultation,
    VetoCase::Unanswered,
    VetoCase::NoService,
    VetoCase::FutureDates,
    VetoCase::HiddenLinks,
];

/// `id_number` / `card_number` re-exported for renderers.
pub fn exposed_id() -> String {
    id_number("44010219850317123")
}
pub fn exposed_card() -> String {
    card_number("622202123456789012")
}
