//! The 110 app's citizens asking for letters: SKCK and report-of-loss requests with synthetic but
//! well-formed data (a NIK whose region, birth date and sex agree with what the citizen states, an
//! Indonesian name and address, a passport photo), submitted by the app's account of the Polda.

use crate::model::Rng;
use base64::Engine as _;
use serde_json::{json, Value};
use siaga_domain::polda::{polres_list, Polres};
use siaga_domain::region;
use siaga_domain::service::iso_date::format as iso;
use siaga_domain::station::stations;
use siaga_domain::PoldaId;
use time::{Date, Month};
use uuid::Uuid;

/// The passport photo every simulated citizen sends (a synthetic 300 × 400 JPEG).
pub const PASFOTO: &[u8] = include_bytes!("../assets/pasfoto.jpg");

/// Given names by the sex the NIK states (a woman's NIK adds 40 to the birth day).
const WOMEN_NAMES: &[&str] = &[
    "Siti", "Dewi", "Rina", "Putri", "Sri", "Ayu", "Nur", "Fitri", "Indah", "Lestari",
];
const MEN_NAMES: &[&str] = &[
    "Budi", "Agus", "Andi", "Hendra", "Joko", "Rizky", "Wahyu", "Yusuf", "Dimas", "Bayu",
];
const LAST_NAMES: &[&str] = &[
    "Rahayu",
    "Santoso",
    "Wijaya",
    "Saputra",
    "Hidayat",
    "Kurniawan",
    "Lestari",
    "Pratama",
    "Nugroho",
    "Siregar",
    "Nasution",
    "Sihombing",
    "Setiawan",
    "Wulandari",
    "Permana",
    "Hasibuan",
    "Manurung",
];
const STREETS: &[&str] = &[
    "Jl. Merdeka",
    "Jl. Sudirman",
    "Jl. Diponegoro",
    "Jl. Gatot Subroto",
    "Jl. Ahmad Yani",
    "Jl. Pemuda",
    "Jl. Veteran",
    "Jl. Pahlawan",
    "Gg. Melati",
    "Jl. Kartini",
];
const EMPLOYERS: &[&str] = &[
    "PT Kereta Api Indonesia",
    "PT Bank Rakyat Indonesia",
    "PT Pertamina",
    "CV Maju Jaya",
    "RSUD setempat",
];

fn pick<'a>(rng: &mut Rng, list: &[&'a str]) -> &'a str {
    list[rng.below(list.len() as u64) as usize]
}

fn date(year: i32, month: u64, day: u64) -> Date {
    let month = Month::try_from(month as u8).unwrap_or(Month::January);
    Date::from_calendar_date(year, month, day as u8).unwrap_or(Date::MIN)
}

/// One citizen's request to a Polres of `polda`, as the app submits it: SKCK (40 %) or report of loss.
/// `today` is the day the request is made; `None` when the Polda has no Polres.
pub fn request(rng: &mut Rng, polda: PoldaId, today: Date, citizen: &str) -> Option<Value> {
    let candidates: Vec<Polres> = polres_list().into_iter().filter(|p| p.polda == polda).collect();
    if candidates.is_empty() {
        return None;
    }
    let polres = &candidates[rng.below(candidates.len() as u64) as usize];
    let districts: Vec<_> = region::districts_of(polres.id.regency()).collect();
    let district = districts.get(rng.below(districts.len().max(1) as u64) as usize)?;
    let regency = region::regency(polres.id.regency())?;
    // 18 to 65 years old, so an SKCK's 17-year floor always holds.
    let birth = date(
        today.year() - 18 - rng.below(48) as i32,
        1 + rng.below(12),
        1 + rng.below(28),
    );
    let female = rng.chance(0.5);
    let day = birth.day() + if female { 40 } else { 0 };
    let nik = format!(
        "{}{day:02}{:02}{:02}{:04}",
        district.code.digits(),
        birth.month() as u8,
        birth.year().rem_euclid(100),
        1 + rng.below(9_999)
    );
    let given = pick(rng, if female { WOMEN_NAMES } else { MEN_NAMES });
    let name = format!("{given} {}", pick(rng, LAST_NAMES));
    let address = format!(
        "{} No. {}, RT {:02}/RW {:02}, Kec. {}, {}",
        pick(rng, STREETS),
        1 + rng.below(200),
        1 + rng.below(12),
        1 + rng.below(9),
        district.name,
        regency.name
    );
    let details = if rng.chance(0.4) {
        let (purpose, note) = match rng.weighted(&[6.0, 2.0, 1.0, 1.0]) {
            0 => ("job_application", Some(pick(rng, EMPLOYERS))),
            1 => ("civil_service", None),
            2 => ("visa", None),
            _ => ("education", None),
        };
        json!({"kind": "skck", "purpose": purpose, "purposeNote": note})
    } else {
        let common = ["ktp", "sim", "stnk", "bank_card", "phone", "wallet"];
        let first = common[rng.below(common.len() as u64) as usize];
        let mut items = vec![first];
        if rng.chance(0.3) {
            let second = if rng.chance(0.15) {
                "bpkb"
            } else {
                common[rng.below(common.len() as u64) as usize]
            };
            if second != first {
                items.push(second);
            }
        }
        let station = stations()
            .iter()
            .filter(|s| siaga_domain::polda::polda_for_regency(s.regency) == Some(polda))
            .map(|s| s.name)
            .next();
        let place = match station {
            Some(name) if rng.chance(0.5) => format!("Stasiun {name}"),
            _ => format!("Pasar dan sekitarnya, Kec. {}", district.name),
        };
        let lost_on = today - time::Duration::days(rng.below(4) as i64);
        json!({"kind": "loss_report", "items": items, "place": place, "lostOn": iso(lost_on),
               "chronology": format!("Sekitar pukul {:02}.{:02} saya menyadari barang tersebut sudah tidak ada. \
                                      Saya sudah mencari di sekitar lokasi namun tidak menemukannya.",
                                     7 + rng.below(14), rng.below(60))})
    };
    let skck = details["kind"] == "skck";
    let mut body = json!({
        "request": {
            "id": Uuid::now_v7().to_string(),
            "polres": polres.id,
            "applicant": {"nik": nik, "fullName": name, "birthPlace": regency.short_name(),
                          "birthDate": iso(birth), "address": address},
            "details": details
        },
        "citizenRef": citizen
    });
    if skck {
        body["photoJpegBase64"] = json!(base64::engine::general_purpose::STANDARD.encode(PASFOTO));
    }
    Some(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use siaga_domain::service::{check_submission, Submission};

    #[test]
    fn every_simulated_request_passes_the_central_checks() {
        let mut rng = Rng::new(7);
        let today = date(2026, 12, 4);
        let mut kinds = [0, 0];
        for polda in [
            PoldaId::MetroJaya,
            PoldaId::DaerahIstimewaYogyakarta,
            PoldaId::Papua,
        ] {
            for i in 0..60 {
                let body = request(&mut rng, polda, today, &format!("c{i}")).unwrap();
                let submission: Submission = serde_json::from_value(body["request"].clone()).unwrap();
                let photo = body["photoJpegBase64"]
                    .as_str()
                    .map(|b| base64::engine::general_purpose::STANDARD.decode(b).unwrap());
                let checked = check_submission(&submission, photo.as_deref(), today);
                let checked = checked.unwrap_or_else(|problems| panic!("{body}: {problems:?}"));
                let given = submission.applicant.full_name.split(' ').next().unwrap();
                let names = match checked.nik.sex() {
                    siaga_domain::nik::Sex::Female => WOMEN_NAMES,
                    siaga_domain::nik::Sex::Male => MEN_NAMES,
                };
                assert!(
                    names.contains(&given),
                    "{given} for a {:?} NIK",
                    checked.nik.sex()
                );
                kinds[usize::from(photo.is_none())] += 1;
            }
        }
        assert!(kinds[0] > 40 && kinds[1] > 80, "{kinds:?}");
    }
}
