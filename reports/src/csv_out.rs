//! ranking.csv: one row per site in rank order (the contract: rank, id, name, region, level, score, grade, list, veto
//! ids; then the vetoes' Chinese titles and the other columns of [`crate::labels::RANKING_COLUMNS`], in the order of the
//! xlsx 排名 sheet, and the month-over-month ones when a comparison is given; last 检查状态, 未检查原因 and
//! 需人工复核, appended at the end so that earlier columns keep their positions). UTF-8 with a BOM so that spreadsheet
//! programs on Chinese Windows read it as UTF-8.
//!
//! Sites that were not assessed come after the ranked ones, with an empty rank and empty score cells (never 0).
//!
//! Text cells that a spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`, tab or CR) get a leading
//! apostrophe: site names come from configuration, but nothing in a report should be able to run in Excel.

use crate::labels::{list_name, problem_count, region_path, veto_titles};
use crate::{fmt_points, fmt_score, Comparison};
use anyhow::Result;
use gongkai_scoring::Results;

pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The ranking as CSV bytes (BOM first).
pub fn ranking_csv(results: &Results, comparison: Option<&Comparison>) -> Result<Vec<u8>> {
    let mut out = BOM.to_vec();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        let mut header: Vec<&str> = crate::labels::RANKING_COLUMNS.to_vec();
        if comparison.is_some() {
            header.extend(["上月排名", "排名变化", "上月得分", "得分变化", "上月等次", "新增问题数", "已整改问题数"]);
        }
        header.extend(STATUS_COLUMNS);
        w.write_record(&header)?;
        for site in crate::ranked(results) {
            let assessed = site.assessed();
            let mut row = vec![
                if assessed { site.rank.to_string() } else { String::new() },
                text_cell(&site.id),
                text_cell(&site.name),
                text_cell(&region_path(&site.region)),
                text_cell(site.level.label_zh()),
                score_cell(site.score),
                text_cell(site.grade.as_str()),
                list_name(site.list).to_string(),
                text_cell(&site.vetoes.join(";")),
                text_cell(&veto_titles(site, ";")),
                score_cell(site.deduction_score),
                score_cell(site.bonus),
                problem_count(site).map(|n| n.to_string()).unwrap_or_default(),
                text_cell(&site.url),
            ];
            if let Some(c) = comparison {
                match c.site(&site.id) {
                    // Not assessed in one of the months: what is known of last month, no changes.
                    Some(ch) if ch.previous.is_some() && ch.comparable().is_none() => {
                        let p = ch.previous.as_ref().unwrap();
                        row.extend([
                            if p.assessed { p.rank.to_string() } else { "上期未检查".into() },
                            String::new(),
                            score_cell(p.score),
                            String::new(),
                            text_cell(p.grade.as_str()),
                            ch.new_findings.len().to_string(),
                            ch.fixed_findings.len().to_string(),
                        ]);
                    }
                    Some(ch) if ch.previous.is_some() => {
                        let p = ch.previous.as_ref().unwrap();
                        row.extend([
                            p.rank.to_string(),
                            signed(ch.rank_change().unwrap_or(0) as f64),
                            fmt_points(p.score),
                            signed(ch.score_change().unwrap_or(0.0)),
                            text_cell(p.grade.as_str()),
                            ch.new_findings.len().to_string(),
                            ch.fixed_findings.len().to_string(),
                        ]);
                    }
                    Some(ch) => row.extend([
                        "新参评".into(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        ch.new_findings.len().to_string(),
                        "0".into(),
                    ]),
                    None => row.extend(vec![String::new(); 7]),
                }
            }
            row.extend([
                if assessed { "已检查" } else { gongkai_scoring::NOT_ASSESSED_GRADE.as_str() }.to_string(),
                if assessed { String::new() } else { text_cell(&crate::not_assessed_reason(site)) },
                text_cell(&crate::review_text(site)),
            ]);
            w.write_record(&row)?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// The columns appended after every other (so scripts reading earlier columns by position keep working).
pub const STATUS_COLUMNS: [&str; 3] = ["检查状态", "未检查原因", "需人工复核"];

/// A score cell: the number, or empty for a site that was not assessed.
fn score_cell(x: f64) -> String {
    if x.is_finite() {
        fmt_score(x)
    } else {
        String::new()
    }
}

/// `+3`, `-2.5`, `0`.
pub(crate) fn signed(x: f64) -> String {
    let s = fmt_points(x);
    if s.starts_with('-') || s == "0" {
        s
    } else {
        format!("+{s}")
    }
}

/// Neutralise text a spreadsheet would evaluate as a formula.
pub(crate) fn text_cell(s: &str) -> String {
    match s.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{s}"),
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(bytes: &[u8]) -> Vec<Vec<String>> {
        assert!(bytes.starts_with(BOM));
        let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[3..]);
        r.records().map(|rec| rec.unwrap().iter().map(str::to_string).collect()).collect()
    }

    #[test]
    fn bom_then_every_site_in_rank_order() {
        let r = crate::synthetic::results(120, 5);
        let rows = parse(&ranking_csv(&r, None).unwrap());
        assert_eq!(rows[0][..10], crate::labels::RANKING_COLUMNS[..10]);
        assert_eq!(rows[0][9], "否决项");
        assert_eq!(rows.len(), 121);
        let ranks: Vec<u32> = rows[1..].iter().map(|row| row[0].parse().unwrap()).collect();
        assert_eq!(ranks, (1..=120).collect::<Vec<_>>());
        let first = r.sites.iter().find(|s| s.rank == 1).unwrap();
        assert_eq!(rows[1][1], first.id);
        assert_eq!(rows[1][2], first.name);
        let vetoed = r.sites.iter().find(|s| s.vetoed).unwrap();
        let row = rows.iter().find(|row| row[1] == vetoed.id).unwrap();
        assert_eq!(row[8], vetoed.vetoes.join(";"));
        let titles: Vec<&str> = vetoed
            .vetoes
            .iter()
            .map(|id| vetoed.findings.iter().find(|f| &f.rule == id).map(|f| f.title.as_str()).unwrap())
            .collect();
        assert!(titles.iter().all(|t| !t.is_empty() && !t.contains('.')), "Chinese titles: {titles:?}");
        assert_eq!(row[9], titles.join(";"));
        assert_eq!(row[7], "黑榜");
    }

    #[test]
    fn formulas_are_neutralised() {
        let mut r = crate::synthetic::results(2, 5);
        r.sites[0].name = "=HYPERLINK(\"http://evil\",\"x\")".into();
        let rows = parse(&ranking_csv(&r, None).unwrap());
        assert!(rows.iter().any(|row| row[2] == "'=HYPERLINK(\"http://evil\",\"x\")"));
    }

    #[test]
    fn comparison_columns() {
        let cur = crate::synthetic::results(30, 1);
        let prev = crate::synthetic::results_at(30, 2, "2026-09-30T23:59:59+08:00");
        let c = crate::compare(&cur, &prev);
        let rows = parse(&ranking_csv(&cur, Some(&c)).unwrap());
        assert_eq!(rows[0].len(), 24);
        assert_eq!(rows[0][21..], STATUS_COLUMNS);
        let site = cur.sites.iter().find(|s| s.rank == 1).unwrap();
        let before = prev.sites.iter().find(|s| s.id == site.id).unwrap();
        assert_eq!(rows[1][14], before.rank.to_string());
        assert_eq!(signed(3.0), "+3");
        assert_eq!(signed(-2.5), "-2.5");
    }
}
