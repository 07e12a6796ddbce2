//! `gongkai report` (CONTRACT.md).

use crate::cli::ReportArgs;
use anyhow::Result;

pub fn run(_args: ReportArgs) -> Result<()> {
    super::not_built("report")
}
