//! A small JSON reader for the index's own files (the manifest and the papers file).
//!
//! The indexer writes those files with `serde_json`; reading them in the browser with
//! `serde_json` and derived `Deserialize` impls cost some 40 KB of wasm (generic visitors,
//! float formatting for error messages). This reader walks the bytes once, hands each
//! object key to a callback that reads its value, and reports errors with line and column.
//! It reads any JSON (`skip` passes over values a reader does not know, so newer files
//! with extra keys still open), but numbers only as whole non-negative integers: the index
//! files have no others.

use std::borrow::Cow;
use std::fmt;

/// Deeper nesting than this is refused, so hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

/// What went wrong, and where (1-based line and column of the byte that did not fit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at line {} column {}",
            self.message, self.line, self.column
        )
    }
}

pub type Result<T> = std::result::Result<T, JsonError>;

/// A cursor over one JSON document.
pub struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader {
            bytes,
            pos: 0,
            depth: 0,
        }
    }

    /// An error at the current position.
    pub fn error(&self, message: impl Into<String>) -> JsonError {
        let before = &self.bytes[..self.pos.min(self.bytes.len())];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        JsonError {
            line: before.iter().filter(|&&b| b == b'\n').count() + 1,
            column: self.pos - line_start + 1,
            message: message.into(),
        }
    }

    /// The next byte that is not whitespace, without taking it.
    fn peek(&mut self) -> Option<u8> {
        while let Some(&b) = self.bytes.get(self.pos) {
            if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                return Some(b);
            }
            self.pos += 1;
        }
        None
    }

    fn expect(&mut self, byte: u8, what: &str) -> Result<()> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected(what))
        }
    }

    fn unexpected(&mut self, what: &str) -> JsonError {
        match self.peek() {
            None => self.error(format!("unexpected end of file, expected {what}")),
            Some(_) => self.error(format!("expected {what}")),
        }
    }

    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        Ok(())
    }

    /// Reads an object, calling `field` with each key; `field` must read the value (or
    /// [`skip`](Self::skip) it).
    pub fn object(&mut self, mut field: impl FnMut(&mut Self, &str) -> Result<()>) -> Result<()> {
        self.sequence([b'{', b'}'], "an object", "`,` or `}`", |r| {
            if r.peek() != Some(b'"') {
                return Err(r.unexpected("a key in quotes"));
            }
            let key = r.str()?;
            r.expect(b':', "`:`")?;
            field(r, &key)
        })
    }

    /// Reads an array, calling `item` for each element; `item` must read it.
    pub fn array(&mut self, item: impl FnMut(&mut Self) -> Result<()>) -> Result<()> {
        self.sequence([b'[', b']'], "an array", "`,` or `]`", item)
    }

    /// `open`, then `item`s separated by commas, then `close`.
    fn sequence(
        &mut self,
        [open, close]: [u8; 2],
        what: &str,
        separator: &str,
        mut item: impl FnMut(&mut Self) -> Result<()>,
    ) -> Result<()> {
        self.expect(open, what)?;
        self.enter()?;
        if self.peek() == Some(close) {
            self.pos += 1;
        } else {
            loop {
                item(self)?;
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b) if b == close => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.unexpected(separator)),
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// Reads an array of strings.
    pub fn strings(&mut self) -> Result<Vec<String>> {
        let mut out = Vec::new();
        self.array(|r| {
            out.push(r.string()?);
            Ok(())
        })?;
        Ok(out)
    }

    pub fn string(&mut self) -> Result<String> {
        Ok(self.str()?.into_owned())
    }

    /// Reads a string: borrowed from the input when it has no escapes.
    fn str(&mut self) -> Result<Cow<'a, str>> {
        self.expect(b'"', "a string")?;
        let bytes = self.bytes;
        let start = self.pos;
        let mut owned: Option<Vec<u8>> = None;
        let mut run = start;
        loop {
            let Some(&b) = bytes.get(self.pos) else {
                return Err(self.error("unexpected end of file inside a string"));
            };
            match b {
                b'"' => break,
                b'\\' => {
                    let out = owned.get_or_insert_with(Vec::new);
                    out.extend_from_slice(&bytes[run..self.pos]);
                    self.pos += 1;
                    let escaped = match bytes.get(self.pos) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            let high = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&high) {
                                if bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                                    return Err(self.error("lone surrogate in \\u escape"));
                                }
                                self.pos += 2;
                                let low = self.hex4()?;
                                if !(0xDC00..0xE000).contains(&low) {
                                    return Err(self.error("lone surrogate in \\u escape"));
                                }
                                0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                high
                            };
                            let ch = char::from_u32(code)
                                .ok_or_else(|| self.error("lone surrogate in \\u escape"))?;
                            let out = owned.get_or_insert_with(Vec::new);
                            out.extend_from_slice(ch.encode_utf8(&mut [0; 4]).as_bytes());
                            run = self.pos;
                            continue;
                        }
                        _ => return Err(self.error("invalid escape in string")),
                    };
                    let out = owned.get_or_insert_with(Vec::new);
                    out.extend_from_slice(escaped.encode_utf8(&mut [0; 4]).as_bytes());
                    self.pos += 1;
                    run = self.pos;
                }
                0..=0x1f => return Err(self.error("control character inside a string")),
                _ => self.pos += 1,
            }
        }
        let text = match owned {
            None => std::str::from_utf8(&bytes[start..self.pos]).map(Cow::Borrowed),
            Some(mut out) => {
                out.extend_from_slice(&bytes[run..self.pos]);
                String::from_utf8(out)
                    .map(Cow::Owned)
                    .map_err(|e| e.utf8_error())
            }
        }
        .map_err(|_| self.error("string is not valid UTF-8"))?;
        self.pos += 1;
        Ok(text)
    }

    /// The four hex digits of a `\u` escape, checked by hand: `u32::from_str_radix` takes
    /// a sign, and read `\u+041` as U+0041.
    fn hex4(&mut self) -> Result<u32> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .filter(|d| d.iter().all(u8::is_ascii_hexdigit))
            .ok_or_else(|| self.error("expected 4 hex digits after \\u"))?;
        let value = digits.iter().fold(0, |value, &d| {
            value << 4 | (d as char).to_digit(16).unwrap_or(0)
        });
        self.pos += 4;
        Ok(value)
    }

    /// Reads a whole non-negative number.
    pub fn u64(&mut self) -> Result<u64> {
        self.peek();
        let start = self.pos;
        let mut value: u64 = 0;
        while let Some(&b @ b'0'..=b'9') = self.bytes.get(self.pos) {
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(b - b'0')))
                .ok_or_else(|| self.error("number too large"))?;
            self.pos += 1;
        }
        let whole = self.pos > start
            && !matches!(self.bytes.get(self.pos), Some(b'.' | b'e' | b'E'))
            && !(self.bytes[start] == b'0' && self.pos - start > 1);
        if !whole {
            self.pos = start;
            return Err(self.unexpected("a whole non-negative number"));
        }
        Ok(value)
    }

    pub fn u32(&mut self) -> Result<u32> {
        let start = self.pos;
        let value = self.u64()?;
        u32::try_from(value).map_err(|_| {
            self.pos = start;
            self.error("number too large")
        })
    }

    /// `None` for `null`, else what `read` reads.
    pub fn nullable<T>(&mut self, read: impl FnOnce(&mut Self) -> Result<T>) -> Result<Option<T>> {
        if self.peek() == Some(b'n') {
            self.literal(b"null")?;
            Ok(None)
        } else {
            read(self).map(Some)
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<()> {
        if self.bytes.get(self.pos..self.pos + word.len()) == Some(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.error("expected a value"))
        }
    }

    /// Passes over any one value.
    pub fn skip(&mut self) -> Result<()> {
        match self.peek() {
            Some(b'{') => self.object(|r, _| r.skip()),
            Some(b'[') => self.array(Self::skip),
            Some(b'"') => self.str().map(drop),
            Some(b't') => self.literal(b"true"),
            Some(b'f') => self.literal(b"false"),
            Some(b'n') => self.literal(b"null"),
            Some(b'-' | b'0'..=b'9') => {
                // -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
                let start = self.pos;
                let digits = |r: &mut Self| {
                    let from = r.pos;
                    while let Some(b'0'..=b'9') = r.bytes.get(r.pos) {
                        r.pos += 1;
                    }
                    r.pos - from
                };
                if self.bytes[self.pos] == b'-' {
                    self.pos += 1;
                }
                let leading_zero = self.bytes.get(self.pos) == Some(&b'0');
                let mut valid = match digits(self) {
                    0 => false,
                    n => !(leading_zero && n > 1),
                };
                if valid && self.bytes.get(self.pos) == Some(&b'.') {
                    self.pos += 1;
                    valid = digits(self) > 0;
                }
                if valid && matches!(self.bytes.get(self.pos), Some(b'e' | b'E')) {
                    self.pos += 1;
                    if matches!(self.bytes.get(self.pos), Some(b'+' | b'-')) {
                        self.pos += 1;
                    }
                    valid = digits(self) > 0;
                }
                if !valid {
                    self.pos = start;
                    return Err(self.error("invalid number"));
                }
                Ok(())
            }
            _ => Err(self.unexpected("a value")),
        }
    }

    /// Checks that only whitespace follows.
    pub fn end(&mut self) -> Result<()> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.error("trailing characters after the value")),
        }
    }
}

/// Reads one document with `read`, which must consume all of it.
pub fn parse<'a, T>(bytes: &'a [u8], read: impl FnOnce(&mut Reader<'a>) -> Result<T>) -> Result<T> {
    let mut reader = Reader::new(bytes);
    let value = read(&mut reader)?;
    reader.end()?;
    Ok(value)
}

/// Unwraps a field every record must have.
pub fn required<T>(reader: &Reader, value: Option<T>, name: &str) -> Result<T> {
    value.ok_or_else(|| reader.error(format!("missing field `{name}`")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(text: &str) -> Result<Vec<String>> {
        parse(text.as_bytes(), Reader::strings)
    }

    #[test]
    fn strings_with_every_escape() {
        assert_eq!(
            strings(
                r#" ["plain", "a\"b\\c\/d\b\f\n\r\t", "\u00e9\u4e2d", "\ud83d\ude00x", "é中"] "#
            )
            .unwrap(),
            ["plain", "a\"b\\c/d\u{8}\u{c}\n\r\t", "é中", "😀x", "é中"]
        );
    }

    #[test]
    fn bad_strings_are_errors() {
        for bad in [
            r#"["\ud83d"]"#,
            r#"["\ude00"]"#,
            r#"["\x"]"#,
            r#"["\u12"]"#,
            "[\"tab\tinside\"]",
            r#"["open"#,
            r#"[1]"#,
        ] {
            assert!(strings(bad).is_err(), "{bad}");
        }
        assert!(parse(b"[\"\xff\"]", Reader::strings).is_err());
    }

    #[test]
    fn u_escapes_take_exactly_four_hex_digits_and_no_sign() {
        // Regression (issue 13): `u32::from_str_radix` takes a leading `+`, so `\u+041`
        // read as "A".
        for bad in [
            r#"["\u+041"]"#,
            r#"["\u+0041"]"#,
            r#"["\u-041"]"#,
            r#"["\ud83d\u+e00"]"#,
            r#"["\u 041"]"#,
            r#"["\u004"]"#,
            r#"["\u004g"]"#,
            "[\"\\u\u{ff21}041\"]",
        ] {
            let err = strings(bad).unwrap_err();
            assert!(
                err.message.contains("hex digits") || err.message.contains("surrogate"),
                "{bad}: {err}"
            );
        }
        assert_eq!(
            strings(r#"["\u0041\u00E9\uFFFD"]"#).unwrap(),
            ["Aé\u{fffd}"]
        );
    }

    #[test]
    fn objects_hand_each_key_and_skip_unknown_values() {
        let text =
            r#"{"n": 42, "skip": {"a": [1, -2.5e3, 0.5E+2, true, false, null, "s"]}, "m": null}"#;
        let mut seen = Vec::new();
        parse(text.as_bytes(), |r| {
            r.object(|r, key| {
                match key {
                    "n" => seen.push(r.u64()?),
                    "m" => assert_eq!(r.nullable(Reader::u64)?, None),
                    _ => r.skip()?,
                }
                Ok(())
            })
        })
        .unwrap();
        assert_eq!(seen, [42]);
    }

    #[test]
    fn numbers_are_whole_and_non_negative() {
        let number = |text: &str| parse(text.as_bytes(), Reader::u64);
        assert_eq!(number("0").unwrap(), 0);
        assert_eq!(number(" 18446744073709551615 ").unwrap(), u64::MAX);
        for bad in ["-1", "1.5", "1e3", "01", "18446744073709551616", "", "x"] {
            assert!(number(bad).is_err(), "{bad}");
        }
        assert!(parse(b"4294967296", Reader::u32).is_err());
        for bad in ["-", "1.", "1e", "01", "--1", ".5", "+1"] {
            assert!(parse(bad.as_bytes(), Reader::skip).is_err(), "{bad}");
        }
    }

    #[test]
    fn errors_say_where() {
        let err = parse(b"{\n  \"a\": 1,\n  \"b\" 2\n}", |r| {
            r.object(|r, _| r.skip())
        })
        .unwrap_err();
        assert_eq!((err.line, err.column), (3, 7));
        assert_eq!(err.to_string(), "expected `:` at line 3 column 7");
        let err = parse(b"[1, 2", |r| r.array(Reader::skip)).unwrap_err();
        assert!(err.message.contains("end of file"), "{err}");
        assert!(parse(b"[] x", |r| r.array(Reader::skip)).is_err());
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let deep = "[".repeat(100_000);
        let err = parse(deep.as_bytes(), Reader::skip).unwrap_err();
        assert!(err.message.contains("nested too deeply"), "{err}");
    }
}
