//! What the overlays look like, decided once here: a colour per priority (the command room's usual
//! red–orange–amber–blue), a colour per kiosk light, and an icon shape per family of categories (the
//! sprite's SDF shapes, made by `tools/mapgen`), so the map, the legends and the lists agree.

use super::bridge::Palette;
use siaga_domain::kiosk::KioskLight;
use siaga_domain::{Category, Priority};

/// The colour of a priority.
pub fn priority_colour(priority: Priority) -> &'static str {
    match priority {
        Priority::Critical => "#ef4444",
        Priority::High => "#f97316",
        Priority::Medium => "#eab308",
        Priority::Low => "#38bdf8",
    }
}

/// The colour of a kiosk light.
pub fn kiosk_colour(light: KioskLight) -> &'static str {
    match light {
        KioskLight::Online => "#22c55e",
        KioskLight::Stale => "#f59e0b",
        KioskLight::Offline => "#64748b",
        KioskLight::Alerting => "#dc2626",
    }
}

/// A family of categories that shares a map symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    Violence,
    Property,
    Traffic,
    Danger,
    Medical,
    Disaster,
    Disorder,
    Report,
}

impl Family {
    /// Every family, in the legend's order.
    pub const ALL: [Family; 8] = [
        Family::Violence,
        Family::Property,
        Family::Traffic,
        Family::Danger,
        Family::Medical,
        Family::Disaster,
        Family::Disorder,
        Family::Report,
    ];

    /// The family of a category (`None`: not classified yet, drawn as a report).
    pub fn of(category: Option<Category>) -> Family {
        use Category as C;
        match category {
            Some(C::Assault | C::DomesticViolence | C::SexualViolence | C::Homicide | C::Brawl) => {
                Family::Violence
            }
            Some(C::Theft | C::VehicleTheft | C::Robbery | C::Fraud) => Family::Property,
            Some(C::TrafficAccident | C::TrafficJam) => Family::Traffic,
            Some(C::Fire | C::BombThreat) => Family::Danger,
            Some(C::MedicalEmergency | C::SuicideAttempt | C::MissingPerson) => Family::Medical,
            Some(C::NaturalDisaster | C::Rescue) => Family::Disaster,
            Some(C::PublicDisorder | C::Narcotics) => Family::Disorder,
            Some(C::Complaint | C::InformationRequest | C::PrankCall | C::EmptyCall | C::Other) | None => {
                Family::Report
            }
        }
    }

    /// The sprite icon (`tools/mapgen/src/sprite.rs`).
    pub fn icon(self) -> &'static str {
        match self {
            Family::Violence => "shape-diamond",
            Family::Property => "shape-square",
            Family::Traffic => "shape-triangle",
            Family::Danger => "shape-star",
            Family::Medical => "shape-cross",
            Family::Disaster => "shape-hexagon",
            Family::Disorder => "shape-ring",
            Family::Report => "shape-dot",
        }
    }

    /// A character of the same shape, for legends drawn in HTML.
    pub fn glyph(self) -> &'static str {
        match self {
            Family::Violence => "◆",
            Family::Property => "■",
            Family::Traffic => "▲",
            Family::Danger => "★",
            Family::Medical => "✚",
            Family::Disaster => "⬢",
            Family::Disorder => "◯",
            Family::Report => "●",
        }
    }
}

/// The palette handed to the map engine.
pub fn palette() -> Palette {
    Palette {
        priority: Priority::ALL
            .into_iter()
            .map(|p| (p.rank().to_string(), priority_colour(p)))
            .collect(),
        kiosk: KioskLight::ALL
            .into_iter()
            .map(|l| (l.code(), kiosk_colour(l)))
            .collect(),
        category_icons: Category::ALL
            .iter()
            .map(|c| (c.code(), Family::of(Some(*c)).icon()))
            .collect(),
        default_icon: Family::Report.icon(),
    }
}
