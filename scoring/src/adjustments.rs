//! The adjustments file (docs/commands.md `--adjustments`): an assessor's manual findings, each with a reason.
//!
//! ```toml
//! # adjustments.toml
//! [[adjustment]]
//! site = "sc-cd-jinniu"          # a site id of the store
//! rule = "bonus.manual"          # a rule of the rubric whose check is "manual"
//! points = 2                     # > 0 adds a bonus; < 0 deducts (outside the six deduction groups)
//! reason = "获评省级政务公开示范单位"   # required, shown in the finding and the reports
//! evidence = "http://www.cdjinniu.gov.cn/zt/sfd/"   # optional: the URL the adjustment rests on
//! ```
//!
//! Every mistake is reported with the file, line and column, and the field (exit status 2 at the command line).

use gongkai_config::{Check, Rubric};
use serde::Deserialize;
use std::path::Path;

#[derive(Debug, Clone, PartialEq)]
pub struct Adjustment {
    pub site: String,
    pub rule: String,
    pub points: f64,
    pub reason: String,
    pub evidence: Option<String>,
}

/// A mistake in an adjustments file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}:{line}:{column}: {field}: {message}")]
pub struct AdjustmentError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub field: String,
    pub message: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    adjustment: Vec<toml::Spanned<RawAdjustment>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAdjustment {
    site: toml::Spanned<String>,
    rule: toml::Spanned<String>,
    points: toml::Spanned<f64>,
    reason: toml::Spanned<String>,
    #[serde(default)]
    evidence: Option<String>,
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
    (line, col)
}

/// Parse and validate an adjustments file against the rubric and the known site ids (`None`: any site id).
pub fn parse(
    text: &str,
    file: &str,
    rubric: &Rubric,
    sites: Option<&[String]>,
) -> Result<Vec<Adjustment>, AdjustmentError> {
    let err = |offset: usize, field: &str, message: String| {
        let (line, column) = line_col(text, offset);
        AdjustmentError { file: file.to_string(), line, column, field: field.to_string(), message }
    };
    let raw: RawFile = toml::from_str(text).map_err(|e| {
        let off = e.span().map(|s| s.start).unwrap_or(0);
        err(off, "adjustment", gongkai_config::explain::toml_message(e.message()))
    })?;
    let mut out = Vec::new();
    for a in raw.adjustment {
        let a = a.into_inner();
        let site = a.site.get_ref().trim().to_string();
        if let Some(ids) = sites {
            if !ids.contains(&site) {
                return Err(err(
                    a.site.span().start,
                    "site",
                    format!("未知的站点 id \"{site}\"（存储库中没有该网站）"),
                ));
            }
        }
        let rule = a.rule.get_ref().trim().to_string();
        match rubric.rule(&rule) {
            None => {
                return Err(err(a.rule.span().start, "rule", format!("指标 {} 中没有规则 \"{rule}\"", rubric.info.id)))
            }
            Some(r) if !matches!(r.check, Check::Manual(_)) => {
                return Err(err(
                    a.rule.span().start,
                    "rule",
                    format!("规则 \"{rule}\" 不是人工评分规则（check = \"manual\"）"),
                ))
            }
            _ => {}
        }
        let points = *a.points.get_ref();
        if !points.is_finite() || points == 0.0 {
            return Err(err(a.points.span().start, "points", "应为非零的数字（正数加分，负数扣分）".into()));
        }
        if a.reason.get_ref().trim().is_empty() {
            return Err(err(a.reason.span().start, "reason", "必须填写理由".into()));
        }
        out.push(Adjustment {
            site,
            rule,
            points,
            reason: a.reason.get_ref().trim().to_string(),
            evidence: a.evidence,
        });
    }
    Ok(out)
}

/// Read and validate an adjustments file.
pub fn load(path: &Path, rubric: &Rubric, sites: Option<&[String]>) -> Result<Vec<Adjustment>, AdjustmentError> {
    let file = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| AdjustmentError {
        file: file.clone(),
        line: 0,
        column: 0,
        field: "file".into(),
        message: format!("无法读取调整文件：{}", gongkai_config::io_error_zh(&e)),
    })?;
    parse(&text, &file, rubric, sites)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_file_parses() {
        let r = Rubric::default_rubric();
        let t = "[[adjustment]]\nsite = \"a\"\nrule = \"bonus.manual\"\npoints = -1.5\nreason = \"首页错别字\"\n";
        let v = parse(t, "adj.toml", &r, Some(&["a".to_string()])).unwrap();
        assert_eq!(v[0].points, -1.5);
        assert_eq!(v[0].reason, "首页错别字");
    }

    #[test]
    fn mistakes_name_file_line_and_field() {
        let r = Rubric::default_rubric();
        let t = "[[adjustment]]\nsite = \"a\"\nrule = \"design.search\"\npoints = 1\nreason = \"x\"\n";
        let e = parse(t, "adj.toml", &r, None).unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (3, "rule"));
        let t = "[[adjustment]]\nsite = \"nope\"\nrule = \"bonus.manual\"\npoints = 1\nreason = \"x\"\n";
        let e = parse(t, "adj.toml", &r, Some(&["a".to_string()])).unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (2, "site"));
        let t = "[[adjustment]]\nsite = \"a\"\nrule = \"bonus.manual\"\npoints = 1\nreason = \" \"\n";
        let e = parse(t, "adj.toml", &r, None).unwrap_err();
        assert_eq!((e.line, e.field.as_str()), (5, "reason"));
        assert!(e.to_string().starts_with("adj.toml:5:"));
        let t = "[[adjustment]]\nsite = \"a\"\nrule = \"bonus.manual\"\npoints = 1\n";
        assert!(parse(t, "adj.toml", &r, None).is_err());
    }
}
