//! Peak RSS of `gongkai run` on the fault farm (issue 10; goal ≤ 300 MB for the whole farm): the whole farm in one
//! crawl, then one crawl per hostile behaviour, each against a baseline crawl of the plain small site measured in the
//! same run. Peak RSS is the child's VmHWM, polled from /proc.
//!
//! `cargo bench --bench fault_farm` (the release binary; the per-behaviour crawls run side by side to keep it short:
//! each is its own process, so its peak is its own).

#[path = "../tests/fault_farm/mod.rs"]
mod fault_farm;

use fault_farm::{FaultFarm, BEHAVIOURS};
use std::path::Path;
use std::time::Duration;

fn crawl(farm: &FaultFarm, dir: &Path, only: &[&str]) -> (String, u64, Duration) {
    std::fs::create_dir_all(dir).unwrap();
    let sites = dir.join("sites.toml");
    std::fs::write(&sites, farm.sites_toml(only)).unwrap();
    // FAULT_FARM_BIN=path: measure another gongkai binary (an older build, for a before/after figure).
    let bin = std::env::var_os("FAULT_FARM_BIN").unwrap_or_else(|| env!("CARGO_BIN_EXE_gongkai").into());
    let mut cmd = std::process::Command::new(bin);
    cmd.arg("run").arg("--sites").arg(&sites).arg("--out").arg(dir.join("out")).arg("--store").arg(dir.join("store"));
    cmd.args(["--rate", "50/s", "--concurrency", "32"]).args(farm.resolve_flags());
    let (status, peak, took, _, stderr) = fault_farm::run_measured(cmd, Duration::from_secs(600));
    let exit = match status {
        Some(s) if s.success() => "0".to_string(),
        Some(s) => {
            eprintln!("{only:?}: {}", String::from_utf8_lossy(&stderr));
            s.code().map_or("signal".into(), |c| c.to_string())
        }
        None => "killed (600 s)".to_string(),
    };
    (exit, peak, took)
}

fn main() {
    let farm = FaultFarm::start();
    let tmp = tempfile::tempdir().unwrap();
    let (_, base, base_t) = crawl(&farm, &tmp.path().join("baseline"), &["plain"]);
    // FAULT_FARM_ONLY=amplify,links: only those behaviours, one crawl each (no whole-farm crawl).
    let only = std::env::var("FAULT_FARM_ONLY").ok();
    let (whole_exit, whole, whole_t) = match only {
        None => crawl(&farm, &tmp.path().join("whole"), &[]),
        Some(_) => ("-".to_string(), 0, Duration::ZERO),
    };
    let per: Vec<_> = std::thread::scope(|s| {
        let handles: Vec<_> = BEHAVIOURS
            .iter()
            .filter(|(id, _)| *id != "plain" && only.as_ref().map_or(true, |o| o.split(',').any(|x| x == *id)))
            .map(|(id, what)| {
                let (farm, dir) = (&farm, tmp.path().join(id));
                s.spawn(move || (*id, *what, crawl(farm, &dir, &[id])))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mib = |k: u64| k as f64 / 1024.0;
    println!("fault farm peak RSS (VmHWM of `gongkai run`, release build)");
    println!("{:<16} {:>9} {:>7} {:>8} {:>5}  what", "crawl", "peak MiB", "x base", "wall s", "exit");
    println!(
        "{:<16} {:>9.1} {:>7.2} {:>8.1} {:>5}  {}",
        "baseline",
        mib(base),
        1.0,
        base_t.as_secs_f64(),
        "0",
        "plain"
    );
    println!(
        "{:<16} {:>9.1} {:>7.2} {:>8.1} {:>5}  all {} sites in one crawl (goal <= 300 MB)",
        "whole farm",
        mib(whole),
        whole as f64 / base as f64,
        whole_t.as_secs_f64(),
        whole_exit,
        BEHAVIOURS.len()
    );
    for (id, what, (exit, peak, t)) in per {
        println!(
            "{:<16} {:>9.1} {:>7.2} {:>8.1} {:>5}  {what}",
            id,
            mib(peak),
            peak as f64 / base as f64,
            t.as_secs_f64(),
            exit
        );
    }
}
