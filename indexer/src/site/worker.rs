//! The service worker of a site: the template in the shell (app/sw.js), with the build's
//! version and the files to keep at install filled in.

use folio_engine::format::content_hash;

/// An index whose pieces are together at most this large is kept whole at install, so every
/// search works offline after the first visit; a larger one only as its pieces are used
/// (a visitor would otherwise download all of it).
pub const PRECACHE_INDEX_BYTES: usize = 4 << 20;

/// `sw.js` for a site of `files` (every file but the worker itself, names relative to the
/// site's root): its version is a hash of every name and content, so any change to the
/// site is a new worker, which replaces the old caches.
pub fn write(template: &str, files: &[(String, Vec<u8>)]) -> Result<String, String> {
    let mut sorted: Vec<&(String, Vec<u8>)> = files.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    let mut digest = String::with_capacity(sorted.len() * 34);
    for (name, data) in &sorted {
        digest.push_str(&content_hash(name.as_bytes()));
        digest.push_str(&content_hash(data));
    }
    let version = content_hash(digest.as_bytes());

    let is_piece = |name: &str| name.starts_with("data/") && name != "data/manifest.json";
    let pieces: usize = sorted
        .iter()
        .filter(|(n, _)| is_piece(n))
        .map(|(_, d)| d.len())
        .sum();
    let keep_pieces = pieces <= PRECACHE_INDEX_BYTES;
    let mut listed = vec!["./".to_string()];
    listed.extend(
        sorted
            .iter()
            .map(|(n, _)| n.as_str())
            .filter(|n| *n != "index.html" && (keep_pieces || !is_piece(n)))
            .map(|n| format!("./{n}")),
    );
    let list = serde_json::to_string(&listed).map_err(|e| e.to_string())?;

    let (version_mark, files_mark) = ("\"__VERSION__\"", "__FILES__");
    if !template.contains(version_mark) || !template.contains(files_mark) {
        return Err("the service worker's template has no __VERSION__ or __FILES__ to fill".into());
    }
    Ok(template
        .replace(version_mark, &format!("\"{version}\""))
        .replace(files_mark, &list))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = "const VERSION = \"__VERSION__\";\nconst FILES = __FILES__;\n";

    fn file(name: &str, size: usize) -> (String, Vec<u8>) {
        (name.to_string(), vec![b'x'; size])
    }

    #[test]
    fn lists_the_site_and_a_small_index() {
        let files = [
            file("index.html", 10),
            file("app.wasm", 10),
            file("data/manifest.json", 5),
            file("data/terms-0.x.bin", 100),
        ];
        let sw = write(TEMPLATE, &files).unwrap();
        assert!(
            sw.contains(r#"["./","./app.wasm","./data/manifest.json","./data/terms-0.x.bin"]"#),
            "{sw}"
        );
        assert!(!sw.contains("__"), "{sw}");
    }

    #[test]
    fn a_large_index_is_kept_piece_by_piece() {
        let files = [
            file("index.html", 10),
            file("data/manifest.json", 5),
            file("data/postings-0.x.bin", PRECACHE_INDEX_BYTES + 1),
        ];
        let sw = write(TEMPLATE, &files).unwrap();
        assert!(sw.contains(r#"["./","./data/manifest.json"]"#), "{sw}");
    }

    #[test]
    fn any_change_is_a_new_version() {
        let version = |files: &[(String, Vec<u8>)]| {
            let sw = write(TEMPLATE, files).unwrap();
            sw.lines().next().unwrap().to_string()
        };
        let a = version(&[file("index.html", 10), file("data/manifest.json", 5)]);
        let b = version(&[file("index.html", 10), file("data/manifest.json", 6)]);
        let c = version(&[file("index.html", 10), file("data/manifest.jsom", 5)]);
        assert_ne!(a, b);
        assert_ne!(a, c);
        assert_eq!(
            a,
            version(&[file("data/manifest.json", 5), file("index.html", 10)])
        );
    }

    #[test]
    fn a_template_without_its_marks_is_an_error() {
        assert!(write("self.addEventListener()", &[]).is_err());
    }
}
