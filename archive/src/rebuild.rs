//! Building the index from the WARC files (`gongkai store rebuild`, and the in-memory index of a store opened for
//! reading on read-only storage or a full disk), and checking an index against them (`gongkai store verify`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fs;
use std::path::PathBuf;

use anyhow::Result;
use serde::Serialize;

use crate::capture::{SnapshotInfo, WarcRef};
use crate::meta::Meta;
use crate::store::*;
use crate::warc::WarcFileReader;

/// What [`scan_into`] found and indexed.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RebuildSummary {
    pub files: usize,
    pub records: usize,
    /// gongkai metadata records read.
    pub metadata: usize,
    pub sites: usize,
    pub snapshots: usize,
    pub fetches: usize,
    pub failures: usize,
    pub link_checks: usize,
    pub probes: usize,
    /// Certificate checks (`tls` records) indexed.
    pub tls_checks: usize,
    /// IPv6 checks (`ipv6` records) indexed.
    pub ipv6_checks: usize,
    /// Files whose end is not a complete record: (file, length of the complete prefix, file length).
    pub torn: Vec<(String, u64, u64)>,
    /// Fetch metadata whose response or request record is in no file (file, url).
    pub unresolved: Vec<(String, String)>,
    /// Metadata records that do not parse (file, offset, error).
    pub unreadable: Vec<(String, u64, String)>,
    /// Response and revisit records no fetch metadata describes (written before gongkai wrote metadata records, or
    /// by another tool).
    pub undescribed: Vec<(String, u64, String)>,
    /// Where the previous index was moved (rebuild only).
    pub old_index: Option<PathBuf>,
}

#[derive(Default)]
struct Counts {
    seen: u64,
    done: u64,
    fetched: u64,
    failed: u64,
}

/// What a scan has gathered so far across the store's files.
#[derive(Default)]
struct Scan {
    sum: RebuildSummary,
    /// Record id → where the record is (requests, responses, revisits).
    refs: HashMap<String, WarcRef>,
    /// Responses and revisits: file, offset, record id, target URI.
    responses: Vec<(String, u64, String, String)>,
    /// Response ids a fetch metadata record describes.
    described: HashSet<String>,
    counts: BTreeMap<(String, u64), Counts>,
    probe_n: u64,
    max_serial: u64,
}

/// Read every WARC file of the store in order and write the index entries their metadata records describe into the
/// store's (empty) index. With `register`, the gongkai files are also registered as the store's own, with their
/// complete prefix as indexed end (the open-time repair then cuts torn tails, as after a kill).
pub(crate) fn scan_into(store: &Store, register: bool) -> Result<RebuildSummary> {
    let db = store.raw_db()?;
    let mut scan = Scan::default();
    let files = store.warc_files()?;
    scan.sum.files = files.len();
    for rel in &files {
        scan_file(store, db, rel, register, &mut scan)?;
    }
    finish(db, register, scan)
}

/// One WARC file: its records located, its metadata records indexed, the file registered when it is gongkai's own.
fn scan_file(store: &Store, db: &sled::Db, rel: &str, register: bool, scan: &mut Scan) -> Result<()> {
    let path = store.warc_path(rel);
    let len = fs::metadata(&path)?.len();
    let mut rd = WarcFileReader::open(&path)?;
    let mut end = 0;
    let mut own = false;
    for (i, rec) in rd.by_ref().enumerate() {
        let rec = match rec {
            Ok(r) => r,
            Err(_) => break,
        };
        end = rec.offset + rec.length;
        scan.sum.records += 1;
        if i == 0 && rec.record_type() == Some("warcinfo") {
            own = String::from_utf8_lossy(&rec.block).contains("software: gongkai/");
        }
        let id = rec.record_id().unwrap_or_default().to_string();
        match rec.record_type() {
            Some("response") | Some("revisit") | Some("request") => {
                let r = WarcRef { file: rel.to_string(), offset: rec.offset, record_id: id.clone() };
                if rec.record_type() != Some("request") {
                    scan.responses.push((
                        rel.to_string(),
                        rec.offset,
                        id.clone(),
                        rec.target_uri().unwrap_or("").into(),
                    ));
                }
                scan.refs.insert(id, r);
                continue;
            }
            Some("metadata") => {}
            _ => continue,
        }
        let meta = match Meta::from_record(&rec) {
            None => continue,
            Some(Ok(m)) => m,
            Some(Err(e)) => {
                scan.sum.unreadable.push((rel.to_string(), rec.offset, e.to_string()));
                continue;
            }
        };
        scan.sum.metadata += 1;
        index_meta(db, rel, (rec.offset, id), meta, scan)?;
    }
    if end < len {
        scan.sum.torn.push((rel.to_string(), end, len));
    }
    let name = rel.rsplit('/').next().unwrap_or_default();
    if let Some(serial) = name.strip_suffix(".warc.gz").and_then(|n| n.rsplit('-').next()) {
        if let Ok(n) = serial.parse::<u64>() {
            scan.max_serial = scan.max_serial.max(n);
        }
    }
    if register && own && end > 0 && name.starts_with("gongkai-") {
        db.insert(key(&[K_WFILE, rel.as_bytes()]), to_json(&chrono::Utc::now()))?;
        db.insert(key(&[K_WEND, rel.as_bytes()]), to_json(&end))?;
    }
    Ok(())
}

/// The index entries one metadata record describes.
fn index_meta(db: &sled::Db, rel: &str, at: (u64, String), meta: Meta, scan: &mut Scan) -> Result<()> {
    let sum = &mut scan.sum;
    match meta {
        Meta::Site { site } => {
            db.insert(key(&[K_SITE, site.id.as_bytes()]), to_json(&site))?;
        }
        Meta::Snapshot { site, info } => {
            let id = site.id.clone();
            db.insert(key(&[K_SITE, id.as_bytes()]), to_json(&site))?;
            db.insert(key(&[K_SNAP, id.as_bytes(), &be(info.seq)]), to_json(&SnapshotRecord { info, site }))?;
        }
        Meta::Fetch { site_id, seq, fetch } => {
            let (Some(w), Some(q)) = (scan.refs.get(&fetch.response_id), scan.refs.get(&fetch.request_id)) else {
                sum.unresolved.push((rel.to_string(), fetch.url.to_string()));
                return Ok(());
            };
            scan.described.insert(fetch.response_id.clone());
            let entry = fetch.to_entry(w.clone(), q.clone());
            let k = key(&[K_FETCH, site_id.as_bytes(), &be(seq), entry.url.as_str().as_bytes()]);
            db.insert(k, to_json(&entry))?;
            let c = scan.counts.entry((site_id.clone(), seq)).or_default();
            c.fetched += 1;
            mark_done(db, c, &site_id, seq, &entry.url, entry.depth)?;
            sum.fetches += 1;
        }
        Meta::Failure { site_id, seq, failure } => {
            let k = key(&[K_FAIL, site_id.as_bytes(), &be(seq), failure.url.as_str().as_bytes()]);
            let c = scan.counts.entry((site_id.clone(), seq)).or_default();
            if db.insert(k, to_json(&failure))?.is_none() {
                c.failed += 1;
                sum.failures += 1;
            }
            mark_done(db, c, &site_id, seq, &failure.url, 0)?;
        }
        Meta::LinkCheck { site_id, seq, check } => {
            if let Some(p) = &check.page {
                scan.described.insert(p.warc.record_id.clone());
            }
            let k = key(&[K_LINK, site_id.as_bytes(), &be(seq), check.target.as_str().as_bytes()]);
            if db.insert(k, to_json(&check))?.is_none() {
                sum.link_checks += 1;
            }
        }
        // Its response is the linked page a later `link_check` record cites (with the record's place).
        Meta::LinkedPage { response_id, .. } => {
            scan.described.insert(response_id);
        }
        Meta::Tls { site_id, seq, mut tls } => {
            tls.warc = Some(WarcRef { file: rel.to_string(), offset: at.0, record_id: at.1.clone() });
            let k = key(&[K_TLS, site_id.as_bytes(), &be(seq), tls.url.as_str().as_bytes()]);
            if db.insert(k, to_json(&tls))?.is_none() {
                sum.tls_checks += 1;
            }
        }
        Meta::Ipv6 { site_id, seq, check, response_id } => {
            // Its response is the home page's IPv6 answer, evidence of the check (not a page of the site).
            let response = response_id.and_then(|id| {
                scan.described.insert(id.clone());
                scan.refs.get(&id).cloned()
            });
            let own = WarcRef { file: rel.to_string(), offset: at.0, record_id: at.1.clone() };
            let k = key(&[K_IPV6, site_id.as_bytes(), &be(seq)]);
            if db.insert(k, to_json(&ipv6_index_entry(check, response, own)))?.is_none() {
                sum.ipv6_checks += 1;
            }
        }
        Meta::Probe { probe } => {
            let micros = probe.at.timestamp_micros().max(0) as u64;
            scan.probe_n += 1;
            db.insert(key(&[K_PROBE, probe.site_id.as_bytes(), &be(micros), &be(scan.probe_n)]), to_json(&probe))?;
            sum.probes += 1;
        }
    }
    Ok(())
}

/// After every file: frontier counts, the open snapshot of each site, the file serial, and what no metadata described.
fn finish(db: &sled::Db, register: bool, scan: Scan) -> Result<RebuildSummary> {
    let mut sum = scan.sum;
    for ((site_id, seq), c) in &scan.counts {
        let stats =
            FrontierStats { seen: c.seen, pending: 0, claimed: 0, done: c.done, fetched: c.fetched, failed: c.failed };
        db.insert(key(&[K_COUNT, site_id.as_bytes(), &be(*seq)]), to_json(&stats))?;
    }
    // The open snapshot of each site: its latest one, when unfinished.
    let mut latest: BTreeMap<String, SnapshotInfo> = BTreeMap::new();
    for kv in db.scan_prefix(prefix(&[K_SNAP])) {
        let (_, v) = kv?;
        let rec: SnapshotRecord = from_json(&v)?;
        sum.snapshots += 1;
        let e = latest.entry(rec.site.id.clone()).or_insert_with(|| rec.info.clone());
        if rec.info.seq >= e.seq {
            *e = rec.info;
        }
    }
    for (site_id, info) in &latest {
        if info.finished_at.is_none() {
            db.insert(key(&[K_OPEN, site_id.as_bytes()]), to_json(&info.seq))?;
        }
    }
    sum.sites = db.scan_prefix(prefix(&[K_SITE])).count();
    if register && scan.max_serial > 0 {
        db.insert(key(&[K_SERIAL]), be(scan.max_serial).to_vec())?;
    }
    let described = scan.described;
    sum.undescribed = scan
        .responses
        .into_iter()
        .filter(|(_, _, id, _)| !described.contains(id))
        .map(|(f, o, _, u)| (f, o, u))
        .collect();
    Ok(sum)
}

/// The URL is done in the snapshot's frontier (a rebuilt frontier knows what was archived, not what was still queued).
fn mark_done(db: &sled::Db, c: &mut Counts, site_id: &str, seq: u64, url: &url::Url, depth: u32) -> Result<()> {
    let k = key(&[K_URL, site_id.as_bytes(), &be(seq), url.as_str().as_bytes()]);
    if db.get(&k)?.is_none() {
        let rec = UrlRecord { state: UrlState::Done, queue_key: None, entry: FrontierEntry::new(url.clone(), depth) };
        db.insert(k, to_json(&rec))?;
        c.seen += 1;
        c.done += 1;
    }
    Ok(())
}

/// What `gongkai store verify` found: each problem as one Chinese sentence. Empty when index and WARC files agree.
#[derive(Debug, Clone, Default)]
pub struct VerifyReport {
    pub problems: Vec<String>,
    /// Fetch entries whose records were read back.
    pub fetches_checked: usize,
    pub files: usize,
}

impl VerifyReport {
    pub fn is_consistent(&self) -> bool {
        self.problems.is_empty()
    }
}

/// Check the store's on-disk index against its WARC files, changing nothing (see [`Store::verify`]).
pub(crate) fn verify(disk: &Store, warc: &Store, warc_summary: &RebuildSummary) -> Result<VerifyReport> {
    let mut rep = VerifyReport::default();
    let p = &mut rep.problems;
    let db = disk.raw_db()?;
    let files = disk.warc_files()?;
    rep.files = files.len();
    for (file, valid, len) in &warc_summary.torn {
        p.push(format!("WARC 文件 {file} 的尾部不完整：第 {valid} 字节之后的 {} 字节不是完整的记录", len - valid));
    }
    for rel in &files {
        let len = fs::metadata(disk.warc_path(rel))?.len();
        let registered = db.get(key(&[K_WFILE, rel.as_bytes()]))?.is_some();
        let end: Option<u64> = match db.get(key(&[K_WEND, rel.as_bytes()]))? {
            Some(v) => Some(from_json(&v)?),
            None => None,
        };
        match (registered, end) {
            (false, _) => {
                p.push(format!("WARC 文件 {rel} 没有登记在索引中（不是本存储库写入的，或索引是在它之前重建的）"))
            }
            (true, None) => p.push(format!("WARC 文件 {rel} 中没有被索引的记录")),
            (true, Some(end)) if len > end => {
                p.push(format!("WARC 文件 {rel} 在索引记录的结尾（第 {end} 字节）之后还有 {} 字节未被索引", len - end))
            }
            (true, Some(end)) if len < end => {
                p.push(format!("WARC 文件 {rel} 比索引记录的短：长 {len} 字节，索引记到第 {end} 字节"))
            }
            _ => {}
        }
    }
    for (file, off, err) in &warc_summary.unreadable {
        p.push(format!("{file} 第 {off} 字节处的元数据记录无法解析：{err}"));
    }
    for (file, url) in &warc_summary.unresolved {
        p.push(format!("{file} 中 {url} 的抓取元数据所指的响应或请求记录不存在"));
    }
    for (file, off, url) in &warc_summary.undescribed {
        p.push(format!("{file} 第 {off} 字节处的响应记录（{url}）没有对应的索引元数据记录"));
    }
    // Every index entry's records exist and are the records named.
    let mut site_ids: Vec<String> = disk.sites()?.into_iter().map(|s| s.id).collect();
    for s in warc.sites()? {
        if !site_ids.contains(&s.id) {
            site_ids.push(s.id);
        }
    }
    site_ids.sort();
    for id in &site_ids {
        let (ds, ws) =
            (disk.sites()?.into_iter().find(|s| &s.id == id), warc.sites()?.into_iter().find(|s| &s.id == id));
        match (&ds, &ws) {
            (Some(_), None) => p.push(format!("站点 {id} 只在索引中，WARC 文件中没有它的元数据记录")),
            (None, Some(_)) => p.push(format!("站点 {id} 在 WARC 文件中，但没有被索引")),
            (Some(a), Some(b)) if a != b => p.push(format!("站点 {id} 的配置在索引和 WARC 文件中不一致")),
            _ => {}
        }
        let (dsn, wsn) = (disk.snapshots(id)?, warc.snapshots(id)?);
        if dsn != wsn {
            p.push(format!("站点 {id} 的快照在索引（{} 个）和 WARC 文件（{} 个）中不一致", dsn.len(), wsn.len()));
        }
        if disk.probes(id)? != warc.probes(id)? {
            p.push(format!("站点 {id} 的可用性探测记录在索引和 WARC 文件中不一致"));
        }
        let mut seqs: Vec<SnapshotInfo> = dsn.clone();
        seqs.extend(wsn.into_iter().filter(|w| !dsn.iter().any(|d| d.seq == w.seq)));
        for info in seqs {
            let snap = Snapshot { site_id: id.clone(), seq: info.seq, started_at: info.started_at, resumed: false };
            let (de, we) = (disk.fetch_entries(&snap)?, warc.fetch_entries(&snap)?);
            for e in &de {
                rep.fetches_checked += 1;
                for (what, r) in [("响应", &e.warc), ("请求", &e.request), ("内容", &e.payload)] {
                    if let Err(err) = disk.read_record(r) {
                        p.push(format!(
                            "索引条目 {}（站点 {id} 第 {} 次快照）的{what}记录缺失或损坏：{}@{}：{err:#}",
                            e.url, info.seq, r.file, r.offset
                        ));
                    }
                }
                match we.iter().find(|w| w.url == e.url) {
                    None => p.push(format!(
                        "索引条目 {}（站点 {id} 第 {} 次快照）在 WARC 文件中没有元数据记录",
                        e.url, info.seq
                    )),
                    Some(w) if w != e => p.push(format!(
                        "索引条目 {}（站点 {id} 第 {} 次快照）与 WARC 文件中的记录不一致",
                        e.url, info.seq
                    )),
                    _ => {}
                }
            }
            for w in we.iter().filter(|w| !de.iter().any(|e| e.url == w.url)) {
                p.push(format!(
                    "WARC 文件 {}（第 {} 字节）中的 {} 没有被索引（站点 {id} 第 {} 次快照）",
                    w.warc.file, w.warc.offset, w.url, info.seq
                ));
            }
            if disk.failures(&snap)? != warc.failures(&snap)? {
                p.push(format!("站点 {id} 第 {} 次快照的抓取失败记录在索引和 WARC 文件中不一致", info.seq));
            }
            if disk.tls_checks(&snap)? != warc.tls_checks(&snap)? {
                p.push(format!("站点 {id} 第 {} 次快照的 HTTPS 证书检查记录在索引和 WARC 文件中不一致", info.seq));
            }
            if disk.ipv6_check(&snap)? != warc.ipv6_check(&snap)? {
                p.push(format!("站点 {id} 第 {} 次快照的 IPv6 检查记录在索引和 WARC 文件中不一致", info.seq));
            }
            if disk.link_checks(&snap)? != warc.link_checks(&snap)? {
                p.push(format!("站点 {id} 第 {} 次快照的链接检查在索引和 WARC 文件中不一致", info.seq));
            }
        }
    }
    Ok(rep)
}
