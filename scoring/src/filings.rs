//! 网站临时报备 in scoring: the probes a site's filed windows cover are left out before any rule sees them, and the
//! result says which windows left out how many (results.json `filed_downtime`).
//!
//! Leaving the probes out (rather than counting them as answered) keeps availability a share of the probes that
//! could fairly be made: a site down for six filed hours of a month is judged on the rest of the month.

use crate::results::FiledDowntime;
use gongkai_archive::SiteCapture;
use gongkai_config::Filings;

/// Removes from `capture` the probes inside the site's filed windows; one entry per window of the site, with how many
/// probes it covered (0 included: the filing is on record either way).
pub fn apply(capture: &mut SiteCapture, filings: &Filings) -> Vec<FiledDowntime> {
    let mut out = Vec::new();
    for f in filings.for_site(&capture.site.id) {
        let before = capture.probes.len();
        capture.probes.retain(|p| !f.covers(p.at));
        out.push(FiledDowntime {
            from: f.from.to_rfc3339(),
            to: f.to.to_rfc3339(),
            reason: f.reason.clone(),
            excluded_probes: (before - capture.probes.len()) as u32,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::engine::checks::testkit::*;
    use gongkai_archive::ProbeSource;
    use gongkai_config::Filings;

    #[test]
    fn probes_inside_a_filed_window_do_not_count() {
        // 40 monitor probes from 2025-11-18 08:00 (+08:00), one a minute, the first 2 failed: 5 %, veto.unreachable.
        let site = TestSite::new().page("/", home(&[], &[("/a.html", "通知", "2025-11-18")], "")).probes(
            40,
            2,
            ProbeSource::Monitor,
        );
        assert_eq!(site.occurrences("veto.unreachable").len(), 1);
        // The two failures fell inside a filed window.
        let filings = Filings::parse(
            "[[filing]]\nsite = \"test\"\nfrom = \"2025-11-18 07:30\"\nto = \"2025-11-18 08:01\"\nreason = \"机房搬迁\"\n\
             [[filing]]\nsite = \"other\"\nfrom = \"2025-11-18 07:30\"\nto = \"2025-11-18 09:00\"\nreason = \"其他网站\"\n",
            "filings.toml",
        )
        .unwrap();
        let mut filed_site = TestSite { capture: site.capture.clone() };
        let filed = super::apply(&mut filed_site.capture, &filings);
        assert_eq!(filed.len(), 1, "only the site's own filing applies");
        assert_eq!((filed[0].excluded_probes, filed[0].reason.as_str()), (2, "机房搬迁"));
        assert_eq!(filed_site.capture.probes.len(), 38);
        assert!(filed_site.occurrences("veto.unreachable").is_empty());
    }
}
