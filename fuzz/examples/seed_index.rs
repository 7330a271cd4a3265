//! Writes the seed inputs of the `index` fuzz target: the manifest and the body of the
//! first piece of each kind of the fuzz collection's index, behind the byte that selects
//! it. `cargo run -p folio-fuzz --example seed_index`.

use folio_engine::format::frame;

fn main() -> std::io::Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/index");
    std::fs::create_dir_all(&dir)?;
    let files = folio_fuzz::seed_files();
    for (which, prefix) in folio_fuzz::INDEX_TARGETS.iter().enumerate() {
        let mut input = vec![which as u8];
        if *prefix == "record-json" {
            // Paper 0's JSON, as the indexer writes it.
            let paper = folio_fuzz::seed_papers().swap_remove(0);
            input.extend_from_slice(&serde_json::to_vec(&paper).expect("JSON"));
            std::fs::write(dir.join("seed-record-json"), input)?;
            continue;
        }
        let (_, data) = files
            .iter()
            .find(|(n, _)| n.starts_with(prefix))
            .expect("built file");
        if *prefix == "manifest" || *prefix == "records-" {
            input.extend_from_slice(data);
        } else {
            input.extend_from_slice(&data[frame::HEADER_BYTES..]);
        }
        std::fs::write(
            dir.join(format!("seed-{}", prefix.trim_end_matches('-'))),
            input,
        )?;
    }
    Ok(())
}
