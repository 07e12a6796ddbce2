//! `gongkai export` (docs/commands.md, docs/replay.md): the store, or chosen snapshots, as a WACZ package; the store's
//! sorted CDXJ index. The work is `gongkai_archive::export`; this module turns flags into its arguments.

use super::usage;
use crate::cli::ExportArgs;
use anyhow::{Context, Result};
use gongkai_archive::export::{self, Selection, SnapshotPick};
use gongkai_archive::Store;

pub fn run(args: ExportArgs) -> Result<()> {
    if !args.store.join("warc").is_dir() {
        return Err(usage(format!("--store {}：不是 gongkai 存储库（没有 warc/ 目录）", args.store.display())));
    }
    let picks = args
        .snapshot
        .iter()
        .map(|s| SnapshotPick::parse(s).map_err(|e| usage(format!("--snapshot: {e}"))))
        .collect::<Result<Vec<_>>>()?;
    let store = Store::open_for_reading(&args.store).with_context(|| format!("打开存储库 {}", args.store.display()))?;
    if let Some(path) = &args.cdxj {
        let mut f = std::fs::File::create(path).with_context(|| format!("创建 {}", path.display()))?;
        let sum = export::write_cdxj(&store, &mut f)?;
        eprintln!("gongkai: CDXJ 索引 {}：{} 个 WARC 文件，{} 条记录", path.display(), sum.files, sum.lines);
        if args.wacz.is_none() {
            println!("{}", path.display());
        }
    }
    if let Some(path) = &args.wacz {
        let selection = if picks.is_empty() { Selection::Store } else { Selection::Snapshots(picks) };
        let sum = export::write_wacz(&store, &selection, path).map_err(|e| {
            // A snapshot that is not in the store is a bad --snapshot value.
            if e.to_string().starts_with("存储库中没有网站") {
                usage(format!("--snapshot: {e}"))
            } else {
                e
            }
        })?;
        eprintln!(
            "gongkai: WACZ {}：{} 个 WARC 文件，{} 条记录，{} 个网页，{:.1} MB",
            path.display(),
            sum.warc_files,
            sum.records,
            sum.pages,
            sum.bytes as f64 / 1e6
        );
        println!("{}", path.display());
    }
    Ok(())
}
