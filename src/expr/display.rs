//! Printing an expression back as source text.

use std::fmt;

use super::{BinOp, Expr, ExprKind, UnaryOp, PREC_NEG, PREC_NOT};

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
