//! The hand-crafted default province: 30 sites of 西川省临江市 (1 city portal, 14 county portals, 15 department sites)
//! plus the shared 政府信息公开 platform host `xxgk.linjiang.gov.cn`.
//!
//! Each site is described by a `Spec` (its CMS style and the defects it carries); `build_site` turns a spec into a
//! `SiteModel` with dates relative to T0 and titles drawn from a seeded PRNG. Outcomes (findings, grades) are NOT
//! written here: `truth` computes them from the model with RUBRIC.md's definitions. Dates are chosen well inside or
//! well outside every window (never within a few days of a boundary) so the expected answer is unambiguous.

use crate::model::*;
use chrono::{Datelike, Days, NaiveDate};
use gongkai_config::Level;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

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
pub const STUB_HOSTS: [&str; 7] =
    [SERVICE_HOST, JIUCUO_HOST, BEIAN_HOST, POLICE_BEIAN_HOST, BADGE_HOST, BADGE_SCRIPT_HOST, SPAM_HOST];
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
    pub card_number: bool,
    pub accessibility: bool,
    pub flaky: bool,
    pub gzip: bool,
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
            card_number: false,
            accessibility: false,
            flaky: false,
            gzip: false,
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

use Category as C;

/// The 30 sites of the default province, in a fixed order (index = site index).
pub fn specs() -> Vec<Spec> {
    let county = |key, name, short, abbr| Spec { key, name, short, abbr, level: Level::County, ..Default::default() };
    let dept = |key, name, short, abbr| Spec { key, name, short, abbr, level: Level::Department, ..Default::default() };
    vec![
        // 0: the city portal: clean, accessibility bonus, calendar trap.
        Spec {
            key: CITY_PINYIN,
            name: "临江市人民政府",
            short: "临江市",
            abbr: "临府发",
            level: Level::City,
            accessibility: true,
            calendar: true,
            recent_unanswered: true,
            news_name: "临江要闻",
            ..Default::default()
        },
        // 1 jinniu: Hanweb, clean, badge drawn by script, error entry by script loader, accessibility.
        Spec {
            style: CmsStyle::Hanweb,
            date_style: DateStyle::Bracket,
            accessibility: true,
            badge_script: true,
            error_script: true,
            footer_variant: 1,
            notice_name: "公示公告",
            policy_name: "规范性文件",
            ..county("jinniu", "临江市金牛区人民政府", "金牛区", "金府发")
        },
        // 2 qingshan: GBK declared in <meta>, one broken home link.
        Spec {
            charset: Charset::GbkMeta,
            broken_home: 1,
            footer_variant: 2,
            date_style: DateStyle::Chinese,
            news_name: "工作动态",
            ..county("qingshan", "青山县人民政府", "青山县", "青府发")
        },
        // 3 baishui: GBK declared only in the HTTP header, footer in an iframe, guide lacks 传真.
        Spec {
            style: CmsStyle::Plain,
            charset: Charset::GbkHeader,
            footer_iframe: true,
            guide_missing: 1,
            date_style: DateStyle::Slash,
            footer_variant: 3,
            ..county("baishui", "白水县人民政府", "白水县", "白府发")
        },
        // 4 shimen: gzip responses, clean; a robots-disallowed link that would 404.
        Spec {
            gzip: true,
            date_style: DateStyle::Dot,
            recent_unanswered: true,
            ..county("shimen", "石门县人民政府", "石门县", "石府发")
        },
        // 5 yunxi: flaky home page, several small deductions → 良好.
        Spec {
            style: CmsStyle::Hanweb,
            flaky: true,
            identity_missing: vec!["police", "badge"],
            annual: Annual::Late,
            guide_missing: 3,
            no_search: true,
            broken_home: 2,
            undated: vec![C::Plan],
            footer_variant: 4,
            ..county("yunxi", "临江市云溪区人民政府", "云溪区", "云府发")
        },
        // 6 changning: stale home page (veto.homepage_stale).
        Spec {
            stale_home: true, style: CmsStyle::Plain, ..county("changning", "长宁县人民政府", "长宁县", "长府发")
        },
        // 7 anping: five blank columns (veto.blank_columns), one of them a script-only list.
        Spec {
            placeholders: vec![C::Personnel, C::Plan, C::Finance],
            empty: vec![C::Interpretation],
            script_only: vec![C::Statistics],
            date_style: DateStyle::IsoTime,
            ..county("anping", "安平县人民政府", "安平县", "安府发")
        },
        // 8 taoyuan: no consultation channel (veto.no_consultation); a 信访 link that does not count.
        Spec {
            consultation: false,
            petition: true,
            style: CmsStyle::Hanweb,
            ..county("taoyuan", "桃源县人民政府", "桃源县", "桃府发")
        },
        // 9 longquan: a message unanswered for 120 days (veto.unanswered).
        Spec { unanswered: true, ..county("longquan", "临江市龙泉区人民政府", "龙泉区", "龙府发") },
        // 10 pingchang: an item dated after T0 (veto.future_dates).
        Spec {
            future_item: true, style: CmsStyle::Plain, ..county("pingchang", "平昌县人民政府", "平昌县", "平府发")
        },
        // 11 honghe: hidden spam link (veto.hidden_links).
        Spec { spam: true, ..county("honghe", "红河县人民政府", "红河县", "红府发") },
        // 12 mingyue: no 办事服务 entry (veto.no_service).
        Spec {
            service: Svc::None, style: CmsStyle::Hanweb, ..county("mingyue", "明月县人民政府", "明月县", "明府发")
        },
        // 13 qingxi: no veto, but deduction_score < 60.
        Spec {
            missing: vec![C::Interpretation, C::Overview, C::Leaders, C::Plan, C::Statistics, C::Finance],
            notice_stale: true,
            undated: vec![C::Personnel],
            no_system: true,
            annual: Annual::Missing,
            guide_missing: 5,
            no_application: true,
            replies_stale: true,
            late_replies: 3,
            collection: Freshness::Missing,
            interview: Freshness::Missing,
            stats_stale: true,
            identity_missing: vec!["site_code", "icp", "police", "badge"],
            no_error_entry: true,
            no_search: true,
            broken_home: 3,
            id_number: true,
            unreachable_link: true,
            ..county("qingxi", "清溪县人民政府", "清溪县", "清府发")
        },
        // 14 yonghe: 合格.
        Spec {
            missing: vec![C::Overview, C::Leaders],
            periodic_stale: vec![C::Plan, C::Finance, C::Statistics],
            policy_stale: true,
            timeliness_late: 3,
            late_replies: 2,
            stats_stale: true,
            identity_missing: vec!["sponsor", "contact"],
            style: CmsStyle::Plain,
            ..county("yonghe", "永和县人民政府", "永和县", "永府发")
        },
        // 15 fgw: shared platform, clean.
        Spec {
            shared_platform: true, ..dept("fgw", "临江市发展和改革委员会", "临江市发改委", "临发改")
        },
        // 16 jyj: shared platform, 良好.
        Spec {
            shared_platform: true,
            timeliness_late: 2,
            annual: Annual::Late,
            identity_missing: vec!["site_code", "police", "badge"],
            broken_site: 5,
            no_search: true,
            footer_variant: 2,
            ..dept("jyj", "临江市教育局", "临江市教育局", "临教发")
        },
        // 17 gaj: Hanweb, clean, small, robots Crawl-delay.
        Spec {
            style: CmsStyle::Hanweb,
            crawl_delay: Some(1),
            small: true,
            ..dept("gaj", "临江市公安局", "临江市公安局", "临公发")
        },
        // 18 czj: a bank card number exposed, redirects.
        Spec {
            card_number: true, redirects: true, ..dept("czj", "临江市财政局", "临江市财政局", "临财发")
        },
        // 19 rsj: shared platform, news/notice/policy stale (veto.columns_stale).
        Spec {
            shared_platform: true,
            extra_news: vec![("部门动态", "bmdt", true), ("工作动态", "gzdt", true), ("区县动态", "qxdt", true)],
            news_name: "图片新闻",
            notice_stale: true,
            policy_stale: true,
            ..dept("rsj", "临江市人力资源和社会保障局", "临江市人社局", "临人社发")
        },
        // 20 zrzyj: 良好.
        Spec {
            missing: vec![C::Leaders],
            identity_missing: vec!["police", "contact"],
            broken_home: 1,
            undated: vec![C::Personnel],
            late_replies: 1,
            collection: Freshness::Stale,
            interview: Freshness::Stale,
            style: CmsStyle::Plain,
            ..dept("zrzyj", "临江市自然资源和规划局", "临江市自然资源和规划局", "临自然资规")
        },
        // 21 sthjj: 合格.
        Spec {
            annual: Annual::Missing,
            no_application: true,
            replies_stale: true,
            stats_stale: true,
            identity_missing: vec!["site_code", "icp", "badge"],
            no_error_entry: true,
            interview: Freshness::Missing,
            id_number: true,
            date_style: DateStyle::Chinese,
            ..dept("sthjj", "临江市生态环境局", "临江市生态环境局", "临环发")
        },
        // 22 zjj: GBK in <meta>, clean, accessibility.
        Spec {
            charset: Charset::GbkMeta,
            accessibility: true,
            ..dept("zjj", "临江市住房和城乡建设局", "临江市住建局", "临建发")
        },
        // 23 jtysj: stale + blank ≥ 10 (veto.columns_long_stale) without other vetoes.
        Spec {
            placeholders: vec![C::Collection, C::Interview, C::ServiceStats],
            extra_news: vec![("交通动态", "jtdt", true)],
            periodic_stale: vec![C::Interpretation, C::Personnel, C::Plan, C::Finance, C::Statistics],
            notice_stale: true,
            policy_stale: true,
            ..dept("jtysj", "临江市交通运输局", "临江市交通运输局", "临交发")
        },
        // 24 nyncj: host breaks the domain rule.
        Spec {
            host: Some("www.ljnync.com"),
            style: CmsStyle::Hanweb,
            ..dept("nyncj", "临江市农业农村局", "临江市农业农村局", "临农发")
        },
        // 25 swj: 良好, service entry broken.
        Spec {
            extra_news: vec![("商务动态", "swdt", true)],
            notice_stale: true,
            periodic_stale: vec![C::Plan, C::Statistics],
            broken_site: 10,
            service: Svc::Broken,
            ..dept("swj", "临江市商务局", "临江市商务局", "临商发")
        },
        // 26 wsjkw: shared platform, 合格.
        Spec {
            shared_platform: true,
            missing: vec![C::Leaders, C::Interpretation],
            no_system: true,
            guide_missing: 4,
            timeliness_late: 5,
            identity_missing: vec!["police", "sponsor"],
            late_replies: 3,
            style: CmsStyle::Hanweb,
            ..dept("wsjkw", "临江市卫生健康委员会", "临江市卫健委", "临卫发")
        },
        // 27 yjglj: Hanweb, clean; footer written by an external GBK script on UTF-8 pages.
        Spec {
            style: CmsStyle::Hanweb,
            date_style: DateStyle::Slash,
            footer_script: true,
            ..dept("yjglj", "临江市应急管理局", "临江市应急管理局", "临应急发")
        },
        // 28 scjgj: shared platform, script-only list, 良好.
        Spec {
            shared_platform: true,
            script_only: vec![C::Statistics],
            no_error_entry: true,
            no_search: true,
            undated: vec![C::Plan, C::Finance],
            broken_site: 5,
            late_replies: 2,
            identity_missing: vec!["badge", "police"],
            ..dept("scjgj", "临江市市场监督管理局", "临江市市场监管局", "临市监发")
        },
        // 29 tjj: 合格 with many small deductions.
        Spec {
            missing: vec![C::Leaders, C::Interpretation, C::Plan],
            extra_news: vec![("统计动态", "tjdt", true)],
            policy_stale: true,
            periodic_stale: vec![C::Personnel, C::Finance],
            guide_missing: 3,
            no_application: true,
            replies_stale: true,
            collection: Freshness::Missing,
            interview: Freshness::Missing,
            stats_stale: true,
            identity_missing: vec!["site_code", "badge"],
            broken_home: 2,
            style: CmsStyle::Plain,
            ..dept("tjj", "临江市统计局", "临江市统计局", "临统发")
        },
    ]
}

const TOPICS: [&str; 24] = [
    "安全生产",
    "森林防火",
    "乡村振兴",
    "营商环境优化",
    "城乡环境综合治理",
    "防汛减灾",
    "耕地保护",
    "招商引资",
    "民生实事",
    "高标准农田建设",
    "文明城市创建",
    "消防安全",
    "冬春农田水利建设",
    "河长制",
    "就业创业",
    "养老服务",
    "义务教育",
    "医疗保障",
    "食品安全",
    "生态环境保护",
    "数字政府建设",
    "老旧小区改造",
    "农村人居环境整治",
    "粮食安全",
];

fn topic(rng: &mut ChaCha8Rng) -> &'static str {
    TOPICS[rng.gen_range(0..TOPICS.len())]
}

fn title_for(cat: Category, short: &str, rng: &mut ChaCha8Rng, k: usize) -> String {
    let t = topic(rng);
    match cat {
        C::News => match k % 4 {
            0 => format!("{short}召开{t}工作推进会"),
            1 => format!("{short}开展{t}专项督导检查"),
            2 => format!("{short}部署{t}重点工作"),
            _ => format!("{t}工作取得阶段性成效"),
        },
        C::Notice => match k % 3 {
            0 => format!("关于做好{t}工作的通知"),
            1 => format!("关于{t}有关事项的公告"),
            _ => format!("{t}项目公示"),
        },
        C::Policy => format!("{short}关于印发《{t}实施方案》的通知"),
        C::Interpretation => format!("《{t}实施方案》政策解读"),
        C::Personnel => format!("{short}{}年公开招聘工作人员公告（{}）", 2026 - (k as i32 / 2), k + 1),
        C::Plan => format!("{short}{t}三年行动计划"),
        C::Finance => format!("{short}{}年部门预算公开", 2026 - k as i32),
        C::Statistics => format!("{short}{}月份主要经济指标", 12 - (k % 12)),
        C::Collection => format!("关于《{t}管理办法（征求意见稿）》公开征求意见的公告"),
        C::Interview => format!("在线访谈：聚焦{t}"),
        C::ServiceStats => format!("{short}政务服务办件公示（第{}期）", 40 - k),
        C::Consultation => format!("关于{t}的咨询"),
        _ => format!("{short}{t}信息公开"),
    }
}

/// Resident ID number with a valid ISO 7064 MOD 11-2 check character.
pub fn id_number(base17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let s: u32 = base17.chars().zip(W).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    format!("{base17}{}", CHECK[(s % 11) as usize])
}

/// Bank card number with a valid Luhn check digit.
pub fn card_number(base: &str) -> String {
    let mut sum = 0;
    for (i, c) in base.chars().rev().enumerate() {
        let mut d = c.to_digit(10).unwrap();
        if i % 2 == 0 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    format!("{base}{}", (10 - sum % 10) % 10)
}

pub fn minus(t0: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        t0 - Days::new(days as u64)
    } else {
        t0 + Days::new((-days) as u64)
    }
}

/// Annual report deadline of year `y` (RUBRIC.md): departments 31 January, governments 31 March.
pub fn annual_deadline(level: Level, y: i32) -> NaiveDate {
    if level == Level::Department {
        NaiveDate::from_ymd_opt(y, 1, 31).unwrap()
    } else {
        NaiveDate::from_ymd_opt(y, 3, 31).unwrap()
    }
}

struct Builder<'a> {
    spec: &'a Spec,
    t0: NaiveDate,
    rng: ChaCha8Rng,
    next_id: u32,
    next_cid: u32,
}

impl Builder<'_> {
    fn id(&mut self) -> u32 {
        self.next_id += 1 + self.rng.gen_range(0..7);
        self.next_id
    }

    fn column(
        &mut self,
        seg: &str,
        name: &str,
        cat: Category,
        first_level: bool,
        place: Place,
        kind: ColumnKind,
    ) -> Column {
        self.next_cid += 1 + self.rng.gen_range(0..3);
        Column {
            seg: seg.to_string(),
            cid: self.next_cid,
            name: name.to_string(),
            category: cat,
            first_level,
            place,
            kind,
            items: vec![],
            placeholder: false,
            entry_target: None,
            entry_broken: false,
        }
    }

    /// `n` items, the newest `newest` days before T0, then one every `step` days.
    fn items(&mut self, cat: Category, n: usize, newest: i64, step: i64) -> Vec<Item> {
        (0..n)
            .map(|k| {
                let date = minus(self.t0, newest + step * k as i64);
                let title = title_for(cat, self.spec.short, &mut self.rng, k);
                Item {
                    id: self.id(),
                    title,
                    date: Some(date),
                    doc: None,
                    extra: ItemExtra::None,
                    exposes_id: false,
                    exposes_card: false,
                    broken_links: vec![],
                }
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn list(
        &mut self,
        seg: &str,
        name: &str,
        cat: Category,
        first_level: bool,
        place: Place,
        n: usize,
        newest: i64,
        step: i64,
    ) -> Column {
        let mut c = self.column(seg, name, cat, first_level, place, ColumnKind::List);
        c.items = self.items(cat, n, newest, step);
        c
    }
}

/// Pinyin-initial URL segment of a column name, as real CMSs name their folders.
fn seg_of(name: &str) -> &'static str {
    match name {
        "临江要闻" => "ljyw",
        "工作动态" => "gzdt",
        "图片新闻" => "tpxw",
        "公示公告" => "gsgg",
        "规范性文件" => "gfxwj",
        "通知公告" => "tzgg",
        "政策文件" => "zcwj",
        _ => "zwdt",
    }
}

/// Build one site's model from its spec.
pub fn build_site(idx: usize, spec: &Spec, seed: u64, t0: NaiveDate) -> SiteModel {
    let rng = ChaCha8Rng::seed_from_u64(seed ^ (idx as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut b = Builder { spec, t0, rng, next_id: 100_000 + idx as u32 * 7919, next_cid: 10 + idx as u32 * 3 };
    let gov = spec.level != Level::Department;
    let host = spec.host.map(str::to_string).unwrap_or_else(|| {
        if gov {
            format!("www.{}.gov.cn", spec.key)
        } else {
            format!("{}.{}.gov.cn", spec.key, CITY_PINYIN)
        }
    });
    let platform = if spec.shared_platform {
        PlatformLoc { host: PLATFORM_HOST.to_string(), prefix: format!("/{}/", spec.key), shared: true }
    } else {
        PlatformLoc { host: host.clone(), prefix: "/xxgk/".to_string(), shared: false }
    };
    let missing = |c: Category| spec.missing.contains(&c);
    // Item counts: halved (at least one) on a small site.
    let n = |x: usize| if spec.small { x.div_ceil(2) } else { x };
    let mut cols: Vec<Column> = vec![];

    // News: fresh (newest 2 days ago, every 3 days) or stale (newest 40 days ago).
    let (news_newest, news_step) = if spec.stale_home { (40, 5) } else { (2, 3) };
    let mut news =
        b.list(seg_of(spec.news_name), spec.news_name, C::News, true, Place::Main, n(12), news_newest, news_step);
    if spec.future_item {
        news.items[0].date = Some(minus(t0, -10));
    }
    cols.push(news);
    for (name, seg, stale) in &spec.extra_news {
        let (n0, st) = if *stale { (45, 6) } else { (3, 4) };
        cols.push(b.list(seg, name, C::News, false, Place::Main, n(6), n0, st));
    }
    // Notice and policy: 6-month window; stale = newest about 8 months old.
    let (nn, ns) = if spec.notice_stale {
        (245, 20)
    } else if spec.stale_home {
        (40, 15)
    } else {
        (5, 9)
    };
    let mut notice = b.list(seg_of(spec.notice_name), spec.notice_name, C::Notice, true, Place::Main, n(8), nn, ns);
    if spec.id_number {
        let it = &mut notice.items[1];
        it.title = format!("{}2026年公益性岗位拟聘用人员名单公示", spec.short);
        it.exposes_id = true;
    }
    if !missing(C::Notice) {
        cols.push(notice);
    }
    let (pn, ps) = if spec.policy_stale {
        (250, 20)
    } else if spec.stale_home {
        (42, 12)
    } else {
        (6, 12)
    };
    let mut policy = b.list(seg_of(spec.policy_name), spec.policy_name, C::Policy, true, Place::Main, n(8), pn, ps);
    for (k, it) in policy.items.iter_mut().enumerate() {
        let d = it.date.unwrap();
        let late = k < spec.timeliness_late;
        let written = if late { minus(d, 60) } else { minus(d, 1 + (k % 4) as i64) };
        it.doc = Some(DocInfo { written, number: format!("{}〔{}〕{}号", spec.abbr, written.year(), 40 - k) });
    }
    cols.push(policy);

    // Periodic list columns (12-month window): fresh newest 20 days ago, stale newest 450 days ago.
    let periodic: [(Category, &str, &str, Place, usize); 5] = [
        (C::Interpretation, "zcjd", "政策解读", Place::Main, 4),
        (C::Personnel, "rsxx", "人事信息", Place::Platform, 3),
        (C::Plan, "ghjh", "规划计划", Place::Platform, 3),
        (C::Finance, "czyjs", "财政预决算", Place::Platform, 3),
        (C::Statistics, "tjxx", "统计信息", Place::Platform, 3),
    ];
    for (cat, seg, name, place, count) in periodic {
        let count = n(count);
        if missing(cat) {
            continue;
        }
        let first = cat == C::Interpretation;
        if spec.script_only.contains(&cat) {
            let mut c = b.column(seg, name, cat, first, place, ColumnKind::ScriptOnly);
            c.items = b.items(cat, count, 15, 30);
            cols.push(c);
            continue;
        }
        let (n0, st) = if spec.periodic_stale.contains(&cat) { (450, 40) } else { (20, 30) };
        let mut c = b.list(seg, name, cat, first, place, count, n0, st);
        if spec.placeholders.contains(&cat) {
            c.items.clear();
            c.placeholder = true;
        }
        if spec.empty.contains(&cat) {
            c.items.clear();
        }
        if spec.undated.contains(&cat) {
            // More than half of the first page undated; the dated ones stay fresh.
            c.items = b.items(cat, 5, 20, 30);
            for it in c.items.iter_mut().skip(2) {
                it.date = None;
            }
        }
        if spec.card_number && cat == C::Finance {
            c.items[0].title = "关于发放2026年耕地地力保护补贴的公示".to_string();
            c.items[0].exposes_card = true;
        }
        cols.push(c);
    }
    // Single pages.
    for (cat, seg, name, place) in [
        (C::Overview, "zjlj", if gov { "县情概况" } else { "机构概况" }, Place::Platform),
        (C::Functions, "jgzn", "机构职能", Place::Platform),
        (C::Leaders, "ldxx", "领导信息", Place::Platform),
    ] {
        if missing(cat) || (cat == C::Overview && !gov) {
            continue;
        }
        let name = if cat == C::Overview && spec.level == Level::City { "走进临江" } else { name };
        cols.push(b.column(seg, name, cat, false, place, ColumnKind::Single));
    }
    // 法定主动公开内容 sub-columns with no canonical category.
    for (k, (name, seg, _)) in OTHER_COLUMNS.iter().enumerate() {
        let mut c = b.list(seg, name, C::Other, false, Place::Platform, n(2), 30 + k as i64 * 3, 40);
        if spec.placeholder_others.contains(&k) {
            c.items.clear();
            c.placeholder = true;
        }
        cols.push(c);
    }
    // The platform's first level.
    let mut guide = b.column("xxgkzn", "政府信息公开指南", C::Guide, true, Place::Platform, ColumnKind::Single);
    guide.first_level = true;
    cols.push(guide);
    if !spec.no_system {
        cols.push(b.column("xxgkzd", "政府信息公开制度", C::System, true, Place::Platform, ColumnKind::Single));
    }
    cols.push(b.column("fdzdgknr", "法定主动公开内容", C::Statutory, true, Place::Platform, ColumnKind::Container));
    let mut annual = b.column("xxgknb", "政府信息公开年报", C::AnnualReport, true, Place::Platform, ColumnKind::List);
    let y = t0.year();
    for (k, year) in [y - 1, y - 2, y - 3].into_iter().enumerate() {
        let deadline = annual_deadline(spec.level, year + 1);
        let published =
            if k == 0 && spec.annual == Annual::Late { deadline + Days::new(50) } else { deadline - Days::new(20) };
        if k == 0 && spec.annual == Annual::Missing {
            continue;
        }
        // A report not yet published at T0 does not exist yet.
        if published > minus(t0, 3) {
            continue;
        }
        let title = format!("{}{}年政府信息公开工作年度报告", spec.short, year);
        let id = b.id();
        annual.items.push(Item {
            id,
            title,
            date: Some(published),
            doc: None,
            extra: ItemExtra::AnnualReport { year },
            exposes_id: false,
            exposes_card: false,
            broken_links: vec![],
        });
    }
    cols.push(annual);
    if !spec.no_application {
        cols.push(b.column("ysqgk", "依申请公开", C::Application, true, Place::Platform, ColumnKind::Single));
    }

    // Interaction.
    if spec.consultation {
        let name = match spec.level {
            Level::City => "市长信箱",
            Level::County => "县长信箱",
            _ => "网上咨询",
        };
        let name =
            if spec.key == "jinniu" || spec.key == "longquan" || spec.key == "yunxi" { "区长信箱" } else { name };
        let mut c = b.column("zxxx", name, C::Consultation, true, Place::Main, ColumnKind::List);
        let mut msgs: Vec<(i64, Option<i64>)> = vec![];
        if spec.replies_stale {
            for k in 0..6 {
                let p = 100 + 25 * k;
                msgs.push((p, Some(p - 2)));
            }
        } else {
            for k in 0..n(7) as i64 {
                let p = 5 + 11 * k;
                msgs.push((p, Some(p - 1 - k % 3)));
            }
        }
        for k in 0..spec.late_replies {
            let p = 70 + 15 * k as i64 + if spec.replies_stale { 50 } else { 0 };
            msgs.push((p, Some(p - 50)));
        }
        if spec.unanswered {
            msgs.push((120, None));
        }
        if spec.recent_unanswered {
            msgs.push((3, None));
        }
        msgs.sort_by_key(|m| m.0);
        for (k, (p, r)) in msgs.into_iter().enumerate() {
            let posted = minus(t0, p);
            let replied = r.map(|r| minus(t0, r));
            let id = b.id();
            let title = title_for(C::Consultation, spec.short, &mut b.rng, k);
            c.items.push(Item {
                id,
                title,
                date: Some(posted),
                doc: None,
                extra: ItemExtra::Message { posted, replied },
                exposes_id: false,
                exposes_card: false,
                broken_links: vec![],
            });
        }
        cols.push(c);
    }
    match spec.collection {
        Freshness::Fresh => cols.push(b.list("zjdc", "意见征集", C::Collection, false, Place::Main, n(3), 40, 60)),
        Freshness::Stale => cols.push(b.list("zjdc", "意见征集", C::Collection, false, Place::Main, 3, 420, 60)),
        Freshness::Missing => {}
    }
    match spec.interview {
        Freshness::Fresh => cols.push(b.list("zxft", "在线访谈", C::Interview, false, Place::Main, n(2), 25, 50)),
        Freshness::Stale => cols.push(b.list("zxft", "在线访谈", C::Interview, false, Place::Main, 2, 400, 50)),
        Freshness::Missing => {}
    }
    // Service.
    if spec.service != Svc::None {
        let mut c = b.column("bsfw", "办事服务", C::Service, true, Place::Main, ColumnKind::Entry);
        let path = if spec.service == Svc::Broken { format!("/old/{}/", spec.key) } else { format!("/{}/", spec.key) };
        c.entry_target = Some(format!("http://{SERVICE_HOST}{path}"));
        c.entry_broken = spec.service == Svc::Broken;
        cols.push(c);
        let (n0, st) = if spec.stats_stale { (150, 30) } else { (10, 30) };
        cols.push(b.list("bjgs", "办件公示", C::ServiceStats, false, Place::Main, n(3), n0, st));
    }

    // Placeholder (blank) columns of any category.
    for c in cols.iter_mut() {
        if spec.placeholders.contains(&c.category) && c.kind == ColumnKind::List {
            c.items.clear();
            c.placeholder = true;
        }
    }

    // Broken links elsewhere: spread over article pages of news, unique targets.
    let n_broken = spec.broken_site;
    let mut targets: Vec<String> = (0..n_broken).map(|i| format!("/uploadfiles/2025/fj{:03}.doc", i + 1)).collect();
    if spec.unreachable_link {
        targets.push(UNREACHABLE_URL.to_string());
    }
    for (k, t) in targets.into_iter().enumerate() {
        let col = &mut cols[0];
        let n = col.items.len();
        col.items[k % n].broken_links.push(t);
    }

    let identity_missing = |e: &str| spec.identity_missing.contains(&e);
    let code_num = format!("51{:02}{:06}", 8 + idx % 10, 100_000 + idx * 7 + 1);
    let footer = Footer {
        site_code: (!identity_missing("site_code")).then(|| {
            if gov {
                code_num.clone()
            } else {
                format!("bm{:08}", 51_080_000 + idx * 3)
            }
        }),
        icp: (!identity_missing("icp")).then(|| format!("川ICP备{:08}号-{}", 10_234_567 + idx * 1013, 1 + idx % 3)),
        police: (!identity_missing("police"))
            .then(|| format!("川公网安备{}号", 51_010_602_000_100u64 + idx as u64 * 37)),
        badge: !identity_missing("badge"),
        badge_by_script: spec.badge_script,
        sponsor: (!identity_missing("sponsor")).then(|| {
            if gov {
                format!("{}办公室", spec.name)
            } else {
                spec.name.to_string()
            }
        }),
        contact: !identity_missing("contact"),
        variant: spec.footer_variant,
        in_iframe: spec.footer_iframe,
        by_script: spec.footer_script,
    };
    let guide_elements: Vec<usize> = {
        // Drop in an order whose keywords never occur elsewhere on a page: 传真, 办公时间, 编排体系, 分类, 获取方式.
        let drop_order = [6usize, 4, 1, 0, 2];
        let dropped = &drop_order[..spec.guide_missing.min(5)];
        (0..8).filter(|i| !dropped.contains(i)).collect()
    };
    let broken_home: Vec<String> = (0..spec.broken_home).map(|i| format!("/zt/2019zt{}/index.html", i + 1)).collect();
    let disallow = vec!["/search/".to_string(), "/admin/".to_string()];
    // The advanced-search link only exists next to a search form (a link to /search/ would look like a search entry).
    let mut disallowed_links = vec!["/admin/login.jsp".to_string()];
    if !spec.no_search {
        disallowed_links.insert(0, "/search/advanced.html".to_string());
    }
    let redirects = if spec.redirects {
        vec![("/index.htm".to_string(), "/".to_string()), ("/old/tzgg/".to_string(), "/tzgg/".to_string())]
    } else {
        vec![]
    };
    SiteModel {
        idx,
        id: format!("xc-lj-{}", spec.key),
        name: spec.name.to_string(),
        short: spec.short.to_string(),
        host,
        level: spec.level,
        region: match spec.level {
            Level::County => vec![PROVINCE.to_string(), CITY.to_string(), spec.short.to_string()],
            _ => vec![PROVINCE.to_string(), CITY.to_string()],
        },
        style: spec.style,
        date_style: spec.date_style,
        charset: spec.charset,
        platform,
        columns: cols,
        guide_elements,
        footer,
        error_entry: !spec.no_error_entry,
        error_entry_script: spec.error_script,
        search: !spec.no_search,
        accessibility: spec.accessibility,
        broken_home,
        spam_link: spec.spam,
        petition_link: spec.petition,
        flaky_home: spec.flaky,
        gzip: spec.gzip,
        calendar_trap: spec.calendar,
        crawl_delay: spec.crawl_delay,
        disallow,
        disallowed_links,
        redirects,
        page_size: 10,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_carry_a_valid_check_character() {
        // A well-known valid example: 11010519491231002X.
        assert_eq!(id_number("11010519491231002"), "11010519491231002X");
        let id = id_number("51082219850317123");
        assert_eq!(id.len(), 18);
    }

    #[test]
    fn card_numbers_pass_luhn() {
        // 4111 1111 1111 1111 is the classic Luhn-valid test number.
        assert_eq!(card_number("411111111111111"), "4111111111111111");
        assert_eq!(card_number("622202123456789012").len(), 19);
    }

    #[test]
    fn thirty_specs_with_unique_keys() {
        let s = specs();
        assert_eq!(s.len(), 30);
        let mut keys: Vec<&str> = s.iter().map(|x| x.key).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), 30);
        assert_eq!(s.iter().filter(|x| x.level == Level::County).count(), 14);
        assert_eq!(s.iter().filter(|x| x.level == Level::Department).count(), 15);
    }

    #[test]
    fn dates_stay_at_or_before_t0_except_the_future_item() {
        let t0 = NaiveDate::from_ymd_opt(2026, 11, 15).unwrap();
        for (i, spec) in specs().iter().enumerate() {
            let s = build_site(i, spec, 1, t0);
            for c in &s.columns {
                for it in &c.items {
                    if let Some(d) = it.date {
                        assert!(d <= t0 || spec.future_item, "{} {}", s.id, it.title);
                    }
                    if let ItemExtra::Message { posted, replied: Some(r) } = it.extra {
                        assert!(posted <= r && r <= t0);
                    }
                }
            }
        }
    }
}
