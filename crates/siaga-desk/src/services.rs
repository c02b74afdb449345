//! The Layanan Warga page's use cases: the citizen requests of the desk's Polda, followed from the central
//! by change time into the store (so the queue reads offline), and the officer's actions, which need the
//! central (it numbers and signs letters). An action is checked first against the domain's state machine
//! for the officer's role, so a refusal reads in the officer's language before anything is sent.

use crate::{Desk, DeskError};
use siaga_api::services::{ServiceActionRequest, ServiceRequestView};
use siaga_domain::service::iso_date::format as iso;
use siaga_domain::service::{RequestAction, ServiceError};
use siaga_domain::{Language, Role};
use siaga_ipc::{
    ServiceActRequest, ServiceLetterInfo, ServiceLetterSaved, ServicePhotoInfo, ServiceRequestInfo,
    ServiceStepInfo, ServicesInfo,
};
use siaga_store::Store;
use siaga_sync::{CentralClient, ClientError};

/// Requests fetched per page while following the central.
const PAGE: u32 = 200;

/// Why a citizen-service use case cannot happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServicesProblem {
    /// Only SPKT officers and supervisors work citizen requests.
    NotAllowed,
    /// The request's flow refuses the action for this role or status.
    Flow(ServiceError),
    /// The central cannot be reached; actions need it.
    Offline,
    /// The central refused: its code and sentence.
    Refused {
        /// The central's code.
        code: String,
        /// Its sentence (English).
        message: String,
    },
    /// The signing officer's details are not usable (the sentence in the operator's language).
    Officer(String),
    /// The request is not on this desk.
    NotHeld,
    /// The letter could not be written into the desk's exports folder.
    LetterWrite,
}

impl std::fmt::Display for ServicesProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message(Language::En))
    }
}

impl ServicesProblem {
    /// A stable code.
    pub fn code(&self) -> &'static str {
        match self {
            ServicesProblem::NotAllowed => "services_not_allowed",
            ServicesProblem::Flow(err) => err.code(),
            ServicesProblem::Offline => "central_unreachable",
            ServicesProblem::Refused { .. } => "central_refused",
            ServicesProblem::Officer(_) => "invalid_officer",
            ServicesProblem::NotHeld => "not_found",
            ServicesProblem::LetterWrite => "export_write",
        }
    }

    /// What to tell the officer.
    pub fn message(&self, language: Language) -> String {
        let id = language == Language::Id;
        match self {
            ServicesProblem::NotAllowed if id => {
                "Layanan warga dikerjakan oleh petugas SPKT dan supervisor.".into()
            }
            ServicesProblem::NotAllowed => "Citizen services are worked by SPKT officers and supervisors.".into(),
            ServicesProblem::Flow(err) => err.reason(language),
            ServicesProblem::Offline if id => {
                "Pusat 110 tidak dapat dihubungi: tindakan layanan warga (dan penomoran serta tanda tangan surat) \
                 memerlukan sambungan ke pusat. Antrean tetap dapat dibaca."
                    .into()
            }
            ServicesProblem::Offline => {
                "The 110 central cannot be reached: citizen-service actions (and numbering and signing letters) \
                 need it. The queue can still be read."
                    .into()
            }
            ServicesProblem::Refused { code, message } => match (code.as_str(), id) {
                ("stale_version", true) => {
                    "Permohonan ini sudah diubah petugas lain; tampilan diperbarui, periksa lalu ulangi.".into()
                }
                ("stale_version", false) => {
                    "Another officer changed this request; the view is refreshed, check it and try again.".into()
                }
                (_, true) => format!("Pusat 110 menolak: {message}"),
                (_, false) => format!("The 110 central refused: {message}"),
            },
            ServicesProblem::Officer(sentence) => sentence.clone(),
            ServicesProblem::NotHeld if id => "Permohonan ini tidak ada di meja ini.".into(),
            ServicesProblem::NotHeld => "This request is not on this desk.".into(),
            ServicesProblem::LetterWrite if id => "Surat tidak dapat disimpan di folder ekspor meja ini.".into(),
            ServicesProblem::LetterWrite => "The letter could not be saved in this desk's exports folder.".into(),
        }
    }
}

fn problem(err: ClientError) -> DeskError {
    match err {
        err if err.is_transient() => DeskError::Services(ServicesProblem::Offline),
        ClientError::Refused { body, .. } => DeskError::Services(ServicesProblem::Refused {
            code: body.error,
            message: body.message,
        }),
        other => DeskError::Central(other),
    }
}

/// The page's form of a request the central showed.
pub fn info(view: ServiceRequestView) -> ServiceRequestInfo {
    let birth_date_mismatch = view.request.applicant.birth_date != view.nik_check.birth_date;
    ServiceRequestInfo {
        kind: view.kind,
        status: view.status,
        polres_name: view.polres_name,
        has_photo: view.has_photo,
        nik_region: view.nik_check.region,
        nik_birth_date: iso(view.nik_check.birth_date),
        nik_age: view.nik_check.age,
        nik_sex: view.nik_check.sex,
        birth_date_mismatch,
        flags: view.flags,
        submitted_at_ms: view.submitted_at_ms,
        updated_at_ms: view.updated_at_ms,
        version: view.version,
        history: view
            .history
            .into_iter()
            .map(|step| ServiceStepInfo {
                action: step.action,
                status: step.status,
                actor: step.actor,
                role: step.role,
                reason: step.reason,
                note: step.note,
                at_ms: step.at_ms,
            })
            .collect(),
        letter: view.letter.map(|letter| ServiceLetterInfo {
            number: letter.number,
            issued_on: iso(letter.issued_on),
            valid_until: letter.valid_until.map(iso),
            verify_url: letter.verify_url,
            revoked: letter.revoked_at_ms.is_some(),
        }),
        request: view.request,
    }
}

/// Follows the central's changes to citizen requests into `store`, a page at a time from the stored
/// cursor (what the Layanan Warga page shows, and what the session follows in the background).
pub(crate) async fn follow_into(store: &Store, client: &CentralClient) -> Result<(), ClientError> {
    loop {
        let cursor = store.services_cursor().await.unwrap_or(0);
        let page = client.service_requests(cursor, PAGE).await?;
        let newest = page.requests.iter().map(|r| r.updated_at_ms).max();
        let full = page.requests.len() as u32 >= PAGE;
        if store.put_service_requests(&page.requests).await.is_err() {
            return Ok(());
        }
        if let Some(newest) = newest {
            let _ = store.set_services_cursor(newest).await;
        }
        if !full {
            return Ok(());
        }
    }
}

impl Desk {
    fn service_role(&self) -> Result<Role, DeskError> {
        let session = self.session().ok_or(DeskError::NotSignedIn)?;
        match Role::parse_principal(&session.role) {
            Some(role @ (Role::SpktOfficer | Role::Supervisor)) => Ok(role),
            _ => Err(DeskError::Services(ServicesProblem::NotAllowed)),
        }
    }

    /// Follows the central's changes to citizen requests into the store.
    async fn follow_services(&self) -> Result<(), ClientError> {
        follow_into(&self.store, &self.client).await
    }

    /// The Layanan Warga queue: refreshed from the central when it answers, else what the store holds.
    pub async fn services(&self, language: Language) -> Result<ServicesInfo, DeskError> {
        self.service_role()?;
        let offline_reason = match self.follow_services().await {
            Ok(()) => None,
            Err(err) => Some(problem(err).message(language)),
        };
        let requests = self
            .store
            .service_requests()
            .await?
            .into_iter()
            .map(info)
            .collect();
        Ok(ServicesInfo {
            requests,
            offline_reason,
        })
    }

    /// An officer's action on a request, checked by the domain for the officer's role, then taken at the
    /// central; the answer is stored.
    pub async fn service_act(&self, request: &ServiceActRequest) -> Result<ServiceRequestInfo, DeskError> {
        let role = self.service_role()?;
        let held = self
            .store
            .service_request(&request.id)
            .await?
            .ok_or(DeskError::Services(ServicesProblem::NotHeld))?;
        held.status
            .apply(request.action, role, held.kind, request.reason.is_some())
            .map_err(|err| DeskError::Services(ServicesProblem::Flow(err)))?;
        if request.action == RequestAction::Issue {
            let officer = request.officer.as_ref().ok_or_else(|| {
                DeskError::Services(ServicesProblem::Officer(
                    if request.language == Language::Id {
                        "Isi nama, pangkat dan NRP petugas yang menandatangani."
                    } else {
                        "Fill in the signing officer's name, rank and NRP."
                    }
                    .into(),
                ))
            })?;
            if let Some(sentence) = officer.problem(request.language) {
                return Err(DeskError::Services(ServicesProblem::Officer(sentence)));
            }
        }
        let body = ServiceActionRequest {
            action: request.action,
            reason: request.reason,
            note: request.note.clone().filter(|note| !note.trim().is_empty()),
            officer: request.officer.clone(),
            expected_version: Some(request.expected_version),
        };
        match self.client.service_act(&request.id, &body).await {
            Ok(view) => {
                self.store
                    .put_service_requests(std::slice::from_ref(&view))
                    .await?;
                Ok(info(view))
            }
            Err(err) => {
                // A stale view: refresh it so the officer sees what changed.
                let _ = self.follow_services().await;
                Err(problem(err))
            }
        }
    }

    /// The request's photo as a `data:` URL (online only; the central records the view).
    pub async fn service_photo(&self, id: &str) -> Result<ServicePhotoInfo, DeskError> {
        use base64::Engine as _;
        self.service_role()?;
        let session = self.session().ok_or(DeskError::NotSignedIn)?;
        let bytes = self.client.service_file(id, "photo").await.map_err(problem)?;
        self.audit(&session, "document_view", id, "photo").await?;
        Ok(ServicePhotoInfo {
            data_url: format!(
                "data:image/jpeg;base64,{}",
                base64::engine::general_purpose::STANDARD.encode(bytes)
            ),
        })
    }

    /// The applicant's NIK whole, for an officer who must read it (online only: the central and this desk's
    /// own trail record each reveal; every view shows it masked).
    pub async fn service_nik_reveal(&self, id: &str) -> Result<String, DeskError> {
        self.service_role()?;
        let session = self.session().ok_or(DeskError::NotSignedIn)?;
        let revealed = self.client.reveal_nik(id).await.map_err(problem)?;
        self.audit(&session, "nik_reveal", id, "applicant").await?;
        Ok(revealed.nik)
    }

    /// Saves the signed letter under the desk's `exports/surat/` (online only; the central records the
    /// view).
    pub async fn service_letter_save(&self, id: &str) -> Result<ServiceLetterSaved, DeskError> {
        self.service_role()?;
        let session = self.session().ok_or(DeskError::NotSignedIn)?;
        let held = self
            .store
            .service_request(id)
            .await?
            .ok_or(DeskError::Services(ServicesProblem::NotHeld))?;
        let number = held
            .letter
            .map(|letter| letter.number)
            .ok_or(DeskError::Services(ServicesProblem::NotHeld))?;
        let bytes = self.client.service_file(id, "letter").await.map_err(problem)?;
        let folder = self.exports_dir.join("surat");
        let path = folder.join(format!("{}.pdf", number.replace('/', "-")));
        std::fs::create_dir_all(&folder)
            .and_then(|()| std::fs::write(&path, &bytes))
            .map_err(|_| DeskError::Services(ServicesProblem::LetterWrite))?;
        self.audit(&session, "document_view", id, "letter saved").await?;
        Ok(ServiceLetterSaved {
            path: path.display().to_string(),
        })
    }
}
