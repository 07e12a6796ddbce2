//! robots.txt (RFC 9309) for every host the crawl touches, fetched once per crawl and shared by every site.
//!
//! RFC 9309 §2.3.1: a robots.txt that answers 4xx means "no rules" (crawl everything); one that cannot be reached (5xx
//! after retries, no connection) means "crawl nothing" on that host. Crawl-delay is not in the RFC but widely used;
//! we honour it up to a cap, slowing the host's limiter, and record when the cap cut it short.

use crate::http::{decode_content, Exchange, Fetcher};
use crate::urls::authority;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use texting_robots::Robot;
use tokio::sync::OnceCell;
use url::Url;

/// What robots.txt says for one host.
pub enum RobotsPolicy {
    /// No robots.txt (4xx) or an empty one.
    AllowAll,
    /// robots.txt answered 5xx after retries (RFC 9309 "unreachable": assume complete disallow).
    DisallowAll,
    /// No answer at all (connection refused, time-out): the host is down. Nothing is requested; fetches of its URLs
    /// are recorded as failures with this error, and links to it are broken (not "forbidden").
    Unreachable(crate::http::FetchError),
    Rules(Box<Robot>),
}

/// One host's robots.txt as fetched in this crawl.
pub struct HostRobots {
    pub authority: String,
    pub policy: RobotsPolicy,
    /// Crawl-delay as written, in seconds.
    pub crawl_delay: Option<f32>,
    /// The interval actually applied when Crawl-delay was above the cap.
    pub capped_to: Option<Duration>,
    /// The exchanges that fetched it (redirect hops included), for the archive.
    pub exchanges: Vec<Exchange>,
    /// Why the policy is what it is (`status 404`, `connect: …`).
    pub note: String,
}

impl HostRobots {
    /// The connection error when the host did not answer at all.
    pub fn unreachable(&self) -> Option<&crate::http::FetchError> {
        match &self.policy {
            RobotsPolicy::Unreachable(e) => Some(e),
            _ => None,
        }
    }

    pub fn allowed(&self, url: &Url) -> bool {
        match &self.policy {
            RobotsPolicy::AllowAll => true,
            RobotsPolicy::DisallowAll => url.path() == "/robots.txt",
            RobotsPolicy::Unreachable(_) => false,
            RobotsPolicy::Rules(r) => {
                let mut pq = url.path().to_string();
                if let Some(q) = url.query() {
                    pq.push('?');
                    pq.push_str(q);
                }
                r.allowed(&pq)
            }
        }
    }
}

/// The product token robots.txt groups are matched against: the User-Agent's first word before `/`.
pub fn product_token(user_agent: &str) -> &str {
    user_agent.split(['/', ' ']).next().filter(|s| !s.is_empty()).unwrap_or("*")
}

/// robots.txt per host, fetched at most once per crawl even when many tasks ask at once.
#[derive(Default)]
pub struct RobotsCache {
    cells: Mutex<HashMap<String, Arc<OnceCell<Arc<HostRobots>>>>>,
}

impl RobotsCache {
    /// The rules for `url`'s host, fetching robots.txt (paced at `rate`) the first time. `fresh` is true for the one
    /// caller whose call fetched it (that caller archives the exchanges).
    pub async fn get(&self, fetcher: &Fetcher, url: &Url, rate: f64) -> (Arc<HostRobots>, bool) {
        let auth = authority(url);
        let cell = self.cells.lock().unwrap().entry(auth.clone()).or_default().clone();
        let mut fresh = false;
        let rules = cell
            .get_or_init(|| {
                fresh = true;
                fetch_robots(fetcher, url, auth.clone(), rate)
            })
            .await
            .clone();
        (rules, fresh)
    }
}

async fn fetch_robots(fetcher: &Fetcher, url: &Url, auth: String, rate: f64) -> Arc<HostRobots> {
    let opts = fetcher.options();
    let mut target = url.join("/robots.txt").expect("robots.txt URL");
    let mut exchanges = Vec::new();
    let mut hops = 0;
    let (policy, delay, note) = loop {
        match fetcher.fetch("GET", &target, rate, opts.retries).await {
            Ok(ex) => {
                let status = ex.status;
                if let Some(next) = ex.redirect_target() {
                    exchanges.push(ex);
                    hops += 1;
                    if hops > 5 {
                        break (RobotsPolicy::AllowAll, None, "重定向次数过多：按没有 robots.txt 处理".into());
                    }
                    target = next;
                    continue;
                }
                let body = decode_content(ex.header("content-encoding"), &ex.body, 512 * 1024);
                exchanges.push(ex);
                if status == 429 {
                    // Rate limited even after the retries (and any Retry-After pause): do not crawl the host.
                    break (RobotsPolicy::DisallowAll, None, "状态码 429：被限速，不抓取".to_string());
                } else if (200..300).contains(&status) {
                    match Robot::new(product_token(&opts.user_agent), &body) {
                        Ok(r) => {
                            let d = r.delay;
                            break (RobotsPolicy::Rules(Box::new(r)), d, format!("状态码 {status}"));
                        }
                        Err(e) => break (RobotsPolicy::AllowAll, None, format!("robots.txt 无法解析：{e}")),
                    }
                } else if (400..500).contains(&status) {
                    break (RobotsPolicy::AllowAll, None, format!("状态码 {status}：没有规则"));
                } else if status >= 500 {
                    break (RobotsPolicy::DisallowAll, None, format!("状态码 {status}：无法访问，不抓取"));
                } else {
                    break (RobotsPolicy::AllowAll, None, format!("状态码 {status}"));
                }
            }
            Err(e) => {
                let note = format!("{e}：主机无法访问");
                break (RobotsPolicy::Unreachable(e), None, note);
            }
        }
    };
    let mut capped_to = None;
    if let Some(d) = delay.filter(|d| d.is_finite() && *d > 0.0) {
        let want = Duration::from_secs_f64(d as f64);
        let applied = if want > opts.crawl_delay_cap {
            capped_to = Some(opts.crawl_delay_cap);
            tracing::warn!(host = %auth, crawl_delay = d, cap = ?opts.crawl_delay_cap, "抓取间隔（Crawl-delay）已限制到上限");
            opts.crawl_delay_cap
        } else {
            want
        };
        fetcher.pacer.limit_interval(&auth, applied);
    }
    Arc::new(HostRobots { authority: auth, policy, crawl_delay: delay, capped_to, exchanges, note })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn product_token_is_first_word() {
        assert_eq!(product_token(crate::options::DEFAULT_USER_AGENT), "gongkai");
        assert_eq!(product_token(""), "*");
    }

    #[test]
    fn rules_apply_to_path_and_query() {
        let r = Robot::new("gongkai", b"User-agent: *\nDisallow: /private/\nDisallow: /*?print=\nCrawl-delay: 3\n")
            .unwrap();
        let h = HostRobots {
            authority: "a:80".into(),
            crawl_delay: r.delay,
            policy: RobotsPolicy::Rules(Box::new(r)),
            capped_to: None,
            exchanges: vec![],
            note: String::new(),
        };
        assert!(!h.allowed(&Url::parse("http://a/private/x.html").unwrap()));
        assert!(!h.allowed(&Url::parse("http://a/p.html?print=1").unwrap()));
        assert!(h.allowed(&Url::parse("http://a/public/").unwrap()));
        assert_eq!(h.crawl_delay, Some(3.0));
    }
}
