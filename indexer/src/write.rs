//! Writing a directory of files so that nobody ever sees it half-written.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

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
