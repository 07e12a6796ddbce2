//! Consultation messages (政务咨询) with their posting and reply dates (docs/rules.md `veto.unanswered`,
//! `interaction.replies_stale`, `interaction.late_reply`).
//!
//! A message list row usually shows 留言时间 and 回复时间 (the first full date is the posting date, a second one the
//! reply); when the row shows fewer dates, the archived message page's labels (留言时间/提问时间/来信时间,
//! 回复时间/答复时间) are read, and when the answer has a page of its own (查看答复), that page's. A message with no posting
//! date cannot be judged and is left out.

use super::dates;
use super::items::DatedItem;
use super::page::PageDoc;
use super::Source;
use chrono::NaiveDate;
use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct Message {
    pub title: String,
    pub posted: NaiveDate,
    pub replied: Option<NaiveDate>,
    pub source: Source,
    /// Category of the column it was read from.
    pub category: String,
}

pub const POSTED: [&str; 5] = ["留言时间", "提问时间", "来信时间", "咨询时间", "提交时间"];
pub const REPLIED: [&str; 4] = ["回复时间", "答复时间", "办结时间", "回复日期"];

pub fn read(
    docs: &[PageDoc],
    index: &HashMap<String, usize>,
    list_page: usize,
    items: &[DatedItem],
    category: &str,
) -> Vec<Message> {
    let lp = &docs[list_page];
    let mut out = Vec::new();
    for it in items {
        let detail = it.url.as_ref().and_then(|u| index.get(u.as_str())).map(|&i| &docs[i]).filter(|d| d.ok());
        let mut posted = it.row_dates.first().copied();
        let mut replied = it.row_dates.get(1).copied();
        if let Some(d) = detail {
            if posted.is_none() {
                posted = dates::labelled_date(&d.text, &POSTED);
            }
            if replied.is_none() {
                replied = dates::labelled_date(&d.text, &REPLIED);
            }
            if replied.is_none() {
                // the answer on a page of its own, linked from the message (查看答复, 回复详情)
                replied = d
                    .links
                    .iter()
                    .filter(|l| !l.nav && !l.footer && (l.text.contains("答复") || l.text.contains("回复")))
                    .filter_map(|l| index.get(l.href.as_str()).map(|&i| &docs[i]))
                    .filter(|r| r.ok() && r.url != d.url)
                    .find_map(|r| dates::labelled_date(&r.text, &REPLIED));
            }
        }
        let Some(posted) = posted else { continue };
        let source = match (detail, &it.url) {
            (Some(d), _) => Source { url: d.url.clone(), warc: Some(d.warc.clone()) },
            _ => Source { url: lp.url.clone(), warc: Some(lp.warc.clone()) },
        };
        out.push(Message { title: it.title.clone(), posted, replied, source, category: category.to_string() });
    }
    out
}
