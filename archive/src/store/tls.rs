//! Certificate checks: one per https host of a site per snapshot ([`crate::tls`]), archived as a `tls` metadata record
//! and indexed with that record's location (the evidence scoring cites).

use anyhow::Result;
use chrono::{SubsecRound, Utc};

use super::*;
use crate::capture::WarcRef;
use crate::meta::Meta;
use crate::tls::TlsCheck;

/// Index key of a snapshot's check of one host (by its origin URL).
pub(crate) const K_TLS: &[u8] = b"tls";

impl Store {
    /// Record the certificate check of one host (replaces an earlier check of the same host in this snapshot, as
    /// when a resumed crawl checks again). Returns the check as indexed, with the record that holds it.
    pub fn record_tls(&self, snap: &Snapshot, check: &TlsCheck) -> Result<TlsCheck> {
        let (id, seq) = snap_parts(snap);
        let mut written = check.clone();
        written.warc = None;
        let meta = Meta::Tls { site_id: snap.site_id.clone(), seq: snap.seq, tls: written.clone() };
        let rec = meta.record(Utc::now().trunc_subsecs(6));
        let record_id = rec.record_id.clone();
        let mut w = lock(&self.inner.writer);
        let build = |wid: &str| vec![rec.to_gzip_with("WARC-Warcinfo-ID", &format!("<{wid}>"))];
        let (file, offsets, end) = self.append(&mut w, None, &build)?;
        written.warc = Some(WarcRef { file: file.clone(), offset: offsets[0], record_id });
        let mut b = Batch::default();
        b.insert(key(&[K_TLS, &id, &seq, check.url.as_str().as_bytes()]), to_json(&written));
        b.insert(key(&[K_WEND, file.as_bytes()]), to_json(&end));
        self.apply(b)?;
        Ok(written)
    }

    /// Every certificate check of a snapshot, by host origin.
    pub fn tls_checks(&self, snap: &Snapshot) -> Result<Vec<TlsCheck>> {
        let (id, seq) = snap_parts(snap);
        self.scan(&prefix(&[K_TLS, &id, &seq]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::*;
    use crate::tls::{CertificateInfo, TlsErrorKind};

    fn check(host: &str, error: Option<TlsErrorKind>) -> TlsCheck {
        let t = Utc::now().trunc_subsecs(0);
        TlsCheck {
            url: url(&format!("https://{host}/")),
            checked_at: t,
            error,
            detail: error.map(|e| format!("invalid peer certificate: {}", e.as_str())),
            certificate: Some(CertificateInfo {
                subject: format!("CN={host}"),
                issuer: "CN=测试 CA".into(),
                not_before: t - chrono::Duration::days(400),
                not_after: t - chrono::Duration::days(35),
                names: vec![host.into()],
            }),
            fetched_unverified: error.is_some(),
            warc: None,
        }
    }

    #[test]
    fn tls_checks_are_archived_indexed_and_rebuilt() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let s = site("t1");
        let snap = store.begin_snapshot(&s).unwrap();
        let a = store.record_tls(&snap, &check("www.t1.gov.cn", Some(TlsErrorKind::Expired))).unwrap();
        store.record_tls(&snap, &check("xxgk.t1.gov.cn", None)).unwrap();
        // A second check of the same host replaces the first.
        let a2 = store.record_tls(&snap, &check("www.t1.gov.cn", Some(TlsErrorKind::Expired))).unwrap();
        assert_ne!(a.warc, a2.warc);
        store.finish_snapshot(&snap).unwrap();
        let got = store.tls_checks(&snap).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!(got[0], a2);
        assert!(got[1].verified());
        // The record is where the index says, with the data and the urn: target (never the bare URL).
        let w = a2.warc.clone().unwrap();
        let rec = store.read_record(&w).unwrap();
        assert_eq!(rec.record_id(), Some(w.record_id.as_str()));
        assert_eq!(rec.target_uri(), Some("urn:gongkai:tls:https://www.t1.gov.cn/"));
        match Meta::from_record(&rec).unwrap().unwrap() {
            Meta::Tls { site_id, tls, .. } => {
                assert_eq!(site_id, "t1");
                assert_eq!(tls.error, Some(TlsErrorKind::Expired));
                assert_eq!(tls.warc, None, "the record does not name itself");
            }
            other => panic!("{other:?}"),
        }
        let cap = store.latest_capture("t1").unwrap().unwrap();
        assert_eq!(cap.tls, got);
        // The WARC files alone give the same index back.
        drop(cap);
        store.flush().unwrap();
        drop(store);
        let sum = Store::rebuild_index(dir.path()).unwrap();
        assert_eq!(sum.tls_checks, 2);
        let store = Store::open(dir.path()).unwrap();
        assert_eq!(store.latest_capture("t1").unwrap().unwrap().tls, got);
    }
}
