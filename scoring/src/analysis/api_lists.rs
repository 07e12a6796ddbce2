//! Lists a page loads from a JSON API by script (Vue/JSON 信息公开 platforms, Guangdong gkmlpt style): the page's
//! HTML holds no item, but it names its list in `window._CONFIG` and the crawler archives the API's first page beside
//! it, so the column is read from that answer instead of being counted as unreadable.
//!
//! ```text
//! <script>window._CONFIG = {"SID": "755123", "CATID": 2245, "API_BASE": "/gkmlpt/api/all/"};</script>
//! GET /gkmlpt/api/all/2245?page=1&sid=755123
//! {"total": 31, "articles": [{"title": "…", "url": "http://…/post_1.html", "created_at": "2026-11-03 10:20:00"}]}
//! ```
//!
//! The answer is read generically: the first array of objects that have a title and a URL, each object's date from
//! the first of its date-like fields that holds a date.

use super::dates;
use super::page::ListItem;
use chrono::NaiveDate;
use regex::Regex;
use serde_json::Value;
use std::sync::LazyLock;
use url::Url;

static CONFIG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)window\._CONFIG\s*=\s*\{(.*?)\}").unwrap());
static SID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)["']?\bsid["']?\s*:\s*["']?([A-Za-z0-9_-]+)"#).unwrap());
static CATID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)["']?\b(?:catid|cat_id|column_id|columnid)["']?\s*:\s*["']?([0-9]+)"#).unwrap());
static API_BASE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"(?i)["']?\bapi_base["']?\s*:\s*["']([^"']+)["']"#).unwrap());

/// The URL of the first page of the list the page's `window._CONFIG` names, if it names one.
pub fn api_url(page: &Url, inline_script: &str) -> Option<Url> {
    let body = CONFIG.captures(inline_script)?.get(1)?.as_str();
    let sid = SID.captures(body)?.get(1)?.as_str();
    let cat = CATID.captures(body)?.get(1)?.as_str();
    let base = API_BASE.captures(body).and_then(|c| c.get(1)).map(|m| m.as_str()).unwrap_or("/gkmlpt/api/all/");
    page.join(&format!("{base}{cat}?page=1&sid={sid}")).ok()
}

const LIST_KEYS: [&str; 7] = ["articles", "list", "data", "items", "records", "rows", "result"];
const TITLE_KEYS: [&str; 4] = ["title", "name", "subject", "biaoti"];
const URL_KEYS: [&str; 4] = ["url", "link", "href", "path"];
const DATE_KEYS: [&str; 9] = [
    "created_at",
    "publish_time",
    "pubdate",
    "pub_date",
    "date",
    "publishdate",
    "first_publish_time",
    "time",
    "updated_at",
];

fn field<'a>(o: &'a serde_json::Map<String, Value>, keys: &[&str]) -> Option<&'a Value> {
    keys.iter().find_map(|k| o.iter().find(|(name, _)| name.eq_ignore_ascii_case(k)).map(|(_, v)| v))
}

fn value_date(v: &Value) -> Option<NaiveDate> {
    match v {
        Value::String(s) => dates::first_date(s),
        // seconds (or milliseconds) since the epoch
        Value::Number(n) => {
            let x = n.as_i64()?;
            let secs = if x > 100_000_000_000 { x / 1000 } else { x };
            let dt = chrono::DateTime::from_timestamp(secs, 0)?;
            Some(dt.with_timezone(&gongkai_config::ASSESSMENT_TZ).date_naive())
        }
        _ => None,
    }
}

fn records(v: &Value, depth: u32) -> Option<&Vec<Value>> {
    if depth > 4 {
        return None;
    }
    match v {
        Value::Array(a)
            if a.iter().any(|x| {
                x.as_object().is_some_and(|o| field(o, &TITLE_KEYS).is_some() && field(o, &URL_KEYS).is_some())
            }) =>
        {
            Some(a)
        }
        Value::Object(o) => o.values().find_map(|x| records(x, depth + 1)),
        _ => None,
    }
}

/// The items of a JSON list answer, or None when the body is not such a list.
pub fn read(body: &[u8], base: &Url) -> Option<Vec<ListItem>> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let Some(recs) = records(&v, 0) else {
        // an empty list answer (`{"total": 0, "articles": []}`): the column has no item
        let empty = v.as_object().is_some_and(|o| {
            o.iter().any(|(k, x)| {
                LIST_KEYS.contains(&k.to_ascii_lowercase().as_str()) && x.as_array().is_some_and(|a| a.is_empty())
            })
        });
        return empty.then(Vec::new);
    };
    let items = recs
        .iter()
        .filter_map(|r| r.as_object())
        .filter_map(|o| {
            let title = field(o, &TITLE_KEYS)?.as_str()?.trim().to_string();
            let url = field(o, &URL_KEYS).and_then(|u| u.as_str()).and_then(|u| base.join(u).ok());
            let date = DATE_KEYS.iter().filter_map(|k| field(o, &[k])).find_map(value_date);
            Some(ListItem {
                text: match date {
                    Some(d) => format!("{title} {}", dates::iso(d)),
                    None => title.clone(),
                },
                title,
                url,
                date,
                row_dates: date.into_iter().collect(),
            })
        })
        .collect();
    Some(items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_names_the_api_and_the_answer_gives_items() {
        let page = Url::parse("http://www.x.gov.cn/gkmlpt/index?catid=2245").unwrap();
        let js = r#"var a=1; window._CONFIG = {"SID": "755123", "CATID": 2245, "API_BASE": "/gkmlpt/api/all/"};"#;
        assert_eq!(api_url(&page, js).unwrap().as_str(), "http://www.x.gov.cn/gkmlpt/api/all/2245?page=1&sid=755123");
        let js2 = "window._CONFIG = { sid: '755123', catId: 9 };";
        assert_eq!(api_url(&page, js2).unwrap().as_str(), "http://www.x.gov.cn/gkmlpt/api/all/9?page=1&sid=755123");
        assert_eq!(api_url(&page, "window._CONFIG = {\"SID\": \"755123\"};"), None, "the platform shell names no list");
        let body = r#"{"total": 2, "page": 1, "articles": [
            {"id": 1, "title": "关于A的通知", "url": "http://www.x.gov.cn/gkmlpt/content/2/2245/post_1.html", "created_at": "2026-11-03 10:20:00"},
            {"id": 2, "title": "关于B的通知", "url": "/gkmlpt/content/2/2245/post_2.html", "publish_time": 1761868800}]}"#;
        let items = read(body.as_bytes(), &page).unwrap();
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].date, NaiveDate::from_ymd_opt(2026, 11, 3));
        assert_eq!(items[1].url.as_ref().unwrap().path(), "/gkmlpt/content/2/2245/post_2.html");
        assert_eq!(items[1].date, NaiveDate::from_ymd_opt(2025, 10, 31));
        assert!(read(b"{\"ok\": true}", &page).is_none());
        assert_eq!(read(br#"{"articles":[],"page":1,"total":0}"#, &page).map(|v| v.len()), Some(0), "an empty list");
    }
}
