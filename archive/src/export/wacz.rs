//! WACZ 1.1.1 packages (Web Archive Collection Zipped): a store, or chosen snapshots of it, as one file that
//! ReplayWeb.page and pywb open and that can be handed over with an appeal.
//!
//! Contents, as the specification and py-wacz lay them out:
//! - `archive/*.warc.gz`: the WARC files, *stored* (not deflated), so a reader can seek to a record inside the zip;
//! - `indexes/index.cdx`: the sorted CDXJ index of those files ([`super::cdxj`]), under the name pywb's `--unpack-wacz`
//!   and py-wacz look for (`.cdx`; the lines are CDXJ);
//! - `pages/pages.jsonl`: a header line, then one line per archived HTML page answered 200 (its URL, time, title);
//! - `datapackage.json`: `profile`, `wacz_version` `1.1.1`, and every file above with its `sha256:` hash and size;
//! - `datapackage-digest.json`: the hash of `datapackage.json`.
//!
//! The whole store is packed with its WARC files as they are. Chosen snapshots ([`Selection::Snapshots`]) are packed
//! as one WARC file made of copies of exactly their records — each fetch's response or revisit and request, the record
//! that holds a revisit's payload even when an earlier snapshot wrote it ([`Store::resolve_payload`]), and the
//! `warcinfo` of every file they come from — gzip members copied byte for byte, so digests stay valid.

use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};
use chrono::{Datelike, Timelike, Utc};
use once_cell::sync::Lazy;
use serde::Serialize;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use super::cdxj::{self, WarcSource};
use crate::store::{Snapshot, Store, SOFTWARE};
use crate::warc::{self, WarcFileReader};

/// The WACZ version written.
pub const WACZ_VERSION: &str = "1.1.1";

/// What goes into the package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// Every WARC file of the store, as it is.
    Store,
    /// The records of these snapshots (and the payloads their revisits refer to).
    Snapshots(Vec<SnapshotPick>),
}

/// One `--snapshot` choice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SnapshotPick {
    /// `latest`: every site's latest snapshot (the latest finished one, as scoring reads).
    LatestOfEverySite,
    /// `SITE`: that site's latest snapshot.
    LatestOf(String),
    /// `SITE:SEQ`: that snapshot.
    Exactly(String, u64),
}

impl SnapshotPick {
    /// `latest`, `SITE` or `SITE:SEQ` (seq counts from 1).
    pub fn parse(text: &str) -> Result<SnapshotPick> {
        let t = text.trim();
        if t == "latest" {
            return Ok(SnapshotPick::LatestOfEverySite);
        }
        match t.split_once(':') {
            Some((site, seq)) => {
                let seq: u64 =
                    seq.parse().ok().filter(|n| *n > 0).with_context(|| {
                        format!("快照 {t:?}：序号应为正整数（写作 网站ID:序号，如 sc-cd-jinniu:2）")
                    })?;
                Ok(SnapshotPick::Exactly(site.to_string(), seq))
            }
            None if !t.is_empty() => Ok(SnapshotPick::LatestOf(t.to_string())),
            None => bail!("快照不能为空（写 latest、网站ID 或 网站ID:序号）"),
        }
    }
}

/// What [`write_wacz`] wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WaczSummary {
    pub warc_files: usize,
    /// CDXJ lines (response, revisit and resource records).
    pub records: u64,
    /// Lines of pages/pages.jsonl after its header.
    pub pages: usize,
    /// Snapshots packed (0 for the whole store).
    pub snapshots: usize,
    /// Size of the WACZ file.
    pub bytes: u64,
}

#[derive(Serialize)]
struct Resource {
    name: String,
    path: String,
    hash: String,
    bytes: u64,
}

#[derive(Serialize)]
struct DataPackage<'a> {
    profile: &'static str,
    wacz_version: &'static str,
    title: &'a str,
    created: String,
    software: &'static str,
    resources: Vec<Resource>,
}

/// Write the selection of `store` as a WACZ file at `out` (written beside it first, then renamed: a reader never
/// sees half a package).
pub fn write_wacz(store: &Store, selection: &Selection, out: &Path) -> Result<WaczSummary> {
    let parent = out.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).with_context(|| format!("创建 {}", parent.display()))?;
    let work = tempfile::TempDir::new_in(parent).with_context(|| format!("在 {} 中创建工作目录", parent.display()))?;
    let mut summary = WaczSummary::default();

    let (warcs, title) = match selection {
        Selection::Store => {
            let files = cdxj::store_sources(store, cdxj::base_name)?;
            let mut names = BTreeSet::new();
            if let Some(dup) = files.iter().find(|f| !names.insert(f.name.clone())) {
                bail!("存储库中有两个同名的 WARC 文件 {}，无法放入同一个 WACZ", dup.name);
            }
            (files, format!("gongkai 网页存档（{}）", store.dir().display()))
        }
        Selection::Snapshots(picks) => {
            let snaps = resolve_picks(store, picks)?;
            summary.snapshots = snaps.len();
            let name = format!("gongkai-export-{}.warc.gz", Utc::now().format("%Y%m%d%H%M%S"));
            let path = work.path().join(&name);
            copy_snapshot_records(store, &snaps, &path)?;
            let list: Vec<String> = snaps.iter().map(|s| format!("{}:{}", s.site_id, s.seq)).collect();
            let shown = if list.len() > 5 {
                format!("{} 等 {} 个快照", list[..5].join("、"), list.len())
            } else {
                list.join("、")
            };
            (vec![WarcSource { name, path }], format!("gongkai 网页存档（{shown}）"))
        }
    };
    if warcs.is_empty() {
        bail!("存储库 {} 中没有 WARC 文件，没有可导出的内容", store.dir().display());
    }
    summary.warc_files = warcs.len();

    let index = work.path().join("index.cdxj");
    summary.records = cdxj::write_cdxj_files(&warcs, &mut File::create(&index)?)?.lines;
    let pages = work.path().join("pages.jsonl");
    summary.pages = write_pages(&warcs, &mut BufWriter::new(File::create(&pages)?))?;

    let tmp_out = parent.join(format!(
        ".{}.tmp",
        out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "export.wacz".into())
    ));
    let file = File::create(&tmp_out).with_context(|| format!("creating {}", tmp_out.display()))?;
    let mut zip = ZipWriter::new(BufWriter::new(file)).set_auto_large_file();
    let now = Utc::now().naive_utc();
    let when = zip::DateTime::from_date_and_time(
        now.year().clamp(1980, 2107) as u16,
        now.month() as u8,
        now.day() as u8,
        now.hour() as u8,
        now.minute() as u8,
        now.second() as u8,
    )
    .unwrap_or_default();
    let base = SimpleFileOptions::default().last_modified_time(when);
    let stored = base.compression_method(CompressionMethod::Stored);
    let deflated = base.compression_method(CompressionMethod::Deflated);
    let mut resources = Vec::new();
    for w in &warcs {
        let path = format!("archive/{}", w.name);
        let large = std::fs::metadata(&w.path)?.len() >= u32::MAX as u64;
        resources.push(add_file(&mut zip, &path, &w.path, stored.large_file(large))?);
    }
    resources.push(add_file(&mut zip, "indexes/index.cdx", &index, deflated.large_file(true))?);
    resources.push(add_file(&mut zip, "pages/pages.jsonl", &pages, deflated.large_file(true))?);
    let package = DataPackage {
        profile: "data-package",
        wacz_version: WACZ_VERSION,
        title: &title,
        created: Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        software: SOFTWARE,
        resources,
    };
    let package_json = serde_json::to_vec_pretty(&package)?;
    zip.start_file("datapackage.json", deflated)?;
    zip.write_all(&package_json)?;
    let digest = serde_json::json!({
        "path": "datapackage.json",
        "hash": format!("sha256:{:x}", Sha256::digest(&package_json)),
    });
    zip.start_file("datapackage-digest.json", deflated)?;
    zip.write_all(&serde_json::to_vec_pretty(&digest)?)?;
    let mut w = zip.finish()?;
    w.flush()?;
    w.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    std::fs::rename(&tmp_out, out).with_context(|| format!("renaming {} to {}", tmp_out.display(), out.display()))?;
    summary.bytes = std::fs::metadata(out)?.len();
    Ok(summary)
}

/// Copy `src` into the zip as `path`, hashing what is written.
fn add_file<W: Write + Seek>(
    zip: &mut ZipWriter<W>,
    path: &str,
    src: &Path,
    options: SimpleFileOptions,
) -> Result<Resource> {
    let mut f = File::open(src).with_context(|| format!("opening {}", src.display()))?;
    zip.start_file(path, options)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut bytes = 0u64;
    loop {
        let n = f.read(&mut buf).with_context(|| format!("reading {}", src.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        zip.write_all(&buf[..n])?;
        bytes += n as u64;
    }
    let name = path.rsplit('/').next().unwrap_or(path).to_lowercase();
    Ok(Resource { name, path: path.to_string(), hash: format!("sha256:{:x}", hasher.finalize()), bytes })
}

/// The snapshots the picks name, each once, in the order named.
fn resolve_picks(store: &Store, picks: &[SnapshotPick]) -> Result<Vec<Snapshot>> {
    let mut out: Vec<Snapshot> = Vec::new();
    let mut push = |site_id: &str, info: crate::SnapshotInfo| {
        if !out.iter().any(|s| s.site_id == site_id && s.seq == info.seq) {
            out.push(Snapshot {
                site_id: site_id.to_string(),
                seq: info.seq,
                started_at: info.started_at,
                resumed: false,
            });
        }
    };
    for pick in picks {
        match pick {
            SnapshotPick::LatestOfEverySite => {
                for site in store.sites()? {
                    if let Some((info, _)) = store.latest_snapshot(&site.id)? {
                        push(&site.id, info);
                    }
                }
            }
            SnapshotPick::LatestOf(id) => {
                let (info, _) = store
                    .latest_snapshot(id)?
                    .with_context(|| format!("存储库中没有网站 {id} 的快照（--snapshot {id}）"))?;
                push(id, info);
            }
            SnapshotPick::Exactly(id, seq) => {
                let info = store
                    .snapshots(id)?
                    .into_iter()
                    .find(|s| s.seq == *seq)
                    .with_context(|| format!("存储库中没有网站 {id} 的第 {seq} 次快照（--snapshot {id}:{seq}）"))?;
                push(id, info);
            }
        }
    }
    if out.is_empty() {
        bail!("存储库 {} 中没有任何快照", store.dir().display());
    }
    Ok(out)
}

/// One WARC file holding copies of the snapshots' records (see the module docs), in their store order.
fn copy_snapshot_records(store: &Store, snaps: &[Snapshot], out: &Path) -> Result<u64> {
    let mut members: BTreeSet<(String, u64)> = BTreeSet::new();
    for snap in snaps {
        for e in store.fetch_entries(snap)? {
            let payload = store
                .resolve_payload(&e.warc)
                .with_context(|| format!("{} 的存档记录（{}@{}）", e.url, e.warc.file, e.warc.offset))?;
            for r in [&e.warc, &e.request, &payload] {
                members.insert((r.file.clone(), r.offset));
            }
        }
    }
    // Each source file's warcinfo first: the copied records name it in WARC-Warcinfo-ID.
    let files: BTreeSet<String> = members.iter().map(|(f, _)| f.clone()).collect();
    for f in files {
        let first = warc::read_record_at(&store.warc_path(&f), 0)?;
        if first.record_type() == Some("warcinfo") {
            members.insert((f, 0));
        }
    }
    let mut w = BufWriter::new(File::create(out).with_context(|| format!("creating {}", out.display()))?);
    let mut open: Option<(String, File)> = None;
    let mut n = 0;
    for (file, offset) in &members {
        let path = store.warc_path(file);
        let length = warc::read_record_at(&path, *offset)?.length;
        if open.as_ref().map(|(f, _)| f != file).unwrap_or(true) {
            open = Some((file.clone(), File::open(&path).with_context(|| format!("opening {}", path.display()))?));
        }
        let src = &mut open.as_mut().expect("just opened").1;
        src.seek(SeekFrom::Start(*offset))?;
        std::io::copy(&mut src.take(length), &mut w)?;
        n += 1;
    }
    w.flush()?;
    Ok(n)
}

#[derive(Serialize)]
struct PageLine<'a> {
    id: String,
    url: &'a str,
    ts: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
}

/// pages/pages.jsonl: the header, then every HTML page answered 200 (a revisit counts with the payload it refers to).
/// Returns the number of pages.
fn write_pages(warcs: &[WarcSource], out: &mut impl Write) -> Result<usize> {
    writeln!(out, "{}", serde_json::json!({"format": "json-pages-1.0", "id": "pages", "title": "网页"}))?;
    // Title (None: not an HTML page answered 200) by record id, for the revisits that refer to them.
    let mut html: HashMap<String, Option<String>> = HashMap::new();
    let mut revisits: Vec<(String, String, String, String)> = Vec::new(); // id, url, ts, refers-to
    let mut n = 0;
    for src in warcs {
        for rec in WarcFileReader::open(&src.path)? {
            let rec = rec?;
            let (Some(kind), Some(id), Some(url), Some(date)) =
                (rec.record_type(), rec.record_id(), rec.target_uri(), rec.date())
            else {
                continue;
            };
            let ts = date.format("%Y-%m-%dT%H:%M:%SZ").to_string();
            let page_id = id.trim_start_matches("urn:uuid:").to_string();
            match kind {
                "response" => {
                    let Ok(http) = rec.http_response() else { continue };
                    let is_html =
                        http.header("Content-Type").is_some_and(|ct| ct.to_ascii_lowercase().contains("html"));
                    if http.status != 200 || !is_html {
                        html.insert(id.to_string(), None);
                        continue;
                    }
                    let title = page_title(&http);
                    writeln!(
                        out,
                        "{}",
                        serde_json::to_string(&PageLine { id: page_id, url, ts, title: title.clone() })?
                    )?;
                    html.insert(id.to_string(), Some(title.unwrap_or_default()));
                    n += 1;
                }
                "revisit" => {
                    // An identical-payload revisit holds its own head: a non-200 answer is no page.
                    if let Ok(own) = rec.http_response() {
                        if own.status != 200 {
                            continue;
                        }
                    }
                    if let Some(r) = rec.header("WARC-Refers-To") {
                        revisits.push((page_id, url.to_string(), ts, warc::strip_brackets(r).to_string()));
                    }
                }
                _ => {}
            }
        }
    }
    for (id, url, ts, refers) in &revisits {
        if let Some(Some(title)) = html.get(refers) {
            let title = (!title.is_empty()).then(|| title.clone());
            writeln!(out, "{}", serde_json::to_string(&PageLine { id: id.clone(), url, ts: ts.clone(), title })?)?;
            n += 1;
        }
    }
    out.flush()?;
    Ok(n)
}

/// The `<title>` of an archived HTML response (first 256 KiB, content-decoded, charset detected), whitespace collapsed.
fn page_title(http: &warc::HttpResponse) -> Option<String> {
    static TITLE: Lazy<regex::Regex> =
        Lazy::new(|| regex::Regex::new(r"(?is)<title[^>]*>(.*?)</title").expect("valid regex"));
    let body = crate::decode_content_prefix(&http.body, http.header("Content-Encoding"), 256 * 1024);
    let (text, _) = crate::decode_html(&body, http.header("Content-Type"));
    let t = TITLE.captures(&text)?.get(1)?.as_str().split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then(|| t.chars().take(500).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snapshot_picks_parse() {
        assert_eq!(SnapshotPick::parse("latest").unwrap(), SnapshotPick::LatestOfEverySite);
        assert_eq!(SnapshotPick::parse("sc-a").unwrap(), SnapshotPick::LatestOf("sc-a".into()));
        assert_eq!(SnapshotPick::parse("sc-a:2").unwrap(), SnapshotPick::Exactly("sc-a".into(), 2));
        for bad in ["", "sc-a:0", "sc-a:x", "sc-a:-1"] {
            assert!(SnapshotPick::parse(bad).is_err(), "{bad}");
        }
    }
}
