//! LaTeX rendering of expressions, for KaTeX in the HTML book and mitex in the PDF.

use super::{BinOp, Expr, ExprKind, Func, Literal, UnaryOp, PREC_ADD, PREC_AND, PREC_ATOM};

impl Expr {
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
        let sub = |i: usize, wrap: bool| wrapped(child(&children, i), wrap);
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
                binary_latex(*op, lhs, rhs, &children, tex, substituted)
            }
            ExprKind::Call { func, .. } => call_latex(*func, &children),
        }
    }
}

/// `s` in stretchy parentheses.
fn paren(s: String) -> String {
    format!("\\left({s}\\right)")
}

/// `s`, parenthesised if `wrap`.
fn wrapped(s: String, wrap: bool) -> String {
    if wrap {
        paren(s)
    } else {
        s
    }
}

/// The `i`-th rendered child; empty for a hand-built tree that lacks it.
fn child(children: &[String], i: usize) -> String {
    children.get(i).cloned().unwrap_or_default()
}

/// `lhs op rhs` around the rendered operands, parenthesised as precedence requires.
fn binary_latex(
    op: BinOp,
    lhs: &Expr,
    rhs: &Expr,
    children: &[String],
    tex: &dyn Fn(&str) -> String,
    substituted: bool,
) -> String {
    let sub = |i: usize, wrap: bool| wrapped(child(children, i), wrap);
    let p = op.prec();
    match op {
        BinOp::Div => format!("\\frac{{{}}}{{{}}}", sub(0, false), sub(1, false)),
        BinOp::Pow => {
            let wrap_base = lhs.prec() < PREC_ATOM
                || match &lhs.kind {
                    ExprKind::Literal(l) => l.unit.is_some() || l.text.contains(['e', 'E']),
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
            let wrap_rhs = rhs.prec() < p || (op == BinOp::Sub && rhs.prec() == p) || rhs.is_neg();
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

/// A call of `func` around its rendered arguments.
fn call_latex(func: Func, children: &[String]) -> String {
    let list = || children.join(", ");
    let first = || child(children, 0);
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
        Func::If => format!(
            "\\begin{{cases}} {} & \\text{{if }} {} \\\\ {} & \\text{{otherwise}} \\end{{cases}}",
            child(children, 1),
            child(children, 0),
            child(children, 2)
        ),
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

#[cfg(test)]
mod tests;
