//! Integrity checks: what a tampered or careless site shows (forged dates, hidden spam links, personal data).
//!
//! Code and unit tests: `scoring/src/engine/checks/integrity.rs`.

use serde::{Deserialize, Serialize};

use super::{ParamError, Params};
use crate::pattern::Pattern;
use crate::period::Period;
use crate::site::Level;

/// `future_dates` (伪造发稿日期): one occurrence per item dated more than `tolerance` after T0.
/// Placeholders: `{date}`, `{title}`, `{url}`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FutureDates {
    pub tolerance: Period,
}

impl Params for FutureDates {
    const PLACEHOLDERS: &'static [&'static str] = &["date", "title"];
}

/// `hidden_links` (暗链): one occurrence per link hidden by CSS (display:none, visibility:hidden, off-screen position,
/// font-size 0) whose text or target contains one of `words` or matches one of `patterns`.
/// Placeholders: `{text}`, `{target}`, `{url}`, `{how}` (how it was hidden).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HiddenLinks {
    pub words: Vec<String>,
    #[serde(default)]
    pub patterns: Vec<Pattern>,
}

impl Params for HiddenLinks {
    const PLACEHOLDERS: &'static [&'static str] = &["text", "target", "how"];

    fn validate(&self, _levels: &[Level]) -> Result<(), ParamError> {
        if self.words.iter().any(|w| w.trim().chars().count() < 2) {
            return Err(ParamError::at(
                "words",
                "spam words must have at least 2 characters (a shorter one matches ordinary links)",
            ));
        }
        Ok(())
    }
}

/// `privacy_exposure`: one occurrence per page showing a checksum-valid 18-digit resident ID number (when
/// `id_numbers`) or a Luhn-valid bank card number of `card_digits` digits (when `bank_cards`).
/// Placeholders: `{url}`, `{kinds}` (身份证号/银行卡号), `{sample}` (masked).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyExposure {
    pub id_numbers: bool,
    pub bank_cards: bool,
    /// Inclusive digit counts of a bank card number, `[16, 19]`.
    pub card_digits: [u32; 2],
}

impl Params for PrivacyExposure {
    const PLACEHOLDERS: &'static [&'static str] = &["kinds", "sample"];

    fn validate(&self, _levels: &[Level]) -> Result<(), ParamError> {
        if self.card_digits[0] > self.card_digits[1] || self.card_digits[0] < 12 {
            return Err(ParamError::at(
                "card_digits",
                "expected [least, most] digits of a bank card number, e.g. [16, 19]",
            ));
        }
        Ok(())
    }
}
