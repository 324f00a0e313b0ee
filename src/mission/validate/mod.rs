//! From [`RawMission`] to [`Mission`]: every structural check, all collected.
//!
//! Checks here need no model: ids are well formed and unique, references to
//! controls, constants and options exist, quantities parse, defaults are
//! positions of their control, questions name a correct option that exists.
//! Names inside expressions and prose are checked by the model stage.
//!
//! [`validate`] walks the sections in the order they are written, one module
//! each, so problems are reported in file order: constants, controls,
//! formulas, tracks and scenarios, acts (questions, tasks, instruments,
//! plots), claims.

mod act;
mod claim;
mod constant;
mod control;
mod formula;
mod instrument;
mod plot;
mod question;
mod setting;
mod track;

#[cfg(test)]
mod tests;

use super::raw::{RawMission, Scalar, S};
use super::{Display, Mission, Reading, Source, Text, Tone};
use crate::diag::{Diagnostic, Diagnostics, Location};
use crate::format::{parse_display_unit, DisplayUnit};
use crate::units::{parse_quantity, Dim, Quantity};
use std::path::Path;
use track::Tracks;

pub use constant::{registry, written_unit, REGISTRY_FILE};

/// The file being checked and every problem found so far.
struct Ctx<'a> {
    file: &'a Path,
    diags: Diagnostics,
}

impl<'a> Ctx<'a> {
    fn new(file: &'a Path) -> Self {
        Ctx {
            file,
            diags: Diagnostics::new(),
        }
    }

    fn loc<T>(&self, s: &S<T>) -> Location {
        Location::new(
            self.file,
            s.referenced.line() as usize,
            s.referenced.column() as usize,
        )
    }

    fn text(&self, s: &S<String>) -> Text {
        Text {
            src: s.value.clone(),
            loc: self.loc(s),
            offset: s.referenced.span().byte_offset().map(|o| o as usize),
        }
    }

    fn opt_text(&self, s: &Option<S<String>>) -> Option<Text> {
        s.as_ref().map(|s| self.text(s))
    }

    fn source(&self, s: &S<String>) -> Source {
        Source {
            src: s.value.clone(),
            loc: self.loc(s),
        }
    }

    fn error<T>(&mut self, at: &S<T>, message: impl Into<String>, hint: impl Into<String>) {
        let loc = self.loc(at);
        self.diags
            .push(Diagnostic::error(Some(loc), message).with_hint(hint));
    }

    /// Checks an identifier: letters, digits and underscores, not starting
    /// with a digit or with `__` (reserved for labgen's own names).
    fn ident(&mut self, s: &S<String>, what: &str) {
        let v = &s.value;
        // Names used in expressions must be identifiers; ids that only
        // appear in file names and HTML (missions, acts, tracks) may also
        // use hyphens.
        let dash = matches!(what, "mission" | "act" | "track");
        let ok = !v.is_empty()
            && !v.starts_with("__")
            && v.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || (dash && c == '-'));
        if !ok {
            let hint = if dash {
                "use letters, digits, `-` and `_`, starting with a letter (e.g. `data-gravity`)"
            } else {
                "use letters, digits and underscores, starting with a letter (e.g. `link_bw`)"
            };
            self.error(s, format!("`{v}` is not a valid {what} id"), hint);
        }
    }

    fn quantity(&mut self, s: &S<Scalar>, unit: Option<&S<String>>) -> Option<Quantity> {
        let text = s.value.0.trim();
        // A bare number takes the unit given beside it, if any.
        let with_unit = match unit {
            Some(u) if text.parse::<f64>().is_ok() && !u.value.trim().is_empty() => {
                if u.value.trim() == "%" {
                    format!("{text}%")
                } else {
                    format!("{text} {}", u.value.trim())
                }
            }
            _ => text.to_string(),
        };
        match parse_quantity(&with_unit) {
            Ok(q) => Some(q),
            Err(e) => {
                let loc = self.loc(s);
                self.diags.push(
                    Diagnostic::error(Some(loc), format!("`{text}` is not a quantity: {}", e.message))
                        .with_hint(e.hint.unwrap_or_else(|| {
                            "write a number, optionally followed by a unit, e.g. `150 MB/s` or `$0.09/GB`".to_string()
                        })),
                );
                None
            }
        }
    }

    fn display(&mut self, unit: Option<&S<String>>, digits: Option<&S<u8>>) -> Display {
        let digits = digits.map(|d| d.value);
        let unit = match unit {
            None => {
                DisplayUnit::Unit(crate::units::parse_unit("1").unwrap_or_else(|_| dimensionless()))
            }
            Some(u) if u.value.trim().is_empty() => DisplayUnit::Unit(dimensionless()),
            Some(u) => match parse_display_unit(u.value.trim()) {
                Ok(d) => d,
                Err(e) => {
                    let loc = self.loc(u);
                    self.diags.push(
                        Diagnostic::error(
                            Some(loc),
                            format!("unknown unit `{}`: {}", u.value, e.message),
                        )
                        .with_hint(e.hint.unwrap_or_else(|| {
                            "use a unit such as ms, GB/s, $, %, or `duration`".to_string()
                        })),
                    );
                    DisplayUnit::Unit(dimensionless())
                }
            },
        };
        Display { unit, digits }
    }
}

/// The one namespace of constants, controls and formulas: all are usable in
/// expressions, so a clash would be ambiguous.
#[derive(Default)]
struct Names(Vec<(String, Location)>);

impl Names {
    /// Checks a new name (well formed, not reserved, not taken) and records it.
    fn declare(&mut self, ctx: &mut Ctx, s: &S<String>, what: &str) {
        ctx.ident(s, what);
        if s.value == "track" {
            ctx.error(
                s,
                "`track` is reserved for the track selector",
                "choose another id",
            );
        }
        if let Some((_, first)) = self.0.iter().find(|(n, _)| *n == s.value) {
            let first = first.clone();
            ctx.error(
                s,
                format!("`{}` is already defined at {first}", s.value),
                "constants, controls and formulas share one namespace; rename one of them",
            );
        } else {
            self.0.push((s.value.clone(), ctx.loc(s)));
        }
    }
}

/// Checks a raw mission, taking `shared` constants from the book's
/// registry. Returns the mission when it is usable for later stages (even
/// with warnings), and every diagnostic found.
pub fn validate(
    file: &Path,
    source: &str,
    raw: RawMission,
    shared: &[super::Constant],
) -> (Option<Mission>, Diagnostics) {
    let mut ctx = Ctx::new(file);
    ctx.ident(&raw.id, "mission");
    let mut names = Names::default();
    let constants = constant::constants(&mut ctx, &mut names, &raw, shared);
    let controls = control::controls(&mut ctx, &mut names, &raw.controls);
    let mut formulas = formula::formulas(&mut ctx, &mut names, &raw.formulas);
    let has_track_selector = !raw.tracks.is_empty();
    let tracks = track::tracks(&mut ctx, &raw, &constants, &controls);
    let named = Tracks {
        list: &tracks,
        declared: has_track_selector,
    };
    let scenarios = track::scenarios(&mut ctx, &raw, named, &controls);
    let acts = act::acts(&mut ctx, &raw, &controls, named, &scenarios, &mut formulas);
    let claims = claim::claims(&mut ctx, &raw, named, &scenarios, &acts, &mut formulas);

    let mission = Mission {
        file: file.to_path_buf(),
        source: source.to_string(),
        id: raw.id.value.clone(),
        chapter: raw.chapter.as_ref().map(|c| c.value.0.clone()),
        title: raw.title.value.clone(),
        subtitle: ctx.opt_text(&raw.subtitle),
        duration: raw.duration.as_ref().map(|d| d.value.clone()),
        core_invariant: ctx.opt_text(&raw.core_invariant),
        reading: raw
            .reading
            .iter()
            .map(|r| Reading {
                title: r.title.value.clone(),
                section: r.section.as_ref().map(|s| s.value.clone()),
                why: ctx.opt_text(&r.why),
            })
            .collect(),
        tracks,
        has_track_selector,
        constants,
        controls,
        formulas: formulas.list,
        acts,
        scenarios,
        claims,
    };
    let ok = !ctx.diags.has_errors();
    (ok.then_some(mission), ctx.diags)
}

/// The unit every hidden condition and unitless value is shown in.
fn dimensionless() -> crate::units::Unit {
    crate::units::Unit {
        symbol: String::new(),
        factor: 1.0,
        dim: Dim::DIMENSIONLESS,
    }
}

/// A colour role as written (`good`, `warn`, `bad`, `info`).
fn tone(ctx: &mut Ctx, s: &S<String>) -> Tone {
    match s.value.as_str() {
        "good" => Tone::Good,
        "warn" => Tone::Warn,
        "bad" => Tone::Bad,
        "info" => Tone::Info,
        other => {
            ctx.error(
                s,
                format!("unknown tone `{other}`"),
                "use one of good, warn, bad, info",
            );
            Tone::Info
        }
    }
}
