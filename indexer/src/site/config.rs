//! `folio.toml`, a site's settings kept beside its papers, so `folio site` needs no flags
//! to rebuild it the same way. Flags win over the file.
//!
//! ```toml
//! title = "Reading group"
//! description = "The papers our group read in 2025"
//! ```

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The settings of a site, from `folio.toml`; every one may be left out.
#[derive(Debug, Default, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub title: Option<String>,
    pub description: Option<String>,
}

/// The name `folio site` looks for in the current folder when no `--config` is given.
pub const DEFAULT_NAME: &str = "folio.toml";

impl Config {
    /// Reads `path`, or `folio.toml` in the current folder if there is one; no file is
    /// the default settings. Returns the settings and the file they came from.
    pub fn load(path: Option<&Path>) -> Result<(Config, Option<PathBuf>)> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            None if Path::new(DEFAULT_NAME).is_file() => PathBuf::from(DEFAULT_NAME),
            None => return Ok((Config::default(), None)),
        };
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let config = Config::parse(&text).map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))?;
        Ok((config, Some(path)))
    }

    /// Parses the file's text; an error names its line and what is wrong.
    fn parse(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|e| {
            let line = e.span().map_or(1, |s| {
                text[..s.start.min(text.len())].matches('\n').count() + 1
            });
            format!("{line}: {}", e.message())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_title_and_description() {
        let config = Config::parse("title = \"Reading group\"\ndescription = \"Ours\"\n").unwrap();
        assert_eq!(config.title.as_deref(), Some("Reading group"));
        assert_eq!(config.description.as_deref(), Some("Ours"));
        assert_eq!(Config::parse("").unwrap(), Config::default());
    }

    #[test]
    fn a_misspelt_setting_is_an_error_with_its_line() {
        let err = Config::parse("title = \"A\"\ntitel = \"B\"\n").unwrap_err();
        assert!(err.starts_with("2: "), "{err}");
        assert!(err.contains("titel") && err.contains("title"), "{err}");
    }

    #[test]
    fn a_value_of_another_type_is_an_error() {
        let err = Config::parse("title = 3\n").unwrap_err();
        assert!(err.starts_with("1: "), "{err}");
    }
}
