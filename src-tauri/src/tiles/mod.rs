//! The `tiles://` protocol: serves the map's basemap tiles, glyphs and styles from assets embedded in
//! the binary, and the street tiles of the OpenStreetMap extract the user configured, so the map never
//! touches the network.
//!
//! Paths (the contract with `assets/map/*.json` and `ui/src/map`):
//! - `/basemap/{z}/{x}/{y}.mvt`: a vector tile of `assets/generated/basemap.pmtiles` (an empty body for
//!   a tile the archive does not hold, e.g. open sea);
//! - `/streets/{z}/{x}/{y}.mvt`: a vector tile of the configured street archive, decompressed (404 when
//!   none is configured, an empty body for a tile it does not hold); a `?v=` query is ignored;
//! - `/glyphs/{font stack}/{start}-{end}.pbf`: SDF glyphs (`assets/generated/glyphs`);
//! - `/sprite/siaga[@2x].{json,png}`: the SDF icon sprite (`assets/generated/sprite`);
//! - `/styles/{dark|light}.json`: the map styles (`assets/map`), their `tiles://localhost` URLs rewritten
//!   to the origin the request came from (`http://tiles.localhost` on Windows), with the `streets` source
//!   and layers ([`streets`]) when an archive is configured.
//!
//! Anything else is a 404. The only file read is the street archive the user configured (opened by the
//! `streets` commands, never named by a URL), so there is no path to traverse. [`TileServer::respond`] is
//! plain Rust; [`register`] is the only Tauri glue.

pub mod streets;

use siaga_desk::streets::StreetsSlot;
use siaga_pmtiles::{PmTilesError, Reader};
use std::borrow::Cow;
use std::sync::Arc;
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

    fn unreadable() -> Reply {
        Reply {
            status: 500,
            content_type: "text/plain; charset=utf-8",
            body: Cow::Borrowed(b"the street archive could not be read"),
        }
    }
}

/// Answers map asset requests.
#[derive(Debug)]
pub struct TileServer {
    basemap: Reader<&'static [u8]>,
    streets: StreetsSlot,
}

const MVT: &str = "application/vnd.mapbox-vector-tile";
const PBF: &str = "application/x-protobuf";
const JSON: &str = "application/json";

impl TileServer {
    /// A server of the assets embedded in this binary and of the street archive in `streets`.
    pub fn embedded(streets: StreetsSlot) -> Result<TileServer, PmTilesError> {
        Ok(TileServer {
            basemap: Reader::open(embedded::BASEMAP)?,
            streets,
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
            ["streets", z, x, y] => self.street_tile(z, x, y),
            ["glyphs", stacks, range] => glyphs(stacks, range),
            ["styles", file] => self.style(file, origin),
            ["sprite", file] => sprite(file),
            _ => Reply::not_found(),
        }
    }

    fn tile(&self, z: &str, x: &str, y: &str) -> Reply {
        let Some((z, x, y)) = tile_coordinates(z, x, y) else {
            return Reply::not_found();
        };
        if z > self.basemap.header().max_zoom {
            return Reply::not_found();
        }
        match self.basemap.tile(z, x, y) {
            Ok(Some(tile)) => Reply::ok(MVT, tile),
            // Open sea: no features, which MapLibre takes as an empty tile.
            Ok(None) => Reply::ok(MVT, Cow::Borrowed(&[])),
            Err(_) => Reply::not_found(),
        }
    }

    fn street_tile(&self, z: &str, x: &str, y: &str) -> Reply {
        let (Some(streets), _) = self.streets.current() else {
            return Reply::not_found();
        };
        let Some((z, x, y)) = tile_coordinates(z, x, y) else {
            return Reply::not_found();
        };
        match streets.archive.tile(z, x, y) {
            Ok(Some(tile)) => Reply::ok(MVT, tile),
            // Outside the extract, or nothing mapped there.
            Ok(None) => Reply::ok(MVT, Cow::Borrowed(&[])),
            Err(_) => Reply::unreadable(),
        }
    }

    fn style(&self, file: &str, origin: &str) -> Reply {
        let Some(name) = file.strip_suffix(".json") else {
            return Reply::not_found();
        };
        let Some((_, text)) = embedded::STYLES.iter().find(|(n, _)| *n == name) else {
            return Reply::not_found();
        };
        let text = match self.streets.current() {
            (Some(archive), revision) => match serde_json::from_str::<serde_json::Value>(text) {
                Ok(mut style) => {
                    streets::add_to_style(&mut style, name, &archive, STYLE_ORIGIN, revision);
                    Cow::Owned(style.to_string())
                }
                Err(_) => Cow::Borrowed(*text),
            },
            (None, _) => Cow::Borrowed(*text),
        };
        let body = match text {
            Cow::Borrowed(text) if origin == STYLE_ORIGIN => Cow::Borrowed(text.as_bytes()),
            text => Cow::Owned(text.replace(STYLE_ORIGIN, origin).into_bytes()),
        };
        Reply::ok(JSON, body)
    }
}

/// z/x/y of a `{z}/{x}/{y}.mvt` path on the web-map grid.
fn tile_coordinates(z: &str, x: &str, y: &str) -> Option<(u8, u32, u32)> {
    let y = y.strip_suffix(".mvt")?;
    let (Ok(z), Ok(x), Ok(y)) = (z.parse::<u8>(), x.parse::<u32>(), y.parse::<u32>()) else {
        return None;
    };
    siaga_pmtiles::tile_id(z, x, y).map(|_| (z, x, y))
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

/// Registers the `tiles://` protocol on a Tauri builder, serving the street archive in `streets`.
/// Embedded assets are answered at once; street tiles (file reads, gzip) on a blocking thread, so a slow
/// disk never stalls the window.
pub fn register<R: Runtime>(builder: Builder<R>, streets: StreetsSlot) -> Builder<R> {
    let server =
        Arc::new(TileServer::embedded(streets).expect("the embedded basemap is a valid PMTiles archive"));
    builder.register_asynchronous_uri_scheme_protocol(SCHEME, move |_context, request, responder| {
        let uri = request.uri();
        let origin = match (uri.scheme_str(), uri.host()) {
            (Some(scheme), Some(host)) => format!("{scheme}://{host}"),
            _ => STYLE_ORIGIN.to_owned(),
        };
        if request.method() != tauri::http::Method::GET {
            responder.respond(response(Reply::not_found()));
            return;
        }
        let path = uri.path().to_owned();
        if path.starts_with("/streets/") {
            let server = Arc::clone(&server);
            tauri::async_runtime::spawn_blocking(move || {
                responder.respond(response(server.respond(&origin, &path)));
            });
        } else {
            responder.respond(response(server.respond(&origin, &path)));
        }
    })
}

fn response(reply: Reply) -> Response<Cow<'static, [u8]>> {
    Response::builder()
        .status(StatusCode::from_u16(reply.status).unwrap_or(StatusCode::NOT_FOUND))
        .header(header::CONTENT_TYPE, reply.content_type)
        // The page (tauri://localhost) and MapLibre's worker fetch across origins.
        .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*")
        .body(reply.body)
        .unwrap_or_else(|_| Response::new(Cow::Borrowed(&[][..])))
}

#[cfg(test)]
mod tests {
    use super::*;
    use siaga_pmtiles::{gzip, ArchiveInfo, Compression, TileType, Writer};
    use std::io::Write;

    /// A tile's z, x and y.
    type ZoomXy = (u8, u32, u32);

    /// A gzip archive of vector tiles as Protomaps writes one (gzip directories, gzip tiles), in a real
    /// `.pmtiles` file.
    fn gzip_archive_file(tiles: &[(ZoomXy, &[u8])]) -> tempfile::NamedTempFile {
        let mut writer = Writer::new();
        for ((z, x, y), tile) in tiles {
            writer.add(*z, *x, *y, gzip(tile)).unwrap();
        }
        let info = ArchiveInfo {
            min_zoom: 0,
            max_zoom: 2,
            bounds: [95.0, -11.0, 141.0, 6.0],
            center: [106.8, -6.2],
            center_zoom: 1,
            tile_type: TileType::Mvt,
            tile_compression: Compression::Gzip,
            internal_compression: Compression::Gzip,
        };
        let mut file = tempfile::Builder::new().suffix(".pmtiles").tempfile().unwrap();
        file.write_all(&writer.finish(info, b"{}").unwrap()).unwrap();
        file
    }

    fn server() -> TileServer {
        TileServer::embedded(StreetsSlot::default()).unwrap()
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
        assert_eq!(
            server().respond(STYLE_ORIGIN, "/sprite/../Cargo.toml").status,
            404
        );
        assert_eq!(server().respond(STYLE_ORIGIN, "/sprite/siaga.svg").status, 404);
    }

    /// A minimal MVT: one empty `roads` layer (version 2, extent 4096).
    const ROADS_MVT: &[u8] = b"\x1a\x0d\x78\x02\x0a\x05roads\x28\x80\x20";

    fn street_archive() -> (tempfile::NamedTempFile, StreetsSlot) {
        let file = gzip_archive_file(&[((1, 0, 0), ROADS_MVT), ((1, 1, 0), &b"\x1a\x00"[..])]);
        let slot = StreetsSlot::default();
        slot.set(Some(
            siaga_desk::streets::StreetsArchive::open(file.path()).unwrap(),
        ));
        (file, slot)
    }

    #[test]
    fn street_tiles_are_served_decompressed_empty_or_404() {
        let (_file, slot) = street_archive();
        let server = TileServer::embedded(slot.clone()).unwrap();
        let tile = server.respond(STYLE_ORIGIN, "/streets/1/0/0.mvt");
        assert_eq!((tile.status, tile.content_type), (200, MVT));
        assert_eq!(
            &*tile.body, ROADS_MVT,
            "served as plain MVT, not as stored (gzip)"
        );
        let missing = server.respond(STYLE_ORIGIN, "/streets/1/1/1.mvt");
        assert_eq!((missing.status, missing.body.len()), (200, 0));
        let deeper = server.respond(STYLE_ORIGIN, "/streets/14/13069/8420.mvt");
        assert_eq!(
            (deeper.status, deeper.body.len()),
            (200, 0),
            "outside the extract: empty"
        );
        for path in [
            "/streets/1/2/0.mvt",
            "/streets/1/0/0.pbf",
            "/streets/a/0/0.mvt",
            "/streets/1/0",
            "/streets/..%2F..%2Fetc/passwd/0.mvt",
            "/streets/../../etc/passwd",
        ] {
            assert_eq!(server.respond(STYLE_ORIGIN, path).status, 404, "{path}");
        }
        slot.set(None);
        assert_eq!(
            server.respond(STYLE_ORIGIN, "/streets/1/0/0.mvt").status,
            404,
            "none configured"
        );
        assert_eq!(server.respond(STYLE_ORIGIN, "/basemap/0/0/0.mvt").status, 200);
    }

    fn layer_ids(style: &serde_json::Value) -> Vec<String> {
        style["layers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["id"].as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn styles_gain_the_streets_source_and_layers_only_when_an_archive_is_configured() {
        let plain: Vec<serde_json::Value> = ["dark", "light"]
            .iter()
            .map(|name| {
                let reply = server().respond(STYLE_ORIGIN, &format!("/styles/{name}.json"));
                let style: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
                assert!(style["sources"].get(streets::SOURCE).is_none());
                assert!(layer_ids(&style).iter().all(|id| !id.starts_with("streets-")));
                style
            })
            .collect();

        let (_file, slot) = street_archive();
        let (_, revision) = slot.current();
        let server = TileServer::embedded(slot.clone()).unwrap();
        let glyph_fonts: Vec<&str> = embedded::GLYPHS.iter().map(|(font, _, _)| *font).collect();
        let mut minor_colours = Vec::new();
        for (name, plain) in ["dark", "light"].into_iter().zip(plain) {
            let reply = server.respond(STYLE_ORIGIN, &format!("/styles/{name}.json"));
            assert_eq!((reply.status, reply.content_type), (200, JSON));
            let style: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
            let source = &style["sources"]["streets"];
            assert_eq!(source["type"], "vector");
            assert_eq!(
                source["tiles"][0],
                format!("tiles://localhost/streets/{{z}}/{{x}}/{{y}}.mvt?v={revision}")
            );
            assert_eq!(
                (source["minzoom"].as_u64(), source["maxzoom"].as_u64()),
                (Some(0), Some(2))
            );
            assert_eq!(source["bounds"], serde_json::json!([95.0, -11.0, 141.0, 6.0]));
            assert!(source["attribution"].as_str().unwrap().contains("OpenStreetMap"));
            assert_eq!(style["sources"]["basemap"], plain["sources"]["basemap"]);

            // The basemap's layers keep their order; the street layers sit right below the boundaries.
            let ids = layer_ids(&style);
            let basemap_ids: Vec<String> = ids
                .iter()
                .filter(|id| !id.starts_with("streets-"))
                .cloned()
                .collect();
            assert_eq!(basemap_ids, layer_ids(&plain));
            let boundary = ids.iter().position(|id| id == streets::BEFORE_LAYER).unwrap();
            let first_street = ids.iter().position(|id| id.starts_with("streets-")).unwrap();
            assert!(ids[first_street..boundary]
                .iter()
                .all(|id| id.starts_with("streets-")));
            assert!(ids[boundary..].iter().all(|id| !id.starts_with("streets-")));
            for id in [
                "streets-water",
                "streets-minor",
                "streets-major",
                "streets-highway",
                "streets-road-label",
            ] {
                assert!(ids.iter().any(|i| i == id), "{name}: {id}");
            }
            for layer in style["layers"].as_array().unwrap() {
                if layer["source"] == "streets" {
                    let source_layer = layer["source-layer"].as_str().unwrap();
                    assert!(
                        ["water", "roads", "buildings"].contains(&source_layer),
                        "{source_layer}"
                    );
                }
                if let Some(fonts) = layer["layout"]["text-font"].as_array() {
                    for font in fonts {
                        assert!(
                            glyph_fonts.contains(&font.as_str().unwrap()),
                            "{font} has no glyphs"
                        );
                    }
                }
            }
            let minor = style["layers"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["id"] == "streets-minor")
                .unwrap();
            assert_eq!(minor["source-layer"], "roads");
            assert_eq!(
                minor["filter"],
                serde_json::json!(["match", ["get", "kind"], ["minor_road"], true, false])
            );
            minor_colours.push(minor["paint"]["line-color"].clone());

            let windows = server.respond("http://tiles.localhost", &format!("/styles/{name}.json"));
            let text = String::from_utf8(windows.body.into_owned()).unwrap();
            assert!(!text.contains("tiles://localhost"));
            assert!(text.contains("http://tiles.localhost/streets/{z}/{x}/{y}.mvt?v="));
        }
        assert_ne!(
            minor_colours[0], minor_colours[1],
            "each theme has its own colours"
        );

        // Another archive: new tile URLs, so no tile of the old one is reused.
        let (again, _) = slot.current();
        slot.set(Some(
            siaga_desk::streets::StreetsArchive::open(&again.unwrap().path).unwrap(),
        ));
        let reply = server.respond(STYLE_ORIGIN, "/styles/dark.json");
        let style: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
        assert_eq!(
            style["sources"]["streets"]["tiles"][0],
            format!(
                "tiles://localhost/streets/{{z}}/{{x}}/{{y}}.mvt?v={}",
                revision + 1
            )
        );
        slot.set(None);
        let reply = server.respond(STYLE_ORIGIN, "/styles/dark.json");
        let style: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
        assert!(
            style["sources"].get("streets").is_none(),
            "removed: back to the basemap"
        );
    }
}
