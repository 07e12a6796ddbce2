//! gongkai-crawler: the part of gongkai that talks to government servers, so it must be fast and impeccably polite.
//!
//! Its job: take the sites of a `sites.toml`, snapshot each of them into a [`gongkai_archive::Store`] (WARC files and
//! an index), breadth-first from the home page within the site's page and depth budgets, check every link found once,
//! and say what it did. The store is what scoring reads; this crate never judges a site.
//!
//! ```no_run
//! use gongkai_archive::Store;
//! use gongkai_crawler::{crawl, CrawlOptions, NoProgress};
//!
//! # async fn example() -> anyhow::Result<()> {
//! let sites = gongkai_config::load_sites("sites.toml".as_ref())?;
//! let store = Store::open("store/")?;
//! let mut opts = CrawlOptions::default();
//! opts.max_pages = Some(200); // a quick look rather than the sites' own budgets
//! let summary = crawl(&sites, &store, &opts, &NoProgress).await?;
//! for site in &summary.sites {
//!     println!("{}: {} pages, {} broken links", site.site_id, site.pages, site.broken_links);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! Running the same crawl again after a kill continues it; running it after it completed takes new snapshots, with
//! conditional requests for the pages archived before.
//!
//! - [`crawl`]: snapshot every site into the store (resumable), check every link found; [`CrawlSummary`] and
//!   [`SiteSummary`] say what it did;
//! - [`monitor`]: probe home pages on a schedule for availability scoring ([`MonitorOptions`], [`MonitorSummary`]);
//! - [`CrawlOptions`]: User-Agent, `--resolve` ([`ResolveOverride`]), rate, concurrency, budgets, time-outs, caps,
//!   retries;
//! - [`Progress`]: progress reporting ([`stderr_progress`]: a bar on a terminal, plain lines otherwise).
//!
//! Politeness, in one place (the `pacer` module): one limit per host (governor keyed limiter, burst 1) shared by
//! pages, robots.txt, link checks and probes, slowed further by robots.txt Crawl-delay up to a cap. robots.txt
//! (RFC 9309) is read for every host touched (`robots`). The archived bytes are exactly what the server sent (`http`),
//! up to the body caps (then archived as truncated). No connection goes to a private, loopback, link-local or
//! multicast address unless the host is a configured site's or `--resolve`d (`netpolicy`).
//!
//! HTTPS certificates (`tls`): every connection's certificate is read and verified (Mozilla roots plus
//! [`CrawlOptions::extra_roots`], `--ca-file`); a site host whose certificate does not verify is still fetched, without
//! verification, and its problem archived as a `tls` metadata record per host ([`gongkai_archive::TlsCheck`]).
//!
//! # Errors
//! A site that fails to answer is not an error: its failures are recorded in the store as outcomes (fetch failures,
//! broken or not-checked links, failed probes). [`crawl`] and [`monitor`] fail (with an [`anyhow::Error`]) only when
//! the run cannot go on: the store fails, and the error's chain then holds the store's typed
//! [`gongkai_archive::StoreError`] (disk full, read-only, locked; found with `StoreError::find`), or the crawl's run
//! marker (`crawl-run.json`) cannot be written, a site's URL is not http(s), or the HTTP client cannot be built.

mod discover;
mod engine;
mod http;
pub mod ipv6;
mod monitor;
mod netpolicy;
mod options;
mod pacer;
mod progress;
mod robots;
mod tls;
mod urls;

pub use engine::{crawl, CrawlSummary, SiteSummary};
pub use monitor::{monitor, MonitorOptions, MonitorSummary};
pub use options::{CrawlOptions, ResolveOverride, DEFAULT_USER_AGENT};
pub use progress::{stderr_progress, BarProgress, CountingProgress, LineProgress, NoProgress, Progress, ProgressEvent};
