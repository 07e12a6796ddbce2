//! Page chrome shared by the family renderers: head, navigation, footer (inline, iframe or script), message boards,
//! articles, single pages, the 政府信息公开 tree. Each family file supplies URL shapes and its list markup.

use super::model::*;
use super::{layout, Family};
use crate::gen::{BADGE_HOST, BADGE_SCRIPT_HOST, BEIAN_HOST, JIUCUO_HOST, POLICE_BEIAN_HOST, SPAM_HOST};
use crate::model::{Category, Charset, ColumnKind, Item, ItemExtra, Place, GUIDE_ELEMENTS};
use chrono::{Datelike, NaiveDate};
use std::fmt::Write;

pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

pub fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// Renderer of one site for one request.
pub struct R<'a> {
    pub s: &'a FSite,
    /// ":8080" or "".
    pub port: &'a str,
    /// Host of the page being rendered.
    pub here: &'a str,
    pub t0: NaiveDate,
}

/// One footer piece: HTML, or a JavaScript statement.
enum Part {
    Html(String),
    Js(String),
}

impl<'a> R<'a> {
    pub fn abs(&self, host: &str, path: &str) -> String {
        format!("http://{host}{}{path}", self.port)
    }
    /// Link from this page to `path` on `host`: relative when on the same host.
    pub fn l(&self, host: &str, path: &str) -> String {
        if host == self.here {
            path.to_string()
        } else {
            self.abs(host, path)
        }
    }
    pub fn home_href(&self) -> String {
        self.l(&self.s.host, &layout::home_path(self.s))
    }
    pub fn platform_href(&self) -> String {
        self.l(&self.s.plat.host, &layout::platform_path(self.s))
    }
    pub fn col_href(&self, c: &FCol) -> String {
        if c.kind == ColumnKind::Entry {
            let u = url::Url::parse(c.entry_target.as_deref().unwrap_or("http://invalid/")).unwrap();
            return self.abs(u.host_str().unwrap_or_default(), u.path());
        }
        let (h, _) = self.s.base(c.place);
        self.l(h, &layout::col_path(self.s, c, 0))
    }
    pub fn page_href(&self, c: &FCol, page: usize) -> String {
        let (h, _) = self.s.base(c.place);
        self.l(h, &layout::col_path(self.s, c, page))
    }
    pub fn art_href(&self, c: &FCol, it: &Item) -> String {
        let (h, _) = self.s.base(c.place);
        self.l(h, &layout::art_path(self.s, c, it))
    }

    pub fn date(&self, d: NaiveDate, salt: u32) -> String {
        self.s.date_fmt.format(d, salt)
    }

    pub fn head(&self, title: &str, column: Option<&str>, extra_meta: &str) -> String {
        let s = self.s;
        let charset = match s.charset {
            Charset::Utf8 => "<meta charset=\"utf-8\">\n",
            Charset::GbkMeta => "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\n",
            Charset::GbkHeader => "",
        };
        let doctype = if s.family == Family::AspTable {
            "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01 Transitional//EN\">\n<html>\n"
        } else {
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n"
        };
        let mut h = format!("{doctype}<head>\n{charset}<title>{}</title>\n", esc(title));
        if s.family != Family::AspTable {
            let _ = writeln!(h, "<meta name=\"SiteName\" content=\"{}\">", s.name);
            if let Some(c) = column {
                let _ = writeln!(h, "<meta name=\"ColumnName\" content=\"{}\">", esc(c));
            }
        }
        h.push_str(extra_meta);
        h.push_str("</head>\n<body>\n");
        h
    }

    /// Opening and closing wrappers of the seeded nesting depth (tables for the ASP family, divs otherwise).
    pub fn wrap(&self, inner: String) -> String {
        let mut open = String::new();
        let mut close = String::new();
        for i in 0..self.s.depth {
            if self.s.family == Family::AspTable {
                let _ = write!(
                    open,
                    "<table width=\"{}\" border=\"0\" cellspacing=\"0\" cellpadding=\"0\" align=\"center\"><tr><td>\n",
                    1000 - i * 10
                );
                close.insert_str(0, "</td></tr></table>\n");
            } else {
                let _ = writeln!(open, "<div class=\"{}-w{i}\">", self.s.cls);
                close.insert_str(0, "</div>\n");
            }
        }
        format!("{open}{inner}{close}")
    }

    pub fn header(&self) -> String {
        let s = self.s;
        // the national emblem (国徽法), named so that `design.emblem` finds it
        let mut h = format!(
            "<div class=\"{}-top\"><img src=\"/images/guohui.png\" alt=\"国徽\"><span class=\"sitename\">{}</span>",
            s.cls, s.name
        );
        if let Some(w) = s.accessibility {
            if self.here == s.host {
                let _ = write!(h, " <a href=\"javascript:void(0);\" id=\"cniil_wza\">{w}</a>");
            }
        }
        h.push_str("</div>\n");
        h
    }

    /// Main navigation: home, every main-site column, the 政府信息公开 platform.
    pub fn nav(&self) -> String {
        let s = self.s;
        let mut entries: Vec<(String, String)> = vec![(self.home_href(), "首　　页".into())];
        for c in s.columns.iter().filter(|c| c.place == Place::Main && c.first_level) {
            entries.push((self.col_href(c), c.name.clone()));
        }
        entries.push((self.platform_href(), "政府信息公开".into()));
        let mut n = String::new();
        match s.nav {
            NavStyle::Ul => {
                let _ = writeln!(n, "<div class=\"{}-nav\"><ul>", s.cls);
                for (href, name) in &entries {
                    let _ = writeln!(n, "<li><a href=\"{href}\">{name}</a></li>");
                }
                n.push_str("</ul></div>\n");
            }
            NavStyle::Div => {
                let _ = writeln!(n, "<div class=\"menu\" id=\"{}Menu\">", s.cls);
                for (href, name) in &entries {
                    let _ =
                        writeln!(n, "<div class=\"menu-item\"><a href=\"{href}\" target=\"_self\">{name}</a></div>");
                }
                n.push_str("</div>\n");
            }
            NavStyle::Table => {
                n.push_str(
                    "<table class=\"daohang\" width=\"100%\" border=\"0\" cellspacing=\"0\" cellpadding=\"0\"><tr>\n",
                );
                for (href, name) in &entries {
                    let _ = writeln!(
                        n,
                        "<td align=\"center\" class=\"nav_td\"><a href=\"{href}\" class=\"nav_a\">{name}</a></td>"
                    );
                }
                n.push_str("</tr></table>\n");
            }
            NavStyle::ImageMap => {
                n.push_str("<img src=\"/images/nav.gif\" width=\"1000\" height=\"40\" border=\"0\" usemap=\"#NavMap\" alt=\"\">\n<map name=\"NavMap\" id=\"NavMap\">\n");
                for (i, (href, name)) in entries.iter().enumerate() {
                    let _ = writeln!(
                        n,
                        "<area shape=\"rect\" coords=\"{},0,{},40\" href=\"{href}\" alt=\"{}\">",
                        i * 80,
                        i * 80 + 79,
                        name.replace('　', "")
                    );
                }
                n.push_str("</map>\n");
            }
        }
        n
    }

    pub fn breadcrumb(&self, c: Option<&FCol>) -> String {
        let mut b = format!("<div class=\"position\">当前位置：<a href=\"{}\">首页</a>", self.home_href());
        if let Some(c) = c {
            if c.place == Place::Platform {
                let _ = write!(b, " &gt; <a href=\"{}\">政府信息公开</a>", self.platform_href());
                if c.in_container {
                    if let Some(st) = self.s.column(Category::Statutory) {
                        let _ = write!(b, " &gt; <a href=\"{}\">{}</a>", self.col_href(st), st.name);
                    }
                }
            }
            let _ = write!(b, " &gt; <a href=\"{}\">{}</a>", self.col_href(c), c.name);
        }
        b.push_str("</div>\n");
        b
    }

    /// Columns shown at the platform's first level (and, with no container, the policy column).
    pub fn platform_first_level(&self) -> Vec<&'a FCol> {
        let s = self.s;
        let mut v: Vec<&FCol> = s.columns.iter().filter(|c| c.place == Place::Platform && c.first_level).collect();
        if !s.has(Category::Statutory) {
            if let Some(p) = s.column(Category::Policy) {
                v.push(p);
            }
        }
        v
    }

    /// Children of the 法定主动公开内容 container (and the policy column).
    pub fn container_children(&self) -> Vec<&'a FCol> {
        let s = self.s;
        let mut v: Vec<&FCol> = s.columns.iter().filter(|c| c.in_container).collect();
        if let Some(p) = s.column(Category::Policy) {
            v.insert(0, p);
        }
        v
    }

    /// The platform's column tree (first level; children of the container nested under it when `nested`).
    pub fn tree(&self, nested: bool) -> String {
        let mut h = String::from("<div class=\"xxgk-tree\"><ul>\n");
        for c in self.platform_first_level() {
            let _ = write!(h, "<li><a href=\"{}\">{}</a>", self.col_href(c), c.name);
            if nested && c.kind == ColumnKind::Container {
                h.push_str("<ul>");
                for sub in self.container_children() {
                    let _ = write!(h, "<li><a href=\"{}\">{}</a></li>", self.col_href(sub), sub.name);
                }
                h.push_str("</ul>");
            }
            h.push_str("</li>\n");
        }
        h.push_str("</ul></div>\n");
        h
    }

    fn conac_js(&self) -> String {
        let code = &self.s.footer.conac_code;
        let mid = &code[9..17];
        format!(
            "document.write(unescape(\"%3Cspan id='_ideConac' %3E%3C/span%3E%3Cscript src='//{BADGE_SCRIPT_HOST}/js/{}/000/0000/{mid}/CA{code}.js' type='text/javascript'%3E%3C/script%3E\"));",
            &code[..2]
        )
    }

    fn footer_parts(&self) -> Vec<Part> {
        let s = self.s;
        let f = &s.footer;
        let mut v = vec![];
        let mut p1 = String::from("<p class=\"ft1\">");
        if let Some((sp, split)) = &f.sponsor {
            if *split {
                let _ = write!(p1, "<span class=\"lbl\">主办单位：</span><span class=\"val\">{sp}</span> ");
            } else {
                let _ = write!(p1, "主办单位：{sp} ");
            }
            let _ = write!(p1, "承办单位：{}信息中心 ", s.short);
        }
        match f.contact {
            Some(0) => {
                let _ = write!(p1, " 联系电话：{}", f.phone);
            }
            Some(1) => {
                let _ = write!(p1, " 地址：{}人民路{}号", s.region.last().unwrap(), 10 + s.idx);
            }
            Some(_) => {
                let _ = write!(p1, " <a href=\"mailto:webmaster@{}\">联系我们</a>", s.host);
            }
            None => {}
        }
        p1.push_str("</p>");
        v.push(Part::Html(p1));
        let mut p2 = String::from("<p class=\"ft2\">");
        if let Some((code, var)) = &f.site_code {
            let _ = match var {
                0 => write!(p2, "网站标识码：{code} "),
                1 => write!(p2, "网站标识码{code} "),
                2 => write!(p2, "网站标识码 : {code} "),
                3 => write!(p2, "<span>政府网站标识码</span><span>{code}</span> "),
                _ => write!(p2, "政府网站标识码：{code} "),
            };
        }
        if let Some((printed, _, inside)) = &f.icp {
            let href = self.abs(BEIAN_HOST, "/");
            if *inside {
                let _ = write!(p2, " <a href=\"{href}\" target=\"_blank\">{printed}</a> ");
            } else {
                let _ = write!(p2, " <span>{printed}</span> <a href=\"{href}\" target=\"_blank\">备案查询</a> ");
            }
        }
        if let Some((printed, value)) = &f.police {
            let number = value.split('-').next().unwrap_or(value);
            let digits: String = number.chars().filter(|c| c.is_ascii_digit()).collect();
            let _ = write!(
                p2,
                " <a href=\"{}\" target=\"_blank\">{printed}</a>",
                self.abs(POLICE_BEIAN_HOST, &format!("/portal/registerSystemInfo?recordcode={digits}"))
            );
        }
        p2.push_str("</p>");
        v.push(Part::Html(p2));
        match f.badge {
            Some(true) => v.push(Part::Js(self.conac_js())),
            Some(false) => v.push(Part::Html(format!(
                "<p><a href=\"{}\" target=\"_blank\"><img src=\"/images/dzjg.png\" alt=\"党政机关\" border=\"0\"></a></p>",
                self.abs(BADGE_HOST, &format!("/sitename?method=show&id={}", f.conac_code))
            ))),
            None => {}
        }
        v
    }

    fn error_entry(&self) -> String {
        let s = self.s;
        let code = s.footer.site_code.as_ref().map(|c| c.0.clone()).unwrap_or_else(|| format!("44{:08}", s.idx));
        match s.footer.error_entry {
            Some(true) => format!(
                "<span id=\"_span_jiucuo\"></span><script id=\"_jiucuo_\" sitecode=\"{code}\" src=\"{}\"></script>\n",
                self.abs(JIUCUO_HOST, "/gov/jiucuo.js")
            ),
            Some(false) => format!(
                "<p><a href=\"{}\" target=\"_blank\">我为政府网站找错</a></p>\n",
                self.abs(JIUCUO_HOST, &format!("/check_web/errorInfo_querySiteInfo.action?sitecode={code}"))
            ),
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

    /// The footer as placed on a page (inline, iframe or script), plus the 找错 entry.
    pub fn footer(&self) -> String {
        let s = self.s;
        let mut o = format!("<div class=\"{}-footer\">\n", s.cls);
        match s.footer.mode {
            FooterMode::Inline => o.push_str(&self.parts_html()),
            FooterMode::Iframe => {
                let _ = writeln!(
                    o,
                    "<iframe src=\"{}\" width=\"100%\" height=\"150\" frameborder=\"0\" scrolling=\"no\"></iframe>",
                    self.l(&s.host, "/footer.html")
                );
            }
            FooterMode::Script => {
                let _ = writeln!(
                    o,
                    "<script type=\"text/javascript\" src=\"{}\"></script>",
                    self.l(&s.host, "/js/footer.js")
                );
            }
        }
        o.push_str(&self.error_entry());
        o.push_str("</div>\n");
        o
    }

    pub fn footer_page(&self) -> String {
        let charset = match self.s.charset {
            Charset::GbkMeta => "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\">",
            Charset::Utf8 => "<meta charset=\"utf-8\">",
            Charset::GbkHeader => "",
        };
        format!(
            "<!DOCTYPE html><html><head>{charset}<title>footer</title></head><body>\n{}</body></html>\n",
            self.parts_html()
        )
    }

    pub fn footer_js(&self) -> String {
        let mut js = String::from("// 网站底部\n");
        for p in self.footer_parts() {
            match p {
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

    /// Generic list item.
    pub fn item_li(&self, c: &FCol, it: &Item) -> String {
        let date = it.date.map(|d| format!("<span class=\"date\">{}</span>", self.date(d, it.id))).unwrap_or_default();
        format!(
            "<li><a href=\"{}\" title=\"{}\" target=\"_blank\">{}</a>{date}</li>\n",
            self.art_href(c, it),
            esc(&it.title),
            esc(&it.title)
        )
    }

    /// Items of list page `page`.
    pub fn page_items(&self, c: &'a FCol, page: usize) -> &'a [Item] {
        let ps = self.s.page_size;
        let start = (page * ps).min(c.items.len());
        &c.items[start..(start + ps).min(c.items.len())]
    }

    /// Generic 上一页 / 下一页 pager.
    pub fn pager(&self, c: &FCol, page: usize) -> String {
        let pages = layout::list_pages(self.s, c);
        if pages <= 1 {
            return String::new();
        }
        let mut h = format!("<div class=\"page\">共{}条 第{}/{}页 ", c.items.len(), page + 1, pages);
        if page > 0 {
            let _ = write!(
                h,
                "<a href=\"{}\">首页</a> <a href=\"{}\">上一页</a> ",
                self.page_href(c, 0),
                self.page_href(c, page - 1)
            );
        }
        if page + 1 < pages {
            let _ = write!(
                h,
                "<a href=\"{}\">下一页</a> <a href=\"{}\">尾页</a>",
                self.page_href(c, page + 1),
                self.page_href(c, pages - 1)
            );
        }
        h.push_str("</div>\n");
        h
    }

    /// A message board list: title links to each message's detail page; dates on the row or only on the detail.
    pub fn messages(&self, c: &FCol) -> String {
        let on_list = self.s.msg_dates_on_list;
        if self.s.family == Family::MessageBoard && self.s.depth != 2 {
            // A board as a list of blocks: title, status, and (on some boards) 留言时间 / 答复时间.
            let mut h = format!("<ul class=\"{}-xj\">\n", self.s.cls);
            for it in &c.items {
                if let ItemExtra::Message { posted, replied } = &it.extra {
                    let _ = write!(
                        h,
                        "<li><p class=\"xj-bt\"><a href=\"{}\">{}</a></p><p class=\"xj-zt\">{}</p>",
                        self.art_href(c, it),
                        esc(&it.title),
                        if replied.is_some() { "已答复" } else { "待答复" }
                    );
                    if on_list {
                        let _ = write!(h, "<p class=\"xj-sj\">留言时间：{}</p>", iso(*posted));
                        if let Some(r) = replied {
                            let _ = write!(h, "<p class=\"xj-sj\">答复时间：{}</p>", iso(*r));
                        }
                    }
                    h.push_str("</li>\n");
                }
            }
            h.push_str("</ul>\n");
            return h;
        }
        let mut h = String::from("<table class=\"xjlist\" width=\"100%\">\n<tr><th>信件标题</th>");
        if on_list {
            h.push_str("<th>留言时间</th>");
        }
        h.push_str("<th>办理状态</th>");
        if on_list {
            h.push_str("<th>回复时间</th>");
        }
        h.push_str("</tr>\n");
        for it in &c.items {
            if let ItemExtra::Message { posted, replied } = &it.extra {
                let _ = write!(
                    h,
                    "<tr><td><a href=\"{}\" target=\"_blank\">{}</a></td>",
                    self.art_href(c, it),
                    esc(&it.title)
                );
                if on_list {
                    let _ = write!(h, "<td>{}</td>", iso(*posted));
                }
                let _ = write!(h, "<td>{}</td>", if replied.is_some() { "已回复" } else { "办理中" });
                if on_list {
                    let _ = write!(h, "<td>{}</td>", replied.map(iso).unwrap_or_default());
                }
                h.push_str("</tr>\n");
            }
        }
        h.push_str("</table>\n");
        h
    }

    fn page(&self, title: &str, column: Option<&FCol>, meta: &str, body: String) -> String {
        let mut h = self.head(title, column.map(|c| c.name.as_str()), meta);
        let mut inner = self.header();
        inner.push_str(&self.nav());
        inner.push_str(&body);
        inner.push_str(&self.footer());
        h.push_str(&self.wrap(inner));
        h.push_str("</body>\n</html>\n");
        h
    }

    pub fn home(&self) -> String {
        let s = self.s;
        let mut b = String::new();
        if s.search {
            let _ = writeln!(b, "<div class=\"search\"><form action=\"/search/index.html\" method=\"get\" name=\"searchform\"><input type=\"text\" name=\"keyword\" placeholder=\"请输入关键字\"><input type=\"submit\" value=\"搜索\"></form></div>");
        }
        let news = s.columns.iter().find(|c| c.category == Category::News);
        let blocks =
            [(news, 6usize, true), (s.column(Category::Notice), 6, false), (s.column(Category::Policy), 5, false)];
        for (c, n, is_news) in blocks {
            let Some(c) = c else { continue };
            let _ = writeln!(b, "<div class=\"block\"><div class=\"bt\"><span>{}</span><a class=\"more\" href=\"{}\">更多&gt;&gt;</a></div>", c.name, self.col_href(c));
            if s.family == Family::AspTable {
                b.push_str("<table width=\"100%\" border=\"0\" cellspacing=\"0\" cellpadding=\"0\">\n");
                for it in c.items.iter().take(n) {
                    let date = it.date.map(|d| self.home_date(d, it.id, is_news)).unwrap_or_default();
                    let _ = writeln!(b, "<tr><td height=\"24\">·<a href=\"{}\" target=\"_blank\">{}</a></td><td align=\"right\">{date}</td></tr>", self.art_href(c, it), esc(&it.title));
                }
                b.push_str("</table></div>\n");
            } else {
                b.push_str("<ul>\n");
                for it in c.items.iter().take(n) {
                    let date = it
                        .date
                        .map(|d| format!("<span>{}</span>", self.home_date(d, it.id, is_news)))
                        .unwrap_or_default();
                    let _ = writeln!(
                        b,
                        "<li><a href=\"{}\" target=\"_blank\">{}</a>{date}</li>",
                        self.art_href(c, it),
                        esc(&it.title)
                    );
                }
                b.push_str("</ul></div>\n");
            }
        }
        if let Some(sv) = s.column(Category::Service) {
            let _ = writeln!(
                b,
                "<div class=\"block kjrk\"><a class=\"bsfw\" href=\"{}\" target=\"_blank\">{}</a></div>",
                self.col_href(sv),
                sv.name
            );
        }
        if !s.broken_home.is_empty() {
            b.push_str("<div class=\"block zt\"><div class=\"bt\"><span>专题专栏</span></div><ul>\n");
            for (k, p) in s.broken_home.iter().enumerate() {
                let _ = writeln!(b, "<li><a href=\"{p}\">往期专题{}</a></li>", k + 1);
            }
            b.push_str("</ul></div>\n");
        }
        if s.spam {
            let spam = self.abs(SPAM_HOST, "/");
            let _ = writeln!(b, "<div style=\"position:absolute;left:-9999px;top:-9999px\"><a href=\"{spam}\">澳门娱乐城</a> <a href=\"{spam}\">真人视讯百家乐</a></div>");
        }
        self.page(&s.name, None, "", b)
    }

    fn home_date(&self, d: NaiveDate, salt: u32, is_news: bool) -> String {
        if is_news && self.s.home_bracket {
            format!("[{}]", d.format("%m-%d"))
        } else {
            self.date(d, salt)
        }
    }

    pub fn list(&self, ci: usize, page: usize) -> String {
        let s = self.s;
        let c = &s.columns[ci];
        let mut b = self.breadcrumb(Some(c));
        if c.place == Place::Platform {
            b.push_str(&self.tree(s.family == Family::Gkmlpt));
        }
        let _ = writeln!(b, "<div class=\"column\"><div class=\"lm-title\">{}</div>", c.name);
        if c.placeholder && s.family != Family::Gkmlpt {
            b.push_str("<div class=\"nodata\">暂无信息</div>\n");
        } else if c.category == Category::Consultation {
            b.push_str(&self.messages(c));
        } else {
            b.push_str(&layout::list_body(self, c, page));
        }
        b.push_str("</div>\n");
        self.page(&format!("{}_{}", c.name, s.name), Some(c), "", b)
    }

    pub fn article(&self, ci: usize, ii: usize) -> String {
        let s = self.s;
        let c = &s.columns[ci];
        let it = &c.items[ii];
        let mut meta = format!("<meta name=\"ArticleTitle\" content=\"{}\">\n", esc(&it.title));
        if let (Some(d), false) = (it.date, s.family == Family::AspTable) {
            let _ =
                writeln!(meta, "<meta name=\"PubDate\" content=\"{} {:02}:{:02}\">", iso(d), 8 + it.id % 9, it.id % 60);
        }
        let mut b = self.breadcrumb(Some(c));
        b.push_str("<div class=\"article\">\n");
        if let Some(doc) = &it.doc {
            let d = it.date.unwrap();
            let _ = writeln!(
                b,
                "<table class=\"xxgk-info\"><tr><td>索引号：</td><td>{}/{}-{:05}</td><td>发布机构：</td><td>{}</td></tr>\n<tr><td>成文日期：</td><td>{}</td><td>发布日期：</td><td>{}</td></tr>\n<tr><td>文号：</td><td>{}</td><td>主题分类：</td><td>综合政务</td></tr></table>",
                s.footer.conac_code[9..17].to_string(),
                d.year(),
                it.id % 100_000,
                s.short,
                iso(doc.written),
                iso(d),
                doc.number
            );
        }
        let _ = writeln!(b, "<h1>{}</h1>", esc(&it.title));
        match &it.extra {
            ItemExtra::Message { posted, replied } => {
                let _ = writeln!(b, "<table class=\"msg\"><tr><td>留言时间：</td><td>{}</td></tr>", iso(*posted));
                let _ = writeln!(
                    b,
                    "<tr><td>留言内容：</td><td>您好，想咨询一下{}方面的政策，谢谢。</td></tr>",
                    it.title.trim_start_matches("关于").trim_end_matches("的咨询")
                );
                match replied {
                    Some(r) => {
                        let label = if it.id % 2 == 0 { "回复时间" } else { "答复时间" };
                        let _ = writeln!(b, "<tr><td>回复单位：</td><td>{}</td></tr><tr><td>{label}：</td><td>{}</td></tr><tr><td>回复内容：</td><td>您好，您反映的问题已收悉，现答复如下：相关工作正在有序推进，感谢您的关注。</td></tr>", s.short, iso(*r));
                    }
                    None => b.push_str("<tr><td>办理状态：</td><td>办理中</td></tr>\n"),
                }
                b.push_str("</table>\n");
            }
            _ => {
                if let Some(d) = it.date {
                    let _ = writeln!(b, "<div class=\"info\">发布日期：{}　来源：{}</div>", iso(d), s.short);
                }
                let _ = writeln!(b, "<div class=\"content\"><p>为深入贯彻落实上级有关决策部署，{}认真组织开展相关工作，现将有关情况公开如下。</p>", s.short);
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
                    let _ = writeln!(b, "<p>附件{}：<a href=\"{l}\">相关材料{}</a></p>", k + 1, k + 1);
                }
                b.push_str("</div>\n");
            }
        }
        b.push_str("</div>\n");
        self.page(&format!("{}_{}", it.title, s.name), Some(c), &meta, b)
    }

    pub fn column_page(&self, ci: usize) -> String {
        let s = self.s;
        let c = &s.columns[ci];
        let mut b = self.breadcrumb(Some(c));
        if c.place == Place::Platform {
            b.push_str(&self.tree(s.family == Family::Gkmlpt));
        }
        let _ = writeln!(b, "<div class=\"column\"><div class=\"lm-title\">{}</div>", c.name);
        if c.placeholder {
            b.push_str("<div class=\"nodata\">暂无信息</div>\n");
        } else if c.kind == ColumnKind::Container {
            b.push_str("<ul class=\"fdzdgk\">\n");
            for sub in self.container_children() {
                let _ = writeln!(b, "<li><a href=\"{}\">{}</a></li>", self.col_href(sub), sub.name);
            }
            b.push_str("</ul>\n");
        } else {
            b.push_str(&self.single_text(c));
        }
        b.push_str("</div>\n");
        self.page(&format!("{}_{}", c.name, s.name), Some(c), "", b)
    }

    fn single_text(&self, c: &FCol) -> String {
        let s = self.s;
        match c.category {
            Category::Guide => {
                let mut t = String::from("<div class=\"content\"><p>为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。</p>\n");
                for e in 0..GUIDE_ELEMENTS.len() {
                    if s.guide_missing.contains(&e) {
                        continue;
                    }
                    let line = match e {
                        0 => "<p>一、主动公开的信息分类：机构职能、政策文件、规划计划、统计信息、财政预决算等。</p>".to_string(),
                        1 => "<p>二、编排体系：按照主题与体裁相结合的方式编排。</p>".to_string(),
                        2 => "<p>三、获取方式：通过本网站、政务公开专区、新闻发布会等途径获取。</p>".to_string(),
                        3 => format!("<p>办公地址：{}人民路{}号</p>", s.region.last().unwrap(), 100 + s.idx),
                        4 => "<p>办公时间：工作日上午9:00—12:00，下午14:00—17:30（法定节假日除外）</p>".to_string(),
                        5 => format!("<p>联系电话：{}</p>", s.footer.phone),
                        6 => format!("<p>传真：{}1</p>", &s.footer.phone[..s.footer.phone.len() - 1]),
                        _ => format!("<p>电子邮箱：xxgk@{}</p>", s.host),
                    };
                    t.push_str(&line);
                    t.push('\n');
                }
                t.push_str("</div>\n");
                t
            }
            Category::System => "<div class=\"content\"><p>政府信息公开保密审查制度、政府信息主动公开制度、依申请公开工作制度。</p></div>\n".into(),
            Category::Application => "<div class=\"content\"><p>公民、法人或者其他组织可以通过信函、当面、网上提交等方式向本机关申请获取政府信息。</p></div>\n".into(),
            Category::Overview => format!("<div class=\"content\"><p>{}位于{}，辖区面积约一千二百平方公里。</p></div>\n", s.short, FPROVINCE),
            Category::Functions => format!("<div class=\"content\"><p>{}的主要职责：贯彻执行国家和省、市有关方针政策和法律法规。内设机构：办公室、政策法规科、综合业务科。</p></div>\n", s.short),
            Category::Leaders => "<div class=\"content\"><p>主要负责人：王某某，主持全面工作。副职：李某某，分管业务工作。</p></div>\n".into(),
            _ => "<div class=\"content\"><p>本栏目内容持续更新。</p></div>\n".into(),
        }
    }

    pub fn platform_index(&self) -> String {
        let s = self.s;
        let mut b = self.breadcrumb(None);
        let _ = writeln!(b, "<div class=\"xxgk-title\">{}政府信息公开</div>", s.short);
        if s.family == Family::Gkmlpt {
            let _ = writeln!(b, "<div id=\"app\"></div><script>window._CONFIG = {{\"SID\": \"{}\", \"API_BASE\": \"/gkmlpt/api/all/\"}};</script>", s.sid);
        }
        b.push_str(&self.tree(s.family == Family::Gkmlpt));
        self.page(&format!("政府信息公开_{}", s.name), None, "", b)
    }
}
