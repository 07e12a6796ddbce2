//! Command-line syntax (CONTRACT.md). Values given here override sites.toml.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "gongkai",
    version,
    about = "政府网站检查: crawl Chinese government websites politely, archive them as WARC, score them against a rubric and write ranked reports",
    after_help = "Exit status: 0 done, 2 bad usage or a bad input file, 3 (check only) the site could not be read and was not assessed (未检查), 1 anything else.\nA site that could not be read (home page not fetched, crawl unfinished, fewer pages than the rubric's min_pages) is \"status\": \"not_assessed\" in results.json: no score, no findings, ranked apart, on neither list unless veto.unreachable fires from probe data."
)]
pub struct Cli {
    /// More log output on standard error (-v, -vv).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start the bundled sample province on loopback, assess it end to end, print where the report is.
    Demo(DemoArgs),
    /// Crawl, score and report in one go.
    Run(RunArgs),
    /// Snapshot every site into the store (WARC + index); run again after a crash and it continues.
    Crawl(CrawlArgs),
    /// Probe home pages on a schedule (availability), storing each probe.
    Monitor(MonitorArgs),
    /// Score the latest snapshot of each site from the store alone (no network); writes results.json.
    Score(ScoreArgs),
    /// Write every report format from a results.json.
    Report(ReportArgs),
    /// Self-check one site: crawl (10 requests/s per host unless --rate), score and print the findings, most serious first.
    ///
    /// Exit status: 0 assessed (whatever the score), 3 not assessed (未检查: the home page could not be fetched, or too
    /// little of the site was read to score it; nothing is deducted), 2 bad usage, 1 any other failure.
    Check(CheckArgs),
    /// Serve the sample province on loopback until interrupted (for trying the crawler by hand).
    Sample(SampleArgs),
    /// Maintain a store: rebuild its index from the WARC files, or check index and WARC files against each other.
    #[command(subcommand)]
    Store(StoreCommand),
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Rebuild the index from the WARC files (the old index directory is kept beside it).
    Rebuild(StoreDirArgs),
    /// Report what is inconsistent between the index and the WARC files (exit 0 when consistent, 1 otherwise).
    Verify(StoreDirArgs),
}

#[derive(Debug, Args)]
pub struct StoreDirArgs {
    #[arg(long)]
    pub store: PathBuf,
}

/// Flags every crawling command takes.
#[derive(Debug, Args, Clone, Default)]
pub struct CrawlFlags {
    /// Connect to ADDR for HOST:PORT (as curl's --resolve), repeatable.
    #[arg(long, value_name = "HOST:PORT:ADDR")]
    pub resolve: Vec<String>,
    /// Requests per second per host, e.g. `2/s`.
    #[arg(long)]
    pub rate: Option<String>,
    /// Hosts crawled at once.
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// Page budget per site.
    #[arg(long)]
    pub max_pages: Option<u32>,
    /// Link depth budget per site.
    #[arg(long)]
    pub max_depth: Option<u32>,
    /// User-Agent header (keep a contact URL in it).
    #[arg(long)]
    pub user_agent: Option<String>,
    /// Longest robots.txt Crawl-delay honoured, e.g. `10s` (the default); a longer one is capped, and reported.
    #[arg(long, value_name = "DURATION")]
    pub crawl_delay_cap: Option<String>,
    /// Longest Retry-After honoured, e.g. `10m` (the default): a host answering 429/503 with Retry-After is paused for
    /// the time asked; one asking for longer is left alone for the rest of the crawl (its pages not fetched, its links
    /// recorded as not checked).
    #[arg(long, value_name = "DURATION")]
    pub retry_after_cap: Option<String>,
    /// Link checks over the network per site (sites.toml `max_link_checks`, default 2000); the rest are recorded as
    /// not checked.
    #[arg(long)]
    pub max_link_checks: Option<u32>,
    /// Contact no host outside the --resolve map: links elsewhere are recorded as not checked (tests, staging mirrors).
    #[arg(long)]
    pub resolved_only: bool,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to write the reports (default: ./gongkai-demo).
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[arg(long)]
    pub sites: PathBuf,
    #[arg(long)]
    pub out: PathBuf,
    /// Default: OUT/store.
    #[arg(long)]
    pub store: Option<PathBuf>,
    #[arg(long)]
    pub rubric: Option<PathBuf>,
    /// T0: `2026-11-01` (end of that day, Asia/Shanghai) or RFC 3339.
    #[arg(long)]
    pub as_of: Option<String>,
    #[arg(long)]
    pub adjustments: Option<PathBuf>,
    /// Working-day calendar (holidays and make-up working days by year); default: the shipped config/calendars/cn.toml.
    #[arg(long)]
    pub calendar: Option<PathBuf>,
    /// The previous month's results.json, for the month-over-month comparison.
    #[arg(long)]
    pub previous: Option<PathBuf>,
    #[command(flatten)]
    pub crawl: CrawlFlags,
}

#[derive(Debug, Args)]
pub struct CrawlArgs {
    #[arg(long)]
    pub sites: PathBuf,
    #[arg(long)]
    pub store: PathBuf,
    #[command(flatten)]
    pub crawl: CrawlFlags,
}

#[derive(Debug, Args)]
pub struct MonitorArgs {
    #[arg(long)]
    pub sites: PathBuf,
    #[arg(long)]
    pub store: PathBuf,
    /// Time between probes of one site, e.g. `72m`.
    #[arg(long, default_value = "72m")]
    pub interval: String,
    /// How long to keep probing, e.g. `7d`; default: one round.
    #[arg(long = "for")]
    pub duration: Option<String>,
    #[command(flatten)]
    pub crawl: CrawlFlags,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    #[arg(long)]
    pub store: PathBuf,
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long)]
    pub rubric: Option<PathBuf>,
    #[arg(long)]
    pub as_of: Option<String>,
    #[arg(long)]
    pub adjustments: Option<PathBuf>,
    /// Working-day calendar (holidays and make-up working days by year); default: the shipped config/calendars/cn.toml.
    #[arg(long)]
    pub calendar: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    #[arg(long)]
    pub results: PathBuf,
    #[arg(long)]
    pub out: PathBuf,
    #[arg(long)]
    pub previous: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site's home page.
    pub url: String,
    /// province | city | county | township | department.
    #[arg(long, default_value = "county")]
    pub level: String,
    /// The site's 政府信息公开 platform when it lives on another host (or under a shared platform's path).
    #[arg(long)]
    pub platform: Option<String>,
    #[arg(long)]
    pub as_of: Option<String>,
    /// Working-day calendar (holidays and make-up working days by year); default: the shipped config/calendars/cn.toml.
    #[arg(long)]
    pub calendar: Option<PathBuf>,
    #[command(flatten)]
    pub crawl: CrawlFlags,
}

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// Loopback port to listen on (0 = any free port).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Write sites.toml (with the port) and ground-truth.json into this directory.
    #[arg(long)]
    pub write: Option<PathBuf>,
    /// T0 the sample's dates are relative to (default: now).
    #[arg(long)]
    pub as_of: Option<String>,
    /// SITESxPAGES, e.g. `31x2000`: the 30 hand-made sites, then plain county portals of PAGES pages each up to SITES
    /// sites (generated as they are requested, for trying big crawls).
    #[arg(long, value_name = "SITESxPAGES")]
    pub scale: Option<String>,
}
