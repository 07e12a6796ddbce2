//! Page requisites: the stylesheets, images, icons and fonts the archived pages need to replay as the assessor saw
//! them (a 党政机关 badge that is missing from the replayed home page cannot be shown on appeal).
//!
//! Found while the pages are discovered ([`LinkKind::Requisite`](crate::discover::LinkKind::Requisite)), in crawl
//! order, so the home page's and then the column pages' come first (breadth-first); fetched after the site's pages,
//! in two rounds: the pages' requisites, then what the fetched stylesheets reference (`url()`, `@import`: one level
//! deep, not the stylesheets those import). Every request goes through the same fetcher as the pages: paced per host,
//! robots.txt obeyed, the address rules applied, conditional when an earlier snapshot holds the URL.
//!
//! Their own cap (`max_requisites` requests per site), not the page budget: a site with 300 pages still gets its
//! stylesheet. Only successful answers (2xx, and 304 for an unchanged one) are archived; a missing image is logged,
//! not archived, not a failure of the site, and never link-checked because of this: requisites are not links in the
//! docs/rules.md sense, and scoring reads only HTML pages as pages.

use super::body::decode_for_discovery;
use super::page::{archive_robots, earlier_fetch, to_fetch};
use super::{blocking, Ctx, SiteRun};
use crate::discover::discover_css;
use crate::http::FetchError;
use anyhow::Result;
use futures::stream::StreamExt;
use gongkai_archive::FetchEntry;
use std::collections::HashSet;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use url::Url;

/// The requisites found so far for one site, de-duplicated, at most `cap` kept (the rest counted as dropped).
pub(super) struct Requisites {
    cap: u64,
    seen: HashSet<Url>,
    found: Vec<(Url, u32)>,
    dropped: u64,
}

impl Requisites {
    pub(super) fn new(cap: u64) -> Self {
        Requisites { cap, seen: HashSet::new(), found: Vec::new(), dropped: 0 }
    }

    /// A requisite found on a page at `depth` (kept at that depth: it is part of the page).
    pub(super) fn add(&mut self, url: Url, depth: u32) {
        if !matches!(url.scheme(), "http" | "https") || self.seen.contains(&url) {
            return;
        }
        if self.found.len() as u64 >= self.cap {
            self.dropped += 1;
            return;
        }
        self.seen.insert(url.clone());
        self.found.push((url, depth));
    }
}

/// How one requisite request ended.
enum Outcome {
    /// Archived (a response, or a revisit of an unchanged one); for a stylesheet, what it references.
    Archived(Vec<Url>),
    /// A request went out but nothing was archived (error status, failure).
    Requested,
    /// No request: robots.txt, address rules.
    Skipped,
    /// No request: archived in this snapshot already (by a page fetch, or by the killed run this one continues); for
    /// a stylesheet, what its archived copy references.
    AlreadyArchived(Vec<Url>),
}

/// Fetch and archive the site's requisites (see the module docs). Returns how many were archived and whether the cap
/// left some unfetched.
pub(super) async fn fetch_requisites(ctx: &Ctx<'_>, run: &Arc<SiteRun>) -> Result<(u64, bool)> {
    let (first, dropped) = {
        let r = run.requisites.lock().unwrap();
        (r.found.clone(), r.dropped)
    };
    let cap = ctx.opts.max_requisites;
    let mut requested = 0u64;
    let mut archived = 0u64;
    let mut capped = dropped > 0;
    let mut seen: HashSet<Url> = first.iter().map(|(u, _)| u.clone()).collect();
    // Round 1: the pages' requisites; round 2: what their stylesheets reference.
    let mut round = first;
    for level in 0..2 {
        if requested + round.len() as u64 > cap {
            capped = true;
            round.truncate(cap.saturating_sub(requested) as usize);
        }
        let parallel = ctx.opts.per_site_parallelism.max(1);
        let outcomes: Vec<(u32, Result<Outcome>)> = futures::stream::iter(round.iter())
            .map(|(url, depth)| async move { (*depth, fetch_one(ctx, run, url, *depth, level == 0).await) })
            .buffer_unordered(parallel)
            .collect()
            .await;
        let mut next = Vec::new();
        for (depth, o) in outcomes {
            match o? {
                Outcome::Archived(refs) => {
                    requested += 1;
                    archived += 1;
                    next.extend(refs.into_iter().filter(|u| seen.insert(u.clone())).map(|u| (u, depth)));
                }
                Outcome::AlreadyArchived(refs) => {
                    next.extend(refs.into_iter().filter(|u| seen.insert(u.clone())).map(|u| (u, depth)));
                }
                Outcome::Requested => requested += 1,
                Outcome::Skipped => {}
            }
        }
        round = next;
        if round.is_empty() {
            break;
        }
    }
    if capped {
        tracing::info!(site = %run.site.id, cap, "max_requisites reached");
    }
    Ok((archived, capped))
}

/// Request one requisite (robots.txt, address rules and pacing as for a page) and archive a successful answer.
/// `read_css`: a stylesheet's own references are returned (first round only).
async fn fetch_one(ctx: &Ctx<'_>, run: &Arc<SiteRun>, url: &Url, depth: u32, read_css: bool) -> Result<Outcome> {
    let is_css = |ct: Option<&str>| {
        ct.is_some_and(|c| c.to_ascii_lowercase().contains("text/css")) || url.path().ends_with(".css")
    };
    let cap = ctx.opts.max_decoded_bytes as usize;
    // Fetched as a page or script of this snapshot already, or archived by the killed run this one continues: not
    // again, but a stylesheet's references are read from its archived copy (the killed run may have stopped before
    // fetching them).
    let (store, snap, u) = (ctx.store.clone(), run.snap.clone(), url.clone());
    let archived = blocking(move || store.fetch_entry(&snap, &u)).await?;
    if archived.is_some() || run.frontier.contains(url)? {
        let refs = match archived {
            Some(e) if read_css && ((200..300).contains(&e.status) || e.status == 304) => {
                let store = ctx.store.clone();
                let page = blocking(move || store.load_page(&e)).await?;
                let body = super::body::readable_body(&page, cap);
                if is_css(page.header("content-type")) {
                    css_refs(url, &body)
                } else {
                    Vec::new()
                }
            }
            _ => Vec::new(),
        };
        return Ok(Outcome::AlreadyArchived(refs));
    }
    let (rob, fresh) = ctx.robots.get(&ctx.fetcher, url, run.rate).await;
    if fresh && run.scope.contains_resource(url) {
        archive_robots(ctx, run, &rob).await?;
    }
    if rob.unreachable().is_some() {
        return Ok(Outcome::Skipped);
    }
    if !rob.allowed(url) {
        run.robots_disallowed.fetch_add(1, Ordering::Relaxed);
        return Ok(Outcome::Skipped);
    }
    let earlier = earlier_fetch(ctx, run, url).await?;
    let conditional =
        earlier.as_ref().and_then(FetchEntry::validators).map(|v| v.request_headers()).unwrap_or_default();
    let ex = match ctx.fetcher.fetch_with("GET", url, run.rate, ctx.opts.retries, &conditional).await {
        Ok(ex) => ex,
        Err(FetchError::NotContacted) => return Ok(Outcome::Skipped),
        Err(e) if e.not_checked_reason().is_some() => return Ok(Outcome::Skipped),
        Err(e) => {
            tracing::info!(site = %run.site.id, %url, error = %e, "requisite not fetched");
            return Ok(Outcome::Requested);
        }
    };
    let unchanged = ex.status == 304 && earlier.is_some();
    if !(200..300).contains(&ex.status) && !unchanged {
        tracing::info!(site = %run.site.id, %url, status = ex.status, "requisite not archived");
        return Ok(Outcome::Requested);
    }
    // What the answer is: the body sent, or for a 304 the earlier snapshot's copy it confirms.
    let (content_type, body) = match (&earlier, unchanged) {
        (Some(e), true) => {
            let (store, e) = (ctx.store.clone(), e.clone());
            let page = blocking(move || store.load_page(&e)).await?;
            (page.header("content-type").map(str::to_string), super::body::readable_body(&page, cap))
        }
        _ => (ex.header("content-type").map(str::to_string), decode_for_discovery(&ex, cap)),
    };
    if looks_like_html(content_type.as_deref(), &body) {
        // A CMS that answers a missing stylesheet with its HTML error page: archiving it would hand scoring a page
        // the crawl never found as a page.
        tracing::info!(site = %run.site.id, %url, "requisite answered with HTML: not archived");
        return Ok(Outcome::Requested);
    }
    let refs = if read_css && is_css(content_type.as_deref()) { css_refs(url, &body) } else { Vec::new() };
    let (store, snap, fetch) = (ctx.store.clone(), run.snap.clone(), to_fetch(&ex, depth));
    blocking(move || store.record_fetch(&snap, &fetch)).await?;
    Ok(Outcome::Archived(refs))
}

/// Would scoring read this answer as an HTML page? (The same test as scoring's `is_html`: an HTML or XML
/// Content-Type, or none and a body that starts like HTML.)
fn looks_like_html(content_type: Option<&str>, body: &[u8]) -> bool {
    match content_type {
        Some(ct) => {
            let ct = ct.to_ascii_lowercase();
            // `image/svg+xml` included: scoring would parse it as a page, so an SVG image is not archived.
            ct.contains("html") || ct.contains("xml") && !ct.contains("javascript")
        }
        None => {
            let head = String::from_utf8_lossy(&body[..body.len().min(512)]).to_ascii_lowercase();
            head.contains("<html") || head.contains("<!doctype html") || head.contains("<head")
        }
    }
}

/// The `url()` / `@import` references of a stylesheet body.
fn css_refs(css_url: &Url, body: &[u8]) -> Vec<Url> {
    let text = String::from_utf8_lossy(body);
    discover_css(css_url, &text).into_iter().map(|f| f.url).collect()
}
