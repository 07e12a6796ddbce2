//! The generator's plan of one site: which veto and which deductions it carries (outcomes are the oracle's).

use super::model::{VetoCase, VETO_CASES};
use super::Family;
use crate::model::Category;
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// Defects of one site (the generator's plan; outcomes are computed by the oracle).
#[derive(Debug, Clone, Default)]
pub(super) struct Plan {
    pub(super) veto: Option<VetoCase>,
    pub(super) news_columns: usize,
    pub(super) stale_news: usize,
    pub(super) stale_notice: bool,
    pub(super) stale_policy: bool,
    pub(super) stale_periodic: Vec<Category>,
    pub(super) stale_others: usize,
    pub(super) undated_other: bool,
    pub(super) placeholders: usize,
    pub(super) dead: usize,
    pub(super) missing: Vec<Category>,
    pub(super) platform_missing: Option<Category>,
    pub(super) guide_missing: usize,
    pub(super) annual: u8, // 0 on time, 1 late, 2 missing
    pub(super) coverage_drop: usize,
    pub(super) timeliness_late: usize,
    pub(super) no_application: bool,
    pub(super) replies_stale: bool,
    pub(super) late_replies: usize,
    pub(super) no_collection: bool,
    pub(super) stale_interview: bool,
    pub(super) service_broken: bool,
    pub(super) stats_stale: bool,
    pub(super) broken_home: usize,
    pub(super) broken_site: usize,
    pub(super) identity_missing: Vec<usize>,
    pub(super) no_error_entry: bool,
    pub(super) no_search: bool,
    pub(super) bad_domain: bool,
    pub(super) privacy: usize,
    pub(super) accessibility: bool,
    pub(super) big_news: bool,
}

/// The plan of site `k` (0..6) of a family for a seed.
pub(super) fn plan_for(family: Family, k: usize, seed: u64, rng: &mut ChaCha8Rng) -> Plan {
    let f = family as usize;
    let mut p = Plan { news_columns: 1 + rng.gen_range(0..2), ..Plan::default() };
    if family == Family::AspTable && k == (seed as usize) % 2 {
        p.big_news = true;
    }
    if k < 2 {
        // Passing sites: at most a few small deductions.
        let small = rng.gen_range(0..4);
        for _ in 0..small {
            match rng.gen_range(0..6) {
                0 => p.stale_interview = true,
                1 => p.timeliness_late = 1,
                2 => p.broken_site = 1,
                3 => p.guide_missing = 1,
                4 => p.accessibility = true,
                _ => p.identity_missing = vec![rng.gen_range(0..6)],
            }
        }
        p.accessibility |= rng.gen_bool(0.4);
        return p;
    }
    let slot = (seed as usize * 5 + f * 3 + (k - 2)) % 9;
    if k < 5 {
        let v = VETO_CASES[slot];
        // A message-board family always has its board: its no-consultation slot becomes an unanswered message.
        p.veto = Some(if family.has_board() && v == VetoCase::NoConsultation { VetoCase::Unanswered } else { v });
    }
    // Deductions: a seeded handful.
    let n = if k == 5 { rng.gen_range(6..11) } else { rng.gen_range(3..7) };
    for _ in 0..n {
        draw_deduction(&mut p, rng);
    }
    p.accessibility = rng.gen_bool(0.3);
    if family.has_board() && !p.replies_stale && p.late_replies == 0 {
        // Every deducted message-board site has a board problem of its own.
        if rng.gen_bool(0.5) {
            p.replies_stale = true;
        } else {
            p.late_replies = rng.gen_range(1..5);
        }
    }
    apply_veto(&mut p);
    p
}

/// One seeded deduction (a defect of the plan), drawn from 22 kinds.
fn draw_deduction(p: &mut Plan, rng: &mut ChaCha8Rng) {
    match rng.gen_range(0..22) {
        0 => p.stale_news = 1,
        1 => p.stale_notice = true,
        2 => p.stale_policy = true,
        3 => {
            let c = *[
                Category::Interpretation,
                Category::Personnel,
                Category::Plan,
                Category::Finance,
                Category::Statistics,
            ]
            .choose(rng)
            .unwrap();
            if !p.stale_periodic.contains(&c) {
                p.stale_periodic.push(c);
            }
        }
        4 => p.placeholders = (p.placeholders + 1).min(2),
        5 => p.dead = 1,
        6 => {
            let c = *[
                Category::Interpretation,
                Category::Leaders,
                Category::Plan,
                Category::Statistics,
                Category::Overview,
            ]
            .choose(rng)
            .unwrap();
            if !p.missing.contains(&c) {
                p.missing.push(c);
            }
        }
        7 => {
            p.platform_missing = Some(
                *[Category::Guide, Category::System, Category::Statutory, Category::AnnualReport].choose(rng).unwrap(),
            )
        }
        8 => p.guide_missing = rng.gen_range(1..4),
        9 => p.annual = rng.gen_range(1..3),
        10 => p.coverage_drop = rng.gen_range(1..4),
        11 => p.timeliness_late = rng.gen_range(1..4),
        12 => p.no_application = true,
        13 => p.replies_stale = true,
        14 => p.late_replies = rng.gen_range(1..4),
        15 => p.no_collection = true,
        16 => p.service_broken = true,
        17 => p.stats_stale = true,
        18 => {
            p.broken_home = rng.gen_range(1..3);
            p.broken_site = rng.gen_range(1..4);
        }
        19 => {
            p.identity_missing = (0..6).filter(|_| rng.gen_bool(0.35)).collect();
            p.no_error_entry = rng.gen_bool(0.5);
        }
        20 => {
            p.no_search = true;
            p.bad_domain = rng.gen_bool(0.6);
        }
        _ => {
            p.privacy = rng.gen_range(1..3);
            p.undated_other = rng.gen_bool(0.5);
        }
    }
}

/// What the plan's veto needs on top of its deductions (stale or blank columns enough to trigger it).
fn apply_veto(p: &mut Plan) {
    match p.veto {
        Some(VetoCase::HomepageStale) => {
            p.stale_news = p.news_columns;
        }
        Some(VetoCase::ColumnsStale) => {
            p.news_columns = 3;
            p.stale_news = 3;
            p.stale_notice = true;
            p.stale_policy = true;
        }
        Some(VetoCase::ColumnsLongStale) => {
            p.stale_news = 0;
            p.stale_notice = false;
            p.stale_policy = false;
            p.stale_periodic = vec![
                Category::Interpretation,
                Category::Personnel,
                Category::Plan,
                Category::Finance,
                Category::Statistics,
            ];
            p.stale_others = 2;
            p.placeholders = 2;
            p.dead = 1;
            p.missing.retain(|c| !matches!(c, Category::Interpretation | Category::Plan | Category::Statistics));
        }
        Some(VetoCase::BlankColumns) => {
            p.placeholders = 3;
            p.dead = 2;
        }
        _ => {}
    }
}
