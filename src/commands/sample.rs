//! `gongkai sample`: serve the bundled sample province on loopback until interrupted, so the crawler (or a browser) can
//! be tried by hand. With `--write DIR` it also writes sites.toml, ground-truth.json and resolve.txt for that port.

use crate::cli::SampleArgs;
use anyhow::{Context, Result};
use gongkai_sample::{Province, SampleServer, Scale};
use std::sync::Arc;

pub fn run(args: SampleArgs) -> Result<()> {
    let t0 = super::as_of(args.as_of.as_deref())?;
    let province = match &args.scale {
        Some(text) => Arc::new(Province::generate(gongkai_sample::DEFAULT_SEED, t0, parse_scale(text)?)),
        None => Arc::new(Province::default_at(t0)),
    };
    let server = SampleServer::start_on(province, args.port).context("启动示例省网站服务")?;
    eprintln!("示例省份：{} 个网站，地址 {}（T0 {}）", server.province().len(), server.addr(), t0.to_rfc3339());
    if let Some(dir) = &args.write {
        server.write_fixture(dir).with_context(|| format!("写入示例文件到 {}", dir.display()))?;
        eprintln!("已写入 {0}/sites.toml、{0}/ground-truth.json 和 {0}/resolve.txt", dir.display());
    }
    let resolve = server.resolve_args();
    eprintln!(
        "试用：gongkai crawl --sites DIR/sites.toml --store store --resolve {} …",
        resolve.first().map(String::as_str).unwrap_or("")
    );
    for r in &resolve {
        println!("{r}");
    }
    eprintln!("按 Ctrl-C 停止");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(tokio::signal::ctrl_c())?;
    server.shutdown();
    Ok(())
}

/// `31x2000` → 31 sites, 2,000 pages per plain site.
fn parse_scale(text: &str) -> Result<Scale> {
    let bad = || super::usage(format!("--scale {text:?}：应写作“网站数x每站页数”，如 31x2000"));
    let (a, b) = text.split_once(['x', 'X', '×']).ok_or_else(bad)?;
    let sites: usize = a.trim().parse().map_err(|_| bad())?;
    let pages_per_site: usize = b.trim().parse().map_err(|_| bad())?;
    if sites == 0 || pages_per_site == 0 {
        return Err(bad());
    }
    Ok(Scale { sites, pages_per_site })
}

#[cfg(test)]
mod tests {
    #[test]
    fn scale_forms() {
        let s = super::parse_scale("31x2000").unwrap();
        assert_eq!((s.sites, s.pages_per_site), (31, 2000));
        assert!(super::parse_scale("31").is_err());
        assert!(super::parse_scale("0x10").is_err());
        assert!(super::parse_scale("ax10").is_err());
    }
}
