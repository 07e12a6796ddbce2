//! `gongkai monitor` (CONTRACT.md).

use crate::cli::MonitorArgs;
use anyhow::Result;

pub fn run(_args: MonitorArgs) -> Result<()> {
    super::not_built("monitor")
}
