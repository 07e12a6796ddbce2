//! Text a page's scripts write into it: `document.write(…)` arguments (footers and the 党政机关 badge written by script)
//! and JavaScript's `unescape`.

use regex::Regex;
use std::sync::LazyLock;

/// Strings written by `document.write("…")` / `document.writeln('…')` in a script, concatenated. An argument is a
/// `+`-joined sequence of string literals and `unescape("…")` / `decodeURIComponent("…")` calls on literals — the form
/// of the standard 党政机关 badge snippet (`document.write(unescape("%3Cspan id='_ideConac' …"))`).
pub fn document_write_html(script: &str) -> String {
    static DW: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"document\.write(?:ln)?\s*\(").unwrap());
    let mut out = String::new();
    for m in DW.find_iter(script) {
        let mut rest = &script[m.end()..];
        let mut wrote = false;
        loop {
            rest = rest.trim_start();
            let (decoder, after) = match ["unescape", "decodeURIComponent", "decodeURI"]
                .iter()
                .find_map(|f| rest.strip_prefix(f).map(|r| (true, r.trim_start())))
            {
                Some((true, r)) if r.starts_with('(') => (true, r[1..].trim_start()),
                _ => (false, rest),
            };
            let Some((lit, after_lit)) = string_literal(after) else { break };
            let mut after_lit = after_lit.trim_start();
            if decoder {
                let Some(r) = after_lit.strip_prefix(')') else { break };
                after_lit = r.trim_start();
                out.push_str(&js_unescape(&lit));
            } else {
                out.push_str(&lit);
            }
            wrote = true;
            match after_lit.strip_prefix('+') {
                Some(r) => rest = r,
                None => break,
            }
        }
        if wrote {
            out.push(' ');
        }
    }
    out
}

/// A JavaScript string literal at the start of `s` (quotes ' or "), with its escapes resolved; and what follows it.
fn string_literal(s: &str) -> Option<(String, &str)> {
    let q = s.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let mut out = String::new();
    let mut chars = s[1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push(' '),
                Some((_, 't')) => out.push(' '),
                Some((_, other)) => out.push(other),
                None => return None,
            },
            c if c == q => return Some((out, &s[1 + i + 1..])),
            c => out.push(c),
        }
    }
    None
}

/// JavaScript's `unescape`: `%XX` and `%uXXXX` sequences (a percent-decoding crate knows no `%u`; hand-written).
pub fn js_unescape(s: &str) -> String {
    let b = s.as_bytes();
    let mut units: Vec<u16> = Vec::with_capacity(s.len());
    let mut i = 0;
    let hex = |x: &[u8]| std::str::from_utf8(x).ok().and_then(|h| u16::from_str_radix(h, 16).ok());
    while i < b.len() {
        if b[i] == b'%' {
            if b.get(i + 1) == Some(&b'u') && i + 6 <= b.len() {
                if let Some(v) = hex(&b[i + 2..i + 6]) {
                    units.push(v);
                    i += 6;
                    continue;
                }
            } else if i + 3 <= b.len() {
                if let Some(v) = hex(&b[i + 1..i + 3]) {
                    units.push(v);
                    i += 3;
                    continue;
                }
            }
        }
        // copy one UTF-8 character as UTF-16 units
        let c = s[i..].chars().next().unwrap_or('\u{fffd}');
        let mut buf = [0u16; 2];
        units.extend_from_slice(c.encode_utf16(&mut buf));
        i += c.len_utf8();
    }
    // %XX bytes above 0x7f are Latin-1 code points in JavaScript; %uXXXX are UTF-16 units
    String::from_utf16_lossy(&units)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conac_badge_snippet_is_unescaped() {
        let js = r#"document.write(unescape("%3Cspan id='_ideConac' %3E%3C/span%3E%3Cscript src='//dcs.conac.cn/js/33/000/0000/40672315/CA330000000406723150002.js' type='text/javascript'%3E%3C/script%3E"));"#;
        let html = document_write_html(js);
        assert!(html.contains("<span id='_ideConac' ></span><script src='//dcs.conac.cn/js/"), "{html}");
        assert_eq!(js_unescape("%u4E2D%u6587%20ok"), "中文 ok");
        // a single-quoted literal holding a double quote, joined with +
        assert_eq!(document_write_html(r#"document.write('<a href="x">' + "备案</a>")"#), "<a href=\"x\">备案</a> ");
    }
}
