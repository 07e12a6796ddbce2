//! Scoring: understand each archived site the way an assessor would (columns, items, dates, footer, messages), apply
//! the rubric, and produce [`results::Results`] — the content of results.json (CONTRACT.md).
//!
//! Scoring reads only the store, never the network: re-scoring with another rubric needs no re-crawl.

pub mod analysis;
pub mod results;
pub mod text;

pub use results::*;
