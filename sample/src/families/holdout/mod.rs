//! Page chrome of the holdout families (TRS WCM, PHPCMS, 南威 Vue SSR, JEECMS boards): the same model and oracle as the
//! tuned families, rendered in markup none of the tuned renderers (`common.rs` and its family files) ever prints —
//! relative links, `&gt;&gt;` / `»` / `<ol>` breadcrumbs, `<dl>` / `<table>` / `role="navigation"` menus, footers
//! with label and value in separate cells, `<em>` codes and `<br>`-broken labels, `document.writeln` script footers,
//! date forms `[2026-11-03]`, `2026年11月03日`, `发布日期：2026/11/03`, `2026.11.03` and year-grouped `11-03`.
//!
//! Per-site variance comes from seeded model fields (`unitid`, `depth`, `home_bracket`, `msg_dates_on_list`); the
//! column names of holdout sites are re-drawn from the rubric's synonym tables by `vary` (the oracle reads the model,
//! so the truth follows).

mod board;
mod chrome;
mod footer;
mod pages;

use super::common::{iso, R};
use super::model::*;
use super::{layout, FPage, Family};
use crate::model::{Category, ColumnKind, Item};
use chrono::{Datelike, NaiveDate};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

/// A relative reference from page `from` to `to` (both absolute paths on one host, `to` without a query).
pub fn rel(from: &str, to: &str) -> String {
    let from_dir = &from[..from.rfind('/').map_or(0, |i| i + 1)];
    let fd: Vec<&str> = from_dir.split('/').filter(|x| !x.is_empty()).collect();
    let (td, file) = to.rsplit_once('/').unwrap_or(("", to));
    let tds: Vec<&str> = td.split('/').filter(|x| !x.is_empty()).collect();
    let common = fd.iter().zip(&tds).take_while(|(a, b)| a == b).count();
    let ups = fd.len() - common;
    let mut o = if ups == 0 { "./".to_string() } else { "../".repeat(ups) };
    for seg in &tds[common..] {
        o.push_str(seg);
        o.push('/');
    }
    o.push_str(file);
    o
}

/// Renderer of one holdout page: the request's renderer and the path of the page being rendered.
pub struct H<'a> {
    pub r: &'a R<'a>,
    pub path: String,
}

/// One footer piece: HTML, or a JavaScript statement.
enum Part {
    Html(String),
    Js(String),
}

impl<'a> H<'a> {
    pub fn new(r: &'a R<'a>, path: &str) -> H<'a> {
        H { r, path: path.to_string() }
    }

    fn s(&self) -> &'a FSite {
        self.r.s
    }

    fn f(&self) -> Family {
        self.r.s.family
    }

    /// Seeded variant bits of the site.
    pub fn v(&self) -> u32 {
        self.r.s.unitid
    }

    /// Link to `path` on `host`: TRS relative (`./`, `../`), others root-relative on the same host; other hosts
    /// absolute (protocol-relative on 南威 sites).
    pub fn href(&self, host: &str, path: &str) -> String {
        if host == self.r.here {
            if self.f() == Family::Trs && !path.contains('?') {
                rel(&self.path, path)
            } else if self.f() == Family::Phpcms {
                path.replace('&', "&amp;")
            } else {
                path.to_string()
            }
        } else if self.f() == Family::NanweiVue {
            format!("//{host}{}{path}", self.r.port)
        } else {
            self.r.abs(host, path).replace('&', if self.f() == Family::Phpcms { "&amp;" } else { "&" })
        }
    }

    fn home_href(&self) -> String {
        self.href(&self.s().host, &layout::home_path(self.s()))
    }

    fn plat_href(&self) -> String {
        self.href(&self.s().plat.host, &layout::platform_path(self.s()))
    }

    pub fn col_href(&self, c: &FCol) -> String {
        if c.kind == ColumnKind::Entry {
            let u = url::Url::parse(c.entry_target.as_deref().unwrap_or("http://invalid/")).unwrap();
            return self.href(u.host_str().unwrap_or_default(), u.path());
        }
        self.href(self.s().base(c.place).0, &layout::col_path(self.s(), c, 0))
    }

    pub fn page_href(&self, c: &FCol, page: usize) -> String {
        self.href(self.s().base(c.place).0, &layout::col_path(self.s(), c, page))
    }

    pub fn art_href(&self, c: &FCol, it: &Item) -> String {
        self.href(self.s().base(c.place).0, &layout::art_path(self.s(), c, it))
    }

    fn main_href(&self, path: &str) -> String {
        self.href(&self.s().host, path)
    }

    /// The site's list date form.
    pub fn date(&self, d: NaiveDate, _salt: u32) -> String {
        let v = self.v();
        let pad = || format!("{}年{:02}月{:02}日", d.year(), d.month(), d.day());
        match self.f() {
            Family::Trs => match v % 3 {
                0 => iso(d),
                1 => format!("[{}]", iso(d)),
                _ => pad(),
            },
            Family::Phpcms => {
                if v % 2 == 0 {
                    pad()
                } else {
                    format!("[{}]", iso(d))
                }
            }
            Family::NanweiVue => match v % 3 {
                2 => format!("发布日期：{}", d.format("%Y/%m/%d")),
                _ => d.format("%Y.%m.%d").to_string(),
            },
            _ => match v % 3 {
                0 => format!("发布日期：{}", d.format("%Y/%m/%d")),
                1 => pad(),
                _ => iso(d),
            },
        }
    }

    /// Full date on detail pages.
    fn detail_date(&self, d: NaiveDate) -> String {
        match self.f() {
            Family::Trs => iso(d),
            Family::Phpcms => format!("{}年{:02}月{:02}日", d.year(), d.month(), d.day()),
            Family::NanweiVue => d.format("%Y.%m.%d").to_string(),
            _ => d.format("%Y/%m/%d").to_string(),
        }
    }
}

/// The HTML of a holdout page (None for non-HTML routes, which `mod.rs` answers).
pub(super) fn html(r: &R, page: &FPage, path: &str) -> Option<String> {
    let h = H::new(r, path);
    Some(match page {
        FPage::Home => h.home(),
        FPage::List { col, page } => h.list(*col, *page),
        FPage::Article { col, item } => h.article(*col, *item),
        FPage::ColumnPage { col } => h.column_page(*col),
        FPage::PlatformIndex => h.platform_index(),
        FPage::FooterHtml => h.footer_page(),
        FPage::Reply { col, item } => h.reply(*col, *item),
        _ => return None,
    })
}

pub(super) fn footer_js(r: &R) -> String {
    H::new(r, "/js/footer.js").footer_js()
}

/// Reading decisions of the holdout families, added to the truth's notes of any province that contains one.
pub fn notes() -> Vec<String> {
    vec![
        "Holdout families (trs_wcm, phpcms, nanwei_vue, jeecms_board): same model and oracle as the tuned families, markup none of the tuned renderers prints; column names re-drawn from the rubric's synonym tables.".into(),
        "TRS list pages after the first exist only through createPageHTML(total, current, \"index\", \"html\") (index_1.html …); same-host links are relative (./, ../).".into(),
        "PHPCMS lists print MM-DD in an <em> under a <h4> year header (2026年): the item's year is the header's.".into(),
        "Messages: 来信时间 / 来信日期 (TRS) and 留言日期 (JEECMS) are the 留言时间; on JEECMS boards some answers (答复时间) are only on the separate 答复 page linked from the detail page.".into(),
        "南威 sites: the 信息公开 platform is a unit's section (/unit/) of the city's shared host xxgk.<city>.gov.cn; cross-host links are protocol-relative.".into(),
    ]
}

/// Re-draw a holdout site's column names from the rubric's synonym tables (`config/rubrics/default.toml`
/// `[[category]] names`), seeded by the province seed and the site.
pub fn vary(s: &mut FSite, seed: u64) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed.wrapping_mul(0x5851_F42D_4C95_7F2D) ^ (s.idx as u64 + 101));
    let gov = s.level != gongkai_config::Level::Department;
    let county = s.level == gongkai_config::Level::County;
    let mut used: std::collections::HashSet<String> = s.columns.iter().map(|c| c.name.clone()).collect();
    for c in s.columns.iter_mut() {
        let pool: &[&str] = match c.category {
            Category::News if !c.name.ends_with("要闻") => &["要闻动态", "新闻动态", "工作进展", "今日要闻"],
            Category::Notice => &["公告通知", "政府公告", "通知", "公示"],
            Category::Policy => &["行政规范性文件", "政府规章", "政府令", "政策法规"],
            Category::Interpretation => &["图解政策", "政策图解", "回应关切"],
            Category::Personnel => &["招考录用", "人事招录", "人员招聘"],
            Category::Plan => &["规划信息", "计划规划", "规划计划总结"],
            Category::Finance => &["预算决算", "三公经费", "预决算公开", "财政资金"],
            Category::Statistics => &["统计公报", "统计分析", "统计资料"],
            Category::Functions => &["组织机构", "主要职责", "机构简介", "机构概况"],
            Category::Leaders if gov => &["领导分工", "领导简介", "党政领导", "领导介绍"],
            Category::Leaders => &["单位领导", "领导简介"],
            Category::System => &["信息公开制度", "信息公开规定"],
            Category::Statutory => &["主动公开目录", "信息公开目录"],
            Category::AnnualReport => &["信息公开年报", "公开年报", "年度报告"],
            Category::Application => &["政府信息依申请公开", "申请公开政府信息"],
            Category::Consultation if county => &["书记信箱", "网上留言", "咨询投诉", "12345"],
            Category::Consultation if gov => &["市长信箱", "咨询留言", "建言献策"],
            Category::Consultation => &["局长信箱", "咨询留言", "网上留言"],
            Category::Collection => &["征集调查", "民意征集", "网上调查"],
            Category::Interview => &["网上访谈", "网上直播", "访谈"],
            Category::Service => &["我要办事", "便民服务", "办事指南"],
            Category::ServiceStats => &["办件数据", "办件信息"],
            _ => &[],
        };
        // Keep the generator's name on about a third of the columns; never two columns of one name.
        if !pool.is_empty() && rand::Rng::gen_bool(&mut rng, 0.65) {
            let pick = pool.choose(&mut rng).unwrap().to_string();
            if !used.contains(&pick) {
                c.name = pick;
            }
        }
        used.insert(c.name.clone());
    }
}
