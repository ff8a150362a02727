//! The sample (DESIGN.md §5): its size from the policy's `muestreo` block (n₀ = z²·p(1−p)/e²,
//! finite-population correction, ceiling, never above N) and its selection — cases ordered by the
//! lowercase hex SHA-256 of `<seed>:<case_id>`, the first n taken — which anyone can re-derive
//! from the seed and the case ids, whatever the order of the file.

use polars::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::stats::z_for_confidence;
use crate::policy::model::Sampling;

/// How the sample size was obtained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleSize {
    /// Population N.
    pub population: u64,
    /// Confidence level (0–1) used for z and for the Wilson intervals.
    pub confidence: f64,
    /// The two-sided z of the confidence level.
    pub z: f64,
    /// Margin of error e (0–1), when the policy gives one.
    pub margin: Option<f64>,
    /// Expected proportion p, when the policy gives one.
    pub proportion: Option<f64>,
    /// n₀ = z²·p(1−p)/e² (infinite population), when computed.
    pub n0: Option<f64>,
    /// The size used.
    pub size: u64,
    /// Whether `--size` gave it.
    pub overridden: bool,
}

/// n = ⌈n₀ / (1 + (n₀ − 1)/N)⌉, at most N (and at least 1 when N ≥ 1). A tolerance of 1e-9
/// keeps an exact integer from rounding up by floating-point noise.
pub fn corrected_size(n0: f64, population: u64) -> u64 {
    if population == 0 {
        return 0;
    }
    let big_n = population as f64;
    let n = n0 / (1.0 + (n0 - 1.0) / big_n);
    let ceiling = (n - 1e-9).ceil();
    if !ceiling.is_finite() || ceiling < 1.0 {
        return 1;
    }
    if ceiling >= big_n {
        population
    } else {
        ceiling as u64
    }
}

/// The sample size for a population of `population` cases under `sampling`; `None` when the
/// parameters are unusable (confidence, margin or proportion outside (0, 1)).
pub fn sample_size(population: u64, sampling: &Sampling) -> Option<SampleSize> {
    let Sampling {
        confidence,
        margin,
        proportion,
    } = *sampling;
    let z = z_for_confidence(confidence)?;
    if !(margin > 0.0 && margin < 1.0 && proportion > 0.0 && proportion < 1.0) {
        return None;
    }
    let n0 = z * z * proportion * (1.0 - proportion) / (margin * margin);
    Some(SampleSize {
        population,
        confidence,
        z,
        margin: Some(margin),
        proportion: Some(proportion),
        n0: Some(n0),
        size: corrected_size(n0, population),
        overridden: false,
    })
}

/// The selection key of a case: lowercase hex SHA-256 of the UTF-8 text `<seed>:<case_id>`.
pub fn selection_key(seed: &str, case_id: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(seed.as_bytes());
    hasher.update(b":");
    hasher.update(case_id.as_bytes());
    hex(&hasher.finalize())
}

/// Lowercase hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

/// Orders `population` (a frame with a `case_id` column) by selection key, ascending, ties
/// broken by case id (never met in practice: the ids are unique), and adds `sha256`, `rank`
/// (1-based position in that order) and `in_sample` (`rank ≤ size`).
pub fn rank(population: DataFrame, seed: &str, size: u64) -> PolarsResult<DataFrame> {
    let keys: Vec<String> = population
        .column("case_id")?
        .str()?
        .iter()
        .map(|id| selection_key(seed, id.unwrap_or_default()))
        .collect();
    let mut population = population;
    population.with_column(Column::new("sha256".into(), keys))?;
    population
        .lazy()
        .sort(
            ["sha256", "case_id"],
            SortMultipleOptions::default().with_maintain_order(true),
        )
        .with_row_index("rank", Some(1))
        .with_column(col("rank").cast(DataType::UInt64))
        .with_column(col("rank").lt_eq(lit(size)).alias("in_sample"))
        .collect()
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests may panic: a failed unwrap is a failed test"
)]
mod tests {
    use super::*;

    fn policy_sampling() -> Sampling {
        Sampling {
            confidence: 0.95,
            margin: 0.05,
            proportion: 0.5,
        }
    }

    #[test]
    fn sample_size_formula_against_hand_computed_values() {
        // n₀ = 1.959963984540054² · 0.25 / 0.0025 = 384.1458820694124.
        let size = sample_size(100, &policy_sampling()).unwrap();
        assert!((size.n0.unwrap() - 384.145_882_069_412_4).abs() < 1e-9);
        // N = 100: 384.1459 / (1 + 383.1459/100) = 79.51 → 80.
        assert_eq!(size.size, 80);
        // N = 1000: 384.1459 / 1.3831459 = 277.73 → 278.
        assert_eq!(sample_size(1000, &policy_sampling()).unwrap().size, 278);
        // Small populations are taken whole; never above N.
        assert_eq!(sample_size(1, &policy_sampling()).unwrap().size, 1);
        assert_eq!(sample_size(10, &policy_sampling()).unwrap().size, 10);
        // N = 50: 384.1459 / (1 + 383.1459/50) = 44.33 → 45.
        assert_eq!(sample_size(50, &policy_sampling()).unwrap().size, 45);
        // Large N tends to ⌈n₀⌉ = 385.
        assert_eq!(sample_size(10_000_000, &policy_sampling()).unwrap().size, 385);
        assert_eq!(sample_size(0, &policy_sampling()).unwrap().size, 0);
        let bad = Sampling {
            confidence: 1.0,
            ..policy_sampling()
        };
        assert!(sample_size(100, &bad).is_none());
    }

    #[test]
    fn selection_key_is_sha256_of_seed_colon_id() {
        // printf 'M1-3-06:2024-06:50001' | sha256sum
        assert_eq!(
            selection_key("M1-3-06:2024-06", "50001"),
            "154c443e31a0fc0577a5695ee797f096db126768a5d0bd68deab2086e19c604d"
        );
    }

    #[test]
    fn ranking_does_not_depend_on_row_order() {
        let ids: Vec<String> = (1..=40).map(|n| format!("C{n}")).collect();
        let mut reversed = ids.clone();
        reversed.reverse();
        let pick = |ids: Vec<String>| {
            let frame = DataFrame::new_infer_height(vec![Column::new("case_id".into(), ids)]).unwrap();
            let ranked = rank(frame, "semilla", 7).unwrap();
            let chosen = ranked.lazy().filter(col("in_sample")).collect().unwrap();
            chosen
                .column("case_id")
                .unwrap()
                .str()
                .unwrap()
                .iter()
                .map(|id| id.unwrap().to_owned())
                .collect::<Vec<_>>()
        };
        let forward = pick(ids.clone());
        assert_eq!(forward.len(), 7);
        assert_eq!(forward, pick(reversed));
        let mut expected: Vec<(String, String)> = ids
            .iter()
            .map(|id| (selection_key("semilla", id), id.clone()))
            .collect();
        expected.sort();
        let expected: Vec<String> = expected.into_iter().take(7).map(|(_, id)| id).collect();
        assert_eq!(forward, expected);
    }
}
