//! `gongkai store rebuild|verify --store DIR` (docs/commands.md): rebuild the index from the WARC files, or report what is
//! inconsistent between index and WARC files (exit 0 when consistent, 1 otherwise).

use super::usage;
use crate::cli::StoreCommand;
use anyhow::{Context, Result};
use gongkai_archive::Store;
use std::path::Path;

/// The store has inconsistencies (exit 1, the report is already printed).
#[derive(Debug)]
struct Inconsistent(usize);

impl std::fmt::Display for Inconsistent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "存储库有 {} 处不一致", self.0)
    }
}

impl std::error::Error for Inconsistent {}

fn check_dir(dir: &Path) -> Result<()> {
    if !dir.is_dir() {
        return Err(usage(format!("--store: {} 不存在或不是目录", dir.display())));
    }
    if !dir.join("warc").is_dir() {
        return Err(usage(format!("--store: {} 不是 gongkai 存储库（没有 warc/ 目录）", dir.display())));
    }
    Ok(())
}

pub fn run(cmd: StoreCommand) -> Result<()> {
    match cmd {
        StoreCommand::Rebuild(a) => {
            check_dir(&a.store)?;
            let s = Store::rebuild_index(&a.store).with_context(|| format!("重建索引 {}", a.store.display()))?;
            if let Some(old) = &s.old_index {
                eprintln!("旧索引已移到 {}（未删除）", old.display());
            }
            for (file, valid, len) in &s.torn {
                eprintln!("{file}：第 {valid} 字节之后的 {} 字节不是完整记录（下次写入时截去）", len - valid);
            }
            for (file, url) in &s.unresolved {
                eprintln!("{file}：{url} 的抓取元数据所指的记录不存在，未索引");
            }
            if !s.undescribed.is_empty() {
                eprintln!("{} 条响应记录没有索引元数据（旧版本或其他工具写入），未索引", s.undescribed.len());
            }
            eprintln!(
                "已从 {} 个 WARC 文件（{} 条记录）重建索引：{} 个站点，{} 个快照，{} 次抓取，{} 次失败，{} 条链接检查，{} 次探测，{} 条 HTTPS 证书检查",
                s.files, s.records, s.sites, s.snapshots, s.fetches, s.failures, s.link_checks, s.probes, s.tls_checks
            );
            Ok(())
        }
        StoreCommand::Verify(a) => {
            check_dir(&a.store)?;
            let rep = Store::verify(&a.store).with_context(|| format!("校验存储库 {}", a.store.display()))?;
            for p in &rep.problems {
                println!("{p}");
            }
            if rep.is_consistent() {
                println!(
                    "存储库 {} 一致：{} 个 WARC 文件，{} 条索引条目的记录均可读取",
                    a.store.display(),
                    rep.files,
                    rep.fetches_checked
                );
                Ok(())
            } else {
                Err(Inconsistent(rep.problems.len()).into())
            }
        }
    }
}
