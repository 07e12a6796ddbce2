//! HTTPS for the sample province and for tests: a test certificate authority, server certificates (valid, expired,
//! for the wrong name, self-signed) made at start with `rcgen`, and an https listener (`tokio-rustls`) that axum serves
//! like its TCP listener.
//!
//! Nothing here is secret or lasting: the keys live in memory for the life of the process. A crawler trusts the test
//! CA only when given its PEM ([`TestCa::pem`], the crawler's `--ca-file`), so a certificate of this CA verifies in a
//! test and a self-signed one never does.

use anyhow::{Context, Result};
use chrono::{DateTime, Datelike, Utc};
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::rustls;
use tokio_rustls::server::TlsStream;
use tokio_rustls::TlsAcceptor;

/// A server certificate and its key, ready for [`server_config`].
#[derive(Clone)]
pub struct ServerCert {
    /// The chain as sent: the server certificate first, then its issuer (none for a self-signed one).
    pub chain: Vec<Vec<u8>>,
    /// PKCS#8 DER.
    pub key: Vec<u8>,
}

impl ServerCert {
    /// A self-signed certificate for `names`, valid from `not_before` to `not_after`: trusted by nobody.
    pub fn self_signed(names: &[&str], not_before: DateTime<Utc>, not_after: DateTime<Utc>) -> Result<ServerCert> {
        let key = KeyPair::generate()?;
        let params = leaf_params(names, not_before, not_after)?;
        let cert = params.self_signed(&key)?;
        Ok(ServerCert { chain: vec![cert.der().to_vec()], key: key.serialize_der() })
    }
}

/// A test certificate authority.
pub struct TestCa {
    issuer: Issuer<'static, KeyPair>,
    der: Vec<u8>,
    pem: String,
}

impl TestCa {
    /// A CA named `name` (its subject CN), valid from a year ago for ten years.
    pub fn new(name: &str) -> Result<TestCa> {
        let key = KeyPair::generate()?;
        let mut params = CertificateParams::new(Vec::<String>::new())?;
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let now = Utc::now();
        set_validity(&mut params, now - chrono::Duration::days(365), now + chrono::Duration::days(3650));
        let cert = params.self_signed(&key)?;
        Ok(TestCa { der: cert.der().to_vec(), pem: cert.pem(), issuer: Issuer::new(params, key) })
    }

    /// The CA certificate as PEM (what a crawler is given to trust it).
    pub fn pem(&self) -> &str {
        &self.pem
    }

    /// A server certificate for `names` issued by this CA, valid from `not_before` to `not_after`.
    pub fn issue(&self, names: &[&str], not_before: DateTime<Utc>, not_after: DateTime<Utc>) -> Result<ServerCert> {
        let key = KeyPair::generate()?;
        let params = leaf_params(names, not_before, not_after)?;
        let cert = params.signed_by(&key, &self.issuer)?;
        Ok(ServerCert { chain: vec![cert.der().to_vec(), self.der.clone()], key: key.serialize_der() })
    }
}

/// Sets a certificate's validity to the UTC days of `from` and `to` (whole days are plenty for tests).
fn set_validity(params: &mut CertificateParams, from: DateTime<Utc>, to: DateTime<Utc>) {
    params.not_before = rcgen::date_time_ymd(from.year(), from.month() as u8, from.day() as u8);
    params.not_after = rcgen::date_time_ymd(to.year(), to.month() as u8, to.day() as u8);
}

fn leaf_params(names: &[&str], not_before: DateTime<Utc>, not_after: DateTime<Utc>) -> Result<CertificateParams> {
    let mut params = CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())?;
    if let Some(cn) = names.first() {
        params.distinguished_name.push(DnType::CommonName, *cn);
    }
    set_validity(&mut params, not_before, not_after);
    Ok(params)
}

/// A rustls server configuration presenting `cert` (HTTP/1.1 only, ring as the crypto provider).
pub fn server_config(cert: &ServerCert) -> Result<Arc<rustls::ServerConfig>> {
    use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let chain = cert.chain.iter().map(|c| CertificateDer::from(c.clone())).collect();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(cert.key.clone()));
    let mut cfg = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .context("the test certificate and key do not match")?;
    cfg.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Arc::new(cfg))
}

/// A TCP listener whose connections are TLS: axum serves it like a [`TcpListener`]. A handshake that fails (the
/// client refused the certificate, as a verifying crawler does) is dropped and the next connection accepted.
pub struct TlsListener {
    tcp: TcpListener,
    acceptor: TlsAcceptor,
}

impl TlsListener {
    pub fn new(tcp: TcpListener, config: Arc<rustls::ServerConfig>) -> TlsListener {
        TlsListener { tcp, acceptor: TlsAcceptor::from(config) }
    }
}

impl axum::serve::Listener for TlsListener {
    type Io = TlsStream<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        loop {
            let (stream, addr) = match self.tcp.accept().await {
                Ok(c) => c,
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            };
            // Loopback handshakes take milliseconds; a stuck client must not hold the listener.
            match tokio::time::timeout(Duration::from_secs(5), self.acceptor.accept(stream)).await {
                Ok(Ok(tls)) => return (tls, addr),
                _ => continue,
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        self.tcp.local_addr()
    }
}

/// Serve `app` over https with `cert` on a fresh loopback port (in the current tokio runtime); returns the address.
pub async fn serve_https(app: axum::Router, cert: &ServerCert) -> Result<SocketAddr> {
    let tcp = TcpListener::bind("127.0.0.1:0").await?;
    let addr = tcp.local_addr()?;
    let listener = TlsListener::new(tcp, server_config(cert)?);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(addr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificates_are_made_with_the_validity_asked() {
        let ca = TestCa::new("示例省测试 CA").unwrap();
        assert!(ca.pem().starts_with("-----BEGIN CERTIFICATE-----"));
        let now = Utc::now();
        let c =
            ca.issue(&["www.a.gov.cn"], now - chrono::Duration::days(10), now + chrono::Duration::days(80)).unwrap();
        assert_eq!(c.chain.len(), 2, "leaf and CA");
        assert!(server_config(&c).is_ok(), "key and certificate match");
        let s = ServerCert::self_signed(&["www.b.gov.cn"], now - chrono::Duration::days(400), now).unwrap();
        assert_eq!(s.chain.len(), 1);
        assert!(server_config(&s).is_ok());
    }
}
