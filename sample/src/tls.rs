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

enum Stream {
    Plain(TcpStream),
    Tls(Box<TlsStream<TcpStream>>),
}

/// One connection of a [`SniffListener`]: plain HTTP or TLS, told apart by the client's first byte, with the moment
/// it was accepted (see [`ConnMeta`]).
pub struct MaybeTls {
    stream: Stream,
    meta: ConnMeta,
}

/// What a handler can know of its connection (`axum::extract::ConnectInfo<ConnMeta>`): when the TCP connection was
/// accepted, when it was ready for requests (the TLS handshake done, or the first bytes of a plain one in), and
/// whether it is TLS. See [`ConnMeta::request_started`].
#[derive(Clone, Debug)]
pub struct ConnMeta {
    pub accepted_at: std::time::Instant,
    pub ready_at: std::time::Instant,
    pub tls: bool,
    first: Arc<std::sync::atomic::AtomicBool>,
}

impl ConnMeta {
    /// When the client started the request the handler got at `now`, for a request log: `now`, except for the first
    /// request of a TLS connection that reached the handler within a second of the handshake, which the client
    /// started when it connected. On a loaded 2-core machine a handshake took up to 257 ms and the request a further
    /// 77 ms to reach the handler (measured in the three-shard test): logged at the handler, such a request looks
    /// closer to the next one than the client sent it. A TLS connection the client kept idle for longer before its
    /// first request gets `now`, as does every plain connection (its first bytes are its request).
    pub fn request_started(&self, now: std::time::Instant) -> std::time::Instant {
        let first = self.first.swap(false, std::sync::atomic::Ordering::AcqRel);
        if first && self.tls && now.saturating_duration_since(self.ready_at) < Duration::from_secs(1) {
            self.accepted_at
        } else {
            now
        }
    }
}

impl axum::extract::connect_info::Connected<axum::serve::IncomingStream<'_, SniffListener>> for ConnMeta {
    fn connect_info(stream: axum::serve::IncomingStream<'_, SniffListener>) -> Self {
        stream.io().meta.clone()
    }
}

macro_rules! on_stream {
    ($self:expr, $s:ident => $e:expr) => {
        match &mut $self.get_mut().stream {
            Stream::Plain($s) => {
                let $s = std::pin::Pin::new($s);
                $e
            }
            Stream::Tls($s) => {
                let $s = std::pin::Pin::new($s.as_mut());
                $e
            }
        }
    };
}

impl tokio::io::AsyncRead for MaybeTls {
    fn poll_read(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        on_stream!(self, s => s.poll_read(cx, buf))
    }
}

impl tokio::io::AsyncWrite for MaybeTls {
    fn poll_write(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        buf: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        on_stream!(self, s => s.poll_write(cx, buf))
    }
    fn poll_write_vectored(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> std::task::Poll<std::io::Result<usize>> {
        on_stream!(self, s => s.poll_write_vectored(cx, bufs))
    }
    fn is_write_vectored(&self) -> bool {
        match &self.stream {
            Stream::Plain(s) => s.is_write_vectored(),
            Stream::Tls(s) => s.is_write_vectored(),
        }
    }
    fn poll_flush(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        on_stream!(self, s => s.poll_flush(cx))
    }
    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        on_stream!(self, s => s.poll_shutdown(cx))
    }
}

/// A TCP listener that serves plain HTTP and HTTPS on one port: a connection whose first byte is a TLS handshake
/// record (0x16) gets a TLS handshake with the configured certificate, any other is plain HTTP. The sample province
/// serves its https site this way, so every host keeps the one port of `--resolve` and sites.toml.
///
/// Each connection is told apart and handshaken on its own task (a slow client holds up nobody else); the ready
/// connections wait in a bounded queue for axum's `accept`. A failed handshake (a verifying client refusing the
/// certificate) or a silent client is dropped.
pub struct SniffListener {
    ready: tokio::sync::mpsc::Receiver<(MaybeTls, SocketAddr)>,
    local: SocketAddr,
    accepting: tokio::task::JoinHandle<()>,
}

impl SniffListener {
    /// Start accepting on `tcp` (inside a tokio runtime).
    pub fn new(tcp: TcpListener, config: Arc<rustls::ServerConfig>) -> std::io::Result<SniffListener> {
        let local = tcp.local_addr()?;
        let acceptor = TlsAcceptor::from(config);
        let (tx, ready) = tokio::sync::mpsc::channel(1024);
        let accepting = tokio::spawn(async move {
            loop {
                let (stream, addr) = match tcp.accept().await {
                    Ok(c) => c,
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    }
                };
                let accepted_at = std::time::Instant::now();
                let (tx, acceptor) = (tx.clone(), acceptor.clone());
                tokio::spawn(async move {
                    let mut first = [0u8; 1];
                    let stream = match tokio::time::timeout(Duration::from_secs(30), stream.peek(&mut first)).await {
                        Ok(Ok(1)) if first[0] == 0x16 => {
                            match tokio::time::timeout(Duration::from_secs(5), acceptor.accept(stream)).await {
                                Ok(Ok(tls)) => Stream::Tls(Box::new(tls)),
                                _ => return,
                            }
                        }
                        Ok(Ok(1)) => Stream::Plain(stream),
                        _ => return,
                    };
                    let tls = matches!(stream, Stream::Tls(_));
                    let first = Arc::new(std::sync::atomic::AtomicBool::new(true));
                    let ready_at = std::time::Instant::now();
                    let conn = MaybeTls { stream, meta: ConnMeta { accepted_at, ready_at, tls, first } };
                    let _ = tx.send((conn, addr)).await;
                });
            }
        });
        Ok(SniffListener { ready, local, accepting })
    }
}

impl Drop for SniffListener {
    fn drop(&mut self) {
        self.accepting.abort();
    }
}

impl axum::serve::Listener for SniffListener {
    type Io = MaybeTls;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.ready.recv().await {
            Some(c) => c,
            // The accepting task is gone only when the listener is being dropped: wait for that.
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<Self::Addr> {
        Ok(self.local)
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
