//! The `tiles://` protocol: serves the map's basemap tiles, glyphs and styles from assets embedded in
//! the binary, so the map never touches the network.
//!
//! Paths (the contract with `assets/map/*.json` and `ui/src/map`):
//! - `/basemap/{z}/{x}/{y}.mvt`: a vector tile of `assets/generated/basemap.pmtiles` (an empty body for
//!   a tile the archive does not hold, e.g. open sea);
//! - `/glyphs/{font stack}/{start}-{end}.pbf`: SDF glyphs (`assets/generated/glyphs`);
//! - `/sprite/siaga[@2x].{json,png}`: the SDF icon sprite (`assets/generated/sprite`);
//! - `/styles/{dark|light}.json`: the map styles (`assets/map`), their `tiles://localhost` URLs rewritten
//!   to the origin the request came from (`http://tiles.localhost` on Windows).
//!
//! Anything else is a 404. Nothing here touches the file system, so there is no path to traverse.
//! [`TileServer::respond`] is plain Rust; [`register`] is the only Tauri glue.

pub mod pmtiles;

use pmtiles::PmTiles;
use std::borrow::Cow;
use tauri::http::{header, Response, StatusCode};
use tauri::{Builder, Runtime};

/// The URI scheme the webview uses for map assets.
pub const SCHEME: &str = "tiles";
/// The origin written in the committed styles.
const STYLE_ORIGIN: &str = "tiles://localhost";

mod embedded {
    //! Assets embedded by `build.rs`: `BASEMAP`, `GLYPHS` (font stack, range, bytes), `SPRITE` (file
    //! name, bytes), `STYLES`.
    include!(concat!(env!("OUT_DIR"), "/map_assets.rs"));
}

/// What a request gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Cow<'static, [u8]>,
}

impl Reply {
    fn ok(content_type: &'static str, body: Cow<'static, [u8]>) -> Reply {
        Reply {
            status: 200,
            content_type,
            body,
        }
    }

    fn not_found() -> Reply {
        Reply {
            status: 404,
            content_type: "text/plain; charset=utf-8",
            body: Cow::Borrowed(b"not found"),
        }
    }
}

/// Answers map asset requests.
#[derive(Debug)]
pub struct TileServer {
    basemap: PmTiles<&'static [u8]>,
}

const MVT: &str = "application/vnd.mapbox-vector-tile";
const PBF: &str = "application/x-protobuf";
const JSON: &str = "application/json";

impl TileServer {
    /// A server of the assets embedded in this binary.
    pub fn embedded() -> Result<TileServer, pmtiles::PmTilesError> {
        Ok(TileServer {
            basemap: PmTiles::open(embedded::BASEMAP)?,
        })
    }

    /// The reply to a GET of `path` (percent-encoded, as in the URL) that arrived on `origin`
    /// (`tiles://localhost` or `http://tiles.localhost`).
    pub fn respond(&self, origin: &str, path: &str) -> Reply {
        let Some(path) = percent_decode(path) else {
            return Reply::not_found();
        };
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        match segments.as_slice() {
            ["basemap", z, x, y] => self.tile(z, x, y),
            ["glyphs", stacks, range] => glyphs(stacks, range),
            ["styles", file] => style(file, origin),
            ["sprite", file] => sprite(file),
            _ => Reply::not_found(),
        }
    }

    fn tile(&self, z: &str, x: &str, y: &str) -> Reply {
        let Some(y) = y.strip_suffix(".mvt") else {
            return Reply::not_found();
        };
        let (Ok(z), Ok(x), Ok(y)) = (z.parse::<u8>(), x.parse::<u32>(), y.parse::<u32>()) else {
            return Reply::not_found();
        };
        if pmtiles::tile_id(z, x, y).is_none() || z > self.basemap.header().max_zoom {
            return Reply::not_found();
        }
        match self.basemap.tile(z, x, y) {
            Ok(Some(tile)) => Reply::ok(MVT, tile),
            // Open sea: no features, which MapLibre takes as an empty tile.
            Ok(None) => Reply::ok(MVT, Cow::Borrowed(&[])),
            Err(_) => Reply::not_found(),
        }
    }
}

/// Glyphs of the first font of a comma-separated stack that has the range.
fn glyphs(stacks: &str, range: &str) -> Reply {
    let Some(range) = range.strip_suffix(".pbf") else {
        return Reply::not_found();
    };
    stacks
        .split(',')
        .find_map(|stack| {
            embedded::GLYPHS
                .iter()
                .find(|(name, r, _)| *name == stack.trim() && *r == range)
        })
        .map_or_else(Reply::not_found, |(_, _, bytes)| {
            Reply::ok(PBF, Cow::Borrowed(bytes))
        })
}

fn sprite(file: &str) -> Reply {
    let content_type = if file.ends_with(".png") {
        "image/png"
    } else if file.ends_with(".json") {
        JSON
    } else {
        return Reply::not_found();
    };
    embedded::SPRITE
        .iter()
        .find(|(name, _)| *name == file)
        .map_or_else(Reply::not_found, |(_, bytes)| {
            Reply::ok(content_type, Cow::Borrowed(bytes))
        })
}

fn style(file: &str, origin: &str) -> Reply {
    let Some(name) = file.strip_suffix(".json") else {
        return Reply::not_found();
    };
    let Some((_, text)) = embedded::STYLES.iter().find(|(n, _)| *n == name) else {
        return Reply::not_found();
    };
    let body = if origin == STYLE_ORIGIN {
        Cow::Borrowed(text.as_bytes())
    } else {
        Cow::Owned(text.replace(STYLE_ORIGIN, origin).into_bytes())
    };
    Reply::ok(JSON, body)
}

/// `%XX` escapes decoded; `None` for a malformed escape or text that is not UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Registers the `tiles://` protocol on a Tauri builder.
pub fn register<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    let server = TileServer::embedded().expect("the embedded basemap is a valid PMTiles archive");
    builder.register_uri_scheme_protocol(SCHEME, move |_context, request| {
        let uri = request.uri();
        let origin = match (uri.scheme_str(), uri.host()) {
            (Some(scheme), Some(host)) => format!("{scheme}://{host}"),
            _ => STYLE_ORIGIN.to_owned(),
        };
        let reply = if request.method() == tauri::http::Method::GET {
            server.respond(&origin, uri.path())
        } else {
            Reply::not_found()
        };
        Response::builder()
            .status(StatusCode::from_u16(reply.status).unwrap_or(StatusCode::NOT_FOUND))
            .header(header::CONTENT_TYPE, reply.content_type)
            // The page (tauri://localhost) and MapLibre's worker fetch across origins.
            .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")
            .body(reply.body)
            .unwrap_or_else(|_| Response::new(Cow::Borrowed(&[][..])))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server() -> TileServer {
        TileServer::embedded().unwrap()
    }

    #[test]
    fn basemap_tiles_over_jakarta_hold_the_province_layer() {
        // z10 tile of central Jakarta (106.82 E, 6.18 S).
        let reply = server().respond(STYLE_ORIGIN, "/basemap/10/815/529.mvt");
        assert_eq!((reply.status, reply.content_type), (200, MVT));
        let needle = b"province";
        assert!(
            reply.body.windows(needle.len()).any(|w| w == needle),
            "{} bytes without a province layer",
            reply.body.len()
        );
        let world = server().respond(STYLE_ORIGIN, "/basemap/0/0/0.mvt");
        assert!(world.body.len() > 1000);
    }

    #[test]
    fn open_sea_is_an_empty_tile_and_nonsense_is_404() {
        // The Indian Ocean west of Aceh (90–91.4 E, 4.2–5.6 N) at z8.
        let sea = server().respond(STYLE_ORIGIN, "/basemap/8/192/124.mvt");
        assert_eq!((sea.status, sea.body.len()), (200, 0));
        for path in [
            "/basemap/30/0/0.mvt",
            "/basemap/2/9/0.mvt",
            "/basemap/1/0/0.png",
            "/basemap/a/b/c.mvt",
            "/glyphs/Comic Sans/0-255.pbf",
            "/glyphs/Noto%20Sans%20Regular/../../etc/passwd",
            "/styles/../../Cargo.toml",
            "/styles/neon.json",
            "/%zz",
            "/",
        ] {
            assert_eq!(server().respond(STYLE_ORIGIN, path).status, 404, "{path}");
        }
    }

    #[test]
    fn glyphs_come_from_the_first_font_of_the_stack_that_has_them() {
        let reply = server().respond(STYLE_ORIGIN, "/glyphs/Noto%20Sans%20Bold/0-255.pbf");
        assert_eq!((reply.status, reply.content_type), (200, PBF));
        let stacked = server().respond(
            STYLE_ORIGIN,
            "/glyphs/Missing%20Font,Noto%20Sans%20Regular/0-255.pbf",
        );
        assert_eq!(stacked.status, 200);
        assert_ne!(stacked.body, reply.body);
    }

    #[test]
    fn styles_point_at_the_origin_the_webview_uses() {
        for name in ["dark", "light"] {
            let linux = server().respond(STYLE_ORIGIN, &format!("/styles/{name}.json"));
            assert_eq!((linux.status, linux.content_type), (200, JSON));
            let style: serde_json::Value = serde_json::from_slice(&linux.body).unwrap();
            assert_eq!(style["version"], 8);
            assert!(style["glyphs"]
                .as_str()
                .unwrap()
                .starts_with("tiles://localhost/glyphs/"));
            let windows = server().respond("http://tiles.localhost", &format!("/styles/{name}.json"));
            let text = String::from_utf8(windows.body.into_owned()).unwrap();
            assert!(!text.contains("tiles://localhost"));
            assert!(text.contains("http://tiles.localhost/basemap/{z}/{x}/{y}.mvt"));
        }
    }

    #[test]
    fn the_sprite_sheets_are_served_with_their_index() {
        for stem in ["siaga", "siaga@2x"] {
            let index = server().respond(STYLE_ORIGIN, &format!("/sprite/{stem}.json"));
            assert_eq!((index.status, index.content_type), (200, JSON));
            let index: serde_json::Value = serde_json::from_slice(&index.body).unwrap();
            assert_eq!(index["shape-diamond"]["sdf"], true);
            let png = server().respond(STYLE_ORIGIN, &format!("/sprite/{stem}.png"));
            assert_eq!((png.status, png.content_type), (200, "image/png"));
            assert!(png.body.starts_with(b"\x89PNG"));
        }
        assert_eq!(server().respond(STYLE_ORIGIN, "/sprite/../Cargo.toml").status, 404);
        assert_eq!(server().respond(STYLE_ORIGIN, "/sprite/siaga.svg").status, 404);
    }
}
