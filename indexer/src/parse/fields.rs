//! The fields a Folio JSON or arXiv JSON record may have, and the nearest one to a field
//! that is none of them, so that a misspelt field (`author`, `date`) is said, not lost.

/// Folio JSON's fields, then those of arXiv's metadata snapshot.
pub const KNOWN: &[&str] = &[
    "id",
    "title",
    "abstract",
    "authors",
    "author_count",
    "organization",
    "published",
    "upvotes",
    "categories",
    "listings",
    "url",
    "doi",
    // arXiv's metadata snapshot.
    "submitter",
    "comments",
    "journal-ref",
    "report-no",
    "license",
    "versions",
    "update_date",
    "authors_parsed",
];

/// Names people give a Folio field.
const ALIASES: &[(&str, &str)] = &[
    ("date", "published"),
    ("year", "published"),
    ("published_at", "published"),
    ("publishedAt", "published"),
    ("pub_date", "published"),
    ("summary", "abstract"),
    ("description", "abstract"),
    ("keywords", "categories"),
    ("tags", "categories"),
    ("link", "url"),
    ("href", "url"),
    ("org", "organization"),
    ("affiliation", "organization"),
    ("votes", "upvotes"),
    ("likes", "upvotes"),
    ("name", "title"),
];

/// The warning for a field that is not a Folio field, with the nearest known one.
pub fn unknown(field: &str) -> String {
    let shown = super::truncate(field, 40);
    match nearest(field) {
        Some(known) => {
            format!("`{shown}` is not a Folio field (left out); did you mean `{known}`?")
        }
        None => format!(
            "`{shown}` is not a Folio field (left out); the fields are {}",
            KNOWN[..12].join(", ")
        ),
    }
}

/// The known field a mistaken one most likely meant: an alias, a plural or singular, a
/// different case, or one within two edits.
pub fn nearest(field: &str) -> Option<&'static str> {
    if let Some((_, known)) = ALIASES
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(field))
    {
        return Some(known);
    }
    let lower = field.to_ascii_lowercase();
    KNOWN
        .iter()
        .map(|known| (distance(&lower, known), *known))
        .filter(|(d, known)| *d <= 2.min(known.len() / 3 + 1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, known)| known)
}

/// Edit distance (insertions, deletions, substitutions), for short field names only.
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().take(64).collect(), b.chars().collect());
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspelt_fields_find_the_field_meant() {
        assert_eq!(nearest("author"), Some("authors"));
        assert_eq!(nearest("date"), Some("published"));
        assert_eq!(nearest("year"), Some("published"));
        assert_eq!(nearest("Title"), Some("title"));
        assert_eq!(nearest("abstarct"), Some("abstract"));
        assert_eq!(nearest("categorys"), Some("categories"));
        assert_eq!(nearest("zebra"), None);
        assert!(unknown("author").contains("did you mean `authors`?"));
    }
}
