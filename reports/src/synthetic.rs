//! Synthetic assessment results for tests, benchmarks and trying the report writers without a crawl: N sites of an
//! invented province (示范省) with varied levels, regions, columns, findings with evidence, vetoes and bonuses, graded,
//! ranked and listed the way docs/rules.md says. Deterministic for a given (n, seed). Site names and regions depend only
//! on the site's index, findings on the seed, so two seeds give "two months" of the same sites.
//!
//! Nothing here is ever presented as a real result; it exists so the writers can be tested at realistic sizes.

use gongkai_config::{Grade, Level, Rubric};
use gongkai_scoring::{
    Assessment, ColumnResult, CrawlSummary, Evidence, Finding, FindingKind, Identity, ListKind, Results, RubricRef,
    SiteResult, SiteStatus, WarcLocation,
};

/// The rubric whose words (rule titles, advice, group and category names) the synthetic results carry.
fn rubric() -> &'static Rubric {
    static RUBRIC: std::sync::OnceLock<Rubric> = std::sync::OnceLock::new();
    RUBRIC.get_or_init(Rubric::default_rubric)
}

/// A finding of `rule` with the rule's words from the default rubric, as the scorer writes it.
fn finding(rule: &str, kind: FindingKind, points: f64, message: String, evidence: Vec<Evidence>) -> Finding {
    let rubric = rubric();
    let r = rubric.rule(rule).unwrap_or_else(|| panic!("rule {rule} is not in the default rubric"));
    Finding {
        rule: rule.to_string(),
        title: r.title.clone(),
        advice: r.advice.clone(),
        group: r.group.clone(),
        group_name: r.group.as_deref().and_then(|g| rubric.group(g)).map(|g| g.name.clone()),
        kind,
        points,
        occurrences: 1,
        message,
        evidence,
    }
}

/// The Chinese name of a category of the default rubric.
fn category_name(category: &str) -> String {
    rubric().category(category).map(|c| c.name.clone()).unwrap_or_else(|| gongkai_scoring::OTHER_CATEGORY_NAME.into())
}

/// A page title an attacker might plant on a defaced site: must show up as text, never run.
pub const HOSTILE_TITLE: &str = "<script>alert('xss')</script>\"><img src=x onerror=alert(1)>";

/// Results of `n` synthetic sites assessed at 2026-10-31 (end of day, Asia/Shanghai).
pub fn results(n: usize, seed: u64) -> Results {
    results_at(n, seed, "2026-10-31T23:59:59+08:00")
}

/// Results of `n` synthetic sites assessed at `as_of` (RFC 3339).
pub fn results_at(n: usize, seed: u64, as_of: &str) -> Results {
    let t0 = chrono::DateTime::parse_from_rfc3339(as_of).expect("as_of is RFC 3339").date_naive();
    let mut sites: Vec<SiteResult> = (0..n).map(|i| site(i, seed, t0)).collect();
    rank(&mut sites);
    Results {
        assessment: Assessment {
            as_of: as_of.to_string(),
            rubric: RubricRef { id: "default".into(), version: "2026.1".into() },
            generated_at: format!("{}T03:12:00+08:00", t0 + chrono::Days::new(1)),
            shard: None,
            period: None,
            issuer: None,
        },
        sites,
    }
}

/// Put attacker-controlled text everywhere crawled text can appear in the first site: a column name, a finding's
/// message and observed text, an evidence URL with a `javascript:` scheme, and the site name itself.
pub fn make_hostile(results: &mut Results) {
    let site = &mut results.sites[0];
    site.name = format!("{HOSTILE_TITLE}人民政府");
    if let Some(c) = site.columns.first_mut() {
        c.name = HOSTILE_TITLE.to_string();
        c.url = "javascript:alert(document.cookie)".into();
    }
    site.findings.push(finding(
        "publish.blank_column",
        FindingKind::Deduction,
        1.0,
        format!("栏目“{HOSTILE_TITLE}”为空白栏目"),
        vec![
            Evidence {
                url: "javascript:alert(document.domain)".into(),
                observed: format!("页面标题：{HOSTILE_TITLE}"),
                warc: None,
            },
            Evidence {
                url: format!("http://{}.example.gov.cn/a?x=\"><script>alert(3)</script>", site.id),
                observed: "暂无信息 <!-- </script> -->".into(),
                warc: None,
            },
        ],
    ));
}

/// Turn the site `id` into one the scorer could not assess (docs/results.md `status`), the way the scorer writes it: no
/// score (not a number), grade 未检查, unranked (rank 0), no columns, no identity, no findings — or, with `unreachable`,
/// the one finding `veto.unreachable` from probe data, grade 不合格 and the black list. The remaining sites are
/// ranked again (1…n, in their previous order).
pub fn make_not_assessed(results: &mut Results, id: &str, reason: &str, unreachable: bool) {
    let site = results.sites.iter_mut().find(|s| s.id == id).expect("no site with that id");
    site.status = SiteStatus::NotAssessed;
    site.status_reason = Some(reason.to_string());
    site.score = f64::NAN;
    site.deduction_score = f64::NAN;
    site.bonus = f64::NAN;
    site.rank = 0;
    site.columns.clear();
    site.identity = Identity::default();
    site.findings.clear();
    site.crawl.pages = 0;
    if unreachable {
        site.grade = Grade::Fail;
        site.vetoed = true;
        site.vetoes = vec!["veto.unreachable".into()];
        site.list = Some(ListKind::Black);
        site.findings.push(finding(
            "veto.unreachable",
            FindingKind::Veto,
            0.0,
            "首页可用性低于95%（7天内探测120次，失败41次）".into(),
            vec![Evidence { url: site.url.clone(), observed: "探测失败 41/120".into(), warc: None }],
        ));
    } else {
        site.grade = gongkai_scoring::NOT_ASSESSED_GRADE.into();
        site.vetoed = false;
        site.vetoes.clear();
        site.list = None;
    }
    let mut ranked: Vec<&mut SiteResult> = results.sites.iter_mut().filter(|s| s.assessed()).collect();
    ranked.sort_by_key(|s| s.rank);
    for (i, s) in ranked.into_iter().enumerate() {
        s.rank = i as u32 + 1;
    }
}

/// splitmix64: small, deterministic, good enough for fixtures.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const CITIES: [&str; 12] = [
    "东湖市",
    "西山市",
    "南江市",
    "北原市",
    "青石市",
    "白河市",
    "金川市",
    "玉泉市",
    "临江市",
    "长宁市",
    "安平市",
    "永和市",
];
const COUNTIES: [&str; 16] = [
    "城关区",
    "新华区",
    "长安县",
    "和平县",
    "红旗区",
    "太平县",
    "兴隆县",
    "永安县",
    "东城区",
    "西城区",
    "清河县",
    "石桥县",
    "龙泉县",
    "青山县",
    "平川区",
    "云溪县",
];
const TOWNS: [&str; 8] = ["城南镇", "河口镇", "白沙镇", "黄土镇", "柳林乡", "桃源镇", "三合乡", "新民镇"];
const DEPARTMENTS: [&str; 12] = [
    "发展和改革委员会",
    "教育局",
    "公安局",
    "民政局",
    "财政局",
    "人力资源和社会保障局",
    "自然资源局",
    "生态环境局",
    "住房和城乡建设局",
    "交通运输局",
    "卫生健康委员会",
    "市场监督管理局",
];

/// (category, name, path, cadence in days or 0 for single pages).
const COLUMNS: [(&str, &str, &str, i64); 14] = [
    ("news", "政务动态", "zwdt", 14),
    ("notice", "通知公告", "tzgg", 183),
    ("policy", "政策文件", "zcwj", 183),
    ("interpretation", "政策解读", "zcjd", 365),
    ("overview", "概况信息", "gkxx", 0),
    ("functions", "机构职能", "jgzn", 0),
    ("leaders", "领导信息", "ldxx", 0),
    ("personnel", "人事信息", "rsxx", 365),
    ("plan", "规划计划", "ghjh", 365),
    ("finance", "财政预决算", "czyjs", 365),
    ("statistics", "统计信息", "tjxx", 365),
    ("guide", "政府信息公开指南", "xxgk/gkzn", 0),
    ("annual_report", "政府信息公开年报", "xxgk/gknb", 365),
    ("consultation", "领导信箱", "hdjl/ldxx", 60),
];

fn site(i: usize, seed: u64, t0: chrono::NaiveDate) -> SiteResult {
    // Identity (name, region, level) from the index alone; everything measured from (index, seed).
    let mut who = Rng::new(i as u64 * 7919);
    let city_idx = if i == 0 { 0 } else { (i - 1) % CITIES.len() };
    let city = CITIES[city_idx];
    let county = *who.pick(&COUNTIES);
    let (level, name, region) = if i == 0 {
        (Level::Province, "示范省人民政府".to_string(), vec!["示范省".to_string()])
    } else {
        match who.below(20) {
            0..=1 => (Level::City, format!("{city}人民政府"), vec!["示范省".into(), city.into()]),
            2..=11 => {
                (Level::County, format!("{city}{county}人民政府"), vec!["示范省".into(), city.into(), county.into()])
            }
            12..=14 => {
                let town = *who.pick(&TOWNS);
                (Level::Township, format!("{county}{town}人民政府"), vec!["示范省".into(), city.into(), county.into()])
            }
            _ => (Level::Department, format!("{city}{}", who.pick(&DEPARTMENTS)), vec!["示范省".into(), city.into()]),
        }
    };
    let id = format!("sf-c{:02}-{:04}", city_idx, i);
    let host = format!("www.{}.gov.cn", id.replace('-', ""));
    let url = format!("http://{host}/");

    let mut rng = Rng::new(seed.wrapping_mul(1_000_003).wrapping_add(i as u64));
    let quality = (rng.below(1000) as f64) / 1000.0;
    let mut warc_offset = 0u64;
    let mut warc = |rng: &mut Rng| {
        warc_offset += 1000 + rng.below(200_000);
        Some(WarcLocation {
            file: format!("warc/{}/{id}-{:05}.warc.gz", t0.format("%Y-%m"), 1 + rng.below(3)),
            offset: warc_offset,
            record_id: format!(
                "urn:uuid:{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
                rng.next() as u32,
                rng.next() as u16,
                rng.below(0x1000),
                rng.below(0x1000),
                rng.next() & 0xFFFF_FFFF_FFFF
            ),
            payload: None,
        })
    };

    // Columns: each present with high probability; stale ones more likely on poor sites.
    let mut columns = Vec::new();
    let mut findings = Vec::new();
    for (category, cname, path, cadence) in COLUMNS {
        let col_url = format!("http://{host}/{path}/");
        if rng.chance(0.05 + 0.15 * (1.0 - quality)) && category != "consultation" {
            findings.push(finding(
                "publish.missing_column",
                FindingKind::Deduction,
                2.0,
                format!("未发现“{cname}”栏目"),
                vec![Evidence {
                    url: url.clone(),
                    observed: format!("首页及信息公开平台导航中没有{cname}类栏目"),
                    warc: warc(&mut rng),
                }],
            ));
            continue;
        }
        let blank = rng.chance(0.03 + 0.08 * (1.0 - quality));
        let items = if blank || cadence == 0 { 0 } else { 5 + rng.below(20) as u32 };
        let stale = cadence > 0 && !blank && rng.chance(0.08 + 0.5 * (1.0 - quality));
        let age = if stale { cadence + 1 + rng.below(200) as i64 } else { rng.below(cadence.max(1) as u64) as i64 };
        let newest = (items > 0).then(|| (t0 - chrono::Days::new(age as u64)).format("%Y-%m-%d").to_string());
        columns.push(ColumnResult {
            category: category.into(),
            category_name: category_name(category),
            name: cname.into(),
            url: col_url.clone(),
            first_level: rng.chance(0.7),
            items,
            dated_items: items,
            newest: newest.clone(),
            blank,
        });
        if blank {
            findings.push(finding(
                "publish.blank_column",
                FindingKind::Deduction,
                1.0,
                format!("“{cname}”栏目为空白栏目"),
                vec![Evidence {
                    url: col_url.clone(), observed: "页面显示“暂无信息”".into(), warc: warc(&mut rng)
                }],
            ));
        } else if stale {
            let (rule, points) = match category {
                "news" => ("publish.news_stale", 2.0),
                "notice" => ("publish.notice_stale", 2.0),
                "policy" => ("publish.policy_stale", 5.0),
                "consultation" => ("interaction.replies_stale", 3.0),
                _ => ("publish.periodic_stale", 1.0),
            };
            let newest = newest.unwrap_or_default();
            findings.push(finding(
                rule,
                FindingKind::Deduction,
                points,
                format!("“{cname}”栏目最新信息发布于{newest}，超过{cadence}天未更新"),
                vec![Evidence {
                    url: col_url.clone(),
                    observed: format!("最新信息日期 {newest}"),
                    warc: warc(&mut rng),
                }],
            ));
        }
    }

    // Other deductions.
    let identity = Identity {
        site_code: rng.chance(0.9).then(|| format!("{:010}", 5_100_000_000u64 + i as u64)),
        icp: rng.chance(0.92).then(|| format!("示ICP备{:08}号-1", 10_000_000 + i)),
        police: rng.chance(0.75).then(|| format!("示公网安备{:014}号", 51_010_602_000_000u64 + i as u64)),
        badge: rng.chance(0.85),
        sponsor: rng.chance(0.95).then(|| format!("{name}办公室")),
        contact: rng.chance(0.9),
        error_entry: rng.chance(0.85),
    };
    let missing: Vec<&str> = [
        (identity.site_code.is_none(), "网站标识码"),
        (identity.icp.is_none(), "ICP备案编号"),
        (identity.police.is_none(), "公安机关备案标识"),
        (!identity.badge, "党政机关网站标识"),
        (identity.sponsor.is_none(), "主办单位"),
        (!identity.contact, "联系方式"),
    ]
    .into_iter()
    .filter_map(|(m, n)| m.then_some(n))
    .collect();
    if !missing.is_empty() {
        findings.push(finding(
            "design.identity",
            FindingKind::Deduction,
            missing.len() as f64,
            format!("首页缺少网站标识要素：{}", missing.join("、")),
            vec![Evidence {
                url: url.clone(),
                observed: format!("页脚未见{}", missing.join("、")),
                warc: warc(&mut rng),
            }],
        ));
    }
    if !identity.error_entry {
        findings.push(finding(
            "design.error_entry",
            FindingKind::Deduction,
            2.0,
            "首页未提供“我为政府网站找错”入口".into(),
            vec![Evidence {
                url: url.clone(), observed: "首页无找错入口链接或脚本".into(), warc: warc(&mut rng)
            }],
        ));
    }
    let broken = rng.below(1 + (12.0 * (1.0 - quality)) as u64);
    if broken > 0 {
        findings.push(finding(
            "design.broken_links_site",
            FindingKind::Deduction,
            crate::round2((broken as f64 * 0.2).min(5.0)),
            format!("网站存在{broken}个错链断链"),
            (0..broken.min(5))
                .map(|k| Evidence {
                    url: format!("http://{host}/old/{k}/index.html"),
                    observed: format!("HTTP {}", if k % 2 == 0 { 404 } else { 500 }),
                    warc: None,
                })
                .collect(),
        ));
    }
    if rng.chance(0.15 + 0.3 * (1.0 - quality)) {
        findings.push(finding(
            "disclosure.annual_report",
            FindingKind::Deduction,
            8.0,
            format!("未发现{}年度政府信息公开工作年度报告", t0.format("%Y").to_string().parse::<i32>().unwrap() - 1),
            vec![Evidence {
                url: format!("http://{host}/xxgk/gknb/"),
                observed: "年报栏目中最新一期为上上年度".into(),
                warc: warc(&mut rng),
            }],
        ));
    }
    if rng.chance(0.1 + 0.25 * (1.0 - quality)) {
        findings.push(finding(
            "design.search",
            FindingKind::Deduction,
            2.0,
            "首页未提供站内搜索".into(),
            vec![Evidence { url: url.clone(), observed: "首页无搜索表单".into(), warc: warc(&mut rng) }],
        ));
    }
    let guide_missing = rng.below(1 + (6.0 * (1.0 - quality)) as u64);
    if guide_missing > 0 {
        let elements = ["办公地址", "办公时间", "联系电话", "传真", "互联网联系方式"];
        let missing: Vec<&str> = elements.iter().take(guide_missing as usize).copied().collect();
        findings.push(finding(
            "disclosure.guide_elements",
            FindingKind::Deduction,
            missing.len() as f64,
            format!("政府信息公开指南缺少：{}", missing.join("、")),
            vec![Evidence {
                url: format!("http://{host}/xxgk/gkzn/"),
                observed: format!("指南正文未见{}", missing.join("、")),
                warc: warc(&mut rng),
            }],
        ));
    }
    if rng.chance(0.1 + 0.3 * (1.0 - quality)) {
        findings.push(finding(
            "service.stats_stale",
            FindingKind::Deduction,
            2.0,
            "近3个月未公开办件统计信息".into(),
            vec![Evidence {
                url: format!("http://{host}/bsfw/bjtj/"),
                observed: "最新办件公示为5个月前".into(),
                warc: warc(&mut rng),
            }],
        ));
    }
    if rng.chance(0.05) {
        let n = 1 + rng.below(3);
        findings.push(finding(
            "security.privacy",
            FindingKind::Deduction,
            n as f64,
            format!("{n}个页面公开了公民身份号码等个人隐私信息"),
            (0..n)
                .map(|k| Evidence {
                    url: format!("http://{host}/tzgg/2026/t2026{:04}_{k}.html", 100 + rng.below(900)),
                    observed: "身份证号 5101**********123X（已打码）".into(),
                    warc: warc(&mut rng),
                })
                .collect(),
        ));
    }

    // Vetoes: rarer, more likely on poor sites.
    let mut vetoes = Vec::new();
    if rng.chance(0.03 + 0.15 * (1.0 - quality).powi(2)) {
        let (rule, message, observed) = *rng.pick(&[
            ("veto.homepage_stale", "首页信息超过2周未更新", "首页最新信息日期为两周以前"),
            ("veto.no_consultation", "未发现政务咨询渠道", "全站未发现领导信箱、网上咨询等栏目"),
            ("veto.no_service", "未发现办事服务入口", "首页及导航中没有办事服务入口"),
            ("veto.blank_columns", "空白栏目达到5个及以上", "5个栏目页面显示“暂无信息”"),
            ("veto.unreachable", "首页可用性低于95%", "7天内探测120次，失败8次"),
        ]);
        vetoes.push(rule.to_string());
        findings.push(finding(
            rule,
            FindingKind::Veto,
            0.0,
            message.into(),
            vec![Evidence { url: url.clone(), observed: observed.into(), warc: warc(&mut rng) }],
        ));
    }

    let deducted: f64 = findings.iter().filter(|f| f.kind == FindingKind::Deduction).map(|f| f.points).sum();
    let deduction_score = crate::round2((100.0 - deducted).max(0.0));
    let mut bonus = 0.0;
    if deduction_score > 80.0 {
        if rng.chance(0.5) {
            bonus += 2.0;
            findings.push(finding(
                "bonus.https",
                FindingKind::Bonus,
                2.0,
                "首页支持HTTPS访问，HTTP自动跳转".into(),
                vec![Evidence { url: format!("https://{host}/"), observed: "HTTP 301 → HTTPS".into(), warc: None }],
            ));
        }
        if rng.chance(0.3) {
            bonus += 2.0;
            findings.push(finding(
                "bonus.accessibility",
                FindingKind::Bonus,
                2.0,
                "首页提供无障碍、长者模式入口".into(),
                vec![Evidence { url: url.clone(), observed: "首页链接“无障碍”".into(), warc: None }],
            ));
        }
    }
    let score = crate::round2(deduction_score + bonus);
    let vetoed = !vetoes.is_empty();
    let grade = if vetoed || deduction_score < 60.0 {
        Grade::Fail
    } else if score >= 90.0 {
        Grade::Excellent
    } else if score >= 80.0 {
        Grade::Good
    } else {
        Grade::Pass
    };
    let pages = 50 + rng.below(1500);
    SiteResult {
        id,
        name,
        url,
        region,
        level,
        status: Default::default(),
        status_reason: None,
        score,
        deduction_score,
        bonus,
        grade,
        vetoed,
        vetoes,
        rank: 0,
        list: None,
        crawl: CrawlSummary {
            pages,
            errors: rng.below(pages / 20 + 1),
            started_at: format!("{}T01:00:00+08:00", t0),
            finished_at: Some(format!("{}T02:{:02}:00+08:00", t0, rng.below(60))),
            requisites: 0,
        },
        identity,
        columns,
        findings,
        review: vec![],
        filed_downtime: vec![],
        ipv6: None,
        tls: vec![],
    }
}

/// Rank and list as docs/rules.md says: non-vetoed by score, vetoed after by deduction score, ties by id; black for
/// 不合格, red for 优秀 sites within the top 10% (at least one).
fn rank(sites: &mut [SiteResult]) {
    sites.sort_by(|a, b| {
        a.vetoed
            .cmp(&b.vetoed)
            .then_with(|| {
                let (x, y) = if a.vetoed { (a.deduction_score, b.deduction_score) } else { (a.score, b.score) };
                y.partial_cmp(&x).unwrap()
            })
            .then_with(|| a.id.cmp(&b.id))
    });
    let red_max = (sites.len() / 10).max(1);
    for (i, s) in sites.iter_mut().enumerate() {
        s.rank = i as u32 + 1;
        s.list = if s.grade == Grade::Fail {
            Some(ListKind::Black)
        } else if s.grade == Grade::Excellent && i < red_max {
            Some(ListKind::Red)
        } else {
            None
        };
    }
    // Back in id order, as a scorer may emit them: writers must sort by rank themselves.
    sites.sort_by(|a, b| a.id.cmp(&b.id));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_varied() {
        let a = results(200, 1);
        assert_eq!(a, results(200, 1));
        assert_ne!(a, results(200, 2));
        let grades: std::collections::HashSet<_> = a.sites.iter().map(|s| s.grade.as_str()).collect();
        assert_eq!(grades.len(), 4, "all four grades occur: {grades:?}");
        let levels: std::collections::HashSet<_> = a.sites.iter().map(|s| s.level.as_str()).collect();
        assert_eq!(levels.len(), 5);
        assert!(a.sites.iter().any(|s| s.list == Some(ListKind::Red)));
        assert!(a.sites.iter().any(|s| s.vetoed));
        let mut ranks: Vec<u32> = a.sites.iter().map(|s| s.rank).collect();
        ranks.sort();
        assert_eq!(ranks, (1..=200).collect::<Vec<_>>());
        crate::validate(&a).unwrap();
    }
}
