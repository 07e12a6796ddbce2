//! gongkai-crawler
