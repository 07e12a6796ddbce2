//! The charts of report.html, drawn as data for the template (SVG bars, no script needed): the score histogram,
//! scores by region and the most frequent problems.
//!
//! 不合格 sites are never drawn as if they scored well: a vetoed site keeps its points (often 100) but is 不合格, so
//! the histogram shows vetoed sites as a bar of their own (单项否决), and the region chart averages the sites that are
//! not 不合格 only, with each region's 不合格 sites counted beside its bar (a region whose sites are all 不合格 gets
//! no bar, only the count). The template says so under each chart.

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
    /// Vetoed sites (their own bar).
    pub(super) vetoed: usize,
}

#[derive(Serialize)]
pub(super) struct VBar {
    pub(super) x: f64,
    pub(super) y: f64,
    pub(super) w: f64,
    pub(super) h: f64,
    pub(super) cx: f64,
    pub(super) label: String,
    /// The tooltip (`80–90 分：6 家`).
    pub(super) title: String,
    pub(super) count: usize,
    pub(super) class: &'static str,
}

#[derive(Serialize)]
pub(super) struct Tick {
    pub(super) y: f64,
    pub(super) label: String,
}

/// Score distribution in 10-point bins (below 50 together, 100 and above together) of the sites not vetoed, and one
/// bar for the vetoed ones (不合格 whatever their points).
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
    let scored: Vec<&&SiteResult> = sites.iter().filter(|s| !s.vetoed).collect();
    let vetoed = sites.len() - scored.len();
    let mut slots: Vec<(String, usize, &'static str, String)> = bins
        .iter()
        .map(|(lo, hi, label, class)| {
            let n = scored.iter().filter(|s| s.score >= *lo && s.score < *hi).count();
            (label.to_string(), n, *class, format!("{label} 分：{n} 家"))
        })
        .collect();
    if vetoed > 0 {
        slots.push(("单项否决".into(), vetoed, "fail veto", format!("单项否决（不合格）：{vetoed} 家")));
    }
    let (width, height) = (460u32, 260u32);
    let (left, top, bottom) = (44.0, 16.0, 36.0);
    let plot_h = height as f64 - top - bottom;
    let ymax = nice_max(slots.iter().map(|s| s.1).max().unwrap_or(0));
    let slot = (width as f64 - left - 8.0) / slots.len() as f64;
    let bars = slots
        .into_iter()
        .enumerate()
        .map(|(i, (label, count, class, title))| {
            let h = plot_h * count as f64 / ymax as f64;
            let x = left + slot * i as f64 + slot * 0.15;
            VBar {
                x: r1(x),
                y: r1(top + plot_h - h),
                w: r1(slot * 0.7),
                h: r1(h),
                cx: r1(x + slot * 0.35),
                label,
                title,
                count,
                class,
            }
        })
        .collect();
    let ticks = (0..=4)
        .map(|k| Tick { y: r1(top + plot_h - plot_h * k as f64 / 4.0), label: (ymax * k / 4).to_string() })
        .collect();
    Histogram { width, height, base: r1(top + plot_h), bars, ticks, vetoed }
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
    /// Said in red after the value (the region's 不合格 sites); empty for none.
    pub(super) alert: String,
    /// Where the alert text starts (after the value text).
    pub(super) alert_x: f64,
}

pub(super) const BAR_ROW: f64 = 24.0;

/// Horizontal bars: `label_chars` CJK characters of label on the left, `value_chars` of value text after each bar.
pub(super) fn bar_list(
    entries: Vec<(String, f64, String, &'static str, String)>,
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
        .map(|(i, (label, value, text, class, alert))| {
            // A bar of no value is not drawn at all (width 0), so nothing reads as a score.
            let w = if value > 0.0 { r1((plot_w * value / scale_max.max(f64::MIN_POSITIVE)).max(1.0)) } else { 0.0 };
            let alert_x = r1(label_width as f64 + w + 6.0 + text_width(&text) + 6.0);
            HBar {
                y: r1(8.0 + BAR_ROW * i as f64),
                w,
                label: truncate(&label, label_chars),
                full_label: label,
                value: text,
                class,
                alert,
                alert_x,
            }
        })
        .collect();
    BarList { width, height: (16.0 + BAR_ROW * rows.len() as f64) as u32, label_width, rows, omitted }
}

/// Per region group: the mean score of its sites that are not 不合格 (best first), and its 不合格 sites counted
/// apart; regions whose sites are all 不合格 come last, without a bar.
pub(super) fn region_chart(sites: &[&SiteResult], depth: usize) -> BarList {
    // key → (label, sum of scores not 不合格, sites not 不合格, 不合格 sites)
    let mut groups: BTreeMap<String, (String, f64, usize, usize)> = BTreeMap::new();
    for s in sites {
        let (key, label) = region_group(&s.region, depth);
        let e = groups.entry(key).or_insert((label, 0.0, 0, 0));
        if s.grade == Grade::Fail {
            e.3 += 1;
        } else {
            e.1 += s.score;
            e.2 += 1;
        }
    }
    let mut v: Vec<(String, Option<f64>, usize, usize)> =
        groups.into_values().map(|(label, sum, n, fails)| (label, (n > 0).then(|| sum / n as f64), n, fails)).collect();
    let key = |m: Option<f64>| m.unwrap_or(f64::NEG_INFINITY);
    v.sort_by(|a, b| key(b.1).partial_cmp(&key(a.1)).unwrap_or(std::cmp::Ordering::Equal).then(a.0.cmp(&b.0)));
    let omitted = v.len().saturating_sub(MAX_REGION_BARS);
    v.truncate(MAX_REGION_BARS);
    let max = v.iter().filter_map(|e| e.1).fold(100.0, f64::max);
    let entries = v
        .into_iter()
        .map(|(label, mean, n, fails)| {
            let alert = if fails > 0 { format!("另{fails}家不合格") } else { String::new() };
            match mean {
                Some(mean) => {
                    let class = if mean >= 90.0 {
                        "excellent"
                    } else if mean >= 80.0 {
                        "good"
                    } else if mean >= 60.0 {
                        "pass"
                    } else {
                        "fail"
                    };
                    (label, mean, format!("{} 分（{n}家）", fmt_points(mean)), class, alert)
                }
                None => (label, 0.0, "无合格网站".to_string(), "fail", alert),
            }
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
            (title.to_string(), n as f64, format!("{n}家（{pct}%）"), if veto { "fail" } else { "rule" }, String::new())
        })
        .collect();
    bar_list(entries, max, 15, 9, omitted)
}

/// Approximate width in SVG user units of chart text at 12px (CJK characters 12, others 7).
fn text_width(s: &str) -> f64 {
    s.chars().map(|c| if (c as u32) < 0x2E80 { 7.0 } else { 12.0 }).sum()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vetoed_sites_are_not_averaged_nor_binned_by_their_points() {
        let mut r = crate::synthetic::results(40, 3);
        // Every site of one region: one vetoed with 100 points, the others scored normally.
        let depth = region_group_depth(&r);
        let (key, label) = region_group(&r.sites[5].region, depth);
        let in_region: Vec<usize> =
            (0..r.sites.len()).filter(|&i| region_group(&r.sites[i].region, depth).0 == key).collect();
        assert!(in_region.len() >= 2, "{label}: {in_region:?}");
        let v = in_region[0];
        r.sites[v].vetoed = true;
        r.sites[v].grade = Grade::Fail;
        r.sites[v].score = 100.0;
        let ok: Vec<&SiteResult> = in_region.iter().map(|&i| &r.sites[i]).filter(|s| s.grade != Grade::Fail).collect();
        let sites: Vec<&SiteResult> = r.sites.iter().collect();
        let chart = region_chart(&sites, depth);
        let row = chart.rows.iter().find(|b| b.full_label == label).unwrap();
        let fails = in_region.iter().filter(|&&i| r.sites[i].grade == Grade::Fail).count();
        assert_eq!(row.alert, format!("另{fails}家不合格"));
        if ok.is_empty() {
            assert_eq!((row.w, row.value.as_str()), (0.0, "无合格网站"));
        } else {
            let mean = ok.iter().map(|s| s.score).sum::<f64>() / ok.len() as f64;
            assert_eq!(row.value, format!("{} 分（{}家）", fmt_points(mean), ok.len()));
        }

        // A region of vetoed sites only: no bar at all.
        for &i in &in_region {
            r.sites[i].vetoed = true;
            r.sites[i].grade = Grade::Fail;
            r.sites[i].score = 100.0;
        }
        let sites: Vec<&SiteResult> = r.sites.iter().collect();
        let chart = region_chart(&sites, depth);
        let row = chart.rows.iter().find(|b| b.full_label == label).unwrap();
        assert_eq!((row.w, row.value.as_str(), row.class), (0.0, "无合格网站", "fail"));
        assert_eq!(row.alert, format!("另{}家不合格", in_region.len()));

        // The histogram: vetoed sites in their own bar, not in the ≥100 bin.
        let h = histogram(&sites);
        let vetoed = sites.iter().filter(|s| s.vetoed).count();
        let veto_bar = h.bars.iter().find(|b| b.label == "单项否决").unwrap();
        assert_eq!(veto_bar.count, vetoed);
        assert_eq!(h.bars.iter().map(|b| b.count).sum::<usize>(), sites.len());
        let top = h.bars.iter().find(|b| b.label == "≥100").unwrap();
        assert_eq!(top.count, sites.iter().filter(|s| !s.vetoed && s.score >= 100.0).count());
    }
}
