//! Writes the seed inputs that are easiest made by the project's own writers into `fuzz/corpus/`: kiosk
//! alerts as the simulator's kiosks send them (CAP 1.2 through `KioskAlert::to_cap`) and small PMTiles
//! archives (plain and gzip, one with leaf directories) through `siaga_pmtiles::Writer`. The other seeds
//! (envelopes, citizen requests, numbers, CSV) are committed as they are; see `fuzz/README.md`.
//! Run: `cargo run -p siaga-fuzz --example seeds`.

use siaga_api::cap::{CapStatus, KioskAlert};
use siaga_domain::geo::{Circle, GeoPoint};
use siaga_domain::kiosk::KioskId;
use siaga_domain::Category;
use siaga_pmtiles::{gzip, ArchiveInfo, Compression, TileType, Writer};
use std::path::Path;
use time::macros::datetime;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let cap = corpus.join("cap_alert");
    std::fs::create_dir_all(&cap)?;
    let stations = [
        (
            "KIOSK-MRT-BHI-01",
            "mrt-bundaran-hi",
            "Stasiun MRT Bundaran HI",
            -6.1918,
            106.8229,
            CapStatus::Actual,
            Some(Category::Theft),
        ),
        (
            "KIOSK-KRL-MRI-02",
            "krl-manggarai",
            "Stasiun Manggarai",
            -6.2099,
            106.8502,
            CapStatus::Exercise,
            None,
        ),
    ];
    for (i, (kiosk, station, name, lat, lon, status, category)) in stations.into_iter().enumerate() {
        let alert = KioskAlert {
            identifier: format!("{kiosk}-00012{i}"),
            kiosk: KioskId::parse(kiosk)?,
            station_id: station.into(),
            sent: datetime!(2026-01-05 15:04:05 +07:00),
            status,
            area: Circle::new(GeoPoint::new(lat, lon)?, 0.0)?,
            area_description: name.into(),
            category,
            description: Some("Copet di peron arah Lebak Bulus & <pintu 3>".into()),
        };
        std::fs::write(cap.join(format!("kiosk-{i}.xml")), alert.to_cap().to_xml()?)?;
    }

    let pmtiles = corpus.join("pmtiles");
    std::fs::create_dir_all(&pmtiles)?;
    for (file, compression, root_budget) in [
        ("plain.pmtiles", Compression::None, 16_384),
        ("gzip.pmtiles", Compression::Gzip, 16_384),
        ("leaves.pmtiles", Compression::Gzip, 24),
    ] {
        let mut writer = Writer::with_root_budget(root_budget);
        for z in 0..4u8 {
            for x in 0..(1u32 << z) {
                for y in 0..(1u32 << z) {
                    let tile = format!("tile {z}/{x}/{y}").into_bytes();
                    let stored = match compression {
                        Compression::Gzip => gzip(&tile),
                        _ => tile,
                    };
                    writer.add(z, x, y, stored)?;
                }
            }
        }
        let info = ArchiveInfo {
            min_zoom: 0,
            max_zoom: 3,
            bounds: [94.0, -11.0, 141.0, 6.0],
            center: [106.8, -6.2],
            center_zoom: 2,
            tile_type: TileType::Mvt,
            tile_compression: compression,
            internal_compression: compression,
        };
        std::fs::write(pmtiles.join(file), writer.finish(info, br#"{"name":"seed"}"#)?)?;
    }
    Ok(())
}
