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

mod compile;
mod dim;
mod display;
mod func;
mod latex;
mod lex;
mod parse;
mod stats;

#[cfg(test)]
mod tests;

pub use compile::Compiled;
pub use func::Func;
pub use parse::parse;
pub use stats::{kolmogorov, normal_cdf};

use std::fmt;

use crate::units::{Dim, Unit, UnitError};

/// Deepest nesting of parentheses, unary operators and calls the parser follows. Real formulas
/// stay far below; the limit keeps hostile input from overflowing the stack.
const MAX_NESTING: usize = 32;

/// Largest expression tree height accepted, so that checking, compiling and rendering (which
/// recurse) are bounded too, even for long `a + b + c + …` chains.
const MAX_DEPTH: u32 = 128;

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
}
