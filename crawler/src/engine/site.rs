//! One site's crawl: its snapshot and frontier, the fetch loop (paced, trap-aware, within the page budget), then its
//! link checks and summary.

use super::links::check_links;
use super::page::process;
use super::resume::rebuild_from_archive;
use super::{blocking, Ctx, KnownMap, SiteRun, SiteSummary};
use crate::progress::ProgressEvent;
use crate::urls::{SiteScope, TrapDetector, Verdict};
use anyhow::{Context, Result};
use chrono::Utc;
use futures::stream::{FuturesUnordered, StreamExt};
use gongkai_archive::FrontierEntry;
use gongkai_config::Site;
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use url::Url;

/// One site's crawl: begin (or resume) its snapshot, seed its frontier, fetch, check links, finish the snapshot.
pub(super) async fn crawl_site(ctx: &Ctx<'_>, site: &Site) -> Result<SiteSummary> {
    let store = ctx.store.clone();
    let s2 = site.clone();
    let snap = blocking(move || store.begin_snapshot(&s2)).await?;
    let frontier = ctx.store.frontier(&snap);
    let stats = frontier.stats()?;
    ctx.progress.event(ProgressEvent::SiteStarted { site_id: &site.id, resumed: snap.resumed });
    let home = crate::urls::normalize(site.url.clone()).context("网站地址不是 http(s) 网址")?;
    if stats.seen == 0 {
        frontier.push(FrontierEntry { url: home.clone(), depth: 0, referrer: None, tag: Some("page".into()) })?;
        // the 政府信息公开 platform sites.toml names is part of the site, linked from its home page or not
        if let Some(p) = site.platform.clone().and_then(crate::urls::normalize) {
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
        known: Mutex::new(KnownMap::default()),
        budget_used: AtomicU64::new(stats.fetched + stats.failed),
        queued: AtomicU64::new(stats.seen),
        queue_cap: 4 * ctx.opts.max_pages.unwrap_or(site.max_pages) as u64 + 1000,
        pages: AtomicU64::new(0),
        errors: AtomicU64::new(0),
        robots_disallowed: AtomicU64::new(0),
        not_fetched: AtomicU64::new(0),
        capped: Mutex::new(Vec::new()),
        requisites: Mutex::new(super::requisites::Requisites::new(ctx.opts.max_requisites)),
        frontier,
        snap: snap.clone(),
    });
    let started_at = Utc::now();
    if snap.resumed {
        rebuild_from_archive(ctx, &run).await?;
    }

    let budget_exhausted = fetch_loop(ctx, &run, &home).await?;
    // The IPv6 step needs only the archived pages, so it runs beside the requisites and link checks instead of after
    // them: its requests go to the home host, which is otherwise idle by then, and the site no longer waits for it.
    let ipv6 = async {
        match ctx.opts.ipv6_check {
            true => super::ipv6::check_site(ctx, &run).await,
            false => Ok(()),
        }
    };
    let after_pages = async {
        let requisites = super::requisites::fetch_requisites(ctx, &run).await?;
        let links = check_links(ctx, &run).await?;
        anyhow::Ok((requisites, links))
    };
    let (((requisites, requisites_capped), (checks, broken, not_checked, link_budget_exhausted)), ()) =
        tokio::try_join!(after_pages, ipv6)?;
    super::certs::record_certificates(ctx, &run).await?;
    let store = ctx.store.clone();
    let snap2 = snap.clone();
    blocking(move || store.finish_snapshot(&snap2)).await?;
    let summary = SiteSummary {
        site_id: site.id.clone(),
        seq: snap.seq,
        resumed: snap.resumed,
        pages: run.pages.load(Ordering::Relaxed),
        requisites,
        requisites_capped,
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
    ctx.progress.event(ProgressEvent::SiteFinished {
        site_id: &site.id,
        pages: summary.pages,
        requisites: summary.requisites,
        errors: summary.errors,
    });
    Ok(summary)
}

/// Fetch loop: every host of the site that has URLs waiting is kept busy, up to `per_site_parallelism` URLs in flight
/// per host (fewer when the host's rate lets fewer out at once), all paced per host. The next URL is the shallowest
/// waiting one among the hosts that can take a request now ([`gongkai_archive::Frontier::heads`]): breadth-first
/// while every host keeps up, and a host is never left idle because the URLs ahead of its own all wait for another
/// host's politeness slots (a site's 信息公开 platform beside its portal, a Crawl-delay host beside a fast one). A URL
/// whose family is being judged by the trap detector waits (held, claimed) until the family's pages in flight are
/// in, holding back its host only. Returns whether the page budget stopped the crawl with URLs still waiting.
async fn fetch_loop(ctx: &Ctx<'_>, run: &Arc<SiteRun>, home: &Url) -> Result<bool> {
    let per_host = ctx.opts.per_site_parallelism.max(1);
    let probe = ctx.opts.trap_probe;
    let mut inflight = FuturesUnordered::new();
    let mut busy: HashMap<String, usize> = HashMap::new();
    let mut held: HashMap<String, FrontierEntry> = HashMap::new();
    let mut budget_exhausted = false;
    // A host takes no more URLs at once than its window lets out (2 at the usual 2/s): a URL taken beyond that
    // would only wait for a turn, a whole page's future held the while (about 5 KB; 2,000 sites x 2 of them).
    let pacer = &ctx.fetcher.pacer;
    let cap = |h: &str| pacer.turns_at_once(h).map_or(per_host, |n| n.min(per_host));
    let free = |h: &str, busy: &HashMap<String, usize>| busy.get(h).copied().unwrap_or(0) < cap(h);
    loop {
        // Held URLs are tried again once per completed page (their family's verdict may be in now).
        let mut retry: Vec<(String, FrontierEntry)> = held.drain().collect();
        loop {
            if run.budget_used.load(Ordering::SeqCst) >= run.max_pages {
                held.extend(std::mem::take(&mut retry));
                budget_exhausted = !held.is_empty() || run.frontier.stats()?.pending > 0;
                break;
            }
            // A held URL first (claimed earlier), if its host is free.
            let ready = retry.iter().position(|(h, _)| free(h, &busy));
            let (host, entry) = match ready.map(|i| retry.swap_remove(i)) {
                Some(he) => he,
                None => {
                    let heads = run.frontier.heads()?;
                    let waiting = |h: &str| held.contains_key(h) || retry.iter().any(|(r, _)| r == h);
                    let Some(head) = heads.into_iter().filter(|h| free(&h.host, &busy) && !waiting(&h.host)).min()
                    else {
                        break;
                    };
                    match run.frontier.next_from(&head.host)? {
                        Some(e) => (head.host, e),
                        None => continue,
                    }
                }
            };
            let verdict = run.traps.lock().unwrap().claim(&entry.url, entry.depth, probe);
            match verdict {
                Verdict::Go => {
                    run.budget_used.fetch_add(1, Ordering::SeqCst);
                    *busy.entry(host.clone()).or_default() += 1;
                    let (run2, home2) = (run.clone(), home.clone());
                    inflight.push(async move {
                        let url = entry.url.clone();
                        let r = process(ctx, &run2, entry, home2).await;
                        run2.traps.lock().unwrap().release(&url);
                        (host, r)
                    });
                }
                Verdict::Wait => {
                    // Nothing else of this host until a page in flight is in; other hosts go on.
                    held.insert(host, entry);
                }
                Verdict::Cut => {
                    tracing::debug!(url = %entry.url, "cut: its URL family's pages are near-identical (endless URL space)");
                    run.frontier.done(&entry.url)?;
                }
            }
        }
        held.extend(retry); // held URLs whose host was still busy
        match inflight.next().await {
            Some((host, r)) => {
                if let Some(n) = busy.get_mut(&host) {
                    *n -= 1;
                }
                r?
            }
            // Nothing in flight: the held URLs' families have nothing in flight either, so their verdicts are in.
            None if !held.is_empty() && !budget_exhausted => continue,
            None => break,
        }
    }
    Ok(budget_exhausted)
}
