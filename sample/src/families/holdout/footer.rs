//! Holdout footers: the identity pieces in each family's markup, inline, in an iframe page or written by a script.

use super::{Part, H};
use crate::families::model::*;
use crate::families::Family;
use crate::gen::{BADGE_HOST, BADGE_SCRIPT_HOST, BEIAN_HOST, JIUCUO_HOST, POLICE_BEIAN_HOST};
use crate::model::Charset;
use std::fmt::Write;

impl<'a> H<'a> {
    pub(super) fn conac_js(&self) -> String {
        let code = &self.s().footer.conac_code;
        let mid = &code[9..17];
        format!(
            "document.write(unescape(\"%3Cspan id='_ideConac' %3E%3C/span%3E%3Cscript src='//{BADGE_SCRIPT_HOST}/js/{}/000/0000/{mid}/CA{code}.js' type='text/javascript'%3E%3C/script%3E\"));",
            &code[..2]
        )
    }

    pub(super) fn footer_parts(&self) -> Vec<Part> {
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
        let pieces = Pieces { beian, sponsor, contact, code, icp, police };
        self.identity_layout(&pieces, &mut v);
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

    /// The identity pieces laid out in the family's footer markup (label and value in separate cells on TRS).
    fn identity_layout(&self, pieces: &Pieces, v: &mut Vec<Part>) {
        let Pieces { beian, sponsor, contact, code, icp, police } = pieces;
        let s = self.s();
        let f = &s.footer;
        let fam = self.f();
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
    }

    pub(super) fn error_entry(&self) -> String {
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

    pub(super) fn parts_html(&self) -> String {
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

    pub(super) fn footer(&self) -> String {
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

    pub(super) fn footer_page(&self) -> String {
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

    pub(super) fn footer_js(&self) -> String {
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

/// The footer's identity pieces, printed in each family's own markup.
struct Pieces {
    beian: String,
    sponsor: Option<String>,
    contact: Option<(String, String)>,
    code: Option<(String, u8)>,
    icp: Option<String>,
    police: Option<String>,
}
