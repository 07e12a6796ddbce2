//! Which shard of a sharded run assesses which site (`gongkai run --shard I/N`, or `--shards N` with the index from
//! `JOB_COMPLETION_INDEX` as a Kubernetes Indexed Job sets it).
//!
//! Why this shape:
//! - **Stable.** A site's shard depends only on site ids, hosts and N — never on the order of sites.toml, the machine
//!   or the process (std's `HashMap` hasher is randomised per process and so unusable here). The hash is documented
//!   so an operator can reproduce it by hand: the first 8 bytes of SHA-256 of the UTF-8 site id, read as a big-endian
//!   unsigned 64-bit integer, modulo N (`printf %s sc-cd-jinniu | sha256sum`, take 16 hex digits, mod N).
//! - **Politeness holds across the cluster.** The per-host rate is enforced inside one process. Sites that share any
//!   host (home page host, 政府信息公开 platform host — several departments often sit on one `xxgk.` platform) must be
//!   crawled by one process, or N shards would each send `rate` requests per second to that host. So sites are first
//!   joined into groups (union-find over shared hosts, transitively), and a whole group goes to the shard of its
//!   smallest site id. Host names are compared without port and case-insensitively: two ports of one name are almost
//!   always one server, and grouping too much only costs balance, never politeness.

use crate::Site;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// Name of the environment variable a Kubernetes Indexed Job sets to the pod's 0-based completion index.
pub const JOB_COMPLETION_INDEX: &str = "JOB_COMPLETION_INDEX";

/// One shard of a sharded run: `index` of `count`, 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// A checked shard: `count` ≥ 1 and `index` < `count`; the error is in Chinese (shown to the user).
    pub fn new(index: u32, count: u32) -> Result<Shard, String> {
        if count == 0 {
            return Err("分片总数 N 必须至少为 1（收到 0）".to_string());
        }
        if index >= count {
            return Err(format!(
                "分片序号 {index} 超出范围：共 {count} 个分片时序号应为 0 到 {}（从 0 开始计数）",
                count - 1
            ));
        }
        Ok(Shard { index, count })
    }

    /// Parses `I/N` (`--shard 2/8`).
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || format!("无法识别的分片“{text}”：应写作 I/N，例如 0/4（序号 I 从 0 开始，N 为分片总数）");
        let (i, n) = text.trim().split_once('/').ok_or_else(bad)?;
        let index: u32 = i.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        Shard::new(index, count)
    }

    /// The shard of `--shards N` with its index from `JOB_COMPLETION_INDEX` (`env_value`: the variable's value, None
    /// when unset).
    pub fn from_job_index(count_text: &str, env_value: Option<&str>) -> Result<Shard, String> {
        let count: u32 =
            count_text.trim().parse().map_err(|_| format!("--shards：无法识别的分片总数“{count_text}”，应为正整数"))?;
        let Some(v) = env_value else {
            return Err(format!(
                "--shards 需要环境变量 {JOB_COMPLETION_INDEX}（本分片的序号，从 0 开始；Kubernetes 索引任务会自动设置），但它未设置；在 Kubernetes 之外请改用 --shard I/N"
            ));
        };
        let index: u32 = v
            .trim()
            .parse()
            .map_err(|_| format!("环境变量 {JOB_COMPLETION_INDEX} 的值“{v}”不是从 0 开始的分片序号（应为非负整数）"))?;
        Shard::new(index, count).map_err(|e| format!("环境变量 {JOB_COMPLETION_INDEX}={v}，--shards {count}：{e}"))
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The documented stable hash of a site id: the first 8 bytes of SHA-256 of its UTF-8 bytes, big-endian.
pub fn site_hash(id: &str) -> u64 {
    let digest = Sha256::digest(id.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

/// Every host a site's crawl contacts as its own (home page host, platform host), lower case, without port.
pub fn site_hosts(site: &Site) -> Vec<String> {
    let mut hosts: Vec<String> = std::iter::once(&site.url)
        .chain(site.platform.as_ref())
        .filter_map(|u| u.host_str())
        .map(|h| h.trim_end_matches('.').to_ascii_lowercase())
        .collect();
    hosts.sort();
    hosts.dedup();
    hosts
}

/// Site id → shard index (0-based, < `count`) for every site. Sites sharing a host, directly or through other sites,
/// get the same shard: the shard of the group's smallest site id. `count` must be at least 1.
pub fn assign(sites: &[Site], count: u32) -> BTreeMap<String, u32> {
    assert!(count >= 1, "shard count must be at least 1");
    // Work in id order so the result cannot depend on the file's order.
    let mut ids: Vec<&Site> = sites.iter().collect();
    ids.sort_by(|a, b| a.id.cmp(&b.id));
    let mut groups = UnionFind::new(ids.len());
    let mut first_with_host: HashMap<String, usize> = HashMap::new();
    for (i, site) in ids.iter().enumerate() {
        for host in site_hosts(site) {
            match first_with_host.get(&host) {
                Some(&j) => groups.union(i, j),
                None => {
                    first_with_host.insert(host, i);
                }
            }
        }
    }
    // Sites are in id order, so each group's smallest index is its smallest id.
    let mut smallest: HashMap<usize, usize> = HashMap::new();
    for i in 0..ids.len() {
        smallest.entry(groups.find(i)).or_insert(i);
    }
    (0..ids.len())
        .map(|i| {
            let leader = ids[smallest[&groups.find(i)]];
            (ids[i].id.clone(), (site_hash(&leader.id) % u64::from(count)) as u32)
        })
        .collect()
}

/// The sites of `shard`, in their sites.toml order.
pub fn sites_of(sites: &[Site], shard: Shard) -> Vec<Site> {
    let map = assign(sites, shard.count);
    sites.iter().filter(|s| map[&s.id] == shard.index).cloned().collect()
}

/// Disjoint sets over 0..n with path halving and union by size.
struct UnionFind {
    parent: Vec<usize>,
    size: Vec<usize>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind { parent: (0..n).collect(), size: vec![1; n] }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (mut a, mut b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        if self.size[a] < self.size[b] {
            std::mem::swap(&mut a, &mut b);
        }
        self.parent[b] = a;
        self.size[a] += self.size[b];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_sites;

    fn site(id: &str, url: &str, platform: Option<&str>) -> String {
        let p = platform.map(|p| format!("platform = \"{p}\"\n")).unwrap_or_default();
        format!("[[site]]\nid = \"{id}\"\nname = \"{id}\"\nurl = \"{url}\"\nlevel = \"department\"\n{p}\n")
    }

    fn sites(parts: &[String]) -> Vec<Site> {
        parse_sites(&parts.concat(), "sites.toml").unwrap()
    }

    fn many(n: usize) -> Vec<String> {
        (0..n).map(|i| site(&format!("s{i:03}"), &format!("http://www.s{i:03}.gov.cn/"), None)).collect()
    }

    #[test]
    fn hash_is_the_documented_sha256_prefix() {
        // printf %s sc-cd-jinniu | sha256sum → the first 16 hex digits.
        let hex: String = Sha256::digest(b"sc-cd-jinniu")[..8].iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(site_hash("sc-cd-jinniu"), u64::from_str_radix(&hex, 16).unwrap());
        // A fixed value, so a change of hash function (which would move sites between shards) fails here.
        assert_eq!(format!("{:016x}", site_hash("a")), "ca978112ca1bbdca");
    }

    #[test]
    fn sites_sharing_a_host_land_in_one_shard() {
        let mut parts = many(40);
        // Three departments on one shared platform host, one of them also sharing a home host with a fourth site;
        // the fourth is joined transitively.
        parts.push(site("dept-a", "http://a.city.gov.cn/", Some("http://xxgk.city.gov.cn/a/")));
        parts.push(site("dept-b", "http://b.city.gov.cn/", Some("http://XXGK.city.gov.cn:8080/b/")));
        parts.push(site("dept-c", "http://c.city.gov.cn/", Some("http://xxgk.city.gov.cn/c/")));
        parts.push(site("zz-other", "http://c.city.gov.cn/other/", None));
        let all = sites(&parts);
        for n in 1..=7 {
            let map = assign(&all, n);
            let s = map["dept-a"];
            for id in ["dept-b", "dept-c", "zz-other"] {
                assert_eq!(map[id], s, "{id} not with dept-a for N={n}");
            }
            // The group goes where its smallest id hashes.
            assert_eq!(s as u64, site_hash("dept-a") % n as u64);
            assert!(map.values().all(|&v| v < n));
        }
        // Every site is in exactly one shard's list.
        let n = 5;
        let total: usize = (0..n).map(|i| sites_of(&all, Shard::new(i, n).unwrap()).len()).sum();
        assert_eq!(total, all.len());
    }

    #[test]
    fn assignment_is_independent_of_file_order_and_stable() {
        let mut parts = many(60);
        parts.push(site("p-1", "http://p1.gov.cn/", Some("http://xxgk.gov.cn/p1/")));
        parts.push(site("p-2", "http://p2.gov.cn/", Some("http://xxgk.gov.cn/p2/")));
        let forward = assign(&sites(&parts), 4);
        parts.reverse();
        parts.rotate_left(17);
        let shuffled = assign(&sites(&parts), 4);
        assert_eq!(forward, shuffled);
        // Stable across runs and machines: pinned values (recompute with sha256sum if the hash ever changes, and say
        // so in the changelog: every site moves).
        let pinned: Vec<u32> = ["s000", "s001", "s002", "s003"].iter().map(|id| forward[*id]).collect();
        assert_eq!(pinned, [0, 2, 2, 3], "from sha256sum by hand");
        // And not everything in one shard.
        let used: std::collections::BTreeSet<u32> = forward.values().copied().collect();
        assert_eq!(used.len(), 4, "60 sites should spread over 4 shards");
    }

    #[test]
    fn shard_syntax_and_errors() {
        assert_eq!(Shard::parse("2/8").unwrap(), Shard { index: 2, count: 8 });
        assert_eq!(Shard::parse(" 0 / 1 ").unwrap(), Shard { index: 0, count: 1 });
        assert!(Shard::parse("8/8").unwrap_err().contains("0 到 7"));
        assert!(Shard::parse("0/0").unwrap_err().contains("至少为 1"));
        assert!(Shard::parse("a/3").unwrap_err().contains("I/N"));
        assert!(Shard::parse("3").unwrap_err().contains("I/N"));
        assert!(Shard::parse("-1/3").is_err());
        assert_eq!(Shard::from_job_index("3", Some("2")).unwrap(), Shard { index: 2, count: 3 });
        assert!(Shard::from_job_index("3", None).unwrap_err().contains("未设置"));
        assert!(Shard::from_job_index("3", Some("x")).unwrap_err().contains("JOB_COMPLETION_INDEX"));
        assert!(Shard::from_job_index("3", Some("3")).unwrap_err().contains("超出范围"));
        assert!(Shard::from_job_index("0", Some("0")).unwrap_err().contains("至少为 1"));
        assert!(Shard::from_job_index("x", Some("0")).unwrap_err().contains("--shards"));
    }
}
