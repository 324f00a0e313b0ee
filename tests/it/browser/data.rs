//! The `labgen-data` block a lab page carries (controls, track defaults,
//! and every cell's values per state), read as a plain JSON reader would,
//! and checked against the library's view of the lab.

use labgen::mission::ControlKind;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

use super::model::{Lab, State};

/// The `labgen-data` block of a written page.
#[derive(Debug, serde::Deserialize)]
pub struct PageData {
    pub lab: String,
    pub book_version: String,
    pub controls: BTreeMap<String, DataControl>,
    pub track_defaults: BTreeMap<String, BTreeMap<String, usize>>,
    pub cells: Vec<DataCell>,
    pub fragments: Vec<String>,
}

#[derive(Debug, serde::Deserialize)]
pub struct DataControl {
    pub n: usize,
    pub default: usize,
    pub labels: Vec<String>,
    pub keys: Option<Vec<String>>,
}

#[derive(Debug, serde::Deserialize)]
pub struct DataCell {
    #[serde(default)]
    pub dims: Vec<String>,
    #[serde(default)]
    pub shape: Vec<usize>,
    /// `text`, `number`, `unit`, `tone`, `on`, `html`: an array with one
    /// entry per state, or one scalar for every state.
    #[serde(flatten)]
    pub fields: BTreeMap<String, Value>,
}

impl PageData {
    /// Reads the block out of a written page, as a plain JSON reader would.
    pub fn read(page: &Path) -> PageData {
        let html =
            std::fs::read_to_string(page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
        let open = r#"<script type="application/json" id="labgen-data">"#;
        let start = html
            .find(open)
            .unwrap_or_else(|| panic!("{} has no labgen-data block", page.display()))
            + open.len();
        let end = start
            + html[start..]
                .find("</script>")
                .expect("the data block is closed");
        serde_json::from_str(&html[start..end]).unwrap_or_else(|e| {
            panic!(
                "the labgen-data block of {} does not parse: {e}",
                page.display()
            )
        })
    }

    /// Checks the block describes the lab's controls and tracks as the
    /// library does, so positions mean the same thing on both sides.
    pub fn assert_matches(&self, lab: &Lab) {
        let id = &lab.mission.id;
        assert_eq!(&self.lab, id, "the data block names another lab");
        for (ci, c) in lab.mission.controls.iter().enumerate() {
            let d = self
                .controls
                .get(&c.id)
                .unwrap_or_else(|| panic!("{id}: the data block lacks control `{}`", c.id));
            let labels: Vec<&str> = c.positions.iter().map(|p| p.label.as_str()).collect();
            assert_eq!(d.n, labels.len(), "{id}: positions of control `{}`", c.id);
            assert_eq!(d.labels, labels, "{id}: labels of control `{}`", c.id);
            assert_eq!(
                d.default, lab.defaults[0][ci],
                "{id}: default of `{}` on the first track",
                c.id
            );
            if c.kind == ControlKind::Select {
                let keys: Vec<&str> = c.positions.iter().map(|p| p.key.as_str()).collect();
                assert_eq!(
                    d.keys
                        .as_deref()
                        .map(|k| k.iter().map(String::as_str).collect::<Vec<_>>()),
                    Some(keys),
                    "{id}: keys of `{}`",
                    c.id
                );
            }
        }
        if lab.mission.has_track_selector {
            let t = &self.controls["track"];
            let keys: Vec<&str> = lab.mission.tracks.iter().map(|t| t.id.as_str()).collect();
            assert_eq!(
                t.keys
                    .as_deref()
                    .map(|k| k.iter().map(String::as_str).collect::<Vec<_>>()),
                Some(keys),
                "{id}: track keys"
            );
            for (ti, track) in lab.mission.tracks.iter().enumerate() {
                for (c, p) in self.track_defaults.get(&track.id).into_iter().flatten() {
                    assert_eq!(
                        *p,
                        lab.defaults[ti][lab.control_index(c)],
                        "{id}: default of `{c}` on track `{}`",
                        track.id
                    );
                }
            }
        }
    }

    /// Index of `state` in a cell's arrays (row-major, last dim fastest).
    pub fn state_index(&self, lab: &Lab, cell: &DataCell, state: &State) -> Result<usize, String> {
        if cell.dims.len() != cell.shape.len() {
            return Err(format!(
                "dims {:?} and shape {:?} differ in length",
                cell.dims, cell.shape
            ));
        }
        let mut i = 0;
        for (d, &n) in cell.dims.iter().zip(&cell.shape) {
            let p = if d == "track" {
                state.track
            } else {
                let c = lab
                    .mission
                    .controls
                    .iter()
                    .position(|c| c.id == *d)
                    .ok_or_else(|| format!("unknown dim `{d}`"))?;
                state.positions[c]
            };
            if p >= n {
                return Err(format!(
                    "dim `{d}` has shape {n} but the state is at position {p}"
                ));
            }
            i = i * n + p;
        }
        Ok(i)
    }
}

/// A field of a cell at state index `i`.
pub fn field_at(v: &Value, i: usize) -> Option<&Value> {
    match v {
        Value::Array(a) => a.get(i),
        other => Some(other),
    }
}
