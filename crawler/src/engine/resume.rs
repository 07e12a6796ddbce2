//! Resuming: the run marker that lets the same command continue a killed crawl, and the state a resumed snapshot
//! rebuilds from what the killed run archived.

use super::body::{answer_not_checked, discover_body, readable_body, response_fingerprint};
use super::{blocking, Ctx, Known, SiteRun, SiteSummary};
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use gongkai_archive::{FrontierEntry, Store};
use std::sync::Arc;
use url::Url;

/// Marks an interrupted crawl run in the store directory (`crawl-run.json`), so running the same crawl again after a
/// kill continues it: sites that finished during the interrupted run are not crawled again, unfinished ones resume
/// their snapshot. A run that completed is not continued: the next crawl takes new snapshots of every site.
#[derive(serde::Serialize, serde::Deserialize)]
pub(super) struct RunMarker {
    started_at: DateTime<Utc>,
    sites: Vec<String>,
    finished: bool,
}

impl RunMarker {
    pub(super) fn path(store: &Store) -> std::path::PathBuf {
        store.dir().join("crawl-run.json")
    }

    /// Starts a run, or continues the interrupted run of the same sites; returns that run's start.
    pub(super) fn begin(path: &std::path::Path, ids: &[String]) -> Result<Option<DateTime<Utc>>> {
        let mut sorted = ids.to_vec();
        sorted.sort();
        if let Ok(text) = std::fs::read_to_string(path) {
            if let Ok(m) = serde_json::from_str::<RunMarker>(&text) {
                if !m.finished && m.sites == sorted {
                    return Ok(Some(m.started_at));
                }
            }
        }
        let m = RunMarker { started_at: Utc::now(), sites: sorted, finished: false };
        write_atomic(path, &serde_json::to_vec_pretty(&m)?)?;
        Ok(None)
    }

    pub(super) fn finish(path: &std::path::Path) -> Result<()> {
        let text = std::fs::read_to_string(path)?;
        let mut m: RunMarker = serde_json::from_str(&text)?;
        m.finished = true;
        write_atomic(path, &serde_json::to_vec_pretty(&m)?)
    }
}

fn write_atomic(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, bytes).with_context(|| format!("写入 {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("写入 {}", path.display()))?;
    Ok(())
}

/// The site's snapshot finished at or after `since` (during the interrupted run), as a summary; None otherwise.
pub(super) fn finished_since(store: &Store, site_id: &str, since: DateTime<Utc>) -> Result<Option<SiteSummary>> {
    let snaps = store.snapshots(site_id)?;
    let Some(last) = snaps.last() else { return Ok(None) };
    match last.finished_at {
        Some(f) if f >= since => Ok(Some(SiteSummary {
            site_id: site_id.to_string(),
            seq: last.seq,
            resumed: true,
            already_done: true,
            started_at: Some(last.started_at),
            finished_at: Some(f),
            ..Default::default()
        })),
        _ => Ok(None),
    }
}

/// A resumed snapshot: rebuild the link targets, fetch outcomes and trap-detector state from what the killed run
/// archived (the same facts, computed the same way, as the killed run had: see
/// [`TrapDetector`](crate::urls::TrapDetector)).
pub(super) async fn rebuild_from_archive(ctx: &Ctx<'_>, run: &Arc<SiteRun>) -> Result<()> {
    let store = ctx.store.clone();
    let run2 = run.clone();
    let cap = ctx.opts.max_decoded_bytes as usize;
    let body_cap = ctx.opts.max_body_bytes;
    let opts = ctx.opts.clone();
    blocking(move || {
        let entries = store.fetch_entries(&run2.snap)?;
        // in-scope redirect targets: a killed run follows a redirect inline, so a kill between archiving the 3xx and
        // archiving its target would otherwise leave the target never fetched
        let mut redirect_targets: Vec<(Url, u32)> = Vec::new();
        for e in entries {
            let page = match store.load_page(&e) {
                Ok(p) => p,
                Err(err) => {
                    tracing::warn!(url = %e.url, "无法重新读取已存档的页面：{err:#}");
                    continue;
                }
            };
            let truncated =
                store.read_record(&e.warc).ok().and_then(|r| r.header("WARC-Truncated").map(str::to_string));
            let redirect = crate::urls::redirect_target(page.status, &page.url, page.header("location"));
            let not_checked =
                answer_not_checked(page.status, page.header("retry-after"), truncated.is_some(), body_cap);
            let mut text_fp = None;
            if (200..300).contains(&page.status) {
                let ct = page.header("content-type").map(|s| s.to_string());
                let body = readable_body(&page, cap);
                let (found, fp) = discover_body(&page.url, None, ct.as_deref(), None, &body, cap);
                text_fp = Some(fp);
                // As the killed run did with this page: its link targets and requisites, and every URL it would
                // queue that the frontier has not seen. The frontier normally holds them already (a page and its
                // links are one index batch); it does not after `store rebuild` (a rebuilt frontier knows what was
                // archived, not what was waiting), so the queue is derived again.
                super::page::enqueue(&opts, &run2, &page.url, e.depth, found)?;
            }
            if let Some(next) = &redirect {
                if run2.scope.contains_resource(next) {
                    redirect_targets.push((next.clone(), e.depth));
                }
            }
            let fp = response_fingerprint(page.status, redirect.as_ref(), text_fp);
            run2.traps.lock().unwrap().observe(&e.url, e.depth, fp);
            run2.known.lock().unwrap().insert(&e.url, Known::status(page.status, redirect, not_checked));
        }
        for f in store.failures(&run2.snap)? {
            run2.known.lock().unwrap().insert(&f.url, Known::Failed(f.error.as_str().into()));
        }
        for (url, depth) in redirect_targets {
            if !run2.frontier.contains(&url)? {
                run2.frontier.push(FrontierEntry { url, depth, referrer: None, tag: Some("page".into()) })?;
            }
        }
        Ok(())
    })
    .await
}
