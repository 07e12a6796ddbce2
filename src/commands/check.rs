//! `gongkai check` (CONTRACT.md).

use crate::cli::CheckArgs;
use anyhow::Result;

pub fn run(_args: CheckArgs) -> Result<()> {
    super::not_built("check")
}
