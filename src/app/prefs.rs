//! The app's preferences on this computer: one file, `preferences.ron`, in the user's data
//! folder, never in an archive.
//!
//! One serde struct for all of them (issue 22): the theme, the recent files, the operator's
//! name and the last folder of each kind of file. Every field has a default
//! (`#[serde(default)]`) and unknown fields are ignored, so a file written by an older or a
//! newer build still reads. Builds before it kept `theme.txt`, `recent.txt` and
//! `operator.txt`: those are read while `preferences.ron` does not exist yet, and left as they
//! are. Losing a preference loses no work, so a file that cannot be read or written is not
//! worth a dialog. The library of the token chosen by hand stays in its own file
//! ([`crate::signing::token::discover::CHOSEN_FILE`]): the command-line program reads it too.
//!
//! Two windows may run at once: each change is written by reading the file again and changing
//! only what changed ([`Prefs::update`]), so that one window's choice does not undo the
//! other's.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::App;

/// The file, in the data folder.
pub const FILE: &str = "preferences.ron";

/// How many recent files are remembered.
pub const RECENT_MAX: usize = 8;

/// Light, dark, or as the system says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Theme {
    /// Light.
    Light,
    /// Dark.
    Dark,
    /// The system's (light where it does not say).
    #[default]
    System,
}

/// What a folder is remembered for: each kind of file has its own last folder, so that
/// saving a PDF does not move where archives are opened from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Archives opened, merged or saved.
    Archives,
    /// PDFs written: minutes, blank ballots, signed minutes.
    Documents,
    /// Results as CSV or Excel.
    Tables,
    /// Spreadsheets a cadre list is imported from.
    CadreLists,
    /// Certificates (.p12) signed with.
    Certificates,
    /// Token software libraries chosen by hand.
    TokenLibraries,
    /// The scanner's files and output folder.
    Scans,
}

/// The last folder of each [`Purpose`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Folders {
    /// [`Purpose::Archives`].
    pub archives: Option<PathBuf>,
    /// [`Purpose::Documents`].
    pub documents: Option<PathBuf>,
    /// [`Purpose::Tables`].
    pub tables: Option<PathBuf>,
    /// [`Purpose::CadreLists`].
    pub cadre_lists: Option<PathBuf>,
    /// [`Purpose::Certificates`].
    pub certificates: Option<PathBuf>,
    /// [`Purpose::TokenLibraries`].
    pub token_libraries: Option<PathBuf>,
    /// [`Purpose::Scans`].
    pub scans: Option<PathBuf>,
}

impl Folders {
    fn slot(&mut self, purpose: Purpose) -> &mut Option<PathBuf> {
        match purpose {
            Purpose::Archives => &mut self.archives,
            Purpose::Documents => &mut self.documents,
            Purpose::Tables => &mut self.tables,
            Purpose::CadreLists => &mut self.cadre_lists,
            Purpose::Certificates => &mut self.certificates,
            Purpose::TokenLibraries => &mut self.token_libraries,
            Purpose::Scans => &mut self.scans,
        }
    }

    /// The last folder used for `purpose`.
    #[must_use]
    pub fn get(&self, purpose: Purpose) -> Option<&Path> {
        match purpose {
            Purpose::Archives => &self.archives,
            Purpose::Documents => &self.documents,
            Purpose::Tables => &self.tables,
            Purpose::CadreLists => &self.cadre_lists,
            Purpose::Certificates => &self.certificates,
            Purpose::TokenLibraries => &self.token_libraries,
            Purpose::Scans => &self.scans,
        }
        .as_deref()
    }

    /// Remembers `folder` for `purpose`.
    pub fn set(&mut self, purpose: Purpose, folder: &Path) {
        *self.slot(purpose) = Some(folder.to_owned());
    }
}

/// Everything the app remembers between starts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// The theme chosen in the "Xem" menu.
    pub theme: Theme,
    /// Recently opened or saved archives, newest first.
    pub recent: Vec<PathBuf>,
    /// The operator's name last typed on the start screen.
    pub operator: String,
    /// The last folder of each kind of file.
    pub folders: Folders,
}

impl Prefs {
    /// The preferences kept in `dir`: `preferences.ron`, else what the builds before it kept,
    /// else the defaults.
    #[must_use]
    pub fn load(dir: &Path) -> Self {
        match std::fs::read_to_string(dir.join(FILE)) {
            Ok(text) => ron::from_str(&text).unwrap_or_default(),
            Err(_) => Self::legacy(dir),
        }
    }

    /// What `theme.txt`, `recent.txt` and `operator.txt` say.
    fn legacy(dir: &Path) -> Self {
        let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        let theme = match read("theme.txt").trim() {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        };
        let recent = read("recent.txt")
            .lines()
            .filter(|l| !l.is_empty())
            .map(PathBuf::from)
            .collect();
        Self {
            theme,
            recent,
            operator: crate::text::clean_name(&read("operator.txt")),
            folders: Folders::default(),
        }
    }

    /// Changes the preferences in `dir` by `change`, on the file as it is now (another window
    /// may have written it since this one read it), and writes them; returns them as written.
    pub fn update(dir: &Path, change: impl FnOnce(&mut Self)) -> Self {
        let mut prefs = Self::load(dir);
        change(&mut prefs);
        prefs.recent.truncate(RECENT_MAX);
        // A path that is not Unicode cannot be written as RON text: not remembered.
        prefs.recent.retain(|p| p.to_str().is_some());
        for purpose in PURPOSES {
            let slot = prefs.folders.slot(purpose);
            if slot.as_deref().is_some_and(|p| p.to_str().is_none()) {
                *slot = None;
            }
        }
        if let Ok(text) = ron::ser::to_string_pretty(&prefs, ron::ser::PrettyConfig::default()) {
            let _ = crate::archive::replace_file(&dir.join(FILE), text.as_bytes());
        }
        prefs
    }
}

/// Every [`Purpose`].
const PURPOSES: [Purpose; 7] = [
    Purpose::Archives,
    Purpose::Documents,
    Purpose::Tables,
    Purpose::CadreLists,
    Purpose::Certificates,
    Purpose::TokenLibraries,
    Purpose::Scans,
];

impl App {
    /// Changes the preferences (read again from the file first: another window may have
    /// changed them) and writes them; without a data folder, only in memory.
    pub(super) fn update_prefs(&mut self, change: impl FnOnce(&mut Prefs)) {
        match &self.data_dir {
            Some(dir) => self.prefs = Prefs::update(dir, change),
            None => change(&mut self.prefs),
        }
    }

    /// The theme the user chose last time; following the system by default.
    #[must_use]
    pub fn load_theme(&self) -> eframe::egui::ThemePreference {
        match self.prefs.theme {
            Theme::Light => eframe::egui::ThemePreference::Light,
            Theme::Dark => eframe::egui::ThemePreference::Dark,
            Theme::System => eframe::egui::ThemePreference::System,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    /// The files of the builds before are read while `preferences.ron` does not exist; once
    /// written, it wins, and a field it does not have (an older build's file) is the default.
    #[test]
    fn old_files_still_read() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::write(d.join("theme.txt"), "dark").unwrap();
        std::fs::write(d.join("recent.txt"), "/a/b.ron\n\n/c.ron\n").unwrap();
        std::fs::write(d.join("operator.txt"), " Lê  Văn An ").unwrap();
        let old = Prefs::load(d);
        assert_eq!(old.theme, Theme::Dark);
        assert_eq!(
            old.recent,
            [PathBuf::from("/a/b.ron"), PathBuf::from("/c.ron")]
        );
        assert_eq!(old.operator, "Lê Văn An");

        let new = Prefs::update(d, |p| p.folders.set(Purpose::Documents, Path::new("/pdf")));
        assert_eq!(new.recent, old.recent, "carried over");
        assert_eq!(Prefs::load(d), new);
        assert_eq!(new.folders.get(Purpose::Documents), Some(Path::new("/pdf")));
        assert_eq!(new.folders.get(Purpose::Archives), None);

        std::fs::write(d.join(FILE), "(theme: Light, later_setting: 3)").unwrap();
        let partial = Prefs::load(d);
        assert_eq!(partial.theme, Theme::Light);
        assert!(partial.recent.is_empty());
    }

    /// Two windows: a change written by one is kept when the other writes its own.
    #[test]
    fn two_windows_keep_each_others_changes() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let _first = Prefs::load(d);
        Prefs::update(d, |p| p.theme = Theme::Dark);
        let second = Prefs::update(d, |p| p.operator = "Trần Thị Bình".into());
        assert_eq!(second.theme, Theme::Dark);
        assert_eq!(Prefs::load(d).operator, "Trần Thị Bình");
    }
}
