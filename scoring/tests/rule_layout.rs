//! The newcomer's path to a rule holds: every rule of both shipped rubric files names a check; every check lives in
//! its family's two files (`config/src/check/<family>.rs` for its parameters, `scoring/src/engine/checks/<family>.rs`
//! for its code) and has a unit test there; every shipped rule carries its words (title and advice).

use gongkai_config::check::FAMILIES;
use gongkai_config::{CheckKind, Rubric};
use std::path::PathBuf;

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(workspace().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Names of the `#[test]` functions in a source file.
fn test_names(src: &str) -> Vec<String> {
    let lines: Vec<&str> = src.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if l.trim() == "#[test]" {
            if let Some(next) = lines[i + 1..].iter().find(|l| l.trim_start().starts_with("fn ")) {
                let name = next.trim_start().trim_start_matches("fn ");
                out.push(name.split('(').next().unwrap().to_string());
            }
        }
    }
    out
}

#[test]
fn every_check_lives_in_its_family_files_with_a_unit_test() {
    let mut problems = Vec::new();
    for kind in CheckKind::ALL {
        let family = kind.family();
        let name = kind.as_str();
        let variant = format!("{kind:?}");
        let config = read(&format!("config/src/check/{family}.rs"));
        if !config.contains(&format!("pub struct {variant} "))
            || !config.contains(&format!("impl Params for {variant} "))
        {
            problems.push(format!("config/src/check/{family}.rs: no `pub struct {variant}` with `impl Params`"));
        }
        let code = read(&format!("scoring/src/engine/checks/{family}.rs"));
        // `manual` has no occurrences of its own: the engine turns adjustments into findings (engine/mod.rs).
        if *kind != CheckKind::Manual && !code.contains(&format!("fn {name}(")) {
            problems.push(format!("scoring/src/engine/checks/{family}.rs: no `fn {name}(`"));
        }
        if !test_names(&code).iter().any(|t| t.starts_with(&format!("{name}_"))) {
            problems.push(format!("scoring/src/engine/checks/{family}.rs: no unit test named `{name}_…`"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_family_files_are_exactly_the_families() {
    for dir in ["config/src/check", "scoring/src/engine/checks"] {
        let mut files: Vec<String> = std::fs::read_dir(workspace().join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().trim_end_matches(".rs").to_string())
            .filter(|f| f != "mod" && f != "testkit")
            .collect();
        files.sort();
        let mut families: Vec<String> = FAMILIES.iter().map(|f| f.to_string()).collect();
        families.sort();
        assert_eq!(files, families, "{dir}");
    }
}

#[test]
fn every_shipped_rule_names_a_check_and_carries_its_words() {
    for rubric in [Rubric::default_rubric(), Rubric::guoban_2019()] {
        for rule in &rubric.rules {
            let kind = rule.check.kind();
            assert!(CheckKind::ALL.contains(&kind), "{}: {}", rubric.file, rule.id);
            assert!(FAMILIES.contains(&kind.family()), "{}: {}", rubric.file, rule.id);
            assert!(rule.title != rule.id && !rule.title.is_empty(), "{}: {} has no title", rubric.file, rule.id);
            assert!(!rule.advice.is_empty(), "{}: {} has no advice", rubric.file, rule.id);
        }
    }
}

#[test]
fn docs_list_every_rule_of_the_default_rubric_with_its_check() {
    let docs = read("docs/rules.md");
    for rule in &Rubric::default_rubric().rules {
        let row = docs
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", rule.id)))
            .unwrap_or_else(|| panic!("docs/rules.md has no row for {}", rule.id));
        assert!(row.contains(&format!("`{}`", rule.check.kind().as_str())), "{row}");
        assert!(row.contains(&format!("checks/{}.rs", rule.check.kind().family())), "{row}");
    }
}
