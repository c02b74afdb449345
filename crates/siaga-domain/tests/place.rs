//! Place search over the real Kemendagri villages (`assets/reference/desa.tsv`), districts, regencies and
//! stations: what an operator types during a call finds the place and the Polres responsible.

use siaga_domain::place::{PlaceHit, PlaceIndex, PlaceKind};
use siaga_domain::region::VillageIndex;
use std::sync::OnceLock;

fn index() -> &'static PlaceIndex {
    static INDEX: OnceLock<PlaceIndex> = OnceLock::new();
    INDEX.get_or_init(|| {
        let villages = VillageIndex::parse(include_str!("../../../assets/reference/desa.tsv")).unwrap();
        PlaceIndex::build(&villages)
    })
}

fn first(query: &str) -> PlaceHit {
    index()
        .search(query, 10)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("nothing for {query:?}"))
}

fn describe(hits: &[PlaceHit]) -> Vec<String> {
    hits.iter()
        .map(|h| format!("{:?} {} ({})", h.kind, h.name, h.context))
        .collect()
}

#[test]
fn the_index_holds_every_village_district_regency_and_station() {
    let villages = 83_762;
    assert!(index().len() > villages + 7_285 + 514, "{}", index().len());
}

#[test]
fn a_village_with_its_prefix_fills_its_codes_and_polres() {
    let hit = first("Kel. Menteng");
    assert_eq!(hit.kind, PlaceKind::Village);
    assert_eq!(hit.name, "Menteng");
    assert!(hit.context.contains("Jakarta Pusat"), "{}", hit.context);
    assert_eq!(hit.village.unwrap().district(), hit.district.unwrap());
    assert_eq!(hit.district.unwrap().to_string(), "31.71.06");
    assert_eq!(hit.regency.to_string(), "31.71");
    assert_eq!(hit.polres.unwrap().to_string(), "31.71");
    let desa = first("desa cibodas");
    assert_eq!(desa.kind, PlaceKind::Village);
    assert_eq!(desa.name, "Cibodas");
}

#[test]
fn a_bare_name_offers_the_larger_unit_first_then_the_smaller() {
    let hits = index().search("menteng", 10);
    let kinds: Vec<_> = hits.iter().take(2).map(|h| (h.kind, h.name.as_str())).collect();
    assert_eq!(
        kinds,
        [(PlaceKind::District, "Menteng"), (PlaceKind::Village, "Menteng")],
        "{:?}",
        describe(&hits)
    );
    assert_eq!(first("kec menteng").kind, PlaceKind::District);
}

#[test]
fn a_station_is_found_by_name_and_brings_its_position() {
    let hit = first("stasiun manggarai");
    assert_eq!(hit.kind, PlaceKind::Station);
    assert_eq!(hit.name, "Manggarai");
    assert!(hit.point.is_some() && hit.station.is_some());
    assert_eq!(hit.regency.to_string(), "31.74");
    assert_eq!(first("st juanda").kind, PlaceKind::Station);
    let hit = first("jakarta kota");
    assert_eq!(
        (hit.kind, hit.name.as_str()),
        (PlaceKind::Station, "Jakarta Kota"),
        "a kind word in a name"
    );
}

#[test]
fn typos_old_spellings_and_half_typed_words_still_find_the_place() {
    assert_eq!(first("tjikini").name, "Cikini");
    assert_eq!(first("djatinegara").name, "Jatinegara");
    let hit = first("kebayran baru");
    assert_eq!(
        (hit.kind, hit.name.as_str()),
        (PlaceKind::District, "Kebayoran Baru")
    );
    let hit = first("kebayoarn baru");
    assert_eq!(hit.name, "Kebayoran Baru", "swapped letters");
    let typing = index().search("manggar", 10);
    assert!(
        typing
            .iter()
            .any(|h| h.kind == PlaceKind::Station && h.name == "Manggarai"),
        "{:?}",
        describe(&typing)
    );
}

#[test]
fn the_place_it_lies_in_picks_between_namesakes() {
    let hit = first("cibubur jaktim");
    assert_eq!(hit.name, "Cibubur");
    assert!(hit.context.contains("Jakarta Timur"), "{}", hit.context);
    let hit = first("cibodas bogor");
    assert!(hit.context.contains("Bogor"), "{}", hit.context);
    let hit = first("kota bekasi");
    assert_eq!((hit.kind, hit.name.as_str()), (PlaceKind::Regency, "Kota Bekasi"));
    let hit = first("kab bekasi");
    assert_eq!(hit.name, "Kabupaten Bekasi");
}

#[test]
fn nothing_sensible_gives_nothing_and_hostile_input_is_bounded() {
    assert!(index().search("", 10).is_empty());
    assert!(index().search("kel.", 10).is_empty());
    assert!(index().search("xqzvw", 10).is_empty());
    assert!(index().search("menteng", 0).is_empty());
    let long = "a".repeat(100_000);
    assert!(index().search(&long, 10).len() <= 10);
    let many = "menteng ".repeat(1_000);
    assert!(index().search(&many, 10).len() <= 10);
    assert!(index().search("'; DROP TABLE desa; --", 10).len() <= 10);
}
