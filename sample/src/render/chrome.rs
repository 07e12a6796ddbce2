//! Page chrome of the hand-crafted sites: links, head, navigation, breadcrumb, footer (inline, iframe or script),
//! list items.

use super::{esc, link, Renderer};
use crate::gen::*;
use crate::model::*;
use chrono::NaiveDate;
use std::fmt::Write;

impl Renderer<'_> {
    pub(super) fn l(&self, to_host: &str, path: &str) -> String {
        link(&self.ctx, self.here, to_host, path)
    }
    pub(super) fn home_link(&self) -> String {
        let p = if self.s.redirects.iter().any(|(f, _)| f == "/index.htm") { "/index.htm" } else { "/" };
        self.l(&self.s.host, p)
    }
    pub(super) fn col_link(&self, c: &Column) -> String {
        if c.kind == ColumnKind::Entry {
            let t = c.entry_target.as_deref().unwrap_or("/");
            let u = url::Url::parse(t).unwrap();
            return self.ctx.abs(u.host_str().unwrap(), u.path());
        }
        let (h, _) = self.s.base(c.place);
        // One site links its notice column through an old URL that redirects.
        if c.category == Category::Notice
            && self.s.redirects.iter().any(|(f, _)| f == "/old/tzgg/")
            && self.s.style != CmsStyle::Hanweb
        {
            return self.l(h, "/old/tzgg/");
        }
        self.l(h, &self.s.col_path(c))
    }
    pub(super) fn art_link(&self, c: &Column, it: &Item) -> String {
        let (h, _) = self.s.base(c.place);
        self.l(h, &self.s.article_path(c, it))
    }
    pub(super) fn platform_link(&self) -> String {
        self.l(&self.s.platform.host, &self.s.platform_path())
    }

    pub(super) fn head(&self, title: &str, column: Option<&str>, extra_meta: &str) -> String {
        let s = self.s;
        let charset = match s.charset {
            Charset::Utf8 => "<meta charset=\"utf-8\">\n",
            Charset::GbkMeta => "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\">\n",
            Charset::GbkHeader => "",
        };
        let mut h = format!("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n{charset}<title>{}</title>\n", esc(title));
        let _ = writeln!(h, "<meta name=\"SiteName\" content=\"{}\">", s.name);
        let _ = writeln!(h, "<meta name=\"SiteDomain\" content=\"{}\">", s.host);
        if let Some(code) = &s.footer.site_code {
            let _ = writeln!(h, "<meta name=\"SiteIDCode\" content=\"{code}\">");
        }
        if let Some(c) = column {
            let _ = writeln!(h, "<meta name=\"ColumnName\" content=\"{}\">", esc(c));
        }
        h.push_str(extra_meta);
        // design.emblem: a text-only header links no stylesheet (nothing could draw the emblem as a background)
        if s.emblem != EmblemShow::None {
            h.push_str("<link rel=\"stylesheet\" href=\"/css/style.css\">\n");
        }
        h.push_str("</head>\n<body>\n");
        let emblem = if s.emblem == EmblemShow::Named { "<img src=\"/images/guohui.png\" alt=\"国徽\">" } else { "" };
        if s.emblem == EmblemShow::None {
            let _ = writeln!(h, "<div class=\"header\"><a href=\"{}\">{}</a></div>", self.home_link(), s.name);
        } else {
            let _ = writeln!(
                h,
                "<div class=\"header\">{emblem}<a href=\"{}\"><img src=\"/images/logo.png\" alt=\"{}\"></a></div>",
                self.home_link(),
                s.name
            );
        }
        h
    }

    /// Main navigation: the first-level columns of the main site.
    pub(super) fn nav(&self) -> String {
        let s = self.s;
        let mut n = String::from("<div class=\"nav\"><ul>\n");
        let _ = writeln!(n, "<li><a href=\"{}\">首　　页</a></li>", self.home_link());
        for c in s.columns.iter().filter(|c| c.first_level && c.place == Place::Main) {
            let _ = writeln!(n, "<li><a href=\"{}\">{}</a></li>", self.col_link(c), c.name);
        }
        let _ = writeln!(n, "<li><a href=\"{}\">政府信息公开</a></li>", self.platform_link());
        n.push_str("</ul></div>\n");
        n
    }

    pub(super) fn breadcrumb(&self, c: Option<&Column>) -> String {
        let mut b = format!("<div class=\"position\">当前位置：<a href=\"{}\">首页</a>", self.home_link());
        if let Some(c) = c {
            if c.place == Place::Platform {
                let _ = write!(b, " &gt; <a href=\"{}\">政府信息公开</a>", self.platform_link());
            } else {
                b.push_str(" &gt; 政务公开");
            }
            let _ = write!(b, " &gt; <a href=\"{}\">{}</a>", self.col_link(c), c.name);
        }
        b.push_str("</div>\n");
        b
    }

    pub fn footer_html(&self) -> String {
        let s = self.s;
        let f = &s.footer;
        let ctx = &self.ctx;
        let mut o = String::from("<div class=\"footer\">\n");
        if f.in_iframe && self.here != "__footer__" {
            let _ = writeln!(
                o,
                "<iframe src=\"{}\" width=\"100%\" height=\"160\" frameborder=\"0\" scrolling=\"no\"></iframe>",
                self.l(&s.host, "/footer.html")
            );
            o.push_str(&self.error_entry_html());
            o.push_str("</div>\n");
            return o;
        }
        if f.by_script && self.here != "__script__" {
            let _ =
                writeln!(o, "<script type=\"text/javascript\" src=\"{}\"></script>", self.l(&s.host, "/js/footer.js"));
            o.push_str(&self.error_entry_html());
            o.push_str("</div>\n");
            return o;
        }
        let v = f.variant;
        o.push_str("<p>");
        if let Some(sp) = &f.sponsor {
            let _ = write!(o, "主办单位：{sp}　");
        }
        if f.contact {
            match v % 2 {
                0 => {
                    let _ =
                        write!(o, "联系电话：0838-{}　地址：{}人民路{}号", 2_200_000 + s.idx * 1117, CITY, 10 + s.idx);
                }
                _ => {
                    let _ = write!(o, "<a href=\"mailto:webmaster@{}\">联系我们</a>", s.host);
                }
            }
        }
        o.push_str("</p>\n<p>");
        if let Some(code) = &f.site_code {
            match v {
                1 => {
                    let _ = write!(o, "<span>政府网站标识码</span><span>{code}</span>　");
                }
                2 => {
                    let _ = write!(o, "网站标识码{code}　");
                }
                3 => {
                    let _ = write!(o, "网站标识码 : {code}　");
                }
                _ => {
                    let _ = write!(o, "网站标识码：{code}　");
                }
            }
        }
        if let Some(icp) = &f.icp {
            let printed = match v {
                1 => icp.replacen("备", "备 ", 1),
                2 => icp.split('号').next().unwrap().to_string(),
                3 => icp.replacen("备", "备<br>", 1),
                _ => icp.clone(),
            };
            let _ = write!(o, "<a href=\"{}\" target=\"_blank\">{printed}</a>　", ctx.abs(BEIAN_HOST, "/"));
        }
        if let Some(police) = &f.police {
            let digits: String = police.chars().filter(|c| c.is_ascii_digit()).collect();
            let printed = match v {
                1 => format!("公安机关备案号：{}-{}", &digits[..11], &digits[9..14]),
                2 => police.replacen("备", "备 ", 1),
                _ => police.clone(),
            };
            let _ = write!(
                o,
                "<a href=\"{}\" target=\"_blank\"><img src=\"/images/ga.png\" alt=\"\">{printed}</a>",
                ctx.abs(POLICE_BEIAN_HOST, &format!("/portal/registerSystemInfo?recordcode={digits}"))
            );
        }
        o.push_str("</p>\n");
        if f.badge {
            if f.badge_by_script {
                let _ = writeln!(
                    o,
                    "<span id=\"_ideConac\"></span><script type=\"text/javascript\" src=\"{}\"></script>",
                    ctx.abs(BADGE_SCRIPT_HOST, &format!("/js/51/000/0000/{}/CA{}.js", s.site_code(), s.site_code()))
                );
            } else {
                let _ = writeln!(
                    o,
                    "<p><a href=\"{}\" target=\"_blank\"><img src=\"/images/dzjg.png\" alt=\"党政机关\"></a></p>",
                    ctx.abs(BADGE_HOST, &format!("/sitename?method=show&id={}", s.site_code()))
                );
            }
        }
        if self.here != "__footer__" && self.here != "__script__" {
            o.push_str(&self.error_entry_html());
        }
        o.push_str("</div>\n");
        o
    }

    pub(super) fn error_entry_html(&self) -> String {
        let s = self.s;
        if !s.error_entry {
            return String::new();
        }
        if s.error_entry_script {
            format!(
                "<span id=\"_span_jiucuo\"></span><script id=\"_jiucuo_\" sitecode=\"{}\" src=\"{}\"></script>\n",
                s.site_code(),
                self.ctx.abs(JIUCUO_HOST, "/gov/jiucuo.js")
            )
        } else {
            format!(
                "<p><a href=\"{}\" target=\"_blank\">我为政府网站找错</a></p>\n",
                self.ctx
                    .abs(JIUCUO_HOST, &format!("/check_web/errorInfo_querySiteInfo.action?sitecode={}", s.site_code()))
            )
        }
    }

    pub(super) fn tail(&self) -> String {
        format!("{}</body>\n</html>\n", self.footer_html())
    }

    pub(super) fn date_text(&self, d: NaiveDate) -> String {
        self.s.date_style.format(d)
    }

    pub(super) fn item_li(&self, c: &Column, it: &Item, home_news: bool) -> String {
        let href = self.art_link(c, it);
        let date = match it.date {
            None => String::new(),
            Some(d) if home_news && self.s.date_style == DateStyle::Bracket => {
                format!("<span class=\"date\">[{}]</span>", d.format("%m-%d"))
            }
            Some(d) => format!("<span class=\"date\">{}</span>", self.date_text(d)),
        };
        format!(
            "<li><a href=\"{href}\" title=\"{}\" target=\"_blank\">{}</a>{date}</li>\n",
            esc(&it.title),
            esc(&it.title)
        )
    }
}
