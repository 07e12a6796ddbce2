//! What the crawler saw of a site host's HTTPS certificate: verified, or why not, and the certificate it was shown.
//!
//! The crawler records one [`TlsCheck`] per https host of a site per snapshot (the site's own hosts only: its home
//! page host and its 政府信息公开 platform host). It is archived as a `tls` metadata record (see [`crate::meta`]) so that
//! the WARC files alone say that the site's pages were fetched without a valid certificate, and why; scoring's
//! `certificate` check reads it back from [`crate::SiteCapture::tls`] and cites that record as the evidence.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use url::Url;

use crate::capture::WarcRef;

/// Why a certificate did not verify: the classes an assessor tells apart (rustls' `CertificateError`, grouped).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TlsErrorKind {
    /// The certificate's validity ended before the time of the crawl (`Expired`).
    Expired,
    /// Its validity starts after the time of the crawl (`NotValidYet`).
    NotYetValid,
    /// It was issued for other names than the host (`NotValidForName`).
    WrongHost,
    /// Its chain does not lead to a trusted root: self-signed, unknown issuer, bad signature, bad encoding,
    /// unsupported algorithm (`UnknownIssuer`, `BadSignature`, …).
    Untrusted,
    /// The issuer revoked it (`Revoked`).
    Revoked,
    /// Any other handshake failure about the certificate.
    Other,
}

impl TlsErrorKind {
    /// The snake_case name used in results.json and the metadata record.
    pub fn as_str(self) -> &'static str {
        match self {
            TlsErrorKind::Expired => "expired",
            TlsErrorKind::NotYetValid => "not_yet_valid",
            TlsErrorKind::WrongHost => "wrong_host",
            TlsErrorKind::Untrusted => "untrusted",
            TlsErrorKind::Revoked => "revoked",
            TlsErrorKind::Other => "other",
        }
    }
}

/// The fields of the end-entity certificate a server presented that an assessor reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateInfo {
    /// Subject distinguished name, RFC 4514 style (`CN=www.example.gov.cn, O=…`).
    pub subject: String,
    /// Issuer distinguished name.
    pub issuer: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    /// DNS names and IP addresses of the subjectAltName extension.
    #[serde(default)]
    pub names: Vec<String>,
}

/// One https host's certificate as the crawl saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TlsCheck {
    /// The host's origin, `https://host[:port]/`.
    pub url: Url,
    /// When the certificate was checked (the first connection that presented it in this crawl).
    pub checked_at: DateTime<Utc>,
    /// None: the certificate verified.
    pub error: Option<TlsErrorKind>,
    /// The TLS library's own message (English, for developers), when it did not verify.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The end-entity certificate presented, when it could be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate: Option<CertificateInfo>,
    /// True when the host's pages were then fetched without verifying the certificate (as a user clicking through a
    /// browser's warning would see them): every https response of this host in the snapshot was.
    #[serde(default)]
    pub fetched_unverified: bool,
    /// The `tls` metadata record this check is archived in; set by the store when read back (never written into the
    /// record itself).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warc: Option<WarcRef>,
}

impl TlsCheck {
    /// The host part of [`TlsCheck::url`].
    pub fn host(&self) -> &str {
        self.url.host_str().unwrap_or("")
    }

    /// True when the certificate verified.
    pub fn verified(&self) -> bool {
        self.error.is_none()
    }
}
