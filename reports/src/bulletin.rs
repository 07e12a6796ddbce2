//! bulletin.md: the 红黑榜 通报, worded the way a provincial office words one, ready to paste into an official
//! bulletin: overall counts by grade, the red list, the black list with each site's 不合格原因, and — given the
//! previous month — who improved, who fell back, who joined or left the black list.
//!
//! Sites that were not assessed (未检查) are counted apart — "另有N个网站未能检查（原因…）" — and listed with their
//! reasons in a section of their own; they are in no average, grade count or table of scores. The one exception is a
//! site whose home page was unreachable (veto.unreachable from probe data): it is on the black list, for that reason.
//! 需人工复核 warnings follow the site's entry wherever the bulletin names it, and all of them are listed in 总体情况.
//!
//! Text from results (site names, finding messages quoting crawled titles, reasons) is escaped for Markdown so that it
//! shows as written and cannot turn into links, HTML or table cells.

use crate::labels::{chinese_date, finding_title, level_order, region_path, veto_title, GRADES};
use crate::{fmt_points, fmt_score, Comparison, SiteChange};
use gongkai_config::{Grade, Level};
use gongkai_scoring::{FindingKind, ListKind, Results, SiteResult};
use std::fmt::Write;

/// How many sites a month-over-month list names before it refers to the spreadsheet.
const MAX_LISTED_CHANGES: usize = 50;
/// How many deductions the black list names per site besides its vetoes.
const MAX_DEDUCTIONS_NAMED: usize = 3;

/// The bulletin text.
pub fn bulletin_md(results: &Results, comparison: Option<&Comparison>) -> String {
    let mut out = String::new();
    write_bulletin(&mut out, results, comparison).expect("writing to a String cannot fail");
    out
}

/// What every section of the bulletin reads.
struct Bulletin<'a> {
    comparison: Option<&'a Comparison>,
    /// Assessed sites, ranked.
    sites: Vec<&'a SiteResult>,
    not_assessed: Vec<&'a SiteResult>,
    n: usize,
}

fn write_bulletin(o: &mut String, results: &Results, comparison: Option<&Comparison>) -> std::fmt::Result {
    let (sites, not_assessed) = crate::split_ranked(results);
    let n = sites.len();
    let total = results.sites.len();
    let as_of = &results.assessment.as_of;
    let period = match crate::labels::shanghai_date(as_of) {
        Some(d) => d.format("%Y年%-m月").to_string(),
        None => "本期".to_string(),
    };
    writeln!(o, "# 关于{period}政府网站检查情况的通报\n")?;
    let scope = if not_assessed.is_empty() {
        format!("对{total}家政府网站进行了检查")
    } else {
        format!("对{total}家政府网站开展检查，其中{n}家完成检查、{}家未能检查", not_assessed.len())
    };
    writeln!(
        o,
        "按照《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）等有关要求，依据评分规则“{}”（版本 {}），\
         {scope}，检查数据截至{}。现将检查情况通报如下。\n",
        md(&results.assessment.rubric.id),
        md(&results.assessment.rubric.version),
        chinese_date(as_of)
    )?;

    let b = Bulletin { comparison, sites, not_assessed, n };
    let mut section = Sections::default();
    overview(o, &b, &mut section)?;
    red_list(o, &b, &mut section)?;
    black_list(o, &b, &mut section)?;
    not_assessed_list(o, &b, &mut section)?;
    month_over_month(o, &b, &mut section)?;
    rectification(o, &b, &mut section)?;
    Ok(())
}

/// 一、总体情况: counts by grade and level, sites to review.
fn overview(o: &mut String, b: &Bulletin, section: &mut Sections) -> std::fmt::Result {
    let sites = &b.sites;
    let not_assessed = &b.not_assessed;
    let n = b.n;
    writeln!(o, "## {}总体情况\n", section.next())?;
    let count = |g: Grade| sites.iter().filter(|s| s.grade == g).count();
    let fail = count(Grade::Fail);
    writeln!(
        o,
        "本次共检查政府网站{n}家，平均得分{}。其中优秀{}家、良好{}家、合格{}家、不合格{}家，合格率{}。\n",
        average(&sites).map(|a| format!("{}分", fmt_points(a))).unwrap_or_else(|| "—".to_string()),
        count(Grade::Excellent),
        count(Grade::Good),
        count(Grade::Pass),
        fail,
        percent(n - fail, n)
    )?;
    if !not_assessed.is_empty() {
        let unreachable = not_assessed.iter().filter(|s| crate::unreachable_black(s)).count();
        let black = if unreachable > 0 {
            format!("其中{unreachable}个首页无法访问，列入黑榜；")
        } else {
            String::new()
        };
        writeln!(
            o,
            "另有{}个网站未能检查（原因：{}），{black}未检查的网站不评分、不排名，未计入上述统计，名单见“未检查网站”部分。\n",
            not_assessed.len(),
            reason_summary(&not_assessed)
        )?;
    }
    writeln!(o, "| 等次 | 网站数（家） | 占比 |\n|---|---:|---:|")?;
    for g in GRADES {
        writeln!(o, "| {g} | {} | {} |", count(g), percent(count(g), n))?;
    }
    let other = sites.iter().filter(|s| !GRADES.contains(&s.grade)).count();
    if other > 0 {
        writeln!(o, "| 其他 | {other} | {} |", percent(other, n))?;
    }
    writeln!(o, "| 合计 | {n} | {} |\n", if n == 0 { "—" } else { "100%" })?;

    let mut levels: Vec<Level> = sites.iter().map(|s| s.level).collect();
    levels.sort_by_key(|l| level_order(*l));
    levels.dedup();
    if levels.len() > 1 {
        writeln!(o, "按网站级别统计：\n\n| 级别 | 网站数（家） | 平均得分 | 不合格（家） |\n|---|---:|---:|---:|")?;
        for level in levels {
            let of: Vec<&SiteResult> = sites.iter().copied().filter(|s| s.level == level).collect();
            let avg = average(&of).map(fmt_points).unwrap_or_else(|| "—".to_string());
            let fails = of.iter().filter(|s| s.grade == Grade::Fail).count();
            writeln!(o, "| {} | {} | {avg} | {fails} |", md(level.label_zh()), of.len())?;
        }
        writeln!(o)?;
    }

    let flagged: Vec<&SiteResult> =
        sites.iter().chain(not_assessed.iter()).copied().filter(|s| !crate::review_text(s).is_empty()).collect();
    if !flagged.is_empty() {
        writeln!(o, "以下{}家网站的部分检查结果可能存在误判，得分按计算结果列示，需人工复核后认定：\n", flagged.len())?;
        for s in flagged {
            writeln!(o, "- {}{}", md(&s.name), review_note(s))?;
        }
        writeln!(o)?;
    }
    Ok(())
}

/// 二、红榜.
fn red_list(o: &mut String, b: &Bulletin, section: &mut Sections) -> std::fmt::Result {
    let sites = &b.sites;
    writeln!(o, "## {}红榜\n", section.next())?;
    let red: Vec<&&SiteResult> = sites.iter().filter(|s| s.list == Some(ListKind::Red)).collect();
    if red.is_empty() {
        writeln!(o, "本次没有网站列入红榜。\n")?;
    } else {
        writeln!(o, "以下{}家网站检查结果为优秀、排名靠前，列入红榜（按排名先后）：\n", red.len())?;
        writeln!(o, "| 排名 | 网站名称 | 地区 | 得分 |\n|---:|---|---|---:|")?;
        for s in red {
            writeln!(
                o,
                "| {} | {}{} | {} | {} |",
                s.rank,
                md(&s.name),
                review_note(s),
                md(&region_path(&s.region)),
                fmt_score(s.score)
            )?;
        }
        writeln!(o)?;
    }
    Ok(())
}

/// 三、黑榜: each site with its reasons and main deductions.
fn black_list(o: &mut String, b: &Bulletin, section: &mut Sections) -> std::fmt::Result {
    let sites = &b.sites;
    let not_assessed = &b.not_assessed;
    writeln!(o, "## {}黑榜\n", section.next())?;
    // Ranked sites first, then those not assessed whose home page was unreachable.
    let black: Vec<&&SiteResult> =
        sites.iter().chain(not_assessed.iter()).filter(|s| s.list == Some(ListKind::Black)).collect();
    if black.is_empty() {
        writeln!(o, "本次没有网站列入黑榜。\n")?;
    } else {
        let unreachable = black.iter().filter(|s| !s.assessed()).count();
        if unreachable == 0 {
            writeln!(o, "以下{}家网站检查结果为不合格，列入黑榜（按排名先后）：\n", black.len())?;
        } else {
            writeln!(
                o,
                "以下{}家网站列入黑榜，其中检查结果为不合格{}家（按排名先后）、首页无法访问{unreachable}家：\n",
                black.len(),
                black.len() - unreachable
            )?;
        }
        for (i, s) in black.iter().enumerate() {
            if s.assessed() {
                writeln!(
                    o,
                    "### {}. {}（{}，排名第{}，得分{}分）\n",
                    i + 1,
                    md(&s.name),
                    md(&region_path(&s.region)),
                    s.rank,
                    fmt_score(s.score)
                )?;
            } else {
                writeln!(
                    o,
                    "### {}. {}（{}，首页无法访问，未检查）\n",
                    i + 1,
                    md(&s.name),
                    md(&region_path(&s.region))
                )?;
            }
            writeln!(o, "不合格原因：\n")?;
            let mut k = 0;
            if !s.assessed() {
                k += 1;
                let reason = crate::not_assessed_reason(s);
                let reason = reason.trim_end_matches(['。', '.']);
                if reason.contains("首页无法访问") {
                    writeln!(o, "{k}. {}，网站内容未能检查。", md(reason))?;
                } else {
                    writeln!(o, "{k}. 首页无法访问，网站内容未能检查（{}）。", md(reason))?;
                }
            }
            for f in s.findings.iter().filter(|f| f.kind == FindingKind::Veto) {
                k += 1;
                let message = f.message.trim().trim_end_matches(['。', '.', '；', ';']);
                let times = crate::occurrences_text(f).map(|t| format!("，{t}")).unwrap_or_default();
                if message.is_empty() {
                    writeln!(o, "{k}. 单项否决：{}{times}。", md(finding_title(f)))?;
                } else {
                    writeln!(o, "{k}. 单项否决：{}（{}{times}）。", md(finding_title(f)), md(message))?;
                }
            }
            if s.assessed() && s.deduction_score < 60.0 {
                k += 1;
                writeln!(o, "{k}. 扣分后得分{}分，低于60分。", fmt_points(s.deduction_score))?;
            }
            if k == 0 {
                // The scorer graded it 不合格 without a veto finding or a low score: say so rather than invent one.
                let vetoes = s.vetoes.iter().map(|v| veto_title(s, v)).collect::<Vec<_>>().join("、");
                if vetoes.is_empty() {
                    writeln!(o, "1. 等次评定为{}（结果文件未列出具体原因）。", md(s.grade.as_str()))?;
                } else {
                    writeln!(o, "1. 单项否决：{}。", md(&vetoes))?;
                }
            }
            // Deductions grouped by rule (a rule can fire once per column, or once for many occurrences), largest
            // total first.
            let mut by_rule: Vec<(&str, f64, usize, &str)> = Vec::new();
            for f in s.findings.iter().filter(|f| f.kind == FindingKind::Deduction && f.points > 0.0) {
                let times = f.occurrences.max(1) as usize;
                match by_rule.iter_mut().find(|(r, _, _, _)| *r == f.rule) {
                    Some(e) => {
                        e.1 += f.points;
                        e.2 += times;
                    }
                    None => by_rule.push((&f.rule, f.points, times, finding_title(f))),
                }
            }
            by_rule.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal).then(a.0.cmp(b.0)));
            if !by_rule.is_empty() {
                let named = by_rule
                    .iter()
                    .take(MAX_DEDUCTIONS_NAMED)
                    .map(|(_, points, n, title)| {
                        let times = if *n > 1 { format!("{n}处，") } else { String::new() };
                        format!("{}（{times}扣{}分）", md(title), fmt_points(*points))
                    })
                    .collect::<Vec<_>>()
                    .join("；");
                writeln!(o, "\n主要扣分问题：{named}。")?;
            }
            let review = crate::review_text(s);
            if !review.is_empty() {
                writeln!(o, "\n（需人工复核：{}）", md(&review))?;
            }
            writeln!(o, "\n详见整改清单 sites/{}.html。\n", s.id)?;
        }
    }
    Ok(())
}

/// 未检查网站.
fn not_assessed_list(o: &mut String, b: &Bulletin, section: &mut Sections) -> std::fmt::Result {
    let not_assessed = &b.not_assessed;
    if !not_assessed.is_empty() {
        writeln!(o, "## {}未检查网站\n", section.next())?;
        writeln!(
            o,
            "以下{}个网站未能检查（未能读取网站内容），本期不评分、不排名。请有关单位核实原因，确保网站正常访问：\n",
            not_assessed.len()
        )?;
        for (i, s) in not_assessed.iter().enumerate() {
            let black =
                if crate::unreachable_black(s) { "；单项否决（网站无法访问），列入黑榜" } else { "" };
            writeln!(
                o,
                "{}. {}（{}）：{}{black}。{}",
                i + 1,
                md(&s.name),
                md(&region_path(&s.region)),
                md(crate::not_assessed_reason(s).trim_end_matches(['。', '.'])),
                review_note(s)
            )?;
        }
        writeln!(o)?;
    }
    Ok(())
}

/// 四、与上月相比.
fn month_over_month(o: &mut String, b: &Bulletin, section: &mut Sections) -> std::fmt::Result {
    let comparison = b.comparison;
    if let Some(c) = comparison {
        writeln!(o, "## {}与上月相比\n", section.next())?;
        writeln!(o, "与上一期（检查数据截至{}）相比：\n", chinese_date(&c.previous_as_of))?;
        let mut improved: Vec<&SiteChange> = c.sites.iter().filter(|s| s.improved()).collect();
        improved.sort_by(|a, b| {
            b.grade_change()
                .cmp(&a.grade_change())
                .then(b.score_change().partial_cmp(&a.score_change()).unwrap_or(std::cmp::Ordering::Equal))
                .then(a.rank.cmp(&b.rank))
        });
        let mut fell: Vec<&SiteChange> = c.sites.iter().filter(|s| s.fell_back()).collect();
        fell.sort_by(|a, b| {
            a.grade_change()
                .cmp(&b.grade_change())
                .then(a.score_change().partial_cmp(&b.score_change()).unwrap_or(std::cmp::Ordering::Equal))
                .then(a.rank.cmp(&b.rank))
        });
        let rule = format!("等次提升或得分提高{}分及以上", fmt_points(Comparison::NOTABLE_SCORE_CHANGE));
        change_table(o, &format!("进步的网站（{rule}）"), &improved)?;
        let rule = format!("等次下降或得分降低{}分及以上", fmt_points(Comparison::NOTABLE_SCORE_CHANGE));
        change_table(o, &format!("退步的网站（{rule}）"), &fell)?;

        let joined: Vec<String> = c
            .sites
            .iter()
            .filter(|s| {
                s.list == Some(ListKind::Black) && s.previous.as_ref().is_some_and(|p| p.list != Some(ListKind::Black))
            })
            .map(|s| md(&s.name))
            .collect();
        let left: Vec<String> = c
            .sites
            .iter()
            .filter(|s| {
                // A site not assessed this month has not left the black list by any merit of its own.
                s.assessed
                    && s.list != Some(ListKind::Black)
                    && s.previous.as_ref().is_some_and(|p| p.list == Some(ListKind::Black))
            })
            .map(|s| md(&s.name))
            .collect();
        writeln!(o, "新列入黑榜{}家{}\n", joined.len(), names(&joined))?;
        writeln!(o, "退出黑榜{}家{}\n", left.len(), names(&left))?;
        let fixed: usize = c.sites.iter().map(|s| s.fixed_findings.len()).sum();
        let new: usize = c
            .sites
            .iter()
            .filter(|s| s.previous.as_ref().is_some_and(|p| p.assessed))
            .map(|s| s.new_findings.len())
            .sum();
        writeln!(o, "上期发现的问题本期已整改{fixed}个，本期新发现问题{new}个。")?;
        let not_compared: Vec<String> = c
            .sites
            .iter()
            .filter(|s| s.previous.is_some() && s.comparable().is_none())
            .map(|s| format!("{}（{}）", md(&s.name), if s.assessed { "上期未检查" } else { "本期未检查" }))
            .collect();
        if !not_compared.is_empty() {
            writeln!(o, "本期或上期未检查、不作比较的网站{}家{}", not_compared.len(), names(&not_compared))?;
        }
        let newcomers = c.sites.iter().filter(|s| s.previous.is_none()).count();
        if newcomers > 0 || !c.dropped.is_empty() {
            writeln!(o, "本期新参评网站{newcomers}家，上期参评而本期未参评网站{}家。", c.dropped.len())?;
        }
        writeln!(o)?;
    }
    Ok(())
}

/// 整改要求.
fn rectification(o: &mut String, _b: &Bulletin, section: &mut Sections) -> std::fmt::Result {
    writeln!(o, "## {}整改要求\n", section.next())?;
    writeln!(
        o,
        "请各地区、各部门对照本通报和各网站整改清单（sites 目录下以网站ID命名的页面），逐项核实整改。\
         列入黑榜的网站要认真分析原因，切实落实整改。每项扣分均附有证据网址和网页存档记录，如有异议，\
         请依据存档记录提出。\n"
    )?;
    writeln!(o, "附件：各网站得分排名见 ranking.csv、report.xlsx，问题明细见 report.html。")?;
    Ok(())
}

fn change_table(o: &mut String, title: &str, v: &[&SiteChange]) -> std::fmt::Result {
    if v.is_empty() {
        return writeln!(o, "{title}：无。\n");
    }
    writeln!(o, "{title}共{}家：\n", v.len())?;
    writeln!(
        o,
        "| 网站名称 | 上期得分 | 本期得分 | 变化 | 上期等次 | 本期等次 | 排名变化 |\n|---|---:|---:|---:|---|---|---:|"
    )?;
    for s in v.iter().take(MAX_LISTED_CHANGES) {
        let p = s.comparable().expect("only sites assessed in both months change");
        writeln!(
            o,
            "| {} | {} | {} | {} | {} | {} | {} |",
            md(&s.name),
            fmt_score(p.score),
            fmt_score(s.score),
            crate::csv_out::signed(s.score_change().unwrap_or(0.0)),
            md(p.grade.as_str()),
            md(s.grade.as_str()),
            crate::csv_out::signed(s.rank_change().unwrap_or(0) as f64)
        )?;
    }
    if v.len() > MAX_LISTED_CHANGES {
        writeln!(o, "\n另有{}家，详见 report.xlsx“月度对比”表。", v.len() - MAX_LISTED_CHANGES)?;
    }
    writeln!(o)
}

/// The mean score of the sites that have one; `None` when none has.
fn average(sites: &[&SiteResult]) -> Option<f64> {
    let scores: Vec<f64> = sites.iter().filter(|s| s.assessed()).map(|s| s.score).filter(|x| x.is_finite()).collect();
    (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64)
}

/// `首页无法访问2个、抓取未完成1个`: the kinds of reason the not-assessed sites share, most common first.
fn reason_summary(sites: &[&SiteResult]) -> String {
    let mut kinds: Vec<(String, usize)> = Vec::new();
    for s in sites {
        let reason = crate::not_assessed_reason(s);
        let kind = crate::reason_kind(&reason).to_string();
        match kinds.iter_mut().find(|(k, _)| *k == kind) {
            Some(e) => e.1 += 1,
            None => kinds.push((kind, 1)),
        }
    }
    kinds.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    kinds.iter().map(|(k, n)| format!("{}{n}个", md(k))).collect::<Vec<_>>().join("、")
}

/// `（需人工复核：…）` after a site's name, empty when it has no review warning.
fn review_note(s: &SiteResult) -> String {
    let review = crate::review_text(s);
    if review.is_empty() {
        String::new()
    } else {
        format!("（需人工复核：{}）", md(&review))
    }
}

fn names(v: &[String]) -> String {
    if v.is_empty() {
        "。".to_string()
    } else {
        format!("：{}。", v.join("、"))
    }
}

fn percent(k: usize, n: usize) -> String {
    if n == 0 {
        "—".to_string()
    } else {
        format!("{}%", fmt_points(k as f64 * 100.0 / n as f64))
    }
}

/// 一、二、三…
#[derive(Default)]
struct Sections(usize);

impl Sections {
    fn next(&mut self) -> String {
        const NUM: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
        self.0 += 1;
        format!("{}、", NUM.get(self.0 - 1).copied().unwrap_or("十"))
    }
}

/// Escape text for Markdown, keeping it readable when pasted raw: the characters that can make markup anywhere in a
/// line (emphasis, code, links, HTML tags, table cells, strikethrough) get a backslash. Escaped text is only ever
/// placed mid-line, so line-start syntax (`#`, `-`, `1.`) needs nothing; line breaks become spaces so text cannot
/// start a line of its own.
pub(crate) fn md(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_structure_and_counts() {
        let r = crate::synthetic::results(150, 9);
        let b = bulletin_md(&r, None);
        assert!(b.starts_with("# 关于2026年10月政府网站检查情况的通报"));
        for h in ["## 一、总体情况", "## 二、红榜", "## 三、黑榜", "## 四、整改要求"] {
            assert!(b.contains(h), "missing {h}");
        }
        let fails = r.sites.iter().filter(|s| s.grade == Grade::Fail).count();
        assert!(b.contains(&format!("不合格{fails}家")));
        assert!(b.contains(&format!("| 不合格 | {fails} |")));
        // Every black-listed site appears with its reasons, every red one in the table.
        for s in &r.sites {
            match s.list {
                Some(ListKind::Black) => {
                    let at = b.find(&format!("{}（", md(&s.name))).unwrap_or_else(|| panic!("{} not listed", s.name));
                    let after = &b[at..];
                    assert!(after.contains("不合格原因"));
                    for v in &s.vetoes {
                        assert!(after.contains(veto_title(s, v)));
                    }
                }
                Some(ListKind::Red) => {
                    assert!(b.contains(&format!("| {} | {} |", s.rank, md(&s.name))))
                }
                None => {}
            }
        }
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
        assert!(b.contains("## 四、与上月相比"));
        assert!(b.contains("## 五、整改要求"));
        assert!(b.contains("检查数据截至2026年9月30日"));
        assert!(b.contains(&format!("退出黑榜1家：{}。", md(&cur.sites[up].name))));
        assert!(b.contains(&format!("新列入黑榜1家：{}。", md(&cur.sites[down].name))));
        let improved = b.split("进步的网站").nth(1).unwrap().split("退步的网站").next().unwrap();
        assert!(improved.contains(&md(&cur.sites[up].name)));
    }

    #[test]
    fn markdown_is_escaped() {
        assert_eq!(md("<script>x</script>"), "\\<script>x\\</script>");
        assert_eq!(md("a|b\n# c"), "a\\|b # c");
        assert_eq!(md("[点击](javascript:alert(1))"), "\\[点击\\](javascript:alert(1))");
        assert_eq!(md("2026-07-25 **粗体** _x_"), "2026-07-25 \\*\\*粗体\\*\\* \\_x\\_");
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
                assert_eq!(bytes[i - 1], b'\\', "unescaped {} at {i}: {}", *c as char, &b[i.saturating_sub(40)..i + 1]);
            }
        }
    }
}
