//! Sites that could not be assessed (未检查), 需人工复核 warnings and finding occurrences, in every report format.
//!
//! The fixture: twelve synthetic sites of which one could not be read (too few pages) and one could not be read but is
//! black-listed because probes found its home page unreachable (veto.unreachable); one assessed site carries a review
//! warning, one black-listed assessed site a finding counted three times. Every file `write_all` writes is read back
//! (the xlsx with openpyxl) and checked: 未检查 and the reason shown, no NaN anywhere, the ranking and every count and
//! average over the assessed sites only, the unreachable site on the black list.
//!
//! Set `GONGKAI_KEEP_REPORT=DIR` to keep the reports of `every_format_shows_not_assessed_sites_apart` in DIR (to look
//! at them in a browser).

use gongkai_config::Grade;
use gongkai_reports::{synthetic, write_all, Written};
use gongkai_scoring::{Finding, FindingKind, ListKind, Results, Review, SiteResult};
use std::path::Path;
use std::process::Command;

const THIN_REASON: &str = "抓取到的页面过少（3 页，少于评估所需的 20 页）";
const DOWN_REASON: &str = "首页无法访问（connect: connection refused）";
const REVIEW_REASON: &str = "识别出的空白栏目（9个）多于首页导航栏目，可能是栏目识别有误";

/// The columns of ranking.csv and of the xlsx 排名 sheet, one order for both: the first nine fixed by the contract
/// (scripts read them by position), 否决项 (the vetoes' Chinese titles) beside the veto ids.
const RANKING_HEAD: [&str; 14] = [
    "排名",
    "网站ID",
    "网站名称",
    "地区",
    "级别",
    "得分",
    "等次",
    "榜单",
    "单项否决",
    "否决项",
    "扣分后得分",
    "加分",
    "问题数",
    "网址",
];

struct Fixture {
    results: Results,
    /// Not assessed, no veto.
    thin: String,
    /// Not assessed, veto.unreachable, black list.
    down: String,
    /// Assessed, with a review warning.
    flagged: String,
    /// Assessed, black-listed, with a finding of 3 occurrences.
    counted: String,
}

fn fixture() -> Fixture {
    // The first seed whose sites include a black-listed one besides those turned into not-assessed ones.
    let mut results = (1..)
        .map(|seed| synthetic::results(12, seed))
        .find(|r| r.sites.iter().filter(|s| s.list == Some(ListKind::Black) && s.rank != 3 && s.rank != 6).count() >= 1)
        .unwrap();
    let by_rank = |r: &Results, k: usize| {
        let mut v: Vec<&SiteResult> = r.sites.iter().collect();
        v.sort_by_key(|s| s.rank);
        v[k].id.clone()
    };
    let thin = by_rank(&results, 2);
    let down = by_rank(&results, 5);
    synthetic::make_not_assessed(&mut results, &thin, THIN_REASON, false);
    synthetic::make_not_assessed(&mut results, &down, DOWN_REASON, true);
    let flagged = by_rank(&results, 2); // rank 1 is index 2 now: the two unranked (rank 0) sort first
    let s = results.sites.iter_mut().find(|s| s.id == flagged).unwrap();
    assert!(s.assessed());
    s.review.push(Review { check: "blank_columns_exceed_navigation".into(), reason: REVIEW_REASON.into() });
    let counted = results
        .sites
        .iter()
        .find(|s| s.assessed() && s.list == Some(ListKind::Black))
        .expect("the fixture has an assessed black-listed site")
        .id
        .clone();
    let s = results.sites.iter_mut().find(|s| s.id == counted).unwrap();
    s.findings.push(Finding {
        rule: "design.broken_links_home".into(),
        title: "首页存在错链断链".into(),
        advice: "修复或删除首页上无法访问的链接。".into(),
        group: Some("design".into()),
        group_name: Some("功能设计".into()),
        kind: FindingKind::Deduction,
        points: 12.0, // the largest deduction, so the bulletin names it
        occurrences: 3,
        message: "首页存在3个错链断链".into(),
        evidence: vec![],
    });
    Fixture { results, thin, down, flagged, counted }
}

fn site<'a>(r: &'a Results, id: &str) -> &'a SiteResult {
    r.sites.iter().find(|s| s.id == id).unwrap()
}

fn assessed(r: &Results) -> Vec<&SiteResult> {
    r.sites.iter().filter(|s| s.assessed()).collect()
}

/// Mean score of the assessed sites, as the reports print it.
fn average_text(r: &Results) -> String {
    let a = assessed(r);
    let mean = a.iter().map(|s| s.score).sum::<f64>() / a.len() as f64;
    let s = format!("{:.2}", (mean * 100.0).round() / 100.0);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn csv_rows(w: &Written) -> Vec<Vec<String>> {
    let bytes = std::fs::read(&w.ranking_csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let mut r = csv::ReaderBuilder::new().has_headers(false).from_reader(&bytes[3..]);
    r.records().map(|rec| rec.unwrap().iter().map(str::to_string).collect()).collect()
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

/// Every sheet's rows, every cell as JSON (numbers as numbers, empty cells as null); a NaN cell fails the script.
const DUMP_XLSX: &str = r#"
import json, math, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
out = {}
for ws in wb.worksheets:
    rows = []
    for row in ws.iter_rows(values_only=True):
        for c in row:
            if isinstance(c, float) and (math.isnan(c) or math.isinf(c)):
                raise SystemExit("non-finite number in sheet " + ws.title)
            if isinstance(c, str) and "nan" in c.lower():
                raise SystemExit("NaN text in sheet " + ws.title + ": " + c)
        rows.append(list(row))
    out[ws.title] = rows
print(json.dumps(out, ensure_ascii=False, default=str))
"#;

fn xlsx(w: &Written) -> Option<serde_json::Value> {
    let out = python(DUMP_XLSX, &[w.report_xlsx.to_str().unwrap()])?;
    Some(serde_json::from_str(&out).unwrap())
}

fn xlsx_row<'a>(sheet: &'a serde_json::Value, id: &str) -> &'a Vec<serde_json::Value> {
    sheet
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap())
        .find(|r| r.get(1).and_then(|c| c.as_str()) == Some(id))
        .unwrap_or_else(|| panic!("no row for {id}"))
}

fn output_dir() -> (Option<tempfile::TempDir>, std::path::PathBuf) {
    match std::env::var_os("GONGKAI_KEEP_REPORT") {
        Some(d) => (None, std::path::PathBuf::from(d)),
        None => {
            let t = tempfile::tempdir().unwrap();
            let p = t.path().to_path_buf();
            (Some(t), p)
        }
    }
}

#[test]
fn every_format_shows_not_assessed_sites_apart() {
    let f = fixture();
    let r = &f.results;
    let (_tmp, dir) = output_dir();
    let w = write_all(r, None, &dir).unwrap();
    let n_assessed = assessed(r).len();
    assert_eq!(n_assessed, 10);
    let avg = average_text(r);
    let assessed_fails = assessed(r).iter().filter(|s| s.grade == Grade::Fail).count();
    let assessed_black = assessed(r).iter().filter(|s| s.list == Some(ListKind::Black)).count();
    assert!(assessed_black > 0);
    let thin = site(r, &f.thin);
    let down = site(r, &f.down);

    // No file says NaN, every one says 未检查 and gives the reasons.
    let thin_page = dir.join("sites").join(format!("{}.html", f.thin));
    let down_page = dir.join("sites").join(format!("{}.html", f.down));
    for p in w.files().filter(|p| !p.extension().is_some_and(|e| e == "xlsx" || e == "docx")) {
        let text = read(p);
        assert!(!text.contains("NaN") && !text.contains("inf分"), "{}: NaN", p.display());
    }
    for p in [&w.results_json, &w.report_html, &w.ranking_csv, &w.bulletin_md] {
        let text = read(p);
        assert!(text.contains("未检查") || p == &w.results_json, "{}: no 未检查", p.display());
        for reason in [THIN_REASON, DOWN_REASON] {
            assert!(text.contains(reason), "{}: reason {reason} missing", p.display());
        }
    }
    for (p, reason) in [(&thin_page, THIN_REASON), (&down_page, DOWN_REASON)] {
        let text = read(p);
        assert!(text.contains("未检查") && text.contains(reason) && text.contains("未排名"), "{}", p.display());
        assert!(!text.contains("id=\"identity\""), "{}: identity table of a site never read", p.display());
    }
    assert!(read(&down_page).contains("首页无法访问") && read(&down_page).contains("黑榜"));

    // results.json: scores null, status not_assessed.
    let json: serde_json::Value = serde_json::from_str(&read(&w.results_json)).unwrap();
    let j = json["sites"].as_array().unwrap().iter().find(|s| s["id"] == f.thin.as_str()).unwrap();
    assert!(j["score"].is_null() && j["deduction_score"].is_null() && j["bonus"].is_null());
    assert_eq!(j["status"], "not_assessed");
    assert_eq!(j["grade"], "未检查");

    // ranking.csv: existing columns first, status columns last; ranked sites 1..n, then the unranked with empty cells.
    let rows = csv_rows(&w);
    assert_eq!(rows[0][..14], RANKING_HEAD);
    assert_eq!(rows[0][14..], ["检查状态", "未检查原因", "需人工复核"]);
    assert_eq!(rows.len(), 13);
    let ranks: Vec<&str> = rows[1..].iter().map(|row| row[0].as_str()).collect();
    let want: Vec<String> = (1..=10).map(|k| k.to_string()).chain(["".into(), "".into()]).collect();
    assert_eq!(ranks, want, "ranked sites first, unranked last with an empty rank");
    for (id, grade, list, reason) in [(&f.thin, "未检查", "", THIN_REASON), (&f.down, "不合格", "黑榜", DOWN_REASON)]
    {
        let row = rows.iter().find(|row| &row[1] == id).unwrap();
        assert_eq!((row[5].as_str(), row[10].as_str(), row[11].as_str()), ("", "", ""), "score cells empty: {row:?}");
        assert_eq!((row[6].as_str(), row[7].as_str()), (grade, list));
        assert_eq!((row[14].as_str(), row[15].as_str()), ("未检查", reason));
    }
    assert_eq!(rows.iter().find(|row| row[1] == f.thin).unwrap()[12], "", "no problem count for a site never read");
    assert_eq!(rows.iter().find(|row| row[1] == f.down).unwrap()[12], "1", "the unreachable veto");
    let row = rows.iter().find(|row| row[1] == f.flagged).unwrap();
    assert_eq!((row[14].as_str(), row[15].as_str(), row[16].as_str()), ("已检查", "", REVIEW_REASON));
    let down_row = rows.iter().find(|row| row[1] == f.down).unwrap();
    assert_eq!((down_row[8].as_str(), down_row[9].as_str()), ("veto.unreachable", "网站无法访问"), "{down_row:?}");

    // bulletin.md: counts and average of the assessed, the not-assessed apart, the unreachable on the black list.
    let b = read(&w.bulletin_md);
    assert!(b.contains(&format!("本次共检查政府网站{n_assessed}家，平均得分{avg}分")), "{b}");
    assert!(b.contains("另有2个网站未能检查（原因："), "{b}");
    assert!(b.contains(&format!("不合格{assessed_fails}家")) && b.contains(&format!("| 不合格 | {assessed_fails} |")));
    assert!(b.contains(&format!("| 合计 | {n_assessed} |")));
    assert!(b.contains("对12家政府网站开展检查，其中10家完成检查、2家未能检查"), "{b}");
    assert!(b.contains(&format!("以下{}家网站列入黑榜，其中检查结果为不合格{assessed_black}家", assessed_black + 1)));
    assert!(b.contains("首页无法访问1家"));
    let black = b.split("黑榜\n").nth(1).unwrap().split("\n## ").next().unwrap();
    // The 黑榜 table (序号 | 地区 | 网站名称 | 问题), worst first: the unreachable site is row 1.
    let entry = black.lines().find(|l| l.starts_with("| 1 | ")).expect("unreachable site listed first");
    assert!(entry.contains(&format!("| {} |", down.name)), "{entry}");
    assert!(entry.contains("首页无法访问") && entry.contains(DOWN_REASON), "{entry}");
    assert!(!entry.contains("排名第0") && !entry.contains("得分"), "{entry}");
    let section = b.split("未检查网站\n").nth(1).expect("a 未检查网站 section").split("\n## ").next().unwrap();
    assert!(section.contains(&thin.name) && section.contains(THIN_REASON));
    assert!(section.contains(&down.name) && section.contains(DOWN_REASON));
    assert!(b.find("、黑榜\n").unwrap() < b.find("未检查网站\n").unwrap());
    assert!(b.contains(&format!("（需人工复核：{REVIEW_REASON}）")), "review warning in the bulletin");

    // report.html: the ranking table holds the assessed only; the others in their own table after it.
    let html = read(&w.report_html);
    let doc = scraper::Html::parse_document(&html);
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    let ranking: Vec<_> = doc.select(&sel("#ranking tbody tr.site-row")).collect();
    assert_eq!(ranking.len(), n_assessed);
    let ranked_names: String = ranking.iter().flat_map(|tr| tr.text()).collect();
    assert!(!ranked_names.contains(&thin.name) && !ranked_names.contains(&down.name));
    let apart: Vec<_> = doc.select(&sel("#unassessed tbody tr.unassessed-row")).collect();
    assert_eq!(apart.len(), 2);
    let apart_text: String = apart.iter().flat_map(|tr| tr.text()).collect();
    assert!(
        apart_text.contains(THIN_REASON) && apart_text.contains(DOWN_REASON) && apart_text.contains("首页无法访问")
    );
    assert!(html.find("id=\"ranking-section\"").unwrap() < html.find("id=\"not-assessed\"").unwrap());
    let stats: Vec<String> = doc.select(&sel("#overview .stat")).map(|e| e.text().collect::<String>()).collect();
    let stat = |label: &str| stats.iter().find(|s| s.contains(label)).unwrap_or_else(|| panic!("{label}: {stats:?}"));
    assert!(stat("平均得分").starts_with(&format!("{avg}平均得分（不含不合格：")), "{stats:?}");
    assert_eq!(stat("已检查网站"), &format!("{n_assessed}已检查网站（家）"));
    assert_eq!(stat("未检查（家）"), "2未检查（家）");
    assert_eq!(stat("不合格（家）"), &format!("{assessed_fails}不合格（家）"));
    assert!(stat("黑榜（家）").starts_with(&format!("{}黑榜", assessed_black + 1)), "{stats:?}");
    assert!(stat("黑榜（家）").contains("含首页无法访问 1 家"), "{stats:?}");
    let histogram: usize = doc
        .select(&sel("#charts figure:first-of-type rect title"))
        .map(|t| t.text().collect::<String>())
        .map(|t| t.split('：').nth(1).unwrap().trim_end_matches(" 家").parse::<usize>().unwrap())
        .sum();
    assert_eq!(histogram, n_assessed, "the score distribution counts the assessed sites only");

    // The review warning and the occurrence count.
    let flagged_row = ranking.iter().find(|tr| tr.inner_html().contains(&format!("sites/{}.html", f.flagged))).unwrap();
    assert!(flagged_row.inner_html().contains("需人工复核") && flagged_row.inner_html().contains(REVIEW_REASON));
    let flagged_page = read(&dir.join("sites").join(format!("{}.html", f.flagged)));
    assert!(flagged_page.contains("需人工复核") && flagged_page.contains(REVIEW_REASON));
    let counted_page = read(&dir.join("sites").join(format!("{}.html", f.counted)));
    assert!(counted_page.contains("<span class=\"occ\">3处</span>"), "occurrences on the site page");
    assert!(html.contains("<span class=\"occ\">3处</span>"), "occurrences in report.html");
    let counted_entry = b.lines().find(|l| l.contains(&format!("| {} |", site(r, &f.counted).name))).unwrap();
    assert!(counted_entry.contains("首页存在错链断链（3处，扣12分）"), "{counted_entry}");

    // report.xlsx, read back with openpyxl.
    let Some(book) = xlsx(&w) else { return };
    let sheet = &book["排名"];
    let header: Vec<&str> = sheet[0].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert_eq!(header[..14], RANKING_HEAD);
    assert_eq!(header[14..], ["检查状态", "未检查原因", "需人工复核"]);
    for (id, reason) in [(&f.thin, THIN_REASON), (&f.down, DOWN_REASON)] {
        let row = xlsx_row(sheet, id);
        assert!(row[0].is_null() && row[5].is_null() && row[10].is_null() && row[11].is_null(), "{row:?}");
        assert_eq!(row[14], "未检查");
        assert_eq!(row[15], reason);
    }
    assert_eq!(xlsx_row(sheet, &f.down)[7], "黑榜");
    assert_eq!(xlsx_row(sheet, &f.flagged)[16], REVIEW_REASON);
    assert_eq!(xlsx_row(sheet, &f.down)[9], "网站无法访问", "veto titles in the sheet");
    let first_ranked = sheet[1].as_array().unwrap();
    assert_eq!(first_ranked[0].as_f64(), Some(1.0));
    let summary = book["汇总"].as_array().unwrap();
    let head: Vec<&str> = summary[0].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let total = summary[1].as_array().unwrap();
    assert_eq!(total[1], "合计");
    assert_eq!(total[col("网站数")].as_f64(), Some(12.0));
    assert_eq!(total[col("已检查")].as_f64(), Some(10.0));
    assert_eq!(total[col("未检查")].as_f64(), Some(2.0));
    assert_eq!(format!("{}", total[col("平均得分")].as_f64().unwrap()), avg);
    assert_eq!(total[col("不合格")].as_f64(), Some(assessed_fails as f64));
    assert_eq!(total[col("黑榜")].as_f64(), Some((assessed_black + 1) as f64));
    assert_eq!(total[col("需人工复核")].as_f64(), Some(1.0));
    let findings = book["问题清单"].as_array().unwrap();
    let head: Vec<&str> = findings[0].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert_eq!(head.last(), Some(&"处数"));
    let occ = findings
        .iter()
        .find(|row| row[4] == "design.broken_links_home" && row[1] == f.counted.as_str())
        .expect("the counted finding");
    assert_eq!(occ[head.len() - 1].as_f64(), Some(3.0));
    let down_veto = findings.iter().find(|row| row[1] == f.down.as_str()).expect("the unreachable veto");
    assert!(down_veto[0].is_null(), "no rank for an unranked site: {down_veto:?}");
}

#[test]
fn reasons_and_review_text_from_crawls_are_escaped() {
    let mut f = fixture();
    let hostile = synthetic::HOSTILE_TITLE;
    for s in &mut f.results.sites {
        if s.id == f.thin {
            s.status_reason = Some(format!("首页无法访问（{hostile}）"));
        }
        if s.id == f.flagged || s.id == f.down {
            s.review = vec![Review { check: "x<b>".into(), reason: format!("=[链接](javascript:1){hostile}") }];
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let w = write_all(&f.results, None, dir.path()).unwrap();
    for p in std::iter::once(w.report_html.clone()).chain(w.site_pages.iter().cloned()) {
        let html = read(&p);
        assert!(!html.contains(hostile), "{}: raw hostile text", p.display());
        let doc = scraper::Html::parse_document(&html);
        for bad in ["img", "b", "[onerror]"] {
            let s = scraper::Selector::parse(bad).unwrap();
            assert_eq!(doc.select(&s).count(), 0, "{}: <{bad}> made from crawled text", p.display());
        }
    }
    let html = read(&w.report_html);
    let text: String = scraper::Html::parse_document(&html).root_element().text().collect();
    assert!(text.contains(hostile), "hostile reason shown as text");
    let b = read(&w.bulletin_md);
    assert!(b.contains("\\<script>alert") && b.contains("\\[链接\\](javascript:1)"), "bulletin escapes: {b}");
    assert!(!b.replace("\\<", "").contains('<'), "an unescaped < in the bulletin");
    let rows = csv_rows(&w);
    let row = rows.iter().find(|row| row[1] == f.flagged).unwrap();
    assert!(row[16].starts_with("'="), "a formula-like review reason is neutralised: {}", row[16]);
}

#[test]
fn month_over_month_has_no_deltas_for_sites_not_assessed_in_either_month() {
    let f = fixture();
    let cur = &f.results;
    // Last month: `thin` was assessed (now it is not), `down` was not assessed either, `back` was not assessed but is now.
    let mut prev = cur.clone();
    prev.assessment.as_of = "2026-09-30T23:59:59+08:00".into();
    let thin_before = synthetic::results(12, 1).sites.into_iter().find(|s| s.id == f.thin).unwrap();
    *prev.sites.iter_mut().find(|s| s.id == f.thin).unwrap() = thin_before;
    let back = assessed(cur).iter().find(|s| s.id != f.flagged && s.id != f.counted).unwrap().id.clone();
    synthetic::make_not_assessed(&mut prev, &f.down, DOWN_REASON, false);
    synthetic::make_not_assessed(&mut prev, &back, THIN_REASON, false);
    let prev_thin = site(&prev, &f.thin).clone();
    assert!(prev_thin.assessed());

    let c = gongkai_reports::compare(cur, &prev);
    for id in [&f.thin, &f.down, &back] {
        let ch = c.site(id).unwrap();
        assert!(ch.previous.is_some());
        assert!(ch.comparable().is_none(), "{id}");
        assert_eq!((ch.score_change(), ch.rank_change(), ch.grade_change()), (None, None, None), "{id}");
        assert!(!ch.improved() && !ch.fell_back(), "{id}");
    }
    assert!(c.site(&f.thin).unwrap().fixed_findings.is_empty(), "a site not read fixed nothing");
    assert_eq!(c.site(&f.thin).unwrap().rank_change_text(), "本期未检查");
    assert_eq!(c.site(&back).unwrap().rank_change_text(), "上期未检查");

    let dir = tempfile::tempdir().unwrap();
    let w = write_all(cur, Some(&prev), dir.path()).unwrap();
    for p in w.files().filter(|p| !p.extension().is_some_and(|e| e == "xlsx" || e == "docx")) {
        assert!(!read(p).contains("NaN"), "{}: NaN", p.display());
    }
    let rows = csv_rows(&w);
    let col = |name: &str| rows[0].iter().position(|h| h == name).unwrap();
    let row = rows.iter().find(|row| row[1] == f.thin).unwrap();
    assert_eq!(row[col("上月排名")], prev_thin.rank.to_string());
    assert_eq!(row[col("上月得分")].parse::<f64>().unwrap(), prev_thin.score);
    assert_eq!((row[col("排名变化")].as_str(), row[col("得分变化")].as_str()), ("", ""));
    let row = rows.iter().find(|row| row[1] == f.down).unwrap();
    assert_eq!(row[col("上月排名")], "上期未检查");
    assert_eq!((row[col("上月得分")].as_str(), row[col("得分变化")].as_str()), ("", ""));
    assert_eq!(rows[0][rows[0].len() - 3..], ["检查状态", "未检查原因", "需人工复核"], "status columns stay last");

    let page = read(&dir.path().join("sites").join(format!("{}.html", f.thin)));
    assert!(page.contains("本期未检查") && page.contains("不作比较"), "site page of a site not assessed now");
    assert!(!page.contains("上期问题已整改"));
    let page = read(&dir.path().join("sites").join(format!("{back}.html")));
    assert!(page.contains("上期未检查") && page.contains("不作比较"));

    let b = read(&w.bulletin_md);
    let changes = b.split("与上月相比").nth(1).unwrap().split("\n## ").next().unwrap();
    let tables: String = changes.lines().filter(|l| l.starts_with("| ")).collect();
    for id in [&f.thin, &f.down, &back] {
        assert!(!tables.contains(&site(cur, id).name), "{id} in a change table: {tables}");
    }
    let line = changes.lines().find(|l| l.contains("不作比较")).expect("sites not compared are named");
    assert!(line.contains(&format!("{}（本期未检查）", site(cur, &f.thin).name)), "{line}");
    assert!(line.contains(&format!("{}（上期未检查）", site(cur, &back).name)), "{line}");
    assert!(!changes.contains(&format!("退出黑榜1家：{}", site(cur, &f.thin).name)));

    let html = read(&w.report_html);
    assert!(html.contains("本期或上期未检查，不作比较"));

    let Some(book) = xlsx(&w) else { return };
    let sheet = &book["月度对比"];
    let row = xlsx_row(sheet, &f.thin);
    assert_eq!(row[5], "本期未检查", "no score change: {row:?}");
    assert!(row[3].is_null(), "no score this month: {row:?}");
    let row = xlsx_row(sheet, &back);
    assert_eq!(row[5], "上期未检查");
    assert!(row[4].is_null() && row[6].is_null(), "nothing from a month the site was not assessed: {row:?}");
}
