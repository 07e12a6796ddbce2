//! The certificate checks of a site's own https hosts (its home page host, its 政府信息公开 platform host), archived
//! once the site's fetches are done: what the crawl's connections saw ([`crate::tls`]), one `tls` metadata record per
//! host. An http host, or one never reached, gets none.

use super::{blocking, Ctx, SiteRun};
use anyhow::Result;
use url::Url;

/// Archive the check of every https host of the site that this crawl connected to.
pub(super) async fn record_certificates(ctx: &Ctx<'_>, run: &SiteRun) -> Result<()> {
    let mut origins: Vec<Url> = Vec::new();
    for u in std::iter::once(&run.site.url).chain(run.site.platform.as_ref()) {
        if u.scheme() == "https" && !origins.iter().any(|o| o.host_str() == u.host_str() && o.port() == u.port()) {
            origins.push(u.clone());
        }
    }
    for origin in origins {
        let Some(check) = ctx.fetcher.tls.ledger.check_for(&origin) else { continue };
        if let Some(kind) = check.error {
            tracing::warn!(site = %run.site.id, url = %check.url, kind = kind.as_str(), "证书校验未通过");
        }
        let (store, snap) = (ctx.store.clone(), run.snap.clone());
        blocking(move || store.record_tls(&snap, &check).map(|_| ())).await?;
    }
    Ok(())
}
