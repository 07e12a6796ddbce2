//! What the home page shows in its footer and around it (docs/site-understanding.md "Identity footer"), gathered from every place a
//! real footer hides: the page itself, an iframe footer, and HTML written at run time by `document.write` from inline
//! or external scripts (often GBK-encoded; decoded like pages). The rubric's `[identity]` patterns then run over
//! these texts and link strings, so recognising a new footer form is a change to the rubric file.

use super::page::{self, PageDoc};
use crate::text::{collapse_ws, decode};
use chrono::NaiveDate;
use gongkai_archive::{LinkCheck, LinkOutcome, SiteCapture};
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct FooterFacts {
    /// Visible text of the home page and of its iframe and script-written footers, whitespace collapsed.
    pub texts: Vec<String>,
    /// Link targets, image sources and alt texts, script sources and attributes.
    pub link_strings: Vec<String>,
    /// Link texts (whitespace removed).
    pub link_texts: Vec<String>,
    /// Each link's target with its visible text, whitespace collapsed (an ICP number printed as the text of a link to
    /// beian.miit.gov.cn is the value, not the link's href).
    pub links: Vec<(String, String)>,
    /// Search-like forms (signatures, see [`PageDoc::forms`]).
    pub forms: Vec<String>,
    /// Text of each footer block, to tell two differing footers apart.
    pub footer_blocks: Vec<String>,
}

/// Chinese label of a link check outcome, for messages.
pub fn outcome_label(lc: &LinkCheck) -> String {
    match &lc.outcome {
        LinkOutcome::Status { status } => format!("HTTP {status}"),
        LinkOutcome::Failed { error } => crate::fetch_error::fetch_error_zh(error),
        LinkOutcome::RobotsDisallowed => "robots.txt 禁止访问".to_string(),
        LinkOutcome::NotChecked { reason } => format!("未检查（{reason}）"),
    }
}

fn add_doc(f: &mut FooterFacts, d: &PageDoc) {
    f.texts.push(d.text.clone());
    for l in &d.links {
        f.link_strings.push(l.href.as_str().to_string());
        f.link_texts.push(l.text.clone());
        f.links.push((l.href.as_str().to_string(), l.text.clone()));
    }
    for (src, alt) in &d.images {
        f.link_strings.push(src.clone());
        if !alt.is_empty() {
            f.link_strings.push(alt.clone());
        }
    }
    f.link_strings.extend(d.script_marks.iter().cloned());
    f.forms.extend(d.forms.iter().cloned());
    f.footer_blocks.extend(d.footers.iter().cloned());
}

fn add_written(f: &mut FooterFacts, base: &PageDoc, html: &str, t0: NaiveDate) {
    if html.trim().is_empty() {
        return;
    }
    let mut d = base.clone();
    d.links.clear();
    d.images.clear();
    d.script_marks.clear();
    d.forms.clear();
    d.footers.clear();
    page::parse_html_into(&format!("<html><body>{html}</body></html>"), &mut d, t0);
    add_doc(f, &d);
}

pub fn collect(
    docs: &[PageDoc],
    index: &HashMap<String, usize>,
    home: Option<usize>,
    capture: &SiteCapture,
    t0: NaiveDate,
) -> FooterFacts {
    let mut f = FooterFacts::default();
    let Some(h) = home else { return f };
    let hd = &docs[h];
    add_doc(&mut f, hd);
    add_written(&mut f, hd, &page::document_write_html(&hd.inline_script), t0);
    for u in &hd.iframes {
        if let Some(&i) = index.get(u.as_str()) {
            let d = &docs[i];
            if d.ok() {
                add_doc(&mut f, d);
                add_written(&mut f, d, &page::document_write_html(&d.inline_script), t0);
            }
        }
    }
    for u in &hd.scripts {
        if let Some(p) = capture.pages.iter().find(|p| &p.url == u && (200..300).contains(&p.status)) {
            let js = decode(&p.body, p.header("content-type"));
            add_written(&mut f, hd, &page::document_write_html(&js), t0);
        }
    }
    f.texts = f.texts.iter().map(|t| collapse_ws(t)).collect();
    f
}
