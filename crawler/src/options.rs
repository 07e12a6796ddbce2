//! Crawl settings: what the command line and sites.toml can change, with polite defaults.
//!
//! Values here override sites.toml where both exist (docs/sites.md: "values given on the command line override sites.toml").

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::str::FromStr;
use std::time::Duration;

/// The default User-Agent: honest about who we are (政府网站检查, a government website check), with a contact URL.
/// ASCII only: HTTP field values outside ASCII are opaque bytes to servers, and some firewalls reject them.
pub const DEFAULT_USER_AGENT: &str = "gongkai/0.1 (+https://github.com/gongkai/gongkai; government website check)";

/// One `--resolve HOST:PORT:ADDR` entry (as curl's): connect to ADDR when a URL names HOST:PORT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveOverride {
    /// Lower-case host name.
    pub host: String,
    pub port: u16,
    pub addr: IpAddr,
}

impl FromStr for ResolveOverride {
    type Err = String;

    /// Parses `HOST:PORT:ADDR`; ADDR may be an IPv6 address, bracketed or not.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.splitn(3, ':');
        let (host, port, addr) = match (parts.next(), parts.next(), parts.next()) {
            (Some(h), Some(p), Some(a)) if !h.is_empty() && !a.is_empty() => (h, p, a),
            _ => return Err(format!("--resolve {s:?}：应写作 主机:端口:地址（HOST:PORT:ADDR）")),
        };
        let port: u16 = port.parse().map_err(|_| format!("--resolve {s:?}：端口 {port:?} 无效"))?;
        let addr_text = addr.trim_start_matches('[').trim_end_matches(']');
        let addr: IpAddr = addr_text.parse().map_err(|_| format!("--resolve {s:?}：地址 {addr:?} 不是 IP 地址"))?;
        Ok(ResolveOverride { host: host.to_ascii_lowercase(), port, addr })
    }
}

/// Everything that shapes a crawl. Build with [`CrawlOptions::default`] and change what you need.
#[derive(Debug, Clone)]
pub struct CrawlOptions {
    /// Sent on every request. Keep a contact URL in it.
    pub user_agent: String,
    /// `--resolve` entries.
    pub resolve: Vec<ResolveOverride>,
    /// Requests per second per host, overriding every site's `rate` (`--rate`).
    pub rate: Option<f64>,
    /// Sites crawled at once (`--concurrency`); 0 (the default): every site at once. What bounds the crawl is then
    /// each host's own rate and Crawl-delay and [`max_in_flight`](Self::max_in_flight), never a count of sites: a
    /// province of 2,000 sites at 2/s per host finishes in about the time its busiest host needs, or the time the CPU
    /// needs, whichever is longer (`cargo bench -p gongkai-crawler --bench crawl -- province`). A site waiting for its
    /// hosts' politeness slots costs no CPU and little memory (its frontier is on disk).
    pub concurrency: usize,
    /// Requests in flight at once over the whole crawl (pages, robots.txt, requisites, link checks), so open
    /// connections and response bodies in memory stay bounded however many sites are active. A request waits for a
    /// place after its host's politeness slot, so the cap can only make requests later, never closer together.
    /// Availability probes are not counted (their timing must not include our own queue).
    pub max_in_flight: usize,
    /// Pages in flight at once per host of one site (still paced by the per-host limit): each host of a site with
    /// URLs waiting gets its own places, so a site's hosts never wait for each other (twice this for link checks).
    pub per_site_parallelism: usize,
    /// Page budget per site, overriding sites.toml (`--max-pages`).
    pub max_pages: Option<u32>,
    /// Depth budget per site, overriding sites.toml (`--max-depth`).
    pub max_depth: Option<u32>,
    /// Time allowed for one request, from sending it to the last body byte.
    pub request_timeout: Duration,
    /// Time allowed to open a connection.
    pub connect_timeout: Duration,
    /// Largest body kept as sent on the wire: reading stops there, and the response is archived with
    /// `WARC-Truncated: length` (never a failure of the site; its link check says 未检查).
    pub max_body_bytes: u64,
    /// Largest body after removing Content-Encoding, decoded while it arrives: a gzip bomb stops here (reading stops
    /// too, and the response is archived as truncated).
    pub max_decoded_bytes: u64,
    /// robots.txt Crawl-delay is honoured up to this; a longer one is capped and the cap reported.
    pub crawl_delay_cap: Duration,
    /// Extra tries after a timeout, connection failure, 5xx or 429.
    pub retries: u32,
    /// First back-off; doubled on each retry.
    pub retry_backoff: Duration,
    /// A 429 or 503 with `Retry-After` pauses its host for the time asked, up to this (`--retry-after-cap`, 10 min by
    /// default). A host asking for longer is left alone for the rest of the crawl: its remaining URLs are not fetched
    /// and its links are recorded as not checked (站点要求暂停访问).
    pub retry_after_cap: Duration,
    /// Redirect hops followed for one link check or probe.
    pub max_redirects: u32,
    /// The probe time-out (docs/rules.md: 15 s, official).
    pub probe_timeout: Duration,
    /// Safety margin on the per-host interval (0.02 = requests 2% further apart than the rate strictly allows). The
    /// promise itself is kept by the window (no new request while `rate` of the host's requests are unanswered or were
    /// answered less than a second ago); the margin keeps requests from arriving just at a window's edge. It was 8%:
    /// the 30-site crafted province at 2/s took 1.083× its busiest host's bound then, 1.021× at 2%, with at most 2
    /// requests in any second of every host's log either way (`BENCH_MARGIN`, crawl bench `province`).
    pub rate_margin: f64,
    /// When true, hosts that no `--resolve` entry names are never contacted, whatever their address (tests and the demo
    /// run on loopback only); links to them get no link check and are counted in
    /// [`crate::CrawlSummary::links_not_contacted`].
    pub only_resolved_hosts: bool,
    /// Check every link target found (docs/rules.md broken links).
    pub check_links: bool,
    /// Pages of one URL family (same host and path shape, same query keys) fetched before the family is judged by what
    /// they hold: when most of them are near-identical (same text with digits ignored, or empty), the family is an
    /// endless URL space (calendar, search, session ids) and the rest of it is cut; a family of distinct pages
    /// (articles) is crawled whatever its size (see `TrapDetector` in the crate's `urls` module).
    pub trap_probe: u32,
    /// Link checks over the network per site, overriding sites.toml's `max_link_checks` (`--max-link-checks`).
    pub max_link_checks: Option<u32>,
    /// URLs longer than this are not followed (endless spaces often grow their URLs).
    pub max_url_len: usize,
    /// Fraction of the rate used for hosts that belong to none of this crawl's sites (link-check targets such as
    /// national services that every site links to). 1 normally; a shard of an N-shard run (`gongkai run --shard`) sets
    /// 1/N, so N shards crawling at once together stay within the rate at those hosts too (docs/kubernetes.md).
    pub other_hosts_rate_share: f64,
    /// Page requisites (stylesheets, images, icons, fonts) requested per site, on top of the page budget (0: none).
    pub max_requisites: u64,
    /// Root certificates (DER) trusted besides the Mozilla roots for https sites (`--ca-file PEM`): a province's own
    /// CA, or a test CA. See the crate's `tls` module for what a certificate that does not verify leads to.
    pub extra_roots: Vec<Vec<u8>>,
    /// The IPv6 check per site (issue 16, docs/rules.md `ipv6`): an AAAA lookup of the home host, the home page over
    /// IPv6 compared with the IPv4 copy, and a sample of inner pages over IPv6 ([`crate::ipv6`]). On by default.
    pub ipv6_check: bool,
    /// Inner pages (depth 1–2, already archived) fetched over IPv6 per site, at most.
    pub ipv6_samples: u32,
}

/// Default of [`CrawlOptions::ipv6_samples`]: commercial monitors sample about ten second- and third-level links.
pub const DEFAULT_IPV6_SAMPLES: u32 = 10;

/// Default of [`CrawlOptions::max_in_flight`]: at a few hundred requests in flight a 2-core machine is busy parsing and
/// compressing (the CPU bound), and the open sockets stay far below the usual descriptor limits.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 256;

/// Default of [`CrawlOptions::max_requisites`]: a government home page and its column pages share one stylesheet or
/// two, a logo, the 党政机关 badge and a handful of icons and banners; 300 covers them with room for article images.
pub const DEFAULT_MAX_REQUISITES: u64 = 300;

impl Default for CrawlOptions {
    fn default() -> Self {
        CrawlOptions {
            user_agent: DEFAULT_USER_AGENT.to_string(),
            resolve: Vec::new(),
            rate: None,
            concurrency: 0,
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
            per_site_parallelism: 4,
            max_pages: None,
            max_depth: None,
            request_timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_body_bytes: 20 * 1024 * 1024,
            max_decoded_bytes: 20 * 1024 * 1024,
            crawl_delay_cap: Duration::from_secs(10),
            retries: 2,
            retry_backoff: Duration::from_secs(1),
            retry_after_cap: Duration::from_secs(600),
            max_redirects: 10,
            probe_timeout: Duration::from_secs(15),
            rate_margin: 0.02,
            only_resolved_hosts: false,
            check_links: true,
            trap_probe: 10,
            max_link_checks: None,
            max_url_len: 512,
            other_hosts_rate_share: 1.0,
            max_requisites: DEFAULT_MAX_REQUISITES,
            extra_roots: Vec::new(),
            ipv6_check: true,
            ipv6_samples: DEFAULT_IPV6_SAMPLES,
        }
    }
}

impl CrawlOptions {
    /// Parses `--resolve` values and adds them.
    pub fn add_resolves<S: AsRef<str>>(&mut self, specs: &[S]) -> Result<(), String> {
        for s in specs {
            self.resolve.push(s.as_ref().parse()?);
        }
        Ok(())
    }

    /// Reads a PEM file of root certificates (`--ca-file`) and trusts them too; the error names the file.
    pub fn add_ca_file(&mut self, path: &std::path::Path) -> Result<(), String> {
        self.extra_roots.extend(crate::tls::read_pem_certificates(path)?);
        Ok(())
    }

    /// Host → socket addresses, for the HTTP client (its override ignores ports, so ports come from the URL).
    pub(crate) fn resolve_map(&self) -> BTreeMap<String, Vec<SocketAddr>> {
        let mut map: BTreeMap<String, Vec<SocketAddr>> = BTreeMap::new();
        for r in &self.resolve {
            let entry = map.entry(r.host.clone()).or_default();
            let sa = SocketAddr::new(r.addr, r.port);
            if !entry.contains(&sa) {
                entry.push(sa);
            }
        }
        map
    }

    /// Sites crawled at once for a list of `n` sites ([`concurrency`](Self::concurrency) 0: all of them).
    pub fn sites_at_once(&self, n: usize) -> usize {
        if self.concurrency == 0 {
            n.max(1)
        } else {
            self.concurrency
        }
    }

    /// May we open a connection to this host at all? With `only_resolved_hosts`, only `--resolve`d HOST:PORT pairs
    /// (addresses are judged separately, see [`crate::netpolicy`]).
    pub(crate) fn may_contact(&self, host: &str, port: u16) -> bool {
        if !self.only_resolved_hosts {
            return true;
        }
        self.resolve.iter().any(|r| r.host.eq_ignore_ascii_case(host) && r.port == port)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_resolve() {
        let r: ResolveOverride = "www.Example.gov.cn:8080:127.0.0.1".parse().unwrap();
        assert_eq!(r.host, "www.example.gov.cn");
        assert_eq!(r.port, 8080);
        assert_eq!(r.addr, "127.0.0.1".parse::<IpAddr>().unwrap());
        let r6: ResolveOverride = "a.gov.cn:80:[::1]".parse().unwrap();
        assert_eq!(r6.addr, "::1".parse::<IpAddr>().unwrap());
        assert!("a.gov.cn:80".parse::<ResolveOverride>().is_err());
        assert!("a.gov.cn:x:127.0.0.1".parse::<ResolveOverride>().is_err());
        assert!("a.gov.cn:80:nothere".parse::<ResolveOverride>().is_err());
    }

    #[test]
    fn only_resolved_hosts_are_contacted_when_asked() {
        let mut o = CrawlOptions { only_resolved_hosts: true, ..Default::default() };
        o.add_resolves(&["a.gov.cn:8080:127.0.0.1"]).unwrap();
        assert!(o.may_contact("a.gov.cn", 8080));
        assert!(!o.may_contact("a.gov.cn", 80));
        assert!(!o.may_contact("beian.miit.gov.cn", 80));
        assert!(!o.may_contact("127.0.0.1", 1), "loopback is not exempt: --resolved-only means only those");
        assert!(!o.may_contact("10.0.0.1", 80));
    }
}
