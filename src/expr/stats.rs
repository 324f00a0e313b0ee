//! Distribution functions offered to formulas.

/// The standard normal CDF, Φ(z) = erfc(-z/√2) / 2, accurate in both tails.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

/// The Kolmogorov distribution's survival function
/// Q(λ) = 2 Σ_{k≥1} (−1)^{k−1} exp(−2k²λ²): the probability that √n·D
/// exceeds λ under the null hypothesis, for large n.
///
/// The alternating series converges slowly for small λ, so below λ = 1.18
/// (where both forms are accurate) the Jacobi-theta form of the CDF,
/// √(2π)/λ Σ_{k≥1} exp(−(2k−1)²π²/(8λ²)), is used instead.
pub fn kolmogorov(lambda: f64) -> f64 {
    use std::f64::consts::PI;
    if lambda.is_nan() {
        return f64::NAN;
    }
    if lambda <= 0.0 {
        return 1.0;
    }
    if lambda < 1.18 {
        let w = (2.0 * PI).sqrt() / lambda;
        let f = -PI * PI / (8.0 * lambda * lambda);
        let cdf: f64 = (1..=8u32)
            .map(|k| {
                let m = f64::from(2 * k - 1);
                (m * m * f).exp()
            })
            .sum::<f64>()
            * w;
        (1.0 - cdf).clamp(0.0, 1.0)
    } else {
        let mut q = 0.0;
        let mut sign = 1.0;
        for k in 1..=100u32 {
            let kk = f64::from(k);
            let term = (-2.0 * kk * kk * lambda * lambda).exp();
            q += sign * term;
            if term < 1e-17 {
                break;
            }
            sign = -sign;
        }
        (2.0 * q).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::{kolmogorov, normal_cdf};

    #[test]
    fn normal_cdf_matches_tables() {
        assert_eq!(normal_cdf(0.0), 0.5);
        assert!((normal_cdf(1.959_963_984_540_054) - 0.975).abs() < 1e-12);
        assert!((normal_cdf(-3.0) - 0.001_349_898_031_630_094_6).abs() < 1e-15);
        assert!((normal_cdf(1.0) - 0.841_344_746_068_542_9).abs() < 1e-12);
    }

    #[test]
    fn kolmogorov_matches_the_series_and_the_classic_critical_values() {
        // Values of 2 Σ (−1)^{k−1} exp(−2k²λ²) summed to 200 terms.
        for (lambda, q) in [
            (0.5, 0.963_945_243_664_875_1),
            (0.8, 0.544_142_411_574_198_1),
            (1.0, 0.269_999_671_677_354_56),
            (1.2, 0.112_249_666_670_724_96),
            (2.0, 0.000_670_925_255_779_695_3),
        ] {
            assert!((kolmogorov(lambda) - q).abs() < 1e-12, "Q({lambda})");
        }
        // The textbook critical values: 1.358 at alpha = 0.05, 1.628 at 0.01.
        assert!((kolmogorov(1.358) - 0.05).abs() < 5e-4);
        assert!((kolmogorov(1.628) - 0.01).abs() < 2e-4);
        assert_eq!(kolmogorov(0.0), 1.0);
        assert!(kolmogorov(f64::NAN).is_nan());
    }
}
