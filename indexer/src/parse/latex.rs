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

/// `text` as plain text, whitespace collapsed, Unicode composed (NFC).
pub fn plain(text: &str) -> String {
    if !has_markup(text) && !text.contains("--") {
        return collapse(text);
    }
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    // A combining accent waiting for the letter it goes on.
    let mut pending: Option<char> = None;
    let mut i = 0;
    let push = |out: &mut String, c: char, pending: &mut Option<char>| {
        out.push(c);
        if let Some(mark) = pending.take() {
            out.push(mark);
        }
    };
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        match c {
            '{' | '}' | '$' => {}
            '~' => out.push(' '),
            '-' if chars.get(i) == Some(&'-') => {
                if chars.get(i + 1) == Some(&'-') {
                    out.push('—');
                    i += 2;
                } else {
                    out.push('–');
                    i += 1;
                }
            }
            '\\' => {
                let Some(&next) = chars.get(i) else { break };
                i += 1;
                if let Some(mark) = accent(next) {
                    pending = Some(mark);
                } else if is_combining(next) {
                    // biblatex turns `\'` into a combining mark but leaves the backslash
                    // when the letter is a command (`{\'\i}`).
                    pending = Some(next);
                } else if next.is_ascii_alphabetic() {
                    let start = i - 1;
                    while chars.get(i).is_some_and(char::is_ascii_alphabetic) {
                        i += 1;
                    }
                    let name: String = chars[start..i].iter().collect();
                    // A control word eats the spaces after it.
                    while chars.get(i) == Some(&' ') && letter(&name).is_some() {
                        i += 1;
                    }
                    if let Some(mark) = letter_accent(&name) {
                        pending = Some(mark);
                    } else if let Some(l) = letter(&name) {
                        push(&mut out, l, &mut pending);
                    } else if DROPPED.contains(&name.as_str()) {
                        i = skip_group(&chars, i);
                    } else if name == "href" {
                        i = skip_group(&chars, i); // the URL; the text follows
                    }
                    // Any other command (\emph, \textbf, \mathrm, unknown ones): its
                    // argument stays as text, its name goes.
                } else if next == '\\' {
                    out.push(' ');
                } else if !next.is_whitespace() {
                    push(&mut out, next, &mut pending); // \% \& \_ \# \$ \{ \}
                } else {
                    out.push(' ');
                }
            }
            c => push(&mut out, c, &mut pending),
        }
    }
    collapse(&out.nfc().collect::<String>())
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
fn skip_group(chars: &[char], mut i: usize) -> usize {
    while chars.get(i) == Some(&' ') {
        i += 1;
    }
    if chars.get(i) != Some(&'{') {
        return i;
    }
    let mut depth = 0usize;
    while let Some(&c) = chars.get(i) {
        i += 1;
        match c {
            '{' => depth += 1,
            '}' => {
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
    text.split_whitespace().collect::<Vec<_>>().join(" ")
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
