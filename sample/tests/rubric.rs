//! Cross-checks of the sample against the shipped default rubric and calendar (gongkai-config): the oracle's point
//! table equals the rubric's, every column name is recognised as its own category and no other, and the working-day
//! cases are unambiguous under the real holiday calendar.

use gongkai_config::{parse_sites, Calendar, Rubric};
use gongkai_sample::model::{Category, ItemExtra};
use gongkai_sample::truth::{weekdays_between, DEDUCTIONS, GROUP_CAPS};
use gongkai_sample::{default_t0, Province};

#[test]
fn oracle_points_equal_the_default_rubric() {
    let r = Rubric::default_rubric();
    for (id, group, per, cap) in DEDUCTIONS {
        let (rid, outcome) = match id {
            "disclosure.annual_report" => (id, Some("missing")),
            "disclosure.annual_report_late" => ("disclosure.annual_report", Some("late")),
            // The oracle's IPv6 sites lack the AAAA record or serve another home page: both outcomes cost the same.
            "design.ipv6" => (id, Some("no_aaaa")),
            _ => (id, None),
        };
        if id == "design.ipv6" {
            let rule = r.rules.iter().find(|x| x.id == id).unwrap();
            assert_eq!(rule.points_for(Some("home")), Some(per), "{id} home");
        }
        let rule = r.rules.iter().find(|x| x.id == rid).unwrap_or_else(|| panic!("{rid} not in rubric"));
        assert_eq!(rule.group.as_deref(), Some(group), "{id}");
        assert_eq!(rule.points_for(outcome), Some(per), "{id}");
        assert_eq!(rule.cap, Some(cap), "{id}");
    }
    for (g, cap) in GROUP_CAPS {
        assert_eq!(r.groups.iter().find(|x| x.id == g).unwrap().cap, cap, "{g}");
    }
}

#[test]
fn column_names_are_recognised_as_their_category_only() {
    let r = Rubric::default_rubric();
    let p = Province::default_at(default_t0());
    for s in p.crafted_sites() {
        for c in &s.columns {
            let matching: Vec<&str> =
                r.categories.iter().filter(|k| k.matches_name(&c.name)).map(|k| k.id.as_str()).collect();
            if c.category == Category::Other {
                assert!(matching.is_empty(), "{} {}: {matching:?}", s.id, c.name);
            } else {
                assert_eq!(matching, vec![c.category.as_str()], "{} {}", s.id, c.name);
            }
        }
    }
    // The 信访 link of taoyuan is not a consultation channel.
    let cons = r.category("consultation").unwrap();
    assert!(!cons.matches_name("网上信访"));
}

#[test]
fn working_day_cases_are_unambiguous_under_the_holiday_calendar() {
    let cal = Calendar::default_cn();
    let p = Province::default_at(default_t0());
    let mut checked = 0;
    for s in p.crafted_sites() {
        for c in &s.columns {
            for it in &c.items {
                let pair = match (&it.doc, &it.extra, it.date) {
                    (Some(doc), _, Some(d)) => Some((doc.written, d)),
                    (_, ItemExtra::Message { posted, replied: Some(r) }, _) => Some((*posted, *r)),
                    _ => None,
                };
                let Some((a, b)) = pair else { continue };
                let ours = weekdays_between(a, b);
                assert!(ours <= 4 || ours >= 30, "{} {}: {ours} weekdays", s.id, it.title);
                if let Ok(real) = cal.working_days_after(a, b) {
                    assert_eq!(ours > 20, real > 20, "{} {a} → {b}: {ours} vs {real}", s.id);
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} cases covered by the calendar");
}

#[test]
fn sites_toml_parses_with_the_config_loader() {
    let p = Province::default_at(default_t0());
    let sites = parse_sites(&p.sites_toml(18080), "sites.toml").unwrap();
    assert_eq!(sites.len(), 30);
    let fgw = sites.iter().find(|s| s.id == "xc-lj-fgw").unwrap();
    assert_eq!(fgw.url.as_str(), "http://fgw.linjiang.gov.cn:18080/");
    assert_eq!(fgw.platform.as_ref().unwrap().as_str(), "http://xxgk.linjiang.gov.cn:18080/fgw/");
}
