//! How long writing every report takes for a province-sized run. The 2,000-site run is ignored by default (it is a
//! measurement, slow in debug builds on a shared machine); run it with
//! `cargo test -p gongkai-reports --release --test timing -- --ignored --nocapture`.

use gongkai_reports::{synthetic, write_all};
use std::time::{Duration, Instant};

fn time_write_all(n: usize) -> (Duration, u64) {
    let results = synthetic::results(n, 1);
    let previous = synthetic::results_at(n, 2, "2026-09-30T23:59:59+08:00");
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let w = write_all(&results, Some(&previous), dir.path()).unwrap();
    let took = started.elapsed();
    let bytes = w.files().map(|f| std::fs::metadata(f).unwrap().len()).sum();
    assert_eq!(w.site_pages.len(), n);
    (took, bytes)
}

#[test]
fn two_hundred_sites_render_quickly() {
    let (took, bytes) = time_write_all(200);
    eprintln!("write_all, 200 sites with comparison: {took:.2?}, {:.1} MB", bytes as f64 / 1e6);
    assert!(took < Duration::from_secs(60), "200 sites took {took:?}");
}

#[test]
#[ignore = "measurement; run with --ignored (ideally --release)"]
fn two_thousand_sites_render_in_seconds() {
    let (took, bytes) = time_write_all(2000);
    eprintln!("write_all, 2000 sites with comparison: {took:.2?}, {:.1} MB written", bytes as f64 / 1e6);
    assert!(took < Duration::from_secs(60), "2000 sites took {took:?}");
}
