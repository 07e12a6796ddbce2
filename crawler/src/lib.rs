//! gongkai-crawler: the part of gongkai that talks to government servers, so it must be fast and impeccably polite.
//!
//! - [`crawl`]: snapshot every site into the [`gongkai_archive::Store`] (resumable), check every link found;
//! - [`monitor`]: probe home pages on a schedule for availability scoring;
//! - [`CrawlOptions`]: User-Agent, `--resolve`, rate, concurrency, budgets, time-outs, caps, retries;
//! - [`Progress`]: progress reporting ([`stderr_progress`]: a bar on a terminal, plain lines otherwise).
//!
//! Politeness, in one place ([`pacer`]): one limit per host (governor keyed limiter, burst 1) shared by pages,
//! robots.txt, link checks and probes, slowed further by robots.txt Crawl-delay up to a cap. robots.txt (RFC 9309) is
//! read for every host touched ([`robots`]). The archived bytes are exactly what the server sent ([`http`]), up to the
//! body caps (then archived as truncated). No connection goes to a private, loopback, link-local or multicast address
//! unless the host is a configured site's or `--resolve`d ([`netpolicy`]).

pub mod discover;
pub mod engine;
pub mod http;
pub mod monitor;
pub mod netpolicy;
pub mod options;
pub mod pacer;
pub mod progress;
pub mod robots;
pub mod urls;

pub use engine::{crawl, CrawlSummary, SiteSummary};
pub use monitor::{monitor, MonitorOptions, MonitorSummary};
pub use options::{CrawlOptions, ResolveOverride, DEFAULT_USER_AGENT};
pub use progress::{stderr_progress, BarProgress, CountingProgress, LineProgress, NoProgress, Progress, ProgressEvent};
