//! Processing one frontier entry: robots.txt, the (conditional) request, the redirect chain, discovery and queueing,
//! archiving, and the home page's availability probe.

use super::body::{
    answer_not_checked, counts_as_link, decode_for_discovery, discover_body, readable_body, response_fingerprint,
};
use super::{blocking, Ctx, Known, SiteRun};
use crate::discover::{is_document_like, Found, LinkKind};
use crate::http::{Exchange, FetchError};
use crate::progress::ProgressEvent;
use crate::robots::HostRobots;
use anyhow::Result;
use chrono::{DateTime, Utc};
use gongkai_archive::{CapturedPage, Fetch, FetchEntry, FetchFailure, FrontierEntry, Probe, ProbeSource};
use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};
use url::Url;

pub(super) fn to_fetch(ex: &Exchange, depth: u32) -> Fetch {
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
pub(super) async fn archive_robots(ctx: &Ctx<'_>, run: &Arc<SiteRun>, rob: &crate::robots::HostRobots) -> Result<()> {
    if let Some(cap) = rob.capped_to {
        let note = format!(
            "{}：robots.txt 要求的抓取间隔（Crawl-delay）{} 秒超过上限，改用 {} 秒",
            rob.authority,
            rob.crawl_delay.unwrap_or(0.0),
            cap.as_secs_f64()
        );
        ctx.progress.event(ProgressEvent::Note(&note));
        run.capped.lock().unwrap().push((rob.authority.clone(), rob.crawl_delay.unwrap_or(0.0), cap));
    }
    if matches!(rob.policy, crate::robots::RobotsPolicy::DisallowAll | crate::robots::RobotsPolicy::Unreachable(_)) {
        let note =
            format!("{}：robots.txt 无法访问或禁止抓取（{}）；按 RFC 9309 不抓取该主机", rob.authority, rob.note);
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

/// One frontier entry on its way along its redirect chain: the hop it is at, and what the chain has done so far.
struct Chain {
    entry: FrontierEntry,
    home: Url,
    /// The entry is the site's home page: its first answer is the crawl's availability probe.
    is_home: bool,
    started: Instant,
    at: DateTime<Utc>,
    /// The hop being fetched.
    url: Url,
    /// Redirects followed so far.
    hops: u32,
    /// The entry used its page-budget slot: a request went out, or its host did not answer for robots.txt.
    requested: bool,
    /// The home page's availability probe is recorded.
    probe_recorded: bool,
    /// Time on the wire for the home page's hops (politeness waits excluded: they are ours, not the site's).
    wire: Duration,
}

impl Chain {
    fn new(entry: FrontierEntry, home: Url) -> Self {
        Chain {
            is_home: entry.depth == 0 && entry.url == home,
            started: Instant::now(),
            at: Utc::now(),
            url: entry.url.clone(),
            hops: 0,
            requested: false,
            probe_recorded: false,
            wire: Duration::ZERO,
            entry,
            home,
        }
    }
}

/// How one hop of the chain ended.
enum Hop {
    /// An in-scope redirect to a URL not yet queued: fetch it next.
    Follow(Url),
    /// The chain ends at this hop.
    End,
}

/// Fetch one frontier entry (following in-scope redirects), archive it, queue what it links to.
pub(super) async fn process(ctx: &Ctx<'_>, run: &Arc<SiteRun>, entry: FrontierEntry, home: Url) -> Result<()> {
    let mut chain = Chain::new(entry, home);
    loop {
        let (rob, fresh) = ctx.robots.get(&ctx.fetcher, &chain.url, run.rate).await;
        if fresh && run.scope.contains_resource(&chain.url) {
            archive_robots(ctx, run, &rob).await?;
        }
        // The same URL in an earlier snapshot of this site: its validators make the request conditional, and its page
        // is what a 304 says is still current.
        let earlier = earlier_fetch(ctx, run, &chain.url).await?;
        let conditional =
            earlier.as_ref().and_then(FetchEntry::validators).map(|v| v.request_headers()).unwrap_or_default();
        let Some(res) = request(ctx, run, &mut chain, &rob, &conditional).await? else { break };
        let hop = match res {
            Err(FetchError::NotContacted) => {
                run.frontier.done(&chain.url)?;
                Hop::End
            }
            Err(e) if e.not_checked_reason().is_some() => not_fetched(run, &chain.url, e)?,
            Err(e) => failed(ctx, run, &chain, e).await?,
            Ok(ex) => answered(ctx, run, &mut chain, ex, earlier).await?,
        };
        match hop {
            Hop::Follow(next) => {
                chain.hops += 1;
                chain.url = next;
            }
            Hop::End => break,
        }
    }
    if !chain.requested {
        // Nothing was requested: give the budget slot back.
        run.budget_used.fetch_sub(1, Ordering::SeqCst);
    }
    Ok(())
}

/// Request the hop, robots.txt permitting. None when robots.txt forbids it (recorded; the chain ends).
async fn request(
    ctx: &Ctx<'_>,
    run: &SiteRun,
    chain: &mut Chain,
    rob: &HostRobots,
    conditional: &[(String, String)],
) -> Result<Option<Result<Exchange, FetchError>>> {
    let res = if let Some(err) = rob.unreachable() {
        // The host did not even answer for robots.txt: record the failure without asking again.
        chain.requested = err.not_checked_reason().is_none();
        Err(err.clone())
    } else if !rob.allowed(&chain.url) {
        run.robots_disallowed.fetch_add(1, Ordering::Relaxed);
        run.known.lock().unwrap().insert(&chain.url, Known::RobotsDisallowed);
        run.frontier.done(&chain.url)?;
        return Ok(None);
    } else if chain.is_home && chain.hops == 0 && !chain.probe_recorded {
        // The home page's first answer is the crawl's availability probe: a retry must not hide a failure.
        chain.requested = true;
        fetch_home(ctx, run, chain, conditional).await?
    } else {
        chain.requested = true;
        ctx.fetcher.fetch_with("GET", &chain.url, run.rate, ctx.opts.retries, conditional).await
    };
    Ok(Some(res))
}

/// The home page's first request, retried by hand: a failed first answer is recorded as the crawl's probe before the
/// retry.
async fn fetch_home(
    ctx: &Ctx<'_>,
    run: &SiteRun,
    chain: &mut Chain,
    conditional: &[(String, String)],
) -> Result<Result<Exchange, FetchError>> {
    let first = ctx.fetcher.fetch_with("GET", &chain.url, run.rate, 0, conditional).await;
    let failed = match &first {
        Ok(ex) => ex.status >= 500 || ex.status == 429,
        Err(FetchError::NotContacted) => false,
        Err(e) => e.not_checked_reason().is_none(),
    };
    if !failed {
        return Ok(first);
    }
    let (status, error, took) = match &first {
        Ok(ex) => (Some(ex.status), Some(format!("status {}", ex.status)), ex.elapsed),
        Err(FetchError::Timeout) => (None, Some("timeout".to_string()), ctx.opts.request_timeout),
        Err(e) => (None, Some(e.to_string()), chain.started.elapsed()),
    };
    // A 429 says the site rate-limits us, not that it is down: no probe from it.
    if status != Some(429) {
        record_crawl_probe(ctx, run, &chain.home, chain.at, took, status, error)?;
        chain.probe_recorded = true;
    }
    tokio::time::sleep(ctx.opts.retry_backoff).await;
    Ok(ctx.fetcher.fetch_with("GET", &chain.url, run.rate, ctx.opts.retries.saturating_sub(1), conditional).await)
}

/// Not fetched by the crawler's own rules (address out of scope, host paused past the cap): not a failure of the site.
fn not_fetched(run: &SiteRun, url: &Url, e: FetchError) -> Result<Hop> {
    let reason = e.not_checked_reason().unwrap_or_default();
    tracing::info!(site = %run.site.id, %url, %reason, "not fetched");
    run.known.lock().unwrap().insert(url, Known::NotChecked(reason.into()));
    run.not_fetched.fetch_add(1, Ordering::Relaxed);
    run.frontier.done(url)?;
    Ok(Hop::End)
}

/// No answer after the retries: a failure of the site (and, for the home page, its failed probe).
async fn failed(ctx: &Ctx<'_>, run: &SiteRun, chain: &Chain, e: FetchError) -> Result<Hop> {
    let url = &chain.url;
    let err = e.to_string();
    tracing::info!(site = %run.site.id, %url, error = %err, "fetch failed");
    let failure = FetchFailure { url: url.clone(), at: Utc::now(), error: err.clone() };
    let store = ctx.store.clone();
    let snap = run.snap.clone();
    blocking(move || store.record_failure(&snap, &failure)).await?;
    run.known.lock().unwrap().insert(url, Known::Failed(err.as_str().into()));
    run.errors.fetch_add(1, Ordering::Relaxed);
    ctx.progress.event(ProgressEvent::Failed { site_id: &run.site.id, url: url.as_str(), error: &err });
    if chain.is_home && !chain.probe_recorded {
        let took = if err == "timeout" { ctx.opts.request_timeout } else { chain.wire };
        record_crawl_probe(ctx, run, &chain.home, chain.at, took, None, Some(err))?;
    }
    Ok(Hop::End)
}

/// An answer: its links discovered and queued, then archived; an in-scope redirect is followed, else the chain ends
/// (with the home page's probe).
async fn answered(
    ctx: &Ctx<'_>,
    run: &SiteRun,
    chain: &mut Chain,
    ex: Exchange,
    earlier: Option<FetchEntry>,
) -> Result<Hop> {
    let redirect = ex.redirect_target();
    let status = ex.status;
    chain.wire += ex.elapsed;
    if status >= 400 {
        tracing::info!(site = %run.site.id, url = %chain.url, status, "error status");
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
    // Discover before archiving: archiving marks the URL done and queues its links (see the module docs).
    let (mut text_fp, mut links) = (None, Vec::new());
    if redirect.is_none() && (200..300).contains(&effective) {
        let (fp, found) = discover(ctx, run, chain, &ex, unchanged).await?;
        (text_fp, links) = (Some(fp), found);
    }
    archive_answer(ctx, run, chain, &ex, effective, redirect.as_ref(), text_fp, links).await?;
    if let Some(next) = redirect {
        let follow = chain.hops < ctx.opts.max_redirects
            && run.scope.contains_resource(&next)
            && !run.frontier.contains(&next)?;
        if follow {
            return Ok(Hop::Follow(next));
        }
    }
    if chain.is_home && !chain.probe_recorded {
        let error = (!(200..300).contains(&effective)).then(|| format!("status {status}"));
        record_crawl_probe(ctx, run, &chain.home, chain.at, chain.wire, Some(status), error)?;
    }
    Ok(Hop::End)
}

/// The body's fingerprint and the frontier entries for the links of a successful answer (of the earlier snapshot's
/// copy, for a 304).
async fn discover(
    ctx: &Ctx<'_>,
    run: &SiteRun,
    chain: &Chain,
    ex: &Exchange,
    unchanged: Option<CapturedPage>,
) -> Result<(u64, Vec<FrontierEntry>)> {
    let cap = ctx.opts.max_decoded_bytes as usize;
    let ex2 = ex.clone();
    let tag = chain.entry.tag.clone();
    let referrer = chain.entry.referrer.clone();
    let (found, fp) = blocking(move || {
        let (decoded, content_type) = match unchanged {
            Some(page) => {
                let ct = page.header("content-type").map(str::to_string);
                (readable_body(&page, cap), ct)
            }
            None => (decode_for_discovery(&ex2, cap), ex2.header("content-type").map(str::to_string)),
        };
        Ok(discover_body(&ex2.url, tag.as_deref(), content_type.as_deref(), referrer.as_ref(), &decoded, cap))
    })
    .await?;
    Ok((fp, to_queue(&ctx.opts, run, &chain.url, chain.entry.depth, found)?))
}

/// Archive the answer with its links (which marks the URL done and queues them) and keep what it says, for link
/// outcomes and the trap detector.
#[allow(clippy::too_many_arguments)]
async fn archive_answer(
    ctx: &Ctx<'_>,
    run: &SiteRun,
    chain: &Chain,
    ex: &Exchange,
    effective: u16,
    redirect: Option<&Url>,
    text_fp: Option<u64>,
    links: Vec<FrontierEntry>,
) -> Result<()> {
    let (url, depth, status) = (&chain.url, chain.entry.depth, ex.status);
    let store = ctx.store.clone();
    let snap = run.snap.clone();
    let fetch = to_fetch(ex, depth);
    let rec = blocking(move || store.record_fetch_and_push(&snap, &fetch, links)).await?;
    run.queued.fetch_add(rec.queued as u64, Ordering::Relaxed);
    let not_checked =
        answer_not_checked(status, ex.header("retry-after"), ex.truncated.is_some(), ctx.opts.max_body_bytes);
    run.known.lock().unwrap().insert(url, Known::status(effective, redirect.cloned(), not_checked));
    if !rec.duplicate {
        run.pages.fetch_add(1, Ordering::Relaxed);
        run.traps.lock().unwrap().observe(url, depth, response_fingerprint(effective, redirect, text_fp));
    }
    let left =
        run.queued.load(Ordering::Relaxed).min(run.max_pages).saturating_sub(run.budget_used.load(Ordering::Relaxed));
    ctx.progress.event(ProgressEvent::Fetched {
        site_id: &run.site.id,
        url: url.as_str(),
        status,
        left,
        rate: run.rate,
    });
    Ok(())
}

/// The fetch of `url` in this site's latest earlier snapshot, if any (none in a first snapshot).
pub(super) async fn earlier_fetch(ctx: &Ctx<'_>, run: &SiteRun, url: &Url) -> Result<Option<FetchEntry>> {
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
    // docs/rules.md: a probe fails when no complete successful answer arrives within the probe time-out.
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
pub(super) fn enqueue(
    opts: &crate::CrawlOptions,
    run: &SiteRun,
    page: &Url,
    depth: u32,
    found: Vec<Found>,
) -> Result<()> {
    // One index batch for the page's new URLs (see the frontier's module doc).
    let added = run.frontier.push_all(to_queue(opts, run, page, depth, found)?)?;
    run.queued.fetch_add(added as u64, Ordering::Relaxed);
    Ok(())
}

/// The frontier entries [`enqueue`] pushes for `found` (link targets and requisites noted on the way); the crawl
/// itself hands them to the archive with the page ([`gongkai_archive::Store::record_fetch_and_push`]), so the page is
/// done and its links queued in one index batch.
fn to_queue(
    opts: &crate::CrawlOptions,
    run: &SiteRun,
    page: &Url,
    depth: u32,
    found: Vec<Found>,
) -> Result<Vec<FrontierEntry>> {
    let mut batch = Vec::new();
    let mut in_batch = HashSet::new();
    for f in found {
        if counts_as_link(f.kind) {
            run.targets.lock().unwrap().insert(f.url.as_str().into());
        }
        let (want, child_depth, tag) = match f.kind {
            LinkKind::Anchor | LinkKind::Pagination => {
                (run.scope.contains(&f.url) && depth < run.max_depth && is_document_like(&f.url), depth + 1, "page")
            }
            LinkKind::Frame => (run.scope.contains_resource(&f.url) && is_document_like(&f.url), depth, "frame"),
            LinkKind::Refresh => (run.scope.contains_resource(&f.url) && is_document_like(&f.url), depth, "page"),
            LinkKind::Script => (run.scope.contains_resource(&f.url), depth, "script"),
            LinkKind::Data => (run.scope.contains_resource(&f.url), depth, "data"),
            LinkKind::Requisite => {
                // Archived after the pages, within its own cap (see the `requisites` module); never a frontier entry.
                run.requisites.lock().unwrap().add(f.url, depth);
                continue;
            }
        };
        if !want {
            continue;
        }
        if !f.kind.is_embedded() && run.queued.load(Ordering::Relaxed) + batch.len() as u64 >= run.queue_cap {
            continue;
        }
        if !in_batch.insert(f.url.as_str().to_string()) || run.frontier.contains(&f.url)? {
            continue;
        }
        if run.traps.lock().unwrap().admit(&f.url, opts.max_url_len).is_err() {
            tracing::debug!(url = %f.url, "cut: URL too long or its path loops");
            continue;
        }
        batch.push(FrontierEntry {
            url: f.url,
            depth: child_depth,
            referrer: Some(page.clone()),
            tag: Some(tag.to_string()),
        });
    }
    Ok(batch)
}
