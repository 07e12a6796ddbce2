//! Progress on standard error: a bar on a terminal, plain lines otherwise (docs/commands.md: standard output carries only
//! what the command was asked for).

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Something that happened during a crawl or a monitor round.
#[derive(Debug, Clone)]
pub enum ProgressEvent<'a> {
    /// A site's crawl began (`resumed`: continuing an interrupted snapshot).
    SiteStarted { site_id: &'a str, resumed: bool },
    /// A response was archived. `left`: the site's URLs queued and not yet fetched (up to its page budget), and
    /// `rate` its pace in requests per second: together they give the politeness-bound time the site still needs.
    Fetched { site_id: &'a str, url: &'a str, status: u16, left: u64, rate: f64 },
    /// A fetch failed after its retries.
    Failed { site_id: &'a str, url: &'a str, error: &'a str },
    /// A site's crawl finished.
    SiteFinished { site_id: &'a str, pages: u64, requisites: u64, errors: u64 },
    /// A home-page probe was stored.
    Probed { site_id: &'a str, ok: bool, duration_ms: u64 },
    /// Something worth telling the user (a capped Crawl-delay, an unreachable robots.txt).
    Note(&'a str),
}

/// Receives progress events. Implementations must be cheap: events arrive for every page.
pub trait Progress: Send + Sync {
    /// The run starts with this many sites.
    fn begin(&self, _sites: usize) {}
    fn event(&self, event: ProgressEvent<'_>);
    /// The run is over.
    fn finish(&self) {}
}

/// Discards everything.
pub struct NoProgress;

impl Progress for NoProgress {
    fn event(&self, _event: ProgressEvent<'_>) {}
}

/// The right reporter for standard error: a bar on a terminal, plain lines otherwise.
pub fn stderr_progress() -> Box<dyn Progress> {
    if std::io::stderr().is_terminal() {
        Box::new(BarProgress::new())
    } else {
        Box::new(LineProgress::new(Duration::from_secs(10)))
    }
}

#[derive(Default)]
struct Counters {
    sites_total: AtomicU64,
    sites_done: AtomicU64,
    pages: AtomicU64,
    errors: AtomicU64,
    probes: AtomicU64,
    /// Site → seconds it still needs at its own pace (queued URLs / rate), for the "at least" ETA.
    left: Mutex<std::collections::HashMap<String, f64>>,
}

impl Counters {
    fn apply(&self, e: &ProgressEvent<'_>) {
        match e {
            ProgressEvent::Fetched { site_id, left, rate, .. } => {
                self.pages.fetch_add(1, Ordering::Relaxed);
                let secs = if *rate > 0.0 { *left as f64 / rate } else { 0.0 };
                self.left.lock().unwrap_or_else(|e| e.into_inner()).insert(site_id.to_string(), secs);
            }
            ProgressEvent::Failed { .. } => {
                self.errors.fetch_add(1, Ordering::Relaxed);
            }
            ProgressEvent::SiteFinished { site_id, .. } => {
                self.sites_done.fetch_add(1, Ordering::Relaxed);
                self.left.lock().unwrap_or_else(|e| e.into_inner()).remove(*site_id);
            }
            ProgressEvent::Probed { .. } => {
                self.probes.fetch_add(1, Ordering::Relaxed);
            }
            _ => {}
        }
    }

    fn line(&self, elapsed: Duration) -> String {
        let pages = self.pages.load(Ordering::Relaxed);
        let rate = pages as f64 / elapsed.as_secs_f64().max(0.001);
        let probes = self.probes.load(Ordering::Relaxed);
        if pages == 0 && probes > 0 {
            return format!("探测 {probes} 次");
        }
        let mut s = format!(
            "网站 {}/{}  页面 {}  错误 {}  每秒 {:.1} 页",
            self.sites_done.load(Ordering::Relaxed),
            self.sites_total.load(Ordering::Relaxed),
            pages,
            self.errors.load(Ordering::Relaxed),
            rate
        );
        if probes > 0 {
            s.push_str(&format!("  探测 {probes} 次"));
        }
        if let Some(eta) = self.eta() {
            s.push_str(&format!("  按各站速率至少还需 {}", duration_zh(eta)));
        }
        s
    }

    /// The politeness bound on the time left: the slowest active site's queued URLs at its own pace. A lower bound
    /// (pages not yet discovered are not counted), and exact for the busiest site once its frontier is known.
    fn eta(&self) -> Option<Duration> {
        let left = self.left.lock().unwrap_or_else(|e| e.into_inner());
        let secs = left.values().copied().fold(0.0_f64, f64::max);
        (secs >= 1.0).then(|| Duration::from_secs_f64(secs))
    }
}

/// An indicatif bar: sites done of total, with pages, errors and rate in the message.
pub struct BarProgress {
    bar: ProgressBar,
    counters: Counters,
    start: Instant,
}

impl BarProgress {
    pub fn new() -> Self {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} 个网站  {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        BarProgress { bar, counters: Counters::default(), start: Instant::now() }
    }
}

impl Default for BarProgress {
    fn default() -> Self {
        Self::new()
    }
}

impl Progress for BarProgress {
    fn begin(&self, sites: usize) {
        self.counters.sites_total.store(sites as u64, Ordering::Relaxed);
        self.bar.set_length(sites as u64);
    }

    fn event(&self, e: ProgressEvent<'_>) {
        self.counters.apply(&e);
        match e {
            ProgressEvent::SiteFinished { .. } => self.bar.inc(1),
            ProgressEvent::Note(n) => self.bar.println(n),
            _ => {}
        }
        let pages = self.counters.pages.load(Ordering::Relaxed);
        let errors = self.counters.errors.load(Ordering::Relaxed);
        let rate = pages as f64 / self.start.elapsed().as_secs_f64().max(0.001);
        let eta = self.counters.eta().map(|d| format!("  至少还需 {}", duration_zh(d))).unwrap_or_default();
        self.bar.set_message(format!("页面 {pages}  错误 {errors}  每秒 {rate:.1} 页{eta}"));
    }

    fn finish(&self) {
        self.bar.finish_with_message(self.counters.line(self.start.elapsed()));
    }
}

/// Plain lines on standard error: one per site started and finished, one summary line at most every `every`.
pub struct LineProgress {
    counters: Counters,
    start: Instant,
    every: Duration,
    last: Mutex<Instant>,
}

impl LineProgress {
    pub fn new(every: Duration) -> Self {
        LineProgress { counters: Counters::default(), start: Instant::now(), every, last: Mutex::new(Instant::now()) }
    }
}

impl Progress for LineProgress {
    fn begin(&self, sites: usize) {
        self.counters.sites_total.store(sites as u64, Ordering::Relaxed);
    }

    fn event(&self, e: ProgressEvent<'_>) {
        self.counters.apply(&e);
        match &e {
            ProgressEvent::SiteStarted { site_id, resumed } => {
                eprintln!("抓取 {site_id}：{}", if *resumed { "继续上次未完成的抓取" } else { "开始" })
            }
            ProgressEvent::SiteFinished { site_id, pages, requisites, errors } => {
                eprintln!("抓取 {site_id}：完成，页面 {pages} 个，页面资源 {requisites} 个，错误 {errors} 个")
            }
            ProgressEvent::Note(n) => eprintln!("{n}"),
            _ => {}
        }
        let mut last = self.last.lock().unwrap();
        if last.elapsed() >= self.every {
            *last = Instant::now();
            eprintln!("{}", self.counters.line(self.start.elapsed()));
        }
    }

    fn finish(&self) {
        eprintln!("{}", self.counters.line(self.start.elapsed()));
    }
}

/// `3 小时 05 分`, `12 分 08 秒`, `40 秒`.
fn duration_zh(d: Duration) -> String {
    let s = d.as_secs();
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, sec) => format!("{sec} 秒"),
        (0, m, sec) => format!("{m} 分 {sec:02} 秒"),
        (h, m, _) => format!("{h} 小时 {m:02} 分"),
    }
}

/// Counts events (for tests and for callers that want totals).
#[derive(Default)]
pub struct CountingProgress {
    counters: Counters,
    notes: Mutex<Vec<String>>,
}

impl CountingProgress {
    pub fn pages(&self) -> u64 {
        self.counters.pages.load(Ordering::Relaxed)
    }
    pub fn errors(&self) -> u64 {
        self.counters.errors.load(Ordering::Relaxed)
    }
    pub fn sites_done(&self) -> u64 {
        self.counters.sites_done.load(Ordering::Relaxed)
    }
    pub fn notes(&self) -> Vec<String> {
        self.notes.lock().unwrap().clone()
    }
    /// The politeness bound on the time left (see the summary line): None when under a second.
    pub fn eta(&self) -> Option<Duration> {
        self.counters.eta()
    }
}

impl Progress for CountingProgress {
    fn event(&self, e: ProgressEvent<'_>) {
        self.counters.apply(&e);
        if let ProgressEvent::Note(n) = e {
            self.notes.lock().unwrap().push(n.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fetched<'a>(site_id: &'a str, left: u64, rate: f64) -> ProgressEvent<'a> {
        ProgressEvent::Fetched { site_id, url: "http://a.gov.cn/", status: 200, left, rate }
    }

    #[test]
    fn eta_is_the_slowest_active_site_at_its_own_pace() {
        let p = CountingProgress::default();
        assert_eq!(p.eta(), None);
        p.event(fetched("a", 100, 2.0));
        p.event(fetched("b", 30, 0.5));
        assert_eq!(p.eta(), Some(Duration::from_secs(60)), "b: 30 URLs at 0.5/s outlasts a: 100 at 2/s");
        p.event(ProgressEvent::SiteFinished { site_id: "b", pages: 1, requisites: 0, errors: 0 });
        assert_eq!(p.eta(), Some(Duration::from_secs(50)));
        p.event(fetched("a", 0, 2.0));
        assert_eq!(p.eta(), None);
    }

    #[test]
    fn durations_read_in_chinese() {
        assert_eq!(duration_zh(Duration::from_secs(40)), "40 秒");
        assert_eq!(duration_zh(Duration::from_secs(728)), "12 分 08 秒");
        assert_eq!(duration_zh(Duration::from_secs(3 * 3600 + 5 * 60 + 9)), "3 小时 05 分");
    }
}
