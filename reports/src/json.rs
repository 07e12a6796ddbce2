//! results.json: read and write. Written pretty-printed in the field order of the `Results` types (which follow
//! docs/commands.md), so two writes of one result are byte-identical and diffs between months stay readable.

use crate::BadInput;
use anyhow::{Context, Result};
use gongkai_scoring::Results;
use std::path::Path;

/// Read a results.json; a file that does not parse is [`BadInput`] naming the file, line and column.
pub fn read_results(path: &Path) -> Result<Results> {
    let text = std::fs::read(path).with_context(|| format!("读取 {}", path.display()))?;
    let de = &mut serde_json::Deserializer::from_slice(&text);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.inner();
        BadInput(format!(
            "{}:{}:{}: {}: 不是有效的 results.json（{inner}）",
            path.display(),
            inner.line(),
            inner.column(),
            if field.is_empty() || field == "." { "（顶层）".to_string() } else { field }
        ))
        .into()
    })
}

/// results.json text: pretty, stable field order, ending with a newline.
pub fn results_json(results: &Results) -> Result<String> {
    let mut s = serde_json::to_string_pretty(results).context("生成 results.json 的内容")?;
    s.push('\n');
    Ok(s)
}

pub fn write_results_json(results: &Results, path: &Path) -> Result<()> {
    crate::write_file(path, results_json(results)?.as_bytes())
}

#[cfg(test)]
mod field_tests {
    #[test]
    fn a_bad_results_file_names_the_field() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("results.json");
        std::fs::write(
            &p,
            r#"{"assessment": {"as_of": "x", "rubric": {"id": "d", "version": 1}, "generated_at": "y"}, "sites": []}"#,
        )
        .unwrap();
        let e = super::read_results(&p).unwrap_err().to_string();
        assert!(e.contains(": assessment.rubric.version: 不是有效的 results.json（"), "{e}");
        assert!(e.starts_with(&format!("{}:1:", p.display())), "{e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_is_stable() {
        let r = crate::synthetic::results(5, 7);
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("results.json");
        write_results_json(&r, &p).unwrap();
        let back = read_results(&p).unwrap();
        assert_eq!(back, r);
        assert_eq!(results_json(&back).unwrap(), std::fs::read_to_string(&p).unwrap());
        let text = std::fs::read_to_string(&p).unwrap();
        // Contract field order: assessment before sites, id first in a site.
        assert!(text.find("\"assessment\"").unwrap() < text.find("\"sites\"").unwrap());
        assert!(text.find("\"id\"").unwrap() < text.find("\"score\"").unwrap());
    }

    #[test]
    fn bad_file_is_bad_input_naming_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("results.json");
        std::fs::write(&p, "{\n  \"assessment\": 3\n}").unwrap();
        let err = read_results(&p).unwrap_err();
        assert!(err.downcast_ref::<BadInput>().is_some());
        assert!(err.to_string().contains("line 2"), "{err}");
    }
}
