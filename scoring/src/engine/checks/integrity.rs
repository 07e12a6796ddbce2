//! Integrity checks: forged dates, hidden spam links (暗链), personal data on pages, HTTPS certificates that do not
//! verify.
//!
//! Parameters and their placeholders: `config/src/check/integrity.rs`.

use super::Occurrence;
use crate::analysis::{dates, privacy, SiteAnalysis, Source};
use crate::engine::Ctx;
use gongkai_archive::{TlsCheck, TlsErrorKind};
use gongkai_config::check::{Certificate, FutureDates, HiddenLinks, PrivacyExposure};
use gongkai_config::Period;
use std::collections::BTreeSet;

pub(super) fn future_dates(p: &FutureDates, a: &SiteAnalysis, ctx: &Ctx) -> Vec<Occurrence> {
    let limit = match p.tolerance {
        Period::Days(n) => ctx.t0 + chrono::Days::new(n as u64),
        other => ctx.t0 + chrono::Days::new(other.as_std().map(|d| d.as_secs().div_ceil(86_400)).unwrap_or(1)),
    };
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for t in &a.dated_things {
        if t.date > limit && seen.insert(t.url.to_string()) {
            out.push(
                Occurrence::new()
                    .set("date", dates::iso(t.date))
                    .set("title", t.title.clone())
                    .set("url", t.url.to_string())
                    .ev(&t.source, format!("发布日期 {}，检查时间 {}", dates::iso(t.date), dates::iso(ctx.t0))),
            );
        }
    }
    out
}

pub(super) fn hidden_links(p: &HiddenLinks, a: &SiteAnalysis) -> Vec<Occurrence> {
    let words: Vec<String> = p.words.iter().map(|w| w.to_lowercase()).collect();
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for l in &a.hidden_links {
        let text = l.text.to_lowercase();
        let target = l.target.as_str().to_lowercase();
        let hit = words.iter().any(|w| text.contains(w) || target.contains(w))
            || p.patterns.iter().any(|r| r.is_match(&l.text) || r.is_match(l.target.as_str()));
        if hit && seen.insert((l.source.url.to_string(), l.target.to_string(), l.text.clone())) {
            out.push(
                Occurrence::new()
                    .set("text", l.text.clone())
                    .set("target", l.target.to_string())
                    .set("url", l.source.url.to_string())
                    .set("how", "以CSS隐藏")
                    .ev(&l.source, format!("隐藏链接“{}” → {}", l.text, l.target)),
            );
        }
    }
    out
}

pub(super) fn privacy_exposure(p: &PrivacyExposure, a: &SiteAnalysis) -> Vec<Occurrence> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (src, e) in &a.exposures {
        if !seen.insert(src.url.to_string()) {
            continue;
        }
        let mut kinds = Vec::new();
        let mut samples = Vec::new();
        if p.id_numbers && !e.id_numbers.is_empty() {
            kinds.push("身份证号");
            samples.extend(e.id_numbers.iter().map(|s| privacy::mask(s)));
        }
        let cards: Vec<&String> = e
            .card_numbers
            .iter()
            .filter(|c| (p.card_digits[0]..=p.card_digits[1]).contains(&(c.len() as u32)))
            .collect();
        if p.bank_cards && !cards.is_empty() {
            kinds.push("银行卡号");
            samples.extend(cards.iter().map(|s| privacy::mask(s)));
        }
        if kinds.is_empty() {
            continue;
        }
        let kinds = kinds.join("、");
        let sample = samples.join("、");
        out.push(
            Occurrence::new()
                .set("url", src.url.to_string())
                .set("kinds", kinds.clone())
                .set("sample", sample.clone())
                .ev(src, format!("页面含{kinds}：{sample}")),
        );
    }
    out
}

pub(super) fn certificate(_p: &Certificate, a: &SiteAnalysis) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for t in a.tls.iter().filter(|t| !t.verified()) {
        let cert = t.certificate.as_ref();
        let not_after = cert.map(|c| beijing_date(c.not_after)).unwrap_or_else(|| "未知".to_string());
        let issuer = cert.map(|c| c.issuer.clone()).unwrap_or_else(|| "未知".to_string());
        let problem = certificate_problem(t);
        let observed = match cert {
            Some(c) => format!(
                "{problem}；证书主体：{}，颁发者：{}，有效期：{} 至 {}；抓取时间：{}",
                c.subject,
                c.issuer,
                beijing_date(c.not_before),
                beijing_date(c.not_after),
                beijing_date(t.checked_at)
            ),
            None => format!("{problem}；抓取时间：{}", beijing_date(t.checked_at)),
        };
        out.push(
            Occurrence::new()
                .set("host", t.host().to_string())
                .set("problem", problem)
                .set("not_after", not_after)
                .set("issuer", issuer)
                .set("url", t.url.to_string())
                .ev(&Source { url: t.url.clone(), warc: t.warc.clone() }, observed),
        );
    }
    out
}

/// The sentence for a certificate that did not verify, in the words a browser's warning uses.
fn certificate_problem(t: &TlsCheck) -> String {
    let cert = t.certificate.as_ref();
    match t.error {
        Some(TlsErrorKind::Expired) => match cert {
            Some(c) => format!("HTTPS 证书已过期（{} 到期）", beijing_date(c.not_after)),
            None => "HTTPS 证书已过期".to_string(),
        },
        Some(TlsErrorKind::NotYetValid) => match cert {
            Some(c) => format!("HTTPS 证书尚未生效（{} 起生效）", beijing_date(c.not_before)),
            None => "HTTPS 证书尚未生效".to_string(),
        },
        Some(TlsErrorKind::WrongHost) => match cert.filter(|c| !c.names.is_empty()) {
            Some(c) => format!("HTTPS 证书与域名不符（证书签发给 {}）", c.names.join("、")),
            None => "HTTPS 证书与域名不符".to_string(),
        },
        Some(TlsErrorKind::Untrusted) => match cert {
            Some(c) if c.subject == c.issuer => "HTTPS 证书不受信任（自签名证书）".to_string(),
            _ => "HTTPS 证书不受信任（颁发机构未知）".to_string(),
        },
        Some(TlsErrorKind::Revoked) => "HTTPS 证书已被吊销".to_string(),
        Some(TlsErrorKind::Other) | None => "HTTPS 证书无效".to_string(),
    }
}

fn beijing_date(t: chrono::DateTime<chrono::Utc>) -> String {
    dates::iso(t.with_timezone(&gongkai_config::ASSESSMENT_TZ).date_naive())
}

#[cfg(test)]
mod tests {
    use super::super::testkit::*;
    use gongkai_archive::{CertificateInfo, TlsCheck, TlsErrorKind, WarcRef};

    fn home_with(extra: &str) -> TestSite {
        TestSite::new().page("/", home(&[], &[("/x/t1.html", "本县召开工作会议", "2025-11-18")], extra))
    }

    #[test]
    fn future_dates_beyond_the_tolerance() {
        let site = TestSite::new().page(
            "/",
            home(
                &[],
                &[("/x/t1.html", "本县召开工作会议", "2025-11-18"), ("/x/t2.html", "关于明年工作的安排", "2025-12-25")],
                "",
            ),
        );
        let o = site.occurrences("veto.future_dates");
        assert_eq!(o.len(), 1, "{o:?}");
        assert_eq!(o[0].values["date"], "2025-12-25");
        // T0 + 1 day is within the tolerance
        let next_day = TestSite::new().page("/", home(&[], &[("/x/t1.html", "本县召开工作会议", "2025-11-21")], ""));
        assert!(next_day.occurrences("veto.future_dates").is_empty());
    }

    #[test]
    fn hidden_links_only_with_spam_words() {
        assert!(home_with("<div style=\"display:none\"><a href=\"/about/\">关于我们</a></div>")
            .occurrences("veto.hidden_links")
            .is_empty());
        let o = home_with(
            "<div style=\"position:absolute;left:-9999px\"><a href=\"http://x.example/\">澳门娱乐城</a></div>",
        )
        .occurrences("veto.hidden_links");
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].values["text"], "澳门娱乐城");
        // a visible link with the same words is not hidden
        assert!(home_with("<a href=\"http://x.example/\">澳门娱乐城</a>").occurrences("veto.hidden_links").is_empty());
    }

    #[test]
    fn privacy_exposure_masks_valid_numbers_only() {
        let o = home_with("<p>张三 11010519491231002X</p>").occurrences("security.privacy");
        assert_eq!(o.len(), 1);
        assert_eq!(o[0].values["sample"], "1101**********002X");
        // a number that fails the ID checksum is not personal data
        assert!(home_with("<p>编号 110105194912310021</p>").occurrences("security.privacy").is_empty());
    }

    fn tls(host: &str, error: Option<TlsErrorKind>, subject: &str, issuer: &str, names: &[&str]) -> TlsCheck {
        let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&chrono::Utc);
        TlsCheck {
            url: url::Url::parse(&format!("https://{host}/")).unwrap(),
            checked_at: at("2025-11-19T10:00:00Z"),
            error,
            detail: error.map(|_| "invalid peer certificate".to_string()),
            certificate: Some(CertificateInfo {
                subject: subject.into(),
                issuer: issuer.into(),
                not_before: at("2024-10-31T00:00:00Z"),
                // 2025-10-31 16:30 UTC is 2025-11-01 in Beijing: the date shown is Beijing's
                not_after: at("2025-10-31T16:30:00Z"),
                names: names.iter().map(|n| n.to_string()).collect(),
            }),
            fetched_unverified: error.is_some(),
            warc: Some(WarcRef { file: "warc/t.warc.gz".into(), offset: 77, record_id: "urn:uuid:tls".into() }),
        }
    }

    fn with_tls(checks: Vec<TlsCheck>) -> TestSite {
        // Three pages: enough to be assessed (parameters.min_pages).
        let mut s = home_with("").page("/a.html", list("通知", &[])).page("/b.html", list("动态", &[]));
        s.capture.tls = checks;
        s
    }

    #[test]
    fn certificate_problems_are_findings_with_the_record_as_evidence() {
        let s = with_tls(vec![tls("www.test.gov.cn", Some(TlsErrorKind::Expired), "CN=www", "CN=CA", &[])]);
        let o = s.occurrences("security.certificate");
        assert_eq!(o.len(), 1, "{o:?}");
        assert_eq!(o[0].values["problem"], "HTTPS 证书已过期（2025-11-01 到期）");
        assert_eq!(o[0].values["host"], "www.test.gov.cn");
        assert_eq!(o[0].values["issuer"], "CN=CA");
        let ev = &o[0].evidence[0];
        assert_eq!(ev.url, "https://www.test.gov.cn/");
        assert_eq!(ev.warc.as_ref().unwrap().record_id, "urn:uuid:tls");
        assert!(
            ev.observed.contains("颁发者：CN=CA") && ev.observed.contains("2024-10-31 至 2025-11-01"),
            "{}",
            ev.observed
        );
        let r = s.score(&[]);
        let f = r.findings.iter().find(|f| f.rule == "security.certificate").expect("a finding");
        assert!(f.message.contains("证书已过期"), "{}", f.message);
        assert_eq!(f.points, 2.0);
        assert_eq!(f.group.as_deref(), Some("security"));
        assert_eq!(r.tls.len(), 1, "results.json carries the check");
        assert_eq!(r.tls[0].error.as_deref(), Some("expired"));
        assert!(r.tls[0].fetched_unverified && !r.tls[0].verified);
    }

    #[test]
    fn certificate_kinds_have_their_own_words() {
        let one = |e, subject: &str, issuer: &str, names: &[&str]| {
            with_tls(vec![tls("www.test.gov.cn", Some(e), subject, issuer, names)]).occurrences("security.certificate")
                [0]
            .values["problem"]
                .clone()
        };
        assert_eq!(
            one(TlsErrorKind::WrongHost, "CN=a", "CN=CA", &["www.other.gov.cn", "other.gov.cn"]),
            "HTTPS 证书与域名不符（证书签发给 www.other.gov.cn、other.gov.cn）"
        );
        assert_eq!(one(TlsErrorKind::Untrusted, "CN=a", "CN=CA", &[]), "HTTPS 证书不受信任（颁发机构未知）");
        assert_eq!(one(TlsErrorKind::Untrusted, "CN=a", "CN=a", &[]), "HTTPS 证书不受信任（自签名证书）");
        assert_eq!(one(TlsErrorKind::NotYetValid, "CN=a", "CN=CA", &[]), "HTTPS 证书尚未生效（2024-10-31 起生效）");
        assert_eq!(one(TlsErrorKind::Revoked, "CN=a", "CN=CA", &[]), "HTTPS 证书已被吊销");
    }

    #[test]
    fn certificate_verified_or_http_only_is_no_finding() {
        // A certificate that verified is recorded ("ok") and costs nothing.
        let ok = with_tls(vec![tls("www.test.gov.cn", None, "CN=www", "CN=CA", &["www.test.gov.cn"])]);
        assert!(ok.occurrences("security.certificate").is_empty());
        // An http-only site has no certificate check at all: not applicable, never a finding.
        assert!(home_with("").occurrences("security.certificate").is_empty());
        // Two hosts (home page and 政府信息公开 platform) with bad certificates: one occurrence each.
        let two = with_tls(vec![
            tls("www.test.gov.cn", Some(TlsErrorKind::Expired), "CN=a", "CN=CA", &[]),
            tls("xxgk.test.gov.cn", Some(TlsErrorKind::Untrusted), "CN=b", "CN=b", &[]),
            tls("zwfw.test.gov.cn", None, "CN=c", "CN=CA", &[]),
        ]);
        assert_eq!(two.occurrences("security.certificate").len(), 2);
    }
}
