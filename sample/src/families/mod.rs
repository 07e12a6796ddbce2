//! A second generated province (南岭省) of sites built on real CMS families (docs/site-understanding.md "Content management systems"),
//! with seeded variance and ground truth computed from this module's own model (`oracle.rs`) with docs/rules.md's
//! definitions — never from the scorer.
//!
//! Every family gives six sites per seed: two that pass cleanly, three carrying one veto each (spread over seeds and
//! families) and one with deductions only, each with a seeded mix of deductions. `FamilyProvince::all` puts the six tuned
//! families together, `FamilyProvince::holdout` the four holdout families (`Family::HOLDOUT`: markup the tuned
//! renderers never use, same model and oracle), `FamilyProvince::every` all ten (their hosts never collide).

pub mod asp;
pub mod board;
mod build;
pub mod common;
pub mod dede;
pub mod gkmlpt;
pub mod hanweb;
pub mod holdout;
pub mod jeeboard;
pub mod kaipu;
pub mod model;
mod names;
pub mod nanwei;
pub mod oracle;
pub mod phpcms;
mod plan;
pub mod trs;

use crate::model::{Category, CmsStyle, ColumnKind, Item, Place};
use crate::render::SampleResponse;
use crate::truth::{ColumnTruth, GroundTruth, SiteTruth};
use crate::SiteSource;
use chrono::{DateTime, FixedOffset, NaiveDate};
use common::R;
use model::{FCol, FSite, FooterMode, PlatKind};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write;

/// The CMS families.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Family {
    AspTable,
    DedeCms,
    MessageBoard,
    Gkmlpt,
    Kaipu,
    HanwebJpage,
    /// Holdout: TRS WCM (`/xxgk/<seg>/index.html`, `createPageHTML` pagers, relative `./YYYYMM/tYYYYMMDD_N.html`).
    Trs,
    /// Holdout: PHPCMS (`index.php?m=content&c=index&a=lists&catid=N`, dl/dt/dd lists, year-grouped `MM-DD` dates).
    Phpcms,
    /// Holdout: 南威-style Vue SSR portals (section/article cards, extensionless URLs, shared platform host).
    NanweiVue,
    /// Holdout: JEECMS portals whose 留言 board has status lists, dl/th-td detail pages and separate 答复 pages.
    JeeBoard,
}

impl Family {
    /// Every family, the holdout families last.
    pub const ALL: [Family; 10] = [
        Family::AspTable,
        Family::DedeCms,
        Family::MessageBoard,
        Family::Gkmlpt,
        Family::Kaipu,
        Family::HanwebJpage,
        Family::Trs,
        Family::Phpcms,
        Family::NanweiVue,
        Family::JeeBoard,
    ];
    /// The six families the scorer was tuned on.
    pub const TUNED: [Family; 6] =
        [Family::AspTable, Family::DedeCms, Family::MessageBoard, Family::Gkmlpt, Family::Kaipu, Family::HanwebJpage];
    /// Families the scorer has never been tuned on (markup none of the tuned renderers uses).
    pub const HOLDOUT: [Family; 4] = [Family::Trs, Family::Phpcms, Family::NanweiVue, Family::JeeBoard];

    pub fn is_holdout(self) -> bool {
        Self::HOLDOUT.contains(&self)
    }

    /// Families whose every site has a consultation board (its no-consultation veto slot becomes an unanswered one).
    pub fn has_board(self) -> bool {
        matches!(self, Family::MessageBoard | Family::JeeBoard)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Family::AspTable => "asp_table",
            Family::DedeCms => "dedecms",
            Family::MessageBoard => "message_board",
            Family::Gkmlpt => "gkmlpt",
            Family::Kaipu => "kaipu",
            Family::HanwebJpage => "hanweb_jpage",
            Family::Trs => "trs_wcm",
            Family::Phpcms => "phpcms",
            Family::NanweiVue => "nanwei_vue",
            Family::JeeBoard => "jeecms_board",
        }
    }

    /// Short form used in site ids.
    pub fn as_str_short(self) -> &'static str {
        match self {
            Family::AspTable => "asp",
            Family::DedeCms => "dede",
            Family::MessageBoard => "mb",
            Family::Gkmlpt => "gk",
            Family::Kaipu => "kp",
            Family::HanwebJpage => "hw",
            Family::Trs => "trs",
            Family::Phpcms => "php",
            Family::NanweiVue => "nw",
            Family::JeeBoard => "jb",
        }
    }
}

/// URL shapes and list markup, dispatched to the family files.
pub mod layout {
    use super::common::R;
    use super::model::{FCol, FSite};
    use super::*;

    pub fn home_path(s: &FSite) -> String {
        match s.family {
            Family::AspTable => asp::home_path(s),
            Family::DedeCms => dede::home_path(s),
            Family::MessageBoard => board::home_path(s),
            Family::Gkmlpt => gkmlpt::home_path(s),
            Family::Kaipu => kaipu::home_path(s),
            Family::HanwebJpage => hanweb::home_path(s),
            Family::Trs => trs::home_path(s),
            Family::Phpcms => phpcms::home_path(s),
            Family::NanweiVue => nanwei::home_path(s),
            Family::JeeBoard => jeeboard::home_path(s),
        }
    }
    pub fn col_path(s: &FSite, c: &FCol, page: usize) -> String {
        match s.family {
            Family::AspTable => asp::col_path(s, c, page),
            Family::DedeCms => dede::col_path(s, c, page),
            Family::MessageBoard => board::col_path(s, c, page),
            Family::Gkmlpt => gkmlpt::col_path(s, c, page),
            Family::Kaipu => kaipu::col_path(s, c, page),
            Family::HanwebJpage => hanweb::col_path(s, c, page),
            Family::Trs => trs::col_path(s, c, page),
            Family::Phpcms => phpcms::col_path(s, c, page),
            Family::NanweiVue => nanwei::col_path(s, c, page),
            Family::JeeBoard => jeeboard::col_path(s, c, page),
        }
    }
    pub fn art_path(s: &FSite, c: &FCol, it: &Item) -> String {
        match s.family {
            Family::AspTable => asp::art_path(s, c, it),
            Family::DedeCms => dede::art_path(s, c, it),
            Family::MessageBoard => board::art_path(s, c, it),
            Family::Gkmlpt => gkmlpt::art_path(s, c, it),
            Family::Kaipu => kaipu::art_path(s, c, it),
            Family::HanwebJpage => hanweb::art_path(s, c, it),
            Family::Trs => trs::art_path(s, c, it),
            Family::Phpcms => phpcms::art_path(s, c, it),
            Family::NanweiVue => nanwei::art_path(s, c, it),
            Family::JeeBoard => jeeboard::art_path(s, c, it),
        }
    }
    pub fn platform_path(s: &FSite) -> String {
        match s.family {
            Family::AspTable => asp::platform_path(s),
            Family::DedeCms => dede::platform_path(s),
            Family::MessageBoard => board::platform_path(s),
            Family::Gkmlpt => gkmlpt::platform_path(s),
            Family::Kaipu => kaipu::platform_path(s),
            Family::HanwebJpage => hanweb::platform_path(s),
            Family::Trs => trs::platform_path(s),
            Family::Phpcms => phpcms::platform_path(s),
            Family::NanweiVue => nanwei::platform_path(s),
            Family::JeeBoard => jeeboard::platform_path(s),
        }
    }
    /// Whether the column's items come only from a JSON API (gkmlpt platform lists).
    pub fn is_api(s: &FSite, c: &FCol) -> bool {
        s.family == Family::Gkmlpt && c.place == Place::Platform && c.kind == ColumnKind::List
    }
    /// HTML pages of a list column.
    pub fn list_pages(s: &FSite, c: &FCol) -> usize {
        if c.kind != ColumnKind::List
            || c.placeholder
            || c.category == Category::Consultation
            || s.family == Family::HanwebJpage
            || is_api(s, c)
        {
            1
        } else {
            c.items.len().div_ceil(s.page_size).max(1)
        }
    }
    /// Items on the first page as a reader sees them.
    pub fn first_page<'a>(s: &FSite, c: &'a FCol) -> &'a [Item] {
        if c.placeholder || c.dead || c.kind != ColumnKind::List {
            return &[];
        }
        if c.category == Category::Consultation {
            return &c.items;
        }
        &c.items[..c.items.len().min(s.page_size)]
    }
    pub fn list_body(r: &R, c: &FCol, page: usize) -> String {
        match r.s.family {
            Family::AspTable => asp::list_body(r, c, page),
            Family::DedeCms => dede::list_body(r, c, page),
            Family::MessageBoard => board::list_body(r, c, page),
            Family::Gkmlpt => gkmlpt::list_body(r, c, page),
            Family::Kaipu => kaipu::list_body(r, c, page),
            Family::HanwebJpage => hanweb::list_body(r, c, page),
            Family::Trs => trs::list_body(r, c, page),
            Family::Phpcms => phpcms::list_body(r, c, page),
            Family::NanweiVue => nanwei::list_body(r, c, page),
            Family::JeeBoard => jeeboard::list_body(r, c, page),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum FPage {
    Home,
    Redirect(String),
    List {
        col: usize,
        page: usize,
    },
    Article {
        col: usize,
        item: usize,
    },
    ColumnPage {
        col: usize,
    },
    PlatformIndex,
    FooterHtml,
    FooterJs,
    Api {
        col: usize,
        page: usize,
    },
    Dataproxy {
        col: usize,
        page: usize,
    },
    /// A message's separate 答复 page (JEECMS boards).
    Reply {
        col: usize,
        item: usize,
    },
}

#[derive(Debug, Clone)]
struct FRoute {
    site: usize,
    page: FPage,
    /// An HTML page (200) a correct crawler archives.
    expected: bool,
}

/// The family province: sites of one or every family, with a route table. Immutable after generation.
pub struct FamilyProvince {
    pub seed: u64,
    pub t0: DateTime<FixedOffset>,
    pub families: Vec<Family>,
    pub sites: Vec<FSite>,
    /// host → path-and-query → route.
    routes: HashMap<String, BTreeMap<String, FRoute>>,
}

impl FamilyProvince {
    /// About six sites of one family.
    pub fn generate(family: Family, seed: u64, t0: DateTime<FixedOffset>) -> FamilyProvince {
        Self::build(&[family], seed, t0)
    }

    /// The six tuned families together (`Family::TUNED`; what the end-to-end scorer tests run).
    pub fn all(seed: u64, t0: DateTime<FixedOffset>) -> FamilyProvince {
        Self::build(&Family::TUNED, seed, t0)
    }

    /// The holdout families together (`Family::HOLDOUT`): sites in markup the scorer was never tuned on.
    pub fn holdout(seed: u64, t0: DateTime<FixedOffset>) -> FamilyProvince {
        Self::build(&Family::HOLDOUT, seed, t0)
    }

    /// Every family, tuned and holdout (`Family::ALL`).
    pub fn every(seed: u64, t0: DateTime<FixedOffset>) -> FamilyProvince {
        Self::build(&Family::ALL, seed, t0)
    }

    fn build(families: &[Family], seed: u64, t0: DateTime<FixedOffset>) -> FamilyProvince {
        let d0 = t0.date_naive();
        let mut sites = vec![];
        for &f in families {
            let base = sites.len();
            sites.extend(build::build_family(f, seed, d0, base));
        }
        let mut routes: HashMap<String, BTreeMap<String, FRoute>> = HashMap::new();
        for s in &sites {
            for (h, p, r) in site_routes(s) {
                routes.entry(h).or_default().insert(p, r);
            }
        }
        FamilyProvince { seed, t0, families: families.to_vec(), sites, routes }
    }

    pub fn t0_date(&self) -> NaiveDate {
        self.t0.date_naive()
    }

    pub fn site(&self, id: &str) -> Option<&FSite> {
        self.sites.iter().find(|s| s.id == id)
    }

    /// Every host served (sites, platforms, stub national services), sorted.
    pub fn hosts(&self) -> Vec<String> {
        let mut v: BTreeSet<String> = self.routes.keys().cloned().collect();
        v.extend(crate::gen::STUB_HOSTS.iter().map(|s| s.to_string()));
        v.into_iter().collect()
    }

    /// sites.toml (docs/sites.md) for every site, URLs with `:port` (none when `port` is 0).
    pub fn sites_toml(&self, port: u16) -> String {
        let ps = if port == 0 { String::new() } else { format!(":{port}") };
        let mut t = String::from("# The gongkai CMS-family sample province (synthetic sites).\n\n");
        for s in &self.sites {
            let _ = writeln!(t, "[[site]]\nid = \"{}\"\nname = \"{}\"\nurl = \"http://{}{ps}/\"", s.id, s.name, s.host);
            let region: Vec<String> = s.region.iter().map(|r| format!("\"{r}\"")).collect();
            let _ = writeln!(t, "region = [{}]\nlevel = \"{}\"", region.join(", "), s.level.as_str());
            if s.plat.kind == PlatKind::OwnHost {
                let _ = writeln!(t, "platform = \"http://{}{ps}{}\"", s.plat.host, s.plat.prefix);
            }
            t.push('\n');
        }
        t
    }

    fn render_route(&self, host: &str, pq: &str, port: &str) -> Option<SampleResponse> {
        let table = self.routes.get(host)?;
        let (path, query) = pq.split_once('?').unwrap_or((pq, ""));
        let route = table.get(pq).cloned().or_else(|| dynamic_route(self, host, path, query))?;
        let s = &self.sites[route.site];
        let r = R { s, port, here: host, t0: self.t0_date() };
        if s.family.is_holdout() {
            if let Some(html) = holdout::html(&r, &route.page, path) {
                return Some(encode(s, html));
            }
        }
        let html = match &route.page {
            FPage::Home => r.home(),
            FPage::Redirect(to) => return Some(SampleResponse::redirect(302, to.clone())),
            FPage::List { col, page } => r.list(*col, *page),
            FPage::Article { col, item } => r.article(*col, *item),
            FPage::ColumnPage { col } => r.column_page(*col),
            FPage::PlatformIndex => r.platform_index(),
            FPage::FooterHtml => r.footer_page(),
            FPage::FooterJs => {
                let js = if s.family.is_holdout() { holdout::footer_js(&r) } else { r.footer_js() };
                let (bytes, _, _) = encoding_rs::GBK.encode(&js);
                return Some(SampleResponse::new(200, "application/javascript; charset=GBK", bytes.into_owned()));
            }
            FPage::Api { col, page } => {
                let body = gkmlpt::api(&r, &s.columns[*col], *page);
                return Some(SampleResponse::new(200, "application/json; charset=utf-8", body.into_bytes()));
            }
            FPage::Dataproxy { col, page } => {
                let body = hanweb::dataproxy(&r, &s.columns[*col], *page);
                return Some(SampleResponse::new(200, "text/xml; charset=utf-8", body.into_bytes()));
            }
            FPage::Reply { .. } => return None,
        };
        Some(encode(s, html))
    }

    /// The ground truth of every site (URLs without a port); rank and lists over this province's sites.
    pub fn ground_truth(&self) -> GroundTruth {
        let t0 = self.t0_date();
        let mut sites: Vec<SiteTruth> = self.sites.iter().map(|s| site_truth(self, s, t0)).collect();
        crate::truth::rank_sites(&mut sites);
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
        let mut other: BTreeSet<String> = crate::gen::STUB_HOSTS.iter().map(|s| s.to_string()).collect();
        for s in &self.sites {
            if s.plat.host != s.host {
                other.insert(s.plat.host.clone());
            }
        }
        GroundTruth {
            seed: self.seed,
            t0: self.t0.to_rfc3339(),
            sites_count: self.sites.len(),
            pages_per_site: 0,
            port: None,
            total_pages: sites.iter().map(|s| s.expected_pages.len()).sum(),
            red_list: list_of("red"),
            black_list: list_of("black"),
            other_hosts: other.into_iter().collect(),
            notes: {
                let mut n = oracle::notes();
                if self.families.iter().any(|f| f.is_holdout()) {
                    n.extend(holdout::notes());
                }
                n
            },
            sites,
        }
    }

    /// The ground truth with `:port` added to every URL of a served host (the sample server's view).
    pub fn ground_truth_with_port(&self, port: Option<u16>) -> GroundTruth {
        let gt = self.ground_truth();
        let Some(port) = port else { return gt };
        let mut json = serde_json::to_string(&gt).expect("truth serialises");
        for h in self.hosts() {
            json = json.replace(&format!("http://{h}/"), &format!("http://{h}:{port}/"));
        }
        let mut gt: GroundTruth = serde_json::from_str(&json).expect("truth parses");
        gt.port = Some(port);
        gt
    }

    /// Absolute URL (no port) of a column's first page, or the entry target.
    pub fn col_url(s: &FSite, c: &FCol) -> String {
        if c.kind == ColumnKind::Entry {
            return c.entry_target.clone().unwrap_or_default();
        }
        let (h, _) = s.base(c.place);
        format!("http://{h}{}", layout::col_path(s, c, 0))
    }

    pub fn art_url(s: &FSite, c: &FCol, it: &Item) -> String {
        let (h, _) = s.base(c.place);
        format!("http://{h}{}", layout::art_path(s, c, it))
    }

    pub fn home_url(s: &FSite) -> String {
        format!("http://{}{}", s.host, layout::home_path(s))
    }
}

fn encode(s: &FSite, html: String) -> SampleResponse {
    use crate::model::Charset;
    match s.charset {
        Charset::Utf8 => SampleResponse::html(200, html),
        Charset::GbkMeta | Charset::GbkHeader => {
            let (bytes, _, _) = encoding_rs::GBK.encode(&html);
            let ct = if s.charset == Charset::GbkHeader { "text/html; charset=GBK" } else { "text/html" };
            SampleResponse::new(200, ct, bytes.into_owned())
        }
    }
}

/// Dataproxy and gkmlpt API requests whose query differs from the linked form (parameters reordered).
fn dynamic_route(p: &FamilyProvince, host: &str, path: &str, query: &str) -> Option<FRoute> {
    let q: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let page: usize = q.get("page").and_then(|v| v.parse().ok()).unwrap_or(1).max(1);
    if path.ends_with("module/web/jpage/dataproxy.jsp") {
        let cid: u32 = q.get("columnid")?.parse().ok()?;
        for (si, s) in p.sites.iter().enumerate() {
            if s.family != Family::HanwebJpage {
                continue;
            }
            if let Some(ci) = s.columns.iter().position(|c| c.key == cid && s.base(c.place).0 == host) {
                let c = &s.columns[ci];
                if c.kind == ColumnKind::List && !c.dead && page <= hanweb::dataproxy_pages(s, c) {
                    return Some(FRoute { site: si, page: FPage::Dataproxy { col: ci, page }, expected: false });
                }
            }
        }
    }
    if let Some(rest) = path.strip_prefix("/gkmlpt/api/all/") {
        let cid: u32 = rest.parse().ok()?;
        let sid = q.get("sid")?;
        for (si, s) in p.sites.iter().enumerate() {
            if s.family != Family::Gkmlpt || &s.sid != sid || s.plat.host != host {
                continue;
            }
            if let Some(ci) = s.columns.iter().position(|c| c.key == cid && layout::is_api(s, c) && !c.dead) {
                if page <= gkmlpt::api_pages(s, &s.columns[ci]) {
                    return Some(FRoute { site: si, page: FPage::Api { col: ci, page }, expected: false });
                }
            }
        }
    }
    None
}

/// Every route of one site: (host, path-and-query, route).
fn site_routes(s: &FSite) -> Vec<(String, String, FRoute)> {
    let mut out = vec![];
    let mut add = |host: &str, path: String, page: FPage, expected: bool| {
        out.push((host.to_string(), path, FRoute { site: s.idx, page, expected }));
    };
    let home = layout::home_path(s);
    if home != "/" {
        add(&s.host, "/".into(), FPage::Redirect(home.clone()), false);
    }
    add(&s.host, home, FPage::Home, true);
    match s.footer.mode {
        FooterMode::Iframe => add(&s.host, "/footer.html".into(), FPage::FooterHtml, true),
        FooterMode::Script => add(&s.host, "/js/footer.js".into(), FPage::FooterJs, false),
        FooterMode::Inline => {}
    }
    let pindex = layout::platform_path(s);
    if s.plat.kind == PlatKind::OwnHost && pindex != s.plat.prefix {
        add(&s.plat.host, s.plat.prefix.clone(), FPage::Redirect(pindex.clone()), false);
    }
    add(&s.plat.host, pindex, FPage::PlatformIndex, true);
    for (ci, c) in s.columns.iter().enumerate() {
        if c.dead {
            continue;
        }
        let (host, _) = s.base(c.place);
        match c.kind {
            ColumnKind::Entry => {}
            ColumnKind::List | ColumnKind::ScriptOnly => {
                for p in 0..layout::list_pages(s, c) {
                    add(host, layout::col_path(s, c, p), FPage::List { col: ci, page: p }, true);
                }
                if !c.placeholder {
                    for (ii, it) in c.items.iter().enumerate() {
                        add(host, layout::art_path(s, c, it), FPage::Article { col: ci, item: ii }, true);
                    }
                }
                if layout::is_api(s, c) {
                    for p in 1..=gkmlpt::api_pages(s, c) {
                        add(host, gkmlpt::api_path(s, c, p), FPage::Api { col: ci, page: p }, false);
                    }
                }
                if s.family == Family::JeeBoard && c.category == Category::Consultation {
                    for (ii, it) in c.items.iter().enumerate() {
                        if jeeboard::reply_apart(it) {
                            add(host, jeeboard::reply_path(s, c, it), FPage::Reply { col: ci, item: ii }, true);
                        }
                    }
                }
                if s.family == Family::HanwebJpage && !c.placeholder {
                    for p in 1..=hanweb::dataproxy_pages(s, c) {
                        add(host, hanweb::dataproxy_path(s, c, p), FPage::Dataproxy { col: ci, page: p }, false);
                    }
                }
            }
            ColumnKind::Single | ColumnKind::Container => {
                add(host, layout::col_path(s, c, 0), FPage::ColumnPage { col: ci }, true)
            }
        }
    }
    out
}

/// Internal broken link targets of a site (paths on the main or platform host, 404): home-page ones, article ones and
/// dead column links, as (host, path).
fn internal_broken(s: &FSite) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = s.broken_home.iter().map(|p| (s.host.clone(), p.clone())).collect();
    for c in &s.columns {
        let (h, _) = s.base(c.place);
        for it in &c.items {
            for b in &it.broken_links {
                v.push((h.to_string(), b.clone()));
            }
        }
        if c.dead {
            v.push((h.to_string(), layout::col_path(s, c, 0)));
        }
    }
    v
}

fn site_truth(p: &FamilyProvince, s: &FSite, t0: NaiveDate) -> SiteTruth {
    let mut expected: Vec<String> = vec![];
    for (host, table) in &p.routes {
        for (path, r) in table {
            if r.site == s.idx && r.expected {
                expected.push(format!("http://{host}{path}"));
            }
        }
    }
    expected.sort();
    let assessment = oracle::assess(s, t0);
    let columns: Vec<ColumnTruth> = s.columns.iter().map(|c| oracle::column_truth(s, c)).collect();
    let (home, elsewhere) = oracle::broken_links(s);
    let mut redirects = vec![];
    let hp = layout::home_path(s);
    if hp != "/" {
        redirects.push((format!("http://{}/", s.host), format!("http://{}{hp}", s.host)));
    }
    let pindex = layout::platform_path(s);
    if s.plat.kind == PlatKind::OwnHost && pindex != s.plat.prefix {
        let h = &s.plat.host;
        redirects.push((format!("http://{h}{}", s.plat.prefix), format!("http://{h}{pindex}")));
    }
    SiteTruth {
        id: s.id.clone(),
        name: s.name.clone(),
        url: format!("http://{}/", s.host),
        host: s.host.clone(),
        region: s.region.clone(),
        level: s.level,
        platform: (s.plat.kind == PlatKind::OwnHost).then(|| format!("http://{}{}", s.plat.host, s.plat.prefix)),
        crafted: true,
        cms: if s.family == Family::HanwebJpage { CmsStyle::Hanweb } else { CmsStyle::Plain },
        charset: s.charset,
        columns,
        broken_links_home: home,
        broken_links_elsewhere: elsewhere,
        expected_pages: expected,
        robots_disallowed_linked: vec![],
        trap_prefixes: vec![],
        redirects,
        crawl_delay: None,
        flaky_home: false,
        ipv6: Default::default(),
        gzip: false,
        assessment: Some(assessment),
    }
}

impl SiteSource for FamilyProvince {
    fn render(&self, host: &str, path_and_query: &str) -> Option<SampleResponse> {
        let (bare, port) = match host.rsplit_once(':') {
            Some((h, p)) if p.chars().all(|c| c.is_ascii_digit()) => (h, format!(":{p}")),
            _ => (host, String::new()),
        };
        let bare = bare.to_ascii_lowercase();
        let pq = if path_and_query.is_empty() { "/" } else { path_and_query };
        let path = pq.split('?').next().unwrap_or("/");
        if crate::gen::STUB_HOSTS.contains(&bare.as_str()) {
            return Some(crate::stub_response(&bare, path, &port));
        }
        if !self.routes.contains_key(&bare) {
            return None;
        }
        if path == "/robots.txt" {
            return Some(SampleResponse::new(
                200,
                "text/plain; charset=utf-8",
                b"User-agent: *\nDisallow: /search/\n".to_vec(),
            ));
        }
        if path.starts_with("/images/") {
            return Some(crate::static_asset(path));
        }
        Some(self.render_route(&bare, pq, &port).unwrap_or_else(SampleResponse::not_found))
    }

    fn site_pages(&self, site_id: &str) -> Vec<(url::Url, SampleResponse)> {
        let Some(s) = self.site(site_id) else { return vec![] };
        let mut keys: Vec<(String, String)> = vec![(s.host.clone(), "/robots.txt".into())];
        if s.plat.host != s.host {
            keys.push((s.plat.host.clone(), "/robots.txt".into()));
        }
        let mut paths: Vec<(String, String)> = vec![];
        for (host, table) in &self.routes {
            for (path, r) in table {
                if r.site == s.idx {
                    paths.push((host.clone(), path.clone()));
                }
            }
        }
        paths.sort();
        keys.extend(paths);
        let mut broken = internal_broken(s);
        broken.sort();
        broken.dedup();
        keys.extend(broken);
        keys.into_iter()
            .filter_map(|(h, p)| {
                let r = self.render(&h, &p)?;
                Some((url::Url::parse(&format!("http://{h}{p}")).ok()?, r))
            })
            .collect()
    }
}
