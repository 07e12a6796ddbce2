//! What a user reads when a command stops: errors in Chinese.
//!
//! The people running gongkai are officials who read Chinese; clap's and the standard library's messages are English.
//! Command-line mistakes are rendered here from clap's error kind and context (the offending argument and value kept
//! verbatim, clap's suggestion kept), exit status 2. Errors that stop a run are printed as their chain of causes, with
//! operating-system errors (`io::ErrorKind`: 找不到文件或目录, 权限不足, 磁盘已满 …) and the common English context
//! verbs of the library crates (`writing PATH` → `写入 PATH`) put into Chinese; paths, file:line:column and field
//! names are kept as they are.

use clap::error::{ContextKind, ContextValue, ErrorKind};

/// Exit status of a command-line mistake (docs/commands.md).
pub const EXIT_USAGE: u8 = 2;

/// A clap error as the user should see it: help and version texts as clap prints them (exit 0), every mistake as a
/// Chinese message (exit 2). Returns the exit status; the text has been written to the right stream.
pub fn report_clap_error(err: &clap::Error) -> u8 {
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let _ = err.print();
            0
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            eprintln!("gongkai：缺少子命令或参数。");
            let _ = err.print();
            EXIT_USAGE
        }
        _ => {
            eprintln!("{}", clap_message(err));
            EXIT_USAGE
        }
    }
}

/// The Chinese text of a command-line mistake, with the usage line and where to find help.
pub fn clap_message(err: &clap::Error) -> String {
    let text = |kind| match err.get(kind) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) => Some(v.join("、")),
        Some(ContextValue::StyledStr(s)) => Some(s.to_string()),
        Some(ContextValue::StyledStrs(v)) => Some(v.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("、")),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let arg = text(ContextKind::InvalidArg).unwrap_or_default();
    let value = text(ContextKind::InvalidValue).unwrap_or_default();
    let mut msg = match err.kind() {
        ErrorKind::UnknownArgument => format!("无法识别的参数 '{arg}'"),
        ErrorKind::InvalidSubcommand => {
            format!("无法识别的子命令 '{}'", text(ContextKind::InvalidSubcommand).unwrap_or_default())
        }
        ErrorKind::InvalidValue if value.is_empty() => format!("参数 {arg} 缺少取值"),
        ErrorKind::InvalidValue => format!("参数 {arg} 的取值 '{value}' 无效"),
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(err).map(|e| why_invalid(&e.to_string())).unwrap_or_default();
            format!("参数 {arg} 的取值 '{value}' 无效{why}")
        }
        ErrorKind::MissingRequiredArgument => format!("缺少必需的参数：{arg}"),
        ErrorKind::MissingSubcommand => "缺少子命令".to_string(),
        ErrorKind::ArgumentConflict => match text(ContextKind::PriorArg) {
            Some(prior) => format!("参数 {arg} 不能与 {prior} 同时使用"),
            None => format!("参数 {arg} 不能与其他参数同时使用"),
        },
        ErrorKind::TooManyValues => format!("参数 {arg} 的取值过多（'{value}'）"),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            let expected = text(ContextKind::ExpectedNumValues).or_else(|| text(ContextKind::MinValues));
            match expected {
                Some(n) => format!("参数 {arg} 需要 {n} 个取值"),
                None => format!("参数 {arg} 的取值个数不对"),
            }
        }
        ErrorKind::NoEquals => format!("参数 {arg} 的取值须用 '=' 连接"),
        ErrorKind::InvalidUtf8 => "命令行参数含有无效的 UTF-8 字符".to_string(),
        _ => "命令行参数有误".to_string(),
    };
    msg = format!("gongkai：错误：{msg}");
    if let Some(valid) = text(ContextKind::ValidValue).filter(|v| !v.is_empty()) {
        msg.push_str(&format!("（可选值：{valid}）"));
    }
    if let Some(s) = text(ContextKind::SuggestedArg)
        .or_else(|| text(ContextKind::SuggestedSubcommand))
        .or_else(|| text(ContextKind::SuggestedValue))
    {
        msg.push_str(&format!("\n  提示：是否要用 '{s}'？"));
    }
    if let Some(trailing) = text(ContextKind::TrailingArg).filter(|_| err.kind() == ErrorKind::UnknownArgument) {
        if trailing == "true" {
            msg.push_str(&format!("\n  提示：若 '{arg}' 是取值而非参数，请写在 '--' 之后"));
        }
    }
    if let Some(usage) = text(ContextKind::Usage) {
        let usage = usage.trim().trim_start_matches("Usage:").trim();
        msg.push_str(&format!("\n\n用法：{usage}"));
    }
    msg.push_str("\n\n运行 'gongkai --help' 或 'gongkai <子命令> --help' 查看说明。");
    msg
}

/// Why a value failed to parse, in Chinese where the standard library's reason is one of the usual ones.
fn why_invalid(reason: &str) -> String {
    let zh = match reason {
        "invalid digit found in string" => "应为非负整数",
        "cannot parse integer from empty string" => "取值为空",
        "number too large to fit in target type" => "数值过大",
        "number too small to fit in target type" => "数值过小",
        "invalid float literal" => "应为数字",
        _ => return format!("：{reason}"),
    };
    format!("：{zh}")
}

/// An error that stopped a command, as one Chinese line (plus any lines the messages themselves carry).
pub fn error_message(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        let text = match cause.downcast_ref::<std::io::Error>() {
            Some(io) => io_error(io),
            None => context_zh(&cause.to_string()),
        };
        // anyhow repeats an io::Error's text when it was converted with `?` and then given context, and an error that
        // says its cause (a store's `写入 PATH：磁盘已满`) is followed by that cause: say it once.
        if !parts.last().is_some_and(|last| last.ends_with(&text)) {
            parts.push(text);
        }
    }
    format!("gongkai：错误：{}", parts.join("："))
}

/// An operating-system error in Chinese; kept in the config crate so that every crate's messages (a sites file that
/// cannot be read, a report that cannot be written) say it the same way.
pub use gongkai_config::io_error_zh as io_error;

/// The library crates' English context verbs (`writing /x/report.html`) in Chinese; other text as it is.
fn context_zh(text: &str) -> String {
    const VERBS: [(&str, &str); 14] = [
        ("writing reports to ", "写入报告到 "),
        ("writing ", "写入 "),
        ("creating ", "创建 "),
        ("reading ", "读取 "),
        ("opening the store ", "打开存储库 "),
        ("opening ", "打开 "),
        ("renaming ", "重命名 "),
        ("listing ", "列出 "),
        ("removing the previous demo store ", "删除上次演示的存储库 "),
        ("removing ", "删除 "),
        ("verifying the store ", "校验存储库 "),
        ("rebuilding the index of ", "重建索引 "),
        ("starting the async runtime", "启动异步运行时"),
        ("starting the sample province server", "启动示例省网站服务"),
    ];
    for (en, zh) in VERBS {
        if let Some(rest) = text.strip_prefix(en) {
            let rest = rest.replacen(" to ", " 为 ", usize::from(en == "renaming "));
            return format!("{zh}{rest}");
        }
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn io_errors_in_chinese_keep_the_path() {
        let path = std::path::Path::new("/nonexistent/gongkai/sites.toml");
        let err = std::fs::read(path).with_context(|| format!("reading {}", path.display())).unwrap_err();
        let msg = error_message(&err);
        assert!(msg.starts_with("gongkai：错误：读取 /nonexistent/gongkai/sites.toml："), "{msg}");
        assert!(msg.contains("找不到文件或目录"), "{msg}");
        assert!(!msg.contains("No such file"), "{msg}");
        if cfg!(target_os = "linux") {
            let full = std::io::Error::from_raw_os_error(28); // ENOSPC
            assert_eq!(io_error(&full), "磁盘已满（系统错误码 28）");
        }
        let denied = std::io::Error::from_raw_os_error(13);
        assert_eq!(io_error(&denied), "权限不足（系统错误码 13）");
    }

    #[test]
    fn a_cause_already_said_is_not_repeated() {
        let io = std::io::Error::from_raw_os_error(2);
        let said = format!("写入 /s/warc/a.warc.gz：{}", io_error(&io));
        let err = anyhow::Error::new(io).context(said.clone());
        assert_eq!(error_message(&err), format!("gongkai：错误：{said}"));
    }

    #[test]
    fn context_verbs() {
        assert_eq!(context_zh("writing /a/b.html"), "写入 /a/b.html");
        assert_eq!(context_zh("renaming /a to /b"), "重命名 /a 为 /b");
        assert_eq!(context_zh("sites.toml:3:1: 缺少字段 id"), "sites.toml:3:1: 缺少字段 id");
    }
}
