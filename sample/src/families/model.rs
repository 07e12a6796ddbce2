//! The model of the CMS-family province and its seeded generator.
//!
//! One `FSite` per site: its columns (each with items dated relative to T0), its messages, its footer facts and the
//! defects it carries. Pages are rendered from this model (family renderer files) and the ground truth is computed from
//! it (`oracle.rs`) with RUBRIC.md's definitions; both read only this model. Dates keep at least 4 days away from every
//! window boundary, and working-day gaps are either at most 4 calendar days or at least 50, so holidays cannot change
//! an answer.

use super::Family;
use crate::gen::{annual_deadline, card_number, id_number};
use crate::model::{Category, Charset, ColumnKind, DocInfo, Item, ItemExtra, Place};
use chrono::{Datelike, Days, NaiveDate};
use gongkai_config::Level;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
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
    /// RUBRIC.md "blank".
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

/// Defects of one site (the generator's plan; outcomes are computed by the oracle).
#[derive(Debug, Clone, Default)]
struct Plan {
    veto: Option<VetoCase>,
    news_columns: usize,
    stale_news: usize,
    stale_notice: bool,
    stale_policy: bool,
    stale_periodic: Vec<Category>,
    stale_others: usize,
    undated_other: bool,
    placeholders: usize,
    dead: usize,
    missing: Vec<Category>,
    platform_missing: Option<Category>,
    guide_missing: usize,
    annual: u8, // 0 on time, 1 late, 2 missing
    coverage_drop: usize,
    timeliness_late: usize,
    no_application: bool,
    replies_stale: bool,
    late_replies: usize,
    no_collection: bool,
    stale_interview: bool,
    service_broken: bool,
    stats_stale: bool,
    broken_home: usize,
    broken_site: usize,
    identity_missing: Vec<usize>,
    no_error_entry: bool,
    no_search: bool,
    bad_domain: bool,
    privacy: usize,
    accessibility: bool,
    big_news: bool,
}

/// County-level names (zh, pinyin) used by the generator; unique across families.
const COUNTIES: [(&str, &str); 60] = [
    ("宝丰", "baofeng"),
    ("朝阳", "chaoyang"),
    ("东源", "dongyuan"),
    ("广安", "guangan"),
    ("和平", "heping"),
    ("建宁", "jianning"),
    ("乐安", "lean"),
    ("明溪", "mingxi"),
    ("宁化", "ninghua"),
    ("清流", "qingliu"),
    ("泰宁", "taining"),
    ("武平", "wuping"),
    ("安平", "anping"),
    ("白河", "baihe"),
    ("苍溪", "cangxi"),
    ("丹棱", "danling"),
    ("凤岗", "fenggang"),
    ("高坪", "gaoping"),
    ("黄龙", "huanglong"),
    ("嘉禾", "jiahe"),
    ("金川", "jinchuan"),
    ("兰溪", "lanxi"),
    ("柳城", "liucheng"),
    ("茂林", "maolin"),
    ("南屏", "nanping"),
    ("平川", "pingchuan"),
    ("青石", "qingshi"),
    ("瑞丰", "ruifeng"),
    ("石泉", "shiquan"),
    ("桃源", "taoyuan"),
    ("望江", "wangjiang"),
    ("西岭", "xiling"),
    ("永宁", "yongning"),
    ("云溪", "yunxi"),
    ("长乐", "changle"),
    ("紫阳", "ziyang"),
    // Holdout families (indexes 36..60; `(f * 6 + k) % 60` leaves the first six families' picks unchanged).
    ("安溪", "anxi"),
    ("碧水", "bishui"),
    ("春江", "chunjiang"),
    ("大田", "datian"),
    ("峨眉", "emei"),
    ("福田", "futian"),
    ("古田", "gutian"),
    ("华容", "huarong"),
    ("江华", "jianghua"),
    ("莲花", "lianhua"),
    ("梅山", "meishan"),
    ("宁远", "ningyuan"),
    ("蒲城", "pucheng"),
    ("秋浦", "qiupu"),
    ("仁寿", "renshou"),
    ("松溪", "songxi"),
    ("铜鼓", "tonggu"),
    ("万载", "wanzai"),
    ("新田", "xintian"),
    ("宜章", "yizhang"),
    ("资溪", "zixi"),
    ("崇义", "chongyi"),
    ("德化", "dehua"),
    ("横峰", "hengfeng"),
];

/// City of each family (zh, pinyin).
const CITIES: [(&str, &str); 10] = [
    ("石门", "shimen"),
    ("鹤山", "heshan"),
    ("玉屏", "yuping"),
    ("澄江", "chengjiang"),
    ("龙泉", "longquan"),
    ("清远", "qingyuan"),
    // Holdout families.
    ("金华", "jinhua"),
    ("桂阳", "guiyang"),
    ("南岳", "nanyue"),
    ("青田", "qingtian"),
];

/// Departments (name, host label, short suffix).
const DEPTS: [(&str, &str); 8] = [
    ("发展和改革局", "fgj"),
    ("教育局", "jyj"),
    ("农业农村局", "nyncj"),
    ("自然资源局", "zrzyj"),
    ("卫生健康局", "wjj"),
    ("市场监督管理局", "scjgj"),
    ("交通运输局", "jtysj"),
    ("民政局", "mzj"),
];

const TOPICS: [&str; 20] = [
    "森林防火",
    "营商环境优化",
    "城乡环境综合治理",
    "防汛减灾",
    "耕地保护",
    "招商引资",
    "民生实事",
    "高标准农田建设",
    "文明城市创建",
    "消防安全",
    "河长制",
    "就业创业",
    "义务教育",
    "医疗保障",
    "数字政府建设",
    "老旧小区改造",
    "农村人居环境整治",
    "粮食安全",
    "交通运输",
    "水利工程",
];

/// 条例 第20条 sub-columns with no canonical category (name, seg); each covers one item of the rubric keyword map.
pub const CLAUSE_COLUMNS: [(&str, &str); 8] = [
    ("行政许可", "xzxk"),
    ("行政处罚", "xzcf"),
    ("行政事业性收费", "xzsyxsf"),
    ("政府采购", "zfcg"),
    ("重大建设项目", "zdjsxm"),
    ("社会保障", "shbz"),
    ("应急管理", "yjgl"),
    ("监督检查", "jdjc"),
];

/// Names of columns that answer 404 or hold placeholders (no keyword of the statutory map in them).
const SPARE_COLUMNS: [(&str, &str); 6] = [
    ("建议提案办理", "jytabl"),
    ("政府会议", "zfhy"),
    ("工作总结", "gzzj"),
    ("人大代表建议", "rddbjy"),
    ("政协委员提案", "zxwyta"),
    ("专项工作", "zxgz"),
];

fn pick<'a>(rng: &mut ChaCha8Rng, xs: &[&'a str]) -> &'a str {
    xs[rng.gen_range(0..xs.len())]
}

pub fn minus(t0: NaiveDate, days: i64) -> NaiveDate {
    if days >= 0 {
        t0 - Days::new(days as u64)
    } else {
        t0 + Days::new((-days) as u64)
    }
}

/// A 21-digit conac code none of whose 16–19 digit windows is Luhn-valid and none of whose 18-digit windows is a valid
/// resident ID, so the badge script can never look like exposed personal data.
fn conac_code(rng: &mut ChaCha8Rng, prov: &str) -> String {
    loop {
        let mid: u32 = rng.gen_range(10_000_000..99_999_999);
        let code = format!("{prov}0000000{mid}{:04}", rng.gen_range(1..9999));
        if digits_safe(&code) {
            return code;
        }
    }
}

/// No window of 16–19 digits passes Luhn and no 18-digit window passes the ID checksum.
pub fn digits_safe(d: &str) -> bool {
    let b = d.as_bytes();
    for len in 16..=19 {
        for w in b.windows(len) {
            let s = std::str::from_utf8(w).unwrap();
            if luhn_ok(s) {
                return false;
            }
            if len == 18 && id_number(&s[..17]) == s {
                return false;
            }
        }
    }
    true
}

fn luhn_ok(s: &str) -> bool {
    let mut sum = 0;
    for (i, c) in s.chars().rev().enumerate() {
        let mut d = c.to_digit(10).unwrap();
        if i % 2 == 1 {
            d *= 2;
            if d > 9 {
                d -= 9;
            }
        }
        sum += d;
    }
    sum % 10 == 0
}

struct B {
    rng: ChaCha8Rng,
    t0: NaiveDate,
    next_id: u32,
    next_key: u32,
    short: String,
}

impl B {
    fn id(&mut self) -> u32 {
        self.next_id += 1 + self.rng.gen_range(0..5);
        self.next_id
    }
    fn key(&mut self) -> u32 {
        self.next_key += 1 + self.rng.gen_range(0..4);
        self.next_key
    }
    fn title(&mut self, cat: Category, k: usize) -> String {
        let t = TOPICS[self.rng.gen_range(0..TOPICS.len())];
        let short = self.short.clone();
        let cn = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"][k % 10];
        match cat {
            Category::News => match k % 4 {
                0 => format!("{short}召开{t}工作推进会"),
                1 => format!("{short}开展{t}专项督导检查"),
                2 => format!("{short}部署{t}重点工作"),
                _ => format!("{t}工作取得阶段性成效（{cn}）"),
            },
            Category::Notice => match k % 3 {
                0 => format!("关于做好{t}工作的通知"),
                1 => format!("关于{t}有关事项的公告"),
                _ => format!("{t}项目公示"),
            },
            Category::Policy => format!("{short}关于印发《{t}实施方案》的通知"),
            Category::Interpretation => format!("《{t}实施方案》政策解读"),
            Category::Personnel => format!("{short}公开招聘工作人员公告（第{cn}批）"),
            Category::Plan => format!("{short}{t}三年行动计划"),
            Category::Finance => format!("{short}部门预算公开说明（第{cn}号）"),
            Category::Statistics => format!("{short}统计简报（第{cn}期）"),
            Category::Collection => format!("关于《{t}管理办法（征求意见稿）》公开征求意见的公告"),
            Category::Interview => format!("在线访谈：聚焦{t}"),
            Category::ServiceStats => format!("{short}政务服务办件公示（第{cn}期）"),
            Category::Consultation => format!("关于{t}的咨询"),
            _ => format!("{short}{t}信息公开（{cn}）"),
        }
    }
    fn item(&mut self, cat: Category, k: usize, date: Option<NaiveDate>) -> Item {
        Item {
            id: self.id(),
            title: self.title(cat, k),
            date,
            doc: None,
            extra: ItemExtra::None,
            exposes_id: false,
            exposes_card: false,
            broken_links: vec![],
        }
    }
    /// `n` items, the newest `newest` days before T0, then one every `step` days.
    fn items(&mut self, cat: Category, n: usize, newest: i64, step: i64) -> Vec<Item> {
        (0..n).map(|k| self.item(cat, k, Some(minus(self.t0, newest + step * k as i64)))).collect()
    }
    fn col(&mut self, name: &str, seg: &str, cat: Category, place: Place, kind: ColumnKind) -> FCol {
        FCol {
            key: self.key(),
            seg: seg.to_string(),
            name: name.to_string(),
            category: cat,
            first_level: true,
            place,
            in_container: false,
            kind,
            items: vec![],
            placeholder: false,
            dead: false,
            entry_target: None,
            entry_broken: false,
            via_plus: false,
        }
    }
}

/// Pinyin-initial segment of a canonical column name (falls back to the category's usual segment).
fn seg_for(name: &str, cat: Category) -> String {
    let known: [(&str, &str); 40] = [
        ("政务动态", "zwdt"),
        ("工作动态", "gzdt"),
        ("政务要闻", "zwyw"),
        ("部门动态", "bmdt"),
        ("乡镇动态", "xzdt"),
        ("图片新闻", "tpxw"),
        ("通知公告", "tzgg"),
        ("公示公告", "gsgg"),
        ("公告公示", "gggs"),
        ("政策文件", "zcwj"),
        ("规范性文件", "gfxwj"),
        ("政府文件", "zfwj"),
        ("文件资料", "wjzl"),
        ("政策解读", "zcjd"),
        ("解读回应", "jdhy"),
        ("文件解读", "wjjd"),
        ("机构职能", "jgzn"),
        ("机构设置", "jgsz"),
        ("内设机构", "nsjg"),
        ("领导信息", "ldxx"),
        ("领导之窗", "ldzc"),
        ("政府领导", "zfld"),
        ("人事信息", "rsxx"),
        ("人事任免", "rsrm"),
        ("规划计划", "ghjh"),
        ("发展规划", "fzgh"),
        ("财政预决算", "czyjs"),
        ("财政信息", "czxx"),
        ("部门预决算", "bmyjs"),
        ("统计信息", "tjxx"),
        ("统计数据", "tjsj"),
        ("数据发布", "sjfb"),
        ("政府信息公开指南", "xxgkzn"),
        ("政府信息公开制度", "xxgkzd"),
        ("法定主动公开内容", "fdzdgknr"),
        ("政府信息公开年报", "xxgknb"),
        ("依申请公开", "ysqgk"),
        ("意见征集", "yjzj"),
        ("在线访谈", "zxft"),
        ("办件公示", "bjgs"),
    ];
    if let Some((_, s)) = known.iter().find(|(n, _)| *n == name) {
        return s.to_string();
    }
    match cat {
        Category::News => "xwdt",
        Category::Overview => "xqgk",
        Category::Consultation => "wszx",
        Category::Collection => "zjdc",
        Category::Interview => "ftzb",
        Category::ServiceStats => "bjtj",
        Category::Guide => "gkzn",
        Category::System => "gkzd",
        Category::Statutory => "zdgk",
        Category::AnnualReport => "gknb",
        Category::Plan => "jhzj",
        Category::Finance => "ysjs",
        Category::Statistics => "tjgb",
        Category::Personnel => "zkly",
        Category::Leaders => "fzrxx",
        Category::Functions => "bmzz",
        Category::Interpretation => "tjzc",
        Category::Policy => "zfl",
        _ => "lm",
    }
    .to_string()
}

/// The plan of site `k` (0..6) of a family for a seed.
fn plan_for(family: Family, k: usize, seed: u64, rng: &mut ChaCha8Rng) -> Plan {
    let f = family as usize;
    let mut p = Plan { news_columns: 1 + rng.gen_range(0..2), ..Plan::default() };
    if family == Family::AspTable && k == (seed as usize) % 2 {
        p.big_news = true;
    }
    if k < 2 {
        // Passing sites: at most a few small deductions.
        let small = rng.gen_range(0..4);
        for _ in 0..small {
            match rng.gen_range(0..6) {
                0 => p.stale_interview = true,
                1 => p.timeliness_late = 1,
                2 => p.broken_site = 1,
                3 => p.guide_missing = 1,
                4 => p.accessibility = true,
                _ => p.identity_missing = vec![rng.gen_range(0..6)],
            }
        }
        p.accessibility |= rng.gen_bool(0.4);
        return p;
    }
    let slot = (seed as usize * 5 + f * 3 + (k - 2)) % 9;
    if k < 5 {
        let v = VETO_CASES[slot];
        // A message-board family always has its board: its no-consultation slot becomes an unanswered message.
        p.veto = Some(if family.has_board() && v == VetoCase::NoConsultation { VetoCase::Unanswered } else { v });
    }
    // Deductions: a seeded handful.
    let n = if k == 5 { rng.gen_range(6..11) } else { rng.gen_range(3..7) };
    for _ in 0..n {
        match rng.gen_range(0..22) {
            0 => p.stale_news = 1,
            1 => p.stale_notice = true,
            2 => p.stale_policy = true,
            3 => {
                let c = *[
                    Category::Interpretation,
                    Category::Personnel,
                    Category::Plan,
                    Category::Finance,
                    Category::Statistics,
                ]
                .choose(rng)
                .unwrap();
                if !p.stale_periodic.contains(&c) {
                    p.stale_periodic.push(c);
                }
            }
            4 => p.placeholders = (p.placeholders + 1).min(2),
            5 => p.dead = 1,
            6 => {
                let c = *[
                    Category::Interpretation,
                    Category::Leaders,
                    Category::Plan,
                    Category::Statistics,
                    Category::Overview,
                ]
                .choose(rng)
                .unwrap();
                if !p.missing.contains(&c) {
                    p.missing.push(c);
                }
            }
            7 => {
                p.platform_missing = Some(
                    *[Category::Guide, Category::System, Category::Statutory, Category::AnnualReport]
                        .choose(rng)
                        .unwrap(),
                )
            }
            8 => p.guide_missing = rng.gen_range(1..4),
            9 => p.annual = rng.gen_range(1..3),
            10 => p.coverage_drop = rng.gen_range(1..4),
            11 => p.timeliness_late = rng.gen_range(1..4),
            12 => p.no_application = true,
            13 => p.replies_stale = true,
            14 => p.late_replies = rng.gen_range(1..4),
            15 => p.no_collection = true,
            16 => p.service_broken = true,
            17 => p.stats_stale = true,
            18 => {
                p.broken_home = rng.gen_range(1..3);
                p.broken_site = rng.gen_range(1..4);
            }
            19 => {
                p.identity_missing = (0..6).filter(|_| rng.gen_bool(0.35)).collect();
                p.no_error_entry = rng.gen_bool(0.5);
            }
            20 => {
                p.no_search = true;
                p.bad_domain = rng.gen_bool(0.6);
            }
            _ => {
                p.privacy = rng.gen_range(1..3);
                p.undated_other = rng.gen_bool(0.5);
            }
        }
    }
    p.accessibility = rng.gen_bool(0.3);
    if family.has_board() && !p.replies_stale && p.late_replies == 0 {
        // Every deducted message-board site has a board problem of its own.
        if rng.gen_bool(0.5) {
            p.replies_stale = true;
        } else {
            p.late_replies = rng.gen_range(1..5);
        }
    }
    match p.veto {
        Some(VetoCase::HomepageStale) => {
            p.stale_news = p.news_columns;
        }
        Some(VetoCase::ColumnsStale) => {
            p.news_columns = 3;
            p.stale_news = 3;
            p.stale_notice = true;
            p.stale_policy = true;
        }
        Some(VetoCase::ColumnsLongStale) => {
            p.stale_news = 0;
            p.stale_notice = false;
            p.stale_policy = false;
            p.stale_periodic = vec![
                Category::Interpretation,
                Category::Personnel,
                Category::Plan,
                Category::Finance,
                Category::Statistics,
            ];
            p.stale_others = 2;
            p.placeholders = 2;
            p.dead = 1;
            p.missing.retain(|c| !matches!(c, Category::Interpretation | Category::Plan | Category::Statistics));
        }
        Some(VetoCase::BlankColumns) => {
            p.placeholders = 3;
            p.dead = 2;
        }
        _ => {}
    }
    p
}

/// Build the six sites of one family. `base` is the index of the first site in the province.
pub fn build_family(family: Family, seed: u64, t0: NaiveDate, base: usize) -> Vec<FSite> {
    let f = family as usize;
    let mut order = [Level::County, Level::Department, Level::County, Level::Department, Level::City, Level::County];
    let mut lrng = ChaCha8Rng::seed_from_u64(seed.wrapping_mul(31) ^ (f as u64 + 7));
    order[..4].shuffle(&mut lrng);
    (0..6)
        .map(|k| {
            let mut s = build_site(family, k, order[k], seed, t0, base + k);
            if family.is_holdout() {
                super::holdout::vary(&mut s, seed);
            }
            s
        })
        .collect()
}

fn build_site(family: Family, k: usize, level: Level, seed: u64, t0: NaiveDate, idx: usize) -> FSite {
    let f = family as usize;
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ ((f * 16 + k) as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let plan = plan_for(family, k, seed, &mut rng);
    let (city_zh, city_py) = CITIES[f];
    let (county_zh, county_py) = COUNTIES[(f * 6 + k) % COUNTIES.len()];
    let (dept_zh, dept_py) = DEPTS[(f + k + seed as usize) % DEPTS.len()];
    let (name, short, host, region, key) = match level {
        Level::City => (
            format!("{city_zh}市人民政府"),
            format!("{city_zh}市"),
            format!("www.{city_py}.gov.cn"),
            vec![FPROVINCE.to_string(), format!("{city_zh}市")],
            city_py.to_string(),
        ),
        Level::Department => (
            format!("{city_zh}市{dept_zh}"),
            format!("{city_zh}市{dept_zh}"),
            format!("{dept_py}.{city_py}.gov.cn"),
            vec![FPROVINCE.to_string(), format!("{city_zh}市")],
            format!("{city_py}-{dept_py}"),
        ),
        _ => (
            format!("{county_zh}县人民政府"),
            format!("{county_zh}县"),
            format!("www.{county_py}.gov.cn"),
            vec![FPROVINCE.to_string(), format!("{city_zh}市"), format!("{county_zh}县")],
            county_py.to_string(),
        ),
    };
    let host = if plan.bad_domain {
        match level {
            Level::Department => format!("www.{city_py}{dept_py}.com"),
            Level::City => format!("{city_py}.gov.cn"),
            _ => format!("{county_py}.gov.cn"),
        }
    } else {
        host
    };
    let id = format!("nl-{}-{}", family.as_str_short(), key);
    let mut b =
        B { rng, t0, next_id: 1000 + (idx as u32) * 397, next_key: 10 + (idx as u32) * 5, short: short.clone() };
    let gov = level != Level::Department;

    // Platform placement.
    let plat_kind = match (family, b.rng.gen_range(0..3)) {
        (Family::NanweiVue, _) => PlatKind::OwnHost,
        (Family::Trs, 0) => PlatKind::OwnHost,
        (Family::Trs, _) => PlatKind::Path,
        (Family::Gkmlpt, 0) if gov => PlatKind::OwnHost,
        (Family::Gkmlpt, _) => PlatKind::Path,
        (Family::Kaipu, 2) | (Family::HanwebJpage, 2) => PlatKind::Path,
        (Family::Kaipu, _) | (Family::HanwebJpage, _) => {
            if b.rng.gen_bool(0.3) {
                PlatKind::OwnHost
            } else {
                PlatKind::Opaque
            }
        }
        (_, 0) => PlatKind::OwnHost,
        (_, 1) => PlatKind::Path,
        _ => PlatKind::Opaque,
    };
    let pid = b.key() + 500;
    let plat = match plat_kind {
        PlatKind::OwnHost if family == Family::NanweiVue && level == Level::County => {
            // The county's section of the platform host its city shares with its departments.
            Plat { kind: plat_kind, host: format!("xxgk.{city_py}.gov.cn"), prefix: format!("/{county_py}/"), pid }
        }
        PlatKind::OwnHost if level == Level::City && family != Family::Gkmlpt => {
            // The city's own section of the platform host its departments share.
            Plat { kind: plat_kind, host: format!("xxgk.{city_py}.gov.cn"), prefix: "/szf/".into(), pid }
        }
        PlatKind::OwnHost if gov || family == Family::Gkmlpt => {
            Plat { kind: plat_kind, host: format!("xxgk.{}", host.trim_start_matches("www.")), prefix: "/".into(), pid }
        }
        PlatKind::OwnHost => {
            Plat { kind: plat_kind, host: format!("xxgk.{city_py}.gov.cn"), prefix: format!("/{dept_py}/"), pid }
        }
        PlatKind::Path => Plat {
            kind: plat_kind,
            host: host.clone(),
            prefix: if family == Family::Gkmlpt { "/".into() } else { pick(&mut b.rng, &["/xxgk/", "/zwgk/"]).into() },
            pid,
        },
        PlatKind::Opaque => Plat { kind: plat_kind, host: host.clone(), prefix: "/".into(), pid },
    };

    let mut cols: Vec<FCol> = vec![];
    // --- Main site ---
    let news_names: Vec<String> = {
        let mut v: Vec<String> = vec![format!("{}要闻", short.trim_end_matches('县').trim_end_matches('市'))];
        let pool = ["政务动态", "工作动态", "部门动态", "乡镇动态", "图片新闻"];
        let mut pool: Vec<&str> = pool.to_vec();
        pool.shuffle(&mut b.rng);
        if b.rng.gen_bool(0.5) || level == Level::Department {
            v.clear();
        }
        v.extend(pool.iter().map(|s| s.to_string()));
        v.truncate(plan.news_columns);
        v
    };
    for (i, nm) in news_names.iter().enumerate() {
        let seg = if nm.ends_with("要闻") { "zwyw".to_string() } else { seg_for(nm, Category::News) };
        let mut c = b.col(nm, &seg, Category::News, Place::Main, ColumnKind::List);
        let n = if plan.big_news && i == 0 { 132 } else { b.rng.gen_range(12..26) };
        let stale = i < plan.stale_news;
        let newest = if stale { b.rng.gen_range(24..40) } else { b.rng.gen_range(3..8) };
        let step = if plan.big_news && i == 0 { 1 } else { b.rng.gen_range(2..5) };
        c.items = b.items(Category::News, n, newest, step);
        cols.push(c);
    }
    if plan.veto == Some(VetoCase::FutureDates) {
        let ahead: i64 = b.rng.gen_range(12..30);
        let it = b.item(Category::News, 1, Some(minus(t0, -ahead)));
        cols[0].items.insert(0, it);
    }
    let notice_name = pick(&mut b.rng, &["通知公告", "公示公告", "公告公示"]);
    let mut notice =
        b.col(notice_name, &seg_for(notice_name, Category::Notice), Category::Notice, Place::Main, ColumnKind::List);
    let (nn, ns) = if plan.stale_notice {
        (b.rng.gen_range(200..240), 9)
    } else {
        (b.rng.gen_range(3..9), b.rng.gen_range(6..12))
    };
    notice.items = {
        let n_ = b.rng.gen_range(10..22);
        b.items(Category::Notice, n_, nn, ns)
    };
    for k in 0..plan.privacy {
        let it = &mut notice.items[1 + k * 2];
        if k % 2 == 0 {
            it.exposes_id = true;
        } else {
            it.exposes_card = true;
        }
    }
    if plan.veto == Some(VetoCase::HomepageStale) {
        notice.items = {
            let n_ = b.rng.gen_range(10..22);
            b.items(Category::Notice, n_, if plan.stale_notice { 210 } else { 35 }, 9)
        };
    }
    cols.push(notice);
    let policy_name = pick(&mut b.rng, &["政策文件", "规范性文件", "政府文件", "文件资料", "政策法规"]);
    let mut policy =
        b.col(policy_name, &seg_for(policy_name, Category::Policy), Category::Policy, Place::Main, ColumnKind::List);
    let (pn, ps) = if plan.stale_policy {
        (b.rng.gen_range(200..240), 11)
    } else if plan.veto == Some(VetoCase::HomepageStale) {
        (b.rng.gen_range(40..60), 10)
    } else {
        (b.rng.gen_range(3..10), b.rng.gen_range(8..15))
    };
    policy.items = {
        let n_ = b.rng.gen_range(8..18);
        b.items(Category::Policy, n_, pn, ps)
    };
    let year = t0.year();
    for (j, it) in policy.items.iter_mut().enumerate() {
        let dd = it.date.unwrap();
        let late = j >= 1 && j <= plan.timeliness_late;
        let gap = if late { b.rng.gen_range(55..90) } else { b.rng.gen_range(0..5) };
        it.doc = Some(DocInfo {
            written: minus(dd, gap),
            number: format!("{}发〔{}〕{}号", short.chars().next().unwrap(), dd.year().min(year), 10 + j),
        });
    }
    cols.push(policy);
    if gov && !plan.missing.contains(&Category::Overview) {
        let nm = if b.rng.gen_bool(0.5) {
            format!("走进{}", short.trim_end_matches('县').trim_end_matches('市'))
        } else {
            pick(&mut b.rng, &["县情概况", "县情简介", "概况信息"]).to_string()
        };
        let nm = if level == Level::City { nm.replace("县情", "市情") } else { nm };
        let nm = if nm == "市情简介" { "市情概况".to_string() } else { nm };
        cols.push(b.col(&nm, "zjgk", Category::Overview, Place::Main, ColumnKind::Single));
    }
    if plan.veto != Some(VetoCase::NoConsultation) {
        let nm = if gov {
            pick(&mut b.rng, &["县长信箱", "网上咨询", "领导信箱", "我要写信", "政务咨询"]).to_string()
        } else {
            pick(&mut b.rng, &["局长信箱", "网上咨询", "在线咨询"]).to_string()
        };
        let nm = if level == Level::City { nm.replace("县长", "市长") } else { nm };
        let mut c = b.col(&nm, "wszx", Category::Consultation, Place::Main, ColumnKind::List);
        c.items = messages(&mut b, &plan);
        cols.push(c);
    }
    if !plan.no_collection {
        let mut c = b.col("意见征集", "yjzj", Category::Collection, Place::Main, ColumnKind::List);
        c.items = {
            let n_ = b.rng.gen_range(4..10);
            let d_ = b.rng.gen_range(20..120);
            b.items(Category::Collection, n_, d_, 25)
        };
        cols.push(c);
    }
    {
        let nm = pick(&mut b.rng, &["在线访谈", "访谈直播"]);
        let mut c =
            b.col(nm, seg_for(nm, Category::Interview).as_str(), Category::Interview, Place::Main, ColumnKind::List);
        let newest = if plan.stale_interview { b.rng.gen_range(420..500) } else { b.rng.gen_range(15..150) };
        c.items = {
            let n_ = b.rng.gen_range(3..8);
            b.items(Category::Interview, n_, newest, 40)
        };
        cols.push(c);
    }
    {
        let nm = pick(&mut b.rng, &["办件公示", "办件统计", "办件结果公示"]);
        let mut c = b.col(
            nm,
            if nm == "办件统计" { "bjtj" } else { "bjgs" },
            Category::ServiceStats,
            Place::Main,
            ColumnKind::List,
        );
        let newest = if plan.stats_stale { b.rng.gen_range(130..200) } else { b.rng.gen_range(3..30) };
        c.items = {
            let n_ = b.rng.gen_range(6..14);
            b.items(Category::ServiceStats, n_, newest, 14)
        };
        cols.push(c);
    }
    if plan.veto != Some(VetoCase::NoService) {
        let nm = pick(&mut b.rng, &["办事服务", "网上办事", "政务服务", "在线办事"]);
        let mut c = b.col(nm, "bsfw", Category::Service, Place::Main, ColumnKind::Entry);
        let path = if plan.service_broken { format!("/old/{key}/index.html") } else { format!("/{key}/") };
        c.entry_target = Some(format!("http://{}{path}", crate::gen::SERVICE_HOST));
        c.entry_broken = plan.service_broken;
        cols.push(c);
    }

    // --- Platform ---
    let pm = plan.platform_missing;
    let statutory_present = pm != Some(Category::Statutory);
    if pm != Some(Category::Guide) {
        let nm = pick(&mut b.rng, &["政府信息公开指南", "公开指南", "信息公开指南"]);
        cols.push(b.col(nm, &seg_for(nm, Category::Guide), Category::Guide, Place::Platform, ColumnKind::Single));
    }
    if pm != Some(Category::System) {
        let nm = pick(&mut b.rng, &["政府信息公开制度", "公开制度"]);
        let mut c = b.col(nm, &seg_for(nm, Category::System), Category::System, Place::Platform, ColumnKind::Single);
        c.seg = "xxgkzd".into();
        cols.push(c);
    }
    if statutory_present {
        let nm = pick(&mut b.rng, &["法定主动公开内容", "主动公开", "政府信息公开目录"]);
        let mut c = b.col(nm, "fdzdgknr", Category::Statutory, Place::Platform, ColumnKind::Container);
        c.seg = "fdzdgknr".into();
        cols.push(c);
    }
    if pm != Some(Category::AnnualReport) {
        let nm = pick(&mut b.rng, &["政府信息公开年报", "信息公开年度报告", "政府信息公开年度报告"]);
        let mut c = b.col(nm, "xxgknb", Category::AnnualReport, Place::Platform, ColumnKind::List);
        let deadline = annual_deadline(level, year);
        let mut reps = vec![];
        let first_year = if plan.annual == 2 { year - 2 } else { year - 1 };
        for (j, y) in (first_year - 2..=first_year).rev().enumerate() {
            let on_time = annual_deadline(level, y + 1) - Days::new(b.rng.gen_range(12..26));
            let date =
                if y == year - 1 && plan.annual == 1 { deadline + Days::new(b.rng.gen_range(40..70)) } else { on_time };
            let mut it = b.item(Category::AnnualReport, j, Some(date));
            it.title = format!("{short}{y}年政府信息公开工作年度报告");
            it.extra = ItemExtra::AnnualReport { year: y };
            reps.push(it);
        }
        c.items = reps;
        cols.push(c);
    }
    if !plan.no_application {
        let nm = pick(&mut b.rng, &["依申请公开", "依申请公开政府信息"]);
        cols.push(b.col(nm, "ysqgk", Category::Application, Place::Platform, ColumnKind::Single));
    }
    // Sub-columns of 法定主动公开内容 (flat on the platform index when there is no container).
    let mut subs: Vec<FCol> = vec![];
    let cat_names: [(Category, &[&str]); 7] = [
        (Category::Functions, &["机构职能", "机构设置", "内设机构", "部门职责"]),
        (Category::Leaders, &["领导信息", "领导之窗", "政府领导", "负责人信息"]),
        (Category::Interpretation, &["政策解读", "解读回应", "文件解读"]),
        (Category::Personnel, &["人事信息", "人事任免", "公务员招考"]),
        (Category::Plan, &["规划计划", "发展规划", "计划总结"]),
        (Category::Finance, &["财政预决算", "财政信息", "部门预决算"]),
        (Category::Statistics, &["统计信息", "统计数据", "数据发布"]),
    ];
    for (cat, names) in cat_names {
        if plan.missing.contains(&cat) {
            continue;
        }
        let nm = pick(&mut b.rng, names);
        let nm = if cat == Category::Leaders && !gov { "单位领导" } else { nm };
        let single = matches!(cat, Category::Functions | Category::Leaders);
        let mut c = b.col(
            nm,
            &seg_for(nm, cat),
            cat,
            Place::Platform,
            if single { ColumnKind::Single } else { ColumnKind::List },
        );
        if !single {
            let stale = plan.stale_periodic.contains(&cat);
            let newest = if stale { b.rng.gen_range(400..480) } else { b.rng.gen_range(10..120) };
            c.items = {
                let n_ = b.rng.gen_range(4..12);
                b.items(cat, n_, newest, if stale { 30 } else { 21 })
            };
        }
        subs.push(c);
    }
    // 行政许可 (条例 第20条（五）) is never dropped: the main site's 办事服务 entry names match its keywords too, so
    // whether it is covered would depend on which column names one counts.
    let mut clauses: Vec<usize> = (1..CLAUSE_COLUMNS.len()).collect();
    clauses.shuffle(&mut b.rng);
    clauses.truncate(CLAUSE_COLUMNS.len() - 1 - plan.coverage_drop);
    clauses.push(0);
    clauses.sort();
    for (j, &ci) in clauses.iter().enumerate() {
        let (nm, seg) = CLAUSE_COLUMNS[ci];
        let mut c = b.col(nm, seg, Category::Other, Place::Platform, ColumnKind::List);
        let stale = j < plan.stale_others;
        let newest = if stale { b.rng.gen_range(420..480) } else { b.rng.gen_range(10..200) };
        c.items = {
            let n_ = b.rng.gen_range(3..9);
            b.items(Category::Other, n_, newest, 17)
        };
        if plan.undated_other && j == clauses.len() - 1 {
            for it in &mut c.items {
                it.date = None;
            }
        }
        subs.push(c);
    }
    // Placeholders: an existing sub-column shows 暂无信息; spare columns answer 404.
    let mut spare: Vec<usize> = (0..SPARE_COLUMNS.len()).collect();
    spare.shuffle(&mut b.rng);
    let mut spare = spare.into_iter();
    for _ in 0..plan.placeholders {
        let (nm, seg) = SPARE_COLUMNS[spare.next().unwrap()];
        let mut c = b.col(nm, seg, Category::Other, Place::Platform, ColumnKind::List);
        c.placeholder = true;
        subs.push(c);
    }
    for _ in 0..plan.dead {
        let (nm, seg) = SPARE_COLUMNS[spare.next().unwrap()];
        let mut c = b.col(nm, seg, Category::Other, Place::Platform, ColumnKind::List);
        c.dead = true;
        subs.push(c);
    }
    for mut c in subs {
        c.first_level = !statutory_present;
        c.in_container = statutory_present;
        cols.push(c);
    }
    // Broken attachment links on article pages (unique per article).
    let mut placed = 0;
    'outer: for c in cols.iter_mut().filter(|c| c.category == Category::Notice || c.category == Category::Policy) {
        for it in c.items.iter_mut().skip(2) {
            if placed >= plan.broken_site {
                break 'outer;
            }
            it.broken_links.push(format!("/uploadfile/{}/{}.doc", 2019 + placed, it.id));
            placed += 1;
        }
    }
    // Dede: a few columns through plus/list.php; unique segments everywhere.
    let mut seen = std::collections::HashSet::new();
    for c in cols.iter_mut() {
        let mut s = c.seg.clone();
        let mut n = 2;
        while !seen.insert(s.clone()) {
            s = format!("{}{n}", c.seg);
            n += 1;
        }
        c.seg = s;
        if family == Family::DedeCms && c.kind == ColumnKind::List && b.rng.gen_bool(0.25) {
            c.via_plus = true;
        }
    }

    // Footer.
    let digits8: u32 = b.rng.gen_range(10_000_000..99_999_999);
    let code = if gov { format!("33{digits8}") } else { format!("bm{digits8}") };
    let prov_abbr = "岭";
    let icp_num: u32 = b.rng.gen_range(10_000_000..99_999_999);
    let icp_printed = match b.rng.gen_range(0..4) {
        0 => format!("{prov_abbr}ICP备{icp_num}号"),
        1 => format!("{prov_abbr}ICP备 {icp_num}号"),
        2 => format!("{prov_abbr}ICP备{icp_num}"),
        _ => format!("{prov_abbr}ICP备{icp_num}号-{}", b.rng.gen_range(1..4)),
    };
    let icp_value: String = icp_printed.chars().filter(|c| !c.is_whitespace()).collect();
    let police_digits = format!("4401{:06}{:04}", b.rng.gen_range(100_000..999_999), b.rng.gen_range(1000..9999));
    let (police_printed, police_value) = match b.rng.gen_range(0..3) {
        0 => (format!("{prov_abbr}公网安备 {police_digits}号"), format!("{prov_abbr}公网安备{police_digits}号")),
        1 => (format!("{prov_abbr}公网安备{police_digits}号"), format!("{prov_abbr}公网安备{police_digits}号")),
        _ => {
            let n = format!("{}-{:05}", &police_digits[..11], b.rng.gen_range(1..99));
            (format!("公安机关备案号：{n}"), n)
        }
    };
    let im = &plan.identity_missing;
    let conac = conac_code(&mut b.rng, "44");
    let footer = FFooter {
        mode: match b.rng.gen_range(0..5) {
            0 => FooterMode::Iframe,
            1 => FooterMode::Script,
            _ => FooterMode::Inline,
        },
        site_code: (!im.contains(&0)).then(|| (code.clone(), b.rng.gen_range(0..5))),
        icp: (!im.contains(&1)).then(|| (icp_printed.clone(), icp_value, b.rng.gen_bool(0.6))),
        police: (!im.contains(&2)).then(|| (police_printed, police_value)),
        badge: (!im.contains(&3)).then(|| b.rng.gen_bool(0.6)),
        conac_code: conac,
        sponsor: (!im.contains(&4)).then(|| {
            let sp = if gov { format!("{name}办公室") } else { name.clone() };
            (sp, b.rng.gen_bool(0.4))
        }),
        contact: (!im.contains(&5)).then(|| b.rng.gen_range(0..3)),
        error_entry: (!plan.no_error_entry).then(|| b.rng.gen_bool(0.5)),
        phone: format!("0{}-{}", b.rng.gen_range(750..769), b.rng.gen_range(2_200_000..8_999_999)),
    };
    let mut guide_missing: Vec<usize> = vec![0, 1, 2, 4, 6];
    guide_missing.shuffle(&mut b.rng);
    guide_missing.truncate(plan.guide_missing);
    guide_missing.sort();
    let charset = match family {
        Family::AspTable => {
            if b.rng.gen_bool(0.5) {
                Charset::GbkMeta
            } else {
                Charset::GbkHeader
            }
        }
        Family::DedeCms => {
            if b.rng.gen_bool(0.5) {
                Charset::GbkMeta
            } else {
                Charset::Utf8
            }
        }
        Family::Trs => match b.rng.gen_range(0..4) {
            0 => Charset::Utf8,
            1 => Charset::GbkHeader,
            _ => Charset::GbkMeta,
        },
        Family::Phpcms => {
            if b.rng.gen_bool(0.5) {
                Charset::GbkMeta
            } else {
                Charset::Utf8
            }
        }
        _ => Charset::Utf8,
    };
    let nav = match family {
        Family::AspTable => {
            if b.rng.gen_bool(0.4) {
                NavStyle::ImageMap
            } else {
                NavStyle::Table
            }
        }
        _ => *[NavStyle::Ul, NavStyle::Div, NavStyle::Ul, NavStyle::Table].choose(&mut b.rng).unwrap(),
    };
    let date_fmt = *[DateFmt::Iso, DateFmt::Slash, DateFmt::Chinese, DateFmt::Label, DateFmt::Dot, DateFmt::IsoTime]
        .choose(&mut b.rng)
        .unwrap();
    let mut broken_home = vec![];
    for j in 0..plan.broken_home {
        broken_home.push(format!("/zt/2019/zt{}{}/index.html", j + 1, b.rng.gen_range(10..99)));
    }
    let cls = pick(&mut b.rng, &["main", "wrap", "gov", "zf", "site", "box"]).to_string();
    let depth = b.rng.gen_range(1..4);
    // `[11-03]` only when every home news date is in T0's year and before T0.
    let home_bracket = b.rng.gen_bool(0.4)
        && cols
            .iter()
            .filter(|c| c.category == Category::News)
            .take(1)
            .all(|c| c.items.iter().take(8).all(|i| i.date.is_some_and(|x| x.year() == year && x < t0)));
    let scenario = match plan.veto {
        Some(v) => format!("veto {v:?}"),
        None if k < 2 => "passing".to_string(),
        None => "deductions only".to_string(),
    };
    FSite {
        idx,
        family,
        id,
        name,
        short,
        host,
        level,
        region,
        charset,
        plat,
        columns: cols,
        guide_missing,
        footer,
        search: !plan.no_search,
        accessibility: plan.accessibility.then(|| *["无障碍", "长者模式", "关怀版"].choose(&mut b.rng).unwrap()),
        spam: plan.veto == Some(VetoCase::HiddenLinks),
        broken_home,
        page_size: b.rng.gen_range(10..21),
        nav,
        date_fmt,
        home_bracket,
        msg_dates_on_list: b.rng.gen_bool(0.5),
        cls,
        depth,
        sid: format!("{}", 700 + idx * 3 + b.rng.gen_range(0..3)),
        webid: 10 + idx as u32,
        unitid: 40000 + b.rng.gen_range(0..9999),
        scenario,
    }
}

/// Consultation messages for a plan (newest posted first). Posted dates stay within 330 days of T0; replies come
/// 0–4 days after posting (on time), 50–80 days (late: more than 20 working days, less than 90 days), or 120+ days.
fn messages(b: &mut B, plan: &Plan) -> Vec<Item> {
    let t0 = b.t0;
    let mut v: Vec<(i64, Option<i64>)> = vec![]; // (posted days ago, reply gap days)
    let n = b.rng.gen_range(7..12);
    let base = if plan.replies_stale { 90 } else { 4 };
    for j in 0..n {
        let posted = base + 5 + j as i64 * b.rng.gen_range(14..22);
        let posted = posted.min(320 - (n - j) as i64);
        v.push((posted, Some(b.rng.gen_range(0..5))));
    }
    // Late replies: posted 150..300 days ago, answered 50..80 days later.
    for j in 0..plan.late_replies {
        let idx = (v.len() - 1 - j).max(1);
        let posted = 150 + (j as i64) * 40 + b.rng.gen_range(0..10);
        v[idx] = (posted, Some(b.rng.gen_range(50..81)));
    }
    if plan.veto == Some(VetoCase::Unanswered) {
        // Either never answered (posted 130–200 days ago) or answered 120–127 days after posting, the answer 5–40
        // days before T0 (well inside the 60-day reply window).
        let gap = if b.rng.gen_bool(0.5) { None } else { Some(b.rng.gen_range(120..128)) };
        let posted = match gap {
            None => b.rng.gen_range(130..200),
            Some(g) => g + b.rng.gen_range(5..40),
        };
        v.insert(1, (posted, gap));
    }
    // A recent message still being handled (posted 10–40 days ago, no veto, not late).
    if b.rng.gen_bool(0.5) {
        v.insert(0, (b.rng.gen_range(10..40), None));
    }
    v.sort_by_key(|x| x.0);
    v.dedup_by_key(|x| x.0);
    v.into_iter()
        .enumerate()
        .map(|(k, (p, gap))| {
            let posted = minus(t0, p);
            let replied = gap.map(|g| minus(posted, -g)).filter(|r| *r < t0);
            let mut it = b.item(Category::Consultation, k, Some(posted));
            it.extra = ItemExtra::Message { posted, replied };
            it
        })
        .collect()
}

/// `id_number` / `card_number` re-exported for renderers.
pub fn exposed_id() -> String {
    id_number("44010219850317123")
}
pub fn exposed_card() -> String {
    card_number("622202123456789012")
}
