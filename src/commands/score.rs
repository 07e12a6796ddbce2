//! `gongkai score` (CONTRACT.md): score the latest snapshot of every site in the store, from the store alone (no
//! network), and write OUT/results.json. Bad input files (rubric, adjustments, --as-of) exit with status 2 and name
//! the file, line and field.

use super::UsageError;
use crate::cli::ScoreArgs;
use anyhow::{Context, Result};
use gongkai_archive::Store;
use gongkai_config::{Calendar, Rubric};

fn usage(msg: impl std::fmt::Display) -> anyhow::Error {
    anyhow::Error::new(UsageError(msg.to_string()))
}

pub fn run(args: ScoreArgs) -> Result<()> {
    let rubric = match &args.rubric {
        Some(p) => Rubric::load(p).map_err(usage)?,
        None => Rubric::default_rubric(),
    };
    let calendar = Calendar::default_cn();
    let as_of = match &args.as_of {
        Some(t) => gongkai_config::parse_as_of(t).map_err(|e| usage(format!("--as-of: {e}")))?,
        None => chrono::Utc::now().with_timezone(&gongkai_config::ASSESSMENT_TZ).fixed_offset(),
    };
    if !args.store.is_dir() {
        return Err(usage(format!("--store: {} is not a gongkai store (no such directory)", args.store.display())));
    }
    let store = Store::open(&args.store).with_context(|| format!("opening the store {}", args.store.display()))?;
    let ids: Vec<String> = store.sites().context("reading the store's sites")?.into_iter().map(|s| s.id).collect();
    if ids.is_empty() {
        return Err(usage(format!("--store: {} holds no crawled site", args.store.display())));
    }
    let adjustments = match &args.adjustments {
        Some(p) => gongkai_scoring::adjustments::load(p, &rubric, Some(&ids)).map_err(usage)?,
        None => Vec::new(),
    };
    let results = gongkai_scoring::score_store(&store, &rubric, &calendar, as_of, &adjustments)?;
    std::fs::create_dir_all(&args.out).with_context(|| format!("creating {}", args.out.display()))?;
    let path = args.out.join("results.json");
    let mut json = serde_json::to_string_pretty(&results).context("serialising results")?;
    json.push('\n');
    std::fs::write(&path, json).with_context(|| format!("writing {}", path.display()))?;
    eprintln!("scored {} sites", results.sites.len());
    println!("{}", path.display());
    Ok(())
}
