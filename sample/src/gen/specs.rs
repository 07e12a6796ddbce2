//! The 30 hand-crafted site specs of the default province (data: one spec a site, with the defects it carries).

use super::*;

use Category as C;

/// The 30 sites of the default province, in a fixed order (index = site index).
pub fn specs() -> Vec<Spec> {
    let county = |key, name, short, abbr| Spec { key, name, short, abbr, level: Level::County, ..Default::default() };
    let dept = |key, name, short, abbr| Spec { key, name, short, abbr, level: Level::Department, ..Default::default() };
    vec![
        // 0: the city portal: clean, accessibility bonus, calendar trap.
        Spec {
            key: CITY_PINYIN,
            name: "临江市人民政府",
            short: "临江市",
            abbr: "临府发",
            level: Level::City,
            accessibility: true,
            calendar: true,
            recent_unanswered: true,
            news_name: "临江要闻",
            ..Default::default()
        },
        // 1 jinniu: Hanweb, clean, badge drawn by script, error entry by script loader, accessibility.
        Spec {
            style: CmsStyle::Hanweb,
            date_style: DateStyle::Bracket,
            accessibility: true,
            badge_script: true,
            error_script: true,
            footer_variant: 1,
            notice_name: "公示公告",
            policy_name: "规范性文件",
            ..county("jinniu", "临江市金牛区人民政府", "金牛区", "金府发")
        },
        // 2 qingshan: GBK declared in <meta>, one broken home link, no AAAA record (design.ipv6); only an unnamed logo
        // image in the header (design.emblem: undetermined, no deduction).
        Spec {
            emblem: EmblemShow::Logo,
            ipv6: Ipv6Service::NoAaaa,
            charset: Charset::GbkMeta,
            broken_home: 1,
            footer_variant: 2,
            date_style: DateStyle::Chinese,
            news_name: "工作动态",
            ..county("qingshan", "青山县人民政府", "青山县", "青府发")
        },
        // 3 baishui: GBK declared only in the HTTP header, footer in an iframe, guide lacks 传真; a text-only header
        // without a stylesheet (design.emblem: absent).
        Spec {
            emblem: EmblemShow::None,
            style: CmsStyle::Plain,
            charset: Charset::GbkHeader,
            footer_iframe: true,
            guide_missing: 1,
            date_style: DateStyle::Slash,
            footer_variant: 3,
            ..county("baishui", "白水县人民政府", "白水县", "白府发")
        },
        // 4 shimen: gzip responses, clean; a robots-disallowed link that would 404; the IPv6 home page is another
        // page (design.ipv6).
        Spec {
            ipv6: Ipv6Service::HomeDiffers,
            gzip: true,
            date_style: DateStyle::Dot,
            recent_unanswered: true,
            ..county("shimen", "石门县人民政府", "石门县", "石府发")
        },
        // 5 yunxi: flaky home page, several small deductions → 良好.
        Spec {
            style: CmsStyle::Hanweb,
            flaky: true,
            identity_missing: vec!["police", "badge"],
            annual: Annual::Late,
            guide_missing: 3,
            no_search: true,
            broken_home: 2,
            undated: vec![C::Plan],
            footer_variant: 4,
            ..county("yunxi", "临江市云溪区人民政府", "云溪区", "云府发")
        },
        // 6 changning: stale home page (veto.homepage_stale).
        Spec {
            stale_home: true, style: CmsStyle::Plain, ..county("changning", "长宁县人民政府", "长宁县", "长府发")
        },
        // 7 anping: five blank columns (veto.blank_columns), one of them a script-only list.
        Spec {
            placeholders: vec![C::Personnel, C::Plan, C::Finance],
            empty: vec![C::Interpretation],
            script_only: vec![C::Statistics],
            date_style: DateStyle::IsoTime,
            ..county("anping", "安平县人民政府", "安平县", "安府发")
        },
        // 8 taoyuan: no consultation channel (veto.no_consultation); a 信访 link that does not count.
        Spec {
            consultation: false,
            petition: true,
            style: CmsStyle::Hanweb,
            ..county("taoyuan", "桃源县人民政府", "桃源县", "桃府发")
        },
        // 9 longquan: a message unanswered for 120 days (veto.unanswered).
        Spec { unanswered: true, ..county("longquan", "临江市龙泉区人民政府", "龙泉区", "龙府发") },
        // 10 pingchang: an item dated after T0 (veto.future_dates).
        Spec {
            future_item: true, style: CmsStyle::Plain, ..county("pingchang", "平昌县人民政府", "平昌县", "平府发")
        },
        // 11 honghe: hidden spam link (veto.hidden_links).
        Spec { spam: true, ..county("honghe", "红河县人民政府", "红河县", "红府发") },
        // 12 mingyue: no 办事服务 entry (veto.no_service).
        Spec {
            service: Svc::None, style: CmsStyle::Hanweb, ..county("mingyue", "明月县人民政府", "明月县", "明府发")
        },
        // 13 qingxi: no veto, but deduction_score < 60; a 友情链接 to a partner whose domain expired and now serves
        // gambling (content.spam_links).
        Spec {
            partners: true,
            missing: vec![C::Interpretation, C::Overview, C::Leaders, C::Plan, C::Statistics, C::Finance],
            notice_stale: true,
            undated: vec![C::Personnel],
            no_system: true,
            annual: Annual::Missing,
            guide_missing: 5,
            no_application: true,
            replies_stale: true,
            late_replies: 3,
            collection: Freshness::Missing,
            interview: Freshness::Missing,
            stats_stale: true,
            identity_missing: vec!["site_code", "icp", "police", "badge"],
            no_error_entry: true,
            no_search: true,
            broken_home: 3,
            id_number: true,
            unreachable_link: true,
            misstatements: &[
                ("会议强调，要坚持依法冶国，推进法治政府建设。", "依法冶国", MisstatementKind::Serious),
                ("各部门要再接再励，确保各项任务落到实处。", "再接再励", MisstatementKind::Typo),
                ("本栏目曾转载含测试敏感词乙的稿件。", "测试敏感词乙", MisstatementKind::Sensitive),
            ],
            ..county("qingxi", "清溪县人民政府", "清溪县", "清府发")
        },
        // 14 yonghe: 合格.
        Spec {
            missing: vec![C::Overview, C::Leaders],
            periodic_stale: vec![C::Plan, C::Finance, C::Statistics],
            policy_stale: true,
            timeliness_late: 3,
            late_replies: 2,
            stats_stale: true,
            identity_missing: vec!["sponsor", "contact"],
            style: CmsStyle::Plain,
            ..county("yonghe", "永和县人民政府", "永和县", "永府发")
        },
        // 15 fgw: shared platform, clean.
        Spec {
            shared_platform: true, ..dept("fgw", "临江市发展和改革委员会", "临江市发改委", "临发改")
        },
        // 16 jyj: shared platform, 良好.
        Spec {
            shared_platform: true,
            timeliness_late: 2,
            annual: Annual::Late,
            identity_missing: vec!["site_code", "police", "badge"],
            broken_site: 5,
            no_search: true,
            footer_variant: 2,
            ..dept("jyj", "临江市教育局", "临江市教育局", "临教发")
        },
        // 17 gaj: Hanweb, clean, small, robots Crawl-delay.
        Spec {
            style: CmsStyle::Hanweb,
            crawl_delay: Some(1),
            small: true,
            ..dept("gaj", "临江市公安局", "临江市公安局", "临公发")
        },
        // 18 czj: a bank card number exposed, redirects.
        Spec {
            card_number: true, redirects: true, ..dept("czj", "临江市财政局", "临江市财政局", "临财发")
        },
        // 19 rsj: shared platform, news/notice/policy stale (veto.columns_stale).
        Spec {
            shared_platform: true,
            extra_news: vec![("部门动态", "bmdt", true), ("工作动态", "gzdt", true), ("区县动态", "qxdt", true)],
            news_name: "图片新闻",
            notice_stale: true,
            policy_stale: true,
            ..dept("rsj", "临江市人力资源和社会保障局", "临江市人社局", "临人社发")
        },
        // 20 zrzyj: 良好.
        Spec {
            missing: vec![C::Leaders],
            identity_missing: vec!["police", "contact"],
            broken_home: 1,
            undated: vec![C::Personnel],
            late_replies: 1,
            collection: Freshness::Stale,
            interview: Freshness::Stale,
            style: CmsStyle::Plain,
            ..dept("zrzyj", "临江市自然资源和规划局", "临江市自然资源和规划局", "临自然资规")
        },
        // 21 sthjj: 合格.
        Spec {
            annual: Annual::Missing,
            no_application: true,
            replies_stale: true,
            stats_stale: true,
            identity_missing: vec!["site_code", "icp", "badge"],
            no_error_entry: true,
            interview: Freshness::Missing,
            id_number: true,
            date_style: DateStyle::Chinese,
            ..dept("sthjj", "临江市生态环境局", "临江市生态环境局", "临环发")
        },
        // 22 zjj: GBK in <meta>, accessibility; served over https with a self-signed certificate (gen::HTTPS_HOSTS:
        // security.certificate, and the site still assessed in full).
        Spec {
            charset: Charset::GbkMeta,
            accessibility: true,
            ..dept("zjj", "临江市住房和城乡建设局", "临江市住建局", "临建发")
        },
        // 23 jtysj: stale + blank ≥ 10 (veto.columns_long_stale) without other vetoes.
        Spec {
            placeholders: vec![C::Collection, C::Interview, C::ServiceStats],
            extra_news: vec![("交通动态", "jtdt", true)],
            periodic_stale: vec![C::Interpretation, C::Personnel, C::Plan, C::Finance, C::Statistics],
            notice_stale: true,
            policy_stale: true,
            ..dept("jtysj", "临江市交通运输局", "临江市交通运输局", "临交发")
        },
        // 24 nyncj: host breaks the domain rule.
        Spec {
            host: Some("www.ljnync.com"),
            style: CmsStyle::Hanweb,
            ..dept("nyncj", "临江市农业农村局", "临江市农业农村局", "临农发")
        },
        // 25 swj: 良好, service entry broken.
        Spec {
            extra_news: vec![("商务动态", "swdt", true)],
            notice_stale: true,
            periodic_stale: vec![C::Plan, C::Statistics],
            broken_site: 10,
            service: Svc::Broken,
            ..dept("swj", "临江市商务局", "临江市商务局", "临商发")
        },
        // 26 wsjkw: shared platform, 合格.
        Spec {
            shared_platform: true,
            missing: vec![C::Leaders, C::Interpretation],
            no_system: true,
            guide_missing: 4,
            timeliness_late: 5,
            identity_missing: vec!["police", "sponsor"],
            late_replies: 3,
            style: CmsStyle::Hanweb,
            ..dept("wsjkw", "临江市卫生健康委员会", "临江市卫健委", "临卫发")
        },
        // 27 yjglj: Hanweb, clean; footer written by an external GBK script on UTF-8 pages.
        Spec {
            style: CmsStyle::Hanweb,
            date_style: DateStyle::Slash,
            footer_script: true,
            ..dept("yjglj", "临江市应急管理局", "临江市应急管理局", "临应急发")
        },
        // 28 scjgj: shared platform, script-only list, 良好.
        Spec {
            shared_platform: true,
            script_only: vec![C::Statistics],
            no_error_entry: true,
            no_search: true,
            undated: vec![C::Plan, C::Finance],
            broken_site: 5,
            late_replies: 2,
            identity_missing: vec!["badge", "police"],
            ..dept("scjgj", "临江市市场监督管理局", "临江市市场监管局", "临市监发")
        },
        // 29 tjj: 合格 with many small deductions.
        Spec {
            missing: vec![C::Leaders, C::Interpretation, C::Plan],
            extra_news: vec![("统计动态", "tjdt", true)],
            policy_stale: true,
            periodic_stale: vec![C::Personnel, C::Finance],
            guide_missing: 3,
            no_application: true,
            replies_stale: true,
            collection: Freshness::Missing,
            interview: Freshness::Missing,
            stats_stale: true,
            identity_missing: vec!["site_code", "badge"],
            broken_home: 2,
            style: CmsStyle::Plain,
            ..dept("tjj", "临江市统计局", "临江市统计局", "临统发")
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_specs_with_unique_keys() {
        let s = specs();
        assert_eq!(s.len(), 30);
        let mut keys: Vec<&str> = s.iter().map(|x| x.key).collect();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), 30);
        assert_eq!(s.iter().filter(|x| x.level == Level::County).count(), 14);
        assert_eq!(s.iter().filter(|x| x.level == Level::Department).count(), 15);
    }
}
