//! Identity elements of the home page (DOMAIN.md "Identity footer"), recognised by the rubric's `[identity]` patterns
//! over the texts and link strings gathered in [`crate::analysis::footer`].

use super::checks::Occurrence;
use super::evidence;
use crate::analysis::SiteAnalysis;
use crate::results::Identity;
use crate::text::collapse_ws;
use gongkai_config::check::IdentityMissing;
use gongkai_config::{IdentityKey, Rubric};

/// The value shown for an element: the `value` group of the first matching text pattern (or the whole match); for
/// link-only matches, the matching link string.
pub fn find(a: &SiteAnalysis, rubric: &Rubric, key: IdentityKey) -> Option<String> {
    let el = rubric.identity.get(&key)?;
    for pat in &el.text {
        for t in &a.footer.texts {
            if let Some(c) = pat.captures(t) {
                let m = c.name("value").or_else(|| c.get(0))?;
                return Some(collapse_ws(m.as_str()));
            }
        }
    }
    // Letter-spaced labels ("网 站 标 识 码", "主　办　单　位"): try again with every space removed.
    for pat in &el.text {
        for t in &a.footer.texts {
            let packed: String = t.chars().filter(|c| !c.is_whitespace()).collect();
            if let Some(c) = pat.captures(&packed) {
                let m = c.name("value").or_else(|| c.get(0))?;
                return Some(m.as_str().to_string());
            }
        }
    }
    // A link that shows the element: its printed text is the value when it has one with a digit (蜀ICP备12345678号
    // as the text of a link to beian.miit.gov.cn); otherwise the matching link string says only that it is there.
    for pat in &el.link {
        if let Some((_, text)) =
            a.footer.links.iter().find(|(href, text)| pat.is_match(href) && text.chars().any(|c| c.is_ascii_digit()))
        {
            return Some(collapse_ws(text));
        }
        if let Some(s) = a.footer.link_strings.iter().find(|s| pat.is_match(s)) {
            return Some(s.clone());
        }
    }
    None
}

pub fn identity(a: &SiteAnalysis, rubric: &Rubric) -> Identity {
    if a.home.is_none() {
        return Identity::default();
    }
    Identity {
        site_code: find(a, rubric, IdentityKey::SiteCode),
        icp: find(a, rubric, IdentityKey::Icp),
        police: find(a, rubric, IdentityKey::Police),
        badge: find(a, rubric, IdentityKey::Badge).is_some(),
        sponsor: find(a, rubric, IdentityKey::Sponsor),
        contact: find(a, rubric, IdentityKey::Contact).is_some(),
        error_entry: find(a, rubric, IdentityKey::ErrorEntry).is_some(),
    }
}

pub fn missing(p: &IdentityMissing, a: &SiteAnalysis, rubric: &Rubric) -> Vec<Occurrence> {
    if a.home.is_none() {
        return Vec::new();
    }
    let src = a.home_source();
    p.elements
        .iter()
        .filter(|k| find(a, rubric, **k).is_none())
        .map(|k| {
            let label = rubric.identity.get(k).map(|e| e.label.clone()).unwrap_or_else(|| k.as_str().to_string());
            let mut o = Occurrence::default();
            o.values.insert("element", k.as_str().to_string());
            o.values.insert("element_name", label.clone());
            o.evidence.push(evidence(&src, format!("首页未发现{label}")));
            o
        })
        .collect()
}
