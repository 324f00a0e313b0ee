//! The LaTeX converter: the examples compile, bad input is an error, the
//! repairs of mitex's output hold.

use super::*;
use crate::render::typst::engine::compile;
use crate::render::typst::engine::tests::doc;

const EXAMPLES: &[&str] = &[
    r"\eta_{\mathrm{GPU}} = \frac{t_{\mathrm{compute}}}{\max\left(t_{\mathrm{compute}},\; t_{\mathrm{I/O}},\; t_{\mathrm{prep}}\right)} \qquad \text{feeding tax} = 1 - \eta_{\mathrm{GPU}}",
    r"T = \sqrt{2 \delta M}",
    r"\tau_{\mathrm{opt}} \approx \sqrt{2\,\delta\,M} + \delta",
    r"D = \sup_x |F_1(x) - F_2(x)|",
    r"a \times b \approx c \le d \quad e",
];

#[test]
fn latex_examples_compile() {
    let mut body = String::new();
    for ex in EXAMPLES {
        let t = latex_to_typst(ex).unwrap_or_else(|e| panic!("{ex}: {e}"));
        body.push_str(&format!("$ {t} $\n"));
    }
    compile(&doc(&body), &[], None).unwrap_or_else(|e| panic!("{e:?}\n{body}"));
}

#[test]
fn bad_latex_is_an_error() {
    for bad in [
        r"\frac{1}{2",
        r"x}",
        r"\notacommand{x}",
        r"\cite{knuth}",
        r"\includegraphics",
        r"\hspace{1cm}",
    ] {
        assert!(latex_to_typst(bad).is_err(), "{bad} should be rejected");
    }
}

#[test]
fn latex_fixups() {
    let conv = |l: &str| latex_to_typst(l).unwrap_or_else(|e| panic!("{l}: {e}"));
    // Symbols renamed in Typst 0.14/0.15.
    assert!(conv(r"\partial x").contains("partial"));
    assert!(conv(r"A \cap B").contains("inter"));
    assert!(conv(r"\langle x \rangle").contains("chevron.l"));
    assert!(conv(r"\bigoplus_i x_i").contains("plus.o.big"));
    // Bars: pairs tight, a lone bar (conditional) keeps its spaces.
    assert_eq!(tighten_bars("| x |  +  | y | "), "|x|  +  |y| ");
    assert_eq!(tighten_bars("P \\(A | B \\)"), "P \\(A | B \\)");
    assert_eq!(tighten_bars("|| v || "), "||v|| ");
    assert_eq!(
        tighten_bars("#textmath[a | b]; | x |"),
        "#textmath[a | b]; |x|"
    );
    // A dollar in text stays a dollar; text cannot inject code.
    assert!(conv(r"\text{cost in \$}").contains("\\$"));
    assert!(conv(r"\text{#panic()}").contains("\\#panic"));
    // Environments and helpers from the prelude.
    conv(r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}");
    conv(r"\begin{aligned} a &= b \\ &= c \end{aligned}");
    conv(r"\sqrt[3]{x} + \tfrac{1}{2} + \operatorname{argmax}_x f(x)");
}

#[test]
fn prelude_defines_every_mitex_name() {
    let body: String = MITEX_PRELUDE_NAMES
        .iter()
        .map(|n| format!("#let _ = {n}\n"))
        .collect();
    compile(&doc(&body), &[], None).unwrap_or_else(|e| panic!("{e:?}"));
}
