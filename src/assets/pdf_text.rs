//! Whether a PDF content stream shows text: a byte-at-a-time scanner of the content syntax that
//! remembers only the last operand, so it reads a page's content in chunks, in constant memory,
//! and stops at the first text-showing operator (`Tj`, `TJ`, `'`, `"` with a non-empty string).

/// Where the scanner is in the content syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lex {
    /// Between tokens.
    Space,
    /// Inside a regular token: an operator, a number, `true`…
    Token,
    /// Inside a name (`/F1`).
    Name,
    /// Inside a comment, to the end of the line.
    Comment,
    /// Inside a literal string; `depth` counts balanced inner parentheses.
    Literal { depth: u32, escape: bool },
    /// Inside a hexadecimal string.
    Hex,
    /// After a `<`: a dictionary (`<<`) or a hexadecimal string.
    AfterLt,
    /// After a `>` outside a string: maybe the end of a dictionary (`>>`).
    AfterGt,
    /// Inside the data of an inline image (`ID` … `EI`); `seen` counts the matched bytes of
    /// whitespace, `E`, `I`.
    InlineImage { seen: u8 },
}

/// The last operand before an operator, as far as text matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operand {
    /// None, or one that is not a string or array.
    Other,
    /// A string; true when it is not empty.
    Text(bool),
    /// An array; true when it holds a non-empty string.
    Array(bool),
}

/// The longest token remembered (operators are at most 3 bytes).
const TOKEN_BYTES: usize = 8;

/// Feeds content bytes in any chunks; [`TextScanner::found`] once text is shown.
#[derive(Debug, Clone)]
pub struct TextScanner {
    lex: Lex,
    token: [u8; TOKEN_BYTES],
    token_len: usize,
    string_nonempty: bool,
    array_depth: u32,
    array_text: bool,
    dict_depth: u32,
    last: Operand,
    found: bool,
}

impl Default for TextScanner {
    fn default() -> Self {
        TextScanner {
            lex: Lex::Space,
            token: [0; TOKEN_BYTES],
            token_len: 0,
            string_nonempty: false,
            array_depth: 0,
            array_text: false,
            dict_depth: 0,
            last: Operand::Other,
            found: false,
        }
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0C' | b'\0')
}

fn is_delimiter(b: u8) -> bool {
    matches!(
        b,
        b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
    )
}

impl TextScanner {
    /// Whether text has been shown so far.
    pub fn found(&self) -> bool {
        self.found
    }

    /// Scan a chunk; returns [`TextScanner::found`].
    pub fn feed(&mut self, chunk: &[u8]) -> bool {
        for &b in chunk {
            if self.found {
                break;
            }
            self.byte(b);
        }
        self.found
    }

    /// The end of the content (a token may end there); returns [`TextScanner::found`].
    pub fn finish(&mut self) -> bool {
        if self.lex == Lex::Token {
            self.end_token();
        }
        self.lex = Lex::Space;
        self.found
    }

    /// An operand was completed.
    fn operand(&mut self, operand: Operand) {
        if self.array_depth > 0 {
            if operand == Operand::Text(true) {
                self.array_text = true;
            }
        } else if self.dict_depth == 0 {
            self.last = operand;
        }
    }

    fn end_token(&mut self) {
        let token = self.token.get(..self.token_len).unwrap_or_default();
        let long = self.token_len >= TOKEN_BYTES;
        self.token_len = 0;
        self.lex = Lex::Space;
        let operand = long
            || token
                .first()
                .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.'))
            || matches!(token, b"true" | b"false" | b"null");
        if operand || self.array_depth > 0 || self.dict_depth > 0 {
            self.operand(Operand::Other);
            return;
        }
        match token {
            b"Tj" | b"'" | b"\"" if self.last == Operand::Text(true) => self.found = true,
            b"TJ" if self.last == Operand::Array(true) => self.found = true,
            b"ID" => self.lex = Lex::InlineImage { seen: 1 },
            _ => {}
        }
        self.last = Operand::Other;
    }

    /// One byte of content, read in the current state.
    fn byte(&mut self, b: u8) {
        match self.lex {
            Lex::Space => self.start(b),
            Lex::Token => self.token_byte(b),
            Lex::Name => {
                if is_space(b) || is_delimiter(b) {
                    self.lex = Lex::Space;
                    self.operand(Operand::Other);
                    self.start(b);
                }
            }
            Lex::Comment => {
                if b == b'\n' || b == b'\r' {
                    self.lex = Lex::Space;
                }
            }
            Lex::Literal { depth, escape } => self.literal_byte(b, depth, escape),
            Lex::Hex => match b {
                b'>' => {
                    self.lex = Lex::Space;
                    self.operand(Operand::Text(self.string_nonempty));
                }
                b if b.is_ascii_hexdigit() => self.string_nonempty = true,
                _ => {}
            },
            Lex::AfterLt => {
                if b == b'<' {
                    self.dict_depth = self.dict_depth.saturating_add(1);
                    self.lex = Lex::Space;
                } else {
                    self.lex = Lex::Hex;
                    self.string_nonempty = false;
                    self.byte(b);
                }
            }
            Lex::AfterGt => self.after_gt_byte(b),
            Lex::InlineImage { seen } => self.inline_image_byte(b, seen),
        }
    }

    /// A byte inside a regular token: kept (up to [`TOKEN_BYTES`]) or, at its end, the token
    /// judged.
    fn token_byte(&mut self, b: u8) {
        if is_space(b) || is_delimiter(b) {
            self.end_token();
            if self.lex == Lex::Space {
                self.start(b);
            }
        } else {
            if let Some(slot) = self.token.get_mut(self.token_len) {
                *slot = b;
            }
            self.token_len = (self.token_len + 1).min(TOKEN_BYTES);
        }
    }

    /// A byte inside a literal string: escapes and balanced parentheses, up to the closing one.
    fn literal_byte(&mut self, b: u8, depth: u32, escape: bool) {
        if escape {
            self.string_nonempty = true;
            self.lex = Lex::Literal { depth, escape: false };
            return;
        }
        match b {
            b'\\' => self.lex = Lex::Literal { depth, escape: true },
            b'(' => {
                self.string_nonempty = true;
                self.lex = Lex::Literal {
                    depth: depth.saturating_add(1),
                    escape: false,
                };
            }
            b')' if depth == 0 => {
                self.lex = Lex::Space;
                self.operand(Operand::Text(self.string_nonempty));
            }
            b')' => {
                self.string_nonempty = true;
                self.lex = Lex::Literal {
                    depth: depth - 1,
                    escape: false,
                };
            }
            _ => self.string_nonempty = true,
        }
    }

    /// The byte after a `>`: a second one closes a dictionary, anything else starts anew.
    fn after_gt_byte(&mut self, b: u8) {
        self.lex = Lex::Space;
        if b == b'>' {
            self.dict_depth = self.dict_depth.saturating_sub(1);
            if self.dict_depth == 0 {
                self.operand(Operand::Other);
            }
        } else {
            self.start(b);
        }
    }

    /// A byte of inline image data: the data ends at whitespace, `EI`, then whitespace or a
    /// delimiter.
    fn inline_image_byte(&mut self, b: u8, seen: u8) {
        let seen = match (seen, b) {
            (3, b) if is_space(b) || is_delimiter(b) => {
                self.lex = Lex::Space;
                self.last = Operand::Other;
                self.start(b);
                return;
            }
            (1, b'E') => 2,
            (2, b'I') => 3,
            (_, b) if is_space(b) => 1,
            _ => 0,
        };
        self.lex = Lex::InlineImage { seen };
    }

    /// A byte between tokens.
    fn start(&mut self, b: u8) {
        match b {
            b if is_space(b) => {}
            b'%' => self.lex = Lex::Comment,
            b'(' => {
                self.string_nonempty = false;
                self.lex = Lex::Literal {
                    depth: 0,
                    escape: false,
                };
            }
            b'<' => self.lex = Lex::AfterLt,
            b'>' => self.lex = Lex::AfterGt,
            b'[' => {
                if self.array_depth == 0 {
                    self.array_text = false;
                }
                self.array_depth = self.array_depth.saturating_add(1);
            }
            b']' => {
                if self.array_depth > 0 {
                    self.array_depth -= 1;
                    if self.array_depth == 0 {
                        let text = self.array_text;
                        self.operand(Operand::Array(text));
                    }
                }
            }
            b'/' => self.lex = Lex::Name,
            b'{' | b'}' | b')' => {}
            _ => {
                self.lex = Lex::Token;
                self.token_len = 0;
                if let Some(slot) = self.token.get_mut(0) {
                    *slot = b;
                }
                self.token_len = 1;
            }
        }
    }
}

/// Whether `content` shows text, scanned whole (for tests and small inputs).
pub fn shows_text(content: &[u8]) -> bool {
    let mut scanner = TextScanner::default();
    scanner.feed(content);
    scanner.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_operators_with_non_empty_strings() {
        assert!(shows_text(b"BT /F1 12 Tf 72 720 Td (Hola) Tj ET"));
        assert!(shows_text(b"BT [(H) -20 (ola)] TJ ET"));
        assert!(shows_text(b"BT <48656C6C6F> Tj ET"));
        assert!(shows_text(b"BT (a)' ET"));
        assert!(shows_text(b"BT 1 2 (a) \" ET"));
        assert!(shows_text(b"BT (nested (paren) \\) ok)Tj ET"));
        assert!(shows_text(b"/P <</MCID 0>> BDC BT (x) Tj ET EMC"));
        assert!(shows_text(b"(x)Tj"));
    }

    #[test]
    fn no_text_when_strings_are_empty_or_absent() {
        assert!(!shows_text(b""));
        assert!(!shows_text(b"BT () Tj ET"));
        assert!(!shows_text(b"BT <> Tj [()] TJ ET"));
        assert!(!shows_text(b"q 612 0 0 792 0 0 cm /Im1 Do Q"));
        assert!(!shows_text(b"0 0 m 10 10 l S % (x) Tj\n"));
        assert!(!shows_text(b"(x) Tw"));
        assert!(!shows_text(b"(x) 5 Tj"));
        // Inline image data is skipped, whatever it holds.
        assert!(!shows_text(b"BI /W 1 /H 1 ID (x) Tj EI Q"));
        assert!(shows_text(b"BI /W 1 /H 1 ID \x00\xFF EI BT (x) Tj ET"));
    }

    #[test]
    fn any_chunking_gives_the_same_answer() {
        let content = b"q /Im1 Do Q BT /F1 12 Tf [<41> 5 (b)] TJ ET";
        for cut in 0..content.len() {
            let (a, b) = content.split_at(cut);
            let mut scanner = TextScanner::default();
            scanner.feed(a);
            scanner.feed(b);
            assert!(scanner.finish(), "cut at {cut}");
        }
    }
}
