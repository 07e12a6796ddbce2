//! bulletin.docx: the blocks as a Word document in 公文 format (GB/T 9704-2012, 党政机关公文格式).
//!
//! What the standard asks and how it is met here:
//! - A4 paper, 版心 156 mm × 225 mm: margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm;
//! - 标题 二号 (22 pt) 方正小标宋简体, centred; 正文 三号 (16 pt) 仿宋_GB2312, first line indented two characters,
//!   about 22 lines a page (fixed 29 pt line pitch); 一级标题 (`一、`) 黑体, 二级标题 (`（一）`) 楷体_GB2312;
//! - 主送机关 flush left under the title; 附件说明 after the text; 落款 (发文机关 and 成文日期 in Arabic numerals)
//!   right-aligned, the date four characters from the right edge; 附注 (contact) after the date; each 附件 on a new
//!   page, `附件1` in 黑体 at the top left, then its title;
//! - page numbers `— 1 —` in 四号 (14 pt) 宋体, odd pages on the right, even pages on the left, one character in.
//!
//! The 方正 and `_GB2312` fonts are what offices have installed, but not every computer has them, and Word and
//! LibreOffice fall back to an arbitrary font when a named one is missing. So the font table names a fallback for
//! each (`w:altName`: 宋体, 仿宋, 楷体; Latin text in Times New Roman), and [`FONTS`] documents the chain.
//!
//! Text is plain: docx-rs escapes it for XML; characters XML cannot hold (control characters) are dropped first.

use super::model::{Block, Table};
use anyhow::{Context, Result};
use docx_rs::{
    AlignmentType, BorderType, Docx, FieldCharType, Footer, InstrPAGE, InstrText, LineSpacing, LineSpacingType,
    PageMargin, Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, RunFonts,
    SpecialIndentType, Style, StyleType, TableCell, TableRow, WidthType,
};
use std::io::{Read, Write};

/// The fonts of a 公文 and what stands in for each when it is not installed: (font, fallbacks, generic family).
pub(crate) const FONTS: [(&str, &str, &str); 5] = [
    ("方正小标宋简体", "宋体,SimSun,Noto Serif CJK SC", "roman"),
    ("仿宋_GB2312", "仿宋,FangSong,Noto Serif CJK SC", "roman"),
    ("黑体", "SimHei,Noto Sans CJK SC", "swiss"),
    ("楷体_GB2312", "楷体,KaiTi,Noto Serif CJK SC", "roman"),
    ("宋体", "SimSun,Noto Serif CJK SC", "roman"),
];
const TITLE_FONT: &str = FONTS[0].0;
const BODY_FONT: &str = FONTS[1].0;
const HEADING1_FONT: &str = FONTS[2].0;
const HEADING2_FONT: &str = FONTS[3].0;
const PAGE_NUMBER_FONT: &str = FONTS[4].0;
const LATIN_FONT: &str = "Times New Roman";

/// Sizes in half-points: 二号 22 pt, 三号 16 pt, 四号 14 pt, 小四 12 pt (tables).
const TITLE_SIZE: usize = 44;
/// 发文机关标志: red, larger than the title (小初, 36 pt), as the 版头 of GB/T 9704 shows it.
const MASTHEAD_SIZE: usize = 72;
const MASTHEAD_RED: &str = "E60012";
const BODY_SIZE: usize = 32;
const PAGE_NUMBER_SIZE: usize = 28;
const TABLE_SIZE: usize = 24;

/// Twentieths of a point (twips): 1 mm = 1440 / 25.4.
fn mm(v: f64) -> i32 {
    (v * 1440.0 / 25.4).round() as i32
}
const A4_WIDTH: u32 = 11906;
const A4_HEIGHT: u32 = 16838;
/// One character of 三号 (16 pt).
const CHAR: i32 = 320;
/// Fixed line pitch: 29 pt, 22 lines in the 225 mm 版心.
const LINE: i32 = 580;

fn text_width() -> i32 {
    A4_WIDTH as i32 - mm(28.0) - mm(26.0)
}

fn fonts(east_asia: &str) -> RunFonts {
    RunFonts::new().east_asia(east_asia).ascii(LATIN_FONT).hi_ansi(LATIN_FONT).cs(LATIN_FONT)
}

/// Text XML can hold, on one line.
fn clean(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() || matches!(c, '\u{FFFE}' | '\u{FFFF}') => None,
            c => Some(c),
        })
        .collect()
}

fn run(text: &str) -> Run {
    Run::new().add_text(clean(text))
}

fn exact(line: i32) -> LineSpacing {
    LineSpacing::new().line_rule(LineSpacingType::Exact).line(line)
}

/// A body paragraph: 仿宋 三号, first line indented two characters.
fn body(text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(run(text))
        .indent(None, Some(SpecialIndentType::FirstLine(2 * CHAR)), None, None)
        .align(AlignmentType::Both)
}

/// The 版头's red separator line: a red bottom border on the paragraph, some space below it.
fn red_rule(p: Paragraph) -> Paragraph {
    let border = ParagraphBorder::new(ParagraphBorderPosition::Bottom)
        .val(BorderType::Single)
        .size(12)
        .space(4)
        .color(MASTHEAD_RED);
    p.set_borders(ParagraphBorders::with_empty().set(border))
}

fn blank() -> Paragraph {
    Paragraph::new().add_run(Run::new())
}

/// The styles the document uses: 标题, 一级标题, 二级标题 (named so that Word's navigation pane and python-docx
/// know them as Title, Heading 1 and Heading 2).
fn styles(doc: Docx) -> Docx {
    doc.add_style(
        Style::new("Title", StyleType::Paragraph)
            .name("Title")
            .fonts(fonts(TITLE_FONT))
            .size(TITLE_SIZE)
            .align(AlignmentType::Center)
            .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Auto).line(240).before(0).after(LINE as u32)),
    )
    .add_style(
        Style::new("Heading1", StyleType::Paragraph)
            .name("heading 1")
            .fonts(fonts(HEADING1_FONT))
            .size(BODY_SIZE)
            .outline_lvl(0)
            .indent(None, Some(SpecialIndentType::FirstLine(2 * CHAR)), None, None)
            .line_spacing(exact(LINE)),
    )
    .add_style(
        Style::new("Heading2", StyleType::Paragraph)
            .name("heading 2")
            .fonts(fonts(HEADING2_FONT))
            .size(BODY_SIZE)
            .outline_lvl(1)
            .indent(None, Some(SpecialIndentType::FirstLine(2 * CHAR)), None, None)
            .line_spacing(exact(LINE)),
    )
}

/// `— 1 —`: odd pages on the right, even pages on the left, one character in.
fn page_number(odd: bool) -> Footer {
    let one_char = PAGE_NUMBER_SIZE as i32 * 10;
    let (align, left, right) =
        if odd { (AlignmentType::Right, None, Some(one_char)) } else { (AlignmentType::Left, Some(one_char), None) };
    let r = || Run::new().fonts(fonts(PAGE_NUMBER_FONT)).size(PAGE_NUMBER_SIZE);
    Footer::new().add_paragraph(
        Paragraph::new()
            .align(align)
            .indent(left, None, right, None)
            .add_run(r().add_text("— "))
            .add_run(
                r().add_field_char(FieldCharType::Begin, false)
                    .add_instr_text(InstrText::PAGE(InstrPAGE::new()))
                    .add_field_char(FieldCharType::Separate, false)
                    .add_text("1")
                    .add_field_char(FieldCharType::End, false),
            )
            .add_run(r().add_text(" —")),
    )
}

fn table(t: &Table) -> docx_rs::Table {
    let total: u32 = t.widths.iter().sum::<u32>().max(1);
    let widths: Vec<usize> =
        t.widths.iter().map(|w| (*w as i64 * text_width() as i64 / total as i64) as usize).collect();
    let cell = |text: &str, col: usize, header: bool| {
        let mut r = run(text).size(TABLE_SIZE);
        if header {
            r = r.fonts(fonts(HEADING1_FONT));
        }
        let align = if header {
            AlignmentType::Center
        } else if t.numeric.get(col).copied().unwrap_or(false) {
            AlignmentType::Right
        } else {
            AlignmentType::Left
        };
        TableCell::new()
            .width(widths[col], WidthType::Dxa)
            .add_paragraph(Paragraph::new().add_run(r).align(align).line_spacing(exact(TABLE_SIZE as i32 * 14)))
    };
    let mut rows =
        vec![TableRow::new(t.header.iter().enumerate().map(|(i, h)| cell(h, i, true)).collect()).cant_split()];
    for r in &t.rows {
        rows.push(TableRow::new(r.iter().enumerate().map(|(i, c)| cell(c, i, false)).collect()).cant_split());
    }
    docx_rs::Table::new(rows).set_grid(widths.clone()).width(text_width() as usize, WidthType::Dxa)
}

/// The bulletin as a .docx file.
pub(crate) fn render(blocks: &[Block]) -> Result<Vec<u8>> {
    let margin = PageMargin::new()
        .top(mm(37.0))
        .bottom(mm(35.0))
        .left(mm(28.0))
        .right(mm(26.0))
        .header(mm(15.0))
        .footer(mm(23.0));
    let mut doc = Docx::new()
        .page_size(A4_WIDTH, A4_HEIGHT)
        .page_margin(margin)
        .default_fonts(fonts(BODY_FONT))
        .default_size(BODY_SIZE)
        .default_line_spacing(exact(LINE))
        .footer(page_number(true))
        .even_footer(page_number(false));
    doc = styles(doc);
    // The red rule under the 版头 goes under the 发文字号 when there is one, else under the office's name.
    let rule_after_number = blocks.iter().any(|b| matches!(b, Block::Number(_)));
    let has_masthead = blocks.iter().any(|b| matches!(b, Block::Masthead(_)));
    for b in blocks {
        doc = match b {
            Block::Masthead(t) => {
                let p = Paragraph::new()
                    .add_run(run(t).color(MASTHEAD_RED).size(MASTHEAD_SIZE).fonts(fonts(TITLE_FONT)))
                    .align(AlignmentType::Center)
                    .line_spacing(LineSpacing::new().line_rule(LineSpacingType::Auto).line(240).after(LINE as u32));
                doc.add_paragraph(if rule_after_number { p } else { red_rule(p) })
            }
            Block::Number(t) => {
                let p = Paragraph::new().add_run(run(t)).align(AlignmentType::Center);
                doc.add_paragraph(if has_masthead { red_rule(p) } else { p }).add_paragraph(blank())
            }
            Block::Title(t) => doc.add_paragraph(Paragraph::new().style("Title").add_run(run(t))),
            Block::Recipients(t) => doc.add_paragraph(Paragraph::new().add_run(run(t))),
            Block::Heading1(t) => doc.add_paragraph(Paragraph::new().style("Heading1").add_run(run(t)).keep_next(true)),
            Block::Heading2(t) => doc.add_paragraph(Paragraph::new().style("Heading2").add_run(run(t)).keep_next(true)),
            Block::Para(t) => doc.add_paragraph(body(t)),
            Block::Table(t) => doc.add_table(table(t)).add_paragraph(blank()),
            Block::AttachmentNote(titles) => {
                let mut d = doc.add_paragraph(blank());
                for (i, t) in titles.iter().enumerate() {
                    let text = format!("{}. {t}", i + 1);
                    let p = if i == 0 {
                        Paragraph::new().add_run(run(&format!("附件：{text}"))).indent(
                            None,
                            Some(SpecialIndentType::FirstLine(2 * CHAR)),
                            None,
                            None,
                        )
                    } else {
                        Paragraph::new().add_run(run(&text)).indent(Some(5 * CHAR), None, None, None)
                    };
                    d = d.add_paragraph(p);
                }
                d
            }
            Block::Signature { office, date } => {
                let mut d = doc.add_paragraph(blank()).add_paragraph(blank());
                if let Some(o) = office {
                    d = d.add_paragraph(Paragraph::new().add_run(run(o)).align(AlignmentType::Right).indent(
                        None,
                        None,
                        Some(2 * CHAR),
                        None,
                    ));
                }
                d.add_paragraph(Paragraph::new().add_run(run(date)).align(AlignmentType::Right).indent(
                    None,
                    None,
                    Some(4 * CHAR),
                    None,
                ))
            }
            Block::Note(t) => doc.add_paragraph(body(t)),
            Block::Attachment { label, title } => doc
                .add_paragraph(Paragraph::new().add_run(run(label).fonts(fonts(HEADING1_FONT))).page_break_before(true))
                .add_paragraph(Paragraph::new().style("Title").add_run(run(title))),
        };
    }
    let mut bytes = Vec::new();
    doc.build().pack(std::io::Cursor::new(&mut bytes)).context("打包 bulletin.docx")?;
    finish(&bytes)
}

/// Two things docx-rs cannot say, added to its package (every other part copied as it is): the font table names only
/// Latin fonts, so it is replaced with one that declares the 公文 fonts and their fallbacks (`w:altName`); and a
/// table's header row is marked to repeat on every page (`w:tblHeader`), as long lists in the 附件 need.
fn finish(docx: &[u8]) -> Result<Vec<u8>> {
    let mut zin = zip::ZipArchive::new(std::io::Cursor::new(docx)).context("读取打包后的 bulletin.docx")?;
    let mut out = Vec::new();
    {
        let mut zout = zip::ZipWriter::new(std::io::Cursor::new(&mut out));
        let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for i in 0..zin.len() {
            let mut f = zin.by_index(i)?;
            let name = f.name().to_string();
            let mut data = Vec::new();
            f.read_to_end(&mut data)?;
            if name == "word/fontTable.xml" {
                data = font_table().into_bytes();
            } else if name == "word/document.xml" {
                data = repeat_header_rows(&String::from_utf8(data).context("word/document.xml 不是 UTF-8 编码")?)
                    .into_bytes();
            }
            zout.start_file(name, opts)?;
            zout.write_all(&data)?;
        }
        zout.finish()?;
    }
    Ok(out)
}

/// Every table's first row (the header: all rows are written `cantSplit`) also gets `tblHeader`.
fn repeat_header_rows(xml: &str) -> String {
    const ROW: &str = "<w:trPr><w:cantSplit /></w:trPr>";
    const HEADER_ROW: &str = "<w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>";
    let mut out = String::with_capacity(xml.len() + 1024);
    let mut rest = xml;
    while let Some(t) = rest.find("<w:tbl>") {
        let (before, table) = rest.split_at(t);
        out.push_str(before);
        match table.find(ROW) {
            Some(r) => {
                out.push_str(&table[..r]);
                out.push_str(HEADER_ROW);
                rest = &table[r + ROW.len()..];
            }
            None => {
                out.push_str(table);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn font_table() -> String {
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">"#,
    );
    x.push_str(r#"<w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font>"#);
    for (name, fallbacks, family) in FONTS {
        // Word reads one alternative name; the first fallback is the one every Chinese Windows has.
        let alt = fallbacks.split(',').next().unwrap_or("宋体");
        x.push_str(&format!(
            r#"<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>"#
        ));
    }
    x.push_str("</w:fonts>");
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gb9704_margins_in_twips() {
        assert_eq!((mm(37.0), mm(35.0), mm(28.0), mm(26.0)), (2098, 1984, 1587, 1474));
        assert_eq!(text_width(), 8845, "版心 156 mm");
    }

    #[test]
    fn header_rows_repeat() {
        let row = "<w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr>";
        let xml = format!("<w:body><w:tbl>{row}{row}</w:tbl><w:p/><w:tbl>{row}</w:tbl></w:body>");
        let out = repeat_header_rows(&xml);
        assert_eq!(out.matches("<w:tblHeader />").count(), 2);
        assert!(out.starts_with("<w:body><w:tbl><w:tr><w:trPr><w:cantSplit /><w:tblHeader /></w:trPr></w:tr><w:tr><w:trPr><w:cantSplit /></w:trPr>"));
    }

    #[test]
    fn control_characters_are_dropped() {
        assert_eq!(clean("a\u{0}b\u{1b}c\nd"), "abc d");
    }
}
