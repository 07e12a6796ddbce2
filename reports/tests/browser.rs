//! report.html and sites/*.html opened in headless Chromium: no console errors (script errors, CSP violations), the
//! page's script runs, sorts and filters, and hostile crawled text stays text.
//!
//! Console messages are read from Chromium's own log (`--enable-logging=stderr --v=0` prints every console message as
//! an `INFO:CONSOLE` line, whatever its level); the report's script logs nothing, so any console line is a failure.
//! The DOM after load comes from `--dump-dom`. A control test feeds a deliberately broken page through the same
//! harness, so the harness itself is shown able to see errors.
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
