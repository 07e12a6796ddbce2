//! Turning archived bytes into text: charset detection for HTML (content decoding is [`crate::content`]), and the
//! defusing of pages built to amplify the parsed tree.
//!
//! Government sites are often GBK/GB2312, declared in a `<meta>` tag, only in the HTTP header, or wrongly. The order
//! follows the HTML standard's encoding sniffing, simplified: a byte-order mark wins; then a body that is valid UTF-8
//! and not pure ASCII is UTF-8 whatever it declares (GBK text is practically never valid UTF-8, while UTF-8 pages
//! declared as GBK are common and would decode "cleanly" as GBK mojibake); then the `Content-Type` header's charset,
//! then a `<meta charset>` / `<meta http-equiv … charset=>` in the first bytes, then statistical detection
//! (chardetng). GBK and GB2312 labels decode with the GB18030 decoder, a superset, so rare characters survive.
//!
//! Both the crawler (link discovery) and scoring (analysis) use these functions, so they see the same text.

use std::borrow::Cow;

use encoding_rs::{Encoding, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use once_cell::sync::Lazy;
use regex::bytes::Regex;

/// How many leading bytes are searched for a `<meta>` charset declaration (the standard says 1024; real pages put long
/// comments and scripts first, so a little more is read).
pub const META_SCAN_BYTES: usize = 4096;

static META_CHARSET: Lazy<Regex> =
    Lazy::new(|| Regex::new(r#"(?i-u)<meta\b[^>]*?charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)"#).expect("valid regex"));

/// The charset parameter of a `Content-Type` value (`text/html; charset=GBK` → `GBK`).
pub fn charset_from_content_type(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        if k.trim().eq_ignore_ascii_case("charset") {
            let v = v.trim().trim_matches(['"', '\'']).trim();
            (!v.is_empty()).then_some(v)
        } else {
            None
        }
    })
}

fn label_encoding(label: &str) -> Option<&'static Encoding> {
    Encoding::for_label(label.as_bytes()).map(|e| if e == GBK { GB18030 } else { e })
}

/// The charset declared by a `<meta>` tag near the start of the document, if any.
pub fn meta_charset(body: &[u8]) -> Option<&'static Encoding> {
    let head = &body[..body.len().min(META_SCAN_BYTES)];
    for cap in META_CHARSET.captures_iter(head) {
        let label = std::str::from_utf8(&cap[1]).ok()?;
        if let Some(enc) = label_encoding(label) {
            // HTML standard: a meta claiming UTF-16 in a byte stream without BOM means UTF-8; x-user-defined means
            // windows-1252.
            return Some(if enc == UTF_16BE || enc == UTF_16LE {
                UTF_8
            } else if enc.name() == "x-user-defined" {
                WINDOWS_1252
            } else {
                enc
            });
        }
    }
    None
}

/// Decode an HTML (or other text) body to a string. Returns the text and the encoding used.
///
/// `body` must already be content-decoded ([`crate::content::decode_content`]). `content_type` is the response's `Content-Type`
/// header value, if any. Invalid sequences become U+FFFD.
///
/// Declared wrongly: a body with multi-byte text that is valid UTF-8 is read as UTF-8 whatever it declares (a UTF-8
/// page declared as GBK decodes without error as GBK, into mojibake). Otherwise, when the declared charset (header,
/// else meta) does not decode the bytes cleanly, or is the windows-1252 family that servers send by default
/// (`ISO-8859-1` from Tomcat), the `<meta>` declaration and then the detector's guess are tried, and the first that
/// decodes without error is used. A correct declaration is never overridden, since it decodes cleanly.
pub fn decode_html(body: &[u8], content_type: Option<&str>) -> (String, &'static Encoding) {
    if let Some((enc, bom_len)) = Encoding::for_bom(body) {
        let (text, _) = enc.decode_without_bom_handling(&body[bom_len..]);
        return (text.into_owned(), enc);
    }
    if !body.is_ascii() {
        if let Ok(text) = std::str::from_utf8(body) {
            return (text.to_string(), UTF_8);
        }
    }
    let header = content_type.and_then(charset_from_content_type).and_then(label_encoding);
    let meta = meta_charset(body);
    let Some(declared) = header.or(meta) else {
        let enc = detect(body);
        return (enc.decode_without_bom_handling(body).0.into_owned(), enc);
    };
    let (text, had_errors) = declared.decode_without_bom_handling(body);
    if !had_errors && declared != WINDOWS_1252 {
        return (text.into_owned(), declared);
    }
    let detected = detect(body);
    for alt in [meta, Some(detected)].into_iter().flatten() {
        if alt == declared || alt == WINDOWS_1252 {
            continue;
        }
        let (alt_text, alt_errors) = alt.decode_without_bom_handling(body);
        if !alt_errors {
            return (alt_text.into_owned(), alt);
        }
    }
    (text.into_owned(), declared)
}

/// chardetng's guess for an undeclared body (GBK reported as GB18030, the decoder actually used).
fn detect(body: &[u8]) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(body, true);
    let enc = det.guess(None, chardetng::Utf8Detection::Allow);
    if enc == GBK {
        GB18030
    } else {
        enc
    }
}

/// The most tree a page's formatting elements may cost the HTML parser before they are removed (see
/// [`defuse_formatting`]): elements that could be rebuilt, as (formatting elements open at once) x (tags).
pub const MAX_FORMATTING_COST: u64 = 200_000;

/// The formatting elements of the HTML standard that the parser rebuilds ("reconstruct the active formatting
/// elements"), except `a`, of which only one is ever active.
const FORMATTING: [&[u8]; 13] =
    [b"b", b"big", b"code", b"em", b"font", b"i", b"nobr", b"s", b"small", b"strike", b"strong", b"tt", b"u"];

/// `<name` or `</name` at `i` (a `<`): (end tag, name is a formatting element).
fn tag_at(b: &[u8], i: usize) -> Option<(bool, bool)> {
    let mut j = i + 1;
    let end = b.get(j) == Some(&b'/');
    if end {
        j += 1;
    }
    let start = j;
    while j < b.len() && b[j].is_ascii_alphanumeric() {
        j += 1;
    }
    if j == start || !b[start].is_ascii_alphabetic() {
        return None;
    }
    if j < b.len() && !matches!(b[j], b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c') {
        return None;
    }
    let name = &b[start..j];
    Some((end, FORMATTING.iter().any(|f| f.eq_ignore_ascii_case(name))))
}

/// HTML as the parsers may safely read it. A page that leaves many formatting elements (`<b>`, `<i>`, `<font>` …)
/// open makes an HTML parser rebuild all of them inside every later paragraph, as the standard requires: a 30 KB page
/// of 2,000 open `<b class=…>` and 2,000 `<p>` becomes 4 million elements (about 1 GB in memory). When the estimate
/// (most formatting elements open at once x tags in the page) exceeds [`MAX_FORMATTING_COST`], every formatting tag is
/// removed before parsing: they carry no links, text or structure that the crawler or the rubric read. Other pages
/// are returned as they are.
pub fn defuse_formatting(html: &str) -> Cow<'_, str> {
    let b = html.as_bytes();
    let (mut open, mut peak, mut tags) = (0u64, 0u64, 0u64);
    for i in 0..b.len() {
        if b[i] != b'<' {
            continue;
        }
        match tag_at(b, i) {
            Some((false, true)) => {
                open += 1;
                peak = peak.max(open);
            }
            Some((true, true)) => open = open.saturating_sub(1),
            Some((_, false)) => tags += 1,
            None => {}
        }
    }
    if peak.saturating_mul(tags.max(1)) <= MAX_FORMATTING_COST {
        return Cow::Borrowed(html);
    }
    tracing::info!(peak, tags, "formatting elements would amplify the parsed tree: formatting tags removed");
    let mut out = String::with_capacity(html.len());
    let mut copied = 0;
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'<' && matches!(tag_at(b, i), Some((_, true))) {
            // '<' and '>' are ASCII: these are char boundaries.
            out.push_str(&html[copied..i]);
            let close = b[i..].iter().position(|&c| c == b'>').map_or(b.len(), |p| i + p + 1);
            copied = close;
            i = close;
        } else {
            i += 1;
        }
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_wins_over_meta_and_header() {
        let mut body = vec![0xFF, 0xFE];
        for u in "<meta charset=gb2312>政府".encode_utf16() {
            body.extend_from_slice(&u.to_le_bytes());
        }
        let (text, enc) = decode_html(&body, Some("text/html; charset=gbk"));
        assert_eq!(enc, UTF_16LE);
        assert_eq!(text, "<meta charset=gb2312>政府");
    }

    #[test]
    fn header_charset_beats_meta() {
        let (gbk, _, _) = GBK.encode("<html><meta charset=\"utf-8\">人民政府</html>");
        let (text, enc) = decode_html(&gbk, Some("text/html; charset=GB2312"));
        assert_eq!(enc, GB18030);
        assert!(text.contains("人民政府"));
    }

    #[test]
    fn meta_charset_and_http_equiv() {
        let (gbk, _, _) = GBK.encode("<html><head><meta charset=\"gbk\"><title>通知公告</title>");
        let (text, enc) = decode_html(&gbk, Some("text/html"));
        assert_eq!(enc, GB18030);
        assert!(text.contains("通知公告"));
        let (gbk, _, _) =
            GBK.encode("<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=gb2312\"><p>政务公开</p>");
        let (text, enc) = decode_html(&gbk, None);
        assert_eq!(enc, GB18030);
        assert!(text.contains("政务公开"));
    }

    #[test]
    fn undeclared_gbk_is_detected() {
        let src = "<html><body><p>关于开展二〇二六年度政府信息公开工作年度报告编制工作的通知，各乡镇人民政府、县政府各部门：\
                   为做好政府信息公开工作，根据《中华人民共和国政府信息公开条例》规定，现将有关事项通知如下。</p></body></html>";
        let (gbk, _, _) = GBK.encode(src);
        let (text, enc) = decode_html(&gbk, None);
        assert_eq!(enc, GB18030);
        assert_eq!(text, src);
    }

    #[test]
    fn wrong_declarations_are_corrected() {
        let src =
            "<html><head><meta charset=\"gbk\"><title>县人民政府</title></head><body>政务公开 通知公告</body></html>";
        let (gbk, _, _) = GBK.encode(src);
        // Header says UTF-8 (the bytes are not UTF-8): the meta declaration is used.
        let (text, enc) = decode_html(&gbk, Some("text/html; charset=utf-8"));
        assert_eq!((text.as_str(), enc), (src, GB18030));
        // Tomcat's default ISO-8859-1 on a GBK page.
        let (text, enc) = decode_html(&gbk, Some("text/html;charset=ISO-8859-1"));
        assert_eq!((text.as_str(), enc), (src, GB18030));
        // A correct UTF-8 declaration is kept even if the meta says otherwise.
        let (text, enc) = decode_html(src.as_bytes(), Some("text/html; charset=utf-8"));
        assert_eq!((text.as_str(), enc), (src, UTF_8));
    }

    #[test]
    fn valid_utf8_wins_over_a_gbk_declaration() {
        // Read as GBK, these bytes decode without error into mojibake: the declaration is wrong, not the bytes.
        let src =
            "<html><head><meta charset=\"gb2312\"><title>人民政府</title></head><body>政务公开 通知公告</body></html>";
        let (as_gbk, _, gbk_errors) = GBK.decode(src.as_bytes());
        assert!(!gbk_errors && as_gbk != src, "the case this rule is for: {as_gbk}");
        let (text, enc) = decode_html(src.as_bytes(), Some("text/html; charset=GBK"));
        assert_eq!((text.as_str(), enc), (src, UTF_8));
        let (text, enc) = decode_html(src.as_bytes(), None);
        assert_eq!((text.as_str(), enc), (src, UTF_8));
        // Pure ASCII keeps its declaration (GBK and UTF-8 read it alike); real GBK bytes are not valid UTF-8.
        assert_eq!(decode_html(b"<p>ok</p>", Some("text/html; charset=gbk")).1, GB18030);
        let (gbk, _, _) = GBK.encode(src);
        assert_eq!(decode_html(&gbk, Some("text/html; charset=GBK")), (src.to_string(), GB18030));
    }

    #[test]
    fn utf8_without_declaration() {
        let (text, enc) = decode_html("<p>公开</p>".as_bytes(), None);
        assert_eq!(enc, UTF_8);
        assert_eq!(text, "<p>公开</p>");
    }

    #[test]
    fn charset_parameter_parsing() {
        assert_eq!(charset_from_content_type("text/html; Charset=\"UTF-8\""), Some("UTF-8"));
        assert_eq!(charset_from_content_type("text/html"), None);
    }

    #[test]
    fn formatting_amplification_is_defused() {
        let mut amp = String::from("<body><p>");
        for i in 0..1000 {
            amp.push_str(&format!("<B class=c{i}><font color=x{i}>"));
        }
        amp.push_str(&"<p>x<a href=/n.html>n</a>".repeat(1000));
        let out = defuse_formatting(&amp);
        assert!(matches!(out, Cow::Owned(_)));
        assert!(!out.contains("<B") && !out.contains("<font"), "{}", &out[..200]);
        assert_eq!(out.matches("<a href=/n.html>").count(), 1000);
        // Ordinary pages, even with a few unclosed <font> and many links, and look-alike tags are left alone.
        let page =
            format!("<font><font><b>{}<body><bdo>x</bdo><iframe></iframe></b>", "<a href=/x>x</a><p>".repeat(5000));
        assert!(matches!(defuse_formatting(&page), Cow::Borrowed(_)));
        let balanced = "<p><b>x</b><i>y</i></p>".repeat(100_000);
        assert!(matches!(defuse_formatting(&balanced), Cow::Borrowed(_)));
        assert_eq!(defuse_formatting("<b"), "<b");
    }
}
