//! LaTeX rendering.

use super::super::tests::p;

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
