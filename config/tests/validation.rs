//! Every validation error a user can meet in sites.toml, a rubric or the calendar: each test checks the file, line,
//! column, field and the words of the message, since those are what a user acts on (exit status 2 at the command line).

use gongkai_config::{load_sites, parse_sites, Calendar, ConfigError, Level, Rubric, KNOWN_CHECKS};

fn sites_err(text: &str) -> ConfigError {
    match parse_sites(text, "sites.toml") {
        Ok(s) => panic!("expected an error, got {} sites", s.len()),
        Err(e) => e,
    }
}

fn assert_err(e: &ConfigError, file: &str, line: usize, column: usize, field: &str, words: &[&str]) {
    assert_eq!((e.file.as_str(), e.line, e.column, e.field.as_str()), (file, line, column, field), "{e}");
    for w in words {
        assert!(e.message.contains(w), "message lacks {w:?}: {e}");
    }
    assert!(e.to_string().starts_with(&format!("{file}:{line}:{column}: {field}")), "{e}");
}

const ONE_SITE: &str = r#"[defaults]
rate = "2/s"

[[site]]
id = "sc-cd-jinniu"
name = "成都市金牛区人民政府"
url = "http://www.cdjinniu.gov.cn/"
region = ["四川省", "成都市", "金牛区"]
level = "county"
"#;

// ---------------------------------------------------------------------------------------------------------------------
// sites.toml

#[test]
fn sites_valid_file_loads_with_defaults() {
    let sites = parse_sites(ONE_SITE, "sites.toml").unwrap();
    assert_eq!(sites.len(), 1);
    let s = &sites[0];
    assert_eq!(s.id, "sc-cd-jinniu");
    assert_eq!(s.level, Level::County);
    assert_eq!(s.url.as_str(), "http://www.cdjinniu.gov.cn/");
    assert_eq!(s.region, vec!["四川省", "成都市", "金牛区"]);
    assert_eq!((s.rate, s.max_pages, s.max_depth), (2.0, 2000, 6));
}

#[test]
fn sites_unknown_key() {
    let e = sites_err(&format!("{ONE_SITE}colour = \"red\"\n"));
    assert_err(
        &e,
        "sites.toml",
        10,
        1,
        "site[1].colour",
        &["未知的键 `colour`", "可用的键：", "`level`", "`platform`"],
    );
}

#[test]
fn sites_unknown_key_in_defaults() {
    let e = sites_err("[defaults]\nrate = \"2/s\"\nmaxpages = 10\n");
    assert_err(&e, "sites.toml", 3, 1, "defaults.maxpages", &["未知的键 `maxpages`", "`max_pages`"]);
}

#[test]
fn sites_wrong_type() {
    let e = sites_err(&format!("{ONE_SITE}max_pages = \"many\"\n"));
    assert_err(
        &e,
        "sites.toml",
        10,
        13,
        "site[1].max_pages",
        &["类型不对：写的是字符串 \"many\"", "应为非负整数（不加引号）"],
    );
    let e = sites_err(&ONE_SITE.replace("region = [\"四川省\", \"成都市\", \"金牛区\"]", "region = \"四川省\""));
    assert_err(&e, "sites.toml", 8, 10, "site[1].region", &["类型不对：写的是字符串 \"四川省\"", "应为数组"]);
}

#[test]
fn sites_duplicate_id_points_at_the_second() {
    let text = format!("{ONE_SITE}\n[[site]]\nid = \"sc-cd-jinniu\"\nname = \"另一个\"\nurl = \"http://www.x.gov.cn/\"\nlevel = \"county\"\n");
    let e = sites_err(&text);
    assert_err(&e, "sites.toml", 12, 6, "site[2].id", &["站点 id \"sc-cd-jinniu\" 重复", "第 5 行的 site[1]"]);
}

#[test]
fn sites_bad_id_pattern() {
    let e = sites_err(&ONE_SITE.replace("id = \"sc-cd-jinniu\"", "id = \"SC_cd\""));
    assert_err(&e, "sites.toml", 5, 6, "site[1].id", &["站点 id \"SC_cd\" 无效", "小写字母 a-z、数字和 '-'"]);
}

#[test]
fn sites_bad_url() {
    let e = sites_err(&ONE_SITE.replace("http://www.cdjinniu.gov.cn/", "ftp://www.cdjinniu.gov.cn/"));
    assert_err(
        &e,
        "sites.toml",
        7,
        7,
        "site[1].url",
        &["网址 \"ftp://www.cdjinniu.gov.cn/\" 无效", "应为 http 或 https"],
    );
    let e = sites_err(&ONE_SITE.replace("http://www.cdjinniu.gov.cn/", "www.cdjinniu.gov.cn"));
    assert_err(
        &e,
        "sites.toml",
        7,
        7,
        "site[1].url",
        &["网址 \"www.cdjinniu.gov.cn\" 无效", "应为 http:// 或 https:// 开头"],
    );
    let e = sites_err(&ONE_SITE.replace("http://www.cdjinniu.gov.cn/", "mailto:office@cdjinniu.gov.cn"));
    assert_err(&e, "sites.toml", 7, 7, "site[1].url", &["应为 http 或 https"]);
}

#[test]
fn sites_bad_platform_url() {
    let e = sites_err(&format!("{ONE_SITE}platform = \"xxgk.cdjinniu.gov.cn\"\n"));
    assert_err(
        &e,
        "sites.toml",
        10,
        12,
        "site[1].platform",
        &["网址 \"xxgk.cdjinniu.gov.cn\" 无效", "http:// 或 https://"],
    );
}

#[test]
fn sites_unknown_level() {
    let e = sites_err(&ONE_SITE.replace("level = \"county\"", "level = \"conty\""));
    assert_err(&e, "sites.toml", 9, 9, "site[1].level", &[]);
    assert_eq!(e.message, "未知的级别 \"conty\"（可选：province、city、county、township、department）");
    assert_eq!(
        e.to_string(),
        "sites.toml:9:9: site[1].level: 未知的级别 \"conty\"（可选：province、city、county、township、department）"
    );
}

#[test]
fn sites_bad_rate() {
    let e = sites_err(&ONE_SITE.replace("rate = \"2/s\"", "rate = \"fast\""));
    assert_err(&e, "sites.toml", 2, 8, "defaults.rate", &["速率 \"fast\" 无效", "\"2/s\""]);
    let e = sites_err(&format!("{ONE_SITE}rate = \"0/s\"\n"));
    assert_err(&e, "sites.toml", 10, 8, "site[1].rate", &["必须大于 0"]);
}

#[test]
fn sites_rate_must_be_finite_and_in_range() {
    let e = sites_err(&ONE_SITE.replace("rate = \"2/s\"", "rate = \"1e308/s\""));
    assert_err(&e, "sites.toml", 2, 8, "defaults.rate", &["速率 \"1e308/s\" 超出范围", "1/h 到 1000/s"]);
    let e = sites_err(&format!("{ONE_SITE}rate = \"inf\"\n"));
    assert_err(&e, "sites.toml", 10, 8, "site[1].rate", &["必须大于 0", "1/h 到 1000/s"]);
    let e = sites_err(&format!("{ONE_SITE}rate = \"1/day\"\n"));
    assert_err(&e, "sites.toml", 10, 8, "site[1].rate", &["应写成每单位时间的请求数"]);
    let e = sites_err(&format!("{ONE_SITE}rate = \"0.5/h\"\n"));
    assert_err(&e, "sites.toml", 10, 8, "site[1].rate", &["超出范围", "1/h 到 1000/s"]);
    assert!(parse_sites(&format!("{ONE_SITE}rate = \"1000/s\"\n"), "sites.toml").is_ok());
}

#[test]
fn sites_numbers_in_range() {
    let e = sites_err(&format!("{ONE_SITE}max_depth = 1000\n"));
    assert_err(&e, "sites.toml", 10, 13, "site[1].max_depth", &["1000 超出范围", "应为 0 到 100 的整数"]);
    let e = sites_err(&format!("{ONE_SITE}max_pages = 4000000000\n"));
    assert_err(&e, "sites.toml", 10, 13, "site[1].max_pages", &["超出范围", "应为 1 到 10000000 的整数"]);
    let e = sites_err(&ONE_SITE.replace("rate = \"2/s\"", "rate = \"2/s\"\nmax_link_checks = 99999999"));
    assert_err(&e, "sites.toml", 3, 19, "defaults.max_link_checks", &["超出范围", "应为 0 到 10000000 的整数"]);
    let e = sites_err(&format!("{ONE_SITE}max_link_checks = -1\n"));
    assert_eq!(e.field, "site[1].max_link_checks", "{e}");
}

#[test]
fn sites_link_check_budget_defaults_and_overrides() {
    let sites = parse_sites(ONE_SITE, "sites.toml").unwrap();
    assert_eq!(sites[0].max_link_checks, gongkai_config::DEFAULT_MAX_LINK_CHECKS);
    assert_eq!(gongkai_config::DEFAULT_MAX_LINK_CHECKS, 2000);
    let text = ONE_SITE.replace("rate = \"2/s\"", "rate = \"2/s\"\nmax_link_checks = 300");
    assert_eq!(parse_sites(&text, "sites.toml").unwrap()[0].max_link_checks, 300);
    let text = format!("{text}max_link_checks = 0\n");
    assert_eq!(parse_sites(&text, "sites.toml").unwrap()[0].max_link_checks, 0);
}

#[test]
fn sites_id_and_name_lengths() {
    let long_id = "a".repeat(65);
    let e = sites_err(&ONE_SITE.replace("id = \"sc-cd-jinniu\"", &format!("id = \"{long_id}\"")));
    assert_err(&e, "sites.toml", 5, 6, "site[1].id", &["长 65 个字符", "最多 64 个"]);
    let ok_id = "a".repeat(64);
    assert!(parse_sites(&ONE_SITE.replace("id = \"sc-cd-jinniu\"", &format!("id = \"{ok_id}\"")), "s").is_ok());
    let long_name = "县".repeat(201);
    let e = sites_err(&ONE_SITE.replace("成都市金牛区人民政府", &long_name));
    assert_err(&e, "sites.toml", 6, 8, "site[1].name", &["长 201 个字符", "最多 200 个"]);
}

#[test]
fn sites_file_without_sites_is_an_error() {
    let e = sites_err("");
    assert_err(&e, "sites.toml", 1, 1, "site", &["没有站点", "[[site]]"]);
    let e = sites_err("# nothing here yet\n[defaults]\nrate = \"2/s\"\n");
    assert_err(&e, "sites.toml", 1, 1, "site", &["没有站点", "[[site]]"]);
}

#[test]
fn sites_url_without_host() {
    for bad in ["http:///x", "http:/x", "https://", "http:x"] {
        let e = sites_err(&ONE_SITE.replace("http://www.cdjinniu.gov.cn/", bad));
        assert_err(&e, "sites.toml", 7, 7, "site[1].url", &[&format!("网址 \"{bad}\" 无效"), "主机名"]);
    }
    let e = sites_err(&format!("{ONE_SITE}platform = \"http:///xxgk/\"\n"));
    assert_err(&e, "sites.toml", 10, 12, "site[1].platform", &["之后应为主机名"]);
}

#[test]
fn sites_missing_key_points_at_the_table() {
    let e = sites_err("[[site]]\nid = \"a\"\nname = \"甲县\"\nlevel = \"county\"\n");
    assert_err(&e, "sites.toml", 1, 3, "site[1]", &["缺少必填的键 `url`"]);
}

#[test]
fn sites_syntax_error() {
    let e = sites_err("[[site]\nid = \"a\"\n");
    assert_eq!((e.line, e.column, e.field.as_str()), (1, 7, ""), "{e}");
    assert!(e.message.starts_with("TOML 语法错误：表头（[表名] 或 [[表名]]）写法有误"), "{e}");
}

#[test]
fn sites_load_from_file_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sites.toml");
    std::fs::write(&path, ONE_SITE.replace("county", "conty")).unwrap();
    let e = load_sites(&path).unwrap_err();
    assert_eq!(e.file, path.display().to_string());
    assert_eq!((e.line, e.column), (9, 9));
    let e = load_sites(&dir.path().join("missing.toml")).unwrap_err();
    assert_eq!((e.line, e.column), (0, 0));
    assert!(e.to_string().contains("无法读取站点文件：找不到文件或目录"), "{e}");
}

// ---------------------------------------------------------------------------------------------------------------------
// Rubrics

/// A small complete rubric; the tests below break one thing at a time. Line numbers are counted from here.
const MINI: &str = r#"[rubric]
id = "mini"
version = "1"
name = "测试指标"

[parameters]
probe_timeout = "15s"
link_attempts = 2
deduction_total = 100
bonus_max = 30
bonus_above = 80
fail_below = 60
excellent_from = 90
good_from = 80
red_list = { grade = "优秀", top_share = 0.1, min_sites = 1 }

[columns]
placeholders = ["暂无信息"]

[[category]]
id = "news"
name = "政务动态"
kind = "list"
names = ["政务动态"]

[identity]
site_code = { label = "网站标识码", text = ['网站标识码(?P<value>\d{10})'] }
icp = { label = "ICP备案" }
police = { label = "公安备案" }
badge = { label = "党政机关标识" }
sponsor = { label = "主办单位" }
contact = { label = "联系方式" }
error_entry = { label = "我为政府网站找错" }

[[group]]
id = "publish"
name = "发布解读"
cap = 30

[[rule]]
id = "publish.news_stale"
kind = "deduction"
group = "publish"
points = 2
cap = 8
check = "stale_columns"
columns = [{ categories = ["news"], window = "14d" }]
message = "栏目“{column}”超过{window}未更新"

[[rule]]
id = "veto.blank_columns"
kind = "veto"
check = "blank_columns"
fires_at = 5
message = "空白栏目{count}个"
"#;

fn rubric_err(from: &str, to: &str) -> ConfigError {
    assert!(MINI.contains(from), "test text lacks {from:?}");
    match Rubric::from_str(&MINI.replacen(from, to, 1), "mini.toml") {
        Ok(_) => panic!("expected an error after replacing {from:?}"),
        Err(e) => e,
    }
}

#[test]
fn rubric_mini_is_valid() {
    let r = Rubric::from_str(MINI, "mini.toml").unwrap();
    assert_eq!(r.rules.len(), 2);
    assert!(r.rules[0].applies_to(Level::Township));
}

#[test]
fn rubric_unknown_check() {
    let e = rubric_err("check = \"stale_columns\"", "check = \"column_stale\"");
    assert_err(&e, "mini.toml", 46, 9, "rule[1].check", &["未知的检查项 \"column_stale\"", "可选：", "stale_columns"]);
    for name in KNOWN_CHECKS {
        assert!(e.message.contains(name), "{name} not listed");
    }
}

#[test]
fn rubric_unknown_check_parameter() {
    let e = rubric_err("fires_at = 5\n", "fires_at = 5\ncategory = [\"news\"]\n");
    assert_err(
        &e,
        "mini.toml",
        55,
        1,
        "rule[2].category",
        &["未知的键 `category`", "`categories`", "检查项 check = \"blank_columns\" 的参数"],
    );
}

#[test]
fn rubric_wrong_type() {
    let e = rubric_err("points = 2\n", "points = \"two\"\n");
    assert_eq!((e.line, e.field.as_str()), (44, "rule[1].points"), "{e}");
    let e = rubric_err("fires_at = 5", "fires_at = \"5\"");
    assert_err(
        &e,
        "mini.toml",
        54,
        12,
        "rule[2].fires_at",
        &["类型不对：写的是字符串 \"5\"", "应为非负整数（不加引号）"],
    );
    let e = rubric_err("cap = 30", "cap = \"30\"");
    assert_err(&e, "mini.toml", 38, 7, "group[1].cap", &["类型不对：写的是字符串 \"30\"", "应为数字（不加引号）"]);
}

#[test]
fn rubric_bad_duration() {
    let e = rubric_err("window = \"14d\"", "window = \"2 weeks\"");
    assert_err(&e, "mini.toml", 47, 46, "rule[1].columns[1].window", &["时长 \"2 weeks\" 无效", "\"14d\""]);
    let e = rubric_err("window = \"14d\"", "window = \"6m\"");
    assert_err(&e, "mini.toml", 47, 46, "rule[1].columns[1].window", &["\"6m\" 是以时钟计的时长", "\"6mo\""]);
    let e = rubric_err("probe_timeout = \"15s\"", "probe_timeout = \"15d\"");
    assert_err(&e, "mini.toml", 7, 1, "parameters.probe_timeout", &["应为以时钟计的时长"]);
}

#[test]
fn rubric_unknown_category() {
    let e = rubric_err("categories = [\"news\"]", "categories = [\"newz\"]");
    assert_err(
        &e,
        "mini.toml",
        47,
        28,
        "rule[1].columns[1].categories[1]",
        &["未知的栏目类别 \"newz\"", "（可选：news）"],
    );
}

#[test]
fn rubric_unknown_group() {
    let e = rubric_err("group = \"publish\"", "group = \"pub\"");
    assert_err(&e, "mini.toml", 43, 9, "rule[1].group", &["未知的 group \"pub\"", "（可选：publish）"]);
}

#[test]
fn rubric_unknown_level() {
    let e = rubric_err("cap = 8\n", "cap = 8\nlevels = [\"county\", \"conty\"]\n");
    assert_err(
        &e,
        "mini.toml",
        46,
        21,
        "rule[1].levels[2]",
        &["未知的级别 \"conty\"", "province、city、county、township、department"],
    );
}

#[test]
fn rubric_unknown_rule_kind() {
    let e = rubric_err("kind = \"veto\"", "kind = \"vето\"");
    assert_err(&e, "mini.toml", 52, 8, "rule[2].kind", &["未知的取值 `vето`", "`veto`、`deduction`、`bonus`"]);
}

#[test]
fn rubric_duplicate_rule_id() {
    let e = rubric_err("id = \"veto.blank_columns\"", "id = \"publish.news_stale\"");
    assert_err(&e, "mini.toml", 51, 6, "rule[2].id", &["规则 id \"publish.news_stale\" 重复", "rule[1]"]);
}

#[test]
fn rubric_duplicate_category_and_group() {
    let e = rubric_err(
        "[identity]",
        "[[category]]\nid = \"news\"\nname = \"x\"\nkind = \"list\"\nnames = []\n\n[identity]",
    );
    assert_err(&e, "mini.toml", 27, 6, "category[2].id", &["category 的 id \"news\" 重复"]);
}

#[test]
fn rubric_points_rules() {
    let e = rubric_err("fires_at = 5\n", "fires_at = 5\npoints = 3\n");
    assert_err(&e, "mini.toml", 55, 10, "rule[2].points", &["否决规则（veto）不扣分"]);
    let e = rubric_err("points = 2\n", "");
    assert_err(&e, "mini.toml", 40, 1, "rule[1]", &["缺少必填的键 `points`"]);
    let e = rubric_err("points = 2\n", "points = { missing = 2 }\n");
    assert_err(&e, "mini.toml", 44, 10, "rule[1].points", &["要求一个大于 0 的分值"]);
    let e = rubric_err("kind = \"veto\"\n", "kind = \"veto\"\ngroup = \"publish\"\n");
    assert_err(&e, "mini.toml", 53, 9, "rule[2].group", &["veto 规则不属于任何 group"]);
    let e = rubric_err("group = \"publish\"\n", "");
    assert_err(&e, "mini.toml", 40, 1, "rule[1]", &["缺少必填的键 `group`"]);
}

#[test]
fn rubric_check_parameter_values() {
    let e = rubric_err("categories = [\"news\"], window", "categorys = [\"news\"], window");
    assert_err(&e, "mini.toml", 47, 14, "rule[1].columns[1].categorys", &["未知的键 `categorys`", "`categories`"]);
    let e = rubric_err("categories = [\"news\"]", "categories = [\"news\", \"*\"]");
    assert_err(&e, "mini.toml", 47, 1, "rule[1].columns[1].categories", &["单独写 [\"*\"]"]);
    let e = rubric_err("fires_at = 5\n", "fires_at = 0\n");
    assert_err(&e, "mini.toml", 54, 12, "rule[2].fires_at", &["应至少为 1"]);
}

#[test]
fn rubric_annual_report_needs_a_deadline_per_level() {
    let base =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rubrics/default.toml")).unwrap();
    let from = "department = \"01-31\" }";
    assert!(base.contains(from));
    let e = Rubric::from_str(
        &base.replace(from, "}").replace("township = \"03-31\", }", "township = \"03-31\" }"),
        "d.toml",
    )
    .unwrap_err();
    assert!(e.field.ends_with(".deadline") && e.message.contains("缺少级别 department 的截止日期"), "{e}");
    let e = Rubric::from_str(&base.replace(from, "departmnt = \"01-31\" }"), "d.toml").unwrap_err();
    assert!(e.field.ends_with(".deadline.departmnt") && e.message.contains("未知的级别 \"departmnt\""), "{e}");
    assert!(e.line > 0 && e.column > 0, "{e}");
}

#[test]
fn rubric_unknown_message_placeholder() {
    let e = rubric_err("栏目“{column}”超过{window}未更新", "栏目“{colum}”超过{window}未更新");
    assert_err(
        &e,
        "mini.toml",
        48,
        11,
        "rule[1].message",
        &["没有占位符 {colum}", "检查项 \"stale_columns\"", "{column}", "{newest}"],
    );
}

#[test]
fn rubric_unknown_top_level_key() {
    let e = rubric_err("[columns]", "[colums]");
    assert_err(&e, "mini.toml", 17, 2, "colums", &["未知的键 `colums`", "`columns`"]);
}

#[test]
fn rubric_bad_regex() {
    let e = rubric_err(r"(?P<value>\d{10})", r"(?P<value>\d{10}");
    assert_eq!((e.line, e.field.as_str()), (27, "identity.site_code.text"), "{e}");
    assert!(e.message.contains("正则表达式") && e.message.contains("无效"), "{e}");
}

#[test]
fn rubric_missing_identity_element() {
    let e = rubric_err("error_entry = { label = \"我为政府网站找错\" }\n", "");
    assert_eq!(e.field, "identity", "{e}");
    assert!(e.message.contains("缺少 [identity.error_entry]"), "{e}");
    assert_eq!(e.line, 26);
}

#[test]
fn rubric_syntax_error_has_position() {
    let e = rubric_err("cap = 30", "cap = = 30");
    assert_eq!((e.line, e.field.as_str()), (38, ""), "{e}");
    assert!(e.message.starts_with("TOML 语法错误：值（文字要加引号"), "{e}");
}

/// Every rule id of docs/rules.md.
const RUBRIC_MD_RULES: &[&str] = &[
    "veto.unreachable",
    "veto.homepage_stale",
    "veto.columns_stale",
    "veto.columns_long_stale",
    "veto.blank_columns",
    "veto.no_consultation",
    "veto.unanswered",
    "veto.no_service",
    "veto.future_dates",
    "veto.hidden_links",
    "publish.news_stale",
    "publish.notice_stale",
    "publish.policy_stale",
    "publish.periodic_stale",
    "publish.blank_column",
    "publish.missing_column",
    "publish.undated_items",
    "disclosure.platform_column",
    "disclosure.annual_report",
    "disclosure.guide_elements",
    "disclosure.statutory_coverage",
    "disclosure.timeliness",
    "disclosure.no_application",
    "interaction.replies_stale",
    "interaction.late_reply",
    "interaction.collection_stale",
    "interaction.interview_stale",
    "service.entry_broken",
    "service.stats_stale",
    "design.availability",
    // Beyond docs/rules.md's official table: the IPv6 rule default.toml adds (issue 16; not in guoban-2019).
    "design.ipv6",
    // Beyond docs/rules.md's official table: the national emblem rule (国徽法; not in guoban-2019).
    "design.emblem",
    "design.broken_links_home",
    "design.broken_links_site",
    "design.identity",
    "design.error_entry",
    "design.search",
    "design.domain",
    "security.privacy",
    // Beyond docs/rules.md's official table: the HTTPS certificate rule (issue 16; not in guoban-2019).
    "security.certificate",
    // Beyond docs/rules.md: the content rules default.toml adds (docs/rules.md; not in guoban-2019).
    "content.serious_errors",
    "content.leader_names",
    "content.sensitive_words",
    "content.spam_links",
    "content.typos",
    "bonus.https",
    "bonus.accessibility",
    "bonus.manual",
];

#[test]
fn default_rubric_has_every_rubric_md_rule() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rubrics/default.toml");
    let r = Rubric::load(&path).unwrap();
    let ids: Vec<&str> = r.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids, RUBRIC_MD_RULES,
        "default.toml rules differ from docs/rules.md plus the added content rules (order and set)"
    );
    let groups: Vec<(&str, f64)> = r.groups.iter().map(|g| (g.id.as_str(), g.cap)).collect();
    assert_eq!(
        groups,
        vec![
            ("publish", 30.0),
            ("disclosure", 25.0),
            ("interaction", 15.0),
            ("service", 10.0),
            ("design", 15.0),
            ("security", 5.0)
        ]
    );
}

#[test]
fn guoban_rubric_has_every_official_rule() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rubrics/guoban-2019.toml");
    let r = Rubric::load(&path).unwrap();
    let ids: Vec<&str> = r.rules.iter().map(|r| r.id.as_str()).collect();
    let expected: Vec<&str> = RUBRIC_MD_RULES
        .iter()
        .copied()
        .filter(|id| {
            !id.starts_with("disclosure.")
                && !id.starts_with("content.")
                && *id != "design.ipv6"
                && *id != "design.emblem"
                && *id != "security.certificate"
        })
        .collect();
    assert_eq!(ids, expected);
    assert_eq!(r.groups.iter().map(|g| g.cap).sum::<f64>(), 100.0);
}

#[test]
fn rubric_load_missing_file() {
    let e = Rubric::load(std::path::Path::new("/nonexistent/rubric.toml")).unwrap_err();
    assert_eq!((e.file.as_str(), e.line), ("/nonexistent/rubric.toml", 0));
    assert!(e.message.contains("无法读取指标文件：找不到文件或目录"), "{e}");
}

// ---------------------------------------------------------------------------------------------------------------------
// Calendar

const CAL: &str = r#"[calendar]
name = "测试"

[[year]]
year = 2025
holidays = ["2025-10-01..2025-10-08"]
workdays = ["2025-09-28", "2025-10-11"]
"#;

fn cal_err(from: &str, to: &str) -> ConfigError {
    assert!(CAL.contains(from));
    Calendar::parse(&CAL.replacen(from, to, 1), "cn.toml").unwrap_err()
}

#[test]
fn calendar_errors() {
    let e = cal_err("\"2025-09-28\"", "\"2025-09-31\"");
    assert_err(&e, "cn.toml", 7, 13, "year[1].workdays[1]", &["日期 \"2025-09-31\" 无效", "YYYY-MM-DD"]);
    let e = cal_err("\"2025-09-28\"", "\"2025-09-29\"");
    assert_err(&e, "cn.toml", 7, 13, "year[1].workdays[1]", &["2025-09-29 是星期一", "调休上班日只能是星期六或星期日"]);
    let e = cal_err("year = 2025", "year = 2025\nmonth = 1");
    assert_err(&e, "cn.toml", 6, 1, "year[1].month", &["未知的键 `month`"]);
    let e = cal_err("\"2025-10-11\"", "\"2025-10-04\"");
    assert_err(&e, "cn.toml", 7, 27, "year[1].workdays[2]", &["同时列为节假日和调休上班日"]);
    let dup = format!("{CAL}\n[[year]]\nyear = 2025\n");
    let e = Calendar::parse(&dup, "cn.toml").unwrap_err();
    assert_err(&e, "cn.toml", 10, 8, "year[2].year", &["2025 年重复列出"]);
}

#[test]
fn calendar_counts_across_holiday_and_make_up_day() {
    let c = Calendar::parse(CAL, "cn.toml").unwrap();
    let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    // Fri 26 Sep → Sat 11 Oct: Sun 28 Sep (make-up), Mon 29, Tue 30, 1–8 Oct off, Thu 9, Fri 10, Sat 11 (make-up).
    assert_eq!(c.working_days_after(d("2025-09-26"), d("2025-10-11")), Ok(6));
    assert!(!c.is_working_day(d("2025-10-08")));
    assert!(c.is_working_day(d("2025-10-11")));
    assert!(!c.is_working_day(d("2025-10-12")));
    let shipped = Calendar::default_cn();
    assert_eq!(shipped.working_days_after(d("2025-09-26"), d("2025-10-11")), Ok(6));
    // 2026 Spring Festival: 15–23 Feb off, Sat 14 Feb and Sat 28 Feb worked.
    assert_eq!(shipped.working_days_after(d("2026-02-13"), d("2026-02-24")), Ok(2));
}

#[test]
fn example_sites_file_loads() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sites.example.toml");
    let sites = load_sites(&path).unwrap();
    assert_eq!(sites.len(), 2);
    assert_eq!(sites[1].level, Level::Department);
    assert_eq!(sites[1].platform.as_ref().map(|u| u.as_str()), Some("http://xxgk.cdjinniu.gov.cn/fgj/"));
    assert_eq!((sites[1].rate, sites[1].max_pages), (1.0, 2000));
}

/// A rubric names its own lexicon files in `[lexicons]`, relative to the rubric file; mistakes in them name that file,
/// the line and the field; keys left out keep the shipped lists.
#[test]
fn a_rubric_reads_its_own_lexicon_files() {
    let dir = tempfile::tempdir().unwrap();
    let shipped =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rubrics/default.toml")).unwrap();
    let rubric_path = dir.path().join("province.toml");
    std::fs::write(&rubric_path, format!("{shipped}\n[lexicons]\nleaders = \"leaders.toml\"\n")).unwrap();
    std::fs::write(
        dir.path().join("leaders.toml"),
        "[[leader]]\nname = \"王小明\"\ntitles = [\"省长\"]\nrank = 1\nvalid_from = \"2024-01-01\"\n",
    )
    .unwrap();
    let r = Rubric::load(&rubric_path).unwrap();
    assert_eq!(r.lexicons.leaders.entries.len(), 1);
    assert_eq!(r.lexicons.wrong_forms.entries.len(), Rubric::default_rubric().lexicons.wrong_forms.entries.len());

    std::fs::write(
        dir.path().join("leaders.toml"),
        "[[leader]]\nname = \"王小明\"\ntitles = [\"省长\"]\nrank = 0\nvalid_from = \"2024-01-01\"\n",
    )
    .unwrap();
    let e = Rubric::load(&rubric_path).unwrap_err();
    assert!(e.file.ends_with("leaders.toml"), "{e}");
    assert_eq!((e.line, e.field.as_str()), (4, "leader[1].rank"), "{e}");

    std::fs::remove_file(dir.path().join("leaders.toml")).unwrap();
    let e = Rubric::load(&rubric_path).unwrap_err();
    assert!(e.to_string().contains("leaders.toml") && e.to_string().contains("无法读取词库文件"), "{e}");
}
