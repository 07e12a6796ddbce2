//! SURT keys (Sort-friendly URI Reordering Transform), as pywb and the IA tools compute them.
//!
//! A CDXJ index is looked up by the SURT of the requested URL, so the keys written here must be byte for byte what
//! pywb computes (python `surt.surt(url)`: the Google canonicalizer, then the IA one): scheme dropped, host lowercased
//! with a leading `www`/`www1.` removed and its labels reversed (`cn,gov,xx)`), default port dropped, path and query
//! unescaped and escaped once, path segments normalised, path and query lowercased, session ids removed, query
//! arguments sorted, fragment dropped. The unit tests hold vectors computed with python `surt`.

use once_cell::sync::Lazy;
use regex::bytes::Regex;

/// The SURT key of `uri`, e.g. `http://www.Xx.gov.cn/A/?b=2&a=1` → `cn,gov,xx)/a?a=1&b=2`.
/// A URI that does not parse as http(s) is returned lowercased and escaped once (it can still be sorted and looked up).
pub fn surt(uri: &str) -> String {
    let raw = || String::from_utf8_lossy(&escape_once(uri.trim().to_lowercase().as_bytes())).into_owned();
    let Ok(url) = url::Url::parse(uri.trim()) else { return raw() };
    if !matches!(url.scheme(), "http" | "https") {
        return raw();
    }
    let Some(host) = url.host_str() else { return raw() };
    let mut host = host.trim_start_matches('[').trim_end_matches(']').trim_matches('.').to_lowercase();
    while host.contains("..") {
        host = host.replace("..", ".");
    }
    static WWW: Lazy<regex::Regex> = Lazy::new(|| regex::Regex::new(r"^www\d*\.").expect("valid regex"));
    if let Some(m) = WWW.find(&host) {
        host = host[m.end()..].to_string();
    }
    let mut out: String = host.split('.').rev().collect::<Vec<_>>().join(",");
    if let Some(port) = url.port() {
        out.push_str(&format!(":{port}"));
    }
    out.push(')');

    // Path: unescape repeatedly, normalise segments, escape once (Google); lowercase, session ids, trailing slash (IA).
    let path = normalize_path(&unescape_repeatedly(url.path().as_bytes()));
    let mut path = escape_once(&path).to_ascii_lowercase();
    path = strip_path_session_id(&path);
    if path.len() > 1 && path.ends_with(b"/") {
        path.pop();
    }
    out.push_str(&String::from_utf8_lossy(&path));

    if let Some(q) = url.query() {
        let q = escape_once(&unescape_repeatedly(q.as_bytes()));
        let q = strip_query_session_id(&q).to_ascii_lowercase();
        let q = alpha_reorder_query(&q);
        if !q.is_empty() {
            out.push('?');
            out.push_str(&String::from_utf8_lossy(&q));
        }
    }
    out
}

fn unescape_repeatedly(input: &[u8]) -> Vec<u8> {
    let mut cur = input.to_vec();
    loop {
        let next: Vec<u8> = percent_encoding::percent_decode(&cur).collect();
        if next == cur {
            return cur;
        }
        cur = next;
    }
}

/// Python `quote_from_bytes` with surt's safe set: everything outside printable ASCII, and `%` and `#`, escaped.
fn escape_once(input: &[u8]) -> Vec<u8> {
    const SAFE: &[u8] = b"!\"$&'()*+,-./:;<=>?@[\\]^_`{|}~";
    let mut out = Vec::with_capacity(input.len());
    for &b in input {
        if b.is_ascii_alphanumeric() || SAFE.contains(&b) {
            out.push(b);
        } else {
            out.extend_from_slice(format!("%{b:02X}").as_bytes());
        }
    }
    out
}

/// Google canonicalizer's `normalizePath`: `.` and `..` resolved, empty segments dropped (a trailing `/` kept).
fn normalize_path(path: &[u8]) -> Vec<u8> {
    if path.is_empty() {
        return b"/".to_vec();
    }
    let mut kept: Vec<&[u8]> = Vec::new();
    for p in path.split(|&b| b == b'/').skip(1) {
        match p {
            b"." => {}
            b".." => {
                if kept.pop().is_none() {
                    kept.push(p);
                }
            }
            _ => kept.push(p),
        }
    }
    let mut out = b"/".to_vec();
    if let Some((last, rest)) = kept.split_last() {
        for p in rest.iter().filter(|p| !p.is_empty()) {
            out.extend_from_slice(p);
            out.push(b'/');
        }
        out.extend_from_slice(last);
    }
    out
}

fn strip_path_session_id(path: &[u8]) -> Vec<u8> {
    static RES: Lazy<[Regex; 2]> = Lazy::new(|| {
        [
            Regex::new(r"(?is)^(.*/)(\((?:[a-z]\([0-9a-z]{24}\))+\)/)([^\?]+\.aspx.*)$").expect("valid regex"),
            Regex::new(r"(?is)^(.*/)(\([0-9a-z]{24}\)/)([^\?]+\.aspx.*)$").expect("valid regex"),
        ]
    });
    let mut path = path.to_vec();
    for re in RES.iter() {
        if let Some(c) = re.captures(&path) {
            let mut p = c[1].to_vec();
            p.extend_from_slice(&c[3]);
            path = p;
        }
    }
    path
}

fn strip_query_session_id(query: &[u8]) -> Vec<u8> {
    static RES: Lazy<Vec<Regex>> = Lazy::new(|| {
        [
            r"(?is)^(.*)(?:jsessionid=[0-9a-zA-Z]{32})(?:&(.*))?$",
            r"(?is)^(.*)(?:phpsessid=[0-9a-zA-Z]{32})(?:&(.*))?$",
            r"(?is)^(.*)(?:sid=[0-9a-zA-Z]{32})(?:&(.*))?$",
            r"(?is)^(.*)(?:ASPSESSIONID[a-zA-Z]{8}=[a-zA-Z]{24})(?:&(.*))?$",
            r"(?is)^(.*)(?:cfid=[^&]+&cftoken=[^&]+)(?:&(.*))?$",
        ]
        .iter()
        .map(|r| Regex::new(r).expect("valid regex"))
        .collect()
    });
    let mut q = query.to_vec();
    for re in RES.iter() {
        if let Some(c) = re.captures(&q) {
            let mut n = c[1].to_vec();
            if let Some(rest) = c.get(2).filter(|m| !m.as_bytes().is_empty()) {
                n.extend_from_slice(rest.as_bytes());
            }
            q = n;
        }
    }
    q
}

/// Arguments sorted by name, then value (an argument without `=` before one with), as surt's `alphaReorderQuery`.
fn alpha_reorder_query(q: &[u8]) -> Vec<u8> {
    if q.len() <= 1 {
        return q.to_vec();
    }
    let mut args: Vec<(&[u8], Option<&[u8]>)> = q
        .split(|&b| b == b'&')
        .map(|a| match a.iter().position(|&b| b == b'=') {
            Some(i) => (&a[..i], Some(&a[i + 1..])),
            None => (a, None),
        })
        .collect();
    args.sort();
    let mut out = Vec::with_capacity(q.len());
    for (i, (k, v)) in args.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        out.extend_from_slice(k);
        if let Some(v) = v {
            out.push(b'=');
            out.extend_from_slice(v);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::surt;

    /// Computed with python `surt.surt(url)` (the library pywb uses).
    #[test]
    fn keys_match_python_surt() {
        let vectors = [
            ("http://www.Example.gov.cn/Foo/Bar.html?b=2&a=1#x", "cn,gov,example)/foo/bar.html?a=1&b=2"),
            ("http://127.0.0.1:8080/a/", "1,0,0,127:8080)/a"),
            ("http://www.xx.gov.cn:80/", "cn,gov,xx)/"),
            ("https://www.xx.gov.cn:443/a//b/?", "cn,gov,xx)/a/b"),
            ("http://xx.gov.cn/a/?jsessionid=123&x=1", "cn,gov,xx)/a?jsessionid=123&x=1"),
            ("http://www1.xx.gov.cn/index.htm", "cn,gov,xx)/index.htm"),
            ("http://xx.gov.cn/%E4%B8%AD%E6%96%87?q=%e4%b8%ad", "cn,gov,xx)/%e4%b8%ad%e6%96%87?q=%e4%b8%ad"),
            (
                "http://xx.gov.cn:8080/path;jsessionid=ABCDEF0123456789ABCDEF0123456789?x",
                "cn,gov,xx:8080)/path;jsessionid=abcdef0123456789abcdef0123456789?x",
            ),
            ("http://www.xx.gov.cn/a/../b/./c.html", "cn,gov,xx)/b/c.html"),
            ("http://xx.gov.cn/a%2520b", "cn,gov,xx)/a%20b"),
            ("http://xx.gov.cn/?b&a=&a=2&a", "cn,gov,xx)/?a&a=&a=2&b"),
            ("http://xx.gov.cn/a?x=%26y", "cn,gov,xx)/a?x=&y"),
            ("http://user:pw@xx.gov.cn/", "cn,gov,xx)/"),
            ("http://wwwx.gov.cn/", "cn,gov,wwwx)/"),
            ("http://www.xx.gov.cn", "cn,gov,xx)/"),
            ("http://xx.gov.cn/a?b=1&jsessionid=0123456789abcdef0123456789abcdef&c=2", "cn,gov,xx)/a?b=1&c=2"),
            ("http://[::1]:8080/x", "::1:8080)/x"),
            ("http://xx.gov.cn/%7Euser/a%2Fb", "cn,gov,xx)/~user/a/b"),
            ("http://xx.gov.cn/a b?c d", "cn,gov,xx)/a%20b?c%20d"),
        ];
        for (url, want) in vectors {
            assert_eq!(surt(url), want, "{url}");
        }
    }

    #[test]
    fn a_key_never_holds_a_space_or_control_character() {
        // CDXJ lines are `key timestamp json`: sorting whole lines sorts by key only if keys have no space.
        for url in ["http://x.gov.cn/a b\t\u{1}?q=a b", "not a url at all", "http://x.gov.cn/中文 目录/"] {
            let k = surt(url);
            assert!(!k.bytes().any(|b| b <= b' '), "{url} → {k:?}");
        }
    }
}
