//! The crawl: every site at once (up to `concurrency`), each site breadth-first from its home page through its sled
//! frontier, every request paced per host, then every link target found checked once.
//!
//! # Order of writes (what makes kill -9 safe)
//! For each URL taken from the frontier: fetch, discover links, push the links to the frontier, and only then archive
//! the response (which marks the URL done in the same index batch). A process killed anywhere in between leaves the URL
//! claimed-but-not-done; the next run puts it back to pending and fetches it again, and the archive writes each URL
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
//! made. Each such link is recorded as [`LinkOutcome::NotChecked`] with the reason (shown as 未检查).

use crate::discover::{discover_json, discover_page, discover_script, fingerprint, is_document_like, Found, LinkKind};
use crate::http::{Exchange, FetchError, Fetcher};
use crate::options::CrawlOptions;
use crate::pacer::HostPacer;
use crate::progress::{Progress, ProgressEvent};
use crate::robots::RobotsCache;
use crate::urls::{authority, SiteScope, TrapDetector, Verdict};
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use futures::stream::{FuturesUnordered, StreamExt};
use gongkai_archive::{
    Fetch, FetchEntry, FetchFailure, Frontier, FrontierEntry, LinkCheck, LinkOutcome, Probe, ProbeSource, Snapshot,
    Store,
};
use gongkai_config::Site;
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::OnceCell;
use url::Url;

/// What a crawl did, per site and in total.
#[derive(Debug, Clone, Default)]
pub struct CrawlSummary {
    pub sites: Vec<SiteSummary>,
    /// Responses archived (all sites).
    pub pages: u64,
    /// Fetches that got no response after their retries.
    pub errors: u64,
    pub elapsed: Duration,
    /// Link targets on hosts outside the `--resolve` map while `only_resolved_hosts` was set: not checked.
    pub links_not_contacted: u64,
    /// Connections refused by the address rules (private, loopback, … addresses; see [`crate::netpolicy`]).
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
    /// Responses archived by this run.
    pub pages: u64,
    /// Failures recorded by this run.
    pub errors: u64,
    /// URLs not fetched because robots.txt forbids them.
    pub robots_disallowed: u64,
    /// URLs cut as endless URL spaces.
    pub traps_cut: u64,
    /// Link checks recorded by this run.
    pub link_checks: u64,
    /// Of those, broken (RUBRIC.md).
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

/// What the crawl learnt about one fetched URL, for link outcomes (a target crawled as a page gets that fetch's
/// outcome, following redirects).
#[derive(Debug, Clone)]
enum Known {
    /// `not_checked`: the answer says nothing about the link (429, a truncated page): its reason.
    Status {
        status: u16,
        redirect: Option<Url>,
        not_checked: Option<String>,
    },
    Failed(String),
    RobotsDisallowed,
    /// Not requested by the crawler's own rules, with the reason.
    NotChecked(String),
}

/// Shared by every site of one crawl.
struct Ctx<'a> {
    store: Store,
    fetcher: Arc<Fetcher>,
    robots: RobotsCache,
    opts: Arc<CrawlOptions>,
    progress: &'a dyn Progress,
    /// Off-site link outcomes, so each target is requested once per crawl however many sites link to it.
    link_cache: Mutex<HashMap<String, Arc<OnceCell<Option<LinkOutcome>>>>>,
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
    /// Every distinct link target found on the site's archived pages.
    targets: Mutex<BTreeSet<Url>>,
    known: Mutex<HashMap<Url, Known>>,
    /// Fetches claimed against the page budget (archived + failed + in flight).
    budget_used: AtomicU64,
    /// URLs in the frontier (pushed or archived in this snapshot), and the most worth queueing: see [`enqueue`].
    queued: AtomicU64,
    queue_cap: u64,
    pages: AtomicU64,
    errors: AtomicU64,
    robots_disallowed: AtomicU64,
    not_fetched: AtomicU64,
    capped: Mutex<Vec<(String, f32, Duration)>>,
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
    let pacer = Arc::new(HostPacer::new(opts.rate_margin));
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
                    ctx.progress.event(ProgressEvent::SiteFinished { site_id: &site.id, pages: 0, errors: 0 });
                    return Ok(done);
                }
            }
            crawl_site(&ctx, site).await
        })
        .buffer_unordered(opts.concurrency.max(1))
        .collect()
        .await;
    progress.finish();
    let mut summary = CrawlSummary::default();
    for r in results {
        let s = r?;
        summary.pages += s.pages;
        summary.errors += s.errors;
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

/// Marks an interrupted crawl run in the store directory (`crawl-run.json`), so running the same crawl again after a
/// kill continues it: sites that finished during the interrupted run are not crawled again, unfinished ones resume
/// their snapshot. A run that completed is not continued: the next crawl takes new snapshots of every site.
#[derive(serde::Serialize, serde::Deserialize)]
struct RunMarker {
    started_at: DateTime<Utc>,
    sites: Vec<String>,
    finished: bool,
}

impl RunMarker {
    fn path(store: &Store) -> std::path::PathBuf {
        store.dir().join("crawl-run.json")
    }

    /// Starts a run, or continues the interrupted run of the same sites; returns that run's start.
    fn begin(path: &std::path::Path, ids: &[String]) -> Result<Option<DateTime<Utc>>> {
        let mut sorted = ids.to_vec();
        sorted.sort();
        if let Ok(text) = std::fs::read_to_string(path) {
            if let Ok(m) = serde_json::from_str::<RunMarker>(&text) {
                if !m.finished && m.sites == sorted {
                    return Ok(Some(m.started_at));
                }
            }
        }
        let m = RunMarker { started_at: Utc::now(), sites: sorted, finished: false };
        write_atomic(path, &serde_json::to_vec_pretty(&m)?)?;
        Ok(None)
    }

    fn finish(path: &std::path::Path) -> Result<()> {
        let text = std::fs::read_to_string(path)?;
        let mut m: RunMarker = serde_json::from_str(&text)?;
        m.finished = true;
        write_atomic(path, &serde_json::to_vec_pretty(&m)?)
    }
}

fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, bytes).with_context(|| format!("writing {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
    Ok(())
}

/// The site's snapshot finished at or after `since` (during the interrupted run), as a summary; None otherwise.
fn finished_since(store: &Store, site_id: &str, since: DateTime<Utc>) -> Result<Option<SiteSummary>> {
    let snaps = store.snapshots(site_id)?;
    let Some(last) = snaps.last() else { return Ok(None) };
    match last.finished_at {
        Some(f) if f >= since => Ok(Some(SiteSummary {
            site_id: site_id.to_string(),
            seq: last.seq,
            resumed: true,
            already_done: true,
            started_at: Some(last.started_at),
            finished_at: Some(f),
            ..Default::default()
        })),
        _ => Ok(None),
    }
}

/// Runs CPU or disk work (HTML parsing, WARC compression, index writes). Inline on the runtime's worker threads: each
/// call is short (well under a millisecond for a government page), and handing it to the blocking pool cost more in
/// thread wake-ups than it saved and doubled peak memory (measured with the benchmarks in `benches/`).
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::consume_budget().await;
    f()
}

async fn crawl_site(ctx: &Ctx<'_>, site: &Site) -> Result<SiteSummary> {
    let store = ctx.store.clone();
    let s2 = site.clone();
    let snap = blocking(move || store.begin_snapshot(&s2)).await?;
    let frontier = ctx.store.frontier(&snap);
    let stats = frontier.stats()?;
    ctx.progress.event(ProgressEvent::SiteStarted { site_id: &site.id, resumed: snap.resumed });
    let home = crate::urls::normalize(site.url.clone()).context("site URL is not http(s)")?;
    if stats.seen == 0 {
        frontier.push(FrontierEntry { url: home.clone(), depth: 0, referrer: None, tag: Some("page".into()) })?;
        // the 政府信息公开 platform sites.toml names is part of the site, linked from its home page or not
        if let Some(p) = site.platform.clone().and_then(|p| crate::urls::normalize(p)) {
            if p != home {
                frontier.push(FrontierEntry { url: p, depth: 1, referrer: None, tag: Some("page".into()) })?;
            }
        }
    }
    let run = Arc::new(SiteRun {
        site: site.clone(),
        scope: SiteScope::new(&site.url, site.platform.as_ref()),
        rate: ctx.opts.rate.unwrap_or(site.rate),
        max_pages: ctx.opts.max_pages.unwrap_or(site.max_pages) as u64,
        max_depth: ctx.opts.max_depth.unwrap_or(site.max_depth),
        max_link_checks: ctx.opts.max_link_checks.unwrap_or(site.max_link_checks) as u64,
        traps: Mutex::new(TrapDetector::default()),
        targets: Mutex::new(BTreeSet::new()),
        known: Mutex::new(HashMap::new()),
        budget_used: AtomicU64::new(stats.fetched + stats.failed),
        queued: AtomicU64::new(stats.seen),
        queue_cap: 4 * ctx.opts.max_pages.unwrap_or(site.max_pages) as u64 + 1000,
        pages: AtomicU64::new(0),
        errors: AtomicU64::new(0),
        robots_disallowed: AtomicU64::new(0),
        not_fetched: AtomicU64::new(0),
        capped: Mutex::new(Vec::new()),
        frontier,
        snap: snap.clone(),
    });
    let started_at = Utc::now();
    if snap.resumed {
        rebuild_from_archive(ctx, &run).await?;
    }

    // Fetch loop: up to `per_site_parallelism` URLs in flight, all paced per host. A URL whose family is being judged
    // by the trap detector waits (in `held`, claimed) until the family's pages in flight are in.
    let parallel = ctx.opts.per_site_parallelism.max(1);
    let probe = ctx.opts.trap_probe;
    let mut inflight = FuturesUnordered::new();
    let mut budget_exhausted = false;
    let mut held: Option<FrontierEntry> = None;
    loop {
        while inflight.len() < parallel {
            if run.budget_used.load(Ordering::SeqCst) >= run.max_pages {
                budget_exhausted = held.is_some() || run.frontier.stats()?.pending > 0;
                break;
            }
            let entry = match held.take() {
                Some(e) => e,
                None => match run.frontier.next()? {
                    Some(e) => e,
                    None => break,
                },
            };
            let verdict = run.traps.lock().unwrap().claim(&entry.url, entry.depth, probe);
            match verdict {
                Verdict::Go => {
                    run.budget_used.fetch_add(1, Ordering::SeqCst);
                    let (run2, home2) = (run.clone(), home.clone());
                    inflight.push(async move {
                        let url = entry.url.clone();
                        let r = process(ctx, &run2, entry, home2).await;
                        run2.traps.lock().unwrap().release(&url);
                        r
                    });
                }
                Verdict::Wait => {
                    held = Some(entry);
                    break;
                }
                Verdict::Cut => {
                    tracing::debug!(url = %entry.url, "cut: its URL family's pages are near-identical (endless URL space)");
                    run.frontier.done(&entry.url)?;
                }
            }
        }
        match inflight.next().await {
            Some(r) => r?,
            None if held.is_some() && !budget_exhausted => continue,
            None => break,
        }
    }

    let (checks, broken, not_checked, link_budget_exhausted) = check_links(ctx, &run).await?;
    let store = ctx.store.clone();
    let snap2 = snap.clone();
    blocking(move || store.finish_snapshot(&snap2)).await?;
    let summary = SiteSummary {
        site_id: site.id.clone(),
        seq: snap.seq,
        resumed: snap.resumed,
        pages: run.pages.load(Ordering::Relaxed),
        errors: run.errors.load(Ordering::Relaxed),
        robots_disallowed: run.robots_disallowed.load(Ordering::Relaxed),
        traps_cut: run.traps.lock().unwrap().cut,
        link_checks: checks,
        broken_links: broken,
        links_not_checked: not_checked,
        link_budget_exhausted,
        not_fetched: run.not_fetched.load(Ordering::Relaxed),
        crawl_delay_capped: run.capped.lock().unwrap().clone(),
        budget_exhausted,
        already_done: false,
        started_at: Some(started_at),
        finished_at: Some(Utc::now()),
    };
    ctx.progress.event(ProgressEvent::SiteFinished { site_id: &site.id, pages: summary.pages, errors: summary.errors });
    Ok(summary)
}

/// A resumed snapshot: rebuild the link targets, fetch outcomes and trap-detector state from what the killed run
/// archived (the same facts, computed the same way, as the killed run had: see [`TrapDetector`]).
async fn rebuild_from_archive(ctx: &Ctx<'_>, run: &Arc<SiteRun>) -> Result<()> {
    let store = ctx.store.clone();
    let run2 = run.clone();
    let cap = ctx.opts.max_decoded_bytes as usize;
    let body_cap = ctx.opts.max_body_bytes;
    blocking(move || {
        let entries = store.fetch_entries(&run2.snap)?;
        // in-scope redirect targets: a killed run follows a redirect inline, so a kill between archiving the 3xx and
        // archiving its target would otherwise leave the target never fetched
        let mut redirect_targets: Vec<(Url, u32)> = Vec::new();
        for e in entries {
            let page = match store.load_page(&e) {
                Ok(p) => p,
                Err(err) => {
                    tracing::warn!(url = %e.url, "cannot re-read archived page: {err:#}");
                    continue;
                }
            };
            let truncated =
                store.read_record(&e.warc).ok().and_then(|r| r.header("WARC-Truncated").map(str::to_string));
            let redirect = if (300..400).contains(&page.status) && page.status != 304 {
                page.header("location").and_then(|l| crate::urls::resolve_link(&page.url, l))
            } else {
                None
            };
            let not_checked = crate::http::rate_limited_reason(page.status, page.header("retry-after"))
                .or_else(|| truncated.filter(|_| page.status < 400).map(|_| truncated_reason(body_cap)));
            let mut text_fp = None;
            if (200..300).contains(&page.status) {
                let ct = page.header("content-type").map(|s| s.to_string());
                let body = readable_body(&page, cap);
                let (found, fp) = discover_body(&page.url, None, ct.as_deref(), None, &body, cap);
                text_fp = Some(fp);
                let mut t = run2.targets.lock().unwrap();
                for f in found {
                    if counts_as_link(f.kind) {
                        t.insert(f.url);
                    }
                }
            }
            if let Some(next) = &redirect {
                if run2.scope.contains_resource(next) {
                    redirect_targets.push((next.clone(), e.depth));
                }
            }
            let fp = response_fingerprint(page.status, redirect.as_ref(), text_fp);
            run2.traps.lock().unwrap().observe(&e.url, e.depth, fp);
            run2.known
                .lock()
                .unwrap()
                .insert(e.url.clone(), Known::Status { status: page.status, redirect, not_checked });
        }
        for f in store.failures(&run2.snap)? {
            run2.known.lock().unwrap().insert(f.url.clone(), Known::Failed(f.error.clone()));
        }
        for (url, depth) in redirect_targets {
            if !run2.frontier.contains(&url)? {
                run2.frontier.push(FrontierEntry { url, depth, referrer: None, tag: Some("page".into()) })?;
            }
        }
        Ok(())
    })
    .await
}

/// An archived page's content for discovery: the store decodes it; a body cut short by the crawler's cap (a gzip
/// stream without its end) is decoded as far as it goes.
fn readable_body(page: &gongkai_archive::CapturedPage, cap: usize) -> Vec<u8> {
    let ce = page.header("content-encoding").map(|s| s.trim().to_ascii_lowercase());
    let still_encoded = match ce.as_deref() {
        Some("gzip") | Some("x-gzip") => page.body.starts_with(&[0x1f, 0x8b]),
        Some("deflate") => !page.body.is_empty() && std::str::from_utf8(&page.body[..page.body.len().min(64)]).is_err(),
        _ => false,
    };
    if still_encoded {
        crate::http::decode_content(ce.as_deref(), &page.body, cap as u64)
    } else {
        page.body.clone()
    }
}

/// What a fetched response holds, for the trap detector: a redirect by its target, a successful answer by its text
/// ([`fingerprint`], digits folded), any other answer by its status.
/// Redirects are told apart by their exact target (`ShowArticle.asp?ArticleID=7` → `/art/7.html` is not a trap;
/// every URL of a family sent to one login page is).
fn response_fingerprint(status: u16, redirect: Option<&Url>, text_fp: Option<u64>) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    match (redirect, text_fp) {
        (Some(r), _) => ("redirect", r.as_str()).hash(&mut h),
        (None, Some(fp)) => return fp,
        (None, None) => ("status", status).hash(&mut h),
    }
    h.finish()
}

fn truncated_reason(cap: u64) -> String {
    format!("页面超过抓取上限（{cap} 字节），已截断存档")
}

/// Link kinds that are links in the RUBRIC.md sense (broken-link checks), as opposed to resources we fetch.
fn counts_as_link(kind: LinkKind) -> bool {
    matches!(kind, LinkKind::Anchor | LinkKind::Frame | LinkKind::Refresh)
}

fn is_html_like(mime: &str, body: &[u8]) -> bool {
    if mime.contains("html") || mime.contains("xml") {
        return true;
    }
    if mime.is_empty() || mime == "text/plain" || mime == "application/octet-stream" {
        let head: Vec<u8> = body.iter().take(512).copied().collect();
        let lower = String::from_utf8_lossy(&head).to_ascii_lowercase();
        return lower.contains("<html") || lower.contains("<!doctype") || lower.contains("<a ");
    }
    false
}

/// Links in a fetched body: HTML parsed, scripts scanned for what they write, JSON list answers read for their
/// records. `referrer` is the page that included a script (its `document.write` links resolve against that page).
/// Also returns the body's [`fingerprint`] (of an HTML page's visible text).
fn discover_body(
    url: &Url,
    tag: Option<&str>,
    content_type: Option<&str>,
    referrer: Option<&Url>,
    decoded: &[u8],
    _cap: usize,
) -> (Vec<Found>, u64) {
    let mime = content_type.unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    let is_script = tag == Some("script") || mime.contains("javascript") || url.path().ends_with(".js");
    let (text, _) = gongkai_archive::decode_html(decoded, content_type);
    let looks_json = || {
        let t = text.trim_start_matches('\u{feff}').trim_start();
        (t.starts_with('{') || t.starts_with('[')) && !mime.contains("html")
    };
    if tag == Some("data") || mime.contains("json") || (url.path().contains("/api/") && looks_json()) {
        return (discover_json(url, &text), fingerprint(&text));
    }
    if is_script {
        return (discover_script(referrer.unwrap_or(url), &text), fingerprint(&text));
    }
    if is_html_like(&mime, decoded) {
        return discover_page(url, &text);
    }
    (Vec::new(), fingerprint(&text))
}

/// The content for discovery: what the fetch decoded while reading, else (an unencoded body) the body itself, else
/// (an encoding not streamed) the archive's capped decoder or whatever prefix can be decoded within the cap.
fn decode_for_discovery(ex: &Exchange, cap: usize) -> Vec<u8> {
    if let Some(d) = &ex.decoded {
        return d[..d.len().min(cap)].to_vec();
    }
    let ce =
        ex.header("content-encoding").filter(|c| !c.trim().is_empty() && !c.trim().eq_ignore_ascii_case("identity"));
    let Some(ce) = ce else { return ex.body[..ex.body.len().min(cap)].to_vec() };
    match gongkai_archive::decode_content(&ex.body, Some(ce), cap) {
        Ok(b) => b,
        Err(_) => crate::http::decode_content(Some(ce), &ex.body, cap as u64),
    }
}

fn to_fetch(ex: &Exchange, depth: u32) -> Fetch {
    Fetch {
        url: ex.url.clone(),
        depth,
        fetched_at: ex.started_at + chrono::Duration::from_std(ex.elapsed).unwrap_or_default(),
        ip: ex.remote_ip,
        method: ex.method.to_string(),
        request_headers: ex.request_headers.clone(),
        http_version: ex.http_version.to_string(),
        status: ex.status,
        reason: None,
        response_headers: ex.headers.clone(),
        body: ex.body.to_vec(),
        truncated: ex.truncated.clone(),
    }
}

/// Archive robots.txt exchanges of a host this site fetches from (first site to touch the host does it).
async fn archive_robots(ctx: &Ctx<'_>, run: &Arc<SiteRun>, rob: &crate::robots::HostRobots) -> Result<()> {
    if let Some(cap) = rob.capped_to {
        let note = format!(
            "{}: robots.txt Crawl-delay {}s is over the cap; using {}s",
            rob.authority,
            rob.crawl_delay.unwrap_or(0.0),
            cap.as_secs_f64()
        );
        ctx.progress.event(ProgressEvent::Note(&note));
        run.capped.lock().unwrap().push((rob.authority.clone(), rob.crawl_delay.unwrap_or(0.0), cap));
    }
    if matches!(rob.policy, crate::robots::RobotsPolicy::DisallowAll | crate::robots::RobotsPolicy::Unreachable(_)) {
        let note = format!("{}: robots.txt unreachable ({}); host not crawled (RFC 9309)", rob.authority, rob.note);
        ctx.progress.event(ProgressEvent::Note(&note));
    }
    for ex in &rob.exchanges {
        let store = ctx.store.clone();
        let snap = run.snap.clone();
        let fetch = to_fetch(ex, 0);
        blocking(move || store.record_fetch(&snap, &fetch)).await?;
    }
    Ok(())
}

/// Fetch one frontier entry (following in-scope redirects), archive it, queue what it links to.
async fn process(ctx: &Ctx<'_>, run: &Arc<SiteRun>, entry: FrontierEntry, home: Url) -> Result<()> {
    let is_home = entry.depth == 0 && entry.url == home;
    let chain_start = Instant::now();
    let chain_at = Utc::now();
    let mut url = entry.url.clone();
    let mut hops = 0u32;
    let mut fetched_any = false;
    let mut probe_recorded = false;
    // Time on the wire for the home page's hops (politeness waits excluded: they are ours, not the site's).
    let mut wire = Duration::ZERO;
    loop {
        let (rob, fresh) = ctx.robots.get(&ctx.fetcher, &url, run.rate).await;
        if fresh && run.scope.contains_resource(&url) {
            archive_robots(ctx, run, &rob).await?;
        }
        // The same URL in an earlier snapshot of this site: its validators make the request conditional, and its page
        // is what a 304 says is still current.
        let earlier = earlier_fetch(ctx, run, &url).await?;
        let conditional =
            earlier.as_ref().and_then(FetchEntry::validators).map(|v| v.request_headers()).unwrap_or_default();
        let res = if let Some(err) = rob.unreachable() {
            // The host did not even answer for robots.txt: record the failure without asking again.
            fetched_any = err.not_checked_reason().is_none();
            Err(err.clone())
        } else if !rob.allowed(&url) {
            run.robots_disallowed.fetch_add(1, Ordering::Relaxed);
            run.known.lock().unwrap().insert(url.clone(), Known::RobotsDisallowed);
            run.frontier.done(&url)?;
            break;
        } else if is_home && hops == 0 && !probe_recorded {
            // The home page's first answer is the crawl's availability probe: a retry must not hide a failure.
            fetched_any = true;
            let first = ctx.fetcher.fetch_with("GET", &url, run.rate, 0, &conditional).await;
            let failed = match &first {
                Ok(ex) => ex.status >= 500 || ex.status == 429,
                Err(FetchError::NotContacted) => false,
                Err(e) => e.not_checked_reason().is_none(),
            };
            if failed {
                let (status, error, took) = match &first {
                    Ok(ex) => (Some(ex.status), Some(format!("status {}", ex.status)), ex.elapsed),
                    Err(FetchError::Timeout) => (None, Some("timeout".to_string()), ctx.opts.request_timeout),
                    Err(e) => (None, Some(e.to_string()), chain_start.elapsed()),
                };
                // A 429 says the site rate-limits us, not that it is down: no probe from it.
                if status != Some(429) {
                    record_crawl_probe(ctx, run, &home, chain_at, took, status, error)?;
                    probe_recorded = true;
                }
                tokio::time::sleep(ctx.opts.retry_backoff).await;
                ctx.fetcher.fetch_with("GET", &url, run.rate, ctx.opts.retries.saturating_sub(1), &conditional).await
            } else {
                first
            }
        } else {
            fetched_any = true;
            ctx.fetcher.fetch_with("GET", &url, run.rate, ctx.opts.retries, &conditional).await
        };
        match res {
            Err(FetchError::NotContacted) => {
                run.frontier.done(&url)?;
                break;
            }
            Err(e) if e.not_checked_reason().is_some() => {
                // Not fetched by the crawler's own rules (address out of scope, host paused past the cap): not a
                // failure of the site.
                let reason = e.not_checked_reason().unwrap_or_default();
                tracing::info!(site = %run.site.id, %url, %reason, "not fetched");
                run.known.lock().unwrap().insert(url.clone(), Known::NotChecked(reason));
                run.not_fetched.fetch_add(1, Ordering::Relaxed);
                run.frontier.done(&url)?;
                break;
            }
            Err(e) => {
                let err = e.to_string();
                tracing::info!(site = %run.site.id, %url, error = %err, "fetch failed");
                let failure = FetchFailure { url: url.clone(), at: Utc::now(), error: err.clone() };
                let store = ctx.store.clone();
                let snap = run.snap.clone();
                blocking(move || store.record_failure(&snap, &failure)).await?;
                run.known.lock().unwrap().insert(url.clone(), Known::Failed(err.clone()));
                run.errors.fetch_add(1, Ordering::Relaxed);
                ctx.progress.event(ProgressEvent::Failed { site_id: &run.site.id, url: url.as_str(), error: &err });
                if is_home && !probe_recorded {
                    let took = if err == "timeout" { ctx.opts.request_timeout } else { wire };
                    record_crawl_probe(ctx, run, &home, chain_at, took, None, Some(err))?;
                }
                break;
            }
            Ok(ex) => {
                let redirect = ex.redirect_target();
                let status = ex.status;
                wire += ex.elapsed;
                if status >= 400 {
                    tracing::info!(site = %run.site.id, %url, status, "error status");
                }
                // A 304 answers a conditional request: the page is the one archived in the earlier snapshot, and its
                // links are discovered from that copy.
                let unchanged = match earlier.filter(|_| status == 304) {
                    Some(entry) => {
                        let store = ctx.store.clone();
                        Some(blocking(move || store.load_page(&entry)).await?)
                    }
                    None => None,
                };
                let effective = unchanged.as_ref().map_or(status, |p| p.status);
                // Discover and queue before archiving: archiving marks the URL done (see the module docs).
                let depth = entry.depth;
                let mut text_fp = None;
                if redirect.is_none() && (200..300).contains(&effective) {
                    let cap = ctx.opts.max_decoded_bytes as usize;
                    let ex2 = ex.clone();
                    let tag = entry.tag.clone();
                    let referrer = entry.referrer.clone();
                    let (found, fp) = blocking(move || {
                        let (decoded, content_type) = match unchanged {
                            Some(page) => {
                                let ct = page.header("content-type").map(str::to_string);
                                (readable_body(&page, cap), ct)
                            }
                            None => (decode_for_discovery(&ex2, cap), ex2.header("content-type").map(str::to_string)),
                        };
                        Ok(discover_body(
                            &ex2.url,
                            tag.as_deref(),
                            content_type.as_deref(),
                            referrer.as_ref(),
                            &decoded,
                            cap,
                        ))
                    })
                    .await?;
                    text_fp = Some(fp);
                    enqueue(ctx, run, &url, depth, found)?;
                }
                let store = ctx.store.clone();
                let snap = run.snap.clone();
                let fetch = to_fetch(&ex, depth);
                let rec = blocking(move || store.record_fetch(&snap, &fetch)).await?;
                let not_checked = ex.rate_limited().or_else(|| {
                    ex.truncated.as_ref().filter(|_| status < 400).map(|_| truncated_reason(ctx.opts.max_body_bytes))
                });
                run.known
                    .lock()
                    .unwrap()
                    .insert(url.clone(), Known::Status { status: effective, redirect: redirect.clone(), not_checked });
                if !rec.duplicate {
                    run.pages.fetch_add(1, Ordering::Relaxed);
                    run.traps.lock().unwrap().observe(
                        &url,
                        depth,
                        response_fingerprint(effective, redirect.as_ref(), text_fp),
                    );
                }
                ctx.progress.event(ProgressEvent::Fetched { site_id: &run.site.id, url: url.as_str(), status });
                if let Some(next) = redirect {
                    let follow = hops < ctx.opts.max_redirects
                        && run.scope.contains_resource(&next)
                        && !run.frontier.contains(&next)?;
                    if follow {
                        hops += 1;
                        url = next;
                        continue;
                    }
                }
                if is_home && !probe_recorded {
                    let error = (!(200..300).contains(&effective)).then(|| format!("status {status}"));
                    record_crawl_probe(ctx, run, &home, chain_at, wire, Some(status), error)?;
                }
                break;
            }
        }
    }
    if !fetched_any {
        // Nothing was requested: give the budget slot back.
        run.budget_used.fetch_sub(1, Ordering::SeqCst);
    }
    Ok(())
}

/// The fetch of `url` in this site's latest earlier snapshot, if any (none in a first snapshot).
async fn earlier_fetch(ctx: &Ctx<'_>, run: &SiteRun, url: &Url) -> Result<Option<FetchEntry>> {
    if run.snap.seq <= 1 {
        return Ok(None);
    }
    let (store, snap, url) = (ctx.store.clone(), run.snap.clone(), url.clone());
    blocking(move || store.previous_fetch(&snap, &url)).await
}

fn record_crawl_probe(
    ctx: &Ctx<'_>,
    run: &SiteRun,
    home: &Url,
    at: DateTime<Utc>,
    took: Duration,
    status: Option<u16>,
    error: Option<String>,
) -> Result<()> {
    if status == Some(429) {
        // Rate limited: the answer says nothing about the site's availability.
        return Ok(());
    }
    // RUBRIC.md: a probe fails when no complete successful answer arrives within the probe time-out.
    let error = match (error, status) {
        (Some(e), _) => Some(e),
        (None, _) if took > ctx.opts.probe_timeout => {
            Some(format!("timeout (complete answer after {} ms)", took.as_millis()))
        }
        (None, _) => None,
    };
    let probe = Probe {
        site_id: run.site.id.clone(),
        url: home.clone(),
        at,
        duration_ms: took.as_millis() as u64,
        status,
        error,
        source: ProbeSource::Crawl,
    };
    ctx.store.record_probe(&probe)?;
    ctx.progress.event(ProgressEvent::Probed {
        site_id: &run.site.id,
        ok: probe.error.is_none() && status.is_some_and(|s| (200..300).contains(&s)),
        duration_ms: probe.duration_ms,
    });
    Ok(())
}

/// Decide what to do with each URL found on a page: crawl it (in scope, within depth, not a trap), fetch it as a
/// resource of the page (frames, scripts, refresh targets and data feeds on the site's hosts), and/or check it as a
/// link.
///
/// Pages are not queued past `4 × max_pages + 1000` URLs in the frontier: the crawl is breadth-first, so a page link
/// found then has at least that many URLs queued ahead of it at its depth or shallower, and the page budget can never
/// reach it (unless three budgets' worth of those turn out to be traps or robots-forbidden). A page with 100,000 links
/// costs the store a thousand frontier entries instead of 100,000; the links are still link-checked (or recorded as
/// over the link-check budget). A page's own resources (frames, scripts, data feeds) are always queued.
fn enqueue(ctx: &Ctx<'_>, run: &SiteRun, page: &Url, depth: u32, found: Vec<Found>) -> Result<()> {
    let opts = &ctx.opts;
    for f in found {
        if counts_as_link(f.kind) {
            run.targets.lock().unwrap().insert(f.url.clone());
        }
        let (want, child_depth, tag) = match f.kind {
            LinkKind::Anchor | LinkKind::Pagination => {
                (run.scope.contains(&f.url) && depth < run.max_depth && is_document_like(&f.url), depth + 1, "page")
            }
            LinkKind::Frame => (run.scope.contains_resource(&f.url) && is_document_like(&f.url), depth, "frame"),
            LinkKind::Refresh => (run.scope.contains_resource(&f.url) && is_document_like(&f.url), depth, "page"),
            LinkKind::Script => (run.scope.contains_resource(&f.url), depth, "script"),
            LinkKind::Data => (run.scope.contains_resource(&f.url), depth, "data"),
        };
        if !want {
            continue;
        }
        if !f.kind.is_embedded() && run.queued.load(Ordering::Relaxed) >= run.queue_cap {
            continue;
        }
        if run.frontier.contains(&f.url)? {
            continue;
        }
        if run.traps.lock().unwrap().admit(&f.url, opts.max_url_len).is_err() {
            tracing::debug!(url = %f.url, "cut: URL too long or its path loops");
            continue;
        }
        if run.frontier.push(FrontierEntry {
            url: f.url,
            depth: child_depth,
            referrer: Some(page.clone()),
            tag: Some(tag.to_string()),
        })? {
            run.queued.fetch_add(1, Ordering::Relaxed);
        }
    }
    Ok(())
}

/// How one link target gets its outcome.
enum Plan {
    /// From this crawl's own fetches.
    Known(LinkOutcome),
    /// Over the network (HEAD, then GET), starting at this URL of the redirect chain.
    Remote(Url),
    /// Past the site's link-check budget.
    OverBudget,
}

/// Every distinct link target found gets one [`LinkCheck`]: the outcome of its fetch when it was crawled (following
/// redirects), else a HEAD (then a GET when HEAD is refused or answers an error, so a target is tried twice before it
/// counts as broken), robots.txt permitting. Checks over the network are bounded by the site's `max_link_checks`: the
/// targets past it (in URL order, so a resumed crawl draws the same line) are recorded as not checked.
/// Returns (checks recorded, broken, not checked, budget exhausted).
async fn check_links(ctx: &Ctx<'_>, run: &Arc<SiteRun>) -> Result<(u64, u64, u64, bool)> {
    if !ctx.opts.check_links {
        return Ok((0, 0, 0, false));
    }
    let targets: Vec<Url> = std::mem::take(&mut *run.targets.lock().unwrap()).into_iter().collect();
    let mut remote = 0u64;
    let plans: Vec<(Url, Plan)> = targets
        .into_iter()
        .map(|t| {
            let plan = match resolve_known(run, &t, ctx.opts.max_redirects) {
                Ok(o) => Plan::Known(o),
                Err(_) if remote >= run.max_link_checks => Plan::OverBudget,
                Err(u) => {
                    remote += 1;
                    Plan::Remote(u)
                }
            };
            (t, plan)
        })
        .collect();
    let over = plans.iter().filter(|(_, p)| matches!(p, Plan::OverBudget)).count();
    if over > 0 {
        let note = format!(
            "{}: link-check budget of {} reached; {over} more links recorded as not checked",
            run.site.id, run.max_link_checks
        );
        tracing::warn!("{note}");
        ctx.progress.event(ProgressEvent::Note(&note));
    }
    let budget_reason = format!("超出链接检查上限（{}）", run.max_link_checks);
    let parallel = (ctx.opts.per_site_parallelism * 2).max(1);
    let results: Vec<Result<Option<(bool, bool)>>> = futures::stream::iter(plans)
        .map(|(t, plan)| {
            let budget_reason = &budget_reason;
            async move {
                if ctx.store.link_check(&run.snap, &t)?.is_some() {
                    return Ok(None);
                }
                let outcome = match plan {
                    Plan::Known(o) => Some(o),
                    Plan::OverBudget => Some(LinkOutcome::NotChecked { reason: budget_reason.clone() }),
                    Plan::Remote(u) => check_remote(ctx, run.rate, u).await,
                };
                let Some(outcome) = outcome else {
                    ctx.not_contacted.fetch_add(1, Ordering::Relaxed);
                    return Ok(None);
                };
                let check = LinkCheck { target: t, checked_at: Utc::now(), outcome };
                let not_checked = matches!(check.outcome, LinkOutcome::NotChecked { .. });
                let store = ctx.store.clone();
                let snap = run.snap.clone();
                let broken = check.is_broken();
                blocking(move || store.record_link_check(&snap, &check)).await?;
                Ok(Some((broken, not_checked)))
            }
        })
        .buffer_unordered(parallel)
        .collect()
        .await;
    let (mut n, mut broken, mut not_checked) = (0, 0, 0);
    for r in results {
        if let Some((b, nc)) = r? {
            n += 1;
            broken += b as u64;
            not_checked += nc as u64;
        }
    }
    Ok((n, broken, not_checked, over > 0))
}

/// The outcome of a target from this crawl's own fetches, following redirects; Err(url) names the first URL of the
/// chain that was not fetched (it must be checked over the network).
fn resolve_known(run: &SiteRun, target: &Url, max_hops: u32) -> Result<LinkOutcome, Url> {
    let known = run.known.lock().unwrap();
    let mut cur = target.clone();
    for _ in 0..=max_hops {
        match known.get(&cur) {
            Some(Known::Status { status, redirect: Some(next), .. }) => {
                if *next == cur {
                    return Ok(LinkOutcome::Status { status: *status });
                }
                cur = next.clone();
            }
            Some(Known::Status { not_checked: Some(reason), .. }) => {
                return Ok(LinkOutcome::NotChecked { reason: reason.clone() })
            }
            Some(Known::Status { status, redirect: None, .. }) => return Ok(LinkOutcome::Status { status: *status }),
            Some(Known::Failed(e)) => return Ok(LinkOutcome::Failed { error: e.clone() }),
            Some(Known::RobotsDisallowed) => return Ok(LinkOutcome::RobotsDisallowed),
            Some(Known::NotChecked(r)) => return Ok(LinkOutcome::NotChecked { reason: r.clone() }),
            None => return Err(cur),
        }
    }
    Ok(LinkOutcome::Failed { error: "too many redirects".into() })
}

/// Check a URL this crawl did not fetch, once per crawl whatever the number of sites linking to it. None when the host
/// may not be contacted (`--resolved-only`).
async fn check_remote(ctx: &Ctx<'_>, rate: f64, url: Url) -> Option<LinkOutcome> {
    let cell = ctx.link_cache.lock().unwrap().entry(url.as_str().to_string()).or_default().clone();
    cell.get_or_init(|| check_url(ctx, rate, url)).await.clone()
}

async fn check_url(ctx: &Ctx<'_>, rate: f64, start: Url) -> Option<LinkOutcome> {
    let mut url = start;
    for _ in 0..=ctx.opts.max_redirects {
        let host = url.host_str().unwrap_or("").to_string();
        if !ctx.opts.may_contact(&host, url.port_or_known_default().unwrap_or(0)) {
            return None;
        }
        // An IP-literal URL outside the address rules: not even robots.txt is asked for.
        if let Err(reason) = ctx.fetcher.policy().check_url(&url) {
            return Some(LinkOutcome::NotChecked { reason });
        }
        let (rob, _) = ctx.robots.get(&ctx.fetcher, &url, rate).await;
        if let Some(err) = rob.unreachable() {
            return Some(match err.not_checked_reason() {
                Some(reason) => LinkOutcome::NotChecked { reason },
                None => LinkOutcome::Failed { error: err.to_string() },
            });
        }
        if !rob.allowed(&url) {
            return Some(LinkOutcome::RobotsDisallowed);
        }
        // First try: HEAD. Second: GET, when HEAD is refused, errs, or fails.
        let head = ctx.fetcher.check("HEAD", &url, rate).await;
        let answer = match head {
            Ok(ex) if ex.status < 400 => Ok(ex),
            Err(e) if e.not_checked_reason().is_some() => Err(e),
            _ => ctx.fetcher.check("GET", &url, rate).await,
        };
        match answer {
            Ok(ex) => match ex.redirect_target() {
                Some(next) if next != url => url = next,
                _ => {
                    return Some(match ex.rate_limited() {
                        Some(reason) => LinkOutcome::NotChecked { reason },
                        None => LinkOutcome::Status { status: ex.status },
                    })
                }
            },
            Err(FetchError::NotContacted) => return None,
            Err(e) => {
                return Some(match e.not_checked_reason() {
                    Some(reason) => LinkOutcome::NotChecked { reason },
                    None => LinkOutcome::Failed { error: e.to_string() },
                })
            }
        }
    }
    Some(LinkOutcome::Failed { error: "too many redirects".into() })
}

/// The authority string of a URL (re-exported for tests and benchmarks).
pub fn host_key(url: &Url) -> String {
    authority(url)
}
