//! Helpers shared by the crawler's integration tests: the sample province, a crawl of it, and the politeness checks
//! read from the sample server's request log.

#![allow(dead_code)]

use gongkai_archive::Store;
use gongkai_config::Site;
use gongkai_crawler::CrawlOptions;
use gongkai_sample::{Province, RequestLogEntry, SampleServer};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use texting_robots::Robot;

pub fn start_sample() -> SampleServer {
    let province = Arc::new(Province::default_at(gongkai_sample::default_t0()));
    SampleServer::start(province).expect("sample server")
}

pub fn sites(server: &SampleServer) -> Vec<Site> {
    gongkai_config::parse_sites(&server.sites_toml(), "sample sites.toml").expect("sample sites.toml parses")
}

/// Loopback only, high rate unless the test sets one.
pub fn options(server: &SampleServer) -> CrawlOptions {
    let mut o = CrawlOptions::default();
    o.add_resolves(&server.resolve_args()).unwrap();
    o.only_resolved_hosts = true;
    o.rate = Some(400.0);
    o.concurrency = 32;
    o.retry_backoff = Duration::from_millis(50);
    o.request_timeout = Duration::from_secs(10);
    o
}

/// Every logged request must be allowed by its host's robots.txt (as the sample serves it).
pub fn assert_robots_obeyed(server: &SampleServer, log: &[RequestLogEntry]) {
    let mut robots: HashMap<String, Option<Robot>> = HashMap::new();
    for e in log {
        if e.path == "/robots.txt" {
            continue;
        }
        let rob = robots.entry(e.host.clone()).or_insert_with(|| {
            let host = format!("{}:{}", e.host, server.port());
            let r = server.province().render(&host, "/robots.txt")?;
            if r.status != 200 {
                return None;
            }
            Some(Robot::new("gongkai", &r.body).unwrap())
        });
        if let Some(r) = rob {
            assert!(r.allowed(&e.path), "robots.txt of {} forbids {} but it was requested", e.host, e.path);
        }
    }
}

/// No host ever saw more than `rate` requests in any one-second window (server-side times).
pub fn assert_rate_held(log: &[RequestLogEntry], rate_for: impl Fn(&str) -> f64) {
    let mut by_host: HashMap<&str, Vec<Duration>> = HashMap::new();
    for e in log {
        by_host.entry(e.host.as_str()).or_default().push(e.at);
    }
    for (host, mut times) in by_host {
        times.sort();
        let limit = rate_for(host).floor() as usize;
        let mut j = 0;
        for i in 0..times.len() {
            while times[i] - times[j] >= Duration::from_secs(1) {
                j += 1;
            }
            let in_window = i - j + 1;
            if in_window > limit.max(1) {
                eprintln!("{host} window: {:?}", &times[j.saturating_sub(2)..(i + 2).min(times.len())]);
            }
            assert!(
                in_window <= limit.max(1),
                "{host}: {in_window} requests within one second (limit {limit}) ending at {:?}",
                times[i]
            );
        }
    }
}

/// Requests whose URL lies under one of the prefixes (absolute URLs with the port).
pub fn requests_under(server: &SampleServer, log: &[RequestLogEntry], prefix: &str) -> usize {
    log.iter().filter(|e| format!("http://{}:{}{}", e.host, server.port(), e.path).starts_with(prefix)).count()
}

pub fn open_store(dir: &std::path::Path) -> Store {
    Store::open(dir).expect("store opens")
}

pub fn dump_host(log: &[RequestLogEntry], host: &str) {
    for e in log.iter().filter(|e| e.host == host) {
        eprintln!("{:?} {} {} {}", e.at, e.method, e.path, e.status);
    }
}
