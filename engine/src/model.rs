//! The paper record shared by the indexer, the index files and the app.

use serde::{Deserialize, Serialize};

/// One paper of a collection, after parsing and merging.
///
/// Everything but `id`, `title` and `abstract` is optional: the bundled listings carry an
/// author count but no names, arXiv metadata carries names but no upvotes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Paper {
    /// Stable across rebuilds: the arXiv id when known, otherwise derived from the title.
    pub id: String,
    pub title: String,
    #[serde(rename = "abstract")]
    pub abstract_text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author_count: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    /// Publication date, ISO 8601 (`2025-05-24`), or `--05-24` style when the source gave
    /// no year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upvotes: Option<u32>,
    /// arXiv categories, e.g. `cs.CL`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<String>,
    /// http(s) links found in the abstract.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Names of the listings (input files) the paper appeared in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub listings: Vec<String>,
    /// Ids of the most similar papers of the collection, most similar first (index time).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub similar: Vec<String>,
    /// The paper's key phrases, most characteristic first (index time).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_phrases: Vec<String>,
}

impl Paper {
    /// The number of authors: the count the source gave, else the names it listed.
    pub fn author_total(&self) -> Option<u32> {
        self.author_count
            .or_else(|| (!self.authors.is_empty()).then_some(self.authors.len() as u32))
    }
}

/// A link found in a paper's text. Only `http` and `https` URLs are ever kept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub url: String,
    pub kind: LinkKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// A source repository (GitHub, GitLab, ...).
    Code,
    /// Anything else: a project page, a demo, a dataset.
    Project,
}

/// A phrase of the collection, with the number of papers it characterizes. Topics to
/// browse by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub phrase: String,
    pub papers: u32,
}

/// The searchable fields of a paper, in the order their bits appear in postings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    Title = 0,
    Abstract = 1,
}

impl Field {
    pub const ALL: [Field; 2] = [Field::Title, Field::Abstract];
    pub const COUNT: usize = Self::ALL.len();

    pub fn text(self, paper: &Paper) -> &str {
        match self {
            Field::Title => &paper.title,
            Field::Abstract => &paper.abstract_text,
        }
    }

    pub fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The year of a paper's ISO date (`None` for undated papers and `--MM-DD` dates).
pub fn year_of(paper: &Paper) -> Option<u32> {
    year_of_date(paper.published.as_deref()?)
}

/// The year of an ISO date (`None` for `--MM-DD` dates).
pub fn year_of_date(date: &str) -> Option<u32> {
    date.get(..4)?.parse().ok()
}
