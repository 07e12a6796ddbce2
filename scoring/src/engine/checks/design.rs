//! Service and design checks: entries and links that answer, identity elements, search, domain.
//!
//! Parameters and their placeholders: `config/src/check/design.rs`.

use super::Occurrence;
use crate::analysis::footer::outcome_label;
use crate::analysis::{homepage, SiteAnalysis, Source};
use crate::engine::evidence;
use crate::engine::identity;
use gongkai_config::check::{BrokenLinks, DomainRule, Emblem, EntryBroken, IdentityMissing, LinkScope, SearchForm};
use gongkai_config::Rubric;
use std::collections::{BTreeMap, BTreeSet};

pub(super) fn entry_broken(p: &EntryBroken, a: &SiteAnalysis) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for c in a.columns.iter().filter(|c| c.category.as_ref().is_some_and(|x| p.categories.contains(x))) {
        let status = if let Some(lc) = a.link_checks.get(c.url.as_str()) {
            lc.is_broken().then(|| outcome_label(lc))
        } else if let Some(pg) = c.page {
            (!a.docs[pg].ok()).then(|| format!("HTTP {}", a.docs[pg].status))
        } else {
            None
        };
        if let Some(status) = status {
            out.push(
                Occurrence::new()
                    .set("column", c.name.clone())
                    .set("url", c.url.to_string())
                    .set("status", status.clone())
                    .ev(
                        &Source { url: c.url.clone(), warc: c.page.map(|p| a.docs[p].warc.clone()) },
                        format!("入口链接访问结果：{status}"),
                    ),
            );
        }
    }
    out
}

pub(super) fn broken_links(p: &BrokenLinks, a: &SiteAnalysis) -> Vec<Occurrence> {
    let home_targets: BTreeSet<String> =
        a.home_doc().map(|h| h.links.iter().map(|l| l.href.as_str().to_string()).collect()).unwrap_or_default();
    // target → first page that links it
    let mut found: BTreeMap<String, usize> = BTreeMap::new();
    for (i, d) in a.docs.iter().enumerate() {
        if !d.ok() || !d.is_html {
            continue;
        }
        let is_home = Some(i) == a.home;
        let wanted = match p.scope {
            LinkScope::Home => is_home,
            LinkScope::Elsewhere => !is_home,
            LinkScope::All => true,
        };
        if !wanted {
            continue;
        }
        for l in &d.links {
            let t = l.href.as_str();
            if p.scope == LinkScope::Elsewhere && home_targets.contains(t) {
                continue;
            }
            if a.link_checks.get(t).is_some_and(|lc| lc.is_broken()) {
                found.entry(t.to_string()).or_insert(i);
            }
        }
    }
    found
        .into_iter()
        .map(|(t, i)| {
            let lc = &a.link_checks[&t];
            let status = outcome_label(lc);
            let src = a.source(i);
            Occurrence::new()
                .set("target", t.clone())
                .set("source", src.url.to_string())
                .set("status", status.clone())
                .ev(&src, format!("链接 {t} 访问结果：{status}"))
        })
        .collect()
}

pub(super) fn search_form(p: &SearchForm, a: &SiteAnalysis) -> Vec<Occurrence> {
    if a.home.is_none() || homepage::has_search_form(&a.footer, &p.hints) {
        return Vec::new();
    }
    vec![Occurrence::new().ev(&a.home_source(), "首页未发现站内搜索表单")]
}

pub(super) fn domain_rule(p: &DomainRule, a: &SiteAnalysis) -> Vec<Occurrence> {
    let host = a.site.url.host_str().unwrap_or("").to_ascii_lowercase();
    if p.pattern_for(a.site.level).is_match(&host) {
        return Vec::new();
    }
    let expected = if a.site.level.is_government() { "www.<名称>.gov.cn" } else { "<部门>.<政府域名>.gov.cn" };
    vec![Occurrence::new()
        .set("host", host.clone())
        .set("expected", expected)
        .ev(&a.home_source(), format!("域名 {host}"))]
}

/// `identity_missing`: the elements the home page does not show.
pub(super) fn identity_missing(p: &IdentityMissing, a: &SiteAnalysis, rubric: &Rubric) -> Vec<Occurrence> {
    if a.home.is_none() {
        return Vec::new();
    }
    let src = a.home_source();
    p.elements
        .iter()
        .filter(|k| identity::find(a, rubric, **k).is_none())
        .map(|k| {
            let label = rubric.identity.get(k).map(|e| e.label.clone()).unwrap_or_else(|| k.as_str().to_string());
            let mut o = Occurrence::new();
            o.values.insert("element", k.as_str().to_string());
            o.values.insert("element_name", label.clone());
            o.evidence.push(evidence(&src, format!("首页未发现{label}")));
            o
        })
        .collect()
}

/// What the emblem check concludes about the home page (docs/rules.md `design.emblem`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EmblemOutcome {
    /// An image-like element names the emblem.
    Found,
    /// Nothing names it, but an image or a stylesheet could show it, or the header could not be read.
    Undetermined,
    /// The home page was read and its header region has no image of any kind.
    Absent,
}

/// Lower-cased ASCII alphanumeric tokens of `s` (anything else separates).
fn latin_tokens(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| !t.is_empty()).map(|t| t.to_ascii_lowercase()).collect()
}

/// Does `text` name the emblem? Words with non-ASCII characters match as substrings, Latin words as whole tokens
/// (a run of consecutive tokens for a word of several).
pub(crate) fn names_emblem(text: &str, words: &[String]) -> bool {
    let tokens = latin_tokens(text);
    words.iter().any(|w| {
        if w.is_ascii() {
            let wt = latin_tokens(w);
            !wt.is_empty() && tokens.windows(wt.len()).any(|win| win == wt.as_slice())
        } else {
            text.contains(w.trim())
        }
    })
}

pub(crate) fn emblem_outcome(p: &Emblem, a: &SiteAnalysis) -> EmblemOutcome {
    let Some(h) = a.home_doc() else { return EmblemOutcome::Undetermined };
    let hi = &h.header_images;
    // a named emblem anywhere on the home page counts: the law asks for it on the home page
    if hi.named.iter().any(|(_, names)| names_emblem(names, &p.words)) {
        return EmblemOutcome::Found;
    }
    if !h.ok() || !h.is_html || h.unreadable.is_some() || !h.has_menu() {
        return EmblemOutcome::Undetermined;
    }
    let script_draws = {
        let s = h.inline_script.to_ascii_lowercase();
        s.contains("<img") || s.contains("url(")
    };
    if hi.count > 0 || hi.style_url || hi.scripts > 0 || script_draws {
        return EmblemOutcome::Undetermined;
    }
    // a linked stylesheet could draw the emblem as a background: it must be archived and reference nothing
    for css in &hi.stylesheets {
        let archived = a.docs.iter().find(|d| d.url == *css && d.ok());
        if archived.and_then(|d| d.css_url) != Some(false) {
            return EmblemOutcome::Undetermined;
        }
    }
    EmblemOutcome::Absent
}

/// `emblem`: one occurrence when the home page certainly shows no emblem (its header has no image at all).
pub(super) fn emblem(p: &Emblem, a: &SiteAnalysis) -> Vec<Occurrence> {
    if emblem_outcome(p, a) != EmblemOutcome::Absent {
        return Vec::new();
    }
    vec![Occurrence::new()
        .set("problem", "首页页头未展示国徽（页头无任何图片）")
        .ev(&a.home_source(), "首页页头无任何图片，页面样式表未引用背景图片，未发现国徽")]
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;

    fn home_with(nav: &[(&str, &str)], extra: &str) -> TestSite {
        TestSite::new().page("/", home(nav, &[("/x/t1.html", "本县召开工作会议", "2025-11-18")], extra))
    }

    #[test]
    fn entry_broken_when_the_service_entry_fails() {
        let entry = "http://zwfw.test.gov.cn/";
        let broken = home_with(&[(entry, "政务服务")], "").link_status(entry, 502);
        let o = broken.occurrences("service.entry_broken");
        assert_eq!(o.len(), 1, "{o:?}");
        assert_eq!(o[0].values["column"], "政务服务");
        assert!(home_with(&[(entry, "政务服务")], "")
            .link_status(entry, 200)
            .occurrences("service.entry_broken")
            .is_empty());
    }

    #[test]
    fn broken_links_by_scope() {
        let site = home_with(&[], "<a href=\"/gone.html\">旧链接</a>").link_status("/gone.html", 404);
        let o = site.occurrences("design.broken_links_home");
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].values["status"], "HTTP 404");
        assert!(site.occurrences("design.broken_links_site").is_empty(), "a home page link is not counted twice");
        assert!(home_with(&[], "<a href=\"/ok.html\">好链接</a>")
            .link_status("/ok.html", 200)
            .occurrences("design.broken_links_home")
            .is_empty());
    }

    #[test]
    fn identity_missing_names_each_absent_element() {
        assert!(home_with(&[], "").occurrences("design.identity").is_empty());
        let bare = TestSite::new().page("/", "<html><body><ul><li><a href=\"/a.html\">本县召开工作会议</a><span>2025-11-18</span></li></ul></body></html>");
        let o = bare.occurrences("design.identity");
        assert_eq!(o.len(), 6);
        assert_eq!(o[0].values["element"], "site_code");
        assert_eq!(o[0].values["element_name"], "网站标识码");
        assert_eq!(bare.occurrences("design.error_entry").len(), 1);
    }

    #[test]
    fn search_form_by_its_hints() {
        assert_eq!(home_with(&[], "").occurrences("design.search").len(), 1);
        let form = "<form action=\"/search/\"><input type=\"text\" name=\"keyword\"><input type=\"submit\"></form>";
        assert!(home_with(&[], form).occurrences("design.search").is_empty());
    }

    #[test]
    fn domain_rule_by_level() {
        assert!(home_with(&[], "").occurrences("design.domain").is_empty());
        let odd = TestSite::new()
            .home_url("http://test.example.com/")
            .page("http://test.example.com/", home(&[], &[("/x/t1.html", "本县召开工作会议", "2025-11-18")], ""));
        let o = odd.occurrences("design.domain");
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].values["host"], "test.example.com");
    }

    /// A home page with `header` before the menu (the kit's `home` puts the menu first).
    fn emblem_home(header: &str, head: &str, extra: &str) -> String {
        home(&[("/zwgk/", "政务公开")], &[("/x/t1.html", "本县召开工作会议", "2025-11-18")], extra)
            .replacen("<head>", &format!("<head>{head}"), 1)
            .replacen("<body>", &format!("<body>{header}"), 1)
    }

    fn emblem_site(header: &str, head: &str, extra: &str) -> TestSite {
        TestSite::new().page("/", emblem_home(header, head, extra))
    }

    fn emblem_outcome(site: &TestSite) -> super::EmblemOutcome {
        let rubric = gongkai_config::Rubric::default_rubric();
        let Some(gongkai_config::Check::Emblem(p)) = rubric.rule("design.emblem").map(|r| r.check.clone()) else {
            panic!("design.emblem")
        };
        let t0 = t0().with_timezone(&gongkai_config::ASSESSMENT_TZ).date_naive();
        super::emblem_outcome(&p, &crate::analysis::analyze(&site.capture, &rubric, t0))
    }

    #[test]
    fn emblem_found_by_alt_title_file_name_and_link_title() {
        use super::EmblemOutcome::Found;
        for header in [
            "<div class=\"header\"><img src=\"/images/a1.png\" alt=\"国徽\"></div>",
            "<div class=\"header\"><img src=\"/images/a1.png\" title=\"中华人民共和国国徽\"></div>",
            "<div class=\"header\"><img src=\"/images/guohui.png\"></div>",
            "<div class=\"header\"><img src=\"/images/National-Emblem_small.png\"></div>",
            "<div class=\"header\"><a href=\"/\" title=\"国徽\"><img src=\"/images/x.png\"></a></div>",
            "<div class=\"header\"><svg><title>Emblem</title></svg></div>",
            "<div class=\"header\"><span style=\"background:url(/img/guohui.gif)\"></span></div>",
            "<div class=\"header\"><figure><img src=\"/i/1.png\"><figcaption>国徽</figcaption></figure></div>",
        ] {
            let site = emblem_site(header, "", "");
            assert_eq!(emblem_outcome(&site), Found, "{header}");
            assert!(site.occurrences("design.emblem").is_empty(), "{header}");
        }
    }

    #[test]
    fn emblem_latin_words_match_whole_tokens_only() {
        let words = vec!["国徽".to_string(), "guohui".to_string(), "national emblem".to_string()];
        assert!(super::names_emblem("guohui_logo.png", &words));
        assert!(super::names_emblem("the National  Emblem of China", &words));
        assert!(!super::names_emblem("guohua.jpg", &words));
        assert!(!super::names_emblem("gh.png", &words));
        assert!(!super::names_emblem("guohuiyi.png", &words));
        assert!(!super::names_emblem("national.png emblemx", &words));
        // guohua.jpg is an image: undetermined, never found, never deducted
        let site = emblem_site("<div class=\"header\"><img src=\"/images/guohua.jpg\"></div>", "", "");
        assert_eq!(emblem_outcome(&site), super::EmblemOutcome::Undetermined);
        assert!(site.occurrences("design.emblem").is_empty());
    }

    #[test]
    fn emblem_undetermined_for_unnamed_logo_css_background_and_missing_stylesheet() {
        use super::EmblemOutcome::Undetermined;
        let logo = emblem_site("<div class=\"logo\"><img src=\"images/logo.png\"></div>", "", "");
        assert_eq!(emblem_outcome(&logo), Undetermined);
        assert!(logo.occurrences("design.emblem").is_empty());
        let style = emblem_site(
            "<div class=\"top\"><h1>测试县人民政府</h1></div>",
            "<style>.top{background:url(../images/top.jpg) no-repeat}</style>",
            "",
        );
        assert_eq!(emblem_outcome(&style), Undetermined);
        assert!(style.occurrences("design.emblem").is_empty());
        let linked = "<link rel=\"stylesheet\" href=\"/css/main.css\">";
        let missing = emblem_site("<div class=\"top\"><h1>测试县人民政府</h1></div>", linked, "");
        assert_eq!(emblem_outcome(&missing), Undetermined, "a stylesheet the archive does not hold");
        assert!(missing.occurrences("design.emblem").is_empty());
        let mut drawn = emblem_site("<div class=\"top\"><h1>测试县人民政府</h1></div>", linked, "");
        drawn.capture.pages.push(css_page("/css/main.css", ".top{background:url(/i/bg.png)}"));
        assert_eq!(emblem_outcome(&drawn), Undetermined);
        // a header image before the menu without any header class
        let before = emblem_site("<p><img src=\"/a.png\"></p>", "", "");
        assert_eq!(emblem_outcome(&before), Undetermined);
    }

    fn css_page(path: &str, css: &str) -> gongkai_archive::CapturedPage {
        gongkai_archive::CapturedPage {
            url: url(path),
            fetched_at: chrono::Utc::now(),
            status: 200,
            headers: vec![("Content-Type".into(), "text/css".into())],
            body: css.as_bytes().to_vec(),
            depth: 1,
            warc: gongkai_archive::WarcRef {
                file: "warc/t.warc.gz".into(),
                offset: 9,
                record_id: "urn:uuid:css".into(),
            },
        }
    }

    #[test]
    fn emblem_absent_for_a_text_only_header_with_a_menu() {
        let site = emblem_site("<div class=\"header\"><h1>测试县人民政府</h1></div>", "", "");
        let o = site.occurrences("design.emblem");
        assert_eq!(o.len(), 1, "{o:?}");
        assert_eq!(o[0].values["problem"], "首页页头未展示国徽（页头无任何图片）");
        assert_eq!(o[0].evidence[0].url, url("/").to_string());
        assert_eq!(o[0].evidence[0].warc.as_ref().map(|w| w.file.as_str()), Some("warc/t.warc.gz"));
        // an archived stylesheet without url() draws nothing
        let mut styled = emblem_site(
            "<div class=\"header\"><h1>测试县人民政府</h1></div>",
            "<link rel=\"stylesheet\" href=\"/css/main.css\">",
            "",
        );
        styled.capture.pages.push(css_page("/css/main.css", "body{color:#333;font-family:sans-serif}"));
        assert_eq!(styled.occurrences("design.emblem").len(), 1);
        // footer badges and news pictures below the menu are not header images
        let below = emblem_site("", "", "<div class=\"pic\"><img src=\"/p/1.jpg\"></div>");
        assert_eq!(below.occurrences("design.emblem").len(), 1);
    }

    #[test]
    fn emblem_named_outside_the_header_counts_as_found() {
        let site = emblem_site("", "", "<div class=\"pic\"><img src=\"/p/1.jpg\" alt=\"国徽\"></div>");
        assert_eq!(emblem_outcome(&site), super::EmblemOutcome::Found);
        assert!(site.occurrences("design.emblem").is_empty());
    }

    #[test]
    fn emblem_undetermined_for_a_script_rendered_page() {
        let site = TestSite::new().page(
            "/",
            "<html><head><script src=\"/app.js\"></script></head><body><div id=\"app\"></div></body></html>",
        );
        assert_eq!(emblem_outcome(&site), super::EmblemOutcome::Undetermined);
        assert!(site.occurrences("design.emblem").is_empty());
    }

    #[test]
    fn emblem_applies_to_county_level_and_above_only() {
        use gongkai_config::Level;
        let rubric = gongkai_config::Rubric::default_rubric();
        let rule = rubric.rule("design.emblem").unwrap();
        for level in [Level::Province, Level::City, Level::County] {
            assert!(rule.applies_to(level), "{level:?}");
        }
        for level in [Level::Township, Level::Department] {
            assert!(!rule.applies_to(level), "{level:?}: 国徽法 covers 县级以上人民政府 portals only");
        }
    }
}
