//! The content checks' cost (issue 16): scoring pages/s on the sample province without the content rules, with the
//! shipped lexicons, with a 10,000-entry wrong-forms lexicon, and with 10,000-entry wrong-forms, sensitive-words and
//! spam lexicons at once, in one run over the same captures. (The spam words are matched on the pages outbound
//! links lead to, which the plain sample has few of: their cost is mostly building the automaton.)
//!
//! `cargo bench -p gongkai-scoring --bench lexicon` (release). Environment: `GONGKAI_BENCH_SITES` (default 1000),
//! `GONGKAI_BENCH_PAGES` (default 100), `GONGKAI_BENCH_ENTRIES` (default 10000), `GONGKAI_BENCH_STORE` (a directory to
//! keep the store in between runs, shared with the throughput bench).
//!
//! Each capture is read once and scored by the three rubrics in turn, so reading the archive is not in the figures and
//! the machine's noise falls on all three alike.

#[path = "../tests/common/mod.rs"]
mod common;

use gongkai_archive::Store;
use gongkai_config::lexicon::{SensitiveLexicon, SpamLexicon, WrongFormLexicon};
use gongkai_config::{Calendar, Rubric};
use gongkai_sample::{default_t0, Province, Scale};
use std::fmt::Write;
use std::time::{Duration, Instant};

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// `n` words of four Han characters from a fixed pseudo-random sequence (none a real phrase the sample prints); `salt`
/// gives each lexicon its own words.
fn han_words(n: usize, salt: u64) -> Vec<String> {
    let mut x: u64 = 0x2545_f491_4f6c_dd1d ^ salt;
    let mut han = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        char::from_u32(0x4E00 + (x % 0x51A0) as u32).unwrap()
    };
    (0..n).map(|_| (0..4).map(|_| han()).collect()).collect()
}

fn big_lexicon(n: usize) -> WrongFormLexicon {
    let mut text = String::new();
    for (i, wrong) in han_words(n, 0).iter().enumerate() {
        let grade = if i % 2 == 0 { "严重" } else { "一般" };
        let _ = write!(text, "[[entry]]\nwrong = \"{wrong}\"\nright = \"{wrong}正\"\ngrade = \"{grade}\"\n");
    }
    WrongFormLexicon::parse(&text, "bench.toml").unwrap()
}

fn big_sensitive(n: usize) -> SensitiveLexicon {
    let mut text = String::new();
    for word in han_words(n, 1) {
        let _ = write!(text, "[[entry]]\nword = \"{word}\"\n");
    }
    SensitiveLexicon::parse(&text, "bench-sensitive.toml").unwrap()
}

fn big_spam(n: usize) -> SpamLexicon {
    let mut text = String::new();
    for word in han_words(n, 2) {
        let _ = write!(text, "[[entry]]\nword = \"{word}\"\ncategory = \"博彩\"\n");
    }
    SpamLexicon::parse(&text, "bench-spam.toml").unwrap()
}

fn main() {
    let sites = env("GONGKAI_BENCH_SITES", 1000);
    let pages = env("GONGKAI_BENCH_PAGES", 100);
    let entries = env("GONGKAI_BENCH_ENTRIES", 10_000);
    let t0 = default_t0();
    let province = Province::generate_plain(gongkai_sample::DEFAULT_SEED, t0, Scale { sites, pages_per_site: pages });
    let tmp = tempfile::tempdir().unwrap();
    let dir =
        std::env::var("GONGKAI_BENCH_STORE").map(std::path::PathBuf::from).unwrap_or_else(|_| tmp.path().to_path_buf());
    let store = Store::open(&dir).unwrap();
    if store.sites().unwrap().len() < sites {
        let truth = province.ground_truth(None);
        common::archive_captures(&store, &province, &truth.sites);
    }
    let shipped = Rubric::default_rubric();
    let mut without = shipped.clone();
    without.rules.retain(|r| r.check.kind().family() != "content");
    let mut big = shipped.clone();
    let built = Instant::now();
    big.lexicons.wrong_forms = big_lexicon(entries);
    let build_time = built.elapsed();
    let mut all = big.clone();
    let built = Instant::now();
    all.lexicons.sensitive = big_sensitive(entries);
    all.lexicons.spam = big_spam(entries);
    let build_others = built.elapsed();
    let calendar = Calendar::default_cn();

    let rubrics = [
        ("without content rules", &without),
        ("shipped lexicons", &shipped),
        ("10,000-entry lexicon", &big),
        ("three 10,000-entry", &all),
    ];
    let mut times = [Duration::ZERO; 4];
    let mut n_pages = 0u64;
    let mut findings = [0usize; 4];
    for cap in store.captures().unwrap() {
        let cap = cap.unwrap();
        n_pages += cap.pages.len() as u64;
        for (k, (_, rubric)) in rubrics.iter().enumerate() {
            let s0 = Instant::now();
            let r = gongkai_scoring::score_capture(&cap, rubric, &calendar, t0);
            times[k] += s0.elapsed();
            findings[k] += r.findings.iter().filter(|f| f.rule.starts_with("content.")).count();
        }
    }
    println!(
        "pages {n_pages}; lexicon of {entries} entries built in {:.1} ms, the sensitive and spam ones in {:.1} ms",
        build_time.as_secs_f64() * 1e3,
        build_others.as_secs_f64() * 1e3
    );
    for (k, (name, _)) in rubrics.iter().enumerate() {
        let rate = n_pages as f64 / times[k].as_secs_f64();
        let ratio = times[0].as_secs_f64() / times[k].as_secs_f64();
        println!(
            "{name:<24} {:>8.2}s {rate:>9.0} pages/s  {ratio:.2}× the rate without  content findings {}",
            times[k].as_secs_f64(),
            findings[k]
        );
    }
}
