//! Dimension checking: the [`Dim`] of an expression, or a message naming both sides of a mismatch.

use super::{BinOp, Expr, ExprError, ExprKind, Func, UnaryOp};
use crate::units::Dim;

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
}

#[cfg(test)]
mod tests;
