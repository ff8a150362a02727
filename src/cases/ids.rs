//! Case ids interned to dense indices. Aranda ids are numeric, so the common case hashes a
//! `u64` instead of a string; any other id (or one with a leading zero, whose text must be kept
//! exactly) goes through a string map.

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
    numbers: FxHashMap<u64, u32>,
    texts: FxHashMap<Box<str>, u32>,
    keys: Vec<Key>,
}

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
        let next = u32::try_from(self.keys.len()).unwrap_or(u32::MAX);
        match as_number(id) {
            Some(number) => *self.numbers.entry(number).or_insert_with(|| {
                self.keys.push(Key::Number(number));
                next
            }),
            None => {
                if let Some(index) = self.texts.get(id) {
                    return *index;
                }
                self.texts.insert(id.into(), next);
                self.keys.push(Key::Text(id.into()));
                next
            }
        }
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
}
