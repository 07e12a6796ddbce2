//! WARC files: writing (one record per `write`, rolling at the size limit, serial numbers), reading, and the open-time repair of torn tails.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};
use chrono::{SubsecRound, Utc};

use super::*;
use crate::capture::WarcRef;
use crate::error::classify_io;
use crate::meta::Meta;
use crate::warc::{self, RecordType, WarcRecord, WarcRecordBuilder};

pub(super) struct Writer {
    pub(super) options: StoreOptions,
    pub(super) current: Option<OpenWarc>,
}

pub(super) struct OpenWarc {
    pub(super) file: File,
    /// Relative to the store directory, `/`-separated.
    pub(super) rel: String,
    pub(super) size: u64,
    /// Only the warcinfo so far.
    pub(super) empty: bool,
    /// Record id of the file's `warcinfo` (every record of the file names it in `WARC-Warcinfo-ID`).
    pub(super) warcinfo_id: String,
}

impl Store {
    /// Append gongkai metadata records to the current WARC file (writer lock held); returns the file and its new end,
    /// for the index batch that follows (which must set the file's indexed end).
    pub(super) fn append_meta(&self, w: &mut Writer, metas: &[Meta]) -> Result<(String, u64)> {
        let now = Utc::now().trunc_subsecs(6);
        let recs: Vec<WarcRecordBuilder> = metas.iter().map(|m| m.record(now)).collect();
        let build = |wid: &str| recs.iter().map(|r| r.to_gzip_with("WARC-Warcinfo-ID", &format!("<{wid}>"))).collect();
        let (file, _, end) = self.append(w, None, &build)?;
        Ok((file, end))
    }

    /// Every `.warc.gz` file under `DIR/warc`, as paths relative to the store (sorted).
    pub fn warc_files(&self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let root = self.inner.dir.join("warc");
        let mut stack = vec![root];
        while let Some(d) = stack.pop() {
            let rd = match fs::read_dir(&d) {
                Ok(rd) => rd,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(e) => return Err(e.into()),
            };
            for ent in rd {
                let ent = ent?;
                let p = ent.path();
                if ent.file_type()?.is_dir() {
                    stack.push(p);
                } else if p.to_string_lossy().ends_with(".warc.gz") {
                    out.push(self.rel_path(&p));
                }
            }
        }
        out.sort();
        Ok(out)
    }

    pub(super) fn rel_path(&self, p: &Path) -> String {
        p.strip_prefix(&self.inner.dir)
            .unwrap_or(p)
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/")
    }

    /// Absolute path of a store-relative WARC path.
    pub fn warc_path(&self, rel: &str) -> PathBuf {
        self.inner.dir.join(rel)
    }

    /// Cut every WARC file the store wrote back to the end of its last indexed record; remove those holding no indexed
    /// record. Files the index does not know (copied in, or written before the index was deleted) are left alone.
    pub(super) fn repair_warc_files(&self) -> Result<()> {
        for rel in self.warc_files()? {
            let path = self.warc_path(&rel);
            let len = fs::metadata(&path)?.len();
            if self.db().get(key(&[K_WFILE, rel.as_bytes()]))?.is_none() {
                tracing::warn!(file = %rel, "存储库索引中没有这个 WARC 文件，不做改动");
                continue;
            }
            let end: Option<u64> = self.get(&key(&[K_WEND, rel.as_bytes()]))?;
            match end {
                None => {
                    tracing::warn!(file = %rel, "删除没有已索引记录的 WARC 文件（中断的抓取留下的）");
                    fs::remove_file(&path)?;
                }
                Some(end) if len > end => {
                    tracing::warn!(file = %rel, from = len, to = end, "截去 WARC 文件末尾未索引的部分");
                    let f = OpenOptions::new().write(true).open(&path)?;
                    f.set_len(end)?;
                    f.sync_all()?;
                }
                Some(end) if len < end => {
                    // Only after a system crash lost written data: keep what is still complete.
                    let valid = warc::valid_prefix_len(&path)?;
                    tracing::error!(file = %rel, len, indexed_end = end, valid, "WARC 文件比索引记录的短");
                    if valid < len {
                        let f = OpenOptions::new().write(true).open(&path)?;
                        f.set_len(valid)?;
                        f.sync_all()?;
                    }
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    pub(super) fn next_serial(&self) -> Result<u64> {
        Ok(self
            .db()
            .update_and_fetch(key(&[K_SERIAL]), |old| {
                let n = old.map(|o| u64::from_be_bytes(o.try_into().unwrap_or([0; 8]))).unwrap_or(0) + 1;
                Some(be(n).to_vec())
            })?
            .map(|v| u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8])))
            .unwrap_or(1))
    }

    pub(super) fn new_warc_file(&self, w: &mut Writer) -> Result<OpenWarc> {
        let now = Utc::now();
        let month_dir = self.inner.dir.join("warc").join(now.format("%Y-%m").to_string());
        let dir = &self.inner.dir;
        let reserve = self.inner.reserve;
        fs::create_dir_all(&month_dir).map_err(|e| classify_io(dir, "创建目录", &month_dir, 4096, reserve, e))?;
        // The serial counter may have lost its last increments in a kill; skip names that exist.
        let (name, path, mut file) = loop {
            let name = format!("gongkai-{}-{:05}.warc.gz", now.format("%Y%m%d%H%M%S"), self.next_serial()?);
            let path = month_dir.join(&name);
            if path.exists() {
                continue;
            }
            // Register the file as the store's own before creating it (durably: this happens once per file), so the
            // open-time repair only ever removes or cuts files this store wrote.
            self.put(key(&[K_WFILE, self.rel_path(&path).as_bytes()]), to_json(&now))?;
            self.db().flush().map_err(|e| self.sled_err("写入索引", e))?;
            match OpenOptions::new().create_new(true).append(true).open(&path) {
                Ok(f) => break (name, path, f),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(classify_io(dir, "创建 WARC 文件", &path, 4096, reserve, e).into()),
            }
        };
        let info = &w.options.warcinfo;
        let mut fields = format!(
            "software: {SOFTWARE}\r\nformat: WARC File Format 1.1\r\n\
             conformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n\
             robots: {}\r\n",
            info.robots
        );
        if let Some(op) = &info.operator {
            fields.push_str(&format!("operator: {op}\r\n"));
        }
        if let Some(ua) = &info.user_agent {
            fields.push_str(&format!("http-header-user-agent: {ua}\r\n"));
        }
        if let Some(d) = &info.description {
            fields.push_str(&format!("description: {d}\r\n"));
        }
        let rec = WarcRecordBuilder::new(RecordType::Warcinfo, now, fields.into_bytes())
            .header("WARC-Filename", name.clone())
            .content_type("application/warc-fields");
        let warcinfo_id = rec.record_id.clone();
        let gz = rec.to_gzip();
        file.write_all(&gz).map_err(|e| classify_io(dir, "写入 WARC 文件", &path, gz.len() as u64, reserve, e))?;
        Ok(OpenWarc { file, rel: self.rel_path(&path), size: gz.len() as u64, empty: true, warcinfo_id })
    }

    /// Append records to the current file (rolling first if they would take it past the size limit). `build` makes
    /// the compressed records for a file, given its warcinfo record id; `pre` is what it made for the file that was
    /// current a moment ago (compressed outside the lock), reused when that file is still the one written to.
    /// Returns the file and the offset of each record and the file's new end. Called with the writer lock held.
    pub(super) fn append(
        &self,
        w: &mut Writer,
        pre: Option<(String, Vec<Vec<u8>>)>,
        build: &dyn Fn(&str) -> Vec<Vec<u8>>,
    ) -> Result<(String, Vec<u64>, u64)> {
        self.writable()?;
        let size = |rs: &[Vec<u8>]| rs.iter().map(|r| r.len() as u64).sum::<u64>();
        let mut records = match (&w.current, pre) {
            (Some(c), Some((id, rs))) if id == c.warcinfo_id => Some(rs),
            (Some(c), _) => Some(build(&c.warcinfo_id)),
            (None, _) => None,
        };
        let must_roll = match (&w.current, &records) {
            (Some(c), Some(rs)) => !c.empty && c.size + size(rs) > w.options.max_warc_bytes,
            _ => true,
        };
        // Write-ahead order on a full disk: refuse before writing anything, keeping the reserve for the index.
        let estimate = records.as_deref().map(size).unwrap_or(0) + if must_roll { 4096 } else { 0 };
        self.ensure_space(estimate, self.inner.reserve)?;
        if must_roll {
            if let Some(old) = w.current.take() {
                old.file.sync_all().map_err(|e| {
                    classify_io(&self.inner.dir, "同步 WARC 文件", &self.warc_path(&old.rel), 0, self.inner.reserve, e)
                })?;
            }
            let new = self.new_warc_file(w)?;
            records = Some(build(&new.warcinfo_id));
            w.current = Some(new);
        }
        let records = records.expect("records built");
        let cur = w.current.as_mut().expect("a current WARC file");
        let mut offsets = Vec::with_capacity(records.len());
        let mut buf = Vec::with_capacity(size(&records) as usize);
        let mut off = cur.size;
        for r in &records {
            offsets.push(off);
            off += r.len() as u64;
            buf.extend_from_slice(r);
        }
        if let Err(e) = cur.file.write_all(&buf) {
            // Leave no partial write behind in this process's file (nothing indexed points past `cur.size`).
            let _ = cur.file.set_len(cur.size);
            let path = self.inner.dir.join(&cur.rel);
            return Err(
                classify_io(&self.inner.dir, "写入 WARC 文件", &path, buf.len() as u64, self.inner.reserve, e).into()
            );
        }
        cur.size = off;
        cur.empty = false;
        Ok((cur.rel.clone(), offsets, off))
    }

    /// Fsync the current WARC file and the index.
    pub fn flush(&self) -> Result<()> {
        {
            let w = lock(&self.inner.writer);
            if let Some(c) = &w.current {
                c.file.sync_all()?;
            }
        }
        self.db().flush()?;
        Ok(())
    }

    /// Read the record a [`WarcRef`] points at (checking its record id).
    pub fn read_record(&self, r: &WarcRef) -> Result<WarcRecord> {
        let rec = warc::read_record_at(&self.warc_path(&r.file), r.offset)?;
        if rec.record_id() != Some(r.record_id.as_str()) {
            bail!("{}@{}：应为记录 {}，实际为 {:?}", r.file, r.offset, r.record_id, rec.record_id());
        }
        Ok(rec)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::*;

    #[test]
    pub(super) fn files_roll_at_the_size_limit() {
        let dir = tempfile::tempdir().unwrap();
        let opts = StoreOptions { max_warc_bytes: 3000, ..Default::default() };
        let store = Store::open_with(dir.path(), opts).unwrap();
        let snap = store.begin_snapshot(&site("e")).unwrap();
        let mut refs = Vec::new();
        for i in 0..20 {
            let body: String = (0..200).map(|j| format!("{}", (i * 7919 + j * 104729) % 1000)).collect();
            refs.push(
                store.record_fetch(&snap, &fetch(&format!("http://e.gov.cn/{i}"), 1, html(200, &body, &[]))).unwrap(),
            );
        }
        let files = store.warc_files().unwrap();
        assert!(files.len() >= 4, "expected several files, got {files:?}");
        for f in &files {
            let len = fs::metadata(store.warc_path(f)).unwrap().len();
            let recs: Vec<_> = warc::WarcFileReader::open(&store.warc_path(f)).unwrap().collect::<Result<_>>().unwrap();
            assert_eq!(recs[0].record_type(), Some("warcinfo"));
            assert_eq!(recs[0].header("WARC-Filename"), f.rsplit('/').next());
            let info_id = format!("<{}>", recs[0].record_id().unwrap());
            assert!(recs[1..].iter().all(|r| r.header("WARC-Warcinfo-ID") == Some(info_id.as_str())), "{f}");
            // Over the limit only when a single fetch does not fit in an otherwise empty file.
            assert!(len <= 3000 || recs.len() == 3, "{f}: {len} bytes, {} records", recs.len());
            assert!(f.starts_with(&format!("warc/{}/gongkai-", Utc::now().format("%Y-%m"))), "{f}");
        }
        for r in &refs {
            assert_eq!(store.read_record(&r.entry.warc).unwrap().target_uri(), Some(r.entry.url.as_str()));
        }
    }

    #[test]
    pub(super) fn torn_tail_and_unindexed_records_are_cut_on_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let s = site("f");
        let (file, good_len, orphan) = {
            let store = Store::open(dir.path()).unwrap();
            let snap = store.begin_snapshot(&s).unwrap();
            for i in 0..3 {
                store
                    .record_fetch(&snap, &fetch(&format!("http://f.gov.cn/{i}"), 1, html(200, "<p>f</p>", &[])))
                    .unwrap();
            }
            store.flush().unwrap();
            let files = store.warc_files().unwrap();
            assert_eq!(files.len(), 1);
            let p = store.warc_path(&files[0]);
            // A file holding only its warcinfo (killed right after a roll).
            let orphan = {
                let mut w = lock(&store.inner.writer);
                let o = store.new_warc_file(&mut w).unwrap();
                store.warc_path(&o.rel)
            };
            (p.clone(), fs::metadata(&p).unwrap().len(), orphan)
        };
        // A complete but unindexed record (index entry lost) and then half a gzip member (torn write).
        let extra =
            WarcRecordBuilder::new(RecordType::Response, Utc::now(), b"HTTP/1.1 200 OK\r\n\r\nlost".to_vec()).to_gzip();
        let torn = WarcRecordBuilder::new(RecordType::Response, Utc::now(), vec![b'x'; 5000]).to_gzip();
        let mut f = OpenOptions::new().append(true).open(&file).unwrap();
        f.write_all(&extra).unwrap();
        f.write_all(&torn[..torn.len() / 2]).unwrap();
        drop(f);
        // A file the store never wrote (copied in): left alone.
        let foreign = file.with_file_name("other-crawler.warc.gz");
        let foreign_bytes = WarcRecordBuilder::new(RecordType::Warcinfo, Utc::now(), b"x: y\r\n".to_vec()).to_gzip();
        fs::write(&foreign, &foreign_bytes).unwrap();
        assert!(orphan.exists());

        let store = Store::open(dir.path()).unwrap();
        assert_eq!(fs::metadata(&file).unwrap().len(), good_len);
        assert!(!orphan.exists());
        assert_eq!(fs::read(&foreign).unwrap(), foreign_bytes);
        let snap = store.begin_snapshot(&s).unwrap();
        assert!(snap.resumed);
        for i in 3..6 {
            store.record_fetch(&snap, &fetch(&format!("http://f.gov.cn/{i}"), 1, html(200, "<p>f</p>", &[]))).unwrap();
        }
        store.finish_snapshot(&snap).unwrap();
        let recs = all_records(&store);
        assert_eq!(recs.iter().filter(|(_, r)| r.record_type() == Some("response")).count(), 6);
        assert_eq!(store.latest_capture("f").unwrap().unwrap().pages.len(), 6);
    }

    #[test]
    pub(super) fn concurrent_writers_keep_files_and_index_consistent() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open_with(dir.path(), StoreOptions { max_warc_bytes: 8000, ..Default::default() }).unwrap();
        let s = site("k");
        let snap = store.begin_snapshot(&s).unwrap();
        let fr = store.frontier(&snap);
        for i in 0..400 {
            fr.push_url(&url(&format!("http://k.gov.cn/{i}")), 1).unwrap();
        }
        std::thread::scope(|scope| {
            for _ in 0..8 {
                let (store, fr, snap) = (store.clone(), fr.clone(), snap.clone());
                scope.spawn(move || {
                    while let Some(e) = fr.next().unwrap() {
                        let body = format!("<p>{}</p>", e.url);
                        store.record_fetch(&snap, &fetch(e.url.as_str(), e.depth, html(200, &body, &[]))).unwrap();
                    }
                });
            }
        });
        let stats = fr.stats().unwrap();
        assert_eq!((stats.seen, stats.done, stats.fetched, stats.pending, stats.claimed), (400, 400, 400, 0, 0));
        let entries = store.fetch_entries(&snap).unwrap();
        assert_eq!(entries.len(), 400);
        for e in &entries {
            let r = store.read_record(&e.warc).unwrap();
            assert_eq!(r.http_response().unwrap().body, format!("<p>{}</p>", e.url).as_bytes());
        }
        // Every file ends exactly at its last indexed record.
        for f in store.warc_files().unwrap() {
            let end: u64 = store.get(&key(&[K_WEND, f.as_bytes()])).unwrap().unwrap();
            assert_eq!(fs::metadata(store.warc_path(&f)).unwrap().len(), end, "{f}");
        }
    }

    #[test]
    pub(super) fn file_shorter_than_its_index_keeps_its_complete_records() {
        // Only after a system crash: written data lost although the index survived.
        let dir = tempfile::tempdir().unwrap();
        let (file, refs) = {
            let store = Store::open(dir.path()).unwrap();
            let snap = store.begin_snapshot(&site("l")).unwrap();
            let refs: Vec<_> = (0..3)
                .map(|i| {
                    store.record_fetch(&snap, &fetch(&format!("http://l.gov.cn/{i}"), 1, html(200, "l", &[]))).unwrap()
                })
                .collect();
            (store.warc_path(&store.warc_files().unwrap()[0]), refs)
        };
        let cut = refs[2].entry.warc.offset + 10;
        OpenOptions::new().write(true).open(&file).unwrap().set_len(cut).unwrap();
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(fs::metadata(&file).unwrap().len(), refs[2].entry.warc.offset);
        assert!(store.read_record(&refs[1].entry.warc).is_ok());
        assert!(store.read_record(&refs[2].entry.warc).is_err());
        let cap = store.latest_capture("l").unwrap().unwrap();
        assert_eq!(cap.pages.len(), 2);
        assert_eq!(cap.failures.len(), 1);
        assert!(cap.failures[0].error.starts_with("已存档的记录无法读取："), "{}", cap.failures[0].error);
    }
}
