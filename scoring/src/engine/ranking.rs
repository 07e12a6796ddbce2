//! Ranking and the red/black lists (docs/rules.md "Result"): non-vetoed sites by score, descending; vetoed sites after
//! them by deduction_score; ties by site id, so a ranking never depends on crawl order. `black` for every 不合格
//! site; `red` for sites of the red-list grade within the top share of the group (at least `min_sites`).

use crate::results::{ListKind, SiteResult};
use gongkai_config::Rubric;
use std::cmp::Ordering;

fn order(a: &SiteResult, b: &SiteResult) -> Ordering {
    // sites that were not assessed stand apart, after every ranked site, by id
    match (a.assessed(), b.assessed()) {
        (true, false) => return Ordering::Less,
        (false, true) => return Ordering::Greater,
        (false, false) => return a.id.cmp(&b.id),
        (true, true) => {}
    }
    let ka = if a.vetoed { a.deduction_score } else { a.score };
    let kb = if b.vetoed { b.deduction_score } else { b.score };
    a.vetoed.cmp(&b.vetoed).then_with(|| kb.total_cmp(&ka)).then_with(|| a.id.cmp(&b.id))
}

/// Sort `results` by rank and set `rank` (1 = best; 0 for a site that was not assessed, which is unranked) and
/// `list` (a site not assessed is on the black list only when `veto.unreachable` fired from probe data).
pub fn rank(results: &mut [SiteResult], rubric: &Rubric) {
    results.sort_by(order);
    let rl = &rubric.parameters.red_list;
    let n = results.iter().filter(|r| r.assessed()).count();
    let red_max = ((n as f64 * rl.top_share).floor() as usize).max(rl.min_sites as usize);
    for (i, r) in results.iter_mut().enumerate() {
        r.rank = if r.assessed() { i as u32 + 1 } else { 0 };
        r.list = if r.grade == gongkai_config::Grade::Fail {
            Some(ListKind::Black)
        } else if r.assessed() && r.grade == rl.grade && i < red_max {
            Some(ListKind::Red)
        } else {
            None
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::*;

    fn site(id: &str, score: f64, ded: f64, vetoed: bool, grade: &str) -> SiteResult {
        SiteResult {
            id: id.into(),
            name: id.into(),
            url: String::new(),
            region: vec![],
            level: gongkai_config::Level::County,
            status: Default::default(),
            status_reason: None,
            score,
            deduction_score: ded,
            bonus: score - ded,
            grade: gongkai_config::Grade::parse(grade).unwrap(),
            vetoed,
            vetoes: vec![],
            rank: 0,
            list: None,
            crawl: CrawlSummary { pages: 0, errors: 0, started_at: String::new(), finished_at: None, requisites: 0 },
            identity: Identity::default(),
            columns: vec![],
            findings: vec![],
            review: vec![],
            filed_downtime: vec![],
            ipv6: None,
            tls: vec![],
        }
    }

    #[test]
    fn vetoed_sites_rank_last_ties_by_id_red_top_ten_percent() {
        let r = Rubric::default_rubric();
        let mut v = vec![
            site("b", 95.0, 93.0, false, "优秀"),
            site("a", 95.0, 95.0, false, "优秀"),
            site("z", 99.0, 99.0, true, "不合格"),
            site("c", 85.0, 85.0, false, "良好"),
            site("y", 70.0, 70.0, true, "不合格"),
        ];
        rank(&mut v, &r);
        let ids: Vec<_> = v.iter().map(|s| (s.id.as_str(), s.rank, s.list)).collect();
        assert_eq!(
            ids,
            vec![
                ("a", 1, Some(ListKind::Red)),
                ("b", 2, None),
                ("c", 3, None),
                ("z", 4, Some(ListKind::Black)),
                ("y", 5, Some(ListKind::Black))
            ]
        );
    }
}
