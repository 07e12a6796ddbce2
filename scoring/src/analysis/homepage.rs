//! Home page features the rubric asks about besides the footer: the site search form and keyword entries
//! (accessibility / elderly-care modes).

use super::footer::FooterFacts;

/// A search form: a form with a text input whose action, name, id, class or placeholder contains one of `hints`.
pub fn has_search_form(f: &FooterFacts, hints: &[String]) -> bool {
    f.forms.iter().any(|sig| hints.iter().any(|h| sig.contains(&h.to_lowercase())))
}

/// The first of `keywords` that the home page shows in a link text, an image alt text or its visible text.
pub fn keyword_shown<'k>(f: &FooterFacts, keywords: &'k [String]) -> Option<&'k str> {
    keywords
        .iter()
        .find(|k| {
            f.link_texts.iter().any(|t| t.contains(k.as_str()))
                || f.texts.iter().any(|t| t.contains(k.as_str()))
                || f.link_strings.iter().any(|s| s.contains(k.as_str()))
        })
        .map(String::as_str)
}
