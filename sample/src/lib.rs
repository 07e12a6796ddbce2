//! gongkai-sample
