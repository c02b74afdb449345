//! Tauri IPC between the Leptos UI and the desk's Rust shell: one request type and one response type
//! per command, with the command's name beside them.
//!
//! A command is described by [`IpcCommand`]: the UI's `invoke` helper and the shell's handler both name
//! the same constant, so a rename cannot break one side silently. Every command is declared once, in the
//! table `ipc_command_table.in` ([`ipc_command_table!`]).

pub mod setup;
pub mod video;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
pub use setup::*;
use siaga_domain::{Category, Incident, IncidentChange, IncidentId, IncidentStatus, Language, PoldaId, Role};
pub use video::*;

include!("ipc_command_table.in");

/// Makes each command's marker type, its [`IpcCommand`] impl, and [`COMMAND_NAMES`].
macro_rules! declare_commands {
    ($($name:ident: $marker:ident($request:ty) -> $response:ty, $doc:literal;)*) => {
        $(
            #[doc = concat!("`", stringify!($name), "`: ", $doc)]
            #[derive(Debug)]
            pub enum $marker {}

            impl IpcCommand for $marker {
                const NAME: &'static str = stringify!($name);
                type Request = $request;
                type Response = $response;
            }
        )*

        /// Every command's name, in the table's order (what the shell registers and grants).
        pub const COMMAND_NAMES: &[&str] = &[$(stringify!($name)),*];
    };
}

ipc_command_table!(declare_commands);

/// A Tauri command: its registered name and the types that cross the bridge.
pub trait IpcCommand {
    /// The name under which the shell registers the command (`#[tauri::command] fn <NAME>`).
    const NAME: &'static str;
    /// The arguments object the UI sends.
    type Request: Serialize + DeserializeOwned;
    /// What the shell answers on success.
    type Response: Serialize + DeserializeOwned;
}

/// Asks the shell who it is: version and build facts for the status bar and the About panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppInfoRequest {
    /// The language the UI is showing, so the answer's human-readable parts match it.
    pub language: Language,
}

/// The build facts of the running desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppInfo {
    /// The product name as shown to users.
    pub product_name: String,
    /// Semantic version of the desk (the workspace version).
    pub version: String,
    /// `debug` or `release`.
    pub build_profile: String,
    /// The target triple the shell was built for, e.g. `x86_64-unknown-linux-gnu`.
    pub target: String,
    /// The operating system as a sentence in the requested language.
    pub platform_label: String,
}

/// Nothing to send or nothing to answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Empty {}

/// `sign_in`: an operator's credentials at the central.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SignInRequest {
    pub username: String,
    pub password: String,
    /// The UI's language, for the error message.
    pub language: Language,
}

/// Who is signed in at the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionInfo {
    /// The account name.
    pub operator: String,
    /// The role's stable code (`operator1`, `supervisor`, `analyst`, …).
    pub role: String,
    /// The role in the operator flow, if the role may change incidents.
    pub flow_role: Option<Role>,
    /// The account's Polda, whose incidents the desk syncs; `None` for a national account, whose desk
    /// syncs every Polda.
    pub polda: Option<PoldaId>,
}

/// The link to the central as the status bar shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    Offline,
    Syncing,
    Online,
}

/// `sync_status`: the desk's link, queue and session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SyncStatusInfo {
    pub link: LinkState,
    /// Actions waiting for the central.
    pub pending: i64,
    /// Refusals not seen yet.
    pub unseen_rejections: i64,
    /// When the central last answered (ms since the epoch).
    pub last_contact_ms: Option<i64>,
    /// Who is signed in.
    pub session: Option<SessionInfo>,
    /// The version of a newer, correctly signed release the central offers (decision 0021).
    #[serde(default)]
    pub update_offered: Option<String>,
}

/// `report_incident`: a new report taken down by the signed-in operator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReportIncidentRequest {
    pub description: String,
    pub category: Option<Category>,
    /// WGS 84 latitude and longitude of the place, when it has a point (a station, a click on the map).
    #[serde(default)]
    pub lat: Option<f64>,
    #[serde(default)]
    pub lon: Option<f64>,
    /// The village, district or regency the operator found with `places` (the codes the report carries).
    #[serde(default)]
    pub place: Option<PlaceChoice>,
    /// The number the call came from, as typed (optional).
    #[serde(default)]
    pub caller_number: Option<String>,
    /// The number the caller dialed, as typed: blank or `110`, or a legacy number forwarded to 110.
    #[serde(default)]
    pub dialed: Option<String>,
    /// A priority raised above the category's default (none: the default).
    #[serde(default)]
    pub priority: Option<siaga_domain::Priority>,
    /// The reporter's name, if they gave it.
    #[serde(default)]
    pub reporter_name: Option<String>,
    /// The reporter's NIK, if they gave it.
    #[serde(default)]
    pub reporter_nik: Option<String>,
    pub language: Language,
}

/// A region the operator chose for a report: its codes, and its name as the operator saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlaceChoice {
    /// The village, if a village was chosen.
    #[serde(default)]
    pub village: Option<siaga_domain::region::VillageCode>,
    /// The district (a village's or the one chosen).
    #[serde(default)]
    pub district: Option<siaga_domain::region::DistrictCode>,
    /// The regency or city.
    pub regency: siaga_domain::region::RegencyCode,
    /// What the operator picked, e.g. `Menteng, Kec. Menteng, Jakarta Pusat`.
    pub label: String,
}

/// `places`: what the operator typed for a place, during intake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlacesRequest {
    /// The text typed so far.
    pub query: String,
    /// At most this many places (capped at 20).
    pub limit: u32,
}

/// `incidents`: what the incident list shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IncidentsRequest {
    /// Only these statuses (empty: all).
    #[serde(default)]
    pub statuses: Vec<IncidentStatus>,
    /// At most this many.
    pub limit: u32,
    /// Order as a queue: within a priority, the incident waiting longest first (else most recent first).
    #[serde(default)]
    pub queue: bool,
    /// Only these categories (empty: all).
    #[serde(default)]
    pub categories: Vec<Category>,
    /// Only the incidents of this Polres: assigned to it, or not yet assigned and placed in its regency.
    #[serde(default)]
    pub polres: Option<siaga_domain::PolresId>,
}

/// `legacy_numbers`: one legacy emergency number of the central's routing table, as the desk last received it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LegacyNumberInfo {
    /// The number, digits only, e.g. `112`.
    pub number: String,
    /// What the number was, as the central's admin wrote it.
    pub description: String,
    /// Whether the switch forwards it to 110 now.
    pub forwarded: bool,
}

/// `supervisor_board`: the supervisor's view of the desk's incidents (advisory figures: nothing here
/// blocks a number or moves an incident).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SupervisorBoard {
    /// Every open stage in the flow's order.
    pub stages: Vec<BoardStage>,
    /// The open incidents by the operator who acted on each last, most loaded first.
    pub operators: Vec<BoardOperator>,
    /// The last 24 hours of calls, by hour (hours without a call left out).
    pub hours: Vec<BoardHour>,
    /// The numbers that called most in the last 7 days (masked for roles that may not see them).
    pub frequent: Vec<BoardCaller>,
}

/// One open stage on the board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BoardStage {
    pub status: IncidentStatus,
    pub count: u64,
    /// The incident waiting longest in the stage.
    pub oldest: Option<IncidentId>,
    /// Since when it waits (ms since the epoch).
    pub oldest_since_ms: Option<i64>,
    /// Its priority (how long it may wait before it is overdue).
    pub oldest_priority: Option<siaga_domain::Priority>,
}

/// One operator's open incidents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BoardOperator {
    /// The account (`None`: incidents not yet acted on at this desk's sight, e.g. from a snapshot).
    pub operator: Option<String>,
    pub role: Option<Role>,
    pub open: u64,
}

/// One hour of calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BoardHour {
    /// The hour's start (ms since the epoch).
    pub hour_ms: i64,
    pub calls: u64,
    pub prank_or_empty: u64,
}

/// A number that called often.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BoardCaller {
    pub number: String,
    pub calls: u64,
    pub prank_or_empty: u64,
    pub last_ms: i64,
}

/// `audit_log`: the signed-in supervisor's Polda audit trail, problems in `language`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AuditLogRequest {
    pub language: Language,
}

/// `audit_log`: the audit trail as this desk read and verified it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditLog {
    /// The chain: the Polda's code (or `national`).
    pub chain: String,
    /// Entries read and checked, from the first.
    pub entries: i64,
    /// `None` when every entry links to the one before it and every signed head this desk has seen still
    /// names the entry it named; otherwise the first bad entry and why, in the request's language.
    pub broken: Option<AuditBreak>,
    /// Signed heads this desk keeps of the chain (its proof that older entries were not rewritten).
    pub heads_kept: usize,
    /// When the newest of them was signed (Unix ms).
    pub last_signed_ms: Option<i64>,
    /// The newest entries, newest first (at most [`AUDIT_ROWS_SHOWN`]).
    pub rows: Vec<AuditRow>,
}

/// How many of the newest audit entries the desk shows.
pub const AUDIT_ROWS_SHOWN: usize = 200;

/// The first bad entry of a chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditBreak {
    pub seq: i64,
    pub reason: String,
}

/// One entry of the trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditRow {
    pub seq: i64,
    pub at_ms: i64,
    pub actor: String,
    pub role: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// `set_overdue_thresholds`: the desk's new overdue thresholds (a supervisor's setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SetOverdueThresholdsRequest {
    pub thresholds: siaga_domain::queue::OverdueThresholds,
    pub language: Language,
}

/// `duplicate_candidates`: an open incident the one shown may duplicate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DuplicateCandidate {
    pub id: IncidentId,
    pub category: Option<Category>,
    pub status: IncidentStatus,
    /// The start of its description.
    pub description: String,
    /// How far it is, in metres, when both have a point.
    pub distance_m: Option<u32>,
    /// How far apart the two were received, in seconds.
    pub apart_secs: i64,
}

/// How many incidents wait in one stage of the flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QueueCount {
    pub status: IncidentStatus,
    pub count: u64,
}

/// `act`: the signed-in operator's change to an incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActRequest {
    pub incident_id: IncidentId,
    pub change: IncidentChange,
    pub language: Language,
}

/// `map_incidents`: which incidents the map shows. Empty lists mean "any".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MapIncidentsRequest {
    #[serde(default)]
    pub statuses: Vec<IncidentStatus>,
    #[serde(default)]
    pub categories: Vec<Category>,
    /// Only this Polda's incidents.
    #[serde(default)]
    pub polda: Option<PoldaId>,
    /// Only incidents received at or after this time (ms since the epoch).
    #[serde(default)]
    pub since_ms: Option<i64>,
    /// At most this many (the most urgent and most recent are kept).
    pub limit: u32,
}

/// An incident as a point on the map: just what the layer draws and filters by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MapIncident {
    pub id: String,
    pub lat: f64,
    pub lon: f64,
    /// 1 (critical) … 4 (low).
    pub priority: u8,
    #[serde(default)]
    pub category: Option<Category>,
    pub status: IncidentStatus,
    #[serde(default)]
    pub polda: Option<PoldaId>,
    pub received_ms: i64,
    /// An open kiosk alert (no operator acknowledged it yet).
    pub alert: bool,
}

/// `map_incidents`: the points, and whether the limit cut some off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MapIncidents {
    pub incidents: Vec<MapIncident>,
    pub truncated: bool,
}

/// `incident`: one incident by id, as the desk shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IncidentRequest {
    pub id: IncidentId,
    pub language: Language,
}

/// `incident_timeline`: one incident's events, for the detail panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IncidentTimelineRequest {
    pub id: IncidentId,
    pub language: Language,
}

/// Where an event of the timeline stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStanding {
    /// The central has it.
    Confirmed,
    /// Made on this desk, waiting to reach the central.
    Pending,
    /// The central refused it (the reason is among the refusals).
    Refused,
}

/// One line of an incident's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TimelineEntry {
    pub event: siaga_domain::IncidentEvent,
    pub standing: EventStanding,
}

/// `kiosks`: the station kiosks, lit for the operator's stale time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KiosksRequest {
    /// Seconds without a heartbeat after which a kiosk shows as stale.
    pub stale_after_secs: i64,
}

/// A station kiosk as the map and the Kiosk page show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KioskView {
    pub kiosk_id: siaga_domain::kiosk::KioskId,
    pub station: String,
    pub polda: PoldaId,
    pub lat: f64,
    pub lon: f64,
    /// The kiosk's own last report: `ok`, `degraded`, `fault` or `unknown`.
    pub status: siaga_domain::kiosk::KioskHealth,
    #[serde(default)]
    pub battery_pct: Option<u8>,
    #[serde(default)]
    pub last_heartbeat_ms: Option<i64>,
    pub light: siaga_domain::kiosk::KioskLight,
    /// The incident of its open alert.
    #[serde(default)]
    pub alert_incident: Option<String>,
}

/// An alert waiting for an operator, for the banner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenAlertInfo {
    pub incident_id: IncidentId,
    pub kiosk_id: String,
    /// The station's name, when the desk knows the kiosk.
    #[serde(default)]
    pub station: Option<String>,
    /// When the alert was received (ms since the epoch).
    pub received_ms: i64,
    #[serde(default)]
    pub category: Option<Category>,
}

/// Which desktop notifications the operator wants.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NotificationPrefs {
    /// No notification for incidents of these categories (the banner and the map still show them).
    #[serde(default)]
    pub muted: Vec<Category>,
    /// The language notifications are written in (the UI's).
    #[serde(default)]
    pub language: Language,
}

/// A refusal of one of this desk's actions by the central, with its reason in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RefusalInfo {
    pub event_id: siaga_domain::EventId,
    pub incident_id: IncidentId,
    /// The central's stable code (`illegal_transition`, `already_acknowledged`, …).
    pub code: String,
    pub reason_id: String,
    pub reason_en: String,
    /// When the verdict arrived (ms since the epoch).
    pub at_ms: i64,
}

/// `mark_refusal_read`: the operator has read a refusal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct MarkRefusalReadRequest {
    pub event_id: siaga_domain::EventId,
}

/// The event the shell emits when the desk's store changed, so screens re-read what they show.
pub const CHANGED_EVENT: &str = "siaga:changed";

/// The payload of [`CHANGED_EVENT`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChangedEvent {
    /// Incidents changed.
    pub incidents: bool,
    /// The kiosk list changed.
    pub kiosks: bool,
    /// When the store committed the change (ms since the epoch).
    pub committed_ms: i64,
}

/// `streets_archive`: which street map (an OpenStreetMap PMTiles extract) the desk draws under its layers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StreetsArchiveRequest {
    /// The UI's language, for a problem with the configured file.
    pub language: Language,
}

/// The street map setting and what its file holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StreetsArchiveInfo {
    /// The configured file; `None` when the map shows the basemap only.
    pub path: Option<String>,
    /// What the archive holds, when it is open and in use.
    pub facts: Option<StreetsArchiveFacts>,
    /// Why the configured file is not in use (e.g. it was moved after it was chosen), already translated.
    pub problem: Option<IpcError>,
}

/// What a street archive holds, from its header.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StreetsArchiveFacts {
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// West, south, east, north in degrees.
    pub bounds: [f64; 4],
    /// Tiles the archive addresses (0 when its writer did not count them).
    pub tile_count: u64,
    /// The file's size in bytes.
    pub file_size: u64,
    /// How tiles are stored in the file: `none` or `gzip` (they reach the map decompressed).
    pub tile_compression: String,
}

/// `choose_streets_archive`'s answer: whether the operator picked a file in the dialog (cancelling changes
/// nothing), and the setting as it now stands. The chosen file is checked before the setting changes, and
/// the setting survives a restart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StreetsArchiveChoice {
    /// `false` when the dialog was cancelled.
    pub chosen: bool,
    pub info: StreetsArchiveInfo,
}

/// A command's failure as the UI receives it: a stable code for logic and a message in the UI's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IpcError {
    /// Machine-readable reason, e.g. `invalid_request`.
    pub code: String,
    /// What to tell the user, already translated.
    pub message: String,
}

/// `analytics`: what the Analitik page computes over the desk's incidents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AnalyticsRequest {
    /// Only this category (prank and empty calls are never counted as crime).
    #[serde(default)]
    pub category: Option<Category>,
    /// How many days back from now (1–366).
    pub period_days: u32,
    /// Grid cell side in metres (100–5,000).
    pub cell_m: u32,
    /// Only this Polda (a national desk's choice; a Polda desk always analyses its own).
    #[serde(default)]
    pub polda: Option<PoldaId>,
}

/// One grid cell drawn on the Analitik map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalyticsCell {
    /// The cell's corners as `[lon, lat]`, south-west first, counter-clockwise.
    pub ring: [[f64; 2]; 4],
    /// Gi* class: +3/+2/+1 hot at 99/95/90 % (FDR), the same negative for cold, 0 not significant.
    pub class: i8,
    /// Flagged by the forecast for the next seven days.
    pub forecast: bool,
    /// Incidents in the cell in the period.
    pub count: u32,
}

/// Analytics cells as a GeoJSON FeatureCollection of polygons with `giClass`, `forecast` (0/1) and `count`: the
/// Analitik map's layer and the exported `cells.geojson` are this one document.
pub fn cells_geojson(cells: &[AnalyticsCell]) -> CellCollection {
    CellCollection {
        kind: "FeatureCollection",
        features: cells
            .iter()
            .map(|c| CellFeature {
                kind: "Feature",
                geometry: CellPolygon {
                    kind: "Polygon",
                    coordinates: [vec![c.ring[0], c.ring[1], c.ring[2], c.ring[3], c.ring[0]]],
                },
                properties: CellProperties {
                    gi_class: c.class,
                    forecast: u8::from(c.forecast),
                    count: c.count,
                },
            })
            .collect(),
    }
}

/// See [`cells_geojson`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellCollection {
    #[serde(rename = "type")]
    kind: &'static str,
    pub features: Vec<CellFeature>,
}

/// One cell of a [`CellCollection`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellFeature {
    #[serde(rename = "type")]
    kind: &'static str,
    pub geometry: CellPolygon,
    pub properties: CellProperties,
}

/// A cell's closed ring (`[lon, lat]`, the first corner repeated last).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellPolygon {
    #[serde(rename = "type")]
    kind: &'static str,
    pub coordinates: [Vec<[f64; 2]>; 1],
}

/// What a cell says: its Gi* class, whether the forecast flags it, its incidents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CellProperties {
    pub gi_class: i8,
    pub forecast: u8,
    pub count: u32,
}

/// A category's last seven days against the seven before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CategoryTrend {
    pub category: Category,
    pub recent: u32,
    pub before: u32,
    /// Two-sided exact binomial p-value of the change (below 0.05: a real change).
    pub p: f64,
}

/// A crime-prone district: ranked by its incidents inside significant hot cells, then by all its incidents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AreaRank {
    /// Kemendagri district code, e.g. `31.71.01`.
    pub code: String,
    /// District and regency names.
    pub name: String,
    pub regency: String,
    pub count: u32,
    /// Of the district's incidents, the share inside hot cells (0–1).
    pub hot_share: f64,
    /// Where the map flies on a click: the mean position of its incidents.
    pub lat: f64,
    pub lon: f64,
}

/// Traffic incidents (accidents and jams) of one district, by hour of day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TrafficRow {
    pub district: String,
    pub hours: Vec<u32>,
    pub total: u32,
}

/// `analytics` → what the page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalyticsView {
    /// Incidents analysed (placed, in the period, in the desk's Polda, not prank or empty).
    pub points: u32,
    /// Incidents of the period held by the desk but outside its Polda, left out and said so.
    pub outside_polda: u32,
    pub since_ms: i64,
    pub until_ms: i64,
    /// The UTM zone the grid is laid on, e.g. `48S`.
    pub utm_zone: String,
    pub cell_m: u32,
    /// Significant or forecast cells only.
    pub cells: Vec<AnalyticsCell>,
    pub hot_cells: u32,
    pub cold_cells: u32,
    pub forecast_cells: u32,
    /// Incidents by weekday (Monday first) × hour: 7 × 24 counts, in the Polda's time zone.
    pub heatmap: Vec<u32>,
    /// WIB, WITA or WIT.
    pub time_zone: String,
    pub trends: Vec<CategoryTrend>,
    /// Ramadan, mudik, the Eids and the fixed holidays the period crosses (a trend there may be the season).
    pub marked_periods: Vec<String>,
    pub areas: Vec<AreaRank>,
    pub traffic: Vec<TrafficRow>,
}

/// `research_export`: an anonymised dataset of the last `period_days` for academic partners (decision 0012),
/// written as Parquet, CSV and a README into a new folder under the desk's `exports/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResearchExportRequest {
    pub period_days: u32,
    /// The smallest group that may leave (2–1,000; 5 is usual).
    pub k: u32,
    /// Snapping cell in metres (100–5,000).
    pub cell_m: u32,
    /// `hour`, `day` or `week`.
    pub rounding: String,
    #[serde(default)]
    pub language: Language,
}

/// What an export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResearchExportInfo {
    /// The folder holding `incidents.parquet`, `incidents.csv` and `README.md`.
    pub folder: String,
    pub rows: u32,
    /// Records whose category was merged into `other`.
    pub merged: u32,
    /// Records left out because their cell held fewer than k.
    pub suppressed: u32,
}

/// `analytics_results_export`: the Analitik page's results as files (decision 0012).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResultsExportRequest {
    /// The same filters the page shows.
    pub analysis: AnalyticsRequest,
    /// The map as the page shows it, a `data:image/png;base64,` URL (empty: no picture).
    #[serde(default)]
    pub map_png: String,
    #[serde(default)]
    pub language: Language,
}

/// What a results export wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultsExportInfo {
    pub folder: String,
    /// The file names written, e.g. `cells.geojson`.
    pub files: Vec<String>,
}

/// `caller_history`: the earlier calls of an incident's caller number, beside the live call (advisory only).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallerHistoryInfo {
    /// Whether the incident has a caller number this role may see (analysts see masked numbers: no history).
    pub known: bool,
    pub calls: u32,
    pub prank_or_empty: u32,
    pub last_ms: Option<i64>,
    /// Whether the figures are the central's (the Polda's whole history) rather than this desk's store.
    #[serde(default)]
    pub from_central: bool,
}

/// `number_history`: a number's earlier calls on this desk, while the operator types it during intake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NumberHistoryRequest {
    /// The caller number as typed.
    pub number: String,
}

/// `services`: the Layanan Warga queue (citizen requests of the desk's Polda), refreshed from the central
/// when it can be reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServicesRequest {
    /// The UI's language, for the error message.
    pub language: Language,
}

/// One step of a citizen request's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceStepInfo {
    /// `submitted`, or the action's code.
    pub action: String,
    pub status: siaga_domain::service::RequestStatus,
    pub actor: String,
    pub role: Role,
    pub reason: Option<siaga_domain::service::state::RejectReason>,
    pub note: Option<String>,
    pub at_ms: i64,
}

/// An issued letter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceLetterInfo {
    pub number: String,
    /// `YYYY-MM-DD`.
    pub issued_on: String,
    /// `YYYY-MM-DD`, an SKCK's.
    pub valid_until: Option<String>,
    pub verify_url: String,
    pub revoked: bool,
}

/// A citizen request as the Layanan Warga page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceRequestInfo {
    /// What the citizen submitted.
    pub request: siaga_domain::service::Submission,
    pub kind: siaga_domain::service::ServiceKind,
    pub status: siaga_domain::service::RequestStatus,
    pub polres_name: String,
    pub has_photo: bool,
    /// What the NIK says: region, birth date (`YYYY-MM-DD`), age, sex.
    pub nik_region: String,
    pub nik_birth_date: String,
    pub nik_age: i32,
    pub nik_sex: siaga_domain::nik::Sex,
    /// True when the stated birth date is not the NIK's (the central refuses such requests; kept for
    /// the page's highlight).
    pub birth_date_mismatch: bool,
    pub flags: Vec<siaga_domain::service::Flag>,
    pub submitted_at_ms: i64,
    pub updated_at_ms: i64,
    pub version: i64,
    pub history: Vec<ServiceStepInfo>,
    pub letter: Option<ServiceLetterInfo>,
}

/// `services`' answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicesInfo {
    /// Every request the desk holds, the most recently changed first.
    pub requests: Vec<ServiceRequestInfo>,
    /// Why the queue could not be refreshed from the central (shown beside it), if it could not.
    pub offline_reason: Option<String>,
}

/// `service_act`: an action on a citizen request (needs the central: it numbers and signs letters).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceActRequest {
    pub id: String,
    pub action: siaga_domain::service::RequestAction,
    #[serde(default)]
    pub reason: Option<siaga_domain::service::state::RejectReason>,
    #[serde(default)]
    pub note: Option<String>,
    /// The signing officer, to issue.
    #[serde(default)]
    pub officer: Option<siaga_domain::service::Officer>,
    /// The version the officer saw.
    pub expected_version: i64,
    pub language: Language,
}

/// `service_photo`, `service_letter_save` and `service_nik_reveal`: which request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceFileRequest {
    pub id: String,
    pub language: Language,
}

/// `service_photo`'s answer: the JPEG as a `data:` URL for an `<img>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePhotoInfo {
    pub data_url: String,
}

/// `service_nik_reveal`'s answer: the applicant's NIK whole (the reveal is recorded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NikRevealInfo {
    pub nik: String,
}

/// `service_letter_save`'s answer: where the signed PDF was written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceLetterSaved {
    pub path: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_uses_camel_case_and_rejects_unknown_fields() {
        let json = serde_json::to_value(AppInfoRequest {
            language: Language::En,
        })
        .unwrap();
        assert_eq!(json, serde_json::json!({ "language": "en" }));
        let err = serde_json::from_value::<AppInfoRequest>(serde_json::json!({ "language": "id", "x": 1 }));
        assert!(err.is_err(), "an unknown field must be refused");
    }

    #[test]
    fn streets_answers_are_camel_case() {
        let info = StreetsArchiveInfo {
            path: None,
            facts: None,
            problem: None,
        };
        let json = serde_json::to_value(&info).unwrap();
        assert_eq!(
            json,
            serde_json::json!({ "path": null, "facts": null, "problem": null })
        );
    }

    #[test]
    fn app_info_round_trips_in_camel_case() {
        let info = AppInfo {
            product_name: "Siaga 110".into(),
            version: "0.1.0".into(),
            build_profile: "debug".into(),
            target: "x86_64-unknown-linux-gnu".into(),
            platform_label: "Linux".into(),
        };
        let json = serde_json::to_value(&info).unwrap();
        assert_eq!(json["productName"], "Siaga 110");
        assert_eq!(json["buildProfile"], "debug");
        assert_eq!(serde_json::from_value::<AppInfo>(json).unwrap(), info);
    }
}
