//! Which gzip level the WARC writer uses, by measurement. Every record is its own gzip member (so any record can be
//! read from its offset), so what counts is the cost of compressing one page-sized member, not a stream. Run in
//! release:
//!
//! ```text
//! cargo bench -p gongkai-archive --bench compression
//! ```
//! Input: the real government pages in `tests/fixtures/real/` (as archived, each preceded by a typical WARC and HTTP
//! head). For each level it prints the CPU time per record and the compressed size against level 6 (zlib's default).
//! Then, at the level the writer uses, a fresh `GzEncoder` per record against the store's reused deflate state
//! ([`gongkai_archive::gzip_member`]), for the page records and for request records (a few hundred bytes each).

use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;
use std::time::Instant;

fn main() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/real");
    let head = "WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://www.example.gov.cn/col/col123/index.html\r\n\
        WARC-Record-ID: <urn:uuid:6f1c3c1e-2f0b-4a8e-9d6b-0c1a2b3c4d5e>\r\nWARC-Date: 2026-12-01T08:00:00Z\r\n\
        WARC-Payload-Digest: sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\r\nContent-Type: application/http;msgtype=response\r\n\r\n\
        HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html; charset=utf-8\r\nDate: Tue, 01 Dec 2026 08:00:00 GMT\r\n\r\n";
    let mut records: Vec<Vec<u8>> = Vec::new();
    for e in std::fs::read_dir(&dir).expect("tests/fixtures/real") {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "html") {
            let mut r = head.as_bytes().to_vec();
            r.extend(std::fs::read(&p).unwrap());
            records.push(r);
        }
    }
    let raw: usize = records.iter().map(Vec::len).sum();
    let rounds = (200_000_000 / raw.max(1)).max(1);
    let mut at6 = None;
    let mut rows = Vec::new();
    for level in [6u32, 1, 2, 3, 4, 5, 9] {
        let t0 = Instant::now();
        let mut out = 0;
        for _ in 0..rounds {
            for r in &records {
                let mut enc = GzEncoder::new(Vec::with_capacity(r.len() / 3 + 64), Compression::new(level));
                enc.write_all(r).unwrap();
                out += enc.finish().unwrap().len();
            }
        }
        let per = t0.elapsed().as_secs_f64() * 1e6 / (rounds * records.len()) as f64;
        let size = out as f64 / rounds as f64;
        if level == 6 {
            at6 = Some((per, size));
        }
        rows.push((level, per, size));
    }
    let (t6, s6) = at6.unwrap();
    println!("RESULT compression.records={} raw_bytes={raw} rounds={rounds}", records.len());
    rows.sort_by_key(|r| r.0);
    for (level, per, size) in rows {
        println!(
            "RESULT compression.level={level} us_per_record={per:.1} time_vs_6={:.2} size_vs_6={:.3} ratio={:.3}",
            per / t6,
            size / s6,
            size / raw as f64
        );
    }
    let request = b"WARC/1.1\r\nWARC-Type: request\r\nWARC-Target-URI: http://www.example.gov.cn/col/col123/index.html\r\n\
        WARC-Record-ID: <urn:uuid:6f1c3c1e-2f0b-4a8e-9d6b-0c1a2b3c4d5e>\r\nWARC-Date: 2026-12-01T08:00:00Z\r\n\r\n\
        GET /col/col123/index.html HTTP/1.1\r\nHost: www.example.gov.cn\r\nUser-Agent: gongkai/0.1 (+https://example.org/gongkai)\r\n\
        Accept: text/html,*/*\r\nAccept-Encoding: gzip\r\n\r\n"
        .to_vec();
    let level = gongkai_archive::warc::GZIP_LEVEL;
    for (what, set) in [("page", records.clone()), ("request", vec![request; 200])] {
        let bytes: usize = set.iter().map(Vec::len).sum();
        let rounds = (50_000_000 / bytes.max(1)).max(1);
        let time = |reuse: bool| {
            let t0 = Instant::now();
            let mut out = 0;
            for _ in 0..rounds {
                for r in &set {
                    out += if reuse {
                        gongkai_archive::gzip_member(&[r], level).len()
                    } else {
                        let mut enc = GzEncoder::new(Vec::with_capacity(r.len() / 3 + 64), Compression::new(level));
                        enc.write_all(r).unwrap();
                        enc.finish().unwrap().len()
                    };
                }
            }
            (t0.elapsed().as_secs_f64() * 1e6 / (rounds * set.len()) as f64, out)
        };
        let (fresh, a) = time(false);
        let (reused, b) = time(true);
        println!(
            "RESULT compression.state records={what} level={level} us_fresh={fresh:.2} us_reused={reused:.2} \
             time_vs_fresh={:.2} size_vs_fresh={:.3}",
            reused / fresh,
            b as f64 / a as f64
        );
    }
}
