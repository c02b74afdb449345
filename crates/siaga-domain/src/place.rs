//! Place search for intake: what an operator types while the caller is on the line — `kel menteng`,
//! `gambir`, `stasiun manggarai`, `cibubur jaktim`, `tjikini` — ranked over the Kemendagri villages
//! (desa/kelurahan), districts (kecamatan) and regencies/cities, and the transit stations, each with the
//! Kemendagri codes it fills and the Polres responsible.
//!
//! How a query is read:
//! - **Normalised** the same way as the names: lower case, letters and digits only, and the old spellings
//!   a caller may use (`oe` → `u`, `dj` → `j`, `tj` → `c`: `Tjikini` finds `Cikini`, `Djatinegara`
//!   `Jatinegara`).
//! - **Kind words** (`desa`, `ds`, `kel`, `kelurahan`, `kec`, `kecamatan`, `kab`, `kabupaten`, `kota`,
//!   `stasiun`, `st`, `halte`) are hints, not requirements: they rank that kind first, and still count
//!   when they are part of a name (`Jakarta Kota` station).
//! - **Every other word must match** the place's own name or the names it lies in (its district and
//!   regency, a station's regency): exactly, as the beginning of a word (the operator is still typing),
//!   or within one typo (two for words of 8 letters or more; a typo is a wrong, missing, extra or swapped
//!   letter). Common abbreviations of the Jakarta cities (`jakpus`, `jaktim`, …) stand for their names.
//! - **Ranking**: words matched in the name before words matched only in the parents; exact before
//!   prefix before typo; the whole name matched; the kind the hint names; then larger units (regency,
//!   district, station, village) — so `menteng` offers the kecamatan and then the kelurahan — then
//!   shorter names and codes for a stable order.
//!
//! Pure: the villages come in as a parsed [`VillageIndex`] (the desk reads the asset), the rest from the
//! embedded reference data.

use crate::geo::GeoPoint;
use crate::polda::{self, PolresId};
use crate::region::{self, DistrictCode, RegencyCode, VillageCode, VillageIndex};
use crate::station;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// What kind of place a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    /// A regency (kabupaten) or city (kota).
    Regency,
    /// A district (kecamatan).
    District,
    /// A transit station (KRL, MRT, LRT, Transjakarta).
    Station,
    /// A village (desa/kelurahan).
    Village,
}

impl PlaceKind {
    /// Larger units first when everything else ties.
    fn rank(self) -> u8 {
        match self {
            PlaceKind::Regency => 0,
            PlaceKind::District => 1,
            PlaceKind::Station => 2,
            PlaceKind::Village => 3,
        }
    }
}

/// One place found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlaceHit {
    /// Its kind.
    pub kind: PlaceKind,
    /// Its own name, e.g. `Menteng`, `Manggarai`, `Kota Administrasi Jakarta Pusat`.
    pub name: String,
    /// Where it lies, e.g. `Kec. Menteng, Jakarta Pusat, DKI Jakarta`.
    pub context: String,
    /// The village's code (villages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub village: Option<VillageCode>,
    /// The district's code (villages and districts).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub district: Option<DistrictCode>,
    /// The regency or city.
    pub regency: RegencyCode,
    /// The Polres responsible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub polres: Option<PolresId>,
    /// The station's id (stations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station: Option<String>,
    /// Where it is, when known (stations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point: Option<GeoPoint>,
}

/// How a query word met a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Quality {
    Typo = 1,
    Prefix = 2,
    Exact = 3,
}

/// One searchable place.
#[derive(Debug, Clone)]
struct Entry {
    kind: PlaceKind,
    /// Index into the kind's source (village index, district code, regency code, station index).
    source: u32,
    /// Normalised words of its own name.
    words: Box<[u32]>,
    /// A city (kota) rather than a regency (kabupaten).
    city: bool,
}

/// The words of a place's own name and of the names it lies in, as postings per normalised word.
#[derive(Debug, Clone, Default)]
struct Word {
    /// Entries with this word in their own name.
    own: Vec<u32>,
    /// Entries that lie in a place with this word in its name.
    parent: Vec<u32>,
}

/// The index over every place; build once (≈ 0.3 s for the 83,762 villages), search per keystroke.
#[derive(Debug, Clone, Default)]
pub struct PlaceIndex {
    entries: Vec<Entry>,
    villages: Vec<(VillageCode, String)>,
    districts: Vec<DistrictCode>,
    regencies: Vec<RegencyCode>,
    /// Normalised words, sorted, with their postings.
    words: Vec<(String, Word)>,
}

/// The longest query read, in characters.
pub const MAX_QUERY_CHARS: usize = 100;
/// The most words of a query read.
pub const MAX_QUERY_WORDS: usize = 8;

/// Kind words in a query, and the kind each asks for.
const KIND_WORDS: &[(&str, PlaceKind)] = &[
    ("desa", PlaceKind::Village),
    ("ds", PlaceKind::Village),
    ("kel", PlaceKind::Village),
    ("kelurahan", PlaceKind::Village),
    ("kec", PlaceKind::District),
    ("kecamatan", PlaceKind::District),
    ("kab", PlaceKind::Regency),
    ("kabupaten", PlaceKind::Regency),
    ("kota", PlaceKind::Regency),
    ("stasiun", PlaceKind::Station),
    ("st", PlaceKind::Station),
    ("halte", PlaceKind::Station),
];

/// Abbreviations callers and operators use for places, and the words they stand for.
const ABBREVIATIONS: &[(&str, &str)] = &[
    ("jakpus", "jakarta pusat"),
    ("jakut", "jakarta utara"),
    ("jakbar", "jakarta barat"),
    ("jaksel", "jakarta selatan"),
    ("jaktim", "jakarta timur"),
    ("jkt", "jakarta"),
    ("jogja", "yogyakarta"),
    ("jogjakarta", "yogyakarta"),
    ("sby", "surabaya"),
    ("bdg", "bandung"),
];

/// Lower case, letters and digits only, the old spellings made new; the words.
pub fn normalize(text: &str) -> Vec<String> {
    let mut clean = String::with_capacity(text.len());
    for c in text.chars() {
        let c = fold(c);
        if c.is_ascii_alphanumeric() {
            clean.push(c.to_ascii_lowercase());
        } else if c == '\'' || c == '`' || c == '’' {
            // Ma'ruf, Sa'adah: one word
        } else {
            clean.push(' ');
        }
    }
    clean
        .split_whitespace()
        .map(|word| word.replace("oe", "u").replace("dj", "j").replace("tj", "c"))
        .collect()
}

/// Latin letters with marks, as plain letters (`é` → `e`).
fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ä' | 'ã' | 'À' | 'Á' | 'Â' | 'Ä' | 'Ã' => 'a',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        other => other,
    }
}

/// The longest word compared for typos (longer ones are compared on their first 48 letters).
const MAX_WORD: usize = 48;

/// How `query` meets `word` within `limit` edits (wrong, missing, extra or two swapped letters — the
/// optimal string alignment distance): `(whole, beginning)` — the whole word, or a beginning of it one
/// is still typing. One pass over a fixed-size table; it stops as soon as every cell is past the limit.
fn edits_within(query: &[u8], word: &[u8], limit: u8) -> (bool, bool) {
    let query = &query[..query.len().min(MAX_WORD)];
    let word = &word[..word.len().min(MAX_WORD)];
    let width = word.len() + 1;
    let mut before = [0u8; MAX_WORD + 1];
    let mut last = [0u8; MAX_WORD + 1];
    let mut row = [0u8; MAX_WORD + 1];
    for (j, cell) in last.iter_mut().enumerate().take(width) {
        *cell = j as u8;
    }
    for i in 1..=query.len() {
        row[0] = i as u8;
        let mut smallest = row[0];
        for j in 1..width {
            let cost = u8::from(query[i - 1] != word[j - 1]);
            let mut best = (last[j] + 1).min(row[j - 1] + 1).min(last[j - 1] + cost);
            if i > 1 && j > 1 && query[i - 1] == word[j - 2] && query[i - 2] == word[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            row[j] = best;
            smallest = smallest.min(best);
        }
        if smallest > limit {
            return (false, false);
        }
        std::mem::swap(&mut before, &mut last);
        std::mem::swap(&mut last, &mut row);
    }
    let whole = last[word.len()] <= limit;
    let low = query.len().saturating_sub(usize::from(limit));
    let high = (query.len() + usize::from(limit)).min(word.len().saturating_sub(1));
    let beginning = low <= high && last[low..=high].iter().any(|&d| d <= limit);
    (whole, beginning)
}

/// Whether `a` and `b` are within `limit` edits (see [`edits_within`]).
#[cfg(test)]
fn within_edits(a: &[u8], b: &[u8], limit: usize) -> bool {
    edits_within(a, b, limit as u8).0
}

/// The typos a query word of this length may carry.
fn typo_limit(length: usize) -> usize {
    match length {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

impl PlaceIndex {
    /// The index over `villages` and the embedded districts, regencies and stations.
    pub fn build(villages: &VillageIndex) -> PlaceIndex {
        let mut index = PlaceIndex::default();
        let mut words: HashMap<String, Word> = HashMap::new();
        let mut add = |index: &mut PlaceIndex, kind: PlaceKind, source: u32, name: &str, parents: &[&str]| {
            let id = index.entries.len() as u32;
            let mut own = Vec::new();
            for word in normalize(name) {
                let posting = words.entry(word.clone()).or_default();
                if posting.own.last() != Some(&id) {
                    posting.own.push(id);
                }
                own.push(word);
            }
            for parent in parents {
                for word in normalize(parent) {
                    let posting = words.entry(word).or_default();
                    if posting.parent.last() != Some(&id) {
                        posting.parent.push(id);
                    }
                }
            }
            index.entries.push(Entry {
                kind,
                source,
                // Filled below, once every word has its number.
                words: own.iter().map(|_| 0).collect(),
                city: false,
            });
            own
        };
        let mut own_words: Vec<Vec<String>> = Vec::new();
        for regency in region::regencies() {
            let province = region::province(regency.code.province()).map_or("", |p| p.name);
            let source = index.regencies.len() as u32;
            index.regencies.push(regency.code);
            own_words.push(add(
                &mut index,
                PlaceKind::Regency,
                source,
                regency.short_name(),
                &[province],
            ));
            if let Some(entry) = index.entries.last_mut() {
                entry.city = regency.kind() == region::RegencyKind::City;
            }
        }
        for district in region::districts() {
            let regency = region::regency(district.code.regency()).map_or("", |r| r.short_name());
            let source = index.districts.len() as u32;
            index.districts.push(district.code);
            own_words.push(add(
                &mut index,
                PlaceKind::District,
                source,
                district.name,
                &[regency],
            ));
        }
        for (source, station) in station::stations().iter().enumerate() {
            let regency = region::regency(station.regency).map_or("", |r| r.short_name());
            own_words.push(add(
                &mut index,
                PlaceKind::Station,
                source as u32,
                station.name,
                &[regency],
            ));
        }
        for village in villages.iter() {
            let district = village.code.district();
            let district_name = region::district(district).map_or("", |d| d.name);
            let regency = region::regency(district.regency()).map_or("", |r| r.short_name());
            let source = index.villages.len() as u32;
            index.villages.push((village.code, village.name.clone()));
            own_words.push(add(
                &mut index,
                PlaceKind::Village,
                source,
                &village.name,
                &[district_name, regency],
            ));
        }
        let mut sorted: Vec<(String, Word)> = words.into_iter().collect();
        sorted.sort_by(|a, b| a.0.cmp(&b.0));
        let number: HashMap<&str, u32> = sorted
            .iter()
            .enumerate()
            .map(|(i, (word, _))| (word.as_str(), i as u32))
            .collect();
        for (entry, own) in index.entries.iter_mut().zip(&own_words) {
            entry.words = own.iter().map(|word| number[word.as_str()]).collect();
        }
        index.words = sorted;
        index
    }

    /// The village with this code, if the index holds it.
    pub fn search_code(&self, code: VillageCode) -> Option<&str> {
        self.villages
            .binary_search_by_key(&code, |(c, _)| *c)
            .ok()
            .map(|at| self.villages[at].1.as_str())
    }

    /// How many places the index holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when it holds none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The numbers of the dictionary words that start with `prefix`.
    fn starting_with(&self, prefix: &[u8]) -> std::ops::Range<usize> {
        let start = self.words.partition_point(|(word, _)| word.as_bytes() < prefix);
        let end =
            start + self.words[start..].partition_point(|(word, _)| word.as_bytes().starts_with(prefix));
        start..end
    }

    /// The dictionary words a query word meets, with how: exact, as a prefix (at least 2 letters typed),
    /// or within its typo limit.
    fn meet(&self, query: &str) -> Vec<(u32, Quality)> {
        let mut met = Vec::new();
        let start = self.words.partition_point(|(word, _)| word.as_str() < query);
        for (offset, (word, _)) in self.words[start..].iter().enumerate() {
            if !word.starts_with(query) {
                break;
            }
            let quality = if word.len() == query.len() {
                Quality::Exact
            } else if query.len() >= 2 || word.len() <= 3 {
                Quality::Prefix
            } else {
                continue;
            };
            met.push(((start + offset) as u32, quality));
        }
        let limit = typo_limit(query.len());
        if limit > 0 {
            let query = query.as_bytes();
            // A typo in the first letter is not forgiven (it keeps the scan to the words that share it),
            // unless it is the first two letters swapped.
            let mut ranges = vec![self.starting_with(&query[..1])];
            if query[0] != query[1] {
                ranges.push(self.starting_with(&[query[1], query[0]]));
            }
            for range in ranges {
                for number in range {
                    let bytes = self.words[number].0.as_bytes();
                    if bytes.starts_with(query) {
                        continue;
                    }
                    // The whole word, or — the operator still typing — its beginning, give or take the typos.
                    let (whole, beginning) = edits_within(query, bytes, limit as u8);
                    if whole || beginning {
                        met.push((number as u32, Quality::Typo));
                    }
                }
            }
        }
        met
    }

    /// The places `query` names, best first, at most `limit`.
    pub fn search(&self, query: &str, limit: usize) -> Vec<PlaceHit> {
        let mut words = Vec::new();
        // What anyone types for a place fits in 100 characters and 8 words; more is not a place.
        let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
        for word in normalize(&query).into_iter().take(MAX_QUERY_WORDS) {
            match ABBREVIATIONS.iter().find(|(short, _)| *short == word) {
                Some((_, long)) => words.extend(normalize(long)),
                None => words.push(word),
            }
        }
        let hint = words.iter().find_map(|word| {
            KIND_WORDS
                .iter()
                .find(|(kind_word, _)| kind_word == word)
                .map(|(_, kind)| *kind)
        });
        let required: Vec<&String> = words
            .iter()
            .filter(|word| !KIND_WORDS.iter().any(|(kind_word, _)| kind_word == word))
            .collect();
        if required.is_empty() || limit == 0 {
            return Vec::new();
        }
        // Per entry (dense, so a keystroke costs no hashing): the score of the words met so far, how
        // many required words met it in order, and how many in its own name.
        let size = self.entries.len();
        let mut total = vec![0u32; size];
        let mut met = vec![0u8; size];
        let mut own = vec![0u8; size];
        // This word's best score per entry (own name: 10–30; only a parent's: 3–9), and whom it touched.
        let mut best = vec![0u8; size];
        let mut touched: Vec<u32> = Vec::new();
        let mut found: Vec<u32> = Vec::new();
        for (position, word) in required.iter().enumerate() {
            touched.clear();
            for (number, quality) in self.meet(word) {
                let posting = &self.words[number as usize].1;
                for (entries, weight) in [(&posting.own, 10), (&posting.parent, 3)] {
                    let score = quality as u8 * weight;
                    for &entry in entries {
                        let slot = &mut best[entry as usize];
                        if *slot == 0 {
                            touched.push(entry);
                        }
                        *slot = (*slot).max(score);
                    }
                }
            }
            let last = position + 1 == required.len();
            for &entry in &touched {
                let at = entry as usize;
                if usize::from(met[at]) == position {
                    total[at] += u32::from(best[at]);
                    met[at] += 1;
                    own[at] += u8::from(best[at] >= 10);
                    if last {
                        found.push(entry);
                    }
                }
                best[at] = 0;
            }
            if touched
                .iter()
                .all(|&entry| usize::from(met[entry as usize]) <= position)
            {
                return Vec::new();
            }
        }
        let scores: Vec<(u32, (u32, usize, usize))> = found
            .into_iter()
            .map(|entry| {
                let at = entry as usize;
                (entry, (total[at], usize::from(met[at]), usize::from(own[at])))
            })
            .collect();
        // Optional kind words that are also part of a name count for it.
        let kind_words: Vec<&String> = words
            .iter()
            .filter(|word| KIND_WORDS.iter().any(|(kind_word, _)| kind_word == word))
            .collect();
        let mut ranked: Vec<(u32, u32)> = scores
            .into_iter()
            .filter(|(_, (_, _, own))| *own > 0)
            .map(|(entry, (mut score, _, own))| {
                let place = &self.entries[entry as usize];
                let mut named = own;
                for word in &kind_words {
                    if place.words.iter().any(|&n| &self.words[n as usize].0 == *word) {
                        score += 10;
                        named += 1;
                    }
                    // `kota bekasi` is the city, `kab bekasi` the regency.
                    let city_word = word.as_str() == "kota";
                    let regency_word = matches!(word.as_str(), "kab" | "kabupaten");
                    if place.kind == PlaceKind::Regency
                        && ((city_word && place.city) || (regency_word && !place.city))
                    {
                        score += 6;
                    }
                }
                if named >= place.words.len() {
                    score += 15; // the whole name
                }
                if hint == Some(place.kind) {
                    score += 12;
                }
                (entry, score)
            })
            .collect();
        ranked.sort_by(|a, b| {
            let (ea, eb) = (&self.entries[a.0 as usize], &self.entries[b.0 as usize]);
            b.1.cmp(&a.1)
                .then(ea.kind.rank().cmp(&eb.kind.rank()))
                .then(ea.words.len().cmp(&eb.words.len()))
                .then(a.0.cmp(&b.0))
        });
        ranked
            .into_iter()
            .take(limit)
            .filter_map(|(entry, _)| self.hit(&self.entries[entry as usize]))
            .collect()
    }

    fn hit(&self, entry: &Entry) -> Option<PlaceHit> {
        let province_of = |regency: RegencyCode| region::province(regency.province()).map_or("", |p| p.name);
        let polres_of = |regency: RegencyCode| polda::jurisdiction_for_regency(regency).map(|j| j.polres);
        Some(match entry.kind {
            PlaceKind::Regency => {
                let code = *self.regencies.get(entry.source as usize)?;
                let regency = region::regency(code)?;
                PlaceHit {
                    kind: entry.kind,
                    name: regency.name.to_owned(),
                    context: province_of(code).to_owned(),
                    village: None,
                    district: None,
                    regency: code,
                    polres: polres_of(code),
                    station: None,
                    point: None,
                }
            }
            PlaceKind::District => {
                let code = *self.districts.get(entry.source as usize)?;
                let district = region::district(code)?;
                let regency = region::regency(code.regency())?;
                PlaceHit {
                    kind: entry.kind,
                    name: district.name.to_owned(),
                    context: format!("{}, {}", regency.name, province_of(regency.code)),
                    village: None,
                    district: Some(code),
                    regency: regency.code,
                    polres: polda::jurisdiction_for_district(code).map(|j| j.polres),
                    station: None,
                    point: None,
                }
            }
            PlaceKind::Station => {
                let station = station::stations().get(entry.source as usize)?;
                let regency = region::regency(station.regency)?;
                PlaceHit {
                    kind: entry.kind,
                    name: station.name.to_owned(),
                    context: format!(
                        "{} {}, {}",
                        station.operator,
                        station.lines.join("/"),
                        regency.name
                    ),
                    village: None,
                    district: None,
                    regency: regency.code,
                    polres: polres_of(regency.code),
                    station: Some(station.id.to_owned()),
                    point: Some(station.point),
                }
            }
            PlaceKind::Village => {
                let (code, name) = self.villages.get(entry.source as usize)?;
                let district = region::district(code.district())?;
                let regency = region::regency(code.district().regency())?;
                PlaceHit {
                    kind: entry.kind,
                    name: name.clone(),
                    context: format!(
                        "Kec. {}, {}, {}",
                        district.name,
                        regency.short_name(),
                        province_of(regency.code)
                    ),
                    village: Some(*code),
                    district: Some(district.code),
                    regency: regency.code,
                    polres: polda::jurisdiction_for_district(district.code).map(|j| j.polres),
                    station: None,
                    point: None,
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_count_wrong_missing_extra_and_swapped_letters() {
        assert!(within_edits(b"menteng", b"menteng", 0));
        assert!(within_edits(b"mentneg", b"menteng", 1), "swapped");
        assert!(within_edits(b"mentng", b"menteng", 1), "missing");
        assert!(within_edits(b"menterng", b"menteng", 1), "extra");
        assert!(within_edits(b"mendeng", b"menteng", 1), "wrong");
        assert!(!within_edits(b"mandung", b"menteng", 1));
        assert!(within_edits(b"kebayoran", b"kebayuran", 1));
    }

    #[test]
    fn old_spellings_and_marks_read_as_today() {
        assert_eq!(normalize("Tjikini, Djatinegara"), ["cikini", "jatinegara"]);
        assert_eq!(normalize("Soerabaja"), ["surabaja"]);
        assert_eq!(normalize("  Kel. Kebon-Kelapa "), ["kel", "kebon", "kelapa"]);
        assert_eq!(normalize("Ma'ruf Café"), ["maruf", "cafe"]);
    }
}
