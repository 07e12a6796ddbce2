//! Availability checks: the home page answers (monitor and crawl probes).
//!
//! Code and unit tests: `scoring/src/engine/checks/availability.rs`.

use serde::{Deserialize, Serialize};

use super::{ParamError, Params};
use crate::period::Period;
use crate::site::Level;

/// `probe_failure_rate` (availability veto). Among the probes of the home page in `window` before T0, when there are
/// at least `min_probes` and the failed share is ≥ `at_least_percent`, one occurrence. A probe fails without a complete
/// 2xx response within `parameters.probe_timeout`. Placeholders: `{probes}`, `{failures}`, `{percent}` (one decimal),
/// `{window}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeFailureRate {
    pub window: Period,
    pub min_probes: u32,
    pub at_least_percent: f64,
}

impl Params for ProbeFailureRate {
    const PLACEHOLDERS: &'static [&'static str] = &["probes", "failures", "percent", "window"];

    fn validate(&self, _levels: &[Level]) -> Result<(), ParamError> {
        if !(self.at_least_percent > 0.0 && self.at_least_percent <= 100.0) {
            return Err(ParamError::at("at_least_percent", "应为大于 0、不超过 100 的百分数"));
        }
        Ok(())
    }
}

/// `probe_failure_percent` (availability deduction): one occurrence per whole percent of failed probes in `window`
/// (floor), only when the share is below `below_percent` (above it the veto applies) and there are at least
/// `min_probes` probes. Placeholders as [`ProbeFailureRate`].
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeFailurePercent {
    pub window: Period,
    #[serde(default = "one")]
    pub min_probes: u32,
    pub below_percent: f64,
}

fn one() -> u32 {
    1
}

impl Params for ProbeFailurePercent {
    const PLACEHOLDERS: &'static [&'static str] = &["probes", "failures", "percent", "window"];

    fn validate(&self, _levels: &[Level]) -> Result<(), ParamError> {
        if !(self.below_percent > 0.0 && self.below_percent <= 100.0) {
            return Err(ParamError::at("below_percent", "应为大于 0、不超过 100 的百分数"));
        }
        Ok(())
    }
}

/// `ipv6` (availability deduction; issue 16, docs/rules.md). What the crawler's IPv6 check found (an AAAA lookup of the
/// home host, the home page over IPv6 compared with the IPv4 copy, a sample of second- and third-level pages over
/// IPv6), one occurrence per failing part: `no_aaaa` (the home host has no AAAA record: nothing else is judged),
/// `home` (the IPv6 home page does not answer or is not the IPv4 page: another status, or another payload and title),
/// `links` (of at least `min_samples` sampled pages, the share answering 2xx/3xx over IPv6 is below `min_share`). A
/// site whose lookup failed for any reason other than "no record", or that the crawler did not check, has no
/// occurrence (not checked is never deducted). Placeholders: `{problem}` (the whole sentence), `{difference}`,
/// `{share}` and `{min_share}` (whole percents), `{sampled}`, `{working}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Ipv6 {
    /// The least share (0–1) of sampled pages that must work over IPv6; 0.85 is the 2022 national target's figure.
    #[serde(default = "default_ipv6_share")]
    pub min_share: f64,
    /// Fewer sampled pages than this say nothing about the share.
    #[serde(default = "one")]
    pub min_samples: u32,
}

fn default_ipv6_share() -> f64 {
    0.85
}

impl Params for Ipv6 {
    const PLACEHOLDERS: &'static [&'static str] =
        &["problem", "difference", "share", "min_share", "sampled", "working"];
    const OUTCOMES: &'static [&'static str] = &["no_aaaa", "home", "links"];

    fn validate(&self, _levels: &[Level]) -> Result<(), ParamError> {
        if !(self.min_share > 0.0 && self.min_share <= 1.0) {
            return Err(ParamError::at("min_share", "expected a share above 0 and at most 1 (0.85 = 85%)"));
        }
        Ok(())
    }
}
