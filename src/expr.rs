//! Formula expressions: parsing, dimension checking, compilation and LaTeX rendering.
//!
//! Lab plans write physics as expressions over named quantities, e.g.
//! `batch * image_bytes / 150 MB/s` or `if(t > 6 h, $4/h * t, 0 $)`. The life of a formula is:
//!
//! 1. [`parse`] turns the text into an [`Expr`] (spans are char offsets into the source, so labgen
//!    can point at a YAML line and column);
//! 2. [`Expr::check`] infers its [`Dim`] and rejects `1 ms + 1 MB` at load time with a message
//!    naming both sides;
//! 3. [`Expr::compile`] lowers it to a flat stack program ([`Compiled`]) that evaluates on a
//!    slice of base-unit values with no string lookups, because builds evaluate every formula
//!    for every combination of controls;
//! 4. [`Expr::to_latex`] and [`Expr::to_latex_with_values`] render it for the book.
//!
//! # Grammar
//!
//! Precedence from loosest to tightest: `or`; `and`; `not`; comparisons (`<`, `<=`, `>`, `>=`,
//! `==`, `!=`, which do not chain); `+ -`; `* /`; unary `-`; `^` (right-associative and tighter
//! than unary minus, so `-2^2` is -4); then literals, names, calls and parentheses. Names are
//! `[A-Za-z_][A-Za-z0-9_]*`; `and`, `or`, `not` and `if` are keywords. Booleans are 1 and 0.
//!
//! # Units after numbers
//!
//! A number may carry a unit, making a quantity literal (`12.5 GB/s`, `80%`, `$0.09/GB`). The
//! rule is *greedy on known unit atoms*:
//!
//! - After a number, skip at most one space. If what follows is a known unit atom (`GB`, `s`,
//!   `%`, `$`, `µs`, a count noun such as `image`, …), it starts the unit. A word is only an
//!   atom if the whole identifier is one (`GB2` and `batch_size` are names) and it is not
//!   directly followed by `(` (so `2 min(a, b)` is a number followed by a call, an error).
//! - The atom may carry an integer exponent (`m^2`, `s^-1`, `m²`).
//! - Then, repeatedly: a `/`, `*` or `·` *with no space before it* extends the unit if the text
//!   right after it is again a known atom. Otherwise the unit ends before the operator.
//! - `$` followed by a number is a dollar amount, extended the same way: `$0.09/GB` is a price
//!   per gigabyte, `$4 * n` is four dollars times `n`.
//!
//! So `batch_bytes / 12.5 GB/s` divides by a rate; `2 h * workers` is two hours times the name
//! `workers` (the space ends the unit); `4 GB/link` is 4 GB divided by the name `link` because
//! `link` is not a unit; and `2 workers` is just 2, because count nouns are dimensionless units.
//! To keep count nouns from silently shadowing names, [`Expr::check`] rejects a literal whose
//! unit uses an atom that is also a name in scope (`4 GB/workers` when `workers` is a control).
//! A word after a number that is not a unit is a syntax error that suggests inserting `*`.
//!
//! # Limits
//!
//! Parsing stops with an error beyond 32 levels of nesting (parentheses, calls, prefix
//! operators) or a tree height of 128 (e.g. a sum of more than 128 terms). Real formulas stay
//! far below; the limits bound the recursion of checking and rendering so that no input can
//! overflow the stack, even in unoptimised builds.

use std::fmt;

use crate::units::{self, Dim, Unit, UnitError};

/// Deepest nesting of parentheses, unary operators and calls the parser follows. Real formulas
/// stay far below; the limit keeps hostile input from overflowing the stack.
const MAX_NESTING: usize = 32;

/// Largest expression tree height accepted, so that checking, compiling and rendering (which
/// recurse) are bounded too, even for long `a + b + c + …` chains.
const MAX_DEPTH: u32 = 128;

/// Names of all functions, in the order they are suggested.
const FUNC_NAMES: [&str; 15] = [
    "min",
    "max",
    "clamp",
    "abs",
    "sqrt",
    "exp",
    "ln",
    "log10",
    "log2",
    "floor",
    "ceil",
    "round",
    "if",
    "normal_cdf",
    "kolmogorov",
];

/// A range of chars (not bytes) in the expression source, `start..end`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct Span {
    /// First char of the range.
    pub start: usize,
    /// One past the last char of the range.
    pub end: usize,
}

impl Span {
    fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A located problem with an expression.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ExprError {
    /// Where the problem is, in chars of the expression source.
    pub span: Span,
    /// What is wrong, naming the quantities involved.
    pub message: String,
    /// How to fix it, if there is a likely fix.
    pub hint: Option<String>,
}

impl ExprError {
    fn new(span: Span, message: impl Into<String>) -> ExprError {
        ExprError {
            span,
            message: message.into(),
            hint: None,
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> ExprError {
        self.hint = Some(hint.into());
        self
    }

    fn from_unit(err: UnitError) -> ExprError {
        ExprError {
            span: Span::new(err.offset, err.offset + err.len),
            message: err.message,
            hint: err.hint,
        }
    }
}

impl fmt::Display for ExprError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.hint {
            Some(hint) => write!(f, "{} ({hint})", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for ExprError {}

/// A number in the source, with its unit if it has one.
#[derive(Clone, Debug, PartialEq)]
pub struct Literal {
    /// The number as written (before unit conversion).
    pub number: f64,
    /// The value in base units (`number × unit.factor`).
    pub value: f64,
    /// The unit, if one followed the number.
    pub unit: Option<Unit>,
    /// True when written with a leading dollar sign (`$0.09/GB`), so it renders the same way.
    pub dollar: bool,
    /// The number's source text (`2.5E9`), kept for faithful rendering.
    pub text: String,
    /// Each unit atom as written and where, so [`Expr::check`] can spot atoms that shadow names.
    pub unit_atoms: Vec<(String, Span)>,
}

impl Literal {
    /// Dimension of the literal (dimensionless without a unit).
    pub fn dim(&self) -> Dim {
        self.unit.as_ref().map_or(Dim::DIMENSIONLESS, |u| u.dim)
    }
}

/// Prefix operators.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum UnaryOp {
    /// Arithmetic negation, `-x`.
    Neg,
    /// Logical negation, `not x`.
    Not,
}

/// Infix operators.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `^`
    Pow,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `and`
    And,
    /// `or`
    Or,
}

impl BinOp {
    /// The operator as written in source.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Pow => "^",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::And => "and",
            BinOp::Or => "or",
        }
    }

    fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne
        )
    }

    fn prec(self) -> u8 {
        match self {
            BinOp::Or => PREC_OR,
            BinOp::And => PREC_AND,
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne => PREC_CMP,
            BinOp::Add | BinOp::Sub => PREC_ADD,
            BinOp::Mul | BinOp::Div => PREC_MUL,
            BinOp::Pow => PREC_POW,
        }
    }
}

const PREC_OR: u8 = 1;
const PREC_AND: u8 = 2;
const PREC_NOT: u8 = 3;
const PREC_CMP: u8 = 4;
const PREC_ADD: u8 = 5;
const PREC_MUL: u8 = 6;
const PREC_NEG: u8 = 7;
const PREC_POW: u8 = 8;
const PREC_ATOM: u8 = 9;

/// Built-in functions.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Func {
    /// `min(a, b, …)`: smallest argument; all arguments share a dimension.
    Min,
    /// `max(a, b, …)`: largest argument; all arguments share a dimension.
    Max,
    /// `clamp(x, lo, hi)`: `x` limited to `[lo, hi]` (`hi` wins if `lo > hi`).
    Clamp,
    /// `abs(x)`.
    Abs,
    /// `sqrt(x)`: halves the dimension's exponents, which must be even.
    Sqrt,
    /// `exp(x)`, dimensionless.
    Exp,
    /// Natural logarithm, dimensionless.
    Ln,
    /// Base-10 logarithm, dimensionless.
    Log10,
    /// Base-2 logarithm, dimensionless.
    Log2,
    /// Round down, dimensionless.
    Floor,
    /// Round up, dimensionless.
    Ceil,
    /// Round half away from zero, dimensionless.
    Round,
    /// `if(cond, a, b)`: `a` when `cond` is non-zero, else `b`.
    If,
    /// The standard normal cumulative distribution function, dimensionless.
    NormalCdf,
    /// The survival function of the Kolmogorov distribution, dimensionless:
    /// the asymptotic p-value of a K-S statistic scaled by `sqrt(n)`.
    Kolmogorov,
}

impl Func {
    /// The function's name in source.
    pub fn name(self) -> &'static str {
        match self {
            Func::Min => "min",
            Func::Max => "max",
            Func::Clamp => "clamp",
            Func::Abs => "abs",
            Func::Sqrt => "sqrt",
            Func::Exp => "exp",
            Func::Ln => "ln",
            Func::Log10 => "log10",
            Func::Log2 => "log2",
            Func::Floor => "floor",
            Func::Ceil => "ceil",
            Func::Round => "round",
            Func::If => "if",
            Func::NormalCdf => "normal_cdf",
            Func::Kolmogorov => "kolmogorov",
        }
    }

    /// Looks a function up by name.
    pub fn from_name(name: &str) -> Option<Func> {
        Some(match name {
            "min" => Func::Min,
            "max" => Func::Max,
            "clamp" => Func::Clamp,
            "abs" => Func::Abs,
            "sqrt" => Func::Sqrt,
            "exp" => Func::Exp,
            "ln" => Func::Ln,
            "log10" => Func::Log10,
            "log2" => Func::Log2,
            "floor" => Func::Floor,
            "ceil" => Func::Ceil,
            "round" => Func::Round,
            "if" => Func::If,
            "normal_cdf" => Func::NormalCdf,
            "kolmogorov" => Func::Kolmogorov,
            _ => return None,
        })
    }

    /// The call shape shown in arity errors.
    fn signature(self) -> &'static str {
        match self {
            Func::Min => "min(a, b, …)",
            Func::Max => "max(a, b, …)",
            Func::Clamp => "clamp(x, lo, hi)",
            Func::If => "if(cond, a, b)",
            Func::Abs => "abs(x)",
            Func::Sqrt => "sqrt(x)",
            Func::Exp => "exp(x)",
            Func::Ln => "ln(x)",
            Func::Log10 => "log10(x)",
            Func::Log2 => "log2(x)",
            Func::Floor => "floor(x)",
            Func::Ceil => "ceil(x)",
            Func::Round => "round(x)",
            Func::NormalCdf => "normal_cdf(z)",
            Func::Kolmogorov => "kolmogorov(lambda)",
        }
    }

    /// Checks the argument count; on failure, an error naming the expected arity.
    fn arity_error(self, got: usize, span: Span) -> Option<ExprError> {
        let plural = |n: usize| if n == 1 { "argument" } else { "arguments" };
        let message = match self {
            Func::Min | Func::Max => {
                (got == 0).then(|| format!("`{}` takes at least 1 argument, got 0", self.name()))
            }
            _ => {
                let want = if matches!(self, Func::Clamp | Func::If) {
                    3
                } else {
                    1
                };
                (got != want)
                    .then(|| format!("`{}` takes {want} {}, got {got}", self.name(), plural(want)))
            }
        }?;
        Some(ExprError::new(span, message).hint(format!("call it as `{}`", self.signature())))
    }
}

/// The shape of an expression node.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A number, possibly with a unit.
    Literal(Box<Literal>),
    /// A reference to a named quantity (control, constant or other formula).
    Name(String),
    /// A prefix operator applied to an operand.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// Its operand.
        operand: Box<Expr>,
    },
    /// An infix operator.
    Binary {
        /// The operator.
        op: BinOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// A call of a built-in function.
    Call {
        /// Which function.
        func: Func,
        /// Its arguments, already checked for arity.
        args: Vec<Expr>,
    },
}

/// A parsed expression node with its source span.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What the node is.
    pub kind: ExprKind,
    /// Where it is in the source; for operators this covers both operands (and any
    /// parentheses around them).
    pub span: Span,
    /// Height of the tree below this node, bounded by `MAX_DEPTH` so recursion is safe.
    depth: u32,
}

// ---------------------------------------------------------------------------------------------
// Lexer
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq)]
enum Tok {
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

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    span: Span,
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

fn lex(chars: &[char]) -> Result<Vec<Token>, ExprError> {
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

/// Error for a keyword used where a value is expected.
#[cold]
#[inline(never)]
fn keyword_misplaced(word: &str, span: Span) -> ExprError {
    match word {
        "not" => ExprError::new(span, "`not` cannot appear here")
            .hint("wrap it in parentheses, e.g. `2 * (not x)`"),
        "if" => ExprError::new(span, "`if` is a function").hint("write `if(cond, a, b)`"),
        _ => ExprError::new(span, format!("expected a value before `{word}`")).hint(format!(
            "`{word}` joins two conditions, e.g. `a > 1 {word} b > 2`"
        )),
    }
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

// ---------------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------------

/// Parses an expression. Errors carry the char span of the offending text and, where a likely
/// fix exists, a hint ("insert `*` to multiply", "did you mean `max`?").
pub fn parse(src: &str) -> Result<Expr, ExprError> {
    let chars: Vec<char> = src.chars().collect();
    let toks = lex(&chars)?;
    let mut p = Parser {
        chars: &chars,
        toks,
        pos: 0,
        nesting: 0,
    };
    if p.peek() == &Tok::Eof {
        return Err(
            ExprError::new(Span::new(0, chars.len()), "empty expression")
                .hint("write a formula, e.g. `size / bandwidth`"),
        );
    }
    let expr = p.parse_expr(PREC_OR)?;
    if p.peek() != &Tok::Eof {
        return Err(p.unexpected(Context::End));
    }
    Ok(expr)
}

/// What the parser expected when it met an unexpected token, to tailor the message.
#[derive(Clone, Copy, PartialEq)]
enum Context {
    End,
    CloseParen(Span),
    CallArgs(Span),
}

struct Parser<'a> {
    chars: &'a [char],
    toks: Vec<Token>,
    pos: usize,
    nesting: usize,
}

impl Parser<'_> {
    fn token(&self, i: usize) -> Option<&Token> {
        self.toks.get(i).or_else(|| self.toks.last())
    }

    fn peek(&self) -> &Tok {
        self.token(self.pos).map_or(&Tok::Eof, |t| &t.tok)
    }

    fn peek_span(&self) -> Span {
        self.token(self.pos).map_or(Span::default(), |t| t.span)
    }

    /// End of the most recently consumed token.
    fn prev_end(&self) -> usize {
        match self.pos.checked_sub(1) {
            Some(i) => self.token(i).map_or(0, |t| t.span.end),
            None => 0,
        }
    }

    fn bump(&mut self) -> Span {
        let span = self.peek_span();
        if self.pos < self.toks.len() {
            self.pos += 1;
        }
        span
    }

    fn peek_keyword(&self, kw: &str) -> bool {
        matches!(self.peek(), Tok::Ident(w) if w == kw)
    }

    fn text(&self, span: Span) -> String {
        self.chars
            .get(span.start..span.end)
            .unwrap_or(&[])
            .iter()
            .collect()
    }

    fn enter(&mut self) -> Result<(), ExprError> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(
                ExprError::new(self.peek_span(), "expression is nested too deeply")
                    .hint("split it into several named formulas"),
            );
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.nesting = self.nesting.saturating_sub(1);
    }

    /// Builds a node, enforcing the tree-height limit.
    fn node(&self, kind: ExprKind, span: Span) -> Result<Expr, ExprError> {
        let depth = match &kind {
            ExprKind::Literal(_) | ExprKind::Name(_) => 0,
            ExprKind::Unary { operand, .. } => operand.depth + 1,
            ExprKind::Binary { lhs, rhs, .. } => lhs.depth.max(rhs.depth) + 1,
            ExprKind::Call { args, .. } => args.iter().map(|a| a.depth).max().unwrap_or(0) + 1,
        };
        if depth > MAX_DEPTH {
            return Err(ExprError::new(span, "expression is nested too deeply")
                .hint("split it into several named formulas"));
        }
        Ok(Expr { kind, span, depth })
    }

    fn binary(&self, op: BinOp, lhs: Expr, rhs: Expr, start: usize) -> Result<Expr, ExprError> {
        let span = Span::new(start, self.prev_end());
        self.node(
            ExprKind::Binary {
                op,
                lhs: Box::new(lhs),
                rhs: Box::new(rhs),
            },
            span,
        )
    }

    /// The infix operator at the current token, if any (`^` is handled by `parse_power`).
    fn binary_op(&self) -> Option<BinOp> {
        Some(match self.peek() {
            Tok::Ident(w) if w == "or" => BinOp::Or,
            Tok::Ident(w) if w == "and" => BinOp::And,
            Tok::Lt => BinOp::Lt,
            Tok::Le => BinOp::Le,
            Tok::Gt => BinOp::Gt,
            Tok::Ge => BinOp::Ge,
            Tok::EqEq => BinOp::Eq,
            Tok::Ne => BinOp::Ne,
            Tok::Plus => BinOp::Add,
            Tok::Minus => BinOp::Sub,
            Tok::Star => BinOp::Mul,
            Tok::Slash => BinOp::Div,
            _ => return None,
        })
    }

    /// Precedence climbing over the infix levels (`or` up to `* /`), with `not` as a prefix
    /// between `and` and the comparisons. One function for all levels keeps the recursion per
    /// parenthesis shallow, which matters for the nesting limit in debug builds.
    fn parse_expr(&mut self, min_prec: u8) -> Result<Expr, ExprError> {
        let start = self.peek_span().start;
        let mut lhs = if min_prec <= PREC_NOT && self.peek_keyword("not") {
            self.bump();
            self.enter()?;
            let operand = self.parse_expr(PREC_NOT)?;
            self.leave();
            let span = Span::new(start, self.prev_end());
            self.node(
                ExprKind::Unary {
                    op: UnaryOp::Not,
                    operand: Box::new(operand),
                },
                span,
            )?
        } else {
            self.parse_unary()?
        };
        while let Some(op) = self.binary_op() {
            let prec = op.prec();
            if prec < min_prec {
                break;
            }
            self.bump();
            if op.is_comparison() {
                let rhs = self.parse_expr(PREC_ADD)?;
                if self.binary_op().is_some_and(BinOp::is_comparison) {
                    return Err(
                        ExprError::new(self.peek_span(), "comparisons cannot be chained")
                            .hint("combine them with `and`, e.g. `a < b and b < c`"),
                    );
                }
                lhs = self.binary(op, lhs, rhs, start)?;
            } else {
                let rhs = self.parse_expr(prec + 1)?;
                lhs = self.binary(op, lhs, rhs, start)?;
            }
        }
        Ok(lhs)
    }

    fn parse_unary(&mut self) -> Result<Expr, ExprError> {
        match self.peek() {
            Tok::Minus => {
                let start = self.bump().start;
                self.enter()?;
                let operand = self.parse_unary()?;
                self.leave();
                let span = Span::new(start, self.prev_end());
                self.node(
                    ExprKind::Unary {
                        op: UnaryOp::Neg,
                        operand: Box::new(operand),
                    },
                    span,
                )
            }
            Tok::Plus => {
                // A leading `+` changes nothing; accept it rather than surprise authors.
                self.bump();
                self.enter()?;
                let operand = self.parse_unary()?;
                self.leave();
                Ok(operand)
            }
            _ => self.parse_power(),
        }
    }

    fn parse_power(&mut self) -> Result<Expr, ExprError> {
        let start = self.peek_span().start;
        let base = self.parse_primary()?;
        if self.peek() != &Tok::Caret {
            return Ok(base);
        }
        self.bump();
        // The exponent is a unary expression, so `2^-1` works and `a^b^c` is `a^(b^c)`.
        self.enter()?;
        let exponent = self.parse_unary()?;
        self.leave();
        self.binary(BinOp::Pow, base, exponent, start)
    }

    fn parse_primary(&mut self) -> Result<Expr, ExprError> {
        // Error messages are built in separate functions: in unoptimised builds every temporary
        // of a function gets its own stack slot, and this function recurses once per `(`.
        let span = self.peek_span();
        match self.peek() {
            Tok::Lit(_) | Tok::Ident(_) => {}
            Tok::LParen => return self.parse_paren(),
            _ => return Err(self.missing_value(span)),
        }
        self.parse_leaf(span)
    }

    /// A parenthesised expression.
    fn parse_paren(&mut self) -> Result<Expr, ExprError> {
        let open = self.bump();
        if self.peek() == &Tok::RParen {
            return Err(self.empty_parens(open));
        }
        self.enter()?;
        let inner = self.parse_expr(PREC_OR)?;
        self.leave();
        if self.peek() != &Tok::RParen {
            return Err(self.unexpected(Context::CloseParen(open)));
        }
        self.bump();
        Ok(inner)
    }

    /// A literal, a name or a call.
    #[inline(never)]
    fn parse_leaf(&mut self, span: Span) -> Result<Expr, ExprError> {
        let tok = self.toks.get(self.pos).map(|t| t.tok.clone());
        self.bump();
        match tok {
            Some(Tok::Lit(lit)) => self.node(ExprKind::Literal(lit), span),
            Some(Tok::Ident(word)) => {
                if self.peek() == &Tok::LParen {
                    self.parse_call(&word, span)
                } else if matches!(word.as_str(), "and" | "or" | "not" | "if") {
                    Err(keyword_misplaced(&word, span))
                } else {
                    self.node(ExprKind::Name(word), span)
                }
            }
            _ => Err(self.missing_value(span)),
        }
    }

    #[cold]
    #[inline(never)]
    fn empty_parens(&self, open: Span) -> ExprError {
        ExprError::new(open.to(self.peek_span()), "empty parentheses")
            .hint("put an expression inside, e.g. `(a + b)`")
    }

    /// Error for a token that cannot start a value (or the end of input).
    #[cold]
    #[inline(never)]
    fn missing_value(&self, span: Span) -> ExprError {
        if self.peek() == &Tok::Eof {
            let err = ExprError::new(span, "expression ends too early");
            return match self.pos.checked_sub(1).and_then(|i| self.token(i)) {
                Some(prev) => {
                    let t = self.text(prev.span);
                    err.hint(format!("complete the expression after `{t}`"))
                }
                None => err,
            };
        }
        let t = self.text(span);
        ExprError::new(span, format!("expected a value, found `{t}`"))
            .hint("a value is a number, a name, a call or a parenthesised expression")
    }

    fn parse_call(&mut self, name: &str, name_span: Span) -> Result<Expr, ExprError> {
        let Some(func) = Func::from_name(name) else {
            let err = ExprError::new(name_span, format!("unknown function `{name}`"));
            let found = units::closest(name, FUNC_NAMES);
            let hint = if found.is_empty() {
                format!("available functions: {}", FUNC_NAMES.join(", "))
            } else {
                let quoted: Vec<String> = found.iter().map(|f| format!("`{f}`")).collect();
                format!("did you mean {}?", quoted.join(" or "))
            };
            return Err(err.hint(hint));
        };
        let open = self.bump();
        let mut args = Vec::new();
        self.enter()?;
        if self.peek() == &Tok::RParen {
            self.bump();
        } else {
            loop {
                args.push(self.parse_expr(PREC_OR)?);
                match self.peek() {
                    Tok::Comma => {
                        self.bump();
                    }
                    Tok::RParen => {
                        self.bump();
                        break;
                    }
                    _ => return Err(self.unexpected(Context::CallArgs(open))),
                }
            }
        }
        self.leave();
        let span = name_span.to(Span::new(name_span.start, self.prev_end()));
        if let Some(err) = func.arity_error(args.len(), span) {
            return Err(err);
        }
        self.node(ExprKind::Call { func, args }, span)
    }

    /// Explains an unexpected token, recognising two values side by side (`2 workerz`), which
    /// almost always means a missing `*` or a misspelt unit.
    fn unexpected(&self, ctx: Context) -> ExprError {
        let span = self.peek_span();
        let tok = self.peek();
        let prev = self.pos.checked_sub(1).and_then(|i| self.token(i));
        let prev_ends_value =
            prev.is_some_and(|p| matches!(p.tok, Tok::Lit(_) | Tok::Ident(_) | Tok::RParen));
        let starts_value = matches!(tok, Tok::Lit(_) | Tok::Ident(_) | Tok::LParen);
        if let (Some(prev), true, true) = (prev, prev_ends_value, starts_value) {
            let a = self.text(prev.span);
            let b = self.text(span);
            let err = ExprError::new(
                span,
                format!("expected an operator between `{a}` and `{b}`"),
            );
            // A misspelt unit right after a number (`3 GBs`) deserves a did-you-mean, unless
            // the word is a real unit that was refused for being a call (`2 min(a, b)`).
            let is_call = self
                .token(self.pos + 1)
                .is_some_and(|t| t.tok == Tok::LParen);
            if let (Tok::Lit(_), Tok::Ident(word), false) = (&prev.tok, tok, is_call) {
                if let Some(suggestion) = units::suggest_unit(word) {
                    return ExprError::new(span, format!("unknown unit `{word}`"))
                        .hint(format!("{suggestion} (to multiply, write `{a} * {b}`)"));
                }
            }
            return err.hint(format!("insert `*` to multiply: `{a} * {b}`"));
        }
        let t = if tok == &Tok::Eof {
            "the end".to_string()
        } else {
            format!("`{}`", self.text(span))
        };
        match ctx {
            Context::End if tok == &Tok::RParen => {
                ExprError::new(span, "unmatched `)`").hint("remove it or add a matching `(`")
            }
            Context::End if tok == &Tok::Comma => ExprError::new(span, "unexpected `,`").hint(
                "commas only separate function arguments; write numbers without thousands \
                 separators (`1000`, not `1,000`)",
            ),
            Context::End => ExprError::new(span, format!("unexpected {t}")),
            Context::CloseParen(open) if tok == &Tok::Eof => {
                ExprError::new(open, "unclosed `(`").hint("add a matching `)`")
            }
            Context::CloseParen(_) => {
                ExprError::new(span, format!("expected `)` or an operator, found {t}"))
            }
            Context::CallArgs(open) if tok == &Tok::Eof => {
                ExprError::new(open, "unclosed `(` of a function call").hint("add a matching `)`")
            }
            Context::CallArgs(_) => ExprError::new(
                span,
                format!("expected `,` or `)` in the argument list, found {t}"),
            ),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Dimension checking
// ---------------------------------------------------------------------------------------------

/// "time (s)", "data rate (B·s⁻¹)", "dimensionless", or just the formula when unnamed.
fn dim_phrase(d: Dim) -> String {
    let name = d.describe();
    let formula = d.formula();
    if d.is_dimensionless() || name == formula {
        name
    } else {
        format!("{name} ({formula})")
    }
}

/// The source form of `e` in backticks, shortened if long.
fn quote(e: &Expr) -> String {
    let s = e.to_string();
    if s.chars().count() <= 40 {
        format!("`{s}`")
    } else {
        let head: String = s.chars().take(37).collect();
        format!("`{head}…`")
    }
}

fn operand_phrase(e: &Expr, d: Dim) -> String {
    format!("{} is {}", quote(e), dim_phrase(d))
}

/// Evaluates a subexpression made only of plain numbers (`2`, `-0.5`, `1/2`), used to accept
/// constant exponents on dimensioned bases.
fn const_number(e: &Expr) -> Option<f64> {
    match &e.kind {
        ExprKind::Literal(l) if l.unit.is_none() => Some(l.number),
        ExprKind::Unary {
            op: UnaryOp::Neg,
            operand,
        } => const_number(operand).map(|v| -v),
        ExprKind::Binary { op, lhs, rhs } => {
            let (a, b) = (const_number(lhs)?, const_number(rhs)?);
            let v = match op {
                BinOp::Add => a + b,
                BinOp::Sub => a - b,
                BinOp::Mul => a * b,
                BinOp::Div => a / b,
                BinOp::Pow => a.powf(b),
                _ => return None,
            };
            v.is_finite().then_some(v)
        }
        _ => None,
    }
}

fn require_dimensionless(e: &Expr, d: Dim, what: &str, hint: &str) -> Result<(), ExprError> {
    if d.is_dimensionless() {
        Ok(())
    } else {
        Err(ExprError::new(e.span, format!("{what}, but {}", operand_phrase(e, d))).hint(hint))
    }
}

impl Expr {
    /// Every name referenced, in source order, with its span (function names excluded).
    pub fn names(&self) -> Vec<(String, Span)> {
        let mut out = Vec::new();
        self.collect_names(&mut out);
        out
    }

    fn collect_names(&self, out: &mut Vec<(String, Span)>) {
        match &self.kind {
            ExprKind::Literal(_) => {}
            ExprKind::Name(n) => out.push((n.clone(), self.span)),
            ExprKind::Unary { operand, .. } => operand.collect_names(out),
            ExprKind::Binary { lhs, rhs, .. } => {
                lhs.collect_names(out);
                rhs.collect_names(out);
            }
            ExprKind::Call { args, .. } => {
                for a in args {
                    a.collect_names(out);
                }
            }
        }
    }

    /// Infers the dimension of the expression, given the dimension of each name (`None` means
    /// the name is unknown). Reports the first problem found, naming the quantities involved.
    pub fn check(&self, dim_of: &dyn Fn(&str) -> Option<Dim>) -> Result<Dim, ExprError> {
        match &self.kind {
            ExprKind::Literal(_) | ExprKind::Name(_) => self.leaf_dim(dim_of),
            ExprKind::Unary { op, operand } => {
                let d = operand.check(dim_of)?;
                self.unary_dim(*op, operand, d)
            }
            ExprKind::Binary { op, lhs, rhs } => self.check_binary(*op, lhs, rhs, dim_of),
            ExprKind::Call { func, args } => self.check_call(*func, args, dim_of),
        }
    }

    #[inline(never)]
    fn unary_dim(&self, op: UnaryOp, operand: &Expr, d: Dim) -> Result<Dim, ExprError> {
        match op {
            UnaryOp::Neg => Ok(d),
            UnaryOp::Not => {
                require_dimensionless(
                    operand,
                    d,
                    "`not` needs a true/false (dimensionless) operand",
                    "compare first, e.g. `not (t > 6 h)`",
                )?;
                Ok(Dim::DIMENSIONLESS)
            }
        }
    }

    /// Dimension of a literal or a name.
    #[inline(never)]
    fn leaf_dim(&self, dim_of: &dyn Fn(&str) -> Option<Dim>) -> Result<Dim, ExprError> {
        match &self.kind {
            ExprKind::Literal(lit) => {
                for (i, (atom, span)) in lit.unit_atoms.iter().enumerate() {
                    if dim_of(atom).is_some() {
                        let hint = if i == 0 {
                            format!("to use the name, insert `*`, e.g. `2 * {atom}`")
                        } else {
                            format!(
                                "to use the name, put spaces around the operator, e.g. \
                                 `4 GB / {atom}`"
                            )
                        };
                        return Err(ExprError::new(
                            *span,
                            format!(
                                "`{atom}` after a number is read as a unit, but `{atom}` is also \
                                 a name here"
                            ),
                        )
                        .hint(hint));
                    }
                }
                Ok(lit.dim())
            }
            ExprKind::Name(name) => dim_of(name).ok_or_else(|| {
                ExprError::new(self.span, format!("unknown name `{name}`"))
                    .hint("define it as a control, a constant or a formula, or check the spelling")
            }),
            _ => Ok(Dim::DIMENSIONLESS),
        }
    }

    fn check_binary(
        &self,
        op: BinOp,
        lhs: &Expr,
        rhs: &Expr,
        dim_of: &dyn Fn(&str) -> Option<Dim>,
    ) -> Result<Dim, ExprError> {
        let a = lhs.check(dim_of)?;
        let b = rhs.check(dim_of)?;
        self.binary_dim(op, lhs, a, rhs, b)
    }

    /// The dimension of `lhs op rhs` given both operands' dimensions. Kept apart from the
    /// recursion so the many message temporaries do not sit in every recursive stack frame.
    #[inline(never)]
    fn binary_dim(
        &self,
        op: BinOp,
        lhs: &Expr,
        a: Dim,
        rhs: &Expr,
        b: Dim,
    ) -> Result<Dim, ExprError> {
        let both = || format!("{}, {}", operand_phrase(lhs, a), operand_phrase(rhs, b));
        let overflow = || {
            ExprError::new(self.span, "dimension exponent out of range")
                .hint("exponents of s, B, m, kg, $ and FLOP must stay between -128 and 127")
        };
        match op {
            BinOp::Add | BinOp::Sub => {
                if a != b {
                    let verb = if op == BinOp::Add {
                        format!("cannot add {} and {}", a.describe(), b.describe())
                    } else {
                        format!("cannot subtract {} from {}", b.describe(), a.describe())
                    };
                    return Err(ExprError::new(self.span, format!("{verb}: {}", both()))
                        .hint("check the units of both sides; both must have the same dimension"));
                }
                Ok(a)
            }
            BinOp::Mul => a.checked_mul(b).ok_or_else(overflow),
            BinOp::Div => a.checked_div(b).ok_or_else(overflow),
            BinOp::Pow => {
                require_dimensionless(
                    rhs,
                    b,
                    "an exponent must be dimensionless",
                    "divide by a unit first, e.g. `2^(t / 1 h)`",
                )?;
                if a.is_dimensionless() {
                    return Ok(a);
                }
                let Some(k) = const_number(rhs) else {
                    return Err(ExprError::new(
                        self.span,
                        format!(
                            "a quantity with a dimension can only be raised to a constant power: \
                             {}",
                            operand_phrase(lhs, a)
                        ),
                    )
                    .hint("make the base dimensionless first, e.g. `(t / 1 s)^n`"));
                };
                let mut out = [0i8; 6];
                for (o, e) in out.iter_mut().zip(a.0) {
                    let r = f64::from(e) * k;
                    let rounded = r.round();
                    if (r - rounded).abs() > 1e-9 || !(-128.0..=127.0).contains(&rounded) {
                        return Err(ExprError::new(
                            self.span,
                            format!(
                                "raising {} to the power {k} gives a fractional or \
                                 out-of-range dimension",
                                dim_phrase(a)
                            ),
                        )
                        .hint(
                            "use a power that keeps whole exponents, or divide by a unit first",
                        ));
                    }
                    // In range and integral, checked just above.
                    *o = rounded as i8;
                }
                Ok(Dim(out))
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne => {
                if a != b {
                    return Err(ExprError::new(
                        self.span,
                        format!(
                            "cannot compare {} with {}: {}",
                            a.describe(),
                            b.describe(),
                            both()
                        ),
                    )
                    .hint("both sides of a comparison need the same dimension; check the units"));
                }
                Ok(Dim::DIMENSIONLESS)
            }
            BinOp::And | BinOp::Or => {
                let what = format!(
                    "`{}` needs true/false (dimensionless) operands",
                    op.symbol()
                );
                let hint = "compare first, e.g. `t > 6 h`";
                require_dimensionless(lhs, a, &what, hint)?;
                require_dimensionless(rhs, b, &what, hint)?;
                Ok(Dim::DIMENSIONLESS)
            }
        }
    }

    fn check_call(
        &self,
        func: Func,
        args: &[Expr],
        dim_of: &dyn Fn(&str) -> Option<Dim>,
    ) -> Result<Dim, ExprError> {
        let mut dims = Vec::with_capacity(args.len());
        for a in args {
            dims.push(a.check(dim_of)?);
        }
        self.call_dim(func, args, &dims)
    }

    /// The dimension of a call given its arguments' dimensions (see `binary_dim`).
    #[inline(never)]
    fn call_dim(&self, func: Func, args: &[Expr], dims: &[Dim]) -> Result<Dim, ExprError> {
        let name = func.name();
        // Arity was enforced by the parser; `get` keeps a hand-built tree from panicking.
        let arg = |i: usize| -> Result<(&Expr, Dim), ExprError> {
            match (args.get(i), dims.get(i)) {
                (Some(e), Some(d)) => Ok((e, *d)),
                _ => Err(func.arity_error(args.len(), self.span).unwrap_or_else(|| {
                    ExprError::new(self.span, format!("wrong number of arguments to `{name}`"))
                })),
            }
        };
        let same_dims = |from: usize, what: &str| -> Result<Dim, ExprError> {
            let (first, d0) = arg(from)?;
            for i in from + 1..args.len() {
                let (e, d) = arg(i)?;
                if d != d0 {
                    return Err(ExprError::new(
                        self.span,
                        format!(
                            "{what} must have the same dimension: {}, {}",
                            operand_phrase(first, d0),
                            operand_phrase(e, d)
                        ),
                    )
                    .hint("check the units of each argument"));
                }
            }
            Ok(d0)
        };
        match func {
            Func::Min | Func::Max | Func::Clamp => {
                same_dims(0, &format!("the arguments of `{name}`"))
            }
            Func::Abs => Ok(arg(0)?.1),
            Func::Sqrt => {
                let (e, d) = arg(0)?;
                d.root(2).ok_or_else(|| {
                    ExprError::new(
                        e.span,
                        format!(
                            "cannot take the square root of {}: it is {}, whose exponents are \
                             not all even",
                            quote(e),
                            dim_phrase(d)
                        ),
                    )
                    .hint("the argument needs a squared dimension such as s², e.g. `sqrt(2 * delta * mtbf)`")
                })
            }
            Func::Exp | Func::Ln | Func::Log10 | Func::Log2 => {
                let (e, d) = arg(0)?;
                require_dimensionless(
                    e,
                    d,
                    &format!("`{name}` needs a dimensionless argument"),
                    &format!("divide by a unit first, e.g. `{name}(t / 1 s)`"),
                )?;
                Ok(Dim::DIMENSIONLESS)
            }
            Func::Floor | Func::Ceil | Func::Round | Func::NormalCdf | Func::Kolmogorov => {
                let (e, d) = arg(0)?;
                require_dimensionless(
                    e,
                    d,
                    &format!("`{name}` needs a dimensionless argument"),
                    &format!("divide by a unit first, e.g. `{name}(t / 1 h)`"),
                )?;
                Ok(Dim::DIMENSIONLESS)
            }
            Func::If => {
                let (c, cd) = arg(0)?;
                require_dimensionless(
                    c,
                    cd,
                    "the condition of `if` must be true/false (dimensionless)",
                    "compare first, e.g. `if(t > 6 h, a, b)`",
                )?;
                same_dims(1, "the two branches of `if`")
            }
        }
    }

    /// Lowers the expression to a flat stack program. `slot_of` gives each name's index in the
    /// slice later passed to [`Compiled::eval`]; a name without a slot is an error.
    pub fn compile(&self, slot_of: &dyn Fn(&str) -> Option<usize>) -> Result<Compiled, ExprError> {
        let mut c = Compiler {
            ops: Vec::new(),
            depth: 0,
            max_depth: 0,
        };
        c.emit(self, slot_of)?;
        Ok(Compiled {
            ops: c.ops,
            max_stack: c.max_depth,
        })
    }

    /// Renders the expression as LaTeX math (for KaTeX): `\frac{D}{BW}`, `a \cdot b`,
    /// `\min(a, b)`, `12.5\,\mathrm{GB/s}`. `name_to_tex` gives the TeX for each name.
    pub fn to_latex(&self, name_to_tex: &dyn Fn(&str) -> String) -> String {
        self.latex(name_to_tex, false)
    }

    /// Like [`Expr::to_latex`], but each name is replaced by `value_tex(name)`, typically a
    /// formatted value with its unit, to show the substitution step of a worked example.
    /// Substituted values that are negative or compound are parenthesised where needed.
    pub fn to_latex_with_values(&self, value_tex: &dyn Fn(&str) -> String) -> String {
        self.latex(value_tex, true)
    }

    /// Binding strength of the node as printed, for deciding parentheses.
    fn prec(&self) -> u8 {
        match &self.kind {
            ExprKind::Literal(_) | ExprKind::Name(_) | ExprKind::Call { .. } => PREC_ATOM,
            ExprKind::Unary {
                op: UnaryOp::Neg, ..
            } => PREC_NEG,
            ExprKind::Unary {
                op: UnaryOp::Not, ..
            } => PREC_NOT,
            ExprKind::Binary { op, .. } => op.prec(),
        }
    }

    fn is_neg(&self) -> bool {
        matches!(
            self.kind,
            ExprKind::Unary {
                op: UnaryOp::Neg,
                ..
            }
        )
    }

    fn latex(&self, tex: &dyn Fn(&str) -> String, substituted: bool) -> String {
        // Children first, then this node: the formatting below does not recurse, which keeps
        // the recursive frame small (see `MAX_DEPTH`).
        let children: Vec<String> = match &self.kind {
            ExprKind::Literal(_) | ExprKind::Name(_) => Vec::new(),
            ExprKind::Unary { operand, .. } => vec![operand.latex(tex, substituted)],
            ExprKind::Binary { lhs, rhs, .. } => {
                vec![lhs.latex(tex, substituted), rhs.latex(tex, substituted)]
            }
            ExprKind::Call { args, .. } => args.iter().map(|a| a.latex(tex, substituted)).collect(),
        };
        self.latex_node(children, tex, substituted)
    }

    /// Formats this node around its already rendered children.
    #[inline(never)]
    fn latex_node(
        &self,
        children: Vec<String>,
        tex: &dyn Fn(&str) -> String,
        substituted: bool,
    ) -> String {
        let paren = |s: String| format!("\\left({s}\\right)");
        let child = |i: usize| children.get(i).cloned().unwrap_or_default();
        let sub = |i: usize, wrap: bool| {
            let s = child(i);
            if wrap {
                paren(s)
            } else {
                s
            }
        };
        match &self.kind {
            ExprKind::Literal(lit) => literal_latex(lit),
            ExprKind::Name(n) => {
                let s = tex(n);
                if substituted && s.trim_start().starts_with('-') {
                    paren(s)
                } else {
                    s
                }
            }
            ExprKind::Unary {
                op: UnaryOp::Neg,
                operand,
            } => format!("-{}", sub(0, operand.prec() <= PREC_ADD)),
            ExprKind::Unary {
                op: UnaryOp::Not,
                operand,
            } => format!("\\lnot {}", sub(0, operand.prec() <= PREC_AND)),
            ExprKind::Binary { op, lhs, rhs } => {
                let p = op.prec();
                match op {
                    BinOp::Div => format!("\\frac{{{}}}{{{}}}", sub(0, false), sub(1, false)),
                    BinOp::Pow => {
                        let wrap_base = lhs.prec() < PREC_ATOM
                            || match &lhs.kind {
                                ExprKind::Literal(l) => {
                                    l.unit.is_some() || l.text.contains(['e', 'E'])
                                }
                                ExprKind::Call { .. } => true,
                                // A substituted value like `12.5\,\mathrm{GB}` needs grouping.
                                ExprKind::Name(n) => {
                                    substituted
                                        && !tex(n)
                                            .chars()
                                            .all(|c| c.is_ascii_alphanumeric() || c == '.')
                                }
                                _ => false,
                            };
                        format!("{}^{{{}}}", sub(0, wrap_base), sub(1, false))
                    }
                    BinOp::Add | BinOp::Sub => {
                        let wrap_rhs = rhs.prec() < p
                            || (*op == BinOp::Sub && rhs.prec() == p)
                            || rhs.is_neg();
                        format!(
                            "{} {} {}",
                            sub(0, lhs.prec() < p),
                            op.symbol(),
                            sub(1, wrap_rhs)
                        )
                    }
                    BinOp::Mul => format!(
                        "{} \\cdot {}",
                        sub(0, lhs.prec() < p),
                        sub(1, rhs.prec() < p || rhs.is_neg())
                    ),
                    _ => {
                        let sym = match op {
                            BinOp::Lt => "<",
                            BinOp::Le => "\\le",
                            BinOp::Gt => ">",
                            BinOp::Ge => "\\ge",
                            BinOp::Eq => "=",
                            BinOp::Ne => "\\neq",
                            BinOp::And => "\\land",
                            _ => "\\lor",
                        };
                        // Comparisons do not chain; logical operators group left to right.
                        let (wl, wr) = if op.is_comparison() {
                            (lhs.prec() <= p, rhs.prec() <= p)
                        } else {
                            (lhs.prec() < p, rhs.prec() <= p)
                        };
                        format!("{} {sym} {}", sub(0, wl), sub(1, wr))
                    }
                }
            }
            ExprKind::Call { func, .. } => {
                let list = || children.join(", ");
                let first = || child(0);
                match func {
                    Func::Min => format!("\\min({})", list()),
                    Func::Max => format!("\\max({})", list()),
                    Func::Clamp => format!("\\operatorname{{clamp}}({})", list()),
                    Func::Abs => format!("\\left|{}\\right|", first()),
                    Func::Sqrt => format!("\\sqrt{{{}}}", first()),
                    Func::Exp => format!("\\exp({})", first()),
                    Func::Ln => format!("\\ln({})", first()),
                    Func::Log10 => format!("\\log_{{10}}({})", first()),
                    Func::Log2 => format!("\\log_{{2}}({})", first()),
                    Func::Floor => format!("\\lfloor {} \\rfloor", first()),
                    Func::Ceil => format!("\\lceil {} \\rceil", first()),
                    Func::Round => format!("\\operatorname{{round}}({})", first()),
                    Func::NormalCdf => format!("\\Phi({})", first()),
                    Func::Kolmogorov => format!("Q_{{\\mathrm{{KS}}}}({})", first()),
                    Func::If => {
                        let get = child;
                        format!(
                            "\\begin{{cases}} {} & \\text{{if }} {} \\\\ {} & \\text{{otherwise}} \\end{{cases}}",
                            get(1),
                            get(0),
                            get(2)
                        )
                    }
                }
            }
        }
    }
}

/// `12.5\,\mathrm{GB/s}`, `80\%`, `\$0.09/\mathrm{GB}`, `2.5 \times 10^{9}`.
fn literal_latex(lit: &Literal) -> String {
    let number = number_latex(&lit.text);
    match &lit.unit {
        None => number,
        Some(u) if lit.dollar => {
            let rest = u.symbol.strip_prefix('$').unwrap_or(&u.symbol);
            if rest.is_empty() {
                format!("\\${number}")
            } else {
                // `rest` starts with an operator (`/GB`), which stays outside \mathrm.
                let (op, tail) = rest.split_at(rest.chars().next().map_or(0, char::len_utf8));
                let op = if op == "·" { "\\cdot " } else { op };
                format!("\\${number}{op}{}", unit_latex(tail))
            }
        }
        Some(u) if u.symbol == "%" => format!("{number}\\%"),
        Some(u) => format!("{number}\\,{}", unit_latex(&u.symbol)),
    }
}

/// `2.5E9` → `2.5 \times 10^{9}`; `1e-3` → `10^{-3}`; plain numbers unchanged.
fn number_latex(text: &str) -> String {
    match text.split_once(['e', 'E']) {
        Some((mantissa, exp)) => {
            let exp = exp.strip_prefix('+').unwrap_or(exp);
            let (sign, digits) = match exp.strip_prefix('-') {
                Some(d) => ("-", d),
                None => ("", exp),
            };
            let digits = digits.trim_start_matches('0');
            let digits = if digits.is_empty() { "0" } else { digits };
            if mantissa == "1" {
                format!("10^{{{sign}{digits}}}")
            } else {
                format!("{mantissa} \\times 10^{{{sign}{digits}}}")
            }
        }
        None => text.to_string(),
    }
}

/// A canonical unit symbol as upright TeX: `\mathrm{kg\cdot m^{2}/s^{2}}`, `\mathrm{\mu s}`.
fn unit_latex(symbol: &str) -> String {
    let mut body = String::new();
    let mut sup = String::new();
    let flush = |body: &mut String, sup: &mut String| {
        if !sup.is_empty() {
            body.push_str(&format!("^{{{sup}}}"));
            sup.clear();
        }
    };
    for c in symbol.chars() {
        let digit = match c {
            '⁻' => Some('-'),
            '⁰' => Some('0'),
            '¹' => Some('1'),
            '²' => Some('2'),
            '³' => Some('3'),
            '⁴' => Some('4'),
            '⁵' => Some('5'),
            '⁶' => Some('6'),
            '⁷' => Some('7'),
            '⁸' => Some('8'),
            '⁹' => Some('9'),
            _ => None,
        };
        if let Some(d) = digit {
            sup.push(d);
            continue;
        }
        flush(&mut body, &mut sup);
        match c {
            '$' => body.push_str("\\$"),
            '%' => body.push_str("\\%"),
            'µ' | 'μ' => body.push_str("\\mu "),
            '·' => body.push_str("\\cdot "),
            _ => body.push(c),
        }
    }
    flush(&mut body, &mut sup);
    format!("\\mathrm{{{body}}}")
}

/// Prints the expression back as source text with minimal parentheses; parsing the output gives
/// the same tree (up to spans). Used to quote operands in error messages.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let wrap = |f: &mut fmt::Formatter<'_>, e: &Expr, paren: bool| {
            if paren {
                write!(f, "({e})")
            } else {
                write!(f, "{e}")
            }
        };
        match &self.kind {
            ExprKind::Literal(lit) => match &lit.unit {
                None => f.write_str(&lit.text),
                Some(u) if lit.dollar => {
                    let rest = u.symbol.strip_prefix('$').unwrap_or(&u.symbol);
                    write!(f, "${}{rest}", lit.text)
                }
                Some(u) if u.symbol == "%" => write!(f, "{}%", lit.text),
                Some(u) => write!(f, "{} {}", lit.text, u.symbol),
            },
            ExprKind::Name(n) => f.write_str(n),
            ExprKind::Unary { op, operand } => match op {
                UnaryOp::Neg => {
                    f.write_str("-")?;
                    wrap(f, operand, operand.prec() < PREC_NEG)
                }
                UnaryOp::Not => {
                    f.write_str("not ")?;
                    wrap(f, operand, operand.prec() < PREC_NOT)
                }
            },
            ExprKind::Binary { op, lhs, rhs } => {
                let p = op.prec();
                let (wl, wr) = match op {
                    // Right-associative; a literal with a unit would swallow `^` into its unit.
                    BinOp::Pow => (
                        lhs.prec() <= p
                            || matches!(&lhs.kind, ExprKind::Literal(l) if l.unit.is_some()),
                        rhs.prec() < PREC_NEG,
                    ),
                    _ if op.is_comparison() => (lhs.prec() <= p, rhs.prec() <= p),
                    _ => (lhs.prec() < p, rhs.prec() <= p),
                };
                wrap(f, lhs, wl)?;
                if *op == BinOp::Pow {
                    f.write_str("^")?;
                } else {
                    write!(f, " {} ", op.symbol())?;
                }
                wrap(f, rhs, wr)
            }
            ExprKind::Call { func, args } => {
                write!(f, "{}(", func.name())?;
                for (i, a) in args.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{a}")?;
                }
                f.write_str(")")
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Compilation and evaluation
// ---------------------------------------------------------------------------------------------

/// One instruction of the stack machine.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Const(f64),
    Load(usize),
    Neg,
    Not,
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
    Min(usize),
    Max(usize),
    Clamp,
    If,
    Abs,
    Sqrt,
    Exp,
    Ln,
    Log10,
    Log2,
    Floor,
    Ceil,
    Round,
    NormalCdf,
    Kolmogorov,
}

/// A compiled expression: a flat postfix program over numbered slots.
///
/// Evaluation follows IEEE arithmetic: division by zero gives ±inf, `sqrt(-1)` gives NaN, and
/// NaN propagates through comparisons, `and`, `or`, `not`, `if`, `min` and `max` (rather than
/// being read as false), so callers can reject a state by checking `is_finite` on the result.
#[derive(Clone, Debug, PartialEq)]
pub struct Compiled {
    ops: Vec<Op>,
    max_stack: usize,
}

struct Compiler {
    ops: Vec<Op>,
    depth: usize,
    max_depth: usize,
}

impl Compiler {
    /// Appends an op and tracks the stack height it leaves (`pops` values consumed, 1 pushed).
    fn push(&mut self, op: Op, pops: usize) {
        self.ops.push(op);
        self.depth = self.depth.saturating_sub(pops) + 1;
        self.max_depth = self.max_depth.max(self.depth);
    }

    fn emit(&mut self, e: &Expr, slot_of: &dyn Fn(&str) -> Option<usize>) -> Result<(), ExprError> {
        match &e.kind {
            ExprKind::Literal(lit) => self.push(Op::Const(lit.value), 0),
            ExprKind::Name(n) => {
                let slot = slot_of(n).ok_or_else(|| {
                    ExprError::new(e.span, format!("unknown name `{n}`"))
                        .hint("define it as a control, a constant or a formula")
                })?;
                self.push(Op::Load(slot), 0);
            }
            ExprKind::Unary { op, operand } => {
                self.emit(operand, slot_of)?;
                self.push(
                    match op {
                        UnaryOp::Neg => Op::Neg,
                        UnaryOp::Not => Op::Not,
                    },
                    1,
                );
            }
            ExprKind::Binary { op, lhs, rhs } => {
                self.emit(lhs, slot_of)?;
                self.emit(rhs, slot_of)?;
                let op = match op {
                    BinOp::Add => Op::Add,
                    BinOp::Sub => Op::Sub,
                    BinOp::Mul => Op::Mul,
                    BinOp::Div => Op::Div,
                    BinOp::Pow => Op::Pow,
                    BinOp::Lt => Op::Lt,
                    BinOp::Le => Op::Le,
                    BinOp::Gt => Op::Gt,
                    BinOp::Ge => Op::Ge,
                    BinOp::Eq => Op::Eq,
                    BinOp::Ne => Op::Ne,
                    BinOp::And => Op::And,
                    BinOp::Or => Op::Or,
                };
                self.push(op, 2);
            }
            ExprKind::Call { func, args } => {
                if let Some(err) = func.arity_error(args.len(), e.span) {
                    return Err(err);
                }
                for a in args {
                    self.emit(a, slot_of)?;
                }
                let n = args.len();
                let op = match func {
                    Func::Min => Op::Min(n),
                    Func::Max => Op::Max(n),
                    Func::Clamp => Op::Clamp,
                    Func::If => Op::If,
                    Func::Abs => Op::Abs,
                    Func::Sqrt => Op::Sqrt,
                    Func::Exp => Op::Exp,
                    Func::Ln => Op::Ln,
                    Func::Log10 => Op::Log10,
                    Func::Log2 => Op::Log2,
                    Func::Floor => Op::Floor,
                    Func::Ceil => Op::Ceil,
                    Func::Round => Op::Round,
                    Func::NormalCdf => Op::NormalCdf,
                    Func::Kolmogorov => Op::Kolmogorov,
                };
                self.push(op, n);
            }
        }
        Ok(())
    }
}

/// The standard normal CDF, Φ(z) = erfc(-z/√2) / 2, accurate in both tails.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// The Kolmogorov distribution's survival function
/// Q(λ) = 2 Σ_{k≥1} (−1)^{k−1} exp(−2k²λ²): the probability that √n·D
/// exceeds λ under the null hypothesis, for large n.
///
/// The alternating series converges slowly for small λ, so below λ = 1.18
/// (where both forms are accurate) the Jacobi-theta form of the CDF,
/// √(2π)/λ Σ_{k≥1} exp(−(2k−1)²π²/(8λ²)), is used instead.
pub fn kolmogorov(lambda: f64) -> f64 {
    use std::f64::consts::PI;
    if lambda.is_nan() {
        return f64::NAN;
    }
    if lambda <= 0.0 {
        return 1.0;
    }
    if lambda < 1.18 {
        let w = (2.0 * PI).sqrt() / lambda;
        let f = -PI * PI / (8.0 * lambda * lambda);
        let cdf: f64 = (1..=8u32)
            .map(|k| {
                let m = f64::from(2 * k - 1);
                (m * m * f).exp()
            })
            .sum::<f64>()
            * w;
        (1.0 - cdf).clamp(0.0, 1.0)
    } else {
        let mut q = 0.0;
        let mut sign = 1.0;
        for k in 1..=100u32 {
            let kk = f64::from(k);
            let term = (-2.0 * kk * kk * lambda * lambda).exp();
            q += sign * term;
            if term < 1e-17 {
                break;
            }
            sign = -sign;
        }
        (2.0 * q).clamp(0.0, 1.0)
    }
}

/// Stack slots kept on the machine stack; deeper programs fall back to a heap buffer.
const INLINE_STACK: usize = 32;

fn truth(v: bool) -> f64 {
    if v {
        1.0
    } else {
        0.0
    }
}

/// Applies a comparison, propagating NaN so an undefined input is not mistaken for "false".
fn compare(a: f64, b: f64, f: fn(f64, f64) -> bool) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        truth(f(a, b))
    }
}

/// Relative tolerance of `==` and `!=`, so that values reached through different unit
/// conversions (0.1 GB × 3 vs 0.3 GB) still compare equal.
const EQ_TOLERANCE: f64 = 1e-12;

fn approx_eq(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= EQ_TOLERANCE * a.abs().max(b.abs())
}

/// Minimum or maximum that propagates NaN (`f64::min` would silently drop it).
fn pick(a: f64, b: f64, want_max: bool) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if want_max {
        a.max(b)
    } else {
        a.min(b)
    }
}

impl Compiled {
    /// Evaluates on `slots` (values in base units, indexed as given by `slot_of` at compile
    /// time). A slot index beyond `slots` reads as NaN. Never panics.
    pub fn eval(&self, slots: &[f64]) -> f64 {
        if self.max_stack <= INLINE_STACK {
            let mut stack = [0.0f64; INLINE_STACK];
            self.run(slots, &mut stack)
        } else {
            let mut stack = vec![0.0f64; self.max_stack];
            self.run(slots, &mut stack)
        }
    }

    fn run(&self, slots: &[f64], stack: &mut [f64]) -> f64 {
        let mut sp = 0usize;
        // The compiler balances the stack, so these bounds checks never fail in practice; they
        // exist so that no instruction sequence can panic.
        let push = |stack: &mut [f64], sp: &mut usize, v: f64| {
            if let Some(slot) = stack.get_mut(*sp) {
                *slot = v;
            }
            *sp += 1;
        };
        let pop = |stack: &[f64], sp: &mut usize| -> f64 {
            *sp = sp.saturating_sub(1);
            stack.get(*sp).copied().unwrap_or(f64::NAN)
        };
        for op in &self.ops {
            let v = match *op {
                Op::Const(c) => c,
                Op::Load(i) => slots.get(i).copied().unwrap_or(f64::NAN),
                Op::Neg => -pop(stack, &mut sp),
                Op::Not => {
                    let a = pop(stack, &mut sp);
                    if a.is_nan() {
                        f64::NAN
                    } else {
                        truth(a == 0.0)
                    }
                }
                Op::Abs => pop(stack, &mut sp).abs(),
                Op::Sqrt => pop(stack, &mut sp).sqrt(),
                Op::Exp => pop(stack, &mut sp).exp(),
                Op::Ln => pop(stack, &mut sp).ln(),
                Op::Log10 => pop(stack, &mut sp).log10(),
                Op::Log2 => pop(stack, &mut sp).log2(),
                Op::Floor => pop(stack, &mut sp).floor(),
                Op::Ceil => pop(stack, &mut sp).ceil(),
                Op::Round => pop(stack, &mut sp).round(),
                Op::NormalCdf => normal_cdf(pop(stack, &mut sp)),
                Op::Kolmogorov => kolmogorov(pop(stack, &mut sp)),
                Op::Min(n) | Op::Max(n) => {
                    let want_max = matches!(op, Op::Max(_));
                    let mut acc = pop(stack, &mut sp);
                    for _ in 1..n {
                        acc = pick(acc, pop(stack, &mut sp), want_max);
                    }
                    acc
                }
                Op::Clamp => {
                    let hi = pop(stack, &mut sp);
                    let lo = pop(stack, &mut sp);
                    let x = pop(stack, &mut sp);
                    // Not `f64::clamp`, which panics when lo > hi; here `hi` wins.
                    pick(pick(x, lo, true), hi, false)
                }
                Op::If => {
                    let b = pop(stack, &mut sp);
                    let a = pop(stack, &mut sp);
                    let c = pop(stack, &mut sp);
                    if c.is_nan() {
                        f64::NAN
                    } else if c != 0.0 {
                        a
                    } else {
                        b
                    }
                }
                _ => {
                    let b = pop(stack, &mut sp);
                    let a = pop(stack, &mut sp);
                    match *op {
                        Op::Add => a + b,
                        Op::Sub => a - b,
                        Op::Mul => a * b,
                        Op::Div => a / b,
                        Op::Pow => a.powf(b),
                        Op::Lt => compare(a, b, |a, b| a < b),
                        Op::Le => compare(a, b, |a, b| a <= b),
                        Op::Gt => compare(a, b, |a, b| a > b),
                        Op::Ge => compare(a, b, |a, b| a >= b),
                        Op::Eq => compare(a, b, approx_eq),
                        Op::Ne => compare(a, b, |a, b| !approx_eq(a, b)),
                        Op::And => {
                            if a.is_nan() || b.is_nan() {
                                f64::NAN
                            } else {
                                truth(a != 0.0 && b != 0.0)
                            }
                        }
                        Op::Or => {
                            if a.is_nan() || b.is_nan() {
                                f64::NAN
                            } else {
                                truth(a != 0.0 || b != 0.0)
                            }
                        }
                        _ => f64::NAN,
                    }
                }
            };
            push(stack, &mut sp, v);
        }
        if sp == 0 {
            return f64::NAN;
        }
        pop(stack, &mut sp)
    }
}

#[cfg(test)]
mod stats_tests {
    use super::{kolmogorov, normal_cdf};

    #[test]
    fn normal_cdf_matches_tables() {
        assert_eq!(normal_cdf(0.0), 0.5);
        assert!((normal_cdf(1.959_963_984_540_054) - 0.975).abs() < 1e-12);
        assert!((normal_cdf(-3.0) - 0.001_349_898_031_630_094_6).abs() < 1e-15);
        assert!((normal_cdf(1.0) - 0.841_344_746_068_542_9).abs() < 1e-12);
    }

    #[test]
    fn kolmogorov_matches_the_series_and_the_classic_critical_values() {
        // Values of 2 Σ (−1)^{k−1} exp(−2k²λ²) summed to 200 terms.
        for (lambda, q) in [
            (0.5, 0.963_945_243_664_875_1),
            (0.8, 0.544_142_411_574_198_1),
            (1.0, 0.269_999_671_677_354_56),
            (1.2, 0.112_249_666_670_724_96),
            (2.0, 0.000_670_925_255_779_695_3),
        ] {
            assert!((kolmogorov(lambda) - q).abs() < 1e-12, "Q({lambda})");
        }
        // The textbook critical values: 1.358 at alpha = 0.05, 1.628 at 0.01.
        assert!((kolmogorov(1.358) - 0.05).abs() < 5e-4);
        assert!((kolmogorov(1.628) - 0.01).abs() < 2e-4);
        assert_eq!(kolmogorov(0.0), 1.0);
        assert!(kolmogorov(f64::NAN).is_nan());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(src: &str) -> Expr {
        match parse(src) {
            Ok(e) => e,
            Err(e) => panic!("{src:?}: {e} at {:?}", e.span),
        }
    }

    /// Dimensions of the names used in tests.
    fn dims(name: &str) -> Option<Dim> {
        Some(match name {
            "t" | "t_io" | "delta" | "mtbf" => Dim::TIME,
            "batch_bytes" | "size" | "D" => Dim::DATA,
            "BW" | "bw" => Dim::DATA_RATE,
            "workers" | "n" | "util" | "a" | "b" | "c" | "x" | "link" => Dim::DIMENSIONLESS,
            "price" => Dim([0, -1, 0, 0, 1, 0]),
            _ => return None,
        })
    }

    /// Evaluates with every name bound to a slot from `vars`.
    fn eval_with(src: &str, vars: &[(&str, f64)]) -> f64 {
        let e = p(src);
        let compiled = e
            .compile(&|n| vars.iter().position(|(k, _)| *k == n))
            .unwrap_or_else(|err| panic!("{src}: {err}"));
        let slots: Vec<f64> = vars.iter().map(|(_, v)| *v).collect();
        compiled.eval(&slots)
    }

    fn eval(src: &str) -> f64 {
        eval_with(src, &[])
    }

    fn close(a: f64, b: f64, rel: f64) -> bool {
        a == b || ((a - b) / b).abs() < rel
    }

    #[test]
    fn textbook_figures() {
        // (expression, expected value in base units, expected dimension)
        let cases: &[(&str, f64, Dim)] = &[
            ("50 TB / 100 Gbps", 4000.0, Dim::TIME),
            ("50 TB * $0.09/GB", 4500.0, Dim::CURRENCY),
            ("64 * 150 KB / 150 MB/s", 0.064, Dim::TIME),
            (
                "64 * 3 * 8.2 GFLOP / 312 TFLOP/s",
                64.0 * 3.0 * 8.2e9 / 312e12,
                Dim::TIME,
            ),
            ("1 TiB / 1 TB", 1.099511627776, Dim::DIMENSIONLESS),
            ("100 Gbps / 1 GB/s", 12.5, Dim::DIMENSIONLESS),
            ("640 pJ / 3.7 pJ", 640.0 / 3.7, Dim::DIMENSIONLESS),
            ("4.1 GMAC / 1 GFLOP", 8.2, Dim::DIMENSIONLESS),
            ("$23/TB/month * 50 TB * 1 month", 1150.0, Dim::CURRENCY),
        ];
        for (src, value, dim) in cases {
            let e = p(src);
            assert_eq!(e.check(&dims), Ok(*dim), "{src}");
            let got = eval(src);
            assert!(close(got, *value, 1e-12), "{src}: {got} != {value}");
        }
        // The FLOP example to the stated 1e-9 relative precision: 5.046 ms.
        let t = eval("64 * 3 * 8.2 GFLOP / 312 TFLOP/s");
        assert!(close(t, 5.046_153_846_153_846e-3, 1e-9), "{t}");
    }

    #[test]
    fn precedence_and_evaluation() {
        let cases: &[(&str, f64)] = &[
            ("1 + 2 * 3", 7.0),
            ("(1 + 2) * 3", 9.0),
            ("-2^2", -4.0),
            ("(-2)^2", 4.0),
            ("2^3^2", 512.0),
            ("2^-1", 0.5),
            ("8 / 4 / 2", 1.0),
            ("10 - 4 - 3", 3.0),
            ("1 < 2", 1.0),
            ("2 <= 1", 0.0),
            ("3 == 3", 1.0),
            ("0.1 * 3 == 0.3", 1.0),
            ("3 != 3", 0.0),
            ("1 < 2 and 2 < 1", 0.0),
            ("1 < 2 or 2 < 1", 1.0),
            ("not 1 < 2", 0.0),
            ("not 0 or 0", 1.0),
            ("1 + 1 > 1 and 2 > 1", 1.0),
            ("min(3, 1, 2)", 1.0),
            ("max(3, 1, 2)", 3.0),
            ("max(4)", 4.0),
            ("clamp(5, 0, 1)", 1.0),
            ("clamp(-5, 0, 1)", 0.0),
            ("clamp(0.5, 0, 1)", 0.5),
            ("clamp(0.5, 2, 1)", 1.0),
            ("abs(-3)", 3.0),
            ("sqrt(16)", 4.0),
            ("exp(0)", 1.0),
            ("ln(1)", 0.0),
            ("log10(1000)", 3.0),
            ("log2(8)", 3.0),
            ("floor(2.7)", 2.0),
            ("ceil(2.1)", 3.0),
            ("round(2.5)", 3.0),
            ("round(-2.5)", -3.0),
            ("if(1 > 0, 10, 20)", 10.0),
            ("if(1 < 0, 10, 20)", 20.0),
            ("80%", 0.8),
            ("1e3 * 2.5E-3", 2.5),
            ("+3", 3.0),
            ("- -3", 3.0),
            ("2 workers", 2.0),
            ("300 image/s * 1 min", 18000.0),
            ("1 ms + 1 s", 1.001),
            ("6 h > 5 h", 1.0),
            ("2·3", 6.0),
            ("3 ≥ 3", 1.0),
        ];
        for (src, want) in cases {
            let got = eval(src);
            assert!(close(got, *want, 1e-12), "{src}: {got} != {want}");
        }
    }

    #[test]
    fn variables_and_slots() {
        let vars = [("batch_bytes", 9.6e6), ("t_io", 0.2), ("workers", 4.0)];
        assert!(close(
            eval_with("batch_bytes / 12.5 GB/s", &vars),
            9.6e6 / 12.5e9,
            1e-12
        ));
        assert!(close(eval_with("2 h * workers", &vars), 28_800.0, 1e-12));
        assert!(close(eval_with("t_io * workers + 1 s", &vars), 1.8, 1e-12));
        // Out-of-range slots read as NaN rather than panicking.
        let c = p("x + 1")
            .compile(&|_| Some(7))
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(c.eval(&[1.0]).is_nan());
        // Division by zero is IEEE, for the caller to reject with is_finite.
        assert!(eval("1 / 0").is_infinite());
        assert!(eval("sqrt(-1)").is_nan());
        assert!(eval("0 / 0 < 1").is_nan());
        assert!(eval("if(0/0, 1, 2)").is_nan());
        assert!(eval("min(0/0, 1)").is_nan());
    }

    #[test]
    fn deep_programs_use_a_heap_stack() {
        // Every argument of `min` is on the stack at once: more than the inline buffer.
        let src = format!("min({})", vec!["2"; 40].join(", "));
        assert_eq!(eval(&src), 2.0);
        let src = format!("max({}, 3)", vec!["2"; 40].join(", "));
        assert_eq!(eval(&src), 3.0);
    }

    #[test]
    fn unit_tokenisation_rule() {
        // (source, display of the parsed tree, which shows how units were taken)
        let cases: &[(&str, &str)] = &[
            ("batch_bytes / 12.5 GB/s", "batch_bytes / 12.5 GB/s"),
            ("2 h * workers", "2 h * workers"),
            ("4 GB/link", "4 GB / link"),
            ("50 TB / link", "50 TB / link"),
            ("$0.09/GB * size", "$0.09/GB * size"),
            ("$4 * n", "$4 * n"),
            ("$4/n", "$4 / n"),
            ("0.09 $/GB", "0.09 $/GB"),
            ("80%", "80%"),
            ("80 %", "80%"),
            ("2 workers", "2 workers"),
            ("2 batch", "2 batch"),
            ("150 KB/image", "150 KB/image"),
            ("10 m^2", "10 m²"),
            ("10 s^-1", "10 s⁻¹"),
            ("2 s^x", "(2 s)^x"),
            ("1e3GB", "1e3 GB"),
            ("2 kg*m^2/s^2", "2 kg·m²/s²"),
            ("5 us", "5 µs"),
            ("5 min", "5 min"),
            ("x > 2 and b", "x > 2 and b"),
            ("100 Gbps/8", "100 Gbps / 8"),
            ("3 GB/s/GB", "3 GB/s/GB"),
        ];
        for (src, shown) in cases {
            assert_eq!(p(src).to_string(), *shown, "{src}");
        }
        assert_eq!(eval_with("4 GB/link", &[("link", 2.0)]), 2e9);
        assert_eq!(eval_with("2 h * workers", &[("workers", 3.0)]), 21_600.0);
    }

    /// The tree with every span zeroed, to compare structure only.
    fn strip_spans(e: &Expr) -> Expr {
        let kind = match &e.kind {
            ExprKind::Literal(l) => {
                let mut l = l.clone();
                for (_, s) in l.unit_atoms.iter_mut() {
                    *s = Span::default();
                }
                ExprKind::Literal(l)
            }
            ExprKind::Name(n) => ExprKind::Name(n.clone()),
            ExprKind::Unary { op, operand } => ExprKind::Unary {
                op: *op,
                operand: Box::new(strip_spans(operand)),
            },
            ExprKind::Binary { op, lhs, rhs } => ExprKind::Binary {
                op: *op,
                lhs: Box::new(strip_spans(lhs)),
                rhs: Box::new(strip_spans(rhs)),
            },
            ExprKind::Call { func, args } => ExprKind::Call {
                func: *func,
                args: args.iter().map(strip_spans).collect(),
            },
        };
        Expr {
            kind,
            span: Span::default(),
            depth: e.depth,
        }
    }

    #[test]
    fn display_round_trips() {
        let sources = [
            "a + b * c",
            "(a + b) * c",
            "a - (b - c)",
            "a / (b / c)",
            "-a^2",
            "(-a)^2",
            "a^b^c",
            "(a^b)^c",
            "not (a or b)",
            "a < b and b < c or not c",
            "min(a, b + 1, max(c))",
            "if(t > 6 h, $4/h * t, 0 $)",
            "(2 h)^2",
            "-(a * b)",
            "a - -b",
            "(a < b) == (b < c)",
        ];
        for src in sources {
            let e = p(src);
            let again = p(&e.to_string());
            assert_eq!(strip_spans(&e), strip_spans(&again), "{src} vs {again}");
        }
    }

    #[test]
    fn names_in_source_order() {
        let e = p("min(t_io, batch_bytes / BW) + t_io * workers");
        let names: Vec<(String, Span)> = e.names();
        let expected = vec![
            ("t_io".to_string(), Span::new(4, 8)),
            ("batch_bytes".to_string(), Span::new(10, 21)),
            ("BW".to_string(), Span::new(24, 26)),
            ("t_io".to_string(), Span::new(30, 34)),
            ("workers".to_string(), Span::new(37, 44)),
        ];
        assert_eq!(names, expected);
        assert!(p("50 TB / 100 Gbps").names().is_empty());
    }

    #[test]
    fn dimension_checks() {
        // (source, expected dimension)
        let ok: &[(&str, Dim)] = &[
            ("batch_bytes / BW", Dim::TIME),
            ("t_io + batch_bytes / BW", Dim::TIME),
            ("util >= 80%", Dim::DIMENSIONLESS),
            ("t > 6 h", Dim::DIMENSIONLESS),
            ("sqrt(2 * delta * mtbf)", Dim::TIME),
            ("t^2", Dim([2, 0, 0, 0, 0, 0])),
            ("(t^2)^0.5", Dim::TIME),
            ("t^(1/2 * 2)", Dim::TIME),
            ("t^-1", Dim::FREQUENCY),
            ("2^workers", Dim::DIMENSIONLESS),
            ("1 - exp(-t / mtbf)", Dim::DIMENSIONLESS),
            ("floor(t / 1 h)", Dim::DIMENSIONLESS),
            ("if(t > 1 h, t, 2 h)", Dim::TIME),
            ("clamp(t, 0 s, 1 h)", Dim::TIME),
            ("min(1, BW / (1 GB/s))", Dim::DIMENSIONLESS),
            ("size * price", Dim::CURRENCY),
            ("abs(-t)", Dim::TIME),
            ("not (t > 1 s)", Dim::DIMENSIONLESS),
        ];
        for (src, dim) in ok {
            assert_eq!(p(src).check(&dims), Ok(*dim), "{src}");
        }
    }

    #[test]
    fn adding_time_and_data_names_both_sides() {
        let err = p("1 ms + 1 MB").check(&dims).expect_err("must fail");
        assert_eq!(err.span, Span::new(0, 11));
        assert!(err.message.starts_with("cannot add time and data"), "{err}");
        assert!(err.message.contains("`1 ms` is time (s)"), "{err}");
        assert!(err.message.contains("`1 MB` is data (B)"), "{err}");
        assert!(err.hint.is_some());

        let err = p("x * 2 + (t_io + batch_bytes)")
            .check(&dims)
            .expect_err("must fail");
        assert_eq!(
            err.message,
            "cannot add time and data: `t_io` is time (s), `batch_bytes` is data (B)"
        );
        assert_eq!(err.span, Span::new(9, 27));
        assert_eq!(
            err.hint.as_deref(),
            Some("check the units of both sides; both must have the same dimension")
        );
    }

    #[test]
    fn dimension_errors() {
        // (source, span, message fragment, hint fragment)
        let cases: &[(&str, (usize, usize), &str, &str)] = &[
            (
                "t - batch_bytes",
                (0, 15),
                "cannot subtract data from time",
                "",
            ),
            ("t > 1 GB", (0, 8), "cannot compare time with data", ""),
            (
                "unknown_thing + 1",
                (0, 13),
                "unknown name `unknown_thing`",
                "",
            ),
            (
                "floor(t)",
                (6, 7),
                "`floor` needs a dimensionless argument",
                "floor(t / 1 h)",
            ),
            (
                "ln(size)",
                (3, 7),
                "`ln` needs a dimensionless argument",
                "ln(t / 1 s)",
            ),
            (
                "sqrt(BW)",
                (5, 7),
                "square root of `BW`: it is data rate (B·s⁻¹)",
                "",
            ),
            ("t^0.5", (0, 5), "fractional", ""),
            ("t^workers", (0, 9), "constant power", ""),
            ("2^t", (2, 3), "exponent must be dimensionless", ""),
            (
                "max(t, size)",
                (0, 12),
                "the arguments of `max` must have the same dimension",
                "",
            ),
            ("if(t, 1, 2)", (3, 4), "condition of `if`", "t > 6 h"),
            ("if(t > 1 s, t, size)", (0, 20), "branches of `if`", ""),
            ("t and 1", (0, 1), "`and` needs true/false", ""),
            ("not t", (4, 5), "`not` needs", ""),
            (
                "4 GB/workers",
                (5, 12),
                "`workers` after a number is read as a unit",
                "`4 GB / workers`",
            ),
            ("2 workers", (2, 9), "also a name", "`2 * workers`"),
            ("t^100 * t^100", (0, 13), "out of range", ""),
        ];
        for (src, (s, e), msg, hint) in cases {
            let err = p(src).check(&dims).expect_err(src);
            assert_eq!(err.span, Span::new(*s, *e), "{src}: {err}");
            assert!(err.message.contains(msg), "{src}: {}", err.message);
            let h = err.hint.clone().unwrap_or_default();
            assert!(h.contains(hint), "{src}: hint {h:?}");
        }
    }

    #[test]
    fn parse_errors_with_exact_spans() {
        // (source, span, message fragment, hint fragment)
        let cases: &[(&str, (usize, usize), &str, &str)] = &[
            ("", (0, 0), "empty expression", ""),
            ("   ", (0, 3), "empty expression", ""),
            ("(((", (3, 3), "expression ends too early", ""),
            ("(a + b", (0, 1), "unclosed `(`", "add a matching `)`"),
            ("a + b)", (5, 6), "unmatched `)`", ""),
            ("a +", (3, 3), "ends too early", "after `+`"),
            (
                "maxx(a, b)",
                (0, 4),
                "unknown function `maxx`",
                "did you mean `max`?",
            ),
            ("mn(a, b)", (0, 2), "unknown function `mn`", "`min`"),
            (
                "foo(a)",
                (0, 3),
                "unknown function `foo`",
                "available functions",
            ),
            (
                "clamp(a, b)",
                (0, 11),
                "`clamp` takes 3 arguments, got 2",
                "clamp(x, lo, hi)",
            ),
            ("sqrt(a, b)", (0, 10), "`sqrt` takes 1 argument, got 2", ""),
            ("min()", (0, 5), "at least 1 argument", ""),
            (
                "2 foo",
                (2, 5),
                "expected an operator between `2` and `foo`",
                "insert `*` to multiply: `2 * foo`",
            ),
            (
                "a b",
                (2, 3),
                "expected an operator between `a` and `b`",
                "insert `*`",
            ),
            ("3 GBs", (2, 5), "unknown unit `GBs`", "`GB`"),
            ("3 Gpbs", (2, 6), "unknown unit `Gpbs`", "`Gbps`"),
            ("2 min(a, b)", (2, 5), "expected an operator", "insert `*`"),
            ("a < b < c", (6, 7), "cannot be chained", "and"),
            ("a = b", (2, 3), "`=` is not an operator", "=="),
            ("a ** 2", (2, 4), "`**`", "^"),
            ("a && b", (2, 3), "not an operator", "and"),
            ("$", (0, 1), "`$` must be followed by a number", ""),
            ("$x", (0, 1), "`$` must be followed by a number", ""),
            ("1e999 GB", (0, 5), "too large", ""),
            ("1e300 EB", (0, 8), "quantity is too large", ""),
            ("2. + 1", (1, 2), "digits after the decimal point", ""),
            (".5", (0, 1), "start with a digit", "0.5"),
            ("1,000 * a", (1, 2), "unexpected `,`", "thousands"),
            ("a + and", (4, 7), "expected a value before `and`", ""),
            ("if + 1", (0, 2), "`if` is a function", ""),
            ("a % b", (2, 3), "`%` must follow a number", ""),
            ("()", (0, 2), "empty parentheses", ""),
            (
                "max(a b)",
                (6, 7),
                "expected an operator between `a` and `b`",
                "",
            ),
            ("max(a; b)", (5, 6), "unexpected character `;`", ""),
            ("max(a", (3, 4), "unclosed `(` of a function call", ""),
            ("10 GB/", (6, 6), "ends too early", "after `/`"),
            ("GB/", (3, 3), "ends too early", ""),
            ("^", (0, 1), "expected a value, found `^`", ""),
            ("2 m^999", (3, 7), "exponent out of range", ""),
            ("日本 + 1", (0, 1), "unexpected character `日`", ""),
            ("x ≠ y ≠ z", (6, 7), "cannot be chained", ""),
        ];
        for (src, (s, e), msg, hint) in cases {
            let err = parse(src).expect_err(src);
            assert_eq!(err.span, Span::new(*s, *e), "{src}: {err}");
            assert!(err.message.contains(msg), "{src}: {}", err.message);
            let h = err.hint.clone().unwrap_or_default();
            assert!(h.contains(hint), "{src}: hint {h:?}");
        }
    }

    #[test]
    fn odd_inputs_never_panic() {
        let odd = [
            "",
            "(((",
            ")))",
            "1e999 GB",
            "$",
            "GB/",
            "^",
            "µ",
            "µs",
            "2 µ",
            "é",
            "1 2 3",
            "1 ++ 2",
            "--",
            "not",
            "not not",
            "and",
            "if",
            "if(",
            "if()",
            "min(,)",
            "max(1,)",
            ",",
            "$$",
            "$1$",
            "1 $",
            "1 $/",
            "1 GB/^",
            "2 s^",
            "2 s^-",
            "2 s^-x",
            "0x10",
            "1e",
            "1e+",
            "2 EB",
            "5eggs",
            "2 m²²²",
            "a^^b",
            "a^",
            "-",
            "\u{0}",
            "\u{200b}",
            "a\u{feff}b",
            "1 GB/s/s/s/s",
            "$0.09/",
            "$0.09//GB",
            "$0.09/GB/",
            "((((a))))",
            "1 s^127 * 1 s^127",
            "t^1e300",
            "t^-1e300",
            "t^(0/0)",
            "2^1e308^2",
            "min(t)^0.5",
            "1_000",
            "a.b",
            "a..b",
            "3 Gbps/link/",
            "100 %%",
            "%%",
            "\t1\t+\t2",
        ];
        for src in odd {
            if let Ok(e) = parse(src) {
                let _ = e.check(&dims);
                let _ = e.names();
                let _ = e.to_latex(&|n| n.to_string());
                let _ = e.to_string();
                if let Ok(c) = e.compile(&|_| Some(0)) {
                    let _ = c.eval(&[]);
                    let _ = c.eval(&[1.0]);
                }
            }
        }
    }

    /// Runs every stage on `src`; if it parses, its display must parse back to the same tree.
    fn exercise(src: &str) -> bool {
        let _ = crate::units::parse_quantity(src);
        let _ = crate::units::parse_unit(src);
        let Ok(e) = parse(src) else { return false };
        let _ = e.check(&dims);
        let _ = e.to_latex(&|n| n.to_string());
        let _ = e.to_latex_with_values(&|_| "-1\\,\\mathrm{s}".to_string());
        if let Ok(c) = e.compile(&|_| Some(0)) {
            let _ = c.eval(&[2.0]);
        }
        let shown = e.to_string();
        match parse(&shown) {
            Ok(again) => assert_eq!(strip_spans(&e), strip_spans(&again), "{src:?} -> {shown:?}"),
            Err(err) => panic!("{src:?} displays as {shown:?}, which fails: {err}"),
        }
        true
    }

    /// xorshift64: deterministic pseudo-random numbers without external crates.
    fn rng(mut state: u64) -> impl FnMut(usize) -> usize {
        move |n| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n.max(1) as u64) as usize
        }
    }

    #[test]
    fn random_characters_never_panic() {
        let alphabet: Vec<char> = "12.e5 $%µ/*^·()+-<=>!,abtxhsGBMKibpmin_andornotif日\t"
            .chars()
            .collect();
        let mut pick = rng(0x9E37_79B9_7F4A_7C15);
        for _ in 0..5_000 {
            let len = pick(14);
            let src: String = (0..len)
                .map(|_| alphabet.get(pick(alphabet.len())).copied().unwrap_or(' '))
                .collect();
            exercise(&src);
        }
    }

    #[test]
    fn random_token_sequences_round_trip() {
        let tokens = [
            "a",
            "b",
            "x",
            "t",
            "2",
            "0.5",
            "1e3",
            "12.5 GB/s",
            "$4/h",
            "80%",
            "2 h",
            "3 m^2",
            "+",
            "-",
            "*",
            "/",
            "^",
            "(",
            ")",
            "<",
            "==",
            "and",
            "or",
            "not",
            "min(",
            "max(",
            ",",
            "sqrt(",
            "if(",
            "(",
            ")",
            "-",
            " ",
            "4 GB/link",
            "0.09 $/GB",
            "5 s^-1",
        ];
        let mut pick = rng(0xD1B5_4A32_D192_ED03);
        let mut parsed = 0;
        for _ in 0..20_000 {
            let len = 1 + pick(9);
            let src: String = (0..len)
                .map(|_| tokens.get(pick(tokens.len())).copied().unwrap_or(""))
                .collect::<Vec<_>>()
                .join(" ");
            if exercise(&src) {
                parsed += 1;
            }
        }
        // Make sure the generator produces enough valid expressions to test the round trip.
        assert!(parsed > 1_000, "only {parsed} parsed");
    }

    #[test]
    fn hostile_nesting_is_an_error_not_a_crash() {
        let deep_parens = "(".repeat(100_000);
        assert!(parse(&deep_parens).is_err());
        let deep_neg = "-".repeat(100_000) + "1";
        assert!(parse(&deep_neg).is_err());
        let deep_not = "not ".repeat(10_000) + "1";
        assert!(parse(&deep_not).is_err());
        let long_sum = vec!["1"; 10_000].join(" + ");
        let err = parse(&long_sum).expect_err("too deep");
        assert!(err.message.contains("nested too deeply"));
        let long_pow = vec!["1"; 10_000].join("^");
        assert!(parse(&long_pow).is_err());
        // Reasonable sizes still work.
        let ok_sum = vec!["1"; 100].join(" + ");
        assert_eq!(eval(&ok_sum), 100.0);
        let ok_parens = format!("{}1{}", "(".repeat(30), ")".repeat(30));
        assert_eq!(eval(&ok_parens), 1.0);
        assert!(parse(&format!("{}1{}", "(".repeat(40), ")".repeat(40))).is_err());
    }

    #[test]
    fn compile_reports_unknown_names() {
        let err = p("a + zz")
            .compile(&|n| (n == "a").then_some(0))
            .expect_err("zz has no slot");
        assert_eq!(err.span, Span::new(4, 6));
        assert!(err.message.contains("`zz`"));
    }

    #[test]
    fn latex_rendering() {
        let tex = |n: &str| match n {
            "BW" => "BW".to_string(),
            "t_io" => "t_{io}".to_string(),
            other => other.to_string(),
        };
        let cases: &[(&str, &str)] = &[
            ("D / BW", "\\frac{D}{BW}"),
            ("min(a, b)", "\\min(a, b)"),
            ("a * b", "a \\cdot b"),
            ("batch_bytes / 12.5 GB/s", "\\frac{batch_bytes}{12.5\\,\\mathrm{GB/s}}"),
            ("$0.09/GB * size", "\\$0.09/\\mathrm{GB} \\cdot size"),
            ("$4", "\\$4"),
            ("80%", "80\\%"),
            ("(a + b) * c", "\\left(a + b\\right) \\cdot c"),
            ("a - (b + c)", "a - \\left(b + c\\right)"),
            ("a - b - c", "a - b - c"),
            ("-a^2", "-a^{2}"),
            ("(a + b)^2", "\\left(a + b\\right)^{2}"),
            ("(2 h)^2", "\\left(2\\,\\mathrm{h}\\right)^{2}"),
            ("sqrt(2 * delta * mtbf)", "\\sqrt{2 \\cdot delta \\cdot mtbf}"),
            ("abs(x)", "\\left|x\\right|"),
            ("floor(t / 1 h)", "\\lfloor \\frac{t}{1\\,\\mathrm{h}} \\rfloor"),
            ("log10(x)", "\\log_{10}(x)"),
            ("t <= 6 h", "t \\le 6\\,\\mathrm{h}"),
            ("a != b", "a \\neq b"),
            ("a > 1 and not b", "a > 1 \\land \\lnot b"),
            ("2.5E9 * x", "2.5 \\times 10^{9} \\cdot x"),
            ("1e-3 * x", "10^{-3} \\cdot x"),
            ("5 us", "5\\,\\mathrm{\\mu s}"),
            ("2 kg*m^2/s^2", "2\\,\\mathrm{kg\\cdot m^{2}/s^{2}}"),
            (
                "if(t > 1 h, a, b)",
                "\\begin{cases} a & \\text{if } t > 1\\,\\mathrm{h} \\\\ b & \\text{otherwise} \\end{cases}",
            ),
            ("t_io * 2", "t_{io} \\cdot 2"),
            ("a * -b", "a \\cdot \\left(-b\\right)"),
            ("a + -b", "a + \\left(-b\\right)"),
        ];
        for (src, want) in cases {
            assert_eq!(p(src).to_latex(&tex), *want, "{src}");
        }
    }

    #[test]
    fn latex_with_values_substitutes_names() {
        let values = |n: &str| match n {
            "D" => "50\\,\\mathrm{TB}".to_string(),
            "BW" => "12.5\\,\\mathrm{GB/s}".to_string(),
            "x" => "-3".to_string(),
            "t" => "2\\,\\mathrm{h}".to_string(),
            other => other.to_string(),
        };
        let cases: &[(&str, &str)] = &[
            ("D / BW", "\\frac{50\\,\\mathrm{TB}}{12.5\\,\\mathrm{GB/s}}"),
            ("a - x", "a - \\left(-3\\right)"),
            ("t^2", "\\left(2\\,\\mathrm{h}\\right)^{2}"),
            ("a^2", "a^{2}"),
            (
                "min(D, BW * t)",
                "\\min(50\\,\\mathrm{TB}, 12.5\\,\\mathrm{GB/s} \\cdot 2\\,\\mathrm{h})",
            ),
        ];
        for (src, want) in cases {
            assert_eq!(p(src).to_latex_with_values(&values), *want, "{src}");
        }
    }

    #[test]
    fn spans_cover_operators_and_parentheses() {
        let e = p("(a + b) * c");
        assert_eq!(e.span, Span::new(0, 11));
        let ExprKind::Binary { lhs, .. } = &e.kind else {
            panic!("not binary");
        };
        assert_eq!(lhs.span, Span::new(1, 6));
        assert_eq!(p("max(a, b)").span, Span::new(0, 9));
        assert_eq!(p("-x").span, Span::new(0, 2));
        assert_eq!(p("12.5 GB/s").span, Span::new(0, 9));
        assert_eq!(p("$0.09/GB").span, Span::new(0, 8));
        // Spans count chars, not bytes.
        assert_eq!(p("5 µs + t").span, Span::new(0, 8));
    }

    #[test]
    fn literal_values_and_dims() {
        let e = p("$0.09/GB");
        let ExprKind::Literal(lit) = &e.kind else {
            panic!("not a literal");
        };
        assert!(lit.dollar);
        assert_eq!(lit.number, 0.09);
        assert!(close(lit.value, 9e-11, 1e-12));
        assert_eq!(lit.dim(), Dim([0, -1, 0, 0, 1, 0]));
        assert_eq!(lit.unit_atoms, vec![("GB".to_string(), Span::new(6, 8))]);
    }

    #[test]
    fn space_ends_a_unit_so_names_can_follow() {
        let e = p("2 h * workers");
        let ExprKind::Binary { op, lhs, rhs } = &e.kind else {
            panic!("not binary");
        };
        assert_eq!(*op, BinOp::Mul);
        assert!(matches!(&lhs.kind, ExprKind::Literal(l) if l.value == 7200.0));
        assert_eq!(rhs.kind, ExprKind::Name("workers".to_string()));
    }

    #[test]
    fn unknown_atom_after_slash_is_a_name() {
        let e = p("4 GB/link");
        assert_eq!(e.names(), vec![("link".to_string(), Span::new(5, 9))]);
        assert_eq!(e.check(&dims), Ok(Dim::DATA));
    }

    #[test]
    fn dollar_rates_and_prices() {
        assert!(close(eval("$4/h * 10 h"), 40.0, 1e-12));
        assert!(close(eval("$4/GPU/h * 8 GPU * 10 h"), 320.0, 1e-12));
        assert_eq!(p("$4/h").check(&dims), Ok(Dim([-1, 0, 0, 0, 1, 0])));
        assert!(close(eval("$0.12/kWh * 400 W * 1 year"), 420.48, 1e-12));
    }

    #[test]
    fn percent_comparisons() {
        let vars = [("util", 0.85)];
        assert_eq!(eval_with("util >= 80%", &vars), 1.0);
        assert_eq!(eval_with("util >= 90%", &vars), 0.0);
        assert_eq!(p("util >= 80%").check(&dims), Ok(Dim::DIMENSIONLESS));
    }

    #[test]
    fn young_checkpoint_interval() {
        // tau = sqrt(2 delta M) with delta = 35 s and M = 4.4 h: about 17.5 minutes.
        let tau = eval_with(
            "sqrt(2 * delta * mtbf)",
            &[("delta", 35.0), ("mtbf", 4.4 * 3600.0)],
        );
        assert!(close(tau, (2.0f64 * 35.0 * 15_840.0).sqrt(), 1e-12));
        assert!((tau / 60.0 - 17.5).abs() < 0.1, "{tau}");
        assert_eq!(p("sqrt(2 * delta * mtbf)").check(&dims), Ok(Dim::TIME));
    }

    #[test]
    fn failure_probability() {
        // P(at least one failure in T) = 1 - exp(-T / MTBF)
        let pf = eval_with(
            "1 - exp(-t / mtbf)",
            &[("t", 3600.0), ("mtbf", 4.4 * 3600.0)],
        );
        assert!(close(pf, 1.0 - (-1.0f64 / 4.4).exp(), 1e-12));
    }

    #[test]
    fn logic_propagates_nan() {
        assert!(eval("0/0 and 1").is_nan());
        assert!(eval("1 or 0/0").is_nan());
        assert!(eval("not (0/0)").is_nan());
        assert!(eval("max(1, 0/0)").is_nan());
        assert!(eval("clamp(0/0, 0, 1)").is_nan());
    }

    #[test]
    fn if_is_a_keyword_and_a_function() {
        assert_eq!(eval("if(2 > 1, 1 h, 2 h)"), 3600.0);
        let err = parse("If(a, b, c)").expect_err("case matters");
        assert_eq!(err.hint.as_deref(), Some("did you mean `if`?"));
        let err = parse("if(a, b)").expect_err("arity");
        assert_eq!(err.message, "`if` takes 3 arguments, got 2");
        assert_eq!(err.hint.as_deref(), Some("call it as `if(cond, a, b)`"));
    }

    #[test]
    fn function_names_are_not_names() {
        let e = p("max(a, min(b, c)) + sqrt(x)");
        let names: Vec<String> = e.names().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, vec!["a", "b", "c", "x"]);
    }

    #[test]
    fn unknown_name_message() {
        let err = p("t_oi * 2").check(&dims).expect_err("typo");
        assert_eq!(err.message, "unknown name `t_oi`");
        assert_eq!(err.span, Span::new(0, 4));
    }

    #[test]
    fn compiled_programs_are_reusable_across_states() {
        let e = p("min(storage_bw / (batch * image_bytes / step_time), 1)");
        let names = ["storage_bw", "batch", "image_bytes", "step_time"];
        let c = e
            .compile(&|n| names.iter().position(|k| *k == n))
            .unwrap_or_else(|err| panic!("{err}"));
        let mut total = 0.0;
        for i in 0..10_000 {
            let bw = 150e6 * f64::from(i % 100 + 1);
            total += c.eval(&[bw, 64.0, 150e3, 0.1]);
        }
        // bw / demand with demand = 96 MB/s: every storage tier of 150 MB/s or more saturates.
        assert_eq!(total, 10_000.0);
        assert_eq!(c.eval(&[48e6, 64.0, 150e3, 0.1]), 0.5);
    }

    #[test]
    fn more_latex_functions() {
        let id = |n: &str| n.to_string();
        let cases: &[(&str, &str)] = &[
            ("clamp(x, 0, 1)", "\\operatorname{clamp}(x, 0, 1)"),
            ("ceil(x)", "\\lceil x \\rceil"),
            ("round(x)", "\\operatorname{round}(x)"),
            ("exp(-x)", "\\exp(-x)"),
            ("ln(x)", "\\ln(x)"),
            ("log2(x)", "\\log_{2}(x)"),
            ("max(a, b, c)", "\\max(a, b, c)"),
            ("a or b and c", "a \\lor b \\land c"),
            ("(a or b) and c", "\\left(a \\lor b\\right) \\land c"),
            ("0.09 $/GB", "0.09\\,\\mathrm{\\$/GB}"),
            ("sqrt(x)^2", "\\left(\\sqrt{x}\\right)^{2}"),
        ];
        for (src, want) in cases {
            assert_eq!(p(src).to_latex(&id), *want, "{src}");
        }
    }

    #[test]
    fn error_display_includes_hint() {
        let err = parse("maxx(a)").expect_err("unknown");
        assert_eq!(
            err.to_string(),
            "unknown function `maxx` (did you mean `max`?)"
        );
    }
}
