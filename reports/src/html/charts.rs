//! The charts of report.html, drawn as data for the template (SVG bars, no script needed): the score histogram,
//! scores by region and the most frequent problems.

use crate::fmt_points;
use crate::labels::*;
use gongkai_config::Grade;
use gongkai_scoring::{Finding, FindingKind, SiteResult};
use serde::Serialize;
use std::collections::BTreeMap;

/// How many regions the "scores by region" chart shows.
const MAX_REGION_BARS: usize = 40;
/// How many rules the "most common findings" chart shows.
const MAX_RULE_BARS: usize = 12;

#[derive(Serialize)]
pub(super) struct Charts {
    pub(super) histogram: Histogram,
    pub(super) regions: BarList,
    pub(super) rules: BarList,
}

#[derive(Serialize)]
pub(super) struct Histogram {
    pub(super) width: u32,
    pub(super) height: u32,
    pub(super) base: f64,
    pub(super) bars: Vec<VBar>,
    pub(super) ticks: Vec<Tick>,
}

#[derive(Serialize)]
pub(super) struct VBar {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) w: f64,
    pub(super) h: f64,
    pub(super) cx: f64,
    pub(super) label: String,
    pub(super) count: usize,
    pub(super) class: &'static str,
}

#[derive(Serialize)]
pub(super) struct Tick {
    pub(super) y: f64,
    pub(super) label: String,
}

/// Score distribution in 10-point bins (below 50 together, 100 and above together).
pub(super) fn histogram(sites: &[&SiteResult]) -> Histogram {
    let bins: [(f64, f64, &str, &str); 7] = [
        (f64::NEG_INFINITY, 50.0, "<50", "fail"),
        (50.0, 60.0, "50–60", "fail"),
        (60.0, 70.0, "60–70", "pass"),
        (70.0, 80.0, "70–80", "pass"),
        (80.0, 90.0, "80–90", "good"),
        (90.0, 100.0, "90–100", "excellent"),
        (100.0, f64::INFINITY, "≥100", "excellent"),
    ];
    let counts: Vec<usize> =
        bins.iter().map(|(lo, hi, _, _)| sites.iter().filter(|s| s.score >= *lo && s.score < *hi).count()).collect();
    let (width, height) = (460u32, 260u32);
    let (left, top, bottom) = (44.0, 16.0, 36.0);
    let plot_h = height as f64 - top - bottom;
    let ymax = nice_max(counts.iter().copied().max().unwrap_or(0));
    let slot = (width as f64 - left - 8.0) / bins.len() as f64;
    let bars = bins
        .iter()
        .zip(&counts)
        .enumerate()
        .map(|(i, ((_, _, label, class), &count))| {
            let h = plot_h * count as f64 / ymax as f64;
            let x = left + slot * i as f64 + slot * 0.15;
            VBar {
                x: r1(x),
                y: r1(top + plot_h - h),
                w: r1(slot * 0.7),
                h: r1(h),
                cx: r1(x + slot * 0.35),
                label: label.to_string(),
                count,
                class,
            }
        })
        .collect();
    let ticks = (0..=4)
        .map(|k| Tick { y: r1(top + plot_h - plot_h * k as f64 / 4.0), label: (ymax * k / 4).to_string() })
        .collect();
    Histogram { width, height, base: r1(top + plot_h), bars, ticks }
}

#[derive(Serialize)]
pub(super) struct BarList {
    pub(super) width: u32,
    pub(super) height: u32,
    pub(super) label_width: u32,
    pub(super) rows: Vec<HBar>,
    /// How many entries were left out to keep the chart readable.
    pub(super) omitted: usize,
}

#[derive(Serialize)]
pub(super) struct HBar {
    pub(super) y: f64,
    pub(super) w: f64,
    pub(super) label: String,
    pub(super) full_label: String,
    pub(super) value: String,
    pub(super) class: &'static str,
}

pub(super) const BAR_ROW: f64 = 24.0;

/// Horizontal bars: `label_chars` CJK characters of label on the left, `value_chars` of value text after each bar.
pub(super) fn bar_list(
    entries: Vec<(String, f64, String, &'static str)>,
    scale_max: f64,
    label_chars: usize,
    value_chars: usize,
    omitted: usize,
) -> BarList {
    let label_width = (label_chars as u32) * 13 + 12;
    let width = 620u32;
    let plot_w = width as f64 - label_width as f64 - value_chars as f64 * 12.5 - 8.0;
    let rows: Vec<HBar> = entries
        .into_iter()
        .enumerate()
        .map(|(i, (label, value, text, class))| HBar {
            y: r1(8.0 + BAR_ROW * i as f64),
            w: r1((plot_w * value / scale_max.max(f64::MIN_POSITIVE)).max(1.0)),
            label: truncate(&label, label_chars),
            full_label: label,
            value: text,
            class,
        })
        .collect();
    BarList { width, height: (16.0 + BAR_ROW * rows.len() as f64) as u32, label_width, rows, omitted }
}

/// Mean score per region group, best first.
pub(super) fn region_chart(sites: &[&SiteResult], depth: usize) -> BarList {
    let mut groups: BTreeMap<String, (String, f64, usize, usize)> = BTreeMap::new();
    for s in sites {
        let (key, label) = region_group(&s.region, depth);
        let e = groups.entry(key).or_insert((label, 0.0, 0, 0));
        e.1 += s.score;
        e.2 += 1;
        e.3 += usize::from(s.grade == Grade::Fail);
    }
    let mut v: Vec<(String, f64, usize, usize)> =
        groups.into_values().map(|(label, sum, n, fails)| (label, sum / n as f64, n, fails)).collect();
    v.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal).then(a.0.cmp(&b.0)));
    let omitted = v.len().saturating_sub(MAX_REGION_BARS);
    v.truncate(MAX_REGION_BARS);
    let max = v.iter().map(|e| e.1).fold(100.0, f64::max);
    let entries = v
        .into_iter()
        .map(|(label, mean, n, fails)| {
            let class = if mean >= 90.0 {
                "excellent"
            } else if mean >= 80.0 {
                "good"
            } else if mean >= 60.0 {
                "pass"
            } else {
                "fail"
            };
            let text = if fails > 0 {
                format!("{} 分（{n}家，{fails}家不合格）", fmt_points(mean))
            } else {
                format!("{} 分（{n}家）", fmt_points(mean))
            };
            (label, mean, text, class)
        })
        .collect();
    bar_list(entries, max, 8, 17, omitted)
}

/// The rules that fire on most sites (vetoes and deductions).
pub(super) fn rule_chart(sites: &[&SiteResult]) -> BarList {
    // Rule id → (sites, any veto, the rule's title as the first finding of it gives it).
    let mut counts: BTreeMap<&str, (usize, bool, &str)> = BTreeMap::new();
    for s in sites {
        let mut seen: Vec<&Finding> = s.findings.iter().filter(|f| f.kind != FindingKind::Bonus).collect();
        seen.sort_by(|a, b| a.rule.cmp(&b.rule));
        seen.dedup_by(|a, b| a.rule == b.rule);
        for f in seen {
            let r = f.rule.as_str();
            let veto = s.findings.iter().any(|f| f.rule == r && f.kind == FindingKind::Veto);
            let e = counts.entry(r).or_insert((0, false, finding_title(f)));
            e.0 += 1;
            e.1 |= veto;
        }
    }
    let mut v: Vec<(&str, usize, bool, &str)> =
        counts.into_iter().map(|(r, (n, veto, title))| (r, n, veto, title)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let omitted = v.len().saturating_sub(MAX_RULE_BARS);
    v.truncate(MAX_RULE_BARS);
    let max = v.first().map(|e| e.1).unwrap_or(1) as f64;
    let total = sites.len().max(1);
    let entries = v
        .into_iter()
        .map(|(_, n, veto, title)| {
            let pct = fmt_points(n as f64 * 100.0 / total as f64);
            (title.to_string(), n as f64, format!("{n}家（{pct}%）"), if veto { "fail" } else { "rule" })
        })
        .collect();
    bar_list(entries, max, 15, 9, omitted)
}

pub(super) fn truncate(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(max_chars - 1).collect();
        t.push('…');
        t
    }
}

/// A round axis maximum at or above `n` (at least 4, divisible by 4 for the ticks).
pub(super) fn nice_max(n: usize) -> usize {
    let n = n.max(4);
    let mag = 10usize.pow((n as f64).log10().floor() as u32);
    for step in [1, 2, 4, 5, 8, 10] {
        let candidate = step * mag;
        #[allow(clippy::manual_is_multiple_of)]
        // is_multiple_of needs Rust 1.87; the workspace supports 1.80
        if candidate >= n && candidate % 4 == 0 {
            return candidate;
        }
    }
    n.div_ceil(4) * 4
}

pub(super) fn r1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
