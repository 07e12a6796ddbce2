//! Identity elements of the home page (docs/site-understanding.md "Identity footer"), recognised by the rubric's `[identity]` patterns
//! over the texts and link strings gathered in [`crate::analysis::footer`].

use crate::analysis::SiteAnalysis;
use crate::results::Identity;
use gongkai_config::{IdentityKey, Rubric};

/// The value shown for an element (see [`gongkai_config::IdentityElement::find`]) in the footer texts and link
/// strings gathered from the home page.
pub fn find(a: &SiteAnalysis, rubric: &Rubric, key: IdentityKey) -> Option<String> {
    rubric.identity.get(&key)?.find(&a.footer.texts, &a.footer.links, &a.footer.link_strings)
}

pub fn identity(a: &SiteAnalysis, rubric: &Rubric) -> Identity {
    if a.home.is_none() {
        return Identity::default();
    }
    Identity {
        site_code: find(a, rubric, IdentityKey::SiteCode),
        icp: find(a, rubric, IdentityKey::Icp),
        police: find(a, rubric, IdentityKey::Police),
        badge: find(a, rubric, IdentityKey::Badge).is_some(),
        sponsor: find(a, rubric, IdentityKey::Sponsor),
        contact: find(a, rubric, IdentityKey::Contact).is_some(),
        error_entry: find(a, rubric, IdentityKey::ErrorEntry).is_some(),
    }
}
