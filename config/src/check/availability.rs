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
            return Err(ParamError::at("at_least_percent", "expected a percentage above 0 and at most 100"));
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
            return Err(ParamError::at("below_percent", "expected a percentage above 0 and at most 100"));
        }
        Ok(())
    }
}
