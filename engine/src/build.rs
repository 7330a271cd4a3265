//! Builds the index files from papers. The writer half of [`crate::format`].

use std::collections::HashMap;

use crate::analyze::{Analyzer, ANALYZER_VERSION};
use crate::format::{
    FileRef, IndexFiles, Manifest, PapersFile, PostingsListWriter, FORMAT_VERSION, MANIFEST_FILE,
};
use crate::model::{Field, Paper, Topic};

/// Collects papers and writes them out as index files.
///
/// ```
/// use folio_engine::{IndexBuilder, Paper};
/// let mut builder = IndexBuilder::new();
/// builder.add(Paper { id: "p1".into(), title: "Minecraft agents".into(),
///                     abstract_text: "Agents that play Minecraft.".into(), ..Paper::default() });
/// let built = builder.build();
/// assert_eq!(built.manifest.papers, 1);
/// assert_eq!(built.files.len(), 4); // terms, postings, papers, manifest
/// ```
#[derive(Debug, Default)]
pub struct IndexBuilder {
    analyzer: Analyzer,
    papers: Vec<Paper>,
    field_lengths: Vec<[u32; Field::COUNT]>,
    /// Postings are encoded as papers arrive; only the bytes are kept.
    terms: HashMap<String, PostingsListWriter>,
    topics: Vec<Topic>,
}

/// The files of a built index, ready to be written into a directory.
#[derive(Debug)]
pub struct BuiltIndex {
    pub manifest: Manifest,
    /// `(file name, content)`, the manifest last.
    pub files: Vec<(String, Vec<u8>)>,
}

impl IndexBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a paper, analyzing its fields right away. Papers get document ordinals in the
    /// order they are added.
    pub fn add(&mut self, paper: Paper) {
        let doc = self.papers.len() as u32;
        let mut in_doc: HashMap<String, [Vec<u32>; Field::COUNT]> = HashMap::new();
        let mut lengths = [0u32; Field::COUNT];
        for field in Field::ALL {
            let tokens = self.analyzer.tokens(field.text(&paper));
            lengths[field as usize] = tokens.len() as u32;
            for token in tokens {
                in_doc.entry(token.text).or_default()[field as usize].push(token.position);
            }
        }
        for (term, positions) in in_doc {
            self.terms
                .entry(term)
                .or_default()
                .push(doc, std::array::from_fn(|f| &positions[f][..]));
        }
        self.field_lengths.push(lengths);
        self.papers.push(paper);
    }

    /// Sets the collection's topics (key phrases), stored with the papers.
    pub fn set_topics(&mut self, topics: Vec<Topic>) {
        self.topics = topics;
    }

    pub fn len(&self) -> usize {
        self.papers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.papers.is_empty()
    }

    /// Encodes the index. Deterministic: the same papers in the same order give
    /// byte-identical files.
    pub fn build(self) -> BuiltIndex {
        let paper_count = self.papers.len() as u32;
        let mut terms: Vec<(String, PostingsListWriter)> = self.terms.into_iter().collect();
        terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));

        let mut postings = Vec::new();
        let mut dictionary = fst::MapBuilder::memory();
        for (term, list) in &terms {
            let offset = postings.len() as u64;
            list.write_to(&mut postings);
            dictionary
                .insert(term, offset)
                .expect("terms are sorted and unique");
        }
        let dictionary = dictionary
            .into_inner()
            .expect("writing an fst to memory cannot fail");

        let papers_json = serde_json::to_vec(&PapersFile {
            papers: self.papers,
            field_lengths: self.field_lengths,
            topics: self.topics,
        })
        .expect("papers serialize to JSON");

        let files = IndexFiles {
            terms: FileRef::for_data("terms", "fst", &dictionary),
            postings: FileRef::for_data("postings", "bin", &postings),
            papers: FileRef::for_data("papers", "json", &papers_json),
        };
        let manifest = Manifest {
            format: "folio-index".into(),
            format_version: FORMAT_VERSION,
            analyzer_version: ANALYZER_VERSION,
            papers: paper_count,
            terms: terms.len() as u64,
            files,
        };
        let mut manifest_json =
            serde_json::to_vec_pretty(&manifest).expect("manifest serializes to JSON");
        manifest_json.push(b'\n');
        BuiltIndex {
            files: vec![
                (manifest.files.terms.name.clone(), dictionary),
                (manifest.files.postings.name.clone(), postings),
                (manifest.files.papers.name.clone(), papers_json),
                (MANIFEST_FILE.to_string(), manifest_json),
            ],
            manifest,
        }
    }
}
