//! Integrity checks: forged dates, hidden spam links (暗链), personal data on pages.
//!
//! Parameters and their placeholders: `config/src/check/integrity.rs`.

use super::Occurrence;
use crate::analysis::{dates, privacy, SiteAnalysis};
use crate::engine::Ctx;
use gongkai_config::check::{FutureDates, HiddenLinks, PrivacyExposure};
use gongkai_config::Period;
use std::collections::BTreeSet;

pub(super) fn future_dates(p: &FutureDates, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let limit = match p.tolerance {
        Period::Days(n) => ctx.t0 + chrono::Days::new(n as u64),
        other => ctx.t0 + chrono::Days::new(other.as_std().map(|d| d.as_secs().div_ceil(86_400)).unwrap_or(1)),
    };
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for t in &a.dated_things {
        if t.date > limit && seen.insert(t.url.to_string()) {
            out.push(
                Occurrence::new()
                    .set("date", dates::iso(t.date))
                    .set("title", t.title.clone())
                    .set("url", t.url.to_string())
                    .ev(&t.source, format!("发布日期 {}，检查时间 {}", dates::iso(t.date), dates::iso(ctx.t0))),
            );
        }
    }
    out
}

pub(super) fn hidden_links(p: &HiddenLinks, a: &SiteAnalysis) -> Vec<Occurrence> {
    let words: Vec<String> = p.words.iter().map(|w| w.to_lowercase()).collect();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for l in &a.hidden_links {
        let text = l.text.to_lowercase();
        let target = l.target.as_str().to_lowercase();
        let hit = words.iter().any(|w| text.contains(w) || target.contains(w))
            || p.patterns.iter().any(|r| r.is_match(&l.text) || r.is_match(l.target.as_str()));
        if hit && seen.insert((l.source.url.to_string(), l.target.to_string(), l.text.clone())) {
            out.push(
                Occurrence::new()
                    .set("text", l.text.clone())
                    .set("target", l.target.to_string())
                    .set("url", l.source.url.to_string())
                    .set("how", "以CSS隐藏")
                    .ev(&l.source, format!("隐藏链接“{}” → {}", l.text, l.target)),
            );
        }
    }
    out
}

pub(super) fn privacy_exposure(p: &PrivacyExposure, a: &SiteAnalysis) -> Vec<Occurrence> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (src, e) in &a.exposures {
        if !seen.insert(src.url.to_string()) {
            continue;
        }
        let mut kinds = Vec::new();
        let mut samples = Vec::new();
        if p.id_numbers && !e.id_numbers.is_empty() {
            kinds.push("身份证号");
            samples.extend(e.id_numbers.iter().map(|s| privacy::mask(s)));
        }
        let cards: Vec<&String> = e
            .card_numbers
            .iter()
            .filter(|c| (p.card_digits[0]..=p.card_digits[1]).contains(&(c.len() as u32)))
            .collect();
        if p.bank_cards && !cards.is_empty() {
            kinds.push("银行卡号");
            samples.extend(cards.iter().map(|s| privacy::mask(s)));
        }
        if kinds.is_empty() {
            continue;
        }
        let kinds = kinds.join("、");
        let sample = samples.join("、");
        out.push(
            Occurrence::new()
                .set("url", src.url.to_string())
                .set("kinds", kinds.clone())
                .set("sample", sample.clone())
                .ev(src, format!("页面含{kinds}：{sample}")),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;

    fn home_with(extra: &str) -> TestSite {
        TestSite::new().page("/", home(&[], &[("/x/t1.html", "本县召开工作会议", "2025-11-18")], extra))
    }

    #[test]
    fn future_dates_beyond_the_tolerance() {
        let site = TestSite::new().page(
            "/",
            home(
                &[],
                &[("/x/t1.html", "本县召开工作会议", "2025-11-18"), ("/x/t2.html", "关于明年工作的安排", "2025-12-25")],
                "",
            ),
        );
        let o = site.occurrences("veto.future_dates");
        assert_eq!(o.len(), 1, "{o:?}");
        assert_eq!(o[0].values["date"], "2025-12-25");
        // T0 + 1 day is within the tolerance
        let next_day = TestSite::new().page("/", home(&[], &[("/x/t1.html", "本县召开工作会议", "2025-11-21")], ""));
        assert!(next_day.occurrences("veto.future_dates").is_empty());
    }

    #[test]
    fn hidden_links_only_with_spam_words() {
        assert!(home_with("<div style=\"display:none\"><a href=\"/about/\">关于我们</a></div>")
            .occurrences("veto.hidden_links")
            .is_empty());
        let o = home_with(
            "<div style=\"position:absolute;left:-9999px\"><a href=\"http://x.example/\">澳门娱乐城</a></div>",
        )
        .occurrences("veto.hidden_links");
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].values["text"], "澳门娱乐城");
        // a visible link with the same words is not hidden
        assert!(home_with("<a href=\"http://x.example/\">澳门娱乐城</a>").occurrences("veto.hidden_links").is_empty());
    }

    #[test]
    fn privacy_exposure_masks_valid_numbers_only() {
        let o = home_with("<p>张三 11010519491231002X</p>").occurrences("security.privacy");
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].values["sample"], "1101**********002X");
        // a number that fails the ID checksum is not personal data
        assert!(home_with("<p>编号 110105194912310021</p>").occurrences("security.privacy").is_empty());
    }
}
