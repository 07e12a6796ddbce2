//! Regular expressions written in configuration files, compiled once at load time so a bad one is a validation error
//! with a position, not a failure in the middle of scoring.

use std::fmt;
use std::ops::Deref;

use regex::Regex;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A compiled regular expression (Rust `regex` syntax), kept with its source text.
#[derive(Clone)]
pub struct Pattern(Regex);

impl Pattern {
    pub fn new(source: &str) -> Result<Pattern, String> {
        Regex::new(source).map(Pattern).map_err(|e| format!("正则表达式 \"{source}\" 无效：{e}"))
    }

    pub fn regex(&self) -> &Regex {
        &self.0
    }
}

impl Deref for Pattern {
    type Target = Regex;
    fn deref(&self) -> &Regex {
        &self.0
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pattern({:?})", self.0.as_str())
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.0.as_str() == other.0.as_str()
    }
}

impl Serialize for Pattern {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0.as_str())
    }
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Pattern::new(&s).map_err(serde::de::Error::custom)
    }
}
