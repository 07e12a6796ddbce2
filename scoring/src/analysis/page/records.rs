//! List rows: `<li>`/`<tr>` rows holding a link, `<dt>` records of definition lists, runs of sibling blocks of one
//! kind, and Hanweb `<script type="text/xml">` record blocks; each read into a [`ListItem`] with its date, and grouped
//! by the container they belong to.

use super::dates;
use super::links::{holds_link, is_link, resolve};
use super::walk::{elem_text, Ctx, Walker, MAX_DEPTH};
use super::ListItem;
use crate::text::collapse_ws;
use chrono::{Datelike, NaiveDate};
use ego_tree::NodeId;
use regex::Regex;
use scraper::{ElementRef, Html, Node};
use std::sync::LazyLock;
use url::Url;

static CDATA_RECORD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>").unwrap());

impl<'a> Walker<'a> {
    /// Record the list rows `el` is or holds (outside page chrome and hidden blocks), keyed by their container.
    pub(super) fn collect_rows(&mut self, el: ElementRef<'a>, ctx: &Ctx, container: Option<NodeId>) {
        let name = el.value().name();
        // list rows: <li> or <tr> holding a link, no nested rows
        if (name == "li" || name == "tr") && !ctx.chrome && !ctx.hidden {
            let has_nested = el.descendent_elements().skip(1).any(|d| matches!(d.value().name(), "li" | "tr"));
            if !has_nested && holds_link(el) {
                if let Some(c) = container {
                    self.rows.push((c, el));
                }
            }
        }
        // definition lists: each <dt> holding a link is a record, its date in the <dd>s after it
        if name == "dl" && !ctx.chrome && !ctx.hidden {
            let dts: Vec<ElementRef<'a>> = el
                .children()
                .filter_map(ElementRef::wrap)
                .filter(|c| c.value().name() == "dt" && holds_link(*c))
                .collect();
            if dts.len() >= 2 {
                for dt in dts {
                    self.rows.push((el.id(), dt));
                }
            }
        }
        // list rows of other markup: three or more sibling blocks of one kind (same tag and class), each holding a link
        // and little text (`<div class="list-item"><a>…</a><span>2026-11-03</span></div>`, `<dd>`, `<p>`)
        if !ctx.chrome && !ctx.hidden && !matches!(name, "ul" | "ol" | "table" | "tbody" | "dl" | "tr" | "li") {
            self.sibling_records(el);
        }
    }

    /// List rows of other markup: three or more sibling blocks of one kind among the children of `parent`.
    fn sibling_records(&mut self, parent: ElementRef<'a>) {
        const BLOCKS: [&str; 9] = ["div", "p", "dd", "dt", "dl", "section", "article", "h3", "h4"];
        let mut groups: Vec<((String, String), Vec<ElementRef<'a>>)> = Vec::new();
        for child in parent.children().filter_map(ElementRef::wrap) {
            let e = child.value();
            if !BLOCKS.contains(&e.name()) {
                continue;
            }
            let mut links = 0;
            let mut nested_rows = false;
            for d in child.descendent_elements().skip(1) {
                match d.value().name() {
                    "a" if d.value().attr("href").is_some() => links += 1,
                    "li" | "tr" | "ul" | "table" => nested_rows = true,
                    _ => {}
                }
                // no record either way: the rest of its subtree need not be read (every ancestor scans it again)
                if links > 3 || nested_rows {
                    break;
                }
            }
            if links == 0 || links > 3 || nested_rows {
                continue;
            }
            // more than 300 characters of text, counted only as far as that
            let mut chars = 0;
            if child.text().any(|t| {
                chars += t.chars().count();
                chars > 300
            }) {
                continue;
            }
            let key = (e.name().to_string(), e.attr("class").unwrap_or("").to_string());
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, v)) => v.push(child),
                None => groups.push((key, vec![child])),
            }
        }
        for (_, v) in groups {
            if v.len() >= 3 {
                for r in v {
                    self.rows.push((parent.id(), r));
                }
            }
        }
    }
}

/// The items of Hanweb `<script type="text/xml">` record blocks.
pub(super) fn xml_records(blocks: &[String], base: &Url, t0: NaiveDate) -> Vec<ListItem> {
    let mut items = Vec::new();
    for block in blocks {
        for rec in CDATA_RECORD.captures_iter(block) {
            let frag = Html::parse_fragment(&rec[1]);
            let root = frag.root_element();
            let row =
                root.descendent_elements().find(|d| matches!(d.value().name(), "li" | "tr" | "div")).unwrap_or(root);
            items.push(row_item(base, row, t0));
        }
    }
    items
}

/// The page's list rows grouped by container, in document order, their dates completed from `<dd>`s and year headings.
pub(super) fn row_groups(
    html: &Html,
    rows: &mut [(NodeId, ElementRef)],
    base: &Url,
    t0: NaiveDate,
) -> Vec<(NodeId, Vec<ListItem>)> {
    // Old table layouts wrap every record in its own little table inside a row of the list's table: a row alone
    // in its container stands for the outer record, so group it with its siblings by the outer container.
    lift_lonely_rows(html, rows);
    // group rows by container
    let mut groups: Vec<(NodeId, Vec<ListItem>)> = Vec::new();
    for (c, row) in rows.iter() {
        let mut item = row_item(base, *row, t0);
        if row.value().name() == "dt" {
            dt_record_dates(*row, &mut item, t0);
        }
        if item.title.is_empty() && item.url.is_none() {
            continue;
        }
        match groups.iter_mut().find(|(id, _)| id == c) {
            Some((_, v)) => v.push(item),
            None => groups.push((*c, vec![item])),
        }
    }
    // a list whose rows print month and day only under a year heading (`<h4>2025年</h4><dl>… <em>11-03</em>`)
    for (c, items) in groups.iter_mut() {
        if let Some(year) = year_heading(html, *c) {
            for it in items.iter_mut().filter(|i| i.date.is_some() && i.row_dates.is_empty()) {
                let d = it.date.unwrap();
                if let Some(x) = NaiveDate::from_ymd_opt(year, d.month(), d.day()) {
                    it.date = Some(x);
                    it.row_dates.push(x);
                }
            }
        }
    }
    groups
}

/// Re-key rows that are alone in their container to the container of their nearest enclosing record (`tr`/`li`),
/// up to three levels, when that groups them with others.
fn lift_lonely_rows(html: &Html, rows: &mut [(NodeId, ElementRef)]) {
    fn outer_container(html: &Html, c: NodeId) -> Option<NodeId> {
        let node = html.tree.get(c)?;
        let record =
            node.ancestors().find(|a| a.value().as_element().is_some_and(|e| matches!(e.name(), "tr" | "li")))?;
        let container = record
            .ancestors()
            .find(|a| a.value().as_element().is_some_and(|e| matches!(e.name(), "table" | "ul" | "ol" | "dl")))?;
        Some(container.id())
    }
    for _ in 0..3 {
        let mut counts: std::collections::HashMap<NodeId, usize> = std::collections::HashMap::new();
        for (c, _) in rows.iter() {
            *counts.entry(*c).or_default() += 1;
        }
        let mut lifted: Vec<(usize, NodeId)> = Vec::new();
        for (i, (c, _)) in rows.iter().enumerate() {
            if counts[c] == 1 {
                if let Some(o) = outer_container(html, *c) {
                    lifted.push((i, o));
                }
            }
        }
        // lift only where it joins rows together
        let mut joined: std::collections::HashMap<NodeId, usize> = std::collections::HashMap::new();
        for (_, o) in &lifted {
            *joined.entry(*o).or_default() += 1;
        }
        let mut changed = false;
        for (i, o) in lifted {
            if joined[&o] + counts.get(&o).copied().unwrap_or(0) >= 2 {
                rows[i].0 = o;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

fn row_item(base: &Url, row: ElementRef, t0: NaiveDate) -> ListItem {
    let a = row.descendent_elements().find(|d| is_link(d.value()));
    let (title, url) = match a {
        Some(a) => {
            let mut t = collapse_ws(&elem_text(a));
            if t.is_empty() {
                t = a.value().attr("title").unwrap_or("").to_string();
            }
            (t, a.value().attr("href").and_then(|h| resolve(base, h)))
        }
        None => (String::new(), None),
    };
    let text = collapse_ws(&elem_text(row));
    // The date slot: the text outside the link (so a title that mentions a date is not taken as the item's date).
    let mut outside = String::new();
    collect_outside_link(row, &mut outside);
    let outside = collapse_ws(&outside);
    let mut row_dates = dates::dates_in_text(&outside);
    let mut date = dates::item_date(&outside, t0);
    if date.is_none() {
        // Some CMSs put the date element inside the link: take an element whose whole text is one date.
        for d in row.descendent_elements().skip(1) {
            if d.descendent_elements().nth(1).is_some() {
                continue;
            }
            let t = collapse_ws(&elem_text(d));
            if !t.is_empty() && t.chars().count() <= 24 && t != title {
                if let Some(x) = dates::parse_date_slot(&t, t0) {
                    date = Some(x);
                    if dates::first_date(&t).is_some() {
                        row_dates.push(x);
                    }
                    break;
                }
            }
        }
    }
    ListItem { title, url, date, row_dates, text }
}

/// The year a heading right before a list container gives its rows (`<h4>2025年</h4>`, `<div class="year">2025</div>`).
fn year_heading(html: &Html, container: NodeId) -> Option<i32> {
    static YEAR: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*((?:19|20)\d{2})\s*年?\s*$").unwrap());
    let node = html.tree.get(container)?;
    let prev = node.prev_siblings().filter_map(ElementRef::wrap).next()?;
    let text = elem_text(prev);
    YEAR.captures(&text)?.get(1)?.as_str().parse().ok()
}

/// A `<dt>` record's date from the `<dd>`s that follow it (up to the next `<dt>`), when the `<dt>` shows none.
fn dt_record_dates(dt: ElementRef, item: &mut ListItem, t0: NaiveDate) {
    if item.date.is_some() {
        return;
    }
    let mut text = String::new();
    for sib in dt.next_siblings().filter_map(ElementRef::wrap) {
        if sib.value().name() == "dt" {
            break;
        }
        if sib.value().name() == "dd" {
            text.push_str(&elem_text(sib));
            text.push(' ');
        }
    }
    let text = collapse_ws(&text);
    if text.chars().count() > 200 {
        return;
    }
    item.date = dates::parse_date_slot(&text, t0).or_else(|| dates::item_date(&text, t0));
    item.row_dates = dates::dates_in_text(&text);
    if !text.is_empty() {
        item.text = format!("{} {}", item.text, text);
    }
}

fn collect_outside_link(el: ElementRef, out: &mut String) {
    collect_outside_link_at(el, out, 0)
}

fn collect_outside_link_at(el: ElementRef, out: &mut String, depth: u32) {
    if depth > MAX_DEPTH {
        return;
    }
    for child in el.children() {
        match child.value() {
            Node::Text(t) => {
                out.push_str(t);
                out.push(' ');
            }
            Node::Element(e) if e.name() != "a" && e.name() != "script" => {
                if let Some(ce) = ElementRef::wrap(child) {
                    collect_outside_link_at(ce, out, depth + 1);
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
}
