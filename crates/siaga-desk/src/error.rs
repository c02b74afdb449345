//! The desk's one error type, with the sentence an operator reads in their language (the desk's error
//! catalogue, decision 0010).

use siaga_domain::Language;
use siaga_store::StoreError;
use siaga_sync::ClientError;
use siaga_tls::Untrusted;

/// A use case that did not happen; nothing was changed when one is returned.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// No operator is signed in.
    #[error("nobody is signed in")]
    NotSignedIn,
    /// The signed-in role may read but not change incidents.
    #[error("this role may not change incidents")]
    ReadOnlyRole,
    /// The central named a role or Polda this desk does not know.
    #[error("unknown role or Polda from the central: {0}")]
    UnknownRole(String),
    /// The central refused or could not be reached (sign-in).
    #[error(transparent)]
    Central(#[from] ClientError),
    /// The local store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The data folder could not be made.
    #[error("the desk's data folder: {0}")]
    DataDir(String),
    /// The store is encrypted and this machine holds no key for it (copied from another machine, or the
    /// keyring entry was removed). The file is left as it is.
    #[error("the desk's store is encrypted and its key is not on this machine")]
    StoreKeyMissing,
    /// The store's key could not be made, read or kept.
    #[error("the desk's store key: {0}")]
    StoreKey(String),
    /// A position outside the earth's coordinates (latitude −90…90, longitude −180…180).
    #[error("the location's coordinates are not valid")]
    BadCoordinates,
    /// A report without a place, or with region codes that do not exist or do not nest.
    #[error("no place, or region codes that do not fit together")]
    BadPlace,
    /// A caller number that is not a phone number.
    #[error("the caller number is not a phone number")]
    BadCallerNumber,
    /// A new report's priority below its category's default.
    #[error("the priority is below the category's default")]
    PriorityBelowDefault,
    /// A setting only a supervisor may change.
    #[error("only a supervisor may change this setting")]
    SupervisorOnly,
    /// Overdue thresholds out of bounds or out of order (the setting is unchanged).
    #[error("overdue thresholds: {0}")]
    BadThresholds(siaga_domain::queue::ThresholdError),
    /// A number dialed that no switch could have forwarded to 110.
    #[error("the number dialed is not a phone number")]
    BadDialedNumber,
    /// A reporter name that is too long or holds control characters.
    #[error("the reporter's name is too long or not text")]
    BadReporterName,
    /// A reporter NIK that is not valid.
    #[error("the reporter's NIK: {0}")]
    BadNik(siaga_domain::NikError),
    /// The incident is not in the desk's store.
    #[error("no such incident on this desk")]
    NotFound,
    /// A street map file that cannot be used (the setting is unchanged).
    #[error("the street map {}: {error}", path.display())]
    Streets {
        path: std::path::PathBuf,
        error: crate::streets::StreetsError,
    },
    /// A lock was poisoned by a panic elsewhere.
    #[error("analytics: {0}")]
    Analytics(AnalyticsProblem),
    /// A citizen-service action that cannot happen.
    #[error("citizen services: {0}")]
    Services(crate::services::ServicesProblem),

    #[error("the video call: {0}")]
    Video(String),

    /// The central refused to start or join a video call; its error code (`not_found`: no such call or incident
    /// in this Polda, `call_open`, `call_state`, `incident_closed`, `forbidden`, `bad_sdp`, …).
    #[error("the central refused the video call: {0}")]
    CallRefused(String),

    /// A picture that cannot be kept as evidence (decision 0022).
    #[error("evidence: {0}")]
    Evidence(siaga_domain::evidence::EvidenceProblem),

    /// An evidence picture asked for by a role that may not see personal data (it shows the reporter).
    #[error("this role may not see evidence pictures")]
    EvidenceHidden,

    /// The central does not hold an evidence picture yet (the desk that kept it has not uploaded it).
    #[error("the evidence picture is not at the central yet")]
    EvidenceNotUploaded,

    /// No update is offered (or none downloaded) to act on.
    #[error("no update is offered")]
    NoUpdate,

    /// A release or its package was refused (decision 0021).
    #[error(transparent)]
    Update(siaga_update::UpdateError),

    #[error("internal state poisoned")]
    Poisoned,
}

impl DeskError {
    /// A stable code for the UI's logic.
    pub fn code(&self) -> &'static str {
        match self {
            DeskError::NotSignedIn => "not_signed_in",
            DeskError::ReadOnlyRole => "read_only_role",
            DeskError::UnknownRole(_) => "unknown_role",
            DeskError::Central(ClientError::Unauthorized { .. }) => "bad_credentials",
            DeskError::Central(ClientError::Untrusted(_)) => "central_untrusted",
            DeskError::Central(e) if e.is_transient() => "central_unreachable",
            DeskError::Central(_) => "central_refused",
            DeskError::Store(StoreError::Refused(e)) => e.code(),
            DeskError::Evidence(problem) | DeskError::Store(StoreError::Evidence(problem)) => problem.code(),
            DeskError::EvidenceNotUploaded => "evidence_not_uploaded",
            DeskError::EvidenceHidden => "personal_data_hidden",
            DeskError::StoreKeyMissing | DeskError::Store(StoreError::Locked) => "store_locked",
            DeskError::Store(_) => "store_failed",
            DeskError::DataDir(_) => "data_dir",
            DeskError::StoreKey(_) => "store_key",
            DeskError::NotFound => "not_found",
            DeskError::BadCoordinates => "bad_location",
            DeskError::BadPlace => "bad_place",
            DeskError::BadCallerNumber => "bad_caller_number",
            DeskError::BadReporterName => "bad_reporter_name",
            DeskError::BadDialedNumber => "bad_dialed_number",
            DeskError::SupervisorOnly => "supervisor_only",
            DeskError::PriorityBelowDefault => "priority_below_default",
            DeskError::BadThresholds(_) => "bad_thresholds",
            DeskError::BadNik(error) => error.code(),
            DeskError::Streets { error, .. } => error.code(),
            DeskError::Analytics(AnalyticsProblem::Cancelled) => "cancelled",
            DeskError::Analytics(_) => "bad_analytics_request",
            DeskError::Services(problem) => problem.code(),
            DeskError::Video(_) => "video_call",
            DeskError::CallRefused(_) => "call_refused",
            DeskError::NoUpdate => "no_update",
            DeskError::Update(refusal) => refusal.code(),
            DeskError::Poisoned => "internal",
        }
    }

    /// What to tell the operator, in their language.
    pub fn message(&self, language: Language) -> String {
        let id = language == Language::Id;
        match self {
            DeskError::Store(StoreError::Refused(e)) => e.reason(language),
            DeskError::Evidence(problem) | DeskError::Store(StoreError::Evidence(problem)) => problem.message(language),
            DeskError::EvidenceHidden if id => {
                "Gambar bukti memperlihatkan pelapor: peran Anda tidak dapat melihatnya.".into()
            }
            DeskError::EvidenceHidden => "The evidence picture shows the reporter: your role cannot see it.".into(),
            DeskError::EvidenceNotUploaded if id => {
                "Gambar bukti belum sampai di pusat 110: meja yang mengambilnya belum mengunggahnya (mungkin sedang \
                 luring). Coba lagi nanti."
                    .into()
            }
            DeskError::EvidenceNotUploaded => {
                "The evidence picture has not reached the 110 central yet: the desk that took it has not uploaded it \
                 (it may be offline). Try again later."
                    .into()
            }
            DeskError::Streets { path, error } => error.message(path, language),
            DeskError::StoreKeyMissing | DeskError::Store(StoreError::Locked) if id => {
                "Basis data desk ini terenkripsi dan kuncinya tidak ada di komputer ini (disalin dari komputer \
                 lain, atau kunci di keyring terhapus). Berkasnya tidak diubah. Hubungi admin Polda."
                    .into()
            }
            DeskError::StoreKeyMissing | DeskError::Store(StoreError::Locked) => {
                "This desk's store is encrypted and its key is not on this computer (copied from another \
                 computer, or the key in the keyring was removed). The file was not changed. Call the Polda's admin."
                    .into()
            }
            DeskError::StoreKey(reason) if id => format!("Kunci basis data desk tidak dapat dibuat atau dibaca: {reason}"),
            DeskError::StoreKey(reason) => format!("The desk store's key cannot be made or read: {reason}"),
            DeskError::NotSignedIn if id => "Silakan masuk terlebih dahulu.".into(),
            DeskError::NotSignedIn => "Please sign in first.".into(),
            DeskError::ReadOnlyRole if id => "Peran Anda hanya dapat melihat insiden.".into(),
            DeskError::ReadOnlyRole => "Your role can only view incidents.".into(),
            DeskError::BadCoordinates if id => "Koordinat lokasi tidak valid.".into(),
            DeskError::BadCoordinates => "The location's coordinates are not valid.".into(),
            DeskError::BadPlace if id => {
                "Pilih lokasi dari daftar: stasiun, kelurahan/desa, kecamatan atau kota.".into()
            }
            DeskError::BadPlace => "Choose a place from the list: a station, village, district or city.".into(),
            DeskError::BadCallerNumber if id => {
                "Nomor penelepon tidak valid: tulis angkanya saja, mis. 0812 3456 7890 atau +62 812 3456 7890.".into()
            }
            DeskError::BadCallerNumber => {
                "The caller number is not valid: type its digits, e.g. 0812 3456 7890 or +62 812 3456 7890.".into()
            }
            DeskError::BadReporterName if id => "Nama pelapor paling panjang 100 huruf.".into(),
            DeskError::BadReporterName => "The reporter's name is at most 100 characters.".into(),
            DeskError::BadNik(error) => error.reason(language),
            DeskError::BadDialedNumber => siaga_domain::flow::TransitionError::BadDialedNumber.reason(language),
            DeskError::BadThresholds(error) => error.reason(language),
            DeskError::PriorityBelowDefault if id => {
                "Prioritas tidak boleh lebih rendah daripada bawaan kategorinya; pilih bawaan atau yang lebih mendesak.".into()
            }
            DeskError::PriorityBelowDefault => {
                "The priority may not be lower than its category's default; choose the default or a more urgent one.".into()
            }
            DeskError::SupervisorOnly if id => "Hanya supervisor yang dapat mengubah pengaturan ini.".into(),
            DeskError::SupervisorOnly => "Only a supervisor may change this setting.".into(),
            DeskError::Analytics(problem) => problem.message(language),
            DeskError::Services(problem) => problem.message(language),
            DeskError::CallRefused(code) => call_refusal_message(code, id),
            DeskError::Video(why) if id => format!("Panggilan video tidak dapat dimulai: {why}"),
            DeskError::Video(why) => format!("The video call could not start: {why}"),
            DeskError::NoUpdate if id => "Tidak ada pembaruan yang ditawarkan.".into(),
            DeskError::NoUpdate => "No update is offered.".into(),
            DeskError::Update(refusal) => crate::update::refusal_message(refusal, language),
            DeskError::NotFound if id => "Insiden ini tidak ada di meja ini.".into(),
            DeskError::NotFound => "This incident is not on this desk.".into(),
            DeskError::Central(ClientError::Unauthorized { .. }) if id => {
                "Nama pengguna atau kata sandi salah.".into()
            }
            DeskError::Central(ClientError::Unauthorized { .. }) => "Wrong user name or password.".into(),
            DeskError::Central(ClientError::Untrusted(Untrusted::PinMismatch(mismatch))) if id => format!(
                "Sertifikat di alamat pusat 110 bukan yang disematkan di pengaturan desk ini (server menunjukkan \
                 sidik jari {}). Tidak ada yang dikirim ke sana. Periksa alamat dan sidik jarinya bersama admin Polda.",
                mismatch.presented
            ),
            DeskError::Central(ClientError::Untrusted(Untrusted::PinMismatch(mismatch))) => format!(
                "The certificate at the 110 central's address is not the one pinned in this desk's setup (the server \
                 shows fingerprint {}). Nothing was sent to it. Check the address and the fingerprint with the \
                 Polda's admin.",
                mismatch.presented
            ),
            DeskError::Central(ClientError::Untrusted(Untrusted::NotTrusted(why))) if id => format!(
                "Sertifikat pusat 110 tidak dipercaya komputer ini ({why}). Sematkan sidik jari sertifikatnya di \
                 pengaturan desk."
            ),
            DeskError::Central(ClientError::Untrusted(Untrusted::NotTrusted(why))) => format!(
                "This computer does not trust the 110 central's certificate ({why}). Pin the certificate's \
                 fingerprint in the desk's setup."
            ),
            DeskError::Central(e) if e.is_transient() && id => {
                "Pusat 110 tidak dapat dihubungi. Coba lagi sebentar lagi.".into()
            }
            DeskError::Central(e) if e.is_transient() => {
                "The 110 central cannot be reached. Try again shortly.".into()
            }
            other if id => format!("Terjadi kesalahan: {other}"),
            other => format!("Something went wrong: {other}"),
        }
    }
}

/// What to tell the operator when the central refuses a video call with `code`.
fn call_refusal_message(code: &str, id: bool) -> String {
    let (indonesian, english) = match code {
        "not_found" => (
            "Panggilan atau insiden ini tidak ada di Polda Anda (mungkin milik Polda lain, atau sudah dihapus).",
            "This call or incident is not in your Polda (it may belong to another Polda).",
        ),
        "call_open" => (
            "Insiden ini sudah punya panggilan video yang berjalan; tutup dulu panggilan itu.",
            "This incident already has a video call in progress; end that one first.",
        ),
        "call_state" => (
            "Panggilan ini sudah diambil operator lain atau sudah berakhir.",
            "This call was taken by another operator or has ended.",
        ),
        "incident_closed" => (
            "Insiden sudah ditutup: tidak ada panggilan video untuknya.",
            "The incident is closed: no video call can be made for it.",
        ),
        "forbidden" => (
            "Peran Anda tidak dapat melakukan panggilan video.",
            "Your role cannot make video calls.",
        ),
        _ => (
            "Pusat 110 menolak panggilan video ini.",
            "The 110 central refused this video call.",
        ),
    };
    if id { indonesian } else { english }.to_owned()
}

/// Why the Analitik page's request cannot be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnalyticsProblem {
    /// The period is not 1–366 days.
    Period,
    /// The cell size is not 100–5,000 m.
    CellSize,
    /// The incidents spread over more cells than one analysis holds.
    TooManyCells,
    /// k is not 2–1,000 or the rounding is not hour, day or week.
    ExportRules,
    /// Only analysts and supervisors may export.
    ExportNotAllowed,
    /// The export's folder could not be written.
    ExportWrite,
    /// The analysis was stopped (by the analyst, or by a newer request).
    Cancelled,
}

impl std::fmt::Display for AnalyticsProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Language::En))
    }
}

impl AnalyticsProblem {
    /// What to tell the analyst.
    pub fn message(self, language: Language) -> String {
        let id = language == Language::Id;
        match self {
            AnalyticsProblem::Period if id => "Periode harus antara 1 dan 366 hari.".into(),
            AnalyticsProblem::Period => "The period must be between 1 and 366 days.".into(),
            AnalyticsProblem::CellSize if id => "Ukuran sel harus antara 100 dan 5.000 meter.".into(),
            AnalyticsProblem::CellSize => "The cell size must be between 100 and 5,000 metres.".into(),
            AnalyticsProblem::TooManyCells if id => {
                "Insiden tersebar terlalu luas untuk ukuran sel ini: pilih sel yang lebih besar.".into()
            }
            AnalyticsProblem::TooManyCells => {
                "The incidents spread too widely for this cell size: choose larger cells.".into()
            }
            AnalyticsProblem::ExportRules if id => {
                "k harus 2–1.000 dan pembulatan waktu per jam, hari atau minggu.".into()
            }
            AnalyticsProblem::ExportRules => {
                "k must be 2–1,000 and times rounded to the hour, day or week.".into()
            }
            AnalyticsProblem::ExportNotAllowed if id => {
                "Hanya analis dan supervisor yang boleh mengekspor data riset.".into()
            }
            AnalyticsProblem::ExportNotAllowed => {
                "Only analysts and supervisors may export research data.".into()
            }
            AnalyticsProblem::ExportWrite if id => {
                "Folder ekspor tidak dapat ditulis di folder data meja ini.".into()
            }
            AnalyticsProblem::ExportWrite => {
                "The export folder could not be written in this desk's data folder.".into()
            }
            AnalyticsProblem::Cancelled if id => "Analisis dihentikan.".into(),
            AnalyticsProblem::Cancelled => "The analysis was stopped.".into(),
        }
    }
}
