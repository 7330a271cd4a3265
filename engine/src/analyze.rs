//! The analyzer: normalize → tokenize → stem.
//!
//! This is the one place where text becomes terms. The indexer runs it over papers and the
//! browser runs the very same code over queries, so the two can never drift apart (the
//! weak point of search tools that normalize once in Rust and again in JavaScript).
//!
//! Any change to what this module produces for a given input must bump
//! [`ANALYZER_VERSION`]: an index built by another version is refused by the reader.

use rust_stemmers::{Algorithm, Stemmer};

/// Version of the term-producing rules below. Stored in every index manifest.
pub const ANALYZER_VERSION: u32 = 2;

/// Tokens longer than this (in bytes) are dropped: they are base64 blobs, hashes or URLs
/// glued together, never something a person types.
const MAX_TOKEN_BYTES: usize = 40;

/// One token of a text: its normalized form and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Lowercased, accent-folded text of the token. This is the indexed term.
    pub text: String,
    /// Byte offset of the token's first character in the original text.
    pub start: usize,
    /// Byte offset just past the token's last character in the original text.
    pub end: usize,
    /// Ordinal of the token in its text (0, 1, 2, ...), used for phrase matching.
    pub position: u32,
}

/// Turns text into tokens and terms into stems. Cheap to clone is not needed: build one and
/// reuse it (the stemmer holds its tables).
pub struct Analyzer {
    stemmer: Stemmer,
}

impl Default for Analyzer {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("version", &ANALYZER_VERSION)
            .finish()
    }
}

impl Analyzer {
    pub fn new() -> Self {
        Analyzer {
            stemmer: Stemmer::create(Algorithm::English),
        }
    }

    /// Splits `text` into normalized tokens with their byte ranges.
    ///
    /// A token is a maximal run of letters and digits; everything else separates tokens.
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let mut tokens = Vec::new();
        self.each_token(text, |term, start, end, position| {
            tokens.push(Token {
                text: term.to_string(),
                start,
                end,
                position,
            });
        });
        tokens
    }

    /// Calls `f(term, start, end, position)` for each token of `text`, as [`Self::tokens`]
    /// would make them, without allocating a string per token.
    pub fn each_token(&self, text: &str, mut f: impl FnMut(&str, usize, usize, u32)) {
        let mut current = String::new();
        let mut start = 0;
        let mut position = 0;
        let mut push = |current: &mut String, start: usize, end: usize| {
            if !current.is_empty() && current.len() <= MAX_TOKEN_BYTES {
                f(current, start, end, position);
                position += 1;
            }
            current.clear();
        };
        for (offset, ch) in text.char_indices() {
            if ch.is_alphanumeric() {
                if current.is_empty() {
                    start = offset;
                }
                normalize_char(ch, &mut current);
            } else if !current.is_empty() {
                push(&mut current, start, offset);
            }
        }
        push(&mut current, start, text.len());
    }

    /// [`Self::each_token`], plus the joined form of each compound: runs of 2 to 6 tokens
    /// written with a single `-`, `.` or `_` between them, such as "GPT-4", "in-context"
    /// or "Llama-3.1-8B", also come as "gpt4", "incontext" and "llama318b", spanning the
    /// whole run and at the position of its first part, with `compound` true (after the
    /// run's last part). The indexer adds them next to the parts, so `gpt4` typed without
    /// its hyphen finds "GPT-4"; queries never produce them (a hyphenated query word is
    /// matched as adjacent parts).
    pub fn each_token_with_compounds(
        &self,
        text: &str,
        mut f: impl FnMut(&str, usize, usize, u32, bool),
    ) {
        let mut run = String::new();
        let (mut run_start, mut run_end, mut run_position, mut parts) = (0, 0, 0u32, 0usize);
        let mut previous: Option<(usize, u32)> = None;
        self.each_token(text, |term, start, end, position| {
            let joined = previous.is_some_and(|(previous_end, previous_position)| {
                position == previous_position + 1
                    && parts < 6
                    && matches!(text.get(previous_end..start), Some("-" | "." | "_"))
            });
            if !joined {
                if parts >= 2 && run.len() <= MAX_TOKEN_BYTES {
                    f(&run, run_start, run_end, run_position, true);
                }
                run.clear();
                parts = 0;
                run_start = start;
                run_position = position;
            }
            f(term, start, end, position, false);
            run.push_str(term);
            parts += 1;
            run_end = end;
            previous = Some((end, position));
        });
        if parts >= 2 && run.len() <= MAX_TOKEN_BYTES {
            f(&run, run_start, run_end, run_position, true);
        }
    }

    /// The stem of an already normalized term ("learning" → "learn"). Terms holding digits
    /// are left alone: "gpt4" or "2024" have no English inflection.
    pub fn stem<'a>(&self, term: &'a str) -> std::borrow::Cow<'a, str> {
        if term.bytes().any(|b| b.is_ascii_digit()) {
            return std::borrow::Cow::Borrowed(term);
        }
        self.stemmer.stem(term)
    }
}

/// Lowercases `text` char by char. (`str::to_lowercase` also handles the Greek final
/// sigma, which brings extra Unicode tables into the wasm; nothing here needs it.)
pub fn lowercase(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// Lowercases `ch` and folds the common Latin diacritics to their base letter, appending the
/// result to `out`. "Schrödinger" and "schrodinger" must find each other.
fn normalize_char(ch: char, out: &mut String) {
    if ch.is_ascii() {
        out.push(ch.to_ascii_lowercase());
        return;
    }
    for lower in ch.to_lowercase() {
        match fold_diacritic(lower) {
            Some(folded) => out.push_str(folded),
            None => out.push(lower),
        }
    }
}

fn fold_diacritic(ch: char) -> Option<&'static str> {
    Some(match ch {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' => "s",
        'ß' => "ss",
        'ţ' | 'ť' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        'ł' => "l",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(text: &str) -> Vec<String> {
        Analyzer::new()
            .tokens(text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn splits_on_punctuation_and_lowercases() {
        assert_eq!(
            texts("BioCLIP 2: Emergent Properties"),
            ["bioclip", "2", "emergent", "properties"]
        );
    }

    #[test]
    fn byte_ranges_point_into_the_original_text() {
        let text = "Café au lait, Schrödinger!";
        let tokens = Analyzer::new().tokens(text);
        assert_eq!(tokens[0].text, "cafe");
        assert_eq!(&text[tokens[0].start..tokens[0].end], "Café");
        assert_eq!(tokens[3].text, "schrodinger");
        assert_eq!(&text[tokens[3].start..tokens[3].end], "Schrödinger");
        assert_eq!(tokens[3].position, 3);
    }

    #[test]
    fn drops_overlong_tokens_without_breaking_positions() {
        let long = "x".repeat(MAX_TOKEN_BYTES + 1);
        let tokens = Analyzer::new().tokens(&format!("a {long} b"));
        let texts: Vec<_> = tokens
            .iter()
            .map(|t| (t.text.as_str(), t.position))
            .collect();
        assert_eq!(texts, [("a", 0), ("b", 1)]);
    }

    #[test]
    fn stems_english_but_not_terms_with_digits() {
        let analyzer = Analyzer::new();
        assert_eq!(analyzer.stem("learning"), "learn");
        assert_eq!(analyzer.stem("agents"), "agent");
        assert_eq!(analyzer.stem("gpt4"), "gpt4");
    }

    #[test]
    fn compounds_join_parts_written_with_one_joiner() {
        let analyzer = Analyzer::new();
        let text =
            "GPT-4 and Llama-3.1-8B do in-context learning, e.g. R1-Zero; not GPT - 4 or a.-b";
        let mut joined: Vec<(String, &str, u32)> = Vec::new();
        analyzer.each_token_with_compounds(text, |term, start, end, position, compound| {
            if compound {
                joined.push((term.to_string(), &text[start..end], position));
            }
        });
        assert_eq!(
            joined,
            [
                ("gpt4".to_string(), "GPT-4", 0),
                ("llama318b".to_string(), "Llama-3.1-8B", 3),
                ("incontext".to_string(), "in-context", 8),
                ("eg".to_string(), "e.g", 11),
                ("r1zero".to_string(), "R1-Zero", 13),
            ]
        );
    }

    #[test]
    fn empty_and_separator_only_text_has_no_tokens() {
        assert!(texts("").is_empty());
        assert!(texts(" -- ,; ").is_empty());
    }
}
