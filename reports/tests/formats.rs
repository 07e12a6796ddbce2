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
    for want in ["汇总", "排名", "问题清单", "栏目", "月度对比"] {
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

/// What a printing office and a spreadsheet user see: sheet order, hyperlinks, date cells, wrapped evidence, print
/// setup, document properties and the 汇总 sheet's figures.
const INSPECT_XLSX: &str = r#"
import datetime, json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": wb.sheetnames, "title": wb.properties.title, "creator": wb.properties.creator, "print": {}}
import zipfile, re
app = zipfile.ZipFile(sys.argv[1]).read("docProps/app.xml").decode()
m = re.search(r"<Company>(.*?)</Company>", app)
out["company"] = m.group(1) if m else None
for ws in wb.worksheets:
    ps = ws.page_setup
    out["print"][ws.title] = {
        "orientation": ps.orientation,
        "paper": str(ps.paperSize),
        "fit_width": ws.sheet_properties.pageSetUpPr.fitToPage if ws.sheet_properties.pageSetUpPr else None,
        # OOXML's default for fitToWidth is 1, so writers (rust_xlsxwriter) leave it out and openpyxl reads None.
        "fitToWidth": 1 if ps.fitToWidth is None else int(ps.fitToWidth),
        "fitToHeight": None if ps.fitToHeight is None else int(ps.fitToHeight),
        "title_rows": ws.print_title_rows,
    }
rk = wb["排名"]
head = [c.value for c in rk[1]]
url_col = head.index("网址") + 1
cell = rk.cell(row=2, column=url_col)
out["ranking_link"] = [cell.value, cell.hyperlink.target if cell.hyperlink else None]
cols = wb["栏目"]
chead = [c.value for c in cols[1]]
dcol = chead.index("最新日期") + 1
dates = [r[dcol - 1] for r in cols.iter_rows(min_row=2) if r[dcol - 1].value is not None]
out["date_cell"] = [type(dates[0].value).__name__, dates[0].number_format, dates[0].value.strftime("%Y-%m-%d")]
fs = wb["问题清单"]
fhead = [c.value for c in fs[1]]
ev = [r[fhead.index("观察到")] for r in fs.iter_rows(min_row=2) if r[fhead.index("观察到")].value]
out["evidence_wrapped"] = all(c.alignment.wrap_text for c in ev)
sm = wb["汇总"]
rows = [[c.value for c in r] for r in sm.iter_rows()]
out["summary"] = rows
out["summary_rate_format"] = sm.cell(row=2, column=rows[0].index("合格率") + 1).number_format
print(json.dumps(out, ensure_ascii=False, default=str))
"#;

#[test]
fn report_xlsx_has_summary_links_dates_and_print_setup() {
    let dir = tempfile::tempdir().unwrap();
    let mut results = synthetic::results(60, 7);
    let thin = results.sites[5].id.clone();
    synthetic::make_not_assessed(&mut results, &thin, "抓取到的页面过少", false);
    results.assessment.period = Some("2026-10".into());
    results.assessment.issuer = Some("示范省人民政府办公厅".into());
    let w = write_all(&results, None, dir.path()).unwrap();
    let Some(out) = python(INSPECT_XLSX, &[w.report_xlsx.to_str().unwrap()]) else {
        return;
    };
    let book: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(book["sheets"], serde_json::json!(["汇总", "排名", "问题清单", "栏目"]), "汇总 first");
    assert_eq!(book["title"], "2026年10月政府网站检查结果");
    assert_eq!(book["creator"], "示范省人民政府办公厅");
    assert_eq!(book["company"], "示范省人民政府办公厅");
    for (sheet, p) in book["print"].as_object().unwrap() {
        assert_eq!(p["orientation"], "landscape", "{sheet}: {p}");
        assert_eq!(p["paper"], "9", "{sheet}: A4: {p}");
        assert_eq!(p["fit_width"], true, "{sheet}: fit to page: {p}");
        assert_eq!((p["fitToWidth"].as_u64(), p["fitToHeight"].as_u64()), (Some(1), Some(0)), "{sheet}: {p}");
        assert_eq!(p["title_rows"], "$1:$1", "{sheet}: header row repeated: {p}");
    }
    let first = crate_first_ranked(&results);
    assert_eq!(book["ranking_link"][0], first.url.as_str());
    assert_eq!(book["ranking_link"][1], first.url.as_str(), "the 网址 cell is a hyperlink");
    assert_eq!(book["date_cell"][0], "datetime", "最新日期 is a date cell: {}", book["date_cell"]);
    assert_eq!(book["date_cell"][1], "yyyy-mm-dd");
    assert_eq!(book["evidence_wrapped"], true);
    assert_eq!(book["summary_rate_format"], "0.0%");

    // 汇总: the total row, one row per city (region[1]) and per level, the definition in a note row.
    let rows = book["summary"].as_array().unwrap();
    let head: Vec<&str> = rows[0].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap_or_else(|| panic!("{name}: {head:?}"));
    let assessed: Vec<_> = results.sites.iter().filter(|s| s.assessed()).collect();
    let passed = assessed.iter().filter(|s| s.grade != Grade::Fail).count();
    let total = rows[1].as_array().unwrap();
    assert_eq!(total[col("名称")], "合计");
    assert_eq!(total[col("未检查")].as_f64(), Some(1.0));
    let ok_scores: Vec<f64> = assessed.iter().filter(|s| s.grade != Grade::Fail).map(|s| s.score).collect();
    let ok_mean = ok_scores.iter().sum::<f64>() / ok_scores.len() as f64;
    let got = total[col("平均得分（不含不合格）")].as_f64().unwrap();
    assert!((got - ok_mean).abs() < 0.006, "mean without 不合格 sites: {got} vs {ok_mean}");
    let rate = total[col("合格率")].as_f64().unwrap();
    assert!((rate - passed as f64 / assessed.len() as f64).abs() < 1e-9, "合格率 {rate}");
    let cities: std::collections::BTreeSet<&str> =
        results.sites.iter().map(|s| s.region.get(1).map(String::as_str).unwrap_or("省本级")).collect();
    let city_rows: Vec<&str> =
        rows.iter().filter(|r| r[0] == "地市").map(|r| r[col("名称")].as_str().unwrap()).collect();
    assert_eq!(city_rows.iter().copied().collect::<std::collections::BTreeSet<_>>(), cities);
    for city in &city_rows {
        let row = rows.iter().find(|r| r[0] == "地市" && r[col("名称")] == *city).unwrap();
        let sites: Vec<_> =
            assessed.iter().filter(|s| s.region.get(1).map(String::as_str).unwrap_or("省本级") == *city).collect();
        let want = sites.iter().filter(|s| s.grade != Grade::Fail).count() as f64 / sites.len() as f64;
        if sites.is_empty() {
            assert!(row[col("合格率")].is_null());
        } else {
            assert!((row[col("合格率")].as_f64().unwrap() - want).abs() < 1e-9, "{city}: {row:?}");
        }
    }
    assert!(rows.iter().any(|r| r[0] == "级别"));
    let note = rows.last().unwrap()[0].as_str().unwrap();
    assert!(note.starts_with("合格率 = ") && note.contains("未检查"), "{note}");
}

fn crate_first_ranked(results: &gongkai_scoring::Results) -> &gongkai_scoring::SiteResult {
    results.sites.iter().find(|s| s.assessed() && s.rank == 1).unwrap()
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

#[test]
fn report_html_shows_period_issuer_and_pass_rate() {
    let dir = tempfile::tempdir().unwrap();
    let mut results = synthetic::results_at(30, 3, "2026-12-02T10:00:00+08:00");
    results.assessment.period = Some("2026-11".into());
    results.assessment.issuer = Some("示范省人民政府办公厅<b>".into());
    let w = write_all(&results, None, dir.path()).unwrap();
    let html = std::fs::read_to_string(&w.report_html).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let h1: String = doc.select(&sel("header h1")).next().unwrap().text().collect();
    assert_eq!(h1, "2026年11月政府网站检查报告", "the period, not the month of the run");
    let sub: String = doc.select(&sel("header .sub")).next().unwrap().text().collect();
    assert!(sub.contains("发布单位：示范省人民政府办公厅<b>"), "issuer shown, as text: {sub}");
    assert!(!html.contains("办公厅<b>"), "issuer escaped");
    let passed = results.sites.iter().filter(|s| s.grade != Grade::Fail).count();
    let want = format!("{}%", gongkai_reports_fmt(passed as f64 * 100.0 / 30.0));
    let card: String = doc.select(&sel("#overview .stat.pass-rate")).next().expect("a 合格率 card").text().collect();
    assert!(card.starts_with(&want) && card.contains("合格率"), "{card} (want {want})");
    // Without the fields (an older results.json) the header has neither.
    results.assessment.period = None;
    results.assessment.issuer = None;
    let w = write_all(&results, None, dir.path()).unwrap();
    let html = std::fs::read_to_string(&w.report_html).unwrap();
    assert!(!html.contains("发布单位"));
}

/// Points as the reports print them (`66.67`, `70`).
fn gongkai_reports_fmt(x: f64) -> String {
    let s = format!("{:.2}", (x * 100.0).round() / 100.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}
