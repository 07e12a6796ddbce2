//! Configuration for gongkai: the sites to assess (`sites.toml`), the rubric they are scored against, the working-day
//! calendar, and the synonym tables used to recognise columns.
//!
//! Everything a province may want to change is data in these files; this crate parses it, validates it, and reports
//! mistakes with the file, line, column and field so the user can fix them (exit status 2 at the command line).

pub mod site;

pub use site::{Level, Site};
