//! HTTPS certificates: what each https host of a site presented, whether it verified, and what to do when it did not.
//!
//! Both HTTP clients of the crawl get a rustls configuration of ours (reqwest's `use_preconfigured_tls`), each with a
//! certificate verifier that writes what it saw into one [`CertLedger`]:
//! - the verifying client's [`RecordingVerifier`] reads the end-entity certificate (subject, issuer, validity, names,
//!   with `x509-parser`), then delegates to rustls' WebPKI verifier over the Mozilla roots (`webpki-roots`, as
//!   reqwest's own `rustls-tls` uses) plus the operator's `--ca-file` roots, and records the verdict;
//! - the other client's [`AcceptingVerifier`] records the certificate and accepts it (handshake signatures are still
//!   checked): reqwest's `danger_accept_invalid_certs`, with the record kept.
//!
//! # What happens when a site's certificate is bad
//! An assessor still wants the site's content assessed: a browser shows a warning and the user clicks through. So when
//! a request to one of a configured site's own hosts fails because of the certificate ([`classify`] finds the rustls
//! `CertificateError` in the error's source chain), the host is marked, the request is tried again at once with the
//! accepting client, and every later request to that host in this crawl goes through it too. The crawl then records
//! one [`TlsCheck`] per https host of the site (`fetched_unverified` set for such a host), archived as a `tls`
//! metadata record: the certificate problem is a finding (scoring's `certificate` check), and the record says that the
//! host's pages were fetched without a valid certificate. Hosts that are not the site's own (link targets) get no such
//! treatment: their certificate failure is the link's failure, as a browser would show it.

use chrono::{DateTime, TimeZone, Utc};
use gongkai_archive::{CertificateInfo, TlsCheck, TlsErrorKind};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, RootCertStore, SignatureScheme};
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use url::Url;

/// A certificate failure of one request: its class and the TLS library's message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertProblem {
    pub kind: TlsErrorKind,
    pub detail: String,
}

impl std::fmt::Display for CertProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail)
    }
}

/// What the crawl's connections saw of one host's certificate.
#[derive(Debug, Clone)]
struct Seen {
    at: DateTime<Utc>,
    certificate: Option<CertificateInfo>,
    /// None: verified (by the verifying client); Some: why not.
    problem: Option<CertProblem>,
    /// Only the accepting client has seen this host: no verdict yet.
    verdict: bool,
}

/// Every host's certificate as seen by this crawl's connections, the site hosts whose certificate failure sends their
/// requests to the accepting client, and those that were sent there.
#[derive(Debug, Default)]
pub struct CertLedger {
    seen: Mutex<HashMap<String, Seen>>,
    own: Mutex<HashSet<String>>,
    unverified: Mutex<HashSet<String>>,
}

/// The ledger's key for a host: lower case, IPv6 without brackets (as rustls names the server).
fn host_key(host: &str) -> String {
    host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase()
}

impl CertLedger {
    /// A configured site's host: its certificate failures are recorded and its content still fetched.
    pub fn add_own_host(&self, host: &str) {
        self.own.lock().unwrap().insert(host_key(host));
    }

    pub fn is_own_host(&self, host: &str) -> bool {
        self.own.lock().unwrap().contains(&host_key(host))
    }

    /// From now on this host's requests go through the accepting client.
    pub fn mark_unverified(&self, host: &str) {
        self.unverified.lock().unwrap().insert(host_key(host));
    }

    pub fn fetches_unverified(&self, host: &str) -> bool {
        self.unverified.lock().unwrap().contains(&host_key(host))
    }

    fn record(&self, host: &str, certificate: Option<CertificateInfo>, verdict: Option<Option<CertProblem>>) {
        let mut seen = self.seen.lock().unwrap();
        let k = host_key(host);
        match (seen.get_mut(&k), verdict) {
            // The first verdict stands, except that a failure replaces a success (the certificate changed mid-crawl).
            (Some(s), Some(v)) if !s.verdict || (s.problem.is_none() && v.is_some()) => {
                *s = Seen { at: Utc::now(), certificate, problem: v, verdict: true };
            }
            (Some(s), None) if s.certificate.is_none() => s.certificate = certificate,
            (Some(_), _) => {}
            (None, v) => {
                let verdict = v.is_some();
                seen.insert(k, Seen { at: Utc::now(), certificate, problem: v.flatten(), verdict });
            }
        }
    }

    /// The check of an https origin for the archive, when a connection to it was made in this crawl; None for an
    /// http origin or a host never reached.
    pub fn check_for(&self, origin: &Url) -> Option<TlsCheck> {
        if origin.scheme() != "https" {
            return None;
        }
        let host = origin.host_str()?;
        let s = self.seen.lock().unwrap().get(&host_key(host)).cloned()?;
        if !s.verdict {
            return None;
        }
        let mut url = origin.clone();
        url.set_path("/");
        url.set_query(None);
        url.set_fragment(None);
        Some(TlsCheck {
            url,
            checked_at: s.at,
            error: s.problem.as_ref().map(|p| p.kind),
            detail: s.problem.map(|p| p.detail),
            certificate: s.certificate,
            fetched_unverified: self.fetches_unverified(host),
            warc: None,
        })
    }
}

/// The class of a rustls certificate error; None for errors that are not about the certificate.
pub fn kind_of(e: &rustls::Error) -> Option<TlsErrorKind> {
    #[allow(deprecated)]
    let kind = match e {
        rustls::Error::InvalidCertificate(c) => match c {
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => TlsErrorKind::Expired,
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => TlsErrorKind::NotYetValid,
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                TlsErrorKind::WrongHost
            }
            CertificateError::Revoked => TlsErrorKind::Revoked,
            CertificateError::UnknownIssuer
            | CertificateError::BadSignature
            | CertificateError::BadEncoding
            | CertificateError::UnhandledCriticalExtension
            | CertificateError::UnsupportedSignatureAlgorithm
            | CertificateError::UnsupportedSignatureAlgorithmContext { .. }
            | CertificateError::UnsupportedSignatureAlgorithmForPublicKeyContext { .. }
            | CertificateError::InvalidPurpose
            | CertificateError::InvalidPurposeContext { .. } => TlsErrorKind::Untrusted,
            _ => TlsErrorKind::Other,
        },
        _ => return None,
    };
    Some(kind)
}

/// The certificate problem behind a failed request, found by walking its error's source chain down to the
/// `rustls::Error` (an `io::Error` on the way hides its inner error from `source()`, so it is opened with `get_ref`).
pub fn classify(e: &(dyn std::error::Error + 'static)) -> Option<CertProblem> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(r) = err.downcast_ref::<rustls::Error>() {
            return kind_of(r).map(|kind| CertProblem { kind, detail: r.to_string() });
        }
        if let Some(inner) = err.downcast_ref::<std::io::Error>().and_then(|io| io.get_ref()) {
            if let Some(p) = classify(inner) {
                return Some(p);
            }
        }
        cur = err.source();
    }
    None
}

/// The fields of a DER certificate an assessor reads; None when it does not parse.
pub fn certificate_info(der: &[u8]) -> Option<CertificateInfo> {
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let time = |t: x509_parser::time::ASN1Time| Utc.timestamp_opt(t.timestamp(), 0).single();
    let validity = cert.validity();
    let mut names = Vec::new();
    if let Ok(Some(san)) = cert.subject_alternative_name() {
        for n in &san.value.general_names {
            match n {
                x509_parser::extensions::GeneralName::DNSName(d) => names.push(d.to_string()),
                x509_parser::extensions::GeneralName::IPAddress(b) => match b.len() {
                    4 => names.push(std::net::Ipv4Addr::from(<[u8; 4]>::try_from(*b).ok()?).to_string()),
                    16 => names.push(std::net::Ipv6Addr::from(<[u8; 16]>::try_from(*b).ok()?).to_string()),
                    _ => {}
                },
                _ => {}
            }
        }
    }
    Some(CertificateInfo {
        subject: cert.subject().to_string(),
        issuer: cert.issuer().to_string(),
        not_before: time(validity.not_before)?,
        not_after: time(validity.not_after)?,
        names,
    })
}

fn server_host(name: &ServerName<'_>) -> String {
    name.to_str().into_owned()
}

/// The verifying client's verifier: records the presented certificate and the WebPKI verdict, then returns it.
#[derive(Debug)]
pub struct RecordingVerifier {
    inner: Arc<WebPkiServerVerifier>,
    ledger: Arc<CertLedger>,
}

impl ServerCertVerifier for RecordingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let res = self.inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now);
        let problem = match &res {
            Ok(_) => None,
            Err(e) => Some(CertProblem { kind: kind_of(e).unwrap_or(TlsErrorKind::Other), detail: e.to_string() }),
        };
        self.ledger.record(&server_host(server_name), certificate_info(end_entity), Some(problem));
        res
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// The accepting client's verifier: records the presented certificate (if none was yet) and accepts it. The
/// handshake's signatures are still checked against the certificate's key.
#[derive(Debug)]
pub struct AcceptingVerifier {
    provider: Arc<CryptoProvider>,
    ledger: Arc<CertLedger>,
}

impl ServerCertVerifier for AcceptingVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        self.ledger.record(&server_host(server_name), certificate_info(end_entity), None);
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}

/// The two TLS configurations of a crawl (verifying, accepting), both recording into `ledger`. `extra_roots` are DER
/// certificates trusted besides the Mozilla roots (`--ca-file`).
pub fn client_configs(
    extra_roots: &[Vec<u8>],
    ledger: Arc<CertLedger>,
) -> anyhow::Result<(rustls::ClientConfig, rustls::ClientConfig)> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    for der in extra_roots {
        roots
            .add(CertificateDer::from(der.clone()))
            .map_err(|e| anyhow::anyhow!("--ca-file：证书不能用作根证书：{e}"))?;
    }
    let inner = WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone()).build()?;
    let build = |verifier: Arc<dyn ServerCertVerifier>| -> anyhow::Result<rustls::ClientConfig> {
        let mut c = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()?
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        // reqwest is built without HTTP/2: offer what it speaks.
        c.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(c)
    };
    let verifying = build(Arc::new(RecordingVerifier { inner, ledger: ledger.clone() }))?;
    let accepting = build(Arc::new(AcceptingVerifier { provider: provider.clone(), ledger }))?;
    Ok((verifying, accepting))
}

/// A crawl's certificate ledger and the two TLS configurations that record into it, for every HTTP client of the
/// crawl (the IPv6 check's too), so that all of them share one record per host.
#[derive(Debug)]
pub struct TlsClients {
    pub ledger: Arc<CertLedger>,
    verifying: rustls::ClientConfig,
    accepting: rustls::ClientConfig,
}

impl TlsClients {
    pub fn new(extra_roots: &[Vec<u8>]) -> anyhow::Result<TlsClients> {
        let ledger = Arc::new(CertLedger::default());
        let (verifying, accepting) = client_configs(extra_roots, ledger.clone())?;
        Ok(TlsClients { ledger, verifying, accepting })
    }

    /// The verifying and the accepting client, each from a fresh `make()` builder.
    pub fn clients(
        &self,
        make: impl Fn() -> reqwest::ClientBuilder,
    ) -> reqwest::Result<(reqwest::Client, reqwest::Client)> {
        Ok((
            make().use_preconfigured_tls(self.verifying.clone()).build()?,
            make().use_preconfigured_tls(self.accepting.clone()).build()?,
        ))
    }
}

/// The certificates of a PEM file (`--ca-file`), as DER; an error names the file.
pub fn read_pem_certificates(path: &Path) -> Result<Vec<Vec<u8>>, String> {
    let text = std::fs::read(path)
        .map_err(|e| format!("--ca-file {}：{}", path.display(), gongkai_config::io_error_zh(&e)))?;
    let mut out = Vec::new();
    for c in CertificateDer::pem_slice_iter(&text) {
        let c = c.map_err(|e| format!("--ca-file {}：不是 PEM 证书文件：{e}", path.display()))?;
        out.push(c.to_vec());
    }
    if out.is_empty() {
        return Err(format!("--ca-file {}：文件中没有 \"BEGIN CERTIFICATE\" 证书块", path.display()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_errors_are_classified() {
        let cases = [
            (CertificateError::Expired, TlsErrorKind::Expired),
            (
                CertificateError::ExpiredContext {
                    time: UnixTime::since_unix_epoch(std::time::Duration::from_secs(9)),
                    not_after: UnixTime::since_unix_epoch(std::time::Duration::from_secs(1)),
                },
                TlsErrorKind::Expired,
            ),
            (CertificateError::NotValidYet, TlsErrorKind::NotYetValid),
            (CertificateError::NotValidForName, TlsErrorKind::WrongHost),
            (CertificateError::UnknownIssuer, TlsErrorKind::Untrusted),
            (CertificateError::BadSignature, TlsErrorKind::Untrusted),
            (CertificateError::Revoked, TlsErrorKind::Revoked),
            (CertificateError::ApplicationVerificationFailure, TlsErrorKind::Other),
        ];
        for (c, want) in cases {
            assert_eq!(kind_of(&rustls::Error::InvalidCertificate(c.clone())), Some(want), "{c:?}");
        }
        assert_eq!(kind_of(&rustls::Error::NoCertificatesPresented), None, "not a certificate verdict");
    }

    #[test]
    fn classification_digs_through_io_errors_and_sources() {
        // As tokio-rustls hands it to hyper: the rustls error inside an io::Error, inside other errors.
        #[derive(Debug)]
        struct Outer(std::io::Error);
        impl std::fmt::Display for Outer {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("client error (Connect)")
            }
        }
        impl std::error::Error for Outer {
            fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                Some(&self.0)
            }
        }
        let io = std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            rustls::Error::InvalidCertificate(CertificateError::NotValidForName),
        );
        let e = Outer(io);
        let p = classify(&e).expect("found");
        assert_eq!(p.kind, TlsErrorKind::WrongHost);
        assert!(p.detail.contains("certificate"), "{}", p.detail);
        let plain = Outer(std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused"));
        assert_eq!(classify(&plain), None, "a refused connection is not a certificate problem");
    }

    #[test]
    fn ledger_keeps_the_verdict_and_marks_unverified_hosts() {
        let l = CertLedger::default();
        l.add_own_host("WWW.A.gov.cn");
        assert!(l.is_own_host("www.a.gov.cn"));
        let origin = Url::parse("https://www.a.gov.cn:8443/x/y?z").unwrap();
        assert!(l.check_for(&origin).is_none(), "never reached");
        // The accepting client alone gives no verdict.
        l.record("www.a.gov.cn", None, None);
        assert!(l.check_for(&origin).is_none());
        let bad = CertProblem { kind: TlsErrorKind::Expired, detail: "expired".into() };
        l.record("www.a.gov.cn", None, Some(Some(bad.clone())));
        // A later success does not hide the failure.
        l.record("www.a.gov.cn", None, Some(None));
        l.mark_unverified("www.a.gov.cn");
        let c = l.check_for(&origin).unwrap();
        assert_eq!(c.url.as_str(), "https://www.a.gov.cn:8443/");
        assert_eq!(c.error, Some(TlsErrorKind::Expired));
        assert!(c.fetched_unverified);
        assert_eq!(c.detail.as_deref(), Some("expired"));
        l.record("[::1]", None, Some(None));
        let ok = l.check_for(&Url::parse("https://[::1]/").unwrap()).unwrap();
        assert!(ok.verified() && !ok.fetched_unverified);
        assert!(l.check_for(&Url::parse("http://[::1]/").unwrap()).is_none(), "http: nothing to check");
    }

    #[test]
    fn pem_files_are_read_and_bad_ones_named() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ca.pem");
        std::fs::write(&p, "not a certificate\n").unwrap();
        let e = read_pem_certificates(&p).unwrap_err();
        assert!(e.contains("ca.pem") && e.contains("BEGIN CERTIFICATE"), "{e}");
        assert!(read_pem_certificates(&dir.path().join("missing.pem")).unwrap_err().contains("missing.pem"));
    }
}
