//! What the crawl learnt about each URL it fetched, for link outcomes: a link target crawled as a page gets that
//! fetch's outcome (following redirects) instead of a second request.
//!
//! Every site of a province is active at once, so this map holds an entry for every URL of every site until its
//! link checks run. It is kept compact: the key is a 128-bit digest of the URL's text rather than the parsed `Url`
//! (88 bytes plus its text), and the rare parts of a value (a redirect target, a reason) are boxed: by the types'
//! sizes, about 50 bytes an entry instead of about 280 (an estimate, not a measurement per entry).
//!
//! Two URLs sharing a 128-bit digest would need about 2^64 URLs; the digest is SipHash with fixed keys, so the same
//! URL has the same key in every run (a resumed crawl rebuilds the map from the archive).

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use url::Url;

/// The outcome of one fetched (or deliberately not fetched) URL.
#[derive(Debug, Clone)]
pub(super) enum Known {
    /// `not_checked`: the answer says nothing about the link (429, a truncated page): its reason.
    Status {
        status: u16,
        redirect: Option<Box<Url>>,
        not_checked: Option<Box<str>>,
    },
    Failed(Box<str>),
    RobotsDisallowed,
    /// Not requested by the crawler's own rules, with the reason.
    NotChecked(Box<str>),
}

impl Known {
    pub(super) fn status(status: u16, redirect: Option<Url>, not_checked: Option<String>) -> Known {
        Known::Status { status, redirect: redirect.map(Box::new), not_checked: not_checked.map(String::into_boxed_str) }
    }
}

/// The map of one site's outcomes, keyed by URL.
#[derive(Debug, Default)]
pub(super) struct KnownMap {
    by_url: HashMap<u128, Known>,
}

impl KnownMap {
    pub(super) fn insert(&mut self, url: &Url, known: Known) {
        self.by_url.insert(key(url), known);
    }

    pub(super) fn get(&self, url: &Url) -> Option<&Known> {
        self.by_url.get(&key(url))
    }
}

/// Two SipHash-1-3 digests of the URL's text under different prefixes. `DefaultHasher::new` has fixed keys, so a key
/// is the same in every run of the same build.
fn key(url: &Url) -> u128 {
    let half = |salt: u8| {
        let mut h = std::collections::hash_map::DefaultHasher::new();
        salt.hash(&mut h);
        url.as_str().hash(&mut h);
        h.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_url_text_and_keeps_values() {
        let mut m = KnownMap::default();
        let a = Url::parse("http://www.a.gov.cn/x/").unwrap();
        let b = Url::parse("http://www.a.gov.cn/y/").unwrap();
        m.insert(&a, Known::status(301, Some(b.clone()), None));
        m.insert(&b, Known::Failed("超时".into()));
        match m.get(&Url::parse("http://WWW.a.gov.cn/x/").unwrap()) {
            Some(Known::Status { status: 301, redirect: Some(next), not_checked: None }) => assert_eq!(**next, b),
            other => panic!("{other:?}"),
        }
        assert!(matches!(m.get(&b), Some(Known::Failed(e)) if &**e == "超时"));
        assert!(m.get(&Url::parse("http://www.a.gov.cn/z/").unwrap()).is_none());
    }

    #[test]
    fn an_entry_is_small() {
        assert!(std::mem::size_of::<Known>() <= 40, "{}", std::mem::size_of::<Known>());
    }
}
