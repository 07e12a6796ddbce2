//! Configuration for gongkai: the sites to assess (`sites.toml`), the rubric they are scored against, the working-day
//! calendar, and the synonym tables used to recognise columns.
//!
//! Everything a province may want to change is data in these files; this crate parses it, validates it, and reports
//! mistakes with the file, line, column and field so the user can fix them (exit status 2 at the command line).
//!
//! - [`load_sites`] / [`parse_sites`]: `sites.toml` (docs/sites.md) → [`Site`]s with `[defaults]` applied;
//! - [`Rubric`]: `rubrics/default.toml`, `rubrics/guoban-2019.toml` or a user's file; rules name a [`Check`] from the
//!   closed vocabulary in [`check`];
//! - [`Calendar`]: working days (`calendars/cn.toml`);
//! - [`Period`] / [`parse_duration`], [`parse_rate`], [`parse_as_of`]: the value syntaxes shared with the command line;
//! - [`Settings`]: `gongkai.toml`, the operator (User-Agent, warcinfo) and the 通报's 公文 elements;
//! - [`AssessmentMonth`]: the assessment period (`--period 2026-11`);
//! - [`ConfigError`]: file, line, column, field and what was expected.
//!
//! ```
//! use gongkai_config::{parse_sites, Level, Rubric};
//!
//! let sites = parse_sites(
//!     r#"
//! [[site]]
//! id = "sc-cd-jinniu"
//! name = "成都市金牛区人民政府"
//! url = "http://www.cdjinniu.gov.cn/"
//! region = ["四川省", "成都市", "金牛区"]
//! level = "county"
//! "#,
//!     "sites.toml",
//! )
//! .unwrap();
//! assert_eq!(sites[0].level, Level::County);
//! assert_eq!(sites[0].rate, 2.0, "the default politeness: 2 requests per second per host");
//!
//! // A rule's words and its check come from the rubric file.
//! let rubric = Rubric::default_rubric();
//! let rule = rubric.rule("publish.news_stale").unwrap();
//! assert_eq!(rule.title, "政务动态栏目未及时更新");
//! assert_eq!(rule.check.kind().family(), "freshness");
//!
//! // A mistake names the file, line, column and field.
//! let err = parse_sites("[[site]]\nid = \"sc-x\"\nname = \"x\"\nurl = \"http://x.gov.cn/\"\nlevel = \"conty\"\n", "sites.toml")
//!     .unwrap_err();
//! assert_eq!((err.line, err.field.as_str()), (5, "site[1].level"));
//! ```

pub mod calendar;
pub mod check;
pub mod error;
pub mod explain;
pub mod filing;
pub mod lexicon;
pub mod month;
pub mod os_error;
pub mod pattern;
pub mod period;
pub mod rubric;
pub mod settings;
pub mod shard;
pub mod site;

pub use calendar::{Calendar, CalendarError};
pub use check::{render_message, Check, CheckKind, IdentityKey, KNOWN_CHECKS};
pub use error::ConfigError;
pub use filing::{Filing, Filings};
pub use lexicon::{Lexicons, Severity};
pub use month::AssessmentMonth;
pub use os_error::io_error_zh;
pub use pattern::Pattern;
pub use period::{parse_as_of, parse_duration, Period, ASSESSMENT_TZ};
pub use rubric::{Category, ColumnKind, Grade, Group, IdentityElement, Parameters, Points, Rubric, Rule, RuleKind};
pub use settings::{BulletinSettings, Deadline, Operator, Settings, SETTINGS_FILE};
pub use shard::Shard;
pub use site::{load_sites, parse_rate, parse_sites, Level, Site, DEFAULT_MAX_LINK_CHECKS};
