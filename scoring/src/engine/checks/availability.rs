//! Availability checks: probes of the home page (monitor and crawl).
//!
//! Parameters and their placeholders: `config/src/check/availability.rs`.

use super::{window_start, Occurrence};
use crate::analysis::SiteAnalysis;
use crate::analysis::Source;
use crate::engine::{evidence, Ctx};
use chrono::NaiveDate;
use gongkai_archive::ProbeSource;
use gongkai_config::check::{Ipv6, ProbeFailurePercent, ProbeFailureRate};
use gongkai_config::Period;

struct ProbeStats {
    probes: usize,
    failures: usize,
    from_crawl: bool,
}

impl ProbeStats {
    fn percent(&self) -> f64 {
        if self.probes == 0 {
            0.0
        } else {
            self.failures as f64 * 100.0 / self.probes as f64
        }
    }
}

/// A probe the site answered: 2xx, or 304 to the crawl's conditional request for an unchanged home page.
fn answered(status: u16) -> bool {
    (200..300).contains(&status) || status == 304
}

fn probe_stats(window: Period, a: &SiteAnalysis, ctx: &Ctx) -> (ProbeStats, String) {
    let start = match window.as_std() {
        Some(d) => ctx.as_of - chrono::Duration::from_std(d).unwrap_or_default(),
        None => {
            let s = window_start(window, ctx).unwrap_or(NaiveDate::MIN);
            s.and_hms_opt(0, 0, 0).unwrap().and_local_timezone(*ctx.as_of.offset()).single().unwrap_or(ctx.as_of)
        }
    };
    let timeout_ms = ctx.rubric.parameters.probe_timeout.as_std().map(|d| d.as_millis() as u64).unwrap_or(15_000);
    let in_window: Vec<_> = a.probes.iter().filter(|p| p.at >= start && p.at <= ctx.as_of).collect();
    let monitor: Vec<_> = in_window.iter().filter(|p| p.source == ProbeSource::Monitor).copied().collect();
    let (used, from_crawl) = if monitor.is_empty() { (in_window, true) } else { (monitor, false) };
    let failed: Vec<_> = used
        .iter()
        .filter(|p| p.error.is_some() || !p.status.is_some_and(answered) || p.duration_ms > timeout_ms)
        .collect();
    let mut what: Vec<String> = failed
        .iter()
        .take(10)
        .map(|p| {
            let why = match (&p.error, p.status) {
                (Some(e), _) => crate::fetch_error::fetch_error_zh(e),
                (None, Some(s)) if !answered(s) => format!("HTTP {s}"),
                _ => format!("{}毫秒未完成", p.duration_ms),
            };
            format!("{} {}", p.at.with_timezone(ctx.as_of.offset()).format("%Y-%m-%d %H:%M"), why)
        })
        .collect();
    if failed.len() > 10 {
        what.push(format!("等{}次", failed.len()));
    }
    let observed = format!("监测{}次，失败{}次：{}", used.len(), failed.len(), what.join("；"));
    (ProbeStats { probes: used.len(), failures: failed.len(), from_crawl }, observed)
}

fn probe_occurrence(s: &ProbeStats, window: Period, a: &SiteAnalysis, observed: &str) -> Occurrence {
    let mut o = Occurrence::new()
        .set("probes", s.probes.to_string())
        .set("failures", s.failures.to_string())
        .set("percent", format!("{:.1}", s.percent()))
        .set("window", window.label_zh())
        .ev(&a.home_source(), observed);
    if s.from_crawl {
        o.note = Some("（未运行可用性监测，依据抓取时对首页的访问记录计算）".to_string());
    }
    o
}

pub(super) fn probe_failure_rate(p: &ProbeFailureRate, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let (s, observed) = probe_stats(p.window, a, ctx);
    if s.probes as u32 >= p.min_probes && s.probes > 0 && s.percent() >= p.at_least_percent {
        return vec![probe_occurrence(&s, p.window, a, &observed)];
    }
    Vec::new()
}

pub(super) fn probe_failure_percent(p: &ProbeFailurePercent, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let (s, observed) = probe_stats(p.window, a, ctx);
    if (s.probes as u32) < p.min_probes.max(1) || s.percent() >= p.below_percent {
        return Vec::new();
    }
    // one occurrence per whole percent; the evidence says it once
    let n = s.percent().floor() as usize;
    let mut out = vec![probe_occurrence(&s, p.window, a, &observed)];
    for k in 1..n {
        let mut o = out[0].clone();
        o.evidence = vec![evidence(&a.home_source(), format!("不可用率第{}个百分点", k + 1))];
        out.push(o);
    }
    out.truncate(n);
    out
}

/// Whole percent, for messages (85 %, not 85.0 %).
fn percent(x: f64) -> String {
    format!("{:.0}", x * 100.0)
}

/// The crawler's IPv6 check read against the rule (docs/rules.md `ipv6`): no AAAA is the one finding (nothing else
/// can be judged without an address); else the home page and the sampled pages are judged separately. A lookup that
/// failed, or no check at all, is not checked: no occurrence.
pub(super) fn ipv6(p: &Ipv6, a: &SiteAnalysis) -> Vec<Occurrence> {
    let Some(c) = &a.ipv6 else { return Vec::new() };
    let record = Source { url: c.home.clone(), warc: c.record.clone() };
    match c.has_aaaa() {
        None => return Vec::new(),
        Some(false) => {
            let host = c.home.host_str().unwrap_or("");
            let o = Occurrence::new()
                .set("problem", "网站不支持 IPv6 访问（域名无 AAAA 记录）")
                .ev(&record, format!("域名 {host} 无 AAAA 记录"));
            return vec![Occurrence { outcome: Some("no_aaaa"), ..o }];
        }
        Some(true) => {}
    }
    let addrs: Vec<String> = c.addresses().iter().map(|x| x.to_string()).collect();
    let mut out = Vec::new();
    if let Some(h) = c.home_v6.as_ref().filter(|h| !h.same) {
        let difference = h.difference.clone().unwrap_or_else(|| "内容不同".into());
        let problem = if h.status.is_none() {
            format!("IPv6 无法访问首页（{}）", h.error.as_deref().unwrap_or("无应答"))
        } else {
            format!("IPv6 首页与 IPv4 首页不一致（{difference}）")
        };
        let src = Source { url: c.home.clone(), warc: h.warc.clone().or_else(|| c.record.clone()) };
        let at = h.address.map(|x| x.to_string()).unwrap_or_else(|| addrs.join("、"));
        let o = Occurrence::new()
            .set("problem", problem)
            .set("difference", difference.clone())
            .ev(&src, format!("经 IPv6 地址 {at} 访问首页：{difference}"));
        out.push(Occurrence { outcome: Some("home"), ..o });
    }
    let (sampled, working) = c.sampled();
    if sampled >= p.min_samples.max(1) {
        let share = working as f64 / sampled as f64;
        if share < p.min_share {
            let failed: Vec<String> = c
                .samples
                .iter()
                .filter(|s| !s.works())
                .take(5)
                .map(|s| match (s.status, &s.error) {
                    (Some(st), _) => format!("{} HTTP {st}", s.url),
                    (None, e) => format!("{} {}", s.url, e.as_deref().unwrap_or("无应答")),
                })
                .collect();
            let o = Occurrence::new()
                .set(
                    "problem",
                    format!("IPv6 二三级链接可访问比例 {}%，低于 {}%", percent(share), percent(p.min_share)),
                )
                .set("share", percent(share))
                .set("min_share", percent(p.min_share))
                .set("sampled", sampled.to_string())
                .set("working", working.to_string())
                .ev(
                    &record,
                    format!("抽查{sampled}个二三级页面，{working}个可经 IPv6 访问；不可访问：{}", failed.join("；")),
                );
            out.push(Occurrence { outcome: Some("links"), ..o });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use gongkai_archive::ProbeSource;

    use gongkai_archive::{AaaaLookup, Ipv6Check, Ipv6Home, Ipv6Sample, WarcRef};

    fn v6_site(aaaa: AaaaLookup, home_same: Option<bool>, samples: &[Option<u16>]) -> TestSite {
        // Three pages: enough to be assessed (parameters.min_pages).
        let mut t = site().page("/a.html", list("通知", &[])).page("/b.html", list("动态", &[]));
        let w = |id: &str| WarcRef { file: "warc/t.warc.gz".into(), offset: 9, record_id: id.into() };
        t.capture.ipv6 = Some(Ipv6Check {
            home: url("/"),
            checked_at: chrono::Utc::now(),
            aaaa,
            home_v6: home_same.map(|same| Ipv6Home {
                status: Some(200),
                error: None,
                address: Some("::1".parse().unwrap()),
                v4_status: Some(200),
                same,
                difference: (!same).then(|| "页面内容不同：IPv4 标题“测试县人民政府”，IPv6 标题“It works!”".into()),
                warc: Some(w("urn:uuid:v6-home")),
            }),
            samples: samples
                .iter()
                .enumerate()
                .map(|(i, s)| Ipv6Sample {
                    url: url(&format!("/p{i}.html")),
                    depth: 1,
                    status: *s,
                    error: s.is_none().then(|| "超时".into()),
                })
                .collect(),
            record: Some(w("urn:uuid:v6-meta")),
        });
        t
    }

    fn found() -> AaaaLookup {
        AaaaLookup::Found { addresses: vec!["::1".parse().unwrap()] }
    }

    #[test]
    fn ipv6_without_aaaa_is_one_finding_citing_the_metadata_record() {
        let o = v6_site(AaaaLookup::NoRecord, None, &[]).occurrences("design.ipv6");
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].outcome, Some("no_aaaa"));
        assert!(o[0].values["problem"].contains("无 AAAA 记录"), "{:?}", o[0].values);
        assert_eq!(o[0].evidence[0].warc.as_ref().unwrap().record_id, "urn:uuid:v6-meta");
        // Scored: 2 points in the design group.
        let r = v6_site(AaaaLookup::NoRecord, None, &[]).score(&[]);
        let f = r.findings.iter().find(|f| f.rule == "design.ipv6").expect("finding");
        assert!(f.message.contains("网站不支持 IPv6 访问（域名无 AAAA 记录）"), "{}", f.message);
        assert_eq!(f.points, 2.0);
    }

    #[test]
    fn ipv6_not_checked_is_never_deducted() {
        assert!(site().occurrences("design.ipv6").is_empty(), "no check made");
        let failed = AaaaLookup::Failed { error: "无法读取系统 DNS 配置".into() };
        assert!(v6_site(failed, None, &[]).occurrences("design.ipv6").is_empty(), "lookup failed");
        let all_good = [Some(200), Some(301), Some(200)];
        assert!(v6_site(found(), Some(true), &all_good).occurrences("design.ipv6").is_empty());
        // Matching home page, too few samples to judge the share: nothing.
        assert!(v6_site(found(), Some(true), &[]).occurrences("design.ipv6").is_empty());
    }

    #[test]
    fn ipv6_home_page_that_differs_cites_the_v6_response() {
        let o = v6_site(found(), Some(false), &[Some(200)]).occurrences("design.ipv6");
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].outcome, Some("home"));
        assert!(o[0].values["problem"].starts_with("IPv6 首页与 IPv4 首页不一致"), "{:?}", o[0].values);
        assert_eq!(o[0].evidence[0].warc.as_ref().unwrap().record_id, "urn:uuid:v6-home");
    }

    #[test]
    fn ipv6_link_share_below_the_threshold() {
        // 6 of 10 work: 60 % < 85 %.
        let mut s = vec![Some(200); 6];
        s.extend([None, Some(404), Some(502), None]);
        let o = v6_site(found(), Some(true), &s).occurrences("design.ipv6");
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].outcome, Some("links"));
        assert_eq!(o[0].values["problem"], "IPv6 二三级链接可访问比例 60%，低于 85%");
        // 9 of 10 (90 %) is enough; 3xx counts as working.
        let mut s = vec![Some(302); 9];
        s.push(None);
        assert!(v6_site(found(), Some(true), &s).occurrences("design.ipv6").is_empty());
        // Both parts failing: two occurrences, the item capped at 2 points.
        let r = v6_site(found(), Some(false), &[None, None]).score(&[]);
        let f = r.findings.iter().find(|f| f.rule == "design.ipv6").expect("finding");
        assert_eq!((f.occurrences, f.points), (2, 2.0));
    }

    fn site() -> TestSite {
        TestSite::new().page("/", home(&[], &[("/a.html", "通知", "2025-11-18")], ""))
    }

    #[test]
    fn probe_failure_rate_fires_at_five_percent_of_enough_probes() {
        // veto.unreachable: ≥ 20 probes, ≥ 5 % failed
        assert_eq!(site().probes(20, 1, ProbeSource::Monitor).occurrences("veto.unreachable").len(), 1);
        assert!(site().probes(20, 0, ProbeSource::Monitor).occurrences("veto.unreachable").is_empty());
        assert!(
            site().probes(10, 5, ProbeSource::Monitor).occurrences("veto.unreachable").is_empty(),
            "too few probes"
        );
        let o = &site().probes(20, 2, ProbeSource::Monitor).occurrences("veto.unreachable")[0];
        assert_eq!(o.values["probes"], "20");
        assert_eq!(o.values["failures"], "2");
        assert_eq!(o.values["percent"], "10.0");
    }

    #[test]
    fn probe_failure_percent_counts_whole_percents_below_the_veto() {
        // design.availability: one occurrence per whole percent, only below 5 %
        assert_eq!(site().probes(100, 3, ProbeSource::Monitor).occurrences("design.availability").len(), 3);
        assert!(site().probes(100, 0, ProbeSource::Monitor).occurrences("design.availability").is_empty());
        assert!(site().probes(20, 2, ProbeSource::Monitor).occurrences("design.availability").is_empty());
        let o = site().probes(50, 2, ProbeSource::Crawl).occurrences("design.availability");
        assert_eq!(o.len(), 4);
        assert!(o[0].note.as_deref().unwrap_or("").contains("未运行可用性监测"), "{:?}", o[0].note);
    }
}
