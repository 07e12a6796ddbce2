//! Crawler benchmarks against the sample province at scale (plain generated county portals on loopback). Not part of
//! `cargo test`; run in release:
//!
//! ```text
//! cargo bench -p gongkai-crawler --bench crawl -- polite      # (1) 40 hosts × 200 pages at 5/s: wall vs the 40 s bound
//! cargo bench -p gongkai-crawler --bench crawl -- unlimited   # (2) rate lifted: pages/s, gongkai vs wget --recursive --warc-file
//! cargo bench -p gongkai-crawler --bench crawl -- memory      # (3) peak RSS of a 100,000-page crawl (500 × 200)
//! ```
//! Figures are printed as `RESULT key=value` lines.

use gongkai_archive::Store;
use gongkai_crawler::{crawl, CrawlOptions, NoProgress};
use gongkai_sample::{Province, SampleServer, Scale};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn province(sites: usize, pages: usize) -> Arc<Province> {
    Arc::new(Province::generate_plain(
        gongkai_sample::DEFAULT_SEED,
        gongkai_sample::default_t0(),
        Scale { sites, pages_per_site: pages },
    ))
}

fn options(server: &SampleServer, rate: f64, concurrency: usize) -> CrawlOptions {
    let mut o = CrawlOptions::default();
    o.add_resolves(&server.resolve_args()).unwrap();
    o.only_resolved_hosts = true;
    o.rate = Some(rate);
    o.concurrency = concurrency;
    if let Some(n) = std::env::var("BENCH_PER_SITE").ok().and_then(|v| v.parse().ok()) {
        o.per_site_parallelism = n;
    }
    o
}

fn sites(server: &SampleServer) -> Vec<gongkai_config::Site> {
    gongkai_config::parse_sites(&server.sites_toml(), "sites.toml").unwrap()
}

fn run_crawl(sites: &[gongkai_config::Site], store: &Store, opts: &CrawlOptions) -> (Duration, u64) {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let t0 = Instant::now();
    let s = rt.block_on(crawl(sites, store, opts, &NoProgress)).unwrap();
    (t0.elapsed(), s.pages)
}

fn polite() {
    let server = SampleServer::start(province(40, 200)).unwrap();
    let sites = sites(&server);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let (took, pages) = run_crawl(&sites, &store, &options(&server, 5.0, 40));
    let log = server.request_log();
    let per_host = log.len() as f64 / 40.0;
    let bound = per_host / 5.0;
    println!(
        "RESULT polite.sites=40 polite.pages={pages} polite.requests={} polite.wall_s={:.2}",
        log.len(),
        took.as_secs_f64()
    );
    println!(
        "RESULT polite.bound_s={bound:.1} (requests per host / 5) polite.ratio={:.3} (vs 40 s: {:.3})",
        took.as_secs_f64() / bound,
        took.as_secs_f64() / 40.0
    );
}

fn count_pages_in_warcs(dir: &std::path::Path) -> usize {
    // wget's WARC: count response records with warcio (independent reader).
    let mut n = 0;
    for f in gongkai_archive::testing::warc_files_under(dir).unwrap_or_default() {
        let out = Command::new("warcio").args(["index", "-f", "warc-type"]).arg(&f).output();
        if let Ok(out) = out {
            n += String::from_utf8_lossy(&out.stdout).lines().filter(|l| l.contains("\"response\"")).count();
        }
    }
    n
}

fn unlimited() {
    let n_sites = 40;
    let server = SampleServer::start(province(n_sites, 200)).unwrap();
    let sites = sites(&server);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path().join("store")).unwrap();
    let (took, pages) = run_crawl(&sites, &store, &options(&server, 1_000_000.0, 40));
    let ours = pages as f64 / took.as_secs_f64();
    println!("RESULT unlimited.gongkai.pages={pages} wall_s={:.2} pages_per_s={ours:.0}", took.as_secs_f64());

    // wget through the sample server as an HTTP proxy, so the sites' real host names are used without DNS. Two ways:
    // one recursive process per site all at once (the same concurrency as ours), and one process after another (how
    // wget is usually run: it fetches one URL at a time).
    let proxy = format!("http://127.0.0.1:{}/", server.port());
    for parallel in [true, false] {
        let label = if parallel { "wget_parallel" } else { "wget_sequential" };
        let wdir = dir.path().join(label);
        std::fs::create_dir_all(&wdir).unwrap();
        let t0 = Instant::now();
        let mut children = Vec::new();
        for (i, s) in sites.iter().enumerate() {
            let sd = wdir.join(format!("s{i}"));
            std::fs::create_dir_all(&sd).unwrap();
            let mut child = Command::new("wget")
                .current_dir(&sd)
                .args(["--recursive", "--level=inf", "--no-verbose", "--tries=1", "--delete-after", "--no-directories"])
                .args(["-e", "use_proxy=on", "-e", &format!("http_proxy={proxy}")])
                .arg(format!("--warc-file={}", sd.join("w").display()))
                .arg(s.url.as_str())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("wget");
            if parallel {
                children.push(child);
            } else {
                let _ = child.wait();
            }
        }
        for mut c in children {
            let _ = c.wait();
        }
        let wtook = t0.elapsed();
        let wpages = count_pages_in_warcs(&wdir);
        let theirs = wpages as f64 / wtook.as_secs_f64();
        println!("RESULT unlimited.{label}.pages={wpages} wall_s={:.2} pages_per_s={theirs:.0}", wtook.as_secs_f64());
        println!("RESULT unlimited.speedup_vs_{label}={:.2}", ours / theirs.max(1e-9));
    }
}

fn memory_child(sites_n: usize) {
    let server = SampleServer::start(province(sites_n, 200)).unwrap();
    let sites = sites(&server);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let mut o = options(&server, 1_000_000.0, 64);
    o.max_pages = Some(1000);
    let (took, pages) = run_crawl(&sites, &store, &o);
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let hwm = status.lines().find(|l| l.starts_with("VmHWM")).unwrap_or("VmHWM: ?").to_string();
    println!(
        "RESULT memory.pages={pages} wall_s={:.1} pages_per_s={:.0} {hwm} (crawler and sample server in one process)",
        took.as_secs_f64(),
        pages as f64 / took.as_secs_f64()
    );
}

/// The archive's share of a page: 10,000 sample-sized fetches recorded one after another, nothing else running.
fn store_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let site = sites_for_store_only();
    let snap = store.begin_snapshot(&site).unwrap();
    let frontier = store.frontier(&snap);
    let body = "<html><body>".to_string()
        + &"<li><a href=\"/x/t1.html\">标题</a><span>2026-11-01</span></li>".repeat(200)
        + "</body></html>";
    let t0 = Instant::now();
    for i in 0..10_000 {
        let url = url::Url::parse(&format!("http://www.a.gov.cn/p/{i}.html")).unwrap();
        frontier.push_url(&url, 1).unwrap();
        let e = frontier.next().unwrap().unwrap();
        let f = gongkai_archive::Fetch::get(
            e.url,
            1,
            200,
            vec![("content-type".into(), "text/html".into())],
            body.clone().into_bytes(),
        );
        store.record_fetch(&snap, &f).unwrap();
    }
    let took = t0.elapsed();
    println!(
        "RESULT store_only.records=10000 body_bytes={} wall_s={:.2} per_record_ms={:.3}",
        body.len(),
        took.as_secs_f64(),
        took.as_secs_f64() * 1000.0 / 10_000.0
    );
}

fn sites_for_store_only() -> gongkai_config::Site {
    gongkai_config::parse_sites(
        "[[site]]\nid = \"a\"\nname = \"a\"\nurl = \"http://www.a.gov.cn/\"\nregion = [\"x\"]\nlevel = \"county\"\n",
        "x",
    )
    .unwrap()
    .remove(0)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let which: Vec<&str> =
        if args.is_empty() { vec!["polite", "unlimited", "memory"] } else { args.iter().map(|s| s.as_str()).collect() };
    for w in which {
        match w {
            "polite" => polite(),
            "unlimited" => unlimited(),
            "memory" => {
                // Fresh process, so the peak is this crawl's alone.
                let out = Command::new(std::env::current_exe().unwrap()).arg("memory-child").output().unwrap();
                print!("{}", String::from_utf8_lossy(&out.stdout));
                eprint!("{}", String::from_utf8_lossy(&out.stderr));
            }
            "memory-child" => memory_child(500),
            "memory-small" => memory_child(50),
            "store-only" => store_only(),
            other => eprintln!("unknown benchmark {other}"),
        }
    }
}
