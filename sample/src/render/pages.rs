//! The pages of a hand-crafted site: home, lists (TRS, Hanweb, plain), articles, single pages, the platform index,
//! script-only JSON, the Hanweb dataproxy, the calendar trap and the 信访 page.

use super::{esc, fmt_iso, Ctx, Renderer};
use crate::gen::*;
use crate::model::*;
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;
use std::fmt::Write;

impl Renderer<'_> {
    pub fn home(&self) -> String {
        let s = self.s;
        let mut h = self.head(&s.name, None, "");
        if s.search {
            h.push_str("<div class=\"search\"><form action=\"/search/\" method=\"get\" name=\"searchform\"><input type=\"text\" name=\"q\" placeholder=\"请输入关键字\"><input type=\"submit\" value=\"搜索\"></form><a href=\"/search/advanced.html\">高级搜索</a></div>\n");
        }
        if s.accessibility {
            h.push_str("<div class=\"tools\"><a href=\"javascript:void(0);\" id=\"cniil_wza\">无障碍</a> <a href=\"javascript:void(0);\" onclick=\"elder()\">长者模式</a></div>\n");
        }
        h.push_str(&self.nav());
        // Blocks of the newest items of news, notice and policy.
        for (cat, title, n) in
            [(Category::News, "news", 6), (Category::Notice, "notice", 6), (Category::Policy, "policy", 5)]
        {
            if let Some(c) = s.column(cat) {
                let _ = writeln!(h, "<div class=\"block {title}\"><div class=\"bt\"><span>{}</span><a class=\"more\" href=\"{}\">更多&gt;&gt;</a></div><ul>", c.name, self.col_link(c));
                for it in c.items.iter().take(n) {
                    h.push_str(&self.item_li(c, it, cat == Category::News));
                }
                h.push_str("</ul></div>\n");
            }
        }
        // Other columns of the main site reached from the home page body.
        h.push_str("<div class=\"block links\"><ul>\n");
        for c in s.columns.iter().filter(|c| !c.first_level && c.place == Place::Main) {
            let _ = writeln!(h, "<li><a href=\"{}\">{}</a></li>", self.col_link(c), c.name);
        }
        if s.petition_link {
            h.push_str("<li><a href=\"/wsxf/\">网上信访</a></li>\n");
        }
        if s.calendar_trap {
            let _ = writeln!(h, "<li><a href=\"/calendar/?month={}\">活动日历</a></li>", self.ctx.t0.format("%Y-%m"));
        }
        h.push_str("<li><a href=\"/admin/login.jsp\">后台管理</a></li>\n");
        h.push_str("</ul></div>\n");
        if !s.broken_home.is_empty() {
            h.push_str("<div class=\"block zt\"><div class=\"bt\"><span>专题专栏</span></div><ul>\n");
            for (k, b) in s.broken_home.iter().enumerate() {
                let _ = writeln!(h, "<li><a href=\"{b}\">2019年专题{}</a></li>", k + 1);
            }
            h.push_str("</ul></div>\n");
        }
        if s.partner_links {
            let _ = writeln!(
                h,
                "<div class=\"block yqlj\"><span>友情链接：</span><a href=\"{}\">临江旅游网</a> \
                 <a href=\"{}\">临江文旅</a> <a href=\"{}\">临江日报</a></div>",
                self.ctx.abs(EXPIRED_PARTNER_HOST, "/"),
                self.ctx.abs(PARTNER_HOST, "/"),
                self.ctx.abs(NEWS_HOST, NEWS_PATH),
            );
        }
        if s.spam_link {
            let spam = self.ctx.abs(SPAM_HOST, "/");
            let _ = writeln!(
                h,
                "<div style=\"display:none\"><a href=\"{spam}\">澳门娱乐城</a> <a href=\"{spam}\">真人视讯</a></div>"
            );
        }
        h.push_str(&self.tail());
        h
    }

    pub fn footer_page(&self) -> String {
        let r = Renderer { s: self.s, ctx: Ctx { port: self.ctx.port, t0: self.ctx.t0 }, here: "__footer__" };
        let charset = if self.s.charset == Charset::GbkMeta {
            "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\">"
        } else {
            ""
        };
        format!(
            "<!DOCTYPE html><html><head>{charset}<title>footer</title></head><body>\n{}</body></html>\n",
            r.footer_html()
        )
    }

    /// The footer as a script of `document.write` calls (single-quoted strings; the HTML uses double quotes).
    pub fn footer_js(&self) -> String {
        let r = Renderer { s: self.s, ctx: Ctx { port: self.ctx.port, t0: self.ctx.t0 }, here: "__script__" };
        let mut js = String::from("// 网站底部信息\n");
        for line in r.footer_html().lines() {
            let _ = writeln!(js, "document.write('{}');", line.replace('\\', "\\\\").replace('\'', "\\'"));
        }
        js
    }

    pub fn list(&self, ci: usize, page: usize) -> String {
        let s = self.s;
        let c = &s.columns[ci];
        let mut h = self.head(&format!("{}_{}", c.name, s.name), Some(&c.name), "");
        h.push_str(&self.nav());
        h.push_str(&self.breadcrumb(Some(c)));
        let _ = writeln!(h, "<div class=\"column\"><h2>{}</h2>", c.name);
        if c.placeholder {
            h.push_str("<div class=\"nodata\">暂无信息</div>\n");
        } else if c.category == Category::Consultation {
            h.push_str(&self.messages(c));
        } else {
            match s.style {
                CmsStyle::Hanweb => h.push_str(&self.hanweb_list(c)),
                _ => {
                    h.push_str("<ul class=\"list\">\n");
                    let ps = s.page_size;
                    for it in c.items.iter().skip(page * ps).take(ps) {
                        h.push_str(&self.item_li(c, it, false));
                    }
                    h.push_str("</ul>\n");
                    let pages = s.list_pages(c);
                    if pages > 1 {
                        if s.style == CmsStyle::Trs {
                            let _ = writeln!(h, "<div class=\"page\"><script type=\"text/javascript\">createPageHTML({pages}, {page}, \"index\", \"html\");</script></div>");
                        } else {
                            h.push_str("<div class=\"page\">");
                            if page > 0 {
                                let prev =
                                    if page == 1 { "list.html".to_string() } else { format!("list_{page}.html") };
                                let prev = if page == 1 { s.col_dir(c) } else { format!("{}{prev}", s.col_dir(c)) };
                                let _ = write!(h, "<a href=\"{prev}\">上一页</a> ");
                            }
                            if page + 1 < pages {
                                let _ = write!(h, "<a href=\"{}\">下一页</a>", s.list_page_path(c, page + 1));
                            }
                            h.push_str("</div>\n");
                        }
                    }
                }
            }
        }
        h.push_str("</div>\n");
        h.push_str(&self.tail());
        h
    }

    fn hanweb_list(&self, c: &Column) -> String {
        let mut h = format!("<div id=\"{}\"><script type=\"text/xml\"><datastore>\n<nextgroup><![CDATA[<a href=\"/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=1&path=/&columnid={}&unitid=1&permissiontype=0\"></a>]]></nextgroup>\n<recordset>\n", 28000 + c.cid, c.cid);
        for it in &c.items {
            let _ = writeln!(h, "<record><![CDATA[\n{}]]></record>", self.item_li(c, it, false).trim_end());
        }
        let (_, prefix) = self.s.base(c.place);
        let _ = writeln!(
            h,
            "</recordset>\n</datastore></script></div>\n<script language=\"javascript\" src=\"/module/jslib/jquery/jpage/dataproxy.js\" proxyUrl=\"{prefix}module/web/jpage/dataproxy.jsp\" startrecord=\"1\" endrecord=\"45\" perpage=\"15\" totalrecord=\"{}\" columnid=\"{}\"></script>",
            c.items.len(),
            c.cid
        );
        h
    }

    /// Dataproxy answer: the records of `columnid` between startrecord and endrecord (1-based).
    pub fn dataproxy(&self, query: &str) -> Option<String> {
        let q: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        let cid: u32 = q.get("columnid")?.parse().ok()?;
        let c = self.s.columns.iter().find(|c| c.cid == cid)?;
        let start: usize = q.get("startrecord").and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
        let end: usize = q.get("endrecord").and_then(|v| v.parse().ok()).unwrap_or(45);
        let mut x = format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<datastore>\n<totalrecord>{}</totalrecord>\n<totalpage>1</totalpage>\n<recordset>\n", c.items.len());
        for it in c.items.iter().skip(start - 1).take(end.saturating_sub(start - 1)) {
            let _ = writeln!(x, "<record><![CDATA[\n{}]]></record>", self.item_li(c, it, false).trim_end());
        }
        x.push_str("</recordset>\n</datastore>\n");
        Some(x)
    }

    fn messages(&self, c: &Column) -> String {
        let mut h = String::from(
            "<table class=\"xjlist\"><tr><th>标题</th><th>留言时间</th><th>状态</th><th>回复时间</th></tr>\n",
        );
        let fmt = |d: NaiveDate| if self.s.date_style == DateStyle::Bracket { fmt_iso(d) } else { self.date_text(d) };
        for it in &c.items {
            if let ItemExtra::Message { posted, replied } = &it.extra {
                let _ = writeln!(
                    h,
                    "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    self.art_link(c, it),
                    esc(&it.title),
                    fmt(*posted),
                    if replied.is_some() { "已回复" } else { "办理中" },
                    replied.map(fmt).unwrap_or_default()
                );
            }
        }
        h.push_str("</table>\n");
        h
    }

    pub fn article(&self, ci: usize, ii: usize) -> String {
        let s = self.s;
        let c = &s.columns[ci];
        let it = &c.items[ii];
        let mut meta = format!(
            "<meta name=\"ArticleTitle\" content=\"{}\">\n<meta name=\"ContentSource\" content=\"{}\">\n",
            esc(&it.title),
            s.short
        );
        if let Some(d) = it.date {
            let _ = writeln!(meta, "<meta name=\"PubDate\" content=\"{} 09:{:02}\">", fmt_iso(d), it.id % 60);
        }
        let mut h = self.head(&format!("{}_{}", it.title, s.name), Some(&c.name), &meta);
        h.push_str(&self.nav());
        h.push_str(&self.breadcrumb(Some(c)));
        h.push_str("<div class=\"article\">\n");
        if let Some(doc) = &it.doc {
            let d = it.date.unwrap();
            let _ = writeln!(
                h,
                "<table class=\"xxgk-info\"><tr><td>索引号：</td><td>{}/{}-{:05}</td><td>发布机构：</td><td>{}</td></tr>\n<tr><td>成文日期：</td><td>{}</td><td>发布日期：</td><td>{}</td></tr>\n<tr><td>文号：</td><td>{}</td><td>主题分类：</td><td>综合政务</td></tr></table>",
                s.site_code(),
                d.year(),
                it.id % 100_000,
                s.short,
                fmt_iso(doc.written),
                fmt_iso(d),
                doc.number
            );
        }
        let _ = writeln!(h, "<h1>{}</h1>", esc(&it.title));
        match &it.extra {
            ItemExtra::Message { posted, replied } => {
                let _ = writeln!(
                    h,
                    "<div class=\"msg\"><p>留言时间：{}</p><p>留言内容：您好，想咨询一下{}的相关政策，谢谢。</p>",
                    fmt_iso(*posted),
                    it.title.trim_start_matches("关于").trim_end_matches("的咨询")
                );
                match replied {
                    Some(r) => {
                        let _ = writeln!(h, "<p>回复单位：{}</p><p>回复时间：{}</p><p>回复内容：您好，您反映的问题已收悉，现答复如下：相关工作正在有序推进，感谢您的关注。</p></div>", s.short, fmt_iso(*r));
                    }
                    None => h.push_str("<p>办理状态：办理中</p></div>\n"),
                }
            }
            _ => {
                if let Some(d) = it.date {
                    let _ = writeln!(h, "<div class=\"info\">发布时间：{}　来源：{}</div>", self.date_text(d), s.short);
                }
                let _ = writeln!(h, "<div class=\"content\"><p>为深入贯彻落实上级有关决策部署，{}认真组织开展相关工作，现将有关情况公开如下。</p>", s.short);
                if let ItemExtra::AnnualReport { year } = it.extra {
                    let _ = writeln!(h, "<p>本报告由{}根据《中华人民共和国政府信息公开条例》要求编制，报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。</p>", s.short);
                }
                for m in &it.misstatements {
                    let _ = writeln!(h, "<p>{}</p>", m.sentence);
                }
                if it.exposes_id {
                    let _ = writeln!(h, "<table><tr><th>姓名</th><th>身份证号码</th><th>岗位</th></tr><tr><td>张某某</td><td>{}</td><td>公益性岗位</td></tr><tr><td>李某</td><td>{}</td><td>公益性岗位</td></tr></table>", id_number("51082219850317123"), id_number("51082219920611004"));
                }
                if it.exposes_card {
                    let _ = writeln!(h, "<table><tr><th>户主</th><th>补贴金额（元）</th><th>银行卡号</th></tr><tr><td>王某某</td><td>1250.00</td><td>{}</td></tr></table>", card_number("622202123456789012"));
                }
                for (k, b) in it.broken_links.iter().enumerate() {
                    let _ = writeln!(h, "<p>附件{}：<a href=\"{b}\">相关材料{}</a></p>", k + 1, k + 1);
                }
                h.push_str("</div>\n");
            }
        }
        h.push_str("</div>\n");
        h.push_str(&self.tail());
        h
    }

    pub fn column_page(&self, ci: usize) -> String {
        let s = self.s;
        let c = &s.columns[ci];
        let mut h = self.head(&format!("{}_{}", c.name, s.name), Some(&c.name), "");
        h.push_str(&self.nav());
        h.push_str(&self.breadcrumb(Some(c)));
        let _ = writeln!(h, "<div class=\"column\"><h2>{}</h2>", c.name);
        match c.kind {
            ColumnKind::ScriptOnly => {
                h.push_str("<ul id=\"datalist\"></ul>\n<script type=\"text/javascript\">\nvar xhr = new XMLHttpRequest();\nxhr.open('GET', 'list.json');\nxhr.onload = function () { var d = JSON.parse(xhr.responseText); var ul = document.getElementById('datalist'); d.list.forEach(function (x) { var li = document.createElement('li'); li.innerHTML = '<a href=\"' + x.url + '\">' + x.title + '</a><span>' + x.date + '</span>'; ul.appendChild(li); }); };\nxhr.send();\n</script>\n");
            }
            ColumnKind::Container => {
                h.push_str("<ul class=\"fdzdgk\">\n");
                for sub in s.columns.iter().filter(|x| x.place == Place::Platform && !x.first_level) {
                    let _ = writeln!(h, "<li><a href=\"{}\">{}</a></li>", self.col_link(sub), sub.name);
                }
                if let Some(p) = s.column(Category::Policy) {
                    let _ = writeln!(h, "<li><a href=\"{}\">{}</a></li>", self.col_link(p), p.name);
                }
                h.push_str("</ul>\n");
            }
            _ => h.push_str(&self.single_text(c)),
        }
        h.push_str("</div>\n");
        h.push_str(&self.tail());
        h
    }

    fn single_text(&self, c: &Column) -> String {
        let s = self.s;
        match c.category {
            Category::Guide => {
                let mut t = "<div class=\"content\"><p>为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。</p>\n".to_string();
                let code = s.idx;
                for &e in &s.guide_elements {
                    let line = match e {
                        0 => "<p>一、主动公开的信息分类：机构职能、政策文件、规划计划、统计信息、财政预决算等。</p>".to_string(),
                        1 => "<p>二、编排体系：按照主题与体裁相结合的方式编排。</p>".to_string(),
                        2 => "<p>三、获取方式：通过本网站、政务公开专区、新闻发布会等途径获取。</p>".to_string(),
                        3 => format!("<p>办公地址：{}人民路{}号</p>", CITY, 100 + code),
                        4 => "<p>办公时间：工作日上午9:00—12:00，下午14:00—17:30（法定节假日除外）</p>".to_string(),
                        5 => format!("<p>联系电话：0838-{}</p>", 2_300_000 + code * 71),
                        6 => format!("<p>传真：0838-{}</p>", 2_300_001 + code * 71),
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
            Category::Overview => format!("<div class=\"content\"><p>{}位于{}，辖区面积约1200平方公里，户籍人口约45万人。</p></div>\n", s.short, PROVINCE),
            Category::Functions => format!("<div class=\"content\"><p>{}的主要职责：贯彻执行国家和省、市有关方针政策和法律法规。内设机构：办公室、政策法规科、综合业务科。</p></div>\n", s.short),
            Category::Leaders => "<div class=\"content\"><p>主要负责人：王某某，主持全面工作。副职：李某某，分管业务工作。</p></div>\n".into(),
            _ => "<div class=\"content\"><p>本栏目正在完善。</p></div>\n".into(),
        }
    }

    pub fn platform_index(&self) -> String {
        let s = self.s;
        let mut h = self.head(&format!("政府信息公开_{}", s.name), Some("政府信息公开"), "");
        h.push_str(&self.nav());
        h.push_str(&self.breadcrumb(None));
        h.push_str("<div class=\"xxgk-nav\"><ul>\n");
        for c in s.columns.iter().filter(|c| c.place == Place::Platform && c.first_level) {
            let _ = writeln!(h, "<li><a href=\"{}\">{}</a></li>", self.col_link(c), c.name);
        }
        h.push_str("</ul></div>\n");
        h.push_str(&self.tail());
        h
    }

    pub fn json(&self, ci: usize) -> String {
        let c = &self.s.columns[ci];
        let list: Vec<serde_json::Value> = c
            .items
            .iter()
            .map(|it| serde_json::json!({"title": it.title, "date": it.date.map(fmt_iso), "url": self.art_link(c, it)}))
            .collect();
        serde_json::json!({"total": list.len(), "list": list}).to_string()
    }

    pub fn calendar(&self, query: &str) -> String {
        let q: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        let (mut y, mut m) = q
            .get("month")
            .and_then(|v| {
                let (a, b) = v.split_once('-')?;
                Some((a.parse::<i32>().ok()?, b.parse::<u32>().ok()?))
            })
            .unwrap_or((self.ctx.t0.year(), self.ctx.t0.month()));
        if !(1..=12).contains(&m) {
            m = 1;
        }
        y = y.clamp(1, 9998);
        let prev = if m == 1 { (y - 1, 12) } else { (y, m - 1) };
        let next = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        let mut h = self.head(&format!("活动日历_{}", self.s.name), None, "");
        let _ = writeln!(
            h,
            "<div class=\"calendar\"><a href=\"/calendar/?month={}-{:02}\">上一月</a> <a href=\"/calendar/?month={}-{:02}\">下一月</a></div>",
            prev.0, prev.1, next.0, next.1
        );
        h.push_str("</body></html>\n");
        h
    }

    pub fn petition(&self) -> String {
        let mut h = self.head(&format!("网上信访_{}", self.s.name), None, "");
        h.push_str("<div class=\"content\"><p>网上信访：请登录省网上信访信息系统提交信访事项。</p></div>\n");
        h.push_str(&self.tail());
        h
    }
}
