//! The statistics of the report: the standard normal distribution (its CDF by Marsaglia's series,
//! its inverse by Acklam's rational approximation refined with one Halley step), the two-sided z
//! of a confidence level, and the Wilson score interval of a proportion.

use serde::Serialize;

/// ln(√(2π)), the constant term of Stirling's series in `ln_gamma`.
const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// Φ(x), the standard normal CDF (Marsaglia 2004: Φ(x) = ½ + φ(x)·(x + x³/3 + x⁵/15 + …)); exact
/// to about 1e-15 for |x| ≤ 8, and 0 or 1 beyond.
pub fn normal_cdf(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    if x < -8.0 {
        return 0.0;
    }
    if x > 8.0 {
        return 1.0;
    }
    let square = x * x;
    let mut sum = x;
    let mut term = x;
    let mut divisor = 1.0;
    for _ in 0..1000 {
        divisor += 2.0;
        term *= square / divisor;
        let next = sum + term;
        if next == sum {
            break;
        }
        sum = next;
    }
    (0.5 + sum * (-0.5 * square - LN_SQRT_2PI).exp()).clamp(0.0, 1.0)
}

/// Φ⁻¹(p) for p in (0, 1): Acklam's approximation (relative error 1.15e-9) and one Halley step
/// on [`normal_cdf`], which brings it to full double precision. `None` outside (0, 1).
pub fn inverse_normal(p: f64) -> Option<f64> {
    if !(p > 0.0 && p < 1.0) {
        return None;
    }
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const LOW: f64 = 0.02425;
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let mut x = if p < LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - LOW {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    };
    // Halley refinement (Acklam): e = Φ(x) − p, u = e·√(2π)·exp(x²/2).
    if x.abs() < 8.0 {
        let error = normal_cdf(x) - p;
        let u = error * (0.5 * x * x + LN_SQRT_2PI).exp();
        x -= u / (1.0 + x * u / 2.0);
    }
    Some(x)
}

/// The two-sided z of a confidence level in (0, 1): Φ⁻¹(1 − (1 − c)/2); 0.95 → 1.959963984540054.
pub fn z_for_confidence(confidence: f64) -> Option<f64> {
    if !(confidence > 0.0 && confidence < 1.0) {
        return None;
    }
    inverse_normal(1.0 - (1.0 - confidence) / 2.0)
}

/// A proportion with its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Proportion {
    /// Successes (met).
    pub met: u64,
    /// Failures (breached).
    pub breached: u64,
    /// met / (met + breached).
    pub rate: f64,
    /// Lower bound of the Wilson interval.
    pub ci_low: f64,
    /// Upper bound of the Wilson interval.
    pub ci_high: f64,
}

/// The Wilson score interval of `met` successes among `met + breached` trials with `z`:
/// centre (p̂ + z²/2n)/(1 + z²/n), half-width z·√(p̂(1−p̂)/n + z²/4n²)/(1 + z²/n). `None` when
/// there are no trials — a rate over zero cases is never computed.
pub fn wilson(met: u64, breached: u64, z: f64) -> Option<Proportion> {
    let trials = met.checked_add(breached)?;
    if trials == 0 || !z.is_finite() || z <= 0.0 {
        return None;
    }
    let n = trials as f64;
    let rate = met as f64 / n;
    let z2 = z * z;
    let denominator = 1.0 + z2 / n;
    let centre = (rate + z2 / (2.0 * n)) / denominator;
    let half = z * (rate * (1.0 - rate) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    // The bounds are exactly 0 and 1 at the extremes; say so instead of trusting rounding.
    let ci_low = if met == 0 {
        0.0
    } else {
        (centre - half).clamp(0.0, 1.0)
    };
    let ci_high = if breached == 0 {
        1.0
    } else {
        (centre + half).clamp(0.0, 1.0)
    };
    Some(Proportion {
        met,
        breached,
        rate,
        ci_low,
        ci_high,
    })
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests may panic: a failed unwrap is a failed test"
)]
mod tests {
    use super::*;

    const Z95: f64 = 1.959_963_984_540_054;

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance
    }

    #[test]
    fn inverse_normal_matches_tables() {
        assert!(close(z_for_confidence(0.95).unwrap(), Z95, 1e-14));
        assert!(close(
            z_for_confidence(0.99).unwrap(),
            2.575_829_303_548_900_4,
            1e-13
        ));
        assert!(close(
            z_for_confidence(0.90).unwrap(),
            1.644_853_626_951_472_2,
            1e-13
        ));
        assert!(close(inverse_normal(0.5).unwrap(), 0.0, 1e-15));
        assert!(close(
            inverse_normal(0.01).unwrap(),
            -2.326_347_874_040_841,
            1e-12
        ));
        assert!(close(
            inverse_normal(0.999).unwrap(),
            3.090_232_306_167_813_6,
            1e-11
        ));
        for p in [0.0, 1.0, -0.5, 2.0, f64::NAN] {
            assert!(inverse_normal(p).is_none());
        }
        assert!(z_for_confidence(1.0).is_none());
        assert!(close(normal_cdf(Z95), 0.975, 1e-15));
    }

    #[test]
    fn wilson_against_hand_computed_values() {
        // 0 of 10: low = 0, high = z²/(n + z²) = 3.841458820694124/13.841458820694124.
        let none = wilson(0, 10, Z95).unwrap();
        assert_eq!(none.rate, 0.0);
        assert_eq!(none.ci_low, 0.0);
        assert!(close(
            none.ci_high,
            3.841_458_820_694_124 / 13.841_458_820_694_124,
            1e-15
        ));
        assert!(close(none.ci_high, 0.277_532_799_862_889_15, 1e-15));
        // 10 of 10: low = n/(n + z²), high = 1.
        let all = wilson(10, 0, Z95).unwrap();
        assert_eq!(all.rate, 1.0);
        assert_eq!(all.ci_high, 1.0);
        assert!(close(all.ci_low, 0.722_467_200_137_110_9, 1e-15));
        // 8 of 10 and 75 of 80 (Python, the same formula).
        let eight = wilson(8, 2, Z95).unwrap();
        assert!(close(eight.ci_low, 0.490_162_471_536_641_83, 1e-12));
        assert!(close(eight.ci_high, 0.943_317_848_545_624_7, 1e-12));
        let sample = wilson(75, 5, Z95).unwrap();
        assert!(close(sample.ci_low, 0.861_898_512_327_255_8, 1e-12));
        assert!(close(sample.ci_high, 0.973_010_624_329_158_1, 1e-12));
        let one = wilson(1, 0, Z95).unwrap();
        assert!(close(one.ci_low, 0.206_549_314_377_237_45, 1e-12));
        // Never a rate over zero cases.
        assert!(wilson(0, 0, Z95).is_none());
    }
}
