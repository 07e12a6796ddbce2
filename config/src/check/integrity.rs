//! Integrity checks: what a tampered or careless site shows (forged dates, hidden spam links, personal data, an HTTPS
//! certificate that does not verify).
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
            return Err(ParamError::at("words", "每个暗链词至少 2 个字（更短的词会误中普通链接）"));
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
                "应为银行卡号的 [最少, 最多] 位数（最少不小于 12），如 [16, 19]",
            ));
        }
        Ok(())
    }
}

/// `certificate` (HTTPS 证书, issue 16): one occurrence per https host of the site (its home page host, its
/// 政府信息公开 platform host) whose certificate did not verify when the crawler connected: expired, not yet valid,
/// issued for other names, an untrusted chain (self-signed, unknown issuer), revoked. The crawler still fetched the
/// host's pages (as a user clicking through a browser's warning) and archived the check as a `tls` metadata record,
/// which is the evidence. An http-only site, or a host the crawler never reached, has no occurrence.
/// Placeholders: `{host}`, `{problem}` (the whole sentence: `HTTPS 证书已过期（2026-10-31 到期）`, `证书与域名不符`,
/// `证书不受信任（颁发机构未知）` …), `{not_after}` (validity end, YYYY-MM-DD Beijing time, or 未知), `{issuer}`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Certificate {}

impl Params for Certificate {
    const PLACEHOLDERS: &'static [&'static str] = &["host", "problem", "not_after", "issuer"];
}
