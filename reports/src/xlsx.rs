//! report.xlsx: 汇总 (counts by grade and 合格率 by city and by level), 排名 (ranking), 问题清单 (one row per
//! finding), 栏目 (one row per detected column), and 月度对比 when a comparison is given. Sites that were not assessed
//! (未检查) follow the ranked ones in 排名 with empty rank and score cells, and are counted apart in 汇总 (never in
//! averages, grade counts or 合格率). Every sheet has a bold frozen header row, an autofilter, column widths fitted to
//! the content (CJK characters count double, capped so long URLs do not make a sheet unreadable), and a print setup
//! an office can print as it is: A4 landscape, fitted to the page width, the header row repeated on every page.
//!
//! Web addresses are hyperlinks (http/https only: the text comes from crawled pages), dates are date cells, and the
//! long text of findings (说明, evidence) wraps. Text is always written as a string cell, never as a formula, so
//! crawled text cannot run in a spreadsheet; strings longer than Excel's cell limit are cut with a visible mark.

use crate::csv_out::signed;
use crate::labels::{
    city, column_category, finding_title, findings_by_seriousness, kind_name, level_order, list_name, pass_rate,
    problem_count, region_path, veto_titles, GRADES, PASS_RATE_NOTE,
};
use crate::{round2, Comparison};
use anyhow::{Context, Result};
use gongkai_config::{Grade, Level};
use gongkai_scoring::{ListKind, Results, SiteResult};
use rust_xlsxwriter::{Color, DocProperties, ExcelDateTime, Format, FormatAlign, Url, Workbook, Worksheet};

/// Sheet names, in workbook order.
pub const SUMMARY_SHEET: &str = "汇总";
pub const RANKING_SHEET: &str = "排名";
pub const FINDINGS_SHEET: &str = "问题清单";
pub const COLUMNS_SHEET: &str = "栏目";
pub const CHANGES_SHEET: &str = "月度对比";

const MAX_WIDTH: f64 = 60.0;
const MIN_WIDTH: f64 = 6.0;
/// Wrapped columns are kept narrower than others: they grow in height instead.
const MAX_WRAP_WIDTH: f64 = 45.0;
/// Excel's limit is 32,767 UTF-16 units per cell; stay below it with room for the mark.
const MAX_CELL_CHARS: usize = 32_000;
/// Excel keeps at most 65,530 hyperlinks per worksheet; further addresses are written as text.
const MAX_LINKS_PER_SHEET: usize = 65_000;
/// Excel's paper size code for A4.
const PAPER_A4: u8 = 9;

/// The cell formats every sheet shares.
struct Formats {
    header: Format,
    wrap: Format,
    date: Format,
    percent: Format,
    link: Format,
    note: Format,
}

/// What every sheet reads.
struct Book<'a> {
    formats: Formats,
    results: &'a Results,
    ranked: Vec<&'a SiteResult>,
    comparison: Option<&'a Comparison>,
}

/// The workbook as bytes.
pub fn report_xlsx(results: &Results, comparison: Option<&Comparison>) -> Result<Vec<u8>> {
    let mut wb = Workbook::new();
    wb.set_properties(&properties(results));
    let formats = Formats {
        header: Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xDDE6F2))
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter),
        wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        date: Format::new().set_num_format("yyyy-mm-dd"),
        percent: Format::new().set_num_format("0.0%"),
        link: Format::new()
            .set_font_color(Color::RGB(0x0563C1))
            .set_underline(rust_xlsxwriter::FormatUnderline::Single),
        note: Format::new().set_text_wrap().set_align(FormatAlign::Top).set_italic(),
    };
    let b = Book { formats, results, ranked: crate::ranked(results), comparison };
    summary_sheet(&mut wb, &b)?;
    ranking_sheet(&mut wb, &b)?;
    findings_sheet(&mut wb, &b)?;
    columns_sheet(&mut wb, &b)?;
    changes_sheet(&mut wb, &b)?;
    wb.save_to_buffer().context("写入 report.xlsx")
}

/// Title, subject, author and dates of the workbook (File → Properties): the period in the title, the issuing office
/// (`assessment.issuer`) as author and company when results.json names one, else the gongkai tool as author.
fn properties(results: &Results) -> DocProperties {
    let a = &results.assessment;
    let period = crate::bulletin::assessment_period(results).map(|m| m.label_zh());
    let title = format!("{}政府网站检查结果", period.as_deref().unwrap_or(""));
    let mut p = DocProperties::new()
        .set_title(title)
        .set_subject(format!(
            "检查数据截至{}；评分规则 {} {}",
            crate::labels::chinese_date(&a.as_of),
            a.rubric.id,
            a.rubric.version
        ))
        .set_keywords("政府网站检查, 红黑榜, gongkai")
        .set_comment(PASS_RATE_NOTE);
    p = match a.issuer.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(office) => p.set_author(office).set_company(office),
        None => p.set_author("gongkai"),
    };
    if let Ok(t) = chrono::DateTime::parse_from_rfc3339(&a.generated_at) {
        if let Ok(t) = ExcelDateTime::from_timestamp(t.timestamp()) {
            p = p.set_creation_datetime(&t);
        }
    }
    p
}

/// The 排名 sheet.
fn ranking_sheet(wb: &mut Workbook, b: &Book) -> Result<()> {
    let mut s = Sheet::new(wb.add_worksheet(), RANKING_SHEET, &b.formats)?;
    let mut head: Vec<&str> = crate::labels::RANKING_COLUMNS.to_vec();
    head.extend(crate::csv_out::STATUS_COLUMNS);
    s.header(&head)?;
    for site in &b.ranked {
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
            .text(&veto_titles(site, "；"))
            .score(site.deduction_score)
            .score(site.bonus)
            .opt_num(problem_count(site).map(|n| n as f64))
            .url(&site.url)
            .text(if assessed { "已检查" } else { gongkai_scoring::NOT_ASSESSED_GRADE.as_str() })
            .text(&if assessed { String::new() } else { crate::not_assessed_reason(site) })
            .text(&crate::review_text(site))
            .write()?;
    }
    s.finish()?;
    Ok(())
}

/// The 汇总 sheet: all sites, then by city (`region[1]`), then by level; the 合格率 definition in a note row below.
fn summary_sheet(wb: &mut Workbook, b: &Book) -> Result<()> {
    let mut s = Sheet::new(wb.add_worksheet(), SUMMARY_SHEET, &b.formats)?;
    let mut head =
        vec!["分组", "名称", "网站数", "已检查", Grade::NotAssessed.label_zh(), "平均得分", "平均得分（不含不合格）"];
    head.extend(GRADES.map(Grade::label_zh));
    head.extend(["合格率", list_name(Some(ListKind::Red)), list_name(Some(ListKind::Black)), "需人工复核"]);
    s.header(&head)?;
    summary_row(&mut s, "全部", "合计", &b.ranked)?;
    // Cities in the order of their first site in sites.toml order (results keep it), so a province's list reads as
    // its own documents list its cities.
    let mut cities: Vec<(&str, Vec<&SiteResult>)> = Vec::new();
    for site in &b.results.sites {
        let c = city(&site.region);
        match cities.iter_mut().find(|(name, _)| *name == c) {
            Some((_, v)) => v.push(site),
            None => cities.push((c, vec![site])),
        }
    }
    for (label, sites) in &cities {
        summary_row(&mut s, "地市", label, sites)?;
    }
    let mut levels: Vec<Level> = b.ranked.iter().map(|s| s.level).collect();
    levels.sort_by_key(|l| level_order(*l));
    levels.dedup();
    for level in levels {
        let sites: Vec<&SiteResult> = b.ranked.iter().copied().filter(|s| s.level == level).collect();
        summary_row(&mut s, "级别", level.label_zh(), &sites)?;
    }
    s.finish()?;
    s.note(PASS_RATE_NOTE)?;
    Ok(())
}

/// The 问题清单 sheet.
fn findings_sheet(wb: &mut Workbook, b: &Book) -> Result<()> {
    let mut s = Sheet::new(wb.add_worksheet(), FINDINGS_SHEET, &b.formats)?;
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
                .wrap(&f.message)
                .urls(&f.evidence.iter().map(|e| e.url.as_str()).collect::<Vec<_>>())
                .wrap(&f.evidence.iter().map(|e| e.observed.as_str()).collect::<Vec<_>>().join("\n"))
                .wrap(
                    &f.evidence
                        .iter()
                        .filter_map(|e| e.warc.as_ref())
                        .map(|w| w.payload_location())
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
    let mut s = Sheet::new(wb.add_worksheet(), COLUMNS_SHEET, &b.formats)?;
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
                .date(c.newest.as_deref().unwrap_or(""))
                .text(if c.blank { "是" } else { "否" })
                .url(&c.url)
                .write()?;
        }
    }
    s.finish()?;
    Ok(())
}

/// The 月度对比 sheet.
fn changes_sheet(wb: &mut Workbook, b: &Book) -> Result<()> {
    let Some(c) = b.comparison else { return Ok(()) };
    let mut s = Sheet::new(wb.add_worksheet(), CHANGES_SHEET, &b.formats)?;
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
        row.wrap(&list(&ch.new_findings)).wrap(&list(&ch.fixed_findings)).write()?;
    }
    s.finish()?;
    Ok(())
}

/// One line of 汇总: counts over the assessed sites of `sites`, the not-assessed counted apart; the black list
/// includes not-assessed sites whose home page was unreachable (veto.unreachable).
fn summary_row(s: &mut Sheet<'_>, group: &str, name: &str, sites: &[&SiteResult]) -> Result<()> {
    let assessed: Vec<&SiteResult> = sites.iter().copied().filter(|s| s.assessed()).collect();
    let scores: Vec<f64> = assessed.iter().map(|s| s.score).filter(|x| x.is_finite()).collect();
    let passed: Vec<f64> =
        assessed.iter().filter(|s| s.grade != Grade::Fail).map(|s| s.score).filter(|x| x.is_finite()).collect();
    let grade = |g: Grade| assessed.iter().filter(|s| s.grade == g).count() as f64;
    let mut row = s
        .row()
        .text(group)
        .text(name)
        .num(sites.len() as f64)
        .num(assessed.len() as f64)
        .num((sites.len() - assessed.len()) as f64)
        .opt_num((!scores.is_empty()).then(|| round2(scores.iter().sum::<f64>() / scores.len() as f64)))
        // Vetoed sites keep their points (often 100) but are 不合格: this average leaves every 不合格 site out.
        .opt_num((!passed.is_empty()).then(|| round2(passed.iter().sum::<f64>() / passed.len() as f64)));
    for g in GRADES {
        row = row.num(grade(g));
    }
    row.percent(pass_rate(&assessed))
        .num(assessed.iter().filter(|s| s.list == Some(ListKind::Red)).count() as f64)
        .num(sites.iter().filter(|s| s.list == Some(ListKind::Black)).count() as f64)
        .num(sites.iter().filter(|s| !s.review.is_empty()).count() as f64)
        .write()
}

/// A worksheet being filled row by row, remembering the widest cell of each column.
struct Sheet<'a> {
    ws: &'a mut Worksheet,
    widths: Vec<f64>,
    /// Columns holding wrapped text (capped at a narrower width).
    wrapped: Vec<bool>,
    next_row: u32,
    links: usize,
    formats: &'a Formats,
}

enum Cell {
    Text(String),
    /// Long text that wraps within the column.
    Wrap(String),
    Num(f64),
    /// A share, shown as a percentage; empty when `None`.
    Percent(Option<f64>),
    /// A `YYYY-MM-DD` date (text as given when it does not parse).
    Date(String),
    /// Web addresses: one is a hyperlink; several are wrapped text, the first of them the link.
    Urls(Vec<String>),
}

struct Row<'s, 'a> {
    sheet: &'s mut Sheet<'a>,
    cells: Vec<Cell>,
}

impl<'a> Sheet<'a> {
    fn new(ws: &'a mut Worksheet, name: &str, formats: &'a Formats) -> Result<Self> {
        ws.set_name(name)?;
        // Print setup: A4 landscape, all columns on one page width (as many pages down as needed), the header row on
        // every page, page numbers in the footer.
        ws.set_paper_size(PAPER_A4);
        ws.set_landscape();
        ws.set_print_fit_to_pages(1, 0);
        ws.set_repeat_rows(0, 0)?;
        ws.set_header(&format!("&L&\"-,Bold\"{name}"));
        ws.set_footer("&C第 &P 页，共 &N 页");
        Ok(Sheet { ws, widths: Vec::new(), wrapped: Vec::new(), next_row: 0, links: 0, formats })
    }

    fn header(&mut self, names: &[&str]) -> Result<()> {
        for (col, name) in names.iter().enumerate() {
            self.ws.write_string_with_format(0, col as u16, *name, &self.formats.header)?;
            self.note_width(col, name, false);
        }
        self.ws.set_freeze_panes(1, 0)?;
        self.next_row = 1;
        Ok(())
    }

    fn row<'s>(&'s mut self) -> Row<'s, 'a> {
        Row { sheet: self, cells: Vec::new() }
    }

    fn note_width(&mut self, col: usize, text: &str, wrapped: bool) {
        if self.widths.len() <= col {
            self.widths.resize(col + 1, MIN_WIDTH);
            self.wrapped.resize(col + 1, false);
        }
        self.wrapped[col] |= wrapped;
        let w = text.lines().map(display_width).max().unwrap_or(0) as f64 + 2.0;
        self.widths[col] = self.widths[col].max(w.min(MAX_WIDTH));
    }

    fn finish(&mut self) -> Result<()> {
        for (col, w) in self.widths.iter().enumerate() {
            let w = if self.wrapped[col] { w.min(MAX_WRAP_WIDTH) } else { *w };
            self.ws.set_column_width(col as u16, w)?;
        }
        if !self.widths.is_empty() {
            let last_row = self.next_row.saturating_sub(1);
            self.ws.autofilter(0, 0, last_row, self.widths.len() as u16 - 1)?;
        }
        Ok(())
    }

    /// A note below the table, one blank row after it, across all its columns (not part of the autofilter).
    fn note(&mut self, text: &str) -> Result<()> {
        let row = self.next_row + 1;
        let last = self.widths.len().max(1) as u16 - 1;
        if last == 0 {
            self.ws.write_string_with_format(row, 0, text, &self.formats.note)?;
        } else {
            self.ws.merge_range(row, 0, row, last, text, &self.formats.note)?;
        }
        self.ws.set_row_height(row, 36)?;
        self.next_row = row + 1;
        Ok(())
    }

    /// Write `urls` at (row, col): a hyperlink when it is one http(s) address, Excel can take it and the sheet has
    /// hyperlinks left; otherwise text.
    fn write_urls(&mut self, row: u32, col: u16, urls: &[String]) -> Result<()> {
        let text = urls.join("\n");
        let wrapped = urls.len() > 1;
        self.note_width(col as usize, &text, wrapped);
        let Some(first) = urls.first().filter(|u| !u.is_empty()) else { return Ok(()) };
        let text = clip(&text);
        let linkable = (first.starts_with("http://") || first.starts_with("https://"))
            && first.encode_utf16().count() <= 2_000
            && self.links < MAX_LINKS_PER_SHEET;
        if linkable {
            let link = Url::new(first.as_str()).set_text(text.as_str());
            let format = if wrapped { self.formats.link.clone().set_text_wrap() } else { self.formats.link.clone() };
            if self.ws.write_url_with_format(row, col, link, &format).is_ok() {
                self.links += 1;
                return Ok(());
            }
        }
        if wrapped {
            self.ws.write_string_with_format(row, col, text.as_str(), &self.formats.wrap)?;
        } else {
            self.ws.write_string(row, col, text.as_str())?;
        }
        Ok(())
    }
}

impl Row<'_, '_> {
    fn text(mut self, s: &str) -> Self {
        self.cells.push(Cell::Text(clip(s)));
        self
    }

    /// Long text that wraps.
    fn wrap(mut self, s: &str) -> Self {
        self.cells.push(Cell::Wrap(clip(s)));
        self
    }

    fn url(mut self, u: &str) -> Self {
        self.cells.push(Cell::Urls(vec![u.to_string()]));
        self
    }

    fn urls(mut self, u: &[&str]) -> Self {
        self.cells.push(Cell::Urls(u.iter().map(|s| s.to_string()).collect()));
        self
    }

    fn date(mut self, ymd: &str) -> Self {
        self.cells.push(Cell::Date(ymd.to_string()));
        self
    }

    fn percent(mut self, share: Option<f64>) -> Self {
        self.cells.push(Cell::Percent(share.filter(|x| x.is_finite())));
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
            let c = col as u16;
            match cell {
                Cell::Text(s) => {
                    if !s.is_empty() {
                        self.sheet.ws.write_string(row, c, s.as_str())?;
                    }
                    self.sheet.note_width(col, &s, false);
                }
                Cell::Wrap(s) => {
                    if !s.is_empty() {
                        self.sheet.ws.write_string_with_format(row, c, s.as_str(), &self.sheet.formats.wrap)?;
                    }
                    self.sheet.note_width(col, &s, true);
                }
                Cell::Num(x) => {
                    self.sheet.ws.write_number(row, c, x)?;
                    self.sheet.note_width(col, &crate::fmt_points(x), false);
                }
                Cell::Percent(Some(x)) => {
                    self.sheet.ws.write_number_with_format(row, c, x, &self.sheet.formats.percent)?;
                    self.sheet.note_width(col, "100.0%", false);
                }
                Cell::Percent(None) => self.sheet.note_width(col, "", false),
                Cell::Date(s) => {
                    match parse_ymd(&s) {
                        Some(d) => {
                            self.sheet.ws.write_date_with_format(row, c, &d, &self.sheet.formats.date)?;
                        }
                        None if !s.is_empty() => {
                            self.sheet.ws.write_string(row, c, clip(&s).as_str())?;
                        }
                        None => {}
                    }
                    self.sheet.note_width(col, "2026-11-30", false);
                }
                Cell::Urls(urls) => self.sheet.write_urls(row, c, &urls)?,
            }
        }
        self.sheet.next_row += 1;
        Ok(())
    }
}

/// `2026-09-30` as an Excel date.
fn parse_ymd(s: &str) -> Option<ExcelDateTime> {
    let d = chrono::NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    use chrono::Datelike;
    ExcelDateTime::from_ymd(u16::try_from(d.year()).ok()?, d.month() as u8, d.day() as u8).ok()
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
