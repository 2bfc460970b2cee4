//! Where Natter keeps its files: the platform data directory, or `NATTER_DATA_DIR` when set
//! (tests, portable installs, several profiles side by side).

use std::path::PathBuf;

/// The desktop's name for Natter: the .desktop file, the icon, the window's application id.
pub const APP_ID: &str = "im.natter.Natter";

/// The environment variable that overrides the data directory.
pub const DATA_DIR_ENV: &str = "NATTER_DATA_DIR";

/// The file name of the database inside the data directory.
pub const DATABASE_FILE: &str = "natter.sqlite3";

/// The data directory could not be determined. The text is in the person's language.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathsError {
    /// Neither `NATTER_DATA_DIR` nor a home directory is available.
    NoDataDir,
}

impl std::fmt::Display for PathsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PathsError::NoDataDir => f.write_str(&crate::fl!("error-paths-no-data-dir")),
        }
    }
}

/// The directory that holds the database: `NATTER_DATA_DIR` if set (and not empty), else the
/// platform's data directory for Natter (e.g. `~/.local/share/natter` on Linux).
pub fn data_dir() -> Result<PathBuf, PathsError> {
    data_dir_from(std::env::var_os(DATA_DIR_ENV).map(PathBuf::from))
}

/// The database file inside [`data_dir`].
pub fn database_path() -> Result<PathBuf, PathsError> {
    Ok(data_dir()?.join(DATABASE_FILE))
}

fn data_dir_from(overridden: Option<PathBuf>) -> Result<PathBuf, PathsError> {
    match overridden {
        Some(dir) if !dir.as_os_str().is_empty() => Ok(dir),
        _ => directories::ProjectDirs::from("im", "natter", "Natter")
            .map(|dirs| dirs.data_dir().to_path_buf())
            .ok_or(PathsError::NoDataDir),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_override_wins_and_an_empty_one_is_ignored() {
        let dir = PathBuf::from("/tmp/natter-test");
        assert_eq!(data_dir_from(Some(dir.clone())), Ok(dir));
        // An empty override falls back to the platform directory (which exists with a HOME).
        if let Ok(platform) = data_dir_from(None) {
            assert_eq!(data_dir_from(Some(PathBuf::new())), Ok(platform));
        }
    }
}
