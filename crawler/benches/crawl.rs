//! Crawler benchmarks against the sample province at scale (plain generated county portals on loopback). Not part of
//! `cargo test`; run in release:
//!
//! ```text
//! cargo bench -p gongkai-crawler --bench crawl -- polite      # (1) 40 hosts × 200 pages at 5/s: wall vs the 40 s bound
//! cargo bench -p gongkai-crawler --bench crawl -- unlimited   # (2) rate lifted: pages/s, gongkai vs wget --recursive --warc-file
//! cargo bench -p gongkai-crawler --bench crawl -- memory      # (3) peak RSS of a 100,000-page crawl (500 × 200)
//! BENCH_PROVINCE=2000x200 cargo bench -p gongkai-crawler --bench crawl -- province
//!                                                           # (4) a province at the default flags (2/s per host)
//! BENCH_PROVINCE=crafted cargo bench -p gongkai-crawler --bench crawl -- province   # the 30 hand-made sites
//! BENCH_NGINX=200x200 cargo bench -p gongkai-crawler --bench crawl -- nginx
//!                                       # (5) CPU per archived page against wget, both on a static copy served by nginx
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
    // On one thread, as `gongkai` crawls (src/commands/pipeline.rs); BENCH_RUNTIME=multi_thread for comparison.
    let rt = match std::env::var("BENCH_RUNTIME").as_deref() {
        Ok("multi_thread") => tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap(),
        _ => tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap(),
    };
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

/// (4) A province at the default flags: every `CrawlOptions` default (2/s per host from sites.toml, sites at once,
/// requests in flight) except the loopback `--resolve` map. The sample server runs in a child process and the crawl in
/// another, so the crawl's peak RSS and CPU time are its own. Two crawls of the same province in the same run: rate
/// lifted (the CPU bound: how fast this machine can crawl it at all) and polite (the defaults). For the polite crawl
/// the server's request log gives each host's politeness bound (its requests / its rate) and the most requests any
/// host saw within one second.
fn province_bench() {
    let spec = std::env::var("BENCH_PROVINCE").unwrap_or_else(|_| "2000x200".into());
    let mut cpu_bound = None;
    // BENCH_LABELS=unlimited (or polite) runs one of the two crawls only.
    let labels = std::env::var("BENCH_LABELS").unwrap_or_else(|_| "unlimited,polite".into());
    for (label, rate) in [("unlimited", Some(1_000_000.0)), ("polite", None)] {
        if !labels.split(',').any(|l| l.trim() == label) {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        let exe = std::env::current_exe().unwrap();
        let mut server = Command::new(&exe)
            .args(["server-child", &spec])
            .arg(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(server.stdout.take().unwrap()), &mut line).unwrap();
        assert_eq!(line.trim(), "READY", "server child did not start");
        let mut crawl = Command::new(&exe);
        crawl.arg("crawl-child").arg(dir.path());
        if let Some(r) = rate {
            crawl.env("BENCH_RATE", r.to_string());
        }
        let out = crawl.output().unwrap();
        eprint!("{}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8_lossy(&out.stdout).to_string();
        drop(server.stdin.take()); // the server writes its log and exits
        server.wait().unwrap();
        let field = |k: &str| -> f64 {
            text.split_whitespace()
                .find_map(|w| w.strip_prefix(&format!("{k}=")))
                .and_then(|v| v.parse().ok())
                .unwrap_or(f64::NAN)
        };
        let wall = field("wall_s");
        println!("RESULT province.{label}.spec={spec} {}", text.trim().trim_start_matches("RESULT "));
        if label == "unlimited" {
            cpu_bound = Some(wall);
            continue;
        }
        let log = std::fs::read_to_string(dir.path().join("log.tsv")).unwrap();
        let mut by_host: std::collections::HashMap<&str, Vec<f64>> = std::collections::HashMap::new();
        for l in log.lines() {
            if let Some((at, host)) = l.split_once('\t') {
                by_host.entry(host).or_default().push(at.parse().unwrap());
            }
        }
        let site_rate: f64 = 2.0;
        // A host's bound: its requests at its interval (1 / rate, or its Crawl-delay up to the crawler's 10 s cap).
        let delays: std::collections::HashMap<String, f64> =
            std::fs::read_to_string(dir.path().join("crawl-delay.tsv"))
                .unwrap_or_default()
                .lines()
                .filter_map(|l| l.split_once('\t').map(|(h, d)| (h.to_string(), d.parse().unwrap_or(0.0))))
                .collect();
        let host_bound =
            |h: &str, n: usize| n as f64 * (1.0 / site_rate).max(delays.get(h).copied().unwrap_or(0.0).min(10.0));
        let (busiest, n, bound) = by_host
            .iter()
            .map(|(h, v)| (*h, v.len(), host_bound(h, v.len())))
            .max_by(|a, b| a.2.total_cmp(&b.2))
            .unwrap();
        let mut worst_window = 0;
        let mut worst = String::new();
        for (host, times) in by_host.iter_mut() {
            times.sort_by(f64::total_cmp);
            let mut start = 0;
            for end in 0..times.len() {
                while times[end] - times[start] >= 1.0 {
                    start += 1;
                }
                if end - start + 1 > worst_window {
                    worst_window = end - start + 1;
                    let at: Vec<String> = times[start..=end].iter().map(|t| format!("{t:.3}")).collect();
                    worst = format!("{host}@{}", at.join(","));
                }
            }
        }
        // Where the busiest host's time went: before its first request, in gaps longer than 1.5 intervals (no work
        // ready for it), and after its last request until the crawl ended.
        let times = &by_host[busiest];
        let interval = bound / n.max(1) as f64;
        let idle: f64 =
            times.windows(2).map(|w| w[1] - w[0]).filter(|g| *g > 1.5 * interval).map(|g| g - interval).sum();
        let (first, last) = (times[0], times[times.len() - 1]);
        println!(
            "RESULT province.polite.busiest_first_s={first:.1} busiest_last_s={last:.1} busiest_idle_s={idle:.1} \
             busiest_span_s={:.1}",
            last - first
        );
        let cpu = cpu_bound.unwrap_or(0.0);
        println!(
            "RESULT province.polite.hosts={} busiest={busiest} busiest_requests={n} politeness_bound_s={bound:.1} cpu_bound_s={cpu:.1} \
             wall_s={wall:.1} ratio={:.3} (wall / max(bounds)) max_requests_in_1s_window={worst_window} (rate {site_rate}/s; {worst})",
            by_host.len(),
            wall / bound.max(cpu)
        );
    }
}

/// Child of [`province_bench`]: serve the province, write sites.toml and the `--resolve` list into DIR, say READY, and
/// when standard input closes write the request log (seconds since start, host) into DIR/log.tsv.
fn server_child(spec: &str, dir: &std::path::Path) {
    let province = if spec == "crafted" {
        Arc::new(Province::generate(gongkai_sample::DEFAULT_SEED, gongkai_sample::default_t0(), Scale::default()))
    } else {
        let (s, p) = spec.split_once('x').expect("SITESxPAGES");
        province(s.parse().unwrap(), p.parse().unwrap())
    };
    let server = SampleServer::start(province).unwrap();
    std::fs::write(dir.join("sites.toml"), server.sites_toml()).unwrap();
    std::fs::write(dir.join("resolve.txt"), server.resolve_args().join("\n")).unwrap();
    // Each host's robots.txt Crawl-delay, so the bound of a host that asks for one is its own.
    let mut delays = String::new();
    for host in gongkai_sample::Servable::served_hosts(server.source().as_ref()) {
        let robots = gongkai_sample::SiteSource::render(server.source().as_ref(), &host, "/robots.txt");
        let text = robots.map(|r| String::from_utf8_lossy(&r.body).to_string()).unwrap_or_default();
        let delay = text.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim().eq_ignore_ascii_case("crawl-delay").then(|| v.trim().parse::<f64>().ok()).flatten()
        });
        if let Some(d) = delay {
            delays.push_str(&format!("{host}\t{d}\n"));
        }
    }
    std::fs::write(dir.join("crawl-delay.tsv"), delays).unwrap();
    println!("READY");
    let mut sink = String::new();
    let _ = std::io::Read::read_to_string(&mut std::io::stdin(), &mut sink);
    let mut out = String::new();
    for e in server.request_log() {
        out.push_str(&format!("{:.6}\t{}\n", e.at.as_secs_f64(), e.host));
    }
    std::fs::write(dir.join("log.tsv"), out).unwrap();
}

/// Child of [`province_bench`]: crawl DIR/sites.toml at the defaults into a fresh store; print wall, pages, CPU
/// seconds (user + system, this process) and peak RSS.
fn crawl_child(dir: &std::path::Path) {
    let sites =
        gongkai_config::parse_sites(&std::fs::read_to_string(dir.join("sites.toml")).unwrap(), "sites.toml").unwrap();
    let resolve: Vec<String> =
        std::fs::read_to_string(dir.join("resolve.txt")).unwrap().lines().map(String::from).collect();
    let mut o = CrawlOptions::default();
    o.add_resolves(&resolve).unwrap();
    o.only_resolved_hosts = true;
    o.rate = std::env::var("BENCH_RATE").ok().and_then(|v| v.parse().ok());
    if let Some(n) = std::env::var("BENCH_PER_SITE").ok().and_then(|v| v.parse().ok()) {
        o.per_site_parallelism = n;
    }
    if let Some(m) = std::env::var("BENCH_MARGIN").ok().and_then(|v| v.parse().ok()) {
        o.rate_margin = m;
    }
    let store = Store::open(dir.join("store")).unwrap();
    let (took, pages) = run_crawl(&sites, &store, &o);
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let hwm_kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(f64::NAN);
    let cpu = cpu_seconds();
    println!(
        "RESULT sites={} pages={pages} wall_s={:.2} pages_per_s={:.0} cpu_s={cpu:.2} cpu_ms_per_page={:.3} peak_rss_mb={:.1}",
        sites.len(),
        took.as_secs_f64(),
        pages as f64 / took.as_secs_f64(),
        cpu * 1000.0 / pages.max(1) as f64,
        hwm_kb / 1024.0
    );
}

/// (5) Cost per archived page against wget in the same run. The plain province is written to disk as static files
/// and served by nginx (Debian's package, on loopback, two workers), so neither crawler pays for the sample server's
/// page rendering. gongkai crawls it with the rate lifted and every default otherwise (full discovery, gzip WARC,
/// digests, the index, IPv6 check) in a child process that reports its own CPU time; wget runs one `--recursive
/// --warc-file` process per site, all at once (its WARC is gzip-compressed by default), through nginx as an HTTP
/// proxy so the sites' real host names are used, and its CPU time is what the shell that waited for them reports for
/// its children. Pages are counted from each WARC: ours from the crawl summary, wget's response records with warcio.
fn nginx_bench() {
    let spec = std::env::var("BENCH_NGINX").unwrap_or_else(|_| "200x200".into());
    let (s, p) = spec.split_once('x').expect("SITESxPAGES");
    let province = province(s.parse().unwrap(), p.parse().unwrap());
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let sites = gongkai_config::parse_sites(&province.sites_toml(port), "sites.toml").unwrap();
    let www = dir.path().join("www");
    let mut files = 0;
    for site in &sites {
        for (url, page) in province.site_pages_with_port(&site.id, Some(port)) {
            let mut path = www.join(url.host_str().unwrap()).join(url.path().trim_start_matches('/'));
            if url.path().ends_with('/') {
                path = path.join("index.html");
            }
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &page.body).unwrap();
            files += 1;
        }
    }
    let d = dir.path().display();
    let conf = format!(
        "daemon off;\nworker_processes 2;\npid {d}/nginx.pid;\nerror_log {d}/error.log;\n\
         events {{ worker_connections 4096; }}\n\
         http {{\n include /etc/nginx/mime.types;\n access_log off;\n keepalive_requests 100000;\n\
         client_body_temp_path {d}/tmp; proxy_temp_path {d}/tmp; fastcgi_temp_path {d}/tmp; uwsgi_temp_path {d}/tmp; scgi_temp_path {d}/tmp;\n\
         server {{ listen 127.0.0.1:{port}; listen [::1]:{port}; root {d}/www/$host; index index.html; }}\n}}\n"
    );
    std::fs::write(dir.path().join("nginx.conf"), conf).unwrap();
    let mut nginx = Command::new("nginx")
        .args(["-p", &d.to_string(), "-c"])
        .arg(dir.path().join("nginx.conf"))
        .spawn()
        .expect("nginx (Debian package nginx) must be installed for this benchmark");
    let t0 = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(t0.elapsed() < Duration::from_secs(10), "nginx did not start: {d}/error.log");
        std::thread::sleep(Duration::from_millis(50));
    }
    println!("RESULT nginx.spec={spec} sites={} files={files}", sites.len());

    // gongkai: sites.toml and --resolve for the nginx port, crawled by a child process at the defaults, rate lifted.
    let cdir = dir.path().join("gongkai");
    std::fs::create_dir_all(&cdir).unwrap();
    std::fs::write(cdir.join("sites.toml"), province.sites_toml(port)).unwrap();
    let resolve: Vec<String> = province.hosts().into_iter().map(|h| format!("{h}:{port}:127.0.0.1")).collect();
    std::fs::write(cdir.join("resolve.txt"), resolve.join("\n")).unwrap();
    let out = Command::new(std::env::current_exe().unwrap())
        .arg("crawl-child")
        .arg(&cdir)
        .env("BENCH_RATE", "1000000")
        .output()
        .unwrap();
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let field = |k: &str| -> f64 {
        text.split_whitespace()
            .find_map(|w| w.strip_prefix(&format!("{k}=")))
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    };
    let (ours_pages, ours_cpu, ours_wall) = (field("pages"), field("cpu_s"), field("wall_s"));
    let ours = ours_cpu * 1000.0 / ours_pages;
    println!("RESULT nginx.gongkai {}", text.trim().trim_start_matches("RESULT "));

    // wget: one recursive process per site, all at once, under one shell that reports its children's CPU time.
    let wdir = dir.path().join("wget");
    let mut script = String::new();
    for (i, s) in sites.iter().enumerate() {
        let sd = wdir.join(format!("s{i}"));
        std::fs::create_dir_all(&sd).unwrap();
        script.push_str(&format!(
            "(cd {sd} && wget --recursive --level=inf --no-verbose --tries=1 --delete-after --no-directories \
             -e use_proxy=on -e http_proxy=http://127.0.0.1:{port}/ --warc-file={sd}/w '{url}' >/dev/null 2>&1) &\n",
            sd = sd.display(),
            url = s.url
        ));
    }
    script.push_str("wait\ncat /proc/$$/stat\n");
    let t0 = Instant::now();
    let out = Command::new("sh").arg("-c").arg(&script).output().unwrap();
    let wwall = t0.elapsed().as_secs_f64();
    let stat = String::from_utf8_lossy(&out.stdout).to_string();
    let f: Vec<&str> = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(f64::NAN);
    // After the command name: cutime is index 13, cstime 14 (children waited for, clock ticks of 100 Hz).
    let wcpu = (ticks(13) + ticks(14)) / 100.0;
    let wpages = count_pages_in_warcs(&wdir) as f64;
    let theirs = wcpu * 1000.0 / wpages;
    println!(
        "RESULT nginx.wget pages={wpages} wall_s={wwall:.2} pages_per_s={:.0} cpu_s={wcpu:.2} cpu_ms_per_page={theirs:.3}",
        wpages / wwall
    );
    println!(
        "RESULT nginx.cpu_ms_per_page gongkai={ours:.3} wget={theirs:.3} ratio={:.3} (target <= 0.5) \
         wall gongkai={ours_wall:.2} wget={wwall:.2}",
        ours / theirs
    );
    let _ = Command::new("kill").arg("-QUIT").arg(nginx.id().to_string()).status();
    let _ = nginx.wait();
}

/// User + system CPU seconds of this process, from /proc/self/stat (clock ticks of 100 Hz, as Linux reports them).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // Fields after the command name: state is index 0, utime 11, stime 12.
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    if args.first().map(String::as_str) == Some("server-child") {
        return server_child(&args[1], std::path::Path::new(&args[2]));
    }
    if args.first().map(String::as_str) == Some("crawl-child") {
        return crawl_child(std::path::Path::new(&args[1]));
    }
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
            "province" => province_bench(),
            "nginx" => nginx_bench(),
            other => eprintln!("unknown benchmark {other}"),
        }
    }
}
