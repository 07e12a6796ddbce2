//! Helpers shared by the store's unit tests.

use gongkai_config::Site;
use url::Url;

use crate::store::{Fetch, Store};
use crate::warc::{self, WarcRecord};

pub(crate) fn site(id: &str) -> Site {
    serde_json::from_value(serde_json::json!({
        "id": id, "name": "测试县人民政府", "url": format!("http://{id}.gov.cn/"),
        "region": ["四川省", "成都市", "测试县"], "level": "county", "platform": null,
        "rate": 2.0, "max_pages": 100, "max_depth": 3
    }))
    .unwrap()
}

pub(crate) fn url(s: &str) -> Url {
    Url::parse(s).unwrap()
}

pub(crate) fn html(status: u16, body: &str, extra: &[(&str, &str)]) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut h = vec![("Content-Type".to_string(), "text/html; charset=utf-8".to_string())];
    h.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    (status, h, body.as_bytes().to_vec())
}

pub(crate) fn fetch(u: &str, depth: u32, (status, headers, body): (u16, Vec<(String, String)>, Vec<u8>)) -> Fetch {
    let mut f = Fetch::get(url(u), depth, status, headers, body);
    f.request_headers = vec![("User-Agent".into(), "gongkai-test".into())];
    f.ip = Some("127.0.0.1".parse().unwrap());
    f
}

pub(crate) fn all_records(store: &Store) -> Vec<(String, WarcRecord)> {
    let mut out = Vec::new();
    for rel in store.warc_files().unwrap() {
        for r in warc::WarcFileReader::open(&store.warc_path(&rel)).unwrap() {
            out.push((rel.clone(), r.expect("every record readable")));
        }
    }
    out
}
