//! The parser's and serde's English messages, said in Chinese in the words of the files.
//!
//! The people who edit sites.toml, rubrics and gongkai.toml are officials who read Chinese; `toml_edit` and serde
//! describe problems in Rust terms ("invalid type: string \"many\", expected u32"). These functions recognise the
//! shapes those crates produce (their formats are stable: serde's `de::Error` defaults and `toml_edit`'s parser
//! contexts) and restate them: what was written, what to write instead. Key names, values and examples stay as they
//! are in the files (ASCII, in backticks or quotes). A part no pattern here knows is kept verbatim, so nothing the
//! crate said is lost.

/// A message of the `toml` crate, which may be a syntax or a deserialisation message (`toml::from_str`): each shape
/// this module knows in Chinese, anything else as it was.
pub fn toml_message(message: &str) -> String {
    syntax_message(&serde_message(message))
}

/// A deserialisation message in Chinese: unknown or missing key, unknown value, wrong type.
pub fn serde_message(message: &str) -> String {
    let m = message.trim();
    if let Some(rest) = m.strip_prefix("unknown field ") {
        return match rest.split_once(", ") {
            Some((key, "there are no fields")) => format!("未知的键 {key}（{NO_KEYS}）"),
            Some((key, expected)) => format!("未知的键 {key}（可用的键：{}）", backtick_list(expected)),
            None => format!("未知的键 {rest}"),
        };
    }
    if let Some(rest) = m.strip_prefix("missing field ") {
        return format!("缺少必填的键 {rest}");
    }
    if let Some(rest) = m.strip_prefix("unknown variant ") {
        return match rest.split_once(", ") {
            Some((value, expected)) => format!("未知的取值 {value}（可选的值：{}）", backtick_list(expected)),
            None => format!("未知的取值 {rest}"),
        };
    }
    for (prefix, what) in [("invalid type: ", "类型不对"), ("invalid value: ", "取值不对")] {
        if let Some(rest) = m.strip_prefix(prefix) {
            if let Some((found, expected)) = rest.split_once(", expected ") {
                let hint = if what == "取值不对" && expected == "u32" {
                    "应为 0 到 4294967295 之间的整数（不加引号）".to_string()
                } else {
                    spaced("应为", &expected_zh(expected))
                };
                return format!("{what}：写的是{}，{hint}", found_zh(found));
            }
        }
    }
    if let Some(rest) = m.strip_prefix("invalid length ") {
        if let Some((n, expected)) = rest.split_once(", expected ") {
            return format!("项数不对：写了 {n} 项，{}", spaced("应为", &expected_zh(expected)));
        }
    }
    if m.starts_with("data did not match any variant of untagged enum RawPoints") {
        return "写法不对：应为一个正数（如 2），或按结果分别给分的表（如 { missing = 8, late = 4 }）".to_string();
    }
    if m.starts_with("data did not match any variant of untagged enum") {
        return format!("写法不符合任何一种允许的形式（{m}）");
    }
    if m == "wanted string or table" {
        return "应为带引号的字符串或表".to_string();
    }
    m.to_string()
}

/// `lead` then `rest`, with a space between when `rest` starts with ASCII (`应为 true 或 false`, `应为整数`).
fn spaced(lead: &str, rest: &str) -> String {
    if rest.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        format!("{lead} {rest}")
    } else {
        format!("{lead}{rest}")
    }
}

/// Said of a table that takes no keys at all (`there are no fields`).
pub(crate) const NO_KEYS: &str = "此处不能有任何键";

/// serde's "`a`, `b`" / "one of `a`, `b`, `c`" / "`a` or `b`" as "`a`、`b`、`c`".
fn backtick_list(expected: &str) -> String {
    let e = expected.strip_prefix("expected ").unwrap_or(expected);
    let e = e.strip_prefix("one of ").unwrap_or(e);
    e.replace("`, `", "`、`").replace("` or `", "`、`")
}

/// serde's `Unexpected` (what the file holds): "string \"x\"", "integer `1`", "map" …
fn found_zh(found: &str) -> String {
    for (en, zh) in [
        ("string ", "字符串 "),
        ("integer ", "整数 "),
        ("floating point ", "小数 "),
        ("boolean ", "布尔值 "),
        ("char ", "字符 "),
    ] {
        if let Some(v) = found.strip_prefix(en) {
            return format!("{zh}{v}");
        }
    }
    match found {
        "map" => "表（或不加引号的日期）".to_string(),
        "sequence" => "数组".to_string(),
        "unit value" => "空值".to_string(),
        other => other.to_string(),
    }
}

/// serde's "expected …" (what the type wants) in the words of the files.
fn expected_zh(expected: &str) -> String {
    let e = expected.trim();
    let words = match e {
        "u8" | "u16" | "u32" | "u64" | "usize" => "非负整数（不加引号）",
        "i8" | "i16" | "i32" | "i64" | "isize" => "整数（不加引号）",
        "f32" | "f64" => "数字（不加引号）",
        "a string" | "a borrowed string" | "a character" => "带引号的字符串",
        "a boolean" => "true 或 false（不加引号）",
        "a sequence" => "数组（如 [\"…\", \"…\"]）",
        "a map" => "表",
        _ => "",
    };
    if !words.is_empty() {
        return words.to_string();
    }
    if e.starts_with("struct ") || e.starts_with("map") {
        return "表".to_string();
    }
    if let Some(n) = e.strip_prefix("an array of length ").or_else(|| e.strip_prefix("a tuple of size ")) {
        return format!("{n} 项的数组");
    }
    if let Some(n) = e.strip_prefix("a sequence of length ") {
        return format!("{n} 项的数组");
    }
    format!("：{e}")
}

/// A TOML syntax message in Chinese: each line of `toml_edit`'s message ("invalid table header", "expected `.`,
/// `]]`", "duplicate key `a` in table `x`") restated; a line it does not know kept as it is.
pub fn syntax_message(message: &str) -> String {
    let parts: Vec<String> = message.trim().lines().map(str::trim).filter(|l| !l.is_empty()).map(syntax_line).collect();
    parts.join("；")
}

fn syntax_line(line: &str) -> String {
    if let Some(what) = line.strip_prefix("invalid ") {
        let zh = match what {
            "table header" => "表头（[表名] 或 [[表名]]）",
            "string" => "值（文字要加引号，如 \"…\"）",
            "basic string" | "literal string" => "字符串（缺少结尾的引号？）",
            "multiline basic string" | "multiline literal string" => "多行字符串",
            "array" => "数组",
            "inline table" => "内联表 { … }",
            "key" => "键",
            "escape sequence" => "转义符（反斜杠后应为 b、f、n、r、t、u、U、\\ 或 \"）",
            "date-time" => "日期时间",
            "time" => "时间",
            "time offset" => "时区",
            "integer" => "整数",
            "floating-point number" => "小数",
            "unicode 4-digit hex code" | "unicode 8-digit hex code" => "Unicode 转义",
            _ => "",
        };
        if !zh.is_empty() {
            return format!("{zh}写法有误");
        }
        return line.to_string();
    }
    if let Some(list) = line.strip_prefix("expected ") {
        let list = list.replace("newline", "换行").replace(", ", "、");
        return format!("此处应为 {list}");
    }
    if let Some(rest) = line.strip_prefix("duplicate key ") {
        if let Some(key) = rest.strip_suffix(" in document root") {
            return format!("键 {key} 重复（在文件顶层已经写过）");
        }
        if let Some((key, table)) = rest.split_once(" in table ") {
            return format!("键 {key} 重复（在表 {table} 中已经写过）");
        }
        return format!("键 {rest} 重复");
    }
    match line {
        "value is out of range" => "数值超出范围".to_string(),
        "number too large to fit in target type" => "数字太大".to_string(),
        "recursion limit exceeded" => "嵌套层数太多".to_string(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_shapes() {
        assert_eq!(
            serde_message("unknown field `colour`, expected one of `id`, `name`, `url`"),
            "未知的键 `colour`（可用的键：`id`、`name`、`url`）"
        );
        assert_eq!(serde_message("unknown field `y`, expected `x`"), "未知的键 `y`（可用的键：`x`）");
        assert_eq!(serde_message("unknown field `y`, expected `x` or `z`"), "未知的键 `y`（可用的键：`x`、`z`）");
        assert_eq!(serde_message("unknown field `q`, there are no fields"), "未知的键 `q`（此处不能有任何键）");
        assert_eq!(serde_message("missing field `url`"), "缺少必填的键 `url`");
        assert_eq!(
            serde_message("unknown variant `vetoo`, expected one of `veto`, `deduction`, `bonus`"),
            "未知的取值 `vetoo`（可选的值：`veto`、`deduction`、`bonus`）"
        );
        assert_eq!(
            serde_message("invalid type: string \"many\", expected u32"),
            "类型不对：写的是字符串 \"many\"，应为非负整数（不加引号）"
        );
        assert_eq!(
            serde_message("invalid value: integer `-1`, expected u32"),
            "取值不对：写的是整数 `-1`，应为 0 到 4294967295 之间的整数（不加引号）"
        );
        assert_eq!(
            serde_message("invalid type: integer `1`, expected a boolean"),
            "类型不对：写的是整数 `1`，应为 true 或 false（不加引号）"
        );
        assert_eq!(
            serde_message("invalid type: map, expected a string"),
            "类型不对：写的是表（或不加引号的日期），应为带引号的字符串"
        );
        assert_eq!(
            serde_message("invalid length 3, expected an array of length 2"),
            "项数不对：写了 3 项，应为 2 项的数组"
        );
        assert_eq!(serde_message("something new"), "something new");
    }

    #[test]
    fn syntax_shapes() {
        assert_eq!(
            syntax_message("invalid table header\nexpected `.`, `]]`"),
            "表头（[表名] 或 [[表名]]）写法有误；此处应为 `.`、`]]`"
        );
        assert_eq!(syntax_message("duplicate key `a` in document root"), "键 `a` 重复（在文件顶层已经写过）");
        assert_eq!(syntax_message("duplicate key `id` in table `site`"), "键 `id` 重复（在表 `site` 中已经写过）");
        assert_eq!(syntax_message("expected newline, `#`"), "此处应为 换行、`#`");
        assert_eq!(toml_message("invalid array\nexpected `]`"), "数组写法有误；此处应为 `]`");
        assert_eq!(toml_message("missing field `reason`"), "缺少必填的键 `reason`");
        assert_eq!(
            syntax_message("dotted key `a.b` attempted to extend non-table type (integer)"),
            "dotted key `a.b` attempted to extend non-table type (integer)"
        );
    }
}
