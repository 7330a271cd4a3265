//! What each input file gave: its format, its records, what was skipped and why, and how
//! many records merged into papers of other records. `folio index` writes it beside the
//! index as `inputs.json` (file names only, never their folders); `folio stats` prints it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The file `folio index` writes the report into, in the index folder.
pub const INPUTS_FILE: &str = "inputs.json";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Inputs {
    pub files: Vec<InputReport>,
    /// Records read from every file.
    pub records: usize,
    /// Papers after merging.
    pub papers: usize,
    /// Records that joined a paper another record had started (same title).
    pub merged: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct InputReport {
    /// The file's name (no folder).
    pub file: String,
    /// The format it was read as ("BibTeX", "Folio JSON", …).
    pub format: String,
    /// Records it gave.
    pub records: usize,
    /// Entries skipped, by reason.
    pub skipped: BTreeMap<String, usize>,
    /// Values dropped from papers that were kept, by reason.
    pub dropped: BTreeMap<String, usize>,
}

/// A reason without its particulars, to count reasons alike together: every quoted part
/// (a title, a key, a value) becomes `…`. `title "A" has no abstract` and `title "B" has no
/// abstract` are one reason.
pub fn reason_kind(reason: &str) -> String {
    let mut out = String::with_capacity(reason.len());
    let mut quoted = false;
    let mut chars = reason.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if quoted => {
                chars.next();
            }
            '"' if quoted => quoted = false,
            '"' => {
                quoted = true;
                out.push('…');
            }
            c if !quoted => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_alike_count_together() {
        assert_eq!(
            reason_kind(r#"title "A \"quoted\" one" has no abstract"#),
            reason_kind(r#"title "B" has no abstract"#)
        );
        assert_eq!(
            reason_kind(r#"title "A" has no abstract"#),
            "title … has no abstract"
        );
        assert_eq!(
            reason_kind("expected a JSON object"),
            "expected a JSON object"
        );
    }
}
