//! Plain generated sites for the scale knob (benchmarks): a county portal with five list columns and exactly
//! `pages_per_site` HTML pages, computed from (site index, page) with a seeded PRNG on every request. Nothing of a
//! plain site is stored but its name; its ground truth is limited to its page set.

use crate::model::{CmsStyle, DateStyle};
use crate::render::{fmt_iso, SampleResponse};
use chrono::{Datelike, Days, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fmt::Write;

const SYL: [(&str, &str); 40] = [
    ("an", "安"),
    ("bai", "白"),
    ("bao", "宝"),
    ("chang", "长"),
    ("cheng", "城"),
    ("da", "大"),
    ("dong", "东"),
    ("feng", "丰"),
    ("fu", "福"),
    ("gao", "高"),
    ("guang", "广"),
    ("he", "和"),
    ("hong", "红"),
    ("hua", "华"),
    ("jia", "嘉"),
    ("jin", "金"),
    ("jing", "景"),
    ("kang", "康"),
    ("lan", "兰"),
    ("le", "乐"),
    ("li", "丽"),
    ("lin", "林"),
    ("long", "龙"),
    ("ming", "明"),
    ("nan", "南"),
    ("ning", "宁"),
    ("ping", "平"),
    ("qing", "青"),
    ("rui", "瑞"),
    ("shan", "山"),
    ("shi", "石"),
    ("tai", "泰"),
    ("tian", "天"),
    ("wan", "万"),
    ("xi", "西"),
    ("xin", "新"),
    ("yang", "阳"),
    ("yong", "永"),
    ("yun", "云"),
    ("zhong", "中"),
];

/// The five columns of a plain site: (segment, name).
pub const PLAIN_COLUMNS: [(&str, &str); 5] =
    [("zwdt", "政务动态"), ("tzgg", "通知公告"), ("zcwj", "政策文件"), ("zcjd", "政策解读"), ("tjxx", "统计信息")];
pub const PLAIN_PAGE_SIZE: usize = 20;

/// Names of `n` plain sites, avoiding the given (hand-crafted) pinyin names.
pub fn plain_names(n: usize, avoid: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::with_capacity(n);
    let mut j = 0usize;
    while out.len() < n {
        let a = j % 40;
        let b = (j / 40) % 40;
        let c = j / 1600;
        let (mut py, mut zh) = (format!("{}{}", SYL[a].0, SYL[b].0), format!("{}{}", SYL[a].1, SYL[b].1));
        if c > 0 {
            py.push_str(SYL[(c - 1) % 40].0);
            zh.push_str(SYL[(c - 1) % 40].1);
            if c > 40 {
                let _ = write!(py, "{c}");
            }
        }
        j += 1;
        if avoid.contains(&py.as_str()) || out.iter().any(|(p, _): &(String, String)| *p == py) {
            continue;
        }
        out.push((py, zh));
    }
    out
}

/// Layout of a plain site with `pages` HTML pages: articles per column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlainLayout {
    pub per_column: [usize; 5],
}

impl PlainLayout {
    pub fn new(pages: usize) -> Self {
        let pages = pages.max(7);
        let mut a = pages - 6;
        loop {
            let mut per = Self::split(a);
            let total = Self::count(&per);
            if total == pages {
                return PlainLayout { per_column: per };
            }
            if total < pages {
                // Fill the gap with articles in columns whose last list page has room (no new list page).
                let mut gap = pages - total;
                for p in per.iter_mut() {
                    while gap > 0 && (*p == 0 || *p % PLAIN_PAGE_SIZE != 0) {
                        *p += 1;
                        gap -= 1;
                    }
                }
                if Self::count(&per) == pages {
                    return PlainLayout { per_column: per };
                }
            }
            if a == 0 {
                return PlainLayout { per_column: [pages - 6, 0, 0, 0, 0] };
            }
            a -= 1;
        }
    }
    fn count(per: &[usize; 5]) -> usize {
        1 + per.iter().map(|n| n.div_ceil(PLAIN_PAGE_SIZE).max(1)).sum::<usize>() + per.iter().sum::<usize>()
    }
    fn split(a: usize) -> [usize; 5] {
        let mut per = [a / 5; 5];
        for p in per.iter_mut().take(a % 5) {
            *p += 1;
        }
        per
    }
    pub fn list_pages(&self, c: usize) -> usize {
        self.per_column[c].div_ceil(PLAIN_PAGE_SIZE).max(1)
    }
    #[cfg(test)]
    pub fn total_pages(&self) -> usize {
        1 + (0..5).map(|c| self.list_pages(c)).sum::<usize>() + self.per_column.iter().sum::<usize>()
    }
}

pub struct PlainSite<'a> {
    pub idx: usize,
    pub pinyin: &'a str,
    pub zh: &'a str,
    pub seed: u64,
    pub t0: NaiveDate,
    pub layout: &'a PlainLayout,
}

impl PlainSite<'_> {
    pub fn style(&self) -> CmsStyle {
        if self.idx.is_multiple_of(2) {
            CmsStyle::Trs
        } else {
            CmsStyle::Plain
        }
    }
    pub fn host(&self) -> String {
        format!("www.{}.gov.cn", self.pinyin)
    }
    pub fn name(&self) -> String {
        format!("{}县人民政府", self.zh)
    }
    pub fn id(&self) -> String {
        format!("xc-gen-{}", self.pinyin)
    }
    fn date(&self, c: usize, k: usize) -> NaiveDate {
        self.t0 - Days::new((1 + 2 * k + c) as u64)
    }
    fn item_id(c: usize, k: usize) -> usize {
        (c + 1) * 100_000 + k
    }
    pub fn list_path(&self, c: usize, p: usize) -> String {
        let seg = PLAIN_COLUMNS[c].0;
        match (p, self.style()) {
            (0, _) => format!("/{seg}/"),
            (_, CmsStyle::Trs) => format!("/{seg}/index_{p}.html"),
            _ => format!("/{seg}/list_{}.html", p + 1),
        }
    }
    pub fn article_path(&self, c: usize, k: usize) -> String {
        let seg = PLAIN_COLUMNS[c].0;
        let id = Self::item_id(c, k);
        match self.style() {
            CmsStyle::Trs => {
                let d = self.date(c, k);
                format!("/{seg}/{}/t{}_{id}.html", d.format("%Y%m"), d.format("%Y%m%d"))
            }
            _ => format!("/{seg}/content_{id}.html"),
        }
    }
    /// Every HTML page path, home first.
    pub fn page_paths(&self) -> Vec<String> {
        let mut v = vec!["/".to_string()];
        for c in 0..5 {
            for p in 0..self.layout.list_pages(c) {
                v.push(self.list_path(c, p));
            }
            for k in 0..self.layout.per_column[c] {
                v.push(self.article_path(c, k));
            }
        }
        v
    }

    fn title(&self, c: usize, k: usize) -> String {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed ^ ((self.idx as u64) << 32) ^ Self::item_id(c, k) as u64);
        const T: [&str; 12] = [
            "安全生产",
            "乡村振兴",
            "营商环境",
            "防汛减灾",
            "耕地保护",
            "民生实事",
            "河长制",
            "就业创业",
            "养老服务",
            "义务教育",
            "医疗保障",
            "食品安全",
        ];
        let t = T[rng.gen_range(0..T.len())];
        match c {
            0 => format!("{}召开{t}工作会议（{}）", self.zh, k + 1),
            1 => format!("关于做好{t}工作的通知（{}）", k + 1),
            2 => format!("关于印发《{t}实施方案》的通知（{}）", k + 1),
            3 => format!("《{t}实施方案》解读（{}）", k + 1),
            _ => format!("{}主要统计数据（{}）", self.zh, k + 1),
        }
    }

    fn head(&self, title: &str, column: Option<&str>) -> String {
        let mut h = format!("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{title}</title>\n<meta name=\"SiteName\" content=\"{}\">\n", self.name());
        if let Some(c) = column {
            let _ = writeln!(h, "<meta name=\"ColumnName\" content=\"{c}\">");
        }
        h.push_str("</head><body>\n<div class=\"nav\"><ul><li><a href=\"/\">首页</a></li>");
        for (c, (_, name)) in PLAIN_COLUMNS.iter().enumerate() {
            let _ = write!(h, "<li><a href=\"{}\">{name}</a></li>", self.list_path(c, 0));
        }
        h.push_str("</ul></div>\n");
        h
    }

    fn tail(&self) -> String {
        format!(
            "<div class=\"footer\"><p>主办单位：{}办公室</p><p>网站标识码：51{:08}</p></div></body></html>\n",
            self.name(),
            90_000_000 + self.idx
        )
    }

    fn li(&self, c: usize, k: usize) -> String {
        format!(
            "<li><a href=\"{}\">{}</a><span>{}</span></li>\n",
            self.article_path(c, k),
            self.title(c, k),
            DateStyle::Iso.format(self.date(c, k))
        )
    }

    /// Render one page, or None when the path is not a page of this site.
    pub fn render(&self, path: &str) -> Option<SampleResponse> {
        if path == "/" || path == "/index.html" {
            let mut h = self.head(&self.name(), None);
            h.push_str("<div class=\"block\"><ul>\n");
            for k in 0..self.layout.per_column[0].min(8) {
                h.push_str(&self.li(0, k));
            }
            h.push_str("</ul></div>\n");
            h.push_str(&self.tail());
            return Some(SampleResponse::html(200, h));
        }
        let rest = path.strip_prefix('/')?;
        let (seg, file) = rest.split_once('/')?;
        let c = PLAIN_COLUMNS.iter().position(|(s, _)| *s == seg)?;
        // List pages.
        let page = if file.is_empty() {
            Some(0)
        } else if let Some(n) = file.strip_prefix("index_").and_then(|f| f.strip_suffix(".html")) {
            (self.style() == CmsStyle::Trs).then(|| n.parse::<usize>().ok()).flatten().filter(|&n| n >= 1)
        } else if let Some(n) = file.strip_prefix("list_").and_then(|f| f.strip_suffix(".html")) {
            (self.style() == CmsStyle::Plain)
                .then(|| n.parse::<usize>().ok())
                .flatten()
                .filter(|&n| n >= 2)
                .map(|n| n - 1)
        } else {
            None
        };
        if let Some(p) = page {
            if p >= self.layout.list_pages(c) {
                return None;
            }
            let name = PLAIN_COLUMNS[c].1;
            let mut h = self.head(&format!("{name}_{}", self.name()), Some(name));
            h.push_str("<ul class=\"list\">\n");
            let n = self.layout.per_column[c];
            for k in (p * PLAIN_PAGE_SIZE)..((p + 1) * PLAIN_PAGE_SIZE).min(n) {
                h.push_str(&self.li(c, k));
            }
            h.push_str("</ul>\n");
            let pages = self.layout.list_pages(c);
            if pages > 1 {
                if self.style() == CmsStyle::Trs {
                    let _ = writeln!(h, "<script>createPageHTML({pages}, {p}, \"index\", \"html\");</script>");
                } else if p + 1 < pages {
                    let _ = writeln!(h, "<a href=\"{}\">下一页</a>", self.list_path(c, p + 1));
                }
            }
            h.push_str(&self.tail());
            return Some(SampleResponse::html(200, h));
        }
        // Articles: the id carries (column, k); the path must match exactly.
        let id: usize = file.rsplit('_').next()?.strip_suffix(".html")?.parse().ok()?;
        let (ic, k) = (id / 100_000, id % 100_000);
        if ic != c + 1 || k >= self.layout.per_column[c] || self.article_path(c, k) != path {
            return None;
        }
        let name = PLAIN_COLUMNS[c].1;
        let d = self.date(c, k);
        let title = self.title(c, k);
        let mut h = self.head(&format!("{title}_{}", self.name()), Some(name));
        let _ = writeln!(h, "<meta name=\"PubDate\" content=\"{}\">", fmt_iso(d));
        let _ = writeln!(
            h,
            "<div class=\"position\">当前位置：<a href=\"/\">首页</a> &gt; <a href=\"{}\">{name}</a></div>",
            self.list_path(c, 0)
        );
        let _ = writeln!(h, "<h1>{title}</h1><div class=\"info\">发布时间：{}</div>", fmt_iso(d));
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed ^ (id as u64) ^ ((self.idx as u64) << 40));
        h.push_str("<div class=\"content\">\n");
        for _ in 0..6 {
            let n = rng.gen_range(1..99);
            let _ = writeln!(
                h,
                "<p>{}年{}月，{}围绕中心工作，扎实推进各项任务落实，完成年度目标任务的{n}%，群众满意度持续提升。</p>",
                d.year(),
                d.month(),
                self.zh
            );
        }
        h.push_str("</div>\n");
        h.push_str(&self.tail());
        Some(SampleResponse::html(200, h))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_has_exactly_the_requested_pages() {
        for pages in [7, 8, 20, 27, 50, 99, 100, 200, 201, 1000] {
            let l = PlainLayout::new(pages);
            assert_eq!(l.total_pages(), pages, "{pages}: {:?}", l.per_column);
        }
    }

    #[test]
    fn names_are_unique_and_avoid_the_crafted_ones() {
        let n = plain_names(2000, &["qingshan"]);
        let mut v: Vec<&str> = n.iter().map(|x| x.0.as_str()).collect();
        assert!(!v.contains(&"qingshan"));
        v.sort();
        v.dedup();
        assert_eq!(v.len(), 2000);
    }

    #[test]
    fn every_page_path_renders_and_others_do_not() {
        let layout = PlainLayout::new(120);
        let t0 = NaiveDate::from_ymd_opt(2026, 11, 15).unwrap();
        for idx in [30, 31] {
            let site = PlainSite { idx, pinyin: "anbai", zh: "安白", seed: 7, t0, layout: &layout };
            let paths = site.page_paths();
            assert_eq!(paths.len(), 120);
            for p in &paths {
                assert_eq!(site.render(p).map(|r| r.status), Some(200), "{p}");
            }
            assert!(site.render("/zwdt/content_999999.html").is_none());
            assert!(site.render("/nope/").is_none());
        }
    }
}
