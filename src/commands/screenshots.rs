//! Screenshots of the vetoes' evidence pages, as archived: each page replayed by a short-lived built-in replay server
//! on loopback (`serve::background`) and rendered by headless Chromium (the `chromium` binary, or `GONGKAI_CHROMIUM`).
//! A veto costs a site its whole grade, so the page that caused it is shown as the assessor's crawler archived it,
//! banner included, beside the finding (`sites/<id>.html`).
//!
//! Never fails a run: without a browser, or when one screenshot does not come out, the reports say so (in Chinese)
//! and everything else is written as usual.

use gongkai_archive::Store;
use gongkai_reports::Screenshot;
use gongkai_scoring::{FindingKind, Results};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Screenshots per site at most (one per veto: its first evidence page, in finding order).
const MAX_PER_SITE: usize = 3;
/// Browsers run at once.
const PARALLEL: usize = 2;
/// A page that takes longer than this to render is given up.
const TIMEOUT: Duration = Duration::from_secs(45);

/// A veto's evidence page to shoot: (veto title, evidence URL, record id).
type Wanted = (String, String, Option<String>);

/// What the screenshot step produced: the screenshots by site id, and a note for the reports when some or all are
/// missing.
pub(crate) struct Taken {
    pub by_site: BTreeMap<String, Vec<Screenshot>>,
    pub note: Option<String>,
}

/// The note shown when the step was turned off.
pub(crate) const OFF_NOTE: &str = "本次未生成证据截图（已用 --no-screenshots 关闭）。";

/// Take the screenshots into `out/screenshots/`.
pub(crate) fn take(store: &Store, results: &Results, out: &Path) -> Taken {
    let mut taken = Taken { by_site: BTreeMap::new(), note: None };
    let wanted: Vec<(&str, Vec<Wanted>)> = results
        .sites
        .iter()
        .filter(|s| s.findings.iter().any(|f| f.kind == FindingKind::Veto))
        .map(|s| {
            let mut pages: Vec<Wanted> = Vec::new();
            for f in s.findings.iter().filter(|f| f.kind == FindingKind::Veto) {
                let title = if f.title.trim().is_empty() { f.rule.clone() } else { f.title.clone() };
                // The veto's first evidence page that is not already shot.
                for e in &f.evidence {
                    let rec = e.warc.as_ref().map(|w| w.record_id.clone());
                    if rec.is_none() && url::Url::parse(&e.url).is_err() {
                        continue;
                    }
                    if pages.len() < MAX_PER_SITE && !pages.iter().any(|p| p.1 == e.url && p.2 == rec) {
                        pages.push((title.clone(), e.url.clone(), rec));
                        break;
                    }
                }
            }
            (s.id.as_str(), pages)
        })
        .filter(|(_, p)| !p.is_empty())
        .collect();
    if wanted.is_empty() {
        return taken;
    }
    let Some(browser) = find_browser() else {
        taken.note = Some(
            "未找到 Chromium 浏览器，本次未生成单项否决证据截图；安装 chromium 后运行 gongkai report --results … --store … \
             可补上。证据仍可通过“存档”链接查看。"
                .to_string(),
        );
        return taken;
    };
    let server = match super::serve::background(store.clone(), Some(results)) {
        Ok(s) => s,
        Err(e) => {
            taken.note = Some(format!("无法启动存档回放服务，未生成证据截图：{e:#}"));
            return taken;
        }
    };
    let dir = out.join("screenshots");
    if let Err(e) = std::fs::create_dir_all(&dir) {
        taken.note = Some(format!("无法创建 {}，未生成证据截图：{e}", dir.display()));
        return taken;
    }
    // Every shot to take, in site order; two browsers at a time.
    let jobs: Vec<(String, String, String, String, PathBuf)> = wanted
        .into_iter()
        .flat_map(|(site_id, pages)| {
            let (addr, dir) = (server.addr, dir.clone());
            pages.into_iter().enumerate().map(move |(n, (title, url, rec))| {
                let replay = match &rec {
                    Some(r) => format!("http://{addr}/record/{}", r.trim_start_matches("urn:uuid:")),
                    None => format!("http://{addr}/99991231235959/{url}"),
                };
                let name = format!("{site_id}-{}.png", n + 1);
                (site_id.to_string(), title, url, replay, dir.join(name))
            })
        })
        .collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let outcomes: Vec<std::sync::Mutex<Option<Result<(), String>>>> = jobs.iter().map(|_| Default::default()).collect();
    std::thread::scope(|scope| {
        for _ in 0..PARALLEL {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let Some((_, _, _, replay, file)) = jobs.get(i) else { break };
                let r = shoot(&browser, replay, file);
                *outcomes[i].lock().unwrap_or_else(|e| e.into_inner()) = Some(r);
            });
        }
    });
    let mut failed = 0;
    for ((site_id, title, url, _, file), outcome) in jobs.into_iter().zip(outcomes) {
        match outcome.into_inner().unwrap_or_else(|e| e.into_inner()) {
            Some(Ok(())) => taken.by_site.entry(site_id).or_default().push(Screenshot {
                file: format!("screenshots/{}", file.file_name().unwrap_or_default().to_string_lossy()),
                url,
                caption: title,
            }),
            Some(Err(e)) => {
                eprintln!("gongkai：{url} 的存档截图未生成：{e}");
                failed += 1;
            }
            None => failed += 1,
        }
    }
    if failed > 0 {
        taken.note = Some(format!("有 {failed} 张证据截图未能生成（浏览器出错或超时），证据仍可通过“存档”链接查看。"));
    }
    taken
}

/// `GONGKAI_CHROMIUM`, else the first of chromium, chromium-browser, google-chrome on PATH.
fn find_browser() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("GONGKAI_CHROMIUM").map(PathBuf::from) {
        return p.is_file().then_some(p);
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |d| d.join(name)))
        .find(|p| p.is_file())
}

/// One headless Chromium run writing a PNG of `url` to `file` (a fresh profile each time; killed after [`TIMEOUT`]).
fn shoot(browser: &Path, url: &str, file: &Path) -> Result<(), String> {
    let profile = tempfile::tempdir().map_err(|e| e.to_string())?;
    let _ = std::fs::remove_file(file);
    let mut child = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-extensions",
            "--hide-scrollbars",
            "--window-size=1280,2000",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--screenshot={}", file.display()))
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("无法启动 {}：{e}", browser.display()))?;
    let start = Instant::now();
    loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(_) => break,
            None if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("浏览器超过 {} 秒未完成", TIMEOUT.as_secs()));
            }
            None => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    let bytes = std::fs::read(file).map_err(|_| "浏览器没有写出截图".to_string())?;
    if bytes.len() < 100 || !bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err("浏览器写出的不是 PNG 图片".to_string());
    }
    Ok(())
}
