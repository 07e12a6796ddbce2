//! Items of a list column and their dates (docs/rules.md "newest date"): the date the list shows, else the article's own
//! date (PubDate meta, 发布日期 label, date in the URL) when the article is archived or its URL carries one.
//! An item with no readable date counts as not updated.

use super::dates;
use super::page::{ListItem, PageDoc};
use chrono::NaiveDate;
use std::collections::HashMap;
use url::Url;

/// An item with its date resolved.
#[derive(Debug, Clone)]
pub struct DatedItem {
    pub title: String,
    pub url: Option<Url>,
    pub date: Option<NaiveDate>,
    /// Every full date shown in the list row.
    pub row_dates: Vec<NaiveDate>,
    pub row_text: String,
}

/// Resolve each row's date, falling back to the article's own date.
pub fn resolve(rows: &[ListItem], articles: &HashMap<String, usize>, docs: &[PageDoc]) -> Vec<DatedItem> {
    rows.iter()
        .map(|r| {
            let date = r.date.or_else(|| {
                let u = r.url.as_ref()?;
                match articles.get(u.as_str()) {
                    Some(&i) if docs[i].ok() => docs[i].own_date(),
                    _ => dates::date_in_url(u.as_str()),
                }
            });
            DatedItem {
                title: r.title.clone(),
                url: r.url.clone(),
                date,
                row_dates: r.row_dates.clone(),
                row_text: r.text.clone(),
            }
        })
        .collect()
}
