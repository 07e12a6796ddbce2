//! The crawler's failure texts in Chinese, for findings, evidence and the reason a site was not assessed.
//!
//! The crawler records why a fetch or a link check failed as a short code plus the network library's text (`timeout`,
//! `connect: Connection refused (os error 111)`, `too many redirects` …) and keeps it so in the store: the text is
//! data, compared by code and read back by later runs. What an official reads is said here, when a result is made:
//! the code in Chinese, the usual operating-system reasons in Chinese, and any text this does not know kept as it
//! is (in parentheses), so nothing the crawler saw is lost.

/// A recorded failure text in Chinese.
pub fn fetch_error_zh(error: &str) -> String {
    let e = error.trim();
    if e == "timeout" {
        return "超时，没有应答".to_string();
    }
    if let Some(rest) = e.strip_prefix("timeout (complete answer after ").and_then(|r| r.strip_suffix(" ms)")) {
        return format!("超时（{rest} 毫秒后才完整应答）");
    }
    if e == "too many redirects" {
        return "重定向次数过多".to_string();
    }
    if e == "redirect target forbidden by robots.txt" {
        return "重定向的目标被 robots.txt 禁止访问".to_string();
    }
    if e == "not contacted: host outside the --resolve map" {
        return "未访问：主机不在 --resolve 列表中".to_string();
    }
    if let Some(rest) = e.strip_prefix("connect: ") {
        return format!("无法连接（{}）", os_reason_zh(rest));
    }
    if let Some(rest) = e.strip_prefix("certificate: ") {
        return format!("证书有问题（{rest}）");
    }
    if let Some(rest) = e.strip_prefix("http: ") {
        return format!("HTTP 请求出错（{}）", os_reason_zh(rest));
    }
    e.to_string()
}

/// The usual reasons a connection fails, as the system words them, in Chinese; other text as it is.
fn os_reason_zh(text: &str) -> String {
    const REASONS: [(&str, &str); 8] = [
        ("Connection refused", "连接被拒绝"),
        ("Connection reset", "连接被重置"),
        ("Network is unreachable", "网络不可达"),
        ("No route to host", "无法路由到主机"),
        ("failed to lookup address", "域名无法解析"),
        ("Name or service not known", "域名无法解析"),
        ("no such host", "域名无法解析"),
        ("connection closed before message completed", "服务器提前关闭了连接"),
    ];
    for (en, zh) in REASONS {
        if text.contains(en) {
            return zh.to_string();
        }
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_reasons() {
        assert_eq!(fetch_error_zh("timeout"), "超时，没有应答");
        assert_eq!(fetch_error_zh("timeout (complete answer after 31000 ms)"), "超时（31000 毫秒后才完整应答）");
        assert_eq!(fetch_error_zh("connect: Connection refused (os error 111)"), "无法连接（连接被拒绝）");
        assert_eq!(
            fetch_error_zh("connect: dns error: failed to lookup address information: Name or service not known"),
            "无法连接（域名无法解析）"
        );
        assert_eq!(fetch_error_zh("connect: something new"), "无法连接（something new）");
        assert_eq!(fetch_error_zh("too many redirects"), "重定向次数过多");
        assert_eq!(
            fetch_error_zh("not contacted: host outside the --resolve map"),
            "未访问：主机不在 --resolve 列表中"
        );
        assert_eq!(fetch_error_zh("站点限流（HTTP 429）"), "站点限流（HTTP 429）");
    }
}
