//! The IPv6 check's network side (issue 16; docs/rules.md `ipv6`): AAAA lookups, a resolver that gives the HTTP
//! client IPv6 addresses only, and the comparison of a page's IPv6 answer with its IPv4 copy.
//!
//! Why: the 2022 national target is that 85 % of county-level-and-above government portals answer over IPv6, and the
//! monitors provinces buy check four things per site: the AAAA record of the home host, the home page over IPv6, that
//! it is the same page as over IPv4, and the share of sampled second- and third-level links that work over IPv6.
//!
//! Names are looked up with hickory-resolver and the system configuration (`/etc/resolv.conf`, `/etc/hosts`). A host
//! mapped by `--resolve` is decided by the map alone, without DNS: it has AAAA iff one of its mapped addresses is IPv6
//! (`--resolve www.x.gov.cn:80:[::1]`), which is how the check is tested on loopback. With `--resolved-only` no DNS
//! query is made for any other name. A lookup that fails for any reason other than "no such record" is
//! [`AaaaLookup::Failed`]: the check is not made and nothing is held against the site.
//!
//! The requests go through a [`Fetcher`] made with [`Fetcher::with_resolver`]: the same options, the same
//! [`crate::pacer::HostPacer`] (so they count against each host's rate like every other request) and the same address
//! rules ([`crate::netpolicy`]); only the addresses differ. The per-site step that uses all this is in the engine
//! (`engine/ipv6.rs`).

use crate::http::{Exchange, Fetcher};
use crate::netpolicy::{is_forbidden, AddressPolicy, AddressRefused, OUT_OF_SCOPE};
use gongkai_archive::{AaaaLookup, CapturedPage};
use hickory_resolver::proto::rr::RData;
use hickory_resolver::TokioResolver;
use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};

/// The error text of a name with no AAAA record, in findings and sample errors.
pub const NO_AAAA: &str = "域名无 AAAA 记录";

/// AAAA lookups for one crawl: `--resolve` first, then DNS (hickory, system configuration), each name once.
pub struct AaaaResolver {
    overrides: BTreeMap<String, Vec<SocketAddr>>,
    /// False with `--resolved-only`: names outside the map are not looked up.
    may_query_dns: bool,
    /// Built on first use; the error when the system configuration could not be read.
    dns: tokio::sync::OnceCell<Result<TokioResolver, String>>,
    cache: Mutex<HashMap<String, AaaaLookup>>,
}

impl AaaaResolver {
    pub fn new(overrides: BTreeMap<String, Vec<SocketAddr>>, may_query_dns: bool) -> Self {
        AaaaResolver { overrides, may_query_dns, dns: tokio::sync::OnceCell::new(), cache: Mutex::new(HashMap::new()) }
    }

    /// The IPv6 addresses of `host` (a name or an IP literal, brackets allowed).
    pub async fn lookup(&self, host: &str) -> AaaaLookup {
        let name = host.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
        if let Some(hit) = self.cache.lock().unwrap_or_else(|e| e.into_inner()).get(&name) {
            return hit.clone();
        }
        let found = self.lookup_uncached(&name).await;
        self.cache.lock().unwrap_or_else(|e| e.into_inner()).insert(name, found.clone());
        found
    }

    async fn lookup_uncached(&self, name: &str) -> AaaaLookup {
        if let Ok(ip) = name.parse::<IpAddr>() {
            return match ip {
                IpAddr::V6(v6) => AaaaLookup::Found { addresses: vec![v6] },
                IpAddr::V4(_) => AaaaLookup::NoRecord,
            };
        }
        if let Some(addrs) = self.overrides.get(name) {
            return from_addresses(addrs.iter().map(|a| a.ip()));
        }
        if !self.may_query_dns {
            return AaaaLookup::Failed { error: "未查询 DNS（只访问 --resolve 指定的主机）".into() };
        }
        let dns = self
            .dns
            .get_or_init(|| async {
                TokioResolver::builder_tokio()
                    .and_then(|b| b.build())
                    .map_err(|e| format!("无法读取系统 DNS 配置：{e}"))
            })
            .await;
        let resolver = match dns {
            Ok(r) => r,
            Err(e) => return AaaaLookup::Failed { error: e.clone() },
        };
        // A fully qualified name: one query, no search-list suffixes.
        let fqdn = if name.ends_with('.') { name.to_string() } else { format!("{name}.") };
        match resolver.ipv6_lookup(fqdn.as_str()).await {
            Ok(lookup) => from_addresses(lookup.answers().iter().filter_map(|r| match &r.data {
                RData::AAAA(a) => Some(IpAddr::V6(a.0)),
                _ => None,
            })),
            Err(e) if e.is_no_records_found() => AaaaLookup::NoRecord,
            Err(e) => AaaaLookup::Failed { error: format!("AAAA 查询失败：{e}") },
        }
    }
}

/// Found with the IPv6 ones among `addrs`, or NoRecord when there are none.
fn from_addresses(addrs: impl Iterator<Item = IpAddr>) -> AaaaLookup {
    let mut v6: Vec<Ipv6Addr> = Vec::new();
    for a in addrs {
        if let IpAddr::V6(x) = a {
            if !v6.contains(&x) {
                v6.push(x);
            }
        }
    }
    if v6.is_empty() {
        AaaaLookup::NoRecord
    } else {
        AaaaLookup::Found { addresses: v6 }
    }
}

/// The HTTP client's resolver for the IPv6 check: the name's AAAA addresses only, filtered by the address rules as
/// every connection is (a configured site's host or a `--resolve`d one may be anywhere).
struct V6Resolver {
    aaaa: Arc<AaaaResolver>,
    policy: Arc<AddressPolicy>,
}

impl reqwest::dns::Resolve for V6Resolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let (aaaa, policy) = (self.aaaa.clone(), self.policy.clone());
        let name = name.as_str().to_ascii_lowercase();
        Box::pin(async move {
            let addrs = match aaaa.lookup(&name).await {
                AaaaLookup::Found { addresses } => addresses,
                AaaaLookup::NoRecord => return Err(NO_AAAA.into()),
                AaaaLookup::Failed { error } => return Err(error.into()),
            };
            let trusted = policy.is_trusted(&name);
            let allowed: Vec<SocketAddr> = addrs
                .iter()
                .filter(|a| trusted || !is_forbidden(IpAddr::V6(**a)))
                .map(|a| SocketAddr::new(IpAddr::V6(*a), 0))
                .collect();
            if allowed.is_empty() {
                let first = addrs.first().map(|a| a.to_string()).unwrap_or_default();
                let refused: Box<dyn std::error::Error + Send + Sync> =
                    Box::new(AddressRefused(format!("{OUT_OF_SCOPE}（{name} → {first}）")));
                return Err(refused);
            }
            let it: reqwest::dns::Addrs = Box::new(allowed.into_iter());
            Ok(it)
        })
    }
}

/// What the IPv6 check needs for a crawl: the lookups and a fetcher that connects over IPv6 only.
pub struct Ipv6Prober {
    pub aaaa: Arc<AaaaResolver>,
    pub fetcher: Fetcher,
}

impl Ipv6Prober {
    /// Shares `fetcher`'s options, pacer and address rules.
    pub fn new(fetcher: &Fetcher) -> anyhow::Result<Ipv6Prober> {
        let opts = fetcher.options();
        let aaaa = Arc::new(AaaaResolver::new(opts.resolve_map(), !opts.only_resolved_hosts));
        let resolver = Arc::new(V6Resolver { aaaa: aaaa.clone(), policy: fetcher.policy.clone() });
        Ok(Ipv6Prober { aaaa, fetcher: fetcher.with_resolver(resolver)? })
    }
}

/// Whether the IPv6 answer is the same page as the IPv4 copy: the same status, and then the same redirect target
/// (3xx), or the same payload, or the same non-empty `<title>`. Returns what differs, in Chinese, when it is not.
pub fn compare(v4: &CapturedPage, v6: &Exchange) -> Result<(), String> {
    if v4.status != v6.status {
        return Err(format!("状态码不同：IPv4 为 {}，IPv6 为 {}", v4.status, v6.status));
    }
    if (300..400).contains(&v4.status) {
        let (a, b) = (v4.header("location").unwrap_or(""), v6.header("location").unwrap_or(""));
        return if a == b { Ok(()) } else { Err(format!("跳转地址不同：IPv4 为 {a}，IPv6 为 {b}")) };
    }
    let body6: &[u8] = v6.decoded.as_deref().unwrap_or(&v6.body);
    if v4.body == body6 {
        return Ok(());
    }
    let (t4, t6) = (title(&v4.body, v4.header("content-type")), title(body6, v6.header("content-type")));
    match (t4, t6) {
        (Some(a), Some(b)) if a == b => Ok(()),
        (a, b) => Err(format!(
            "页面内容不同：IPv4 标题“{}”，IPv6 标题“{}”",
            a.as_deref().map(short).unwrap_or_else(|| "无".into()),
            b.as_deref().map(short).unwrap_or_else(|| "无".into())
        )),
    }
}

/// The page's `<title>`, whitespace collapsed; None when it has none or an empty one.
fn title(body: &[u8], content_type: Option<&str>) -> Option<String> {
    let (html, _) = gongkai_archive::text::decode_html(body, content_type);
    let doc = scraper::Html::parse_document(&html);
    let sel = scraper::Selector::parse("title").expect("valid selector");
    let t: String = doc.select(&sel).next()?.text().collect::<String>();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

fn short(s: &str) -> String {
    let mut out: String = s.chars().take(60).collect();
    if s.chars().count() > 60 {
        out.push('…');
    }
    out
}

/// The indices of up to `n` items spread evenly over a list of `len` (sorted by the caller), in increasing order, so
/// that a sample reaches every part of the site rather than the first column only. The same list gives the same
/// sample.
pub fn spread_indices(len: usize, n: usize) -> Vec<usize> {
    if len <= n {
        return (0..len).collect();
    }
    (0..n).map(|i| i * len / n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use chrono::Utc;
    use gongkai_archive::WarcRef;
    use url::Url;

    fn map(entries: &[&str]) -> BTreeMap<String, Vec<SocketAddr>> {
        let mut o = crate::CrawlOptions::default();
        o.add_resolves(entries).unwrap();
        o.resolve_map()
    }

    #[tokio::test]
    async fn resolve_map_decides_mapped_hosts_without_dns() {
        let r = AaaaResolver::new(
            map(&["www.a.gov.cn:80:127.0.0.1", "www.a.gov.cn:80:[::1]", "www.b.gov.cn:80:127.0.0.1"]),
            false,
        );
        assert_eq!(r.lookup("WWW.A.gov.cn").await, AaaaLookup::Found { addresses: vec!["::1".parse().unwrap()] });
        assert_eq!(r.lookup("www.b.gov.cn").await, AaaaLookup::NoRecord);
        assert_eq!(r.lookup("[::1]").await, AaaaLookup::Found { addresses: vec!["::1".parse().unwrap()] });
        assert_eq!(r.lookup("127.0.0.1").await, AaaaLookup::NoRecord);
        // --resolved-only: an unmapped name is not looked up, so the check is not made.
        assert!(matches!(r.lookup("www.c.gov.cn").await, AaaaLookup::Failed { .. }));
    }

    #[tokio::test]
    async fn real_names_go_through_hickory() {
        // RFC 6761 special-use names, answered by hickory itself without a query on the network: `localhost` is
        // loopback (so it has the AAAA ::1), a name under `.invalid` has no record.
        let r = AaaaResolver::new(BTreeMap::new(), true);
        assert_eq!(r.lookup("localhost").await, AaaaLookup::Found { addresses: vec![Ipv6Addr::LOCALHOST] });
        assert_eq!(r.lookup("www.gongkai.invalid").await, AaaaLookup::NoRecord);
    }

    fn page(status: u16, headers: &[(&str, &str)], body: &str) -> CapturedPage {
        CapturedPage {
            url: Url::parse("http://www.a.gov.cn/").unwrap(),
            fetched_at: Utc::now(),
            status,
            headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            body: body.as_bytes().to_vec(),
            depth: 0,
            warc: WarcRef { file: "x".into(), offset: 0, record_id: "r".into() },
        }
    }

    fn exchange(status: u16, headers: &[(&str, &str)], body: &str) -> Exchange {
        Exchange {
            url: Url::parse("http://www.a.gov.cn/").unwrap(),
            method: "GET",
            request_headers: vec![],
            started_at: Utc::now(),
            elapsed: std::time::Duration::ZERO,
            status,
            http_version: "HTTP/1.1",
            headers: headers.iter().map(|(k, v)| (k.to_lowercase(), v.to_string())).collect(),
            body: Bytes::from(body.to_string()),
            remote_ip: Some("::1".parse().unwrap()),
            attempts: 1,
            truncated: None,
            decoded: None,
        }
    }

    #[test]
    fn v6_page_compared_by_status_payload_then_title() {
        let html = "<html><head><title> 某某县 人民政府 </title></head><body>今天 12:00</body></html>";
        assert_eq!(compare(&page(200, &[], html), &exchange(200, &[], html)), Ok(()));
        // Same title, different clock on the page: the same page.
        let later = html.replace("12:00", "12:01");
        assert_eq!(compare(&page(200, &[], html), &exchange(200, &[], &later)), Ok(()));
        let other = "<title>It works!</title>";
        let e = compare(&page(200, &[], html), &exchange(200, &[], other)).unwrap_err();
        assert!(e.contains("某某县 人民政府") && e.contains("It works!"), "{e}");
        let e = compare(&page(200, &[], html), &exchange(404, &[], html)).unwrap_err();
        assert!(e.contains("200") && e.contains("404"), "{e}");
        let loc = [("Location", "/index.html")];
        assert_eq!(compare(&page(302, &loc, ""), &exchange(302, &loc, "")), Ok(()));
        assert!(compare(&page(302, &loc, ""), &exchange(302, &[("Location", "/v6.html")], "")).is_err());
        // Neither has a title and the bodies differ: not the same.
        assert!(compare(&page(200, &[], "a"), &exchange(200, &[], "b")).is_err());
    }

    #[test]
    fn spread_reaches_the_whole_list() {
        assert_eq!(spread_indices(100, 4), vec![0, 25, 50, 75]);
        assert_eq!(spread_indices(3, 10), vec![0, 1, 2]);
        assert!(spread_indices(0, 10).is_empty());
    }
}
