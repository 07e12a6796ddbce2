//! `gongkai run`: crawl, score and report in one go (docs/commands.md).

use super::{pipeline, usage};
use crate::cli::RunArgs;
use anyhow::Result;
use gongkai_config::shard::{self, Shard};

pub fn run(args: RunArgs) -> Result<()> {
    // Read and check every input before touching the network or the store.
    let all_sites = pipeline::load_sites(&args.sites)?;
    let shard = shard_of(&args)?;
    let sites = match shard {
        Some(s) => shard::sites_of(&all_sites, s),
        None => all_sites.clone(),
    };
    let rubric = pipeline::load_rubric(args.rubric.as_deref())?;
    let calendar = pipeline::load_calendar(args.calendar.as_deref())?;
    // Adjustments may name any site of the whole run, not only this shard's.
    let ids: Vec<String> = all_sites.iter().map(|s| s.id.clone()).collect();
    let adjustments = pipeline::load_adjustments(args.adjustments.as_deref(), &rubric, &ids)?;
    let filings = pipeline::load_filings(args.filings.as_deref(), &all_sites)?;
    let period = super::settings::period_flag(args.period.as_deref())?;
    let as_of_given = args.as_of.is_some();
    let as_of = super::as_of(args.as_of.as_deref())?;
    let mut opts = pipeline::crawl_options(&args.crawl)?;
    let replay = pipeline::replay_links(&args.replay)?;
    if let Some(s) = shard {
        // Hosts no site of this shard owns (national services every site links to) are shared with the other shards.
        opts.other_hosts_rate_share = 1.0 / f64::from(s.count);
    }
    let store_dir = args.store.clone().unwrap_or_else(|| args.out.join("store"));

    if let Some(s) = shard {
        eprintln!("分片 {s}：本分片评估 {} 个网站（共 {} 个）", sites.len(), all_sites.len());
    }
    let store = pipeline::open_store(&store_dir)?;
    let progress = gongkai_crawler::stderr_progress();
    let summary = pipeline::crawl(&sites, &store, &opts, progress.as_ref())?;
    for line in pipeline::crawl_summary_lines(sites.len(), &summary) {
        eprintln!("{line}");
    }

    // T0 defaults to the end of the crawl, so nothing fetched counts as "in the future".
    let as_of = if as_of_given { as_of } else { super::as_of(None)? };
    let mut results = pipeline::score(&store, &sites, &rubric, &calendar, as_of, &adjustments, &filings)?;
    super::settings::stamp(&mut results, period)?;
    if let Some(s) = shard {
        let store_abs = std::path::absolute(&store_dir).unwrap_or_else(|_| store_dir.clone());
        results.assessment.shard = Some(gongkai_scoring::ShardRef {
            index: s.index,
            count: s.count,
            store: Some(store_abs.display().to_string()),
        });
        write_shard_cdxj(&store, &store_abs, &args.out)?;
    }
    let options = pipeline::report_options(replay, &args.replay, &results, Some(&store), &args.out);
    let html = pipeline::write_reports_with(&results, args.previous.as_deref(), &args.out, &options)?;
    println!("{}", html.display());
    Ok(())
}

/// The shard of `--shard I/N`, or of `--shards N` with the index from JOB_COMPLETION_INDEX; None for a whole run. A
/// sharded run needs `--as-of`: shards finish at different times, and `merge` refuses shards with different T0.
fn shard_of(args: &RunArgs) -> Result<Option<Shard>> {
    let shard = match (&args.shard, &args.shards) {
        (Some(text), _) => Shard::parse(text).map_err(|e| usage(format!("--shard：{e}")))?,
        (None, Some(count)) => {
            let env = std::env::var(shard::JOB_COMPLETION_INDEX).ok();
            Shard::from_job_index(count, env.as_deref()).map_err(usage)?
        }
        (None, None) => return Ok(None),
    };
    if args.as_of.is_none() {
        return Err(usage(format!(
            "分片运行（{shard}）必须给出 --as-of：各分片结束时间不同，合并（gongkai merge）要求所有分片的评估基准时间 T0 相同"
        )));
    }
    Ok(Some(shard))
}

/// OUT/index.cdxj: the shard's sorted CDXJ index, each `filename` the WARC file's absolute path
/// (`<store>/warc/…`), as evidence locations are named after a merge, so `gongkai merge` can merge the shards' indexes
/// as they are (file names of different stores never collide).
fn write_shard_cdxj(store: &gongkai_archive::Store, store_abs: &std::path::Path, out: &std::path::Path) -> Result<()> {
    use anyhow::Context;
    let sources = gongkai_archive::export::store_sources(store, |rel| store_abs.join(rel).display().to_string())?;
    std::fs::create_dir_all(out).with_context(|| format!("创建 {}", out.display()))?;
    let path = out.join("index.cdxj");
    let mut file = std::fs::File::create(&path).with_context(|| format!("写入 {}", path.display()))?;
    let summary = gongkai_archive::export::write_cdxj_files(&sources, &mut file)
        .with_context(|| format!("写入 CDXJ 索引 {}", path.display()))?;
    eprintln!("分片 CDXJ 索引：{}（{} 个 WARC 文件，{} 行）", path.display(), summary.files, summary.lines);
    Ok(())
}
