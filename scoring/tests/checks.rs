//! Rules on small hand-written sites: working days across a holiday (calendar file, not weekdays), availability from
//! monitor probes and from the crawl's own fetches, hidden spam links, personal data, adjustments.

use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use gongkai_archive::{CapturedPage, Probe, ProbeSource, SiteCapture, SnapshotInfo, WarcRef};
use gongkai_config::{Calendar, Level, Rubric, Site};
use gongkai_scoring::{adjustments, score_capture, score_capture_with, FindingKind, SiteResult};
use url::Url;

const HOST: &str = "http://www.test.gov.cn";

fn t0() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(2025, 11, 20, 12, 0, 0).unwrap()
}

fn page(path: &str, html: String) -> CapturedPage {
    CapturedPage {
        url: Url::parse(&format!("{HOST}{path}")).unwrap(),
        fetched_at: Utc.with_ymd_and_hms(2025, 11, 20, 1, 0, 0).unwrap(),
        status: 200,
        headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
        body: html.into_bytes(),
        depth: if path == "/" { 0 } else { 1 },
        warc: WarcRef { file: "warc/t.warc.gz".into(), offset: 0, record_id: format!("urn:uuid:{path}") },
    }
}

fn list(name: &str, items: &[(&str, &str, &str)]) -> String {
    let mut h = format!("<html><head><meta name=\"ColumnName\" content=\"{name}\"></head><body><div class=\"nav\"><ul><li><a href=\"/\">首页</a></li></ul></div><ul class=\"list\">");
    for (href, title, date) in items {
        h.push_str(&format!("<li><a href=\"{href}\">{title}</a><span>{date}</span></li>"));
    }
    h.push_str("</ul></body></html>");
    h
}

fn article(title: &str, written: &str, published: &str, extra: &str) -> String {
    format!(
        "<html><head><meta name=\"ArticleTitle\" content=\"{title}\"><meta name=\"PubDate\" content=\"{published}\"></head><body>\
         <table><tr><td>成文日期：</td><td>{written}</td><td>发布日期：</td><td>{published}</td></tr></table><h1>{title}</h1><div>{extra}</div></body></html>"
    )
}

fn site(home_extra: &str, article_extra: &str, probes: Vec<Probe>) -> SiteCapture {
    let home = format!(
        "<html><body><div class=\"nav\"><ul><li><a href=\"/\">首页</a></li><li><a href=\"/zcwj/\">政策文件</a></li></ul></div>\
         <ul><li><a href=\"/zcwj/t20251024_1.html\">关于印发办法的通知</a><span>2025-10-24</span></li></ul>{home_extra}\
         <div class=\"footer\">主办单位：测试县人民政府办公室 网站标识码：5100000001</div></body></html>"
    );
    let pages = vec![
        page("/", home),
        page(
            "/zcwj/",
            list(
                "政策文件",
                &[
                    ("/zcwj/t20251024_1.html", "关于印发办法的通知", "2025-10-24"),
                    ("/zcwj/t20251027_2.html", "关于印发规定的通知", "2025-10-27"),
                ],
            ),
        ),
        // 2025-09-22 → 2025-10-24: 24 weekdays, but 国庆 makes it 20 working days (with two make-up days): on time
        page("/zcwj/t20251024_1.html", article("关于印发办法的通知", "2025-09-22", "2025-10-24", article_extra)),
        // → 2025-10-27: 21 working days: late
        page("/zcwj/t20251027_2.html", article("关于印发规定的通知", "2025-09-22", "2025-10-27", "")),
    ];
    SiteCapture {
        site: Site {
            id: "test".into(),
            name: "测试县人民政府".into(),
            url: Url::parse(&format!("{HOST}/")).unwrap(),
            region: vec!["测试省".into()],
            level: Level::County,
            platform: None,
            rate: 2.0,
            max_pages: 100,
            max_depth: 3,
            max_link_checks: gongkai_config::DEFAULT_MAX_LINK_CHECKS,
        },
        snapshot: SnapshotInfo { seq: 1, started_at: Utc::now(), finished_at: Some(Utc::now()) },
        pages,
        failures: vec![],
        link_checks: vec![],
        probes,
        tls: vec![],
        ipv6: None,
    }
}

fn finding<'a>(r: &'a SiteResult, rule: &str) -> Option<&'a gongkai_scoring::Finding> {
    r.findings.iter().find(|f| f.rule == rule)
}

fn probes(n: usize, failed: usize, source: ProbeSource) -> Vec<Probe> {
    (0..n)
        .map(|i| Probe {
            site_id: "test".into(),
            url: Url::parse(&format!("{HOST}/")).unwrap(),
            at: Utc.with_ymd_and_hms(2025, 11, 18, 0, 0, 0).unwrap() + chrono::Duration::minutes(i as i64),
            duration_ms: 300,
            status: if i < failed { None } else { Some(200) },
            error: if i < failed { Some("timeout".into()) } else { None },
            source,
        })
        .collect()
}

#[test]
fn working_days_across_a_holiday_come_from_the_calendar() {
    let r = score_capture(&site("", "", vec![]), &Rubric::default_rubric(), &Calendar::default_cn(), t0());
    let f = finding(&r, "disclosure.timeliness").expect("one late document");
    assert_eq!(f.evidence.len(), 1, "{f:?}");
    assert!(f.evidence[0].url.ends_with("t20251027_2.html"), "{f:?}");
    assert!(f.message.contains("2025-09-22") && f.message.contains("2025-10-27"));
}

#[test]
fn availability_from_monitor_probes() {
    let rubric = Rubric::default_rubric();
    let cal = Calendar::default_cn();
    // 2 of 20 failed = 10% ≥ 5% with ≥ 20 probes: veto
    let r = score_capture(&site("", "", probes(20, 2, ProbeSource::Monitor)), &rubric, &cal, t0());
    assert!(r.vetoes.contains(&"veto.unreachable".to_string()), "{:?}", r.vetoes);
    // 3 of 100 = 3%: 3 points, no veto
    let r = score_capture(&site("", "", probes(100, 3, ProbeSource::Monitor)), &rubric, &cal, t0());
    assert!(!r.vetoes.contains(&"veto.unreachable".to_string()));
    assert_eq!(finding(&r, "design.availability").map(|f| f.points), Some(3.0));
    // only the crawl's own fetches: measured and said so
    let r = score_capture(&site("", "", probes(50, 2, ProbeSource::Crawl)), &rubric, &cal, t0());
    let f = finding(&r, "design.availability").unwrap();
    assert_eq!(f.points, 4.0);
    assert!(f.message.contains("未运行可用性监测"), "{}", f.message);
}

#[test]
fn hidden_spam_links_veto_but_hidden_ordinary_links_do_not() {
    let rubric = Rubric::default_rubric();
    let cal = Calendar::default_cn();
    let r = score_capture(
        &site("<div style=\"display:none\"><a href=\"/about/\">关于我们</a></div>", "", vec![]),
        &rubric,
        &cal,
        t0(),
    );
    assert!(!r.vetoes.contains(&"veto.hidden_links".to_string()));
    let r = score_capture(
        &site(
            "<div style=\"position:absolute;left:-9999px\"><a href=\"http://x.example/\">澳门娱乐城</a></div>",
            "",
            vec![],
        ),
        &rubric,
        &cal,
        t0(),
    );
    assert!(r.vetoes.contains(&"veto.hidden_links".to_string()));
    let f = finding(&r, "veto.hidden_links").unwrap();
    assert_eq!(f.kind, FindingKind::Veto);
    assert!(f.message.contains("澳门娱乐城"));
}

#[test]
fn personal_data_on_a_page_is_a_deduction_with_a_masked_sample() {
    let rubric = Rubric::default_rubric();
    let cal = Calendar::default_cn();
    let r = score_capture(
        &site("", "<p>张三 11010519491231002X</p><p>卡号 6222021234567890120 无效</p>", vec![]),
        &rubric,
        &cal,
        t0(),
    );
    let f = finding(&r, "security.privacy").unwrap();
    assert_eq!(f.points, 1.0);
    assert!(f.message.contains("1101**********002X"), "{}", f.message);
    assert!(!f.message.contains("11010519491231002X"));
}

#[test]
fn adjustments_add_bonus_or_deduct_with_their_reason() {
    let rubric = Rubric::default_rubric();
    let cal = Calendar::default_cn();
    let cap = site("", "", vec![]);
    let base = score_capture(&cap, &rubric, &cal, t0());
    let text =
        "[[adjustment]]\nsite = \"test\"\nrule = \"bonus.manual\"\npoints = -2.5\nreason = \"首页领导姓名错误\"\n\
                [[adjustment]]\nsite = \"other\"\nrule = \"bonus.manual\"\npoints = -9\nreason = \"别的网站\"\n";
    let adj = adjustments::parse(text, "adj.toml", &rubric, None).unwrap();
    let r = score_capture_with(&cap, &rubric, &cal, t0(), &adj);
    assert_eq!(r.deduction_score, base.deduction_score - 2.5);
    let f = finding(&r, "bonus.manual").unwrap();
    assert_eq!(f.kind, FindingKind::Deduction);
    assert!(f.message.contains("首页领导姓名错误"));
}

fn with_pages(mut cap: SiteCapture, home: &str, extra: Vec<CapturedPage>) -> SiteCapture {
    cap.pages[0] = page("/", home.to_string());
    cap.pages.extend(extra);
    cap
}

#[test]
fn identity_read_from_iframe_and_script_written_footers() {
    let rubric = Rubric::default_rubric();
    let cal = Calendar::default_cn();
    let home = "<html><body><div class=\"nav\"><ul><li><a href=\"/zcwj/\">政策文件</a></li></ul></div>\
                <iframe src=\"/foot.html\"></iframe><script src=\"/js/footer.js\"></script></body></html>";
    let foot = page(
        "/foot.html",
        "<html><body><p>主办单位：测试县人民政府办公室</p><p>网站标识码5100000062</p></body></html>".into(),
    );
    let (js, _, _) = encoding_rs::GBK.encode("document.write('<p>鲁ICP备 05038584号</p><p>公安机关备案号：15081599004-00001</p>');document.write('<a href=\"https://bszs.conac.cn/sitename?id=1\"><img src=\"/i/red.png\"></a>');");
    let mut script = page("/js/footer.js", String::new());
    script.headers = vec![("Content-Type".into(), "application/javascript".into())];
    script.body = js.into_owned();
    let cap = with_pages(site("", "", vec![]), home, vec![foot, script]);
    let r = score_capture(&cap, &rubric, &cal, t0());
    assert_eq!(r.identity.site_code.as_deref(), Some("5100000062"));
    assert_eq!(r.identity.sponsor.as_deref(), Some("测试县人民政府办公室"));
    assert_eq!(r.identity.icp.as_deref(), Some("鲁ICP备 05038584号"));
    assert_eq!(r.identity.police.as_deref(), Some("15081599004-00001"));
    assert!(r.identity.badge);
    assert!(!r.identity.contact && !r.identity.error_entry);
    let f = finding(&r, "design.identity").unwrap();
    assert_eq!(f.evidence.len(), 1, "only 联系方式 is missing: {}", f.message);
}

#[test]
fn navigation_only_home_page_is_judged_by_its_columns() {
    let rubric = Rubric::default_rubric();
    let cal = Calendar::default_cn();
    let home = "<html><body><div class=\"nav\"><ul><li><a href=\"/zcwj/\">政策文件</a></li><li><a href=\"/tzgg/\">通知公告</a></li></ul></div></body></html>";
    let fresh = page("/tzgg/", list("通知公告", &[("/tzgg/a.html", "关于A的通知", "2025-11-18")]));
    let r = score_capture(&with_pages(site("", "", vec![]), home, vec![fresh]), &rubric, &cal, t0());
    assert!(!r.vetoes.contains(&"veto.homepage_stale".to_string()), "{:?}", r.vetoes);
    let stale = page("/tzgg/", list("通知公告", &[("/tzgg/a.html", "关于A的通知", "2025-10-01")]));
    let r = score_capture(&with_pages(site("", "", vec![]), home, vec![stale]), &rubric, &cal, t0());
    let f = finding(&r, "veto.homepage_stale").expect("stale navigation-only home page");
    assert!(f.evidence[0].observed.contains("仅有导航"), "{:?}", f.evidence);
}

#[test]
fn blank_and_unreadable_lists_are_told_apart() {
    let rubric = Rubric::default_rubric();
    let cal = Calendar::default_cn();
    let home = "<html><body><div class=\"nav\"><ul><li><a href=\"/tzgg/\">通知公告</a></li><li><a href=\"/rsxx/\">人事信息</a></li><li><a href=\"/tjxx/\">统计信息</a></li></ul></div></body></html>";
    let placeholder = page("/tzgg/", "<html><head><meta name=\"ColumnName\" content=\"通知公告\"></head><body><div class=\"nodata\">暂无信息</div></body></html>".into());
    let script = page(
        "/rsxx/",
        "<html><head><meta name=\"ColumnName\" content=\"人事信息\"></head><body><ul id=\"l\"></ul><script>var x=new XMLHttpRequest();x.open('GET','list.json');</script></body></html>".into(),
    );
    let mut error = page("/tjxx/", "<html><body>404</body></html>".into());
    error.status = 404;
    let r =
        score_capture(&with_pages(site("", "", vec![]), home, vec![placeholder, script, error]), &rubric, &cal, t0());
    let f = finding(&r, "publish.blank_column").unwrap();
    assert_eq!(f.evidence.len(), 3, "{}", f.message);
    assert!(f.message.contains("暂无信息"), "{}", f.message);
    assert!(f.message.contains("无法读取"), "{}", f.message);
    assert!(f.message.contains("HTTP 404"), "{}", f.message);
    let col = |n: &str| r.columns.iter().find(|c| c.name == n).unwrap().clone();
    assert!(col("人事信息").blank && col("通知公告").blank && col("统计信息").blank);
    assert_eq!(col("通知公告").newest, None);
}

#[test]
fn a_hub_page_of_sub_columns_is_not_a_stale_list() {
    let rubric = Rubric::default_rubric();
    let cal = Calendar::default_cn();
    let home = "<html><body><div class=\"nav\"><ul><li><a href=\"/hdjl/\">互动交流</a></li></ul></div></body></html>";
    let hub = page(
        "/hdjl/",
        "<html><head><meta name=\"ColumnName\" content=\"互动交流\"></head><body><ul class=\"list\"><li><a href=\"/xzxx/\">县长信箱</a></li>\
         <li><a href=\"/yjzj/\">意见征集</a></li><li><a href=\"/zxft/\">在线访谈</a></li></ul></body></html>"
            .into(),
    );
    let r = score_capture(&with_pages(site("", "", vec![]), home, vec![hub]), &rubric, &cal, t0());
    assert!(finding(&r, "publish.undated_items").is_none(), "{:?}", r.findings);
    let undated_list = page(
        "/hdjl/",
        "<html><head><meta name=\"ColumnName\" content=\"互动交流\"></head><body><ul class=\"list\"><li><a href=\"/a/1.html\">关于开展某项工作的情况说明</a></li>\
         <li><a href=\"/a/2.html\">关于另一项工作的情况说明</a></li></ul></body></html>"
            .into(),
    );
    let r = score_capture(&with_pages(site("", "", vec![]), home, vec![undated_list]), &rubric, &cal, t0());
    assert!(finding(&r, "publish.undated_items").is_some(), "a real list without dates still counts");
}

#[test]
fn letter_spaced_footer_labels_are_read() {
    let rubric = Rubric::default_rubric();
    let cal = Calendar::default_cn();
    let home = "<html><body><div class=\"footer\"><p>主　办　单　位：测试县人民政府办公室</p><p>网 站 标 识 码：5100000062</p></div></body></html>";
    let r = score_capture(&with_pages(site("", "", vec![]), home, vec![]), &rubric, &cal, t0());
    assert_eq!(r.identity.site_code.as_deref(), Some("5100000062"));
    assert_eq!(r.identity.sponsor.as_deref(), Some("测试县人民政府办公室"));
}
