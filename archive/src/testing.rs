//! Checking a store with an independent WARC reader, for this crate's tests and for the crawler's and the end-to-end
//! tests: Python's warcio (`warcio check` verifies every record's digests; `warcio index` parses every record).
//!
//! `.ci/run` installs warcio (`python3 -m pip install warcio`). When it is missing the validation fails with a message
//! saying so: a test that silently skipped would prove nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

/// How to run warcio here: the `warcio` script if on PATH, else `python3 -m warcio.cli`.
fn warcio_command() -> Result<Vec<String>> {
    let ok = |cmd: &[&str]| Command::new(cmd[0]).args(&cmd[1..]).output().map(|o| o.status.success()).unwrap_or(false);
    if ok(&["warcio", "--help"]) {
        return Ok(vec!["warcio".into()]);
    }
    if ok(&["python3", "-m", "warcio.cli", "--help"]) {
        return Ok(vec!["python3".into(), "-m".into(), "warcio.cli".into()]);
    }
    bail!(
        "warcio is not installed: run `python3 -m pip install warcio` (the .ci/run script does) to validate WARC files"
    )
}

/// Every `.warc.gz` file under `dir` (recursively), sorted.
pub fn warc_files_under(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for ent in std::fs::read_dir(&d).with_context(|| format!("listing {}", d.display()))? {
            let ent = ent?;
            let p = ent.path();
            if ent.file_type()?.is_dir() {
                stack.push(p);
            } else if p.to_string_lossy().ends_with(".warc.gz") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Run `warcio check` and `warcio index` on one file; returns the index lines (one JSON object per record).
pub fn warcio_check_file(path: &Path) -> Result<Vec<String>> {
    let cmd = warcio_command()?;
    let check = Command::new(&cmd[0]).args(&cmd[1..]).arg("check").arg("-v").arg(path).output()?;
    if !check.status.success() {
        bail!(
            "warcio check failed on {}:\n{}{}",
            path.display(),
            String::from_utf8_lossy(&check.stdout),
            String::from_utf8_lossy(&check.stderr)
        );
    }
    let index = Command::new(&cmd[0])
        .args(&cmd[1..])
        .args(["index", "-f", "warc-type,warc-target-uri,warc-record-id,offset,length,http:status"])
        .arg(path)
        .output()?;
    if !index.status.success() {
        bail!("warcio index failed on {}:\n{}", path.display(), String::from_utf8_lossy(&index.stderr));
    }
    let lines: Vec<String> = String::from_utf8_lossy(&index.stdout).lines().map(str::to_string).collect();
    if lines.is_empty() {
        bail!("warcio index found no record in {}", path.display());
    }
    if !lines[0].contains("\"warcinfo\"") {
        bail!("{}: the first record is not a warcinfo record: {}", path.display(), lines[0]);
    }
    Ok(lines)
}

/// Validate every WARC file of a store (or any directory holding `.warc.gz` files) with warcio: one `warcio check`
/// (block and payload digests of every record) and one `warcio index` (every record parses; each file starts with a
/// `warcinfo` record) over all files. Fails if there is no WARC file at all, if warcio is missing, or if any file fails.
/// Returns the number of files checked.
pub fn validate_with_warcio(dir: &Path) -> Result<usize> {
    let files = warc_files_under(dir)?;
    if files.is_empty() {
        bail!("no .warc.gz file under {}", dir.display());
    }
    let cmd = warcio_command()?;
    let check = Command::new(&cmd[0]).args(&cmd[1..]).arg("check").arg("-v").args(&files).output()?;
    if !check.status.success() {
        bail!(
            "warcio check failed under {}:\n{}{}",
            dir.display(),
            String::from_utf8_lossy(&check.stdout),
            String::from_utf8_lossy(&check.stderr)
        );
    }
    let index = Command::new(&cmd[0])
        .args(&cmd[1..])
        .args(["index", "-f", "filename,offset,warc-type"])
        .args(&files)
        .output()?;
    if !index.status.success() {
        bail!("warcio index failed under {}:\n{}", dir.display(), String::from_utf8_lossy(&index.stderr));
    }
    let mut first_records = 0;
    for line in String::from_utf8_lossy(&index.stdout).lines() {
        let v: serde_json::Value =
            serde_json::from_str(line).with_context(|| format!("warcio index printed {line:?}"))?;
        let offset = match &v["offset"] {
            serde_json::Value::String(s) => s.parse::<u64>().ok(),
            other => other.as_u64(),
        };
        if offset == Some(0) {
            if v["warc-type"] != "warcinfo" {
                bail!("the first record of {} is not a warcinfo record: {line}", v["filename"]);
            }
            first_records += 1;
        }
    }
    if first_records != files.len() {
        bail!("warcio index read {first_records} files of {} under {}", files.len(), dir.display());
    }
    Ok(files.len())
}
