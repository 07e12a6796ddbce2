//! The store's WARC files, read by an independent implementation: Python's warcio (`warcio check` verifies block and
//! payload digests, `warcio index` parses every record). Fails with a clear message when warcio is not installed.

use std::io::Write;

use chrono::Utc;
use gongkai_archive::testing::{validate_with_warcio, warc_files_under, warcio_check_file};
use gongkai_archive::warc::{RecordType, WarcRecordBuilder};
use gongkai_archive::{Fetch, RecordKind, Store, StoreOptions, WarcInfo};
use gongkai_config::Site;
use url::Url;

fn site(id: &str) -> Site {
    serde_json::from_value(serde_json::json!({
        "id": id, "name": "测试县人民政府", "url": format!("http://www.{id}.gov.cn/"),
        "region": ["四川省", "测试市", "测试县"], "level": "county", "platform": null,
        "rate": 2.0, "max_pages": 100, "max_depth": 3
    }))
    .unwrap()
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn page(url: &str, depth: u32, status: u16, headers: &[(&str, &str)], body: Vec<u8>) -> Fetch {
    let mut f = Fetch::get(
        Url::parse(url).unwrap(),
        depth,
        status,
        headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        body,
    );
    f.request_headers =
        vec![("User-Agent".into(), "gongkai-test/0.1".into()), ("Accept-Encoding".into(), "gzip, deflate".into())];
    f.ip = Some("127.0.0.1".parse().unwrap());
    f
}

/// Two snapshots of two sites: plain, gzip-encoded, chunked (de-chunked), GBK, 404, empty 301, identical-payload
/// revisits, a 304 revisit, files rolled at a small size, and a torn tail cut off on reopen.
fn write_store(dir: &std::path::Path) -> Store {
    let opts = StoreOptions {
        max_warc_bytes: 4096,
        warcinfo: WarcInfo {
            operator: Some("测试省政务公开办".into()),
            user_agent: Some("gongkai/0.1 (+http://127.0.0.1/)".into()),
            robots: "obey".into(),
            description: Some("warcio test".into()),
        },
        ..Default::default()
    };
    let (gbk, _, _) = encoding_rs::GBK.encode("<html><meta charset=gbk>通知公告 2026-11-01</html>");
    {
        let store = Store::open_with(dir, opts.clone()).unwrap();
        for id in ["wa", "wb"] {
            let s = site(id);
            let snap = store.begin_snapshot(&s).unwrap();
            let base = s.url.as_str().to_string();
            let html = [("Content-Type", "text/html; charset=utf-8")];
            store
                .record_fetch(
                    &snap,
                    &page(
                        &base,
                        0,
                        200,
                        &[("Content-Type", "text/html"), ("ETag", "\"e1\"")],
                        b"<a href=/x>x</a>".to_vec(),
                    ),
                )
                .unwrap();
            store
                .record_fetch(
                    &snap,
                    &page(
                        &format!("{base}gz"),
                        1,
                        200,
                        &[("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
                        gzip("<p>压缩</p>".as_bytes()),
                    ),
                )
                .unwrap();
            store
                .record_fetch(
                    &snap,
                    &page(
                        &format!("{base}chunked"),
                        1,
                        200,
                        &[("Content-Type", "text/html"), ("Transfer-Encoding", "chunked")],
                        b"abc\r\n0\r\n\r\n<p>chunk-like</p>".to_vec(),
                    ),
                )
                .unwrap();
            store
                .record_fetch(
                    &snap,
                    &page(&format!("{base}gbk"), 1, 200, &[("Content-Type", "text/html")], gbk.to_vec()),
                )
                .unwrap();
            store.record_fetch(&snap, &page(&format!("{base}missing"), 1, 404, &html, b"not found".to_vec())).unwrap();
            store
                .record_fetch(&snap, &page(&format!("{base}old"), 1, 301, &[("Location", "/new")], Vec::new()))
                .unwrap();
            store
                .record_fetch(
                    &snap,
                    &page(
                        &format!("{base}lm"),
                        1,
                        200,
                        &[("Last-Modified", "Sat, 01 Nov 2026 00:00:00 GMT")],
                        b"lm".to_vec(),
                    ),
                )
                .unwrap();
            store.finish_snapshot(&snap).unwrap();
        }
        // Second snapshot of wa: revisits, a 304, a changed page; then the process "dies" mid-snapshot.
        let s = site("wa");
        let snap = store.begin_snapshot(&s).unwrap();
        let r = store
            .record_fetch(
                &snap,
                &page("http://www.wa.gov.cn/", 0, 200, &[("Content-Type", "text/html")], b"<a href=/x>x</a>".to_vec()),
            )
            .unwrap();
        assert_eq!(r.entry.kind, RecordKind::RevisitIdentical);
        let r = store.record_fetch(&snap, &page("http://www.wa.gov.cn/lm", 1, 304, &[], Vec::new())).unwrap();
        assert_eq!(r.entry.kind, RecordKind::RevisitNotModified);
        let r = store
            .record_fetch(
                &snap,
                &page("http://www.wa.gov.cn/gz", 1, 200, &[("Content-Encoding", "gzip")], gzip(b"changed")),
            )
            .unwrap();
        assert_eq!(r.entry.kind, RecordKind::Response);
        store.flush().unwrap();
    }
    // A torn record at the end of the last file.
    let files = warc_files_under(dir).unwrap();
    let last = files.last().unwrap();
    let torn = WarcRecordBuilder::new(RecordType::Response, Utc::now(), vec![7u8; 3000]).to_gzip();
    std::fs::OpenOptions::new().append(true).open(last).unwrap().write_all(&torn[..torn.len() / 3]).unwrap();

    let store = Store::open_with(dir, opts).unwrap();
    let snap = store.begin_snapshot(&site("wa")).unwrap();
    assert!(snap.resumed);
    store.record_fetch(&snap, &page("http://www.wa.gov.cn/missing", 1, 404, &[], b"not found".to_vec())).unwrap();
    store.finish_snapshot(&snap).unwrap();
    store
}

#[test]
fn every_warc_file_passes_warcio_check_and_index() {
    let dir = tempfile::tempdir().unwrap();
    let store = write_store(dir.path());
    let n = validate_with_warcio(dir.path()).unwrap_or_else(|e| panic!("{e:#}"));
    assert!(n >= 3, "expected rolled files, got {n}");

    // warcio and our reader agree on every record's offset and id; the record types add up to what was written.
    let mut types = std::collections::BTreeMap::<String, usize>::new();
    for f in warc_files_under(dir.path()).unwrap() {
        let lines = warcio_check_file(&f).unwrap();
        for l in &lines {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            *types.entry(v["warc-type"].as_str().unwrap().to_string()).or_default() += 1;
        }
        let rel = f.strip_prefix(dir.path()).unwrap().to_string_lossy().replace('\\', "/");
        for l in lines {
            let v: serde_json::Value = serde_json::from_str(&l).unwrap();
            let off: u64 =
                v["offset"].as_str().map(|s| s.parse().unwrap()).unwrap_or_else(|| v["offset"].as_u64().unwrap());
            let rec = gongkai_archive::warc::read_record_at(&f, off).unwrap();
            assert_eq!(
                rec.record_id().map(|s| format!("<{s}>")),
                v["warc-record-id"].as_str().map(str::to_string),
                "{rel}@{off}"
            );
        }
    }
    assert_eq!(types.get("warcinfo"), Some(&n));
    assert_eq!(types.get("response"), Some(&(14 + 1)), "{types:?}");
    // Revisits: the home page, the 304, and the 404 page whose body is unchanged.
    assert_eq!(types.get("revisit"), Some(&3), "{types:?}");
    assert_eq!(types.get("request"), Some(&(14 + 4)), "{types:?}");

    let cap = store.latest_capture("wa").unwrap().unwrap();
    assert_eq!(cap.snapshot.seq, 2);
    let body = |path: &str| cap.pages.iter().find(|p| p.url.path() == path).unwrap().body.clone();
    assert_eq!(body("/"), b"<a href=/x>x</a>");
    assert_eq!(body("/lm"), b"lm");
    assert_eq!(body("/gz"), b"changed");
    let old = store.latest_capture("wb").unwrap().unwrap();
    let p = old.pages.iter().find(|p| p.url.path() == "/chunked").unwrap();
    assert_eq!(p.header("Transfer-Encoding"), Some("chunked"), "original header name restored");
    assert_eq!(p.body, b"abc\r\n0\r\n\r\n<p>chunk-like</p>");
    let g = old.pages.iter().find(|p| p.url.path() == "/gbk").unwrap();
    assert!(gongkai_archive::decode_html(&g.body, g.header("Content-Type")).0.contains("通知公告"));
}

#[test]
fn warcio_rejects_a_wrong_digest() {
    // The validation can fail: a record whose block digest is wrong is reported.
    let dir = tempfile::tempdir().unwrap();
    let rec = WarcRecordBuilder::new(RecordType::Warcinfo, Utc::now(), b"software: x\r\n".to_vec()).to_bytes();
    let text = String::from_utf8(rec).unwrap();
    let start = text.find("WARC-Block-Digest: sha1:").unwrap() + "WARC-Block-Digest: sha1:".len();
    let mut bad = text.clone();
    bad.replace_range(start..start + 4, if &text[start..start + 4] == "AAAA" { "BBBB" } else { "AAAA" });
    std::fs::write(dir.path().join("bad.warc.gz"), gzip(bad.as_bytes())).unwrap();
    let err = validate_with_warcio(dir.path()).expect_err("a wrong digest must fail");
    assert!(format!("{err:#}").contains("warcio check failed"), "{err:#}");
}
