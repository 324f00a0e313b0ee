//! The checked book as plain data: every later stage (figures, the key,
//! the renderers) takes a [`Book`] and nothing from the stages above it
//! writes back into the missions.
//!
//! It also owns the few rules that several outputs apply and that must
//! agree everywhere: the page file of a lab, the book's version, the
//! correct option of a question and the level a status shows.

pub mod plain;

use crate::mission::{Constant, Mission};
use crate::model::Model;
use crate::sweep::Sweep;

/// Which question of which act.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Which {
    /// The prediction lock.
    Prediction,
    /// The reflection.
    Reflection,
}

/// A correct option derived from the model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DerivedAnswer {
    /// Act index.
    pub act: usize,
    /// Which question.
    pub which: Which,
    /// The correct option's key.
    pub key: String,
}

/// Everything the outputs need for one lab, after the checks.
#[derive(Clone, Copy)]
pub struct Lab<'a> {
    /// The checked mission.
    pub mission: &'a Mission,
    /// Its compiled model.
    pub model: &'a Model,
    /// Its sweep.
    pub sweep: &'a Sweep,
    /// The correct options the model gave to bound questions.
    pub answers: &'a [DerivedAnswer],
}

impl Lab<'_> {
    /// The key of the correct option of act `act`'s question `which`: the
    /// model's for a question bound to it, else the one the author typed.
    ///
    /// # Panics
    /// When the act has no such question; callers ask only about the
    /// questions they are showing.
    pub fn correct(&self, act: usize, which: Which) -> &str {
        if let Some(a) = self
            .answers
            .iter()
            .find(|a| a.act == act && a.which == which)
        {
            return &a.key;
        }
        let a = &self.mission.acts[act];
        let q = match which {
            Which::Prediction => a.prediction.as_ref(),
            Which::Reflection => a.reflection.as_ref(),
        };
        &q.expect("the act has the question asked about").correct
    }
}

/// The whole checked book: its labs in book order, the shared constants
/// registry, and its version.
pub struct Book<'a> {
    /// The labs.
    pub labs: Vec<Lab<'a>>,
    /// The book's shared constants (empty without a registry).
    pub shared: &'a [Constant],
    /// [`book_version`] of the labs' missions.
    pub version: String,
}

impl<'a> Book<'a> {
    /// A book of `labs`, computing its version once.
    pub fn new(labs: Vec<Lab<'a>>, shared: &'a [Constant]) -> Self {
        let version = book_version(labs.iter().map(|l| l.mission));
        Book {
            labs,
            shared,
            version,
        }
    }
}

/// The page file name of a lab.
pub fn lab_file(id: &str) -> String {
    format!("{id}.html")
}

/// A stable fingerprint of the book's missions: 64-bit FNV-1a over each
/// mission's file path and text, in book order, as 16 hex digits.
///
/// The student page stores it with the ledger and the key carries it, so
/// `labgen grade` can tell a ledger made with another version of the book.
/// It depends on the mission sources only: an exam build and a formative
/// build of the same missions share their keys.
pub fn book_version<'a>(missions: impl IntoIterator<Item = &'a Mission>) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut h = OFFSET;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(PRIME);
        }
    };
    for m in missions {
        // Forward slashes, so the version does not depend on the OS.
        feed(m.file.to_string_lossy().replace('\\', "/").as_bytes());
        feed(&[0]);
        feed(m.source.as_bytes());
        feed(&[0]);
    }
    format!("{h:016x}")
}

/// The level a status instrument shows: the first whose condition holds.
///
/// `holds` answers for one level; validation makes the last level
/// unconditional, so some level always holds and the last is only the
/// answer for a (never built) list in which none does.
pub fn status_level<L>(levels: &[L], holds: impl FnMut(&L) -> bool) -> usize {
    levels
        .iter()
        .position(holds)
        .unwrap_or(levels.len().saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_of_no_missions_is_the_fnv_offset() {
        assert_eq!(book_version(std::iter::empty()), "cbf29ce484222325");
    }

    #[test]
    fn a_status_shows_the_first_level_that_holds() {
        let levels = [Some(false), Some(true), Some(true), None];
        assert_eq!(status_level(&levels, |l| l.unwrap_or(true)), 1);
        let none_hold = [Some(false), Some(false)];
        assert_eq!(status_level(&none_hold, |l| l.unwrap_or(true)), 1);
        let empty: [Option<bool>; 0] = [];
        assert_eq!(status_level(&empty, |l| l.unwrap_or(true)), 0);
    }
}
