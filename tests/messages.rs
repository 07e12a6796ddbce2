//! What a user reads when a command line is wrong or a file cannot be written: Chinese, with the offending argument
//! or path kept, exit status 2 for usage mistakes.

mod common;

use common::*;

fn fails_with(args: &[&str], code: i32, wants: &[&str]) {
    let o = run(args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(code), "{args:?}: {err}");
    for w in wants {
        assert!(err.contains(w), "{args:?}: {w:?} not in:\n{err}");
    }
    for english in ["error:", "Usage:", "unexpected argument", "invalid value", "required"] {
        assert!(!err.contains(english), "{args:?}: English {english:?} in:\n{err}");
    }
    assert!(o.stdout.is_empty(), "{args:?}: nothing on standard output");
}

#[test]
fn command_line_mistakes_are_reported_in_chinese_with_exit_status_2() {
    fails_with(&["check", "http://www.example.gov.cn/", "--bogus"], 2, &["无法识别的参数 '--bogus'", "用法："]);
    fails_with(&["check", "http://www.example.gov.cn/", "--max-pages", "abc"], 2, &["--max-pages", "'abc'", "无效"]);
    fails_with(&["run", "--out", "x"], 2, &["缺少必需的参数", "--sites"]);
    fails_with(&["frobnicate"], 2, &["无法识别的子命令 'frobnicate'"]);
    fails_with(&["check", "http://www.example.gov.cn/", "--rat", "2/s"], 2, &["'--rat'", "提示：是否要用 '--rate'"]);
}

#[test]
fn help_and_version_exit_0_and_describe_every_flag() {
    for cmd in ["run", "crawl", "monitor", "score", "report", "check", "demo", "sample"] {
        let o = run(&[cmd, "--help"]);
        assert_eq!(o.status.code(), Some(0), "{cmd} --help");
        let help = stdout(&o);
        // Every option line of clap's help has a description after the flag.
        let options = help.split("Options:").nth(1).unwrap_or("");
        let mut undescribed = Vec::new();
        let lines: Vec<&str> = options.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            if t.starts_with("--") || (t.starts_with('-') && t.chars().nth(1).is_some_and(|c| c.is_alphabetic())) {
                let flag_only = !t.contains("  ");
                let next_is_text = lines.get(i + 1).is_some_and(|n| {
                    let n = n.trim_start();
                    !n.is_empty() && !n.starts_with('-')
                });
                if flag_only && !next_is_text {
                    undescribed.push(t.to_string());
                }
            }
        }
        assert!(undescribed.is_empty(), "gongkai {cmd} --help: flags without a description: {undescribed:?}\n{help}");
    }
    assert_eq!(run(&["--version"]).status.code(), Some(0));
}

#[test]
fn io_errors_are_chinese_and_keep_the_path() {
    let tmp = tempfile::tempdir().unwrap();
    let results = tmp.path().join("results.json");
    std::fs::write(
        &results,
        r#"{"assessment": {"as_of": "2026-11-30T23:59:59+08:00", "rubric": {"id": "default", "version": "1"},
            "generated_at": "2026-12-01T09:00:00+08:00"}, "sites": []}"#,
    )
    .unwrap();
    // The output directory's parent is a file: creating it fails with "not a directory".
    let blocker = tmp.path().join("blocker");
    std::fs::write(&blocker, "x").unwrap();
    let out = blocker.join("out");
    let o = run(&["report", "--results", results.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("gongkai：错误："), "{err}");
    assert!(err.contains(out.to_str().unwrap()), "the path is kept: {err}");
    assert!(err.contains("不是目录"), "the system error in Chinese: {err}");
    assert!(!err.contains("Not a directory") && !err.contains("os error"), "{err}");
}
