//! The crawl: every site at once (unless `--concurrency` limits it), each site breadth-first from its home page through its sled
//! frontier, every request paced per host, then every link target found checked once.
//!
//! # Order of writes (what makes kill -9 safe)
//! For each URL taken from the frontier: fetch, discover links, then archive the response, which marks the URL done
//! and pushes its new links to the frontier in one index batch. A process killed anywhere in between leaves the URL
//! pending (a claim is never written to the index); the next run fetches it again, and the archive writes each URL
//! once per snapshot. Link checks are written last; a resumed run rebuilds the set of targets from the archived pages.
//!
//! # Redirects
//! Followed by hand: each hop is paced, robots-checked and archived as a fetch of its own, as long as it stays in the
//! site's scope; an off-site hop ends the chain (the target is link-checked instead).
//!
//! # Not checked is not broken
//! What the crawler itself decided not to do is never held against a site: a page over the body cap is archived
//! truncated, an address outside the rules ([`crate::netpolicy`]) or a host that asked for a pause longer than the
//! Retry-After cap is not contacted, a 429 says nothing about the link, link checks past the site's budget are not
//! made. Each such link is recorded as [`LinkOutcome::NotChecked`](gongkai_archive::LinkOutcome::NotChecked) with the reason (shown as 未检查).

mod body;
mod certs;
mod ipv6;
mod known;
mod links;
mod page;
mod requisites;
mod resume;
mod site;

use crate::http::Fetcher;
use crate::options::CrawlOptions;
use crate::pacer::HostPacer;
use crate::progress::{Progress, ProgressEvent};
use crate::robots::RobotsCache;
use crate::urls::{SiteScope, TrapDetector};
use anyhow::Result;
use chrono::{DateTime, Utc};
use futures::stream::StreamExt;
use gongkai_archive::{Frontier, Snapshot, Store};
use gongkai_config::Site;
use known::{Known, KnownMap};
use resume::{finished_since, RunMarker};
use site::crawl_site;
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::OnceCell;

/// What a crawl did, per site and in total.
#[derive(Debug, Clone, Default)]
pub struct CrawlSummary {
    pub sites: Vec<SiteSummary>,
    /// Responses archived (all sites), page requisites not included.
    pub pages: u64,
    /// Page requisites archived (all sites): stylesheets, images, icons, fonts (see [`SiteSummary::requisites`]).
    pub requisites: u64,
    /// Fetches that got no response after their retries.
    pub errors: u64,
    pub elapsed: Duration,
    /// Link targets on hosts outside the `--resolve` map while `only_resolved_hosts` was set: not checked.
    pub links_not_contacted: u64,
    /// Connections refused by the address rules (private, loopback, … addresses; see the crate's `netpolicy` module).
    pub addresses_refused: u64,
}

/// One site's crawl.
#[derive(Debug, Clone, Default)]
pub struct SiteSummary {
    pub site_id: String,
    /// Snapshot sequence number in the store.
    pub seq: u64,
    /// True when this run continued an interrupted snapshot.
    pub resumed: bool,
    /// Responses archived by this run, page requisites not included.
    pub pages: u64,
    /// Page requisites (stylesheets, images, icons, fonts the archived pages need to look as they did) archived by
    /// this run; their requests count against `max_requisites`, not the page budget.
    pub requisites: u64,
    /// True when `max_requisites` stopped the site's requisites with some still unfetched.
    pub requisites_capped: bool,
    /// Failures recorded by this run.
    pub errors: u64,
    /// URLs not fetched because robots.txt forbids them.
    pub robots_disallowed: u64,
    /// URLs cut as endless URL spaces.
    pub traps_cut: u64,
    /// Link checks recorded by this run.
    pub link_checks: u64,
    /// Of those, broken (docs/rules.md).
    pub broken_links: u64,
    /// Of those, not checked (budget, address rules, rate limiting, body cap).
    pub links_not_checked: u64,
    /// True when the site's link-check budget (`max_link_checks`) was reached.
    pub link_budget_exhausted: bool,
    /// URLs not fetched because their host was out of scope or asked for a pause longer than the cap.
    pub not_fetched: u64,
    /// Hosts whose Crawl-delay was longer than the cap: (host, asked seconds, applied).
    pub crawl_delay_capped: Vec<(String, f32, Duration)>,
    /// True when the page budget stopped the crawl with URLs still waiting.
    pub budget_exhausted: bool,
    /// The site's crawl had already finished in the interrupted run this one continues: nothing was fetched.
    pub already_done: bool,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// Shared by every site of one crawl.
struct Ctx<'a> {
    store: Store,
    fetcher: Arc<Fetcher>,
    robots: RobotsCache,
    opts: Arc<CrawlOptions>,
    progress: &'a dyn Progress,
    /// Off-site link outcomes, so each target is requested once per crawl however many sites link to it.
    link_cache: Mutex<HashMap<String, Arc<OnceCell<Option<links::RemoteCheck>>>>>,
    /// Outbound targets' pages read and archived (by the URL the chain ended on), so each is read once per crawl.
    page_cache: Mutex<HashMap<String, Arc<OnceCell<Option<gongkai_archive::LinkedPage>>>>>,
    /// The IPv6 check's resolver and IPv6-only client, made once per crawl on first use (the error, if it could not
    /// be made). One per site cost each site a copy of the whole `--resolve` map and an HTTP client of its own:
    /// 211 MB of the 564 MB heap peak of a 2,000-site crawl.
    ipv6_prober: std::sync::OnceLock<Result<Arc<crate::ipv6::Ipv6Prober>, String>>,
    not_contacted: AtomicU64,
}

/// One site's crawl state.
struct SiteRun {
    site: Site,
    snap: Snapshot,
    frontier: Frontier,
    scope: SiteScope,
    rate: f64,
    max_pages: u64,
    max_depth: u32,
    max_link_checks: u64,
    traps: Mutex<TrapDetector>,
    /// Every distinct link target found on the site's archived pages, as text (in URL order, like `Url`'s own):
    /// a parsed `Url` costs 88 bytes more per target, and every site of a province holds its set until its checks.
    targets: Mutex<BTreeSet<Box<str>>>,
    known: Mutex<KnownMap>,
    /// Fetches claimed against the page budget (archived + failed + in flight).
    budget_used: AtomicU64,
    /// URLs in the frontier (pushed or archived in this snapshot), and the most worth queueing: see
    /// [`enqueue`](page::enqueue).
    queued: AtomicU64,
    queue_cap: u64,
    pages: AtomicU64,
    errors: AtomicU64,
    robots_disallowed: AtomicU64,
    not_fetched: AtomicU64,
    capped: Mutex<Vec<(String, f32, Duration)>>,
    /// Page requisites found on the archived pages, in the order found (home page first), at most `max_requisites`.
    requisites: Mutex<requisites::Requisites>,
}

/// Crawl every site into the store. Resumable: sites whose previous snapshot was interrupted continue it; others start
/// a new snapshot. Returns once every site is done (or the first store error).
pub async fn crawl(
    sites: &[Site],
    store: &Store,
    opts: &CrawlOptions,
    progress: &dyn Progress,
) -> Result<CrawlSummary> {
    let t0 = Instant::now();
    let opts = Arc::new(opts.clone());
    let pacer = Arc::new(HostPacer::new(opts.rate_margin).with_undeclared_share(opts.other_hosts_rate_share));
    let fetcher = Arc::new(Fetcher::new(opts.clone(), pacer.clone())?);
    // One limit per host: when several sites share a host, the slowest rate wins, declared before any request.
    for site in sites {
        trust_site_hosts(&fetcher, site);
        let rate = opts.rate.unwrap_or(site.rate);
        for a in SiteScope::new(&site.url, site.platform.as_ref()).authorities() {
            pacer.limit_rate(&a, rate);
        }
    }
    let ctx = Ctx {
        store: store.clone(),
        fetcher,
        robots: RobotsCache::default(),
        opts: opts.clone(),
        progress,
        link_cache: Mutex::new(HashMap::new()),
        page_cache: Mutex::new(HashMap::new()),
        ipv6_prober: std::sync::OnceLock::new(),
        not_contacted: AtomicU64::new(0),
    };
    progress.begin(sites.len());
    let run_file = RunMarker::path(store);
    let ids: Vec<String> = sites.iter().map(|s| s.id.clone()).collect();
    let resume_since = RunMarker::begin(&run_file, &ids)?;
    let results: Vec<Result<SiteSummary>> = futures::stream::iter(sites.iter())
        .map(|site| async {
            if let Some(since) = resume_since {
                if let Some(done) = finished_since(store, &site.id, since)? {
                    ctx.progress.event(ProgressEvent::SiteFinished {
                        site_id: &site.id,
                        pages: 0,
                        requisites: 0,
                        errors: 0,
                    });
                    return Ok(done);
                }
            }
            crawl_site(&ctx, site).await
        })
        .buffer_unordered(opts.sites_at_once(sites.len()))
        .collect()
        .await;
    progress.finish();
    let mut summary = CrawlSummary::default();
    for r in results {
        let s = r?;
        summary.pages += s.pages;
        summary.errors += s.errors;
        summary.requisites += s.requisites;
        summary.sites.push(s);
    }
    summary.sites.sort_by(|a, b| a.site_id.cmp(&b.site_id));
    summary.elapsed = t0.elapsed();
    summary.links_not_contacted = ctx.not_contacted.load(Ordering::Relaxed);
    summary.addresses_refused = ctx.fetcher.policy().refused();
    store.flush()?;
    RunMarker::finish(&run_file)?;
    Ok(summary)
}

/// A configured site's hosts may be on any address (the operator named them).
pub(crate) fn trust_site_hosts(fetcher: &Fetcher, site: &Site) {
    for u in std::iter::once(&site.url).chain(site.platform.as_ref()) {
        if let Some(h) = u.host_str() {
            fetcher.trust_host(h);
        }
    }
}

/// Runs CPU or disk work (HTML parsing, WARC compression, index writes). Inline on the runtime's worker threads: each
/// call is short (well under a millisecond for a government page), and handing it to the blocking pool cost more in
/// thread wake-ups than it saved and doubled peak memory (measured with the benchmarks in `benches/`).
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::consume_budget().await;
    f()
}
