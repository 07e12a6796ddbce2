//! The IPv6 check end to end (issue 16, docs/rules.md `design.ipv6`): `gongkai check` against a server listening on
//! 127.0.0.1 and [::1] on the same port, each site mapped by `--resolve` to the addresses it "has":
//! - `www.dual.gov.cn`: both addresses, the same pages over both → no finding, every sampled page works;
//! - `www.nov6.gov.cn`: 127.0.0.1 only → "网站不支持 IPv6 访问（域名无 AAAA 记录）", and nothing asked over IPv6;
//! - `www.diff.gov.cn`: the IPv6 listener answers the home page with a web server's default page → a finding;
//! - `www.half.gov.cn`: half of the inner pages answer 404 over IPv6 → the share finding (50 % < 85 %).
//!
//! Every request, over either address, is logged: the per-host rate holds over both together, and robots.txt is
//! obeyed over IPv6 too.

mod common;

use common::{as_of, run, stderr};
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
struct Hit {
    at: Duration,
    host: String,
    path: String,
    v6: bool,
}

struct Farm {
    port: u16,
    log: Arc<Mutex<Vec<Hit>>>,
}

const SITES: [&str; 4] = ["www.dual.gov.cn", "www.nov6.gov.cn", "www.diff.gov.cn", "www.half.gov.cn"];

fn page(title: &str, links: &[&str]) -> String {
    let a: String = links.iter().map(|l| format!("<li><a href=\"{l}\">栏目{l}</a></li>")).collect();
    format!("<html><head><meta charset=\"utf-8\"><title>{title}</title></head><body><ul>{a}</ul></body></html>")
}

/// (status, content type, body) for a request.
fn answer(host: &str, path: &str, v6: bool) -> (u16, &'static str, String) {
    let html = "text/html; charset=utf-8";
    match path {
        "/robots.txt" => (200, "text/plain", "User-agent: *\nDisallow: /private.html\n".into()),
        "/" if v6 && host == "www.diff.gov.cn" => (200, html, page("Welcome to nginx!", &[])),
        "/" => (200, html, page("测试县人民政府", &["/a.html", "/b.html", "/c/index.html", "/private.html"])),
        "/b.html" | "/c/d.html" if v6 && host == "www.half.gov.cn" => (404, html, page("404", &[])),
        "/a.html" | "/b.html" => (200, html, page("通知公告", &["/"])),
        "/c/index.html" => (200, html, page("政务动态", &["/c/d.html"])),
        "/c/d.html" => (200, html, page("动态一", &[])),
        _ => (404, html, page("404", &[])),
    }
}

fn serve(mut s: TcpStream, v6: bool, t0: Instant, log: Arc<Mutex<Vec<Hit>>>) {
    let mut rd = BufReader::new(s.try_clone().unwrap());
    let mut line = String::new();
    if rd.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut host = String::new();
    loop {
        let mut h = String::new();
        if rd.read_line(&mut h).unwrap_or(0) == 0 || h == "\r\n" {
            break;
        }
        if let Some(v) = h.strip_prefix("host:").or_else(|| h.strip_prefix("Host:")) {
            host = v.trim().rsplit_once(':').map(|(h, _)| h).unwrap_or(v.trim()).to_ascii_lowercase();
        }
    }
    log.lock().unwrap().push(Hit { at: t0.elapsed(), host: host.clone(), path: path.clone(), v6 });
    let (status, ct, body) = answer(&host, &path, v6);
    let head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: {ct}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = s.write_all(head.as_bytes());
    let _ = s.write_all(body.as_bytes());
}

impl Farm {
    fn start() -> Farm {
        let v4 = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = v4.local_addr().unwrap().port();
        let v6 = TcpListener::bind(("::1", port)).expect("this test needs IPv6 loopback ([::1])");
        let log = Arc::new(Mutex::new(Vec::new()));
        let t0 = Instant::now();
        for (l, is_v6) in [(v4, false), (v6, true)] {
            let log = log.clone();
            std::thread::spawn(move || {
                for s in l.incoming().flatten() {
                    let log = log.clone();
                    std::thread::spawn(move || serve(s, is_v6, t0, log));
                }
            });
        }
        Farm { port, log }
    }

    fn resolve(&self, host: &str) -> Vec<String> {
        let mut v = vec![format!("{host}:{}:127.0.0.1", self.port)];
        if host != "www.nov6.gov.cn" {
            v.push(format!("{host}:{}:[::1]", self.port));
        }
        v
    }

    fn check(&self, host: &str) -> Value {
        let url = format!("http://{host}:{}/", self.port);
        let mut args: Vec<String> = ["check", &url, "--as-of", &as_of(), "--json", "--fail-on", "never"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        args.extend(["--rate".into(), "10/s".into(), "--resolved-only".into()]);
        for r in self.resolve(host) {
            args.extend(["--resolve".into(), r]);
        }
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let o = run(&a);
        assert_eq!(o.status.code(), Some(0), "{host}: {}", stderr(&o));
        serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("{host}: stdout is not JSON: {e}"))
    }
}

fn ipv6_findings(r: &Value) -> Vec<String> {
    r["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "design.ipv6")
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn ipv6_check_against_a_server_on_loopback_v4_and_v6() {
    let farm = Farm::start();
    let results: Vec<Value> = SITES.iter().map(|h| farm.check(h)).collect();
    let log = farm.log.lock().unwrap().clone();
    let by = |host: &str| log.iter().filter(|h| h.host == host).cloned().collect::<Vec<_>>();

    // Dual stack, same pages: no finding; the home page and all four inner pages answered over IPv6.
    let dual = &results[0];
    assert!(ipv6_findings(dual).is_empty(), "{:?}", ipv6_findings(dual));
    assert_eq!(dual["ipv6"]["has_aaaa"], true, "{}", dual["ipv6"]);
    assert_eq!(dual["ipv6"]["addresses"], serde_json::json!(["::1"]));
    assert_eq!(dual["ipv6"]["home_same"], true);
    assert_eq!((dual["ipv6"]["sampled"].as_u64(), dual["ipv6"]["working"].as_u64()), (Some(4), Some(4)));
    let v6_paths: Vec<String> = by(SITES[0]).iter().filter(|h| h.v6).map(|h| h.path.clone()).collect();
    for p in ["/", "/a.html", "/b.html", "/c/index.html", "/c/d.html"] {
        assert!(v6_paths.iter().any(|x| x == p), "{p} not asked over IPv6: {v6_paths:?}");
    }

    // No AAAA: the one finding, and not a single request over IPv6.
    let nov6 = &results[1];
    assert_eq!(ipv6_findings(nov6), vec!["网站不支持 IPv6 访问（域名无 AAAA 记录）".to_string()]);
    assert_eq!(nov6["ipv6"]["has_aaaa"], false);
    assert!(by(SITES[1]).iter().all(|h| !h.v6), "a host without AAAA was contacted over IPv6");
    let f = nov6["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "design.ipv6").unwrap();
    assert_eq!(f["points"], 2.0);
    assert!(f["evidence"][0]["warc"]["record_id"].is_string(), "evidence cites the ipv6 metadata record: {f}");

    // Another page over IPv6: the finding names both titles and cites the archived IPv6 answer.
    let diff = &results[2];
    let m = ipv6_findings(diff);
    assert_eq!(m.len(), 1, "{m:?}");
    assert!(m[0].starts_with("IPv6 首页与 IPv4 首页不一致") && m[0].contains("Welcome to nginx!"), "{m:?}");
    assert_eq!(diff["ipv6"]["home_same"], false);

    // Half of the inner pages fail over IPv6.
    let half = &results[3];
    assert_eq!(ipv6_findings(half), vec!["IPv6 二三级链接可访问比例 50%，低于 85%".to_string()]);

    // Politeness over both addresses together: never more than 10 requests to a host in any one second, and the
    // robots-disallowed page is never asked for, over IPv4 or IPv6.
    for host in SITES {
        let mut times: Vec<Duration> = by(host).iter().map(|h| h.at).collect();
        times.sort();
        for w in times.windows(11) {
            assert!(w[10] - w[0] >= Duration::from_secs(1), "{host}: 11 requests within {:?}", w[10] - w[0]);
        }
        assert!(by(host).iter().all(|h| h.path != "/private.html"), "{host}: robots.txt not obeyed");
    }
}
