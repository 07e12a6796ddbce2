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
//! # Counted where the host counts
//! The interval is kept between the moments requests are *sent*, but the promise is about what the host *receives*:
//! no more than `rate` requests in any one-second window of its own log. Between the two lie our own scheduling (a
//! CPU-bound crawl wakes a task late, then writes its request early), the network and the server's, so two slots
//! 540 ms apart can arrive 400 ms apart (seen in a 2,000-site crawl). A margin on the interval only shrinks that. So
//! each request also holds a [`Turn`] until its answer is in (or it failed), and a host with `n` requests per window
//! gets a new turn only while fewer than `n` of its turns are unanswered or were answered less than a window ago. That
//! holds by causality whatever the delays: the host logged each request before it answered it, and cannot log a
//! request before it was sent. (If `n + 1` requests fell into one window of the host's log, the last one sent would
//! have been sent within a window of the others' answers.) For a well-behaved host it costs nothing: its answers come
//! long before the interval is up. A slow host gets fewer requests, which is what politeness asks.
//!
//! A host can also ask for a pause (429 or 503 with `Retry-After`): [`HostPacer::pause_until`] holds every request to
//! it, whoever sends it, until that moment; [`HostPacer::suspend`] gives a host up for the rest of the crawl (it asked
//! for longer than the crawl's cap).

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::Notify;

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
    /// Host authority → its recent turns (see the module doc).
    windows: HashMap<String, Window>,
    next_turn: u64,
}

/// One host's window: at most `n` turns unanswered or answered less than `span` ago.
struct Window {
    n: usize,
    span: Duration,
    /// (turn id, when its answer came in; None while it is out).
    recent: Vec<(u64, Option<Instant>)>,
    /// Woken when a turn ends.
    ended: Arc<Notify>,
}

impl Window {
    /// The window of a host paced at `interval`, the margin `margin` included: `floor(rate)` requests a second for a
    /// rate of one or more, one request per interval below that.
    fn new(interval: Duration, margin: f64) -> Window {
        let nominal = interval.as_secs_f64() / (1.0 + margin);
        let (n, span) = if nominal <= 1.0 {
            (((1.0 / nominal) + 1e-9).floor().max(1.0) as usize, Duration::from_secs(1))
        } else {
            (1, Duration::from_secs_f64(nominal))
        };
        Window { n, span, recent: Vec::new(), ended: Arc::new(Notify::new()) }
    }

    /// None when a turn may start now; else when to look again (or the notifier, while a turn is still out).
    fn blocked(&mut self, now: Instant) -> Option<(Option<Instant>, Arc<Notify>)> {
        let span = self.span;
        self.recent.retain(|(_, done)| done.map_or(true, |d| d + span > now));
        if self.recent.len() < self.n {
            return None;
        }
        let next = self.recent.iter().filter_map(|(_, d)| d.map(|d| d + span)).min();
        Some((next, self.ended.clone()))
    }
}

/// A request's turn at its host: hold it until the answer is in (headers and body read, or the request failed), then
/// drop it. See the module doc.
#[must_use = "a turn counts until it is dropped: hold it while the request is out"]
pub struct Turn {
    pacer: Option<(Arc<HostPacer>, String, u64)>,
}

impl Turn {
    /// A turn already over (a placeholder while a request takes a new one).
    pub fn ended() -> Turn {
        Turn { pacer: None }
    }

    /// The turn was not used (no request was sent): it is given back without counting against the host.
    pub fn unused(mut self) {
        if let Some((p, host, id)) = self.pacer.take() {
            p.end_turn(&host, id, false);
        }
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        if let Some((p, host, id)) = self.pacer.take() {
            p.end_turn(&host, id, true);
        }
    }
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
                let w = Window::new(Duration::from_nanos(nanos), self.margin);
                match st.windows.get_mut(authority) {
                    Some(cur) => (cur.n, cur.span) = (w.n.min(cur.n), w.span.max(cur.span)),
                    None => {
                        st.windows.insert(authority.to_string(), w);
                    }
                }
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

    /// How many of the host's turns can be out at once (its window's `n`: `floor(rate)`, at least one); None for a
    /// host without a limit yet. More requests than that waiting for the host only wait.
    pub fn turns_at_once(&self, authority: &str) -> Option<usize> {
        self.inner.lock().unwrap().windows.get(authority).map(|w| w.n)
    }

    /// Waits until a request to `authority` is allowed (its pause, if any, is over, its window has room, its interval
    /// has passed), and takes that turn: hold the [`Turn`] until the answer is in. A host never declared is paced at
    /// `default_rate`.
    pub async fn wait(self: &Arc<Self>, authority: &str, default_rate: f64) -> Turn {
        loop {
            if let Some(t) = self.paused_until(authority) {
                tokio::time::sleep_until(t.into()).await;
            }
            self.declared(authority, default_rate);
            self.wait_window(authority).await;
            // The turn is taken before the interval's slot, so that only a request sure to go spends a slot. Taken
            // after, several requests woken by one answer each spent a slot while only one could go, and the host's
            // next request waited a whole interval for every slot spent in vain (a 30-site crawl without the rate
            // margin: 1.38 times its busiest host's bound, 59 s of that host idle).
            let Some(id) = self.start_turn(authority) else { continue };
            let turn = Turn { pacer: Some((self.clone(), authority.to_string(), id)) };
            self.wait_slot(authority, default_rate).await;
            // A pause asked while we waited for the slot holds this request too (requests only ever go later).
            if self.paused_until(authority).is_some() {
                turn.unused();
                continue;
            }
            return turn;
        }
    }

    /// The host's turn if a request may go right now (no pause, room in its window, its interval's slot free),
    /// without waiting; None otherwise. For a request that already holds something scarce (a place in flight) and
    /// must not hold it through a politeness wait.
    pub fn try_turn(self: &Arc<Self>, authority: &str) -> Option<Turn> {
        if self.paused_until(authority).is_some() {
            return None;
        }
        let lim = {
            let mut st = self.inner.lock().unwrap();
            let nanos = st.hosts.get(authority).copied()?;
            Self::limiter(&mut st, nanos)
        };
        let id = self.start_turn(authority)?;
        let turn = Turn { pacer: Some((self.clone(), authority.to_string(), id)) };
        match lim.check_key(&authority.to_string()) {
            Ok(()) => Some(turn),
            Err(_) => {
                turn.unused();
                None
            }
        }
    }

    /// Waits until the host's window has room (it may be taken by another request before this one takes its turn).
    async fn wait_window(&self, authority: &str) {
        loop {
            let (next, ended) = {
                let mut st = self.inner.lock().unwrap();
                match st.windows.get_mut(authority).and_then(|w| w.blocked(Instant::now())) {
                    None => return,
                    Some(b) => b,
                }
            };
            let notified = ended.notified();
            tokio::pin!(notified);
            // Registered before looking again, so a turn ending in between is not missed.
            notified.as_mut().enable();
            let still = self.inner.lock().unwrap().windows.get_mut(authority).and_then(|w| w.blocked(Instant::now()));
            if still.is_none() {
                return;
            }
            match next {
                Some(t) => {
                    tokio::select! {
                        _ = tokio::time::sleep_until(t.into()) => {}
                        _ = notified => {}
                    }
                }
                None => notified.await,
            }
        }
    }

    /// Takes a turn if the host's window has room now.
    fn start_turn(&self, authority: &str) -> Option<u64> {
        let mut st = self.inner.lock().unwrap();
        st.next_turn += 1;
        let id = st.next_turn;
        // Every paced host has a window (made with its interval); one without would have no gate to pass.
        let Some(w) = st.windows.get_mut(authority) else { return Some(id) };
        if w.blocked(Instant::now()).is_some() {
            return None;
        }
        w.recent.push((id, None));
        Some(id)
    }

    fn end_turn(&self, authority: &str, id: u64, used: bool) {
        let mut st = self.inner.lock().unwrap();
        if let Some(w) = st.windows.get_mut(authority) {
            if used {
                if let Some(e) = w.recent.iter_mut().find(|(i, _)| *i == id) {
                    e.1 = Some(Instant::now());
                }
            } else {
                w.recent.retain(|(i, _)| *i != id);
            }
            w.ended.notify_waiters();
        }
    }

    /// The host's interval in nanoseconds, declaring a host never declared at the default rate (which gives it its
    /// window: a turn taken before that would not count).
    fn declared(&self, authority: &str, default_rate: f64) -> u64 {
        let known = self.inner.lock().unwrap().hosts.get(authority).copied();
        match known {
            Some(n) => n,
            None => {
                self.limit_rate(authority, shard_rate(default_rate, self.undeclared_share));
                self.inner.lock().unwrap().hosts[authority]
            }
        }
    }

    async fn wait_slot(&self, authority: &str, default_rate: f64) {
        loop {
            let (nanos, lim) = {
                let nanos = self.declared(authority, default_rate);
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
        let p = Arc::new(HostPacer::new(0.0));
        p.limit_rate("a:80", 20.0); // 50 ms
        let t0 = Instant::now();
        for _ in 0..5 {
            let _ = p.wait("a:80", 20.0).await;
        }
        let el = t0.elapsed();
        assert!(el >= Duration::from_millis(195), "5 requests at 20/s took {el:?}");
        // Another host is not slowed by the first (it only waits its own first interval).
        let t1 = Instant::now();
        let _ = p.wait("b:80", 20.0).await;
        let el = t1.elapsed();
        assert!(el >= Duration::from_millis(45) && el < Duration::from_millis(120), "{el:?}");
    }

    #[tokio::test]
    async fn slowest_rate_wins_and_switch_has_no_burst() {
        let p = Arc::new(HostPacer::new(0.0));
        p.limit_rate("a:80", 100.0);
        let _ = p.wait("a:80", 100.0).await;
        // A crawl-delay of 200 ms arrives; the next request must wait ~200 ms, not go at once.
        p.limit_interval("a:80", Duration::from_millis(200));
        // A faster declaration never speeds the host up again.
        p.limit_rate("a:80", 1000.0);
        assert_eq!(p.interval("a:80"), Some(Duration::from_millis(200)));
        let t0 = Instant::now();
        let _ = p.wait("a:80", 100.0).await;
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
                    let _ = p.wait("a:80", 20.0).await;
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
        let p = Arc::new(HostPacer::new(0.0));
        p.limit_rate("a:80", 1000.0);
        let _ = p.wait("a:80", 1000.0).await;
        let t0 = Instant::now();
        p.pause_until("a:80", t0 + Duration::from_millis(300));
        p.pause_until("a:80", t0 + Duration::from_millis(100)); // never shortens
        let _ = p.wait("a:80", 1000.0).await;
        assert!(t0.elapsed() >= Duration::from_millis(300), "waited {:?}", t0.elapsed());
        // Other hosts are not paused.
        let t1 = Instant::now();
        let _ = p.wait("b:80", 1000.0).await;
        assert!(t1.elapsed() < Duration::from_millis(100));
        assert!(p.suspended("a:80").is_none());
        p.suspend("a:80", "asked for a day".into());
        assert_eq!(p.suspended("a:80").as_deref(), Some("asked for a day"));
    }

    /// Answers slower than the interval: a host at 2/s gets a third request only a second after the first answer,
    /// however early the third slot is (the host's log then never shows three in one second).
    #[tokio::test]
    async fn a_window_counts_from_the_answers() {
        let p = Arc::new(HostPacer::new(0.08));
        p.limit_rate("a:80", 2.0);
        let t0 = Instant::now();
        let first = p.wait("a:80", 2.0).await;
        let second = p.wait("a:80", 2.0).await;
        // Both answers come late: the third slot (1.62 s) would be due before either is a second old.
        tokio::time::sleep_until((t0 + Duration::from_millis(1_400)).into()).await;
        let answered = Instant::now();
        drop(first);
        tokio::time::sleep(Duration::from_millis(100)).await;
        drop(second);
        let _third = p.wait("a:80", 2.0).await;
        let waited = answered.elapsed();
        assert!(waited >= Duration::from_millis(1_000), "third turn {waited:?} after the first answer");
        assert!(waited < Duration::from_millis(1_300), "third turn {waited:?} after the first answer");
        // A turn given back unused does not count.
        let p = Arc::new(HostPacer::new(0.0));
        p.limit_rate("b:80", 100.0);
        for _ in 0..200 {
            p.wait("b:80", 100.0).await.unused();
        }
    }

    /// A task waiting for a turn at `host`; it yields the moment the turn was given (the turn is held until then).
    fn turn_taken_at(p: &Arc<HostPacer>, host: &'static str, rate: f64) -> tokio::task::JoinHandle<Instant> {
        let p = p.clone();
        tokio::spawn(async move {
            let _turn = p.wait(host, rate).await;
            Instant::now()
        })
    }

    #[tokio::test]
    async fn an_answer_ending_wakes_a_waiting_turn() {
        let p = Arc::new(HostPacer::new(0.0));
        p.limit_interval("a:80", Duration::from_secs(2)); // one request per 2 s window
        let t0 = Instant::now();
        let first = p.wait("a:80", 1.0).await; // the declaration spent the first cell: about 2 s
        let waiter = turn_taken_at(&p, "a:80", 1.0);
        tokio::time::sleep(Duration::from_millis(300)).await;
        let answered = Instant::now();
        drop(first);
        let at = waiter.await.unwrap();
        assert!(at >= answered + Duration::from_secs(2), "{:?} after the answer", at - answered);
        assert!(at < answered + Duration::from_millis(2_500), "{:?} after the answer", at - answered);
        assert!(at - t0 >= Duration::from_secs(4));
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn requests_woken_together_spend_no_slot_in_vain() {
        // One request a second, each answered 100 ms after it went: the next may go 1.1 s after the one before.
        // Three requesters wait at once; if each spent an interval slot when the window opened, the one that could go
        // found the slot spent and waited another whole interval.
        let p = Arc::new(HostPacer::new(0.0));
        p.limit_rate("a:80", 1.0);
        let starts = Arc::new(Mutex::new(Vec::new()));
        let t0 = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..3 {
            let (p, starts) = (p.clone(), starts.clone());
            tasks.push(tokio::spawn(async move {
                while t0.elapsed() < Duration::from_millis(5_500) {
                    let turn = p.wait("a:80", 1.0).await;
                    starts.lock().unwrap().push(Instant::now());
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    drop(turn);
                }
            }));
        }
        tokio::time::sleep(Duration::from_millis(5_500)).await;
        for t in tasks {
            t.abort();
        }
        let mut at = starts.lock().unwrap().clone();
        at.sort();
        let gaps: Vec<Duration> = at.windows(2).map(|w| w[1] - w[0]).collect();
        assert!(gaps.iter().all(|g| *g >= Duration::from_millis(1_090)), "{gaps:?}");
        assert!(gaps.iter().all(|g| *g < Duration::from_millis(1_500)), "{gaps:?}");
        assert!(at.len() >= 4, "{gaps:?}");
    }

    #[tokio::test]
    async fn a_host_never_declared_counts_its_first_turn() {
        // A host first seen here, at 2/s: two turns a window. Both answered 200 ms in, the third waits a second
        // from those answers, so the first turn must count although the host had no limit (nor window) before it.
        let p = Arc::new(HostPacer::new(0.0));
        let t0 = Instant::now();
        let first = p.wait("new:80", 2.0).await;
        let second = p.wait("new:80", 2.0).await;
        let third = turn_taken_at(&p, "new:80", 2.0);
        tokio::time::sleep(Duration::from_millis(200)).await;
        let answered = Instant::now();
        drop((first, second));
        let at = third.await.unwrap();
        assert!(at >= answered + Duration::from_secs(1), "{:?} after the answers", at - answered);
        assert!(at - t0 >= Duration::from_secs(1));
    }

    #[tokio::test]
    async fn a_turn_without_waiting_only_when_the_host_can_take_it() {
        let p = Arc::new(HostPacer::new(0.0));
        assert!(p.try_turn("a:80").is_none(), "no limit declared yet");
        p.limit_interval("a:80", Duration::from_millis(200));
        assert!(p.try_turn("a:80").is_none(), "the declaration spent the first slot");
        tokio::time::sleep(Duration::from_millis(220)).await;
        let first = p.try_turn("a:80").expect("the slot is free");
        assert!(p.try_turn("a:80").is_none(), "the next slot is 200 ms away");
        tokio::time::sleep(Duration::from_millis(220)).await;
        // 5/s: five turns a second; with one unanswered the window has room.
        let second = p.try_turn("a:80").expect("room in the window");
        p.pause_until("a:80", Instant::now() + Duration::from_millis(300));
        tokio::time::sleep(Duration::from_millis(220)).await;
        assert!(p.try_turn("a:80").is_none(), "paused");
        drop((first, second));
    }

    #[test]
    fn windows_follow_the_rate() {
        let w = Window::new(Duration::from_millis(540), 0.08);
        assert_eq!((w.n, w.span), (2, Duration::from_secs(1)));
        let w = Window::new(Duration::from_secs_f64(1.08 / 3.0), 0.08);
        assert_eq!((w.n, w.span), (3, Duration::from_secs(1)));
        let w = Window::new(Duration::from_millis(400), 0.0);
        assert_eq!(w.n, 2, "2.5/s: two in a second");
        let w = Window::new(Duration::from_secs(5), 0.0);
        assert_eq!((w.n, w.span), (1, Duration::from_secs(5)), "a Crawl-delay of 5 s");
    }

    #[test]
    fn turns_at_once_follow_the_host_limit() {
        let p = HostPacer::new(0.08);
        p.limit_rate("a:80", 2.0);
        p.limit_rate("b:80", 0.5);
        p.limit_rate("c:80", 1_000_000.0);
        assert_eq!(p.turns_at_once("a:80"), Some(2));
        assert_eq!(p.turns_at_once("b:80"), Some(1));
        assert!(p.turns_at_once("c:80").unwrap() > 1000);
        assert_eq!(p.turns_at_once("d:80"), None, "no limit declared yet");
        p.limit_interval("a:80", Duration::from_secs(3)); // a Crawl-delay read later
        assert_eq!(p.turns_at_once("a:80"), Some(1));
    }

    #[test]
    fn margin_lengthens_interval() {
        let p = HostPacer::new(0.05);
        let i = p.limit_rate("a:80", 5.0);
        assert_eq!(i, Duration::from_millis(210));
    }

    #[tokio::test]
    async fn undeclared_hosts_get_their_share_of_the_rate() {
        let p = Arc::new(HostPacer::new(0.0).with_undeclared_share(0.25));
        p.limit_rate("site.gov.cn:80", 4.0);
        let _ = p.wait("site.gov.cn:80", 4.0).await;
        let _ = p.wait("beian.miit.gov.cn:80", 4.0).await;
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
