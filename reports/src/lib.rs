//! gongkai-reports
