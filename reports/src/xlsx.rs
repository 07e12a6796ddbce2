//! report.xlsx: 排名 (ranking), 汇总 (counts by region and level), 问题清单 (one row per finding), 栏目 (one row per
//! detected column), and 月度对比 when a comparison is given. Sites that were not assessed (未检查) follow the ranked
//! ones in 排名 with empty rank and score cells, and are counted apart in 汇总 (never in averages or grade counts). Every sheet has a bold frozen header row, an autofilter, and column widths fitted to the
//! content (CJK characters count double, capped so long URLs do not make a sheet unreadable).
//!
//! Text is always written as a string cell, never as a formula, so crawled text cannot run in a spreadsheet; strings
//! longer than Excel's cell limit are cut with a visible mark.

use crate::csv_out::signed;
use crate::labels::{
    column_category, finding_title, findings_by_seriousness, kind_name, level_order, list_name, region_group,
    region_group_depth, region_path, GRADES,
};
use crate::{round2, Comparison};
use anyhow::{Context, Result};
use gongkai_config::{Grade, Level};
use gongkai_scoring::{FindingKind, ListKind, Results, SiteResult};
use rust_xlsxwriter::{Color, Format, FormatAlign, Workbook, Worksheet};

/// Sheet names, in workbook order.
pub const RANKING_SHEET: &str = "排名";
pub const SUMMARY_SHEET: &str = "汇总";
pub const FINDINGS_SHEET: &str = "问题清单";
pub const COLUMNS_SHEET: &str = "栏目";
pub const CHANGES_SHEET: &str = "月度对比";

const MAX_WIDTH: f64 = 60.0;
const MIN_WIDTH: f64 = 6.0;
/// Excel's limit is 32,767 UTF-16 units per cell; stay below it with room for the mark.
const MAX_CELL_CHARS: usize = 32_000;

/// What every sheet reads.
struct Book<'a> {
    header: Format,
    results: &'a Results,
    ranked: Vec<&'a SiteResult>,
    comparison: Option<&'a Comparison>,
}

/// The workbook as bytes.
pub fn report_xlsx(results: &Results, comparison: Option<&Comparison>) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0xDDE6F2))
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let b = Book { header, results, ranked: crate::ranked(results), comparison };
    ranking_sheet(&mut wb, &b)?;
    summary_sheet(&mut wb, &b)?;
    findings_sheet(&mut wb, &b)?;
    columns_sheet(&mut wb, &b)?;
    changes_sheet(&mut wb, &b)?;
    wb.save_to_buffer().context("writing report.xlsx")
}

/// The 排名 sheet.
fn ranking_sheet(wb: &mut Workbook, b: &Book) -> Result<()> {
    let mut s = Sheet::new(wb.add_worksheet(), RANKING_SHEET, &b.header)?;
    let mut head: Vec<&str> = crate::labels::RANKING_COLUMNS.to_vec();
    head.extend(["问题数", "网址"]);
    head.extend(crate::csv_out::STATUS_COLUMNS);
    s.header(&head)?;
    for site in &b.ranked {
        let problems = site.findings.iter().filter(|f| f.kind != FindingKind::Bonus).count();
        let assessed = site.assessed();
        s.row()
            .rank(site)
            .text(&site.id)
            .text(&site.name)
            .text(&region_path(&site.region))
            .text(site.level.label_zh())
            .score(site.score)
            .text(site.grade.as_str())
            .text(list_name(site.list))
            .text(&site.vetoes.join("；"))
            .score(site.deduction_score)
            .score(site.bonus)
            .opt_num((assessed || problems > 0).then_some(problems as f64))
            .text(&site.url)
            .text(if assessed { "已检查" } else { gongkai_scoring::NOT_ASSESSED_GRADE.as_str() })
            .text(&if assessed { String::new() } else { crate::not_assessed_reason(site) })
            .text(&crate::review_text(site))
            .write()?;
    }
    s.finish()?;
    Ok(())
}

/// The 汇总 sheet.
fn summary_sheet(wb: &mut Workbook, b: &Book) -> Result<()> {
    let mut s = Sheet::new(wb.add_worksheet(), SUMMARY_SHEET, &b.header)?;
    let mut head = vec!["分组", "名称", "网站数", "已检查", Grade::NotAssessed.label_zh(), "平均得分"];
    head.extend(GRADES.map(Grade::label_zh));
    head.extend([list_name(Some(ListKind::Red)), list_name(Some(ListKind::Black)), "需人工复核"]);
    s.header(&head)?;
    summary_row(&mut s, "全部", "合计", &b.ranked)?;
    let depth = region_group_depth(b.results);
    let mut regions: std::collections::BTreeMap<String, (String, Vec<&SiteResult>)> = Default::default();
    for site in &b.ranked {
        let (key, label) = region_group(&site.region, depth);
        regions.entry(key).or_insert_with(|| (label, Vec::new())).1.push(site);
    }
    for (label, sites) in regions.values() {
        summary_row(&mut s, "地区", label, sites)?;
    }
    let mut levels: Vec<Level> = b.ranked.iter().map(|s| s.level).collect();
    levels.sort_by_key(|l| level_order(*l));
    levels.dedup();
    for level in levels {
        let sites: Vec<&SiteResult> = b.ranked.iter().copied().filter(|s| s.level == level).collect();
        summary_row(&mut s, "级别", level.label_zh(), &sites)?;
    }
    s.finish()?;
    Ok(())
}

/// The 问题清单 sheet.
fn findings_sheet(wb: &mut Workbook, b: &Book) -> Result<()> {
    let mut s = Sheet::new(wb.add_worksheet(), FINDINGS_SHEET, &b.header)?;
    s.header(&[
        "排名",
        "网站ID",
        "网站名称",
        "类型",
        "规则",
        "问题",
        "分值",
        "说明",
        "证据网址",
        "观察到",
        "WARC记录",
        "处数",
    ])?;
    for site in &b.ranked {
        for f in findings_by_seriousness(site) {
            s.row()
                .rank(site)
                .text(&site.id)
                .text(&site.name)
                .text(kind_name(f.kind))
                .text(&f.rule)
                .text(finding_title(f))
                .num(round2(f.points))
                .text(&f.message)
                .text(&f.evidence.iter().map(|e| e.url.as_str()).collect::<Vec<_>>().join("\n"))
                .text(&f.evidence.iter().map(|e| e.observed.as_str()).collect::<Vec<_>>().join("\n"))
                .text(
                    &f.evidence
                        .iter()
                        .filter_map(|e| e.warc.as_ref())
                        .map(|w| format!("{}@{} {}", w.file, w.offset, w.record_id))
                        .collect::<Vec<_>>()
                        .join("\n"),
                )
                .num(f.occurrences.max(1) as f64)
                .write()?;
        }
    }
    s.finish()?;
    Ok(())
}

/// The 栏目 sheet.
fn columns_sheet(wb: &mut Workbook, b: &Book) -> Result<()> {
    let mut s = Sheet::new(wb.add_worksheet(), COLUMNS_SHEET, &b.header)?;
    s.header(&[
        "网站ID",
        "网站名称",
        "类别",
        "栏目名称",
        "一级栏目",
        "条目数",
        "有日期条目",
        "最新日期",
        "空白",
        "网址",
    ])?;
    for site in &b.ranked {
        for c in &site.columns {
            s.row()
                .text(&site.id)
                .text(&site.name)
                .text(column_category(c))
                .text(&c.name)
                .text(if c.first_level { "是" } else { "否" })
                .num(c.items as f64)
                .num(c.dated_items as f64)
                .text(c.newest.as_deref().unwrap_or(""))
                .text(if c.blank { "是" } else { "否" })
                .text(&c.url)
                .write()?;
        }
    }
    s.finish()?;
    Ok(())
}

/// The 月度对比 sheet.
fn changes_sheet(wb: &mut Workbook, b: &Book) -> Result<()> {
    let Some(c) = b.comparison else { return Ok(()) };
    let mut s = Sheet::new(wb.add_worksheet(), CHANGES_SHEET, &b.header)?;
    s.header(&[
        "排名",
        "网站ID",
        "网站名称",
        "得分",
        "上月得分",
        "得分变化",
        "上月排名",
        "排名变化",
        "等次",
        "上月等次",
        "新增问题",
        "已整改问题",
    ])?;
    for site in &b.ranked {
        let Some(ch) = c.site(&site.id) else { continue };
        let mut row = s.row();
        row = row.rank(site).text(&site.id).text(&site.name).score(site.score);
        row = match &ch.previous {
            // Not assessed in one of the months: no changes.
            Some(p) if ch.comparable().is_none() => row
                .score(p.score)
                .text(if ch.assessed { "上期未检查" } else { "本期未检查" })
                .opt_num(p.assessed.then_some(p.rank as f64))
                .text("")
                .text(site.grade.as_str())
                .text(p.grade.as_str()),
            Some(p) => row
                .num(round2(p.score))
                .text(&signed(ch.score_change().unwrap_or(0.0)))
                .num(p.rank as f64)
                .text(&signed(ch.rank_change().unwrap_or(0) as f64))
                .text(site.grade.as_str())
                .text(p.grade.as_str()),
            None => row.text("新参评").text("").text("").text("").text(site.grade.as_str()).text(""),
        };
        let list = |v: &[crate::FindingRef]| {
            v.iter().map(|f| format!("{}：{}", f.title, f.message)).collect::<Vec<_>>().join("\n")
        };
        row.text(&list(&ch.new_findings)).text(&list(&ch.fixed_findings)).write()?;
    }
    s.finish()?;
    Ok(())
}

/// One line of 汇总: counts over the assessed sites of `sites`, the not-assessed counted apart; the black list
/// includes not-assessed sites whose home page was unreachable (veto.unreachable).
fn summary_row(s: &mut Sheet<'_>, group: &str, name: &str, sites: &[&SiteResult]) -> Result<()> {
    let assessed: Vec<&SiteResult> = sites.iter().copied().filter(|s| s.assessed()).collect();
    let scores: Vec<f64> = assessed.iter().map(|s| s.score).filter(|x| x.is_finite()).collect();
    let grade = |g: Grade| assessed.iter().filter(|s| s.grade == g).count() as f64;
    let mut row = s
        .row()
        .text(group)
        .text(name)
        .num(sites.len() as f64)
        .num(assessed.len() as f64)
        .num((sites.len() - assessed.len()) as f64)
        .opt_num((!scores.is_empty()).then(|| round2(scores.iter().sum::<f64>() / scores.len() as f64)));
    for g in GRADES {
        row = row.num(grade(g));
    }
    row.num(assessed.iter().filter(|s| s.list == Some(ListKind::Red)).count() as f64)
        .num(sites.iter().filter(|s| s.list == Some(ListKind::Black)).count() as f64)
        .num(sites.iter().filter(|s| !s.review.is_empty()).count() as f64)
        .write()
}

/// A worksheet being filled row by row, remembering the widest cell of each column.
struct Sheet<'a> {
    ws: &'a mut Worksheet,
    widths: Vec<f64>,
    next_row: u32,
    header: &'a Format,
}

enum Cell {
    Text(String),
    Num(f64),
}

struct Row<'s, 'a> {
    sheet: &'s mut Sheet<'a>,
    cells: Vec<Cell>,
}

impl<'a> Sheet<'a> {
    fn new(ws: &'a mut Worksheet, name: &str, header: &'a Format) -> Result<Self> {
        ws.set_name(name)?;
        Ok(Sheet { ws, widths: Vec::new(), next_row: 0, header })
    }

    fn header(&mut self, names: &[&str]) -> Result<()> {
        for (col, name) in names.iter().enumerate() {
            self.ws.write_string_with_format(0, col as u16, *name, self.header)?;
            self.note_width(col, name);
        }
        self.ws.set_freeze_panes(1, 0)?;
        self.next_row = 1;
        Ok(())
    }

    fn row<'s>(&'s mut self) -> Row<'s, 'a> {
        Row { sheet: self, cells: Vec::new() }
    }

    fn note_width(&mut self, col: usize, text: &str) {
        if self.widths.len() <= col {
            self.widths.resize(col + 1, MIN_WIDTH);
        }
        let w = text.lines().map(display_width).max().unwrap_or(0) as f64 + 2.0;
        self.widths[col] = self.widths[col].max(w.min(MAX_WIDTH));
    }

    fn finish(self) -> Result<()> {
        for (col, w) in self.widths.iter().enumerate() {
            self.ws.set_column_width(col as u16, *w)?;
        }
        if !self.widths.is_empty() {
            let last_row = self.next_row.saturating_sub(1);
            self.ws.autofilter(0, 0, last_row, self.widths.len() as u16 - 1)?;
        }
        Ok(())
    }
}

impl Row<'_, '_> {
    fn text(mut self, s: &str) -> Self {
        self.cells.push(Cell::Text(clip(s)));
        self
    }

    fn num(mut self, x: f64) -> Self {
        self.cells.push(Cell::Num(x));
        self
    }

    /// A number, or an empty cell.
    fn opt_num(self, x: Option<f64>) -> Self {
        match x {
            Some(x) if x.is_finite() => self.num(x),
            _ => self.text(""),
        }
    }

    /// A score (rounded), empty for a site that was not assessed.
    fn score(self, x: f64) -> Self {
        self.opt_num(x.is_finite().then(|| round2(x)))
    }

    /// The site's rank, empty for a site that was not assessed (unranked).
    fn rank(self, site: &SiteResult) -> Self {
        self.opt_num(site.assessed().then_some(site.rank as f64))
    }

    fn write(self) -> Result<()> {
        let row = self.sheet.next_row;
        for (col, cell) in self.cells.into_iter().enumerate() {
            match cell {
                Cell::Text(s) => {
                    if !s.is_empty() {
                        self.sheet.ws.write_string(row, col as u16, s.as_str())?;
                    }
                    self.sheet.note_width(col, &s);
                }
                Cell::Num(x) => {
                    self.sheet.ws.write_number(row, col as u16, x)?;
                    self.sheet.note_width(col, &crate::fmt_points(x));
                }
            }
        }
        self.sheet.next_row += 1;
        Ok(())
    }
}

/// Cut text that would exceed Excel's cell limit.
fn clip(s: &str) -> String {
    if s.chars().count() <= MAX_CELL_CHARS {
        return s.to_string();
    }
    let mut out: String = s.chars().take(MAX_CELL_CHARS).collect();
    out.push_str("…（已截断）");
    out
}

/// Width in spreadsheet character units: CJK and full-width characters count two.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            if (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u)
                || (0x20000..=0x3FFFD).contains(&u)
            {
                2
            } else {
                1
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_count_cjk_double() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("通知公告"), 8);
        assert_eq!(display_width("（）"), 4);
    }

    #[test]
    fn builds_with_comparison_and_huge_cells() {
        let mut cur = crate::synthetic::results(40, 3);
        cur.sites[0].findings[0].message = "很长".repeat(40_000);
        cur.sites[1].name = "=1+1\u{1}".into();
        let prev = crate::synthetic::results_at(40, 4, "2026-09-30T23:59:59+08:00");
        let c = crate::compare(&cur, &prev);
        let bytes = report_xlsx(&cur, Some(&c)).unwrap();
        assert!(bytes.starts_with(b"PK"), "an xlsx is a zip file");
        assert!(clip(&"x".repeat(40_000)).ends_with("（已截断）"));
    }
}
