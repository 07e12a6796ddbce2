//! `gongkai score` (CONTRACT.md).

use crate::cli::ScoreArgs;
use anyhow::Result;

pub fn run(_args: ScoreArgs) -> Result<()> {
    super::not_built("score")
}
