//! Self-consistency of the CMS-family province: pages, links, reachability, truth arithmetic, scenario mix,
//! determinism, and that what the pages print agrees with what the oracle assumes.

use gongkai_sample::families::{Family, FamilyProvince};
use gongkai_sample::{default_t0, GroundTruth, SampleResponse, SiteSource, SiteTruth};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet, VecDeque};

const SEEDS: std::ops::RangeInclusive<u64> = 1..=5;

fn decode(r: &SampleResponse) -> String {
    let ct = r.header("content-type").unwrap_or("").to_ascii_lowercase();
    let head = String::from_utf8_lossy(&r.body[..r.body.len().min(400)]).to_ascii_lowercase();
    if ct.contains("gbk") || ct.contains("gb2312") || head.contains("charset=gb") {
        encoding_rs::GBK.decode(&r.body).0.into_owned()
    } else {
        String::from_utf8(r.body.clone()).expect("utf-8 body")
    }
}

fn is_html(r: &SampleResponse) -> bool {
    r.header("content-type").unwrap_or("").starts_with("text/html")
}

fn resolve(base: &url::Url, href: &str) -> Option<url::Url> {
    let h = href.trim().replace("&amp;", "&");
    let h = h.as_str();
    if h.is_empty()
        || h.starts_with('#')
        || h.starts_with("mailto:")
        || h.starts_with("javascript:")
        || h.starts_with("tel:")
    {
        return None;
    }
    let mut u = base.join(h).ok()?;
    u.set_fragment(None);
    Some(u)
}

fn pq(u: &url::Url) -> String {
    match u.query() {
        Some(q) => format!("{}?{q}", u.path()),
        None => u.path().to_string(),
    }
}

/// GET following up to 5 redirects; robots.txt `Disallow: /search/` honoured by the callers.
fn fetch(p: &FamilyProvince, u: &url::Url) -> Option<(url::Url, SampleResponse)> {
    let mut cur = u.clone();
    for _ in 0..6 {
        let r = p.render(cur.host_str()?, &pq(&cur))?;
        if (300..400).contains(&r.status) {
            cur = cur.join(r.header("location")?).ok()?;
            continue;
        }
        return Some((cur, r));
    }
    None
}

fn a_hrefs(html: &str) -> Vec<String> {
    let re = Regex::new(r#"(?i)<a\s[^>]*?href\s*=\s*["']([^"']*)["']"#).unwrap();
    re.captures_iter(html).map(|c| c[1].to_string()).collect()
}

fn all_links(html: &str) -> Vec<String> {
    let re = Regex::new(r#"(?i)<(?:a|area|iframe|script)\s[^>]*?(?:href|src)\s*=\s*["']([^"']*)["']"#).unwrap();
    re.captures_iter(html).map(|c| c[1].to_string()).collect()
}

fn provinces() -> Vec<(Family, u64, FamilyProvince, GroundTruth)> {
    let mut v = vec![];
    for f in Family::ALL {
        for seed in SEEDS {
            let p = FamilyProvince::generate(f, seed, default_t0());
            let gt = p.ground_truth();
            v.push((f, seed, p, gt));
        }
    }
    v
}

fn in_scope(s: &SiteTruth, plat: Option<(&str, &str)>, u: &url::Url) -> bool {
    let host = u.host_str().unwrap_or("");
    host == s.host || plat.is_some_and(|(h, pre)| h == host && u.path().starts_with(pre))
}

#[test]
fn every_expected_page_renders_200_html_and_is_archived() {
    for (f, seed, p, gt) in provinces() {
        assert_eq!(gt.sites.len(), 6, "{f:?}");
        for s in &gt.sites {
            let pages = p.site_pages(&s.id);
            let archived: BTreeMap<String, &SampleResponse> = pages.iter().map(|(u, r)| (u.to_string(), r)).collect();
            assert!(s.expected_pages.len() >= 30, "{f:?} {seed} {} has {} pages", s.id, s.expected_pages.len());
            for e in &s.expected_pages {
                let u = url::Url::parse(e).unwrap();
                let r = p.render(u.host_str().unwrap(), &pq(&u)).unwrap();
                assert_eq!(r.status, 200, "{e}");
                assert!(is_html(&r), "{e}");
                let a = archived.get(&u.to_string()).unwrap_or_else(|| panic!("{e} not in site_pages"));
                assert_eq!(a.status, 200);
                let text = decode(&r);
                assert!(text.contains("</html>"), "{e}");
            }
            for (u, r) in &pages {
                assert!(u.port().is_none());
                assert!(matches!(r.status, 200 | 302 | 404), "{u} {}", r.status);
            }
        }
    }
}

/// A correct crawler (links, image maps, iframes, scripts, Hanweb nextgroup records, gkmlpt `_CONFIG` + JSON) reaches
/// exactly the expected pages, and every other resource it fetches is in `site_pages`.
#[test]
fn a_correct_crawl_reaches_exactly_the_expected_pages() {
    let cfg = Regex::new(r#"window\._CONFIG = \{"SID": "([^"]+)", "CATID": (\d+), "API_BASE": "([^"]+)"\};"#).unwrap();
    // TRS pagers: createPageHTML(total, current, "index", "html") → index.html, index_1.html, …
    let trs_pager = Regex::new(r#"createPageHTML\(\s*(\d+)\s*,\s*\d+\s*,\s*"([^"]+)"\s*,\s*"([^"]+)"\s*\)"#).unwrap();
    for (f, seed, p, gt) in provinces() {
        for s in &gt.sites {
            let plat_url = s.platform.as_ref().map(|x| url::Url::parse(x).unwrap());
            let plat = plat_url.as_ref().map(|u| (u.host_str().unwrap(), u.path()));
            let archived: BTreeSet<String> = p.site_pages(&s.id).into_iter().map(|(u, _)| u.to_string()).collect();
            let mut queue: VecDeque<url::Url> = VecDeque::new();
            queue.push_back(url::Url::parse(&s.url).unwrap());
            if let Some(u) = &plat_url {
                queue.push_back(u.clone());
            }
            let mut seen = BTreeSet::new();
            let mut html_ok = BTreeSet::new();
            while let Some(u) = queue.pop_front() {
                if !seen.insert(u.to_string()) || u.path().starts_with("/search/") {
                    continue;
                }
                assert!(archived.contains(&u.to_string()), "{f:?} {seed} {}: fetched {u} not in site_pages", s.id);
                let r = p.render(u.host_str().unwrap(), &pq(&u)).unwrap();
                let mut links: Vec<String> = vec![];
                if (300..400).contains(&r.status) {
                    links.push(r.header("location").unwrap().to_string());
                } else if r.status == 200 && is_html(&r) {
                    html_ok.insert(u.to_string());
                    let text = decode(&r);
                    links.extend(all_links(&text));
                    for c in cfg.captures_iter(&text) {
                        links.push(format!("{}{}?page=1&sid={}", &c[3], &c[2], &c[1]));
                    }
                    for c in trs_pager.captures_iter(&text) {
                        let total: usize = c[1].parse().unwrap();
                        links.push(format!("{}.{}", &c[2], &c[3]));
                        links.extend((1..total).map(|i| format!("{}_{i}.{}", &c[2], &c[3])));
                    }
                } else if r.status == 200 && r.header("content-type").unwrap().contains("json") {
                    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
                    let arts = v["articles"].as_array().unwrap();
                    for a in arts {
                        links.push(a["url"].as_str().unwrap().to_string());
                    }
                    let page = v["page"].as_u64().unwrap();
                    let total = v["total"].as_u64().unwrap();
                    if !arts.is_empty() && page * (arts.len() as u64) < total {
                        let q = pq(&u).replace(&format!("page={page}"), &format!("page={}", page + 1));
                        links.push(q);
                    }
                } else if r.status == 200 && r.header("content-type").unwrap().contains("xml") {
                    links.extend(a_hrefs(&decode(&r)));
                }
                for l in links {
                    if let Some(t) = resolve(&u, &l) {
                        if in_scope(s, plat, &t) {
                            queue.push_back(t);
                        }
                    }
                }
            }
            let expected: BTreeSet<String> = s.expected_pages.iter().cloned().collect();
            let missing: Vec<_> = expected.difference(&html_ok).collect();
            let extra: Vec<_> = html_ok.difference(&expected).collect();
            assert!(missing.is_empty(), "{f:?} {seed} {}: unreachable {missing:?}", s.id);
            assert!(extra.is_empty(), "{f:?} {seed} {}: unexpected {extra:?}", s.id);
        }
    }
}

/// Every `<a href>` of every archived HTML page answers 2xx (after redirects) or is a broken link the truth records, on
/// the home page or elsewhere exactly as recorded.
#[test]
fn every_link_resolves_or_is_a_recorded_broken_link() {
    for (f, seed, p, gt) in provinces() {
        for s in &gt.sites {
            let site = p.site(&s.id).unwrap();
            let home = FamilyProvince::home_url(site);
            let mut broken_home = BTreeSet::new();
            let mut broken_else = BTreeSet::new();
            let mut checked: BTreeMap<String, bool> = BTreeMap::new();
            for (u, r) in p.site_pages(&s.id) {
                if r.status != 200 || !is_html(&r) {
                    continue;
                }
                for l in a_hrefs(&decode(&r)) {
                    let Some(t) = resolve(&u, &l) else { continue };
                    if t.path().starts_with("/search/") {
                        continue;
                    }
                    let ok = *checked.entry(t.to_string()).or_insert_with(|| {
                        let res = fetch(&p, &t);
                        assert!(res.is_some(), "{f:?} {seed} {}: {t} (on {u}) has no answer", s.id);
                        (200..300).contains(&res.unwrap().1.status)
                    });
                    if !ok {
                        if u.as_str() == home {
                            broken_home.insert(t.to_string());
                        } else {
                            broken_else.insert(t.to_string());
                        }
                    }
                }
            }
            let broken_else: BTreeSet<String> = broken_else.difference(&broken_home).cloned().collect();
            let th: BTreeSet<String> = s.broken_links_home.iter().cloned().collect();
            let te: BTreeSet<String> = s.broken_links_elsewhere.iter().cloned().collect();
            assert_eq!(broken_home, th, "{f:?} {seed} {} home", s.id);
            assert_eq!(broken_else, te, "{f:?} {seed} {} elsewhere", s.id);
        }
    }
}

#[test]
fn each_seed_gives_passing_and_vetoed_sites_and_all_vetoes_appear() {
    let mut vetoes_seen = BTreeSet::new();
    let mut deductions_seen = BTreeSet::new();
    for (f, seed, _p, gt) in provinces() {
        let passing = gt
            .sites
            .iter()
            .filter(|s| {
                let a = s.assessment.as_ref().unwrap();
                a.vetoes.is_empty() && (a.grade == "优秀" || a.grade == "良好")
            })
            .count();
        let vetoed = gt.sites.iter().filter(|s| !s.assessment.as_ref().unwrap().vetoes.is_empty()).count();
        assert!(passing >= 2, "{f:?} seed {seed}: {passing} passing");
        assert!(vetoed >= 2, "{f:?} seed {seed}: {vetoed} vetoed");
        assert!(!gt.black_list.is_empty() && gt.red_list.len() <= 1);
        for s in &gt.sites {
            let a = s.assessment.as_ref().unwrap();
            vetoes_seen.extend(a.vetoes.iter().cloned());
            deductions_seen.extend(a.findings.iter().filter(|x| x.kind == "deduction").map(|x| x.rule.clone()));
        }
        let levels: BTreeSet<_> = gt.sites.iter().map(|s| s.level).collect();
        assert!(levels.len() >= 3, "{f:?} {seed}");
    }
    for v in [
        "veto.homepage_stale",
        "veto.columns_stale",
        "veto.columns_long_stale",
        "veto.blank_columns",
        "veto.no_consultation",
        "veto.unanswered",
        "veto.no_service",
        "veto.future_dates",
        "veto.hidden_links",
    ] {
        assert!(vetoes_seen.contains(v), "{v} never fires");
    }
    for d in [
        "publish.news_stale",
        "publish.notice_stale",
        "publish.policy_stale",
        "publish.periodic_stale",
        "publish.blank_column",
        "publish.missing_column",
        "publish.undated_items",
        "disclosure.platform_column",
        "disclosure.annual_report",
        "disclosure.guide_elements",
        "disclosure.statutory_coverage",
        "disclosure.timeliness",
        "disclosure.no_application",
        "interaction.replies_stale",
        "interaction.late_reply",
        "interaction.collection_stale",
        "interaction.interview_stale",
        "service.entry_broken",
        "service.stats_stale",
        "design.broken_links_home",
        "design.broken_links_site",
        "design.identity",
        "design.error_entry",
        "design.search",
        "design.domain",
        "security.privacy",
    ] {
        assert!(deductions_seen.contains(d), "{d} never fires");
    }
}

#[test]
fn findings_add_up_to_the_score() {
    let caps = [
        ("publish", 30.0),
        ("disclosure", 25.0),
        ("interaction", 15.0),
        ("service", 10.0),
        ("design", 15.0),
        ("security", 5.0),
    ];
    for (f, seed, _p, gt) in provinces() {
        let mut ranks = BTreeSet::new();
        for s in &gt.sites {
            let a = s.assessment.as_ref().unwrap();
            let mut groups: BTreeMap<&str, f64> = BTreeMap::new();
            for x in a.findings.iter().filter(|x| x.kind == "deduction") {
                let g = x.rule.split('.').next().unwrap();
                *groups.entry(g).or_default() += x.points;
                assert!(x.occurrences > 0 && x.points > 0.0, "{}", x.rule);
            }
            let lost: f64 = caps.iter().map(|(g, c)| groups.get(g).copied().unwrap_or(0.0).min(*c)).sum();
            let ds = ((100.0 - lost) * 100.0).round() / 100.0;
            assert!((ds - a.deduction_score).abs() < 1e-6, "{f:?} {seed} {}: {ds} vs {}", s.id, a.deduction_score);
            let bonus: f64 = a.findings.iter().filter(|x| x.kind == "bonus").map(|x| x.points).sum();
            assert!(bonus == 0.0 || a.deduction_score > 80.0);
            assert!((a.score - (a.deduction_score + bonus)).abs() < 1e-6);
            let vetoes: Vec<&str> = a.findings.iter().filter(|x| x.kind == "veto").map(|x| x.rule.as_str()).collect();
            assert_eq!(vetoes, a.vetoes.iter().map(|v| v.as_str()).collect::<Vec<_>>());
            let fail = !a.vetoes.is_empty() || a.deduction_score < 60.0;
            assert_eq!(a.grade == "不合格", fail);
            assert_eq!(a.list.as_deref() == Some("black"), fail);
            ranks.insert(a.rank);
        }
        assert_eq!(ranks, (1..=gt.sites.len()).collect::<BTreeSet<_>>());
    }
}

#[test]
fn same_seed_same_bytes_and_seeds_differ() {
    for f in Family::ALL {
        let a = FamilyProvince::generate(f, 3, default_t0());
        let b = FamilyProvince::generate(f, 3, default_t0());
        let c = FamilyProvince::generate(f, 4, default_t0());
        assert_eq!(
            serde_json::to_string(&a.ground_truth()).unwrap(),
            serde_json::to_string(&b.ground_truth()).unwrap()
        );
        let id = &a.sites[0].id;
        assert_eq!(a.site_pages(id), b.site_pages(id));
        assert_ne!(
            serde_json::to_string(&a.ground_truth()).unwrap(),
            serde_json::to_string(&c.ground_truth()).unwrap()
        );
    }
    // All families together: unique ids and hosts.
    let all = FamilyProvince::all(2, default_t0());
    let gt = all.ground_truth();
    assert_eq!(gt.sites.len(), 36);
    let ids: BTreeSet<_> = gt.sites.iter().map(|s| s.id.clone()).collect();
    let hosts: BTreeSet<_> = gt.sites.iter().map(|s| s.host.clone()).collect();
    assert_eq!(ids.len(), 36);
    assert_eq!(hosts.len(), 36);
    let toml = all.sites_toml(8080);
    assert_eq!(toml.matches("[[site]]").count(), 36);
    assert!(toml.contains(":8080/"));
    assert!(all.render("www.nowhere.gov.cn", "/").is_none());
    // Tuned and holdout families together: still unique ids and hosts; `all` is the tuned six, `holdout` the rest.
    let every = FamilyProvince::every(2, default_t0()).ground_truth();
    let n = 6 * Family::ALL.len();
    assert_eq!(every.sites.len(), n);
    assert_eq!(every.sites.iter().map(|s| s.id.clone()).collect::<BTreeSet<_>>().len(), n);
    assert_eq!(every.sites.iter().map(|s| s.host.clone()).collect::<BTreeSet<_>>().len(), n);
    let holdout = FamilyProvince::holdout(2, default_t0());
    assert_eq!(holdout.families, Family::HOLDOUT.to_vec());
    assert_eq!(holdout.sites.len(), 6 * Family::HOLDOUT.len());
    assert_eq!(all.families, Family::TUNED.to_vec());
    for f in Family::HOLDOUT {
        let a = FamilyProvince::generate(f, 3, default_t0());
        let b = FamilyProvince::generate(f, 3, default_t0());
        for s in &a.sites {
            assert_eq!(a.site_pages(&s.id), b.site_pages(&s.id), "{f:?} {}", s.id);
        }
    }
}

fn norm(t: &str) -> String {
    let tags = Regex::new(r"(?s)<script[^>]*>.*?</script>|<[^>]+>").unwrap();
    tags.replace_all(t, " ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The home page (with its iframe or script footer) shows exactly the identity values the truth gives, and no
/// accidental keyword contradicts the oracle (accessibility, contact, search, guide elements).
#[test]
fn pages_print_what_the_truth_assumes() {
    for (f, seed, p, gt) in provinces() {
        for s in &gt.sites {
            let site = p.site(&s.id).unwrap();
            let a = s.assessment.as_ref().unwrap();
            let home = url::Url::parse(&FamilyProvince::home_url(site)).unwrap();
            let raw = decode(&p.render(home.host_str().unwrap(), home.path()).unwrap());
            let mut full = raw.clone();
            for extra in ["/footer.html", "/js/footer.js"] {
                if raw.contains(extra) {
                    full.push_str(&decode(&p.render(&s.host, extra).unwrap()));
                }
            }
            let squeezed: String = norm(&full.replace("document.write('", "").replace("');", ""))
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let id = &a.identity;
            for v in [&id.site_code, &id.icp, &id.police, &id.sponsor].into_iter().flatten() {
                assert!(squeezed.contains(v.as_str()), "{f:?} {seed} {}: {v} not printed", s.id);
            }
            assert_eq!(full.contains("备案查询") || full.contains("ICP备"), id.icp.is_some());
            assert_eq!(full.contains("公网安备") || full.contains("公安机关备案号"), id.police.is_some());
            assert_eq!(full.contains("conac.cn"), id.badge, "{}", s.id);
            assert_eq!(full.contains("我为政府网站找错") || full.contains("_jiucuo_"), id.error_entry);
            assert_eq!(full.contains("主办单位"), id.sponsor.is_some());
            let contact = ["电话", "地址：", "联系我们", "Tel"].iter().any(|k| norm(&full).contains(k));
            assert_eq!(contact, id.contact, "{f:?} {seed} {} contact", s.id);
            let access =
                ["无障碍", "长者模式", "关怀版", "适老化", "老年模式", "关怀模式"].iter().any(|k| raw.contains(k));
            assert_eq!(access, site.accessibility.is_some());
            assert_eq!(raw.contains("<form"), site.search);
            if !site.search {
                assert!(
                    !raw.contains("<input") && !raw.contains("搜索") && !raw.contains("检索"),
                    "{f:?} {seed} {}",
                    s.id
                );
            }
            let hidden = ["display:none", "-9999px", "visibility:hidden", "font-size:0"];
            assert_eq!(hidden.iter().any(|h| raw.contains(h)), site.spam);
            // Guide: each missing element's keywords are absent from the page.
            if let Some(g) = s.columns.iter().find(|c| c.category == gongkai_sample::Category::Guide) {
                let u = url::Url::parse(&g.url).unwrap();
                let t = norm(&decode(&p.render(u.host_str().unwrap(), &pq(&u)).unwrap()));
                let kws: [&[&str]; 8] = [
                    &["分类"],
                    &["编排"],
                    &["获取方式", "获取政府信息", "获取信息的方式"],
                    &["办公地址", "地址", "地点"],
                    &["办公时间", "工作时间", "受理时间"],
                    &["联系电话", "电话"],
                    &["传真"],
                    &["电子邮箱", "电子邮件", "网址"],
                ];
                for (e, ks) in kws.iter().enumerate() {
                    let present = ks.iter().any(|k| t.contains(k));
                    assert_eq!(present, !site.guide_missing.contains(&e), "{f:?} {seed} {} guide element {e}", s.id);
                }
            }
            // Every column's newest date is printed on its first page (list columns with HTML items).
            for c in &s.columns {
                if let (Some(n), false) = (&c.newest, c.url.contains("/gkmlpt/")) {
                    let u = url::Url::parse(&c.url).unwrap();
                    let t = decode(&p.render(u.host_str().unwrap(), &pq(&u)).unwrap());
                    let d = chrono::NaiveDate::parse_from_str(n, "%Y-%m-%d").unwrap();
                    let forms = [
                        n.clone(),
                        d.format("%Y/%m/%d").to_string(),
                        d.format("%Y.%m.%d").to_string(),
                        format!("{}年{}月{}日", d.format("%Y"), d.format("%-m"), d.format("%-d")),
                        d.format("%Y年%m月%d日").to_string(),
                    ];
                    // PHPCMS lists: `<em>11-03</em>` under a `<h4 class="list-year">2026年</h4>` header.
                    let year_grouped = f == Family::Phpcms
                        && t.contains(&format!("<em>{}</em>", d.format("%m-%d")))
                        && t.contains(&format!("<h4 class=\"list-year\">{}年</h4>", d.format("%Y")));
                    let dated_on_page = forms.iter().any(|x| t.contains(x.as_str())) || year_grouped;
                    let message_board = c.category == gongkai_sample::Category::Consultation && !site.msg_dates_on_list;
                    assert!(dated_on_page || message_board, "{f:?} {seed} {}: {} newest {n} not on page", s.id, c.url);
                }
            }
        }
    }
}

#[test]
fn family_url_shapes() {
    let shapes: [(Family, &str); 10] = [
        (Family::AspTable, "Article/ShowArticle.asp?ArticleID="),
        (Family::DedeCms, "/a/"),
        (Family::MessageBoard, "detail.shtml?id="),
        (Family::Gkmlpt, "/gkmlpt/content/2/"),
        (Family::Kaipu, "/col/col_"),
        (Family::HanwebJpage, "/art/2026/"),
        (Family::Trs, "/202611/t202611"),
        (Family::Phpcms, "/index.php?m=content&c=index&a=show&catid="),
        (Family::NanweiVue, "/channel/"),
        (Family::JeeBoard, "/guestbook/detail.jspx?id="),
    ];
    for (f, needle) in shapes {
        let p = FamilyProvince::generate(f, 1, default_t0());
        let gt = p.ground_truth();
        let with_board = |s: &&SiteTruth| {
            !f.has_board() || s.columns.iter().any(|c| c.category == gongkai_sample::Category::Consultation)
        };
        assert!(
            gt.sites.iter().filter(with_board).all(|s| s.expected_pages.iter().any(|e| e.contains(needle))),
            "{f:?}"
        );
    }
    // One ASP site per seed has more than 120 distinct ShowArticle.asp pages.
    for seed in SEEDS {
        let gt = FamilyProvince::generate(Family::AspTable, seed, default_t0()).ground_truth();
        let most = gt
            .sites
            .iter()
            .map(|s| s.expected_pages.iter().filter(|e| e.contains("ShowArticle.asp")).count())
            .max()
            .unwrap();
        assert!(most > 120, "seed {seed}: {most}");
    }
    // Gkmlpt JSON answers and Hanweb dataproxy answers are archived.
    let gk = FamilyProvince::generate(Family::Gkmlpt, 1, default_t0());
    let pages = gk.site_pages(&gk.sites[0].id);
    assert!(pages
        .iter()
        .any(|(u, r)| u.path().starts_with("/gkmlpt/api/all/") && r.header("content-type").unwrap().contains("json")));
    let hw = FamilyProvince::generate(Family::HanwebJpage, 1, default_t0());
    let pages = hw.site_pages(&hw.sites[0].id);
    assert!(pages.iter().any(|(u, r)| u.path().ends_with("dataproxy.jsp") && r.status == 200));
}

fn http_get(port: u16, host: &str, path: &str) -> (u16, String, Vec<u8>) {
    use std::io::{Read, Write};
    let mut c = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        c,
        "GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: gongkai-test/1.0\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut buf = vec![];
    c.read_to_end(&mut buf).unwrap();
    let split = buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&buf[..split]).to_string();
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head, buf[split + 4..].to_vec())
}

#[test]
fn the_sample_server_serves_the_family_province() {
    let p = std::sync::Arc::new(FamilyProvince::all(1, default_t0()));
    let server = gongkai_sample::SampleServer::start_source(p.clone()).unwrap();
    let port = server.port();
    let gt = server.ground_truth();
    assert_eq!(gt.port, Some(port));
    assert_eq!(gt.sites.len(), 36);
    let plain = p.ground_truth();
    for (s, bare) in gt.sites.iter().zip(&plain.sites) {
        assert_eq!(
            s.assessment,
            bare.assessment.as_ref().map(|a| {
                let mut a = a.clone();
                for f in &mut a.findings {
                    for e in &mut f.evidence {
                        for h in p.hosts() {
                            *e = e.replace(&format!("http://{h}/"), &format!("http://{h}:{port}/"));
                        }
                    }
                }
                a
            })
        );
        assert!(s.url.ends_with(&format!(":{port}/")), "{}", s.url);
        assert!(s.expected_pages.iter().all(|e| e.contains(&format!(":{port}/"))));
    }
    // Every site's home page, one article and its robots.txt over HTTP.
    for s in &gt.sites {
        let u = url::Url::parse(&s.url).unwrap();
        let (st, head, _) = http_get(port, u.host_str().unwrap(), "/");
        assert!(st == 200 || st == 302, "{} {st}", s.id);
        if st == 302 {
            assert!(head.contains("/index.asp"));
        }
        let e = url::Url::parse(s.expected_pages.last().unwrap()).unwrap();
        assert_eq!(http_get(port, e.host_str().unwrap(), &pq(&e)).0, 200, "{e}");
        assert_eq!(http_get(port, u.host_str().unwrap(), "/robots.txt").0, 200);
    }
    // A gkmlpt API answer carries article URLs with the port.
    let gk = gt.sites.iter().find(|s| s.id.starts_with("nl-gk-")).unwrap();
    let site = p.site(&gk.id).unwrap();
    let api = p.site_pages(&gk.id).into_iter().find(|(u, _)| u.path().starts_with("/gkmlpt/api/")).unwrap().0;
    let (st, head, body) = http_get(port, api.host_str().unwrap(), &pq(&api));
    assert_eq!(st, 200);
    assert!(head.to_ascii_lowercase().contains("application/json"));
    assert!(String::from_utf8(body).unwrap().contains(&format!("http://{}:{port}/gkmlpt/content/2/", site.plat.host)));
    assert_eq!(http_get(port, "www.nowhere.gov.cn", "/").0, 404);
    assert!(server.resolve_args().iter().any(|r| r == &format!("{}:{port}:127.0.0.1", gk.host)));
    assert!(server.sites_toml().contains(&format!("url = \"http://{}:{port}/\"", gk.host)));
    let dir = tempfile::tempdir().unwrap();
    server.write_fixture(dir.path()).unwrap();
    let back = GroundTruth::read(&dir.path().join("ground-truth.json")).unwrap();
    assert_eq!(back, gt);
    assert_eq!(server.request_log().len(), 3 * 36 + 2);
}

fn luhn(d: &str) -> bool {
    let mut sum = 0;
    for (i, c) in d.chars().rev().enumerate() {
        let mut x = c.to_digit(10).unwrap();
        if i % 2 == 1 {
            x *= 2;
            if x > 9 {
                x -= 9;
            }
        }
        sum += x;
    }
    sum % 10 == 0
}

fn id_ok(d: &str) -> bool {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];
    let s: u32 = d.chars().take(17).zip(W).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    d.chars().nth(17) == Some(CHECK[(s % 11) as usize])
}

/// Only the pages the truth names under `security.privacy` carry a checksum-valid ID number or card number (any
/// 16–19 digit window of any digit run, so no scanner can find one elsewhere).
#[test]
fn personal_data_appears_only_where_the_truth_says() {
    let runs = Regex::new(r"[0-9]{16,}[0-9X]?").unwrap();
    for (f, seed, p, gt) in provinces() {
        for s in &gt.sites {
            let a = s.assessment.as_ref().unwrap();
            let flagged: BTreeSet<String> =
                a.findings.iter().filter(|x| x.rule == "security.privacy").flat_map(|x| x.evidence.clone()).collect();
            let mut found = BTreeSet::new();
            for (u, r) in p.site_pages(&s.id) {
                if r.status != 200 {
                    continue;
                }
                let text = decode(&r);
                let mut hit = false;
                for m in runs.find_iter(&text) {
                    let d = m.as_str();
                    for len in (16..=19).filter(|l| *l <= d.len()) {
                        for w in 0..=d.len() - len {
                            let win = &d[w..w + len];
                            if win.chars().all(|c| c.is_ascii_digit()) && luhn(win) {
                                hit = true;
                            }
                            if len == 18 && win[..17].chars().all(|c| c.is_ascii_digit()) && id_ok(win) {
                                hit = true;
                            }
                        }
                    }
                }
                if hit {
                    found.insert(u.to_string());
                }
            }
            assert_eq!(found, flagged, "{f:?} {seed} {}", s.id);
        }
    }
}

/// Every date that decides an outcome keeps at least 4 days from the window boundary it is compared with, and every
/// working-day gap is at most 4 or at least 50 calendar days, so the oracle's answer is the only right one.
#[test]
fn deciding_dates_keep_away_from_window_boundaries() {
    use chrono::{Days, Months, NaiveDate};
    use gongkai_sample::model::ItemExtra;
    use gongkai_sample::Category as C;
    let t0 = default_t0().date_naive();
    let m = |n: u32| t0.checked_sub_months(Months::new(n)).unwrap();
    let d = |n: u64| t0 - Days::new(n);
    let far = |a: NaiveDate, b: NaiveDate| (a - b).num_days().abs() >= 4;
    for f in Family::ALL {
        for seed in SEEDS {
            let p = FamilyProvince::generate(f, seed, default_t0());
            let gt = p.ground_truth();
            for (site, st) in p.sites.iter().zip(&gt.sites) {
                for (c, ct) in site.columns.iter().zip(&st.columns) {
                    if let Some(n) = &ct.newest {
                        let n = NaiveDate::parse_from_str(n, "%Y-%m-%d").unwrap();
                        let mut bounds = vec![m(12), t0 + Days::new(1)];
                        match c.category {
                            C::News => bounds.push(d(14)),
                            C::Notice | C::Policy => bounds.extend([m(6), d(14)]),
                            C::ServiceStats => bounds.push(m(3)),
                            _ => {}
                        }
                        for b in bounds {
                            assert!(far(n, b), "{} {}: newest {n} near {b}", site.id, c.name);
                        }
                    }
                    let mut replies = vec![];
                    for it in &c.items {
                        if let Some(doc) = &it.doc {
                            let gap = (it.date.unwrap() - doc.written).num_days();
                            assert!(gap <= 4 || gap >= 50, "{} doc gap {gap}", site.id);
                        }
                        if let ItemExtra::Message { posted, replied } = it.extra {
                            assert!(far(posted, d(365)), "{} posted {posted}", site.id);
                            assert!(replied.is_some() || far(posted, d(90)), "{} unanswered {posted}", site.id);
                            if let Some(r) = replied {
                                let gap = (r - posted).num_days();
                                assert!(
                                    gap <= 4 || (50..=86).contains(&gap) || gap >= 94,
                                    "{} reply gap {gap}",
                                    site.id
                                );
                                assert!(r < t0);
                                replies.push(r);
                            }
                        }
                        if let ItemExtra::AnnualReport { year } = it.extra {
                            let dl = gongkai_sample::gen::annual_deadline(site.level, year + 1);
                            assert!(far(it.date.unwrap(), dl), "{} annual {year}", site.id);
                        }
                    }
                    if let Some(r) = replies.iter().max() {
                        assert!(far(*r, d(60)), "{} newest reply {r}", site.id);
                    }
                }
                // The newest home-page item against the 14-day window.
                let first_news = site.columns.iter().find(|c| c.category == C::News);
                let home_newest = [(first_news, 6), (site.column(C::Notice), 6), (site.column(C::Policy), 5)]
                    .iter()
                    .filter_map(|(c, n)| c.map(|c| c.items.iter().take(*n).filter_map(|i| i.date).max()))
                    .flatten()
                    .max();
                if let Some(x) = home_newest {
                    assert!(far(x, d(14)), "{} home newest {x}", site.id);
                }
            }
        }
    }
}

/// The six tuned families stay byte-identical while holdout families are added: every page (status, headers, body) and
/// the ground truth of every seed hash to the value recorded before the holdout families existed.
#[test]
fn tuned_families_are_byte_identical() {
    use std::hash::{Hash, Hasher};
    let tuned =
        [Family::AspTable, Family::DedeCms, Family::MessageBoard, Family::Gkmlpt, Family::Kaipu, Family::HanwebJpage];
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for f in tuned {
        for seed in SEEDS {
            let p = FamilyProvince::generate(f, seed, default_t0());
            serde_json::to_string(&p.ground_truth()).unwrap().hash(&mut h);
            p.sites_toml(8080).hash(&mut h);
            for s in &p.sites {
                for (u, r) in p.site_pages(&s.id) {
                    u.as_str().hash(&mut h);
                    r.status.hash(&mut h);
                    r.headers.hash(&mut h);
                    r.body.hash(&mut h);
                }
            }
        }
    }
    let v = h.finish();
    eprintln!("tuned families hash {v:#018x}");
    assert_eq!(v, TUNED_HASH, "the six tuned families changed");
}

// Last changed when every family's header gained a named national emblem image (`<img src="/images/guohui.png"
// alt="国徽">`, design.emblem): a text-only header with a menu would otherwise be deducted (ground truth unchanged).
const TUNED_HASH: u64 = 0xdf663fedd2879e31;

/// The holdout families really are new markup: none of the tuned chrome's tell-tale markup appears on their pages,
/// and each family's own traps are present (and reached by the correct crawl above) on every seed.
#[test]
fn holdout_families_use_markup_the_tuned_renderers_never_print() {
    let tuned_markers = [
        "class=\"position\"",
        "xxgk-tree",
        "class=\"ft1\"",
        "class=\"ft2\"",
        "lm-title",
        "class=\"xxgk-info\"",
        "class=\"menu-item\"",
        "class=\"daohang\"",
        "<map name=",
        "class=\"xjlist\"",
        "class=\"nodata\"",
        "<div class=\"info\">发布日期：",
    ];
    let multi_page = Regex::new(r"createPageHTML\(\s*[2-9]").unwrap();
    let rel_href = Regex::new(r#"href="\./[0-9]{6}/t[0-9]{8}_[0-9]+\.html""#).unwrap();
    for f in Family::HOLDOUT {
        for seed in SEEDS {
            let p = FamilyProvince::generate(f, seed, default_t0());
            let gt = p.ground_truth();
            let mut seen: BTreeMap<&str, bool> = BTreeMap::new();
            for s in &gt.sites {
                let site = p.site(&s.id).unwrap();
                assert!(s.expected_pages.iter().all(|e| !e.contains("?") || f != Family::Trs), "{}", s.id);
                for (u, r) in p.site_pages(&s.id) {
                    if r.status != 200 || !is_html(&r) {
                        continue;
                    }
                    let t = decode(&r);
                    for m in tuned_markers {
                        assert!(!t.contains(m), "{f:?} {seed} {u}: tuned markup {m}");
                    }
                    match f {
                        Family::Trs => {
                            if rel_href.is_match(&t) {
                                seen.insert("relative t-URL", true);
                            }
                            if multi_page.is_match(&t) {
                                seen.insert("multi-page createPageHTML", true);
                            }
                            if t.contains("&gt;&gt;<a") {
                                seen.insert(">> breadcrumb", true);
                            }
                            assert!(!t.contains("href=\"/"), "{u}: TRS same-host links are relative");
                        }
                        Family::Phpcms => {
                            if t.contains("&amp;a=show&amp;catid=") {
                                seen.insert("escaped query", true);
                            }
                            if t.contains("<h4 class=\"list-year\">") && t.contains("</dt><dd><em>") {
                                seen.insert("year-grouped MM-DD", true);
                            }
                        }
                        Family::NanweiVue => {
                            if t.contains("<div role=\"navigation\"") && t.contains("<article class=\"card\" data-id=")
                            {
                                seen.insert("cards", true);
                            }
                            if t.contains("href=\"?pageNum=") {
                                seen.insert("query-only pager", true);
                            }
                            if t.contains("href=\"//") {
                                seen.insert("protocol-relative", true);
                            }
                        }
                        _ => {
                            if t.contains("查看答复") {
                                seen.insert("separate reply", true);
                            }
                            if t.contains("<th>状态</th>") {
                                seen.insert("status column", true);
                            }
                        }
                    }
                }
                if f == Family::NanweiVue {
                    // The platform is a unit's section of the city's shared 信息公开 host.
                    let plat = s.platform.as_ref().expect("platform on its own host");
                    let u = url::Url::parse(plat).unwrap();
                    assert!(u.host_str().unwrap().starts_with("xxgk.") && u.path().len() > 1, "{plat}");
                    assert_ne!(u.host_str().unwrap(), site.host);
                }
            }
            let want: &[&str] = match f {
                Family::Trs => &["relative t-URL", "multi-page createPageHTML", ">> breadcrumb"],
                Family::Phpcms => &["escaped query", "year-grouped MM-DD"],
                Family::NanweiVue => &["cards", "query-only pager", "protocol-relative"],
                _ => &["separate reply", "status column"],
            };
            for w in want {
                assert!(seen.contains_key(w), "{f:?} seed {seed}: no {w}");
            }
        }
    }
}

/// The holdout province over HTTP: every site's home page and last expected page answer, JEECMS homes redirect to
/// `/index.jhtml`, and the truth carries the port.
#[test]
fn the_sample_server_serves_the_holdout_province() {
    let p = std::sync::Arc::new(FamilyProvince::holdout(1, default_t0()));
    let server = gongkai_sample::SampleServer::start_source(p.clone()).unwrap();
    let port = server.port();
    let gt = server.ground_truth();
    assert_eq!(gt.sites.len(), 6 * Family::HOLDOUT.len());
    for s in &gt.sites {
        let u = url::Url::parse(&s.url).unwrap();
        let (st, head, _) = http_get(port, u.host_str().unwrap(), "/");
        if s.id.starts_with("nl-jb-") {
            assert_eq!(st, 302, "{}", s.id);
            assert!(head.contains("/index.jhtml"));
        } else {
            assert_eq!(st, 200, "{}", s.id);
        }
        let e = url::Url::parse(s.expected_pages.last().unwrap()).unwrap();
        assert_eq!(http_get(port, e.host_str().unwrap(), &pq(&e)).0, 200, "{e}");
        assert!(s.expected_pages.iter().all(|e| e.contains(&format!(":{port}/"))));
    }
    assert!(server.sites_toml().contains("platform = \"http://xxgk."));
}
