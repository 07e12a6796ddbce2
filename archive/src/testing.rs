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

/// A tmpfs mounted on a directory for a full-disk test (needs root and a `mount` that works, as in CI containers run
/// as root). Unmounted when dropped.
#[derive(Debug)]
pub struct Tmpfs {
    pub dir: PathBuf,
}

fn run_mount(args: &[&str]) -> Result<()> {
    let o = Command::new(args[0]).args(&args[1..]).output().with_context(|| format!("running {}", args[0]))?;
    if !o.status.success() {
        bail!("{} failed: {}", args.join(" "), String::from_utf8_lossy(&o.stderr).trim());
    }
    Ok(())
}

impl Tmpfs {
    /// Mount a tmpfs of `bytes` on `dir` (created); Err says why not (the caller skips its test with that message).
    pub fn mount(dir: &Path, bytes: u64) -> Result<Tmpfs> {
        std::fs::create_dir_all(dir)?;
        run_mount(&["mount", "-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs", &dir.display().to_string()])?;
        Ok(Tmpfs { dir: dir.to_path_buf() })
    }

    /// Grow (or shrink) the mounted tmpfs, keeping its files.
    pub fn resize(&self, bytes: u64) -> Result<()> {
        run_mount(&["mount", "-o", &format!("remount,size={bytes}"), &self.dir.display().to_string()])
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.dir).output();
    }
}

/// A read-only view of a directory for a read-only-storage test: a read-only bind mount when `mount` works, else a
/// tmpfs copy remounted read-only. Err says why neither works (the caller skips with that message). Unmounted when
/// dropped.
#[derive(Debug)]
pub struct ReadOnlyView {
    pub dir: PathBuf,
}

impl ReadOnlyView {
    pub fn new(src: &Path, dir: &Path) -> Result<ReadOnlyView> {
        std::fs::create_dir_all(dir)?;
        let d = dir.display().to_string();
        let bind = run_mount(&["mount", "--bind", &src.display().to_string(), &d])
            .and_then(|_| run_mount(&["mount", "-o", "remount,bind,ro", &d]));
        match bind {
            Ok(()) => {}
            Err(e) => {
                let _ = Command::new("umount").arg(dir).output();
                run_mount(&["mount", "-t", "tmpfs", "tmpfs", &d])
                    .with_context(|| format!("bind mount failed ({e:#}); tmpfs"))?;
                let cp = Command::new("cp").arg("-a").arg(format!("{}/.", src.display())).arg(dir).status()?;
                if !cp.success() {
                    bail!("copying into the tmpfs failed");
                }
                run_mount(&["mount", "-o", "remount,ro", &d])?;
            }
        }
        // Prove it: a write must fail.
        if std::fs::write(dir.join(".probe"), b"x").is_ok() {
            let _ = std::fs::remove_file(dir.join(".probe"));
            bail!("{} is still writable after remounting read-only", dir.display());
        }
        Ok(ReadOnlyView { dir: dir.to_path_buf() })
    }
}

impl Drop for ReadOnlyView {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.dir).output();
    }
}

/// Make `dir` read-only for this process: `chmod -R a-w` when that stops this process writing (not root), else a
/// [`ReadOnlyView`] mounted at `view`. Returns the directory to use and the view to keep alive; Err: skip with it.
pub fn read_only_store(dir: &Path, view: &Path) -> Result<(PathBuf, Option<ReadOnlyView>)> {
    let chmod = Command::new("chmod").arg("-R").arg("a-w").arg(dir).status()?;
    if chmod.success() && std::fs::write(dir.join(".probe"), b"x").is_err() {
        return Ok((dir.to_path_buf(), None));
    }
    let _ = std::fs::remove_file(dir.join(".probe"));
    let _ = Command::new("chmod").arg("-R").arg("u+w").arg(dir).status();
    let v = ReadOnlyView::new(dir, view).context("chmod does not stop writes here (root)")?;
    Ok((v.dir.clone(), Some(v)))
}
