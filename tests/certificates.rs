//! HTTPS certificates end to end through the binary (`gongkai crawl` then `gongkai score`), against loopback https
//! servers with certificates made at start (`gongkai_sample::tls`): a certificate of the test CA given with
//! `--ca-file` verifies and costs nothing; an expired one is the finding 证书已过期 and the site's pages are still
//! archived and scored; one for another name is 证书与域名不符. A bad `--ca-file` is a usage error (exit 2).

mod common;

use axum::response::Html;
use axum::routing::get;
use axum::Router;
use chrono::{Duration as Days, Utc};
use common::{run, stderr};
use gongkai_sample::tls::{serve_https, TestCa};
use std::net::SocketAddr;

/// A small government-looking site: a home page and a few columns with dated items, enough to be assessed.
fn app() -> Router {
    let today = Utc::now().with_timezone(&gongkai_config::ASSESSMENT_TZ).date_naive();
    let d = today.format("%Y-%m-%d").to_string();
    let home = format!(
        r#"<html><head><title>测试县人民政府</title></head><body>
        <a href="/tzgg/">通知公告</a> <a href="/zwdt/">政务动态</a>
        <ul><li><a href="/tzgg/t1.html">关于开展工作的通知</a><span>{d}</span></li></ul>
        <p>主办单位：测试县人民政府办公室</p></body></html>"#
    );
    let list = move |name: &'static str| {
        let d = d.clone();
        move || async move {
            Html(format!(
                r#"<html><head><title>{name}</title></head><body><h1>{name}</h1>
                <ul><li><a href="/tzgg/t1.html">关于开展工作的通知</a><span>{d}</span></li></ul></body></html>"#
            ))
        }
    };
    Router::new()
        .route("/", get(move || async move { Html(home) }))
        .route("/tzgg/", get(list("通知公告")))
        .route("/zwdt/", get(list("政务动态")))
        .route(
            "/tzgg/t1.html",
            get(|| async {
                Html("<html><head><title>关于开展工作的通知</title></head><body><p>正文</p></body></html>")
            }),
        )
}

fn sites_toml(sites: &[(&str, &str, SocketAddr)]) -> String {
    let mut s = String::from("[defaults]\nrate = \"50/s\"\nmax_pages = 50\n");
    for (id, host, addr) in sites {
        s.push_str(&format!(
            "\n[[site]]\nid = \"{id}\"\nname = \"测试县人民政府\"\nurl = \"https://{host}:{}/\"\n\
             region = [\"测试省\", \"测试市\", \"测试县\"]\nlevel = \"county\"\n",
            addr.port()
        ));
    }
    s
}

#[test]
fn certificate_findings_through_crawl_and_score() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let now = Utc::now();
    let ca = TestCa::new("测试省 CA").unwrap();
    let valid = ca.issue(&["www.ok.gov.cn"], now - Days::days(30), now + Days::days(300)).unwrap();
    let expired = ca.issue(&["www.old.gov.cn"], now - Days::days(400), now - Days::days(20)).unwrap();
    let wrong = ca.issue(&["www.other.gov.cn"], now - Days::days(30), now + Days::days(300)).unwrap();
    let (ok, old, wr) = rt.block_on(async {
        (
            serve_https(app(), &valid).await.unwrap(),
            serve_https(app(), &expired).await.unwrap(),
            serve_https(app(), &wrong).await.unwrap(),
        )
    });
    let sites = [("ok", "www.ok.gov.cn", ok), ("old", "www.old.gov.cn", old), ("wrong", "www.wrong.gov.cn", wr)];
    let dir = tempfile::tempdir().unwrap();
    let sites_file = dir.path().join("sites.toml");
    std::fs::write(&sites_file, sites_toml(&sites)).unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, ca.pem()).unwrap();
    let store = dir.path().join("store");
    let out = dir.path().join("out");

    let mut args: Vec<String> = ["crawl", "--sites", sites_file.to_str().unwrap(), "--store", store.to_str().unwrap()]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for (_, host, addr) in &sites {
        args.push("--resolve".into());
        args.push(format!("{host}:{}:127.0.0.1", addr.port()));
    }
    args.push("--resolved-only".into());
    // A missing CA file is a usage error that names it.
    let mut bad = args.clone();
    bad.extend(["--ca-file".to_string(), dir.path().join("missing.pem").to_string_lossy().into_owned()]);
    let o = run(&bad.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("missing.pem"), "{}", stderr(&o));

    args.extend(["--ca-file".to_string(), ca_file.to_string_lossy().into_owned()]);
    let o = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&["score", "--store", store.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let results: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("results.json")).unwrap()).unwrap();
    let site = |id: &str| results["sites"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap().clone();
    let cert_findings = |s: &serde_json::Value| -> Vec<String> {
        s["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "security.certificate")
            .map(|f| f["message"].as_str().unwrap().to_string())
            .collect()
    };

    let ok = site("ok");
    assert!(cert_findings(&ok).is_empty(), "{:?}", cert_findings(&ok));
    assert_eq!(ok["tls"][0]["verified"], true, "{}", ok["tls"]);
    assert_eq!(ok["tls"][0]["error"], serde_json::Value::Null);
    assert!(ok["tls"][0]["not_after"].as_str().is_some());

    let old = site("old");
    let msgs = cert_findings(&old);
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(msgs[0].contains("www.old.gov.cn") && msgs[0].contains("证书已过期"), "{}", msgs[0]);
    assert_eq!(old["status"], "assessed", "the site's content is still assessed: {}", old["status_reason"]);
    assert!(old["crawl"]["pages"].as_u64().unwrap() >= 4, "{}", old["crawl"]);
    assert!(old["score"].as_f64().is_some(), "scored");
    assert_eq!(old["tls"][0]["error"], "expired");
    assert_eq!(old["tls"][0]["fetched_unverified"], true);
    let ev = &old["findings"].as_array().unwrap().iter().find(|f| f["rule"] == "security.certificate").unwrap()
        ["evidence"][0];
    assert!(ev["warc"]["record_id"].as_str().unwrap().starts_with("urn:uuid:"), "{ev}");

    let wrong = site("wrong");
    let msgs = cert_findings(&wrong);
    assert_eq!(msgs.len(), 1, "{msgs:?}");
    assert!(msgs[0].contains("证书与域名不符") && msgs[0].contains("www.other.gov.cn"), "{}", msgs[0]);
    drop(rt);
}
