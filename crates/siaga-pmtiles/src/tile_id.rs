//! Web-map tile z/x/y ↔ PMTiles tile id: the tiles of all lower zooms first, then a Hilbert curve within
//! the zoom (spec v3, "Tile ID").

/// The deepest zoom this crate addresses (tile ids stay far below `u64::MAX`).
pub const MAX_ZOOM: u8 = 26;

/// Tiles at all zooms below `z`.
fn tiles_before(z: u8) -> u64 {
    (0..z).map(|level| 1_u64 << (2 * level)).sum()
}

/// The id of web-map tile z/x/y; `None` off the grid (x or y ≥ 2^z, or z > [`MAX_ZOOM`]).
pub fn tile_id(z: u8, x: u32, y: u32) -> Option<u64> {
    if z > MAX_ZOOM || u64::from(x) >= 1 << z || u64::from(y) >= 1 << z {
        return None;
    }
    let n = 1_u64 << z;
    let (mut x, mut y) = (u64::from(x), u64::from(y));
    let mut d = 0;
    let mut s = n / 2;
    while s > 0 {
        let rx = u64::from(x & s > 0);
        let ry = u64::from(y & s > 0);
        d += s * s * ((3 * rx) ^ ry);
        if ry == 0 {
            if rx == 1 {
                x = n - 1 - x;
                y = n - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    Some(tiles_before(z) + d)
}

/// The z/x/y of tile id `id`; `None` past the last tile of [`MAX_ZOOM`].
pub fn tile_coords(id: u64) -> Option<(u8, u32, u32)> {
    let mut before = 0_u64;
    for z in 0..=MAX_ZOOM {
        let count = 1_u64 << (2 * u32::from(z));
        if id < before + count {
            let mut t = id - before;
            let (mut x, mut y) = (0_u64, 0_u64);
            let mut s = 1_u64;
            while s < 1 << z {
                let rx = 1 & (t / 2);
                let ry = 1 & (t ^ rx);
                if ry == 0 {
                    if rx == 1 {
                        x = s - 1 - x;
                        y = s - 1 - y;
                    }
                    std::mem::swap(&mut x, &mut y);
                }
                x += s * rx;
                y += s * ry;
                t /= 4;
                s *= 2;
            }
            return Some((z, u32::try_from(x).ok()?, u32::try_from(y).ok()?));
        }
        before += count;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_ids_follow_the_pmtiles_specification() {
        assert_eq!(tile_id(0, 0, 0), Some(0));
        assert_eq!(tile_id(1, 0, 0), Some(1));
        assert_eq!(tile_id(1, 0, 1), Some(2));
        assert_eq!(tile_id(1, 1, 1), Some(3));
        assert_eq!(tile_id(1, 1, 0), Some(4));
        assert_eq!(tile_id(2, 0, 0), Some(5));
        assert_eq!(tile_id(3, 7, 0), Some(84));
        assert_eq!(tile_id(20, 0, 0), Some(366_503_875_925));
        assert_eq!(tile_id(1, 2, 0), None);
        assert_eq!(tile_id(27, 0, 0), None);
    }

    #[test]
    fn ids_and_coordinates_are_inverse() {
        let mut expected = 0;
        for z in 0..=5_u8 {
            let mut ids: Vec<u64> = (0..1_u32 << z)
                .flat_map(|x| (0..1_u32 << z).map(move |y| (x, y)))
                .map(|(x, y)| {
                    let id = tile_id(z, x, y).unwrap();
                    assert_eq!(tile_coords(id), Some((z, x, y)));
                    id
                })
                .collect();
            ids.sort_unstable();
            let all: Vec<u64> = (expected..expected + ids.len() as u64).collect();
            assert_eq!(ids, all, "zoom {z} fills its ids without gaps");
            expected += ids.len() as u64;
        }
        for (z, x, y) in [(10, 815, 529), (20, 0, 0), (26, (1 << 26) - 1, 12_345)] {
            assert_eq!(tile_coords(tile_id(z, x, y).unwrap()), Some((z, x, y)));
        }
        assert_eq!(tile_coords(u64::MAX), None);
    }
}
