//! The fault farm (issue 10): a loopback server where each host name is a small "government site" whose home page links
//! to one hostile behaviour. Every host is served on one port of 127.0.0.1 (told apart by the Host header) and mapped
//! there with `--resolve`; nothing here touches the network. The HTTP is written by hand on tokio sockets so that the
//! server can misbehave the way real servers do (lie about lengths, reset, drip, never end, speak HTTP/1.0).
//!
//! Used by `tests/fault_farm.rs` (the crawl must survive all of it) and `benches/fault_farm.rs` (peak RSS per
//! behaviour).

#![allow(dead_code)]

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Every hostile behaviour, one host each: (id, what it does). `plain` is the baseline: an ordinary small site.
pub const BEHAVIOURS: &[(&str, &str)] = &[
    ("plain", "an ordinary small site (baseline)"),
    ("gzipbomb", "gzip body of ~10 KB per 10 MiB inflating to 10 GiB, generated on the fly"),
    ("endless", "chunked body that never ends"),
    ("slowdrip", "body sent at 1 byte/s"),
    ("reset", "connection reset mid-body (and before any answer)"),
    ("redirloop", "redirect loop and an endless redirect chain"),
    ("offsite", "redirects out of scope: another name, a private address, an unmapped name"),
    ("bigpage", "a 100 MB page (sent lazily)"),
    ("malformed", "malformed HTML: unclosed quotes and tags, NUL bytes, binary noise"),
    ("deepnest", "10,000-deep nested elements"),
    ("amplify", "parser amplification: <p>, 2,000 unclosed formatting elements, then 2,000 <p>"),
    ("charset", "lying charsets: GBK declared UTF-8, UTF-8 declared GBK, UTF-16 BOM with a gb2312 meta"),
    ("calendar", "endless URL space: calendar ?date= next/previous links"),
    ("robotshuge", "a 10 MB robots.txt"),
    ("robotsbinary", "a binary robots.txt"),
    ("robotstimeout", "robots.txt that never answers"),
    ("ratelimit", "429 with Retry-After: 86400"),
    ("storm", "503 storm (with and without Retry-After)"),
    ("links", "a page with 100,000 in-scope links"),
    ("http10", "HTTP/1.0 answers without Content-Length, closed by the server"),
    ("notls", "https:// links to the port, which speaks plain HTTP"),
];

/// The host name of a behaviour.
pub fn host_of(id: &str) -> String {
    format!("www.{id}.gov.cn")
}

/// One request the farm received.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Since the farm started.
    pub at: Duration,
    /// Host header without port; `<tls>` for a TLS ClientHello, `<garbage>` for anything else unreadable.
    pub host: String,
    pub method: String,
    pub path: String,
    /// Status line sent; 0 when the connection was reset or left hanging (the stream is then dropped unclosed).
    pub status: u16,
}

pub struct FaultFarm {
    pub port: u16,
    log: Arc<Mutex<Vec<Hit>>>,
    t0: Instant,
}

impl FaultFarm {
    /// Starts the farm on a background runtime of its own (it lives as long as the process).
    pub fn start() -> FaultFarm {
        let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind the fault farm");
        std_listener.set_nonblocking(true).unwrap();
        let port = std_listener.local_addr().unwrap().port();
        let log: Arc<Mutex<Vec<Hit>>> = Arc::default();
        let t0 = Instant::now();
        let farm = Arc::new(Farm { port, log: log.clone(), t0, bomb: gzip_bomb_blocks() });
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(std_listener).unwrap();
                loop {
                    let Ok((stream, _)) = listener.accept().await else { continue };
                    let farm = farm.clone();
                    tokio::spawn(async move { farm.serve(stream).await });
                }
            });
        });
        FaultFarm { port, log, t0 }
    }

    /// `--resolve` values for every host.
    pub fn resolve_args(&self) -> Vec<String> {
        BEHAVIOURS.iter().map(|(id, _)| format!("{}:{}:127.0.0.1", host_of(id), self.port)).collect()
    }

    /// `--resolve` flags and `--resolved-only`, as the command line takes them.
    pub fn resolve_flags(&self) -> Vec<String> {
        let mut v = Vec::new();
        for r in self.resolve_args() {
            v.push("--resolve".to_string());
            v.push(r);
        }
        v.push("--resolved-only".to_string());
        v
    }

    /// sites.toml for the given behaviours (all of them when `only` is empty), with tight budgets.
    pub fn sites_toml(&self, only: &[&str]) -> String {
        let mut s = String::from(
            "# The fault farm (tests/fault_farm): one hostile behaviour per site.\n[defaults]\nrate = \"50/s\"\n\
             max_pages = 50\nmax_depth = 4\nmax_link_checks = 100\n",
        );
        for (id, what) in BEHAVIOURS.iter().filter(|(id, _)| only.is_empty() || only.contains(id)) {
            s.push_str(&format!(
                "\n# {what}\n[[site]]\nid = \"farm-{id}\"\nname = \"故障测试县{id}人民政府\"\nurl = \"http://{}:{}/\"\n\
                 region = [\"测试省\", \"故障市\", \"{id}县\"]\nlevel = \"county\"\n",
                host_of(id),
                self.port
            ));
        }
        s
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.log.lock().unwrap().clone()
    }

    pub fn since_start(&self) -> Duration {
        self.t0.elapsed()
    }
}

struct Farm {
    port: u16,
    log: Arc<Mutex<Vec<Hit>>>,
    t0: Instant,
    /// The gzip bomb's pieces: header, one deflate block sequence of 10 MiB of spaces (repeatable), HTML prefix.
    bomb: (Vec<u8>, Vec<u8>),
}

/// (gzip header + deflated HTML prefix, a sync-flushed deflate block sequence of 10 MiB of spaces). The block sequence
/// refers only to itself, so it can be repeated any number of times to make an endless valid stream.
fn gzip_bomb_blocks() -> (Vec<u8>, Vec<u8>) {
    fn deflate_sync(data: &[u8]) -> Vec<u8> {
        let mut c = flate2::Compress::new(flate2::Compression::best(), false);
        let mut out = Vec::with_capacity(data.len() / 100 + 1024);
        let mut input = data;
        loop {
            out.reserve(64 * 1024);
            let before_in = c.total_in();
            c.compress_vec(input, &mut out, flate2::FlushCompress::Sync).unwrap();
            input = &input[(c.total_in() - before_in) as usize..];
            if input.is_empty() && out.capacity() > out.len() {
                break;
            }
        }
        out
    }
    let mut head = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    head.extend(deflate_sync(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>通知</title></head><body><p>".as_bytes(),
    ));
    (head, deflate_sync(&vec![b' '; 10 << 20]))
}

/// The home page of a farm site: a small government site's navigation plus the behaviour's links.
fn home(id: &str, extra: &str) -> String {
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>故障测试县{id}人民政府</title></head><body>\n\
         <div class=\"nav\"><a href=\"/\">首页</a> <a href=\"/xxgk/\">政府信息公开</a> <a href=\"/tzgg/\">通知公告</a> \
         <a href=\"/zwdt/\">政务动态</a></div>\n<div class=\"main\">{extra}</div>\n\
         <div class=\"footer\">主办：故障测试县人民政府办公室 ICP备案号：测ICP备00000000号</div></body></html>"
    )
}

fn ordinary(path: &str) -> String {
    let n = path.len() % 7;
    format!(
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>通知公告</title></head><body>\n\
         <a href=\"/\">首页</a><h1>关于做好第{n}季度安全生产工作的通知</h1><p>发布时间：2026-11-{:02}</p>\
         <ul><li><a href=\"/tzgg/1.html\">关于开展{n}项检查的通知</a> 2026-11-20</li>\
         <li><a href=\"/tzgg/2.html\">关于公布办事指南的通知</a> 2026-11-18</li></ul><p>各乡镇、各部门：现将有关事项通知如下。</p>\
         </body></html>",
        10 + n
    )
}

impl Farm {
    fn log(&self, host: &str, method: &str, path: &str, status: u16) {
        let hit = Hit {
            at: self.t0.elapsed(),
            host: host.to_string(),
            method: method.to_string(),
            path: path.to_string(),
            status,
        };
        self.log.lock().unwrap().push(hit);
    }

    async fn serve(self: Arc<Self>, mut s: TcpStream) {
        // The request head (we never need a body).
        let mut buf = Vec::with_capacity(2048);
        let mut chunk = [0u8; 4096];
        let head = loop {
            let n = match tokio::time::timeout(Duration::from_secs(10), s.read(&mut chunk)).await {
                Ok(Ok(n)) if n > 0 => n,
                _ => return,
            };
            buf.extend_from_slice(&chunk[..n]);
            if buf.first() == Some(&0x16) {
                // A TLS ClientHello on a plain HTTP port: answer as a plain server would.
                self.log("<tls>", "", "", 400);
                let _ =
                    s.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").await;
                return;
            }
            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break String::from_utf8_lossy(&buf[..end]).into_owned();
            }
            if buf.len() > 64 * 1024 {
                self.log("<garbage>", "", "", 0);
                return;
            }
        };
        let mut lines = head.split("\r\n");
        let mut first = lines.next().unwrap_or("").split(' ');
        let method = first.next().unwrap_or("").to_string();
        let path = first.next().unwrap_or("/").to_string();
        let host = lines
            .filter_map(|l| l.split_once(':'))
            .find(|(k, _)| k.trim().eq_ignore_ascii_case("host"))
            .map(|(_, v)| v.trim().rsplit_once(':').map_or(v.trim(), |(h, _)| h).to_ascii_lowercase())
            .unwrap_or_default();
        let id = host.strip_prefix("www.").and_then(|h| h.strip_suffix(".gov.cn")).unwrap_or("").to_string();
        let status = self.answer(&mut s, &id, &method, &path).await;
        self.log(&host, &method, &path, status);
        if status != 0 {
            let _ = s.shutdown().await;
        }
    }

    /// Answers one request; returns the status sent (0 for none).
    async fn answer(&self, s: &mut TcpStream, id: &str, method: &str, path: &str) -> u16 {
        let head_only = method == "HEAD";
        let (p, query) = path.split_once('?').unwrap_or((path, ""));
        // Hosts whose robots.txt is the behaviour.
        if p == "/robots.txt" {
            return match id {
                "robotshuge" => {
                    let line = b"User-agent: *\nDisallow: /private/\n# padding padding padding padding padding\n";
                    let total = 10u64 << 20;
                    send_lazy(s, 200, "text/plain", total, head_only, |i| line[(i % line.len() as u64) as usize]).await
                }
                "robotsbinary" => {
                    let mut x = 0x2545F491u32;
                    let body: Vec<u8> = (0..65536)
                        .map(|_| {
                            x ^= x << 13;
                            x ^= x >> 17;
                            x ^= x << 5;
                            (x >> 24) as u8
                        })
                        .collect();
                    send(s, 200, &[("Content-Type", "text/plain")], &body, head_only).await
                }
                "robotstimeout" => {
                    // Never answers (until the client gives up).
                    let mut sink = [0u8; 64];
                    let _ = tokio::time::timeout(Duration::from_secs(600), s.read(&mut sink)).await;
                    0
                }
                "http10" => send_http10(s, b"User-agent: *\nDisallow: /private/\n", "text/plain").await,
                _ => send(s, 404, &[("Content-Type", "text/plain")], b"not found", head_only).await,
            };
        }
        let html_ct = [("Content-Type", "text/html; charset=utf-8")];
        match (id, p) {
            ("http10", _) => {
                let page = if p == "/" {
                    home(id, "<a href=\"/a.html\">通知一</a><a href=\"/b.html\">通知二</a>")
                } else {
                    ordinary(p)
                };
                send_http10(s, page.as_bytes(), "text/html; charset=utf-8").await
            }
            (_, "/") => {
                let extra = self.home_extra(id);
                send(s, 200, &html_ct, extra.as_bytes(), head_only).await
            }
            ("gzipbomb", "/bomb.html") => {
                let mut h = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Encoding: gzip\r\n\
                     Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                )
                .into_bytes();
                if head_only {
                    h.extend_from_slice(b"0\r\n\r\n");
                    let _ = s.write_all(&h).await;
                    return 200;
                }
                if s.write_all(&h).await.is_err() || write_chunk(s, &self.bomb.0).await.is_err() {
                    return 200;
                }
                // 1,024 x 10 MiB = 10 GiB once inflated.
                for _ in 0..1024 {
                    if write_chunk(s, &self.bomb.1).await.is_err() {
                        return 200;
                    }
                }
                let _ = s.write_all(b"0\r\n\r\n").await;
                200
            }
            ("endless", "/stream.html") => {
                let h = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\
                         Connection: close\r\n\r\n";
                if s.write_all(h.as_bytes()).await.is_err() || head_only {
                    return 200;
                }
                let piece = "<p>政务动态：本县召开工作会议，部署下一阶段重点工作。</p>\n".repeat(400);
                let _ = write_chunk(s, b"<!DOCTYPE html><html><body>").await;
                while write_chunk(s, piece.as_bytes()).await.is_ok() {}
                200
            }
            ("slowdrip", "/drip.html") => {
                let h = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 100000\r\n\
                         Connection: close\r\n\r\n";
                if s.write_all(h.as_bytes()).await.is_err() || head_only {
                    return 200;
                }
                let body = "<html><body><p>慢</p>".repeat(5000);
                for b in body.as_bytes().iter().take(100_000) {
                    if s.write_all(&[*b]).await.is_err() {
                        break;
                    }
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                200
            }
            ("reset", "/reset.html") => {
                let h = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 1000000\r\n\
                         Connection: close\r\n\r\n";
                let _ = s.write_all(h.as_bytes()).await;
                let _ = s.write_all("<html><body><p>半截</p>".repeat(2000).as_bytes()).await;
                reset(s);
                0
            }
            ("reset", "/reset0.html") => {
                reset(s);
                0
            }
            ("redirloop", "/loop/a") => redirect(s, 302, "/loop/b").await,
            ("redirloop", "/loop/b") => redirect(s, 301, "/loop/a").await,
            ("redirloop", "/self") => redirect(s, 302, "/self").await,
            ("redirloop", "/chain") => {
                let n: u64 = query.strip_prefix("n=").and_then(|n| n.parse().ok()).unwrap_or(0);
                redirect(s, 302, &format!("/chain?n={}", n + 1)).await
            }
            ("offsite", "/out1") => redirect(s, 302, "http://www.example.com/").await,
            ("offsite", "/out2") => redirect(s, 302, "http://10.1.2.3/intranet/").await,
            ("offsite", "/out3") => redirect(s, 301, &format!("http://{}:{}/", host_of("plain"), self.port)).await,
            ("offsite", "/out4") => redirect(s, 302, "https://unmapped.invalid.gov.cn/").await,
            ("offsite", "/out5") => redirect(s, 302, "http://127.0.0.1:1/").await,
            ("bigpage", "/big.html") => {
                let piece = "<p>政府信息公开年度报告：本年度共主动公开政府信息若干条。</p>\n".as_bytes().to_vec();
                send_lazy(s, 200, "text/html; charset=utf-8", 100 << 20, head_only, move |i| {
                    piece[(i % piece.len() as u64) as usize]
                })
                .await
            }
            ("malformed", "/bad.html") => {
                let body = b"<html><head><title>\xe9\x80\x9a\xe7\x9f\xa5</titl<body <<a href=\"/tzgg/1.html>\x00\x00\
                    <a href='/tzgg/2.html' href=/x\"y <table><tr><td><div></table></div></td><p><p></b></i>\x00<!-- \
                    <script>document.write('<a href=\"/tzgg/3.html\">')</scr<a href=\"javascript:\"><![CDATA[ ]]>\
                    <a href=\"http://[::1\"> <a href=\"%zz%\"> <a href=\"\x01\x02\"> <img src=\"/\xff\xfe\"> &#xFFFFFFFF; &#0; \
                    <form><form><form><select><option><option></select></form> \xff\xfe\xfd\x80\x81 <svg><foreignObject>\
                    <math><mi><p></mi></math></svg> <a href=\"/ok.html\">\xe6\xad\xa3\xe5\xb8\xb8</a> <!--";
                send(s, 200, &html_ct, body, head_only).await
            }
            ("malformed", "/noise.html") => {
                let mut x = 0x9E3779B9u32;
                let body: Vec<u8> = (0..200_000)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 17;
                        x ^= x << 5;
                        match x % 7 {
                            0 => b'<',
                            1 => b'>',
                            2 => b'"',
                            _ => (x >> 24) as u8,
                        }
                    })
                    .collect();
                send(s, 200, &html_ct, &body, head_only).await
            }
            ("deepnest", "/deep.html") => {
                let mut b =
                    String::from("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>深</title></head><body>");
                b.push_str(&"<div>".repeat(10_000));
                b.push_str("<a href=\"/tzgg/1.html\">通知</a><p>发布时间：2026-11-20</p>");
                b.push_str(&"</div>".repeat(10_000));
                b.push_str("</body></html>");
                send(s, 200, &html_ct, b.as_bytes(), head_only).await
            }
            ("deepnest", "/deep2.html") => {
                // Unclosed nesting of several kinds, no end tags at all.
                let mut b = String::from("<html><body>");
                for i in 0..10_000 {
                    b.push_str(["<div>", "<span>", "<table><tr><td>", "<ul><li>", "<blockquote>"][i % 5]);
                }
                b.push_str("<a href=\"/tzgg/2.html\">通知</a>");
                send(s, 200, &html_ct, b.as_bytes(), head_only).await
            }
            ("amplify", "/amp.html") => {
                // Inside a <p>: each later <p> closes the previous one, popping every formatting element, and its text
                // reconstructs them all (the HTML standard's "active formatting elements"): 2,000 x 2,000 elements
                // from 40 KB, about 800 MB of tree in a parser that does not defend itself.
                // Distinct attributes defeat the "Noah's Ark" limit of three identical formatting elements.
                let mut b = String::from("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body><p>");
                for i in 0..2000 {
                    b.push_str(&format!("<{} class=c{i}>", ["b", "i", "u", "em", "font", "s", "strong"][i % 7]));
                }
                for _ in 0..2000 {
                    b.push_str("<p>x");
                }
                send(s, 200, &html_ct, b.as_bytes(), head_only).await
            }
            ("charset", "/gbk-as-utf8.html") => {
                let text = "<html><head><meta charset=\"utf-8\"><title>通知公告</title></head><body><p>发布时间：2026-11-20</p>\
                            <a href=\"/tzgg/1.html\">关于做好安全生产工作的通知</a></body></html>";
                let (gbk, _, _) = encoding_rs::GBK.encode(text);
                send(s, 200, &html_ct, &gbk, head_only).await
            }
            ("charset", "/utf8-as-gbk.html") => {
                let text =
                    "<html><head><meta charset=\"gbk\"><title>政务动态</title></head><body><p>发布时间：2026-11-19</p>\
                            <a href=\"/tzgg/2.html\">县政府召开常务会议</a></body></html>";
                send(s, 200, &[("Content-Type", "text/html; charset=gbk")], text.as_bytes(), head_only).await
            }
            ("charset", "/utf16.html") => {
                let text = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\
                            <title>政府信息公开</title></head><body><a href=\"/tzgg/3.html\">年度报告</a></body></html>";
                let mut b = vec![0xff, 0xfe];
                for u in text.encode_utf16() {
                    b.extend_from_slice(&u.to_le_bytes());
                }
                send(s, 200, &[("Content-Type", "text/html; charset=gb2312")], &b, head_only).await
            }
            ("calendar", "/cal") => {
                let date = query.strip_prefix("date=").unwrap_or("2026-11-01");
                let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
                    .unwrap_or(chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
                let (prev, next) = (day.pred_opt().unwrap_or(day), day.succ_opt().unwrap_or(day));
                let b = format!(
                    "<html><head><meta charset=\"utf-8\"><title>活动日历</title></head><body><h1>活动日历 {day}</h1>\
                     <p>当日无活动</p><a href=\"/cal?date={prev}\">前一天</a> <a href=\"/cal?date={next}\">后一天</a></body></html>"
                );
                send(s, 200, &html_ct, b.as_bytes(), head_only).await
            }
            ("ratelimit", _) | ("storm", _) if p != "/" => {
                let (status, ra) = match id {
                    "ratelimit" => (429, Some("86400")),
                    _ if p.ends_with("1.html") => (503, Some("1")),
                    _ => (503, None),
                };
                let mut h = vec![("Content-Type", "text/plain")];
                if let Some(ra) = ra {
                    h.push(("Retry-After", ra));
                }
                send(s, status, &h, "请稍后访问".as_bytes(), head_only).await
            }
            ("links", _) if p.starts_with("/p/") => send(s, 200, &html_ct, ordinary(p).as_bytes(), head_only).await,
            (_, "/xxgk/" | "/tzgg/" | "/zwdt/" | "/tzgg/1.html" | "/tzgg/2.html" | "/tzgg/3.html" | "/ok.html") => {
                send(s, 200, &html_ct, ordinary(p).as_bytes(), head_only).await
            }
            _ => send(s, 404, &html_ct, "<html><body>页面不存在</body></html>".as_bytes(), head_only).await,
        }
    }

    fn home_extra(&self, id: &str) -> String {
        let extra = match id {
            "gzipbomb" => "<a href=\"/bomb.html\">通知</a>".to_string(),
            "endless" => "<a href=\"/stream.html\">政务动态</a>".to_string(),
            "slowdrip" => "<a href=\"/drip.html\">通知</a>".to_string(),
            "reset" => "<a href=\"/reset.html\">通知</a> <a href=\"/reset0.html\">公告</a>".to_string(),
            "redirloop" => {
                "<a href=\"/loop/a\">循环</a> <a href=\"/self\">自己</a> <a href=\"/chain?n=0\">链</a>".to_string()
            }
            "offsite" => format!(
                "<a href=\"/out1\">外链</a> <a href=\"/out2\">内网</a> <a href=\"/out3\">兄弟站</a> <a href=\"/out4\">无名</a> \
                 <a href=\"/out5\">环回</a> <a href=\"http://10.9.8.7/\">内网直链</a> <a href=\"http://localhost:{}/\">本机</a>",
                self.port
            ),
            "bigpage" => "<a href=\"/big.html\">年度报告</a>".to_string(),
            "malformed" => "<a href=\"/bad.html\">坏页</a> <a href=\"/noise.html\">噪声</a>".to_string(),
            "deepnest" => "<a href=\"/deep.html\">深页</a> <a href=\"/deep2.html\">深页二</a>".to_string(),
            "amplify" => "<a href=\"/amp.html\">放大</a>".to_string(),
            "charset" => {
                "<a href=\"/gbk-as-utf8.html\">一</a> <a href=\"/utf8-as-gbk.html\">二</a> <a href=\"/utf16.html\">三</a>"
                    .to_string()
            }
            "calendar" => "<a href=\"/cal?date=2026-11-01\">活动日历</a>".to_string(),
            "ratelimit" | "storm" => {
                (1..=8).map(|i| format!("<a href=\"/news/{i}.html\">新闻{i}</a> ")).collect::<String>()
            }
            "links" => (0..100_000).map(|i| format!("<a href=\"/p/{i}.html\">第{i}条</a>\n")).collect(),
            "notls" => format!(
                "<a href=\"https://{h}:{p}/secure.html\">安全页</a> <a href=\"https://{h}:{p}/\">首页(https)</a>",
                h = host_of("notls"),
                p = self.port
            ),
            _ => String::new(),
        };
        home(id, &extra)
    }
}

/// A connection reset: SO_LINGER 0 then close sends RST instead of FIN.
#[allow(deprecated)] // linger 0 never blocks on drop: it resets
fn reset(s: &mut TcpStream) {
    // The RST goes out when the caller drops the stream (it does not shut it down first: status 0).
    let _ = s.set_linger(Some(Duration::ZERO));
}

async fn write_chunk(s: &mut TcpStream, data: &[u8]) -> std::io::Result<()> {
    let mut v = Vec::with_capacity(data.len() + 16);
    write!(v, "{:x}\r\n", data.len()).unwrap();
    v.extend_from_slice(data);
    v.extend_from_slice(b"\r\n");
    s.write_all(&v).await
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        404 => "Not Found",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => "Whatever",
    }
}

async fn send(s: &mut TcpStream, status: u16, headers: &[(&str, &str)], body: &[u8], head_only: bool) -> u16 {
    let mut h =
        format!("HTTP/1.1 {status} {}\r\nContent-Length: {}\r\nConnection: close\r\n", reason(status), body.len());
    for (k, v) in headers {
        h.push_str(&format!("{k}: {v}\r\n"));
    }
    h.push_str("\r\n");
    let mut out = h.into_bytes();
    if !head_only {
        out.extend_from_slice(body);
    }
    let _ = s.write_all(&out).await;
    status
}

/// A body of `total` bytes made by `byte(i)`, written 64 KiB at a time as the client reads it.
async fn send_lazy(
    s: &mut TcpStream,
    status: u16,
    ct: &str,
    total: u64,
    head_only: bool,
    byte: impl Fn(u64) -> u8,
) -> u16 {
    let h = format!(
        "HTTP/1.1 {status} {}\r\nContent-Type: {ct}\r\nContent-Length: {total}\r\nConnection: close\r\n\r\n",
        reason(status)
    );
    if s.write_all(h.as_bytes()).await.is_err() || head_only {
        return status;
    }
    let mut sent = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    while sent < total {
        let n = (total - sent).min(buf.len() as u64) as usize;
        for (j, b) in buf[..n].iter_mut().enumerate() {
            *b = byte(sent + j as u64);
        }
        if s.write_all(&buf[..n]).await.is_err() {
            break;
        }
        sent += n as u64;
    }
    status
}

async fn send_http10(s: &mut TcpStream, body: &[u8], ct: &str) -> u16 {
    let mut out = format!("HTTP/1.0 200 OK\r\nContent-Type: {ct}\r\n\r\n").into_bytes();
    out.extend_from_slice(body);
    let _ = s.write_all(&out).await;
    200
}

async fn redirect(s: &mut TcpStream, status: u16, to: &str) -> u16 {
    send(s, status, &[("Location", to), ("Content-Type", "text/html")], b"moved", false).await
}

/// Peak RSS (VmHWM, KiB) of a child, polled from /proc until it exits; returns (exit status, peak KiB, wall time).
pub fn run_measured(
    mut cmd: std::process::Command,
    limit: Duration,
) -> (Option<std::process::ExitStatus>, u64, Duration, Vec<u8>, Vec<u8>) {
    use std::io::Read;
    let t0 = Instant::now();
    let mut child =
        cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped()).spawn().expect("start gongkai");
    let pid = child.id();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = out.read_to_end(&mut v);
        v
    });
    let t_err = std::thread::spawn(move || {
        let mut v = Vec::new();
        let _ = err.read_to_end(&mut v);
        v
    });
    let mut peak = 0u64;
    let status = loop {
        if let Ok(text) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
            if let Some(kb) = text
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse::<u64>().ok())
            {
                peak = peak.max(kb);
            }
        }
        if let Some(st) = child.try_wait().unwrap() {
            break Some(st);
        }
        if t0.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let elapsed = t0.elapsed();
    (status, peak, elapsed, t_out.join().unwrap(), t_err.join().unwrap())
}
