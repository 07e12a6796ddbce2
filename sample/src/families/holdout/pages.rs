//! Holdout pages: home, lists, articles, column pages (container, single text) and the platform index.

use super::H;
use crate::families::common::{esc, iso};
use crate::families::model::*;
use crate::families::{layout, Family};
use crate::gen::SPAM_HOST;
use crate::model::{Category, ColumnKind, Item, ItemExtra, Place, GUIDE_ELEMENTS};
use chrono::{Datelike, NaiveDate};
use std::fmt::Write;

impl<'a> H<'a> {
    pub(super) fn home_date(&self, d: NaiveDate, salt: u32, is_news: bool) -> String {
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

    pub(super) fn home(&self) -> String {
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

    pub(super) fn list(&self, ci: usize, page: usize) -> String {
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

    pub(super) fn article(&self, ci: usize, ii: usize) -> String {
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

    pub(super) fn column_page(&self, ci: usize) -> String {
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

    pub(super) fn single_text(&self, c: &FCol) -> String {
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

    pub(super) fn platform_index(&self) -> String {
        let s = self.s();
        let mut b = self.breadcrumb(None, Some("政府信息公开"));
        b.push_str(&self.title_block(&format!("{}政府信息公开", s.short)));
        b.push_str(&self.tree());
        self.page(&format!("{}政府信息公开", s.short), None, "", b)
    }
}
