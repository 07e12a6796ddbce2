//! `gongkai run` (CONTRACT.md).

use crate::cli::RunArgs;
use anyhow::Result;

pub fn run(_args: RunArgs) -> Result<()> {
    super::not_built("run")
}
