//! Measure generation and rendering at benchmark scale:
//! `cargo run -p gongkai-sample --example scale -- 500 200` renders every page of every site once.
use gongkai_sample::{default_t0, Province, Scale, DEFAULT_SEED};
use std::time::Instant;

fn main() {
    let args: Vec<usize> = std::env::args().skip(1).map(|a| a.parse().unwrap()).collect();
    let scale =
        Scale { sites: args.first().copied().unwrap_or(500), pages_per_site: args.get(1).copied().unwrap_or(200) };
    let t = Instant::now();
    let p = Province::generate_plain(DEFAULT_SEED, default_t0(), scale);
    let gen = t.elapsed();
    let t = Instant::now();
    let gt = p.ground_truth(None);
    let truth = t.elapsed();
    let t = Instant::now();
    let mut bytes = 0usize;
    let mut n = 0usize;
    for s in &gt.sites {
        for u in &s.expected_pages {
            let url = url::Url::parse(u).unwrap();
            let r = p.render(url.host_str().unwrap(), url.path()).unwrap();
            assert_eq!(r.status, 200);
            bytes += r.body.len();
            n += 1;
        }
    }
    let render = t.elapsed();
    println!(
        "{} sites, {n} pages: generate {gen:?}, ground truth {truth:?}, render all {render:?} ({:.1} µs/page, {:.1} MB HTML)",
        p.len(),
        render.as_secs_f64() * 1e6 / n as f64,
        bytes as f64 / 1e6
    );
}
