//! The hand-crafted default province: 30 sites of 西川省临江市 (1 city portal, 14 county portals, 15 department sites)
//! plus the shared 政府信息公开 platform host `xxgk.linjiang.gov.cn`.
//!
//! Each site is described by a `Spec` (its CMS style and the defects it carries); `build_site` turns a spec into a
//! `SiteModel` with dates relative to T0 and titles drawn from a seeded PRNG. Outcomes (findings, grades) are NOT
//! written here: `truth` computes them from the model with docs/rules.md's definitions. Dates are chosen well inside or
//! well outside every window (never within a few days of a boundary) so the expected answer is unambiguous.

mod build;
mod specs;
mod text;

pub use build::build_site;
pub use specs::specs;
pub use text::{card_number, id_number};

use crate::model::*;
use chrono::{Days, NaiveDate};
use gongkai_config::Level;

pub const PROVINCE: &str = "西川省";
pub const CITY: &str = "临江市";
pub const CITY_PINYIN: &str = "linjiang";
pub const PLATFORM_HOST: &str = "xxgk.linjiang.gov.cn";
/// Stub hosts standing in for national and provincial services the sites link to (served by the sample server so
/// that no link ever leaves loopback).
pub const SERVICE_HOST: &str = "zwfw.xichuan.gov.cn";
pub const JIUCUO_HOST: &str = "zfwzzc.www.gov.cn";
pub const BEIAN_HOST: &str = "beian.miit.gov.cn";
pub const POLICE_BEIAN_HOST: &str = "www.beian.gov.cn";
pub const BADGE_HOST: &str = "bszs.conac.cn";
pub const BADGE_SCRIPT_HOST: &str = "dcs.conac.cn";
pub const SPAM_HOST: &str = "www.amyl-888.com";
/// 友情链接 targets outside the assessed sites (content.spam_links): a partner whose domain expired and was bought (it
/// now serves a gambling page), a partner that is still itself, and a newspaper article that mentions one spam word.
pub const EXPIRED_PARTNER_HOST: &str = "www.ljlvyou.com";
pub const PARTNER_HOST: &str = "www.ljwenlv.org.cn";
pub const NEWS_HOST: &str = "www.ljribao.cn";
/// The newspaper article's path on [`NEWS_HOST`].
pub const NEWS_PATH: &str = "/shehui/20261110/1.html";
pub const STUB_HOSTS: [&str; 7] =
    [SERVICE_HOST, JIUCUO_HOST, BEIAN_HOST, POLICE_BEIAN_HOST, BADGE_HOST, BADGE_SCRIPT_HOST, SPAM_HOST];
/// The 友情链接 targets, served (as stubs) by the crafted province only: the CMS-family provinces stay as they were.
pub const PARTNER_HOSTS: [&str; 3] = [EXPIRED_PARTNER_HOST, PARTNER_HOST, NEWS_HOST];
/// The hosts served over https, with a self-signed certificate made when the server starts (the same port as every
/// other host: the server tells TLS from plain HTTP by the first byte). A crawler verifying certificates refuses it
/// (`security.certificate`: 证书不受信任（自签名证书）) and then fetches the site without verification, so the site is
/// still assessed in full.
pub const HTTPS_HOSTS: [&str; 1] = ["zjj.linjiang.gov.cn"];

/// The scheme of the sample's URLs on `host`: `https` for [`HTTPS_HOSTS`], else `http`.
pub fn scheme(host: &str) -> &'static str {
    if HTTPS_HOSTS.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        "https"
    } else {
        "http"
    }
}

/// A link target that refuses connections (loopback, closed port): a broken link to an unreachable host.
pub const UNREACHABLE_URL: &str = "http://127.0.0.1:1/zwgk/old.html";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Freshness {
    Fresh,
    Stale,
    Missing,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Annual {
    OnTime,
    Late,
    Missing,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Svc {
    Ok,
    Broken,
    None,
}

/// What one hand-crafted site looks like and which defects it carries.
#[derive(Clone, Debug)]
pub struct Spec {
    pub key: &'static str,
    pub name: &'static str,
    pub short: &'static str,
    pub abbr: &'static str,
    pub level: Level,
    /// Host override (default: `www.<key>.gov.cn` for governments, `<key>.linjiang.gov.cn` for departments).
    pub host: Option<&'static str>,
    pub style: CmsStyle,
    pub date_style: DateStyle,
    pub charset: Charset,
    pub shared_platform: bool,
    pub stale_home: bool,
    pub placeholders: Vec<Category>,
    pub empty: Vec<Category>,
    pub script_only: Vec<Category>,
    /// Indexes of 法定主动公开内容 sub-columns (see OTHER_COLUMNS) shown as placeholders.
    pub placeholder_others: Vec<usize>,
    pub missing: Vec<Category>,
    /// Extra news columns: (name, seg, stale).
    pub extra_news: Vec<(&'static str, &'static str, bool)>,
    pub notice_stale: bool,
    pub policy_stale: bool,
    pub periodic_stale: Vec<Category>,
    pub undated: Vec<Category>,
    pub consultation: bool,
    pub unanswered: bool,
    pub replies_stale: bool,
    pub late_replies: usize,
    pub recent_unanswered: bool,
    pub future_item: bool,
    pub spam: bool,
    /// A 友情链接 block on the home page: the expired partner (content.spam_links), a clean partner, a news article.
    pub partners: bool,
    pub service: Svc,
    pub collection: Freshness,
    pub interview: Freshness,
    pub stats_stale: bool,
    pub annual: Annual,
    pub guide_missing: usize,
    pub no_system: bool,
    pub no_application: bool,
    pub timeliness_late: usize,
    pub identity_missing: Vec<&'static str>,
    pub no_error_entry: bool,
    pub no_search: bool,
    pub broken_home: usize,
    pub broken_site: usize,
    pub unreachable_link: bool,
    pub id_number: bool,
    /// Sentences with a wrong form or a sensitive word, planted in the first news articles: (sentence, word, kind).
    pub misstatements: &'static [(&'static str, &'static str, MisstatementKind)],
    pub card_number: bool,
    pub accessibility: bool,
    pub flaky: bool,
    pub gzip: bool,
    pub ipv6: Ipv6Service,
    pub emblem: EmblemShow,
    pub calendar: bool,
    pub crawl_delay: Option<u32>,
    pub footer_iframe: bool,
    pub footer_script: bool,
    pub badge_script: bool,
    pub error_script: bool,
    pub redirects: bool,
    pub petition: bool,
    pub footer_variant: u8,
    /// A small site (about 40 pages): fewer items everywhere (the site with a Crawl-delay, so crawls stay short).
    pub small: bool,
    pub news_name: &'static str,
    pub notice_name: &'static str,
    pub policy_name: &'static str,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            key: "",
            name: "",
            short: "",
            abbr: "",
            level: Level::County,
            host: None,
            style: CmsStyle::Trs,
            date_style: DateStyle::Iso,
            charset: Charset::Utf8,
            shared_platform: false,
            stale_home: false,
            placeholders: vec![],
            empty: vec![],
            script_only: vec![],
            placeholder_others: vec![],
            missing: vec![],
            extra_news: vec![],
            notice_stale: false,
            policy_stale: false,
            periodic_stale: vec![],
            undated: vec![],
            consultation: true,
            unanswered: false,
            replies_stale: false,
            late_replies: 0,
            recent_unanswered: false,
            future_item: false,
            spam: false,
            partners: false,
            service: Svc::Ok,
            collection: Freshness::Fresh,
            interview: Freshness::Fresh,
            stats_stale: false,
            annual: Annual::OnTime,
            guide_missing: 0,
            no_system: false,
            no_application: false,
            timeliness_late: 0,
            identity_missing: vec![],
            no_error_entry: false,
            no_search: false,
            broken_home: 0,
            broken_site: 0,
            unreachable_link: false,
            id_number: false,
            misstatements: &[],
            card_number: false,
            accessibility: false,
            flaky: false,
            gzip: false,
            ipv6: Ipv6Service::Dual,
            emblem: EmblemShow::Named,
            calendar: false,
            crawl_delay: None,
            footer_iframe: false,
            footer_script: false,
            badge_script: false,
            error_script: false,
            redirects: false,
            petition: false,
            footer_variant: 0,
            small: false,
            news_name: "政务动态",
            notice_name: "通知公告",
            policy_name: "政策文件",
        }
    }
}

/// Sub-columns of 法定主动公开内容 with no canonical category, one per 条例 第20条 item they cover.
pub const OTHER_COLUMNS: [(&str, &str, &str); 8] = [
    ("行政许可", "xzxk", "五"),
    ("行政处罚", "xzcf", "六"),
    ("行政事业性收费", "xzsyxsf", "八"),
    ("政府采购", "zfcg", "九"),
    ("重大建设项目", "zdjsxm", "十"),
    ("社会保障", "shbz", "十一"),
    ("应急管理", "yjgl", "十二"),
    ("监督检查", "jdjc", "十三"),
];

pub fn minus(t0: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        t0 - Days::new(days as u64)
    } else {
        t0 + Days::new((-days) as u64)
    }
}

/// Annual report deadline of year `y` (docs/rules.md): departments 31 January, governments 31 March.
pub fn annual_deadline(level: Level, y: i32) -> NaiveDate {
    if level == Level::Department {
        NaiveDate::from_ymd_opt(y, 1, 31).unwrap()
    } else {
        NaiveDate::from_ymd_opt(y, 3, 31).unwrap()
    }
}
