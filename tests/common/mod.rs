//! Shared helpers for the end-to-end tests: run the real binary against the sample province on loopback.

#![allow(dead_code)]

use gongkai_sample::{default_t0, Province, SampleServer};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;

/// The binary under test.
pub fn gongkai() -> Command {
    Command::new(env!("CARGO_BIN_EXE_gongkai"))
}

/// Run it, returning the output; panics with both streams when it cannot start.
pub fn run(args: &[&str]) -> Output {
    gongkai().args(args).output().expect("start gongkai")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The default sample province at its fixed T0, served on loopback, with its fixture written into `dir`.
pub fn sample_server(dir: &Path) -> SampleServer {
    let server = SampleServer::start(Arc::new(Province::default_at(default_t0()))).expect("start sample server");
    server.write_fixture(dir).expect("write fixture");
    server
}

/// `--resolve` flags for every sample host, plus `--resolved-only` so nothing leaves loopback.
pub fn resolve_flags(server: &SampleServer) -> Vec<String> {
    let mut v = Vec::new();
    for r in server.resolve_args() {
        v.push("--resolve".to_string());
        v.push(r);
    }
    v.push("--resolved-only".to_string());
    v
}

/// The crawl flags of the end-to-end tests against the sample server: 50 requests/s per host, 32 sites at once, the
/// Crawl-delay site's 1 s capped at 100 ms (keeps the tests short and exercises the flag), and [`resolve_flags`].
pub fn fast_crawl_flags(server: &SampleServer) -> Vec<String> {
    let mut v: Vec<String> =
        ["--rate", "50/s", "--concurrency", "32", "--crawl-delay-cap", "100ms"].iter().map(|s| s.to_string()).collect();
    v.extend(resolve_flags(server));
    v
}

/// T0 of the sample, as `--as-of` takes it.
pub fn as_of() -> String {
    default_t0().to_rfc3339()
}
