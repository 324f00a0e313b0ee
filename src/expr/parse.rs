//! The parser: tokens to an [`Expr`] tree, by precedence climbing, with tailored errors.

use super::func::FUNC_NAMES;
use super::lex::{lex, Tok, Token};
use super::{
    BinOp, Expr, ExprError, ExprKind, Func, Span, UnaryOp, MAX_DEPTH, MAX_NESTING, PREC_ADD,
    PREC_NOT, PREC_OR,
};
use crate::diag::suggest::{suggestions, Vocabulary};
use crate::units;

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
            let found = suggestions(name, FUNC_NAMES, Vocabulary::Symbols);
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

#[cfg(test)]
mod tests;
