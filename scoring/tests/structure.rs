//! Site understanding by structure, on small hand-written sites of CMS families the sample province did not have
//! (issue 9, classes 1–5): a message board with a page per message, an old ASP table layout telling columns apart
//! by `?ClassID=`, a 政府信息公开 platform that is a section of the main site under opaque ids, real footer forms.

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use gongkai_archive::{CapturedPage, SiteCapture, SnapshotInfo, WarcRef};
use gongkai_config::{Calendar, Level, Rubric, Site};
use gongkai_scoring::{score_capture, SiteResult};
use url::Url;

const HOST: &str = "http://www.demo.gov.cn";

fn t0() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(2026, 11, 15, 10, 0, 0).unwrap()
}

fn page(path: &str, html: &str) -> CapturedPage {
    CapturedPage {
        url: Url::parse(&format!("{HOST}{path}")).unwrap(),
        fetched_at: Utc.with_ymd_and_hms(2026, 11, 15, 1, 0, 0).unwrap(),
        status: 200,
        headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
        body: html.as_bytes().to_vec(),
        depth: if path == "/" { 0 } else { 1 },
        warc: WarcRef { file: "warc/t.warc.gz".into(), offset: 0, record_id: format!("urn:uuid:{path}") },
    }
}

fn capture(home_path: &str, pages: Vec<CapturedPage>) -> SiteCapture {
    SiteCapture {
        site: Site {
            id: "demo".into(),
            name: "示例县人民政府".into(),
            url: Url::parse(&format!("{HOST}{home_path}")).unwrap(),
            region: vec!["示例省".into()],
            level: Level::County,
            platform: None,
            rate: 2.0,
            max_pages: 1000,
            max_depth: 6,
            max_link_checks: gongkai_config::DEFAULT_MAX_LINK_CHECKS,
        },
        snapshot: SnapshotInfo { seq: 1, started_at: Utc::now(), finished_at: Some(Utc::now()) },
        pages,
        failures: vec![],
        link_checks: vec![],
        probes: vec![],
        tls: vec![],
        ipv6: None,
    }
}

fn score(c: &SiteCapture) -> SiteResult {
    score_capture(c, &Rubric::default_rubric(), &Calendar::default_cn(), t0())
}

fn rules(r: &SiteResult) -> Vec<String> {
    r.findings.iter().map(|f| format!("{}x{}", f.rule, f.occurrences)).collect()
}

const FOOTER: &str = "<div class=\"footer\">主办单位：示例县人民政府办公室 网站标识码：5100000001 \
    <a href=\"https://beian.miit.gov.cn/\">蜀ICP备12345678号</a> 川公网安备51010602000123号 电话：028-12345678</div>";

/// Class 1: each message of the 网上咨询 list has its own page carrying the column's `ColumnName` meta.
#[test]
fn message_pages_are_not_columns() {
    let mut pages = vec![page(
        "/",
        &format!(
            "<html><head><title>示例县人民政府</title></head><body><div class=\"nav\"><ul>\
             <li><a href=\"/\">首页</a></li><li><a href=\"/hdjl/zx/\">网上咨询</a></li></ul></div>\
             <ul><li><a href=\"/hdjl/zx/show.asp?id=1\">咨询一</a><span>2026-11-10</span></li></ul>{FOOTER}</body></html>"
        ),
    )];
    let mut rows = String::new();
    for i in 1..=12 {
        rows.push_str(&format!(
            "<tr><td><a href=\"/hdjl/zx/show.asp?id={i}\">关于某事项的咨询{i}</a></td><td>2026-11-{:02}</td><td>已回复</td></tr>",
            i + 1
        ));
        pages.push(page(
            &format!("/hdjl/zx/show.asp?id={i}"),
            &format!(
                "<html><head><meta name=\"ColumnName\" content=\"网上咨询\"><title>关于某事项的咨询{i}</title></head><body>\
                 <div class=\"nav\"><ul><li><a href=\"/\">首页</a></li><li><a href=\"/hdjl/zx/\">网上咨询</a></li></ul></div>\
                 <table><tr><td>留言标题：关于某事项的咨询{i}</td></tr><tr><td>留言时间：2026-11-{:02}</td></tr>\
                 <tr><td>留言内容：请问办理流程。</td></tr><tr><td>回复单位：县政务服务中心</td></tr>\
                 <tr><td>回复时间：2026-11-{:02}</td></tr><tr><td>回复内容：您好，流程如下。</td></tr></table>{FOOTER}</body></html>",
                i + 1,
                i + 2
            ),
        ));
    }
    pages.push(page(
        "/hdjl/zx/",
        &format!(
            "<html><head><meta name=\"ColumnName\" content=\"网上咨询\"></head><body>\
             <div class=\"nav\"><ul><li><a href=\"/\">首页</a></li><li><a href=\"/hdjl/zx/\">网上咨询</a></li></ul></div>\
             <table>{rows}</table>{FOOTER}</body></html>"
        ),
    ));
    let r = score(&capture("/", pages));
    let consult: Vec<_> = r.columns.iter().filter(|c| c.category == "consultation").collect();
    assert_eq!(consult.len(), 1, "one 网上咨询 column, not one per message: {:#?}", r.columns);
    assert_eq!(consult[0].items, 12);
    assert_eq!(consult[0].newest.as_deref(), Some("2026-11-13"));
    assert!(r.columns.iter().all(|c| !c.blank), "no blank columns: {:#?}", r.columns);
    assert!(!r.vetoes.iter().any(|v| v == "veto.blank_columns" || v == "veto.columns_long_stale"), "{:?}", r.vetoes);
    assert!(!r.vetoes.contains(&"veto.no_consultation".to_string()));
    assert!(r.review.is_empty(), "{:?}", r.review);
}

/// The plausibility pass flags a result that looks like a misreading, without changing the score.
#[test]
fn implausible_results_are_flagged_for_review() {
    // a home page whose navigation names one column, and eight "columns" that are each blank
    let mut nav = String::from("<div class=\"nav\"><ul><li><a href=\"/tzgg/\">通知公告</a></li></ul></div>");
    let mut pages = vec![];
    let mut links = String::new();
    for i in 0..8 {
        links.push_str(&format!("<a href=\"/c{i}/\">栏目{i}</a> "));
        pages.push(page(
            &format!("/c{i}/"),
            &format!("<html><head><meta name=\"ColumnName\" content=\"通知公告\"></head><body>暂无信息</body></html>"),
        ));
    }
    nav.push_str(&links);
    pages.push(page("/", &format!("<html><body>{nav}{FOOTER}</body></html>")));
    pages.push(page(
        "/tzgg/",
        "<html><head><meta name=\"ColumnName\" content=\"通知公告\"></head><body>暂无信息</body></html>",
    ));
    let r = score(&capture("/", pages));
    assert!(r.vetoes.contains(&"veto.blank_columns".to_string()), "{:?}", r.vetoes);
    let checks: Vec<_> = r.review.iter().map(|x| x.check.as_str()).collect();
    assert!(checks.contains(&"category_repeated"), "{:?}", r.review);
    assert!(checks.contains(&"blank_columns_exceed_navigation"), "{:?}", r.review);
    assert!(checks.contains(&"all_lists_blank"), "{:?}", r.review);
    let unflagged = score_capture(&capture("/", vec![]), &Rubric::default_rubric(), &Calendar::default_cn(), t0());
    assert!(unflagged.review.is_empty(), "a site that was not assessed gets no review flags");
}

/// Class 2: an old ASP site tells its columns apart only by `?ClassID=`; navigation and lists are nested tables.
#[test]
fn asp_columns_told_apart_by_class_id() {
    let names = ["政务动态", "通知公告", "政策文件", "政策解读", "人事信息", "规划计划"];
    let mut nav = String::from("<table width=\"100%\"><tr><td><a href=\"index.asp\">首页</a></td>");
    for (i, n) in names.iter().enumerate() {
        nav.push_str(&format!("<td><a href=\"Article/ShowClass.asp?ClassID={}\">{n}</a></td>", i + 1));
    }
    nav.push_str("</tr></table>");
    let mut pages = vec![page(
        "/index.asp",
        &format!("<html><head><title>示例县人民政府</title></head><body>{nav}<table><tr><td>欢迎访问</td></tr></table>{FOOTER}</body></html>"),
    )];
    let mut article = 0;
    for (i, _) in names.iter().enumerate() {
        let mut rows = String::new();
        for k in 0..8 {
            article += 1;
            // newest item of column i: 2026-11-(10 - i)
            let day = 10 - i as i32 - k;
            rows.push_str(&format!(
                "<tr><td><table><tr><td>·<a href=\"ShowArticle.asp?ArticleID={article}\">标题{article}</a></td><td>[2026-{:02}-{:02}]</td></tr></table></td></tr>",
                if day >= 1 { 11 } else { 10 },
                if day >= 1 { day } else { 31 + day }
            ));
            pages.push(page(
                &format!("/Article/ShowArticle.asp?ArticleID={article}"),
                &format!("<html><body>{nav}<table><tr><td><h1>标题{article}</h1>发布时间：2026-11-01 作者：办公室 点击数：12</td></tr><tr><td>正文内容正文内容。</td></tr></table>{FOOTER}</body></html>"),
            ));
        }
        pages.push(page(
            &format!("/Article/ShowClass.asp?ClassID={}", i + 1),
            &format!("<html><body>{nav}<table><tr><td>当前位置：首页 &gt; {}</td></tr><tr><td><table>{rows}</table></td></tr></table>{FOOTER}</body></html>", names[i]),
        ));
    }
    let r = score(&capture("/index.asp", pages));
    for (i, n) in names.iter().enumerate() {
        let c =
            r.columns.iter().find(|c| c.name == *n).unwrap_or_else(|| panic!("column {n} not found: {:#?}", r.columns));
        assert_eq!(c.items, 8, "{n}");
        assert_eq!(c.newest, Some(format!("2026-11-{:02}", 10 - i)), "{n}");
        assert!(c.first_level, "{n}");
    }
    assert!(
        !r.findings.iter().any(|f| f.rule == "publish.missing_column"
            && f.evidence.iter().any(|e| e.observed.contains("政务动态") || e.observed.contains("通知公告"))),
        "{:?}",
        rules(&r)
    );
}

/// Class 3: the 政府信息公开 platform is a section of the main site under opaque Hanweb-style ids.
#[test]
fn platform_under_opaque_ids_is_recognised_by_its_tree() {
    let nav = "<div class=\"nav\"><ul><li><a href=\"/\">首页</a></li><li><a href=\"/col/col100/index.html\">政府信息公开</a></li>\
               <li><a href=\"/col/col200/index.html\">政务动态</a></li></ul></div>";
    let tree = "<div class=\"xxgk-tree\"><ul><li><a href=\"/col/col101/index.html\">政府信息公开指南</a></li>\
                <li><a href=\"/col/col102/index.html\">政府信息公开制度</a></li>\
                <li><a href=\"/col/col103/index.html\">法定主动公开内容</a><ul>\
                <li><a href=\"/col/col105/index.html\">机构职能</a></li><li><a href=\"/col/col106/index.html\">财政预决算</a></li></ul></li>\
                <li><a href=\"/col/col104/index.html\">政府信息公开年报</a></li></ul></div>";
    let list = |name: &str, path: &str, date: &str| {
        page(
            path,
            &format!(
                "<html><head><meta name=\"ColumnName\" content=\"{name}\"></head><body>{nav}{tree}\
                 <ul class=\"list\"><li><a href=\"{path}art1.html\">{name}事项一</a><span>{date}</span></li>\
                 <li><a href=\"{path}art2.html\">{name}事项二</a><span>{date}</span></li></ul>{FOOTER}</body></html>"
            ),
        )
    };
    let pages = vec![
        page("/", &format!("<html><body>{nav}<ul><li><a href=\"/col/col200/art1.html\">要闻</a><span>2026-11-12</span></li></ul>{FOOTER}</body></html>")),
        page("/col/col100/index.html", &format!("<html><head><meta name=\"ColumnName\" content=\"政府信息公开\"></head><body>{nav}{tree}{FOOTER}</body></html>")),
        page("/col/col101/index.html", &format!("<html><head><meta name=\"ColumnName\" content=\"政府信息公开指南\"></head><body>{nav}{tree}<div>本指南说明信息分类、编排体系、获取方式、办公地址、办公时间、联系电话、传真和电子邮箱 gk@demo.gov.cn。</div>{FOOTER}</body></html>")),
        list("政府信息公开制度", "/col/col102/index.html", "2026-10-01"),
        page("/col/col103/index.html", &format!("<html><head><meta name=\"ColumnName\" content=\"法定主动公开内容\"></head><body>{nav}{tree}\
              <ul class=\"list\"><li><a href=\"/col/col105/index.html\">机构职能</a></li><li><a href=\"/col/col106/index.html\">财政预决算</a></li></ul>{FOOTER}</body></html>")),
        list("政府信息公开年报", "/col/col104/index.html", "2026-03-20"),
        list("机构职能", "/col/col105/index.html", "2026-09-01"),
        list("财政预决算", "/col/col106/index.html", "2026-09-01"),
        list("政务动态", "/col/col200/index.html", "2026-11-12"),
    ];
    let r = score(&capture("/", pages));
    let platform_missing: Vec<_> = r.findings.iter().filter(|f| f.rule == "disclosure.platform_column").collect();
    assert!(platform_missing.is_empty(), "every platform column is found on the platform: {:#?}", platform_missing);
    let statutory = r.findings.iter().find(|f| f.rule == "disclosure.statutory_coverage");
    // 机构职能 and 财政预决算 are two of 第二十条's items: they must count as covered
    assert!(statutory.is_none_or(|f| f.occurrences <= 12), "{:?}", statutory.map(|f| &f.message));
}

/// Class 5: the 党政机关 badge written by the standard conac snippet; the ICP number printed as a link's text.
#[test]
fn real_footer_forms() {
    let home = r#"<html><body><div class="nav"><ul><li><a href="/">首页</a></li></ul></div>
        <div class="bottom"><p>主办：示例县人民政府办公室</p>
        <p><a href="https://beian.miit.gov.cn/" target="_blank">蜀ICP备05012345号-2</a></p>
        <script type="text/javascript">document.write(unescape("%3Cspan id='_ideConac' %3E%3C/span%3E%3Cscript src='//dcs.conac.cn/js/33/000/0000/40672315/CA330000000406723150002.js' type='text/javascript'%3E%3C/script%3E"));</script>
        </div></body></html>"#;
    let mut pages = vec![page("/", home)];
    for p in ["/a.html", "/b.html"] {
        pages.push(page(p, "<html><body>x</body></html>"));
    }
    let r = score(&capture("/", pages));
    assert!(r.identity.badge, "conac badge snippet: {:?}", r.identity);
    assert_eq!(r.identity.icp.as_deref(), Some("蜀ICP备05012345号-2"));
    // printed without the province prefix, next to the link: the printed number is the value, not the href
    let home2 = r#"<html><body><div class="footer">ICP备案号：<a href="http://beian.miit.gov.cn">05012345号</a></div></body></html>"#;
    let mut pages = vec![page("/", home2)];
    for p in ["/a.html", "/b.html"] {
        pages.push(page(p, "<html><body>x</body></html>"));
    }
    let r = score(&capture("/", pages));
    assert_eq!(r.identity.icp.as_deref(), Some("05012345号"), "{:?}", r.identity);
}
