//! `gongkai demo` (CONTRACT.md).

use crate::cli::DemoArgs;
use anyhow::Result;

pub fn run(_args: DemoArgs) -> Result<()> {
    super::not_built("demo")
}
