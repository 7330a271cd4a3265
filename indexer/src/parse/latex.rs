//! LaTeX in titles, names and abstracts, turned into the plain text a reader expects:
//! accents (`{\"o}`, `\'{e}`, `{\'\i}`) into composed letters (ö, é, í), protective
//! braces (`{GPT}`) and math delimiters dropped, formatting commands (`\emph{x}`) into
//! their text, escaped specials (`\%`, `\&`) into the character. What is not understood
//! loses its backslash, never its text. Linear in the input.

use unicode_normalization::UnicodeNormalization;

/// Whether `text` holds anything this module would change.
pub fn has_markup(text: &str) -> bool {
    text.contains(['\\', '{', '}', '$', '~'])
}

/// `text` as plain text when it holds one of `marks` (a backslash, a brace), else only its
/// whitespace collapsed: for formats where LaTeX is possible but not the rule.
pub fn plain_if(text: &str, marks: &[char]) -> String {
    if text.contains(marks) {
        plain(text)
    } else {
        collapse(text)
    }
}

/// `text` as plain text, whitespace collapsed, Unicode composed (NFC).
pub fn plain(text: &str) -> String {
    if !has_markup(text) && !text.contains("--") {
        return collapse(text);
    }
    let bytes = text.as_bytes();
    let at = |i: usize| text.get(i..).and_then(|rest| rest.chars().next());
    let mut out = Out::with_capacity(text.len());
    // A combining accent waiting for the letter it goes on.
    let mut pending: Option<char> = None;
    let mut i = 0;
    while let Some(c) = at(i) {
        i += c.len_utf8();
        match c {
            '{' | '}' | '$' => {}
            '~' => out.space(),
            '-' if bytes.get(i) == Some(&b'-') => {
                if bytes.get(i + 1) == Some(&b'-') {
                    out.push('—', &mut pending);
                    i += 2;
                } else {
                    out.push('–', &mut pending);
                    i += 1;
                }
            }
            '\\' => {
                let Some(next) = at(i) else { break };
                i += next.len_utf8();
                if let Some(mark) = accent(next) {
                    pending = Some(mark);
                } else if is_combining(next) {
                    // biblatex turns `\'` into a combining mark but leaves the backslash
                    // when the letter is a command (`{\'\i}`).
                    pending = Some(next);
                } else if next.is_ascii_alphabetic() {
                    let start = i - 1;
                    while bytes.get(i).is_some_and(u8::is_ascii_alphabetic) {
                        i += 1;
                    }
                    let name = &text[start..i];
                    // A control word that is a letter eats the spaces after it.
                    if letter(name).is_some() {
                        while bytes.get(i) == Some(&b' ') {
                            i += 1;
                        }
                    }
                    if let Some(mark) = letter_accent(name) {
                        pending = Some(mark);
                    } else if let Some(l) = letter(name) {
                        out.push(l, &mut pending);
                    } else if DROPPED.contains(&name) || name == "href" {
                        // The argument is no text (for \href, the URL: the text follows).
                        i = skip_group(bytes, i);
                    }
                    // Any other command (\emph, \textbf, \mathrm, unknown ones): its
                    // argument stays as text, its name goes.
                } else if next == '\\' || next.is_whitespace() {
                    out.space();
                } else {
                    out.push(next, &mut pending); // \% \& \_ \# \$ \{ \}
                }
            }
            c if c.is_whitespace() => out.space(),
            c => out.push(c, &mut pending),
        }
    }
    out.finish()
}

/// Plain text being written: whitespace collapsed as it comes, composed at the end only
/// when a combining mark went in.
struct Out {
    text: String,
    combining: bool,
}

impl Out {
    fn with_capacity(n: usize) -> Self {
        Out {
            text: String::with_capacity(n),
            combining: false,
        }
    }

    fn push(&mut self, c: char, pending: &mut Option<char>) {
        self.text.push(c);
        self.combining |= is_combining(c);
        if let Some(mark) = pending.take() {
            self.text.push(mark);
            self.combining = true;
        }
    }

    fn space(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with(' ') {
            self.text.push(' ');
        }
    }

    fn finish(self) -> String {
        let text = if self.combining {
            self.text.nfc().collect()
        } else {
            self.text
        };
        match text.strip_suffix(' ') {
            Some(trimmed) => trimmed.to_string(),
            None => text,
        }
    }
}

/// Commands whose argument is no text for a reader.
const DROPPED: &[&str] = &["cite", "citep", "citet", "ref", "label", "footnote", "url"];

/// The combining mark of a one-character accent command: `\'e`, `\"o`.
fn accent(c: char) -> Option<char> {
    Some(match c {
        '\'' => '\u{301}',
        '`' => '\u{300}',
        '^' => '\u{302}',
        '"' => '\u{308}',
        '~' => '\u{303}',
        '=' => '\u{304}',
        '.' => '\u{307}',
        _ => return None,
    })
}

/// The combining mark of a letter accent command: `\c{c}`, `\v{s}`.
fn letter_accent(name: &str) -> Option<char> {
    Some(match name {
        "c" => '\u{327}',
        "v" => '\u{30C}',
        "u" => '\u{306}',
        "H" => '\u{30B}',
        "r" => '\u{30A}',
        "k" => '\u{328}',
        "d" => '\u{323}',
        "b" => '\u{331}',
        _ => return None,
    })
}

/// The letter a command stands for: `\ss`, `\o`, `\i` (the dotless i, here plain i so an
/// accent composes onto it).
fn letter(name: &str) -> Option<char> {
    Some(match name {
        "i" => 'i',
        "j" => 'j',
        "ss" => 'ß',
        "o" => 'ø',
        "O" => 'Ø',
        "ae" => 'æ',
        "AE" => 'Æ',
        "oe" => 'œ',
        "OE" => 'Œ',
        "aa" => 'å',
        "AA" => 'Å',
        "l" => 'ł',
        "L" => 'Ł',
        _ => return None,
    })
}

fn is_combining(c: char) -> bool {
    ('\u{300}'..='\u{36F}').contains(&c)
}

/// The index just past a `{…}` group starting at `i` (after spaces), or `i` if none.
fn skip_group(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i) == Some(&b' ') {
        i += 1;
    }
    if bytes.get(i) != Some(&b'{') {
        return i;
    }
    let mut depth = 0usize;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
    }
    i
}

fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_become_letters() {
        assert_eq!(plain(r#"M{\"u}ller"#), "Müller");
        assert_eq!(plain(r#"Bj\"{o}rn"#), "Björn");
        assert_eq!(plain(r"Garc{\'\i}a"), "García");
        assert_eq!(plain(r"Fran\c{c}ois"), "François");
        assert_eq!(plain(r"Dvo\v{r}\'ak"), "Dvořák");
        assert_eq!(plain(r"Erd\H{o}s"), "Erdős");
        assert_eq!(plain(r#"\AA{}ngstr\"om"#), "Ångström");
        assert_eq!(plain(r"Stra\ss e"), "Straße");
        assert_eq!(
            plain("Garc\\\u{301}ia"),
            "García",
            "biblatex's half-resolved \\'\\i"
        );
    }

    #[test]
    fn braces_math_and_formatting_go() {
        assert_eq!(
            plain("{GPT}-4 and {{Nested}} {Study}"),
            "GPT-4 and Nested Study"
        );
        assert_eq!(
            plain(r"We study \emph{things} at 50\% with $x^2$ and \textbf{bold}."),
            "We study things at 50% with x^2 and bold."
        );
        assert_eq!(
            plain(r"as shown \cite{smith2020}, see \href{https://x.org}{our page}"),
            "as shown , see our page"
        );
        assert_eq!(plain("pages 1--2, a---b"), "pages 1–2, a—b");
        assert_eq!(plain("A\\\\B~C"), "A B C");
    }

    #[test]
    fn broken_markup_keeps_the_text() {
        for odd in [
            r"\",
            r"\'",
            "{{{",
            "}}}",
            r"\emph{unclosed",
            r"\cite{",
            "\\\u{301}",
        ] {
            let _ = plain(odd); // no panic
        }
        assert_eq!(plain(r"\emph{unclosed"), "unclosed");
        assert_eq!(plain("plain text"), "plain text");
    }
}
