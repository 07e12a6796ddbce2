//! `build_site`: one spec → one `SiteModel`, dates relative to T0, titles and ids from a PRNG seeded by (seed, site).
//!
//! The steps below draw from the PRNG in a fixed order (columns in the order a site lists them), so a given seed always
//! gives the same province.

use super::text::{seg_of, title_for};
use super::*;
use chrono::Datelike;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use Category as C;

struct Builder<'a> {
    spec: &'a Spec,
    t0: NaiveDate,
    rng: ChaCha8Rng,
    next_id: u32,
    next_cid: u32,
}

impl Builder<'_> {
    fn id(&mut self) -> u32 {
        self.next_id += 1 + self.rng.gen_range(0..7);
        self.next_id
    }

    fn column(
        &mut self,
        seg: &str,
        name: &str,
        cat: Category,
        first_level: bool,
        place: Place,
        kind: ColumnKind,
    ) -> Column {
        self.next_cid += 1 + self.rng.gen_range(0..3);
        Column {
            seg: seg.to_string(),
            cid: self.next_cid,
            name: name.to_string(),
            category: cat,
            first_level,
            place,
            kind,
            items: vec![],
            placeholder: false,
            entry_target: None,
            entry_broken: false,
        }
    }

    /// `n` items, the newest `newest` days before T0, then one every `step` days.
    fn items(&mut self, cat: Category, n: usize, newest: i64, step: i64) -> Vec<Item> {
        (0..n)
            .map(|k| {
                let date = minus(self.t0, newest + step * k as i64);
                let title = title_for(cat, self.spec.short, &mut self.rng, k);
                Item {
                    id: self.id(),
                    title,
                    date: Some(date),
                    doc: None,
                    extra: ItemExtra::None,
                    exposes_id: false,
                    exposes_card: false,
                    broken_links: vec![],
                    misstatements: vec![],
                }
            })
            .collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn list(
        &mut self,
        seg: &str,
        name: &str,
        cat: Category,
        first_level: bool,
        place: Place,
        n: usize,
        newest: i64,
        step: i64,
    ) -> Column {
        let mut c = self.column(seg, name, cat, first_level, place, ColumnKind::List);
        c.items = self.items(cat, n, newest, step);
        c
    }

    /// Item counts: halved (at least one) on a small site.
    fn n(&self, x: usize) -> usize {
        if self.spec.small {
            x.div_ceil(2)
        } else {
            x
        }
    }

    fn missing(&self, c: Category) -> bool {
        self.spec.missing.contains(&c)
    }
}

/// Build one site's model from its spec.
pub fn build_site(idx: usize, spec: &Spec, seed: u64, t0: NaiveDate) -> SiteModel {
    let rng = ChaCha8Rng::seed_from_u64(seed ^ (idx as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let mut b = Builder { spec, t0, rng, next_id: 100_000 + idx as u32 * 7919, next_cid: 10 + idx as u32 * 3 };
    let gov = spec.level != Level::Department;
    let host = spec.host.map(str::to_string).unwrap_or_else(|| {
        if gov {
            format!("www.{}.gov.cn", spec.key)
        } else {
            format!("{}.{}.gov.cn", spec.key, CITY_PINYIN)
        }
    });
    let platform = if spec.shared_platform {
        PlatformLoc { host: PLATFORM_HOST.to_string(), prefix: format!("/{}/", spec.key), shared: true }
    } else {
        PlatformLoc { host: host.clone(), prefix: "/xxgk/".to_string(), shared: false }
    };
    let mut cols: Vec<Column> = vec![];
    news_notice_policy(&mut b, &mut cols);
    periodic_columns(&mut b, &mut cols);
    platform_columns(&mut b, &mut cols, gov);
    interaction_columns(&mut b, &mut cols);
    service_columns(&mut b, &mut cols);
    placeholders_and_broken_links(spec, &mut cols);
    let footer = footer(spec, idx, gov);
    let guide_elements: Vec<usize> = {
        // Drop in an order whose keywords never occur elsewhere on a page: 传真, 办公时间, 编排体系, 分类, 获取方式.
        let drop_order = [6usize, 4, 1, 0, 2];
        let dropped = &drop_order[..spec.guide_missing.min(5)];
        (0..8).filter(|i| !dropped.contains(i)).collect()
    };
    let broken_home: Vec<String> = (0..spec.broken_home).map(|i| format!("/zt/2019zt{}/index.html", i + 1)).collect();
    let disallow = vec!["/search/".to_string(), "/admin/".to_string()];
    // The advanced-search link only exists next to a search form (a link to /search/ would look like a search entry).
    let mut disallowed_links = vec!["/admin/login.jsp".to_string()];
    if !spec.no_search {
        disallowed_links.insert(0, "/search/advanced.html".to_string());
    }
    let redirects = if spec.redirects {
        vec![("/index.htm".to_string(), "/".to_string()), ("/old/tzgg/".to_string(), "/tzgg/".to_string())]
    } else {
        vec![]
    };
    SiteModel {
        idx,
        id: format!("xc-lj-{}", spec.key),
        name: spec.name.to_string(),
        short: spec.short.to_string(),
        host,
        level: spec.level,
        region: match spec.level {
            Level::County => vec![PROVINCE.to_string(), CITY.to_string(), spec.short.to_string()],
            _ => vec![PROVINCE.to_string(), CITY.to_string()],
        },
        style: spec.style,
        date_style: spec.date_style,
        charset: spec.charset,
        platform,
        columns: cols,
        guide_elements,
        footer,
        error_entry: !spec.no_error_entry,
        error_entry_script: spec.error_script,
        search: !spec.no_search,
        accessibility: spec.accessibility,
        broken_home,
        spam_link: spec.spam,
        partner_links: spec.partners,
        petition_link: spec.petition,
        flaky_home: spec.flaky,
        ipv6: spec.ipv6,
        emblem: spec.emblem,
        gzip: spec.gzip,
        calendar_trap: spec.calendar,
        crawl_delay: spec.crawl_delay,
        disallow,
        disallowed_links,
        redirects,
        page_size: 10,
    }
}

/// News: fresh (newest 2 days ago, every 3 days) or stale (newest 40 days ago); notice and policy: 6-month window,
/// stale = newest about 8 months old.
fn news_notice_policy(b: &mut Builder, cols: &mut Vec<Column>) {
    let spec = b.spec;
    let t0 = b.t0;
    let (news_newest, news_step) = if spec.stale_home { (40, 5) } else { (2, 3) };
    let n12 = b.n(12);
    let mut news =
        b.list(seg_of(spec.news_name), spec.news_name, C::News, true, Place::Main, n12, news_newest, news_step);
    if spec.future_item {
        news.items[0].date = Some(minus(t0, -10));
    }
    // Each planted sentence on its own article, and the first one again on the next article: one finding either way.
    for (k, (sentence, word, kind)) in spec.misstatements.iter().enumerate() {
        let m = Misstatement { sentence: sentence.to_string(), word: word.to_string(), kind: *kind };
        news.items[k + 1].misstatements.push(m.clone());
        if k == 0 {
            news.items[spec.misstatements.len() + 1].misstatements.push(m);
        }
    }
    cols.push(news);
    for (name, seg, stale) in &spec.extra_news {
        let (n0, st) = if *stale { (45, 6) } else { (3, 4) };
        let n6 = b.n(6);
        cols.push(b.list(seg, name, C::News, false, Place::Main, n6, n0, st));
    }
    // Notice and policy: 6-month window; stale = newest about 8 months old.
    let (nn, ns) = if spec.notice_stale {
        (245, 20)
    } else if spec.stale_home {
        (40, 15)
    } else {
        (5, 9)
    };
    let n8 = b.n(8);
    let mut notice = b.list(seg_of(spec.notice_name), spec.notice_name, C::Notice, true, Place::Main, n8, nn, ns);
    if spec.id_number {
        let it = &mut notice.items[1];
        it.title = format!("{}2026年公益性岗位拟聘用人员名单公示", spec.short);
        it.exposes_id = true;
    }
    if !b.missing(C::Notice) {
        cols.push(notice);
    }
    let (pn, ps) = if spec.policy_stale {
        (250, 20)
    } else if spec.stale_home {
        (42, 12)
    } else {
        (6, 12)
    };
    let mut policy = b.list(seg_of(spec.policy_name), spec.policy_name, C::Policy, true, Place::Main, n8, pn, ps);
    for (k, it) in policy.items.iter_mut().enumerate() {
        let d = it.date.unwrap();
        let late = k < spec.timeliness_late;
        let written = if late { minus(d, 60) } else { minus(d, 1 + (k % 4) as i64) };
        it.doc = Some(DocInfo { written, number: format!("{}〔{}〕{}号", spec.abbr, written.year(), 40 - k) });
    }
    cols.push(policy);
}

/// Periodic list columns (12-month window): fresh newest 20 days ago, stale newest 450 days ago.
fn periodic_columns(b: &mut Builder, cols: &mut Vec<Column>) {
    let spec = b.spec;
    let periodic: [(Category, &str, &str, Place, usize); 5] = [
        (C::Interpretation, "zcjd", "政策解读", Place::Main, 4),
        (C::Personnel, "rsxx", "人事信息", Place::Platform, 3),
        (C::Plan, "ghjh", "规划计划", Place::Platform, 3),
        (C::Finance, "czyjs", "财政预决算", Place::Platform, 3),
        (C::Statistics, "tjxx", "统计信息", Place::Platform, 3),
    ];
    for (cat, seg, name, place, count) in periodic {
        let count = b.n(count);
        if b.missing(cat) {
            continue;
        }
        let first = cat == C::Interpretation;
        if spec.script_only.contains(&cat) {
            let mut c = b.column(seg, name, cat, first, place, ColumnKind::ScriptOnly);
            c.items = b.items(cat, count, 15, 30);
            cols.push(c);
            continue;
        }
        let (n0, st) = if spec.periodic_stale.contains(&cat) { (450, 40) } else { (20, 30) };
        let mut c = b.list(seg, name, cat, first, place, count, n0, st);
        if spec.placeholders.contains(&cat) {
            c.items.clear();
            c.placeholder = true;
        }
        if spec.empty.contains(&cat) {
            c.items.clear();
        }
        if spec.undated.contains(&cat) {
            // More than half of the first page undated; the dated ones stay fresh.
            c.items = b.items(cat, 5, 20, 30);
            for it in c.items.iter_mut().skip(2) {
                it.date = None;
            }
        }
        if spec.card_number && cat == C::Finance {
            c.items[0].title = "关于发放2026年耕地地力保护补贴的公示".to_string();
            c.items[0].exposes_card = true;
        }
        cols.push(c);
    }
}

/// Single pages, the 法定主动公开内容 sub-columns with no canonical category, and the platform's first level (guide,
/// system, container, annual reports, application).
fn platform_columns(b: &mut Builder, cols: &mut Vec<Column>, gov: bool) {
    let spec = b.spec;
    let t0 = b.t0;
    // Single pages.
    for (cat, seg, name, place) in [
        (C::Overview, "zjlj", if gov { "县情概况" } else { "机构概况" }, Place::Platform),
        (C::Functions, "jgzn", "机构职能", Place::Platform),
        (C::Leaders, "ldxx", "领导信息", Place::Platform),
    ] {
        if b.missing(cat) || (cat == C::Overview && !gov) {
            continue;
        }
        let name = if cat == C::Overview && spec.level == Level::City { "走进临江" } else { name };
        cols.push(b.column(seg, name, cat, false, place, ColumnKind::Single));
    }
    // 法定主动公开内容 sub-columns with no canonical category.
    for (k, (name, seg, _)) in OTHER_COLUMNS.iter().enumerate() {
        let n2 = b.n(2);
        let mut c = b.list(seg, name, C::Other, false, Place::Platform, n2, 30 + k as i64 * 3, 40);
        if spec.placeholder_others.contains(&k) {
            c.items.clear();
            c.placeholder = true;
        }
        cols.push(c);
    }
    // The platform's first level.
    let mut guide = b.column("xxgkzn", "政府信息公开指南", C::Guide, true, Place::Platform, ColumnKind::Single);
    guide.first_level = true;
    cols.push(guide);
    if !spec.no_system {
        cols.push(b.column("xxgkzd", "政府信息公开制度", C::System, true, Place::Platform, ColumnKind::Single));
    }
    cols.push(b.column("fdzdgknr", "法定主动公开内容", C::Statutory, true, Place::Platform, ColumnKind::Container));
    let mut annual = b.column("xxgknb", "政府信息公开年报", C::AnnualReport, true, Place::Platform, ColumnKind::List);
    let y = t0.year();
    for (k, year) in [y - 1, y - 2, y - 3].into_iter().enumerate() {
        let deadline = annual_deadline(spec.level, year + 1);
        let published =
            if k == 0 && spec.annual == Annual::Late { deadline + Days::new(50) } else { deadline - Days::new(20) };
        if k == 0 && spec.annual == Annual::Missing {
            continue;
        }
        // A report not yet published at T0 does not exist yet.
        if published > minus(t0, 3) {
            continue;
        }
        let title = format!("{}{}年政府信息公开工作年度报告", spec.short, year);
        let id = b.id();
        annual.items.push(Item {
            id,
            title,
            date: Some(published),
            doc: None,
            extra: ItemExtra::AnnualReport { year },
            exposes_id: false,
            exposes_card: false,
            broken_links: vec![],
            misstatements: vec![],
        });
    }
    cols.push(annual);
    if !spec.no_application {
        cols.push(b.column("ysqgk", "依申请公开", C::Application, true, Place::Platform, ColumnKind::Single));
    }
}

/// Interaction: the consultation mailbox with its messages, 意见征集 and 在线访谈.
fn interaction_columns(b: &mut Builder, cols: &mut Vec<Column>) {
    let spec = b.spec;
    let t0 = b.t0;
    if spec.consultation {
        let name = match spec.level {
            Level::City => "市长信箱",
            Level::County => "县长信箱",
            _ => "网上咨询",
        };
        let name =
            if spec.key == "jinniu" || spec.key == "longquan" || spec.key == "yunxi" { "区长信箱" } else { name };
        let mut c = b.column("zxxx", name, C::Consultation, true, Place::Main, ColumnKind::List);
        let mut msgs: Vec<(i64, Option<i64>)> = vec![];
        if spec.replies_stale {
            for k in 0..6 {
                let p = 100 + 25 * k;
                msgs.push((p, Some(p - 2)));
            }
        } else {
            for k in 0..b.n(7) as i64 {
                let p = 5 + 11 * k;
                msgs.push((p, Some(p - 1 - k % 3)));
            }
        }
        for k in 0..spec.late_replies {
            let p = 70 + 15 * k as i64 + if spec.replies_stale { 50 } else { 0 };
            msgs.push((p, Some(p - 50)));
        }
        if spec.unanswered {
            msgs.push((120, None));
        }
        if spec.recent_unanswered {
            msgs.push((3, None));
        }
        msgs.sort_by_key(|m| m.0);
        for (k, (p, r)) in msgs.into_iter().enumerate() {
            let posted = minus(t0, p);
            let replied = r.map(|r| minus(t0, r));
            let id = b.id();
            let title = title_for(C::Consultation, spec.short, &mut b.rng, k);
            c.items.push(Item {
                id,
                title,
                date: Some(posted),
                doc: None,
                extra: ItemExtra::Message { posted, replied },
                exposes_id: false,
                exposes_card: false,
                broken_links: vec![],
                misstatements: vec![],
            });
        }
        cols.push(c);
    }
    match spec.collection {
        Freshness::Fresh => {
            let n3 = b.n(3);
            cols.push(b.list("zjdc", "意见征集", C::Collection, false, Place::Main, n3, 40, 60))
        }
        Freshness::Stale => cols.push(b.list("zjdc", "意见征集", C::Collection, false, Place::Main, 3, 420, 60)),
        Freshness::Missing => {}
    }
    match spec.interview {
        Freshness::Fresh => {
            let n2 = b.n(2);
            cols.push(b.list("zxft", "在线访谈", C::Interview, false, Place::Main, n2, 25, 50))
        }
        Freshness::Stale => cols.push(b.list("zxft", "在线访谈", C::Interview, false, Place::Main, 2, 400, 50)),
        Freshness::Missing => {}
    }
}

/// Service: the 办事服务 entry (to the provincial service host) and the 办件公示 list.
fn service_columns(b: &mut Builder, cols: &mut Vec<Column>) {
    let spec = b.spec;
    if spec.service != Svc::None {
        let mut c = b.column("bsfw", "办事服务", C::Service, true, Place::Main, ColumnKind::Entry);
        let path = if spec.service == Svc::Broken { format!("/old/{}/", spec.key) } else { format!("/{}/", spec.key) };
        c.entry_target = Some(format!("http://{SERVICE_HOST}{path}"));
        c.entry_broken = spec.service == Svc::Broken;
        cols.push(c);
        let (n0, st) = if spec.stats_stale { (150, 30) } else { (10, 30) };
        let n3 = b.n(3);
        cols.push(b.list("bjgs", "办件公示", C::ServiceStats, false, Place::Main, n3, n0, st));
    }
}

/// Placeholder (blank) columns of any category, then broken links elsewhere: spread over article pages of news,
/// unique targets.
fn placeholders_and_broken_links(spec: &Spec, cols: &mut [Column]) {
    // Placeholder (blank) columns of any category.
    for c in cols.iter_mut() {
        if spec.placeholders.contains(&c.category) && c.kind == ColumnKind::List {
            c.items.clear();
            c.placeholder = true;
        }
    }

    // Broken links elsewhere: spread over article pages of news, unique targets.
    let n_broken = spec.broken_site;
    let mut targets: Vec<String> = (0..n_broken).map(|i| format!("/uploadfiles/2025/fj{:03}.doc", i + 1)).collect();
    if spec.unreachable_link {
        targets.push(UNREACHABLE_URL.to_string());
    }
    for (k, t) in targets.into_iter().enumerate() {
        let col = &mut cols[0];
        let n = col.items.len();
        col.items[k % n].broken_links.push(t);
    }
}

/// The identity footer: each element present unless the spec names it missing.
fn footer(spec: &Spec, idx: usize, gov: bool) -> Footer {
    let identity_missing = |e: &str| spec.identity_missing.contains(&e);
    let code_num = format!("51{:02}{:06}", 8 + idx % 10, 100_000 + idx * 7 + 1);
    Footer {
        site_code: (!identity_missing("site_code")).then(|| {
            if gov {
                code_num.clone()
            } else {
                format!("bm{:08}", 51_080_000 + idx * 3)
            }
        }),
        icp: (!identity_missing("icp")).then(|| format!("川ICP备{:08}号-{}", 10_234_567 + idx * 1013, 1 + idx % 3)),
        police: (!identity_missing("police"))
            .then(|| format!("川公网安备{}号", 51_010_602_000_100u64 + idx as u64 * 37)),
        badge: !identity_missing("badge"),
        badge_by_script: spec.badge_script,
        sponsor: (!identity_missing("sponsor")).then(|| {
            if gov {
                format!("{}办公室", spec.name)
            } else {
                spec.name.to_string()
            }
        }),
        contact: !identity_missing("contact"),
        variant: spec.footer_variant,
        in_iframe: spec.footer_iframe,
        by_script: spec.footer_script,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_stay_at_or_before_t0_except_the_future_item() {
        let t0 = NaiveDate::from_ymd_opt(2026, 11, 15).unwrap();
        for (i, spec) in specs().iter().enumerate() {
            let s = build_site(i, spec, 1, t0);
            for c in &s.columns {
                for it in &c.items {
                    if let Some(d) = it.date {
                        assert!(d <= t0 || spec.future_item, "{} {}", s.id, it.title);
                    }
                    if let ItemExtra::Message { posted, replied: Some(r) } = it.extra {
                        assert!(posted <= r && r <= t0);
                    }
                }
            }
        }
    }
}
