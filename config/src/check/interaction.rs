//! Interaction checks: messages (留言) and their replies.
//!
//! Code and unit tests: `scoring/src/engine/checks/interaction.rs`.

use serde::{Deserialize, Serialize};

use super::Params;
use crate::period::Period;

/// `reply_delay`: among messages in the columns of `categories` posted within `lookback` before T0, one occurrence
/// per message answered more than `limit` after it was posted; with `count_unanswered`, also one per message without a
/// reply that was posted more than `limit` before T0. Placeholders: `{title}`, `{url}`, `{posted}`, `{replied}` (or
/// “未答复”), `{limit}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ReplyDelay {
    pub categories: Vec<String>,
    pub lookback: Period,
    pub limit: Period,
    #[serde(default)]
    pub count_unanswered: bool,
}

impl Params for ReplyDelay {
    const PLACEHOLDERS: &'static [&'static str] = &["title", "posted", "replied", "limit"];

    fn category_refs(&self) -> Vec<&str> {
        self.categories.iter().map(String::as_str).collect()
    }
}

/// `replies_stale`: one occurrence when the newest reply date in the columns of `categories` is older than `window`
/// (or no reply carries a readable date). Nothing when the site has no such column (another rule covers that).
/// Placeholders: `{newest}` (or “无”), `{window}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RepliesStale {
    pub categories: Vec<String>,
    pub window: Period,
}

impl Params for RepliesStale {
    const PLACEHOLDERS: &'static [&'static str] = &["newest", "window"];

    fn category_refs(&self) -> Vec<&str> {
        self.categories.iter().map(String::as_str).collect()
    }
}
