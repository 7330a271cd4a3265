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
pub const ANALYZER_VERSION: u32 = 3;

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
    ///
    /// A token longer than 40 bytes is not emitted but still takes its position,
    /// so words on either side of it are not adjacent. Runs of CJK characters (Han, kana,
    /// Hangul), written without spaces, become overlapping character bigrams, one position
    /// each (as Lucene's CJK analyzer does); a lone CJK character is a token of its own.
    pub fn each_token(&self, text: &str, mut f: impl FnMut(&str, usize, usize, u32)) {
        let mut current = String::new();
        let mut start = 0;
        let mut position: u32 = 0;
        // The previous character of a CJK run, and whether the run has made a bigram yet.
        let mut cjk_previous: Option<(usize, char)> = None;
        let mut cjk_paired = false;
        let mut push = |current: &mut String, start: usize, end: usize, position: &mut u32| {
            if !current.is_empty() {
                if current.len() <= MAX_TOKEN_BYTES {
                    f(current, start, end, *position);
                }
                *position = position.saturating_add(1);
            }
            current.clear();
        };
        for (offset, ch) in text.char_indices() {
            if is_cjk(ch) {
                push(&mut current, start, offset, &mut position);
                if let Some((previous_start, previous)) = cjk_previous {
                    current.push(previous);
                    current.push(ch);
                    push(
                        &mut current,
                        previous_start,
                        offset + ch.len_utf8(),
                        &mut position,
                    );
                    cjk_paired = true;
                }
                cjk_previous = Some((offset, ch));
                continue;
            }
            if let Some((previous_start, previous)) = cjk_previous.take() {
                if !cjk_paired {
                    current.push(previous);
                    push(&mut current, previous_start, offset, &mut position);
                }
                cjk_paired = false;
            }
            if ch.is_alphanumeric() {
                if current.is_empty() {
                    start = offset;
                }
                normalize_char(ch, &mut current);
            } else if !current.is_empty() {
                push(&mut current, start, offset, &mut position);
            }
        }
        if let Some((previous_start, previous)) = cjk_previous {
            if !cjk_paired {
                current.push(previous);
                start = previous_start;
            }
        }
        push(&mut current, start, text.len(), &mut position);
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

/// Characters of the scripts written without spaces between words: Han (CJK ideographs,
/// their extensions and compatibility forms), Hiragana, Katakana and Hangul. Bigrammed by
/// [`Analyzer::each_token`].
fn is_cjk(ch: char) -> bool {
    matches!(ch as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x31F0..=0x31FF    // Katakana phonetic extensions
        | 0x3400..=0x4DBF    // Han extension A
        | 0x4E00..=0x9FFF    // Han
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // Han compatibility
        | 0xFF66..=0xFF9F    // half-width Katakana
        | 0x20000..=0x2FA1F) // Han extensions B-F, compatibility supplement
        && ch.is_alphanumeric()
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
    fn overlong_tokens_are_dropped_but_keep_their_position() {
        // Regression (issue 13): a dropped token took no position, so "a" and "b" read as
        // adjacent and the phrase "a b" matched across it.
        let long = "x".repeat(MAX_TOKEN_BYTES + 1);
        let tokens = Analyzer::new().tokens(&format!("a {long} b"));
        let texts: Vec<_> = tokens
            .iter()
            .map(|t| (t.text.as_str(), t.position))
            .collect();
        assert_eq!(texts, [("a", 0), ("b", 2)]);
    }

    fn tokens_with_text(text: &str) -> Vec<(String, &str, u32)> {
        Analyzer::new()
            .tokens(text)
            .into_iter()
            .map(|t| (t.text, &text[t.start..t.end], t.position))
            .collect()
    }

    #[test]
    fn unspaced_japanese_becomes_overlapping_bigrams() {
        // Regression (issue 13): the whole run was one token of more than 40 bytes, dropped.
        let text = "大規模言語モデルの推論、GPT4で";
        let got = tokens_with_text(text);
        let terms: Vec<&str> = got.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(
            terms,
            [
                "大規", "規模", "模言", "言語", "語モ", "モデ", "デル", "ルの", "の推", "推論",
                "gpt4", "で"
            ]
        );
        assert_eq!(got[1], ("規模".to_string(), "規模", 1));
        assert_eq!(got[10], ("gpt4".to_string(), "GPT4", 10));
        assert_eq!(got[11], ("で".to_string(), "で", 11));
    }

    #[test]
    fn chinese_bigrams_and_single_characters() {
        let got = tokens_with_text("图神经网络 与 强化学习。字");
        let terms: Vec<&str> = got.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(
            terms,
            ["图神", "神经", "经网", "网络", "与", "强化", "化学", "学习", "字"]
        );
        let positions: Vec<u32> = got.iter().map(|t| t.2).collect();
        assert_eq!(positions, [0, 1, 2, 3, 4, 5, 6, 7, 8]);
        // A run of any length is kept, however many bytes it has.
        let long = "深度学习".repeat(40);
        assert_eq!(Analyzer::new().tokens(&long).len(), 159);
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
