//! Tracks and scenarios (named settings of constants and controls), and
//! the references to them from acts, tasks and claims.

use super::constant::override_unit;
use super::setting::control_settings;
use super::Ctx;
use crate::diag::did_you_mean;
use crate::mission::raw::{self, RawMission, Scalar, S};
use crate::mission::{Constant, Control, Scenario, Track};
use crate::units::Quantity;

/// The mission's tracks, and whether the author wrote them: the implicit
/// default track cannot be named.
#[derive(Clone, Copy)]
pub(super) struct Tracks<'a> {
    /// Every track, the implicit one included.
    pub list: &'a [Track],
    /// Whether the tracks were written under `tracks:`.
    pub declared: bool,
}

impl Tracks<'_> {
    /// Resolves a track id.
    pub fn index(self, ctx: &mut Ctx, t: &S<String>) -> Option<usize> {
        let found = self
            .list
            .iter()
            .position(|x| x.id == t.value)
            .filter(|_| self.declared);
        if found.is_none() {
            let hint = match did_you_mean(&t.value, self.list.iter().map(|x| x.id.as_str())) {
                Some(x) if self.declared => format!("did you mean `{x}`?"),
                _ => "declare it under `tracks:`".to_string(),
            };
            ctx.error(t, format!("unknown track `{}`", t.value), hint);
        }
        found
    }
}

/// The tracks as written, or one implicit default track.
pub(super) fn tracks(
    ctx: &mut Ctx,
    raw: &RawMission,
    constants: &[Constant],
    controls: &[Control],
) -> Vec<Track> {
    let mut tracks = Vec::new();
    for t in &raw.tracks {
        ctx.ident(&t.id, "track");
        if tracks.iter().any(|o: &Track| o.id == t.id.value) {
            ctx.error(
                &t.id,
                format!("track `{}` is defined twice", t.id.value),
                "give every track a unique id",
            );
        }
        let overrides = constant_overrides(ctx, constants, &t.constants);
        let defaults = control_settings(
            ctx,
            controls,
            &raw.controls,
            &t.defaults,
            "`defaults` sets the starting position of controls declared under `controls:`",
        );
        tracks.push(Track {
            id: t.id.value.clone(),
            label: t.label.value.clone(),
            summary: ctx.opt_text(&t.summary),
            constants: overrides,
            defaults,
        });
    }
    if tracks.is_empty() {
        tracks.push(Track {
            id: "default".to_string(),
            label: "Default".to_string(),
            summary: None,
            constants: Vec::new(),
            defaults: Vec::new(),
        });
    }
    tracks
}

/// A track's constant overrides: (constant index, value) pairs, each in the
/// constant's kind of unit.
fn constant_overrides(
    ctx: &mut Ctx,
    constants: &[Constant],
    entries: &raw::Entries<S<Scalar>>,
) -> Vec<(usize, Quantity)> {
    let mut overrides = Vec::new();
    for (key, value) in &entries.0 {
        match constants.iter().position(|c| c.id == key.value) {
            Some(i) => {
                let unit = override_unit(&constants[i], value);
                if let Some(q) = ctx.quantity(value, unit.as_ref()) {
                    if q.dim != constants[i].value.dim {
                        ctx.error(
                            value,
                            format!(
                                "track value for `{}` is {} but the constant is {}",
                                key.value,
                                q.dim.describe(),
                                constants[i].value.dim.describe()
                            ),
                            "give the override the same kind of unit as the constant",
                        );
                    }
                    overrides.push((i, q));
                }
            }
            None => {
                let hint = match did_you_mean(&key.value, constants.iter().map(|c| c.id.as_str())) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => "a track can only override constants declared under `constants:`"
                        .to_string(),
                };
                ctx.error(key, format!("unknown constant `{}`", key.value), hint);
            }
        }
    }
    overrides
}

/// The named scenarios.
pub(super) fn scenarios(
    ctx: &mut Ctx,
    raw: &RawMission,
    tracks: Tracks,
    controls: &[Control],
) -> Vec<Scenario> {
    let mut scenarios: Vec<Scenario> = Vec::new();
    for s in &raw.scenarios {
        ctx.ident(&s.id, "scenario");
        if scenarios.iter().any(|o| o.id == s.id.value) {
            ctx.error(
                &s.id,
                format!("scenario `{}` is defined twice", s.id.value),
                "give every scenario a unique id",
            );
        }
        let track = s.track.as_ref().and_then(|t| tracks.index(ctx, t));
        let set = control_settings(
            ctx,
            controls,
            &raw.controls,
            &s.set,
            "a scenario sets controls declared under `controls:`",
        );
        scenarios.push(Scenario {
            id: s.id.value.clone(),
            label: s
                .label
                .as_ref()
                .map_or_else(|| s.id.value.clone(), |l| l.value.clone()),
            track,
            set,
            loc: ctx.loc(&s.id),
        });
    }
    scenarios
}

/// Resolves a scenario id.
pub(super) fn scenario_index(
    ctx: &mut Ctx,
    scenarios: &[Scenario],
    s: &S<String>,
) -> Option<usize> {
    let found = scenarios.iter().position(|x| x.id == s.value);
    if found.is_none() {
        let hint = match did_you_mean(&s.value, scenarios.iter().map(|x| x.id.as_str())) {
            Some(x) => format!("did you mean `{x}`?"),
            None => "declare it under `scenarios:`".to_string(),
        };
        ctx.error(s, format!("unknown scenario `{}`", s.value), hint);
    }
    found
}
