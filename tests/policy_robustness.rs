//! No input makes the policy front end panic: random text, and the v11 policy with random bytes
//! cut out or duplicated. Every outcome is a compiled policy or diagnostics.

use pauta::policy::{SourceFile, check_sources};
use proptest::prelude::*;

const V11: &str = include_str!("../policies/M1-3-06/v11.pauta");
const CALENDAR: &str = include_str!("../policies/calendarios/colombia.pauta");

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        let report = check_sources(&[SourceFile::new("x.pauta", &text)], &[]);
        prop_assert_eq!(report.files.len(), 1);
    }

    #[test]
    fn mutated_v11_never_panics(cut in 0usize..V11.len(), len in 0usize..40, copy in any::<bool>()) {
        let bytes = V11.as_bytes();
        let end = (cut + len).min(bytes.len());
        let mut mutated = bytes[..cut].to_vec();
        if copy {
            mutated.extend_from_slice(&bytes[cut..end]);
            mutated.extend_from_slice(&bytes[cut..]);
        } else {
            mutated.extend_from_slice(&bytes[end..]);
        }
        let text = String::from_utf8_lossy(&mutated);
        let report = check_sources(&[SourceFile::new("v11.pauta", &text), SourceFile::new("c.pauta", CALENDAR)], &[]);
        // Either it still compiles, or it says why — never silently nothing.
        let diagnostics = report.files.iter().map(|f| f.diagnostics.len()).sum::<usize>();
        prop_assert!(report.policies.len() == 1 || diagnostics > 0);
    }

    #[test]
    fn mutated_calendar_never_panics(cut in 0usize..CALENDAR.len(), len in 0usize..30) {
        let bytes = CALENDAR.as_bytes();
        let end = (cut + len).min(bytes.len());
        let mut mutated = bytes[..cut].to_vec();
        mutated.extend_from_slice(&bytes[end..]);
        let text = String::from_utf8_lossy(&mutated);
        let report = check_sources(&[SourceFile::new("c.pauta", &text)], &[]);
        prop_assert_eq!(report.files.len(), 1);
    }
}
