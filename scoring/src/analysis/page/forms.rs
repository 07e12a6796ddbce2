//! Forms a page offers: a site search box (in a form or submitted by script) and the signature of every form with a
//! text input (the home page checks look for search hints in it).

use scraper::ElementRef;

pub(super) fn form_signature(form: ElementRef) -> Option<String> {
    let v = form.value();
    let mut sig = String::new();
    for a in ["action", "name", "id", "class"] {
        sig.push_str(v.attr(a).unwrap_or(""));
        sig.push(' ');
    }
    let mut text_input = false;
    for d in form.descendent_elements() {
        let e = d.value();
        if is_text_input(e) {
            text_input = true;
            for a in ["name", "id", "class", "placeholder"] {
                sig.push_str(e.attr(a).unwrap_or(""));
                sig.push(' ');
            }
        }
    }
    text_input.then(|| sig.to_lowercase())
}

fn is_text_input(e: &scraper::node::Element) -> bool {
    e.name() == "input"
        && matches!(e.attr("type").unwrap_or("text").to_ascii_lowercase().as_str(), "text" | "search" | "")
}

/// A text box that names itself a search box (by type, placeholder, name or id).
pub(super) fn is_search_input(e: &scraper::node::Element) -> bool {
    if !is_text_input(e) {
        return false;
    }
    let ty = e.attr("type").unwrap_or("text").to_ascii_lowercase();
    let name = e.attr("name").unwrap_or("").to_ascii_lowercase();
    let id = e.attr("id").unwrap_or("").to_ascii_lowercase();
    let ph = e.attr("placeholder").unwrap_or("");
    ty == "search"
        || ph.contains("搜索")
        || ph.contains("检索")
        || ph.contains("关键")
        || ["q", "query", "keyword", "keywords", "searchword", "sw", "wd", "kw"].contains(&name.as_str())
        || [&name, &id].iter().any(|x| x.contains("search") || x.contains("keyword"))
}

/// A site search form: a text box, in a form that searches (by its action) or that names the box a search box.
/// A lookup form of selects only (街乡 查询) is not a site search.
pub(super) fn is_search_form(form: ElementRef) -> bool {
    let action = form.value().attr("action").unwrap_or("").to_ascii_lowercase();
    let inputs: Vec<_> = form.descendent_elements().filter(|d| is_text_input(d.value())).collect();
    if inputs.is_empty() {
        return false;
    }
    action.contains("search")
        || action.contains("query")
        || action.contains("jsearch")
        || inputs.iter().any(|d| is_search_input(d.value()))
}
