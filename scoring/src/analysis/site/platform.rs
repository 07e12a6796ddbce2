//! The 政府信息公开 platform: where it is (configured, or the home page's link to it), its own page and the pages that
//! page frames, and the columns of its own tree whatever their URLs.

use super::{resolve_url, Pages};
use crate::analysis::classify::PageKind;
use crate::analysis::columns::{canonical, categorize, is_platform_name, under};
use crate::analysis::page::PageDoc;
use gongkai_config::{ColumnKind, Rubric, Site};
use std::collections::{BTreeMap, HashMap};
use url::Url;

/// The 政府信息公开 platform as the site shows it.
pub(super) struct Platform {
    /// Configured, else the home page's link named 政府信息公开.
    pub(super) root: Option<Url>,
    /// The platform's own page, when archived.
    pub(super) page: Option<usize>,
    /// Pages the platform page frames (iframe), read as part of it.
    pub(super) frames: Vec<usize>,
}

impl Platform {
    /// The platform page and the pages it frames.
    pub(super) fn pages(&self) -> Vec<usize> {
        self.page.into_iter().chain(self.frames.iter().copied()).collect()
    }
}

impl Pages<'_> {
    /// The platform: configured, else the home page's link named 政府信息公开; its page and the pages it frames.
    pub(super) fn platform(&self, site: &Site) -> Platform {
        let Pages { docs, home, .. } = *self;
        // The platform: configured, else the home page's link named 政府信息公开.
        let platform_root: Option<Url> = site.platform.clone().or_else(|| {
            let h = &docs[home?];
            let l = h.links.iter().find(|l| is_platform_name(&l.text))?;
            let i = self.resolve(&l.href);
            Some(i.map(|i| docs[i].url.clone()).unwrap_or_else(|| l.href.clone()))
        });
        // the platform's own page: the configured URL as archived, else the home page's link to it, else the archived
        // page closest to the platform root (its index)
        let platform_page = platform_root.as_ref().and_then(|u| {
            self.resolve(u)
                .or_else(|| {
                    let h = &docs[home?];
                    let l = h.links.iter().find(|l| is_platform_name(&l.text) && under(&l.href, u))?;
                    self.resolve(&l.href)
                })
                .or_else(|| {
                    docs.iter()
                        .enumerate()
                        .filter(|(_, d)| d.ok() && d.is_html && under(&d.url, u))
                        .min_by_key(|(_, d)| (d.url.path().len(), d.url.as_str().len()))
                        .map(|(i, _)| i)
                })
        });
        // A platform page that only frames the real platform (iframe): read the framed page too.
        let platform_frames: Vec<usize> = platform_page
            .map(|p| docs[p].iframes.iter().filter_map(|u| self.resolve(u)).filter(|&i| docs[i].is_html).collect())
            .unwrap_or_default();
        Platform { root: platform_root, page: platform_page, frames: platform_frames }
    }
}

/// The columns of the 政府信息公开 platform's own tree (canonical keys), whatever their URLs: the column pages the
/// platform page links to that are not the site's main menu (which the platform's pages repeat), and the
/// sub-columns of its containers (法定主动公开内容). A platform that is a section of the main site under opaque ids
/// (`/col/col100/` with children `/col/col101/` …) is recognised this way, where a path prefix says nothing.
pub(super) fn platform_tree(
    docs: &[PageDoc],
    index: &HashMap<String, usize>,
    kinds: &[PageKind],
    home: Option<usize>,
    platform_pages: &[usize],
    platform_root: Option<&Url>,
    rubric: &Rubric,
) -> std::collections::HashSet<String> {
    let mut keys = std::collections::HashSet::new();
    if platform_pages.is_empty() {
        return keys;
    }
    // the site's main menu: links of the home page's navigation (the platform's pages repeat it)
    let menu: std::collections::HashSet<usize> = home
        .map(|h| {
            docs[h]
                .menu_links()
                .filter(|l| platform_root.is_none_or(|r| !under(&l.href, r)))
                .filter_map(|l| resolve_url(docs, index, &l.href))
                .collect()
        })
        .unwrap_or_default();
    let mut queue: Vec<(usize, u32)> = platform_pages.iter().map(|&p| (p, 0)).collect();
    let mut seen: std::collections::HashSet<usize> = platform_pages.iter().copied().collect();
    while let Some((p, depth)) = queue.pop() {
        // navigation blocks of this page that are the site's main menu repeated (most of their links lead where the
        // home page's menu does); the platform's own tree may link to a main-site column too, and then it counts
        let mut block_links: BTreeMap<u32, (usize, usize)> = BTreeMap::new();
        for l in docs[p].links.iter().filter(|l| l.nav_block > 0) {
            // links to pages the archive holds, other than the platform's own pages
            let Some(j) = resolve_url(docs, index, &l.href) else { continue };
            if platform_pages.contains(&j) {
                continue;
            }
            let e = block_links.entry(l.nav_block).or_default();
            e.0 += 1;
            if menu.contains(&j) || Some(j) == home {
                e.1 += 1;
            }
        }
        let site_menu = |b: u32| b > 0 && block_links.get(&b).is_some_and(|(n, m)| *m * 5 >= *n * 4);
        for l in docs[p].links.iter().filter(|l| !l.hidden && !l.footer) {
            match resolve_url(docs, index, &l.href) {
                Some(j) => {
                    let repeated_menu = menu.contains(&j) && (l.nav_block == 0 || site_menu(l.nav_block));
                    if Some(j) == home || repeated_menu || !kinds[j].is_column() || platform_pages.contains(&j) {
                        continue;
                    }
                    let name = docs[j].meta("ColumnName").unwrap_or(&l.text);
                    let cat =
                        categorize(rubric, name, Some(&docs[j].url)).or_else(|| categorize(rubric, &l.text, None));
                    // only what names itself a column (or is named like one) belongs to the tree
                    if docs[j].meta("ColumnName").is_none() && cat.is_none() {
                        continue;
                    }
                    keys.insert(canonical(&docs[j].url));
                    if depth < 3 && cat.is_some_and(|c| c.kind == ColumnKind::Container) && seen.insert(j) {
                        queue.push((j, depth + 1));
                    }
                }
                None => {
                    if categorize(rubric, &l.text, None).is_some() {
                        keys.insert(canonical(&l.href));
                    }
                }
            }
        }
    }
    keys
}
