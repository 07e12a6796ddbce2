//! The one walk over a page's elements: what each element carries (scripts, metas, title, frames, images, forms),
//! the visible text, CSS-hidden content, and the nesting limit that keeps a hostile page from exhausting the stack.
//! Navigation blocks, links and list rows are read on the way ([`super::nav`], [`super::links`], [`super::records`]).

use super::forms::{form_signature, is_search_form, is_search_input};
use super::links::resolve;
use super::Link;
use crate::text::collapse_ws;
use ego_tree::NodeId;
use regex::Regex;
use scraper::{ElementRef, Node};
use std::collections::{BTreeMap, HashSet};
use std::sync::LazyLock;
use url::Url;

pub(super) static HIDDEN_STYLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:px|pt|em|rem)?\s*(?:;|$|!)|(?:left|top|text-indent)\s*:\s*-\d{3,}").unwrap()
});
static CSS_RULE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"([^{}]+)\{([^{}]*)\}").unwrap());

/// Deepest element nesting the analysis reads. Real pages stay far below (a few dozen levels); the walk is recursive,
/// so this bounds its stack (a 10,000-deep page would otherwise overflow it and abort scoring for every site).
pub const MAX_DEPTH: u32 = 256;

pub(super) fn class_id(el: &scraper::node::Element) -> String {
    let mut s = String::new();
    if let Some(id) = el.id() {
        s.push_str(&id.to_ascii_lowercase());
        s.push(' ');
    }
    for c in el.classes() {
        s.push_str(&c.to_ascii_lowercase());
        s.push(' ');
    }
    s
}

#[derive(Clone, Copy, Default)]
pub(super) struct Ctx {
    /// Element nesting depth (the walk stops descending at [`MAX_DEPTH`]).
    pub(super) depth: u32,
    pub(super) hidden: bool,
    pub(super) nav: bool,
    /// ul/ol depth counted from the nav block.
    pub(super) nav_lists: u32,
    /// Sub-menus entered inside the navigation block: a block of links that follows its parent entry
    /// (`li > a + ul`, `div > a + div.submenu`, `dt + dd`).
    pub(super) sub_menus: u32,
    /// Which navigation block (1, 2, … in document order; 0 outside any).
    pub(super) nav_block: u32,
    pub(super) footer: bool,
    /// Inside navigation, side bars, header or footer: rows here are not list items.
    pub(super) chrome: bool,
    pub(super) crumb: bool,
    /// Inside a header container (`<header>`, header/banner/logo/top … ids and classes; see [`super::header`]).
    pub(super) header: bool,
}

pub(super) struct Walker<'a> {
    pub(super) base: &'a Url,
    pub(super) hidden_selectors: &'a HiddenRules,
    pub(super) text: String,
    pub(super) main_text: String,
    pub(super) links: Vec<Link>,
    pub(super) crumb_text: String,
    pub(super) forms: Vec<String>,
    pub(super) script_marks: Vec<String>,
    pub(super) footers: Vec<String>,
    pub(super) iframes: Vec<Url>,
    pub(super) scripts: Vec<Url>,
    pub(super) inline_script: String,
    pub(super) images: Vec<(String, String)>,
    pub(super) metas: BTreeMap<String, String>,
    pub(super) title: String,
    pub(super) has_search_form: bool,
    pub(super) xml_blocks: Vec<String>,
    /// (container id, row) for list rows outside page chrome.
    pub(super) rows: Vec<(NodeId, ElementRef<'a>)>,
    /// Elements nested deeper than [`MAX_DEPTH`] were skipped.
    pub(super) truncated: bool,
    pub(super) nav_blocks: u32,
    /// Image-like elements and linked stylesheets, for the emblem check.
    pub(super) header_images: super::header::HeaderImages,
}

/// Classes and ids that a `<style>` block hides.
#[derive(Default)]
pub(super) struct HiddenRules {
    classes: HashSet<String>,
    ids: HashSet<String>,
}

impl HiddenRules {
    pub(super) fn from_css(css: &str) -> Self {
        let mut r = HiddenRules::default();
        for c in CSS_RULE.captures_iter(css) {
            if !HIDDEN_STYLE.is_match(&c[2]) {
                continue;
            }
            for sel in c[1].split(',') {
                let sel = sel.trim();
                // only simple selectors: `.x`, `#x`, `div.x`
                let last = sel.rsplit(|c: char| c.is_whitespace() || c == '>').next().unwrap_or(sel);
                if let Some(pos) = last.find(['.', '#']) {
                    let name = last[pos + 1..].to_ascii_lowercase();
                    if last[pos..].starts_with('.') {
                        r.classes.insert(name);
                    } else {
                        r.ids.insert(name);
                    }
                }
            }
        }
        r
    }

    fn hides(&self, el: &scraper::node::Element) -> bool {
        (!self.classes.is_empty() && el.classes().any(|c| self.classes.contains(&c.to_ascii_lowercase())))
            || el.id().is_some_and(|i| self.ids.contains(&i.to_ascii_lowercase()))
    }
}

pub(super) fn elem_text(el: ElementRef) -> String {
    let mut s = String::new();
    for t in el.text() {
        s.push_str(t);
        s.push(' ');
    }
    s
}

impl<'a> Walker<'a> {
    pub(super) fn new(base: &'a Url, hidden_selectors: &'a HiddenRules) -> Self {
        Walker {
            base,
            hidden_selectors,
            text: String::new(),
            main_text: String::new(),
            links: Vec::new(),
            crumb_text: String::new(),
            forms: Vec::new(),
            script_marks: Vec::new(),
            footers: Vec::new(),
            iframes: Vec::new(),
            scripts: Vec::new(),
            inline_script: String::new(),
            images: Vec::new(),
            metas: BTreeMap::new(),
            title: String::new(),
            has_search_form: false,
            xml_blocks: Vec::new(),
            rows: Vec::new(),
            truncated: false,
            nav_blocks: 0,
            header_images: Default::default(),
        }
    }

    pub(super) fn walk(&mut self, el: ElementRef<'a>, ctx: Ctx, container: Option<NodeId>) {
        let e = el.value();
        let name = e.name();
        let mut ctx = ctx;
        ctx.depth += 1;
        if ctx.depth > MAX_DEPTH {
            // A hostile page (10,000 nested <div>s) must not exhaust the stack: what lies deeper is not read.
            self.truncated = true;
            return;
        }
        if name == "script" && e.attr("src").is_some() {
            self.read_header_script(el, &ctx);
        }
        if !self.read_element(el) {
            return;
        }
        let ci = class_id(e);
        if let Some(style) = e.attr("style") {
            if HIDDEN_STYLE.is_match(style) {
                ctx.hidden = true;
            }
        }
        if e.attr("hidden").is_some() || self.hidden_selectors.hides(e) {
            ctx.hidden = true;
        }
        self.enter_blocks(el, &mut ctx, &ci);
        if super::header::opens_header(name, &ci) {
            ctx.header = true;
        }
        self.read_image(el, &ctx);
        if name == "a" || name == "area" {
            self.push_link(el, &ctx);
        }
        self.collect_rows(el, &ctx, container);
        let child_container = if matches!(name, "ul" | "ol" | "table" | "tbody" | "dl") {
            if name == "tbody" {
                container.or(Some(el.id()))
            } else {
                Some(el.id())
            }
        } else {
            container
        };
        self.walk_children(el, ctx, child_container);
        if matches!(name, "p" | "div" | "li" | "tr" | "br" | "td" | "h1" | "h2" | "h3" | "span") {
            self.text.push(' ');
            self.main_text.push(' ');
        }
    }

    /// Read what the element itself carries (script, meta, title, frame, image, search box, form); false when its
    /// content is not walked (scripts, styles, templates, metas, the title).
    fn read_element(&mut self, el: ElementRef<'a>) -> bool {
        let e = el.value();
        match e.name() {
            "script" => {
                let ty = e.attr("type").unwrap_or("").to_ascii_lowercase();
                if let Some(src) = e.attr("src").and_then(|s| resolve(self.base, s)) {
                    self.scripts.push(src);
                }
                let mut mark = String::new();
                for (k, v) in e.attrs() {
                    mark.push_str(k);
                    mark.push('=');
                    mark.push_str(v);
                    mark.push(' ');
                }
                if !mark.is_empty() {
                    self.script_marks.push(mark);
                }
                let body = elem_text(el);
                if ty.contains("xml") {
                    self.xml_blocks.push(body);
                } else {
                    if e.id() == Some("_jiucuo_") {
                        self.inline_script.push_str(" _jiucuo_ ");
                    }
                    self.inline_script.push_str(&body);
                    self.inline_script.push('\n');
                }
                return false;
            }
            "style" | "noscript" | "template" => return false,
            "meta" => {
                if let (Some(n), Some(c)) = (e.attr("name"), e.attr("content")) {
                    self.metas.entry(n.to_ascii_lowercase()).or_insert_with(|| c.trim().to_string());
                }
                return false;
            }
            "title" => {
                self.title = collapse_ws(&elem_text(el));
                return false;
            }
            "link" => self.read_stylesheet_link(el),
            "iframe" | "frame" => {
                if let Some(src) = e.attr("src").and_then(|s| resolve(self.base, s)) {
                    self.iframes.push(src);
                }
            }
            "img" => {
                let src = e.attr("src").unwrap_or("").to_string();
                let alt = e.attr("alt").unwrap_or("").to_string();
                self.images.push((src, alt));
            }
            // a search box outside any form, submitted by script (`<input id="search">` + `dosubmit()`)
            "input"
                if is_search_input(e)
                    && !el.ancestors().any(|a| a.value().as_element().is_some_and(|x| x.name() == "form")) =>
            {
                self.has_search_form = true;
            }
            "form" => {
                if is_search_form(el) {
                    self.has_search_form = true;
                }
                if let Some(sig) = form_signature(el) {
                    self.forms.push(sig);
                }
            }
            _ => {}
        }
        true
    }

    /// The element's text (visible, main, breadcrumb) and its child elements, each walked with its sub-menu level.
    fn walk_children(&mut self, el: ElementRef<'a>, ctx: Ctx, child_container: Option<NodeId>) {
        let mut sub_menus = super::nav::SubMenus::new(el, &ctx);
        for child in el.children() {
            match child.value() {
                Node::Text(t) => {
                    if !ctx.hidden {
                        self.text.push_str(t);
                        self.text.push(' ');
                        if !ctx.chrome && !ctx.crumb {
                            self.main_text.push_str(t);
                            self.main_text.push(' ');
                        }
                    }
                    if ctx.crumb {
                        self.crumb_text.push_str(t);
                    }
                }
                Node::Element(_) => {
                    if let Some(ce) = ElementRef::wrap(child) {
                        let cctx = sub_menus.child_ctx(ce, ctx);
                        self.walk(ce, cctx, child_container);
                    }
                }
                _ => {}
            }
        }
    }
}
