//! The one CSV writer: RFC 4180 records with CRLF line ends, used by the
//! keys' answer tables and by `labgen grade`'s gradebook.
//!
//! Text cells that start like a spreadsheet formula (`=`, `+`, `-`, `@`, a
//! tab or a carriage return) get a leading `'`, so opening a file cannot
//! run one; numbers are written as they are, so `-3.5` stays a number.

use crate::key::AnswerTable;

/// One cell of a record.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Field<'a> {
    /// Text, guarded against formula injection.
    Text(&'a str),
    /// A number labgen wrote, never guarded.
    Number(&'a str),
}

/// Appends one record: fields with commas, quotes, line breaks or edge
/// spaces are quoted, quotes doubled; CRLF line end.
pub fn push_record<'a>(out: &mut String, fields: impl IntoIterator<Item = Field<'a>>) {
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        match f {
            Field::Text(t) if t.starts_with(['=', '+', '-', '@', '\t', '\r']) => {
                push_field(out, &format!("'{t}"));
            }
            Field::Text(t) | Field::Number(t) => push_field(out, t),
        }
    }
    out.push_str("\r\n");
}

/// One field, quoted when it needs to be.
fn push_field(out: &mut String, f: &str) {
    if f.contains([',', '"', '\n', '\r']) || f.starts_with(' ') || f.ends_with(' ') {
        out.push('"');
        out.push_str(&f.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(f);
    }
}

/// An answer table as CSV: the header, then one record per row.
pub fn answer_table(table: &AnswerTable) -> String {
    let mut out = String::new();
    push_record(&mut out, table.header.iter().map(|h| Field::Text(h)));
    for row in &table.rows {
        let cells = row.iter().zip(&table.numeric).map(|(cell, &number)| {
            if number {
                Field::Number(cell)
            } else {
                Field::Text(cell)
            }
        });
        push_record(&mut out, cells);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fields: &[Field]) -> String {
        let mut out = String::new();
        push_record(&mut out, fields.iter().copied());
        out
    }

    #[test]
    fn fields_are_quoted_when_needed() {
        use Field::Text;
        assert_eq!(record(&[Text("SATA SSD")]), "SATA SSD\r\n");
        assert_eq!(
            record(&[Text("HDD (7,200 rpm)")]),
            "\"HDD (7,200 rpm)\"\r\n"
        );
        assert_eq!(record(&[Text("say \"hi\"")]), "\"say \"\"hi\"\"\"\r\n");
        assert_eq!(record(&[Text("a"), Text("b,c")]), "a,\"b,c\"\r\n");
    }

    #[test]
    fn text_cannot_start_a_formula_but_numbers_stay_numbers() {
        use Field::{Number, Text};
        assert_eq!(record(&[Text("=cmd()"), Text("ok")]), "'=cmd(),ok\r\n");
        assert_eq!(record(&[Text("-x"), Number("-3.5")]), "'-x,-3.5\r\n");
    }
}
