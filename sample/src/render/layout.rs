//! URL layout of a hand-crafted site: where its columns, list pages and articles live (by CMS style).

use crate::model::*;
use chrono::Datelike;

/// URL layout of one site.
impl SiteModel {
    pub fn base(&self, place: Place) -> (&str, &str) {
        match place {
            Place::Main => (&self.host, "/"),
            Place::Platform => (&self.platform.host, &self.platform.prefix),
        }
    }
    pub fn col_dir(&self, c: &Column) -> String {
        let (_, prefix) = self.base(c.place);
        match self.style {
            CmsStyle::Hanweb => format!("{prefix}col/col{}/", c.cid),
            _ => format!("{prefix}{}/", c.seg),
        }
    }
    /// Path of a column's first page (on the host of its place).
    pub fn col_path(&self, c: &Column) -> String {
        match self.style {
            CmsStyle::Hanweb => format!("{}index.html", self.col_dir(c)),
            _ => self.col_dir(c),
        }
    }
    pub fn list_pages(&self, c: &Column) -> usize {
        if self.style == CmsStyle::Hanweb || c.kind != ColumnKind::List {
            1
        } else {
            c.items.len().div_ceil(self.page_size).max(1)
        }
    }
    pub fn list_page_path(&self, c: &Column, page: usize) -> String {
        if page == 0 {
            return self.col_path(c);
        }
        match self.style {
            CmsStyle::Trs => format!("{}index_{page}.html", self.col_dir(c)),
            _ => format!("{}list_{}.html", self.col_dir(c), page + 1),
        }
    }
    pub fn article_path(&self, c: &Column, it: &Item) -> String {
        let (_, prefix) = self.base(c.place);
        match (self.style, it.date) {
            (CmsStyle::Trs, Some(d)) => {
                format!("{}{}/t{}_{}.html", self.col_dir(c), d.format("%Y%m"), d.format("%Y%m%d"), it.id)
            }
            (CmsStyle::Hanweb, Some(d)) => {
                format!("{prefix}art/{}/{}/{}/art_{}_{}.html", d.year(), d.month(), d.day(), c.cid, it.id)
            }
            (CmsStyle::Hanweb, None) => format!("{prefix}art/art_{}_{}.html", c.cid, it.id),
            _ => format!("{}content_{}.html", self.col_dir(c), it.id),
        }
    }
    /// The platform's index path on its host.
    pub fn platform_path(&self) -> String {
        self.platform.prefix.clone()
    }
    pub fn site_code(&self) -> String {
        self.footer.site_code.clone().unwrap_or_else(|| format!("51{:08}", self.idx))
    }
}
