//! Turning archived bytes into text, and text into something names can be matched against.
//!
//! Decoding is the archive's ([`gongkai_archive::decode_html`]), the same the crawler uses, so both read a page alike:
//! BOM, then multi-byte text that is valid UTF-8 (UTF-8 whatever it claims), then the HTTP `Content-Type` charset, then
//! a `<meta>` charset near the start, then detection.

use std::borrow::Cow;

/// Decode an HTML (or script) body to UTF-8 with the archive's decoder (BOM, valid UTF-8, header, meta, detection,
/// wrong declarations corrected).
///
/// Formatting tags of a page built to amplify the parsed tree are removed ([`gongkai_archive::defuse_formatting`]).
pub fn decode(body: &[u8], content_type: Option<&str>) -> String {
    let text = gongkai_archive::decode_html(body, content_type).0;
    match gongkai_archive::defuse_formatting(&text) {
        Cow::Borrowed(_) => text,
        Cow::Owned(defused) => defused,
    }
}

/// Collapse every run of whitespace (including U+3000 and NBSP) to one ASCII space and trim.
pub fn collapse_ws(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}' {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// A name as matched against synonym tables: no whitespace at all ("首　　页" → "首页", "政府信息 公开指南" →
/// "政府信息公开指南"), full-width ASCII folded, and decorative punctuation around it removed.
pub fn name_key(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{a0}' || c == '\u{3000}' {
            continue;
        }
        let c = match c {
            '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
            _ => c,
        };
        out.push(c);
    }
    let trimmed = out.trim_matches(|c: char| {
        matches!(
            c,
            '>' | '»'
                | '›'
                | '·'
                | '•'
                | '|'
                | '['
                | ']'
                | '【'
                | '】'
                | '('
                | ')'
                | '<'
                | '《'
                | '》'
                | '"'
                | '“'
                | '”'
                | '+'
                | '-'
                | '.'
                | '…'
        )
    });
    Cow::Borrowed(trimmed).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_wins_over_meta() {
        let html = "<meta charset=gb2312><p>网站标识码</p>";
        let mut bytes = vec![0xff, 0xfe];
        for u in html.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert!(decode(&bytes, Some("text/html; charset=gbk")).contains("网站标识码"));
    }

    #[test]
    fn gbk_from_header_meta_or_detection() {
        let (gbk, _, _) =
            encoding_rs::GBK.encode("<html><body>通知公告 政务动态 主办单位：某某县人民政府办公室</body></html>");
        assert!(decode(&gbk, Some("text/html; charset=GBK")).contains("通知公告"));
        let mut with_meta = b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">".to_vec();
        with_meta.extend_from_slice(&gbk);
        assert!(decode(&with_meta, Some("text/html")).contains("主办单位"));
        assert!(decode(&gbk, None).contains("政务动态"));
        // declared GBK but really UTF-8
        assert!(decode("通知公告".as_bytes(), Some("text/html; charset=gbk")).contains("通知公告"));
    }

    #[test]
    fn names_are_normalised() {
        assert_eq!(name_key("首　　页"), "首页");
        assert_eq!(name_key(" 政府信息\n公开指南 "), "政府信息公开指南");
        assert_eq!(name_key("【通知公告】"), "通知公告");
        assert_eq!(collapse_ws(" a \u{3000} b\n\nc "), "a b c");
    }
}
