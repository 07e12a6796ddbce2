//! Link checks: every distinct link target found on a site's pages gets one outcome, from the crawl's own fetches or
//! over the network, within the site's link-check budget.

use super::{blocking, Ctx, Known, SiteRun};
use crate::http::FetchError;
use crate::progress::ProgressEvent;
use anyhow::Result;
use chrono::Utc;
use futures::stream::StreamExt;
use gongkai_archive::{LinkCheck, LinkOutcome};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use url::Url;

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
pub(super) async fn check_links(ctx: &Ctx<'_>, run: &Arc<SiteRun>) -> Result<(u64, u64, u64, bool)> {
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
            return Some(error_outcome(err));
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
            Err(e) => return Some(error_outcome(&e)),
        }
    }
    Some(LinkOutcome::Failed { error: "too many redirects".into() })
}

/// A link's outcome from a request that got no answer: not checked when the crawler itself chose not to ask (address
/// rules, a host's pause past the cap), else failed.
fn error_outcome(e: &FetchError) -> LinkOutcome {
    match e.not_checked_reason() {
        Some(reason) => LinkOutcome::NotChecked { reason },
        None => LinkOutcome::Failed { error: e.to_string() },
    }
}
