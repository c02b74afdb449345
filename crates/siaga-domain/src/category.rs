//! The Kamtibmas (public security and order) taxonomy of 110 reports, with Indonesian and English labels,
//! a default priority each, and the agency a report is forwarded to when it is not (only) police work.

use crate::Language;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How urgently an incident needs a response. Ordered: `Critical` sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Life in danger now: respond immediately.
    Critical,
    /// A crime in progress or injuries: respond urgently.
    High,
    /// Needs police attendance, no immediate danger.
    Medium,
    /// A report, complaint or information request; no attendance needed now.
    Low,
}

impl Priority {
    /// Every priority, most urgent first.
    pub const ALL: [Priority; 4] = [
        Priority::Critical,
        Priority::High,
        Priority::Medium,
        Priority::Low,
    ];

    /// 1 (critical) … 4 (low), as shown on the board.
    pub fn rank(self) -> u8 {
        match self {
            Priority::Critical => 1,
            Priority::High => 2,
            Priority::Medium => 3,
            Priority::Low => 4,
        }
    }

    /// The priority of a rank (1 … 4), the inverse of [`Priority::rank`].
    pub fn from_rank(rank: u8) -> Option<Priority> {
        Priority::ALL.into_iter().find(|p| p.rank() == rank)
    }

    /// The priority's name for people.
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (Priority::Critical, Language::Id) => "Kritis",
            (Priority::Critical, Language::En) => "Critical",
            (Priority::High, Language::Id) => "Tinggi",
            (Priority::High, Language::En) => "High",
            (Priority::Medium, Language::Id) => "Sedang",
            (Priority::Medium, Language::En) => "Medium",
            (Priority::Low, Language::Id) => "Rendah",
            (Priority::Low, Language::En) => "Low",
        }
    }
}

/// Another emergency service a report is forwarded to (the police still log it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Agency {
    /// Dinas Pemadam Kebakaran (fire service, 113).
    FireService,
    /// Ambulance / public safety center (119).
    Ambulance,
    /// Basarnas search and rescue (115).
    SearchAndRescue,
    /// BPBD regional disaster management agency.
    DisasterManagement,
}

impl Agency {
    /// The agency's name for people.
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (Agency::FireService, Language::Id) => "Pemadam Kebakaran (113)",
            (Agency::FireService, Language::En) => "Fire service (113)",
            (Agency::Ambulance, Language::Id) => "Ambulans / PSC (119)",
            (Agency::Ambulance, Language::En) => "Ambulance / PSC (119)",
            (Agency::SearchAndRescue, Language::Id) => "Basarnas (115)",
            (Agency::SearchAndRescue, Language::En) => "Search and rescue (115)",
            (Agency::DisasterManagement, Language::Id) => "BPBD",
            (Agency::DisasterManagement, Language::En) => "Disaster management agency (BPBD)",
        }
    }
}

macro_rules! categories {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $priority:ident, $forward:expr, $id:literal, $en:literal; )*) => {
        /// The kind of a 110 report (Kamtibmas taxonomy). The JSON form is the stable `code`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum Category {
            $( $(#[$doc])* $variant, )*
        }

        impl Category {
            /// Every category, in the order the classification list shows them.
            pub const ALL: &'static [Category] = &[ $( Category::$variant, )* ];

            /// The stable machine name, e.g. `robbery`, as in JSON and EIDO.
            pub fn code(self) -> &'static str {
                match self { $( Category::$variant => $code, )* }
            }

            /// The priority an incident of this category gets unless operator 1 sets another.
            pub fn default_priority(self) -> Priority {
                match self { $( Category::$variant => Priority::$priority, )* }
            }

            /// The agency the report is forwarded to besides the police, if any.
            pub fn forwarded_to(self) -> Option<Agency> {
                match self { $( Category::$variant => $forward, )* }
            }

            /// The category's name for people.
            pub fn label(self, language: Language) -> &'static str {
                match (self, language) {
                    $( (Category::$variant, Language::Id) => $id,
                       (Category::$variant, Language::En) => $en, )*
                }
            }
        }
    };
}

categories! {
    /// Theft, pickpocketing, snatching (pencurian, copet, jambret).
    Theft = "theft", Medium, None, "Pencurian / pencopetan", "Theft and pickpocketing";
    /// Motor vehicle theft (curanmor).
    VehicleTheft = "vehicle_theft", Medium, None, "Pencurian kendaraan bermotor (curanmor)", "Motor vehicle theft";
    /// Robbery with violence, including begal (pencurian dengan kekerasan).
    Robbery = "robbery", High, None, "Perampokan / begal", "Robbery / begal";
    /// Assault (penganiayaan).
    Assault = "assault", High, None, "Penganiayaan", "Assault";
    /// Domestic violence (KDRT).
    DomesticViolence = "domestic_violence", High, None, "Kekerasan dalam rumah tangga (KDRT)", "Domestic violence";
    /// Sexual violence or harassment, including against children.
    SexualViolence = "sexual_violence", High, None, "Kekerasan seksual", "Sexual violence";
    /// Murder or a body found.
    Homicide = "homicide", Critical, None, "Pembunuhan / penemuan mayat", "Homicide or body found";
    /// Traffic accident (laka lantas).
    TrafficAccident = "traffic_accident", High, Some(Agency::Ambulance), "Kecelakaan lalu lintas", "Traffic accident";
    /// Traffic jam or a blocked road.
    TrafficJam = "traffic_jam", Low, None, "Kemacetan lalu lintas", "Traffic jam";
    /// Fire: forwarded to the fire service.
    Fire = "fire", Critical, Some(Agency::FireService), "Kebakaran (diteruskan ke Damkar)", "Fire (forwarded to the fire service)";
    /// A brawl between groups (tawuran).
    Brawl = "brawl", High, None, "Perkelahian massal / tawuran", "Brawl / tawuran";
    /// Narcotics (narkoba).
    Narcotics = "narcotics", Medium, None, "Narkoba", "Narcotics";
    /// Fraud, including online fraud.
    Fraud = "fraud", Low, None, "Penipuan", "Fraud";
    /// A missing person.
    MissingPerson = "missing_person", High, None, "Orang hilang", "Missing person";
    /// Public disorder, noise, drunkenness, illegal gatherings.
    PublicDisorder = "public_disorder", Medium, None, "Gangguan ketertiban umum", "Public disorder";
    /// A bomb threat or terror.
    BombThreat = "bomb_threat", Critical, None, "Ancaman bom / teror", "Bomb threat / terror";
    /// A suicide attempt.
    SuicideAttempt = "suicide_attempt", Critical, Some(Agency::Ambulance), "Percobaan bunuh diri", "Suicide attempt";
    /// A medical emergency reported to 110: forwarded to the ambulance service.
    MedicalEmergency = "medical_emergency", Critical, Some(Agency::Ambulance), "Kegawatdaruratan medis", "Medical emergency";
    /// A natural disaster (flood, landslide, earthquake).
    NaturalDisaster = "natural_disaster", Critical, Some(Agency::DisasterManagement), "Bencana alam", "Natural disaster";
    /// Someone trapped or lost (drowning, lost at sea or in the mountains).
    Rescue = "rescue", Critical, Some(Agency::SearchAndRescue), "Pencarian dan pertolongan", "Search and rescue";
    /// A complaint about a public service or an officer.
    Complaint = "complaint", Low, None, "Pengaduan", "Complaint";
    /// A request for information.
    InformationRequest = "information_request", Low, None, "Permintaan informasi", "Information request";
    /// A prank call (panggilan iseng).
    PrankCall = "prank_call", Low, None, "Panggilan iseng (prank)", "Prank call";
    /// An empty or silent call.
    EmptyCall = "empty_call", Low, None, "Panggilan kosong", "Empty call";
    /// Anything else.
    Other = "other", Medium, None, "Lainnya", "Other";
}

impl Category {
    /// True for the categories that close an incident without police work (prank or empty call).
    pub fn is_prank_or_empty(self) -> bool {
        matches!(self, Category::PrankCall | Category::EmptyCall)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A category code Siaga does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown incident category {0:?}")]
pub struct UnknownCategory(pub String);

impl FromStr for Category {
    type Err = UnknownCategory;
    fn from_str(code: &str) -> Result<Self, Self::Err> {
        Category::ALL
            .iter()
            .copied()
            .find(|c| c.code() == code)
            .ok_or_else(|| UnknownCategory(code.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(category: Category, expect: (&str, Priority, Option<Agency>, &str, &str)) {
        let got = (
            category.code(),
            category.default_priority(),
            category.forwarded_to(),
            category.label(Language::Id),
            category.label(Language::En),
        );
        assert_eq!(got, expect);
    }

    #[test]
    fn taxonomy_rows() {
        check(
            Category::Theft,
            (
                "theft",
                Priority::Medium,
                None,
                "Pencurian / pencopetan",
                "Theft and pickpocketing",
            ),
        );
        check(
            Category::Robbery,
            (
                "robbery",
                Priority::High,
                None,
                "Perampokan / begal",
                "Robbery / begal",
            ),
        );
        check(
            Category::Fire,
            (
                "fire",
                Priority::Critical,
                Some(Agency::FireService),
                "Kebakaran (diteruskan ke Damkar)",
                "Fire (forwarded to the fire service)",
            ),
        );
        check(
            Category::Brawl,
            (
                "brawl",
                Priority::High,
                None,
                "Perkelahian massal / tawuran",
                "Brawl / tawuran",
            ),
        );
        check(
            Category::TrafficJam,
            (
                "traffic_jam",
                Priority::Low,
                None,
                "Kemacetan lalu lintas",
                "Traffic jam",
            ),
        );
        check(
            Category::PrankCall,
            (
                "prank_call",
                Priority::Low,
                None,
                "Panggilan iseng (prank)",
                "Prank call",
            ),
        );
    }

    #[test]
    fn codes_are_unique_and_round_trip() {
        let mut codes: Vec<_> = Category::ALL.iter().map(|c| c.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Category::ALL.len());
        for &category in Category::ALL {
            assert_eq!(category.code().parse::<Category>(), Ok(category));
            let json = serde_json::to_value(category).unwrap();
            assert_eq!(json, serde_json::Value::String(category.code().to_owned()));
        }
        assert!("begal".parse::<Category>().is_err());
    }

    #[test]
    fn priorities_order_most_urgent_first() {
        assert!(Priority::Critical < Priority::Low);
        assert_eq!(Priority::ALL.map(Priority::rank), [1, 2, 3, 4]);
    }
}
