//! `gongkai merge` (docs/commands.md, docs/kubernetes.md): the shards of a sharded run (`gongkai run --shard I/N`) combined
//! into one assessment — one results.json ranked across all sites (docs/rules.md) and every report.
//!
//! A merge is only meaningful when the shards assessed disjoint sites with one rubric at one T0, so anything else is
//! refused as bad input (exit 2) before anything is written: a site id in two files (naming the id and both files),
//! different rubric ids or versions, different `as_of`, shards of different N, a shard given twice or one missing.
//!
//! Evidence WARC locations: in a shard's results.json a `warc.file` is relative to that shard's store (as in any
//! run); the merged file must say which store, so each `file` becomes `<shard store>/<file>`, the store's absolute path
//! as the shard recorded it in `assessment.shard.store` (for a results.json without it: `<its directory>/store` when
//! that exists). Offsets and record ids are unchanged.
//!
//! CDXJ: each shard directory's `index.cdxj` (sorted, written by `run --shard` with every `filename` the WARC file's
//! absolute path, `<shard store>/warc/…`) is merged into `OUT/index.cdxj` by the archive crate's k-way merge.

use super::{pipeline, usage};
use crate::cli::MergeArgs;
use anyhow::{Context, Result};
use gongkai_config::Rubric;
use gongkai_scoring::{Assessment, Results};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// One input: a shard's results and where they came from.
struct ShardInput {
    /// The results.json read.
    file: PathBuf,
    /// The shard's store, absolute, when known.
    store: Option<PathBuf>,
    results: Results,
}

pub fn run(args: MergeArgs) -> Result<()> {
    let inputs = args.results.iter().map(|p| read_input(p)).collect::<Result<Vec<_>>>()?;
    check_consistent(&inputs)?;
    let rubric = rubric_for(&inputs[0].results.assessment, args.rubric.as_deref())?;

    let mut sites = Vec::new();
    for input in &inputs {
        for mut site in input.results.sites.clone() {
            if let Some(store) = &input.store {
                for ev in site.findings.iter_mut().flat_map(|f| f.evidence.iter_mut()) {
                    if let Some(w) = ev.warc.as_mut() {
                        w.file = store.join(&w.file).display().to_string();
                        if let Some(p) = w.payload.as_mut() {
                            p.file = store.join(&p.file).display().to_string();
                        }
                    }
                }
            }
            sites.push(site);
        }
    }
    gongkai_scoring::rank(&mut sites, &rubric);
    // The shards' header (T0 exactly as they wrote it, and whatever else they all carry), written now, not a shard.
    let first = &inputs[0].results.assessment;
    let mut assessment = first.clone();
    assessment.generated_at = gongkai_scoring::assessment(&rubric, parse_as_of(first, &inputs[0].file)?).generated_at;
    assessment.shard = None;
    let results = Results { assessment, sites };
    let html = pipeline::write_reports(&results, args.previous.as_deref(), &args.out)?;
    merge_cdxj(&inputs, &args.out)?;
    eprintln!("已合并 {} 个分片结果，共 {} 个网站，统一排名", inputs.len(), results.sites.len());
    println!("{}", html.display());
    Ok(())
}

/// A results.json, or a directory holding one.
fn read_input(path: &Path) -> Result<ShardInput> {
    let file = if path.is_dir() { path.join("results.json") } else { path.to_path_buf() };
    if !file.is_file() {
        return Err(usage(format!("--results：{} 不存在（应为分片的 results.json 或包含它的目录）", file.display())));
    }
    let results =
        gongkai_reports::read_results(&file).map_err(|e| match e.downcast_ref::<gongkai_reports::BadInput>() {
            Some(bad) => usage(format!("--results：{bad}")),
            None => e,
        })?;
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let store = match results.assessment.shard.as_ref().and_then(|s| s.store.as_ref()) {
        Some(s) => Some(PathBuf::from(s)),
        None => Some(dir.join("store")).filter(|d| d.is_dir()).map(|d| std::path::absolute(&d).unwrap_or(d)),
    };
    Ok(ShardInput { file, store, results })
}

/// Refuses inputs that cannot be one assessment (exit 2), naming the files.
fn check_consistent(inputs: &[ShardInput]) -> Result<()> {
    let first = &inputs[0];
    let a0 = &first.results.assessment;
    let t0 = parse_as_of(a0, &first.file)?;
    for input in &inputs[1..] {
        let a = &input.results.assessment;
        if a.rubric.id != a0.rubric.id || a.rubric.version != a0.rubric.version {
            return Err(usage(format!(
                "评分细则不一致：{} 使用 {} {}，{} 使用 {} {}；只能合并用同一评分细则（id 与版本均相同）评出的分片",
                first.file.display(),
                a0.rubric.id,
                a0.rubric.version,
                input.file.display(),
                a.rubric.id,
                a.rubric.version
            )));
        }
        if parse_as_of(a, &input.file)? != t0 {
            return Err(usage(format!(
                "评估基准时间 T0（assessment.as_of）不一致：{} 为 {}，{} 为 {}；各分片必须用同一个 --as-of 运行",
                first.file.display(),
                a0.as_of,
                input.file.display(),
                a.as_of
            )));
        }
    }
    let mut seen: BTreeMap<&str, &Path> = BTreeMap::new();
    for input in inputs {
        for site in &input.results.sites {
            if let Some(other) = seen.insert(site.id.as_str(), input.file.as_path()) {
                return Err(usage(format!(
                    "网站 id “{}” 同时出现在 {} 和 {} 中；各分片的网站不得重叠",
                    site.id,
                    other.display(),
                    input.file.display()
                )));
            }
        }
    }
    check_shards_complete(inputs)
}

/// When the inputs are shards (`assessment.shard`), they must be exactly shards 0..N of one N.
fn check_shards_complete(inputs: &[ShardInput]) -> Result<()> {
    let shards: Vec<(&ShardInput, u32, u32)> =
        inputs.iter().filter_map(|i| i.results.assessment.shard.as_ref().map(|s| (i, s.index, s.count))).collect();
    let Some(&(first, _, n)) = shards.first() else { return Ok(()) };
    if shards.len() != inputs.len() {
        let whole = inputs.iter().find(|i| i.results.assessment.shard.is_none()).expect("one is not a shard");
        return Err(usage(format!(
            "{} 是分片结果（assessment.shard），{} 却不是；不能把分片与完整运行的结果混合合并",
            first.file.display(),
            whole.file.display()
        )));
    }
    let mut by_index: BTreeMap<u32, &Path> = BTreeMap::new();
    for &(input, index, count) in &shards {
        if count != n {
            return Err(usage(format!(
                "分片总数不一致：{} 属于 {n} 个分片的运行，{} 属于 {count} 个分片的运行",
                first.file.display(),
                input.file.display()
            )));
        }
        if let Some(other) = by_index.insert(index, input.file.as_path()) {
            return Err(usage(format!("分片 {index}/{n} 出现了两次：{} 和 {}", other.display(), input.file.display())));
        }
    }
    let missing: BTreeSet<u32> = (0..n).filter(|i| !by_index.contains_key(i)).collect();
    if !missing.is_empty() {
        let list: Vec<String> = missing.iter().map(|i| format!("{i}/{n}")).collect();
        return Err(usage(format!(
            "缺少分片 {}：合并后的排名必须包含全部 {n} 个分片（少了的分片中的网站会被漏掉）",
            list.join("、")
        )));
    }
    Ok(())
}

fn parse_as_of(a: &Assessment, file: &Path) -> Result<chrono::DateTime<chrono::FixedOffset>> {
    chrono::DateTime::parse_from_rfc3339(&a.as_of).map_err(|e| {
        usage(format!("{}：字段 assessment.as_of 的值“{}”不是 RFC 3339 时间：{e}", file.display(), a.as_of))
    })
}

/// The rubric to rank with: `--rubric FILE`, or the shipped rubric of the results' id; refused when its id or version
/// is not the results'.
fn rubric_for(a: &Assessment, path: Option<&Path>) -> Result<Rubric> {
    let rubric = match path {
        Some(p) => pipeline::load_rubric(Some(p))?,
        None => shipped_rubric(&a.rubric.id).ok_or_else(|| {
            usage(format!(
                "结果使用的评分细则“{}”不是内置细则（default、guoban-2019）；请用 --rubric 指定该细则文件",
                a.rubric.id
            ))
        })?,
    };
    if rubric.info.id != a.rubric.id || rubric.info.version != a.rubric.version {
        let source = path.map(|p| p.display().to_string()).unwrap_or_else(|| "内置细则".to_string());
        return Err(usage(format!(
            "评分细则不符：分片结果使用 {} {}，{source} 是 {} {}；请用 --rubric 给出分片运行时使用的细则文件",
            a.rubric.id, a.rubric.version, rubric.info.id, rubric.info.version
        )));
    }
    Ok(rubric)
}

fn shipped_rubric(id: &str) -> Option<Rubric> {
    [Rubric::default_rubric(), Rubric::guoban_2019()].into_iter().find(|r| r.info.id == id)
}

/// OUT/index.cdxj from the shards' `index.cdxj` files (beside their results.json), when they have them. Their
/// `filename`s are already absolute WARC paths (see `run --shard`), so the sorted lines merge as they are.
fn merge_cdxj(inputs: &[ShardInput], out: &Path) -> Result<()> {
    let (with, without): (Vec<&ShardInput>, Vec<&ShardInput>) =
        inputs.iter().partition(|i| i.file.with_file_name("index.cdxj").is_file());
    if with.is_empty() {
        return Ok(());
    }
    for i in &without {
        eprintln!("注意：{} 旁没有 index.cdxj，合并后的 CDXJ 索引不含该分片", i.file.display());
    }
    let files: Vec<PathBuf> = with.iter().map(|i| i.file.with_file_name("index.cdxj")).collect();
    let path = out.join("index.cdxj");
    let mut f = std::fs::File::create(&path).with_context(|| format!("写入 {}", path.display()))?;
    let lines = gongkai_archive::export::merge_cdxj(&files, &mut f)
        .with_context(|| format!("合并各分片的 CDXJ 索引到 {}", path.display()))?;
    eprintln!("CDXJ 索引已合并：{}（{} 个分片，{lines} 行）", path.display(), files.len());
    Ok(())
}
