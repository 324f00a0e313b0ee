//! The mission file as written: serde structs that mirror the YAML, with
//! source positions on every value that a later check may complain about.
//!
//! Nothing here is validated beyond its YAML shape; [`super::validate`]
//! turns a [`RawMission`] into a checked [`super::Mission`].

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_saphyr::Spanned;
use std::fmt;
use std::marker::PhantomData;

/// A YAML value with its position.
pub type S<T> = Spanned<T>;

/// A scalar written as a number or a string (`64`, `0.15`, `150 MB/s`,
/// `$0.09/GB`), kept as text so quantities and plain numbers share one parser.
#[derive(Clone, Debug, PartialEq)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number or a quantity such as `150 MB/s`")
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                // `{:?}` keeps enough digits to round-trip the value.
                Ok(Scalar(format!("{v:?}")))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A YAML mapping kept in source order, with the position of every key.
#[derive(Clone, Debug)]
pub struct Entries<V>(pub Vec<(S<String>, V)>);

impl<V> Default for Entries<V> {
    fn default() -> Self {
        Entries(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Entries<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis<V>(PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Vis<V> {
            type Value = Entries<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of names to values")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Entries<V>, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<S<String>, V>()? {
                    if out
                        .iter()
                        .any(|(seen, _): &(S<String>, V)| seen.value == k.value)
                    {
                        return Err(de::Error::custom(format!("duplicate key `{}`", k.value)));
                    }
                    out.push((k, v));
                }
                Ok(Entries(out))
            }
        }
        d.deserialize_map(Vis(PhantomData))
    }
}

/// A whole mission file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMission {
    pub id: S<String>,
    pub chapter: Option<S<Scalar>>,
    pub title: S<String>,
    pub subtitle: Option<S<String>>,
    pub duration: Option<S<String>>,
    pub core_invariant: Option<S<String>>,
    #[serde(default)]
    pub reading: Vec<RawReading>,
    #[serde(default)]
    pub tracks: Vec<RawTrack>,
    #[serde(default)]
    pub constants: Vec<RawConstant>,
    /// Ids of constants taken from the book's shared registry.
    #[serde(default)]
    pub shared: Vec<S<String>>,
    #[serde(default)]
    pub controls: Vec<RawControl>,
    #[serde(default)]
    pub formulas: Vec<RawFormula>,
    #[serde(default)]
    pub scenarios: Vec<RawScenario>,
    #[serde(default)]
    pub claims: Vec<RawClaim>,
    #[serde(default)]
    pub acts: Vec<RawAct>,
}

/// A named setting of the controls (and optionally the track).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub id: S<String>,
    pub label: Option<S<String>>,
    pub track: Option<S<String>>,
    #[serde(default)]
    pub set: Entries<S<Scalar>>,
}

/// A statement about the model at a scenario, checked on every build.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawClaim {
    pub scenario: S<String>,
    pub track: Option<S<String>>,
    /// `value` + `about` (+ `within`): a number.
    pub value: Option<S<String>>,
    pub about: Option<S<Scalar>>,
    pub within: Option<S<Scalar>>,
    /// `that`: a condition that must hold.
    pub that: Option<S<String>>,
    /// `status` + `is`: the label a status instrument shows.
    pub status: Option<S<String>>,
    pub is: Option<S<String>>,
    pub note: Option<S<String>>,
}

/// The book's shared constants registry (`missions/constants.yaml`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRegistry {
    #[serde(default)]
    pub constants: Vec<RawConstant>,
}

/// One entry of the recommended reading.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReading {
    pub title: S<String>,
    pub section: Option<S<String>>,
    pub why: Option<S<String>>,
}

/// A deployment context or persona.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTrack {
    pub id: S<String>,
    pub label: S<String>,
    pub summary: Option<S<String>>,
    #[serde(default)]
    pub constants: Entries<S<Scalar>>,
    #[serde(default)]
    pub defaults: Entries<S<Scalar>>,
}

/// A fixed input of the model.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConstant {
    pub id: S<String>,
    pub tex: Option<S<String>>,
    pub label: Option<S<String>>,
    pub value: S<Scalar>,
    pub unit: Option<S<String>>,
    pub digits: Option<S<u8>>,
    pub source: Option<S<String>>,
    pub note: Option<S<String>>,
}

/// A slider, select or toggle.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawControl {
    pub id: S<String>,
    pub tex: Option<S<String>>,
    pub label: S<String>,
    pub kind: S<String>,
    pub min: Option<S<Scalar>>,
    pub max: Option<S<Scalar>>,
    pub step: Option<S<Scalar>>,
    pub stops: Option<S<Vec<S<Scalar>>>>,
    pub options: Option<S<Vec<RawOption>>>,
    pub on: Option<S<Scalar>>,
    pub off: Option<S<Scalar>>,
    pub default: Option<S<Scalar>>,
    pub unit: Option<S<String>>,
    pub digits: Option<S<u8>>,
    pub help: Option<S<String>>,
}

/// One choice of a select control.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawOption {
    pub key: S<String>,
    pub label: S<String>,
    pub value: S<Scalar>,
    pub source: Option<S<String>>,
}

/// A named expression of the model.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFormula {
    pub id: S<String>,
    pub label: Option<S<String>>,
    pub expr: Option<S<String>>,
    pub minimize: Option<S<String>>,
    pub maximize: Option<S<String>>,
    pub solve: Option<S<String>>,
    pub first: Option<S<String>>,
    pub over: Option<S<String>>,
    pub unit: Option<S<String>>,
    pub digits: Option<S<u8>>,
    pub tex: Option<S<String>>,
    pub note: Option<S<String>>,
}

/// One act (or part) of a lab.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAct {
    pub id: S<String>,
    pub title: S<String>,
    pub duration: Option<S<String>>,
    pub story: Option<S<String>>,
    pub stakeholder: Option<RawStakeholder>,
    pub stakeholders: Option<S<Vec<RawStakeholder>>>,
    pub prediction: Option<RawQuestion>,
    pub simulator: Option<RawSimulator>,
    pub reveal: Option<S<String>>,
    pub reflection: Option<RawQuestion>,
    pub mathpeek: Option<RawMathPeek>,
    #[serde(default)]
    pub tasks: Vec<RawTask>,
}

/// A "find the X" task: the student types a number, labgen knows the answer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTask {
    pub id: S<String>,
    pub prompt: S<String>,
    pub answer: S<String>,
    pub at: Option<S<String>>,
    pub unit: Option<S<String>>,
    pub digits: Option<S<u8>>,
    pub tolerance: Option<S<Scalar>>,
    pub explain: Option<S<String>>,
}

/// A message from a character in the story.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStakeholder {
    pub track: Option<S<String>>,
    pub from: S<String>,
    pub message: S<String>,
}

/// A multiple-choice question: a prediction lock or a reflection.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawQuestion {
    pub prompt: S<String>,
    pub options: S<Vec<RawChoice>>,
    pub correct: Option<S<String>>,
    pub answer: Option<RawAnswer>,
}

/// Binds a question to the model: the correct option is the one whose
/// `value` is closest to `value` at scenario `at`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAnswer {
    pub value: S<String>,
    pub at: S<String>,
}

/// One answer of a question, with the feedback shown when it is chosen.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawChoice {
    pub key: S<String>,
    pub text: S<String>,
    pub feedback: S<String>,
    pub value: Option<S<String>>,
}

/// The simulator of an act: which controls it shows and its instruments.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSimulator {
    pub intro: Option<S<String>>,
    #[serde(default)]
    pub controls: Vec<S<String>>,
    #[serde(default)]
    pub instruments: Vec<RawInstrument>,
}

/// One instrument, written as a one-key mapping naming its kind.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum RawInstrument {
    Metric(RawMetric),
    Status(RawStatus),
    Plot(Box<RawPlot>),
    Banner(RawBanner),
    Badges(S<Vec<RawBadge>>),
}

/// One constraint pill of a `badges` row.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBadge {
    pub label: S<String>,
    pub ok: S<String>,
    pub good: Option<S<String>>,
    pub bad: Option<S<String>>,
}

/// A metric card showing one model value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMetric {
    pub value: S<String>,
    pub label: Option<S<String>>,
    pub note: Option<S<String>>,
}

/// A status card: the first level whose condition holds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStatus {
    pub id: Option<S<String>>,
    pub label: S<String>,
    pub value: Option<S<String>>,
    pub levels: S<Vec<RawLevel>>,
}

/// One level of a status card.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLevel {
    pub when: Option<S<String>>,
    pub label: S<String>,
    pub tone: S<String>,
    pub note: Option<S<String>>,
}

/// A plot of model values.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPlot {
    pub kind: S<String>,
    pub title: S<String>,
    pub unit: Option<S<String>>,
    pub axis: Option<S<String>>,
    pub digits: Option<S<u8>>,
    pub series: Option<S<Vec<RawSeries>>>,
    // Curves and saturation plots.
    pub over: Option<S<String>>,
    pub per: Option<S<String>>,
    pub samples: Option<S<u16>>,
    pub x: Option<S<RawAxis>>,
    pub y: Option<S<RawAxis>>,
    pub markers: Option<S<Vec<RawMarker>>>,
    pub guides: Option<S<Vec<RawGuide>>>,
    // Gauges.
    pub value: Option<S<String>>,
    pub min: Option<S<Scalar>>,
    pub max: Option<S<Scalar>>,
    pub bands: Option<S<Vec<RawBand>>>,
    // Radars.
    pub axes: Option<S<Vec<S<String>>>>,
    pub scale: Option<S<String>>,
    // Waterfalls.
    pub total: Option<S<RawTotal>>,
    // Sankey diagrams.
    pub nodes: Option<S<Vec<RawNode>>>,
    pub flows: Option<S<Vec<RawFlow>>>,
}

/// One bar or segment of a plot, one line of a curves plot, or one polygon
/// of a radar (`values`, one per axis).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSeries {
    pub value: Option<S<String>>,
    pub values: Option<S<Vec<S<String>>>>,
    pub label: Option<S<String>>,
    pub tone: Option<S<String>>,
    pub dashed: Option<S<bool>>,
}

/// An axis of a curves plot.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAxis {
    pub label: Option<S<String>>,
    pub unit: Option<S<String>>,
    pub digits: Option<S<u8>>,
    pub scale: Option<S<String>>,
}

/// A point on a curve at a model value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMarker {
    pub at: S<String>,
    pub series: Option<S<String>>,
    pub label: S<String>,
    pub kind: Option<S<String>>,
    pub tone: Option<S<String>>,
}

/// A vertical line at a model value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawGuide {
    pub at: S<String>,
    pub label: S<String>,
    pub tone: Option<S<String>>,
}

/// A coloured band of a gauge, up to `to`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBand {
    pub to: S<Scalar>,
    pub tone: S<String>,
}

/// The total bar of a waterfall.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTotal {
    pub label: S<String>,
}

/// A node of a Sankey diagram.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNode {
    pub id: S<String>,
    pub label: S<String>,
    pub column: S<u8>,
    pub tone: Option<S<String>>,
}

/// A flow of a Sankey diagram.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFlow {
    pub from: S<String>,
    pub to: S<String>,
    pub value: S<String>,
    pub tone: Option<S<String>>,
}

/// A banner shown while its condition holds.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBanner {
    pub when: S<String>,
    pub tone: S<String>,
    pub title: S<String>,
    pub text: Option<S<String>>,
}

/// The MathPeek panel: the governing equation and a worked example.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMathPeek {
    pub title: S<String>,
    pub latex: S<String>,
    #[serde(rename = "where")]
    pub where_: Option<S<String>>,
    pub example: Option<S<String>>,
    /// The model and its assumptions: what is idealised, and why.
    pub assumptions: Option<S<String>>,
    #[serde(default)]
    pub worked: Vec<RawWorked>,
}

/// A worked example generated from a formula.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawWorked {
    pub formula: S<String>,
    /// Scenarios to work it at; empty for the simulator's current settings.
    #[serde(default)]
    pub at: Vec<S<String>>,
}
