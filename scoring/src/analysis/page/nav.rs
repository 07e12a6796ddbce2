//! Page blocks the walk enters: navigation menus (numbered in document order, with their menu levels and the
//! sub-menus that follow their entry), page chrome (header, side bars), the footer and the breadcrumb.

use super::links::holds_link;
use super::walk::{elem_text, Ctx, Walker};
use crate::text::collapse_ws;
use scraper::ElementRef;

const NAV_WORDS: [&str; 5] = ["nav", "menu", "tree", "lanmu", "daohang"];
const SKIP_WORDS: [&str; 5] = ["side", "crumb", "position", "location", "header"];
const FOOTER_WORDS: [&str; 3] = ["footer", "foot", "bottom"];

impl<'a> Walker<'a> {
    /// Enter the blocks the element opens (`ci`: its lower-cased id and classes): a navigation block, page chrome, the
    /// footer (its text is kept), the breadcrumb; a list inside navigation is one menu level deeper.
    pub(super) fn enter_blocks(&mut self, el: ElementRef<'a>, ctx: &mut Ctx, ci: &str) {
        let name = el.value().name();
        // an image map is a menu too (old table layouts draw their navigation as one image with <area> links)
        let is_nav_block = name == "nav"
            || name == "map"
            || NAV_WORDS.iter().any(|w| ci.contains(w))
            || ci.split(' ').any(|t| t == "dh" || t.starts_with("dh-") || t.starts_with("dh_"));
        if is_nav_block && !ctx.nav {
            ctx.nav = true;
            ctx.nav_lists = 0;
            ctx.sub_menus = 0;
            self.nav_blocks += 1;
            ctx.nav_block = self.nav_blocks;
        }
        if ctx.nav || name == "nav" || name == "header" || name == "aside" || SKIP_WORDS.iter().any(|w| ci.contains(w))
        {
            ctx.chrome = true;
        }
        let is_footer = name == "footer" || FOOTER_WORDS.iter().any(|w| ci.split(' ').any(|c| c.contains(w)));
        if is_footer && !ctx.footer {
            ctx.footer = true;
            ctx.chrome = true;
            let t = collapse_ws(&elem_text(el));
            self.footers.push(t);
        }
        if ci.contains("crumb") || ci.contains("position") || ci.contains("location") || ci.contains("dqwz") {
            ctx.crumb = true;
        }
        if (name == "ul" || name == "ol") && ctx.nav {
            ctx.nav_lists += 1;
        }
    }
}

/// Inside navigation, sub-menus: in a menu entry beside other entries (`li > a + ul`, `div.submenu > a + div`),
/// the block of links after the entry's own link; in a `<dl>`, the `<dd>`s after a
/// `<dt>`. A unique container's first link (a logo before the menu) makes no sub-menu of what follows.
pub(super) struct SubMenus<'a> {
    entry_like: bool,
    dl_like: bool,
    /// Tag and class of the first child holding a link, and how many children in a row have them.
    parent: Option<((&'a str, &'a str), usize)>,
}

impl<'a> SubMenus<'a> {
    /// For the children of `el`.
    pub(super) fn new(el: ElementRef<'a>, ctx: &Ctx) -> Self {
        let entry_like = ctx.nav
            && el
                .prev_siblings()
                .chain(el.next_siblings())
                .filter_map(ElementRef::wrap)
                .any(|x| x.value().name() == "a" || x.descendent_elements().any(|d| d.value().name() == "a"));
        let dl_like = ctx.nav && el.value().name() == "dl";
        SubMenus { entry_like, dl_like, parent: None }
    }

    /// The context of the next child element `ce`: one sub-menu deeper when it is the block after the entry's link.
    pub(super) fn child_ctx(&mut self, ce: ElementRef<'a>, ctx: Ctx) -> Ctx {
        let mut cctx = ctx;
        if ctx.nav {
            let v = ce.value();
            let has_link = v.name() == "a" || holds_link(ce);
            if has_link {
                let sig = (v.name(), v.attr("class").unwrap_or(""));
                match &mut self.parent {
                    None => self.parent = Some((sig, 1)),
                    Some((p, n)) if *p == sig => *n += 1,
                    Some((_, n)) => {
                        if self.dl_like || (self.entry_like && *n == 1) {
                            cctx.sub_menus += 1;
                        }
                    }
                }
            }
        }
        cctx
    }
}
