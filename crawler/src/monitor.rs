//! The availability monitor (`gongkai monitor`): probe every site's home page on a schedule and store each probe, so a
//! week of probes can be scored later (docs/rules.md `veto.unreachable`, `design.availability`).
//!
//! A probe is one timed GET of the home page, redirects followed (each hop paced like every other request to that
//! host), that fails unless a complete 2xx answer arrives within the probe time-out (15 s by default, the official
//! figure). Probes are not retried: a retry would hide exactly the failures the monitor exists to count.

use crate::http::{FetchError, Fetcher};
use crate::options::CrawlOptions;
use crate::pacer::HostPacer;
use crate::progress::{Progress, ProgressEvent};
use crate::robots::RobotsCache;
use crate::urls::SiteScope;
use anyhow::Result;
use chrono::Utc;
use futures::StreamExt;
use gongkai_archive::{Probe, ProbeSource, Store};
use gongkai_config::Site;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// When and how long to probe.
#[derive(Debug, Clone)]
pub struct MonitorOptions {
    /// Time between two probes of one site (`--interval`).
    pub interval: Duration,
    /// How long to keep probing (`--for`); None: one round.
    pub duration: Option<Duration>,
}

/// What a monitor run did.
#[derive(Debug, Clone, Default)]
pub struct MonitorSummary {
    pub rounds: u64,
    pub probes: u64,
    pub failures: u64,
    /// Sites whose robots.txt forbids the home page: not probed.
    pub robots_disallowed: Vec<String>,
}

/// Probe every site's home page every `interval` for `duration` (or once), storing each probe with
/// [`ProbeSource::Monitor`].
pub async fn monitor(
    sites: &[Site],
    store: &Store,
    opts: &CrawlOptions,
    schedule: &MonitorOptions,
    progress: &dyn Progress,
) -> Result<MonitorSummary> {
    let opts = Arc::new(opts.clone());
    let pacer = Arc::new(HostPacer::new(opts.rate_margin));
    let fetcher = Fetcher::new(opts.clone(), pacer.clone())?;
    for site in sites {
        crate::engine::trust_site_hosts(&fetcher, site);
        store.put_site(site)?;
        let rate = opts.rate.unwrap_or(site.rate);
        for a in SiteScope::new(&site.url, site.platform.as_ref()).authorities() {
            pacer.limit_rate(&a, rate);
        }
    }
    progress.begin(sites.len());
    let t0 = Instant::now();
    let mut summary = MonitorSummary::default();
    loop {
        let round_start = Instant::now();
        // robots.txt is read again each round: a week is long, and a host down at one round must not stay "down".
        let robots = RobotsCache::default();
        // At most `max_in_flight` probes at once, admitted before a probe starts: waiting here is not timed.
        let probes: Vec<Option<Probe>> = futures::stream::iter(sites.iter())
            .map(|site| probe_site(&fetcher, &robots, site, &opts))
            .buffer_unordered(opts.sites_at_once(sites.len()).min(opts.max_in_flight.max(1)))
            .collect()
            .await;
        for p in probes.iter().flatten() {
            store.record_probe(p)?;
            summary.probes += 1;
            let ok = p.error.is_none();
            if !ok {
                summary.failures += 1;
            }
            progress.event(ProgressEvent::Probed { site_id: &p.site_id, ok, duration_ms: p.duration_ms });
        }
        if summary.rounds == 0 {
            for (site, p) in sites.iter().zip(&probes) {
                if p.is_none() {
                    summary.robots_disallowed.push(site.id.clone());
                    let note = format!("{}：robots.txt 禁止访问首页，不探测", site.id);
                    progress.event(ProgressEvent::Note(&note));
                }
            }
        }
        summary.rounds += 1;
        store.flush()?;
        let Some(total) = schedule.duration else { break };
        let next = round_start + schedule.interval;
        if next.duration_since(t0) >= total {
            break;
        }
        tokio::time::sleep_until(next.into()).await;
    }
    progress.finish();
    Ok(summary)
}

/// One probe of a site's home page; None when robots.txt forbids it.
pub async fn probe_site(fetcher: &Fetcher, robots: &RobotsCache, site: &Site, opts: &CrawlOptions) -> Option<Probe> {
    let rate = opts.rate.unwrap_or(site.rate);
    let mut url = site.url.clone();
    // robots.txt first, outside the timed part: the probe times the home page, not robots.txt.
    let _ = robots.get(fetcher, &url, rate).await;
    let mut at = Utc::now();
    let mut start = Instant::now();
    let mut deadline = start + opts.probe_timeout;
    let mut first = true;
    let mut outcome: (Option<u16>, Option<String>) = (None, Some("too many redirects".into()));
    for _ in 0..=opts.max_redirects {
        let (rob, _) = robots.get(fetcher, &url, rate).await;
        if let Some(err) = rob.unreachable() {
            outcome = (None, Some(err.to_string()));
            break;
        }
        if !rob.allowed(&url) {
            if url == site.url {
                return None;
            }
            outcome = (None, Some("redirect target forbidden by robots.txt".into()));
            break;
        }
        let host = url.host_str().unwrap_or("").to_string();
        if !opts.may_contact(&host, url.port_or_known_default().unwrap_or(0)) {
            outcome = (None, Some(FetchError::NotContacted.to_string()));
            break;
        }
        let mut turn = fetcher.pacer.wait(&crate::urls::authority(&url), rate).await;
        if first {
            // The clock starts when the request can go (waiting for our own politeness slot is not the site's fault).
            first = false;
            at = Utc::now();
            start = Instant::now();
            deadline = start + opts.probe_timeout;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            turn.unused();
            outcome = (None, Some("timeout".into()));
            break;
        }
        match fetcher.once(&crate::http::Request::new("GET", &url, rate, left), &mut turn).await {
            Ok(ex) => match ex.redirect_target() {
                Some(next) if next != url => url = next,
                _ => {
                    let err =
                        if (200..300).contains(&ex.status) { None } else { Some(format!("status {}", ex.status)) };
                    outcome = (Some(ex.status), err);
                    break;
                }
            },
            Err(e) => {
                outcome = (None, Some(e.to_string()));
                break;
            }
        }
    }
    Some(Probe {
        site_id: site.id.clone(),
        url: site.url.clone(),
        at,
        duration_ms: start.elapsed().as_millis() as u64,
        status: outcome.0,
        error: outcome.1,
        source: ProbeSource::Monitor,
    })
}
