//! The formula language of indicators: arithmetic over data elements.
//!
//! ```text
//! expr    := term (('+' | '-') term)*
//! term    := unary (('*' | '/') unary)*
//! unary   := '-' unary | atom
//! atom    := number | '#{' code ('.' option)* '}' | '(' expr ')'
//! number  := digits ['.' digits]
//! code    := [a-z0-9_]+       option := [a-z0-9_+-]+
//! ```
//!
//! `#{live_births}` is the total of an element over all its
//! disaggregations; `#{live_births.m}` only the values whose
//! disaggregation includes the option `m`; `#{deaths.m.0}` those with both
//! options. `#{population}` is the registry's population (mid-year).
//!
//! Evaluation never produces infinity: a division by zero, or by an element
//! with no data, is `None` ("no data"). A missing element inside a sum
//! counts as zero when the other side has data; a product or quotient with
//! a missing side is missing.
//!
//! Parsing is a hand-written precedence climber; every error carries the
//! byte position it was found at.

use std::fmt;

/// A reference to a data element, optionally restricted to disaggregation
/// options.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ElementRef {
    /// The element's code.
    pub code: String,
    /// Options every counted value's disaggregation must include.
    pub options: Vec<String>,
}

impl fmt::Display for ElementRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{{{}", self.code)?;
        for o in &self.options {
            write!(f, ".{o}")?;
        }
        f.write_str("}")
    }
}

/// A binary operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

impl Op {
    fn symbol(self) -> char {
        match self {
            Op::Add => '+',
            Op::Sub => '-',
            Op::Mul => '*',
            Op::Div => '/',
        }
    }
}

/// A parsed formula.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A constant.
    Num(f64),
    /// A data element (or one of its disaggregations).
    Element(ElementRef),
    /// Negation.
    Neg(Box<Expr>),
    /// A binary operation.
    Bin(Op, Box<Expr>, Box<Expr>),
}

/// Why a formula cannot be read: what was expected, at which byte.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("formula error at position {position}: {message}")]
pub struct ParseError {
    /// 0-based byte offset into the formula.
    pub position: usize,
    /// What went wrong.
    pub message: String,
}

/// Formulas deeper than this are refused (no stack overflow on hostile input).
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    depth: usize,
}

impl<'a> Parser<'a> {
    fn err<T>(&self, message: impl Into<String>) -> Result<T, ParseError> {
        Err(ParseError {
            position: self.pos,
            message: message.into(),
        })
    }

    fn skip_ws(&mut self) {
        while self.pos < self.s.len() && self.s[self.pos].is_ascii_whitespace() {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.s.get(self.pos).copied()
    }

    fn expr(&mut self) -> Result<Expr, ParseError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.err("formula nested too deeply");
        }
        let mut lhs = self.term()?;
        while let Some(c @ (b'+' | b'-')) = self.peek() {
            self.pos += 1;
            let rhs = self.term()?;
            let op = if c == b'+' { Op::Add } else { Op::Sub };
            lhs = Expr::Bin(op, Box::new(lhs), Box::new(rhs));
        }
        self.depth -= 1;
        Ok(lhs)
    }

    fn term(&mut self) -> Result<Expr, ParseError> {
        let mut lhs = self.unary()?;
        while let Some(c @ (b'*' | b'/')) = self.peek() {
            self.pos += 1;
            let rhs = self.unary()?;
            let op = if c == b'*' { Op::Mul } else { Op::Div };
            lhs = Expr::Bin(op, Box::new(lhs), Box::new(rhs));
        }
        Ok(lhs)
    }

    fn unary(&mut self) -> Result<Expr, ParseError> {
        if self.peek() == Some(b'-') {
            self.pos += 1;
            self.depth += 1;
            if self.depth > MAX_DEPTH {
                return self.err("formula nested too deeply");
            }
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Expr::Neg(Box::new(inner)));
        }
        self.atom()
    }

    fn atom(&mut self) -> Result<Expr, ParseError> {
        match self.peek() {
            None => self.err("expected a number, #{element} or '(' but the formula ends"),
            Some(b'(') => {
                self.pos += 1;
                let e = self.expr()?;
                if self.peek() != Some(b')') {
                    return self.err("expected ')'");
                }
                self.pos += 1;
                Ok(e)
            }
            Some(b'#') => self.element(),
            Some(c) if c.is_ascii_digit() => self.number(),
            Some(c) => self.err(format!(
                "unexpected '{}': expected a number, #{{element}} or '('",
                char_at(self.s, self.pos).unwrap_or(c as char)
            )),
        }
    }

    fn number(&mut self) -> Result<Expr, ParseError> {
        let start = self.pos;
        while self.pos < self.s.len() && self.s[self.pos].is_ascii_digit() {
            self.pos += 1;
        }
        if self.s.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            let frac = self.pos;
            while self.pos < self.s.len() && self.s[self.pos].is_ascii_digit() {
                self.pos += 1;
            }
            if frac == self.pos {
                return self.err("expected digits after the decimal point");
            }
        }
        let text = std::str::from_utf8(&self.s[start..self.pos]).unwrap_or("");
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Expr::Num(v)),
            _ => Err(ParseError {
                position: start,
                message: format!("'{text}' is not a usable number"),
            }),
        }
    }

    fn name(&mut self, allow: fn(u8) -> bool, what: &str) -> Result<String, ParseError> {
        let start = self.pos;
        while self.pos < self.s.len() && allow(self.s[self.pos]) {
            self.pos += 1;
        }
        if start == self.pos {
            return self.err(format!("expected {what}"));
        }
        Ok(String::from_utf8_lossy(&self.s[start..self.pos]).into_owned())
    }

    fn element(&mut self) -> Result<Expr, ParseError> {
        self.pos += 1;
        if self.s.get(self.pos) != Some(&b'{') {
            return self.err("expected '{' after '#'");
        }
        self.pos += 1;
        let code = self.name(
            |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_',
            "an element code (a-z, 0-9, _)",
        )?;
        let mut options = Vec::new();
        while self.s.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            options.push(self.name(
                |c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'_' | b'-' | b'+'),
                "a disaggregation option after '.'",
            )?);
        }
        if self.s.get(self.pos) != Some(&b'}') {
            return self.err("expected '}' to close the element reference");
        }
        self.pos += 1;
        Ok(Expr::Element(ElementRef { code, options }))
    }
}

fn char_at(s: &[u8], pos: usize) -> Option<char> {
    std::str::from_utf8(&s[pos..]).ok()?.chars().next()
}

impl Expr {
    /// Parses a formula; the error names the byte position of the problem.
    pub fn parse(text: &str) -> Result<Expr, ParseError> {
        let mut p = Parser {
            s: text.as_bytes(),
            pos: 0,
            depth: 0,
        };
        let e = p.expr()?;
        if p.peek().is_some() {
            return p.err(format!(
                "unexpected '{}' after a complete formula",
                char_at(p.s, p.pos).unwrap_or('?')
            ));
        }
        Ok(e)
    }

    /// Every element the formula refers to, in order of appearance.
    pub fn elements(&self) -> Vec<&ElementRef> {
        let mut out = Vec::new();
        self.collect(&mut out);
        out
    }

    fn collect<'a>(&'a self, out: &mut Vec<&'a ElementRef>) {
        match self {
            Expr::Num(_) => {}
            Expr::Element(r) => out.push(r),
            Expr::Neg(e) => e.collect(out),
            Expr::Bin(_, a, b) => {
                a.collect(out);
                b.collect(out);
            }
        }
    }

    /// Evaluates with `lookup` giving each element's total (`None`: no
    /// data). Never infinite or NaN: see the module's rules.
    pub fn eval(&self, lookup: &mut dyn FnMut(&ElementRef) -> Option<f64>) -> Option<f64> {
        let v = match self {
            Expr::Num(v) => Some(*v),
            Expr::Element(r) => lookup(r),
            Expr::Neg(e) => e.eval(lookup).map(|v| -v),
            Expr::Bin(op, a, b) => {
                let (x, y) = (a.eval(lookup), b.eval(lookup));
                match op {
                    Op::Add | Op::Sub => {
                        let sign = if *op == Op::Add { 1.0 } else { -1.0 };
                        match (x, y) {
                            (None, None) => None,
                            (x, y) => Some(x.unwrap_or(0.0) + sign * y.unwrap_or(0.0)),
                        }
                    }
                    Op::Mul => Some(x? * y?),
                    Op::Div => {
                        let (x, y) = (x?, y?);
                        if y == 0.0 {
                            None
                        } else {
                            Some(x / y)
                        }
                    }
                }
            }
        };
        v.filter(|v| v.is_finite())
    }
}

impl fmt::Display for Expr {
    /// Prints the formula fully parenthesised, so it parses back to itself.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Num(v) => write!(f, "{v}"),
            Expr::Element(r) => write!(f, "{r}"),
            Expr::Neg(e) => write!(f, "-({e})"),
            Expr::Bin(op, a, b) => write!(f, "({a} {} {b})", op.symbol()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn eval(text: &str, values: &[(&str, f64)]) -> Option<f64> {
        let e = Expr::parse(text).unwrap();
        e.eval(&mut |r| {
            values
                .iter()
                .find(|(k, _)| *k == r.to_string())
                .map(|(_, v)| *v)
        })
    }

    #[test]
    fn precedence_and_parentheses() {
        assert_eq!(eval("1 + 2 * 3", &[]), Some(7.0));
        assert_eq!(eval("(1 + 2) * 3", &[]), Some(9.0));
        assert_eq!(eval("10 - 4 - 3", &[]), Some(3.0));
        assert_eq!(eval("-2 * -3", &[]), Some(6.0));
        assert_eq!(eval("8 / 4 / 2", &[]), Some(1.0));
    }

    #[test]
    fn elements_with_options() {
        let e = Expr::parse("#{live_births.m} / #{live_births.f}").unwrap();
        let refs: Vec<String> = e.elements().iter().map(|r| r.to_string()).collect();
        assert_eq!(refs, ["#{live_births.m}", "#{live_births.f}"]);
        assert_eq!(
            eval("#{deaths.m.80+} + 1", &[("#{deaths.m.80+}", 2.0)]),
            Some(3.0)
        );
    }

    #[test]
    fn division_by_zero_or_missing_is_no_data() {
        assert_eq!(eval("1 / 0", &[]), None);
        assert_eq!(eval("#{a} / #{b}", &[("#{a}", 3.0), ("#{b}", 0.0)]), None);
        assert_eq!(eval("#{a} / #{b}", &[("#{a}", 3.0)]), None);
        assert_eq!(eval("#{a} - #{b}", &[("#{a}", 3.0)]), Some(3.0));
        assert_eq!(eval("#{a} + #{b}", &[]), None);
    }

    #[test]
    fn errors_point_at_the_position() {
        let e = Expr::parse("#{a} + * 2").unwrap_err();
        assert_eq!(e.position, 7);
        let e = Expr::parse("#{A}").unwrap_err();
        assert_eq!(e.position, 2);
        let e = Expr::parse("(1 + 2").unwrap_err();
        assert_eq!(e.position, 6);
        assert!(e.message.contains("')'"));
        let e = Expr::parse("1 2").unwrap_err();
        assert_eq!(e.position, 2);
        let e = Expr::parse("#{a.}").unwrap_err();
        assert_eq!(e.position, 4);
        assert!(Expr::parse("").is_err());
        assert!(Expr::parse(&"(".repeat(10_000)).is_err());
    }

    fn arb_expr() -> impl Strategy<Value = Expr> {
        let leaf = prop_oneof![
            (0u32..10_000).prop_map(|v| Expr::Num(f64::from(v) / 4.0)),
            (
                "[a-z][a-z0-9_]{0,8}",
                proptest::collection::vec("[a-z0-9]{1,3}", 0..3)
            )
                .prop_map(|(code, options)| Expr::Element(ElementRef { code, options })),
        ];
        leaf.prop_recursive(5, 32, 2, |inner| {
            prop_oneof![
                inner.clone().prop_map(|e| Expr::Neg(Box::new(e))),
                (
                    prop_oneof![Just(Op::Add), Just(Op::Sub), Just(Op::Mul), Just(Op::Div)],
                    inner.clone(),
                    inner
                )
                    .prop_map(|(op, a, b)| Expr::Bin(op, Box::new(a), Box::new(b))),
            ]
        })
    }

    proptest! {
        #[test]
        fn printed_formulas_parse_back(e in arb_expr()) {
            let text = e.to_string();
            prop_assert_eq!(Expr::parse(&text).unwrap(), e);
        }

        #[test]
        fn parsing_never_panics(s in "\\PC{0,40}") {
            let _ = Expr::parse(&s);
        }

        #[test]
        fn evaluation_is_finite_or_no_data(e in arb_expr(), v in -1000i32..1000) {
            let r = e.eval(&mut |_| Some(f64::from(v)));
            prop_assert!(r.is_none_or(|x| x.is_finite()));
        }
    }
}
