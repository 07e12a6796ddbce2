//! One gzip member per WARC record, compressed with a deflate state that is reused rather than made anew.
//!
//! Every record of a `.warc.gz` file is its own gzip member, so that any record can be read from its offset. A page
//! makes three records (response, request, index metadata), two of them a few hundred bytes. `GzEncoder::new` sets up
//! a fresh deflate state for each: its window and hash tables are allocated and zeroed, nearly half the time of a
//! request record (`cargo bench -p gongkai-archive --bench compression`: 19.4 µs a request record with a fresh state,
//! 10.6 µs with a reused one). Here a finished state is reset (`Compress::reset`, which clears
//! only what the next stream needs) and kept in a small pool for the next record. A reset state writes the same bytes
//! as a fresh one, and the header and trailer are `GzEncoder`'s (unit tests compare them).
//!
//! ```
//! use std::io::Read;
//! let member = gongkai_archive::gzip_member(&[b"WARC/1.1\r\n", b"..."], 1);
//! let mut back = Vec::new();
//! flate2::read::GzDecoder::new(&member[..]).read_to_end(&mut back).unwrap();
//! assert_eq!(back, b"WARC/1.1\r\n...");
//! ```

use flate2::{Compress, Compression, FlushCompress, Status};
use std::sync::Mutex;

/// Deflate states kept for reuse, by level (at most [`POOL_SIZE`] of them: one per thread compressing at once).
static POOL: Mutex<Vec<(u32, Compress)>> = Mutex::new(Vec::new());

/// Most states the pool keeps. Records are compressed by the store's callers on a few blocking threads; a state left
/// over beyond this is dropped.
const POOL_SIZE: usize = 8;

/// The concatenation of `parts` as one complete gzip member at `level` (header, raw deflate stream, CRC-32, length).
pub fn gzip_member(parts: &[&[u8]], level: u32) -> Vec<u8> {
    let mut state = take(level);
    let out = member_with(&mut state, parts, level);
    give_back(level, state);
    out
}

/// [`gzip_member`] with the given state (fresh or reset).
fn member_with(state: &mut Compress, parts: &[&[u8]], level: u32) -> Vec<u8> {
    let total: usize = parts.iter().map(|p| p.len()).sum();
    let mut out = Vec::with_capacity(total / 3 + 64);
    // The header `GzEncoder` writes: no name, no mtime, XFL by level, OS 255 ("unknown", for reproducible bytes).
    let xfl = if level >= Compression::best().level() {
        2
    } else if level <= Compression::fast().level() {
        4
    } else {
        0
    };
    out.extend_from_slice(&[0x1f, 0x8b, 8, 0, 0, 0, 0, 0, xfl, 255]);
    let mut crc = crc32fast::Hasher::new();
    for (i, part) in parts.iter().enumerate() {
        crc.update(part);
        let last = i + 1 == parts.len();
        deflate_into(state, part, &mut out, if last { FlushCompress::Finish } else { FlushCompress::None });
    }
    if parts.is_empty() {
        deflate_into(state, &[], &mut out, FlushCompress::Finish);
    }
    out.extend_from_slice(&crc.finalize().to_le_bytes());
    out.extend_from_slice(&(total as u32).to_le_bytes());
    out
}

/// Feed `input` to the state, growing `out` as needed; with `Finish`, until the stream has ended.
fn deflate_into(state: &mut Compress, mut input: &[u8], out: &mut Vec<u8>, flush: FlushCompress) {
    loop {
        if out.capacity() - out.len() < 256 {
            out.reserve(out.capacity().max(4096));
        }
        let before = state.total_in();
        let status = state.compress_vec(input, out, flush).expect("deflate into a buffer with room cannot fail");
        input = &input[(state.total_in() - before) as usize..];
        let done = match flush {
            FlushCompress::Finish => status == Status::StreamEnd,
            _ => input.is_empty(),
        };
        if done {
            return;
        }
    }
}

fn take(level: u32) -> Compress {
    let mut pool = POOL.lock().unwrap_or_else(|e| e.into_inner());
    match pool.iter().position(|(l, _)| *l == level) {
        Some(i) => pool.swap_remove(i).1,
        None => Compress::new(Compression::new(level), false),
    }
}

fn give_back(level: u32, mut state: Compress) {
    state.reset();
    let mut pool = POOL.lock().unwrap_or_else(|e| e.into_inner());
    if pool.len() < POOL_SIZE {
        pool.push((level, state));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    fn gz_encoder(data: &[u8], level: u32) -> Vec<u8> {
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), Compression::new(level));
        enc.write_all(data).unwrap();
        enc.finish().unwrap()
    }

    /// Bytes of every size class, text-like and random-like, compressible and not.
    fn inputs() -> Vec<Vec<u8>> {
        let mut x = 0x2545_f491_u32;
        let mut noise = || {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        };
        let page = "<li><a href=\"/art/2026/12/1.html\">关于印发通知</a><span>2026-12-01</span></li>\n".repeat(4000);
        vec![
            Vec::new(),
            b"x".to_vec(),
            b"GET / HTTP/1.1\r\nHost: www.example.gov.cn\r\nUser-Agent: gongkai\r\n\r\n".to_vec(),
            page.into_bytes(),
            (0..300_000).map(|_| noise()).collect(),
        ]
    }

    /// A reset state writes exactly what a fresh one writes (nothing of the previous record leaks into the next), and
    /// the header and trailer are `GzEncoder`'s.
    #[test]
    fn a_reused_state_writes_what_a_fresh_one_writes() {
        for level in [1, 6, 9] {
            for _round in 0..3 {
                for data in inputs() {
                    let cut = data.len() / 3;
                    let parts: [&[u8]; 3] = [&data[..cut], &[], &data[cut..]];
                    let fresh = member_with(&mut Compress::new(Compression::new(level), false), &parts, level);
                    let pooled = gzip_member(&parts, level);
                    assert!(pooled == fresh, "level {level}, {} bytes: a reused state wrote other bytes", data.len());
                    let theirs = gz_encoder(&data, level);
                    assert_eq!(pooled[..10], theirs[..10], "header");
                    assert_eq!(pooled[pooled.len() - 8..], theirs[theirs.len() - 8..], "CRC-32 and length");
                }
            }
        }
        assert!(gzip_member(&[], 1) == gz_encoder(b"", 1));
    }

    #[test]
    fn members_decode_to_their_input() {
        for data in inputs() {
            let member = gzip_member(&[&data[..data.len() / 2], &data[data.len() / 2..]], 1);
            let mut back = Vec::new();
            flate2::read::GzDecoder::new(&member[..]).read_to_end(&mut back).unwrap();
            assert_eq!(back, data);
        }
    }

    #[test]
    fn states_are_reused_from_a_bounded_pool() {
        // Several threads at once: every state comes back, the pool never keeps more than its size.
        std::thread::scope(|s| {
            for _ in 0..12 {
                s.spawn(|| {
                    for _ in 0..20 {
                        gzip_member(&[b"abc"], 3);
                    }
                });
            }
        });
        let pool = POOL.lock().unwrap();
        assert!(pool.len() <= POOL_SIZE, "{}", pool.len());
        assert!(pool.iter().any(|(l, _)| *l == 3), "a finished state is kept for the next record");
    }
}
