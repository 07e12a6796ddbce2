//! The per-site IPv6 step, once the site's pages are fetched and beside its requisites and link checks: AAAA lookup
//! of the home host, the home page over IPv6 compared with the IPv4 copy archived by the crawl, then up to
//! `ipv6_samples` inner pages (depth 1–2, archived with a 2xx answer over IPv4) over IPv6; archived with
//! [`Store::record_ipv6_check`](gongkai_archive::Store).
//!
//! Every request is paced by the host's own limit and robots-checked like the crawl's; the address rules apply. The
//! network side (lookups, the IPv6-only client, the comparison) is [`crate::ipv6`].

use super::page::to_fetch;
use super::{blocking, Ctx, SiteRun};
use crate::http::FetchError;
use crate::ipv6::{compare, spread_indices, Ipv6Prober, NO_AAAA};
use anyhow::Result;
use chrono::Utc;
use gongkai_archive::{AaaaLookup, FetchEntry, Ipv6Check, Ipv6Home, Ipv6Sample};
use std::sync::Arc;
use url::Url;

/// Runs the check for one site and archives it. Network trouble is part of the result; only store errors are `Err`.
pub(super) async fn check_site(ctx: &Ctx<'_>, run: &Arc<SiteRun>) -> Result<()> {
    let home = run.site.url.clone();
    let made =
        ctx.ipv6_prober.get_or_init(|| Ipv6Prober::new(&ctx.fetcher).map(Arc::new).map_err(|e| format!("{e:#}")));
    let prober = match made {
        Ok(p) => p.clone(),
        Err(e) => {
            tracing::warn!(site = %run.site.id, "未进行 IPv6 检查：{e}");
            return Ok(());
        }
    };
    let aaaa = prober.aaaa.lookup(home.host_str().unwrap_or("")).await;
    let (store, run2, n) = (ctx.store.clone(), run.clone(), ctx.opts.ipv6_samples as usize);
    let (home_entry, candidates) = blocking(move || archived_for_check(&store, &run2, n)).await?;
    let mut check =
        Ipv6Check { home: home.clone(), checked_at: Utc::now(), aaaa, home_v6: None, samples: vec![], record: None };
    let mut home_answer = None;
    if let AaaaLookup::Found { .. } = &check.aaaa {
        if let Some((h, ex)) = fetch_home(ctx, run, &prober, &home, home_entry).await? {
            // Archived only when it is not the IPv4 page: then it is the finding's evidence. The same page would be a
            // second capture of the home page URL for replay tools; the metadata record says it was the same.
            home_answer = ex.filter(|_| !h.same).map(|ex| to_fetch(&ex, 0));
            check.home_v6 = Some(h);
        }
        check.samples = samples(ctx, run, &prober, candidates).await;
    }
    tracing::info!(site = %run.site.id, has_aaaa = ?check.has_aaaa(), home_same = ?check.home_v6.as_ref().map(|h| h.same),
        sampled = ?check.sampled(), "IPv6 check");
    let (store, snap) = (ctx.store.clone(), run.snap.clone());
    blocking(move || store.record_ipv6_check(&snap, home_answer.as_ref(), &check).map(|_| ())).await
}

/// What the check needs of the site's archived fetches: the home page's entry, and the inner pages to sample
/// (archived at depth 1–2 with a 2xx answer, in the site's scope, spread over the URL-sorted list, each with its IPv4
/// copy's validators as request headers). Two passes over the index, counting the candidates and then taking the
/// chosen ones, so that a site never holds all its entries: every site of a province reaches this step at about the
/// same time, and holding them cost about 600 bytes per archived page of the whole province at once.
fn archived_for_check(
    store: &gongkai_archive::Store,
    run: &SiteRun,
    n: usize,
) -> Result<(Option<FetchEntry>, Vec<Candidate>)> {
    let home = &run.site.url;
    let is_candidate = |e: &FetchEntry| {
        (1..=2).contains(&e.depth) && (200..300).contains(&e.status) && &e.url != home && run.scope.contains(&e.url)
    };
    let (mut home_entry, mut count) = (None, 0);
    for e in store.each_fetch_entry(&run.snap) {
        let e = e?;
        if &e.url == home {
            home_entry = Some(e);
        } else if is_candidate(&e) {
            count += 1;
        }
    }
    // The index lists a snapshot's entries in URL order, one per URL: the order the samples are spread over.
    let picks = spread_indices(count, n);
    let mut candidates = Vec::with_capacity(picks.len());
    let mut i = 0;
    for e in store.each_fetch_entry(&run.snap) {
        let e = e?;
        if !is_candidate(&e) {
            continue;
        }
        if picks.binary_search(&i).is_ok() {
            let conditional = e.validators().map(|v| v.request_headers()).unwrap_or_default();
            candidates.push((e.url, e.depth, conditional));
        }
        i += 1;
    }
    Ok((home_entry, candidates))
}

/// The home page over IPv6 and its comparison with the IPv4 copy. None when there is nothing to compare with (the
/// crawl archived no copy) or robots.txt forbids the page.
async fn fetch_home(
    ctx: &Ctx<'_>,
    run: &SiteRun,
    prober: &Ipv6Prober,
    home: &Url,
    entry: Option<FetchEntry>,
) -> Result<Option<(Ipv6Home, Option<crate::http::Exchange>)>> {
    let Some(entry) = entry else { return Ok(None) };
    let (rob, _) = ctx.robots.get(&ctx.fetcher, home, run.rate).await;
    if !rob.allowed(home) {
        return Ok(None);
    }
    let store = ctx.store.clone();
    let v4 = blocking(move || store.load_page(&entry)).await?;
    let res = prober.fetcher.fetch("GET", home, run.rate, ctx.opts.retries).await;
    Ok(Some(match res {
        Ok(ex) => {
            let cmp = compare(&v4, &ex);
            let h = Ipv6Home {
                status: Some(ex.status),
                error: None,
                address: ex.remote_ip,
                v4_status: Some(v4.status),
                same: cmp.is_ok(),
                difference: cmp.err(),
                warc: None,
            };
            (h, Some(ex))
        }
        // The crawler's own limits (address rules, a host that asked for a pause): nothing to judge.
        Err(e) if e.not_checked_reason().is_some() || e == FetchError::NotContacted => return Ok(None),
        Err(e) => {
            let h = Ipv6Home {
                status: None,
                error: Some(failure_text(&e)),
                address: None,
                v4_status: Some(v4.status),
                same: false,
                difference: Some(format!("IPv6 访问首页失败：{}", failure_text(&e))),
                warc: None,
            };
            (h, None)
        }
    }))
}

/// The chosen inner pages ([`archived_for_check`]) over IPv6. A page whose host could not be looked up is left out;
/// one whose host has no AAAA fails.
async fn samples(ctx: &Ctx<'_>, run: &SiteRun, prober: &Ipv6Prober, candidates: Vec<Candidate>) -> Vec<Ipv6Sample> {
    let mut out = Vec::new();
    for (url, depth, conditional) in candidates {
        let lookup = prober.aaaa.lookup(url.host_str().unwrap_or("")).await;
        let res = match lookup {
            AaaaLookup::Failed { .. } => continue,
            AaaaLookup::NoRecord => Err(NO_AAAA.to_string()),
            AaaaLookup::Found { .. } => {
                let (rob, _) = ctx.robots.get(&ctx.fetcher, &url, run.rate).await;
                if !rob.allowed(&url) {
                    continue;
                }
                // Conditional on the IPv4 copy's validators: a 304 is an answer (it works) and costs the server least.
                match prober.fetcher.fetch_with("GET", &url, run.rate, ctx.opts.retries, &conditional).await {
                    Ok(ex) => Ok(ex.status),
                    // The crawler's own limits (address rules, a host that asked for a pause) say nothing.
                    Err(e) if e.not_checked_reason().is_some() || e == FetchError::NotContacted => continue,
                    Err(e) => Err(failure_text(&e)),
                }
            }
        };
        out.push(match res {
            Ok(status) => Ipv6Sample { url, depth, status: Some(status), error: None },
            Err(error) => Ipv6Sample { url, depth, status: None, error: Some(error) },
        });
    }
    out
}

/// A sampled page: URL, depth and the IPv4 copy's validators as request headers.
type Candidate = (Url, u32, Vec<(String, String)>);

/// A failed IPv6 request in Chinese (the resolver's "no AAAA" comes through the client's error chain).
fn failure_text(e: &FetchError) -> String {
    match e {
        FetchError::Timeout => "超时".to_string(),
        FetchError::Connect(m) if m.contains(NO_AAAA) => NO_AAAA.to_string(),
        FetchError::Connect(m) => format!("无法连接（{m}）"),
        other => other.to_string(),
    }
}
