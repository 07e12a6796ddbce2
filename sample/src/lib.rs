//! gongkai-sample: a deterministic, generated province of synthetic government sites (西川省临江市) that the demo, the
//! tests and the benchmarks all use, served on loopback by one server (virtual hosts by `Host` header), with ground
//! truth written by the generator from what it generated.
//!
//! Why a model first: the pages and the ground truth are both derived from one `Province` model (sites → columns →
//! items with dates relative to T0 → defects), so a test that fixes T0 knows every expected result, and the truth
//! can never disagree with what the server shows. HTML is rendered only on request; plain scale sites are computed
//! from (site index, page) so 500 sites × 200 pages cost no memory.
//!
//! Behaviour worth knowing (also in the ground truth's `notes`):
//! - the flaky site's home page answers 503 to every third request of it (3rd, 6th, …), counted per server;
//! - the gzip site compresses every response when the request's `Accept-Encoding` contains `gzip`;
//! - the server also listens on [::1] (same port) and `resolve_args` maps every host to both addresses, except
//!   qingshan's (no AAAA); shimen's home page over IPv6 is a web server's default page (`design.ipv6`);
//! - national/provincial services the sites link to (ICP 备案, 公安备案, 党政机关标识, 找错, 政务服务网) and the spam target
//!   are stub hosts served by the same server, so no link ever leaves loopback; one link goes to `127.0.0.1:1`
//!   (connection refused).
//!
//! Modules: `model` (the default province's model), `gen` (its hand-crafted specs and generator), `truth` (ground
//! truth and the oracle), `families` (the CMS-family province: model, generator, renderers, oracle); rendering,
//! plain scale sites, the shared grading rules and the server are private, reached through the items re-exported here.
//!
//! # Example
//!
//! Serve the default province on a free loopback port and write the fixture a crawler run needs:
//!
//! ```no_run
//! use gongkai_sample::{default_t0, Province, SampleServer};
//! use std::sync::Arc;
//!
//! let province = Arc::new(Province::default_at(default_t0()));
//! let server = SampleServer::start(province).expect("server starts");
//! println!("serving {} hosts on 127.0.0.1:{}", server.resolve_args().len(), server.port());
//! server.write_fixture(std::path::Path::new("fixture")).expect("fixture written"); // sites.toml, ground-truth.json
//! let truth = server.ground_truth();
//! assert_eq!(truth.sites_count, 30);
//! server.shutdown();
//! ```

pub mod families;
pub mod gen;
mod grading;
pub mod model;
mod plain;
mod render;
mod server;
pub mod tls;
pub mod truth;

pub use model::{Category, Charset, CmsStyle, ColumnKind, Ipv6Service, SiteModel};
pub use render::SampleResponse;
pub use server::{max_requests_in_window, RequestLogEntry, SampleServer, Servable};
pub use truth::{Assessment, ColumnTruth, FindingTruth, GroundTruth, SiteTruth};

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone};
use render::{encode_page, robots_txt, Ctx, Page, Renderer, Route};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use std::path::Path;

/// How big the province is. The first 30 sites are the hand-crafted default province (their own page counts, 20–120
/// pages each); sites beyond 30 are plain generated county portals of exactly `pages_per_site` HTML pages each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scale {
    pub sites: usize,
    pub pages_per_site: usize,
}

impl Default for Scale {
    fn default() -> Self {
        Scale { sites: CRAFTED_SITES, pages_per_site: 100 }
    }
}

/// Number of hand-crafted sites.
pub const CRAFTED_SITES: usize = 30;

/// The fixed T0 tests use: 2026-11-15T10:00:00+08:00.
pub fn default_t0() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(8 * 3600).unwrap().with_ymd_and_hms(2026, 11, 15, 10, 0, 0).unwrap()
}

/// A source of sample sites answering requests with no network (the default province, the CMS-family province).
pub trait SiteSource {
    /// One GET with no network; `host` may carry ":port". None for an unknown host; unknown paths give a 404 answer.
    fn render(&self, host: &str, path_and_query: &str) -> Option<SampleResponse>;
    /// Every resource a correct crawler archives for this site (HTML pages, JSON API answers, footer scripts/iframes,
    /// robots.txt, the 404 answers of its internal broken links), URLs without a port.
    fn site_pages(&self, site_id: &str) -> Vec<(url::Url, SampleResponse)>;
}

impl SiteSource for Province {
    fn render(&self, host: &str, path_and_query: &str) -> Option<SampleResponse> {
        Province::render(self, host, path_and_query)
    }
    fn site_pages(&self, site_id: &str) -> Vec<(url::Url, SampleResponse)> {
        Province::site_pages(self, site_id)
    }
}

/// Default seed of the sample province.
pub const DEFAULT_SEED: u64 = 20261115;

enum HostKind {
    /// Hand-crafted site host (or the shared platform host) with its routes.
    Routed,
    Plain(usize),
    Stub,
}

/// The sample province: the model plus a route table. Immutable after generation; share it in an `Arc`.
pub struct Province {
    pub seed: u64,
    pub t0: DateTime<FixedOffset>,
    pub scale: Scale,
    crafted: Vec<SiteModel>,
    routes: HashMap<String, BTreeMap<String, Route>>,
    plain_names: Vec<(String, String)>,
    plain_layout: plain::PlainLayout,
    hosts: HashMap<String, HostKind>,
}

impl Province {
    /// The default province (seed DEFAULT_SEED, `Scale::default()`) at T0.
    pub fn default_at(t0: DateTime<FixedOffset>) -> Province {
        Province::generate(DEFAULT_SEED, t0, Scale::default())
    }

    /// Generate a province: the first min(30, sites) hand-crafted sites, then plain sites up to `scale.sites`.
    pub fn generate(seed: u64, t0: DateTime<FixedOffset>, scale: Scale) -> Province {
        Self::build(seed, t0, scale, true)
    }

    /// Generate a province of plain sites only (uniform pages per site, for benchmarks).
    pub fn generate_plain(seed: u64, t0: DateTime<FixedOffset>, scale: Scale) -> Province {
        Self::build(seed, t0, scale, false)
    }

    fn build(seed: u64, t0: DateTime<FixedOffset>, scale: Scale, crafted: bool) -> Province {
        let d0 = t0.date_naive();
        let specs = gen::specs();
        let n_crafted = if crafted { scale.sites.min(CRAFTED_SITES) } else { 0 };
        let crafted: Vec<SiteModel> =
            specs.iter().take(n_crafted).enumerate().map(|(i, s)| gen::build_site(i, s, seed, d0)).collect();
        let mut routes: HashMap<String, BTreeMap<String, Route>> = HashMap::new();
        let mut hosts = HashMap::new();
        for s in &crafted {
            for (host, path, route) in render::site_routes(s) {
                hosts.insert(host.clone(), HostKind::Routed);
                routes.entry(host).or_default().insert(path, route);
            }
        }
        for h in gen::STUB_HOSTS.iter().chain(&gen::PARTNER_HOSTS) {
            hosts.insert(h.to_string(), HostKind::Stub);
        }
        let avoid: Vec<&str> = specs.iter().map(|s| s.key).collect();
        let plain_names = plain::plain_names(scale.sites - n_crafted, &avoid);
        for (i, (py, _)) in plain_names.iter().enumerate() {
            hosts.insert(format!("www.{py}.gov.cn"), HostKind::Plain(n_crafted + i));
        }
        Province {
            seed,
            t0,
            scale,
            crafted,
            routes,
            plain_names,
            plain_layout: plain::PlainLayout::new(scale.pages_per_site),
            hosts,
        }
    }

    pub fn t0_date(&self) -> NaiveDate {
        self.t0.date_naive()
    }

    /// Number of sites.
    pub fn len(&self) -> usize {
        self.crafted.len() + self.plain_names.len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The hand-crafted sites' models.
    pub fn crafted_sites(&self) -> &[SiteModel] {
        &self.crafted
    }

    fn plain_site(&self, idx: usize) -> plain::PlainSite<'_> {
        let (py, zh) = &self.plain_names[idx - self.crafted.len()];
        plain::PlainSite { idx, pinyin: py, zh, seed: self.seed, t0: self.t0_date(), layout: &self.plain_layout }
    }

    /// Every host the server answers for (sites, the shared platform, stub services), sorted.
    pub fn hosts(&self) -> Vec<String> {
        let mut v: Vec<String> = self.hosts.keys().cloned().collect();
        v.sort();
        v
    }

    /// (id, name, home URL host, level, region, platform URL) of site `idx`, without port.
    #[allow(clippy::type_complexity)]
    fn site_basics(
        &self,
        idx: usize,
    ) -> (String, String, String, gongkai_config::Level, Vec<String>, Option<(String, String)>) {
        if let Some(s) = self.crafted.get(idx) {
            let platform = s.platform.shared.then(|| (s.platform.host.clone(), s.platform.prefix.clone()));
            (s.id.clone(), s.name.clone(), s.host.clone(), s.level, s.region.clone(), platform)
        } else {
            let p = self.plain_site(idx);
            (
                p.id(),
                p.name(),
                p.host(),
                gongkai_config::Level::County,
                vec![gen::PROVINCE.into(), gen::CITY.into(), format!("{}县", p.zh)],
                None,
            )
        }
    }

    /// Index of a site by id.
    pub fn site_index(&self, id: &str) -> Option<usize> {
        (0..self.len()).find(|&i| self.site_basics(i).0 == id)
    }

    /// sites.toml (docs/sites.md) for every site, URLs with `:port` (no port when `port` is 0).
    pub fn sites_toml(&self, port: u16) -> String {
        let ps = port_suffix(Some(port).filter(|p| *p != 0));
        let mut t =
            String::from("# The gongkai sample province (synthetic sites served on loopback by `gongkai sample`).\n\n");
        for i in 0..self.len() {
            let (id, name, host, level, region, platform) = self.site_basics(i);
            let _ = writeln!(
                t,
                "[[site]]\nid = \"{id}\"\nname = \"{name}\"\nurl = \"{}://{host}{ps}/\"",
                gen::scheme(&host)
            );
            let region: Vec<String> = region.iter().map(|r| format!("\"{r}\"")).collect();
            let _ = writeln!(t, "region = [{}]\nlevel = \"{}\"", region.join(", "), level.as_str());
            if let Some((h, p)) = platform {
                let _ = writeln!(t, "platform = \"{}://{h}{ps}{p}\"", gen::scheme(&h));
            }
            t.push('\n');
        }
        t
    }

    /// Render one request with no network: `host` may carry a port (`www.x.gov.cn:8080`), which then appears in
    /// absolute links. Returns None for an unknown host. Unknown paths give a 404 response.
    pub fn render(&self, host: &str, path_and_query: &str) -> Option<SampleResponse> {
        let (bare, port) = match host.rsplit_once(':') {
            Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) => (h, format!(":{p}")),
            _ => (host, String::new()),
        };
        let bare = bare.to_ascii_lowercase();
        let kind = self.hosts.get(&bare)?;
        let (path, query) = path_and_query.split_once('?').unwrap_or((path_and_query, ""));
        let path = if path.is_empty() { "/" } else { path };
        Some(match kind {
            HostKind::Stub => stub_response(&bare, path, &port),
            HostKind::Plain(i) => {
                if path == "/robots.txt" {
                    SampleResponse::new(200, "text/plain; charset=utf-8", robots_txt(None).into_bytes())
                } else {
                    self.plain_site(*i).render(path).unwrap_or_else(SampleResponse::not_found)
                }
            }
            HostKind::Routed => self.render_routed(&bare, path, query, &port),
        })
    }

    fn render_routed(&self, host: &str, path: &str, query: &str, port: &str) -> SampleResponse {
        let table = &self.routes[host];
        let main_site = self.crafted.iter().find(|s| s.host == host);
        if path == "/robots.txt" {
            return SampleResponse::new(200, "text/plain; charset=utf-8", robots_txt(main_site).into_bytes());
        }
        if path.starts_with("/images/") || path.starts_with("/css/") {
            return static_asset(path);
        }
        if host == gen::PLATFORM_HOST && path == "/" {
            return SampleResponse::html(200, self.platform_host_index(port));
        }
        let route = table.get(path).or_else(|| {
            // Calendar trap: any path under /calendar/.
            if path.starts_with("/calendar/") {
                table.get("/calendar/")
            } else {
                None
            }
        });
        let Some(route) = route else { return SampleResponse::not_found() };
        let s = &self.crafted[route.site];
        let r = Renderer { s, ctx: Ctx { port, t0: self.t0_date() }, here: host };
        let html = match &route.page {
            Page::Home => r.home(),
            Page::Footer => r.footer_page(),
            Page::PlatformIndex => r.platform_index(),
            Page::List { col, page } => r.list(*col, *page),
            Page::Article { col, item } => r.article(*col, *item),
            Page::ColumnPage { col } => r.column_page(*col),
            Page::Json { col } => return SampleResponse::new(200, "application/json; charset=utf-8", r.json(*col).into_bytes()),
            Page::Dataproxy => match r.dataproxy(query) {
                Some(x) => return SampleResponse::new(200, "text/xml; charset=utf-8", x.into_bytes()),
                None => return SampleResponse::not_found(),
            },
            Page::Calendar => r.calendar(query),
            Page::Petition => r.petition(),
            Page::FooterJs => {
                let js = r.footer_js();
                let (bytes, _, _) = encoding_rs::GBK.encode(&js);
                return SampleResponse::new(200, "application/javascript; charset=GBK", bytes.into_owned());
            }
            Page::Disallowed => "<!DOCTYPE html><html><head><title>高级搜索</title></head><body><form action=\"/search/\"></form></body></html>".into(),
            Page::Redirect(to) => return SampleResponse::redirect(301, to.clone()),
        };
        encode_page(s, html)
    }

    fn platform_host_index(&self, port: &str) -> String {
        let mut h = String::from("<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>临江市政府信息公开平台</title></head><body>\n<h1>临江市政府信息公开平台</h1><ul>\n");
        for s in self.crafted.iter().filter(|s| s.platform.shared) {
            let _ = writeln!(h, "<li><a href=\"{}\">{}</a></li>", s.platform.prefix, s.name);
        }
        let _ = port;
        h.push_str("</ul></body></html>\n");
        h
    }

    /// Every page of a site a correct crawler reaches (expected pages), plus the script-only JSON lists, the
    /// footer iframe, the footer script and robots.txt, and the 404 answers of its internal broken links — each as (URL, response).
    /// URLs carry `:port` when given. The flaky home page is rendered as its successful answer.
    pub fn site_pages_with_port(&self, site_id: &str, port: Option<u16>) -> Vec<(url::Url, SampleResponse)> {
        let Some(idx) = self.site_index(site_id) else { return vec![] };
        let ps = port_suffix(port);
        let hostport = |h: &str| format!("{h}{ps}");
        let mut out = vec![];
        let mut push = |host: &str, path: &str| {
            if let Some(r) = self.render(&hostport(host), path) {
                out.push((url::Url::parse(&format!("{}://{host}{ps}{path}", gen::scheme(host))).unwrap(), r));
            }
        };
        if let Some(s) = self.crafted.get(idx) {
            push(&s.host, "/robots.txt");
            if s.platform.shared {
                push(&s.platform.host, "/robots.txt");
            }
            let mut paths: Vec<(String, String)> = vec![];
            for (host, table) in &self.routes {
                for (path, route) in table {
                    if route.site == idx && (route.expected || matches!(route.page, Page::Json { .. } | Page::FooterJs))
                    {
                        paths.push((host.clone(), path.clone()));
                    }
                }
            }
            paths.sort();
            for (h, p) in &paths {
                push(h, p);
            }
            let mut broken: Vec<String> = s.broken_home.clone();
            for c in &s.columns {
                for it in &c.items {
                    broken.extend(it.broken_links.iter().filter(|b| b.starts_with('/')).cloned());
                }
            }
            for b in broken {
                push(&s.host, &b);
            }
        } else {
            let p = self.plain_site(idx);
            let host = p.host();
            push(&host, "/robots.txt");
            for path in p.page_paths() {
                push(&host, &path);
            }
        }
        out
    }

    /// `site_pages_with_port(site_id, None)`.
    pub fn site_pages(&self, site_id: &str) -> Vec<(url::Url, SampleResponse)> {
        self.site_pages_with_port(site_id, None)
    }

    /// The ground truth of every site; URLs carry `:port` when given.
    pub fn ground_truth(&self, port: Option<u16>) -> GroundTruth {
        let ps = port_suffix(port);
        let abs = |host: &str, path: &str| format!("{}://{host}{ps}{path}", gen::scheme(host));
        let abs_link = |host: &str, target: &str| {
            if target.starts_with('/') {
                abs(host, target)
            } else {
                with_port_if_sample(target, &ps)
            }
        };
        let d0 = self.t0_date();
        let mut sites = vec![];
        for s in &self.crafted {
            let col_url = |c: &model::Column| -> String {
                if c.kind == ColumnKind::Entry {
                    return with_port_if_sample(c.entry_target.as_deref().unwrap_or(""), &ps);
                }
                let (h, _) = s.base(c.place);
                abs(h, &s.col_path(c))
            };
            let home = abs(&s.host, "/");
            let art_url = |c: &model::Column, it: &model::Item| -> String {
                let (h, _) = s.base(c.place);
                abs(h, &s.article_path(c, it))
            };
            let link_url = |t: &str| abs_link(&s.host, t);
            let urls = truth::Urls { col_url: &col_url, art_url: &art_url, link_url: &link_url, home: home.clone() };
            let assessment = truth::assess(s, d0, &urls);
            let mut expected: Vec<String> = vec![];
            for (host, table) in &self.routes {
                for (path, route) in table {
                    if route.site == s.idx && route.expected {
                        expected.push(abs(host, path));
                    }
                }
            }
            expected.sort();
            let mut broken_home: Vec<String> = s.broken_home.iter().map(|b| abs_link(&s.host, b)).collect();
            if let Some(sv) = s.column(Category::Service) {
                if sv.entry_broken {
                    broken_home.push(col_url(sv));
                }
            }
            let mut elsewhere: Vec<String> = s
                .columns
                .iter()
                .flat_map(|c| c.items.iter())
                .flat_map(|i| i.broken_links.iter())
                .map(|b| abs_link(&s.host, b))
                .collect();
            elsewhere.sort();
            elsewhere.dedup();
            sites.push(SiteTruth {
                id: s.id.clone(),
                name: s.name.clone(),
                url: home,
                host: s.host.clone(),
                region: s.region.clone(),
                level: s.level,
                platform: s.platform.shared.then(|| abs(&s.platform.host, &s.platform.prefix)),
                crafted: true,
                cms: s.style,
                charset: s.charset,
                columns: s.columns.iter().map(|c| truth::column_truth(s, c, col_url(c))).collect(),
                broken_links_home: broken_home,
                broken_links_elsewhere: elsewhere,
                expected_pages: expected,
                robots_disallowed_linked: s.disallowed_links.iter().map(|p| abs(&s.host, p)).collect(),
                trap_prefixes: if s.calendar_trap { vec![abs(&s.host, "/calendar/")] } else { vec![] },
                redirects: s.redirects.iter().map(|(f, t)| (abs(&s.host, f), abs(&s.host, t))).collect(),
                crawl_delay: s.crawl_delay,
                flaky_home: s.flaky_home,
                ipv6: s.ipv6,
                gzip: s.gzip,
                assessment: Some(assessment),
            });
        }
        for idx in self.crafted.len()..self.len() {
            let p = self.plain_site(idx);
            let host = p.host();
            let (id, name, _, level, region, _) = self.site_basics(idx);
            sites.push(SiteTruth {
                id,
                name,
                url: abs(&host, "/"),
                host: host.clone(),
                region,
                level,
                platform: None,
                crafted: false,
                cms: p.style(),
                charset: Charset::Utf8,
                columns: vec![],
                broken_links_home: vec![],
                broken_links_elsewhere: vec![],
                expected_pages: p.page_paths().iter().map(|x| abs(&host, x)).collect(),
                robots_disallowed_linked: vec![],
                trap_prefixes: vec![],
                redirects: vec![],
                crawl_delay: None,
                flaky_home: false,
                ipv6: Default::default(),
                gzip: false,
                assessment: None,
            });
        }
        truth::rank_sites(&mut sites);
        let list_of = |l: &str| {
            let mut v: Vec<(usize, String)> = sites
                .iter()
                .filter_map(|s| {
                    s.assessment.as_ref().filter(|a| a.list.as_deref() == Some(l)).map(|a| (a.rank, s.id.clone()))
                })
                .collect();
            v.sort();
            v.into_iter().map(|x| x.1).collect::<Vec<_>>()
        };
        let mut other_hosts: Vec<String> =
            gen::STUB_HOSTS.iter().chain(&gen::PARTNER_HOSTS).map(|s| s.to_string()).collect();
        if self.crafted.iter().any(|s| s.platform.shared) {
            other_hosts.insert(0, gen::PLATFORM_HOST.to_string());
        }
        GroundTruth {
            seed: self.seed,
            t0: self.t0.to_rfc3339(),
            sites_count: self.len(),
            pages_per_site: self.scale.pages_per_site,
            port,
            total_pages: sites.iter().map(|s| s.expected_pages.len()).sum(),
            red_list: list_of("red"),
            black_list: list_of("black"),
            other_hosts,
            notes: notes(),
            sites,
        }
    }

    /// Write `sites.toml`, `ground-truth.json` and `resolve.txt` (one `--resolve` value a line) into `dir` (created
    /// if needed), all for a server on `port`.
    pub fn write_fixture(&self, dir: &Path, port: u16) -> anyhow::Result<()> {
        std::fs::create_dir_all(dir)?;
        std::fs::write(dir.join("sites.toml"), self.sites_toml(port))?;
        self.write_ground_truth(&dir.join("ground-truth.json"), Some(port))?;
        let resolve: Vec<String> = self.hosts().into_iter().map(|h| format!("{h}:{port}:127.0.0.1")).collect();
        std::fs::write(dir.join("resolve.txt"), resolve.join("\n") + "\n")?;
        Ok(())
    }

    /// Write the ground truth as pretty JSON.
    pub fn write_ground_truth(&self, path: &Path, port: Option<u16>) -> anyhow::Result<()> {
        let gt = self.ground_truth(port);
        std::fs::write(path, serde_json::to_vec_pretty(&gt)?)?;
        Ok(())
    }
}

fn notes() -> Vec<String> {
    vec![
        "Findings are computed from the generator's model with the rubric's definitions (docs/rules.md) (independent oracle), never by running the scorer.".into(),
        "Availability: no monitor runs, so the crawl's home-page fetch is the only probe; fewer than 20 probes → no veto.unreachable and no design.availability finding is expected. With a monitor, the flaky site (503 on every 3rd home-page request) would exceed 5% failures.".into(),
        "Working days are counted Monday–Friday; every timeliness/late-reply case is at most 4 or at least 50 calendar days, so holidays cannot change the answer.".into(),
        "design.broken_links_home counts the broken 办事服务 entry too (it is a link on the home page); targets disallowed by robots.txt are never counted.".into(),
        "Category `service_stats` is the 办件公示 list (service.stats_stale); category `other` marks 法定主动公开内容 sub-columns with no canonical category.".into(),
        "Plain generated (scale) sites have only a page set in their truth (assessment = null).".into(),
        "IPv6 (design.ipv6, county level and above): the server answers on [::1] too and resolve.txt maps every host to 127.0.0.1 and [::1], except sites whose truth says `ipv6 = no_aaaa` (127.0.0.1 only); a `home_differs` site's IPv6 home page is another page. Without IPv6 loopback the server listens on 127.0.0.1 only and every site would be found without AAAA.".into(),
        "disclosure.statutory_coverage assumes each sub-column name (政策文件/规范性文件, 机构职能, 规划计划, 统计信息, 行政许可, 行政处罚, 财政预决算, 行政事业性收费, 政府采购, 重大建设项目, 社会保障, 应急管理, 监督检查, 人事信息) matches its 条例 第20条 item.".into(),
    ]
}

fn port_suffix(port: Option<u16>) -> String {
    port.map(|p| format!(":{p}")).unwrap_or_default()
}

/// Add the port to an absolute URL on a sample stub host; leave other URLs (127.0.0.1:1) alone.
fn with_port_if_sample(u: &str, ps: &str) -> String {
    match url::Url::parse(u) {
        Ok(parsed) if parsed.port().is_none() && !ps.is_empty() => {
            let host = parsed.host_str().unwrap_or_default();
            let rest = &u[u.find(host).unwrap() + host.len()..];
            format!("{}://{host}{ps}{rest}", parsed.scheme())
        }
        _ => u.to_string(),
    }
}

const PNG_1X1: &[u8] = &[
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49,
    0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00,
    0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
];

pub(crate) fn static_asset(path: &str) -> SampleResponse {
    if path.ends_with(".css") {
        // A background image in the stylesheet, so the crawler's page requisites reach into CSS (`url()`).
        SampleResponse::new(
            200,
            "text/css",
            b"body{font-family:sans-serif;background:#fff url(/images/bg.png) repeat-x}".to_vec(),
        )
    } else {
        SampleResponse::new(200, "image/png", PNG_1X1.to_vec())
    }
}

/// Stub national/provincial services. The provincial service site answers 404 under `/old/` (a broken 办事服务 entry).
pub(crate) fn stub_response(host: &str, path: &str, port: &str) -> SampleResponse {
    if path == "/robots.txt" {
        return SampleResponse::new(200, "text/plain", b"User-agent: *\nDisallow:\n".to_vec());
    }
    match host {
        gen::SERVICE_HOST if path.starts_with("/old/") => SampleResponse::not_found(),
        gen::JIUCUO_HOST if path.ends_with(".js") => SampleResponse::new(
            200,
            "application/javascript",
            format!("document.getElementById('_span_jiucuo').innerHTML='<a href=\"http://{host}{port}/check_web/errorInfo_querySiteInfo.action\">我为政府网站找错</a>';").into_bytes(),
        ),
        gen::BADGE_SCRIPT_HOST if path.ends_with(".js") => SampleResponse::new(
            200,
            "application/javascript",
            format!("document.getElementById('_ideConac').innerHTML='<a href=\"http://{}{port}/sitename?method=show\"><img src=\"http://{host}{port}/image/red.png\" alt=\"党政机关\"></a>';", gen::BADGE_HOST).into_bytes(),
        ),
        _ if path.ends_with(".png") => static_asset(path),
        gen::EXPIRED_PARTNER_HOST if path == "/" => SampleResponse::html(
            200,
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>百家乐-真人娱乐-澳门赌场官网</title></head>\
             <body><h1>真人娱乐</h1><p>首存送彩金，六合彩、时时彩在线投注。</p></body></html>"
                .to_string(),
        ),
        gen::NEWS_HOST if path == gen::NEWS_PATH => SampleResponse::html(
            200,
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>市公安局通报一批典型案件_临江日报</title></head>\
             <body><h1>市公安局通报一批典型案件</h1><p>近日，市公安局侦破一起利用境外网站组织六合彩赌博的案件，\
             提醒市民购买福利彩票请到正规销售网点。</p></body></html>"
                .to_string(),
        ),
        _ => {
            let title = match host {
                gen::SERVICE_HOST => "西川省政务服务网",
                gen::JIUCUO_HOST => "我为政府网站找错",
                gen::BEIAN_HOST => "ICP/IP地址/域名信息备案管理系统",
                gen::POLICE_BEIAN_HOST => "全国互联网安全管理服务平台",
                gen::BADGE_HOST | gen::BADGE_SCRIPT_HOST => "党政机关网站标识",
                gen::PARTNER_HOST => "临江文旅",
                _ => "Welcome",
            };
            SampleResponse::html(200, format!("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body><h1>{title}</h1></body></html>"))
        }
    }
}
