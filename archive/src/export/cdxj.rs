//! CDXJ indexes of WARC files, as pywb and WACZ read them.
//!
//! One line per `response`, `revisit` and `resource` record:
//! `<SURT key> <14-digit UTC timestamp> {"url","mime","status","digest","length","offset","filename"}` — the fields
//! and forms `cdxj-indexer` (py-wacz, pywb) writes: `mime` is the HTTP `Content-Type` without parameters
//! (`warc/revisit` for a revisit), numbers are strings, `length` and `offset` are those of the record's gzip member.
//! Lines are sorted bytewise, which is key then timestamp (a key holds no byte at or below the space), the order pywb's
//! binary search needs.
//!
//! A revisit without `WARC-Payload-Digest` (a 304 answer: no payload was received) gets the digest of the record its
//! `WARC-Refers-To` names, when that record is among the files indexed, so pywb can find the payload by digest.
//!
//! Big stores are sorted in bounded memory: lines are sorted in chunks of [`CHUNK_BYTES`], spilled to temporary files
//! and merged ([`merge_cdxj`], which also merges the indexes of several stores, e.g. the shards of a sharded run).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;

use crate::store::Store;
use crate::warc::{self, WarcFileReader, WarcRecord};

/// Lines are sorted in memory up to this many bytes, then spilled to a temporary file.
pub const CHUNK_BYTES: usize = 64 << 20;

/// One WARC file to index, and the name its lines give it in `filename`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarcSource {
    /// What `filename` says: the path a replay tool resolves against its archive directory.
    pub name: String,
    pub path: PathBuf,
}

/// What an index run wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CdxjSummary {
    /// WARC files read.
    pub files: usize,
    /// Lines written.
    pub lines: u64,
}

/// The JSON part of a line, in cdxj-indexer's field order.
#[derive(Serialize)]
struct Fields<'a> {
    url: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    mime: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    digest: Option<String>,
    length: String,
    offset: String,
    filename: &'a str,
}

/// A record's line, or None for a record type that is not indexed (request, warcinfo, metadata). `digest_of` gives the
/// payload digest of a record by id (for revisits that carry none).
fn line_of(rec: &WarcRecord, filename: &str, digest_of: &dyn Fn(&str) -> Option<String>) -> Option<String> {
    let kind = rec.record_type()?;
    if !matches!(kind, "response" | "revisit" | "resource") {
        return None;
    }
    let url = rec.target_uri()?;
    let ts = rec.date()?.format("%Y%m%d%H%M%S").to_string();
    let http = if kind == "resource" { None } else { rec.http_response().ok() };
    let mime = match kind {
        "revisit" => Some("warc/revisit".to_string()),
        "response" => http.as_ref().and_then(|h| h.header("Content-Type")).map(bare_mime),
        _ => rec.header("Content-Type").map(bare_mime),
    }
    .filter(|m| !m.is_empty());
    let digest = rec.header("WARC-Payload-Digest").map(str::to_string).or_else(|| match kind {
        "revisit" => rec.header("WARC-Refers-To").and_then(|id| digest_of(warc::strip_brackets(id))),
        "response" => http.as_ref().map(|h| warc::sha1_digest(&h.body)),
        _ => Some(warc::sha1_digest(&rec.block)),
    });
    let fields = Fields {
        url,
        mime,
        status: http.as_ref().map(|h| h.status.to_string()),
        digest,
        length: rec.length.to_string(),
        offset: rec.offset.to_string(),
        filename,
    };
    let json = serde_json::to_string(&fields).expect("CDXJ fields serialise");
    Some(format!("{} {} {}", super::surt(url), ts, json))
}

/// `text/html; charset=utf-8` → `text/html` (cdxj-indexer cuts at the first `;` or space).
fn bare_mime(ct: &str) -> String {
    ct.trim().split([';', ' ', '\t']).next().unwrap_or_default().to_string()
}

/// Sorts lines in bounded memory: chunks sorted in memory, spilled to temporary files, merged at the end.
struct Sorter {
    lines: Vec<String>,
    bytes: usize,
    spills: Vec<tempfile::NamedTempFile>,
    chunk: usize,
}

impl Sorter {
    fn new(chunk: usize) -> Sorter {
        Sorter { lines: Vec::new(), bytes: 0, spills: Vec::new(), chunk }
    }

    fn push(&mut self, line: String) -> Result<()> {
        self.bytes += line.len() + 1;
        self.lines.push(line);
        if self.bytes >= self.chunk {
            self.spill()?;
        }
        Ok(())
    }

    fn spill(&mut self) -> Result<()> {
        self.lines.sort_unstable();
        let tmp = tempfile::NamedTempFile::new().context("创建用于排序 CDXJ 索引的临时文件")?;
        let mut w = BufWriter::new(tmp.as_file());
        for l in self.lines.drain(..) {
            writeln!(w, "{l}")?;
        }
        w.flush()?;
        drop(w);
        self.bytes = 0;
        self.spills.push(tmp);
        Ok(())
    }

    fn finish(mut self, out: &mut dyn Write) -> Result<u64> {
        if self.spills.is_empty() {
            self.lines.sort_unstable();
            self.lines.dedup();
            for l in &self.lines {
                writeln!(out, "{l}")?;
            }
            return Ok(self.lines.len() as u64);
        }
        if !self.lines.is_empty() {
            self.spill()?;
        }
        let readers = self
            .spills
            .iter()
            .map(|t| Ok(Box::new(BufReader::new(t.reopen()?)) as Box<dyn BufRead>))
            .collect::<Result<Vec<_>>>()?;
        merge_readers(readers, out)
    }
}

/// A sorted CDXJ index of every WARC file of the store, written to `out`; `filename` is each file's path relative to
/// the store directory (`warc/2026-12/gongkai-….warc.gz`), so a replay tool whose archive directory is the store
/// directory finds them. Use [`write_cdxj_files`] to name the files otherwise (e.g. by base name, as in a WACZ).
pub fn write_cdxj(store: &Store, out: &mut impl Write) -> Result<CdxjSummary> {
    let files: Vec<WarcSource> =
        store.warc_files()?.into_iter().map(|rel| WarcSource { path: store.warc_path(&rel), name: rel }).collect();
    write_cdxj_files(&files, out)
}

/// A sorted CDXJ index of the given WARC files, written to `out`.
pub fn write_cdxj_files(files: &[WarcSource], out: &mut impl Write) -> Result<CdxjSummary> {
    write_cdxj_files_chunked(files, out, CHUNK_BYTES)
}

fn write_cdxj_files_chunked(files: &[WarcSource], out: &mut impl Write, chunk: usize) -> Result<CdxjSummary> {
    // Payload digests by record id, for revisits that carry none; those revisits wait until every file is read.
    let mut digests: HashMap<String, String> = HashMap::new();
    let mut waiting: Vec<(WarcRecord, String)> = Vec::new();
    let mut sorter = Sorter::new(chunk);
    let none = |_: &str| None;
    for src in files {
        for rec in WarcFileReader::open(&src.path)? {
            let rec = rec.with_context(|| format!("读取 {}", src.path.display()))?;
            let kind = rec.record_type().unwrap_or_default();
            if kind == "response" {
                if let (Some(id), Some(d)) = (rec.record_id(), rec.header("WARC-Payload-Digest")) {
                    digests.insert(id.to_string(), d.to_string());
                }
            }
            if kind == "revisit" && rec.header("WARC-Payload-Digest").is_none() {
                waiting.push((WarcRecord { block: without_body(&rec.block), ..rec }, src.name.clone()));
                continue;
            }
            if let Some(line) = line_of(&rec, &src.name, &none) {
                sorter.push(line)?;
            }
        }
    }
    let lookup = |id: &str| digests.get(id).cloned();
    for (rec, name) in &waiting {
        if let Some(line) = line_of(rec, name, &lookup) {
            sorter.push(line)?;
        }
    }
    let mut w = BufWriter::new(out);
    let lines = sorter.finish(&mut w)?;
    w.flush()?;
    Ok(CdxjSummary { files: files.len(), lines })
}

/// A revisit's block is its HTTP head; anything after it is not needed for its line.
fn without_body(block: &[u8]) -> Vec<u8> {
    match block.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(i) => block[..i + 4].to_vec(),
        None => block.to_vec(),
    }
}

/// Merge sorted CDXJ files into one sorted index (exact duplicate lines written once), e.g. the indexes of a sharded
/// run's stores. Returns the number of lines written.
pub fn merge_cdxj(inputs: &[PathBuf], out: &mut impl Write) -> Result<u64> {
    let readers = inputs
        .iter()
        .map(|p| {
            let f = File::open(p).with_context(|| format!("打开 {}", p.display()))?;
            Ok(Box::new(BufReader::new(f)) as Box<dyn BufRead>)
        })
        .collect::<Result<Vec<_>>>()?;
    let mut w = BufWriter::new(out);
    let n = merge_readers(readers, &mut w)?;
    w.flush()?;
    Ok(n)
}

/// k-way merge of sorted line streams; blank lines are skipped, a line out of order is an error naming the input.
pub fn merge_readers(mut inputs: Vec<Box<dyn BufRead>>, out: &mut dyn Write) -> Result<u64> {
    let next = |r: &mut Box<dyn BufRead>| -> Result<Option<String>> {
        let mut l = String::new();
        loop {
            l.clear();
            if r.read_line(&mut l)? == 0 {
                return Ok(None);
            }
            let t = l.trim_end_matches(['\r', '\n']);
            if !t.is_empty() {
                return Ok(Some(t.to_string()));
            }
        }
    };
    let mut heap = BinaryHeap::new();
    for (i, r) in inputs.iter_mut().enumerate() {
        if let Some(l) = next(r)? {
            heap.push(Reverse((l, i)));
        }
    }
    let mut last: Option<String> = None;
    let mut n = 0;
    while let Some(Reverse((line, i))) = heap.pop() {
        if let Some(l) = next(&mut inputs[i])? {
            if l < line {
                anyhow::bail!("第 {} 个 CDXJ 索引没有排序：{:?} 排在 {:?} 之后", i + 1, l, line);
            }
            heap.push(Reverse((l, i)));
        }
        if last.as_deref() != Some(line.as_str()) {
            writeln!(out, "{line}")?;
            n += 1;
            last = Some(line);
        }
    }
    Ok(n)
}

/// The path of a WARC file inside a store, for callers that name files themselves.
pub fn store_sources(store: &Store, name: impl Fn(&str) -> String) -> Result<Vec<WarcSource>> {
    Ok(store
        .warc_files()?
        .into_iter()
        .map(|rel| WarcSource { name: name(&rel), path: store.warc_path(&rel) })
        .collect())
}

/// Base name of a store-relative path (`warc/2026-12/x.warc.gz` → `x.warc.gz`).
pub fn base_name(rel: &str) -> String {
    Path::new(rel).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| rel.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Fetch, Store};

    fn site(id: &str) -> gongkai_config::Site {
        serde_json::from_value(serde_json::json!({
            "id": id, "name": "测试县人民政府", "url": format!("http://www.{id}.gov.cn/"),
            "region": ["四川省", "成都市", "测试县"], "level": "county", "platform": null,
            "rate": 2.0, "max_pages": 100, "max_depth": 3
        }))
        .unwrap()
    }

    fn fetch(u: &str, status: u16, ct: &str, headers: &[(&str, &str)], body: &str) -> Fetch {
        let mut h = vec![("Content-Type".to_string(), ct.to_string())];
        h.extend(headers.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        Fetch::get(url::Url::parse(u).unwrap(), 1, status, h, body.as_bytes().to_vec())
    }

    fn lines(bytes: &[u8]) -> Vec<(String, String, serde_json::Value)> {
        String::from_utf8(bytes.to_vec())
            .unwrap()
            .lines()
            .map(|l| {
                let mut p = l.splitn(3, ' ');
                let (k, t, j) = (p.next().unwrap(), p.next().unwrap(), p.next().unwrap());
                (k.to_string(), t.to_string(), serde_json::from_str(j).unwrap())
            })
            .collect()
    }

    /// Two snapshots: the second has an unchanged page (identical-payload revisit) and a 304 (not-modified revisit).
    fn two_month_store(dir: &Path) -> Store {
        let store = Store::open(dir).unwrap();
        let s = site("c");
        let s1 = store.begin_snapshot(&s).unwrap();
        let page = "text/html; charset=utf-8";
        store.record_fetch(&s1, &fetch("http://www.c.gov.cn/", 200, page, &[], "<title>首页</title>")).unwrap();
        store.record_fetch(&s1, &fetch("http://www.c.gov.cn/b.html", 200, page, &[("ETag", "\"v1\"")], "b")).unwrap();
        store.record_fetch(&s1, &fetch("http://www.c.gov.cn/s.css", 200, "text/css", &[], "body{}")).unwrap();
        store.finish_snapshot(&s1).unwrap();
        let s2 = store.begin_snapshot(&s).unwrap();
        store.record_fetch(&s2, &fetch("http://www.c.gov.cn/", 200, page, &[], "<title>首页</title>")).unwrap();
        let not_modified = Fetch::get(url::Url::parse("http://www.c.gov.cn/b.html").unwrap(), 1, 304, vec![], vec![]);
        store.record_fetch(&s2, &not_modified).unwrap();
        store.finish_snapshot(&s2).unwrap();
        store.flush().unwrap();
        store
    }

    #[test]
    fn index_has_a_sorted_line_per_response_and_revisit() {
        let dir = tempfile::tempdir().unwrap();
        let store = two_month_store(dir.path());
        let mut out = Vec::new();
        let sum = write_cdxj(&store, &mut out).unwrap();
        let ls = lines(&out);
        assert_eq!(sum.lines, 5, "{}", String::from_utf8_lossy(&out));
        assert_eq!(ls.len(), 5);
        let text = String::from_utf8(out.clone()).unwrap();
        let raw: Vec<&str> = text.lines().collect();
        assert!(raw.windows(2).all(|w| w[0] <= w[1]), "not sorted");
        assert!(ls.windows(2).all(|w| (&w[0].0, &w[0].1) <= (&w[1].0, &w[1].1)), "not sorted by key, timestamp");
        let keys: Vec<&str> = ls.iter().map(|l| l.0.as_str()).collect();
        assert_eq!(keys, ["cn,gov,c)/", "cn,gov,c)/", "cn,gov,c)/b.html", "cn,gov,c)/b.html", "cn,gov,c)/s.css"]);
        for (_, ts, j) in &ls {
            assert_eq!(ts.len(), 14);
            assert!(ts.bytes().all(|b| b.is_ascii_digit()));
            let file = j["filename"].as_str().unwrap();
            assert!(file.starts_with("warc/"), "{file}");
            // The offset and length are those of the record's gzip member.
            let rec =
                crate::warc::read_record_at(&store.warc_path(file), j["offset"].as_str().unwrap().parse().unwrap())
                    .unwrap();
            assert_eq!(rec.length.to_string(), j["length"].as_str().unwrap());
            assert_eq!(rec.target_uri(), j["url"].as_str());
            assert!(j["digest"].as_str().unwrap().starts_with("sha1:"), "{j}");
        }
        let by = |url: &str, mime: &str| ls.iter().filter(|l| l.2["url"] == url && l.2["mime"] == mime).count();
        assert_eq!(by("http://www.c.gov.cn/", "text/html"), 1);
        assert_eq!(by("http://www.c.gov.cn/", "warc/revisit"), 1);
        assert_eq!(by("http://www.c.gov.cn/s.css", "text/css"), 1);
        // The 304 revisit (an empty block: replayed as the earlier capture) carries the digest of the response it
        // refers to, and no status of its own.
        let b: Vec<_> = ls.iter().filter(|l| l.2["url"] == "http://www.c.gov.cn/b.html").collect();
        assert_eq!(b[0].2["status"], "200");
        assert_eq!(b[1].2.get("status"), None);
        assert_eq!(b[1].2["mime"], "warc/revisit");
        assert_eq!(b[0].2["digest"], b[1].2["digest"]);
    }

    #[test]
    fn chunked_sort_and_merge_give_the_same_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = two_month_store(dir.path());
        let files = store_sources(&store, base_name).unwrap();
        let mut whole = Vec::new();
        write_cdxj_files(&files, &mut whole).unwrap();
        let mut chunked = Vec::new();
        write_cdxj_files_chunked(&files, &mut chunked, 1).unwrap();
        assert_eq!(String::from_utf8_lossy(&whole), String::from_utf8_lossy(&chunked));
        assert!(lines(&whole).iter().all(|l| l.2["filename"].as_str().unwrap().starts_with("gongkai-")), "base names");

        // Merging two halves (and a repeated half) gives the whole index.
        let text = String::from_utf8(whole.clone()).unwrap();
        let all: Vec<&str> = text.lines().collect();
        let (odd, even): (Vec<_>, Vec<_>) = all.iter().enumerate().partition(|(i, _)| i % 2 == 1);
        let t = tempfile::tempdir().unwrap();
        let write = |name: &str, ls: &[(usize, &&str)]| {
            let p = t.path().join(name);
            std::fs::write(&p, ls.iter().map(|(_, l)| format!("{l}\n")).collect::<String>()).unwrap();
            p
        };
        let (a, b) = (write("a.cdxj", &odd), write("b.cdxj", &even));
        let mut merged = Vec::new();
        let n = merge_cdxj(&[a.clone(), b, a.clone()], &mut merged).unwrap();
        assert_eq!(n as usize, all.len());
        assert_eq!(merged, whole);

        // An unsorted input is refused, naming it.
        let bad = t.path().join("bad.cdxj");
        std::fs::write(&bad, "b 1 {}\na 1 {}\n").unwrap();
        let err = merge_cdxj(&[a, bad], &mut Vec::new()).unwrap_err();
        assert!(err.to_string().contains("第 2 个 CDXJ 索引没有排序"), "{err}");
    }

    /// The lines agree with those of `cdxj-indexer` (py-wacz's and pywb's indexer), when it is installed (.ci/run
    /// installs it with py-wacz); its extra lines for gongkai's metadata records are not compared.
    #[test]
    fn lines_agree_with_cdxj_indexer() {
        let dir = tempfile::tempdir().unwrap();
        let store = two_month_store(dir.path());
        let files = store_sources(&store, base_name).unwrap();
        let mut ours = Vec::new();
        write_cdxj_files(&files, &mut ours).unwrap();
        let mut cmd = std::process::Command::new("cdxj-indexer");
        cmd.args(files.iter().map(|f| &f.path));
        let Ok(o) = cmd.output() else {
            eprintln!("cdxj-indexer is not installed (pip install cdxj-indexer): comparison skipped");
            return;
        };
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let theirs = lines(&o.stdout);
        let ours = lines(&ours);
        for (k, t, j) in &ours {
            let found = theirs.iter().find(|l| l.2["offset"] == j["offset"] && l.2["filename"] == j["filename"]);
            let Some((tk, tt, tj)) = found else { panic!("cdxj-indexer has no line for {j}") };
            assert_eq!((k, t), (tk, tt), "{j}");
            for f in ["url", "mime", "status", "length", "filename"] {
                assert_eq!(j.get(f), tj.get(f), "{f} of {j} vs {tj}");
            }
            if j["mime"] != "warc/revisit"
                || tj.get("digest").is_some_and(|d| d != "sha1:3I42H3S6NNFQ2MSVX7XZKYAYSCX5QBYJ")
            {
                assert_eq!(j.get("digest"), tj.get("digest"), "{j} vs {tj}");
            }
        }
        let indexed = theirs.iter().filter(|l| l.2.get("mime").is_some_and(|m| m != "application/json")).count();
        eprintln!("{}", String::from_utf8_lossy(&o.stdout));
        assert_eq!(indexed, ours.len());
    }

    #[test]
    fn mime_loses_its_parameters() {
        assert_eq!(bare_mime("text/html; charset=utf-8"), "text/html");
        assert_eq!(bare_mime("text/html;charset=gbk"), "text/html");
        assert_eq!(bare_mime(" image/png "), "image/png");
    }
}
