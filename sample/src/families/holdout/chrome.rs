//! Holdout page chrome: head, layout wrappers, top navigation, breadcrumbs, the platform tree, the page frame.

use super::H;
use crate::families::common::esc;
use crate::families::model::*;
use crate::families::Family;
use crate::model::{Category, Charset, ColumnKind, Place};
use std::fmt::Write;

impl<'a> H<'a> {
    pub(super) fn head(&self, title: &str, column: Option<&str>, extra: &str) -> String {
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

    pub(super) fn wrap(&self, inner: String) -> String {
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

    pub(super) fn accessibility(&self) -> String {
        match (self.s().accessibility, self.r.here == self.s().host) {
            (Some(w), true) => match self.f() {
                Family::NanweiVue => format!("<button type=\"button\" class=\"aged-btn\">{w}</button>"),
                _ => format!("<a href=\"javascript:;\" onclick=\"aria.start()\">{w}</a>"),
            },
            _ => String::new(),
        }
    }

    /// Top of the page and the main navigation (home, every main-site column, the platform).
    pub(super) fn top(&self) -> String {
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
                let _ = writeln!(n, "<div class=\"header\"><img src=\"/images/guohui.png\" alt=\"国徽\" /><h1 class=\"logo\">{}</h1>{acc}</div>", s.name);
                n.push_str("<div class=\"menu\"><ul class=\"nav-ul\">\n");
                for (h, t) in &entries {
                    let _ = writeln!(n, "<li class=\"nav-li\"><a href=\"{h}\"><span>{t}</span></a></li>");
                }
                n.push_str("</ul></div>\n");
            }
            Family::NanweiVue => {
                let _ = writeln!(n, "<header class=\"nw-header\"><div class=\"nw-brand\"><img src=\"/images/guohui.png\" alt=\"国徽\" /><span class=\"site-name\">{}</span>{acc}</div>", s.name);
                n.push_str("<div role=\"navigation\" class=\"nw-nav\">\n");
                for (h, t) in &entries {
                    let _ = writeln!(n, "<a class=\"nav-item\" href=\"{h}\" data-title=\"{t}\"><span>{t}</span></a>");
                }
                n.push_str("</div></header>\n");
            }
            _ => {
                let _ = writeln!(
                    n,
                    "<div id=\"top\"><img src=\"/images/guohui.png\" alt=\"国徽\" /><b>{}</b> {acc}</div>",
                    s.name
                );
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

    pub(super) fn breadcrumb(&self, c: Option<&FCol>, last: Option<&str>) -> String {
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

    pub(super) fn platform_first_level(&self) -> Vec<&'a FCol> {
        let s = self.s();
        let mut v: Vec<&FCol> = s.columns.iter().filter(|c| c.place == Place::Platform && c.first_level).collect();
        if !s.has(Category::Statutory) {
            if let Some(p) = s.column(Category::Policy) {
                v.push(p);
            }
        }
        v
    }

    pub(super) fn container_children(&self) -> Vec<&'a FCol> {
        let s = self.s();
        let mut v: Vec<&FCol> = s.columns.iter().filter(|c| c.in_container).collect();
        if let Some(p) = s.column(Category::Policy) {
            v.insert(0, p);
        }
        v
    }

    /// The platform's column tree; children of the container nested under it on some sites.
    pub(super) fn tree(&self) -> String {
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

    pub(super) fn page(&self, title: &str, column: Option<&FCol>, meta: &str, body: String) -> String {
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

    pub(super) fn placeholder(&self) -> &'static str {
        match self.f() {
            Family::Trs => "<div class=\"no_data\">暂无信息</div>\n",
            Family::Phpcms => "<div class=\"empty\">暂无数据</div>\n",
            Family::NanweiVue => "<div class=\"el-empty\"><p class=\"el-empty__description\">暂无数据</p></div>\n",
            _ => "<p class=\"none\">没有记录</p>\n",
        }
    }

    pub(super) fn title_block(&self, name: &str) -> String {
        match self.f() {
            Family::Trs => format!("<div class=\"lm_tit\"><span>{name}</span></div>\n"),
            Family::Phpcms => format!("<h2 class=\"cat-title\">{name}</h2>\n"),
            Family::NanweiVue => format!("<h1 class=\"channel-title\">{name}</h1>\n"),
            _ => format!("<div class=\"jc-title\"><strong>{name}</strong></div>\n"),
        }
    }
}
