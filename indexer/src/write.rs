//! Writing a directory of files so that nobody ever sees it half-written.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// Writes `files` into a fresh sibling directory, then swaps it in for `out`, so a reader
/// (or a crash) never sees a half-written index or site. Names may hold `/` (`data/x.bin`).
pub fn write_atomically(out: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("cannot create {}", parent.display()))?;
    let name = out
        .file_name()
        .with_context(|| format!("{}: not a directory name", out.display()))?
        .to_string_lossy()
        .into_owned();
    let staging = parent.join(format!(".{name}.partial-{}", std::process::id()));
    let result = (|| -> Result<()> {
        std::fs::create_dir(&staging)
            .with_context(|| format!("cannot create {}", staging.display()))?;
        for (file, data) in files {
            if let Some(dir) = Path::new(file)
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
            {
                std::fs::create_dir_all(staging.join(dir))
                    .with_context(|| format!("cannot create {}", staging.join(dir).display()))?;
            }
            std::fs::write(staging.join(file), data)
                .with_context(|| format!("cannot write {}", staging.join(file).display()))?;
        }
        if out.exists() {
            let old = parent.join(format!(".{name}.old-{}", std::process::id()));
            std::fs::rename(out, &old)
                .with_context(|| format!("cannot move the old {} aside", out.display()))?;
            std::fs::rename(&staging, out)?;
            std::fs::remove_dir_all(&old).ok();
        } else {
            std::fs::rename(&staging, out)
                .with_context(|| format!("cannot move the index into {}", out.display()))?;
        }
        Ok(())
    })();
    if result.is_err() {
        std::fs::remove_dir_all(&staging).ok();
    }
    result
}

/// Refuses to replace `out` when it holds a file that `ours` does not take for one Folio
/// writes there (paths relative to `out`, with `/`), unless `force`: an `--out` pointed at
/// the wrong folder must not cost the user its contents.
pub fn check_replaceable(
    out: &Path,
    ours: impl Fn(&str) -> bool,
    command: &str,
    force: bool,
) -> Result<()> {
    if force || !out.is_dir() {
        return Ok(());
    }
    let mut pending = vec![out.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("cannot list {}", dir.display()))?
        {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                pending.push(path);
                continue;
            }
            let relative = path
                .strip_prefix(out)
                .unwrap_or(&path)
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            if !ours(&relative) {
                anyhow::bail!(
                    "{} holds {relative}, which folio did not write: `folio {command}` replaces its \
                     --out folder as a whole, so give it a new or empty folder, or add --force to \
                     replace it anyway",
                    out.display()
                );
            }
        }
    }
    Ok(())
}

/// Whether `name` is a file `folio index` writes: its manifest, its input report or a
/// piece (`postings-3.0123456789abcdef.bin`).
pub fn is_index_file(name: &str) -> bool {
    if name == folio_engine::MANIFEST_FILE || name == crate::inputs::INPUTS_FILE {
        return true;
    }
    let Some(stem) = name.strip_suffix(".bin") else {
        return false;
    };
    let Some((piece, build)) = stem.rsplit_once('.') else {
        return false;
    };
    let Some((kind, n)) = piece.rsplit_once('-') else {
        return false;
    };
    is_hex16(build)
        && !n.is_empty()
        && n.bytes().all(|b| b.is_ascii_digit())
        && !kind.is_empty()
        && kind.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
}

/// 16 lowercase hex digits: a build or a content hash in a file name.
pub fn is_hex16(text: &str) -> bool {
    text.len() == 16
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_files_are_told_from_others() {
        for ours in [
            "manifest.json",
            "inputs.json",
            "postings-3.0123456789abcdef.bin",
            "title-positions-0.0123456789abcdef.bin",
        ] {
            assert!(is_index_file(ours), "{ours}");
        }
        for theirs in [
            "index.html",
            "notes.txt",
            "postings-3.bin",
            "postings-x.0123456789abcdef.bin",
            "a.0123456789abcdef.bin",
        ] {
            assert!(!is_index_file(theirs), "{theirs}");
        }
    }

    #[test]
    fn a_folder_with_foreign_files_is_refused_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("manifest.json"), "{}").unwrap();
        check_replaceable(dir.path(), is_index_file, "index", false).unwrap();
        std::fs::create_dir(dir.path().join("notes")).unwrap();
        std::fs::write(dir.path().join("notes/todo.txt"), "x").unwrap();
        let err = check_replaceable(dir.path(), is_index_file, "index", false)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("notes/todo.txt") && err.contains("--force"),
            "{err}"
        );
        check_replaceable(dir.path(), is_index_file, "index", true).unwrap();
        check_replaceable(&dir.path().join("absent"), is_index_file, "index", false).unwrap();
    }
}
