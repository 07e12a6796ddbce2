//! The seeded generator of the family province: a plan (`plan.rs`) → one `FSite`, columns in the order a site lists
//! them, every draw from the site's PRNG in a fixed order (so a seed always gives the same province).

mod columns;

use super::model::*;
use super::names::*;
use super::plan::{plan_for, Plan};
use super::Family;
use crate::gen::{id_number, minus};
use crate::model::{Category, Charset, ColumnKind, Item, ItemExtra, Place};
use chrono::{Datelike, NaiveDate};
use columns::{main_lists, main_other, platform_first_level, statutory_subs};
use gongkai_config::Level;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn pick<'a>(rng: &mut ChaCha8Rng, xs: &[&'a str]) -> &'a str {
    xs[rng.gen_range(0..xs.len())]
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
            misstatements: vec![],
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

/// Who a site is: its names, host and the pinyin labels its hosts are built from.
struct Who {
    family: Family,
    level: Level,
    gov: bool,
    name: String,
    short: String,
    host: String,
    region: Vec<String>,
    key: String,
    city_py: &'static str,
    county_py: &'static str,
    dept_py: &'static str,
    year: i32,
}

fn build_site(family: Family, k: usize, level: Level, seed: u64, t0: NaiveDate, idx: usize) -> FSite {
    let f = family as usize;
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ ((f * 16 + k) as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let plan = plan_for(family, k, seed, &mut rng);
    let w = who(family, k, level, seed, t0, &plan);
    let id = format!("nl-{}-{}", family.as_str_short(), w.key);
    let mut b =
        B { rng, t0, next_id: 1000 + (idx as u32) * 397, next_key: 10 + (idx as u32) * 5, short: w.short.clone() };
    let plat = platform(&mut b, &w);
    let mut cols: Vec<FCol> = vec![];
    main_lists(&mut b, &w, &plan, &mut cols);
    main_other(&mut b, &w, &plan, &mut cols);
    let statutory_present = platform_first_level(&mut b, &w, &plan, &mut cols);
    statutory_subs(&mut b, &w, &plan, &mut cols, statutory_present);
    finish_columns(&mut b, family, &plan, &mut cols);
    let footer = footer(&mut b, &w, &plan);
    let year = w.year;
    let Who { name, short, host, region, .. } = w;
    let mut guide_missing: Vec<usize> = vec![0, 1, 2, 4, 6];
    guide_missing.shuffle(&mut b.rng);
    guide_missing.truncate(plan.guide_missing);
    guide_missing.sort();
    let charset = charset_for(&mut b, family);
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

/// Names (full and short), host, region and id key of a site; a bad-domain plan breaks the host rule.
fn who(family: Family, k: usize, level: Level, seed: u64, t0: NaiveDate, plan: &Plan) -> Who {
    let f = family as usize;
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
    Who {
        family,
        level,
        gov: level != Level::Department,
        name,
        short,
        host,
        region,
        key,
        city_py,
        county_py,
        dept_py,
        year: t0.year(),
    }
}

/// Platform placement: its own host, a path on the main host or opaque ids (by family and a draw).
fn platform(b: &mut B, w: &Who) -> Plat {
    let (family, level, gov, host) = (w.family, w.level, w.gov, &w.host);
    let (city_py, county_py, dept_py) = (w.city_py, w.county_py, w.dept_py);
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
    plat
}

/// Broken attachment links on article pages, unique segments, DedeCMS plus/list.php columns.
fn finish_columns(b: &mut B, family: Family, plan: &Plan, cols: &mut [FCol]) {
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
}

/// The identity footer: site code, ICP and police numbers in their printed variants, badge, sponsor, contact, error entry.
fn footer(b: &mut B, w: &Who, plan: &Plan) -> FFooter {
    let (gov, name) = (w.gov, &w.name);
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
    footer
}

/// The charset a family serves its pages in (a draw for the GBK families).
fn charset_for(b: &mut B, family: Family) -> Charset {
    match family {
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
    }
}
