//! Scoring throughput from the archive (issue 4): pages per second on the 100,000-page sample province
//! (1,000 plain county portals × 100 pages), one core.
//!
//! `cargo bench -p gongkai-scoring --bench throughput` (release). Environment:
//! - `GONGKAI_BENCH_SITES` (default 1000) and `GONGKAI_BENCH_PAGES` (default 100): the province's size;
//! - `GONGKAI_BENCH_STORE`: a directory to keep the store in (built once, reused by later runs); default a temp dir.
//!
//! The store is written with the archive's own API (WARC + sled), then read back site by site as `score` does. The
//! figures separate reading the archive (WARC decompression, index) from analysis + rubric.

#[path = "../tests/common/mod.rs"]
mod common;

use gongkai_archive::Store;
use gongkai_config::{Calendar, Rubric};
use gongkai_sample::{default_t0, Province, Scale};
use std::time::{Duration, Instant};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else to parse.
    let sites = env("GONGKAI_BENCH_SITES", 1000);
    let pages = env("GONGKAI_BENCH_PAGES", 100);
    let t0 = default_t0();
    let province = Province::generate_plain(gongkai_sample::DEFAULT_SEED, t0, Scale { sites, pages_per_site: pages });
    let tmp = tempfile::tempdir().unwrap();
    let dir =
        std::env::var("GONGKAI_BENCH_STORE").map(std::path::PathBuf::from).unwrap_or_else(|_| tmp.path().to_path_buf());
    let store = Store::open(&dir).unwrap();
    if store.sites().unwrap().len() < sites {
        let started = Instant::now();
        let truth = province.ground_truth(None);
        common::archive_captures(&store, &province, &truth.sites);
        eprintln!("built the store ({} sites) in {:.1}s", truth.sites.len(), started.elapsed().as_secs_f64());
    }
    let rubric = Rubric::default_rubric();
    let calendar = Calendar::default_cn();

    let mut read = Duration::ZERO;
    let mut score = Duration::ZERO;
    let mut n_pages = 0u64;
    let mut n_html = 0u64;
    let mut results = Vec::new();
    let all = Instant::now();
    let mut it = store.captures().unwrap();
    loop {
        let r0 = Instant::now();
        let Some(cap) = it.next() else { break };
        let cap = cap.unwrap();
        read += r0.elapsed();
        n_pages += cap.pages.len() as u64;
        n_html +=
            cap.pages.iter().filter(|p| p.header("content-type").is_some_and(|c| c.contains("html"))).count() as u64;
        let s0 = Instant::now();
        results.push(gongkai_scoring::score_capture(&cap, &rubric, &calendar, t0));
        score += s0.elapsed();
    }
    gongkai_scoring::rank(&mut results, &rubric);
    let total = all.elapsed();
    let rate = |d: Duration| n_pages as f64 / d.as_secs_f64();
    println!("sites {}  pages {} ({} HTML)", results.len(), n_pages, n_html);
    println!("read from archive      {:>8.2}s  {:>9.0} pages/s", read.as_secs_f64(), rate(read));
    println!("analysis + rubric      {:>8.2}s  {:>9.0} pages/s", score.as_secs_f64(), rate(score));
    println!("score_store end to end {:>8.2}s  {:>9.0} pages/s", total.as_secs_f64(), rate(total));
}
