//! Small hand-written sites for the checks' unit tests: a few pages, probes and link checks, read by the same analysis
//! the scorer uses, then one rule of the shipped default rubric applied. T0 is 2025-11-20 12:00 (+08:00).

use super::Occurrence;
use crate::analysis;
use crate::engine::Ctx;
use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use gongkai_archive::{CapturedPage, LinkCheck, LinkOutcome, Probe, ProbeSource, SiteCapture, SnapshotInfo, WarcRef};
use gongkai_config::{Calendar, Check, Level, Rubric, Site};
use url::Url;

pub const HOST: &str = "http://www.test.gov.cn";

pub fn t0() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(2025, 11, 20, 12, 0, 0).unwrap()
}

pub fn url(path: &str) -> Url {
    Url::parse(&format!("{HOST}{path}")).unwrap()
}

/// A site under construction: pages by path, probes, link checks.
pub struct TestSite {
    pub capture: SiteCapture,
}

impl TestSite {
    pub fn new() -> TestSite {
        TestSite {
            capture: SiteCapture {
                site: Site {
                    id: "test".into(),
                    name: "测试县人民政府".into(),
                    url: url("/"),
                    region: vec!["测试省".into(), "测试市".into(), "测试县".into()],
                    level: Level::County,
                    platform: None,
                    rate: 2.0,
                    max_pages: 100,
                    max_depth: 3,
                    max_link_checks: gongkai_config::DEFAULT_MAX_LINK_CHECKS,
                },
                snapshot: SnapshotInfo { seq: 1, started_at: Utc::now(), finished_at: Some(Utc::now()) },
                pages: Vec::new(),
                failures: Vec::new(),
                link_checks: Vec::new(),
                probes: Vec::new(),
                tls: vec![],
                ipv6: None,
            },
        }
    }

    pub fn home_url(mut self, u: &str) -> TestSite {
        self.capture.site.url = Url::parse(u).unwrap();
        self
    }

    /// A page answered 200 with `html` (UTF-8).
    pub fn page(mut self, path: &str, html: impl Into<String>) -> TestSite {
        let url = if path.starts_with("http") { Url::parse(path).unwrap() } else { url(path) };
        self.capture.pages.push(CapturedPage {
            depth: if url.path() == "/" { 0 } else { 1 },
            url,
            fetched_at: Utc.with_ymd_and_hms(2025, 11, 20, 1, 0, 0).unwrap(),
            status: 200,
            headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
            body: html.into().into_bytes(),
            warc: WarcRef { file: "warc/t.warc.gz".into(), offset: 0, record_id: format!("urn:uuid:{path}") },
        });
        self
    }

    /// A redirect (301) from `from` to `to`.
    pub fn redirect(mut self, from: &str, to: &str) -> TestSite {
        let url = if from.starts_with("http") { Url::parse(from).unwrap() } else { url(from) };
        self.capture.pages.push(CapturedPage {
            depth: 0,
            url,
            fetched_at: Utc.with_ymd_and_hms(2025, 11, 20, 1, 0, 0).unwrap(),
            status: 301,
            headers: vec![("Location".into(), to.into())],
            body: Vec::new(),
            warc: WarcRef { file: "warc/t.warc.gz".into(), offset: 0, record_id: format!("urn:uuid:{from}") },
        });
        self
    }

    /// The whole site scored by the default rubric with `adjustments`.
    pub fn score(&self, adjustments: &[crate::adjustments::Adjustment]) -> crate::results::SiteResult {
        crate::score_capture_with(&self.capture, &Rubric::default_rubric(), &Calendar::default_cn(), t0(), adjustments)
    }

    /// `n` probes of the home page on 2025-11-18, the first `failed` of them without an answer.
    pub fn probes(mut self, n: usize, failed: usize, source: ProbeSource) -> TestSite {
        self.capture.probes.extend((0..n).map(|i| Probe {
            site_id: "test".into(),
            url: url("/"),
            at: Utc.with_ymd_and_hms(2025, 11, 18, 0, 0, 0).unwrap() + chrono::Duration::minutes(i as i64),
            duration_ms: 300,
            status: if i < failed { None } else { Some(200) },
            error: if i < failed { Some("timeout".into()) } else { None },
            source,
        }));
        self
    }

    /// A link check of the outbound `target` (a full URL) that answered 200 with the HTML page `html`, served from
    /// `final_url` (the target itself, or where it now redirects); registrable domains as their last two labels.
    pub fn linked_page(mut self, target: &str, final_url: &str, html: &str) -> TestSite {
        let domain = |u: &Url| {
            let h = u.host_str().unwrap_or("");
            Some(h.split('.').rev().take(2).collect::<Vec<_>>().into_iter().rev().collect::<Vec<_>>().join("."))
        };
        let (target, final_url) = (Url::parse(target).unwrap(), Url::parse(final_url).unwrap());
        self.capture.link_checks.push(LinkCheck {
            checked_at: Utc.with_ymd_and_hms(2025, 11, 20, 1, 0, 0).unwrap(),
            outcome: LinkOutcome::Status { status: 200 },
            page: Some(gongkai_archive::LinkedPage {
                domain: domain(&final_url),
                target_domain: domain(&target),
                status: 200,
                warc: WarcRef { file: "warc/t.warc.gz".into(), offset: 7, record_id: format!("urn:uuid:{final_url}") },
                body: html.as_bytes().to_vec(),
                headers: vec![("Content-Type".into(), "text/html; charset=utf-8".into())],
                url: final_url,
            }),
            target,
        });
        self
    }

    /// A link check of `target` answered with `status`.
    pub fn link_status(mut self, target: &str, status: u16) -> TestSite {
        let target = if target.starts_with("http") { Url::parse(target).unwrap() } else { url(target) };
        self.capture.link_checks.push(LinkCheck {
            target,
            checked_at: Utc.with_ymd_and_hms(2025, 11, 20, 1, 0, 0).unwrap(),
            outcome: LinkOutcome::Status { status },
            page: None,
        });
        self
    }

    /// The occurrences of the default rubric's rule `rule_id` on this site.
    pub fn occurrences(&self, rule_id: &str) -> Vec<Occurrence> {
        let rubric = Rubric::default_rubric();
        let rule = rubric.rule(rule_id).unwrap_or_else(|| panic!("no rule {rule_id}"));
        self.occurrences_of(&rule.check, &rubric)
    }

    /// The occurrences of `check` on this site, with `rubric`'s categories and identity patterns.
    pub fn occurrences_of(&self, check: &Check, rubric: &Rubric) -> Vec<Occurrence> {
        let as_of = t0();
        let t0 = as_of.with_timezone(&gongkai_config::ASSESSMENT_TZ).date_naive();
        let calendar = Calendar::default_cn();
        let a = analysis::analyze(&self.capture, rubric, t0);
        super::occurrences(check, &a, &Ctx { rubric, calendar: &calendar, as_of, t0 })
    }
}

/// A home page: a navigation menu of `(href, name)`, a list of dated `(href, title, date)` items, `extra` HTML and a
/// footer with every identity element.
pub fn home(nav: &[(&str, &str)], items: &[(&str, &str, &str)], extra: &str) -> String {
    let mut h = String::from(
        "<html><head><title>测试县人民政府</title></head><body><div class=\"nav\"><ul><li><a href=\"/\">首页</a></li>",
    );
    for (href, name) in nav {
        h.push_str(&format!("<li><a href=\"{href}\">{name}</a></li>"));
    }
    h.push_str("</ul></div><div class=\"news\"><ul>");
    for (href, title, date) in items {
        h.push_str(&format!("<li><a href=\"{href}\">{title}</a><span>{date}</span></li>"));
    }
    h.push_str("</ul></div>");
    h.push_str(extra);
    h.push_str(FOOTER);
    h.push_str("</body></html>");
    h
}

/// A footer that shows every identity element of the default rubric.
pub const FOOTER: &str = "<div class=\"footer\">主办单位：测试县人民政府办公室 联系电话：0838-1234567 \
    网站标识码：5100000001 <a href=\"https://beian.miit.gov.cn/\">蜀ICP备12345678号-1</a> \
    <a href=\"http://www.beian.gov.cn/\">川公网安备 51010602000123号</a> \
    <script src=\"https://dcs.conac.cn/js/33/000/0000/60429971/CA330000000604299710002.js\"></script> \
    <a href=\"https://zfwzgl.www.gov.cn/exposure/jiucuo.html?site_code=5100000001\">我为政府网站找错</a></div>";

/// A column page `name` listing dated `(href, title, date)` items.
pub fn list(name: &str, items: &[(&str, &str, &str)]) -> String {
    let mut h = format!(
        "<html><head><meta name=\"ColumnName\" content=\"{name}\"></head><body><div class=\"nav\"><ul><li><a href=\"/\">首页</a></li></ul></div><ul class=\"list\">"
    );
    for (href, title, date) in items {
        h.push_str(&format!("<li><a href=\"{href}\">{title}</a><span>{date}</span></li>"));
    }
    h.push_str("</ul></body></html>");
    h
}

/// An article page with its 成文日期 and 发布日期.
pub fn article(title: &str, written: &str, published: &str, extra: &str) -> String {
    format!(
        "<html><head><meta name=\"ArticleTitle\" content=\"{title}\"><meta name=\"PubDate\" content=\"{published}\"></head><body>\
         <table><tr><td>成文日期：</td><td>{written}</td><td>发布日期：</td><td>{published}</td></tr></table><h1>{title}</h1><div>{extra}</div></body></html>"
    )
}

/// `n` items dated `date`, linked under `dir`.
pub fn items(dir: &str, n: usize, date: &str) -> Vec<(String, String, String)> {
    (1..=n)
        .map(|i| {
            (
                format!("{dir}t{}_{i}.html", date.replace('-', "")),
                format!("关于做好第{i}项工作的通知"),
                date.to_string(),
            )
        })
        .collect()
}

/// Borrowed view of [`items`] for [`home`] and [`list`].
pub fn refs(v: &[(String, String, String)]) -> Vec<(&str, &str, &str)> {
    v.iter().map(|(a, b, c)| (a.as_str(), b.as_str(), c.as_str())).collect()
}
