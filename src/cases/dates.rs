//! Timestamps as Aranda exports write them: `24/12/2021 08:15`, `24/12/2021 8:15:00 a. m.`,
//! `2021-12-24 08:15:00`, `2021-12-24T08:15:00`, plus the formats a mapping adds.

use chrono::NaiveDateTime;

use crate::calendar::clock::{LocalSeconds, SECONDS_PER_DAY, epoch_day_of, local_seconds};

/// The built-in formats, as shown to users when a date cannot be read.
pub const BUILTIN_FORMATS: &str =
    "dd/mm/aaaa hh:mm[:ss] [a. m.|p. m.], aaaa-mm-dd hh:mm[:ss], aaaa-mm-ddThh:mm[:ss]";

/// Reads timestamps with the mapping's extra formats first, then the built-in ones.
#[derive(Debug, Clone, Default)]
pub struct DateReader {
    extra: Vec<String>,
}

impl DateReader {
    /// A reader that tries `extra` (chrono `strftime` formats) before the built-in formats.
    pub fn new(extra: &[String]) -> Self {
        Self {
            extra: extra.to_vec(),
        }
    }

    /// The formats tried, for messages.
    pub fn formats_tried(&self) -> String {
        if self.extra.is_empty() {
            BUILTIN_FORMATS.to_owned()
        } else {
            format!("{}, {BUILTIN_FORMATS}", self.extra.join(", "))
        }
    }

    /// The local instant written in `text`, or `None` when no format reads it.
    pub fn parse(&self, text: &str) -> Option<LocalSeconds> {
        let text = crate::text::trim(text);
        for format in &self.extra {
            if let Ok(moment) = NaiveDateTime::parse_from_str(text, format) {
                return Some(local_seconds(moment));
            }
        }
        parse_builtin(text)
    }
}

/// A run of ASCII digits at the start of `bytes`: its value and length (at most 4 digits).
fn number(bytes: &[u8]) -> Option<(u32, usize)> {
    let mut value = 0u32;
    let mut length = 0;
    for byte in bytes.iter().take(5) {
        if !byte.is_ascii_digit() {
            break;
        }
        value = value * 10 + u32::from(byte - b'0');
        length += 1;
    }
    (1..=4).contains(&length).then_some((value, length))
}

/// Parses the built-in formats without allocating.
fn parse_builtin(text: &str) -> Option<LocalSeconds> {
    let bytes = text.as_bytes();
    let (first, first_len) = number(bytes)?;
    let separator = *bytes.get(first_len)?;
    if separator != b'/' && separator != b'-' {
        return None;
    }
    let mut at = first_len + 1;
    let (second, second_len) = number(bytes.get(at..)?)?;
    at += second_len;
    if *bytes.get(at)? != separator {
        return None;
    }
    at += 1;
    let (third, third_len) = number(bytes.get(at..)?)?;
    at += third_len;
    let day = if first_len == 4 {
        epoch_day_of(first, second, third)?
    } else if third_len == 4 {
        epoch_day_of(third, second, first)?
    } else {
        return None;
    };

    // Date and time are separated by `T` or by whitespace.
    let rest = text.get(at..)?;
    let rest = match rest.strip_prefix('T') {
        Some(rest) => rest,
        None => {
            let trimmed = rest.trim_start();
            if trimmed.len() == rest.len() {
                return None;
            }
            trimmed
        }
    };
    let bytes = rest.as_bytes();
    let (hour, hour_len) = number(bytes)?;
    if hour_len > 2 || *bytes.get(hour_len)? != b':' {
        return None;
    }
    let mut at = hour_len + 1;
    let (minute, minute_len) = number(bytes.get(at..)?)?;
    if minute_len != 2 {
        return None;
    }
    at += 2;
    let mut second = 0;
    if bytes.get(at) == Some(&b':') {
        let (value, length) = number(bytes.get(at + 1..)?)?;
        if length != 2 {
            return None;
        }
        second = value;
        at += 3;
        // Fractions of a second are dropped.
        if bytes.get(at) == Some(&b'.') && bytes.get(at + 1).is_some_and(u8::is_ascii_digit) {
            at += 1;
            while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
        }
    }
    let hour = match meridiem(rest.get(at..)?)? {
        Meridiem::None => hour,
        Meridiem::Am if (1..=12).contains(&hour) => hour % 12,
        Meridiem::Pm if (1..=12).contains(&hour) => hour % 12 + 12,
        Meridiem::Am | Meridiem::Pm => return None,
    };
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    Some(day * SECONDS_PER_DAY + i64::from(hour * 3600 + minute * 60 + second))
}

enum Meridiem {
    None,
    Am,
    Pm,
}

/// The 12-hour suffix: `a. m.`, `a.m.`, `am`, `p. m.` … (any case, any spaces including
/// no-break spaces), or nothing.
fn meridiem(tail: &str) -> Option<Meridiem> {
    let mut letters = tail
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '.' && *c != '\u{a0}' && *c != '\u{202f}')
        .map(|c| c.to_ascii_lowercase());
    match (letters.next(), letters.next(), letters.next()) {
        (None, _, _) => Some(Meridiem::None),
        (Some('a'), Some('m'), None) => Some(Meridiem::Am),
        (Some('p'), Some('m'), None) => Some(Meridiem::Pm),
        _ => None,
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests may panic: a failed unwrap is a failed test"
)]
mod tests {
    use super::*;
    use crate::calendar::clock::naive_of;

    fn read(text: &str) -> Option<String> {
        DateReader::default()
            .parse(text)
            .map(|s| naive_of(s).unwrap().format("%Y-%m-%d %H:%M:%S").to_string())
    }

    #[test]
    fn every_documented_format() {
        let expected = Some("2021-12-24 08:15:00".to_owned());
        assert_eq!(read("24/12/2021 08:15"), expected);
        assert_eq!(read("24/12/2021 8:15:00 a. m."), expected);
        assert_eq!(read("2021-12-24 08:15:00"), expected);
        assert_eq!(read("2021-12-24T08:15:00"), expected);
        assert_eq!(read(" 24/12/2021  8:15 AM "), expected);
        assert_eq!(read("24/12/2021 8:15:00\u{a0}a.\u{a0}m."), expected);
        assert_eq!(read("2021-12-24 08:15:00.250"), expected);
    }

    #[test]
    fn twelve_hour_clock_edges() {
        assert_eq!(
            read("24/12/2021 12:05:00 a. m."),
            Some("2021-12-24 00:05:00".into())
        );
        assert_eq!(
            read("24/12/2021 12:05:00 p. m."),
            Some("2021-12-24 12:05:00".into())
        );
        assert_eq!(
            read("24/12/2021 5:00:00 p. m."),
            Some("2021-12-24 17:00:00".into())
        );
        assert_eq!(read("24/12/2021 13:00 p. m."), None);
        assert_eq!(read("24/12/2021 0:30 a. m."), None);
    }

    #[test]
    fn rejects_what_is_not_a_timestamp() {
        for text in [
            "",
            "24/12/2021",
            "31/02/2021 08:00",
            "24/12/21 08:00",
            "2021-12-24 24:00",
            "24/12/2021 08:60",
            "24/12/2021 08:15 xm",
            "2021/12-24 08:00",
            "hoy",
            "24/12/2021 08:1",
        ] {
            assert_eq!(read(text), None, "{text}");
        }
    }

    #[test]
    fn extra_formats_come_first() {
        let reader = DateReader::new(&["%m/%d/%Y %H:%M".to_owned()]);
        let parsed = reader.parse("03/04/2024 10:00").and_then(naive_of).unwrap();
        assert_eq!(parsed.format("%Y-%m-%d").to_string(), "2024-03-04");
        assert!(reader.formats_tried().starts_with("%m/%d/%Y %H:%M, dd/mm"));
    }
}
