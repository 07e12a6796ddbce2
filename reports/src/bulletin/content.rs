//! What the 通报 says, section by section, as [`Block`]s: the one place its wording and its choice of sites live.
//!
//! Layout of a 检查情况通报 as provincial offices issue them: 文号, title with the period, 主送, an opening paragraph,
//! 一、总体情况 (how many sites, how many checked, 合格率, counts by grade and level), 二、主要问题 (共性问题 by rule with
//! site counts and examples), 三、各地区检查情况 (合格率 by city), 四、红榜, 五、黑榜, then the month-over-month
//! comparison and the sites not assessed when there are any, 整改要求 with the deadline, 附件说明, 落款 (office and
//! date), 附注 (contact) and the 附件 with the full lists.
//!
//! At scale (a province's 2,000 sites) the body names only `top_n` sites per list — the best of the red list, the
//! worst of the black list — and the full lists go into the 附件, so the body stays a few pages long.

use super::model::{Block, Table, LIST_COLUMNS};
use crate::labels::{chinese_date, finding_title, level_order, region_path, shanghai_date, veto_title, GRADES};
use crate::{fmt_points, fmt_score, Comparison, SiteChange};
use gongkai_config::{AssessmentMonth, BulletinSettings, Grade, Level};
use gongkai_scoring::{Finding, FindingKind, ListKind, Results, SiteResult};

/// Examples named per common problem.
const EXAMPLES_PER_PROBLEM: usize = 3;
/// Deductions named per black-listed site besides its vetoes.
const MAX_DEDUCTIONS_NAMED: usize = 3;

/// The assessment period: `assessment.period`, else the month of T0 (results.json written before the field existed).
pub fn assessment_period(results: &Results) -> Option<AssessmentMonth> {
    results
        .assessment
        .period
        .as_deref()
        .and_then(|p| AssessmentMonth::parse(p).ok())
        .or_else(|| shanghai_date(&results.assessment.as_of).map(AssessmentMonth::of))
}

/// The bulletin's date: the day its results were written (Asia/Shanghai).
fn issue_date(results: &Results) -> Option<chrono::NaiveDate> {
    shanghai_date(&results.assessment.generated_at).or_else(|| shanghai_date(&results.assessment.as_of))
}

/// Everything the sections read.
struct Ctx<'a> {
    results: &'a Results,
    settings: &'a BulletinSettings,
    comparison: Option<&'a Comparison>,
    /// Assessed sites, ranked.
    sites: Vec<&'a SiteResult>,
    not_assessed: Vec<&'a SiteResult>,
    /// The 附件 so far: (title, blocks).
    attachments: Vec<(String, Vec<Block>)>,
    out: Vec<Block>,
    section: usize,
}

/// The whole bulletin.
pub(crate) fn bulletin(results: &Results, comparison: Option<&Comparison>, settings: &BulletinSettings) -> Vec<Block> {
    let (sites, not_assessed) = crate::split_ranked(results);
    let mut c = Ctx {
        results,
        settings,
        comparison,
        sites,
        not_assessed,
        attachments: Vec::new(),
        out: Vec::new(),
        section: 0,
    };
    let issued = issue_date(results);
    if let Some(office) = settings.office.as_deref().map(str::trim).filter(|o| !o.is_empty()) {
        c.out.push(Block::Masthead(office.to_string()));
    }
    if let Some(number) = issued.and_then(|d| settings.document_number(chrono::Datelike::year(&d))) {
        c.out.push(Block::Number(number));
    }
    let period = assessment_period(results).map(AssessmentMonth::label_zh).unwrap_or_else(|| "本期".to_string());
    let scope = settings.scope.as_deref().unwrap_or("");
    c.out.push(Block::Title(format!("关于{period}{scope}政府网站检查情况的通报")));
    if !settings.recipients.is_empty() {
        c.out.push(Block::Recipients(format!("{}：", settings.recipients.join("，"))));
    }
    opening(&mut c);
    overview(&mut c);
    common_problems(&mut c);
    by_city(&mut c);
    red_list(&mut c);
    black_list(&mut c);
    month_over_month(&mut c);
    not_assessed_list(&mut c);
    rectification(&mut c, issued);

    let attachments = std::mem::take(&mut c.attachments);
    if !attachments.is_empty() {
        c.out.push(Block::AttachmentNote(attachments.iter().map(|(t, _)| t.clone()).collect()));
    }
    let office = results.assessment.issuer.clone().or_else(|| settings.office.clone());
    let date = issued.map(|d| d.format("%Y年%-m月%-d日").to_string()).unwrap_or_default();
    c.out.push(Block::Signature { office, date });
    let contact = match (&settings.contact_person, &settings.contact_phone) {
        (Some(p), Some(t)) => Some(format!("（联系人：{p}；联系电话：{t}）")),
        (Some(p), None) => Some(format!("（联系人：{p}）")),
        (None, Some(t)) => Some(format!("（联系电话：{t}）")),
        (None, None) => None,
    };
    if let Some(n) = contact {
        c.out.push(Block::Note(n));
    }
    for (i, (title, blocks)) in attachments.into_iter().enumerate() {
        c.out.push(Block::Attachment { label: format!("附件{}", i + 1), title });
        c.out.extend(blocks);
    }
    c.out
}

impl Ctx<'_> {
    fn heading(&mut self, title: &str) {
        const NUM: [&str; 10] = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
        self.section += 1;
        let n = NUM.get(self.section - 1).copied().unwrap_or("十");
        self.out.push(Block::Heading1(format!("{n}、{title}")));
    }

    fn para(&mut self, text: impl Into<String>) {
        self.out.push(Block::Para(text.into()));
    }

    fn top_n(&self) -> usize {
        self.settings.top_n.max(1)
    }

    /// Adds an attachment; returns its label (`附件2`).
    fn attach(&mut self, title: String, blocks: Vec<Block>) -> String {
        self.attachments.push((title, blocks));
        format!("附件{}", self.attachments.len())
    }
}

fn opening(c: &mut Ctx) {
    let total = c.results.sites.len();
    let n = c.sites.len();
    let scope = if c.not_assessed.is_empty() {
        format!("对{total}家政府网站进行了检查")
    } else {
        format!("对{total}家政府网站开展检查，其中{n}家完成检查、{}家未能检查", c.not_assessed.len())
    };
    c.para(format!(
        "按照《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）等有关要求，依据评分规则“{}”（版本 {}），\
         {scope}，检查数据截至{}。现将检查情况通报如下。",
        c.results.assessment.rubric.id,
        c.results.assessment.rubric.version,
        chinese_date(&c.results.assessment.as_of)
    ));
}

fn count(sites: &[&SiteResult], g: Grade) -> usize {
    sites.iter().filter(|s| s.grade == g).count()
}

/// 总体情况: how many sites, how many were checked, 合格率, counts by grade and level, sites to review.
fn overview(c: &mut Ctx) {
    c.heading("总体情况");
    let total = c.results.sites.len();
    let n = c.sites.len();
    let fail = count(&c.sites, Grade::Fail);
    let pass_rate = crate::labels::pass_rate(&c.sites).map(percent_of).unwrap_or_else(|| "—".to_string());
    let mean = average(&c.sites).map(|a| format!("{}分", fmt_points(a))).unwrap_or_else(|| "—".to_string());
    let counts = format!(
        "本次共检查政府网站{n}家，平均得分{mean}。其中优秀{}家、良好{}家、合格{}家、不合格{fail}家，合格率{pass_rate}。",
        count(&c.sites, Grade::Excellent),
        count(&c.sites, Grade::Good),
        count(&c.sites, Grade::Pass),
    );
    if total == n {
        c.para(counts);
    } else {
        c.para(format!("本次纳入检查范围的政府网站共{total}家，完成检查{n}家。{counts}"));
    }
    if !c.not_assessed.is_empty() {
        let unreachable = c.not_assessed.iter().filter(|s| crate::unreachable_black(s)).count();
        let black = if unreachable > 0 {
            format!("其中{unreachable}个首页无法访问，列入黑榜；")
        } else {
            String::new()
        };
        c.para(format!(
            "另有{}个网站未能检查（原因：{}），{black}未检查的网站不评分、不排名，未计入上述统计。",
            c.not_assessed.len(),
            reason_summary(&c.not_assessed)
        ));
    }
    let mut t = Table::new(&[("等次", 30, false), ("网站数（家）", 35, true), ("占比", 35, true)]);
    for g in GRADES {
        t.row(vec![g.to_string(), count(&c.sites, g).to_string(), percent(count(&c.sites, g), n)]);
    }
    let other = c.sites.iter().filter(|s| !GRADES.contains(&s.grade)).count();
    if other > 0 {
        t.row(vec!["其他".into(), other.to_string(), percent(other, n)]);
    }
    t.row(vec!["合计".into(), n.to_string(), if n == 0 { "—".into() } else { "100%".into() }]);
    c.out.push(Block::Table(t));

    let mut levels: Vec<Level> = c.sites.iter().map(|s| s.level).collect();
    levels.sort_by_key(|l| level_order(*l));
    levels.dedup();
    if levels.len() > 1 {
        c.para("按网站级别统计如下。");
        let mut t = Table::new(&[
            ("级别", 20, false),
            ("网站数（家）", 20, true),
            ("平均得分", 20, true),
            ("不合格（家）", 20, true),
            ("合格率", 20, true),
        ]);
        for level in levels {
            let of: Vec<&SiteResult> = c.sites.iter().copied().filter(|s| s.level == level).collect();
            t.row(vec![
                level.label_zh().to_string(),
                of.len().to_string(),
                average(&of).map(fmt_points).unwrap_or_else(|| "—".into()),
                count(&of, Grade::Fail).to_string(),
                crate::labels::pass_rate(&of).map(percent_of).unwrap_or_else(|| "—".into()),
            ]);
        }
        c.out.push(Block::Table(t));
    }

    let flagged: Vec<&SiteResult> =
        c.sites.iter().chain(c.not_assessed.iter()).copied().filter(|s| !crate::review_text(s).is_empty()).collect();
    if !flagged.is_empty() {
        let lead = format!("{}家网站的部分检查结果可能存在误判，得分按计算结果列示，需人工复核后认定", flagged.len());
        let mut t =
            Table::new(&[("序号", 8, true), ("地区", 18, false), ("网站名称", 30, false), ("复核原因", 44, false)]);
        for (i, s) in flagged.iter().enumerate() {
            t.row(vec![(i + 1).to_string(), area(&s.region), s.name.clone(), crate::review_text(s)]);
        }
        if flagged.len() <= c.top_n() {
            c.para(format!("以下{lead}："));
            c.out.push(Block::Table(t));
        } else {
            let label = c.attach("需人工复核的网站名单".into(), vec![Block::Table(t)]);
            c.para(format!("另有{lead}，名单见{label}。"));
        }
    }
}

/// 主要问题: the problems many sites share, by rule, with how many sites and a few examples.
fn common_problems(c: &mut Ctx) {
    c.heading("主要问题");
    // Rule → (title, sites with it, examples), in order of first appearance; sites worst first for the examples.
    struct Problem<'a> {
        rule: &'a str,
        title: &'a str,
        veto: bool,
        sites: usize,
        examples: Vec<String>,
    }
    let mut problems: Vec<Problem> = Vec::new();
    let everyone: Vec<&SiteResult> = c.sites.iter().rev().chain(c.not_assessed.iter()).copied().collect();
    for s in &everyone {
        let mut seen: Vec<&str> = Vec::new();
        for f in s.findings.iter().filter(|f| f.kind != FindingKind::Bonus) {
            if seen.contains(&f.rule.as_str()) {
                continue;
            }
            seen.push(&f.rule);
            let p = match problems.iter_mut().position(|p| p.rule == f.rule) {
                Some(i) => &mut problems[i],
                None => {
                    problems.push(Problem {
                        rule: &f.rule,
                        title: finding_title(f),
                        veto: f.kind == FindingKind::Veto,
                        sites: 0,
                        examples: Vec::new(),
                    });
                    problems.last_mut().expect("just pushed")
                }
            };
            p.sites += 1;
            if p.examples.len() < EXAMPLES_PER_PROBLEM {
                p.examples.push(example(s, f));
            }
        }
    }
    if problems.is_empty() {
        c.para("本次检查未发现扣分或单项否决问题。");
        return;
    }
    problems.sort_by(|a, b| b.sites.cmp(&a.sites).then(b.veto.cmp(&a.veto)).then(a.rule.cmp(b.rule)));
    let checked = c.sites.len() + c.not_assessed.iter().filter(|s| crate::unreachable_black(s)).count();
    let shown = problems.len().min(c.top_n());
    c.para(format!(
        "检查发现的问题共{}类，涉及网站较多的{shown}类共性问题如下（按涉及网站数由多到少排列）。",
        problems.len()
    ));
    for (i, p) in problems.iter().take(shown).enumerate() {
        let veto = if p.veto { "（单项否决）" } else { "" };
        c.out.push(Block::Heading2(format!("（{}）{}{veto}", chinese_number(i + 1), p.title)));
        c.para(format!(
            "{}家网站存在此问题，占{}。如：{}。",
            p.sites,
            if checked > 0 { format!("已检查网站的{}", percent(p.sites, checked)) } else { "—".into() },
            p.examples.join("；")
        ));
    }
    if problems.len() > shown {
        let rest: usize = problems.iter().skip(shown).map(|p| p.sites).sum();
        c.para(format!(
            "此外，还发现其他{}类问题（涉及网站{rest}家次），详见各网站整改清单和 report.xlsx。",
            problems.len() - shown
        ));
    }
}

/// `某县人民政府网站：栏目“通知公告”最新信息日期为2026-03-02，超过6个月未更新`: the site and the finding in the
/// scorer's own words (message, else title and what was observed), never more. A finding of several occurrences (a
/// message of several clauses joined by `；`) is shown by its first, with how many there are in all: a 通报 names
/// the symptom, the 整改清单 lists every instance.
fn example(s: &SiteResult, f: &Finding) -> String {
    example_of(&s.name, f)
}

fn example_of(site_name: &str, f: &Finding) -> String {
    let name = site_label(site_name);
    let message = f.message.trim().trim_end_matches(['。', '.', '；', ';']);
    if !message.is_empty() {
        let clauses: Vec<&str> = message.split('；').map(str::trim).filter(|c| !c.is_empty()).collect();
        if clauses.len() > 1 {
            let n = (f.occurrences as usize).max(clauses.len());
            return format!("{name}{}等{n}项", clauses[0]);
        }
        return format!("{name}{message}");
    }
    match f.evidence.iter().map(|e| e.observed.trim()).find(|o| !o.is_empty()) {
        Some(o) => format!("{name}{}（{o}）", finding_title(f)),
        None => format!("{name}{}", finding_title(f)),
    }
}

/// `某县人民政府` → `某县人民政府网站`, then a colon.
fn site_label(name: &str) -> String {
    let name = name.trim();
    if name.ends_with("网站") || name.ends_with("网") || name.ends_with("平台") {
        format!("{name}：")
    } else {
        format!("{name}网站：")
    }
}

/// 各地区检查情况: 合格率 by city (`region[1]`), best first.
fn by_city(c: &mut Ctx) {
    let mut cities: Vec<(&str, Vec<&SiteResult>, usize)> = Vec::new();
    for s in c.sites.iter().copied() {
        let city = crate::labels::city(&s.region);
        match cities.iter_mut().find(|(n, _, _)| *n == city) {
            Some(e) => e.1.push(s),
            None => cities.push((city, vec![s], 0)),
        }
    }
    for s in c.not_assessed.iter() {
        let city = crate::labels::city(&s.region);
        match cities.iter_mut().find(|(n, _, _)| *n == city) {
            Some(e) => e.2 += 1,
            None => cities.push((city, Vec::new(), 1)),
        }
    }
    if cities.len() < 2 {
        return;
    }
    c.heading("各地区检查情况");
    let rate = |v: &[&SiteResult]| crate::labels::pass_rate(v).unwrap_or(-1.0);
    cities.sort_by(|a, b| {
        rate(&b.1)
            .partial_cmp(&rate(&a.1))
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(b.1.len().cmp(&a.1.len()))
            .then(a.0.cmp(b.0))
    });
    c.para("各地区政府网站检查情况如下（按合格率由高到低排列；合格率 = 已检查网站中等次为合格及以上的网站数 ÷ 已检查网站数，被单项否决的网站为不合格，未检查网站不计入）。");
    let with_na = !c.not_assessed.is_empty();
    let mut cols = vec![
        ("序号", 8, true),
        ("地区", 20, false),
        ("检查网站（家）", 14, true),
        ("合格（家）", 12, true),
        ("不合格（家）", 12, true),
        ("合格率", 12, true),
        ("平均得分", 12, true),
    ];
    if with_na {
        cols.push(("未检查（家）", 10, true));
    }
    let mut t = Table::new(&cols);
    for (i, (city, of, na)) in cities.iter().enumerate() {
        let fail = count(of, Grade::Fail);
        let mut row = vec![
            (i + 1).to_string(),
            city.to_string(),
            of.len().to_string(),
            (of.len() - fail).to_string(),
            fail.to_string(),
            crate::labels::pass_rate(of).map(percent_of).unwrap_or_else(|| "—".into()),
            average(of).map(fmt_points).unwrap_or_else(|| "—".into()),
        ];
        if with_na {
            row.push(na.to_string());
        }
        t.row(row);
    }
    c.out.push(Block::Table(t));
}

/// `成都市/金牛区`: a site's region below the province (the whole path when it names the province only).
fn area(region: &[String]) -> String {
    match region {
        [] => "—".to_string(),
        [only] => only.clone(),
        [_, rest @ ..] => region_path(rest),
    }
}

/// 红榜: the best `top_n` in the body, all of them in an 附件 when there are more.
fn red_list(c: &mut Ctx) {
    c.heading("红榜");
    let red: Vec<&SiteResult> = c.sites.iter().copied().filter(|s| s.list == Some(ListKind::Red)).collect();
    if red.is_empty() {
        c.para("本次没有网站列入红榜。");
        return;
    }
    let table = |v: &[&SiteResult]| {
        let mut t = Table::new(&LIST_COLUMNS);
        for (i, s) in v.iter().enumerate() {
            t.row(vec![(i + 1).to_string(), area(&s.region), s.name.clone(), red_problems(s)]);
        }
        t
    };
    let lead = format!("以下{}家网站检查结果为优秀、排名靠前，列入红榜（按排名先后）", red.len());
    if red.len() <= c.top_n() {
        c.para(format!("{lead}："));
        c.out.push(Block::Table(table(&red)));
    } else {
        let label = c.attach("红榜网站名单".into(), vec![Block::Table(table(&red))]);
        c.para(format!("{lead}。排名前{}位的网站如下，完整名单见{label}：", c.top_n()));
        c.out.push(Block::Table(table(&red[..c.top_n()])));
    }
}

/// What a red-listed site was still marked down for: `得分98分；首页未提供站内搜索功能（扣1分）`.
fn red_problems(s: &SiteResult) -> String {
    let deductions = main_deductions(s);
    let text = if deductions.is_empty() {
        format!("得分{}分，未发现扣分问题", fmt_score(s.score))
    } else {
        format!("得分{}分；{deductions}", fmt_score(s.score))
    };
    format!("{text}{}", review_note(s))
}

/// 黑榜: worst first (sites whose home page could not be reached, then by score, lowest first); the worst `top_n` in
/// the body, all of them in an 附件 when there are more.
fn black_list(c: &mut Ctx) {
    c.heading("黑榜");
    let mut black: Vec<&SiteResult> =
        c.sites.iter().chain(c.not_assessed.iter()).copied().filter(|s| s.list == Some(ListKind::Black)).collect();
    if black.is_empty() {
        c.para("本次没有网站列入黑榜。");
        return;
    }
    black.sort_by(|a, b| {
        a.assessed()
            .cmp(&b.assessed())
            .then(a.score.partial_cmp(&b.score).unwrap_or(std::cmp::Ordering::Equal))
            .then(b.rank.cmp(&a.rank))
            .then(a.id.cmp(&b.id))
    });
    let table = |v: &[&SiteResult]| {
        let mut t = Table::new(&LIST_COLUMNS);
        for (i, s) in v.iter().enumerate() {
            t.row(vec![(i + 1).to_string(), area(&s.region), s.name.clone(), black_problems(s)]);
        }
        t
    };
    let unreachable = black.iter().filter(|s| !s.assessed()).count();
    let which = if unreachable == 0 {
        format!("以下{}家网站检查结果为不合格，列入黑榜", black.len())
    } else {
        format!(
            "以下{}家网站列入黑榜，其中检查结果为不合格{}家、首页无法访问{unreachable}家",
            black.len(),
            black.len() - unreachable
        )
    };
    let lead = format!("{which}（首页无法访问的网站在前，其余按得分由低到高排列）");
    if black.len() <= c.top_n() {
        c.para(format!("{lead}："));
        c.out.push(Block::Table(table(&black)));
    } else {
        let label = c.attach("黑榜网站名单及主要问题".into(), vec![Block::Table(table(&black))]);
        c.para(format!("{lead}。问题最突出的{}家网站如下，完整名单见{label}：", c.top_n()));
        c.out.push(Block::Table(table(&black[..c.top_n()])));
    }
    c.para("各网站的问题明细和证据见整改清单（sites 目录下以网站ID命名的页面）。");
}

/// Why a site is on the black list, then its main deductions, in one cell.
fn black_problems(s: &SiteResult) -> String {
    let mut reasons: Vec<String> = Vec::new();
    if !s.assessed() {
        let reason = crate::not_assessed_reason(s);
        let reason = reason.trim_end_matches(['。', '.']);
        reasons.push(if reason.contains("首页无法访问") {
            format!("{reason}，网站内容未能检查")
        } else {
            format!("首页无法访问，网站内容未能检查（{reason}）")
        });
    }
    for f in s.findings.iter().filter(|f| f.kind == FindingKind::Veto) {
        let message = f.message.trim().trim_end_matches(['。', '.', '；', ';']);
        let times = crate::occurrences_text(f).map(|t| format!("，{t}")).unwrap_or_default();
        reasons.push(if message.is_empty() {
            format!("单项否决：{}{times}", finding_title(f))
        } else {
            format!("单项否决：{}（{message}{times}）", finding_title(f))
        });
    }
    if s.assessed() && s.deduction_score < 60.0 {
        reasons.push(format!("扣分后得分{}分，低于60分", fmt_points(s.deduction_score)));
    }
    if reasons.is_empty() {
        // Graded 不合格 without a veto finding or a low score: say so rather than invent a reason.
        let vetoes = s.vetoes.iter().map(|v| veto_title(s, v)).collect::<Vec<_>>().join("、");
        reasons.push(if vetoes.is_empty() {
            format!("等次评定为{}（结果文件未列出具体原因）", s.grade.as_str())
        } else {
            format!("单项否决：{vetoes}")
        });
    }
    let deductions = main_deductions(s);
    if !deductions.is_empty() {
        reasons.push(format!("主要扣分问题：{deductions}"));
    }
    format!("{}{}", reasons.join("；"), review_note(s))
}

/// `政务动态栏目未及时更新（2处，扣4分）、…`: a site's largest deductions by rule.
fn main_deductions(s: &SiteResult) -> String {
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
    by_rule
        .iter()
        .take(MAX_DEDUCTIONS_NAMED)
        .map(|(_, points, n, title)| {
            let times = if *n > 1 { format!("{n}处，") } else { String::new() };
            format!("{title}（{times}扣{}分）", fmt_points(*points))
        })
        .collect::<Vec<_>>()
        .join("、")
}

/// 与上月相比.
fn month_over_month(c: &mut Ctx) {
    let Some(cmp) = c.comparison else { return };
    c.heading("与上月相比");
    c.para(format!("与上一期（检查数据截至{}）相比：", chinese_date(&cmp.previous_as_of)));
    let mut improved: Vec<&SiteChange> = cmp.sites.iter().filter(|s| s.improved()).collect();
    improved.sort_by(|a, b| {
        b.grade_change()
            .cmp(&a.grade_change())
            .then(b.score_change().partial_cmp(&a.score_change()).unwrap_or(std::cmp::Ordering::Equal))
            .then(a.rank.cmp(&b.rank))
    });
    let mut fell: Vec<&SiteChange> = cmp.sites.iter().filter(|s| s.fell_back()).collect();
    fell.sort_by(|a, b| {
        a.grade_change()
            .cmp(&b.grade_change())
            .then(a.score_change().partial_cmp(&b.score_change()).unwrap_or(std::cmp::Ordering::Equal))
            .then(a.rank.cmp(&b.rank))
    });
    let notable = fmt_points(Comparison::NOTABLE_SCORE_CHANGE);
    change_table(c, &format!("进步的网站（等次提升或得分提高{notable}分及以上）"), &improved);
    change_table(c, &format!("退步的网站（等次下降或得分降低{notable}分及以上）"), &fell);

    let joined: Vec<String> = cmp
        .sites
        .iter()
        .filter(|s| {
            s.list == Some(ListKind::Black) && s.previous.as_ref().is_some_and(|p| p.list != Some(ListKind::Black))
        })
        .map(|s| s.name.clone())
        .collect();
    let left: Vec<String> = cmp
        .sites
        .iter()
        .filter(|s| {
            // A site not assessed this month has not left the black list by any merit of its own.
            s.assessed
                && s.list != Some(ListKind::Black)
                && s.previous.as_ref().is_some_and(|p| p.list == Some(ListKind::Black))
        })
        .map(|s| s.name.clone())
        .collect();
    let fixed: usize = cmp.sites.iter().map(|s| s.fixed_findings.len()).sum();
    let new: usize = cmp
        .sites
        .iter()
        .filter(|s| s.previous.as_ref().is_some_and(|p| p.assessed))
        .map(|s| s.new_findings.len())
        .sum();
    let mut text = format!(
        "新列入黑榜{}家{}退出黑榜{}家{}上期发现的问题本期已整改{fixed}个，本期新发现问题{new}个。",
        joined.len(),
        names(&joined, c.top_n()),
        left.len(),
        names(&left, c.top_n())
    );
    let not_compared: Vec<String> = cmp
        .sites
        .iter()
        .filter(|s| s.previous.is_some() && s.comparable().is_none())
        .map(|s| format!("{}（{}）", s.name, if s.assessed { "上期未检查" } else { "本期未检查" }))
        .collect();
    if !not_compared.is_empty() {
        text.push_str(&format!(
            "本期或上期未检查、不作比较的网站{}家{}",
            not_compared.len(),
            names(&not_compared, c.top_n())
        ));
    }
    let newcomers = cmp.sites.iter().filter(|s| s.previous.is_none()).count();
    if newcomers > 0 || !cmp.dropped.is_empty() {
        text.push_str(&format!("本期新参评网站{newcomers}家，上期参评而本期未参评网站{}家。", cmp.dropped.len()));
    }
    c.para(text);
}

fn change_table(c: &mut Ctx, title: &str, v: &[&SiteChange]) {
    if v.is_empty() {
        c.para(format!("{title}：无。"));
        return;
    }
    let n = c.top_n();
    let more = if v.len() > n {
        format!("，列出前{n}家，其余详见 report.xlsx“月度对比”表")
    } else {
        String::new()
    };
    c.para(format!("{title}共{}家{more}：", v.len()));
    let mut t = Table::new(&[
        ("网站名称", 30, false),
        ("上期得分", 12, true),
        ("本期得分", 12, true),
        ("变化", 10, true),
        ("上期等次", 12, false),
        ("本期等次", 12, false),
        ("排名变化", 12, true),
    ]);
    for s in v.iter().take(n) {
        let p = s.comparable().expect("only sites assessed in both months change");
        t.row(vec![
            s.name.clone(),
            fmt_score(p.score),
            fmt_score(s.score),
            crate::csv_out::signed(s.score_change().unwrap_or(0.0)),
            p.grade.as_str().to_string(),
            s.grade.as_str().to_string(),
            crate::csv_out::signed(s.rank_change().unwrap_or(0) as f64),
        ]);
    }
    c.out.push(Block::Table(t));
}

/// 未检查网站: in the body when few, in an 附件 when many.
fn not_assessed_list(c: &mut Ctx) {
    if c.not_assessed.is_empty() {
        return;
    }
    c.heading("未检查网站");
    let mut t = Table::new(&[("序号", 8, true), ("地区", 18, false), ("网站名称", 30, false), ("原因", 44, false)]);
    for (i, s) in c.not_assessed.iter().enumerate() {
        let black =
            if crate::unreachable_black(s) { "；单项否决（网站无法访问），列入黑榜" } else { "" };
        let review = review_note(s);
        t.row(vec![
            (i + 1).to_string(),
            area(&s.region),
            s.name.clone(),
            format!("{}{black}{review}", crate::not_assessed_reason(s).trim_end_matches(['。', '.'])),
        ]);
    }
    let lead = format!(
        "{}个网站未能检查（未能读取网站内容），本期不评分、不排名。请有关单位核实原因，确保网站正常访问",
        c.not_assessed.len()
    );
    if c.not_assessed.len() <= c.top_n() {
        c.para(format!("以下{lead}："));
        c.out.push(Block::Table(t));
    } else {
        let label = c.attach("未检查网站名单".into(), vec![Block::Table(t)]);
        c.para(format!("{lead}。名单见{label}。"));
    }
}

/// 整改要求, with the deadline.
fn rectification(c: &mut Ctx, issued: Option<chrono::NaiveDate>) {
    c.heading("整改要求");
    let deadline = issued
        .map(|d| format!("于{}前", c.settings.deadline.date(d).format("%Y年%-m月%-d日")))
        .unwrap_or_else(|| "在规定期限内".to_string());
    let report_to = match c.results.assessment.issuer.as_deref().or(c.settings.office.as_deref()) {
        Some(o) => format!("，并将整改情况报送{o}"),
        None => "，并报送整改情况".to_string(),
    };
    c.para(format!(
        "请各地区、各部门对照本通报和各网站整改清单（sites 目录下以网站ID命名的页面），逐项核实整改，{deadline}完成整改{report_to}。"
    ));
    c.para(
        "列入黑榜的网站要认真分析原因，切实落实整改。每项扣分均附有证据网址和网页存档记录，如有异议，请依据存档记录提出。",
    );
    c.para("各网站得分排名见 ranking.csv、report.xlsx，问题明细见 report.html。");
}

/// `（需人工复核：…）` after a site's entry, empty when it has no review warning.
fn review_note(s: &SiteResult) -> String {
    let review = crate::review_text(s);
    if review.is_empty() {
        String::new()
    } else {
        format!("（需人工复核：{review}）")
    }
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
    kinds.iter().map(|(k, n)| format!("{k}{n}个")).collect::<Vec<_>>().join("、")
}

/// `：甲、乙。` (at most `max` names, then `等N家`), or `。`.
fn names(v: &[String], max: usize) -> String {
    if v.is_empty() {
        "。".to_string()
    } else if v.len() > max {
        format!("：{}等{}家。", v[..max].join("、"), v.len())
    } else {
        format!("：{}。", v.join("、"))
    }
}

pub(crate) fn percent(k: usize, n: usize) -> String {
    if n == 0 {
        "—".to_string()
    } else {
        percent_of(k as f64 / n as f64)
    }
}

fn percent_of(share: f64) -> String {
    format!("{}%", fmt_points(share * 100.0))
}

/// 1 → 一, 12 → 十二 (up to 99).
fn chinese_number(n: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => D[n].to_string(),
        10..=19 => format!("十{}", D[n % 10]),
        20..=99 => format!("{}十{}", D[n / 10], D[n % 10]),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_numbers() {
        assert_eq!(chinese_number(1), "一");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(12), "十二");
        assert_eq!(chinese_number(30), "三十");
    }

    #[test]
    fn an_example_names_the_first_occurrence_and_how_many() {
        let f: Finding = serde_json::from_value(serde_json::json!({
            "rule": "links.broken_home", "kind": "deduction", "points": 3.0, "occurrences": 4, "evidence": [],
            "message": "首页链接 http://a.gov.cn/zt/1.html 无法访问（HTTP 404）；首页链接 http://a.gov.cn/zt/2.html 无法访问（HTTP 404）",
        }))
        .unwrap();
        assert_eq!(
            example_of("甲县人民政府", &f),
            "甲县人民政府网站：首页链接 http://a.gov.cn/zt/1.html 无法访问（HTTP 404）等4项"
        );
        let one = Finding { message: "栏目“通知公告”超过6个月未更新。".into(), occurrences: 1, ..f };
        assert_eq!(example_of("甲县政府网", &one), "甲县政府网：栏目“通知公告”超过6个月未更新");
    }

    #[test]
    fn areas_drop_the_province() {
        assert_eq!(area(&["示范省".into(), "甲市".into(), "乙县".into()]), "甲市/乙县");
        assert_eq!(area(&["示范省".into()]), "示范省");
        assert_eq!(area(&[]), "—");
    }
}
