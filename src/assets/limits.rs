//! How far one document may expand while it is read: every compressed part (a zip part of an
//! xlsx, a PDF stream) is decompressed against limits measured by the file's own size, so a small
//! file can never make the checker use much memory or time (a "compression bomb").

use super::{Code, Finding, Location, decimal, kib};

/// A document may expand to at most this many times its size on disk: ordinary deflate gives 3 to
/// 20 times on text and XML, and the format's worst case is about 1 000 times.
pub const EXPANSION_RATIO: u64 = 100;

/// Every document may expand to at least this much, whatever its size: a small workbook or PDF
/// keeps room for ordinary compression ratios.
pub const EXPANSION_FLOOR: u64 = 4 * 1024 * 1024;

/// The largest part or stream held in memory at once: an xlsx property part, an XMP packet, a
/// PDF object stream. Real ones are kilobytes; this bounds the memory of reading one.
pub const MAX_HELD_BYTES: u64 = 16 * 1024 * 1024;

/// The most decompressed while reading one document, all parts together (worksheets and page
/// contents are read in chunks, not held): this bounds the time of a check.
pub const MAX_SCANNED_BYTES: u64 = 1024 * 1024 * 1024;

/// All the object streams of a PDF together (decoded while the file is loaded, every object in
/// them parsed into memory at about 60 bytes per byte of text) may expand to at most this many
/// times the file's size: real ones hold a few bytes per object and add up to less than the file.
pub const OBJECT_STREAM_RATIO: u64 = 10;

/// The object streams of any PDF may expand to at least this much together.
pub const OBJECT_STREAM_FLOOR: u64 = 1024 * 1024;

/// Size of the chunks in which streamed parts are decompressed.
pub const CHUNK_BYTES: usize = 64 * 1024;

/// The limits of one document, computed from its size on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most one part may expand to when held in memory.
    pub held: u64,
    /// The most all parts together may expand to.
    pub scanned: u64,
    /// The most all the object streams of a PDF may expand to together.
    pub objects: u64,
}

impl Limits {
    /// `min(max(EXPANSION_RATIO × size, EXPANSION_FLOOR), ceiling)` for both ceilings, and
    /// `min(max(OBJECT_STREAM_RATIO × size, OBJECT_STREAM_FLOOR), MAX_HELD_BYTES)`.
    pub fn for_size(size: u64) -> Self {
        let expanded = size.saturating_mul(EXPANSION_RATIO).max(EXPANSION_FLOOR);
        Limits {
            held: expanded.min(MAX_HELD_BYTES),
            scanned: expanded.min(MAX_SCANNED_BYTES),
            objects: size
                .saturating_mul(OBJECT_STREAM_RATIO)
                .clamp(OBJECT_STREAM_FLOOR, MAX_HELD_BYTES),
        }
    }
}

/// What is left of a document's [`Limits::scanned`] while it is read.
#[derive(Debug, Clone)]
pub struct Budget {
    limits: Limits,
    used: u64,
}

impl Budget {
    /// A full budget for a file of `size` bytes.
    pub fn for_size(size: u64) -> Self {
        Budget {
            limits: Limits::for_size(size),
            used: 0,
        }
    }

    /// The limits this budget was made with.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    /// Bytes that may still be decompressed.
    pub fn remaining(&self) -> u64 {
        self.limits.scanned.saturating_sub(self.used)
    }

    /// The most the next part held in memory may expand to: the held limit, or less when the
    /// budget is nearly spent.
    pub fn held(&self) -> u64 {
        self.limits.held.min(self.remaining())
    }

    /// Count `bytes` as decompressed; false when that goes past the budget.
    pub fn charge(&mut self, bytes: u64) -> bool {
        self.used = self.used.saturating_add(bytes);
        self.used <= self.limits.scanned
    }
}

/// The finding of a part that went past the limits: `what` says which part and which limit it
/// passed (a Spanish phrase), the finding says why the check stopped and what to do.
pub fn too_large_finding(name: &str, what: &str, part: &str) -> Finding {
    Finding::new(
        Code::D019,
        format!(
            "`{name}`: {what}. La revisión se detuvo ahí para no agotar la memoria (el límite depende del tamaño del archivo). Puede ser una «bomba de compresión» o un archivo dañado: no lo publique. Ábralo en el programa original, guárdelo o expórtelo de nuevo y vuelva a revisarlo."
        ),
        Location::file(name).with_part(part),
    )
}

/// A size in words: `6,4 MiB` from one mebibyte on, else KiB with the exact byte count.
pub fn size_text(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MiB", decimal(bytes as f64 / (1024.0 * 1024.0)))
    } else {
        kib(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_follow_the_file_size_between_floor_and_ceilings() {
        assert_eq!(
            Limits::for_size(1_000),
            Limits {
                held: EXPANSION_FLOOR,
                scanned: EXPANSION_FLOOR,
                objects: OBJECT_STREAM_FLOOR,
            }
        );
        let mid = Limits::for_size(200_000);
        assert_eq!(
            (mid.held, mid.scanned, mid.objects),
            (MAX_HELD_BYTES, 20_000_000, 2_000_000)
        );
        let big = Limits::for_size(50_000_000);
        assert_eq!(
            (big.held, big.scanned, big.objects),
            (MAX_HELD_BYTES, MAX_SCANNED_BYTES, MAX_HELD_BYTES)
        );
        assert_eq!(Limits::for_size(u64::MAX).scanned, MAX_SCANNED_BYTES);
    }

    #[test]
    fn the_budget_is_shared_by_every_part() {
        let mut budget = Budget::for_size(1_000);
        assert!(budget.charge(EXPANSION_FLOOR - 10));
        assert_eq!(budget.held(), 10);
        assert!(!budget.charge(11));
        assert_eq!(budget.remaining(), 0);
        assert_eq!(size_text(6_710_886), "6,4 MiB");
    }
}
