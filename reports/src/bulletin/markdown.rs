//! bulletin.md: the blocks as Markdown, every text escaped so that what came from crawled pages (site names, finding
//! messages quoting page titles, reasons) shows as written and cannot turn into links, HTML or table cells.

use super::model::{Block, Table};
use std::fmt::Write;

pub(crate) fn render(blocks: &[Block]) -> String {
    let mut o = String::new();
    for b in blocks {
        match b {
            Block::Masthead(t) => line(&mut o, &format!("**{}**", md(t))),
            Block::Number(t) => line(&mut o, &md(t)),
            Block::Title(t) => line(&mut o, &format!("# {}", md(t))),
            Block::Recipients(t) => line(&mut o, &md(t)),
            Block::Heading1(t) => line(&mut o, &format!("## {}", md(t))),
            Block::Heading2(t) => line(&mut o, &format!("### {}", md(t))),
            Block::Para(t) => line(&mut o, &md(t)),
            Block::Table(t) => table(&mut o, t),
            Block::AttachmentNote(titles) => {
                let items: Vec<String> =
                    titles.iter().enumerate().map(|(i, t)| format!("{}. {}", i + 1, md(t))).collect();
                line(&mut o, &format!("附件：{}", items.join("  \n　　　")));
            }
            Block::Signature { office, date } => {
                // Two trailing spaces: a line break within the paragraph.
                let s = match office {
                    Some(office) => format!("{}  \n{}", md(office), md(date)),
                    None => md(date),
                };
                line(&mut o, &s);
            }
            Block::Note(t) => line(&mut o, &md(t)),
            Block::Attachment { label, title } => {
                line(&mut o, "---");
                line(&mut o, &format!("## {}：{}", md(label), md(title)));
            }
        }
    }
    o
}

fn line(o: &mut String, text: &str) {
    o.push_str(text);
    o.push_str("\n\n");
}

fn table(o: &mut String, t: &Table) {
    let cells = |v: &[String]| v.iter().map(|c| md(c)).collect::<Vec<_>>().join(" | ");
    let _ = writeln!(o, "| {} |", cells(&t.header));
    let align: Vec<&str> = t.numeric.iter().map(|n| if *n { "---:" } else { "---" }).collect();
    let _ = writeln!(o, "|{}|", align.join("|"));
    for r in &t.rows {
        let _ = writeln!(o, "| {} |", cells(r));
    }
    o.push('\n');
}

/// Escape text for Markdown, keeping it readable when pasted raw: the characters that can make markup anywhere in a
/// line (emphasis, code, links, HTML tags, table cells, strikethrough) get a backslash. Escaped text is only ever
/// placed mid-line or after a fixed prefix, so line-start syntax (`#`, `-`, `1.`) needs nothing; line breaks become
/// spaces so text cannot start a line of its own.
pub(crate) fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(md("<script>x</script>"), "\\<script>x\\</script>");
        assert_eq!(md("a|b\n# c"), "a\\|b # c");
        assert_eq!(md("[点击](javascript:alert(1))"), "\\[点击\\](javascript:alert(1))");
        assert_eq!(md("2026-07-25 **粗体** _x_"), "2026-07-25 \\*\\*粗体\\*\\* \\_x\\_");
    }
}
