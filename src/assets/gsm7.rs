//! SMS length as the network counts it: the GSM-7 default alphabet (3GPP TS 23.038), where the
//! extension characters `^ { } \ [ ~ ] | €` (and form feed) take two septets, and any character
//! outside the alphabet turns the whole message into UCS-2 (UTF-16 code units, a smaller limit).
//! Also the "no tildes" rule: which characters carry a diacritic, and their transliteration.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// How one character is sent in GSM-7.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// In the default alphabet: one septet.
    Basic,
    /// In the extension table: two septets (escape + character).
    Extension,
    /// Not in GSM-7: the message must be sent as UCS-2.
    Outside,
}

/// ASCII classes: 0 basic, 1 extension, 2 outside.
const ASCII: [u8; 128] = {
    let mut table = [2u8; 128];
    let mut i = 0x20;
    while i < 0x7F {
        table[i] = 0;
        i += 1;
    }
    table[b'\n' as usize] = 0;
    table[b'\r' as usize] = 0;
    table[0x0C] = 1; // form feed
    table[b'^' as usize] = 1;
    table[b'{' as usize] = 1;
    table[b'}' as usize] = 1;
    table[b'\\' as usize] = 1;
    table[b'[' as usize] = 1;
    table[b'~' as usize] = 1;
    table[b']' as usize] = 1;
    table[b'|' as usize] = 1;
    table[b'`' as usize] = 2;
    table
};

/// Byte classes for the one-pass ASCII measure: bit 0 extension (one more septet), bit 1 outside
/// GSM-7, bit 2 not ASCII (a UTF-8 lead or continuation byte: measure by characters instead).
const BYTE_CLASS: [u8; 256] = {
    let mut table = [4u8; 256];
    let mut i = 0;
    while i < 128 {
        table[i] = match ASCII[i] {
            0 => 0,
            1 => 1,
            _ => 2,
        };
        i += 1;
    }
    table
};

/// The GSM-7 class of a character.
pub fn class(c: char) -> Class {
    if c.is_ascii() {
        return match ASCII.get(c as usize) {
            Some(0) => Class::Basic,
            Some(1) => Class::Extension,
            _ => Class::Outside,
        };
    }
    match c {
        '£' | '¥' | 'è' | 'é' | 'ù' | 'ì' | 'ò' | 'Ç' | 'Ø' | 'ø' | 'Å' | 'å' | 'Δ' | 'Φ' | 'Γ' | 'Λ'
        | 'Ω' | 'Π' | 'Ψ' | 'Σ' | 'Θ' | 'Ξ' | 'Æ' | 'æ' | 'ß' | 'É' | '¤' | '¡' | 'Ä' | 'Ö' | 'Ñ' | 'Ü'
        | '§' | '¿' | 'ä' | 'ö' | 'ñ' | 'ü' | 'à' => Class::Basic,
        '€' => Class::Extension,
        _ => Class::Outside,
    }
}

/// The length of a message in both encodings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Measure {
    /// Septets in GSM-7 (extension characters count 2); meaningful when `outside` is `None`.
    pub septets: usize,
    /// UTF-16 code units (the UCS-2 length).
    pub ucs2_units: usize,
    /// The first character outside GSM-7, if any.
    pub outside: Option<char>,
    /// The text is ASCII (so it has no tildes).
    pub ascii: bool,
}

impl Measure {
    /// The message must be sent as UCS-2.
    pub fn is_ucs2(&self) -> bool {
        self.outside.is_some()
    }

    /// The length that counts: septets in GSM-7, code units in UCS-2.
    pub fn length(&self) -> usize {
        if self.is_ucs2() {
            self.ucs2_units
        } else {
            self.septets
        }
    }
}

/// Measure a message. ASCII text (the usual case) is measured in one pass over its bytes.
pub fn measure(text: &str) -> Measure {
    let bytes = text.as_bytes();
    let (mut extra, mut flags) = (0usize, 0u8);
    for b in bytes {
        let class = BYTE_CLASS[usize::from(*b)];
        extra += usize::from(class & 1);
        flags |= class;
    }
    if flags & 4 == 0 {
        let outside = if flags & 2 == 0 {
            None
        } else {
            bytes
                .iter()
                .find(|b| BYTE_CLASS[usize::from(**b)] & 2 != 0)
                .map(|b| char::from(*b))
        };
        return Measure {
            septets: bytes.len() + extra,
            ucs2_units: bytes.len(),
            outside,
            ascii: true,
        };
    }
    let (mut septets, mut units, mut outside) = (0usize, 0usize, None);
    for c in text.chars() {
        units += c.len_utf16();
        match class(c) {
            Class::Basic => septets += 1,
            Class::Extension => septets += 2,
            Class::Outside => {
                septets += 1;
                if outside.is_none() {
                    outside = Some(c);
                }
            }
        }
    }
    Measure {
        septets,
        ucs2_units: units,
        outside,
        ascii: false,
    }
}

/// The UCS-2 limit that matches a GSM-7 limit: the same number of bits (7 per septet) in 16-bit
/// units — 160 septets are 140 octets, 70 UCS-2 characters.
pub fn ucs2_limit(gsm7_limit: u32) -> u32 {
    gsm7_limit * 7 / 16
}

/// A character that carries a diacritic (a tilde in the procedure's sense: á, é, ü, ç…) or is a
/// lone combining mark, unless it is one of `allowed`.
pub fn has_diacritic(c: char, allowed: &str) -> bool {
    if c.is_ascii() || allowed.contains(c) {
        return false;
    }
    if is_combining_mark(c) {
        return true;
    }
    let mut marked = false;
    decompose_canonical(c, |part| marked |= is_combining_mark(part));
    marked
}

/// The characters with diacritics of a text (composed first, so `e` + U+0301 is `é`), in order of
/// appearance, without repeats.
pub fn diacritics(text: &str, allowed: &str) -> Vec<char> {
    if text.is_ascii() {
        return Vec::new();
    }
    let mut found: Vec<char> = Vec::new();
    for c in text.nfc() {
        if has_diacritic(c, allowed) && !found.contains(&c) {
            found.push(c);
        }
    }
    found
}

/// Remove diacritics (`á` → `a`, `Ü` → `U`), keeping the `allowed` characters (`ñ`) as they are.
pub fn transliterate(text: &str, allowed: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    for c in text.nfc() {
        if !has_diacritic(c, allowed) {
            out.push(c);
        } else {
            decompose_canonical(c, |part| {
                if !is_combining_mark(part) {
                    out.push(part);
                }
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extension_characters_count_two() {
        assert_eq!(measure("a{b}").septets, 6);
        assert_eq!(measure("€5").septets, 3);
        assert_eq!(measure("^{}\\[~]|€").septets, 18);
        assert!(!measure("^{}\\[~]|€").is_ucs2());
    }

    #[test]
    fn outside_characters_force_ucs2() {
        let m = measure("Hola “amigo”");
        assert!(m.is_ucs2());
        assert_eq!(m.outside, Some('“'));
        assert_eq!(m.length(), 12);
        assert!(measure("tilde á").is_ucs2());
        assert!(!measure("ñandú con é").is_ucs2() || measure("ñandú con é").outside == Some('ú'));
        assert!(measure("`").is_ucs2());
        assert_eq!(measure("😀").ucs2_units, 2);
        assert_eq!(ucs2_limit(160), 70);
    }

    #[test]
    fn tildes_are_found_and_removed_but_n_tilde_stays() {
        assert_eq!(diacritics("Canción año pingüino", "ñÑ"), vec!['ó', 'ü']);
        assert_eq!(
            transliterate("Canción AÑO pingüino Ç", "ñÑ"),
            "Cancion AÑO pinguino C"
        );
        assert_eq!(transliterate("e\u{301}xito", "ñÑ"), "exito");
        assert_eq!(diacritics("n\u{303}", "ñÑ"), Vec::<char>::new());
        assert_eq!(diacritics("año", ""), vec!['ñ']);
    }
}
