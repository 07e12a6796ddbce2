//! What the two oracles share (`truth` grades the default province, `families::oracle` the family province): the
//! rubric's date windows, the tally of findings, the staleness rules over a site's columns, and the tail that turns
//! occurrences into points, caps, a score, a grade. Both oracles read docs/rules.md's definitions; this is the one copy.

use crate::model::{Category, Column, Item, MisstatementKind};
use crate::truth::{domain_ok, weekdays_between, Assessment, FindingTruth, IdentityTruth, DEDUCTIONS, GROUP_CAPS};
use chrono::{Days, Months, NaiveDate};
use gongkai_config::Level;
use std::collections::BTreeMap;

pub(crate) fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The rubric's windows back from T0.
pub(crate) struct Windows {
    pub t0: NaiveDate,
    pub d14: NaiveDate,
    pub m3: NaiveDate,
    pub m6: NaiveDate,
    pub m12: NaiveDate,
    pub y365: NaiveDate,
}

impl Windows {
    pub fn at(t0: NaiveDate) -> Windows {
        Windows {
            t0,
            d14: t0 - Days::new(14),
            m3: t0.checked_sub_months(Months::new(3)).unwrap(),
            m6: t0.checked_sub_months(Months::new(6)).unwrap(),
            m12: t0.checked_sub_months(Months::new(12)).unwrap(),
            y365: t0 - Days::new(365),
        }
    }
}

/// Vetoes in the order they fire, and deduction occurrences with their evidence per rule.
#[derive(Default)]
pub(crate) struct Tally {
    pub vetoes: Vec<(String, Vec<String>)>,
    occ: BTreeMap<&'static str, (u32, Vec<String>)>,
}

impl Tally {
    pub fn veto(&mut self, rule: &str, evidence: Vec<String>) {
        self.vetoes.push((rule.into(), evidence));
    }

    /// `n` occurrences of a deduction rule (nothing when `n` is 0).
    pub fn add(&mut self, rule: &'static str, n: u32, evidence: Vec<String>) {
        if n > 0 {
            let e = self.occ.entry(rule).or_default();
            e.0 += n;
            e.1.extend(evidence);
        }
    }

    /// Points, caps, groups, the accessibility bonus and the grade. Rank and list are filled in by `rank_sites`.
    pub fn finish(self, accessibility: bool, home: &str, identity: IdentityTruth) -> Assessment {
        let Tally { vetoes, occ } = self;
        let mut findings = vec![];
        let mut groups: BTreeMap<String, f64> = GROUP_CAPS.iter().map(|(g, _)| (g.to_string(), 0.0)).collect();
        for (rule, (n, ev)) in &occ {
            let (_, group, per, cap) = DEDUCTIONS.iter().find(|d| d.0 == *rule).unwrap();
            let pts = round2((*n as f64 * per).min(*cap));
            // `annual_report_late` is the 4-point form of the one rule `disclosure.annual_report`.
            let name = if *rule == "disclosure.annual_report_late" { "disclosure.annual_report" } else { rule };
            *groups.get_mut(*group).unwrap() += pts;
            findings.push(FindingTruth {
                rule: name.to_string(),
                kind: "deduction".into(),
                occurrences: *n,
                points: pts,
                evidence: ev.clone(),
            });
        }
        let mut lost = 0.0;
        for (g, cap) in GROUP_CAPS {
            let v = groups.get_mut(g).unwrap();
            *v = round2(v.min(cap));
            lost += *v;
        }
        let deduction_score = round2(100.0 - lost);
        let mut bonus = 0.0;
        if accessibility && deduction_score > 80.0 {
            bonus += 2.0;
            findings.push(FindingTruth {
                rule: "bonus.accessibility".into(),
                kind: "bonus".into(),
                occurrences: 1,
                points: 2.0,
                evidence: vec![home.to_string()],
            });
        }
        for (v, ev) in &vetoes {
            findings.push(FindingTruth {
                rule: v.clone(),
                kind: "veto".into(),
                occurrences: 1,
                points: 0.0,
                evidence: ev.clone(),
            });
        }
        let score = round2(deduction_score + bonus);
        let grade = if !vetoes.is_empty() || deduction_score < 60.0 {
            "不合格"
        } else if score >= 90.0 {
            "优秀"
        } else if score >= 80.0 {
            "良好"
        } else {
            "合格"
        };
        Assessment {
            vetoes: vetoes.into_iter().map(|v| v.0).collect(),
            findings,
            groups,
            deduction_score,
            bonus,
            score,
            grade: grade.into(),
            list: None,
            rank: 0,
            identity,
        }
    }
}

/// The column facts the shared rules read (a default-province `Column` or a family `FCol`).
pub(crate) trait RubricColumn {
    fn category(&self) -> Category;
    fn first_level(&self) -> bool;
    fn is_list(&self) -> bool;
    fn is_blank(&self) -> bool;
    fn items(&self) -> &[Item];
}

impl RubricColumn for Column {
    fn category(&self) -> Category {
        self.category
    }
    fn first_level(&self) -> bool {
        self.first_level
    }
    fn is_list(&self) -> bool {
        Column::is_list(self)
    }
    fn is_blank(&self) -> bool {
        Column::is_blank(self)
    }
    fn items(&self) -> &[Item] {
        &self.items
    }
}

/// One site's columns as the shared rules see them: the first page a reader sees and the URLs findings cite.
pub(crate) struct Site<'a, C> {
    pub cols: &'a [C],
    pub first_page: &'a dyn Fn(&'a C) -> &'a [Item],
    pub col_url: &'a dyn Fn(&C) -> String,
    pub art_url: &'a dyn Fn(&C, &Item) -> String,
}

/// Columns the staleness vetoes found, which the publish deductions count again.
pub(crate) struct Stale<'a, C> {
    pub news: Vec<&'a C>,
    pub blank: Vec<&'a C>,
}

/// docs/rules.md `publish.periodic_stale` categories.
const PERIODIC: [Category; 5] =
    [Category::Interpretation, Category::Personnel, Category::Plan, Category::Finance, Category::Statistics];

impl<'a, C: RubricColumn> Site<'a, C> {
    /// The newest readable date on a column's first page.
    pub fn newest(&self, c: &'a C) -> Option<NaiveDate> {
        if c.is_blank() {
            return None;
        }
        (self.first_page)(c).iter().filter_map(|i| i.date).max()
    }

    /// docs/rules.md "stale": a list column (not blank) whose newest date is before `start`, or with items but none dated.
    pub fn stale(&self, c: &'a C, start: NaiveDate) -> bool {
        if !c.is_list() || c.is_blank() {
            return false;
        }
        match self.newest(c) {
            None => true,
            Some(d) => d < start,
        }
    }

    /// Whether some column of `cat` has a readable date on or after `start`.
    pub fn fresh(&self, cat: Category, start: NaiveDate) -> bool {
        self.cols.iter().any(|c| c.category() == cat && self.newest(c).is_some_and(|d| d >= start))
    }

    /// Vetoes `columns_stale`, `columns_long_stale` and `blank_columns`.
    pub fn stale_vetoes(&self, w: &Windows, t: &mut Tally) -> Stale<'a, C> {
        let cols = self.cols;
        let cu = |c: &&C| (self.col_url)(c);
        let news_stale: Vec<&C> =
            cols.iter().filter(|c| c.category() == Category::News && self.stale(c, w.d14)).collect();
        let np_stale: Vec<&C> = cols
            .iter()
            .filter(|c| {
                matches!(c.category(), Category::Notice | Category::Policy) && c.first_level() && self.stale(c, w.m6)
            })
            .collect();
        if news_stale.len() + np_stale.len() >= 5 {
            t.veto("veto.columns_stale", news_stale.iter().chain(np_stale.iter()).map(cu).collect());
        }
        let blank: Vec<&C> = cols.iter().filter(|c| c.is_blank()).collect();
        let long_stale: Vec<&C> = cols
            .iter()
            .filter(|c| {
                let start = match c.category() {
                    Category::News => w.d14,
                    Category::Notice | Category::Policy => w.m6,
                    _ => w.m12,
                };
                self.stale(c, start)
            })
            .collect();
        if long_stale.len() + blank.len() >= 10 {
            t.veto("veto.columns_long_stale", long_stale.iter().chain(blank.iter()).map(cu).collect());
        }
        if blank.len() >= 5 {
            t.veto("veto.blank_columns", blank.iter().map(cu).collect());
        }
        Stale { news: news_stale, blank }
    }

    /// Publish deductions: stale news, notice, policy and periodic columns, blank and missing columns, undated items.
    pub fn publish(
        &self,
        w: &Windows,
        stale: &Stale<'a, C>,
        level: Level,
        has: &dyn Fn(Category) -> bool,
        t: &mut Tally,
    ) {
        let cols = self.cols;
        let cu = |c: &&C| (self.col_url)(c);
        t.add("publish.news_stale", stale.news.len() as u32, stale.news.iter().map(cu).collect());
        let notice_stale: Vec<String> =
            cols.iter().filter(|c| c.category() == Category::Notice && self.stale(c, w.m6)).map(|c| cu(&c)).collect();
        t.add("publish.notice_stale", notice_stale.len() as u32, notice_stale);
        let policy_stale: Vec<String> = cols
            .iter()
            .filter(|c| c.category() == Category::Policy && c.first_level() && self.stale(c, w.m6))
            .map(|c| cu(&c))
            .collect();
        t.add("publish.policy_stale", policy_stale.len() as u32, policy_stale);
        let periodic: Vec<String> =
            cols.iter().filter(|c| PERIODIC.contains(&c.category()) && self.stale(c, w.m12)).map(|c| cu(&c)).collect();
        t.add("publish.periodic_stale", periodic.len() as u32, periodic);
        t.add("publish.blank_column", stale.blank.len() as u32, stale.blank.iter().map(cu).collect());
        let missing = Category::REQUIRED
            .iter()
            .filter(|cat| !(level == Level::Department && **cat == Category::Overview))
            .filter(|cat| !has(**cat))
            .count();
        t.add("publish.missing_column", missing as u32, vec![]);
        let undated: Vec<String> = cols
            .iter()
            .filter(|c| c.is_list() && !c.is_blank())
            .filter(|c| {
                let fp = (self.first_page)(c);
                fp.iter().filter(|i| i.date.is_none()).count() * 2 > fp.len()
            })
            .map(|c| cu(&c))
            .collect();
        t.add("publish.undated_items", undated.len() as u32, undated);
    }

    /// `disclosure.timeliness`: documents published more than 20 working days after they were written.
    pub fn timeliness(&self, t: &mut Tally) {
        let mut late_docs = vec![];
        for c in self.cols {
            for it in c.items() {
                if let (Some(doc), Some(d)) = (&it.doc, it.date) {
                    if weekdays_between(doc.written, d) > 20 {
                        late_docs.push((self.art_url)(c, it));
                    }
                }
            }
        }
        t.add("disclosure.timeliness", late_docs.len() as u32, late_docs);
    }

    /// `security.privacy`: articles exposing a resident ID or a bank card number.
    pub fn privacy(&self, t: &mut Tally) {
        let privacy: Vec<String> = self
            .cols
            .iter()
            .flat_map(|c| {
                c.items().iter().filter(|i| i.exposes_id || i.exposes_card).map(move |i| (self.art_url)(c, i))
            })
            .collect();
        t.add("security.privacy", privacy.len() as u32, privacy);
    }

    /// `content.serious_errors`, `content.typos`, `content.sensitive_words`: one occurrence per distinct wrong form or
    /// word, however many articles repeat it; evidence: the first article that shows it.
    pub fn content(&self, t: &mut Tally) {
        for (rule, kind) in [
            ("content.serious_errors", MisstatementKind::Serious),
            ("content.typos", MisstatementKind::Typo),
            ("content.sensitive_words", MisstatementKind::Sensitive),
        ] {
            let mut words: Vec<(&str, String)> = Vec::new();
            for c in self.cols {
                for i in c.items() {
                    for m in i.misstatements.iter().filter(|m| m.kind == kind) {
                        if !words.iter().any(|(w, _)| *w == m.word) {
                            words.push((&m.word, (self.art_url)(c, i)));
                        }
                    }
                }
            }
            t.add(rule, words.len() as u32, words.into_iter().map(|(_, u)| u).collect());
        }
    }
}

/// Design deductions every site shares: missing identity elements, no error entry, no search, a domain off the rule.
pub(crate) fn design_basics(
    t: &mut Tally,
    identity_missing: usize,
    error_entry: bool,
    search: bool,
    host: &str,
    level: Level,
    home: &str,
) {
    t.add("design.identity", identity_missing as u32, vec![home.to_string()]);
    if !error_entry {
        t.add("design.error_entry", 1, vec![home.to_string()]);
    }
    if !search {
        t.add("design.search", 1, vec![home.to_string()]);
    }
    if !domain_ok(host, level) {
        t.add("design.domain", 1, vec![home.to_string()]);
    }
}
