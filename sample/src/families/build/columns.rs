//! The columns of a family site, main site first, then the platform (first level, then the 法定主动公开内容
//! sub-columns), and the consultation board's messages.

use super::{pick, Who, B};
use crate::families::model::*;
use crate::families::names::*;
use crate::families::plan::Plan;
use crate::gen::{annual_deadline, minus};
use crate::model::{Category, ColumnKind, DocInfo, Item, ItemExtra, Place};
use chrono::{Datelike, Days};
use gongkai_config::Level;
use rand::seq::SliceRandom;
use rand::Rng;

/// The main site's lists: news columns (one may carry a future date), notice (with exposed personal data) and policy
/// (with 成文日期 and 文号).
pub(super) fn main_lists(b: &mut B, w: &Who, plan: &Plan, cols: &mut Vec<FCol>) {
    let (level, short, year, t0) = (w.level, &w.short, w.year, b.t0);
    // --- Main site ---
    let news_names: Vec<String> = {
        let mut v: Vec<String> = vec![format!("{}要闻", short.trim_end_matches('县').trim_end_matches('市'))];
        let pool = ["政务动态", "工作动态", "部门动态", "乡镇动态", "图片新闻"];
        let mut pool: Vec<&str> = pool.to_vec();
        pool.shuffle(&mut b.rng);
        if b.rng.gen_bool(0.5) || level == Level::Department {
            v.clear();
        }
        v.extend(pool.iter().map(|s| s.to_string()));
        v.truncate(plan.news_columns);
        v
    };
    for (i, nm) in news_names.iter().enumerate() {
        let seg = if nm.ends_with("要闻") { "zwyw".to_string() } else { seg_for(nm, Category::News) };
        let mut c = b.col(nm, &seg, Category::News, Place::Main, ColumnKind::List);
        let n = if plan.big_news && i == 0 { 132 } else { b.rng.gen_range(12..26) };
        let stale = i < plan.stale_news;
        let newest = if stale { b.rng.gen_range(24..40) } else { b.rng.gen_range(3..8) };
        let step = if plan.big_news && i == 0 { 1 } else { b.rng.gen_range(2..5) };
        c.items = b.items(Category::News, n, newest, step);
        cols.push(c);
    }
    if plan.veto == Some(VetoCase::FutureDates) {
        let ahead: i64 = b.rng.gen_range(12..30);
        let it = b.item(Category::News, 1, Some(minus(t0, -ahead)));
        cols[0].items.insert(0, it);
    }
    let notice_name = pick(&mut b.rng, &["通知公告", "公示公告", "公告公示"]);
    let mut notice =
        b.col(notice_name, &seg_for(notice_name, Category::Notice), Category::Notice, Place::Main, ColumnKind::List);
    let (nn, ns) = if plan.stale_notice {
        (b.rng.gen_range(200..240), 9)
    } else {
        (b.rng.gen_range(3..9), b.rng.gen_range(6..12))
    };
    notice.items = {
        let n_ = b.rng.gen_range(10..22);
        b.items(Category::Notice, n_, nn, ns)
    };
    for k in 0..plan.privacy {
        let it = &mut notice.items[1 + k * 2];
        if k % 2 == 0 {
            it.exposes_id = true;
        } else {
            it.exposes_card = true;
        }
    }
    if plan.veto == Some(VetoCase::HomepageStale) {
        notice.items = {
            let n_ = b.rng.gen_range(10..22);
            b.items(Category::Notice, n_, if plan.stale_notice { 210 } else { 35 }, 9)
        };
    }
    cols.push(notice);
    let policy_name = pick(&mut b.rng, &["政策文件", "规范性文件", "政府文件", "文件资料", "政策法规"]);
    let mut policy =
        b.col(policy_name, &seg_for(policy_name, Category::Policy), Category::Policy, Place::Main, ColumnKind::List);
    let (pn, ps) = if plan.stale_policy {
        (b.rng.gen_range(200..240), 11)
    } else if plan.veto == Some(VetoCase::HomepageStale) {
        (b.rng.gen_range(40..60), 10)
    } else {
        (b.rng.gen_range(3..10), b.rng.gen_range(8..15))
    };
    policy.items = {
        let n_ = b.rng.gen_range(8..18);
        b.items(Category::Policy, n_, pn, ps)
    };
    for (j, it) in policy.items.iter_mut().enumerate() {
        let dd = it.date.unwrap();
        let late = j >= 1 && j <= plan.timeliness_late;
        let gap = if late { b.rng.gen_range(55..90) } else { b.rng.gen_range(0..5) };
        it.doc = Some(DocInfo {
            written: minus(dd, gap),
            number: format!("{}发〔{}〕{}号", short.chars().next().unwrap(), dd.year().min(year), 10 + j),
        });
    }
    cols.push(policy);
}

/// The main site's other columns: overview, consultation board, collection, interview, 办件 lists and the 办事服务 entry.
pub(super) fn main_other(b: &mut B, w: &Who, plan: &Plan, cols: &mut Vec<FCol>) {
    let (level, gov, short, key) = (w.level, w.gov, &w.short, &w.key);
    if gov && !plan.missing.contains(&Category::Overview) {
        let nm = if b.rng.gen_bool(0.5) {
            format!("走进{}", short.trim_end_matches('县').trim_end_matches('市'))
        } else {
            pick(&mut b.rng, &["县情概况", "县情简介", "概况信息"]).to_string()
        };
        let nm = if level == Level::City { nm.replace("县情", "市情") } else { nm };
        let nm = if nm == "市情简介" { "市情概况".to_string() } else { nm };
        cols.push(b.col(&nm, "zjgk", Category::Overview, Place::Main, ColumnKind::Single));
    }
    if plan.veto != Some(VetoCase::NoConsultation) {
        let nm = if gov {
            pick(&mut b.rng, &["县长信箱", "网上咨询", "领导信箱", "我要写信", "政务咨询"]).to_string()
        } else {
            pick(&mut b.rng, &["局长信箱", "网上咨询", "在线咨询"]).to_string()
        };
        let nm = if level == Level::City { nm.replace("县长", "市长") } else { nm };
        let mut c = b.col(&nm, "wszx", Category::Consultation, Place::Main, ColumnKind::List);
        c.items = messages(b, plan);
        cols.push(c);
    }
    if !plan.no_collection {
        let mut c = b.col("意见征集", "yjzj", Category::Collection, Place::Main, ColumnKind::List);
        c.items = {
            let n_ = b.rng.gen_range(4..10);
            let d_ = b.rng.gen_range(20..120);
            b.items(Category::Collection, n_, d_, 25)
        };
        cols.push(c);
    }
    {
        let nm = pick(&mut b.rng, &["在线访谈", "访谈直播"]);
        let mut c =
            b.col(nm, seg_for(nm, Category::Interview).as_str(), Category::Interview, Place::Main, ColumnKind::List);
        let newest = if plan.stale_interview { b.rng.gen_range(420..500) } else { b.rng.gen_range(15..150) };
        c.items = {
            let n_ = b.rng.gen_range(3..8);
            b.items(Category::Interview, n_, newest, 40)
        };
        cols.push(c);
    }
    {
        let nm = pick(&mut b.rng, &["办件公示", "办件统计", "办件结果公示"]);
        let mut c = b.col(
            nm,
            if nm == "办件统计" { "bjtj" } else { "bjgs" },
            Category::ServiceStats,
            Place::Main,
            ColumnKind::List,
        );
        let newest = if plan.stats_stale { b.rng.gen_range(130..200) } else { b.rng.gen_range(3..30) };
        c.items = {
            let n_ = b.rng.gen_range(6..14);
            b.items(Category::ServiceStats, n_, newest, 14)
        };
        cols.push(c);
    }
    if plan.veto != Some(VetoCase::NoService) {
        let nm = pick(&mut b.rng, &["办事服务", "网上办事", "政务服务", "在线办事"]);
        let mut c = b.col(nm, "bsfw", Category::Service, Place::Main, ColumnKind::Entry);
        let path = if plan.service_broken { format!("/old/{key}/index.html") } else { format!("/{key}/") };
        c.entry_target = Some(format!("http://{}{path}", crate::gen::SERVICE_HOST));
        c.entry_broken = plan.service_broken;
        cols.push(c);
    }
}

/// The platform's first level: guide, system, 法定主动公开内容, annual reports, application. True when the
/// 法定主动公开内容 container is present.
pub(super) fn platform_first_level(b: &mut B, w: &Who, plan: &Plan, cols: &mut Vec<FCol>) -> bool {
    let (level, short, year) = (w.level, &w.short, w.year);
    // --- Platform ---
    let pm = plan.platform_missing;
    let statutory_present = pm != Some(Category::Statutory);
    if pm != Some(Category::Guide) {
        let nm = pick(&mut b.rng, &["政府信息公开指南", "公开指南", "信息公开指南"]);
        cols.push(b.col(nm, &seg_for(nm, Category::Guide), Category::Guide, Place::Platform, ColumnKind::Single));
    }
    if pm != Some(Category::System) {
        let nm = pick(&mut b.rng, &["政府信息公开制度", "公开制度"]);
        let mut c = b.col(nm, &seg_for(nm, Category::System), Category::System, Place::Platform, ColumnKind::Single);
        c.seg = "xxgkzd".into();
        cols.push(c);
    }
    if statutory_present {
        let nm = pick(&mut b.rng, &["法定主动公开内容", "主动公开", "政府信息公开目录"]);
        let mut c = b.col(nm, "fdzdgknr", Category::Statutory, Place::Platform, ColumnKind::Container);
        c.seg = "fdzdgknr".into();
        cols.push(c);
    }
    if pm != Some(Category::AnnualReport) {
        let nm = pick(&mut b.rng, &["政府信息公开年报", "信息公开年度报告", "政府信息公开年度报告"]);
        let mut c = b.col(nm, "xxgknb", Category::AnnualReport, Place::Platform, ColumnKind::List);
        let deadline = annual_deadline(level, year);
        let mut reps = vec![];
        let first_year = if plan.annual == 2 { year - 2 } else { year - 1 };
        for (j, y) in (first_year - 2..=first_year).rev().enumerate() {
            let on_time = annual_deadline(level, y + 1) - Days::new(b.rng.gen_range(12..26));
            let date =
                if y == year - 1 && plan.annual == 1 { deadline + Days::new(b.rng.gen_range(40..70)) } else { on_time };
            let mut it = b.item(Category::AnnualReport, j, Some(date));
            it.title = format!("{short}{y}年政府信息公开工作年度报告");
            it.extra = ItemExtra::AnnualReport { year: y };
            reps.push(it);
        }
        c.items = reps;
        cols.push(c);
    }
    if !plan.no_application {
        let nm = pick(&mut b.rng, &["依申请公开", "依申请公开政府信息"]);
        cols.push(b.col(nm, "ysqgk", Category::Application, Place::Platform, ColumnKind::Single));
    }
    statutory_present
}

/// Sub-columns of 法定主动公开内容 (flat on the platform index when there is no container): canonical ones, 条例
/// 第20条 clause columns, placeholders and dead (404) spares.
pub(super) fn statutory_subs(b: &mut B, w: &Who, plan: &Plan, cols: &mut Vec<FCol>, statutory_present: bool) {
    let gov = w.gov;
    // Sub-columns of 法定主动公开内容 (flat on the platform index when there is no container).
    let mut subs: Vec<FCol> = vec![];
    let cat_names: [(Category, &[&str]); 7] = [
        (Category::Functions, &["机构职能", "机构设置", "内设机构", "部门职责"]),
        (Category::Leaders, &["领导信息", "领导之窗", "政府领导", "负责人信息"]),
        (Category::Interpretation, &["政策解读", "解读回应", "文件解读"]),
        (Category::Personnel, &["人事信息", "人事任免", "公务员招考"]),
        (Category::Plan, &["规划计划", "发展规划", "计划总结"]),
        (Category::Finance, &["财政预决算", "财政信息", "部门预决算"]),
        (Category::Statistics, &["统计信息", "统计数据", "数据发布"]),
    ];
    for (cat, names) in cat_names {
        if plan.missing.contains(&cat) {
            continue;
        }
        let nm = pick(&mut b.rng, names);
        let nm = if cat == Category::Leaders && !gov { "单位领导" } else { nm };
        let single = matches!(cat, Category::Functions | Category::Leaders);
        let mut c = b.col(
            nm,
            &seg_for(nm, cat),
            cat,
            Place::Platform,
            if single { ColumnKind::Single } else { ColumnKind::List },
        );
        if !single {
            let stale = plan.stale_periodic.contains(&cat);
            let newest = if stale { b.rng.gen_range(400..480) } else { b.rng.gen_range(10..120) };
            c.items = {
                let n_ = b.rng.gen_range(4..12);
                b.items(cat, n_, newest, if stale { 30 } else { 21 })
            };
        }
        subs.push(c);
    }
    // 行政许可 (条例 第20条（五）) is never dropped: the main site's 办事服务 entry names match its keywords too, so
    // whether it is covered would depend on which column names one counts.
    let mut clauses: Vec<usize> = (1..CLAUSE_COLUMNS.len()).collect();
    clauses.shuffle(&mut b.rng);
    clauses.truncate(CLAUSE_COLUMNS.len() - 1 - plan.coverage_drop);
    clauses.push(0);
    clauses.sort();
    for (j, &ci) in clauses.iter().enumerate() {
        let (nm, seg) = CLAUSE_COLUMNS[ci];
        let mut c = b.col(nm, seg, Category::Other, Place::Platform, ColumnKind::List);
        let stale = j < plan.stale_others;
        let newest = if stale { b.rng.gen_range(420..480) } else { b.rng.gen_range(10..200) };
        c.items = {
            let n_ = b.rng.gen_range(3..9);
            b.items(Category::Other, n_, newest, 17)
        };
        if plan.undated_other && j == clauses.len() - 1 {
            for it in &mut c.items {
                it.date = None;
            }
        }
        subs.push(c);
    }
    // Placeholders: an existing sub-column shows 暂无信息; spare columns answer 404.
    let mut spare: Vec<usize> = (0..SPARE_COLUMNS.len()).collect();
    spare.shuffle(&mut b.rng);
    let mut spare = spare.into_iter();
    for _ in 0..plan.placeholders {
        let (nm, seg) = SPARE_COLUMNS[spare.next().unwrap()];
        let mut c = b.col(nm, seg, Category::Other, Place::Platform, ColumnKind::List);
        c.placeholder = true;
        subs.push(c);
    }
    for _ in 0..plan.dead {
        let (nm, seg) = SPARE_COLUMNS[spare.next().unwrap()];
        let mut c = b.col(nm, seg, Category::Other, Place::Platform, ColumnKind::List);
        c.dead = true;
        subs.push(c);
    }
    for mut c in subs {
        c.first_level = !statutory_present;
        c.in_container = statutory_present;
        cols.push(c);
    }
}

/// Consultation messages for a plan (newest posted first). Posted dates stay within 330 days of T0; replies come
/// 0–4 days after posting (on time), 50–80 days (late: more than 20 working days, less than 90 days), or 120+ days.
fn messages(b: &mut B, plan: &Plan) -> Vec<Item> {
    let t0 = b.t0;
    let mut v: Vec<(i64, Option<i64>)> = vec![]; // (posted days ago, reply gap days)
    let n = b.rng.gen_range(7..12);
    let base = if plan.replies_stale { 90 } else { 4 };
    for j in 0..n {
        let posted = base + 5 + j as i64 * b.rng.gen_range(14..22);
        let posted = posted.min(320 - (n - j) as i64);
        v.push((posted, Some(b.rng.gen_range(0..5))));
    }
    // Late replies: posted 150..300 days ago, answered 50..80 days later.
    for j in 0..plan.late_replies {
        let idx = (v.len() - 1 - j).max(1);
        let posted = 150 + (j as i64) * 40 + b.rng.gen_range(0..10);
        v[idx] = (posted, Some(b.rng.gen_range(50..81)));
    }
    if plan.veto == Some(VetoCase::Unanswered) {
        // Either never answered (posted 130–200 days ago) or answered 120–127 days after posting, the answer 5–40
        // days before T0 (well inside the 60-day reply window).
        let gap = if b.rng.gen_bool(0.5) { None } else { Some(b.rng.gen_range(120..128)) };
        let posted = match gap {
            None => b.rng.gen_range(130..200),
            Some(g) => g + b.rng.gen_range(5..40),
        };
        v.insert(1, (posted, gap));
    }
    // A recent message still being handled (posted 10–40 days ago, no veto, not late).
    if b.rng.gen_bool(0.5) {
        v.insert(0, (b.rng.gen_range(10..40), None));
    }
    v.sort_by_key(|x| x.0);
    v.dedup_by_key(|x| x.0);
    v.into_iter()
        .enumerate()
        .map(|(k, (p, gap))| {
            let posted = minus(t0, p);
            let replied = gap.map(|g| minus(posted, -g)).filter(|r| *r < t0);
            let mut it = b.item(Category::Consultation, k, Some(posted));
            it.extra = ItemExtra::Message { posted, replied };
            it
        })
        .collect()
}
