//! A static regex that never panics: a pattern that fails to compile matches
//! nothing (the unit tests check that every pattern compiles).

use regex::{Captures, Match, Regex, Replacer};
use std::borrow::Cow;

#[derive(Debug)]
pub(crate) struct Re(Option<Regex>);

impl Re {
    pub fn new(pattern: &str) -> Re {
        let r = Regex::new(pattern).ok();
        debug_assert!(r.is_some(), "bad pattern {pattern}");
        Re(r)
    }

    pub fn is_match(&self, s: &str) -> bool {
        self.0.as_ref().is_some_and(|r| r.is_match(s))
    }

    pub fn find<'h>(&self, s: &'h str) -> Option<Match<'h>> {
        self.0.as_ref().and_then(|r| r.find(s))
    }

    pub fn captures<'h>(&self, s: &'h str) -> Option<Captures<'h>> {
        self.0.as_ref().and_then(|r| r.captures(s))
    }

    pub fn find_iter<'r, 'h>(
        &'r self,
        s: &'h str,
    ) -> impl Iterator<Item = Match<'h>> + use<'r, 'h> {
        self.0.iter().flat_map(move |r| r.find_iter(s))
    }

    pub fn captures_iter<'r, 'h>(
        &'r self,
        s: &'h str,
    ) -> impl Iterator<Item = Captures<'h>> + use<'r, 'h> {
        self.0.iter().flat_map(move |r| r.captures_iter(s))
    }

    pub fn replace<'h, R: Replacer>(&self, s: &'h str, rep: R) -> Cow<'h, str> {
        match &self.0 {
            Some(r) => r.replace(s, rep),
            None => Cow::Borrowed(s),
        }
    }

    pub fn replace_all<'h, R: Replacer>(&self, s: &'h str, rep: R) -> Cow<'h, str> {
        match &self.0 {
            Some(r) => r.replace_all(s, rep),
            None => Cow::Borrowed(s),
        }
    }

    pub fn split<'r, 'h>(&'r self, s: &'h str) -> Box<dyn Iterator<Item = &'h str> + 'h>
    where
        'r: 'h,
    {
        match &self.0 {
            Some(r) => Box::new(r.split(s)),
            None => Box::new(std::iter::once(s)),
        }
    }
}
