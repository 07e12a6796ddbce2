//! Availability checks: probes of the home page (monitor and crawl).
//!
//! Parameters and their placeholders: `config/src/check/availability.rs`.

use super::{window_start, Occurrence};
use crate::analysis::SiteAnalysis;
use crate::engine::{evidence, Ctx};
use chrono::NaiveDate;
use gongkai_archive::ProbeSource;
use gongkai_config::check::{ProbeFailurePercent, ProbeFailureRate};
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
                (Some(e), _) => e.clone(),
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

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use gongkai_archive::ProbeSource;

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
