//! write_all end to end on synthetic results: every file, read back by independent readers (the csv crate, Python's
//! openpyxl for the workbook, an HTML parser for the pages).

use gongkai_config::Grade;
use gongkai_reports::{synthetic, write_all, BadInput};
use gongkai_scoring::ListKind;
use std::process::Command;

#[test]
fn writes_every_file() {
    let dir = tempfile::tempdir().unwrap();
    let results = synthetic::results(40, 1);
    let w = write_all(&results, None, dir.path()).unwrap();
    assert_eq!(w.site_pages.len(), 40);
    for f in w.files() {
        assert!(std::fs::metadata(f).unwrap().len() > 0, "{} is empty", f.display());
    }
    let names: Vec<String> =
        std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    for want in ["results.json", "report.html", "sites", "ranking.csv", "report.xlsx", "bulletin.md"] {
        assert!(names.iter().any(|n| n == want), "{want} missing in {names:?}");
    }
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "temporary files left: {names:?}");
    let back = gongkai_reports::read_results(&w.results_json).unwrap();
    assert!(back == results, "results.json does not read back as written");
}

#[test]
fn ranking_csv_starts_with_bom_and_lists_every_site_in_rank_order() {
    let dir = tempfile::tempdir().unwrap();
    let results = synthetic::results(300, 8);
    let w = write_all(&results, None, dir.path()).unwrap();
    let bytes = std::fs::read(&w.ranking_csv).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 BOM first");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header = reader.headers().unwrap().clone();
    assert_eq!(&header[0], "排名");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 300);
    let mut by_rank = results.sites.clone();
    by_rank.sort_by_key(|s| s.rank);
    for (row, site) in rows.iter().zip(&by_rank) {
        assert_eq!(row[0].parse::<u32>().unwrap(), site.rank);
        assert_eq!(&row[1], site.id);
        assert_eq!(&row[2], site.name);
        assert_eq!(&row[6], site.grade.as_str());
    }
}

/// Run Python; `None` (after a loud message) when python3 or openpyxl is missing outside CI.
fn python(script: &str, args: &[&str]) -> Option<String> {
    let out = match Command::new("python3").arg("-c").arg(script).args(args).output() {
        Ok(o) => o,
        Err(e) => {
            assert!(std::env::var_os("CI").is_none(), "python3 is needed under CI: {e}");
            eprintln!("\n!!!! SKIPPED: python3 not found ({e}) !!!!\n");
            return None;
        }
    };
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() && stderr.contains("No module named 'openpyxl'") && std::env::var_os("CI").is_none() {
        eprintln!("\n!!!! SKIPPED: openpyxl is not installed (pip install openpyxl) !!!!\n");
        return None;
    }
    assert!(out.status.success(), "python failed: {stderr}");
    Some(String::from_utf8(out.stdout).unwrap())
}

const READ_XLSX: &str = r#"
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    rows = list(ws.iter_rows(values_only=True))
    out[ws.title] = {
        "rows": ws.max_row,
        "header": [c for c in rows[0]] if rows else [],
        "freeze": ws.freeze_panes,
        "widths": {k: v.width for k, v in ws.column_dimensions.items()},
        "first": [str(c) if c is not None else None for c in rows[1]] if len(rows) > 1 else [],
    }
print(json.dumps(out, ensure_ascii=False))
"#;

#[test]
fn report_xlsx_opens_with_openpyxl() {
    let dir = tempfile::tempdir().unwrap();
    let results = synthetic::results(120, 4);
    let previous = synthetic::results_at(120, 5, "2026-09-30T23:59:59+08:00");
    let w = write_all(&results, Some(&previous), dir.path()).unwrap();
    let Some(out) = python(READ_XLSX, &[w.report_xlsx.to_str().unwrap()]) else {
        return;
    };
    let book: serde_json::Value = serde_json::from_str(&out).unwrap();
    let sheets: Vec<&str> = book.as_object().unwrap().keys().map(String::as_str).collect();
    for want in ["排名", "问题清单", "栏目", "月度对比"] {
        assert!(sheets.contains(&want), "sheet {want} missing: {sheets:?}");
    }
    let findings: usize = results.sites.iter().map(|s| s.findings.len()).sum();
    let columns: usize = results.sites.iter().map(|s| s.columns.len()).sum();
    assert_eq!(book["排名"]["rows"], 121);
    assert_eq!(book["问题清单"]["rows"], findings as u64 + 1);
    assert_eq!(book["栏目"]["rows"], columns as u64 + 1);
    assert_eq!(book["月度对比"]["rows"], 121);
    for sheet in ["排名", "问题清单", "栏目", "月度对比"] {
        assert_eq!(book[sheet]["freeze"], "A2", "{sheet}: frozen header row");
        let widths = book[sheet]["widths"].as_object().unwrap();
        assert!(!widths.is_empty(), "{sheet}: column widths set");
    }
    assert_eq!(book["排名"]["header"][0], "排名");
    assert_eq!(book["排名"]["header"][2], "网站名称");
    let first = results.sites.iter().find(|s| s.rank == 1).unwrap();
    assert_eq!(book["排名"]["first"][1], first.id.as_str());
    assert_eq!(book["排名"]["first"][2], first.name.as_str());
}

#[test]
fn hostile_page_title_is_text_in_report_html_and_site_pages() {
    let dir = tempfile::tempdir().unwrap();
    let mut results = synthetic::results(12, 2);
    synthetic::make_hostile(&mut results);
    let w = write_all(&results, None, dir.path()).unwrap();
    let mut pages = vec![w.report_html.clone()];
    pages.extend(w.site_pages.iter().cloned());
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        let doc = scraper::Html::parse_document(&html);
        for (sel, max) in [("img", 0), ("script", usize::from(page == &w.report_html)), ("[onerror]", 0)] {
            let s = scraper::Selector::parse(sel).unwrap();
            assert!(doc.select(&s).count() <= max, "{}: {sel} from crawled text", page.display());
        }
        let s = scraper::Selector::parse("a[href]").unwrap();
        for a in doc.select(&s) {
            let href = a.value().attr("href").unwrap();
            assert!(
                href.starts_with("http://")
                    || href.starts_with("https://")
                    || href.starts_with("sites/")
                    || href.starts_with('#')
                    || href.starts_with("../report.html"),
                "{}: unexpected link {href}",
                page.display()
            );
        }
    }
    // The hostile site's own page and the report show the title as text.
    let site_page = dir.path().join("sites").join(format!("{}.html", results.sites[0].id));
    for page in [&w.report_html, &site_page] {
        let doc = scraper::Html::parse_document(&std::fs::read_to_string(page).unwrap());
        let text: String = doc.root_element().text().collect();
        assert!(text.contains(synthetic::HOSTILE_TITLE), "{}: title not shown as text", page.display());
    }
}

#[test]
fn month_over_month_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let previous = synthetic::results_at(80, 21, "2026-09-30T23:59:59+08:00");
    let mut results = synthetic::results(80, 22);
    // A site that left the black list, so the bulletin has something certain to report.
    let i = results.sites.iter().position(|s| s.list.is_none() && s.grade == Grade::Good).unwrap();
    let id = results.sites[i].id.clone();
    let mut previous = previous;
    let p = previous.sites.iter_mut().find(|s| s.id == id).unwrap();
    p.grade = Grade::Fail;
    p.list = Some(ListKind::Black);
    p.score = 55.0;
    results.sites[i].score = results.sites[i].score.max(80.0);
    let w = write_all(&results, Some(&previous), dir.path()).unwrap();
    let bulletin = std::fs::read_to_string(&w.bulletin_md).unwrap();
    assert!(bulletin.contains("与上月相比"));
    assert!(bulletin.contains("退出黑榜"));
    let name_escaped: String = results.sites[i].name.clone();
    let left = bulletin.split("退出黑榜").nth(1).unwrap().lines().next().unwrap();
    assert!(left.contains(&name_escaped), "{left}");
    let report = std::fs::read_to_string(&w.report_html).unwrap();
    assert!(report.contains("与上期相比") && report.contains("排名变化"));
    let site = std::fs::read_to_string(dir.path().join("sites").join(format!("{id}.html"))).unwrap();
    assert!(site.contains("上期问题已整改") && site.contains("本期新发现问题"));
    assert!(site.contains("不合格 → 良好"));
    let csv = std::fs::read_to_string(&w.ranking_csv).unwrap();
    assert!(csv.lines().next().unwrap().contains("上月排名"));
}

#[test]
fn refuses_ids_that_are_not_file_names() {
    let dir = tempfile::tempdir().unwrap();
    let mut results = synthetic::results(5, 1);
    results.sites[2].id = "../../etc/passwd".into();
    let err = write_all(&results, None, dir.path()).unwrap_err();
    assert!(err.downcast_ref::<BadInput>().is_some(), "{err:#}");
    assert!(!dir.path().join("etc").exists());
}

#[test]
fn empty_results_still_make_every_report() {
    let dir = tempfile::tempdir().unwrap();
    let results = synthetic::results(0, 1);
    let w = write_all(&results, None, dir.path()).unwrap();
    assert!(w.site_pages.is_empty());
    let bulletin = std::fs::read_to_string(&w.bulletin_md).unwrap();
    assert!(bulletin.contains("本次共检查政府网站0家"));
    assert!(bulletin.contains("本次没有网站列入红榜"));
}
