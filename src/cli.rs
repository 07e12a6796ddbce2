//! Command-line syntax (docs/sites.md). Values given here override sites.toml.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "gongkai",
    version,
    about = "政府网站检查: crawl Chinese government websites politely, archive them as WARC, score them against a rubric and write ranked reports",
    after_help = "Exit status: 0 done, 2 bad usage or a bad input file, 3 (check only) the site could not be read and was not assessed (未检查), 4 (check only) the site was assessed 不合格 (see check --fail-on), 1 anything else. Every command and flag: docs/commands.md.\nA site that could not be read (home page not fetched, crawl unfinished, fewer pages than the rubric's min_pages) is \"status\": \"not_assessed\" in results.json: no score, no findings, ranked apart, on neither list unless veto.unreachable fires from probe data."
)]
pub struct Cli {
    /// More log output on standard error (-v, -vv).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// Configuration file, e.g. `--config 省办.toml` (operator and contact for the User-Agent and WARC files; the
    /// 通报's issuing office, 文号, 主送, deadline; docs/configuration.md); default: ./gongkai.toml when present.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

/// `--period`, shared by run, score and report.
const PERIOD_HELP: &str = "The month assessed, e.g. `--period 2026-11`, as the 通报's title names it; default: the month of T0 (--as-of). A November assessment scored on 2 December without --as-of needs it.";

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
    /// Merge the shards of a sharded run (`run --shard`) into one ranked results.json and every report.
    Merge(MergeArgs),
    /// Self-check one site: crawl (10 requests/s per host unless --rate), score and print the findings, most serious
    /// first, each with how to fix it. Example: `gongkai check https://www.example.gov.cn/ --out 自查`.
    ///
    /// Exit status (docs/commands.md): 0 assessed and not 不合格, 4 assessed 不合格 (with `--fail-on 不合格`, the
    /// default), 3 not assessed (未检查: the home page could not be fetched, or too little of the site was read to score
    /// it; nothing is deducted), 2 bad usage or a bad input file, 1 any other failure.
    Check(CheckArgs),
    /// Serve the sample province on loopback until interrupted (for trying the crawler by hand).
    Sample(SampleArgs),
    /// Maintain a store: rebuild its index from the WARC files, or check index and WARC files against each other.
    #[command(subcommand)]
    Store(StoreCommand),
    /// Export the store (or chosen snapshots) as a WACZ package, and/or its sorted CDXJ index (docs/replay.md).
    Export(ExportArgs),
    /// Replay archived pages over HTTP on loopback (docs/replay.md); the reports' 存档 links open here.
    Serve(ServeArgs),
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
    /// The store directory, e.g. `--store store` (WARC files and their index).
    #[arg(long, value_name = "DIR")]
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
    /// Sites crawled at once (default: all of them, each paced by its own hosts' rate; set it only to crawl fewer at
    /// a time, e.g. `--concurrency 50`).
    #[arg(long)]
    pub concurrency: Option<usize>,
    /// Requests in flight at once over the whole crawl (default 256): bounds open connections and memory, never the
    /// pace at any host.
    #[arg(long, value_name = "N")]
    pub max_in_flight: Option<usize>,
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
    /// Longest wait for one answer, e.g. `30s` (the default): a request not answered in full by then is recorded as
    /// 超时 (and tried again like other timeouts); the connection itself must open within 10 s.
    #[arg(long, value_name = "DURATION")]
    pub request_timeout: Option<String>,
    /// Link checks over the network per site (sites.toml `max_link_checks`, default 2000); the rest are recorded as
    /// not checked.
    #[arg(long)]
    pub max_link_checks: Option<u32>,
    /// Contact no host outside the --resolve map: links elsewhere are recorded as not checked (tests, staging mirrors).
    #[arg(long)]
    pub resolved_only: bool,
    /// Trust the root certificates of this PEM file too, besides the usual public roots (a province's own CA, a test
    /// CA), repeatable. A site whose certificate still does not verify is fetched anyway and reported (证书无效).
    #[arg(long, value_name = "PEM")]
    pub ca_file: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to write the reports (default: ./gongkai-demo).
    #[arg(long)]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub replay: ReplayFlags,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// The list of sites to assess, e.g. `--sites sites.toml` (format: docs/sites.md).
    #[arg(long, value_name = "FILE")]
    pub sites: PathBuf,
    /// Where to write results.json and every report, e.g. `--out 2026-11` (created if missing).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The WARC store to crawl into, e.g. `--store /data/gongkai-store`; default: OUT/store.
    #[arg(long, value_name = "DIR")]
    pub store: Option<PathBuf>,
    /// Rubric file, e.g. `--rubric config/rubrics/guoban-2019.toml`; default: the shipped default rubric (docs/rules.md).
    #[arg(long, value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    /// T0: `2026-11-01` (end of that day, Asia/Shanghai) or RFC 3339, e.g. `2026-11-30T23:59:59+08:00`; default: now.
    #[arg(long)]
    pub as_of: Option<String>,
    /// An assessor's manual findings (a bonus or deduction, each with its reason), e.g. `--adjustments 复核.toml`
    /// (docs/commands.md).
    #[arg(long, value_name = "FILE")]
    pub adjustments: Option<PathBuf>,
    /// 网站临时报备: planned downtime sites filed, whose probes do not count for availability, e.g.
    /// `--filings 报备.toml` (docs/commands.md).
    #[arg(long, value_name = "FILE")]
    pub filings: Option<PathBuf>,
    /// Working-day calendar (holidays and make-up working days by year); default: the shipped config/calendars/cn.toml.
    #[arg(long)]
    pub calendar: Option<PathBuf>,
    /// The previous month's results.json, for the month-over-month comparison.
    #[arg(long)]
    pub previous: Option<PathBuf>,
    #[arg(long, value_name = "YYYY-MM", help = PERIOD_HELP)]
    pub period: Option<String>,
    /// Run one shard of a sharded run: `I/N`, index I (from 0) of N shards. Sites sharing a host stay in one shard
    /// (docs/kubernetes.md); needs --as-of, so that every shard has the same T0. Combine with `gongkai merge`.
    #[arg(long, value_name = "I/N", conflicts_with = "shards")]
    pub shard: Option<String>,
    /// Run one shard of N, its index read from JOB_COMPLETION_INDEX (as a Kubernetes Indexed Job sets it).
    #[arg(long, value_name = "N")]
    pub shards: Option<String>,
    #[command(flatten)]
    pub replay: ReplayFlags,
    #[command(flatten)]
    pub crawl: CrawlFlags,
}

/// `gongkai merge`: the shards' results.json files combined and ranked as one assessment.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// The shards' results.json files, or their output directories (holding results.json).
    #[arg(long, required = true, num_args = 1..)]
    pub results: Vec<PathBuf>,
    /// Where to write the merged results.json and every report, e.g. `--out 2026-11`.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The rubric the shards used (default: the shipped rubric named by the results' rubric id); refused when its id
    /// or version differs from the results'.
    #[arg(long)]
    pub rubric: Option<PathBuf>,
    /// The previous month's results.json, for the month-over-month comparison.
    #[arg(long)]
    pub previous: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CrawlArgs {
    /// The list of sites to assess, e.g. `--sites sites.toml` (format: docs/sites.md).
    #[arg(long, value_name = "FILE")]
    pub sites: PathBuf,
    /// The WARC store to crawl into, e.g. `--store store` (created if missing; a crawl there resumes).
    #[arg(long, value_name = "DIR")]
    pub store: PathBuf,
    #[command(flatten)]
    pub crawl: CrawlFlags,
}

#[derive(Debug, Args)]
pub struct MonitorArgs {
    /// The list of sites to assess, e.g. `--sites sites.toml` (format: docs/sites.md).
    #[arg(long, value_name = "FILE")]
    pub sites: PathBuf,
    /// The store the probes are kept in, e.g. `--store store` (the one `crawl` and `score` use).
    #[arg(long, value_name = "DIR")]
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
    /// The store to score, e.g. `--store store` (read only; no network).
    #[arg(long, value_name = "DIR")]
    pub store: PathBuf,
    /// Where to write results.json, e.g. `--out 2026-11`.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Rubric file, e.g. `--rubric config/rubrics/guoban-2019.toml`; default: the shipped default rubric (docs/rules.md).
    #[arg(long, value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    /// T0: `2026-11-01` (end of that day, Asia/Shanghai) or RFC 3339, e.g. `2026-11-30T23:59:59+08:00`; default: now.
    #[arg(long)]
    pub as_of: Option<String>,
    /// An assessor's manual findings (a bonus or deduction, each with its reason), e.g. `--adjustments 复核.toml`
    /// (docs/commands.md).
    #[arg(long, value_name = "FILE")]
    pub adjustments: Option<PathBuf>,
    /// 网站临时报备: planned downtime sites filed, whose probes do not count for availability, e.g.
    /// `--filings 报备.toml` (docs/commands.md).
    #[arg(long, value_name = "FILE")]
    pub filings: Option<PathBuf>,
    /// Working-day calendar (holidays and make-up working days by year); default: the shipped config/calendars/cn.toml.
    #[arg(long)]
    pub calendar: Option<PathBuf>,
    #[arg(long, value_name = "YYYY-MM", help = PERIOD_HELP)]
    pub period: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The results.json to report on, e.g. `--results 2026-11/results.json`.
    #[arg(long, value_name = "FILE")]
    pub results: PathBuf,
    /// Where to write the reports, e.g. `--out 2026-11`.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The previous month's results.json, for the month-over-month comparison, e.g. `--previous 2026-10/results.json`.
    #[arg(long, value_name = "FILE")]
    pub previous: Option<PathBuf>,
    /// The month assessed, e.g. `--period 2026-11`; default: the results' `assessment.period` (else the month of T0).
    #[arg(long, value_name = "YYYY-MM")]
    pub period: Option<String>,
    /// The store the results were scored from: with it, screenshots of the vetoes' archived evidence pages are taken.
    #[arg(long)]
    pub store: Option<PathBuf>,
    #[command(flatten)]
    pub replay: ReplayFlags,
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
    /// T0, e.g. `2026-11-30` (end of that day, Asia/Shanghai) or `2026-11-30T09:30:00+08:00`; default: now.
    #[arg(long)]
    pub as_of: Option<String>,
    /// Working-day calendar (holidays and make-up working days by year), e.g. `my-calendar.toml`; default: the
    /// shipped config/calendars/cn.toml.
    #[arg(long)]
    pub calendar: Option<PathBuf>,
    /// Keep the results in DIR, e.g. `--out 自查`: the 整改清单 (sites/<id>.html and sites/<id>.xlsx), results.json
    /// and the WARC store (DIR/store). Without it nothing is kept.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print the site's result (one site of results.json, as JSON) on standard output and nothing else there; the
    /// findings in words go to standard error.
    #[arg(long)]
    pub json: bool,
    /// Rubric file, e.g. `--rubric config/rubrics/guoban-2019.toml`; default: the shipped default rubric.
    #[arg(long, value_name = "FILE")]
    pub rubric: Option<PathBuf>,
    /// When to exit non-zero: `不合格` (default: 4 for a 不合格 site, 3 for 未检查), `未检查` (3 for 未检查 only) or
    /// `never` (0 whenever the check ran). English `fail` and `unassessed` are accepted too.
    #[arg(long, value_name = "WHEN", default_value = "不合格")]
    pub fail_on: String,
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

/// `gongkai export`: a WACZ 1.1.1 package and/or a CDXJ index (docs/replay.md).
#[derive(Debug, Args)]
pub struct ExportArgs {
    #[arg(long)]
    pub store: PathBuf,
    /// Write a WACZ package here, e.g. `2026-11.wacz`.
    #[arg(long, value_name = "FILE", required_unless_present = "cdxj")]
    pub wacz: Option<PathBuf>,
    /// Only these snapshots, repeatable: `latest` (every site's latest), `SITE` (its latest) or `SITE:SEQ`; default:
    /// the whole store.
    #[arg(long, value_name = "SNAPSHOT")]
    pub snapshot: Vec<String>,
    /// Write the sorted CDXJ index of every WARC file of the store here (file names relative to the store).
    #[arg(long, value_name = "FILE")]
    pub cdxj: Option<PathBuf>,
}

/// `gongkai serve`: built-in replay of a store (docs/replay.md).
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[arg(long)]
    pub store: PathBuf,
    /// Port to listen on (0 = any free port; the address is printed on standard output).
    #[arg(long, default_value_t = 8780)]
    pub port: u16,
    /// Address to listen on: loopback by default; anything else exposes the archive to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// The results.json whose findings the banner lists (default: results.json beside the store, if there is one).
    #[arg(long, value_name = "FILE")]
    pub results: Option<PathBuf>,
}

/// Where the reports' 存档 links go, and the vetoes' screenshots (docs/replay.md).
#[derive(Debug, Args, Clone, Default)]
pub struct ReplayFlags {
    /// Replay server of the 存档 links: `gongkai serve`'s address (default http://127.0.0.1:8780), a pywb collection
    /// URL with `--replay-style pywb` (http://127.0.0.1:8080/gongkai), or a template with {timestamp}, {url}, {record}.
    #[arg(long, value_name = "URL")]
    pub replay_base: Option<String>,
    /// `gongkai` (`/record/<id>`, default) or `pywb` (`/<timestamp>id_/<url>`).
    #[arg(long, value_name = "STYLE")]
    pub replay_style: Option<String>,
    /// Do not take screenshots of the vetoes' archived evidence pages (headless Chromium).
    #[arg(long)]
    pub no_screenshots: bool,
}
