//! Link checks: every distinct link target found on a site's pages gets one outcome, from the crawl's own fetches or
//! over the network, within the site's link-check budget.
//!
//! An outbound target (outside the site's scope) whose check answered 2xx with an HTML content type is also *read*:
//! one GET more of the page the redirect chain ended on, paced like every request to its host, archived (at most
//! [`LINKED_PAGE_CAP`] bytes) as a response record the link check cites, with the registrable domain it was served
//! from. Scoring reads it for spam (外链变质: a partner site whose domain expired and was bought). Each page is read
//! once per crawl however many sites link to it.

use super::{blocking, Ctx, Known, SiteRun};
use crate::http::FetchError;
use crate::progress::ProgressEvent;
use anyhow::Result;
use chrono::Utc;
use futures::stream::StreamExt;
use gongkai_archive::{LinkCheck, LinkOutcome, LinkedPage, LINKED_PAGE_CAP};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use url::Url;

/// Outcomes that need no request are written this many to one store write.
const LOCAL_BATCH: usize = 1000;

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
    // Kept as text (see `SiteRun::targets`); each was a parsed URL, so it parses again.
    let targets: Vec<Url> =
        std::mem::take(&mut *run.targets.lock().unwrap()).into_iter().filter_map(|t| Url::parse(&t).ok()).collect();
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
        let note =
            format!("{}：已达到链接检查上限（{} 个），另有 {over} 个链接记为未检查", run.site.id, run.max_link_checks);
        tracing::warn!("{note}");
        ctx.progress.event(ProgressEvent::Note(&note));
    }
    let budget_reason = format!("超出链接检查上限（{}）", run.max_link_checks);
    let (mut n, mut broken, mut not_checked) = (0, 0, 0);
    // The outcomes that need no request, recorded in batches (a target already recorded by an interrupted run keeps
    // its check).
    let (mut remote_plans, mut local) = (Vec::new(), Vec::new());
    for (t, plan) in plans {
        match plan {
            Plan::Remote(u) => remote_plans.push((t, u)),
            Plan::Known(o) => local.push((t, o)),
            Plan::OverBudget => local.push((t, LinkOutcome::NotChecked { reason: budget_reason.clone() })),
        }
    }
    for chunk in local.chunks(LOCAL_BATCH) {
        let mut checks = Vec::with_capacity(chunk.len());
        for (t, outcome) in chunk {
            if ctx.store.link_check(&run.snap, t)?.is_some() {
                continue;
            }
            let check = LinkCheck { target: t.clone(), checked_at: Utc::now(), outcome: outcome.clone(), page: None };
            n += 1;
            broken += check.is_broken() as u64;
            not_checked += matches!(check.outcome, LinkOutcome::NotChecked { .. }) as u64;
            checks.push(check);
        }
        let (store, snap) = (ctx.store.clone(), run.snap.clone());
        blocking(move || store.record_link_checks(&snap, &checks)).await?;
    }
    let parallel = (ctx.opts.per_site_parallelism * 2).max(1);
    let results: Vec<Result<Option<(bool, bool)>>> = futures::stream::iter(interleave_hosts(remote_plans))
        .map(|(t, u)| async move {
            if ctx.store.link_check(&run.snap, &t)?.is_some() {
                return Ok(None);
            }
            let mut page = None;
            let outcome = match check_remote(ctx, run.rate, u).await {
                Some(rc) => {
                    if let Some(at) = rc.html_at.filter(|_| !run.scope.contains_resource(&t)) {
                        page = read_page(ctx, run, &t, &at).await?;
                    }
                    Some(rc.outcome)
                }
                None => None,
            };
            let Some(outcome) = outcome else {
                ctx.not_contacted.fetch_add(1, Ordering::Relaxed);
                return Ok(None);
            };
            let check = LinkCheck { target: t, checked_at: Utc::now(), outcome, page };
            let not_checked = matches!(check.outcome, LinkOutcome::NotChecked { .. });
            let store = ctx.store.clone();
            let snap = run.snap.clone();
            let broken = check.is_broken();
            blocking(move || store.record_link_check(&snap, &check)).await?;
            Ok(Some((broken, not_checked)))
        })
        .buffer_unordered(parallel)
        .collect()
        .await;
    for r in results {
        if let Some((b, nc)) = r? {
            n += 1;
            broken += b as u64;
            not_checked += nc as u64;
        }
    }
    Ok((n, broken, not_checked, over > 0))
}

/// The targets in turns over their hosts (first of each host, then second of each, …) instead of in URL order, which
/// groups them by host: the checks in flight then spread over as many hosts as there are, and a host with many targets
/// (a national portal linked a hundred times) does not hold every place while the other hosts wait.
fn interleave_hosts<T>(targets: Vec<(Url, T)>) -> Vec<(Url, T)> {
    let mut by_host: std::collections::BTreeMap<String, std::collections::VecDeque<(Url, T)>> = Default::default();
    for t in targets {
        by_host.entry(crate::urls::authority(&t.0)).or_default().push_back(t);
    }
    let mut out = Vec::new();
    while !by_host.is_empty() {
        by_host.retain(|_, q| {
            out.extend(q.pop_front());
            !q.is_empty()
        });
    }
    out
}

/// The outcome of a target from this crawl's own fetches, following redirects; Err(url) names the first URL of the
/// chain that was not fetched (it must be checked over the network).
fn resolve_known(run: &SiteRun, target: &Url, max_hops: u32) -> Result<LinkOutcome, Url> {
    let known = run.known.lock().unwrap();
    let mut cur = target.clone();
    for _ in 0..=max_hops {
        match known.get(&cur) {
            Some(Known::Status { status, redirect: Some(next), .. }) => {
                if **next == cur {
                    return Ok(LinkOutcome::Status { status: *status });
                }
                cur = (**next).clone();
            }
            Some(Known::Status { not_checked: Some(reason), .. }) => {
                return Ok(LinkOutcome::NotChecked { reason: reason.to_string() })
            }
            Some(Known::Status { status, redirect: None, .. }) => return Ok(LinkOutcome::Status { status: *status }),
            Some(Known::Failed(e)) => return Ok(LinkOutcome::Failed { error: e.to_string() }),
            Some(Known::RobotsDisallowed) => return Ok(LinkOutcome::RobotsDisallowed),
            Some(Known::NotChecked(r)) => return Ok(LinkOutcome::NotChecked { reason: r.to_string() }),
            None => return Err(cur),
        }
    }
    Ok(LinkOutcome::Failed { error: "too many redirects".into() })
}

/// What a check over the network learnt.
#[derive(Debug, Clone)]
pub(super) struct RemoteCheck {
    outcome: LinkOutcome,
    /// Where the chain ended, when that answer was 2xx with an HTML content type: a page worth reading.
    html_at: Option<Url>,
}

impl RemoteCheck {
    fn of(outcome: LinkOutcome) -> RemoteCheck {
        RemoteCheck { outcome, html_at: None }
    }
}

/// Check a URL this crawl did not fetch, once per crawl whatever the number of sites linking to it. None when the host
/// may not be contacted (`--resolved-only`).
async fn check_remote(ctx: &Ctx<'_>, rate: f64, url: Url) -> Option<RemoteCheck> {
    let cell = ctx.link_cache.lock().unwrap().entry(url.as_str().to_string()).or_default().clone();
    cell.get_or_init(|| check_url(ctx, rate, url)).await.clone()
}

/// The page at `at` (where the chain from the outbound `target` ended), read and archived once per crawl: None when
/// it no longer answers 2xx with HTML, or gives no answer (the link check already says what it says).
async fn read_page(ctx: &Ctx<'_>, run: &Arc<SiteRun>, target: &Url, at: &Url) -> Result<Option<LinkedPage>> {
    let cell = ctx.page_cache.lock().unwrap().entry(at.as_str().to_string()).or_default().clone();
    let page = cell
        .get_or_try_init(|| async {
            let ex = match ctx.fetcher.read_linked(at, run.rate).await {
                Ok(ex) => ex,
                Err(e) => {
                    tracing::debug!(url = %at, error = %e, "linked page not read");
                    return Ok::<_, anyhow::Error>(None);
                }
            };
            if !(200..300).contains(&ex.status) || !is_html(ex.header("content-type")) {
                return Ok(None);
            }
            let mut fetch = super::page::to_fetch(&ex, 0);
            if fetch.body.len() > LINKED_PAGE_CAP {
                fetch.body.truncate(LINKED_PAGE_CAP);
                fetch.truncated = Some("length".into());
            }
            let (store, snap) = (ctx.store.clone(), run.snap.clone());
            let status = fetch.status;
            let warc = blocking(move || store.record_linked_page(&snap, &fetch)).await?;
            Ok(Some(LinkedPage {
                url: at.clone(),
                domain: registrable_domain(at),
                target_domain: None,
                status,
                warc,
                body: Vec::new(),
                headers: Vec::new(),
            }))
        })
        .await?;
    Ok(page.clone().map(|p| LinkedPage { target_domain: registrable_domain(target), ..p }))
}

/// The registrable domain of a URL's host by the public-suffix list (`www.partner.org.cn` → `partner.org.cn`); None
/// for an IP address.
pub(crate) fn registrable_domain(u: &Url) -> Option<String> {
    let host = u.domain()?.trim_end_matches('.').to_ascii_lowercase();
    psl::domain_str(&host).map(str::to_string)
}

/// An HTML content type (`text/html`, `application/xhtml+xml`), parameters ignored.
fn is_html(content_type: Option<&str>) -> bool {
    let mime = content_type.unwrap_or("").split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    mime == "text/html" || mime == "application/xhtml+xml"
}

async fn check_url(ctx: &Ctx<'_>, rate: f64, start: Url) -> Option<RemoteCheck> {
    let mut url = start;
    for _ in 0..=ctx.opts.max_redirects {
        let host = url.host_str().unwrap_or("").to_string();
        if !ctx.opts.may_contact(&host, url.port_or_known_default().unwrap_or(0)) {
            return None;
        }
        // An IP-literal URL outside the address rules: not even robots.txt is asked for.
        if let Err(reason) = ctx.fetcher.policy().check_url(&url) {
            return Some(RemoteCheck::of(LinkOutcome::NotChecked { reason }));
        }
        let (rob, _) = ctx.robots.get(&ctx.fetcher, &url, rate).await;
        if let Some(err) = rob.unreachable() {
            return Some(RemoteCheck::of(error_outcome(err)));
        }
        if !rob.allowed(&url) {
            return Some(RemoteCheck::of(LinkOutcome::RobotsDisallowed));
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
                        Some(reason) => RemoteCheck::of(LinkOutcome::NotChecked { reason }),
                        None => RemoteCheck {
                            outcome: LinkOutcome::Status { status: ex.status },
                            html_at: ((200..300).contains(&ex.status) && is_html(ex.header("content-type")))
                                .then(|| url.clone()),
                        },
                    })
                }
            },
            Err(FetchError::NotContacted) => return None,
            Err(e) => return Some(RemoteCheck::of(error_outcome(&e))),
        }
    }
    Some(RemoteCheck::of(LinkOutcome::Failed { error: "too many redirects".into() }))
}

/// A link's outcome from a request that got no answer: not checked when the crawler itself chose not to ask (address
/// rules, a host's pause past the cap), else failed.
fn error_outcome(e: &FetchError) -> LinkOutcome {
    match e.not_checked_reason() {
        Some(reason) => LinkOutcome::NotChecked { reason },
        None => LinkOutcome::Failed { error: e.to_string() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_targets_take_turns_over_their_hosts() {
        let u = |s: &str| (Url::parse(s).unwrap(), ());
        let v =
            vec![u("http://a.cn/1"), u("http://a.cn/2"), u("http://a.cn/3"), u("http://b.cn/1"), u("http://c.cn/1")];
        let order: Vec<String> = interleave_hosts(v).into_iter().map(|(u, _)| u.to_string()).collect();
        assert_eq!(order, ["http://a.cn/1", "http://b.cn/1", "http://c.cn/1", "http://a.cn/2", "http://a.cn/3"]);
    }

    #[test]
    fn registrable_domains_come_from_the_public_suffix_list() {
        let d = |s: &str| registrable_domain(&Url::parse(s).unwrap());
        assert_eq!(d("http://www.partner.org.cn/").as_deref(), Some("partner.org.cn"));
        assert_eq!(d("http://a.b.example.com.cn:8080/x").as_deref(), Some("example.com.cn"));
        assert_eq!(d("http://bet.casino-example.com/").as_deref(), Some("casino-example.com"));
        assert_eq!(d("http://WWW.Shuzhi.GOV.cn./").as_deref(), Some("shuzhi.gov.cn"));
        assert_eq!(d("http://127.0.0.1:8080/"), None, "an IP address has no registrable domain");
    }

    #[test]
    fn only_html_content_types_are_read() {
        assert!(is_html(Some("text/html; charset=gbk")));
        assert!(is_html(Some("Application/XHTML+XML")));
        assert!(!is_html(Some("application/pdf")));
        assert!(!is_html(None));
    }
}
