//! The street map setting through the desk: a valid extract is checked, used, remembered in the desk's
//! store across a restart and removed; unusable files are refused in both languages and change nothing;
//! a file gone since the last run is reported; an older desk's `streets.json` is moved into the store.

use siaga_desk::{Desk, DeskConfig, DeskError};
use siaga_domain::Language;
use siaga_ipc::StreetsArchiveInfo;
use siaga_pmtiles::{gzip, ArchiveInfo, Compression, Header, TileType, Writer};
use std::io::Write;
use std::path::Path;

fn info(tile_type: TileType) -> ArchiveInfo {
    ArchiveInfo {
        min_zoom: 0,
        max_zoom: 2,
        bounds: [95.0, -11.0, 141.0, 6.0],
        center: [106.8, -6.2],
        center_zoom: 1,
        tile_type,
        tile_compression: Compression::Gzip,
        internal_compression: Compression::Gzip,
    }
}

/// A gzip archive of vector tiles as Protomaps writes one, with three tiles.
fn archive_bytes(tile_type: TileType) -> Vec<u8> {
    let mut writer = Writer::new();
    for (z, x, y) in [(1, 0, 0), (1, 1, 0), (2, 3, 1)] {
        writer.add(z, x, y, gzip(b"\x1a\x00")).unwrap();
    }
    writer.finish(info(tile_type), b"{}").unwrap()
}

fn file_with(bytes: &[u8]) -> tempfile::NamedTempFile {
    let mut file = tempfile::Builder::new().suffix(".pmtiles").tempfile().unwrap();
    file.write_all(bytes).unwrap();
    file
}

fn path_of(file: &tempfile::NamedTempFile) -> &str {
    file.path().to_str().unwrap()
}

async fn desk(data: &Path) -> Desk {
    let config = DeskConfig {
        data_dir: data.to_path_buf(),
        central_url: "http://127.0.0.1:9".into(),
        central_trust: siaga_sync::CentralTrust::SystemRoots,
        update_platform: None,
        store_key: siaga_desk::store_key::KeyPlace::Files(data.join("keys")),
    };
    Desk::open(&config).await.unwrap()
}

#[tokio::test]
async fn a_valid_archive_is_used_remembered_across_a_restart_and_removed() {
    let data = tempfile::tempdir().unwrap();
    let file = file_with(&archive_bytes(TileType::Mvt));
    let desk = desk(data.path()).await;
    assert_eq!(
        desk.streets_archive(Language::Id),
        StreetsArchiveInfo {
            path: None,
            facts: None,
            problem: None
        }
    );
    desk.set_streets_archive(Some(format!("  {}  ", path_of(&file)).as_str()))
        .await
        .unwrap();
    let info = desk.streets_archive(Language::En);
    assert_eq!(info.path.as_deref(), Some(path_of(&file)), "trimmed");
    let facts = info.facts.clone().unwrap();
    assert_eq!((facts.min_zoom, facts.max_zoom), (0, 2));
    assert_eq!(facts.bounds, [95.0, -11.0, 141.0, 6.0]);
    assert_eq!(facts.tile_count, 3);
    assert_eq!(facts.tile_compression, "gzip");
    assert_eq!(facts.file_size, std::fs::metadata(file.path()).unwrap().len());
    assert!(desk.streets_slot().current().0.is_some());
    drop(desk);

    let restarted = self::desk(data.path()).await;
    assert_eq!(restarted.streets_archive(Language::En), info);
    assert!(restarted.streets_slot().current().0.is_some());

    restarted.set_streets_archive(None).await.unwrap();
    assert!(restarted.streets_slot().current().0.is_none());
    drop(restarted);
    let again = self::desk(data.path()).await;
    assert_eq!(again.streets_archive(Language::Id).path, None);
    assert!(again.streets_slot().current().0.is_none());
}

#[tokio::test]
async fn unusable_files_are_refused_in_both_languages_and_the_setting_stays() {
    let data = tempfile::tempdir().unwrap();
    let good = file_with(&archive_bytes(TileType::Mvt));
    let desk = desk(data.path()).await;
    desk.set_streets_archive(Some(path_of(&good))).await.unwrap();
    let (_, revision) = desk.streets_slot().current();

    let text = file_with(b"this is a shopping list, not a map");
    let png = file_with(&archive_bytes(TileType::Png));
    let mut brotli = archive_bytes(TileType::Mvt);
    brotli[98] = 3;
    let brotli = file_with(&brotli);
    let mut damaged = archive_bytes(TileType::Mvt);
    let header = Header::parse(&damaged).unwrap();
    damaged.truncate((header.root_offset + header.root_length / 2) as usize);
    let damaged = file_with(&damaged);
    let missing = data.path().join("gone.pmtiles");
    // A FIFO: opening it would wait for a writer forever, and the settings page with it.
    let fifo = data.path().join("fifo.pmtiles");
    assert!(std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap()
        .success());
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
        let error = desk.set_streets_archive(Some(path.as_str())).await.unwrap_err();
        assert!(matches!(error, DeskError::Streets { .. }), "{path}: {error}");
        assert_eq!(error.code(), code, "{path}");
        let (id, en) = (error.message(Language::Id), error.message(Language::En));
        assert!(id.contains(indonesian), "{path}: {id}");
        assert!(en.contains(english), "{path}: {en}");
        assert_ne!(id, en);
    }
    let info = desk.streets_archive(Language::Id);
    assert_eq!(
        info.path.as_deref(),
        Some(path_of(&good)),
        "the previous setting stays"
    );
    assert_eq!(info.problem, None);
    assert_eq!(
        desk.streets_slot().current().1,
        revision,
        "the map was not told to change"
    );
    drop(desk);
    assert_eq!(
        self::desk(data.path())
            .await
            .streets_archive(Language::Id)
            .path
            .as_deref(),
        Some(path_of(&good))
    );
}

#[tokio::test]
async fn a_file_gone_since_the_last_run_is_reported_and_the_map_has_no_streets() {
    let data = tempfile::tempdir().unwrap();
    let file = file_with(&archive_bytes(TileType::Mvt));
    let path = path_of(&file).to_owned();
    desk(data.path())
        .await
        .set_streets_archive(Some(path.as_str()))
        .await
        .unwrap();
    drop(file);
    let desk = desk(data.path()).await;
    assert!(desk.streets_slot().current().0.is_none());
    let id = desk.streets_archive(Language::Id);
    assert_eq!(id.path.as_deref(), Some(path.as_str()));
    assert_eq!(id.facts, None);
    let problem = id.problem.unwrap();
    assert_eq!(problem.code, "streets_file_missing");
    assert!(problem.message.contains("tidak ditemukan"), "{}", problem.message);
    let en = desk.streets_archive(Language::En).problem.unwrap();
    assert!(en.message.contains("was not found"), "{}", en.message);
}

#[tokio::test]
async fn an_older_desks_setting_file_is_moved_into_the_store() {
    let data = tempfile::tempdir().unwrap();
    let file = file_with(&archive_bytes(TileType::Mvt));
    let legacy = data.path().join("streets.json");
    std::fs::write(&legacy, format!(r#"{{"path":"{}"}}"#, path_of(&file))).unwrap();
    let desk = desk(data.path()).await;
    assert_eq!(
        desk.streets_archive(Language::Id).path.as_deref(),
        Some(path_of(&file))
    );
    assert!(desk.streets_slot().current().0.is_some());
    assert!(!legacy.exists(), "moved, not copied");
    drop(desk);
    assert_eq!(
        self::desk(data.path())
            .await
            .streets_archive(Language::Id)
            .path
            .as_deref(),
        Some(path_of(&file))
    );

    // A damaged setting file is no setting at all, and the desk still opens.
    let other = tempfile::tempdir().unwrap();
    std::fs::write(other.path().join("streets.json"), b"{not json").unwrap();
    assert_eq!(
        self::desk(other.path()).await.streets_archive(Language::Id).path,
        None
    );
}
