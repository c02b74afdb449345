//! Where the map looks: the camera presets and each desk's home view (its Polda, or Indonesia).

use crate::i18n::Msg;
use crate::map::bridge::Camera;
use siaga_domain::polda::PoldaId;

/// Camera presets: element key, label, camera.
pub(super) const PRESETS: [(&str, Msg, Camera); 3] = [
    (
        "national",
        Msg::MapPresetNational,
        Camera {
            lon: 118.0,
            lat: -2.4,
            zoom: 4.1,
        },
    ),
    (
        "jabodetabek",
        Msg::MapPresetJabodetabek,
        Camera {
            lon: 106.83,
            lat: -6.3,
            zoom: 9.2,
        },
    ),
    (
        "jakarta",
        Msg::MapPresetJakarta,
        Camera {
            lon: 106.835,
            lat: -6.2,
            zoom: 11.0,
        },
    ),
];

/// Where the map looks for a desk: its Polda for a Polda's account, Indonesia for a national one (or
/// before anyone signs in).
pub(super) fn home_camera(own_polda: Option<Option<PoldaId>>) -> Camera {
    match own_polda.flatten() {
        Some(polda) => polda_camera(polda),
        None => PRESETS[0].2,
    }
}

/// A Polda's area: Greater Jakarta for Metro Jaya, else its home province around the headquarters.
pub(super) fn polda_camera(polda: PoldaId) -> Camera {
    if polda == PoldaId::MetroJaya {
        return PRESETS[1].2;
    }
    let headquarters = polda.headquarters();
    Camera {
        lon: headquarters.lon(),
        lat: headquarters.lat(),
        zoom: 7.0,
    }
}
