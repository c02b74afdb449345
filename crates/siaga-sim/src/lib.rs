//! Simulator of 110 traffic against a central server: calls across Polda weighted by population with
//! hour-of-day profiles per category, a prank/empty share near the real one, calls through legacy
//! numbers, app reports with synthetic NIKs, and every station kiosk's heartbeats and rush-hour alerts.
//!
//! The plan is a pure function of the seed and the simulated start ([`model::Rng`], [`Config::start`]);
//! events are executed in the order of a discrete-event schedule, so the same seed and start send the
//! same traffic in the same order whatever the server's speed or the hour of the wall clock. By default
//! the simulated clock is the real one (start now, speed 1), as a command room lives it; `speed`
//! compresses time for load tests, `start` fixes the clock for tests, `history` back-fills the hours
//! before the start (so a demo desk opens on a shift already under way) and `max_reports` bounds a run.

pub mod citizen;
pub mod model;
#[cfg(feature = "video")]
pub mod video;

use model::{KioskAlertKind, Rng};
use serde_json::{json, Value};
use siaga_api::cap::{CapStatus, KioskAlert};
use siaga_domain::kiosk::KioskId;
use siaga_domain::polda::polres_list;
use siaga_domain::station::stations;
use siaga_domain::timezone::TimeZone;
use siaga_domain::{Language, PoldaId};
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use uuid::Uuid;

/// What to simulate.
#[derive(Debug, Clone)]
pub struct Config {
    /// The central's base URL, e.g. `http://127.0.0.1:8110`.
    pub server: String,
    /// An admin account (to create the simulator's operators and register kiosks).
    pub admin_user: String,
    /// Its password.
    pub admin_password: String,
    /// The seed of every random choice.
    pub seed: u64,
    /// Mean calls per real second.
    pub rate: f64,
    /// How long to run (real time).
    pub duration: Duration,
    /// Share of phone calls that are prank or empty.
    pub prank_share: f64,
    /// Share of phone calls dialed through a legacy number (112) forwarded to 110.
    pub legacy_share: f64,
    /// Share of reports that come through the 110 app (with the reporter's NIK).
    pub app_share: f64,
    /// Chance that a report's moment also brings a citizen's SKCK or report-of-loss request through the
    /// app (drawn from a random source of its own, so the incidents of a seed do not change with it).
    pub service_share: f64,
    /// Simulated seconds per real second (1: real time).
    pub speed: f64,
    /// Real time between two heartbeats of a kiosk.
    pub heartbeat_every: Duration,
    /// At most this many station kiosks (all stations when `None`).
    pub kiosks: Option<usize>,
    /// The simulated clock when the live run begins; `None` (the default): the wall clock then, so a
    /// real-time run stamps its reports with the real time. Hour-of-day profiles follow it, so a fixed
    /// start makes a run independent of the hour it is made at.
    pub start: Option<OffsetDateTime>,
    /// Simulated time before `start` to back-fill at once with calls and app reports (no kiosk alerts:
    /// a past shift's alerts would have been answered), as fast as the server takes them.
    pub history: Duration,
    /// Stop making calls and reports after this many (heartbeats go on until `duration` ends).
    pub max_reports: Option<u64>,
    /// A short tag that makes this run's kiosk ids unique on a server that has seen earlier runs.
    pub run_tag: String,
    /// Whether the 110 app's reporters ask for and answer video validation calls (with the test pattern; only
    /// with the crate's `video` feature, on by default).
    pub video: bool,
    /// The share of the reporters' media packets lost on the way (0.0–1.0; a bad mobile network).
    pub video_loss: f64,
}

impl Config {
    /// Defaults against `server` with an admin's credentials.
    pub fn new(server: &str, admin_user: &str, admin_password: &str) -> Config {
        let now = OffsetDateTime::now_utc();
        Config {
            server: server.trim_end_matches('/').to_owned(),
            admin_user: admin_user.to_owned(),
            admin_password: admin_password.to_owned(),
            seed: 1,
            rate: 5.0,
            duration: Duration::from_secs(60),
            prank_share: model::DEFAULT_PRANK_SHARE,
            legacy_share: 0.05,
            app_share: 0.08,
            service_share: 0.03,
            speed: 1.0,
            heartbeat_every: Duration::from_secs(10),
            kiosks: None,
            start: None,
            history: Duration::ZERO,
            max_reports: None,
            run_tag: format!("{:x}", now.unix_timestamp() % 0xFFFFF),
            video: true,
            video_loss: 0.0,
        }
    }
}

/// Every this many app reports (of the live run), the reporter asks for a video call.
const VIDEO_REQUEST_EVERY: u64 = 10;

/// What the simulator did so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// Phone calls and app reports made.
    pub reports: u64,
    /// Of which prank or empty.
    pub prank: u64,
    /// Calls dialed through a legacy number.
    pub legacy: u64,
    /// App reports.
    pub app: u64,
    /// Incident events accepted by the server.
    pub events: u64,
    /// Requests the server refused (4xx); each one is a finding.
    pub refused: u64,
    /// Kiosk heartbeats sent.
    pub heartbeats: u64,
    /// Kiosk CAP alerts accepted.
    pub alerts: u64,
    /// Kiosks registered.
    pub kiosks: u64,
    /// Citizen requests (SKCK, report of loss) the central accepted.
    pub service_requests: u64,
    /// Status changes of those requests the app saw (officers reviewing, approving, rejecting, issuing).
    pub service_updates: u64,
    /// Issued letters the app downloaded for its citizens.
    pub letters: u64,
    /// Calls and app reports per Polda (what each Polda's desk should hold).
    pub reports_by_polda: BTreeMap<PoldaId, u64>,
    /// Those of them with a location (what each Polda's map should show: an empty or prank call has none).
    pub located_by_polda: BTreeMap<PoldaId, u64>,
    /// Video calls the app's reporters asked for (the live run's first app report and every tenth after it).
    pub video_requests: u64,
    /// Video validation calls the app's reporters answered.
    pub video_calls: u64,
    /// Video frames they sent.
    pub video_frames: u64,
}

/// Why the simulator stopped.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The server could not be reached or answered garbage.
    #[error("request to {path} failed: {source}")]
    Http {
        /// The path requested.
        path: String,
        /// Why.
        #[source]
        source: reqwest::Error,
    },
    /// A setup step was refused.
    #[error("{step} was refused with {status}: {body}")]
    Setup {
        /// What was being set up.
        step: String,
        /// HTTP status.
        status: u16,
        /// The error body.
        body: String,
    },
}

/// A client of the central for one principal.
#[derive(Debug, Clone)]
struct Api {
    base: String,
    http: reqwest::Client,
    token: Option<String>,
}

impl Api {
    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<(&str, String)>,
    ) -> Result<(u16, Value), SimError> {
        let mut request = self.http.request(method, format!("{}{path}", self.base));
        if let Some(token) = &self.token {
            request = request.bearer_auth(token);
        }
        if let Some((content_type, body)) = body {
            request = request.header("content-type", content_type).body(body);
        }
        let response = request.send().await.map_err(|source| SimError::Http {
            path: path.to_owned(),
            source,
        })?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await.map_err(|source| SimError::Http {
            path: path.to_owned(),
            source,
        })?;
        Ok((status, serde_json::from_slice(&bytes).unwrap_or(Value::Null)))
    }

    async fn post(&self, path: &str, body: &Value) -> Result<(u16, Value), SimError> {
        self.send(
            reqwest::Method::POST,
            path,
            Some(("application/json", body.to_string())),
        )
        .await
    }

    fn with_token(&self, token: &Value) -> Api {
        Api {
            token: token.as_str().map(str::to_owned),
            ..self.clone()
        }
    }

    async fn login(&self, username: &str, password: &str) -> Result<Api, SimError> {
        let (status, body) = self
            .post(
                "/v1/auth/login",
                &json!({"username": username, "password": password}),
            )
            .await?;
        if status != 200 {
            return Err(SimError::Setup {
                step: format!("login of {username}"),
                status,
                body: body.to_string(),
            });
        }
        Ok(self.with_token(&body["accessToken"]))
    }
}

struct Kiosk {
    id: String,
    station: &'static siaga_domain::station::Station,
    api: Api,
}

impl Kiosk {
    /// A CAP 1.2 alert from this kiosk (RFC 8876 style), as its touch screen sends it.
    fn alert_xml(&self, kind: KioskAlertKind, at: OffsetDateTime) -> Option<String> {
        let kiosk = KioskId::parse(&self.id).ok()?;
        let alert = KioskAlert {
            identifier: Uuid::now_v7().to_string(),
            kiosk,
            station_id: self.station.id.to_owned(),
            sent: at,
            status: CapStatus::Actual,
            area: siaga_domain::geo::Circle::new(self.station.point, 0.0).ok()?,
            area_description: self.station.name.to_owned(),
            category: Some(kind.category()),
            description: Some(kind.description().to_owned()),
        };
        alert.to_cap().to_xml().ok()
    }
}

/// Registers a kiosk at `station` in its Polda (as that Polda's admin would) and logs it in with the
/// secret the central answered once. `None` for a station outside every Polda's area.
async fn register_kiosk(
    admin: &Api,
    anonymous: &Api,
    id: String,
    station: &'static siaga_domain::station::Station,
) -> Result<Option<Kiosk>, SimError> {
    let Some(polda) = siaga_domain::polda::polda_for_regency(station.regency) else {
        return Ok(None);
    };
    let request = json!({"kioskId": id, "station": station.name, "polda": polda.code(),
                         "lat": station.point.lat(), "lon": station.point.lon()});
    let (status, body) = admin.post("/v1/kiosks", &request).await?;
    if status != 201 {
        return Err(SimError::Setup {
            step: format!("registering kiosk {id}"),
            status,
            body: body.to_string(),
        });
    }
    let (status, pair) = anonymous
        .post(
            "/v1/auth/kiosk",
            &json!({"kioskId": id, "secret": body["secret"]}),
        )
        .await?;
    if status != 200 {
        return Err(SimError::Setup {
            step: format!("kiosk login {id}"),
            status,
            body: pair.to_string(),
        });
    }
    Ok(Some(Kiosk {
        id,
        station,
        api: anonymous.with_token(&pair["accessToken"]),
    }))
}

/// One station kiosk driven on demand: registered by an admin, logged in with its own secret, then
/// sending heartbeats and a citizen's button press when told (for tests, trainings and demos).
#[derive(Debug)]
pub struct KioskDevice {
    kiosk: Kiosk,
}

impl std::fmt::Debug for Kiosk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Kiosk")
            .field("id", &self.id)
            .field("station", &self.station.id)
            .finish()
    }
}

impl KioskDevice {
    /// Registers kiosk `kiosk_id` at the station with id `station_id` (e.g. `mrt-bundaran-hi`) on the
    /// central at `server`, through the admin account `admin_user`.
    pub async fn register(
        server: &str,
        admin_user: &str,
        admin_password: &str,
        kiosk_id: &str,
        station_id: &str,
    ) -> Result<KioskDevice, SimError> {
        let station = siaga_domain::station::station(station_id).ok_or_else(|| SimError::Setup {
            step: format!("station {station_id}"),
            status: 0,
            body: "no such station".into(),
        })?;
        let anonymous = Api {
            base: server.trim_end_matches('/').to_owned(),
            http: siaga_tls::client(),
            token: None,
        };
        let admin = anonymous.login(admin_user, admin_password).await?;
        let kiosk = register_kiosk(&admin, &anonymous, kiosk_id.to_owned(), station)
            .await?
            .ok_or_else(|| SimError::Setup {
                step: format!("station {station_id}"),
                status: 0,
                body: "the station lies outside every Polda".into(),
            })?;
        Ok(KioskDevice { kiosk })
    }

    /// The kiosk's id.
    pub fn id(&self) -> &str {
        &self.kiosk.id
    }

    /// Sends a heartbeat (`ok`, battery full).
    pub async fn heartbeat(&self) -> Result<(), SimError> {
        let path = format!("/v1/kiosks/{}/heartbeat", self.kiosk.id);
        let (status, body) = self
            .kiosk
            .api
            .post(&path, &json!({"status": "ok", "batteryPct": 100}))
            .await?;
        if status != 200 {
            return Err(SimError::Setup {
                step: format!("heartbeat of {}", self.kiosk.id),
                status,
                body: body.to_string(),
            });
        }
        Ok(())
    }

    /// A citizen presses the emergency button (a pickpocketing report): sends the CAP alert and answers
    /// the id of the incident the central made of it.
    pub async fn press_emergency(&self) -> Result<String, SimError> {
        let xml = self
            .kiosk
            .alert_xml(KioskAlertKind::Pickpocketing, OffsetDateTime::now_utc())
            .ok_or_else(|| SimError::Setup {
                step: "building the CAP alert".into(),
                status: 0,
                body: String::new(),
            })?;
        let path = format!("/v1/kiosks/{}/alerts", self.kiosk.id);
        let (status, body) = self
            .kiosk
            .api
            .send(reqwest::Method::POST, &path, Some(("application/xml", xml)))
            .await?;
        if !(200..300).contains(&status) {
            return Err(SimError::Setup {
                step: format!("alert of {}", self.kiosk.id),
                status,
                body: body.to_string(),
            });
        }
        Ok(body["incidentId"].as_str().unwrap_or_default().to_owned())
    }
}

/// The operators the simulator works as in one Polda.
struct Desk {
    op1: Api,
    op2: Api,
    op1_name: String,
    op2_name: String,
}

/// A running simulation.
struct Sim {
    config: Config,
    /// The simulated clock at the live run's first instant.
    start: OffsetDateTime,
    anonymous: Api,
    admin: Api,
    desks: BTreeMap<PoldaId, Desk>,
    /// The 110 app's account per Polda.
    apps: BTreeMap<PoldaId, Api>,
    /// The app's citizens whose requests are still open: (Polda, citizen, request id, last status seen).
    followed: Vec<(PoldaId, String, String, String)>,
    kiosks: Vec<Kiosk>,
    progress: Progress,
    /// The 110 app's national account that asks for and answers video calls (when `config.video`).
    video_app: Option<Api>,
    /// App reports of the live run (not the back-fill).
    live_app_reports: u64,
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

fn local_hour(at: OffsetDateTime, polda: PoldaId) -> u8 {
    at.to_offset(TimeZone::for_province(polda.home_province()).utc_offset())
        .hour()
}

impl Sim {
    fn sim_time(&self, real: Duration) -> OffsetDateTime {
        self.start + time::Duration::seconds_f64(real.as_secs_f64() * self.config.speed)
    }

    async fn desk(&mut self, polda: PoldaId) -> Result<&Desk, SimError> {
        if !self.desks.contains_key(&polda) {
            let mut apis = Vec::new();
            for role in ["operator1", "operator2"] {
                let username = format!("sim-{role}-{}", polda.code().replace('_', "-"));
                let password = format!("{}/siaga-sim/{role}/{}", self.config.admin_password, polda.code());
                let request =
                    json!({"username": username, "password": password, "role": role, "polda": polda.code()});
                let (status, body) = self.admin.post("/v1/users", &request).await?;
                if status != 201 && status != 409 {
                    return Err(SimError::Setup {
                        step: format!("creating {username}"),
                        status,
                        body: body.to_string(),
                    });
                }
                apis.push((self.anonymous.login(&username, &password).await?, username));
            }
            let (op2, op2_name) = apis.pop().expect("two accounts");
            let (op1, op1_name) = apis.pop().expect("two accounts");
            self.desks.insert(
                polda,
                Desk {
                    op1,
                    op2,
                    op1_name,
                    op2_name,
                },
            );
        }
        Ok(&self.desks[&polda])
    }

    async fn app(&mut self, polda: PoldaId) -> Result<Api, SimError> {
        if let Some(api) = self.apps.get(&polda) {
            return Ok(api.clone());
        }
        let username = format!("sim-app-{}", polda.code().replace('_', "-"));
        let password = format!("{}/siaga-sim/app/{}", self.config.admin_password, polda.code());
        let request =
            json!({"username": username, "password": password, "role": "app", "polda": polda.code()});
        let (status, body) = self.admin.post("/v1/users", &request).await?;
        if status != 201 && status != 409 {
            return Err(SimError::Setup {
                step: format!("creating {username}"),
                status,
                body: body.to_string(),
            });
        }
        let api = self.anonymous.login(&username, &password).await?;
        self.apps.insert(polda, api.clone());
        Ok(api)
    }

    /// The 110 app's national account, which hears every Polda's video calls.
    #[cfg(feature = "video")]
    async fn video_app(&mut self) -> Result<Api, SimError> {
        let username = "sim-app-national";
        let password = format!("{}/siaga-sim/app/national", self.config.admin_password);
        let request = json!({"username": username, "password": password, "role": "app"});
        let (status, body) = self.admin.post("/v1/users", &request).await?;
        if status != 201 && status != 409 {
            return Err(SimError::Setup {
                step: format!("creating {username}"),
                status,
                body: body.to_string(),
            });
        }
        self.anonymous.login(username, &password).await
    }

    /// Maybe a citizen's request through the 110 app, at a report's moment.
    async fn citizen_request(&mut self, rng: &mut Rng) -> Result<(), SimError> {
        if !rng.chance(self.config.service_share) {
            return Ok(());
        }
        let polda = model::pick_polda(rng);
        // The central dates requests by its own clock: the citizen's "today" is the real one.
        let today = OffsetDateTime::now_utc()
            .to_offset(TimeZone::for_province(polda.home_province()).utc_offset())
            .date();
        let citizen = format!("sim-{:06}", rng.below(1_000_000));
        let Some(body) = citizen::request(rng, polda, today, &citizen) else {
            return Ok(());
        };
        let app = self.app(polda).await?;
        let (status, _) = app.post("/v1/services/requests", &body).await?;
        if (200..300).contains(&status) {
            self.progress.service_requests += 1;
            let id = body["request"]["id"].as_str().unwrap_or_default().to_owned();
            // The app follows a bounded number of open requests (the oldest are dropped first).
            if self.followed.len() >= 500 {
                self.followed.remove(0);
            }
            self.followed.push((polda, citizen, id, "submitted".into()));
        } else {
            self.progress.refused += 1;
        }
        Ok(())
    }

    /// The app shows its citizens what changed: each followed request's status, and an issued letter
    /// downloaded once. Finished requests are no longer followed.
    async fn follow_citizens(&mut self) -> Result<(), SimError> {
        let mut still_open = Vec::new();
        for (polda, citizen, id, seen) in std::mem::take(&mut self.followed) {
            let app = self.app(polda).await?;
            let path = format!("/v1/services/requests?citizen={citizen}");
            let (status, list) = app.send(reqwest::Method::GET, &path, None).await?;
            if status != 200 {
                self.progress.refused += 1;
                continue;
            }
            let now = list["requests"]
                .as_array()
                .and_then(|all| all.iter().find(|r| r["request"]["id"] == id.as_str()))
                .and_then(|r| r["status"].as_str())
                .unwrap_or("submitted")
                .to_owned();
            if now != seen {
                self.progress.service_updates += 1;
            }
            if now == "issued" {
                let (code, _) = app
                    .send(
                        reqwest::Method::GET,
                        &format!("/v1/services/requests/{id}/letter"),
                        None,
                    )
                    .await?;
                if code == 200 {
                    self.progress.letters += 1;
                } else {
                    self.progress.refused += 1;
                }
                continue;
            }
            if matches!(now.as_str(), "submitted" | "in_review" | "validated" | "approved") {
                still_open.push((polda, citizen, id, now));
            }
        }
        self.followed.extend(still_open);
        Ok(())
    }

    async fn register_kiosks(&mut self) -> Result<(), SimError> {
        let limit = self.config.kiosks.unwrap_or(usize::MAX);
        for station in stations().iter().take(limit) {
            let id = format!("sim{}-{}", self.config.run_tag, station.id);
            let id = id[..id.len().min(64)].to_owned();
            let Some(kiosk) = register_kiosk(&self.admin, &self.anonymous, id, station).await? else {
                continue;
            };
            self.kiosks.push(kiosk);
            self.progress.kiosks += 1;
        }
        Ok(())
    }

    async fn append(&mut self, api: &Api, envelope: Value) -> Result<(), SimError> {
        let (status, _) = api.post("/v1/events", &envelope).await?;
        if (200..300).contains(&status) {
            self.progress.events += 1;
        } else {
            self.progress.refused += 1;
        }
        Ok(())
    }

    /// One report: a phone call (maybe prank or empty, maybe through a legacy number) or an app report.
    async fn report(&mut self, rng: &mut Rng, at: OffsetDateTime) -> Result<(), SimError> {
        let polda = model::pick_polda(rng);
        let hour = local_hour(at, polda);
        let app = rng.chance(self.config.app_share);
        let prank = !app && rng.chance(self.config.prank_share);
        let legacy = !app && rng.chance(self.config.legacy_share);
        let category = model::pick_category(rng, hour);
        let (point, regency) = model::point_near(rng, polda);
        // A regency needs its province beside it (region codes must nest).
        let location = json!({"point": {"lat": point.lat(), "lon": point.lon()},
                              "province": regency.map(|r| r.province()), "regency": regency});
        let nik = model::synthetic_nik(rng, polda.home_province());
        let caller_number = format!("08{:010}", rng.below(10_000_000_000));
        let close_as = if rng.chance(0.7) { "prank" } else { "empty" };
        let forward = rng.chance(0.6);
        let polres: Vec<_> = polres_list().into_iter().filter(|p| p.polda == polda).collect();
        let polres = (!polres.is_empty()).then(|| polres[rng.below(polres.len() as u64) as usize].id);

        let desk = self.desk(polda).await?;
        let (op1, op2, op1_name, op2_name) = (
            desk.op1.clone(),
            desk.op2.clone(),
            desk.op1_name.clone(),
            desk.op2_name.clone(),
        );
        let polda_json = serde_json::to_value(polda).unwrap_or(Value::Null);
        let incident = Uuid::now_v7().to_string();
        let envelope = |actor: &str, role: &str, change: Value| {
            let id = Uuid::now_v7().to_string();
            json!({"eventId": id, "incidentId": incident, "polda": polda_json,
                   "event": {"id": id, "incidentId": incident, "at": rfc3339(at), "actor": {"id": actor, "role": role}, "change": change}})
        };
        self.progress.reports += 1;
        *self.progress.reports_by_polda.entry(polda).or_default() += 1;
        let received = if app {
            self.progress.app += 1;
            json!({"type": "received", "channel": {"kind": "app110"}, "polda": polda_json,
                   "description": format!("Laporan aplikasi 110 — {}", category.label(Language::Id)),
                   "reporter": {"name": "Pelapor Simulasi", "nik": nik},
                   "location": location,
                   "proposedCategory": category})
        } else {
            let dialed = if legacy { "112" } else { "110" };
            if legacy {
                self.progress.legacy += 1;
            }
            let call = json!({"callId": Uuid::now_v7().to_string(), "dialed": dialed, "polda": polda.code(), "incidentId": incident});
            let (status, _) = op1.post("/v1/calls", &call).await?;
            if status >= 300 {
                self.progress.refused += 1;
            }
            let channel = if legacy {
                json!({"kind": "legacy_number", "dialed": dialed})
            } else {
                json!({"kind": "call110"})
            };
            json!({"type": "received", "channel": channel, "polda": polda_json, "callerNumber": caller_number,
                   "description": if prank { "(panggilan tanpa laporan)".to_owned() } else { format!("Penelepon melaporkan: {}", category.label(Language::Id)) },
                   "location": if prank { json!({}) } else { location }})
        };
        self.append(&op1, envelope(&op1_name, "operator1", received))
            .await?;
        // The first app report of the live run and every tenth after it, the reporter asks for a video call.
        if app && at >= self.start {
            self.live_app_reports += 1;
        }
        if app && at >= self.start && self.live_app_reports % VIDEO_REQUEST_EVERY == 1 {
            if let Some(video_app) = &self.video_app {
                let path = format!("/v1/incidents/{incident}/video-call-requests");
                let (status, _) = video_app.post(&path, &json!({})).await?;
                if status == 201 {
                    self.progress.video_requests += 1;
                }
            }
        }
        if !prank {
            *self.progress.located_by_polda.entry(polda).or_default() += 1;
        }
        if prank {
            self.progress.prank += 1;
            let close = json!({"type": "closed", "reason": {"kind": close_as}, "summary": ""});
            return self.append(&op1, envelope(&op1_name, "operator1", close)).await;
        }
        self.append(
            &op1,
            envelope(
                &op1_name,
                "operator1",
                json!({"type": "classified", "category": category}),
            ),
        )
        .await?;
        if let (true, Some(polres)) = (forward, polres) {
            let change = json!({"type": "forwarded", "polda": polda_json, "polres": polres});
            self.append(&op2, envelope(&op2_name, "operator2", change))
                .await?;
        }
        Ok(())
    }

    async fn heartbeats(&mut self, rng: &mut Rng) -> Result<(), SimError> {
        for index in 0..self.kiosks.len() {
            let status = ["ok", "degraded", "fault"][rng.weighted(&[96.0, 3.0, 1.0])];
            let battery = 40 + rng.below(61);
            let kiosk = &self.kiosks[index];
            let path = format!("/v1/kiosks/{}/heartbeat", kiosk.id);
            let (code, _) = kiosk
                .api
                .post(&path, &json!({"status": status, "batteryPct": battery}))
                .await?;
            if code == 200 {
                self.progress.heartbeats += 1;
            } else {
                self.progress.refused += 1;
            }
        }
        Ok(())
    }

    /// Kiosk alerts for `minutes` simulated minutes ending at `at`.
    async fn kiosk_alerts(
        &mut self,
        rng: &mut Rng,
        at: OffsetDateTime,
        minutes: f64,
    ) -> Result<(), SimError> {
        for index in 0..self.kiosks.len() {
            let kiosk = &self.kiosks[index];
            let polda =
                siaga_domain::polda::polda_for_regency(kiosk.station.regency).unwrap_or(PoldaId::MetroJaya);
            let p = 1.0 - (1.0 - model::kiosk_alert_chance(local_hour(at, polda))).powf(minutes);
            if !rng.chance(p) {
                continue;
            }
            let kind = KioskAlertKind::pick(rng);
            let Some(xml) = kiosk.alert_xml(kind, at) else {
                continue;
            };
            let path = format!("/v1/kiosks/{}/alerts", kiosk.id);
            let (code, _) = kiosk
                .api
                .send(reqwest::Method::POST, &path, Some(("application/xml", xml)))
                .await?;
            if (200..300).contains(&code) {
                self.progress.alerts += 1;
            } else {
                self.progress.refused += 1;
            }
        }
        Ok(())
    }
}

/// Whether a run bounded to `max` reports may make another after `made`.
fn may_report(made: u64, max: Option<u64>) -> bool {
    max.is_none_or(|max| made < max)
}

/// Runs the simulation; `progress` is called about every two seconds and at the end.
pub async fn run(
    config: Config,
    mut progress: impl FnMut(&Progress, Duration),
) -> Result<Progress, SimError> {
    let anonymous = Api {
        base: config.server.clone(),
        http: siaga_tls::client(),
        token: None,
    };
    let admin = anonymous
        .login(&config.admin_user, &config.admin_password)
        .await?;
    let start = config.start.unwrap_or_else(OffsetDateTime::now_utc);
    let mut sim = Sim {
        config,
        start,
        anonymous,
        admin,
        desks: BTreeMap::new(),
        apps: BTreeMap::new(),
        followed: Vec::new(),
        kiosks: Vec::new(),
        progress: Progress::default(),
        video_app: None,
        live_app_reports: 0,
    };
    sim.register_kiosks().await?;
    #[cfg(feature = "video")]
    let counters = std::sync::Arc::new(video::VideoCounters::default());
    let (stop_video, video_stopped) = tokio::sync::watch::channel(false);
    #[cfg(feature = "video")]
    if sim.config.video {
        let app = sim.video_app().await?;
        sim.video_app = Some(app.clone());
        tokio::spawn(video::answer_calls(
            app,
            sim.config.video_loss,
            counters.clone(),
            video_stopped,
        ));
    }
    #[cfg(not(feature = "video"))]
    drop(video_stopped);
    let video_progress = |progress: &mut Progress| {
        #[cfg(feature = "video")]
        {
            progress.video_calls = counters.answered.load(std::sync::atomic::Ordering::Relaxed);
            progress.video_frames = counters.frames.load(std::sync::atomic::Ordering::Relaxed);
        }
        #[cfg(not(feature = "video"))]
        let _ = progress;
    };
    let mut calls = Rng::new(sim.config.seed);
    let mut kiosk_rng = Rng::new(sim.config.seed.wrapping_mul(31).wrapping_add(7));
    let mut citizens = Rng::new(sim.config.seed ^ 0x5e1f_ca11);
    // The schedule: next call (thinned Poisson at the peak rate), next heartbeat round, next kiosk check.
    let peak = 1.5;
    let mean_gap = 1.0 / (sim.config.rate * peak).max(1e-6);
    let max_reports = sim.config.max_reports;
    let more_reports = move |progress: &Progress| may_report(progress.reports, max_reports);
    // The hours before the start, back-filled at once: the same process in simulated seconds.
    if !sim.config.history.is_zero() {
        let history_gap = mean_gap * sim.config.speed;
        let mut at = sim.start - time::Duration::seconds_f64(sim.config.history.as_secs_f64());
        // The kiosks stay alive meanwhile (heartbeats on the wall clock, from their own random source so
        // the live run's kiosks do not depend on how long the back-fill took).
        let mut beats = Rng::new(sim.config.seed ^ 0x5eed_beef);
        let mut last_beat: Option<Instant> = None;
        loop {
            if last_beat.is_none_or(|t| t.elapsed() >= sim.config.heartbeat_every) {
                sim.heartbeats(&mut beats).await?;
                last_beat = Some(Instant::now());
            }
            at += time::Duration::seconds_f64(calls.exponential(history_gap));
            if at >= sim.start || !more_reports(&sim.progress) {
                break;
            }
            if calls.chance(model::call_intensity(local_hour(at, PoldaId::MetroJaya)) / peak) {
                sim.report(&mut calls, at).await?;
                sim.citizen_request(&mut citizens).await?;
            }
        }
        progress(&sim.progress, Duration::ZERO);
    }
    if sim.config.start.is_none() {
        // Real time: the live run begins now, however long the setup and the back-fill took.
        sim.start = OffsetDateTime::now_utc();
    }
    let kiosk_step = Duration::from_secs(1);
    let mut next_call = Duration::from_secs_f64(calls.exponential(mean_gap));
    let mut next_heartbeat = Duration::ZERO;
    let mut next_kiosk = kiosk_step;
    let mut next_progress = Duration::from_secs(2);
    let mut next_follow = Duration::from_secs(15);
    let started = Instant::now();
    loop {
        let due = next_call.min(next_heartbeat).min(next_kiosk);
        if due >= sim.config.duration {
            break;
        }
        let elapsed = started.elapsed();
        if due > elapsed {
            tokio::time::sleep(due - elapsed).await;
        }
        let at = sim.sim_time(due);
        if due == next_heartbeat {
            sim.heartbeats(&mut kiosk_rng).await?;
            next_heartbeat += sim.config.heartbeat_every;
        } else if due == next_kiosk {
            let minutes = kiosk_step.as_secs_f64() * sim.config.speed / 60.0;
            sim.kiosk_alerts(&mut kiosk_rng, at, minutes).await?;
            next_kiosk += kiosk_step;
        } else if more_reports(&sim.progress) {
            let hour = local_hour(at, PoldaId::MetroJaya);
            if calls.chance(model::call_intensity(hour) / peak) {
                sim.report(&mut calls, at).await?;
                sim.citizen_request(&mut citizens).await?;
            }
            next_call += Duration::from_secs_f64(calls.exponential(mean_gap));
        } else {
            // The reports are all made: only heartbeats and kiosks from here on.
            next_call = Duration::MAX;
        }
        if started.elapsed() >= next_follow {
            sim.follow_citizens().await?;
            next_follow += Duration::from_secs(15);
        }
        if started.elapsed() >= next_progress {
            video_progress(&mut sim.progress);
            progress(&sim.progress, started.elapsed());
            next_progress += Duration::from_secs(2);
        }
    }
    let _ = stop_video.send(true);
    video_progress(&mut sim.progress);
    progress(&sim.progress, started.elapsed());
    Ok(sim.progress)
}
