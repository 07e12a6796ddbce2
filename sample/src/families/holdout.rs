//! Page chrome of the holdout families (TRS WCM, PHPCMS, 南威 Vue SSR, JEECMS boards): the same model and oracle as the
//! tuned families, rendered in markup none of the tuned renderers (`common.rs` and its family files) ever prints —
//! relative links, `&gt;&gt;` / `»` / `<ol>` breadcrumbs, `<dl>` / `<table>` / `role="navigation"` menus, footers
//! with label and value in separate cells, `<em>` codes and `<br>`-broken labels, `document.writeln` script footers,
//! date forms `[2026-11-03]`, `2026年11月03日`, `发布日期：2026/11/03`, `2026.11.03` and year-grouped `11-03`.
//!
//! Per-site variance comes from seeded model fields (`unitid`, `depth`, `home_bracket`, `msg_dates_on_list`); the
//! column names of holdout sites are re-drawn from the rubric's synonym tables by `vary` (the oracle reads the model,
//! so the truth follows).

use super::common::{esc, iso, R};
use super::model::*;
use super::{jeeboard, layout, FPage, Family};
use crate::gen::{BADGE_HOST, BADGE_SCRIPT_HOST, BEIAN_HOST, JIUCUO_HOST, POLICE_BEIAN_HOST, SPAM_HOST};
use crate::model::{Category, Charset, ColumnKind, Item, ItemExtra, Place, GUIDE_ELEMENTS};
use chrono::{Datelike, NaiveDate};
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::fmt::Write;

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

    fn head(&self, title: &str, column: Option<&str>, extra: &str) -> String {
        let s = self.s();
        let f = self.f();
        let doctype = match f {
            Family::Trs => "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n<html xmlns=\"http://www.w3.org/1999/xhtml\">\n",
            Family::NanweiVue => "<!doctype html>\n<html lang=\"zh\" data-server-rendered=\"true\">\n",
            _ => "<!DOCTYPE html>\n<html>\n",
        };
        let charset = match (s.charset, f) {
            (Charset::Utf8, _) => "<meta charset=\"UTF-8\" />\n",
            (Charset::GbkMeta, Family::Trs) => {
                "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\" />\n"
            }
            (Charset::GbkMeta, _) => "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\n",
            (Charset::GbkHeader, _) => "",
        };
        let title = match f {
            _ if title == s.name => title.to_string(),
            Family::Trs => format!("{}_{}", title, s.name),
            Family::Phpcms => format!("{} - {}", title, s.name),
            Family::NanweiVue => format!("{} | {}", title, s.name),
            _ => format!("{}-{}", s.name, title),
        };
        let mut h = format!("{doctype}<head>\n{charset}<title>{}</title>\n", esc(&title));
        match f {
            Family::Trs => {
                let _ = writeln!(h, "<meta name=\"SiteName\" content=\"{}\" />", s.name);
                let _ = writeln!(h, "<meta name=\"SiteDomain\" content=\"{}\" />", s.host);
                if let Some(c) = column {
                    let _ = writeln!(h, "<meta name=\"ColumnName\" content=\"{}\" />", esc(c));
                }
            }
            Family::Phpcms => {
                let _ = writeln!(h, "<meta name=\"keywords\" content=\"{}\">", s.name);
                let _ = writeln!(h, "<meta name=\"description\" content=\"{}门户网站\">", s.name);
            }
            Family::NanweiVue => {
                h.push_str("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n<meta name=\"renderer\" content=\"webkit\">\n");
            }
            _ => {
                let _ = writeln!(h, "<meta http-equiv=\"X-UA-Compatible\" content=\"IE=edge\">");
            }
        }
        h.push_str(extra);
        h.push_str("</head>\n");
        h.push_str(match f {
            Family::NanweiVue => "<body>\n<div id=\"__nuxt\"><div id=\"__layout\">\n",
            _ => "<body>\n",
        });
        h
    }

    fn wrap(&self, inner: String) -> String {
        let s = self.s();
        let mut open = String::new();
        let mut close = String::new();
        let names = match self.f() {
            Family::Trs => ["container", "main_box", "con"],
            Family::Phpcms => ["wrap", "main", "content"],
            Family::NanweiVue => ["nw-page", "nw-body", "el-row"],
            _ => ["wrapper", "jc-main", "jc-inner"],
        };
        for i in 0..s.depth {
            let tag = if self.f() == Family::NanweiVue && i == 0 { "main" } else { "div" };
            let _ = writeln!(open, "<{tag} class=\"{}\">", names[i % 3]);
            close.insert_str(0, &format!("</{tag}>\n"));
        }
        format!("{open}{inner}{close}")
    }

    fn accessibility(&self) -> String {
        match (self.s().accessibility, self.r.here == self.s().host) {
            (Some(w), true) => match self.f() {
                Family::NanweiVue => format!("<button type=\"button\" class=\"aged-btn\">{w}</button>"),
                _ => format!("<a href=\"javascript:;\" onclick=\"aria.start()\">{w}</a>"),
            },
            _ => String::new(),
        }
    }

    /// Top of the page and the main navigation (home, every main-site column, the platform).
    fn top(&self) -> String {
        let s = self.s();
        let mut entries: Vec<(String, String)> = vec![(
            self.home_href(),
            match self.f() {
                Family::Trs => "首页",
                Family::Phpcms => "网站首页",
                Family::NanweiVue => "首页",
                _ => "首　页",
            }
            .to_string(),
        )];
        for c in s.columns.iter().filter(|c| c.place == Place::Main && c.first_level) {
            entries.push((self.col_href(c), c.name.clone()));
        }
        let plat_label = match self.f() {
            Family::Phpcms => "信息公开",
            Family::NanweiVue => "政务公开",
            _ => "政府信息公开",
        };
        entries.push((self.plat_href(), plat_label.to_string()));
        let acc = self.accessibility();
        let mut n = String::new();
        match self.f() {
            Family::Trs => {
                let _ = writeln!(n, "<div class=\"top\"><div class=\"logo\"><img src=\"/images/logo.png\" alt=\"{}\" /></div><div class=\"top_r\">{acc}</div></div>", s.name);
                if self.v() % 2 == 0 {
                    n.push_str("<div class=\"nav\"><dl>\n");
                    for (h, t) in &entries {
                        let _ = writeln!(n, "<dd><a href=\"{h}\">{t}</a></dd>");
                    }
                    n.push_str("</dl></div>\n");
                } else {
                    n.push_str("<table class=\"nav_tab\" cellpadding=\"0\" cellspacing=\"0\"><tbody><tr>\n");
                    for (i, (h, t)) in entries.iter().enumerate() {
                        if i > 0 {
                            n.push_str("<td class=\"line\"></td>");
                        }
                        let _ = writeln!(n, "<td><a href=\"{h}\">{t}</a></td>");
                    }
                    n.push_str("</tr></tbody></table>\n");
                }
            }
            Family::Phpcms => {
                let _ = writeln!(n, "<div class=\"header\"><h1 class=\"logo\">{}</h1>{acc}</div>", s.name);
                n.push_str("<div class=\"menu\"><ul class=\"nav-ul\">\n");
                for (h, t) in &entries {
                    let _ = writeln!(n, "<li class=\"nav-li\"><a href=\"{h}\"><span>{t}</span></a></li>");
                }
                n.push_str("</ul></div>\n");
            }
            Family::NanweiVue => {
                let _ = writeln!(n, "<header class=\"nw-header\"><div class=\"nw-brand\"><span class=\"site-name\">{}</span>{acc}</div>", s.name);
                n.push_str("<div role=\"navigation\" class=\"nw-nav\">\n");
                for (h, t) in &entries {
                    let _ = writeln!(n, "<a class=\"nav-item\" href=\"{h}\" data-title=\"{t}\"><span>{t}</span></a>");
                }
                n.push_str("</div></header>\n");
            }
            _ => {
                let _ = writeln!(n, "<div id=\"top\"><b>{}</b> {acc}</div>", s.name);
                n.push_str("<div id=\"nav\"><p>");
                for (i, (h, t)) in entries.iter().enumerate() {
                    if i > 0 {
                        n.push_str(" | ");
                    }
                    let _ = write!(n, "<a href=\"{h}\">{t}</a>");
                }
                n.push_str("</p></div>\n");
            }
        }
        n
    }

    fn breadcrumb(&self, c: Option<&FCol>, last: Option<&str>) -> String {
        let s = self.s();
        let mut steps: Vec<(String, String)> = vec![(self.home_href(), "首页".into())];
        if let Some(c) = c {
            if c.place == Place::Platform {
                steps.push((self.plat_href(), "政府信息公开".into()));
                if c.in_container {
                    if let Some(st) = s.column(Category::Statutory) {
                        steps.push((self.col_href(st), st.name.clone()));
                    }
                }
            }
            steps.push((self.col_href(c), c.name.clone()));
        }
        let links =
            |sep: &str| steps.iter().map(|(h, t)| format!("<a href=\"{h}\">{t}</a>")).collect::<Vec<_>>().join(sep);
        match self.f() {
            Family::Trs => format!("<div class=\"dqwz\">您当前的位置：{}</div>\n", links("&gt;&gt;")),
            Family::Phpcms => {
                format!(
                    "<div class=\"crumbs\">{}<span> &gt; </span>{}</div>\n",
                    links("<span> &gt; </span>"),
                    last.unwrap_or("列表")
                )
            }
            Family::NanweiVue => {
                let mut b = String::from("<nav class=\"breadcrumb\" aria-label=\"breadcrumb\"><ol>");
                for (h, t) in &steps {
                    let _ = write!(b, "<li><a href=\"{h}\">{t}</a></li>");
                }
                if let Some(l) = last {
                    let _ = write!(b, "<li aria-current=\"page\">{}</li>", esc(l));
                }
                b.push_str("</ol></nav>\n");
                b
            }
            _ => format!("<div class=\"location\">位置：{}</div>\n", links(" » ")),
        }
    }

    fn platform_first_level(&self) -> Vec<&'a FCol> {
        let s = self.s();
        let mut v: Vec<&FCol> = s.columns.iter().filter(|c| c.place == Place::Platform && c.first_level).collect();
        if !s.has(Category::Statutory) {
            if let Some(p) = s.column(Category::Policy) {
                v.push(p);
            }
        }
        v
    }

    fn container_children(&self) -> Vec<&'a FCol> {
        let s = self.s();
        let mut v: Vec<&FCol> = s.columns.iter().filter(|c| c.in_container).collect();
        if let Some(p) = s.column(Category::Policy) {
            v.insert(0, p);
        }
        v
    }

    /// The platform's column tree; children of the container nested under it on some sites.
    fn tree(&self) -> String {
        let nested = self.v() % 3 != 1;
        let first = self.platform_first_level();
        let kids = |c: &FCol| nested && c.kind == ColumnKind::Container;
        let mut h = String::new();
        match self.f() {
            Family::Trs => {
                h.push_str("<div class=\"xxgk_left\"><ul class=\"tree\">\n");
                for c in first {
                    let _ = write!(h, "<li><a href=\"{}\">{}</a>", self.col_href(c), c.name);
                    if kids(c) {
                        h.push_str("<ul class=\"child\">");
                        for k in self.container_children() {
                            let _ = write!(h, "<li><a href=\"{}\">{}</a></li>", self.col_href(k), k.name);
                        }
                        h.push_str("</ul>");
                    }
                    h.push_str("</li>\n");
                }
                h.push_str("</ul></div>\n");
            }
            Family::Phpcms => {
                h.push_str("<dl class=\"gk-nav\">\n");
                for c in first {
                    let _ = writeln!(h, "<dt><a href=\"{}\">{}</a></dt>", self.col_href(c), c.name);
                    if kids(c) {
                        for k in self.container_children() {
                            let _ = writeln!(h, "<dd><a href=\"{}\">{}</a></dd>", self.col_href(k), k.name);
                        }
                    }
                }
                h.push_str("</dl>\n");
            }
            Family::NanweiVue => {
                h.push_str("<aside class=\"gk-side\"><div class=\"el-menu\" role=\"menu\">\n");
                for c in first {
                    if kids(c) {
                        let _ = write!(
                            h,
                            "<div class=\"el-submenu\"><a role=\"menuitem\" href=\"{}\">{}</a><div class=\"el-menu--inline\">",
                            self.col_href(c),
                            c.name
                        );
                        for k in self.container_children() {
                            let _ = write!(
                                h,
                                "<a role=\"menuitem\" class=\"sub\" href=\"{}\">{}</a>",
                                self.col_href(k),
                                k.name
                            );
                        }
                        h.push_str("</div></div>\n");
                    } else {
                        let _ = writeln!(h, "<a role=\"menuitem\" href=\"{}\">{}</a>", self.col_href(c), c.name);
                    }
                }
                h.push_str("</div></aside>\n");
            }
            _ => {
                h.push_str("<table class=\"gk-tree\" width=\"220\">\n");
                for c in first {
                    let _ =
                        writeln!(h, "<tr><td class=\"l1\"><a href=\"{}\">{}</a></td></tr>", self.col_href(c), c.name);
                    if kids(c) {
                        for k in self.container_children() {
                            let _ = writeln!(
                                h,
                                "<tr><td class=\"l2\">&nbsp;&nbsp;·<a href=\"{}\">{}</a></td></tr>",
                                self.col_href(k),
                                k.name
                            );
                        }
                    }
                }
                h.push_str("</table>\n");
            }
        }
        h
    }

    fn conac_js(&self) -> String {
        let code = &self.s().footer.conac_code;
        let mid = &code[9..17];
        format!(
            "document.write(unescape(\"%3Cspan id='_ideConac' %3E%3C/span%3E%3Cscript src='//{BADGE_SCRIPT_HOST}/js/{}/000/0000/{mid}/CA{code}.js' type='text/javascript'%3E%3C/script%3E\"));",
            &code[..2]
        )
    }

    fn footer_parts(&self) -> Vec<Part> {
        let s = self.s();
        let f = &s.footer;
        let fam = self.f();
        let beian = self.r.abs(BEIAN_HOST, "/");
        let mut v = vec![];
        let sponsor = f.sponsor.as_ref().map(|(sp, _)| sp.clone());
        let contact = match f.contact {
            Some(0) => Some(match fam {
                Family::NanweiVue => ("Tel".to_string(), f.phone.clone()),
                _ => ("联系电话".to_string(), f.phone.clone()),
            }),
            Some(1) => Some(("地址".to_string(), format!("{}人民路{}号", s.region.last().unwrap(), 10 + s.idx))),
            Some(_) => Some((String::new(), format!("<a href=\"mailto:webmaster@{}\">联系我们</a>", s.host))),
            None => None,
        };
        let code = f.site_code.as_ref().map(|(c, var)| (c.clone(), *var));
        let icp = f.icp.as_ref().map(|(p, _, inside)| {
            if *inside {
                format!("<a href=\"{beian}\" target=\"_blank\">{p}</a>")
            } else {
                format!("{p} <a href=\"{beian}\" target=\"_blank\">beian.miit.gov.cn</a>")
            }
        });
        let police = f.police.as_ref().map(|(printed, value)| {
            let number = value.split('-').next().unwrap_or(value);
            let digits: String = number.chars().filter(|c| c.is_ascii_digit()).collect();
            format!(
                "<a href=\"{}\" target=\"_blank\"><img src=\"/images/ga.png\" alt=\"\" />{printed}</a>",
                self.r.abs(POLICE_BEIAN_HOST, &format!("/portal/registerSystemInfo?recordcode={digits}"))
            )
        });
        match fam {
            Family::Trs => {
                // Label and value in separate cells.
                let mut t = String::from("<table class=\"foot_tab\" width=\"100%\"><tbody>");
                if let Some(sp) = &sponsor {
                    let _ = write!(t, "<tr><td class=\"lbl\">主办单位：</td><td>{sp}</td><td class=\"lbl\">承办单位：</td><td>{}信息中心</td></tr>", s.short);
                }
                if let Some((c, var)) = &code {
                    let lbl = if var % 2 == 0 { "网站标识码：" } else { "政府网站标识码" };
                    let _ = write!(t, "<tr><td class=\"lbl\">{lbl}</td><td><em>{c}</em></td></tr>");
                }
                if let Some((l, val)) = &contact {
                    if l.is_empty() {
                        let _ = write!(t, "<tr><td colspan=\"2\">{val}</td></tr>");
                    } else {
                        let _ = write!(t, "<tr><td class=\"lbl\">{l}：</td><td>{val}</td></tr>");
                    }
                }
                t.push_str("</tbody></table>");
                v.push(Part::Html(t));
                let mut p = String::from("<p class=\"beian\">");
                if let Some(i) = &icp {
                    p.push_str(i);
                }
                if let Some(pl) = &police {
                    let _ = write!(p, "&nbsp;&nbsp;{pl}");
                }
                p.push_str("</p>");
                v.push(Part::Html(p));
            }
            Family::Phpcms => {
                let mut items: Vec<String> = vec![];
                if let Some(sp) = &sponsor {
                    items.push(format!("主办单位：{sp}"));
                }
                if let Some((c, _)) = &code {
                    items.push(format!("网站标识码：<em>{c}</em>"));
                }
                if let Some((l, val)) = &contact {
                    items.push(if l.is_empty() { val.clone() } else { format!("{l}：{val}") });
                }
                v.push(Part::Html(format!("<p class=\"copy\">{}</p>", items.join("&nbsp;|&nbsp;"))));
                if let Some(i) = &icp {
                    v.push(Part::Html(format!("<p class=\"icp\">{i}</p>")));
                }
                if let Some(pl) = &police {
                    v.push(Part::Html(format!("<p class=\"ga\">{pl}</p>")));
                }
            }
            Family::NanweiVue => {
                let mut d = String::from("<div class=\"ft-row\">");
                if let Some(sp) = &sponsor {
                    let _ = write!(d, "<div class=\"ft-col\"><span class=\"label\">主办单位</span><span class=\"value\">{sp}</span></div>");
                }
                if let Some((c, _)) = &code {
                    let _ = write!(d, "<dl class=\"ft-code\"><dt>网站标识码</dt><dd>{c}</dd></dl>");
                }
                if let Some((l, val)) = &contact {
                    if l.is_empty() {
                        let _ = write!(d, "<div class=\"ft-col\">{val}</div>");
                    } else {
                        let _ = write!(d, "<div class=\"ft-col\"><span class=\"label\">{l}：</span><span class=\"value\">{val}</span></div>");
                    }
                }
                d.push_str("</div>");
                v.push(Part::Html(d));
                let mut b = String::from("<div class=\"ft-beian\">");
                if let Some((p, _, _)) = &f.icp {
                    // The ICP number split across elements.
                    let (a, z) = p.split_once("备").unwrap_or((p, ""));
                    let _ = write!(b, "<a href=\"{beian}\" target=\"_blank\"><span>{a}备</span><span>{z}</span></a>");
                }
                if let Some(pl) = &police {
                    b.push_str(pl);
                }
                b.push_str("</div>");
                v.push(Part::Html(b));
            }
            _ => {
                let mut u = String::from("<ul class=\"ft-list\">");
                if let Some(sp) = &sponsor {
                    let _ = write!(u, "<li>主办单位：{sp}</li>");
                }
                if let Some((c, _)) = &code {
                    let _ = write!(u, "<li>政府网站<br />标识码：{c}</li>");
                }
                if let Some((l, val)) = &contact {
                    if l.is_empty() {
                        let _ = write!(u, "<li>{val}</li>");
                    } else {
                        let _ = write!(u, "<li>{l}：{val}</li>");
                    }
                }
                if let Some(i) = &icp {
                    let _ = write!(u, "<li>{i}</li>");
                }
                if let Some(pl) = &police {
                    let _ = write!(u, "<li>{pl}</li>");
                }
                u.push_str("</ul>");
                v.push(Part::Html(u));
            }
        }
        match f.badge {
            Some(true) => v.push(Part::Js(self.conac_js())),
            Some(false) => v.push(Part::Html(format!(
                "<div class=\"dzjg\"><a href=\"{}\" target=\"_blank\"><img src=\"/images/red.png\" alt=\"党政机关\" /></a></div>",
                self.r.abs(BADGE_HOST, &format!("/sitename?method=show&id={}", f.conac_code))
            ))),
            None => {}
        }
        v
    }

    fn error_entry(&self) -> String {
        let s = self.s();
        let code = s.footer.site_code.as_ref().map(|c| c.0.clone()).unwrap_or_else(|| format!("44{:08}", s.idx));
        match s.footer.error_entry {
            Some(true) => format!(
                "<span id=\"_span_jiucuo\"></span><script type=\"text/javascript\" src=\"{}\" id=\"_jiucuo_\" sitecode='{code}'></script>\n",
                self.r.abs(JIUCUO_HOST, "/gov/jiucuo.js")
            ),
            Some(false) => {
                let href = self.r.abs(JIUCUO_HOST, &format!("/check_web/errorInfo_querySiteInfo.action?sitecode={code}"));
                if self.f() == Family::NanweiVue {
                    format!("<div class=\"jiucuo\"><a href=\"{href}\" target=\"_blank\"><img src=\"/images/jiucuo.png\" alt=\"我为政府网站找错\" /></a></div>\n")
                } else {
                    format!("<div class=\"jiucuo\"><a href=\"{href}\" target=\"_blank\">我为政府网站找错</a></div>\n")
                }
            }
            None => String::new(),
        }
    }

    fn parts_html(&self) -> String {
        let mut o = String::new();
        for p in self.footer_parts() {
            match p {
                Part::Html(h) => o.push_str(&h),
                Part::Js(j) => {
                    let _ = write!(o, "<script type=\"text/javascript\">{j}</script>");
                }
            }
            o.push('\n');
        }
        o
    }

    fn footer(&self) -> String {
        let s = self.s();
        let (open, close) = match self.f() {
            Family::NanweiVue => ("<footer class=\"nw-footer\">\n", "</footer>\n"),
            Family::Trs => ("<div class=\"footer\">\n", "</div>\n"),
            Family::Phpcms => ("<div id=\"footer\" class=\"footer\">\n", "</div>\n"),
            _ => ("<div id=\"foot\">\n", "</div>\n"),
        };
        let mut o = open.to_string();
        match s.footer.mode {
            FooterMode::Inline => o.push_str(&self.parts_html()),
            FooterMode::Iframe => {
                let _ = writeln!(
                    o,
                    "<iframe src=\"{}\" width=\"100%\" height=\"160\" frameborder=\"0\" scrolling=\"no\" title=\"footer\"></iframe>",
                    self.main_href("/footer.html")
                );
            }
            FooterMode::Script => {
                let _ = writeln!(
                    o,
                    "<script type=\"text/javascript\" src=\"{}\"></script>",
                    self.main_href("/js/footer.js")
                );
            }
        }
        o.push_str(&self.error_entry());
        o.push_str(close);
        o
    }

    fn page(&self, title: &str, column: Option<&FCol>, meta: &str, body: String) -> String {
        let mut h = self.head(title, column.map(|c| c.name.as_str()), meta);
        let mut inner = self.top();
        inner.push_str(&body);
        inner.push_str(&self.footer());
        h.push_str(&self.wrap(inner));
        if self.f() == Family::NanweiVue {
            h.push_str("</div></div>\n<script>window.__NUXT__={layout:\"default\",serverRendered:true};</script>\n");
        }
        h.push_str("</body>\n</html>\n");
        h
    }

    fn home_date(&self, d: NaiveDate, salt: u32, is_news: bool) -> String {
        if is_news && self.s().home_bracket {
            if self.v() % 2 == 0 {
                format!("[{}]", d.format("%m-%d"))
            } else {
                d.format("%m-%d").to_string()
            }
        } else {
            self.date(d, salt)
        }
    }

    fn home(&self) -> String {
        let s = self.s();
        let mut b = String::new();
        if s.search {
            b.push_str(match self.f() {
                Family::Trs => "<div class=\"ss\"><form name=\"searchform\" action=\"/search/index.html\" method=\"get\" target=\"_blank\"><input type=\"text\" name=\"searchword\" class=\"ss_text\" /><input type=\"image\" src=\"/images/ss.png\" alt=\"\" /></form></div>\n",
                Family::Phpcms => "<div class=\"search\"><form action=\"/search/index.php\" method=\"get\"><input type=\"hidden\" name=\"m\" value=\"search\"><input type=\"text\" name=\"q\"><button type=\"submit\">搜索</button></form></div>\n",
                Family::NanweiVue => "<div class=\"nw-search\"><form action=\"/search/\" method=\"get\" role=\"search\"><input type=\"search\" name=\"q\" placeholder=\"请输入关键词\"><button type=\"submit\">检索</button></form></div>\n",
                _ => "<div class=\"jc-search\"><form action=\"/search/search.jspx\" method=\"get\"><input type=\"text\" name=\"q\" value=\"\"><input type=\"submit\" value=\"站内搜索\"></form></div>\n",
            });
        }
        let news = s.columns.iter().find(|c| c.category == Category::News);
        for (c, n, is_news) in
            [(news, 6usize, true), (s.column(Category::Notice), 6, false), (s.column(Category::Policy), 5, false)]
        {
            let Some(c) = c else { continue };
            let items = &c.items[..c.items.len().min(n)];
            let date = |it: &Item| it.date.map(|d| self.home_date(d, it.id, is_news));
            match self.f() {
                Family::Trs => {
                    let _ = writeln!(b, "<div class=\"index_box\"><div class=\"box_tit\"><h2>{}</h2><a href=\"{}\" class=\"more\">更多&gt;&gt;</a></div><ul>", c.name, self.col_href(c));
                    for it in items {
                        let d = date(it).map(|d| format!("<span>{d}</span>")).unwrap_or_default();
                        let _ = writeln!(
                            b,
                            "<li>{d}<a href=\"{}\" target=\"_blank\">{}</a></li>",
                            self.art_href(c, it),
                            esc(&it.title)
                        );
                    }
                    b.push_str("</ul></div>\n");
                }
                Family::Phpcms => {
                    let _ =
                        writeln!(b, "<div class=\"box\"><h3><a href=\"{}\">{}</a></h3><dl>", self.col_href(c), c.name);
                    for it in items {
                        let d = date(it).map(|d| format!("<dd><em>{d}</em></dd>")).unwrap_or_default();
                        let _ = writeln!(b, "<dt><a href=\"{}\">{}</a></dt>{d}", self.art_href(c, it), esc(&it.title));
                    }
                    b.push_str("</dl></div>\n");
                }
                Family::NanweiVue => {
                    let _ = writeln!(b, "<section class=\"home-block\" data-channel=\"{}\"><h2 class=\"block-title\"><a href=\"{}\">{}</a></h2>", c.key, self.col_href(c), c.name);
                    for it in items {
                        let d = date(it).map(|d| format!("<time>{d}</time>")).unwrap_or_default();
                        let _ = writeln!(
                            b,
                            "<article class=\"card\" data-id=\"{}\"><a href=\"{}\"><h3>{}</h3>{d}</a></article>",
                            it.id,
                            self.art_href(c, it),
                            esc(&it.title)
                        );
                    }
                    b.push_str("</section>\n");
                }
                _ => {
                    let _ = writeln!(
                        b,
                        "<div class=\"jc-box\"><div class=\"jc-hd\">{}<a href=\"{}\">more</a></div><ol>",
                        c.name,
                        self.col_href(c)
                    );
                    for it in items {
                        let d = date(it).map(|d| format!("<b>{d}</b>")).unwrap_or_default();
                        let _ = writeln!(b, "<li><a href=\"{}\">{}</a>{d}</li>", self.art_href(c, it), esc(&it.title));
                    }
                    b.push_str("</ol></div>\n");
                }
            }
        }
        if let Some(sv) = s.column(Category::Service) {
            let _ = writeln!(
                b,
                "<div class=\"quick\"><a href=\"{}\" target=\"_blank\"><img src=\"/images/bsfw.png\" alt=\"\" /><span>{}</span></a></div>",
                self.col_href(sv),
                sv.name
            );
        }
        if !s.broken_home.is_empty() {
            b.push_str("<div class=\"ztzl\"><h2>专题专栏</h2>\n");
            for (k, p) in s.broken_home.iter().enumerate() {
                let _ = writeln!(b, "<p><a href=\"{}\">历史专题{}</a></p>", self.main_href(p), k + 1);
            }
            b.push_str("</div>\n");
        }
        if s.spam {
            let spam = self.r.abs(SPAM_HOST, "/");
            let style = match self.f() {
                Family::Trs | Family::NanweiVue => "display:none",
                Family::Phpcms => "visibility:hidden;height:0;overflow:hidden",
                _ => "font-size:0;line-height:0",
            };
            let _ = writeln!(
                b,
                "<div style=\"{style}\"><a href=\"{spam}\">澳门娱乐城</a> <a href=\"{spam}\">六合彩开奖</a></div>"
            );
        }
        self.page(&s.name, None, "", b)
    }

    fn placeholder(&self) -> &'static str {
        match self.f() {
            Family::Trs => "<div class=\"no_data\">暂无信息</div>\n",
            Family::Phpcms => "<div class=\"empty\">暂无数据</div>\n",
            Family::NanweiVue => "<div class=\"el-empty\"><p class=\"el-empty__description\">暂无数据</p></div>\n",
            _ => "<p class=\"none\">没有记录</p>\n",
        }
    }

    fn title_block(&self, name: &str) -> String {
        match self.f() {
            Family::Trs => format!("<div class=\"lm_tit\"><span>{name}</span></div>\n"),
            Family::Phpcms => format!("<h2 class=\"cat-title\">{name}</h2>\n"),
            Family::NanweiVue => format!("<h1 class=\"channel-title\">{name}</h1>\n"),
            _ => format!("<div class=\"jc-title\"><strong>{name}</strong></div>\n"),
        }
    }

    fn list(&self, ci: usize, page: usize) -> String {
        let s = self.s();
        let c = &s.columns[ci];
        let mut b = self.breadcrumb(Some(c), None);
        if c.place == Place::Platform {
            b.push_str(&self.tree());
        }
        b.push_str(&self.title_block(&c.name));
        if c.placeholder {
            b.push_str(self.placeholder());
        } else if c.category == Category::Consultation {
            b.push_str(&self.messages(c));
        } else {
            b.push_str(&layout::list_body(self.r, c, page));
        }
        self.page(&c.name, Some(c), "", b)
    }

    fn messages(&self, c: &FCol) -> String {
        let on_list = self.s().msg_dates_on_list;
        let msgs: Vec<(&Item, NaiveDate, Option<NaiveDate>)> = c
            .items
            .iter()
            .filter_map(|it| match it.extra {
                ItemExtra::Message { posted, replied } => Some((it, posted, replied)),
                _ => None,
            })
            .collect();
        let mut h = String::new();
        match self.f() {
            Family::Trs => {
                h.push_str("<table class=\"xj_tab\" width=\"100%\"><tr><th>来信标题</th><th>状态</th>");
                if on_list {
                    h.push_str("<th>来信日期</th><th>答复日期</th>");
                }
                h.push_str("</tr>\n");
                for (it, p, r) in msgs {
                    let _ = write!(
                        h,
                        "<tr><td><a href=\"{}\" target=\"_blank\">{}</a></td><td>{}</td>",
                        self.art_href(c, it),
                        esc(&it.title),
                        if r.is_some() { "已答复" } else { "办理中" }
                    );
                    if on_list {
                        let _ = write!(
                            h,
                            "<td>{}</td><td>{}</td>",
                            self.date(p, it.id),
                            r.map(|r| self.date(r, it.id)).unwrap_or_default()
                        );
                    }
                    h.push_str("</tr>\n");
                }
                h.push_str("</table>\n");
            }
            Family::Phpcms => {
                h.push_str("<div class=\"ly-list\">\n");
                for (it, p, r) in msgs {
                    let _ = write!(
                        h,
                        "<dl><dt><a href=\"{}\">{}</a></dt><dd class=\"zt\">状态：{}</dd>",
                        self.art_href(c, it),
                        esc(&it.title),
                        if r.is_some() { "已回复" } else { "未回复" }
                    );
                    if on_list {
                        let _ = write!(h, "<dd>留言时间：<em>{}</em></dd>", iso(p));
                        if let Some(r) = r {
                            let _ = write!(h, "<dd>回复时间：<em>{}</em></dd>", iso(r));
                        }
                    }
                    h.push_str("</dl>\n");
                }
                h.push_str("</div>\n");
            }
            Family::NanweiVue => {
                h.push_str("<section class=\"msg-list\">\n");
                for (it, p, r) in msgs {
                    let _ = write!(
                        h,
                        "<article class=\"msg-card\" data-status=\"{}\"><a href=\"{}\"><h3>{}</h3></a><span class=\"tag\">{}</span>",
                        if r.is_some() { "done" } else { "doing" },
                        self.art_href(c, it),
                        esc(&it.title),
                        if r.is_some() { "已办结" } else { "办理中" }
                    );
                    if on_list {
                        let _ = write!(
                            h,
                            "<p class=\"msg-time\"><span>留言时间</span><time>{}</time></p>",
                            p.format("%Y.%m.%d")
                        );
                        if let Some(r) = r {
                            let _ = write!(
                                h,
                                "<p class=\"msg-time\"><span>答复时间</span><time>{}</time></p>",
                                r.format("%Y.%m.%d")
                            );
                        }
                    }
                    h.push_str("</article>\n");
                }
                h.push_str("</section>\n");
            }
            _ => {
                h.push_str(
                    "<table class=\"gb-list\" width=\"100%\"><thead><tr><th>序号</th><th>留言标题</th><th>状态</th>",
                );
                if on_list {
                    h.push_str("<th>留言日期</th><th>答复日期</th>");
                }
                h.push_str("</tr></thead><tbody>\n");
                for (k, (it, p, r)) in msgs.into_iter().enumerate() {
                    let _ = write!(
                        h,
                        "<tr><td>{}</td><td><a href=\"{}\">{}</a></td><td>{}</td>",
                        k + 1,
                        self.art_href(c, it),
                        esc(&it.title),
                        if r.is_some() { "已答复" } else { "待答复" }
                    );
                    if on_list {
                        let _ = write!(h, "<td>{}</td><td>{}</td>", iso(p), r.map(iso).unwrap_or_else(|| "-".into()));
                    }
                    h.push_str("</tr>\n");
                }
                h.push_str("</tbody></table>\n");
            }
        }
        h
    }

    fn message_detail(&self, c: &FCol, it: &Item, posted: NaiveDate, replied: Option<NaiveDate>) -> String {
        let s = self.s();
        let ask = format!(
            "您好，想咨询一下{}方面的政策，谢谢。",
            it.title.trim_start_matches("关于").trim_end_matches("的咨询")
        );
        let answer = "您好，您反映的问题已收悉，现答复如下：相关工作正在有序推进，感谢您的关注。";
        let pd = self.detail_date(posted);
        let mut rows: Vec<(&str, String)> = vec![];
        match self.f() {
            Family::Trs => {
                rows.push(("来信人", "网民".into()));
                rows.push(("来信时间", pd));
                rows.push(("来信内容", ask));
                match replied {
                    Some(r) => {
                        rows.push(("答复单位", s.short.clone()));
                        rows.push(("答复时间", self.detail_date(r)));
                        rows.push(("答复内容", answer.into()));
                    }
                    None => rows.push(("办理状态", "办理中".into())),
                }
            }
            _ => {
                rows.push(("留言时间", pd));
                rows.push(("留言内容", ask));
                match replied {
                    Some(_) if s.family == Family::JeeBoard && jeeboard::reply_apart(it) => {
                        let href = self.href(s.base(c.place).0, &jeeboard::reply_path(s, c, it));
                        rows.push(("办理状态", format!("已答复 <a href=\"{href}\">查看答复</a>")));
                    }
                    Some(r) => {
                        rows.push(("答复单位", s.short.clone()));
                        rows.push(("答复时间", self.detail_date(r)));
                        rows.push(("答复内容", answer.into()));
                    }
                    None => rows.push(("办理状态", "正在办理".into())),
                }
            }
        }
        self.rows(&rows)
    }

    /// Label / value rows as a `<dl>` or a two-column th/td table (by family and site).
    fn rows(&self, rows: &[(&str, String)]) -> String {
        let dl = match self.f() {
            Family::NanweiVue => true,
            Family::JeeBoard => self.v() % 2 == 0,
            Family::Phpcms => false,
            _ => false,
        };
        let mut h = String::new();
        if self.f() == Family::Phpcms {
            h.push_str("<div class=\"ly-detail\">\n");
            for (l, v) in rows {
                let _ = writeln!(h, "<p><strong>{l}：</strong>{v}</p>");
            }
            h.push_str("</div>\n");
        } else if dl {
            h.push_str("<dl class=\"gb-detail\">\n");
            for (l, v) in rows {
                let _ = writeln!(h, "<dt>{l}</dt><dd>{v}</dd>");
            }
            h.push_str("</dl>\n");
        } else {
            h.push_str("<table class=\"gb-info\" width=\"100%\">\n");
            for (l, v) in rows {
                let _ = writeln!(h, "<tr><th>{l}</th><td>{v}</td></tr>");
            }
            h.push_str("</table>\n");
        }
        h
    }

    fn article(&self, ci: usize, ii: usize) -> String {
        let s = self.s();
        let c = &s.columns[ci];
        let it = &c.items[ii];
        let mut meta = String::new();
        if self.f() == Family::Trs {
            let _ = writeln!(meta, "<meta name=\"ArticleTitle\" content=\"{}\" />", esc(&it.title));
            if let Some(d) = it.date {
                let _ = writeln!(
                    meta,
                    "<meta name=\"PubDate\" content=\"{} {:02}:{:02}\" />",
                    iso(d),
                    8 + it.id % 9,
                    it.id % 60
                );
            }
            let _ = writeln!(meta, "<meta name=\"ContentSource\" content=\"{}\" />", s.short);
        }
        let mut b = self.breadcrumb(Some(c), Some("正文"));
        b.push_str(match self.f() {
            Family::Trs => "<div class=\"xl_con\">\n",
            Family::NanweiVue => "<article class=\"detail\">\n",
            _ => "<div class=\"article\">\n",
        });
        if let (Some(doc), Some(d)) = (&it.doc, it.date) {
            let index = format!("{}/{}-{:05}", &s.footer.conac_code[9..17], d.year(), it.id % 100_000);
            match self.f() {
                Family::Trs => {
                    let pad = |x: NaiveDate| format!("{}年{:02}月{:02}日", x.year(), x.month(), x.day());
                    let _ = writeln!(b, "<table class=\"xxgk_table\"><tr><th>索引号：</th><td>{index}</td><th>发布机构：</th><td>{}</td></tr><tr><th>成文日期：</th><td>{}</td><th>发布日期：</th><td>{}</td></tr><tr><th>文号：</th><td>{}</td><th>主题分类：</th><td>综合政务</td></tr></table>", s.short, pad(doc.written), pad(d), doc.number);
                }
                Family::Phpcms => {
                    let _ = writeln!(b, "<ul class=\"gk-info\"><li><b>索引号：</b>{index}</li><li><b>文号：</b>{}</li><li><b>成文日期：</b>{}</li><li><b>发布日期：</b>{}</li></ul>", doc.number, iso(doc.written), iso(d));
                }
                Family::NanweiVue => {
                    let _ = writeln!(b, "<dl class=\"gk-meta\"><dt>索引号</dt><dd>{index}</dd><dt>文号</dt><dd>{}</dd><dt>成文日期</dt><dd>{}</dd><dt>发布日期</dt><dd>{}</dd></dl>", doc.number, doc.written.format("%Y.%m.%d"), d.format("%Y.%m.%d"));
                }
                _ => {
                    let _ = writeln!(b, "<div class=\"gkxx\"><span>索引号：{index}</span> <span>发文字号：{}</span> <span>成文日期：{}</span> <span>发布日期：{}</span></div>", doc.number, doc.written.format("%Y/%m/%d"), d.format("%Y/%m/%d"));
                }
            }
        }
        match self.f() {
            Family::NanweiVue => {
                let _ = writeln!(b, "<h1 class=\"detail-title\">{}</h1>", esc(&it.title));
            }
            _ => {
                let _ = writeln!(b, "<h2 class=\"xl_tit\">{}</h2>", esc(&it.title));
            }
        }
        match &it.extra {
            ItemExtra::Message { posted, replied } => b.push_str(&self.message_detail(c, it, *posted, *replied)),
            _ => {
                if let Some(d) = it.date {
                    let _ = match self.f() {
                        Family::Trs => writeln!(
                            b,
                            "<div class=\"xl_info\">发布时间：{} {:02}:{:02}　来源：{}</div>",
                            iso(d),
                            8 + it.id % 9,
                            it.id % 60,
                            s.short
                        ),
                        Family::Phpcms => writeln!(
                            b,
                            "<div class=\"info\"><span>来源：{}</span> <span>时间：{}年{:02}月{:02}日</span></div>",
                            s.short,
                            d.year(),
                            d.month(),
                            d.day()
                        ),
                        Family::NanweiVue => writeln!(
                            b,
                            "<div class=\"meta\"><time datetime=\"{}\">{}</time><span>来源：{}</span></div>",
                            iso(d),
                            d.format("%Y.%m.%d"),
                            s.short
                        ),
                        _ => writeln!(b, "<p class=\"msgTime\">日期：{}</p>", iso(d)),
                    };
                }
                let _ = writeln!(b, "<div class=\"TRS_Editor\"><p>为深入贯彻落实上级有关决策部署，{}认真组织开展相关工作，现将有关情况公开如下。</p>", s.short);
                if let ItemExtra::AnnualReport { year } = it.extra {
                    let _ = writeln!(b, "<p>本报告根据《中华人民共和国政府信息公开条例》要求编制，所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。</p>");
                }
                if it.exposes_id {
                    let _ = writeln!(b, "<table><tr><th>姓名</th><th>身份证号码</th><th>岗位</th></tr><tr><td>张某某</td><td>{}</td><td>公益性岗位</td></tr></table>", exposed_id());
                }
                if it.exposes_card {
                    let _ = writeln!(b, "<table><tr><th>户主</th><th>补贴金额（元）</th><th>银行卡号</th></tr><tr><td>王某某</td><td>1250.00</td><td>{}</td></tr></table>", exposed_card());
                }
                for (k, l) in it.broken_links.iter().enumerate() {
                    let _ = writeln!(
                        b,
                        "<p>附件{}：<a href=\"{}\">相关材料{}.doc</a></p>",
                        k + 1,
                        self.href(s.base(c.place).0, l),
                        k + 1
                    );
                }
                b.push_str("</div>\n");
            }
        }
        b.push_str(if self.f() == Family::NanweiVue { "</article>\n" } else { "</div>\n" });
        self.page(&it.title, Some(c), &meta, b)
    }

    /// JEECMS: a message's answer on its own page.
    fn reply(&self, ci: usize, ii: usize) -> String {
        let s = self.s();
        let c = &s.columns[ci];
        let it = &c.items[ii];
        let mut b = self.breadcrumb(Some(c), Some("答复"));
        let _ = writeln!(b, "<div class=\"reply\"><h2>答复：{}</h2>", esc(&it.title));
        if let ItemExtra::Message { replied: Some(r), .. } = it.extra {
            b.push_str(&self.rows(&[
                ("答复单位", s.short.clone()),
                ("答复时间", self.detail_date(r)),
                ("答复内容", "您好，您反映的问题已收悉，现答复如下：相关工作正在有序推进，感谢您的关注。".into()),
            ]));
        }
        let _ = writeln!(b, "<p><a href=\"{}\">返回留言</a></p></div>", self.art_href(c, it));
        self.page(&format!("答复_{}", it.title), Some(c), "", b)
    }

    fn column_page(&self, ci: usize) -> String {
        let s = self.s();
        let c = &s.columns[ci];
        let mut b = self.breadcrumb(Some(c), None);
        if c.place == Place::Platform {
            b.push_str(&self.tree());
        }
        b.push_str(&self.title_block(&c.name));
        if c.placeholder {
            b.push_str(self.placeholder());
        } else if c.kind == ColumnKind::Container {
            match self.f() {
                Family::NanweiVue => {
                    b.push_str("<section class=\"gk-grid\">\n");
                    for k in self.container_children() {
                        let _ = writeln!(
                            b,
                            "<article class=\"gk-cell\" data-channel=\"{}\"><a href=\"{}\">{}</a></article>",
                            k.key,
                            self.col_href(k),
                            k.name
                        );
                    }
                    b.push_str("</section>\n");
                }
                Family::JeeBoard | Family::Trs => {
                    b.push_str("<table class=\"gk-ml\"><tr>\n");
                    for (i, k) in self.container_children().into_iter().enumerate() {
                        if i > 0 && i % 3 == 0 {
                            b.push_str("</tr><tr>\n");
                        }
                        let _ = writeln!(b, "<td><a href=\"{}\">{}</a></td>", self.col_href(k), k.name);
                    }
                    b.push_str("</tr></table>\n");
                }
                _ => {
                    b.push_str("<dl class=\"gk-ml\">\n");
                    for k in self.container_children() {
                        let _ = writeln!(b, "<dd><a href=\"{}\">{}</a></dd>", self.col_href(k), k.name);
                    }
                    b.push_str("</dl>\n");
                }
            }
        } else {
            b.push_str(&self.single_text(c));
        }
        self.page(&c.name, Some(c), "", b)
    }

    fn single_text(&self, c: &FCol) -> String {
        let s = self.s();
        match c.category {
            Category::Guide => {
                let mut rows: Vec<(&str, String)> = vec![];
                for e in 0..GUIDE_ELEMENTS.len() {
                    if s.guide_missing.contains(&e) {
                        continue;
                    }
                    rows.push(match e {
                        0 => ("信息分类", "主动公开的政府信息包括机构职能、政策文件、规划计划、统计信息、财政预决算等。".into()),
                        1 => ("编排体系", "按主题与体裁相结合的方式编排。".into()),
                        2 => ("获取方式", "通过本网站、政务公开专区、新闻发布会等途径获取。".into()),
                        3 => ("办公地址", format!("{}人民路{}号", s.region.last().unwrap(), 100 + s.idx)),
                        4 => ("办公时间", "周一至周五上午9:00—12:00，下午14:00—17:30（法定节假日除外）".into()),
                        5 => ("联系电话", s.footer.phone.clone()),
                        6 => ("传真", format!("{}1", &s.footer.phone[..s.footer.phone.len() - 1])),
                        _ => ("电子邮箱", format!("xxgk@{}", s.host)),
                    });
                }
                let mut t = String::from("<div class=\"guide\"><p>为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。</p>\n");
                if self.f() == Family::Trs || self.f() == Family::JeeBoard {
                    t.push_str(&self.rows(&rows));
                } else {
                    for (k, (l, v)) in rows.iter().enumerate() {
                        let _ = writeln!(t, "<p>（{}）{l}：{v}</p>", k + 1);
                    }
                }
                t.push_str("</div>\n");
                t
            }
            Category::System => "<div class=\"text\"><p>政府信息公开保密审查制度、政府信息主动公开制度、依申请公开工作制度。</p></div>\n".into(),
            Category::Application => "<div class=\"text\"><p>公民、法人或者其他组织可以通过信函、当面、网上提交等方式向本机关申请获取政府信息。</p></div>\n".into(),
            Category::Overview => format!("<div class=\"text\"><p>{}位于{}，辖区面积约一千二百平方公里。</p></div>\n", s.short, FPROVINCE),
            Category::Functions => format!("<div class=\"text\"><p>{}的主要职责：贯彻执行国家和省、市有关方针政策和法律法规。内设机构：办公室、政策法规科、综合业务科。</p></div>\n", s.short),
            Category::Leaders => "<div class=\"text\"><p>主要负责人：王某某，主持全面工作。副职：李某某，分管业务工作。</p></div>\n".into(),
            _ => "<div class=\"text\"><p>本栏目内容持续更新。</p></div>\n".into(),
        }
    }

    fn platform_index(&self) -> String {
        let s = self.s();
        let mut b = self.breadcrumb(None, Some("政府信息公开"));
        b.push_str(&self.title_block(&format!("{}政府信息公开", s.short)));
        b.push_str(&self.tree());
        self.page(&format!("{}政府信息公开", s.short), None, "", b)
    }

    fn footer_page(&self) -> String {
        let charset = match self.s().charset {
            Charset::GbkMeta => "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\">",
            Charset::Utf8 => "<meta charset=\"utf-8\">",
            Charset::GbkHeader => "",
        };
        format!(
            "<!DOCTYPE html><html><head>{charset}<title>底部</title></head><body class=\"foot\">\n{}</body></html>\n",
            self.parts_html()
        )
    }

    fn footer_js(&self) -> String {
        let mut js = String::from("/* footer */\n");
        let dq = matches!(self.f(), Family::Trs | Family::Phpcms);
        for p in self.footer_parts() {
            match p {
                Part::Html(h) if dq => {
                    let _ = writeln!(js, "document.writeln(\"{}\");", h.replace('\\', "\\\\").replace('"', "\\\""));
                }
                Part::Html(h) => {
                    let _ = writeln!(js, "document.write('{}');", h.replace('\\', "\\\\").replace('\'', "\\'"));
                }
                Part::Js(j) => {
                    js.push_str(&j);
                    js.push('\n');
                }
            }
        }
        js
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
