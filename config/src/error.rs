//! Errors a user can act on, and the machinery that finds where in a file they are.
//!
//! Every configuration file (sites.toml, rubrics, the calendar) is parsed with `toml_edit`, which keeps the byte span of
//! every key and value. A serde error (unknown key, wrong type) carries the span of the offending key or value; our own
//! checks (duplicate id, bad URL, unknown check …) carry the span of the value they judge. Either way the span is turned
//! into a 1-based line and column, and the key path that leads to it (`site[3].level`) is found by walking the parsed
//! document, so the message says where to look and what was expected.
//!
//! Conventions: lines and columns are 1-based; a column counts characters (not bytes), so a Chinese string counts one per
//! character; array indices in field paths are 1-based (`site[3]` is the third `[[site]]` table), because the people who
//! read these messages edit the files by hand and count tables from one.

use std::fmt;
use std::ops::Range;

use toml_edit::{ImDocument, Item, Table, Value};

/// A problem in a configuration file, with where it is and what was expected.
///
/// `line` and `column` are 1-based; both are 0 when the error is not about a place in the file (the file cannot be read).
/// `field` is the key path (`site[3].level`, `rule[12].window`), empty when the error concerns the whole file or its
/// syntax.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub field: String,
    pub message: String,
}

impl ConfigError {
    /// An error that is not tied to a place in the file (e.g. it cannot be read).
    pub fn whole_file(file: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigError { file: file.into(), line: 0, column: 0, field: String::new(), message: message.into() }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}:{}: ", self.file, self.line, self.column)?;
        } else {
            write!(f, "{}: ", self.file)?;
        }
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        f.write_str(&self.message)
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// A parsed TOML file with its name and text, able to turn spans into positioned errors.
pub(crate) struct TomlFile {
    pub file: String,
    pub doc: ImDocument<String>,
}

impl TomlFile {
    pub fn parse(text: &str, file: &str) -> Result<TomlFile, ConfigError> {
        match ImDocument::parse(text.to_string()) {
            Ok(doc) => Ok(TomlFile { file: file.to_string(), doc }),
            Err(e) => {
                let (line, column) = e.span().map(|s| line_column(text, s.start)).unwrap_or((0, 0));
                Err(ConfigError {
                    file: file.to_string(),
                    line,
                    column,
                    field: String::new(),
                    message: format!("TOML 语法错误：{}", crate::explain::syntax_message(e.message())),
                })
            }
        }
    }

    pub fn text(&self) -> &str {
        self.doc.raw()
    }

    pub fn root(&self) -> &Table {
        self.doc.as_table()
    }

    /// An error at `span` with an explicit field path.
    pub fn error(
        &self,
        span: Option<Range<usize>>,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> ConfigError {
        let (line, column) = span.map(|s| line_column(self.text(), s.start)).unwrap_or((0, 0));
        ConfigError { file: self.file.clone(), line, column, field: field.into(), message: message.into() }
    }

    /// An error at `span`, the field path found from the span.
    pub fn error_at(&self, span: Option<Range<usize>>, message: impl Into<String>) -> ConfigError {
        let field = span.clone().and_then(|s| path_at(self.root(), s.start)).unwrap_or_default();
        self.error(span, field, message)
    }

    /// Turns a deserialisation error into a positioned one; `fallback` is used when serde gave no span (a missing key:
    /// point at the table that lacks it).
    pub fn de_error(&self, e: toml_edit::de::Error, fallback: Option<Range<usize>>) -> ConfigError {
        let span = e.span().or(fallback);
        self.error_at(span, crate::explain::serde_message(e.message()))
    }

    /// Deserialises one item of this document (spans preserved), positioning any error.
    pub fn deserialize<T: serde::de::DeserializeOwned>(
        &self,
        item: Item,
        fallback: Option<Range<usize>>,
    ) -> Result<T, ConfigError> {
        use serde::de::IntoDeserializer;
        let value = match item.into_value() {
            Ok(v) => v,
            Err(_) => Value::InlineTable(Default::default()),
        };
        T::deserialize(value.into_deserializer()).map_err(|e| self.de_error(e, fallback))
    }
}

fn contains(span: Option<Range<usize>>, offset: usize) -> bool {
    match span {
        Some(s) => s.start <= offset && (offset < s.end || s.start == s.end),
        None => false,
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// The key path (`site[3].level`) of the deepest key or value whose span holds `offset`.
pub(crate) fn path_at(root: &Table, offset: usize) -> Option<String> {
    path_in_table(root, offset, "")
}

fn path_in_table(t: &Table, offset: usize, prefix: &str) -> Option<String> {
    for (k, item) in t.iter() {
        let p = join(prefix, k);
        if let Some(found) = path_in_item(item, offset, &p) {
            return Some(found);
        }
        if contains(t.key(k).and_then(|k| k.span()), offset) {
            return Some(p);
        }
    }
    None
}

fn path_in_item(item: &Item, offset: usize, p: &str) -> Option<String> {
    match item {
        Item::None => None,
        Item::Value(v) => path_in_value(v, offset, p),
        Item::Table(t) => path_in_table(t, offset, p).or_else(|| contains(t.span(), offset).then(|| p.to_string())),
        Item::ArrayOfTables(a) => {
            for (i, t) in a.iter().enumerate() {
                let pi = format!("{p}[{}]", i + 1);
                if let Some(found) = path_in_table(t, offset, &pi) {
                    return Some(found);
                }
                if contains(t.span(), offset) {
                    return Some(pi);
                }
            }
            None
        }
    }
}

fn path_in_value(v: &Value, offset: usize, p: &str) -> Option<String> {
    match v {
        Value::Array(a) => {
            for (i, e) in a.iter().enumerate() {
                if let Some(found) = path_in_value(e, offset, &format!("{p}[{}]", i + 1)) {
                    return Some(found);
                }
            }
        }
        Value::InlineTable(t) => {
            for (k, e) in t.iter() {
                let pk = join(p, k);
                if let Some(found) = path_in_value(e, offset, &pk) {
                    return Some(found);
                }
                if contains(t.key(k).and_then(|k| k.span()), offset) {
                    return Some(pk);
                }
            }
        }
        _ => {}
    }
    contains(v.span(), offset).then(|| p.to_string())
}

/// The span of the key `name` in a table, else of its value, else of the table itself.
pub(crate) fn key_span(t: &Table, name: &str) -> Option<Range<usize>> {
    t.key(name).and_then(|k| k.span()).or_else(|| t.get(name).and_then(|i| i.span())).or_else(|| t.span())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters() {
        let text = "a = 1\nname = \"金牛区\" x\n";
        let off = text.find('x').unwrap();
        assert_eq!(line_column(text, off), (2, 14));
        assert_eq!(line_column(text, 0), (1, 1));
    }

    #[test]
    fn path_finds_array_of_tables_entries() {
        let text =
            "[defaults]\nrate = \"2/s\"\n\n[[site]]\nid = \"a\"\n\n[[site]]\nid = \"b\"\nregion = [\"x\", \"y\"]\n";
        let f = TomlFile::parse(text, "sites.toml").unwrap();
        assert_eq!(path_at(f.root(), text.find("\"b\"").unwrap()).as_deref(), Some("site[2].id"));
        assert_eq!(path_at(f.root(), text.find("\"y\"").unwrap()).as_deref(), Some("site[2].region[2]"));
        assert_eq!(path_at(f.root(), text.find("rate").unwrap()).as_deref(), Some("defaults.rate"));
    }

    #[test]
    fn display_has_file_line_column_field() {
        let e = ConfigError {
            file: "sites.toml".into(),
            line: 12,
            column: 9,
            field: "site[3].level".into(),
            message: "未知的级别".into(),
        };
        assert_eq!(e.to_string(), "sites.toml:12:9: site[3].level: 未知的级别");
        assert_eq!(ConfigError::whole_file("x.toml", "无法读取").to_string(), "x.toml: 无法读取");
    }
}
