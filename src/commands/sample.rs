//! `gongkai sample` (CONTRACT.md).

use crate::cli::SampleArgs;
use anyhow::Result;

pub fn run(_args: SampleArgs) -> Result<()> {
    super::not_built("sample")
}
