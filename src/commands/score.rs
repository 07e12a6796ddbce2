//! `gongkai score` (docs/commands.md): score the latest snapshot of every site in the store, from the store alone (no
//! network), and write OUT/results.json. Bad input files (rubric, adjustments, --as-of) exit with status 2 and name
//! the file, line and field.

use super::{pipeline, usage};
use crate::cli::ScoreArgs;
use anyhow::{Context, Result};
use gongkai_archive::Store;

pub fn run(args: ScoreArgs) -> Result<()> {
    let rubric = pipeline::load_rubric(args.rubric.as_deref())?;
    let calendar = pipeline::load_calendar(args.calendar.as_deref())?;
    let as_of = super::as_of(args.as_of.as_deref())?;
    let period = super::settings::period_flag(args.period.as_deref())?;
    super::settings::settings()?;
    if !args.store.is_dir() {
        return Err(usage(format!("--store：{} 不是 gongkai 存储库（目录不存在）", args.store.display())));
    }
    if !args.store.join("warc").is_dir() && !args.store.join("index").is_dir() {
        return Err(usage(format!(
            "--store: {} 不是 gongkai 存储库（没有 warc/ 和 index/ 目录）",
            args.store.display()
        )));
    }
    // Read-only: never writes to the store (read-only storage, a full disk and a damaged index all still score).
    let store = Store::open_for_reading(&args.store).with_context(|| format!("打开存储库 {}", args.store.display()))?;
    if let Some(why) = store.index_source() {
        eprintln!("注意：{why}；本次评分的索引从 WARC 文件的元数据记录读取（不写入存储库）");
    }
    let stored_sites = store.sites().context("读取存储库中的网站列表")?;
    let ids: Vec<String> = stored_sites.iter().map(|s| s.id.clone()).collect();
    if ids.is_empty() {
        return Err(usage(format!("--store：{} 中没有已抓取的网站", args.store.display())));
    }
    let adjustments = pipeline::load_adjustments(args.adjustments.as_deref(), &rubric, &ids)?;
    let filings = pipeline::load_filings(args.filings.as_deref(), &stored_sites)?;
    let mut results = gongkai_scoring::score_store(&store, &rubric, &calendar, as_of, &adjustments, &filings)?;
    super::settings::stamp(&mut results, period)?;
    std::fs::create_dir_all(&args.out).with_context(|| format!("创建 {}", args.out.display()))?;
    let path = args.out.join("results.json");
    let mut json = serde_json::to_string_pretty(&results).context("生成 results.json 的内容")?;
    json.push('\n');
    std::fs::write(&path, json).with_context(|| format!("写入 {}", path.display()))?;
    eprintln!("已评分 {} 个网站", results.sites.len());
    println!("{}", path.display());
    Ok(())
}
