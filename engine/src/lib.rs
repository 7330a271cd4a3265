//! Folio's shared core, compiled into both the native indexer and the wasm app.
//!
//! It holds everything both sides must agree on, so that nothing is implemented twice:
//!
//! - [`model`]: the [`Paper`] record;
//! - [`analyze`]: the one analyzer (normalize → tokenize → stem) used at index time and at
//!   query time;
//! - [`format`]: the versioned, content-hashed index files;
//! - [`build`]: the writer of those files ([`IndexBuilder`]);
//! - [`index`] and [`search`]: the reader and the query engine ([`Index::search`]).
//!
//! The crate does no I/O: the indexer hands it file contents, the browser hands it fetched
//! bytes.
//!
//! ```
//! use folio_engine::{Index, IndexBuilder, Manifest, Paper};
//!
//! let mut builder = IndexBuilder::new();
//! builder.add(Paper {
//!     id: "voyager".into(),
//!     title: "Voyager: An Open-Ended Embodied Agent".into(),
//!     abstract_text: "A lifelong learning agent in Minecraft.".into(),
//!     ..Paper::default()
//! });
//! let built = builder.build();
//! let file = |name: &str| built.files.iter().find(|(n, _)| n == name).unwrap().1.clone();
//!
//! let manifest = Manifest::from_json(&file("manifest.json")).unwrap();
//! let index = Index::open(
//!     manifest.clone(),
//!     file(&manifest.files.terms.name),
//!     file(&manifest.files.postings.name),
//!     Some(file(&manifest.files.positions.name)),
//!     &file(&manifest.files.papers.name),
//! )
//! .unwrap();
//!
//! let results = index.search("minecr", 10);
//! assert_eq!(results.total, 1);
//! assert_eq!(index.paper(results.hits[0].doc).unwrap().id, "voyager");
//! // Positions, for phrases: "minecraft" is token 5 of the abstract.
//! let found = index.positions("minecraft").unwrap();
//! assert_eq!(found[0].1[folio_engine::Field::Abstract as usize], [5]);
//! ```

pub mod analyze;
mod automata;
mod bits;
pub mod build;
pub mod facets;
pub mod format;
mod fst_check;
mod fuzzy;
pub mod index;
pub mod json;
pub mod model;
pub mod query;
pub mod search;
mod sort;

pub use analyze::{Analyzer, Token, ANALYZER_VERSION};
pub use build::{AnalyzedPaper, BuiltIndex, IndexBuilder};
pub use facets::Facets;
pub use format::{FormatError, Manifest, Positions, Posting, FORMAT_VERSION, MANIFEST_FILE};
pub use index::Index;
pub use model::{Field, Link, LinkKind, Paper, Topic};
pub use query::{Query, Sort};
pub use search::{Contribution, Hit, MatchKind, SearchResults, Snippet, Suggestion};
