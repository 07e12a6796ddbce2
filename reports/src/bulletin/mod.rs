//! The 红黑榜 通报 (检查情况通报), as bulletin.md and as bulletin.docx in 公文 format.
//!
//! One text, two renderings: [`content`] decides what the bulletin says (sections, counts, which sites, the words),
//! [`model`] holds it as blocks, [`markdown`] and [`docx`] render the blocks. So the two files always say the same.
//!
//! The 公文 elements results cannot know — 文号, 主送, issuing office, deadline, contact, how many sites the body
//! names — come from gongkai.toml ([`BulletinSettings`]); without it the bulletin has no 文号 or 主送, its 落款 is
//! the date alone, and the deadline is 30 days after the bulletin's date.
//!
//! Sites that were not assessed (未检查) are counted apart and listed with their reasons; they are in no average,
//! grade count or table of scores, except a site whose home page was unreachable (veto.unreachable from probe data),
//! which is on the black list for that reason. 需人工复核 warnings follow the site wherever the bulletin names it.

mod content;
mod docx;
mod markdown;
mod model;

use crate::Comparison;
use anyhow::Result;
use gongkai_config::BulletinSettings;
use gongkai_scoring::Results;

pub use content::assessment_period;

/// bulletin.md with the built-in settings (no 文号, 主送 or office).
pub fn bulletin_md(results: &Results, comparison: Option<&Comparison>) -> String {
    bulletin_md_with(results, comparison, &BulletinSettings::default())
}

/// bulletin.md with the 公文 elements of `settings`.
pub fn bulletin_md_with(results: &Results, comparison: Option<&Comparison>, settings: &BulletinSettings) -> String {
    markdown::render(&content::bulletin(results, comparison, settings))
}

/// bulletin.docx (the bytes of the file) with the 公文 elements of `settings`.
pub fn bulletin_docx(
    results: &Results,
    comparison: Option<&Comparison>,
    settings: &BulletinSettings,
) -> Result<Vec<u8>> {
    docx::render(&content::bulletin(results, comparison, settings))
}

#[cfg(test)]
mod tests {
    use super::markdown::md;
    use super::*;
    use crate::labels::veto_title;
    use gongkai_config::{Deadline, Grade};
    use gongkai_scoring::ListKind;

    fn settings(top_n: usize) -> BulletinSettings {
        BulletinSettings {
            office: Some("示范省人民政府办公厅".into()),
            office_short: Some("示政办".into()),
            number: Some("{office_short}函〔{year}〕{n}号".into()),
            serial: Some(7),
            scope: Some("全省".into()),
            recipients: vec!["各市（州）人民政府办公室".into(), "省直各部门".into()],
            deadline: Deadline::Days(20),
            contact_person: Some("张三".into()),
            contact_phone: Some("028-12345678".into()),
            top_n,
        }
    }

    #[test]
    fn official_structure_and_counts() {
        let r = crate::synthetic::results(150, 9);
        // Every list in the body (no 附件).
        let b = bulletin_md_with(&r, None, &BulletinSettings { top_n: 1000, ..BulletinSettings::default() });
        assert!(b.starts_with("# 关于2026年10月政府网站检查情况的通报"), "{}", &b[..200]);
        for h in [
            "## 一、总体情况",
            "## 二、主要问题",
            "## 三、各地区检查情况",
            "## 四、红榜",
            "## 五、黑榜",
            "## 六、整改要求",
        ] {
            assert!(b.contains(h), "missing {h}");
        }
        let fails = r.sites.iter().filter(|s| s.grade == Grade::Fail).count();
        assert!(b.contains(&format!("不合格{fails}家")));
        assert!(b.contains(&format!("| 不合格 | {fails} |")));
        // Without settings: no 文号, no office in the 落款, a deadline 30 days after the bulletin's date (1 Nov).
        assert!(b.contains("于2026年12月1日前完成整改，并报送整改情况"), "deadline");
        assert!(b.trim_end().ends_with("2026年11月1日"), "落款 date only: {}", &b[b.len() - 200..]);
        // Every black-listed site appears with its reasons, every red one in the table (150 sites: all in the body).
        let red: Vec<_> = r.sites.iter().filter(|s| s.list == Some(ListKind::Red)).collect();
        let black: Vec<_> = r.sites.iter().filter(|s| s.list == Some(ListKind::Black)).collect();
        for s in &black {
            let row = b.lines().find(|l| l.contains(&format!("| {} |", md(&s.name)))).expect("black row");
            for v in &s.vetoes {
                assert!(row.contains(&md(veto_title(s, v))), "{row}");
            }
        }
        for s in &red {
            assert!(
                b.lines().any(|l| l.contains(&format!("| {} | 得分", md(&s.name)))),
                "{} not on the red list",
                s.name
            );
        }
        assert!(!b.contains("附件1"), "no attachment when every list fits in the body");
    }

    #[test]
    fn period_from_results_not_from_the_date_of_the_run() {
        // A November assessment scored on 2 December with T0 = now: the period says November.
        let mut r = crate::synthetic::results_at(20, 1, "2026-12-02T10:00:00+08:00");
        assert!(bulletin_md(&r, None).starts_with("# 关于2026年12月政府网站检查情况的通报"), "default: month of T0");
        r.assessment.period = Some("2026-11".into());
        assert!(bulletin_md(&r, None).starts_with("# 关于2026年11月政府网站检查情况的通报"));
    }

    #[test]
    fn settings_give_number_recipients_signature_and_deadline() {
        let r = crate::synthetic::results(150, 9);
        let b = bulletin_md_with(&r, None, &settings(10));
        let lines: Vec<&str> = b.lines().filter(|l| !l.is_empty()).collect();
        assert_eq!(lines[0], "**示范省人民政府办公厅**", "版头: the issuing office");
        assert_eq!(lines[1], "示政办函〔2026〕7号");
        assert_eq!(lines[2], "# 关于2026年10月全省政府网站检查情况的通报");
        assert_eq!(lines[3], "各市（州）人民政府办公室，省直各部门：");
        assert!(b.contains("于2026年11月21日前完成整改，并将整改情况报送示范省人民政府办公厅"));
        assert!(b.contains("示范省人民政府办公厅  \n2026年11月1日"), "落款");
        assert!(b.contains("（联系人：张三；联系电话：028-12345678）"));
    }

    #[test]
    fn common_problems_by_rule_with_examples_from_findings() {
        let r = crate::synthetic::results(300, 4);
        let b = bulletin_md(&r, None);
        let section = b.split("## 二、主要问题").nth(1).unwrap().split("## 三、").next().unwrap();
        let first = section.split("### （一）").nth(1).expect("a first common problem");
        let title = first.lines().next().unwrap().trim_end_matches("（单项否决）");
        // The site count given is the number of sites with a finding of that title.
        let with: Vec<_> = r.sites.iter().filter(|s| s.findings.iter().any(|f| f.title == title)).collect();
        assert!(first.contains(&format!("{}家网站存在此问题", with.len())), "{first}");
        // Each example is a site that has it, in the finding's own words.
        let examples = first.split("如：").nth(1).unwrap().lines().next().unwrap().trim_end_matches('。');
        let examples: Vec<&str> = examples.split('；').collect();
        assert!((1..=3).contains(&examples.len()));
        for e in examples {
            assert!(
                with.iter().any(|s| s.findings.iter().any(|f| f.title == title
                    && e.starts_with(&md(&s.name))
                    && e.ends_with(&md(f.message.trim_end_matches('。'))))),
                "example not from a finding: {e}"
            );
        }
    }

    #[test]
    fn at_scale_the_body_names_top_n_and_attachments_list_all() {
        let r = crate::synthetic::results(2000, 3);
        let s = settings(10);
        let b = bulletin_md_with(&r, None, &s);
        let (body, attachments) = b.split_once("\n---\n").expect("attachments");
        let red = r.sites.iter().filter(|x| x.list == Some(ListKind::Red)).count();
        let black = r.sites.iter().filter(|x| x.list == Some(ListKind::Black)).count();
        assert!(red > 10 && black > 10);
        let rows = |text: &str| text.lines().filter(|l| l.starts_with("| ") && l.split(" | ").count() == 4).count();
        // Body: the red and black tables with 10 rows each (plus their headers); attachments: all of them.
        let red_body = body.split("## 四、红榜").nth(1).unwrap().split("## 五、").next().unwrap();
        assert_eq!(rows(red_body), 11);
        let black_body = body.split("## 五、黑榜").nth(1).unwrap().split("## 六、").next().unwrap();
        assert_eq!(rows(black_body), 11);
        assert!(body.contains("附件：1. 红榜网站名单"));
        let a1 = attachments.split("## 附件1：红榜网站名单").nth(1).unwrap().split("## 附件2").next().unwrap();
        assert_eq!(rows(a1), red + 1);
        let a2 = attachments.split("## 附件2：黑榜网站名单及主要问题").nth(1).unwrap();
        assert_eq!(rows(a2.split("## 附件3").next().unwrap()), black + 1);
        let body_lines = body.lines().count();
        assert!(body_lines < 250, "body of {body_lines} lines at 2,000 sites");
    }

    #[test]
    fn month_over_month_section() {
        let mut prev = crate::synthetic::results(60, 1);
        prev.assessment.as_of = "2026-09-30T23:59:59+08:00".into();
        let mut cur = prev.clone();
        cur.assessment.as_of = "2026-10-31T23:59:59+08:00".into();
        // One site recovers from the black list, one falls onto it.
        let up = cur.sites.iter().position(|s| s.list == Some(ListKind::Black)).unwrap();
        cur.sites[up].grade = Grade::Good;
        cur.sites[up].list = None;
        cur.sites[up].score = 85.0;
        let down = cur.sites.iter().position(|s| s.grade == Grade::Good && s.list.is_none() && !s.vetoed).unwrap();
        cur.sites[down].grade = Grade::Fail;
        cur.sites[down].list = Some(ListKind::Black);
        let c = crate::compare(&cur, &prev);
        let b = bulletin_md(&cur, Some(&c));
        let at = |h: &str| b.find(h).unwrap_or_else(|| panic!("no {h}"));
        assert!(at("、黑榜\n") < at("、与上月相比\n") && at("、与上月相比\n") < at("、整改要求\n"));
        assert!(b.contains("检查数据截至2026年9月30日"));
        assert!(b.contains(&format!("退出黑榜1家：{}。", md(&cur.sites[up].name))));
        assert!(b.contains(&format!("新列入黑榜1家：{}。", md(&cur.sites[down].name))));
        let improved = b.split("进步的网站").nth(1).unwrap().split("退步的网站").next().unwrap();
        assert!(improved.contains(&md(&cur.sites[up].name)));
    }

    #[test]
    fn hostile_text_is_escaped() {
        let mut r = crate::synthetic::results(20, 2);
        crate::synthetic::make_hostile(&mut r);
        r.sites[0].vetoes = vec!["veto.no_service".into()];
        r.sites[0].grade = Grade::Fail;
        r.sites[0].list = Some(ListKind::Black);
        let b = bulletin_md(&r, None);
        assert!(b.contains("\\<script>alert"), "hostile title shown, escaped");
        let bytes = b.as_bytes();
        for (i, c) in bytes.iter().enumerate() {
            // The bulletin itself never writes these; any in the text came from results and must be escaped.
            if matches!(c, b'<' | b'[' | b']') {
                assert_eq!(bytes[i - 1], b'\\', "unescaped {} at {i}", *c as char);
            }
        }
        let docx = bulletin_docx(&r, None, &settings(5)).unwrap();
        assert!(docx.starts_with(b"PK"));
    }
}
