//! Links as a page shows them: the target resolved against the page, the text (or image alt, or title), and where the
//! link stands (hidden, in which navigation block at which menu level, in the footer).

use super::walk::{elem_text, Ctx, Walker};
use super::Link;
use crate::text::name_key;
use scraper::ElementRef;
use url::Url;

/// The absolute http(s) target of an `href`/`src`, fragment removed; None for anchors, scripts, mail and phone links.
pub(super) fn resolve(base: &Url, href: &str) -> Option<Url> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let lower = href.to_ascii_lowercase();
    if lower.starts_with("javascript:") || lower.starts_with("mailto:") || lower.starts_with("tel:") {
        return None;
    }
    let mut u = base.join(href).ok()?;
    if u.scheme() != "http" && u.scheme() != "https" {
        return None;
    }
    u.set_fragment(None);
    Some(u)
}

/// An `<a>` with an `href`.
pub(super) fn is_link(e: &scraper::node::Element) -> bool {
    e.name() == "a" && e.attr("href").is_some()
}

/// The element is or holds an `<a>` with an `href`.
pub(super) fn holds_link(el: ElementRef) -> bool {
    el.descendent_elements().any(|d| is_link(d.value()))
}

impl<'a> Walker<'a> {
    /// Record the link of an `<a>` or `<area>` element, if it leads somewhere.
    pub(super) fn push_link(&mut self, el: ElementRef<'a>, ctx: &Ctx) {
        let e = el.value();
        if let Some(href) = e.attr("href").and_then(|h| resolve(self.base, h)) {
            let mut text = name_key(&elem_text(el));
            let img = el.descendent_elements().find(|d| d.value().name() == "img").map(|i| {
                (i.value().attr("src").unwrap_or("").to_string(), i.value().attr("alt").unwrap_or("").to_string())
            });
            if text.is_empty() {
                text = img
                    .as_ref()
                    .map(|(_, a)| name_key(a))
                    .filter(|a| !a.is_empty())
                    .unwrap_or_else(|| name_key(e.attr("title").or(e.attr("alt")).unwrap_or("")));
            }
            self.links.push(Link {
                href,
                text,
                hidden: ctx.hidden,
                nav: ctx.nav,
                nav_level: if ctx.nav { ctx.nav_lists.max(1 + ctx.sub_menus) } else { 0 },
                nav_block: ctx.nav_block,
                footer: ctx.footer,
                img,
            });
        }
    }
}
