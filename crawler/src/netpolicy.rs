//! Which addresses the crawler may connect to.
//!
//! A crawled page can link or redirect anywhere, including a server room's private network. So every connection is
//! checked after name resolution (and every redirect hop is a request of its own, checked again): addresses that are
//! private (10/8, 172.16/12, 192.168/16, fc00::/7, carrier-grade NAT 100.64/10), loopback, link-local, multicast,
//! unspecified, broadcast or reserved are refused, unless the host is one of the configured sites' hosts (home page or
//! platform) or is mapped by `--resolve` (then the operator chose the address). Names are filtered in the resolver the
//! HTTP client uses ([`PolicyResolver`], a `reqwest::dns::Resolve`); URLs that name an IP address directly never reach
//! a resolver, so [`AddressPolicy::check_url`] is called before every request.

use ipnet::IpNet;
use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, LazyLock, RwLock};
use url::{Host, Url};

/// The reason recorded for a link the crawler may not contact (shown to users).
pub const OUT_OF_SCOPE: &str = "地址不在检查范围内";

static FORBIDDEN_NETS: LazyLock<Vec<IpNet>> = LazyLock::new(|| {
    [
        "0.0.0.0/8",      // "this network", unspecified
        "10.0.0.0/8",     // private
        "100.64.0.0/10",  // carrier-grade NAT
        "127.0.0.0/8",    // loopback
        "169.254.0.0/16", // link-local
        "172.16.0.0/12",  // private
        "192.0.0.0/24",   // IETF protocol assignments
        "192.168.0.0/16", // private
        "198.18.0.0/15",  // benchmarking
        "224.0.0.0/4",    // multicast
        "240.0.0.0/4",    // reserved, broadcast
        "::/128",         // unspecified
        "::1/128",        // loopback
        "fc00::/7",       // unique local
        "fe80::/10",      // link-local
        "ff00::/8",       // multicast
        "64:ff9b:1::/48", // local-use NAT64
    ]
    .iter()
    .map(|s| s.parse().expect("valid network"))
    .collect()
});

/// True for addresses no crawl may reach on its own (see the module docs). IPv4-mapped and NAT64 IPv6 addresses are
/// judged by the IPv4 address they carry.
pub fn is_forbidden(ip: IpAddr) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            if let Some(v4) = v6.to_ipv4_mapped() {
                IpAddr::V4(v4)
            } else if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
                // 64:ff9b::/96 well-known NAT64 prefix: the last 32 bits are an IPv4 address.
                IpAddr::V4(std::net::Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8))
            } else {
                ip
            }
        }
        v4 => v4,
    };
    FORBIDDEN_NETS.iter().any(|n| n.contains(&ip))
}

/// The crawl's address rules: trusted hosts (configured sites), `--resolve` overrides, and a count of refusals.
#[derive(Debug, Default)]
pub struct AddressPolicy {
    trusted: RwLock<HashSet<String>>,
    overrides: HashMap<String, Vec<SocketAddr>>,
    refused: AtomicU64,
}

impl AddressPolicy {
    /// `overrides`: lower-case host → addresses (`--resolve`).
    pub fn new(overrides: HashMap<String, Vec<SocketAddr>>) -> Self {
        AddressPolicy { trusted: RwLock::new(HashSet::new()), overrides, refused: AtomicU64::new(0) }
    }

    /// A configured site's host (home page or platform): its addresses are allowed whatever they are.
    pub fn trust_host(&self, host: &str) {
        let h = bare(host).to_ascii_lowercase();
        self.trusted.write().unwrap_or_else(|e| e.into_inner()).insert(h);
    }

    /// Trusted (a configured site's host) or mapped by `--resolve`.
    pub fn is_trusted(&self, host: &str) -> bool {
        let h = bare(host).to_ascii_lowercase();
        self.overrides.contains_key(&h) || self.trusted.read().unwrap_or_else(|e| e.into_inner()).contains(&h)
    }

    /// Connections refused so far (names resolved only to forbidden addresses, forbidden IP-literal URLs).
    pub fn refused(&self) -> u64 {
        self.refused.load(Ordering::Relaxed)
    }

    /// Before a request: a URL naming a forbidden IP address directly (not a trusted host) is refused; names are
    /// judged after resolution by [`PolicyResolver`].
    pub fn check_url(&self, url: &Url) -> Result<(), String> {
        let ip = match url.host() {
            Some(Host::Ipv4(a)) => IpAddr::V4(a),
            Some(Host::Ipv6(a)) => IpAddr::V6(a),
            Some(Host::Domain(_)) => return Ok(()),
            None => return Err(format!("{OUT_OF_SCOPE}（没有主机名）")),
        };
        if is_forbidden(ip) && !self.is_trusted(url.host_str().unwrap_or("")) {
            self.refused.fetch_add(1, Ordering::Relaxed);
            tracing::info!(%url, %ip, "refused: private, loopback, link-local or multicast address");
            return Err(format!("{OUT_OF_SCOPE}（{ip}）"));
        }
        Ok(())
    }

    /// The addresses a host may be connected to: the `--resolve` ones, else what DNS says, filtered unless trusted.
    async fn resolve(&self, name: &str) -> Result<Vec<SocketAddr>, Box<dyn std::error::Error + Send + Sync>> {
        let name = name.to_ascii_lowercase();
        if let Some(addrs) = self.overrides.get(&name) {
            return Ok(addrs.clone());
        }
        let all: Vec<SocketAddr> = tokio::net::lookup_host((name.as_str(), 0u16)).await?.collect();
        if self.is_trusted(&name) {
            return Ok(all);
        }
        let allowed: Vec<SocketAddr> = all.iter().copied().filter(|a| !is_forbidden(a.ip())).collect();
        if allowed.is_empty() {
            if let Some(first) = all.first() {
                self.refused.fetch_add(1, Ordering::Relaxed);
                tracing::info!(host = %name, ip = %first.ip(), "refused: name resolves to a non-public address");
                return Err(Box::new(AddressRefused(format!("{OUT_OF_SCOPE}（{name} → {}）", first.ip()))));
            }
        }
        Ok(allowed)
    }
}

/// The resolver error for a name whose addresses are all forbidden; found again in the client's error chain.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct AddressRefused(pub String);

/// The HTTP client's resolver: `--resolve` overrides first, then the system resolver, filtered by [`AddressPolicy`].
pub struct PolicyResolver(pub Arc<AddressPolicy>);

impl reqwest::dns::Resolve for PolicyResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let policy = self.0.clone();
        let name = name.as_str().to_string();
        Box::pin(async move {
            let addrs = policy.resolve(&name).await?;
            let it: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(it)
        })
    }
}

fn bare(host: &str) -> &str {
    host.trim_start_matches('[').trim_end_matches(']')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forbidden_ranges() {
        for a in [
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "127.0.0.1",
            "169.254.169.254",
            "224.0.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "100.64.0.1",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
        ] {
            assert!(is_forbidden(ip(a)), "{a} must be refused");
        }
        for a in ["202.96.128.86", "172.32.0.1", "8.8.8.8", "2400:da00::6666", "::ffff:8.8.8.8", "64:ff9b::808:808"] {
            assert!(!is_forbidden(ip(a)), "{a} is public");
        }
    }

    #[test]
    fn literal_urls_need_trust() {
        let p = AddressPolicy::new(HashMap::new());
        assert!(p.check_url(&Url::parse("http://10.1.2.3/x").unwrap()).unwrap_err().contains(OUT_OF_SCOPE));
        assert!(p.check_url(&Url::parse("http://[::1]:8080/").unwrap()).is_err());
        assert!(p.check_url(&Url::parse("http://8.8.8.8/").unwrap()).is_ok());
        assert!(p.check_url(&Url::parse("http://www.a.gov.cn/").unwrap()).is_ok());
        p.trust_host("127.0.0.1");
        assert!(p.check_url(&Url::parse("http://127.0.0.1:9/").unwrap()).is_ok());
        assert_eq!(p.refused(), 2);
    }

    #[tokio::test]
    async fn names_resolving_to_loopback_are_refused_unless_trusted_or_mapped() {
        let mut o = HashMap::new();
        o.insert("www.a.gov.cn".to_string(), vec!["127.0.0.1:80".parse().unwrap()]);
        let p = AddressPolicy::new(o);
        assert_eq!(p.resolve("www.a.gov.cn").await.unwrap(), vec!["127.0.0.1:80".parse::<SocketAddr>().unwrap()]);
        // `localhost` resolves to loopback from the hosts file, without any DNS traffic.
        let err = p.resolve("localhost").await.unwrap_err();
        assert!(err.to_string().contains(OUT_OF_SCOPE), "{err}");
        p.trust_host("localhost");
        assert!(!p.resolve("localhost").await.unwrap().is_empty());
    }
}
