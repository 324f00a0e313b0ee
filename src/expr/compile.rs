//! Compilation to a flat stack program ([`Compiled`]) and its evaluation.

use super::stats::{kolmogorov, normal_cdf};
use super::{BinOp, Expr, ExprError, ExprKind, Func, UnaryOp};

impl Expr {
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
}

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
mod tests;
