//! Folio's shared core, compiled into both the native indexer and the wasm app.
//!
//! It holds everything both sides must agree on, so that nothing is implemented twice:
//!
//! - [`model`]: the [`Paper`] record;
//! - [`analyze`]: the one analyzer (normalize → tokenize → stem) used at index time and at
//!   query time;
//! - [`query`]: the one query parser;
//! - [`mod@format`]: the versioned, framed index pieces;
//! - [`build`]: the writer of those pieces ([`IndexBuilder`]);
//! - [`reader`] and [`search`]: the reader, which says which pieces a query needs, and the
//!   query engine ([`Index::search`]);
//! - [`load`]: the one loader, which fetches those pieces through a [`load::Fetch`].
//!
//! The crate does no I/O: the indexer hands it file contents, the browser hands it fetched
//! bytes.
//!
//! The repository's [`docs/architecture.md`](../../../docs/architecture.md) is the map of
//! these modules by concern and follows one query through them (plan → load → search);
//! [`docs/format.md`](../../../docs/format.md) describes the index format piece by piece.
//! (The links resolve from `target/doc/` of a checkout, as `cargo doc --open` builds it.)
//!
//! ```
//! use folio_engine::{IndexBuilder, Paper};
//!
//! let mut builder = IndexBuilder::new();
//! builder.add(Paper {
//!     id: "voyager".into(),
//!     title: "Voyager: An Open-Ended Embodied Agent".into(),
//!     abstract_text: "A lifelong learning agent in Minecraft.".into(),
//!     ..Paper::default()
//! });
//! let built = builder.build();
//!
//! // Planning: a search first says which pieces it needs.
//! let fetch = folio_engine::load::MemoryFetch::new(built.files);
//! let loader = folio_engine::load::block_on(folio_engine::load::Loader::open(fetch)).unwrap();
//! let needs = loader.index().search("minecr", 10).unwrap_err();
//! assert_eq!(needs.0[0].kind, folio_engine::PieceKind::Terms);
//!
//! // The loader fetches them, round by round, and searches.
//! let results = folio_engine::load::block_on(loader.search("minecr", 10)).unwrap();
//! assert_eq!(results.total, 1);
//! assert_eq!(loader.index().paper(results.hits[0].doc).unwrap().unwrap().id, "voyager");
//! ```

pub mod analyze;
mod automata;
mod bits;
mod bm25;
pub mod build;
mod codec;
pub mod facets;
pub mod format;
mod fst_check;
mod fuzzy;
pub mod load;
pub mod model;
pub mod query;
pub mod reader;
pub mod search;
mod sort;

pub use analyze::{Analyzer, Token, ANALYZER_VERSION};
pub use build::{AnalyzedPaper, BuiltIndex, IndexBuilder, PieceSizes, Positions};
pub use facets::Facets;
pub use format::postings::Posting;
pub use format::{FormatError, Manifest, PieceId, PieceKind, FORMAT_VERSION, MANIFEST_FILE};
pub use model::{Field, Link, LinkKind, Paper, Topic};
pub use query::{Query, Sort};
pub use reader::{Index, Needs};
pub use search::{Contribution, Hit, MatchKind, SearchResults, Snippet, Suggestion};
