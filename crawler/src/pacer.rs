//! Per-host politeness: one limit per host, shared by every site, task and kind of request (pages, robots.txt, link
//! checks, probes) that touches it.
//!
//! Built on governor's keyed limiter, keyed by the host's authority (`host:port`). Quotas allow a burst of exactly one:
//! governor lets a key spend its whole burst at once, and a burst above one would put more than `rate` requests into a
//! one-second window. Hosts may need different intervals (a site's own `rate`, a robots.txt Crawl-delay), so there is one
//! keyed limiter per distinct interval, and each host is assigned to one of them. A host only ever moves to a slower
//! interval; when it moves, it spends one cell in its new limiter at once, so the next request waits a full new interval
//! after the move (no burst on the switch), and requests that were already waiting on the old interval wait again on
//! the new one (they do not go on at the old pace beside it). A host's first interval is spent the same way when it is first declared, so
//! a process started right after another one was killed cannot burst into the killed one's last second.
//!
//! A host can also ask for a pause (429 or 503 with `Retry-After`): [`HostPacer::pause_until`] holds every request to
//! it, whoever sends it, until that moment; [`HostPacer::suspend`] gives a host up for the rest of the crawl (it asked
//! for longer than the crawl's cap).

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The per-host limiter.
pub struct HostPacer {
    margin: f64,
    /// Fraction of the default rate for hosts never declared (see `CrawlOptions::other_hosts_rate_share`).
    undeclared_share: f64,
    inner: Mutex<PacerState>,
}

#[derive(Default)]
struct PacerState {
    /// Interval in nanoseconds → the keyed limiter for hosts paced at that interval.
    limiters: HashMap<u64, Arc<DefaultKeyedRateLimiter<String>>>,
    /// Host authority → its interval in nanoseconds.
    hosts: HashMap<String, u64>,
    /// Host authority → no request before this moment (Retry-After).
    paused: HashMap<String, Instant>,
    /// Host authority → why it is not contacted again in this crawl.
    suspended: HashMap<String, String>,
}

impl HostPacer {
    /// `margin`: extra fraction added to every interval (see `CrawlOptions::rate_margin`).
    pub fn new(margin: f64) -> Self {
        HostPacer { margin: margin.max(0.0), undeclared_share: 1.0, inner: Mutex::new(PacerState::default()) }
    }

    /// Hosts never declared with [`HostPacer::limit_rate`] (no site of this crawl owns them) are paced at `share` of
    /// the rate asked for (a shard of an N-shard run: 1/N, so N shards at once stay within the rate).
    pub fn with_undeclared_share(mut self, share: f64) -> Self {
        self.undeclared_share = if share.is_finite() && share > 0.0 { share.min(1.0) } else { 1.0 };
        self
    }

    fn interval_for_rate(&self, rate_per_sec: f64) -> Duration {
        let rate = if rate_per_sec.is_finite() && rate_per_sec > 0.0 { rate_per_sec } else { 1.0 };
        Duration::from_secs_f64((1.0 / rate) * (1.0 + self.margin)).max(Duration::from_nanos(1))
    }

    /// Declares that `authority` must not see more than `rate_per_sec` requests per second. When several sites share a
    /// host, the slowest rate wins. Returns the interval now in force.
    pub fn limit_rate(&self, authority: &str, rate_per_sec: f64) -> Duration {
        let interval = self.interval_for_rate(rate_per_sec);
        self.limit_interval(authority, interval)
    }

    /// Declares a minimum interval between requests to `authority` (Crawl-delay). Only ever slows a host down.
    pub fn limit_interval(&self, authority: &str, interval: Duration) -> Duration {
        let nanos = interval.as_nanos().clamp(1, u64::MAX as u128) as u64;
        let mut st = self.inner.lock().unwrap();
        match st.hosts.get(authority).copied() {
            Some(cur) if cur >= nanos => Duration::from_nanos(cur),
            _ => {
                st.hosts.insert(authority.to_string(), nanos);
                let lim = Self::limiter(&mut st, nanos);
                // Spend the fresh key's one cell now, so the first request waits a whole interval from here: when a
                // host moves to a slower interval, and when a process starts (a crawl resumed right after a kill
                // does not know when the killed process last asked).
                let _ = lim.check_key(&authority.to_string());
                Duration::from_nanos(nanos)
            }
        }
    }

    fn limiter(st: &mut PacerState, nanos: u64) -> Arc<DefaultKeyedRateLimiter<String>> {
        st.limiters
            .entry(nanos)
            .or_insert_with(|| {
                let quota = Quota::with_period(Duration::from_nanos(nanos))
                    .expect("interval is positive")
                    .allow_burst(std::num::NonZeroU32::MIN);
                Arc::new(RateLimiter::keyed(quota))
            })
            .clone()
    }

    /// Holds every request to `authority` until `until` (a later pause extends, an earlier one never shortens).
    pub fn pause_until(&self, authority: &str, until: Instant) {
        let mut st = self.inner.lock().unwrap();
        let e = st.paused.entry(authority.to_string()).or_insert(until);
        if *e < until {
            *e = until;
        }
    }

    /// The end of the host's pause, while it lasts.
    pub fn paused_until(&self, authority: &str) -> Option<Instant> {
        self.inner.lock().unwrap().paused.get(authority).copied().filter(|t| *t > Instant::now())
    }

    /// Gives a host up for the rest of the crawl (it asked to be left alone for longer than the cap).
    pub fn suspend(&self, authority: &str, reason: String) {
        self.inner.lock().unwrap().suspended.entry(authority.to_string()).or_insert(reason);
    }

    /// Why the host is not contacted any more, if it was given up.
    pub fn suspended(&self, authority: &str) -> Option<String> {
        self.inner.lock().unwrap().suspended.get(authority).cloned()
    }

    /// The interval in force for a host, if it has one.
    #[cfg(test)]
    pub fn interval(&self, authority: &str) -> Option<Duration> {
        self.inner.lock().unwrap().hosts.get(authority).map(|n| Duration::from_nanos(*n))
    }

    /// Waits until a request to `authority` is allowed (its pause, if any, is over), and takes that slot. A host never
    /// declared is paced at `default_rate`.
    pub async fn wait(&self, authority: &str, default_rate: f64) {
        loop {
            if let Some(t) = self.paused_until(authority) {
                tokio::time::sleep_until(t.into()).await;
            }
            self.wait_slot(authority, default_rate).await;
            // A pause asked while we waited for the slot holds this request too.
            if self.paused_until(authority).is_none() {
                return;
            }
        }
    }

    async fn wait_slot(&self, authority: &str, default_rate: f64) {
        loop {
            let (nanos, lim) = {
                let known = self.inner.lock().unwrap().hosts.get(authority).copied();
                let nanos = match known {
                    Some(n) => n,
                    None => {
                        self.limit_rate(authority, shard_rate(default_rate, self.undeclared_share));
                        self.inner.lock().unwrap().hosts[authority]
                    }
                };
                let mut st = self.inner.lock().unwrap();
                (nanos, Self::limiter(&mut st, nanos))
            };
            lim.until_key_ready(&authority.to_string()).await;
            // The host may have moved to a slower interval while this request waited (a Crawl-delay read meanwhile):
            // a slot of the old interval no longer counts, or the requests waiting on it would go at the old pace
            // beside those on the new one. Wait again, in the new interval's turn.
            if self.inner.lock().unwrap().hosts.get(authority).copied() == Some(nanos) {
                return;
            }
        }
    }
}

/// The rate at which one of several processes (shards) paces a host they all contact, given its `share` of `rate`.
///
/// The promise is counted in 1 s windows, and processes do not coordinate: each may put its most requests into the
/// same second. So each gets a whole number of requests per second, `floor(rate × share)`, which N shards together
/// cannot exceed (10/s over 3 shards: 3/s each, at most 9 in any second; 10/3 = 3.33/s each would allow 4 each, 12).
/// Below one request per second the share is kept as it is: the shards then hold the rate on average over `1 / (rate ×
/// share)` seconds, not in every single second (docs/kubernetes.md).
fn shard_rate(rate: f64, share: f64) -> f64 {
    if share >= 1.0 {
        return rate;
    }
    let whole = (rate * share).floor();
    if whole >= 1.0 {
        whole
    } else {
        rate * share
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[tokio::test]
    async fn spaces_requests_to_one_host_and_not_across_hosts() {
        let p = HostPacer::new(0.0);
        p.limit_rate("a:80", 20.0); // 50 ms
        let t0 = Instant::now();
        for _ in 0..5 {
            p.wait("a:80", 20.0).await;
        }
        let el = t0.elapsed();
        assert!(el >= Duration::from_millis(195), "5 requests at 20/s took {el:?}");
        // Another host is not slowed by the first (it only waits its own first interval).
        let t1 = Instant::now();
        p.wait("b:80", 20.0).await;
        let el = t1.elapsed();
        assert!(el >= Duration::from_millis(45) && el < Duration::from_millis(120), "{el:?}");
    }

    #[tokio::test]
    async fn slowest_rate_wins_and_switch_has_no_burst() {
        let p = HostPacer::new(0.0);
        p.limit_rate("a:80", 100.0);
        p.wait("a:80", 100.0).await;
        // A crawl-delay of 200 ms arrives; the next request must wait ~200 ms, not go at once.
        p.limit_interval("a:80", Duration::from_millis(200));
        // A faster declaration never speeds the host up again.
        p.limit_rate("a:80", 1000.0);
        assert_eq!(p.interval("a:80"), Some(Duration::from_millis(200)));
        let t0 = Instant::now();
        p.wait("a:80", 100.0).await;
        assert!(t0.elapsed() >= Duration::from_millis(190), "waited {:?}", t0.elapsed());
    }

    #[tokio::test]
    async fn requests_already_waiting_when_the_host_slows_down_keep_the_new_interval() {
        let p = Arc::new(HostPacer::new(0.0));
        p.limit_interval("a:80", Duration::from_millis(50));
        let waiters: Vec<_> = (0..4)
            .map(|_| {
                let p = p.clone();
                tokio::spawn(async move {
                    p.wait("a:80", 20.0).await;
                    Instant::now()
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(10)).await;
        // A Crawl-delay of 400 ms is read while the four wait on the 50 ms interval.
        p.limit_interval("a:80", Duration::from_millis(400));
        let mut at = Vec::new();
        for w in waiters {
            at.push(w.await.unwrap());
        }
        at.sort();
        for pair in at.windows(2) {
            let gap = pair[1] - pair[0];
            assert!(gap >= Duration::from_millis(390), "two requests {gap:?} apart after the host moved to 400 ms");
        }
    }

    #[tokio::test]
    async fn a_pause_holds_every_request_until_it_ends() {
        let p = HostPacer::new(0.0);
        p.limit_rate("a:80", 1000.0);
        p.wait("a:80", 1000.0).await;
        let t0 = Instant::now();
        p.pause_until("a:80", t0 + Duration::from_millis(300));
        p.pause_until("a:80", t0 + Duration::from_millis(100)); // never shortens
        p.wait("a:80", 1000.0).await;
        assert!(t0.elapsed() >= Duration::from_millis(300), "waited {:?}", t0.elapsed());
        // Other hosts are not paused.
        let t1 = Instant::now();
        p.wait("b:80", 1000.0).await;
        assert!(t1.elapsed() < Duration::from_millis(100));
        assert!(p.suspended("a:80").is_none());
        p.suspend("a:80", "asked for a day".into());
        assert_eq!(p.suspended("a:80").as_deref(), Some("asked for a day"));
    }

    #[test]
    fn margin_lengthens_interval() {
        let p = HostPacer::new(0.05);
        let i = p.limit_rate("a:80", 5.0);
        assert_eq!(i, Duration::from_millis(210));
    }

    #[tokio::test]
    async fn undeclared_hosts_get_their_share_of_the_rate() {
        let p = HostPacer::new(0.0).with_undeclared_share(0.25);
        p.limit_rate("site.gov.cn:80", 4.0);
        p.wait("site.gov.cn:80", 4.0).await;
        p.wait("beian.miit.gov.cn:80", 4.0).await;
        assert_eq!(p.interval("site.gov.cn:80"), Some(Duration::from_millis(250)), "declared hosts keep their rate");
        assert_eq!(p.interval("beian.miit.gov.cn:80"), Some(Duration::from_secs(1)), "4/s × 0.25 = 1/s");
    }

    #[test]
    fn shards_get_whole_requests_per_second_so_their_sum_holds_in_every_second() {
        assert_eq!(shard_rate(10.0, 1.0 / 3.0), 3.0, "3 × 3 ≤ 10 in any second; 3.33 each would allow 4 each");
        assert_eq!(shard_rate(2.0, 0.5), 1.0);
        assert_eq!(shard_rate(2.0, 1.0), 2.0);
        assert!((shard_rate(2.0, 0.25) - 0.5).abs() < 1e-12, "below 1/s the share stands");
    }
}
