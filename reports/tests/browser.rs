//! report.html and sites/*.html opened in headless Chromium: no console errors (script errors, CSP violations), the
//! page's script runs, sorts and filters, and hostile crawled text stays text.
//!
//! Console messages are read from Chromium's own log (`--enable-logging=stderr --v=0` prints every console message as
//! an `INFO:CONSOLE` line, whatever its level); the report's script logs nothing, so any console line is a failure.
//! The DOM after load comes from `--dump-dom`. A control test feeds a deliberately broken page through the same
//! harness, so the harness itself is shown able to see errors.
//!
//! Layout: at a 400 px wide screen the page must not scroll sideways (`document.documentElement.scrollWidth` ≤ 400),
//! charts must fit the screen and the 整改清单's 问题 cells must be readable. A copy of the page, with its
//! Content-Security-Policy removed so a measuring script may run, is shown in a 400 px wide iframe (headless Chromium
//! will not make its window narrower than 500 px) and posts its figures to the wrapper page, which writes them into
//! the DOM that `--dump-dom` prints. Printed to PDF the
//! report must be A4 landscape with the ranking's last column (问题数) on the page.
//!
//! Without Chromium the tests fail when the `CI` environment variable is set, and skip loudly otherwise.

use gongkai_config::Level;
use gongkai_reports::synthetic;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn chromium() -> Option<PathBuf> {
    for name in ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"] {
        if let Ok(out) = Command::new("which").arg(name).output() {
            if out.status.success() {
                let p = String::from_utf8_lossy(&out.stdout).trim().to_string();
                if !p.is_empty() {
                    return Some(PathBuf::from(p));
                }
            }
        }
    }
    None
}

/// Chromium, or `None` after saying loudly why the test is skipped (panics under CI).
fn chromium_or_skip(test: &str) -> Option<PathBuf> {
    match chromium() {
        Some(p) => Some(p),
        None if std::env::var_os("CI").is_some() => {
            panic!("{test}: Chromium is not installed (looked for chromium, chromium-browser, google-chrome); CI must install it")
        }
        None => {
            eprintln!("\n!!!! {test}: SKIPPED — Chromium is not installed; install it (apt-get install chromium) to run this test !!!!\n");
            None
        }
    }
}

struct Loaded {
    dom: String,
    console: Vec<String>,
}

/// Load `url` in headless Chromium; the DOM after load and every console message.
fn load(chrome: &Path, url: &str) -> Loaded {
    load_with(chrome, url, &[])
}

/// [`load`] with more Chromium flags (`--window-size=400,2000`).
fn load_with(chrome: &Path, url: &str, extra: &[&str]) -> Loaded {
    let profile = tempfile::tempdir().unwrap();
    let mut child = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=3000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg("--dump-dom")
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting chromium");
    let stdout = child.stdout.take().unwrap();
    let stderr = child.stderr.take().unwrap();
    let out_reader = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    let err_reader = std::thread::spawn(move || std::io::read_to_string(stderr).unwrap_or_default());
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            panic!("chromium did not finish loading {url} within 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let dom = out_reader.join().unwrap();
    let log = err_reader.join().unwrap();
    let console = log.lines().filter(|l| l.contains(":CONSOLE")).map(str::to_string).collect();
    Loaded { dom, console }
}

fn file_url(path: &Path) -> String {
    url::Url::from_file_path(path.canonicalize().unwrap()).unwrap().to_string()
}

/// (data-level, data-score) of the rows the page shows after its script ran, in display order.
fn visible_rows(dom: &str) -> Vec<(String, f64)> {
    let doc = scraper::Html::parse_document(dom);
    let sel = scraper::Selector::parse("#ranking tbody tr.site-row").unwrap();
    doc.select(&sel)
        .filter(|tr| tr.value().attr("hidden").is_none())
        .map(|tr| {
            (
                tr.value().attr("data-level").unwrap().to_string(),
                tr.value().attr("data-score").unwrap().parse().unwrap(),
            )
        })
        .collect()
}

#[test]
fn harness_sees_console_errors_of_a_broken_page() {
    let Some(chrome) = chromium_or_skip("harness_sees_console_errors_of_a_broken_page") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let page = dir.path().join("broken.html");
    std::fs::write(&page, "<!doctype html><html><body><p>x</p><script>document.body.dataset.ran='1'; notDefined();</script></body></html>")
        .unwrap();
    let loaded = load(&chrome, &file_url(&page));
    assert!(loaded.dom.contains("data-ran=\"1\""), "dump-dom shows the DOM after script: {}", loaded.dom);
    assert!(
        loaded.console.iter().any(|l| l.contains("notDefined")),
        "the harness must see an uncaught error; console lines: {:?}",
        loaded.console
    );
}

#[test]
fn report_page_runs_without_console_errors_sorts_and_filters() {
    let Some(chrome) = chromium_or_skip("report_page_runs_without_console_errors_sorts_and_filters") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let previous = synthetic::results_at(150, 2, "2026-09-30T23:59:59+08:00");
    let mut results = synthetic::results(150, 1);
    synthetic::make_hostile(&mut results);
    let written = gongkai_reports::write_all(&results, Some(&previous), dir.path()).unwrap();

    // Plain load: the script runs, shows every row in rank order, logs nothing.
    let plain = load(&chrome, &file_url(&written.report_html));
    assert!(plain.console.is_empty(), "console messages on report.html: {:#?}", plain.console);
    assert!(plain.dom.contains("data-ready=\"1\""), "the page's script did not finish");
    assert!(plain.dom.contains("data-sorted=\"rank\""));
    assert_eq!(visible_rows(&plain.dom).len(), 150);

    // A view in the address: county sites only, best score first — exercises filtering and sorting.
    let url = format!("{}#sort=-score&level=county", file_url(&written.report_html));
    let view = load(&chrome, &url);
    assert!(view.console.is_empty(), "console messages on {url}: {:#?}", view.console);
    assert!(view.dom.contains("data-sorted=\"-score\""));
    let rows = visible_rows(&view.dom);
    let counties = results.sites.iter().filter(|s| s.level == Level::County).count();
    assert!(counties > 10);
    assert_eq!(rows.len(), counties, "filter by level");
    assert!(rows.iter().all(|(level, _)| level == "county"));
    assert!(rows.windows(2).all(|w| w[0].1 >= w[1].1), "sorted by score, descending: {rows:?}");
    assert!(view.dom.contains(&format!("data-shown=\"{counties}\"")));

    // Region filter (exact group, so the province's own site is not in every city) and a text sort.
    let group = "示范省/东湖市/";
    let in_group =
        results.sites.iter().filter(|s| s.region.len() >= 2 && s.region[..2].join("/") + "/" == group).count();
    let url = format!("{}#region={}&sort=name", file_url(&written.report_html), group.replace('/', "%2F"));
    let by_region = load(&chrome, &url);
    assert!(by_region.console.is_empty(), "console messages on {url}: {:#?}", by_region.console);
    assert!(by_region.dom.contains("data-sorted=\"name\""));
    assert!(in_group > 3 && in_group < 150);
    assert!(by_region.dom.contains(&format!("data-shown=\"{in_group}\"")), "region filter shows {in_group} sites");

    // The hostile title is in the DOM as text, and no element came out of it.
    let doc = scraper::Html::parse_document(&view.dom);
    let imgs = scraper::Selector::parse("img").unwrap();
    assert_eq!(doc.select(&imgs).count(), 0, "an <img> was created from crawled text");
    let scripts = scraper::Selector::parse("script").unwrap();
    assert_eq!(doc.select(&scripts).count(), 1, "only the report's own script");
    let text: String = doc.root_element().text().collect();
    assert!(text.contains(synthetic::HOSTILE_TITLE), "hostile title shown as text");
    let js_links = scraper::Selector::parse("a[href^='javascript' i]").unwrap();
    assert_eq!(doc.select(&js_links).count(), 0, "a javascript: link");
}

/// Defence in depth: were escaping ever to fail, the page's Content-Security-Policy still refuses a script that is not
/// the report's own.
#[test]
fn content_security_policy_blocks_an_injected_script() {
    let Some(chrome) = chromium_or_skip("content_security_policy_blocks_an_injected_script") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let results = synthetic::results(5, 1);
    let w = gongkai_reports::write_all(&results, None, dir.path()).unwrap();
    let html = std::fs::read_to_string(&w.report_html).unwrap();
    let injected =
        html.replace("</main>", "</main><script>document.documentElement.setAttribute('data-pwned','1')</script>");
    assert_ne!(html, injected);
    let page = dir.path().join("injected.html");
    std::fs::write(&page, injected).unwrap();
    let loaded = load(&chrome, &file_url(&page));
    assert!(!loaded.dom.contains("data-pwned=\"1\""), "the injected script ran");
    assert!(loaded.dom.contains("data-ready=\"1\""), "the report's own script still runs");
    assert!(
        loaded.console.iter().any(|l| l.contains("Content Security Policy")),
        "Chromium reports the refused script: {:?}",
        loaded.console
    );
}

#[test]
fn site_pages_load_without_console_errors_and_show_hostile_text_as_text() {
    let Some(chrome) = chromium_or_skip("site_pages_load_without_console_errors_and_show_hostile_text_as_text") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut results = synthetic::results(20, 3);
    synthetic::make_hostile(&mut results);
    let written = gongkai_reports::write_all(&results, None, dir.path()).unwrap();
    let hostile = dir.path().join("sites").join(format!("{}.html", results.sites[0].id));
    assert!(written.site_pages.contains(&hostile));
    let loaded = load(&chrome, &file_url(&hostile));
    assert!(loaded.console.is_empty(), "console messages on the site page: {:#?}", loaded.console);
    let doc = scraper::Html::parse_document(&loaded.dom);
    for tag in ["img", "script"] {
        let sel = scraper::Selector::parse(tag).unwrap();
        assert_eq!(doc.select(&sel).count(), 0, "<{tag}> on the site page");
    }
    let title = scraper::Selector::parse("title").unwrap();
    let title: String = doc.select(&title).next().unwrap().text().collect();
    assert!(title.contains(synthetic::HOSTILE_TITLE), "title shown as text: {title}");
}

/// Not-assessed sites (未检查) and review warnings: the page still loads cleanly, the ranking table (which the script
/// sorts and filters) holds the assessed sites only, and the not-assessed ones are listed apart with their reasons.
#[test]
fn report_with_not_assessed_sites_loads_cleanly_and_ranks_them_apart() {
    let Some(chrome) = chromium_or_skip("report_with_not_assessed_sites_loads_cleanly_and_ranks_them_apart") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut results = synthetic::results(30, 4);
    let mut ids: Vec<String> = results.sites.iter().map(|s| s.id.clone()).collect();
    ids.sort();
    synthetic::make_not_assessed(&mut results, &ids[3], "抓取未完成（抓取被中断且尚未续抓）", false);
    synthetic::make_not_assessed(&mut results, &ids[7], "首页无法访问（dns: no such host）", true);
    results.sites[0]
        .review
        .push(gongkai_scoring::Review { check: "x".into(), reason: "栏目识别可能有误".into() });
    let written = gongkai_reports::write_all(&results, None, dir.path()).unwrap();
    let url = format!("{}#sort=-score", file_url(&written.report_html));
    let loaded = load(&chrome, &url);
    assert!(loaded.console.is_empty(), "console messages: {:#?}", loaded.console);
    assert!(loaded.dom.contains("data-ready=\"1\""));
    let rows = visible_rows(&loaded.dom);
    assert_eq!(rows.len(), 28, "the ranking shows the assessed sites only");
    assert!(rows.windows(2).all(|w| w[0].1 >= w[1].1), "sorted by score: {rows:?}");
    let doc = scraper::Html::parse_document(&loaded.dom);
    let sel = scraper::Selector::parse("#unassessed tr.unassessed-row").unwrap();
    let apart: Vec<String> = doc.select(&sel).map(|tr| tr.text().collect()).collect();
    assert_eq!(apart.len(), 2);
    assert!(apart.iter().any(|t| t.contains("抓取未完成")) && apart.iter().any(|t| t.contains("dns: no such host")));
    assert!(!loaded.dom.contains("NaN"));
    for id in [&ids[3], &ids[7]] {
        let page = dir.path().join("sites").join(format!("{id}.html"));
        let loaded = load(&chrome, &file_url(&page));
        assert!(loaded.console.is_empty(), "console messages on {id}: {:#?}", loaded.console);
        assert!(loaded.dom.contains("未检查") && !loaded.dom.contains("NaN"));
    }
}

/// Measures the page after load and writes the figures as JSON into `<pre id="measure">`.
const MEASURE_JS: &str = r#"
window.addEventListener('load', function () {
  var vw = window.innerWidth;
  var charts = Array.prototype.map.call(document.querySelectorAll('svg.chart'), function (e) {
    var r = e.getBoundingClientRect(); return [Math.round(r.left), Math.round(r.right)];
  });
  var problems = Array.prototype.map.call(document.querySelectorAll('table.findings td.wide'), function (e) {
    return Math.round(e.getBoundingClientRect().width);
  });
  parent.postMessage(JSON.stringify({
    viewport: vw, scroll_width: document.documentElement.scrollWidth, charts: charts, problems: problems
  }), '*');
});
"#;

/// The page that frames the measured copy at a given width and keeps what it posts.
const WRAPPER_HTML: &str = r#"<!doctype html><html><body style="margin:0">
<iframe src="SRC" width="WIDTH" height="2000" style="border:0;display:block"></iframe>
<script>window.addEventListener('message', function (e) {
  var out = document.createElement('pre'); out.id = 'measure'; out.textContent = e.data; document.body.appendChild(out);
});</script></body></html>"#;

/// `page` copied with its Content-Security-Policy removed and [`MEASURE_JS`] added, shown `width` px wide; the figures.
fn measure(chrome: &Path, page: &Path, width: u32) -> serde_json::Value {
    let html = std::fs::read_to_string(page).unwrap();
    let start = html.find("<meta http-equiv=\"Content-Security-Policy\"").expect("the page has a CSP meta");
    let end = start + html[start..].find('>').unwrap() + 1;
    let measured = format!("{}{}", &html[..start], &html[end..])
        .replace("</body>", &format!("<script>{MEASURE_JS}</script></body>"));
    let copy = page.with_file_name(format!("measured-{}", page.file_name().unwrap().to_string_lossy()));
    std::fs::write(&copy, measured).unwrap();
    let wrapper = page.with_file_name(format!("wrapper-{}", page.file_name().unwrap().to_string_lossy()));
    let src = copy.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::write(&wrapper, WRAPPER_HTML.replace("SRC", &src).replace("WIDTH", &width.to_string())).unwrap();
    let size = format!("--window-size={},2200", width.max(500) + 40);
    let loaded = load_with(chrome, &file_url(&wrapper), &[&size]);
    assert!(loaded.console.is_empty(), "console messages on {}: {:#?}", copy.display(), loaded.console);
    let doc = scraper::Html::parse_document(&loaded.dom);
    let sel = scraper::Selector::parse("pre#measure").unwrap();
    let text: String = doc.select(&sel).next().expect("the measuring script ran and posted").text().collect();
    serde_json::from_str(&text).unwrap()
}

#[test]
fn report_and_site_pages_fit_a_400_px_screen() {
    let Some(chrome) = chromium_or_skip("report_and_site_pages_fit_a_400_px_screen") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let previous = synthetic::results_at(80, 6, "2026-09-30T23:59:59+08:00");
    let mut results = synthetic::results(80, 5);
    synthetic::make_hostile(&mut results);
    let written = gongkai_reports::write_all(&results, Some(&previous), dir.path()).unwrap();
    let report = measure(&chrome, &written.report_html, 400);
    assert_eq!(report["viewport"], 400, "{report}");
    assert!(report["scroll_width"].as_u64().unwrap() <= 400, "report.html scrolls sideways at 400 px: {report}");
    let charts = report["charts"].as_array().unwrap();
    assert_eq!(charts.len(), 3, "{report}");
    for c in charts {
        assert!(c[0].as_i64().unwrap() >= 0 && c[1].as_i64().unwrap() <= 400, "a chart is clipped: {report}");
    }
    // The site with the most findings: its 整改清单's problem text gets (nearly) the whole width.
    let site = results.sites.iter().max_by_key(|s| s.findings.len()).unwrap();
    let page = dir.path().join("sites").join(format!("{}.html", site.id));
    let m = measure(&chrome, &page, 400);
    assert!(m["scroll_width"].as_u64().unwrap() <= 400, "sites/{}.html scrolls sideways at 400 px: {m}", site.id);
    let problems = m["problems"].as_array().unwrap();
    assert!(!problems.is_empty(), "{m}");
    assert!(problems.iter().all(|w| w.as_u64().unwrap() >= 300), "问题 cells narrower than 300 px at 400 px: {m}");
    // The same page on a desktop keeps its table (the cells are not stacked).
    let wide = measure(&chrome, &page, 1400);
    assert!(wide["problems"].as_array().unwrap().iter().all(|w| w.as_u64().unwrap() < 1300), "{wide}");
}

/// Printed (Chromium's print to PDF), report.html is A4 landscape and the ranking's last column is on the page.
#[test]
fn report_prints_on_a4_landscape_with_every_ranking_column() {
    let Some(chrome) = chromium_or_skip("report_prints_on_a4_landscape_with_every_ranking_column") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let previous = synthetic::results_at(40, 8, "2026-09-30T23:59:59+08:00");
    let results = synthetic::results(40, 7);
    let written = gongkai_reports::write_all(&results, Some(&previous), dir.path()).unwrap();
    let pdf = dir.path().join("report.pdf");
    let profile = tempfile::tempdir().unwrap();
    let status = Command::new(&chrome)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--no-pdf-header-footer")
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(file_url(&written.report_html))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success() && pdf.exists(), "chromium --print-to-pdf failed");
    let info = match Command::new("pdfinfo").arg(&pdf).output() {
        Ok(o) => String::from_utf8_lossy(&o.stdout).into_owned(),
        Err(e) if std::env::var_os("CI").is_none() => {
            eprintln!("\n!!!! SKIPPED the PDF checks: pdfinfo not found ({e}); apt-get install poppler-utils !!!!\n");
            return;
        }
        Err(e) => panic!("pdfinfo is needed under CI: {e}"),
    };
    let size = info.lines().find(|l| l.starts_with("Page size:")).unwrap_or_default();
    assert!(size.contains("841.92 x 594.96") || size.contains("842 x 595"), "not A4 landscape: {size}");
    // The ranking's header row, right to left, is on a page: the last columns were not cut off.
    let text = Command::new("pdftotext").args(["-layout"]).arg(&pdf).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    let header = text.lines().find(|l| l.contains("排名") && l.contains("网站名称") && l.contains("扣分后得分"));
    let header = header.unwrap_or_else(|| panic!("no ranking header in the PDF text:\n{text}"));
    for col in ["等次", "榜单", "问题数", "排名变化", "得分变化"] {
        assert!(header.contains(col), "{col} is not on the printed page: {header}");
    }
    assert!(!header.contains("明细"), "the on-screen 明细 column is not printed: {header}");
    let first = results.sites.iter().find(|s| s.rank == 1).unwrap();
    assert!(text.contains(&first.name), "the first site is printed");
}
