//! Removing a `Content-Encoding` (gzip, x-gzip, deflate as zlib or raw): the one implementation in gongkai.
//!
//! Three entry points, one set of decoders (flate2), every one bounded so a compression bomb costs its cap, not its size:
//! - [`ContentDecoder`]: while a body arrives (the crawler feeds it chunk by chunk and stops reading at the cap; the
//!   exchange is then archived with `WARC-Truncated: length`).
//! - [`decode_content`]: a whole body, strictly: stacked encodings undone, an error past the cap, for a corrupt
//!   stream or an unknown coding (the store reading pages back for scoring keeps the archived bytes then).
//! - [`decode_content_prefix`]: a whole body, leniently: whatever prefix decodes within the cap (link discovery in a
//!   truncated or damaged body, robots.txt).
//!
//! `deflate` is zlib-wrapped as the standard says, or raw as some servers send it: the whole-body decoders try zlib and
//! then raw; the streaming one tells them apart by the zlib header.

use std::io::{Read, Write};

use anyhow::{bail, Context, Result};

/// Remove a `Content-Encoding` (gzip, x-gzip, deflate; identity) from `body`, refusing to produce more than
/// `max_size` bytes so a compression bomb cannot exhaust memory. Stacked encodings (`gzip, deflate`) are undone in
/// reverse order. Brotli and other codings are reported as errors (gongkai does not advertise them).
pub fn decode_content(body: &[u8], content_encoding: Option<&str>, max_size: usize) -> Result<Vec<u8>> {
    let codings: Vec<String> = content_encoding
        .unwrap_or("")
        .split(',')
        .map(|c| c.trim().to_ascii_lowercase())
        .filter(|c| !c.is_empty() && c != "identity")
        .collect();
    let mut data = body.to_vec();
    for coding in codings.iter().rev() {
        data = match coding.as_str() {
            "gzip" | "x-gzip" => capped(Inflate::Gzip, &data, max_size).context("gzip 压缩的内容")?,
            "deflate" => {
                // Servers send either zlib-wrapped (as the standard says) or raw deflate; try both.
                match capped(Inflate::Zlib, &data, max_size) {
                    Ok(d) => d,
                    Err(e) if is_too_large(&e) => return Err(e),
                    Err(_) => capped(Inflate::Raw, &data, max_size).context("deflate 压缩的内容")?,
                }
            }
            other => bail!("不支持的 Content-Encoding {other:?}"),
        };
    }
    Ok(data)
}

/// The error text used when a decoded body exceeds its cap.
pub const TOO_LARGE: &str = "解压后的内容超过大小上限";

fn is_too_large(e: &anyhow::Error) -> bool {
    e.to_string().contains(TOO_LARGE)
}

/// One flate2 decoder over a whole body.
#[derive(Debug, Clone, Copy)]
enum Inflate {
    /// gzip members in sequence.
    Gzip,
    /// deflate in a zlib wrapper.
    Zlib,
    /// Raw deflate.
    Raw,
}

impl Inflate {
    /// At most `limit` decoded bytes of `data`, and whether the stream read cleanly that far (the bytes decoded before
    /// an error are kept).
    fn read(self, data: &[u8], limit: u64) -> (Vec<u8>, std::io::Result<usize>) {
        let mut out = Vec::new();
        let res = match self {
            Inflate::Gzip => flate2::read::MultiGzDecoder::new(data).take(limit).read_to_end(&mut out),
            Inflate::Zlib => flate2::read::ZlibDecoder::new(data).take(limit).read_to_end(&mut out),
            Inflate::Raw => flate2::read::DeflateDecoder::new(data).take(limit).read_to_end(&mut out),
        };
        (out, res)
    }
}

/// The whole of `data` decoded, or an error: a corrupt stream, or more than `max_size` bytes ([`TOO_LARGE`]).
fn capped(how: Inflate, data: &[u8], max_size: usize) -> Result<Vec<u8>> {
    let (out, res) = how.read(data, max_size as u64 + 1);
    res?;
    if out.len() > max_size {
        bail!("{TOO_LARGE}（{max_size} 字节）");
    }
    Ok(out)
}

/// Removes Content-Encoding (gzip, x-gzip, deflate as zlib or raw), reading at most `cap` decoded bytes: a gzip bomb
/// yields its first `cap` bytes and stops. An unencoded body yields its first `cap` bytes. Unknown encodings (stacked
/// ones included) and corrupt streams yield what could be decoded (possibly nothing); `body` is never changed.
pub fn decode_content_prefix(body: &[u8], content_encoding: Option<&str>, cap: usize) -> Vec<u8> {
    let enc = content_encoding.unwrap_or("").trim().to_ascii_lowercase();
    match enc.as_str() {
        "" | "identity" => body[..body.len().min(cap)].to_vec(),
        "gzip" | "x-gzip" => Inflate::Gzip.read(body, cap as u64).0,
        "deflate" => match Inflate::Zlib.read(body, cap as u64) {
            (out, Ok(_)) => out,
            // Not zlib-wrapped: raw deflate, as some servers send.
            (_, Err(_)) => Inflate::Raw.read(body, cap as u64).0,
        },
        _ => Vec::new(),
    }
}

/// Removes Content-Encoding while the body arrives, keeping at most `cap` decoded bytes. gzip (members in sequence),
/// x-gzip and deflate (zlib-wrapped as the standard says, or raw as some servers send: told apart by the zlib header).
/// A corrupt stream stops decoding (what was decoded is kept) but not reading.
pub struct ContentDecoder {
    state: DecoderState,
}

enum DecoderState {
    /// No Content-Encoding: nothing to do.
    Identity,
    /// An encoding we do not stream (chains, br): decoded later from the archived bytes, if at all.
    Unknown,
    /// deflate, waiting for two bytes to tell zlib from raw.
    Sniff(Vec<u8>, usize),
    Gzip(flate2::write::MultiGzDecoder<CapSink>),
    Zlib(flate2::write::ZlibDecoder<CapSink>),
    Raw(flate2::write::DeflateDecoder<CapSink>),
    /// Stopped (corrupt stream, or the cap reached): the decoded prefix.
    Done(CapSink),
}

/// A writer that keeps `cap` bytes and then refuses (so a decoder stops at once).
struct CapSink {
    buf: Vec<u8>,
    cap: usize,
    full: bool,
}

impl Write for CapSink {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        let room = self.cap - self.buf.len();
        if data.len() > room {
            self.buf.extend_from_slice(&data[..room]);
            self.full = true;
            return Err(std::io::Error::other("已达到解压大小上限"));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl ContentDecoder {
    /// A decoder for a body sent with `content_encoding`, keeping at most `cap` decoded bytes.
    pub fn new(content_encoding: Option<&str>, cap: usize) -> Self {
        let enc = content_encoding.unwrap_or("").trim().to_ascii_lowercase();
        let sink = || CapSink { buf: Vec::new(), cap, full: false };
        let state = match enc.as_str() {
            "" | "identity" => DecoderState::Identity,
            "gzip" | "x-gzip" => DecoderState::Gzip(flate2::write::MultiGzDecoder::new(sink())),
            "deflate" => DecoderState::Sniff(Vec::new(), cap),
            _ => DecoderState::Unknown,
        };
        ContentDecoder { state }
    }

    /// Feeds wire bytes; false once the decoded cap is reached (stop reading).
    pub fn feed(&mut self, data: &[u8]) -> bool {
        if let DecoderState::Sniff(head, cap) = &mut self.state {
            head.extend_from_slice(data);
            if head.len() < 2 {
                return true;
            }
            let (head, cap) = (std::mem::take(head), *cap);
            let sink = CapSink { buf: Vec::new(), cap, full: false };
            // RFC 1950: CM = 8 in the low nibble of the first byte, and the first two bytes a multiple of 31.
            let zlib = head[0] & 0x0f == 8 && (u16::from(head[0]) << 8 | u16::from(head[1])) % 31 == 0;
            self.state = if zlib {
                DecoderState::Zlib(flate2::write::ZlibDecoder::new(sink))
            } else {
                DecoderState::Raw(flate2::write::DeflateDecoder::new(sink))
            };
            return self.feed(&head);
        }
        let res = match &mut self.state {
            DecoderState::Gzip(d) => d.write_all(data),
            DecoderState::Zlib(d) => d.write_all(data),
            DecoderState::Raw(d) => d.write_all(data),
            _ => return true,
        };
        if res.is_ok() {
            return true;
        }
        let sink = self.stop();
        let full = sink.full;
        self.state = DecoderState::Done(sink);
        !full
    }

    /// Takes the sink out of a running decoder (flushing what it holds).
    fn stop(&mut self) -> CapSink {
        let empty = CapSink { buf: Vec::new(), cap: 0, full: false };
        match std::mem::replace(&mut self.state, DecoderState::Unknown) {
            DecoderState::Gzip(mut d) => {
                let _ = d.try_finish();
                std::mem::replace(d.get_mut(), empty)
            }
            DecoderState::Zlib(mut d) => {
                let _ = d.try_finish();
                std::mem::replace(d.get_mut(), empty)
            }
            DecoderState::Raw(mut d) => {
                let _ = d.try_finish();
                std::mem::replace(d.get_mut(), empty)
            }
            DecoderState::Done(s) => s,
            DecoderState::Sniff(head, cap) => {
                // Fewer than two bytes of deflate: nothing decodable.
                let _ = head;
                CapSink { buf: Vec::new(), cap, full: false }
            }
            DecoderState::Identity | DecoderState::Unknown => empty,
        }
    }

    /// The decoded prefix, for encoded bodies; None for an unencoded body (the body is the content) or an encoding
    /// not decoded while streaming.
    pub fn finish(mut self) -> Option<Vec<u8>> {
        match self.state {
            DecoderState::Identity | DecoderState::Unknown => None,
            _ => Some(self.stop().buf),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn gzip_and_deflate_decode() {
        assert_eq!(decode_content(&gzip(b"hello"), Some("gzip"), 100).unwrap(), b"hello");
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(b"zlib").unwrap();
        assert_eq!(decode_content(&z.finish().unwrap(), Some("deflate"), 100).unwrap(), b"zlib");
        let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        d.write_all(b"raw").unwrap();
        assert_eq!(decode_content(&d.finish().unwrap(), Some("Deflate"), 100).unwrap(), b"raw");
        assert_eq!(decode_content(b"plain", None, 100).unwrap(), b"plain");
        assert_eq!(decode_content(b"plain", Some("identity"), 100).unwrap(), b"plain");
        assert!(decode_content(b"x", Some("br"), 100).is_err());
    }

    #[test]
    fn gzip_bomb_is_capped() {
        // 64 MiB of zeros compress to ~64 KiB; the cap stops decoding at 1 MiB.
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..64 {
            e.write_all(&zeros).unwrap();
        }
        let bomb = e.finish().unwrap();
        assert!(bomb.len() < 1 << 20);
        let err = decode_content(&bomb, Some("gzip"), 1 << 20).unwrap_err();
        assert!(format!("{err:#}").contains(TOO_LARGE), "{err:#}");
        // Exactly at the cap is fine.
        assert_eq!(decode_content(&gzip(&zeros), Some("gzip"), 1 << 20).unwrap().len(), 1 << 20);
    }

    #[test]
    fn prefix_decoding_is_capped_and_lenient() {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(&vec![0u8; 4 << 20]).unwrap();
        let bomb = e.finish().unwrap();
        assert_eq!(decode_content_prefix(&bomb, Some("gzip"), 1 << 20).len(), 1 << 20);
        // A stream cut short yields what decoded; garbage, unknown and stacked codings yield nothing.
        let mut g = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        g.write_all(&b"<a href=x>".repeat(1000)).unwrap();
        let gz = g.finish().unwrap();
        let cut = decode_content_prefix(&gz[..gz.len() - 8], Some("GZIP"), 1 << 20);
        assert!(cut.starts_with(b"<a href=x>"), "{} bytes", cut.len());
        assert!(decode_content_prefix(b"not gzip", Some("gzip"), 100).is_empty());
        assert!(decode_content_prefix(b"x", Some("br"), 100).is_empty());
        assert!(decode_content_prefix(&gz, Some("gzip, identity"), 100).is_empty());
        let mut d = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
        d.write_all(b"raw").unwrap();
        assert_eq!(decode_content_prefix(&d.finish().unwrap(), Some("deflate"), 100), b"raw");
        assert_eq!(decode_content_prefix(b"plain", Some("identity"), 3), b"pla");
    }

    #[test]
    fn streaming_decoder_keeps_its_cap_and_says_stop() {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(&vec![b' '; 8 << 20]).unwrap();
        let bomb = e.finish().unwrap();
        let mut d = ContentDecoder::new(Some("x-gzip"), 100_000);
        let fed = bomb.chunks(512).take_while(|c| d.feed(c)).count() * 512;
        assert!(fed < bomb.len() / 2, "stopped after {fed} of {} wire bytes", bomb.len());
        assert_eq!(d.finish().map(|b| b.len()), Some(100_000));
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        z.write_all(b"zlib").unwrap();
        let mut d = ContentDecoder::new(Some("deflate"), 100);
        for c in z.finish().unwrap().chunks(1) {
            assert!(d.feed(c));
        }
        assert_eq!(d.finish().as_deref(), Some(&b"zlib"[..]));
        // Unencoded and unknown encodings are not decoded while streaming.
        assert_eq!(ContentDecoder::new(None, 100).finish(), None);
        assert_eq!(ContentDecoder::new(Some("br"), 100).finish(), None);
    }
}
