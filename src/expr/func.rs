//! The built-in functions: names, call shapes and argument counts.

use super::{ExprError, Span};

/// Names of all functions, in the order they are suggested.
pub(super) const FUNC_NAMES: [&str; 15] = [
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
    pub(super) fn arity_error(self, got: usize, span: Span) -> Option<ExprError> {
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
