//! `streets_archive`, `set_streets_archive`: the street map setting, i.e. which OpenStreetMap PMTiles
//! extract the `tiles://` protocol serves under `/streets/` and adds to the styles. The choice is kept in
//! `streets.json` in the desk's data folder, so it survives a restart.

use crate::tiles::pmtiles::{Compression, PmTilesError};
use crate::tiles::streets::{StreetsArchive, StreetsSlot};
use serde::{Deserialize, Serialize};
use siaga_domain::Language;
use siaga_ipc::{
    IpcError, SetStreetsArchiveRequest, StreetsArchiveFacts, StreetsArchiveInfo, StreetsArchiveRequest,
};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use tauri::State;

/// The file in the data folder that remembers the setting.
pub const SETTING_FILE: &str = "streets.json";

/// What `streets.json` holds.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Setting {
    path: Option<PathBuf>,
}

/// Why a street map file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StreetsError {
    #[error("no path given")]
    Empty,
    #[error("the path is not absolute")]
    Relative,
    #[error("{0}")]
    Archive(#[from] PmTilesError),
    #[error("the setting could not be saved: {0}")]
    NotSaved(String),
}

impl StreetsError {
    /// The error as the UI shows it, naming `path`.
    pub fn to_ipc(&self, path: &Path, language: Language) -> IpcError {
        let path = path.display();
        let (code, id, en) = match self {
            StreetsError::Empty => (
                "streets_path_empty",
                "Isi lokasi berkas .pmtiles terlebih dahulu.".to_owned(),
                "Enter the location of a .pmtiles file first.".to_owned(),
            ),
            StreetsError::Relative => (
                "streets_path_relative",
                format!("Tulis lokasi lengkap berkas (path absolut, mis. /home/operator/peta/indonesia.pmtiles), bukan \"{path}\"."),
                format!("Write the file's full location (an absolute path, e.g. /home/operator/maps/indonesia.pmtiles), not \"{path}\"."),
            ),
            StreetsError::Archive(PmTilesError::Io(std::io::ErrorKind::NotFound)) => (
                "streets_file_missing",
                format!("Berkas {path} tidak ditemukan."),
                format!("The file {path} was not found."),
            ),
            StreetsError::Archive(PmTilesError::Io(kind)) => (
                "streets_file_unreadable",
                format!("Berkas {path} tidak dapat dibaca ({kind})."),
                format!("The file {path} could not be read ({kind})."),
            ),
            StreetsError::Archive(PmTilesError::NotPmTiles) => (
                "streets_not_pmtiles",
                format!("{path} bukan arsip PMTiles. Pilih ekstrak OpenStreetMap berformat .pmtiles (PMTiles versi 3)."),
                format!("{path} is not a PMTiles archive. Choose an OpenStreetMap extract in .pmtiles format (PMTiles version 3)."),
            ),
            StreetsError::Archive(PmTilesError::UnsupportedVersion(version)) => (
                "streets_unsupported",
                format!("Arsip PMTiles versi {version} tidak didukung; hanya versi 3."),
                format!("PMTiles version {version} is not supported; only version 3."),
            ),
            StreetsError::Archive(PmTilesError::UnsupportedCompression(code)) => {
                let name = compression_name(*code);
                (
                    "streets_unsupported",
                    format!("Kompresi arsip ({name}) tidak didukung; hanya tanpa kompresi atau gzip."),
                    format!("The archive's compression ({name}) is not supported; only none or gzip."),
                )
            }
            StreetsError::Archive(PmTilesError::NotVectorTiles(code)) => {
                let name = tile_type_name(*code);
                (
                    "streets_not_vector",
                    format!("Arsip berisi ubin {name}, bukan ubin vektor (MVT). Peta jalan memerlukan ekstrak vektor OpenStreetMap."),
                    format!("The archive holds {name} tiles, not vector tiles (MVT). The street map needs a vector OpenStreetMap extract."),
                )
            }
            StreetsError::Archive(
                PmTilesError::Truncated
                | PmTilesError::TooLarge
                | PmTilesError::BadDirectory
                | PmTilesError::BadCompressedData,
            ) => (
                "streets_damaged",
                format!("Arsip {path} rusak atau tidak lengkap. Unduh atau salin ulang berkasnya."),
                format!("The archive {path} is damaged or incomplete. Download or copy the file again."),
            ),
            StreetsError::NotSaved(reason) => (
                "streets_not_saved",
                format!("Pengaturan peta jalan tidak dapat disimpan ({reason})."),
                format!("The street map setting could not be saved ({reason})."),
            ),
        };
        IpcError {
            code: code.to_owned(),
            message: match language {
                Language::Id => id,
                Language::En => en,
            },
        }
    }
}

fn compression_name(code: u8) -> String {
    match code {
        3 => "brotli".to_owned(),
        4 => "zstd".to_owned(),
        other => format!("#{other}"),
    }
}

fn tile_type_name(code: u8) -> String {
    match code {
        2 => "PNG".to_owned(),
        3 => "JPEG".to_owned(),
        4 => "WebP".to_owned(),
        5 => "AVIF".to_owned(),
        other => format!("#{other}"),
    }
}

/// The configured path and, when it could not be opened, why.
#[derive(Debug, Default)]
struct Configured {
    path: Option<PathBuf>,
    problem: Option<StreetsError>,
}

/// The street map setting, as managed state of the app: the slot the `tiles://` handler reads and the
/// file that remembers the choice.
#[derive(Debug)]
pub struct StreetsState {
    slot: StreetsSlot,
    setting_file: PathBuf,
    configured: Mutex<Configured>,
}

impl StreetsState {
    /// The setting remembered in `data_dir`, its archive opened and put in use. A file that no longer
    /// opens leaves the map without streets and is reported by [`StreetsState::info`].
    pub fn load(data_dir: &Path) -> StreetsState {
        let setting_file = data_dir.join(SETTING_FILE);
        let setting: Setting = std::fs::read(&setting_file)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        let slot = StreetsSlot::default();
        let mut configured = Configured::default();
        if let Some(path) = setting.path {
            match StreetsArchive::open(&path) {
                Ok(archive) => slot.set(Some(archive)),
                Err(e) => configured.problem = Some(e.into()),
            }
            configured.path = Some(path);
        }
        StreetsState {
            slot,
            setting_file,
            configured: Mutex::new(configured),
        }
    }

    /// The slot the `tiles://` protocol reads.
    pub fn slot(&self) -> StreetsSlot {
        self.slot.clone()
    }

    /// The setting and what its archive holds.
    pub fn info(&self, language: Language) -> StreetsArchiveInfo {
        let configured = self.configured.lock().unwrap_or_else(PoisonError::into_inner);
        let (archive, _) = self.slot.current();
        StreetsArchiveInfo {
            path: configured.path.as_ref().map(|p| p.display().to_string()),
            facts: archive.map(|archive| {
                let header = archive.archive.header();
                StreetsArchiveFacts {
                    min_zoom: header.min_zoom,
                    max_zoom: header.max_zoom,
                    bounds: header.bounds,
                    tile_count: header.addressed_tiles,
                    file_size: archive.archive.source().len(),
                    tile_compression: match header.tile_compression {
                        Compression::None => "none",
                        Compression::Gzip => "gzip",
                    }
                    .to_owned(),
                }
            }),
            problem: match (&configured.problem, &configured.path) {
                (Some(problem), Some(path)) => Some(problem.to_ipc(path, language)),
                _ => None,
            },
        }
    }

    /// Uses the archive at `path` (checked first; on any error nothing changes), or none, and remembers
    /// the choice.
    pub fn set(&self, path: Option<&str>) -> Result<(), (PathBuf, StreetsError)> {
        let mut configured = self.configured.lock().unwrap_or_else(PoisonError::into_inner);
        let archive = match path {
            None => None,
            Some(text) => {
                let path = PathBuf::from(text.trim());
                if text.trim().is_empty() {
                    return Err((path, StreetsError::Empty));
                }
                if !path.is_absolute() {
                    return Err((path, StreetsError::Relative));
                }
                Some(StreetsArchive::open(&path).map_err(|e| (path, StreetsError::from(e)))?)
            }
        };
        let setting = Setting {
            path: archive.as_ref().map(|a| a.path.clone()),
        };
        self.save(&setting)
            .map_err(|e| (setting.path.clone().unwrap_or_default(), e))?;
        configured.path = setting.path;
        configured.problem = None;
        self.slot.set(archive);
        Ok(())
    }

    /// Writes the setting next to the desk's store: a temporary file renamed over the old one.
    fn save(&self, setting: &Setting) -> Result<(), StreetsError> {
        let not_saved = |e: std::io::Error| StreetsError::NotSaved(e.to_string());
        if let Some(dir) = self.setting_file.parent() {
            std::fs::create_dir_all(dir).map_err(not_saved)?;
        }
        let json = serde_json::to_vec_pretty(setting).map_err(|e| StreetsError::NotSaved(e.to_string()))?;
        let temporary = self.setting_file.with_extension("json.tmp");
        std::fs::write(&temporary, json).map_err(not_saved)?;
        std::fs::rename(&temporary, &self.setting_file).map_err(not_saved)
    }
}

/// The street map setting and what its archive holds.
#[tauri::command]
pub fn streets_archive(
    streets: State<'_, StreetsState>,
    request: StreetsArchiveRequest,
) -> StreetsArchiveInfo {
    streets.info(request.language)
}

/// Points the map at another street archive (or none). Runs off the main thread: it reads the file.
#[tauri::command(async)]
pub fn set_streets_archive(
    streets: State<'_, StreetsState>,
    request: SetStreetsArchiveRequest,
) -> Result<StreetsArchiveInfo, IpcError> {
    streets
        .set(request.path.as_deref())
        .map_err(|(path, e)| e.to_ipc(&path, request.language))?;
    Ok(streets.info(request.language))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tiles::pmtiles::test_archive::{archive_bytes, directory, gzip, gzip_archive_file};
    use siaga_ipc::{IpcCommand, SetStreetsArchiveCommand, StreetsArchiveCommand};

    #[test]
    fn registered_names_match_the_shared_constants() {
        assert_eq!(StreetsArchiveCommand::NAME, stringify!(streets_archive));
        assert_eq!(SetStreetsArchiveCommand::NAME, stringify!(set_streets_archive));
    }

    fn archive() -> tempfile::NamedTempFile {
        gzip_archive_file(&[((1, 0, 0), &b"\x1a\x00"[..])])
    }

    fn path_of(file: &tempfile::NamedTempFile) -> &str {
        file.path().to_str().unwrap()
    }

    #[test]
    fn a_valid_archive_is_used_remembered_across_a_restart_and_removed() {
        let data = tempfile::tempdir().unwrap();
        let file = archive();
        let state = StreetsState::load(data.path());
        assert_eq!(
            state.info(Language::Id),
            StreetsArchiveInfo {
                path: None,
                facts: None,
                problem: None
            }
        );
        state
            .set(Some(format!("  {}  ", path_of(&file)).as_str()))
            .unwrap();
        let info = state.info(Language::En);
        assert_eq!(info.path.as_deref(), Some(path_of(&file)), "trimmed");
        let facts = info.facts.unwrap();
        assert_eq!((facts.min_zoom, facts.max_zoom), (0, 2));
        assert_eq!(facts.bounds, [95.0, -11.0, 141.0, 6.0]);
        assert_eq!(facts.tile_count, 3);
        assert_eq!(facts.tile_compression, "gzip");
        assert_eq!(facts.file_size, std::fs::metadata(file.path()).unwrap().len());
        assert!(state.slot().current().0.is_some());

        let restarted = StreetsState::load(data.path());
        assert_eq!(restarted.info(Language::En), state.info(Language::En));
        assert!(restarted.slot().current().0.is_some());

        restarted.set(None).unwrap();
        assert!(restarted.slot().current().0.is_none());
        let again = StreetsState::load(data.path());
        assert_eq!(again.info(Language::Id).path, None);
        assert!(again.slot().current().0.is_none());
    }

    #[test]
    fn unusable_files_are_refused_in_both_languages_and_the_setting_stays() {
        let data = tempfile::tempdir().unwrap();
        let good = archive();
        let state = StreetsState::load(data.path());
        state.set(Some(path_of(&good))).unwrap();
        let (_, revision) = state.slot().current();

        let mut text = tempfile::Builder::new().suffix(".pmtiles").tempfile().unwrap();
        std::io::Write::write_all(&mut text, b"this is a shopping list, not a map").unwrap();
        let png = write(
            archive_bytes(gzip(&directory(&[])), Vec::new(), b"", [2, 2]),
            |bytes| bytes[99] = 2,
        );
        let brotli = write(archive_bytes(directory(&[]), Vec::new(), b"", [1, 3]), |_| {});
        let damaged = write(
            archive_bytes(directory(&[(0, 0, 1, 1)]), Vec::new(), b"x", [2, 2]),
            |_| {},
        );
        let missing = data.path().join("gone.pmtiles");
        let cases = [
            (
                path_of(&text).to_owned(),
                "streets_not_pmtiles",
                "bukan arsip PMTiles",
                "is not a PMTiles archive",
            ),
            (
                path_of(&png).to_owned(),
                "streets_not_vector",
                "Arsip berisi ubin PNG, bukan ubin vektor",
                "holds PNG tiles, not vector tiles",
            ),
            (
                path_of(&brotli).to_owned(),
                "streets_unsupported",
                "Kompresi arsip (brotli) tidak didukung",
                "compression (brotli) is not supported",
            ),
            (
                path_of(&damaged).to_owned(),
                "streets_damaged",
                "rusak atau tidak lengkap",
                "damaged or incomplete",
            ),
            (
                missing.display().to_string(),
                "streets_file_missing",
                "tidak ditemukan",
                "was not found",
            ),
            (
                data.path().display().to_string(),
                "streets_file_unreadable",
                "tidak dapat dibaca",
                "could not be read",
            ),
            (
                "peta/indonesia.pmtiles".to_owned(),
                "streets_path_relative",
                "path absolut",
                "absolute path",
            ),
            (
                "   ".to_owned(),
                "streets_path_empty",
                "Isi lokasi berkas",
                "Enter the location",
            ),
        ];
        for (path, code, indonesian, english) in cases {
            let (at, error) = state.set(Some(path.as_str())).unwrap_err();
            let id = error.to_ipc(&at, Language::Id);
            let en = error.to_ipc(&at, Language::En);
            assert_eq!((id.code.as_str(), en.code.as_str()), (code, code), "{path}");
            assert!(id.message.contains(indonesian), "{path}: {}", id.message);
            assert!(en.message.contains(english), "{path}: {}", en.message);
            assert_ne!(id.message, en.message);
        }
        let info = state.info(Language::Id);
        assert_eq!(
            info.path.as_deref(),
            Some(path_of(&good)),
            "the previous setting stays"
        );
        assert_eq!(info.problem, None);
        assert_eq!(
            state.slot().current().1,
            revision,
            "the map was not told to change"
        );
        assert_eq!(
            StreetsState::load(data.path()).info(Language::Id).path.as_deref(),
            Some(path_of(&good))
        );
    }

    fn write(mut bytes: Vec<u8>, change: impl FnOnce(&mut Vec<u8>)) -> tempfile::NamedTempFile {
        change(&mut bytes);
        let mut file = tempfile::Builder::new().suffix(".pmtiles").tempfile().unwrap();
        std::io::Write::write_all(&mut file, &bytes).unwrap();
        file
    }

    #[test]
    fn a_file_gone_since_the_last_run_is_reported_and_the_map_has_no_streets() {
        let data = tempfile::tempdir().unwrap();
        let file = archive();
        let path = path_of(&file).to_owned();
        StreetsState::load(data.path()).set(Some(path.as_str())).unwrap();
        drop(file);
        let state = StreetsState::load(data.path());
        assert!(state.slot().current().0.is_none());
        let id = state.info(Language::Id);
        assert_eq!(id.path.as_deref(), Some(path.as_str()));
        assert_eq!(id.facts, None);
        let problem = id.problem.unwrap();
        assert_eq!(problem.code, "streets_file_missing");
        assert!(problem.message.contains("tidak ditemukan"), "{}", problem.message);
        let en = state.info(Language::En).problem.unwrap();
        assert!(en.message.contains("was not found"), "{}", en.message);
        // A damaged setting file is no setting at all.
        std::fs::write(data.path().join(SETTING_FILE), b"{not json").unwrap();
        assert_eq!(StreetsState::load(data.path()).info(Language::Id).path, None);
    }
}
