//! bulletin.docx read back by python-docx (the library offices' scripts use): the 公文 page setup, the headings, the
//! 红榜 and 黑榜 tables with their header row and one row per site, the 附件 with the full lists, the 落款 with the
//! issuing office and date. Skipped, with a message, when python-docx is not installed (.ci/run installs it).

use gongkai_config::{BulletinSettings, Deadline};
use gongkai_reports::{synthetic, write_all_with};
use gongkai_scoring::ListKind;
use serde_json::Value;
use std::process::Command;

/// Every paragraph and table of the body in document order, with the section's page setup and the style fonts.
const READ_DOCX: &str = r#"
import json, sys, docx
from docx.table import Table
from docx.text.paragraph import Paragraph
d = docx.Document(sys.argv[1])
blocks = []
for child in d.element.body.iterchildren():
    tag = child.tag.rsplit('}', 1)[-1]
    if tag == 'p':
        p = Paragraph(child, d)
        W = '{http://schemas.openxmlformats.org/wordprocessingml/2006/main}'
        bottom = child.find(W + 'pPr/' + W + 'pBdr/' + W + 'bottom')
        color = p.runs[0].font.color.rgb if p.runs and p.runs[0].font.color and p.runs[0].font.color.type else None
        blocks.append({"p": p.text, "style": p.style.name if p.style is not None else None,
                       "align": str(p.alignment) if p.alignment is not None else None,
                       "color": str(color) if color is not None else None,
                       "rule": bottom.get(W + 'color') if bottom is not None else None})
    elif tag == 'tbl':
        t = Table(child, d)
        W = '{http://schemas.openxmlformats.org/wordprocessingml/2006/main}'
        blocks.append({"table": [[c.text for c in r.cells] for r in t.rows],
                       "repeat": [r._tr.find(W + 'trPr/' + W + 'tblHeader') is not None for r in t.rows]})
s = d.sections[0]
mm = lambda v: round(v.mm, 1)
def east_asia(style):
    rpr = style.element.rPr
    fonts = rpr.rFonts if rpr is not None else None
    return fonts.get('{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia') if fonts is not None else None
styles = {n: {"font": east_asia(d.styles[n]), "size": d.styles[n].font.size.pt if d.styles[n].font.size else None}
          for n in ["Title", "Heading 1", "Heading 2"]}
import zipfile, re
fonts = zipfile.ZipFile(sys.argv[1]).read('word/fontTable.xml').decode()
alt = dict(re.findall(r'<w:font w:name="([^"]+)"><w:altName w:val="([^"]+)"', fonts))
print(json.dumps({"blocks": blocks, "alt": alt, "page": [mm(s.page_width), mm(s.page_height), mm(s.top_margin),
      mm(s.bottom_margin), mm(s.left_margin), mm(s.right_margin)], "styles": styles,
      "even_footer": s.even_page_footer.paragraphs[0].text if s.even_page_footer.paragraphs else "",
      "footer": s.footer.paragraphs[0].text if s.footer.paragraphs else ""}, ensure_ascii=False))
"#;

fn python_docx() -> bool {
    Command::new("python3").args(["-c", "import docx"]).output().is_ok_and(|o| o.status.success())
}

fn settings() -> BulletinSettings {
    BulletinSettings {
        office: Some("示范省人民政府办公厅".into()),
        office_short: Some("示政办".into()),
        number: Some("{office_short}函〔{year}〕{n}号".into()),
        serial: Some(12),
        scope: Some("全省".into()),
        recipients: vec!["各市（州）人民政府办公室".into(), "省直各部门".into()],
        deadline: Deadline::Days(30),
        contact_person: Some("张三".into()),
        contact_phone: Some("028-12345678".into()),
        top_n: 8,
    }
}

fn texts(blocks: &[Value], style: &str) -> Vec<String> {
    blocks.iter().filter(|b| b["style"].as_str() == Some(style)).map(|b| b["p"].as_str().unwrap().to_string()).collect()
}

/// The first table after the paragraph (a heading, an attachment's title) that reads `title`.
fn table_after<'a>(blocks: &'a [Value], title: &str) -> &'a Vec<Value> {
    let at = blocks.iter().position(|b| b["p"] == title).unwrap_or_else(|| panic!("no {title}"));
    blocks[at..].iter().find_map(|b| b["table"].as_array()).unwrap_or_else(|| panic!("no table after {title}"))
}

fn cells(row: &Value) -> Vec<&str> {
    row.as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect()
}

#[test]
fn bulletin_docx_read_by_python_docx() {
    if !python_docx() {
        eprintln!("skipped: python-docx is not installed (pip install python-docx; .ci/run installs it)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut results = synthetic::results(400, 5);
    results.assessment.period = Some("2026-11".into());
    let w = write_all_with(&results, None, dir.path(), &settings()).unwrap();
    assert!(w.files().any(|f| f == w.bulletin_docx), "bulletin.docx among the written files");
    let out = Command::new("python3").args(["-c", READ_DOCX]).arg(&w.bulletin_docx).output().unwrap();
    assert!(out.status.success(), "python-docx failed: {}", String::from_utf8_lossy(&out.stderr));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let blocks = doc["blocks"].as_array().unwrap();

    // GB/T 9704 page: A4, margins 37/35/28/26 mm; page numbers in odd and even footers.
    let page: Vec<f64> = doc["page"].as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
    assert_eq!(page, [210.0, 297.0, 37.0, 35.0, 28.0, 26.0]);
    assert_eq!(doc["footer"], "— 1 —");
    assert_eq!(doc["even_footer"], "— 1 —");
    assert_eq!(doc["styles"]["Title"]["font"], "方正小标宋简体");
    assert_eq!(doc["styles"]["Title"]["size"], 22.0);
    assert_eq!(doc["styles"]["Heading 1"]["font"], "黑体");
    assert_eq!(doc["styles"]["Heading 2"]["font"], "楷体_GB2312");
    // Fallbacks declared for fonts not every computer has.
    assert_eq!(doc["alt"]["方正小标宋简体"], "宋体");
    assert_eq!(doc["alt"]["仿宋_GB2312"], "仿宋");
    assert_eq!(doc["alt"]["楷体_GB2312"], "楷体");
    // Every table's header row, and only it, repeats on each page.
    for t in blocks.iter().filter_map(|b| b["repeat"].as_array()) {
        assert_eq!(t[0], true);
        assert!(t[1..].iter().all(|r| r == false));
    }

    // 版头 (the office in red, a red rule under the 文号), title with the period, 主送.
    let paras: Vec<&str> = blocks.iter().filter_map(|b| b["p"].as_str()).filter(|t| !t.is_empty()).collect();
    assert_eq!(paras[0], "示范省人民政府办公厅");
    assert_eq!(blocks[0]["color"], "E60012", "the 发文机关标志 is red");
    assert_eq!(paras[1], "示政办函〔2026〕12号");
    let number = blocks.iter().find(|b| b["p"] == "示政办函〔2026〕12号").unwrap();
    assert_eq!(number["rule"], "E60012", "the red rule of the 版头 under the 文号");
    assert_eq!(texts(blocks, "Title")[0], "关于2026年11月全省政府网站检查情况的通报");
    assert_eq!(paras[3], "各市（州）人民政府办公室，省直各部门：");
    let h1 = texts(blocks, "Heading 1");
    assert_eq!(h1, ["一、总体情况", "二、主要问题", "三、各地区检查情况", "四、红榜", "五、黑榜", "六、整改要求"]);
    let h2 = texts(blocks, "Heading 2");
    assert!(!h2.is_empty() && h2.len() <= 8 && h2[0].starts_with("（一）"), "{h2:?}");

    // 红榜 and 黑榜: header 序号 | 地区 | 网站名称 | 问题; top_n rows in the body, every site in the 附件.
    let red: Vec<_> = results.sites.iter().filter(|s| s.list == Some(ListKind::Red)).collect();
    let black: Vec<_> = results.sites.iter().filter(|s| s.list == Some(ListKind::Black)).collect();
    assert!(red.len() > 8 && black.len() > 8, "400 sites: both lists longer than top_n");
    for (heading, attachment, list) in
        [("四、红榜", "红榜网站名单", &red), ("五、黑榜", "黑榜网站名单及主要问题", &black)]
    {
        let body = table_after(blocks, heading);
        assert_eq!(cells(&body[0]), ["序号", "地区", "网站名称", "问题"], "{heading}");
        assert_eq!(body.len(), 1 + 8, "{heading}: header and top_n rows");
        let full = table_after(blocks, attachment);
        assert_eq!(cells(&full[0]), ["序号", "地区", "网站名称", "问题"]);
        assert_eq!(full.len(), 1 + list.len(), "{attachment}: every site");
        for (i, row) in full[1..].iter().enumerate() {
            let c = cells(row);
            assert_eq!(c[0], (i + 1).to_string());
            assert!(list.iter().any(|s| s.name == c[2]), "{} is not on the list", c[2]);
        }
    }
    // The body's red list is the best of it: ranks 1..8 of the red list, in order.
    let body_red = table_after(blocks, "四、红榜");
    let mut best: Vec<_> = red.clone();
    best.sort_by_key(|s| s.rank);
    for (row, s) in body_red[1..].iter().zip(&best) {
        assert_eq!(cells(row)[2], s.name);
    }

    // 附件说明, 落款 (office, then the date of the results), 附注, then the attachments on their own pages.
    let at = |t: &str| paras.iter().position(|p| *p == t).unwrap_or_else(|| panic!("no paragraph {t}"));
    // (the 落款's office: the last paragraph that names it, the 版头's being the first)
    let office = paras.iter().rposition(|p| *p == "示范省人民政府办公厅").unwrap();
    assert!(office > 0);
    assert_eq!(paras[office + 1], "2026年11月1日");
    assert_eq!(paras[office + 2], "（联系人：张三；联系电话：028-12345678）");
    assert!(paras[..office].iter().any(|p| p.starts_with("附件：1. 红榜网站名单")));
    assert!(at("附件1") > office && at("附件2") > at("附件1"));
    let signature = blocks.iter().find(|b| b["p"] == "2026年11月1日").unwrap();
    assert_eq!(signature["align"], "RIGHT (2)");
    // The deadline is 30 days after the bulletin's date.
    assert!(paras.iter().any(|p| p.contains("于2026年12月1日前完成整改，并将整改情况报送示范省人民政府办公厅")));
}
