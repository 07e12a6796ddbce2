//! Scale check (ignored by default; run with `cargo test -p gongkai-archive --release --test scale -- --ignored
//! --nocapture`): a 100,000-page crawl through the sled frontier and the WARC writer, reporting time and peak RSS.
//! The frontier and index live in sled, so peak memory stays far below the 300 MB budget.

use std::time::Instant;

use gongkai_archive::{Fetch, Store};
use gongkai_config::Site;
use url::Url;

fn peak_rss_mb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

#[test]
#[ignore = "scale measurement: takes minutes"]
fn hundred_thousand_pages_stay_small() {
    let pages: usize = std::env::var("SCALE_PAGES").ok().and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let dir = tempfile::tempdir().unwrap();
    let cache_mb: u64 = std::env::var("SCALE_CACHE_MB").ok().and_then(|s| s.parse().ok()).unwrap_or(2);
    let stop_after: usize = std::env::var("SCALE_STOP_AFTER").ok().and_then(|s| s.parse().ok()).unwrap_or(usize::MAX);
    let store = Store::open_with(
        dir.path(),
        gongkai_archive::StoreOptions { cache_bytes: cache_mb << 20, ..Default::default() },
    )
    .unwrap();
    let site: Site = serde_json::from_value(serde_json::json!({
        "id": "scale", "name": "规模测试", "url": "http://www.scale.gov.cn/p0",
        "region": ["测试省"], "level": "province", "platform": null,
        "rate": 100.0, "max_pages": 1000000, "max_depth": 100
    }))
    .unwrap();
    let snap = store.begin_snapshot(&site).unwrap();
    let fr = store.frontier(&snap);
    let u = |i: usize| Url::parse(&format!("http://www.scale.gov.cn/p{i}")).unwrap();
    let t = Instant::now();
    if std::env::var_os("SCALE_PUSH_ONLY").is_some() {
        for i in 0..pages {
            fr.push_url(&u(i), 1).unwrap();
        }
        eprintln!("pushed {pages} URLs in {:.1}s, peak RSS {:.0} MB", t.elapsed().as_secs_f64(), peak_rss_mb());
        return;
    }
    fr.push_url(&u(0), 0).unwrap();
    let mut n = 0;
    while let Some(e) = fr.next().unwrap() {
        let i: usize = e.url.path()[2..].parse().unwrap();
        for c in (1..=10).map(|k| 10 * i + k) {
            if c < pages {
                fr.push_url(&u(c), e.depth + 1).unwrap();
            }
        }
        let body: String = (0..400).map(|k| format!("<li>{}</li>", (i * 7 + k) % 100_003)).collect();
        let f = Fetch::get(e.url, e.depth, 200, vec![("Content-Type".into(), "text/html".into())], body.into_bytes());
        store.record_fetch(&snap, &f).unwrap();
        n += 1;
        if n == stop_after {
            eprintln!("stopped after {n} pages, {:.1}s, peak RSS {:.0} MB", t.elapsed().as_secs_f64(), peak_rss_mb());
            return;
        }
        if n % 10_000 == 0 {
            eprintln!("{n} pages, {:.1}s, peak RSS {:.0} MB", t.elapsed().as_secs_f64(), peak_rss_mb());
        }
    }
    store.finish_snapshot(&snap).unwrap();
    let secs = t.elapsed().as_secs_f64();
    let warc_bytes: u64 =
        store.warc_files().unwrap().iter().map(|f| std::fs::metadata(store.warc_path(f)).unwrap().len()).sum();
    eprintln!(
        "{n} pages in {secs:.1}s ({:.0} pages/s), WARC {:.0} MB, peak RSS {:.0} MB",
        n as f64 / secs,
        warc_bytes as f64 / 1e6,
        peak_rss_mb()
    );
    assert_eq!(n, pages);
    assert!(peak_rss_mb() < 300.0, "peak RSS {:.0} MB", peak_rss_mb());
}
