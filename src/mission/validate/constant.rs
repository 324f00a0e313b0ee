//! Constants: a mission's own, those it takes from the book's shared
//! registry, and the registry itself.

use super::{Ctx, Names};
use crate::diag::{did_you_mean, Diagnostics};
use crate::format::DisplayUnit;
use crate::mission::raw::{self, RawMission, Scalar, S};
use crate::mission::Constant;
use crate::units::{Dim, Quantity};
use std::path::Path;

/// The file name of the book's shared constants registry, in the missions
/// folder.
pub const REGISTRY_FILE: &str = "constants.yaml";

/// Checks the shared constants registry: ids are valid and unique, values
/// are quantities.
pub fn registry(file: &Path, raw: &raw::RawRegistry) -> (Vec<Constant>, Diagnostics) {
    let mut ctx = Ctx::new(file);
    let mut out: Vec<Constant> = Vec::new();
    for c in &raw.constants {
        ctx.ident(&c.id, "constant");
        if let Some(first) = out.iter().find(|o| o.id == c.id.value) {
            let at = first.loc.clone();
            ctx.error(
                &c.id,
                format!("`{}` is already defined at {at}", c.id.value),
                "give every shared constant a unique id",
            );
            continue;
        }
        if c.source.is_none() {
            ctx.error(
                &c.id,
                format!("shared constant `{}` has no `source`", c.id.value),
                "say where the figure comes from, e.g. `source: NVIDIA A100 datasheet`",
            );
        }
        out.push(constant(&mut ctx, c));
    }
    (out, ctx.diags)
}

/// The mission's constants: its own `constants:`, then the `shared:` ones
/// from the book's registry, which keep their own location and source.
pub(super) fn constants(
    ctx: &mut Ctx,
    names: &mut Names,
    raw: &RawMission,
    shared: &[Constant],
) -> Vec<Constant> {
    let mut constants = Vec::new();
    for c in &raw.constants {
        names.declare(ctx, &c.id, "constant");
        constants.push(constant(ctx, c));
    }
    for id in &raw.shared {
        match shared.iter().find(|c| c.id == id.value) {
            Some(c) => {
                names.declare(ctx, id, "constant");
                constants.push(c.clone());
            }
            None => {
                let hint = match did_you_mean(&id.value, shared.iter().map(|c| c.id.as_str())) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None if shared.is_empty() => format!("the book has no shared constants; add them to {REGISTRY_FILE} in the missions folder"),
                    None => format!("add it to {REGISTRY_FILE} in the missions folder"),
                };
                ctx.error(
                    id,
                    format!("`{}` is not in the shared constants", id.value),
                    hint,
                );
            }
        }
    }
    constants
}

/// A constant from its declaration.
fn constant(ctx: &mut Ctx, c: &raw::RawConstant) -> Constant {
    let value = ctx.quantity(&c.value, c.unit.as_ref());
    // Without `unit:`, show the value in the unit it was written in.
    let written = match &c.unit {
        Some(_) => None,
        None => written_unit(&c.value.value.0).map(|u| S {
            value: u,
            referenced: c.value.referenced,
            defined: c.value.defined,
        }),
    };
    let display = ctx.display(c.unit.as_ref().or(written.as_ref()), c.digits.as_ref());
    Constant {
        id: c.id.value.clone(),
        tex: c.tex.as_ref().map(|t| t.value.clone()),
        label: c
            .label
            .as_ref()
            .map_or_else(|| c.id.value.clone(), |l| l.value.clone()),
        value: value.unwrap_or(Quantity {
            value: 0.0,
            dim: Dim::DIMENSIONLESS,
        }),
        display,
        source: c.source.as_ref().map(|s| s.value.clone()),
        note: c.note.as_ref().map(|s| s.value.clone()),
        loc: ctx.loc(&c.id),
    }
}

/// The unit a bare number in a track override takes: the constant's own.
pub(super) fn override_unit(c: &Constant, at: &S<Scalar>) -> Option<S<String>> {
    let symbol = match &c.display.unit {
        DisplayUnit::Unit(u) if !u.symbol.is_empty() => u.symbol.clone(),
        DisplayUnit::Percent => "%".to_string(),
        _ => return None,
    };
    Some(S {
        value: symbol,
        referenced: at.referenced,
        defined: at.defined,
    })
}

/// The unit part of a written quantity: `150 KB` gives `KB`, `$0.09/GB`
/// gives `$/GB`, a bare number gives nothing.
pub fn written_unit(text: &str) -> Option<String> {
    let t = text.trim();
    let (dollar, rest) = match t.strip_prefix('$') {
        Some(r) => (true, r),
        None => (false, t),
    };
    let number_len = rest
        .char_indices()
        .take_while(|(i, c)| {
            c.is_ascii_digit()
                || *c == '.'
                || ((*c == '-' || *c == '+') && (*i == 0 || rest[..*i].ends_with(['e', 'E'])))
                || ((*c == 'e' || *c == 'E') && *i > 0)
        })
        .count();
    let unit = rest[number_len..].trim();
    match (dollar, unit.is_empty()) {
        (true, _) => Some(format!("${unit}")),
        (false, true) => None,
        (false, false) => Some(unit.to_string()),
    }
}
