//! Interaction checks: replies to messages (留言) in time.
//!
//! Parameters and their placeholders: `config/src/check/interaction.rs`.

use super::{col_source, date_or_none, window_start, Occurrence};
use crate::analysis::site::Column;
use crate::analysis::{dates, SiteAnalysis};
use crate::engine::Ctx;
use gongkai_config::check::{RepliesStale, ReplyDelay};

fn messages_of<'a>(a: &'a SiteAnalysis, categories: &[String]) -> Vec<&'a crate::analysis::messages::Message> {
    a.messages.iter().filter(|m| categories.contains(&m.category)).collect()
}

pub(super) fn reply_delay(p: &ReplyDelay, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let Some(start) = window_start(p.lookback, ctx) else { return Vec::new() };
    let mut out = Vec::new();
    for m in messages_of(a, &p.categories) {
        if m.posted < start {
            continue;
        }
        let late = match m.replied {
            Some(r) => p.limit.exceeded(m.posted, r, ctx.calendar).unwrap_or(false),
            None => p.count_unanswered && p.limit.exceeded(m.posted, ctx.t0, ctx.calendar).unwrap_or(false),
        };
        if late {
            let replied = m.replied.map(dates::iso).unwrap_or_else(|| "未答复".to_string());
            out.push(
                Occurrence::new()
                    .set("title", m.title.clone())
                    .set("url", m.source.url.to_string())
                    .set("posted", dates::iso(m.posted))
                    .set("replied", replied.clone())
                    .set("limit", p.limit.label_zh())
                    .ev(&m.source, format!("留言 {}，答复 {}", dates::iso(m.posted), replied)),
            );
        }
    }
    out
}

pub(super) fn replies_stale(p: &RepliesStale, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let cols: Vec<&Column> =
        a.columns.iter().filter(|c| c.category.as_ref().is_some_and(|x| p.categories.contains(x))).collect();
    if cols.is_empty() || cols.iter().all(|c| c.unknown) {
        return Vec::new();
    }
    let Some(start) = window_start(p.window, ctx) else { return Vec::new() };
    let newest = messages_of(a, &p.categories).iter().filter_map(|m| m.replied).max();
    if newest.is_some_and(|d| d >= start) {
        return Vec::new();
    }
    let src = col_source(a, cols[0]);
    vec![Occurrence::new()
        .set("newest", date_or_none(newest))
        .set("window", p.window.label_zh())
        .ev(&src, format!("最新答复日期 {}", date_or_none(newest)))]
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;

    /// A 县长信箱 column whose rows show the posting and reply dates.
    fn mailbox(rows: &[(&str, &str)]) -> TestSite {
        let mut l = String::from("<html><head><meta name=\"ColumnName\" content=\"县长信箱\"></head><body><div class=\"nav\"><ul><li><a href=\"/\">首页</a></li></ul></div><table class=\"list\">");
        for (i, (posted, replied)) in rows.iter().enumerate() {
            l.push_str(&format!("<tr><td><a href=\"/xzxx/{i}.html\">关于第{i}个问题的咨询</a></td><td>{posted}</td><td>{replied}</td></tr>"));
        }
        l.push_str("</table></body></html>");
        TestSite::new()
            .page("/", home(&[("/xzxx/", "县长信箱")], &[("/x/t1.html", "本县召开工作会议", "2025-11-18")], ""))
            .page("/xzxx/", l)
    }

    #[test]
    fn reply_delay_counts_replies_after_the_limit() {
        // interaction.late_reply: 20 working days
        let site = mailbox(&[("2025-09-01", "2025-09-05"), ("2025-08-01", "2025-10-20"), ("2025-10-10", "2025-10-15")]);
        let o = site.occurrences("interaction.late_reply");
        assert_eq!(o.len(), 1, "{o:?}");
        assert_eq!(o[0].values["posted"], "2025-08-01");
        assert_eq!(o[0].values["replied"], "2025-10-20");
        assert!(mailbox(&[("2025-09-01", "2025-09-05")]).occurrences("interaction.late_reply").is_empty());
    }

    #[test]
    fn reply_delay_counts_unanswered_messages_when_asked() {
        // veto.unanswered: 90 days, unanswered messages count
        let site = mailbox(&[("2025-06-01", ""), ("2025-11-01", "")]);
        let o = site.occurrences("veto.unanswered");
        assert_eq!(o.len(), 1, "{o:?}");
        assert_eq!(o[0].values["replied"], "未答复");
        assert!(site.occurrences("interaction.late_reply").is_empty(), "late_reply does not count unanswered ones");
    }

    #[test]
    fn replies_stale_when_the_newest_reply_is_old() {
        // interaction.replies_stale: 60 days
        assert!(mailbox(&[("2025-10-01", "2025-10-20")]).occurrences("interaction.replies_stale").is_empty());
        let o = mailbox(&[("2025-07-01", "2025-07-20")]).occurrences("interaction.replies_stale");
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].values["newest"], "2025-07-20");
        // no consultation column at all: another rule covers it
        let none = TestSite::new().page("/", home(&[], &[("/x/t1.html", "本县召开工作会议", "2025-11-18")], ""));
        assert!(none.occurrences("interaction.replies_stale").is_empty());
    }
}
