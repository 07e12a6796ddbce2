//! Holdout consultation boards: message lists, message details (label / value rows) and JEECMS reply pages.

use super::H;
use crate::families::common::{esc, iso};
use crate::families::model::*;
use crate::families::{jeeboard, Family};
use crate::model::{Item, ItemExtra};
use chrono::NaiveDate;
use std::fmt::Write;

impl<'a> H<'a> {
    pub(super) fn messages(&self, c: &FCol) -> String {
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

    pub(super) fn message_detail(&self, c: &FCol, it: &Item, posted: NaiveDate, replied: Option<NaiveDate>) -> String {
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
    pub(super) fn rows(&self, rows: &[(&str, String)]) -> String {
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

    /// JEECMS: a message's answer on its own page.
    pub(super) fn reply(&self, ci: usize, ii: usize) -> String {
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
}
