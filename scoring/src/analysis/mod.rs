//! Understanding one site from its archived pages, the way an assessor would (issue 4, "Understanding a site").
//!
//! [`analyze`] reads a [`SiteCapture`](gongkai_archive::SiteCapture) once and produces a [`SiteAnalysis`]: the
//! site's columns with their items and newest dates, the home page's dated items and identity footer, consultation
//! messages, annual reports, documents with 成文日期/发布日期, hidden links, exposed personal data and future-dated
//! items. The rubric engine ([`crate::engine`]) only reads this structure, so each docs/rules.md rule is a few lines over
//! facts established here.
//!
//! Each fact keeps a [`Source`] (URL and WARC record) so that every finding can point at the archived page.

pub mod api_lists;
pub mod classify;
pub mod columns;
pub mod dates;
pub mod footer;
pub mod homepage;
pub mod items;
pub mod messages;
pub mod page;
pub mod privacy;
pub mod site;

pub use site::{analyze, SiteAnalysis};

use gongkai_archive::WarcRef;
use url::Url;

/// Where a fact was observed.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub url: Url,
    pub warc: Option<WarcRef>,
}
