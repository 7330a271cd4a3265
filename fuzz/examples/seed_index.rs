//! Writes the seed inputs of the `index` fuzz target: each file of the fuzz collection's
//! index, behind the byte that selects it. `cargo run -p folio-fuzz --example seed_index`.

fn main() -> std::io::Result<()> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/index");
    std::fs::create_dir_all(&dir)?;
    for (which, prefix) in ["manifest", "postings", "positions", "papers", "terms"]
        .iter()
        .enumerate()
    {
        let files = folio_fuzz::seed_files();
        let (_, data) = files
            .iter()
            .find(|(n, _)| n.starts_with(prefix))
            .expect("built file");
        let mut input = vec![which as u8];
        input.extend_from_slice(data);
        std::fs::write(dir.join(format!("seed-{prefix}")), input)?;
    }
    Ok(())
}
