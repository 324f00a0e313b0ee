//! The lexer: characters to tokens, with units read greedily after numbers.

use super::{ExprError, Literal, Span};
use crate::units::{self, Dim, Unit};

/// What a token is; keywords (`and`, `or`, `not`, `if`) stay identifiers for the parser.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    Lit(Box<Literal>),
    Ident(String),
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    Lt,
    Le,
    Gt,
    Ge,
    EqEq,
    Ne,
    LParen,
    RParen,
    Comma,
    Eof,
}

/// A token and where it is, in chars of the source.
#[derive(Clone, Debug)]
pub(super) struct Token {
    pub(super) tok: Tok,
    pub(super) span: Span,
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Length of a known unit atom at `chars[i]` under the expression rule, or 0.
fn known_atom_at(chars: &[char], i: usize) -> usize {
    let len = units::atom_len(chars, i);
    if len == 0 {
        return 0;
    }
    let word: String = chars.get(i..i + len).unwrap_or(&[]).iter().collect();
    let letters = !matches!(word.as_str(), "$" | "%");
    let next = chars.get(i + len).copied();
    // `GB2` or `batch_size` continue as identifiers, and `min(` is a call: neither is a unit.
    if letters && next.is_some_and(|c| is_ident_char(c) || c == '(') {
        return 0;
    }
    if units::is_unit_atom(&word) {
        len
    } else {
        0
    }
}

/// Extends a unit over `/unit`, `*unit`, `·unit` (no spaces) for as long as known atoms follow.
fn scan_unit_tail(chars: &[char], mut pos: usize, atoms: &mut Vec<(usize, usize)>) -> usize {
    while matches!(chars.get(pos), Some('/') | Some('*') | Some('·')) {
        let len = known_atom_at(chars, pos + 1);
        if len == 0 {
            break;
        }
        atoms.push((pos + 1, len));
        pos += 1 + len;
        pos += units::exponent_len(chars, pos);
    }
    pos
}

/// Builds the literal for a number at `start..num_end` and any unit after it.
fn lex_literal(
    chars: &[char],
    start: usize,
    text: String,
    num_start: usize,
    num_end: usize,
    dollar: bool,
) -> Result<(Literal, usize), ExprError> {
    let number = units::number_value(&text, num_start).map_err(ExprError::from_unit)?;
    let mut atoms: Vec<(usize, usize)> = Vec::new();
    let (unit, end) = if dollar {
        let dollars = Unit {
            symbol: "$".to_string(),
            factor: 1.0,
            dim: Dim::CURRENCY,
        };
        let end = scan_unit_tail(chars, num_end, &mut atoms);
        let tail = chars.get(num_end..end).unwrap_or(&[]);
        let unit =
            units::parse_unit_chars(tail, num_end, Some(dollars)).map_err(ExprError::from_unit)?;
        (Some(unit), end)
    } else {
        let unit_start = if chars.get(num_end) == Some(&' ') {
            num_end + 1
        } else {
            num_end
        };
        let len = known_atom_at(chars, unit_start);
        if len == 0 {
            (None, num_end)
        } else {
            atoms.push((unit_start, len));
            let mut end = unit_start + len;
            end += units::exponent_len(chars, end);
            let end = scan_unit_tail(chars, end, &mut atoms);
            let text = chars.get(unit_start..end).unwrap_or(&[]);
            let unit =
                units::parse_unit_chars(text, unit_start, None).map_err(ExprError::from_unit)?;
            (Some(unit), end)
        }
    };
    let factor = unit.as_ref().map_or(1.0, |u| u.factor);
    let value = number * factor;
    if !value.is_finite() {
        return Err(
            ExprError::new(Span::new(start, end), "quantity is too large")
                .hint("values must be below about 1.8e308 in base units (s, B, m, kg, $, FLOP)"),
        );
    }
    let unit_atoms = atoms
        .into_iter()
        .map(|(s, l)| {
            let word: String = chars.get(s..s + l).unwrap_or(&[]).iter().collect();
            (word, Span::new(s, s + l))
        })
        .collect();
    Ok((
        Literal {
            number,
            value,
            unit,
            dollar,
            text,
            unit_atoms,
        },
        end,
    ))
}

pub(super) fn lex(chars: &[char]) -> Result<Vec<Token>, ExprError> {
    let mut toks = Vec::new();
    let mut i = 0usize;
    while let Some(&c) = chars.get(i) {
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let one = |tok: Tok| (tok, 1usize);
        let next = chars.get(i + 1).copied();
        let (tok, len) = match c {
            '0'..='9' => {
                let Some((text, num_end)) = units::scan_number(chars, i) else {
                    return Err(ExprError::new(Span::new(i, i + 1), "invalid number"));
                };
                if chars.get(num_end) == Some(&'.') {
                    return Err(ExprError::new(
                        Span::new(num_end, num_end + 1),
                        "expected digits after the decimal point",
                    )
                    .hint(format!("write `{text}.0` or `{text}`")));
                }
                let (lit, end) = lex_literal(chars, i, text, i, num_end, false)?;
                (Tok::Lit(Box::new(lit)), end - i)
            }
            '$' => {
                let Some((text, num_end)) = units::scan_number(chars, i + 1) else {
                    return Err(ExprError::new(
                        Span::new(i, i + 1),
                        "`$` must be followed by a number",
                    )
                    .hint("write a price like `$4` or `$0.09/GB`, or `0.09 $/GB`"));
                };
                let (lit, end) = lex_literal(chars, i, text, i + 1, num_end, true)?;
                (Tok::Lit(Box::new(lit)), end - i)
            }
            c if is_ident_start(c) => {
                let len = chars
                    .get(i..)
                    .unwrap_or(&[])
                    .iter()
                    .take_while(|c| is_ident_char(**c))
                    .count();
                let word: String = chars.get(i..i + len).unwrap_or(&[]).iter().collect();
                (Tok::Ident(word), len)
            }
            '+' => one(Tok::Plus),
            '-' => one(Tok::Minus),
            '*' if next == Some('*') => {
                return Err(
                    ExprError::new(Span::new(i, i + 2), "`**` is not an operator")
                        .hint("write powers with `^`, e.g. `x^2`"),
                )
            }
            '*' | '·' => one(Tok::Star),
            '/' => one(Tok::Slash),
            '^' => one(Tok::Caret),
            '(' => one(Tok::LParen),
            ')' => one(Tok::RParen),
            ',' => one(Tok::Comma),
            '<' if next == Some('=') => (Tok::Le, 2),
            '<' => one(Tok::Lt),
            '>' if next == Some('=') => (Tok::Ge, 2),
            '>' => one(Tok::Gt),
            '=' if next == Some('=') => (Tok::EqEq, 2),
            '!' if next == Some('=') => (Tok::Ne, 2),
            '≤' => one(Tok::Le),
            '≥' => one(Tok::Ge),
            '≠' => one(Tok::Ne),
            _ => return Err(bad_char(c, i, next)),
        };
        toks.push(Token {
            tok,
            span: Span::new(i, i + len),
        });
        i += len;
    }
    toks.push(Token {
        tok: Tok::Eof,
        span: Span::new(chars.len(), chars.len()),
    });
    Ok(toks)
}

/// Error for a character that starts no token, with a hint for habits from other languages.
fn bad_char(c: char, i: usize, next: Option<char>) -> ExprError {
    let span = Span::new(i, i + 1);
    let (message, hint) = match c {
        '=' => ("`=` is not an operator".to_string(), "compare with `==`"),
        '!' => ("`!` is not an operator".to_string(), "write `not x`"),
        '&' => (
            format!("`{c}` is not an operator"),
            "combine conditions with `and`",
        ),
        '|' => (
            format!("`{c}` is not an operator"),
            "combine conditions with `or`",
        ),
        '%' => (
            "`%` must follow a number".to_string(),
            "write a percentage like `80%`; there is no modulo operator",
        ),
        '.' if next.is_some_and(|n| n.is_ascii_digit()) => (
            "a number must start with a digit".to_string(),
            "write `0.5` rather than `.5`",
        ),
        _ => (
            format!("unexpected character `{c}`"),
            "expressions use names, numbers with units, `+ - * / ^`, comparisons and functions",
        ),
    };
    ExprError::new(span, message).hint(hint)
}

#[cfg(test)]
mod tests;
