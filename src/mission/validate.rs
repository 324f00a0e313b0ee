//! From [`RawMission`] to [`Mission`]: every structural check, all collected.
//!
//! Checks here need no model: ids are well formed and unique, references to
//! controls, constants and options exist, quantities parse, defaults are
//! positions of their control, questions name a correct option that exists.
//! Names inside expressions and prose are checked by the model stage.

use super::raw::{self, RawMission, Scalar, S};
use super::*;
use crate::diag::did_you_mean;
use crate::format::parse_display_unit;
use crate::units::parse_quantity;

/// Largest number of positions one control may have; every position of
/// every combination is precomputed, so this keeps books small.
pub const MAX_POSITIONS: usize = 1000;

struct Ctx<'a> {
    file: &'a Path,
    diags: Diagnostics,
}

impl Ctx<'_> {
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

fn dimensionless() -> crate::units::Unit {
    crate::units::Unit {
        symbol: String::new(),
        factor: 1.0,
        dim: Dim::DIMENSIONLESS,
    }
}

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

/// The file name of the book's shared constants registry, in the missions
/// folder.
pub const REGISTRY_FILE: &str = "constants.yaml";

/// Checks the shared constants registry: ids are valid and unique, values
/// are quantities.
pub fn registry(file: &Path, raw: &raw::RawRegistry) -> (Vec<Constant>, Diagnostics) {
    let mut ctx = Ctx {
        file,
        diags: Diagnostics::new(),
    };
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
fn override_unit(c: &Constant, at: &S<Scalar>) -> Option<S<String>> {
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

/// Checks a raw mission, taking `shared` constants from the book's
/// registry. Returns the mission when it is usable for later stages (even
/// with warnings), and every diagnostic found.
pub fn validate(
    file: &Path,
    source: &str,
    raw: RawMission,
    shared: &[Constant],
) -> (Option<Mission>, Diagnostics) {
    let mut ctx = Ctx {
        file,
        diags: Diagnostics::new(),
    };
    ctx.ident(&raw.id, "mission");

    // Names share one namespace: constants, controls and formulas are all
    // usable in expressions, so a clash would be ambiguous.
    let mut names: Vec<(String, Location)> = Vec::new();
    let mut declare = |ctx: &mut Ctx, s: &S<String>, what: &str| {
        ctx.ident(s, what);
        if s.value == "track" {
            ctx.error(
                s,
                "`track` is reserved for the track selector",
                "choose another id",
            );
        }
        if let Some((_, first)) = names.iter().find(|(n, _)| *n == s.value) {
            let first = first.clone();
            ctx.error(
                s,
                format!("`{}` is already defined at {first}", s.value),
                "constants, controls and formulas share one namespace; rename one of them",
            );
        } else {
            names.push((s.value.clone(), ctx.loc(s)));
        }
    };

    let mut constants = Vec::new();
    for c in &raw.constants {
        declare(&mut ctx, &c.id, "constant");
        constants.push(constant(&mut ctx, c));
    }
    // Constants from the book's registry keep their own location and source.
    for id in &raw.shared {
        match shared.iter().find(|c| c.id == id.value) {
            Some(c) => {
                declare(&mut ctx, id, "constant");
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

    let mut controls = Vec::new();
    for c in &raw.controls {
        declare(&mut ctx, &c.id, "control");
        controls.push(control(&mut ctx, c));
    }

    let mut formulas = Vec::new();
    let mut goals = Vec::new();
    for f in &raw.formulas {
        declare(&mut ctx, &f.id, "formula");
        let display = ctx.display(f.unit.as_ref(), f.digits.as_ref());
        let (expr, search) = formula_body(&mut ctx, f, &mut goals);
        formulas.push(Formula {
            id: f.id.value.clone(),
            label: f
                .label
                .as_ref()
                .map_or_else(|| f.id.value.clone(), |l| l.value.clone()),
            expr,
            display,
            unit_loc: f.unit.as_ref().map(|u| ctx.loc(u)),
            tex: f.tex.as_ref().map(|t| t.value.clone()),
            note: f.note.as_ref().map(|t| t.value.clone()),
            search,
        });
    }
    formulas.extend(goals);

    let has_track_selector = !raw.tracks.is_empty();
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
        let mut overrides = Vec::new();
        for (key, value) in &t.constants.0 {
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
                    let hint =
                        match did_you_mean(&key.value, constants.iter().map(|c| c.id.as_str())) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => {
                                "a track can only override constants declared under `constants:`"
                                    .to_string()
                            }
                        };
                    ctx.error(key, format!("unknown constant `{}`", key.value), hint);
                }
            }
        }
        let defaults = control_settings(
            &mut ctx,
            &controls,
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
        let track = s
            .track
            .as_ref()
            .and_then(|t| track_index(&mut ctx, &tracks, has_track_selector, t));
        let set = control_settings(
            &mut ctx,
            &controls,
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

    let mut hidden = 0usize;
    let mut acts = Vec::new();
    let mut shown_in: Vec<Option<String>> = vec![None; controls.len()];
    for a in &raw.acts {
        ctx.ident(&a.id, "act");
        if acts.iter().any(|o: &Act| o.id == a.id.value) {
            ctx.error(
                &a.id,
                format!("act `{}` is defined twice", a.id.value),
                "give every act a unique id",
            );
        }
        let simulator = a.simulator.as_ref().map(|s| {
            let mut idx = Vec::new();
            let mut locs = Vec::new();
            for c in &s.controls {
                match controls.iter().position(|k| k.id == c.value) {
                    Some(i) => {
                        if let Some(other) = &shown_in[i] {
                            ctx.error(
                                c,
                                format!("control `{}` is already shown in act `{other}`", c.value),
                                "a control belongs to one act's simulator; declare a second control for this act",
                            );
                        } else {
                            shown_in[i] = Some(a.id.value.clone());
                            idx.push(i);
                            locs.push(ctx.loc(c));
                        }
                    }
                    None => {
                        let hint = match did_you_mean(&c.value, controls.iter().map(|c| c.id.as_str())) {
                            Some(s) => format!("did you mean `{s}`?"),
                            None => "list ids declared under `controls:`".to_string(),
                        };
                        ctx.error(c, format!("unknown control `{}`", c.value), hint);
                    }
                }
            }
            let instruments = s
                .instruments
                .iter()
                .map(|i| instrument(&mut ctx, i, &a.id.value, &mut hidden, &mut formulas))
                .collect();
            Simulator {
                intro: ctx.opt_text(&s.intro),
                controls: idx,
                control_locs: locs,
                instruments,
            }
        });
        acts.push(Act {
            id: a.id.value.clone(),
            title: a.title.value.clone(),
            duration: a.duration.as_ref().map(|d| d.value.clone()),
            story: ctx.opt_text(&a.story),
            stakeholders: stakeholders(&mut ctx, a, &tracks, has_track_selector),
            tasks: tasks(&mut ctx, a, &scenarios),
            prediction: a.prediction.as_ref().map(|q| {
                question(
                    &mut ctx,
                    q,
                    &a.id.value,
                    &scenarios,
                    &mut hidden,
                    &mut formulas,
                )
            }),
            simulator,
            reveal: ctx.opt_text(&a.reveal),
            reflection: a.reflection.as_ref().map(|q| {
                question(
                    &mut ctx,
                    q,
                    &a.id.value,
                    &scenarios,
                    &mut hidden,
                    &mut formulas,
                )
            }),
            mathpeek: a.mathpeek.as_ref().map(|m| MathPeek {
                title: m.title.value.clone(),
                latex: ctx.source(&m.latex),
                where_: ctx.opt_text(&m.where_),
                example: ctx.opt_text(&m.example),
                assumptions: ctx.opt_text(&m.assumptions),
                worked: m
                    .worked
                    .iter()
                    .map(|w| Worked {
                        formula: w.formula.value.clone(),
                        loc: ctx.loc(&w.formula),
                        at: w
                            .at
                            .iter()
                            .filter_map(|s| scenario_index(&mut ctx, &scenarios, s))
                            .collect(),
                    })
                    .collect(),
            }),
        });
    }
    if raw.acts.is_empty() {
        ctx.error(
            &raw.id,
            "the mission has no acts",
            "add an `acts:` list with at least one act",
        );
    }
    for (i, c) in controls.iter().enumerate() {
        if shown_in[i].is_none() {
            ctx.diags.push(
                Diagnostic::warning(
                    Some(c.loc.clone()),
                    format!("control `{}` is not shown in any act", c.id),
                )
                .with_hint("list it under an act's `simulator: controls:`, or make it a constant"),
            );
        }
    }

    let mut claims = Vec::new();
    for c in &raw.claims {
        let Some(scenario) = scenario_index(&mut ctx, &scenarios, &c.scenario) else {
            continue;
        };
        let track = c
            .track
            .as_ref()
            .and_then(|t| track_index(&mut ctx, &tracks, has_track_selector, t));
        let kind = match (&c.value, &c.that, &c.status) {
            (Some(v), None, None) => {
                let Some(about) = &c.about else {
                    ctx.error(
                        v,
                        "a claim about a value needs `about:`",
                        "add the expected value, e.g. `about: 67 min`",
                    );
                    continue;
                };
                let Some(expected) = ctx.quantity(about, None) else {
                    continue;
                };
                let within = match &c.within {
                    Some(w) => match tolerance(&mut ctx, w, expected) {
                        Some(t) => t,
                        None => continue,
                    },
                    // Without `within`, the claim allows 0.5% either way.
                    None => expected.value.abs() * 0.005,
                };
                ClaimKind::About {
                    value: v.value.clone(),
                    expected,
                    within,
                    within_text: c
                        .within
                        .as_ref()
                        .map_or_else(|| "0.5%".to_string(), |w| w.value.0.clone()),
                    expected_text: about.value.0.clone(),
                }
            }
            (None, Some(t), None) => ClaimKind::That {
                cond: hidden_formula(&ctx, t, "claims", "claim", &mut hidden, &mut formulas),
                text: t.value.clone(),
            },
            (None, None, Some(st)) => {
                let Some(is) = &c.is else {
                    ctx.error(
                        st,
                        "a claim about a status needs `is:`",
                        "add the label the status must show",
                    );
                    continue;
                };
                let found = acts
                    .iter()
                    .flat_map(|a: &Act| a.simulator.iter())
                    .flat_map(|s| s.instruments.iter())
                    .find_map(|i| match i {
                        Instrument::Status {
                            id: Some(id),
                            levels,
                            ..
                        } if *id == st.value => Some(levels),
                        _ => None,
                    });
                match found {
                    None => {
                        ctx.error(
                            st,
                            format!("no status instrument has id `{}`", st.value),
                            "give the status instrument an `id:` and name it here",
                        );
                        continue;
                    }
                    Some(levels) if !levels.iter().any(|l| l.label == is.value) => {
                        let labels: Vec<&str> = levels.iter().map(|l| l.label.as_str()).collect();
                        ctx.error(
                            is,
                            format!("status `{}` has no level `{}`", st.value, is.value),
                            format!("use one of: {}", labels.join(", ")),
                        );
                        continue;
                    }
                    Some(_) => {}
                }
                ClaimKind::Status {
                    status: st.value.clone(),
                    is: is.value.clone(),
                }
            }
            _ => {
                ctx.error(&c.scenario, "a claim states exactly one of `value` (with `about`), `that`, or `status` (with `is`)", "keep one of the three forms");
                continue;
            }
        };
        claims.push(Claim {
            scenario,
            track,
            kind,
            loc: ctx.loc(&c.scenario),
        });
    }

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
        formulas,
        acts,
        scenarios,
        claims,
    };
    let ok = !ctx.diags.has_errors();
    (ok.then_some(mission), ctx.diags)
}

fn question(
    ctx: &mut Ctx,
    q: &raw::RawQuestion,
    act: &str,
    scenarios: &[Scenario],
    hidden: &mut usize,
    formulas: &mut Vec<Formula>,
) -> Question {
    // A bound question's scenario, and how its answer is shown, for the
    // options' `{{ option }}` placeholders.
    let bound_scenario = q.answer.as_ref().and_then(|a| {
        scenarios
            .iter()
            .find(|s| s.id == a.at.value)
            .map(|s| s.id.clone())
    });
    let answer_display = q.answer.as_ref().and_then(|a| {
        formulas
            .iter()
            .find(|f| f.id == a.value.value)
            .map(|f| f.display.clone())
    });
    let mut options: Vec<Choice> = Vec::new();
    for o in &q.options.value {
        if o.key.value.trim().is_empty() {
            ctx.error(
                &o.key,
                "an option key cannot be empty",
                "use a short key such as `A`",
            );
        }
        if options.iter().any(|p| p.key == o.key.value) {
            ctx.error(
                &o.key,
                format!("option key `{}` is used twice", o.key.value),
                "give every option a unique key",
            );
        }
        let value = match (&o.value, &q.answer) {
            (Some(v), Some(_)) => {
                let id = hidden_formula(ctx, v, act, "option", hidden, formulas);
                if let (Some(f), Some(d)) = (formulas.last_mut(), &answer_display) {
                    f.display = d.clone();
                }
                Some(id)
            }
            (Some(v), None) => {
                ctx.error(
                    v,
                    "an option `value` needs the question's `answer:`",
                    "add `answer: { value: NAME, at: SCENARIO }` to the question",
                );
                None
            }
            (None, Some(_)) => {
                ctx.error(
                    &o.key,
                    "every option of a question with `answer:` needs a `value`",
                    "give the quantity this option states, e.g. `value: t_transfer / 8`",
                );
                None
            }
            (None, None) => None,
        };
        let mut text = ctx.text(&o.text);
        if let (Some(id), Some(s)) = (&value, &bound_scenario) {
            // `{{ option }}` shows this option's own value at the scenario.
            let with = format!("{{{{ {id} @ {s} }}}}");
            text.src = text
                .src
                .replace("{{ option }}", &with)
                .replace("{{option}}", &with);
        }
        options.push(Choice {
            key: o.key.value.clone(),
            text,
            feedback: ctx.text(&o.feedback),
            value,
        });
    }
    if options.len() < 2 {
        ctx.error(
            &q.options,
            "a question needs at least two options",
            "add the alternatives a student chooses between",
        );
    }
    let keys: Vec<&str> = options.iter().map(|o| o.key.as_str()).collect();
    if let Some(c) = &q.correct {
        if !options.iter().any(|o| o.key == c.value) {
            ctx.error(
                c,
                format!("the correct option `{}` is not one of the options", c.value),
                format!("use one of: {}", keys.join(", ")),
            );
        }
    }
    let answer = q.answer.as_ref().and_then(|a| {
        let scenario = scenario_index(ctx, scenarios, &a.at)?;
        Some(Answer {
            value: a.value.value.clone(),
            loc: ctx.loc(&a.value),
            scenario,
            typed: q.correct.as_ref().map(|c| c.value.clone()),
        })
    });
    let loc = match (&q.correct, &q.answer) {
        (Some(c), _) => ctx.loc(c),
        (None, Some(a)) => ctx.loc(&a.value),
        (None, None) => {
            ctx.error(
                &q.prompt,
                "the question names no correct option",
                "add `correct: KEY`, or bind it to the model with `answer:`",
            );
            ctx.loc(&q.prompt)
        }
    };
    Question {
        prompt: ctx.text(&q.prompt),
        options,
        correct: q
            .correct
            .as_ref()
            .map_or_else(String::new, |c| c.value.clone()),
        answer,
        loc,
    }
}

/// Resolves a map of control ids to written values (a track's `defaults`,
/// a scenario's `set`) into (control, position) pairs; `unknown_hint` is
/// the hint for a name that is no control at all.
fn control_settings(
    ctx: &mut Ctx,
    controls: &[Control],
    raw_controls: &[raw::RawControl],
    entries: &raw::Entries<S<Scalar>>,
    unknown_hint: &str,
) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (key, value) in &entries.0 {
        match controls.iter().position(|c| c.id == key.value) {
            Some(i) => {
                if let Some(p) = position_of(ctx, &controls[i], value, &raw_controls[i]) {
                    out.push((i, p));
                }
            }
            None => {
                let hint = match did_you_mean(&key.value, controls.iter().map(|c| c.id.as_str())) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => unknown_hint.to_string(),
                };
                ctx.error(key, format!("unknown control `{}`", key.value), hint);
            }
        }
    }
    out
}

/// Resolves a scenario id.
fn scenario_index(ctx: &mut Ctx, scenarios: &[Scenario], s: &S<String>) -> Option<usize> {
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

/// Resolves a track id.
fn track_index(ctx: &mut Ctx, tracks: &[Track], declared: bool, t: &S<String>) -> Option<usize> {
    let found = tracks
        .iter()
        .position(|x| x.id == t.value)
        .filter(|_| declared);
    if found.is_none() {
        let hint = match did_you_mean(&t.value, tracks.iter().map(|x| x.id.as_str())) {
            Some(x) if declared => format!("did you mean `{x}`?"),
            _ => "declare it under `tracks:`".to_string(),
        };
        ctx.error(t, format!("unknown track `{}`", t.value), hint);
    }
    found
}

/// A claim's tolerance in base units: a quantity like `1 min`, or a
/// percentage of the expected value like `2%`.
fn tolerance(ctx: &mut Ctx, w: &S<Scalar>, expected: Quantity) -> Option<f64> {
    let q = ctx.quantity(w, None)?;
    // A percentage is a share of `about`, even when the value itself is
    // dimensionless (where `1%` would otherwise read as 0.01 absolute).
    if w.value.0.trim().ends_with('%') {
        Some(q.value.abs() * expected.value.abs())
    } else if q.dim == expected.dim {
        Some(q.value.abs())
    } else {
        ctx.error(
            w,
            format!(
                "`within` is {} but the expected value is {}",
                q.dim.describe(),
                expected.dim.describe()
            ),
            "give the tolerance in the value's unit (e.g. `1 min`) or as a percentage (e.g. `2%`)",
        );
        None
    }
}

fn hidden_formula(
    ctx: &Ctx,
    s: &S<String>,
    act: &str,
    what: &str,
    hidden: &mut usize,
    formulas: &mut Vec<Formula>,
) -> String {
    *hidden += 1;
    // Act ids may hold `-`; hidden names must stay valid names.
    let id = format!("__{what}_{}_{hidden}", act.replace('-', "_"));
    formulas.push(Formula {
        id: id.clone(),
        label: format!("{what} condition"),
        expr: ctx.source(s),
        display: Display {
            unit: DisplayUnit::Unit(dimensionless()),
            digits: None,
        },
        unit_loc: None,
        tex: None,
        note: None,
        search: None,
    });
    id
}

/// The expression of a formula, and for a search formula what it searches.
///
/// A search formula's own expression is the name of its control (so the
/// model sees the dependency and the dimension); its objective becomes one or
/// two hidden formulas (`__goal_…`, or `__cond_…` for `first`), which the
/// model checks like any other expression, with their own locations.
fn formula_body(
    ctx: &mut Ctx,
    f: &raw::RawFormula,
    goals: &mut Vec<Formula>,
) -> (Source, Option<Search>) {
    let written: Vec<(Goal, &S<String>)> = [
        (Goal::Minimize, &f.minimize),
        (Goal::Maximize, &f.maximize),
        (Goal::Solve, &f.solve),
        (Goal::First, &f.first),
    ]
    .into_iter()
    .filter_map(|(g, s)| s.as_ref().map(|s| (g, s)))
    .collect();
    let id_loc = ctx.loc(&f.id);
    let placeholder = || Source {
        src: "0".to_string(),
        loc: id_loc.clone(),
    };
    match (&f.expr, written.as_slice(), &f.over) {
        (Some(e), [], None) => (ctx.source(e), None),
        (Some(e), [], Some(o)) => {
            ctx.error(
                o,
                format!("formula `{}` has `over` but no search", f.id.value),
                "`over` goes with `minimize`, `maximize`, `solve` or `first`; remove it, or replace `expr` with one of them",
            );
            (ctx.source(e), None)
        }
        (None, [], _) => {
            ctx.error(
                &f.id,
                format!("formula `{}` has no `expr`", f.id.value),
                "add `expr: ...`, or search with `minimize`, `maximize`, `solve` or `first` plus `over`",
            );
            (placeholder(), None)
        }
        (Some(_), [(g, at), ..], _) | (None, [_, (g, at), ..], _) => {
            let other = if f.expr.is_some() {
                "expr".to_string()
            } else {
                written[0].0.key().to_string()
            };
            ctx.error(
                *at,
                format!(
                    "formula `{}` has both `{other}` and `{}`",
                    f.id.value,
                    g.key()
                ),
                "a formula is either an expression or one search; keep one of them",
            );
            (placeholder(), None)
        }
        (None, [(_, _)], None) => {
            ctx.error(
                &f.id,
                format!("search formula `{}` needs `over`", f.id.value),
                "name the control to search, e.g. `over: interval`",
            );
            (placeholder(), None)
        }
        (None, [(goal, at)], Some(over)) => {
            let goal = *goal;
            let id = &f.id.value;
            let hidden = |name: String, src: Source| Formula {
                id: name,
                label: format!("{} of {id}", goal.key()),
                expr: src,
                display: Display {
                    unit: DisplayUnit::Unit(dimensionless()),
                    digits: None,
                },
                unit_loc: None,
                tex: None,
                note: None,
                search: None,
            };
            let mut targets = Vec::new();
            match goal {
                Goal::Minimize | Goal::Maximize => {
                    let name = format!("__goal_{id}");
                    goals.push(hidden(name.clone(), ctx.source(at)));
                    targets.push(name);
                }
                Goal::First => {
                    let name = format!("__cond_{id}");
                    goals.push(hidden(name.clone(), ctx.source(at)));
                    targets.push(name);
                }
                Goal::Solve => match split_equation(&at.value) {
                    Some((lhs, rhs)) => {
                        for (side, text) in [("lhs", lhs), ("rhs", rhs)] {
                            let name = format!("__goal_{id}_{side}");
                            goals.push(hidden(
                                name.clone(),
                                Source {
                                    src: text.to_string(),
                                    loc: ctx.loc(at),
                                },
                            ));
                            targets.push(name);
                        }
                    }
                    None => {
                        ctx.error(
                            at,
                            "`solve` needs an equation with one `=`",
                            "write both sides, e.g. `solve: \"t_network = t_ship\"`",
                        );
                        return (placeholder(), None);
                    }
                },
            }
            (
                ctx.source(over),
                Some(Search {
                    goal,
                    over: over.value.clone(),
                    over_loc: ctx.loc(over),
                    targets,
                    text: at.value.clone(),
                }),
            )
        }
    }
}

/// The tasks of an act.
fn tasks(ctx: &mut Ctx, a: &raw::RawAct, scenarios: &[Scenario]) -> Vec<Task> {
    let mut out: Vec<Task> = Vec::new();
    for t in &a.tasks {
        ctx.ident(&t.id, "task");
        if out.iter().any(|o| o.id == t.id.value) {
            ctx.error(
                &t.id,
                format!("act `{}` has two tasks `{}`", a.id.value, t.id.value),
                "give each task of an act its own id",
            );
            continue;
        }
        let at = match &t.at {
            Some(s) => match scenario_index(ctx, scenarios, s) {
                Some(i) => Some(i),
                None => continue,
            },
            None => None,
        };
        let tolerance = t.tolerance.as_ref().and_then(|w| {
            let q = ctx.quantity(w, None)?;
            if w.value.0.trim().ends_with('%') {
                Some(TaskTolerance::Relative(q.value.abs()))
            } else {
                Some(TaskTolerance::Absolute(Quantity {
                    value: q.value.abs(),
                    dim: q.dim,
                }))
            }
        });
        let display = t
            .unit
            .as_ref()
            .map(|u| ctx.display(Some(u), t.digits.as_ref()));
        out.push(Task {
            id: t.id.value.clone(),
            prompt: ctx.text(&t.prompt),
            answer: t.answer.value.clone(),
            answer_loc: ctx.loc(&t.answer),
            at,
            display,
            unit_loc: t.unit.as_ref().map(|u| ctx.loc(u)),
            tolerance,
            tolerance_loc: t.tolerance.as_ref().map(|w| ctx.loc(w)),
            explain: ctx.opt_text(&t.explain),
            loc: ctx.loc(&t.id),
        });
    }
    out
}

/// The stakeholder messages of an act: `stakeholder:` for every track, or
/// `stakeholders:` with exactly one entry per track.
fn stakeholders(
    ctx: &mut Ctx,
    a: &raw::RawAct,
    tracks: &[Track],
    declared: bool,
) -> Vec<Stakeholder> {
    let one = |ctx: &mut Ctx, s: &raw::RawStakeholder, track| Stakeholder {
        track,
        from: s.from.value.clone(),
        message: ctx.text(&s.message),
    };
    match (&a.stakeholder, &a.stakeholders) {
        (Some(s), None) => {
            if let Some(t) = &s.track {
                ctx.error(
                    t,
                    "`track` belongs in the entries of `stakeholders:`",
                    "remove `track:` to show this message on every track, or write `stakeholders:` with one entry per track",
                );
            }
            vec![one(ctx, s, None)]
        }
        (None, None) => Vec::new(),
        (Some(_), Some(list)) => {
            ctx.error(
                list,
                "an act has either `stakeholder` or `stakeholders`, not both",
                "keep `stakeholders:` with one entry per track, or `stakeholder:` for all tracks",
            );
            Vec::new()
        }
        (None, Some(list)) => {
            let mut out: Vec<Stakeholder> = Vec::new();
            for s in &list.value {
                let Some(t) = &s.track else {
                    ctx.error(
                        &s.from,
                        "each entry of `stakeholders` needs `track`",
                        "add `track: <track id>`, or use `stakeholder:` for one message on every track",
                    );
                    continue;
                };
                let Some(k) = track_index(ctx, tracks, declared, t) else {
                    continue;
                };
                if out.iter().any(|o| o.track == Some(k)) {
                    ctx.error(
                        t,
                        format!(
                            "track `{}` has two stakeholder messages in this act",
                            t.value
                        ),
                        "keep one entry per track",
                    );
                    continue;
                }
                out.push(one(ctx, s, Some(k)));
            }
            let missing: Vec<&str> = tracks
                .iter()
                .enumerate()
                .filter(|(k, _)| !out.iter().any(|o| o.track == Some(*k)))
                .map(|(_, t)| t.id.as_str())
                .collect();
            if !missing.is_empty() && !ctx.diags.has_errors() {
                ctx.error(
                    list,
                    format!(
                        "`stakeholders` has no message for track {}",
                        missing
                            .iter()
                            .map(|m| format!("`{m}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    "add an entry with `track:` for each track",
                );
            }
            out.sort_by_key(|s| s.track);
            out
        }
    }
}

/// Splits `lhs = rhs` at its one lone `=` (not part of `==`, `<=`, `>=`,
/// `!=`); both sides must be non-empty.
fn split_equation(s: &str) -> Option<(&str, &str)> {
    let bytes = s.as_bytes();
    let lone: Vec<usize> = (0..bytes.len())
        .filter(|&i| {
            bytes[i] == b'='
                && (i == 0 || !matches!(bytes[i - 1], b'<' | b'>' | b'=' | b'!'))
                && bytes.get(i + 1) != Some(&b'=')
        })
        .collect();
    match lone.as_slice() {
        [i] => {
            let (l, r) = (s[..*i].trim(), s[i + 1..].trim());
            (!l.is_empty() && !r.is_empty()).then_some((l, r))
        }
        _ => None,
    }
}

fn instrument(
    ctx: &mut Ctx,
    i: &raw::RawInstrument,
    act: &str,
    hidden: &mut usize,
    formulas: &mut Vec<Formula>,
) -> Instrument {
    match i {
        raw::RawInstrument::Metric(m) => Instrument::Metric {
            value: m.value.value.clone(),
            loc: ctx.loc(&m.value),
            label: m.label.as_ref().map(|l| l.value.clone()),
            note: ctx.opt_text(&m.note),
        },
        raw::RawInstrument::Status(s) => {
            let mut levels = Vec::new();
            let n = s.levels.value.len();
            for (k, l) in s.levels.value.iter().enumerate() {
                let when = l
                    .when
                    .as_ref()
                    .map(|w| hidden_formula(ctx, w, act, "status", hidden, formulas));
                if when.is_none() && k + 1 != n {
                    ctx.error(
                        &l.label,
                        "only the last status level may omit `when`",
                        "add a `when:` condition, or move this level last",
                    );
                }
                levels.push(Level {
                    when,
                    label: l.label.value.clone(),
                    tone: tone(ctx, &l.tone),
                    note: ctx.opt_text(&l.note),
                });
            }
            if levels.is_empty() {
                ctx.error(
                    &s.levels,
                    "a status needs at least one level",
                    "add levels with `when`, `label` and `tone`",
                );
            } else if levels.last().is_some_and(|l| l.when.is_some()) {
                ctx.error(&s.levels, "the last status level must have no `when`", "add a final level without `when` for the remaining states, so every state has a status");
            }
            Instrument::Status {
                id: s.id.as_ref().map(|i| i.value.clone()),
                label: s.label.value.clone(),
                value: s.value.as_ref().map(|v| (v.value.clone(), ctx.loc(v))),
                levels,
            }
        }
        raw::RawInstrument::Plot(p) => Instrument::Plot(Box::new(plot(ctx, p))),
        raw::RawInstrument::Badges(list) => {
            if list.value.is_empty() {
                ctx.error(
                    list,
                    "a badges row needs at least one badge",
                    "list badges as `- { label: ..., ok: \"condition\" }`",
                );
            }
            Instrument::Badges(
                list.value
                    .iter()
                    .map(|b| Badge {
                        ok: hidden_formula(ctx, &b.ok, act, "badge", hidden, formulas),
                        good: ctx.text(b.good.as_ref().unwrap_or(&b.label)),
                        bad: ctx.text(b.bad.as_ref().unwrap_or(&b.label)),
                    })
                    .collect(),
            )
        }
        raw::RawInstrument::Banner(b) => Instrument::Banner {
            when: hidden_formula(ctx, &b.when, act, "banner", hidden, formulas),
            tone: tone(ctx, &b.tone),
            title: ctx.text(&b.title),
            text: ctx.opt_text(&b.text),
        },
    }
}

/// Checks a plot declaration: its kind, the fields that kind takes, and
/// the fields it needs.
fn plot(ctx: &mut Ctx, p: &raw::RawPlot) -> PlotSpec {
    let kind = match PlotKind::ALL.iter().find(|(_, n)| *n == p.kind.value) {
        Some((k, _)) => *k,
        None => {
            let names: Vec<&str> = PlotKind::ALL.iter().map(|(_, n)| *n).collect();
            let hint = match did_you_mean(&p.kind.value, names.iter().copied()) {
                Some(n) => format!("did you mean `{n}`?"),
                None => format!("use one of: {}", names.join(", ")),
            };
            ctx.error(
                &p.kind,
                format!("unknown plot kind `{}`", p.kind.value),
                hint,
            );
            // Its other fields cannot be judged without a kind.
            return PlotSpec {
                kind: PlotKind::Bars,
                title: ctx.text(&p.title),
                display: ctx.display(None, None),
                axis: String::new(),
                series: Vec::new(),
                detail: PlotDetail::Plain,
                loc: ctx.loc(&p.kind),
            };
        }
    };
    use PlotKind::*;
    // Which optional fields each kind takes.
    let fields: [(&str, bool, &[PlotKind]); 15] = [
        (
            "unit",
            p.unit.is_some(),
            &[
                Timeline, Bars, Curves, Saturation, Gauge, Radar, Waterfall, Sankey,
            ],
        ),
        ("axis", p.axis.is_some(), &[Timeline, Bars, Waterfall]),
        (
            "series",
            p.series.is_some(),
            &[Timeline, Bars, Curves, Saturation, Radar, Waterfall],
        ),
        ("over", p.over.is_some(), &[Curves, Saturation]),
        ("per", p.per.is_some(), &[Saturation]),
        ("samples", p.samples.is_some(), &[Curves, Saturation]),
        ("x", p.x.is_some(), &[Curves, Saturation]),
        ("y", p.y.is_some(), &[Curves, Saturation]),
        ("markers", p.markers.is_some(), &[Curves, Saturation]),
        ("guides", p.guides.is_some(), &[Curves, Saturation]),
        ("value", p.value.is_some(), &[Gauge]),
        (
            "min",
            p.min.is_some() || p.max.is_some() || p.bands.is_some(),
            &[Gauge],
        ),
        ("axes", p.axes.is_some() || p.scale.is_some(), &[Radar]),
        ("total", p.total.is_some(), &[Waterfall]),
        ("nodes", p.nodes.is_some() || p.flows.is_some(), &[Sankey]),
    ];
    for (name, given, kinds) in fields {
        if given && !kinds.contains(&kind) {
            ctx.error(
                &p.kind,
                format!("a `{}` plot does not take `{name}`", kind.name()),
                format!(
                    "`{name}` belongs to {} plots; remove it or change `kind`",
                    kinds
                        .iter()
                        .map(|k| format!("`{}`", k.name()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            );
        }
    }
    let need = |ctx: &mut Ctx, given: bool, name: &str, example: &str| {
        if !given {
            ctx.error(
                &p.kind,
                format!("a `{}` plot needs `{name}`", kind.name()),
                format!("add it, e.g. `{example}`"),
            );
        }
    };
    let y_unit = p.y.as_ref().and_then(|y| y.value.unit.as_ref());
    let unit = p.unit.as_ref().or(y_unit);
    let digits = p
        .digits
        .as_ref()
        .or_else(|| p.y.as_ref().and_then(|y| y.value.digits.as_ref()));
    if !matches!(kind, Sankey) {
        need(ctx, unit.is_some(), "unit", "unit: ms");
    }
    let display = ctx.display(unit, digits);

    // Series.
    let series_list: &[raw::RawSeries] = p.series.as_ref().map_or(&[], |s| &s.value);
    if matches!(
        kind,
        Timeline | Bars | Curves | Saturation | Radar | Waterfall
    ) {
        match &p.series {
            None => need(
                ctx,
                false,
                "series",
                "series: [ { value: t_io, label: Storage } ]",
            ),
            Some(s) if s.value.is_empty() => ctx.error(
                s,
                "a plot needs at least one series",
                "list the values to draw under `series:`",
            ),
            Some(s) if kind == Saturation && s.value.len() != 1 => ctx.error(
                s,
                "a `saturation` plot has exactly one series; `per` makes one line per option",
                "keep one series, e.g. `series: [ { value: throughput } ]`",
            ),
            _ => {}
        }
    }
    let mut series = Vec::new();
    for s in series_list {
        let anchor = s
            .value
            .as_ref()
            .or(s.label.as_ref())
            .map(|v| ctx.loc(v))
            .unwrap_or_else(|| ctx.loc(&p.kind));
        let value = match (&s.value, &s.values, kind) {
            (None, Some(vs), Radar) => {
                let n = p.axes.as_ref().map_or(0, |a| a.value.len());
                if vs.value.len() != n {
                    ctx.error(
                        vs,
                        format!(
                            "this series has {} values but the radar has {n} axes",
                            vs.value.len()
                        ),
                        "give one value per axis, in the order of `axes`",
                    );
                }
                String::new()
            }
            (Some(v), None, k) if k != Radar => v.value.clone(),
            (_, _, Radar) => {
                ctx.diags.push(
                    Diagnostic::error(
                        Some(anchor.clone()),
                        "a radar series needs `values` (one per axis), not `value`",
                    )
                    .with_hint("write `values: [a, b, c]`"),
                );
                String::new()
            }
            _ => {
                ctx.diags.push(
                    Diagnostic::error(
                        Some(anchor.clone()),
                        "a series needs `value` (and `values` only on radars)",
                    )
                    .with_hint("write `value: <formula>`"),
                );
                String::new()
            }
        };
        let label = match (&s.label, kind) {
            (Some(l), _) => l.value.clone(),
            (None, Saturation) => String::new(),
            (None, _) => {
                ctx.diags.push(
                    Diagnostic::error(Some(anchor.clone()), "a series needs `label`")
                        .with_hint("add `label: ...`, the name in the legend"),
                );
                String::new()
            }
        };
        series.push(SeriesSpec {
            value,
            loc: anchor,
            label,
            tone: s.tone.as_ref().map(|t| tone(ctx, t)),
            dashed: s.dashed.as_ref().is_some_and(|d| d.value),
            values: s
                .values
                .as_ref()
                .map(|vs| {
                    vs.value
                        .iter()
                        .map(|v| (v.value.clone(), ctx.loc(v)))
                        .collect()
                })
                .unwrap_or_default(),
        });
    }

    let scale = |ctx: &mut Ctx, s: Option<&S<String>>| match s.map(|s| (s, s.value.as_str())) {
        None | Some((_, "linear")) => false,
        Some((_, "log")) => true,
        Some((s, other)) => {
            ctx.error(
                s,
                format!("unknown scale `{other}`"),
                "use `linear` or `log`",
            );
            false
        }
    };
    let detail = match kind {
        Timeline | Bars => PlotDetail::Plain,
        Curves | Saturation => {
            need(ctx, p.over.is_some(), "over", "over: interval");
            if kind == Saturation {
                need(ctx, p.per.is_some(), "per", "per: disk");
            }
            let x = p.x.as_ref().map(|x| &x.value);
            let x_unit = x.and_then(|x| x.unit.as_ref());
            let samples = p.samples.as_ref().map_or(60, |s| usize::from(s.value));
            if let Some(s) = &p.samples {
                if !(2..=400).contains(&s.value) {
                    ctx.error(
                        s,
                        "`samples` must be between 2 and 400",
                        "60 points draw a smooth line",
                    );
                }
            }
            let markers = p
                .markers
                .as_ref()
                .map(|m| &m.value[..])
                .unwrap_or(&[])
                .iter()
                .map(|m| MarkerSpec {
                    at: m.at.value.clone(),
                    at_loc: ctx.loc(&m.at),
                    series: m.series.as_ref().map(|s| (s.value.clone(), ctx.loc(s))),
                    label: ctx.text(&m.label),
                    style: match m.kind.as_ref().map(|k| (k, k.value.as_str())) {
                        None | Some((_, "point")) => MarkerStyle::Point,
                        Some((_, "optimum")) => MarkerStyle::Optimum,
                        Some((_, "crossover")) => MarkerStyle::Crossover,
                        Some((k, other)) => {
                            ctx.error(
                                k,
                                format!("unknown marker kind `{other}`"),
                                "use `optimum`, `crossover` or `point`",
                            );
                            MarkerStyle::Point
                        }
                    },
                    tone: m.tone.as_ref().map(|t| tone(ctx, t)),
                })
                .collect();
            let guides = p
                .guides
                .as_ref()
                .map(|g| &g.value[..])
                .unwrap_or(&[])
                .iter()
                .map(|g| GuideSpec {
                    at: g.at.value.clone(),
                    at_loc: ctx.loc(&g.at),
                    label: ctx.text(&g.label),
                    tone: g.tone.as_ref().map(|t| tone(ctx, t)),
                })
                .collect();
            PlotDetail::Curves(CurveSpec {
                over: p.over.as_ref().map(|o| o.value.clone()).unwrap_or_default(),
                over_loc: p
                    .over
                    .as_ref()
                    .map_or_else(|| ctx.loc(&p.kind), |o| ctx.loc(o)),
                per: p.per.as_ref().map(|s| (s.value.clone(), ctx.loc(s))),
                samples,
                x_label: x
                    .and_then(|x| x.label.as_ref())
                    .map(|l| l.value.clone())
                    .unwrap_or_default(),
                x_display: ctx.display(x_unit, x.and_then(|x| x.digits.as_ref())),
                x_unit_loc: x_unit.map(|u| ctx.loc(u)),
                x_log: scale(ctx, x.and_then(|x| x.scale.as_ref())),
                y_log: scale(ctx, p.y.as_ref().and_then(|y| y.value.scale.as_ref())),
                markers,
                guides,
            })
        }
        Gauge => {
            need(ctx, p.value.is_some(), "value", "value: gpu_idle");
            need(
                ctx,
                p.min.is_some() && p.max.is_some(),
                "min` and `max",
                "min: 0%",
            );
            let q = |ctx: &mut Ctx, s: &Option<S<Scalar>>| {
                s.as_ref().and_then(|s| ctx.quantity(s, unit))
            };
            let min = q(ctx, &p.min);
            let max = q(ctx, &p.max);
            let mut bands = Vec::new();
            for b in p.bands.as_ref().map(|b| &b.value[..]).unwrap_or(&[]) {
                if let Some(to) = ctx.quantity(&b.to, unit) {
                    bands.push((to, tone(ctx, &b.tone)));
                }
            }
            let zero = Quantity {
                value: 0.0,
                dim: Dim::DIMENSIONLESS,
            };
            PlotDetail::Gauge {
                value: p
                    .value
                    .as_ref()
                    .map(|v| v.value.clone())
                    .unwrap_or_default(),
                loc: p
                    .value
                    .as_ref()
                    .map_or_else(|| ctx.loc(&p.kind), |v| ctx.loc(v)),
                min: min.unwrap_or(zero),
                max: max.unwrap_or(Quantity {
                    value: 1.0,
                    dim: Dim::DIMENSIONLESS,
                }),
                bands,
                range_loc: p
                    .min
                    .as_ref()
                    .map_or_else(|| ctx.loc(&p.kind), |m| ctx.loc(m)),
            }
        }
        Radar => {
            need(ctx, p.axes.is_some(), "axes", "axes: [MAC, DRAM, Network]");
            let axes: Vec<String> = p
                .axes
                .as_ref()
                .map(|a| a.value.iter().map(|x| x.value.clone()).collect())
                .unwrap_or_default();
            if let Some(a) = &p.axes {
                if !(3..=8).contains(&a.value.len()) {
                    ctx.error(
                        a,
                        format!("a radar needs 3 to 8 axes, not {}", a.value.len()),
                        "use bars for fewer than 3 values",
                    );
                }
            }
            PlotDetail::Radar {
                axes,
                log: scale(ctx, p.scale.as_ref()),
            }
        }
        Waterfall => PlotDetail::Waterfall {
            total: p.total.as_ref().map(|t| t.value.label.value.clone()),
        },
        Sankey => {
            need(
                ctx,
                p.nodes.is_some() && p.flows.is_some(),
                "nodes` and `flows",
                "nodes: [ { id: s3, label: S3, column: 0 } ]",
            );
            let mut nodes: Vec<(String, NodeSpec)> = Vec::new();
            for n in p.nodes.as_ref().map(|n| &n.value[..]).unwrap_or(&[]) {
                if nodes.iter().any(|(id, _)| *id == n.id.value) {
                    ctx.error(
                        &n.id,
                        format!("two nodes are called `{}`", n.id.value),
                        "give each node its own id",
                    );
                    continue;
                }
                nodes.push((
                    n.id.value.clone(),
                    NodeSpec {
                        label: n.label.value.clone(),
                        column: usize::from(n.column.value),
                        tone: n.tone.as_ref().map(|t| tone(ctx, t)),
                    },
                ));
            }
            let mut flows = Vec::new();
            for f in p.flows.as_ref().map(|f| &f.value[..]).unwrap_or(&[]) {
                let end = |ctx: &mut Ctx, s: &S<String>| {
                    let found = nodes.iter().position(|(id, _)| *id == s.value);
                    if found.is_none() {
                        let hint =
                            match did_you_mean(&s.value, nodes.iter().map(|(id, _)| id.as_str())) {
                                Some(n) => format!("did you mean `{n}`?"),
                                None => "declare it under `nodes:`".to_string(),
                            };
                        ctx.error(s, format!("unknown node `{}`", s.value), hint);
                    }
                    found
                };
                let (from, to) = (end(ctx, &f.from), end(ctx, &f.to));
                if let (Some(from), Some(to)) = (from, to) {
                    if nodes[from].1.column >= nodes[to].1.column {
                        ctx.error(
                            &f.to,
                            "a flow must go to a node in a later column",
                            "flows run left to right: give `to` a larger `column`",
                        );
                    }
                    flows.push(FlowSpec {
                        from,
                        to,
                        value: f.value.value.clone(),
                        loc: ctx.loc(&f.value),
                        tone: f.tone.as_ref().map(|t| tone(ctx, t)),
                    });
                }
            }
            PlotDetail::Sankey {
                nodes: nodes.into_iter().map(|(_, n)| n).collect(),
                flows,
            }
        }
    };
    PlotSpec {
        kind,
        title: ctx.text(&p.title),
        display,
        axis: p
            .axis
            .as_ref()
            .or_else(|| p.y.as_ref().and_then(|y| y.value.label.as_ref()))
            .map_or_else(String::new, |a| a.value.clone()),
        series,
        detail,
        loc: ctx.loc(&p.kind),
    }
}

/// Builds a control's positions from its declaration.
fn control(ctx: &mut Ctx, c: &raw::RawControl) -> Control {
    let display = ctx.display(c.unit.as_ref(), c.digits.as_ref());
    let mut positions = Vec::new();
    let kind;
    let only = |ctx: &mut Ctx, present: bool, at: &S<String>, key: &str, kinds: &str| {
        if present {
            ctx.error(
                at,
                format!("`{key}` is only for {kinds} controls"),
                format!("remove `{key}` or change `kind`"),
            );
        }
    };
    match c.kind.value.as_str() {
        "slider" => {
            only(ctx, c.options.is_some(), &c.kind, "options", "select");
            only(
                ctx,
                c.on.is_some() || c.off.is_some(),
                &c.kind,
                "on/off",
                "toggle",
            );
            if let Some(stops) = &c.stops {
                if c.min.is_some() || c.max.is_some() || c.step.is_some() {
                    ctx.error(
                        &c.kind,
                        "a slider has either `stops` or `min`/`max`/`step`, not both",
                        "keep one of the two forms",
                    );
                }
                for s in &stops.value {
                    if let Some(q) = ctx.quantity(s, c.unit.as_ref()) {
                        positions.push(q);
                    }
                }
                if stops.value.len() > MAX_POSITIONS {
                    ctx.error(
                        stops,
                        format!("the slider has {} stops; at most {MAX_POSITIONS} are allowed", stops.value.len()),
                        "every position is precomputed; keep the list to the values worth exploring",
                    );
                }
                if stops.value.len() < 2 {
                    ctx.error(
                        stops,
                        "a slider needs at least two stops",
                        "list the values the slider moves through",
                    );
                }
                if positions.windows(2).any(|w| w[0].value >= w[1].value) {
                    ctx.error(
                        stops,
                        "slider stops must increase",
                        "list the stops from smallest to largest",
                    );
                }
                kind = ControlKind::Slider { uniform: None };
            } else {
                let (Some(min), Some(max)) = (&c.min, &c.max) else {
                    ctx.error(
                        &c.kind,
                        "a slider needs `min` and `max` (and optionally `step`), or `stops`",
                        "add them, e.g. `min: 1`, `max: 32`, `step: 1`",
                    );
                    return placeholder(ctx, c, display);
                };
                let lo = ctx.quantity(min, c.unit.as_ref());
                let hi = ctx.quantity(max, c.unit.as_ref());
                let step = match &c.step {
                    Some(s) => ctx.quantity(s, c.unit.as_ref()),
                    None => lo.map(|l| Quantity {
                        value: if l.dim.is_dimensionless() {
                            1.0
                        } else {
                            f64::NAN
                        },
                        dim: l.dim,
                    }),
                };
                let (Some(lo), Some(hi), Some(step)) = (lo, hi, step) else {
                    return placeholder(ctx, c, display);
                };
                if lo.dim != hi.dim || lo.dim != step.dim {
                    ctx.error(
                        &c.kind,
                        "`min`, `max` and `step` must have the same kind of unit",
                        "write all three in compatible units",
                    );
                    return placeholder(ctx, c, display);
                }
                if step.value.is_nan() || step.value <= 0.0 {
                    let at = c.step.as_ref().unwrap_or(min);
                    ctx.error(
                        at,
                        "a slider needs a positive `step`",
                        "add `step:` with a positive value in the slider's unit",
                    );
                    return placeholder(ctx, c, display);
                }
                if hi.value < lo.value {
                    ctx.error(max, "`max` is below `min`", "swap them");
                    return placeholder(ctx, c, display);
                }
                let count = ((hi.value - lo.value) / step.value + 1e-9).floor() + 1.0;
                if count > MAX_POSITIONS as f64 {
                    ctx.error(
                        &c.kind,
                        format!(
                            "the slider has {count} positions; at most {MAX_POSITIONS} are allowed"
                        ),
                        "use a larger `step` or a list of `stops`: every position is precomputed",
                    );
                    return placeholder(ctx, c, display);
                }
                for k in 0..count as usize {
                    positions.push(Quantity {
                        value: lo.value + k as f64 * step.value,
                        dim: lo.dim,
                    });
                }
                let factor = display_factor(&display, lo.dim);
                kind = ControlKind::Slider {
                    uniform: Some((lo.value / factor, step.value / factor)),
                };
            }
        }
        "select" => {
            only(
                ctx,
                c.min.is_some() || c.max.is_some() || c.step.is_some() || c.stops.is_some(),
                &c.kind,
                "min/max/step/stops",
                "slider",
            );
            let Some(options) = &c.options else {
                ctx.error(
                    &c.kind,
                    "a select needs `options`",
                    "list options with `key`, `label` and `value`",
                );
                return placeholder(ctx, c, display);
            };
            let mut out = Vec::new();
            for o in &options.value {
                if out.iter().any(|p: &Position| p.key == o.key.value) {
                    ctx.error(
                        &o.key,
                        format!("option key `{}` is used twice", o.key.value),
                        "give every option a unique key",
                    );
                }
                if let Some(q) = ctx.quantity(&o.value, c.unit.as_ref()) {
                    positions.push(q);
                    out.push(Position {
                        key: o.key.value.clone(),
                        label: o.label.value.clone(),
                        value: q.value,
                    });
                }
            }
            if options.value.is_empty() {
                ctx.error(options, "a select needs at least one option", "add options");
            }
            let dim = positions.first().map_or(Dim::DIMENSIONLESS, |q| q.dim);
            if positions.iter().any(|q| q.dim != dim) {
                ctx.error(
                    options,
                    "all options of a select must have the same kind of unit",
                    "write every option's `value` in compatible units",
                );
            }
            let default = match &c.default {
                Some(d) => match out.iter().position(|p| p.key == d.value.0) {
                    Some(i) => i,
                    None => {
                        let keys: Vec<&str> = out.iter().map(|p| p.key.as_str()).collect();
                        ctx.error(
                            d,
                            format!("default `{}` is not an option key", d.value.0),
                            format!("use one of: {}", keys.join(", ")),
                        );
                        0
                    }
                },
                None => 0,
            };
            return Control {
                id: c.id.value.clone(),
                label: c.label.value.clone(),
                tex: c.tex.as_ref().map(|t| t.value.clone()),
                kind: ControlKind::Select,
                positions: out,
                default,
                dim,
                display,
                help: c.help.as_ref().map(|h| ctx.text(h)),
                loc: ctx.loc(&c.id),
            };
        }
        "toggle" => {
            only(ctx, c.options.is_some(), &c.kind, "options", "select");
            let off = c.off.as_ref().map_or(
                Some(Quantity {
                    value: 0.0,
                    dim: Dim::DIMENSIONLESS,
                }),
                |s| ctx.quantity(s, c.unit.as_ref()),
            );
            let on = c.on.as_ref().map_or(
                Some(Quantity {
                    value: 1.0,
                    dim: Dim::DIMENSIONLESS,
                }),
                |s| ctx.quantity(s, c.unit.as_ref()),
            );
            let (Some(off), Some(on)) = (off, on) else {
                return placeholder(ctx, c, display);
            };
            if off.dim != on.dim {
                ctx.error(
                    &c.kind,
                    "`on` and `off` must have the same kind of unit",
                    "write both in compatible units",
                );
            }
            let default = match &c.default {
                None => 0,
                Some(d) => match d.value.0.as_str() {
                    "false" | "off" => 0,
                    "true" | "on" => 1,
                    other => {
                        ctx.error(
                            d,
                            format!("default `{other}` is not valid for a toggle"),
                            "use `true` or `false`",
                        );
                        0
                    }
                },
            };
            return Control {
                id: c.id.value.clone(),
                label: c.label.value.clone(),
                tex: c.tex.as_ref().map(|t| t.value.clone()),
                kind: ControlKind::Toggle,
                positions: vec![
                    Position {
                        key: "off".into(),
                        label: "off".into(),
                        value: off.value,
                    },
                    Position {
                        key: "on".into(),
                        label: "on".into(),
                        value: on.value,
                    },
                ],
                default,
                dim: on.dim,
                display,
                help: c.help.as_ref().map(|h| ctx.text(h)),
                loc: ctx.loc(&c.id),
            };
        }
        other => {
            ctx.error(
                &c.kind,
                format!("unknown control kind `{other}`"),
                "use `slider`, `select` or `toggle`",
            );
            return placeholder(ctx, c, display);
        }
    }
    // Sliders: label every position with the control's display unit.
    let dim = positions.first().map_or(Dim::DIMENSIONLESS, |q| q.dim);
    if positions.iter().any(|q| q.dim != dim) {
        ctx.error(
            &c.kind,
            "all stops of a slider must have the same kind of unit",
            "write every stop in compatible units",
        );
    }
    check_display_dim(ctx, c, &display, dim);
    let positions: Vec<Position> = positions
        .iter()
        .map(|q| {
            let label = crate::format::show(q.value, &display.unit, display.digits).text;
            Position {
                key: label.clone(),
                label,
                value: q.value,
            }
        })
        .collect();
    let mut control = Control {
        id: c.id.value.clone(),
        label: c.label.value.clone(),
        tex: c.tex.as_ref().map(|t| t.value.clone()),
        kind,
        positions,
        default: 0,
        dim,
        display,
        help: c.help.as_ref().map(|h| ctx.text(h)),
        loc: ctx.loc(&c.id),
    };
    match &c.default {
        Some(d) => {
            if let Some(p) = position_of(ctx, &control, d, c) {
                control.default = p;
            }
        }
        None => ctx.error(
            &c.kind,
            "a slider needs a `default`",
            "add `default:` with one of the slider's values",
        ),
    }
    control
}

/// Checks that a control's display unit fits its values.
fn check_display_dim(ctx: &mut Ctx, c: &raw::RawControl, display: &Display, dim: Dim) {
    if let Some(ddim) = crate::format::display_dim(&display.unit) {
        let explicit = c.unit.is_some();
        if ddim != dim && (explicit || !dim.is_dimensionless()) {
            let at = c.unit.as_ref().unwrap_or(&c.kind);
            ctx.error(
                at,
                format!(
                    "the control's values are {} but its unit shows {}",
                    dim.describe(),
                    ddim.describe()
                ),
                if explicit {
                    "make `unit` match the values (e.g. values in TB shown in TB or GB)".to_string()
                } else {
                    "add `unit:` saying how to show the values (e.g. `unit: TB`)".to_string()
                },
            );
        }
    }
}

/// How many base units one display unit is, for uniform slider inputs.
fn display_factor(display: &Display, dim: Dim) -> f64 {
    match &display.unit {
        DisplayUnit::Unit(u) if u.dim == dim && u.factor > 0.0 => u.factor,
        DisplayUnit::Percent => 0.01,
        _ => 1.0,
    }
}

/// Resolves a written value (`10 TB`, `4`) to a position of `control`.
fn position_of(
    ctx: &mut Ctx,
    control: &Control,
    value: &S<Scalar>,
    raw: &raw::RawControl,
) -> Option<usize> {
    if control.kind == ControlKind::Select {
        return match control
            .positions
            .iter()
            .position(|p| p.key == value.value.0)
        {
            Some(i) => Some(i),
            None => {
                let keys: Vec<&str> = control.positions.iter().map(|p| p.key.as_str()).collect();
                ctx.error(
                    value,
                    format!(
                        "`{}` is not an option key of `{}`",
                        value.value.0, control.id
                    ),
                    format!("use one of: {}", keys.join(", ")),
                );
                None
            }
        };
    }
    if control.kind == ControlKind::Toggle {
        return match value.value.0.as_str() {
            "true" | "on" => Some(1),
            "false" | "off" => Some(0),
            other => {
                ctx.error(
                    value,
                    format!("`{other}` is not valid for a toggle"),
                    "use `true` or `false`",
                );
                None
            }
        };
    }
    let q = ctx.quantity(value, raw.unit.as_ref())?;
    let tolerance = |v: f64| 1e-9 * v.abs().max(1e-300);
    match control
        .positions
        .iter()
        .position(|p| (p.value - q.value).abs() <= tolerance(p.value) && q.dim == control.dim)
    {
        Some(i) => Some(i),
        None => {
            let (first, last) = (
                control
                    .positions
                    .first()
                    .map(|p| p.label.clone())
                    .unwrap_or_default(),
                control
                    .positions
                    .last()
                    .map(|p| p.label.clone())
                    .unwrap_or_default(),
            );
            let hint = if matches!(control.kind, ControlKind::Slider { uniform: Some(_) }) {
                format!("use a value from {first} to {last} that falls on a step of the slider")
            } else {
                let labels: Vec<&str> =
                    control.positions.iter().map(|p| p.label.as_str()).collect();
                format!("use one of the stops: {}", labels.join(", "))
            };
            ctx.error(
                value,
                format!(
                    "`{}` is not a position of control `{}`",
                    value.value.0, control.id
                ),
                hint,
            );
            None
        }
    }
}

/// A stand-in control after an error, so later checks can go on.
fn placeholder(ctx: &Ctx, c: &raw::RawControl, display: Display) -> Control {
    Control {
        id: c.id.value.clone(),
        label: c.label.value.clone(),
        tex: c.tex.as_ref().map(|t| t.value.clone()),
        kind: ControlKind::Select,
        positions: vec![Position {
            key: "0".into(),
            label: "0".into(),
            value: 0.0,
        }],
        default: 0,
        dim: Dim::DIMENSIONLESS,
        display,
        help: None,
        loc: ctx.loc(&c.id),
    }
}
