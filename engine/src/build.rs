//! Builds the index files from papers. The writer half of [`crate::format`].

use std::collections::{BTreeMap, HashMap};

use crate::analyze::{Analyzer, ANALYZER_VERSION};
use crate::format::{
    encode_postings, FileRef, IndexFiles, Manifest, PapersFile, Posting, FORMAT_VERSION,
    MANIFEST_FILE,
};
use crate::model::{Field, Paper};

/// Collects papers and writes them out as index files.
///
/// ```
/// use folio_engine::{IndexBuilder, Paper};
/// let mut builder = IndexBuilder::new();
/// builder.add(Paper { id: "p1".into(), title: "Minecraft agents".into(),
///                     abstract_text: "Agents that play Minecraft.".into(), ..Paper::default() });
/// let built = builder.build();
/// assert_eq!(built.manifest.papers, 1);
/// assert_eq!(built.files.len(), 4); // manifest, terms, postings, papers
/// ```
#[derive(Debug, Default)]
pub struct IndexBuilder {
    analyzer: Analyzer,
    papers: Vec<Paper>,
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

    /// Adds a paper. Papers get document ordinals in the order they are added.
    pub fn add(&mut self, paper: Paper) {
        self.papers.push(paper);
    }

    pub fn len(&self) -> usize {
        self.papers.len()
    }

    pub fn is_empty(&self) -> bool {
        self.papers.is_empty()
    }

    /// Analyzes every paper and encodes the index. Deterministic: the same papers in the
    /// same order give byte-identical files.
    pub fn build(self) -> BuiltIndex {
        let paper_count = self.papers.len() as u32;
        let mut terms: BTreeMap<String, Vec<Posting>> = BTreeMap::new();
        let mut field_lengths = Vec::with_capacity(self.papers.len());
        for (doc, paper) in self.papers.iter().enumerate() {
            let doc = doc as u32;
            let mut in_doc: HashMap<String, Posting> = HashMap::new();
            let mut lengths = [0u32; Field::COUNT];
            for field in Field::ALL {
                let tokens = self.analyzer.tokens(field.text(paper));
                lengths[field as usize] = tokens.len() as u32;
                for token in tokens {
                    in_doc
                        .entry(token.text)
                        .or_insert_with(|| Posting {
                            doc,
                            ..Posting::default()
                        })
                        .positions[field as usize]
                        .push(token.position);
                }
            }
            field_lengths.push(lengths);
            for (term, posting) in in_doc {
                terms.entry(term).or_default().push(posting);
            }
        }

        let mut postings = Vec::new();
        let mut dictionary = fst::MapBuilder::memory();
        for (term, list) in &terms {
            let offset = postings.len() as u64;
            encode_postings(&mut postings, list);
            dictionary
                .insert(term, offset)
                .expect("BTreeMap iterates terms in sorted, unique order");
        }
        let dictionary = dictionary
            .into_inner()
            .expect("writing an fst to memory cannot fail");

        let papers_json = serde_json::to_vec(&PapersFile {
            papers: self.papers,
            field_lengths,
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
