//! Case ids interned to dense indices. Aranda ids are numeric and nearly consecutive, so the
//! common case is a direct look-up in an array indexed by `id - first id`; numbers far from the
//! rest go through an integer map, and any other id (or one with a leading zero, whose text must
//! be kept exactly) through a string map.

use rustc_hash::FxHashMap;

/// An interned id.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Key {
    Number(u64),
    Text(Box<str>),
}

/// Dense indices for case ids, in order of first appearance.
#[derive(Debug, Default)]
pub struct CaseIds {
    /// The first number interned: `dense[n - base]` is the index of number `n`, or `ABSENT`.
    base: Option<u64>,
    dense: Vec<u32>,
    numbers: FxHashMap<u64, u32>,
    texts: FxHashMap<Box<str>, u32>,
    keys: Vec<Key>,
}

/// Marks a slot of `dense` with no id.
const ABSENT: u32 = u32::MAX;

/// `dense` may grow to this many slots per id interned (plus a fixed allowance), so sparse ids
/// cannot make it large.
const DENSE_SLOTS_PER_ID: usize = 4;
const DENSE_ALLOWANCE: usize = 1 << 16;

/// `id` as a number when its text is exactly that number's decimal form.
fn as_number(id: &str) -> Option<u64> {
    let bytes = id.as_bytes();
    if bytes.is_empty() || bytes.len() > 19 || (bytes.len() > 1 && bytes.first() == Some(&b'0')) {
        return None;
    }
    let mut value: u64 = 0;
    for byte in bytes {
        if !byte.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u64::from(byte - b'0');
    }
    Some(value)
}

impl CaseIds {
    /// The index of `id`, interning it if new.
    pub fn intern(&mut self, id: &str) -> u32 {
        match as_number(id) {
            Some(number) => self.intern_number(number),
            None => self.intern_text(id),
        }
    }

    /// The indices, in `self`, of every id of `other` (interning those that are new), in the
    /// order `other` numbered them: for merging ids read in parallel.
    pub fn absorb(&mut self, other: &CaseIds) -> Vec<u32> {
        other
            .keys
            .iter()
            .map(|key| match key {
                Key::Number(number) => self.intern_number(*number),
                Key::Text(text) => self.intern_text(text),
            })
            .collect()
    }

    fn intern_number(&mut self, number: u64) -> u32 {
        let next = u32::try_from(self.keys.len()).unwrap_or(u32::MAX);
        let base = *self.base.get_or_insert(number);
        let slot = number
            .checked_sub(base)
            .and_then(|offset| usize::try_from(offset).ok())
            .filter(|&offset| {
                offset < self.dense.len() || offset < DENSE_SLOTS_PER_ID * self.keys.len() + DENSE_ALLOWANCE
            });
        if let Some(&index) = slot
            .and_then(|offset| self.dense.get(offset))
            .filter(|&&i| i != ABSENT)
        {
            return index;
        }
        if let Some(&index) = self.numbers.get(&number) {
            return index;
        }
        self.keys.push(Key::Number(number));
        match slot {
            Some(offset) => {
                if self.dense.len() <= offset {
                    self.dense.resize(offset + 1, ABSENT);
                }
                self.dense[offset] = next;
            }
            None => {
                self.numbers.insert(number, next);
            }
        }
        next
    }

    fn intern_text(&mut self, id: &str) -> u32 {
        if let Some(index) = self.texts.get(id) {
            return *index;
        }
        let next = u32::try_from(self.keys.len()).unwrap_or(u32::MAX);
        self.texts.insert(id.into(), next);
        self.keys.push(Key::Text(id.into()));
        next
    }

    /// Number of ids interned.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Whether no id was interned.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The text of the id at `index`.
    pub fn text(&self, index: u32) -> String {
        match self.keys.get(index as usize) {
            Some(Key::Number(number)) => number.to_string(),
            Some(Key::Text(text)) => text.to_string(),
            None => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_and_textual_ids_keep_their_identity() {
        let mut ids = CaseIds::default();
        let a = ids.intern("100001");
        let b = ids.intern("0100001");
        let c = ids.intern("REQ-7");
        assert_eq!(ids.intern("100001"), a);
        assert_ne!(a, b);
        assert_eq!(ids.intern("REQ-7"), c);
        assert_eq!(ids.text(b), "0100001");
        assert_eq!(ids.text(a), "100001");
        assert_eq!(ids.intern("0"), 3);
        assert_eq!(ids.intern("99999999999999999999"), 4);
        assert_eq!(ids.len(), 5);
    }

    #[test]
    fn far_and_near_numbers_share_one_numbering() {
        let mut ids = CaseIds::default();
        let numbers = [500_000_u64, 500_001, 10, 9_000_000_000, 500_003, 499_999, 500_002];
        let first: Vec<u32> = numbers.iter().map(|n| ids.intern(&n.to_string())).collect();
        assert_eq!(first, (0..7).collect::<Vec<u32>>());
        // Interning many more ids lets the array grow over numbers first kept in the map.
        for n in 600_000..700_000_u64 {
            ids.intern(&n.to_string());
        }
        let again: Vec<u32> = numbers.iter().map(|n| ids.intern(&n.to_string())).collect();
        assert_eq!(again, first);
        for (n, index) in numbers.iter().zip(&first) {
            assert_eq!(ids.text(*index), n.to_string());
        }
        assert!(ids.dense.len() <= DENSE_SLOTS_PER_ID * ids.len() + DENSE_ALLOWANCE);
    }

    #[test]
    fn absorbing_keeps_the_first_appearance_order() {
        let mut whole = CaseIds::default();
        for id in ["7", "X-1", "8", "7", "9"] {
            whole.intern(id);
        }
        let mut first = CaseIds::default();
        let mut second = CaseIds::default();
        for id in ["7", "X-1"] {
            first.intern(id);
        }
        for id in ["8", "7", "9"] {
            second.intern(id);
        }
        let mut merged = CaseIds::default();
        assert_eq!(merged.absorb(&first), vec![0, 1]);
        assert_eq!(merged.absorb(&second), vec![2, 0, 3]);
        for index in 0..4 {
            assert_eq!(merged.text(index), whole.text(index));
        }
    }
}
