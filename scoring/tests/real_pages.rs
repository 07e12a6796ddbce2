//! Real government pages kept in public repositories (`tests/fixtures/real/`, see its README for sources), each with
//! the identity elements and navigation columns a person wrote down from reading the page — not from this code.
//!
//! Identity elements (网站标识码, ICP, 公安备案, 党政机关标识, 主办单位, 联系方式, 找错, search) must be found with the
//! printed value for at least 98 % of what the pages show, and none invented where a page shows none; columns are
//! reported (found by URL or name, with the category the person gave).

mod real_fixtures;

use gongkai_config::Rubric;
use gongkai_scoring::analysis::analyze;
use gongkai_scoring::engine::identity;
use real_fixtures::{capture, dir, page};
use serde::Deserialize;
use url::Url;

#[derive(Debug, Deserialize)]
struct Expected {
    url: String,
    kind: String,
    site_code: Option<String>,
    icp: Option<String>,
    police: Option<String>,
    badge: Option<bool>,
    sponsor: Option<String>,
    contact: Option<bool>,
    error_entry: Option<bool>,
    search: Option<bool>,
    #[serde(default)]
    column: Vec<ExpectedColumn>,
}

#[derive(Debug, Deserialize)]
struct ExpectedColumn {
    name: String,
    url: String,
    category: String,
}

fn norm(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn identity_elements_of_real_home_pages() {
    let rubric = Rubric::default_rubric();
    let t0 = chrono::NaiveDate::from_ymd_opt(2026, 11, 15).unwrap();
    let mut shown = 0;
    let mut found = 0;
    let mut invented = Vec::new();
    let mut misses = Vec::new();
    let (mut cols, mut cols_found, mut cols_cat) = (0, 0, 0);
    let mut entries: Vec<_> = std::fs::read_dir(dir()).unwrap().flatten().map(|e| e.path()).collect();
    entries.sort();
    let mut pages = 0;
    let mut column_notes: Vec<String> = Vec::new();
    for toml_path in entries.iter().filter(|p| p.extension().is_some_and(|e| e == "toml")) {
        let e: Expected = toml::from_str(&std::fs::read_to_string(toml_path).unwrap())
            .unwrap_or_else(|err| panic!("{}: {err}", toml_path.display()));
        if e.kind != "home" {
            continue;
        }
        pages += 1;
        let id = toml_path.file_stem().unwrap().to_string_lossy().to_string();
        let body = std::fs::read(toml_path.with_extension("html")).unwrap();
        let url = Url::parse(&e.url).unwrap();
        let a = analyze(&capture(&url, vec![page(&url, "text/html", body, 0)]), &rubric, t0);
        let got = identity::identity(&a, &rubric);
        let search = a.home_doc().is_some_and(|h| h.has_search_form);
        let mut value = |key: &str, exp: &Option<String>, got: &Option<String>| match (exp, got) {
            (Some(x), Some(y)) => {
                shown += 1;
                if norm(x) == norm(y) {
                    found += 1;
                } else {
                    misses.push(format!("{id}: {key} expected {x:?}, got {y:?}"));
                }
            }
            (Some(x), None) => {
                shown += 1;
                misses.push(format!("{id}: {key} {x:?} not found"));
            }
            (None, Some(y)) => invented.push(format!("{id}: {key} {y:?} found on a page that shows none")),
            (None, None) => {}
        };
        value("site_code", &e.site_code, &got.site_code);
        value("icp", &e.icp, &got.icp);
        value("police", &e.police, &got.police);
        value("sponsor", &e.sponsor, &got.sponsor);
        let mut flag = |key: &str, exp: Option<bool>, got: bool| match (exp.unwrap_or(false), got) {
            (true, true) => {
                shown += 1;
                found += 1;
            }
            (true, false) => {
                shown += 1;
                misses.push(format!("{id}: {key} not found"));
            }
            (false, true) => invented.push(format!("{id}: {key} found on a page that shows none")),
            (false, false) => {}
        };
        flag("badge", e.badge, got.badge);
        flag("contact", e.contact, got.contact);
        flag("error_entry", e.error_entry, got.error_entry);
        flag("search", e.search, search);
        for c in &e.column {
            cols += 1;
            let hit = a.columns.iter().find(|x| x.url.as_str() == c.url || x.name == norm(&c.name));
            match hit {
                Some(x) => {
                    cols_found += 1;
                    if x.category.as_deref().unwrap_or("") == c.category {
                        cols_cat += 1;
                    } else {
                        column_notes.push(format!(
                            "{id}: column {} category {:?}, expected {:?}",
                            c.name, x.category, c.category
                        ));
                    }
                }
                None => column_notes.push(format!("{id}: column {} ({}) {} not found", c.name, c.category, c.url)),
            }
        }
    }
    let share = 100.0 * found as f64 / shown.max(1) as f64;
    eprintln!(
        "{pages} real home pages: identity elements found {found}/{shown} ({share:.1} %), invented {}; \
         columns found {cols_found}/{cols}, with the expected category {cols_cat}/{cols}",
        invented.len()
    );
    for m in misses.iter().chain(invented.iter()).chain(column_notes.iter()) {
        eprintln!("  {m}");
    }
    assert!(pages >= 8, "at least eight real home pages");
    assert!(share >= 98.0, "identity elements found {share:.1} % < 98 %:\n{}", misses.join("\n"));
    assert!(invented.is_empty(), "elements found where the page shows none:\n{}", invented.join("\n"));
    // From one page alone (its targets not archived) many columns cannot be confirmed; this floor guards what is read
    // today (93 of 152 on 2026-12-01; 114 of 195 on 2026-12-02 with the tj and bjda portals, whose first-level
    // sections 市政府/新闻/问政 lead to section index pages no single page can confirm) against regressions.
    assert!(cols_found * 100 >= cols * 58, "columns found {cols_found}/{cols} fell below 58 %");
}
