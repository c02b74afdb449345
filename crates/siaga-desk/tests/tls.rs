//! A field office's central over HTTPS with a self-signed certificate (made by Debian's `openssl`, as an
//! administrator would), served by the central's own TLS listener: the desk that pins its fingerprint signs in,
//! syncs and follows the live stream over `wss://`; a desk pinning another certificate, or trusting only the
//! system's CAs, sends nothing and tells the operator why.

use siaga_central::auth::create_user;
use siaga_central::tls::{server_config, TlsListener, WithPeerAddress};
use siaga_central::{app, AppState};
use siaga_desk::{CentralTrust, CertFingerprint, Desk, DeskConfig, DeskError, IncidentDraft};
use siaga_domain::{Channel, GeoPoint, Language, Location, Role};
use siaga_sync::ClientError;
use siaga_tls::Untrusted;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::Ordering;
use std::time::Duration;

const PASSWORD: &str = "kata sandi yang panjang";

/// A self-signed certificate and its key, as `openssl req -x509` makes them; answers its fingerprint as
/// openssl prints it.
fn self_signed(dir: &Path, name: &str) -> String {
    let status = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ])
        .args(["-days", "30", "-subj", &format!("/CN={name}")])
        .arg("-keyout")
        .arg(dir.join(format!("{name}.key")))
        .arg("-out")
        .arg(dir.join(format!("{name}.crt")))
        .output()
        .expect("openssl (Debian's openssl package; ./dev setup installs it)");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let printed = Command::new("openssl")
        .args(["x509", "-noout", "-fingerprint", "-sha256", "-in"])
        .arg(dir.join(format!("{name}.crt")))
        .output()
        .unwrap();
    let printed = String::from_utf8(printed.stdout).unwrap();
    printed.trim().split_once('=').unwrap().1.to_owned()
}

async fn start_tls_central(dir: &Path) -> (String, AppState, String) {
    let fingerprint = self_signed(dir, "central");
    let (config, served) = server_config(&dir.join("central.crt"), &dir.join("central.key")).unwrap();
    assert_eq!(
        served, fingerprint,
        "the central logs the fingerprint openssl prints"
    );
    let url = format!("sqlite:{}", dir.join("central.db").display());
    let state = AppState::new(siaga_central::store::Store::open(&url).await.unwrap());
    create_user(
        &state.store,
        "budi",
        PASSWORD.into(),
        Role::Operator1,
        Some("diy"),
    )
    .await
    .unwrap();
    let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = tcp.local_addr().unwrap();
    let listener = TlsListener::new(tcp, config).unwrap();
    let router = app(state.clone());
    tokio::spawn(async move {
        let _ = axum::serve(listener, WithPeerAddress(router)).await;
    });
    (format!("https://{addr}"), state, fingerprint)
}

async fn desk(dir: &Path, name: &str, central_url: &str, trust: CentralTrust) -> Desk {
    Desk::open(&DeskConfig {
        data_dir: dir.join(name),
        central_url: central_url.to_owned(),
        central_trust: trust,
        update_platform: None,
        store_key: siaga_desk::store_key::KeyPlace::Files(dir.join(format!("{name}-keys"))),
    })
    .await
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_that_pins_the_centrals_certificate_works_over_https_and_wss() {
    let dir = tempfile::tempdir().unwrap();
    let (url, state, fingerprint) = start_tls_central(dir.path()).await;
    let pinned: CertFingerprint = fingerprint.parse().unwrap();
    let desk = desk(dir.path(), "pinned", &url, CentralTrust::Pinned(pinned)).await;
    desk.sign_in("budi", PASSWORD).await.unwrap();
    let reported = desk
        .report(IncidentDraft {
            channel: Channel::Call110,
            location: Location::at(GeoPoint::new(-7.7156, 110.3556).unwrap()),
            description: "Pencurian motor di parkiran Pasar Sleman".into(),
            category: None,
            caller_number: None,
            reporter: None,
            priority: None,
        })
        .await
        .unwrap();
    // Confirmed by the central over https (its events came back through the feed).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while desk
        .store()
        .confirmed_incident(reported.id)
        .await
        .unwrap()
        .is_none()
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the report should reach the central over https ({:?})",
            desk.sync_status().borrow().last_error
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // The live stream over wss:// with the same pin: the central counts the session.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(15);
    while state.metrics.live_sessions.load(Ordering::Relaxed) < 1 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the desk never opened its live stream over wss:// ({:?})",
            desk.sync_status().borrow().last_error
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desk_that_does_not_trust_the_certificate_sends_nothing_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let (url, state, fingerprint) = start_tls_central(dir.path()).await;
    let presented: CertFingerprint = fingerprint.parse().unwrap();
    // Another certificate's fingerprint (a central replaced, or a server pretending to be it).
    let other: CertFingerprint = self_signed(dir.path(), "impostor").parse().unwrap();
    let wrong_pin = desk(dir.path(), "wrong-pin", &url, CentralTrust::Pinned(other)).await;
    let refused = wrong_pin.sign_in("budi", PASSWORD).await.unwrap_err();
    match &refused {
        DeskError::Central(ClientError::Untrusted(Untrusted::PinMismatch(mismatch))) => {
            assert_eq!(mismatch.presented, presented);
            assert_eq!(mismatch.pinned, other);
        }
        other => panic!("expected a pin mismatch, got {other:?}"),
    }
    assert_eq!(refused.code(), "central_untrusted");
    let told = refused.message(Language::Id);
    assert!(
        told.contains("bukan yang disematkan") && told.contains(&fingerprint),
        "{told}"
    );

    // Only the system's CAs: a self-signed certificate is not trusted.
    let system = desk(dir.path(), "system", &url, CentralTrust::SystemRoots).await;
    let refused = system.sign_in("budi", PASSWORD).await.unwrap_err();
    assert!(
        matches!(
            refused,
            DeskError::Central(ClientError::Untrusted(Untrusted::NotTrusted(_)))
        ),
        "{refused:?}"
    );
    assert!(refused.message(Language::Id).contains("Sematkan sidik jari"));

    // Plain http to the TLS port gets no service either.
    let plain = desk(
        dir.path(),
        "plain",
        &url.replace("https://", "http://"),
        CentralTrust::SystemRoots,
    )
    .await;
    assert!(plain.sign_in("budi", PASSWORD).await.is_err());
    // None of them got as far as a sign-in attempt at the central.
    assert_eq!(state.metrics.live_sessions.load(Ordering::Relaxed), 0);
}
