//! The street map setting: which OpenStreetMap PMTiles extract (vector tiles, Protomaps schema) the map
//! draws streets from. The choice is checked before it is taken (a file that is not a usable archive
//! changes nothing), kept in the desk's store so it survives a restart, and put in a [`StreetsSlot`] that
//! the shell's tile server reads per request.

use crate::DeskError;
use siaga_domain::Language;
use siaga_ipc::{StreetsArchiveFacts, StreetsArchiveInfo};
use siaga_pmtiles::{Compression, FileSource, PmTilesError, Reader, TileType};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

/// The store setting that remembers the choice.
pub(crate) const SETTING_KEY: &str = "streets";
/// Where desks before 0.1 kept the choice, in the data folder; read once and moved into the store.
pub(crate) const LEGACY_SETTING_FILE: &str = "streets.json";

/// What the setting holds.
#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Setting {
    pub path: Option<PathBuf>,
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
    #[error("the archive holds {} tiles, not vector tiles", .0.name())]
    NotVectorTiles(TileType),
}

impl StreetsError {
    /// A stable code for the UI's logic.
    pub fn code(&self) -> &'static str {
        match self {
            StreetsError::Empty => "streets_path_empty",
            StreetsError::Relative => "streets_path_relative",
            StreetsError::Archive(PmTilesError::Io(std::io::ErrorKind::NotFound)) => "streets_file_missing",
            StreetsError::Archive(PmTilesError::Io(_)) => "streets_file_unreadable",
            StreetsError::Archive(PmTilesError::NotPmTiles) => "streets_not_pmtiles",
            StreetsError::Archive(
                PmTilesError::UnsupportedVersion(_) | PmTilesError::UnsupportedCompression(_),
            ) => "streets_unsupported",
            StreetsError::NotVectorTiles(_) => "streets_not_vector",
            StreetsError::Archive(_) => "streets_damaged",
        }
    }

    /// What to tell the operator about the file at `path`, in their language.
    pub fn message(&self, path: &Path, language: Language) -> String {
        let path = path.display();
        let id = language == Language::Id;
        match self {
            StreetsError::Empty if id => "Isi lokasi berkas .pmtiles terlebih dahulu.".into(),
            StreetsError::Empty => "Enter the location of a .pmtiles file first.".into(),
            StreetsError::Relative if id => format!(
                "Tulis lokasi lengkap berkas (path absolut, mis. /home/operator/peta/indonesia.pmtiles), bukan \"{path}\"."
            ),
            StreetsError::Relative => format!(
                "Write the file's full location (an absolute path, e.g. /home/operator/maps/indonesia.pmtiles), not \"{path}\"."
            ),
            StreetsError::Archive(PmTilesError::Io(std::io::ErrorKind::NotFound)) if id => {
                format!("Berkas {path} tidak ditemukan.")
            }
            StreetsError::Archive(PmTilesError::Io(std::io::ErrorKind::NotFound)) => {
                format!("The file {path} was not found.")
            }
            StreetsError::Archive(PmTilesError::Io(kind)) if id => {
                format!("Berkas {path} tidak dapat dibaca ({kind}).")
            }
            StreetsError::Archive(PmTilesError::Io(kind)) => format!("The file {path} could not be read ({kind})."),
            StreetsError::Archive(PmTilesError::NotPmTiles) if id => format!(
                "{path} bukan arsip PMTiles. Pilih ekstrak OpenStreetMap berformat .pmtiles (PMTiles versi 3)."
            ),
            StreetsError::Archive(PmTilesError::NotPmTiles) => format!(
                "{path} is not a PMTiles archive. Choose an OpenStreetMap extract in .pmtiles format (PMTiles version 3)."
            ),
            StreetsError::Archive(PmTilesError::UnsupportedVersion(version)) if id => {
                format!("Arsip PMTiles versi {version} tidak didukung; hanya versi 3.")
            }
            StreetsError::Archive(PmTilesError::UnsupportedVersion(version)) => {
                format!("PMTiles version {version} is not supported; only version 3.")
            }
            StreetsError::Archive(PmTilesError::UnsupportedCompression(code)) if id => format!(
                "Kompresi arsip ({}) tidak didukung; hanya tanpa kompresi atau gzip.",
                Compression::name_of(*code)
            ),
            StreetsError::Archive(PmTilesError::UnsupportedCompression(code)) => format!(
                "The archive's compression ({}) is not supported; only none or gzip.",
                Compression::name_of(*code)
            ),
            StreetsError::NotVectorTiles(kind) if id => format!(
                "Arsip berisi ubin {}, bukan ubin vektor (MVT). Peta jalan memerlukan ekstrak vektor OpenStreetMap.",
                kind.name()
            ),
            StreetsError::NotVectorTiles(kind) => format!(
                "The archive holds {} tiles, not vector tiles (MVT). The street map needs a vector OpenStreetMap extract.",
                kind.name()
            ),
            StreetsError::Archive(_) if id => {
                format!("Arsip {path} rusak atau tidak lengkap. Unduh atau salin ulang berkasnya.")
            }
            StreetsError::Archive(_) => {
                format!("The archive {path} is damaged or incomplete. Download or copy the file again.")
            }
        }
    }
}

/// An opened street archive and the path it came from.
#[derive(Debug)]
pub struct StreetsArchive {
    pub path: PathBuf,
    pub archive: Reader<FileSource>,
}

impl StreetsArchive {
    /// Opens and checks the file at `path`: a PMTiles v3 archive of vector tiles.
    pub fn open(path: &Path) -> Result<StreetsArchive, StreetsError> {
        let archive = Reader::open(FileSource::open(path)?)?;
        let tile_type = archive.header().tile_type;
        if tile_type != TileType::Mvt {
            return Err(StreetsError::NotVectorTiles(tile_type));
        }
        Ok(StreetsArchive {
            path: path.to_owned(),
            archive,
        })
    }

    /// What the archive holds, for the settings screen.
    pub fn facts(&self) -> StreetsArchiveFacts {
        let header = self.archive.header();
        StreetsArchiveFacts {
            min_zoom: header.min_zoom,
            max_zoom: header.max_zoom,
            bounds: header.bounds,
            tile_count: header.addressed_tiles,
            file_size: self.archive.source().len(),
            tile_compression: match header.tile_compression {
                Compression::None => "none",
                Compression::Gzip => "gzip",
            }
            .to_owned(),
        }
    }
}

#[derive(Debug, Default)]
struct Current {
    archive: Option<Arc<StreetsArchive>>,
    revision: u64,
}

/// The archive in use, shared by the tile server and the setting. Readers clone the `Arc` and let go of
/// the lock before any file read; a change takes effect on the next style load.
#[derive(Debug, Clone, Default)]
pub struct StreetsSlot(Arc<RwLock<Current>>);

impl StreetsSlot {
    /// The archive now in use (if any) and the revision of the setting, which changes with every
    /// [`StreetsSlot::set`] so tile URLs of another archive never hit a cached tile.
    pub fn current(&self) -> (Option<Arc<StreetsArchive>>, u64) {
        let current = self.0.read().unwrap_or_else(PoisonError::into_inner);
        (current.archive.clone(), current.revision)
    }

    /// Puts `archive` in use (or none). The desk's setting ([`crate::Desk::set_streets_archive`]) is
    /// the one writer in the app; tests of the tile server set a slot of their own.
    pub fn set(&self, archive: Option<StreetsArchive>) {
        let mut current = self.0.write().unwrap_or_else(PoisonError::into_inner);
        current.archive = archive.map(Arc::new);
        current.revision += 1;
    }
}

/// The configured path and, when its archive could not be opened at start, why.
#[derive(Debug, Default, Clone)]
struct Configured {
    path: Option<PathBuf>,
    problem: Option<StreetsError>,
}

/// The street map setting of one desk.
#[derive(Debug, Default)]
pub(crate) struct Streets {
    slot: StreetsSlot,
    /// Held across a change (check, save, swap) so two changes never interleave; readers never take it.
    changing: tokio::sync::Mutex<()>,
    /// The setting, for readers that must not wait (the settings screen); written at the end of a change.
    configured: Mutex<Configured>,
}

impl Streets {
    /// The setting as remembered: its archive opened and put in use. A file that no longer opens leaves
    /// the map without streets and is reported by [`Streets::info`].
    pub fn load(setting: Setting) -> Streets {
        let mut streets = Streets::default();
        let mut configured = Configured::default();
        if let Some(path) = setting.path {
            match StreetsArchive::open(&path) {
                Ok(archive) => streets.slot.set(Some(archive)),
                Err(e) => configured.problem = Some(e),
            }
            configured.path = Some(path);
        }
        *streets
            .configured
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner) = configured;
        streets
    }

    pub fn slot(&self) -> StreetsSlot {
        self.slot.clone()
    }

    /// The setting and what its archive holds.
    pub fn info(&self, language: Language) -> StreetsArchiveInfo {
        let Configured { path, problem } = self
            .configured
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        StreetsArchiveInfo {
            path: path.as_ref().map(|p| p.display().to_string()),
            facts: self.slot.current().0.map(|archive| archive.facts()),
            problem: match (problem, &path) {
                (Some(problem), Some(path)) => Some(siaga_ipc::IpcError {
                    code: problem.code().to_owned(),
                    message: problem.message(path, language),
                }),
                _ => None,
            },
        }
    }

    /// Checks the archive at `path` (or none) and, once `save` has kept the choice, puts it in use. On
    /// any error nothing changes.
    pub async fn set(
        &self,
        path: Option<&str>,
        save: impl AsyncFnOnce(Setting) -> Result<(), DeskError>,
    ) -> Result<(), DeskError> {
        let refused = |path: PathBuf, error: StreetsError| DeskError::Streets { path, error };
        let _changing = self.changing.lock().await;
        let archive = match path.map(str::trim) {
            None => None,
            Some("") => return Err(refused(PathBuf::new(), StreetsError::Empty)),
            Some(text) => {
                let path = PathBuf::from(text);
                if !path.is_absolute() {
                    return Err(refused(path, StreetsError::Relative));
                }
                // Reading the header and root is file IO: off the async threads.
                let opened = {
                    let path = path.clone();
                    tokio::task::spawn_blocking(move || StreetsArchive::open(&path))
                        .await
                        .unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()))
                };
                Some(opened.map_err(|e| refused(path, e))?)
            }
        };
        let path = archive.as_ref().map(|a| a.path.clone());
        save(Setting { path: path.clone() }).await?;
        *self.configured.lock().unwrap_or_else(PoisonError::into_inner) = Configured { path, problem: None };
        self.slot.set(archive);
        Ok(())
    }
}
