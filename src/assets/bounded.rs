//! Reading a decompressing reader (a zip part, a PDF stream) within a document's [`Budget`]:
//! either streamed in chunks to a visitor, or held whole in memory up to the held limit. Nothing
//! is ever decompressed past the budget.

use std::io::Read;

use super::limits::{Budget, CHUNK_BYTES, size_text};

/// Why a part could not be read whole.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// It expands past the limit (in bytes) that applied to it.
    #[error("se expande a más de {} al descomprimir", size_text(*limit))]
    TooLarge {
        /// The limit that was reached.
        limit: u64,
    },
    /// Its data is damaged (bad compressed data, wrong checksum, cut short…).
    #[error("sus datos están dañados ({0})")]
    Damaged(String),
}

/// Read `reader` to its end in chunks of [`CHUNK_BYTES`], charging each to the budget and passing
/// it to `visit`, which returns false to stop early (then the rest is not read).
pub fn stream(
    mut reader: impl Read,
    budget: &mut Budget,
    mut visit: impl FnMut(&[u8]) -> bool,
) -> Result<(), ReadError> {
    let mut buffer = vec![0u8; CHUNK_BYTES];
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(ReadError::Damaged(e.to_string())),
        };
        if !budget.charge(n as u64) {
            return Err(ReadError::TooLarge {
                limit: budget.limits().scanned,
            });
        }
        if !buffer.get(..n).is_some_and(&mut visit) {
            return Ok(());
        }
    }
}

/// Read `reader` whole into memory, up to [`Budget::held`] bytes.
pub fn hold(reader: impl Read, budget: &mut Budget) -> Result<Vec<u8>, ReadError> {
    let limit = budget.held();
    let mut out = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| ReadError::Damaged(e.to_string()))?;
    let read = out.len() as u64;
    if read > limit || !budget.charge(read) {
        return Err(ReadError::TooLarge {
            limit: if limit < budget.limits().held {
                budget.limits().scanned
            } else {
                limit
            },
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaming_stops_at_the_budget_and_holding_at_the_held_limit() {
        let mut budget = Budget::for_size(0);
        let scanned = budget.limits().scanned;
        let endless = std::io::repeat(b'x');
        assert_eq!(
            stream(endless, &mut budget, |_| true),
            Err(ReadError::TooLarge { limit: scanned })
        );
        let mut budget = Budget::for_size(0);
        let held = budget.limits().held;
        assert_eq!(
            hold(std::io::repeat(b'x'), &mut budget),
            Err(ReadError::TooLarge { limit: held })
        );
        let mut budget = Budget::for_size(0);
        assert_eq!(hold(&b"abc"[..], &mut budget), Ok(b"abc".to_vec()));
        let mut seen = 0;
        assert_eq!(
            stream(&b"abcdef"[..], &mut budget, |c| {
                seen += c.len();
                false
            }),
            Ok(())
        );
        assert_eq!(seen, 6);
    }
}
