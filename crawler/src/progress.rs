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
    /// A response was archived.
    Fetched { site_id: &'a str, url: &'a str, status: u16 },
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
}

impl Counters {
    fn apply(&self, e: &ProgressEvent<'_>) {
        match e {
            ProgressEvent::Fetched { .. } => {
                self.pages.fetch_add(1, Ordering::Relaxed);
            }
            ProgressEvent::Failed { .. } => {
                self.errors.fetch_add(1, Ordering::Relaxed);
            }
            ProgressEvent::SiteFinished { .. } => {
                self.sites_done.fetch_add(1, Ordering::Relaxed);
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
            return format!("probes {probes}");
        }
        let mut s = format!(
            "sites {}/{}  pages {}  errors {}  {:.1} pages/s",
            self.sites_done.load(Ordering::Relaxed),
            self.sites_total.load(Ordering::Relaxed),
            pages,
            self.errors.load(Ordering::Relaxed),
            rate
        );
        if probes > 0 {
            s.push_str(&format!("  probes {probes}"));
        }
        s
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
            ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} sites  {msg}")
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
        self.bar.set_message(format!("pages {pages}  errors {errors}  {rate:.1}/s"));
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
                eprintln!("crawl {site_id}: {}", if *resumed { "resuming" } else { "started" })
            }
            ProgressEvent::SiteFinished { site_id, pages, requisites, errors } => {
                eprintln!("crawl {site_id}: done, {pages} pages, {requisites} requisites, {errors} errors")
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
}

impl Progress for CountingProgress {
    fn event(&self, e: ProgressEvent<'_>) {
        self.counters.apply(&e);
        if let ProgressEvent::Note(n) = e {
            self.notes.lock().unwrap().push(n.to_string());
        }
    }
}
