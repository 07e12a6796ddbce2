//! Understanding one site from its archived pages, the way an assessor would (issue 4, "Understanding a site").
pub mod dates;
pub mod page;
pub mod privacy;
