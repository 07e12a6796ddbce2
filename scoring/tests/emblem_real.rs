//! The trust check of `design.emblem` (docs/rules.md): no real government home page kept in `tests/fixtures/real/`
//! may come out `absent`. They all show the emblem the way real portals do, inside an unnamed logo image or a CSS
//! background, which the check cannot name, so they must be found or undetermined, never deducted. The pages are
//! judged twice: as captured (their linked stylesheets are not in the archive), and as if every stylesheet they link
//! were archived and drew nothing, so that their header images alone must keep them from a deduction. Where the
//! fixture's hand-written `emblem` key says a person saw an unnamed image in the header, the walk must see it too.

use chrono::TimeZone;
mod real_fixtures;

use gongkai_config::{Calendar, Rubric};
use gongkai_scoring::analysis::analyze;
use gongkai_scoring::engine::{checks, Ctx};
use real_fixtures::{capture, dir, page};
use url::Url;

/// The `url = "…"` line of a fixture's description.
fn fixture_url(toml_text: &str) -> Url {
    let v: toml::Value = toml::from_str(toml_text).unwrap();
    Url::parse(v["url"].as_str().unwrap()).unwrap()
}

#[test]
fn no_real_home_page_is_deducted_for_the_emblem() {
    let rubric = Rubric::default_rubric();
    let calendar = Calendar::default_cn();
    let rule = rubric.rule("design.emblem").expect("design.emblem in the default rubric");
    let as_of = chrono::FixedOffset::east_opt(8 * 3600)
        .unwrap()
        .from_local_datetime(&chrono::NaiveDate::from_ymd_opt(2026, 11, 15).unwrap().and_hms_opt(12, 0, 0).unwrap())
        .unwrap();
    let t0 = as_of.date_naive();
    let ctx = Ctx { rubric: &rubric, calendar: &calendar, as_of, t0 };
    let mut entries: Vec<_> = std::fs::read_dir(dir()).unwrap().flatten().map(|e| e.path()).collect();
    entries.sort();
    let mut judged = 0;
    let mut with_header_images = 0;
    let mut deducted = Vec::new();
    let mut missed = Vec::new();
    for html_path in entries.iter().filter(|p| {
        p.extension().is_some_and(|e| e == "html") && p.file_name().unwrap().to_string_lossy().contains("home")
    }) {
        let id = html_path.file_stem().unwrap().to_string_lossy().to_string();
        let toml_text = std::fs::read_to_string(html_path.with_extension("toml")).unwrap();
        let url = fixture_url(&toml_text);
        // what a person reading the page wrote down (tests/fixtures/real/README.md): `unnamed-image` when the header
        // shows a logo or banner image that is not named as the emblem
        let label = toml::from_str::<toml::Value>(&toml_text)
            .ok()
            .and_then(|v| v.get("emblem").and_then(|e| e.as_str()).map(str::to_string));
        let body = std::fs::read(html_path).unwrap();
        let home = page(&url, "text/html", body, 0);
        let as_captured = capture(&url, vec![home.clone()]);
        let a = analyze(&as_captured, &rubric, t0);
        if !checks::occurrences(&rule.check, &a, &ctx).is_empty() {
            deducted.push(format!("{id}: deducted as captured"));
        }
        // every linked stylesheet archived and drawing nothing: the header images alone must decide
        let Some(h) = a.home_doc() else { continue };
        judged += 1;
        if h.header_images.count > 0 {
            with_header_images += 1;
        } else if label.as_deref() == Some("unnamed-image") && !h.header_images.style_url {
            // (a header painted by a `<style>` background counts: the check reads that too)
            missed.push(format!("{id}: a person saw an image in the header, the walk found neither one nor a CSS url"));
        }
        let mut pages = vec![home];
        for css in &h.header_images.stylesheets {
            pages.push(page(css, "text/css", b"body{margin:0}".to_vec(), 1));
        }
        let a = analyze(&capture(&url, pages), &rubric, t0);
        if !checks::occurrences(&rule.check, &a, &ctx).is_empty() {
            deducted.push(format!("{id}: deducted with its stylesheets archived empty"));
        }
    }
    eprintln!("design.emblem on real home pages: {judged} judged, {with_header_images} with header images");
    assert!(judged >= 5, "the real home pages were not found ({judged})");
    assert!(deducted.is_empty(), "real home pages deducted for the emblem:\n{}", deducted.join("\n"));
    assert!(missed.is_empty(), "header images not seen:\n{}", missed.join("\n"));
}
