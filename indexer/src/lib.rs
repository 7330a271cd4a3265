//! The input side of `folio`, as a library so the fuzz targets (`fuzz/`) reach the very
//! parsers the CLI runs: [`parse`] turns a collection file into records (the layout chosen
//! by content), [`merge`] merges duplicate papers, [`links`] finds the links in an
//! abstract. The CLI itself is `main.rs`.

pub mod links;
pub mod merge;
pub mod parse;
