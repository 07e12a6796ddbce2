//! The built-in replay end to end: `gongkai run` on the sample province, then `gongkai serve` on an ephemeral
//! loopback port; the 存档 link of a veto's evidence in sites/<id>.html answers 200 with the archived page under the
//! banner (site, 存档时间, the findings that cite it). With Chromium installed, `run` also leaves a PNG screenshot of
//! that page beside the reports, shown on the site's page.

mod common;

use common::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Stdio};

/// A `gongkai serve` child, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// GET over plain HTTP/1.0 on loopback: (status, head, body).
fn get(addr: &str, path: &str) -> (u16, String, Vec<u8>) {
    let mut s = std::net::TcpStream::connect(addr).expect("connect to gongkai serve");
    write!(s, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("HTTP head");
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head, raw[end + 4..].to_vec())
}

fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/").replace("&amp;", "&").replace("&quot;", "\"")
}

#[test]
fn evidence_link_replays_the_archived_page_with_the_banner() {
    let tmp = tempfile::tempdir().unwrap();
    let fixture = tmp.path().join("fixture");
    let out = tmp.path().join("out");
    let store = tmp.path().join("store");
    let server = sample_server(&fixture);
    let mut args: Vec<String> = vec![
        "run".into(),
        "--sites".into(),
        fixture.join("sites.toml").display().to_string(),
        "--out".into(),
        out.display().to_string(),
        "--store".into(),
        store.display().to_string(),
        "--as-of".into(),
        as_of(),
    ];
    args.extend(fast_crawl_flags(&server));
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(&argv);
    assert!(o.status.success(), "gongkai run failed: {}", stderr(&o));
    server.shutdown();

    // A vetoed site, its veto's first evidence entry, and that record's archived body.
    let results: Value = serde_json::from_slice(&std::fs::read(out.join("results.json")).unwrap()).unwrap();
    let (site, veto) = results["sites"]
        .as_array()
        .unwrap()
        .iter()
        .find_map(|s| {
            let v = s["findings"].as_array()?.iter().find(|f| {
                f["kind"] == "veto" && f["evidence"].as_array().is_some_and(|e| e.iter().any(|e| e["warc"].is_object()))
            })?;
            Some((s, v))
        })
        .expect("the sample has a vetoed site with archived evidence");
    let id = site["id"].as_str().unwrap();
    let evidence = veto["evidence"].as_array().unwrap().iter().find(|e| e["warc"].is_object()).unwrap();
    let record_id = evidence["warc"]["record_id"].as_str().unwrap();
    let rec = gongkai_archive::warc::read_record_at(
        &store.join(evidence["warc"]["file"].as_str().unwrap()),
        evidence["warc"]["offset"].as_u64().unwrap(),
    )
    .unwrap();
    let archived = String::from_utf8_lossy(&rec.http_response().unwrap().body).into_owned();
    let title = archived.split("<title>").nth(1).and_then(|t| t.split("</title>").next()).expect("a title").to_string();

    // The site page links that evidence to 原网页 and to 存档.
    let page = std::fs::read_to_string(out.join("sites").join(format!("{id}.html"))).unwrap();
    assert!(page.contains(">原网页</a>"), "no 原网页 link in sites/{id}.html");
    let short = record_id.trim_start_matches("urn:uuid:");
    let link = page
        .split("class=\"archive\" href=\"")
        .skip(1)
        .map(|s| unescape(&s[..s.find('"').unwrap()]))
        .find(|h| h.ends_with(short))
        .unwrap_or_else(|| panic!("no 存档 link to {record_id} in sites/{id}.html"));
    let path = link.strip_prefix(gongkai_reports::DEFAULT_REPLAY_BASE).expect("the default replay base").to_string();
    assert!(page[page.find(&format!("{short}\"")).unwrap()..].contains("存档</a>"), "the anchor's text is 存档");

    // Screenshots: with Chromium, the veto's page as a PNG beside the reports, shown on the site page.
    if ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .any(|b| std::process::Command::new("which").arg(b).output().is_ok_and(|o| o.status.success()))
    {
        let png = out.join("screenshots").join(format!("{id}-1.png"));
        let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("{}: {e}", png.display()));
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
        assert_eq!(&bytes[12..16], b"IHDR");
        let (w, h) = (
            u32::from_be_bytes(bytes[16..20].try_into().unwrap()),
            u32::from_be_bytes(bytes[20..24].try_into().unwrap()),
        );
        assert_eq!((w, h), (1280, 2000), "the window size asked for");
        assert!(bytes.len() > 20_000, "an almost empty image ({} bytes)", bytes.len());
        assert!(page.contains(&format!("screenshots&#x2f;{id}-1.png")), "the screenshot is not on sites/{id}.html");
    } else {
        eprintln!("no Chromium: screenshot check skipped");
        assert!(page.contains("未找到 Chromium 浏览器"), "no note that screenshots were skipped");
    }

    // Replay it.
    let mut child = gongkai()
        .args(["serve", "--store", store.to_str().unwrap(), "--port", "0", "--results"])
        .arg(out.join("results.json"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let _server = Server(child);
    let mut first = String::new();
    BufReader::new(stdout).read_line(&mut first).unwrap();
    let addr = first.trim().trim_start_matches("http://").trim_end_matches('/').to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{first:?}");

    let (status, head, body) = get(&addr, &path);
    let body = String::from_utf8_lossy(&body);
    assert_eq!(status, 200, "{head}\n{body}");
    assert!(head.to_ascii_lowercase().contains("content-type: text/html"), "{head}");
    assert!(body.contains("id=\"gongkai-replay-banner\""), "no banner:\n{body}");
    assert!(body.contains("存档时间："), "no 存档时间 in the banner");
    assert!(body.contains(site["name"].as_str().unwrap()), "the site's name is not in the banner");
    assert!(body.contains(veto["title"].as_str().unwrap()), "the veto citing the page is not in the banner");
    assert!(body.contains(&format!("<title>{title}</title>")), "not the archived page");
    assert!(!body.contains("href=\"http://www."), "a link leads out of the archive");

    // The URL form finds the same capture; something never archived is a 404.
    let url = evidence["url"].as_str().unwrap();
    let (status, head2, _) = get(&addr, &format!("/2099/{url}"));
    assert_eq!(status, 200, "{head2}");
    assert!(head2.contains(record_id), "the latest capture of {url} is the evidence's record: {head2}");
    let (status, _, _) = get(&addr, "/2026/http://www.never-archived.gov.cn/");
    assert_eq!(status, 404);
}
