//! The desk's store key in a real keyring: GNOME Keyring (Debian's gnome-keyring, installed by `./dev test`)
//! serving the Secret Service on a private D-Bus of this test. The first open makes the key and keeps it
//! there; the store reopens with it; the same store copied to another machine (a data folder whose key the
//! keyring does not hold, then a keyring without the entry) does not open and is left as it is.
//!
//! One test in this file: it points this process's D-Bus address at its own bus.

use siaga_desk::store_key::{self, KeyPlace, KEYRING_SERVICE};
use siaga_desk::{Desk, DeskConfig, DeskError};
use siaga_domain::{Category, Language};
use siaga_ipc::NotificationPrefs;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A D-Bus session bus and GNOME Keyring on it, both stopped when dropped.
struct PrivateKeyring {
    bus: Child,
    keyring: Child,
}

impl Drop for PrivateKeyring {
    fn drop(&mut self) {
        let _ = self.keyring.kill();
        let _ = self.keyring.wait();
        let _ = self.bus.kill();
        let _ = self.bus.wait();
    }
}

fn start_keyring(home: &Path) -> PrivateKeyring {
    // A bus of our own that starts no service on demand: otherwise the first call to the Secret Service,
    // made before our daemon owns its name, has the bus start a second GNOME Keyring with no login keyring.
    let config = home.join("bus.conf");
    std::fs::write(
        &config,
        format!(
            "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\" \
             \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n\
             <busconfig><type>session</type><listen>unix:path={}</listen>\
             <policy context=\"default\"><allow send_destination=\"*\" eavesdrop=\"true\"/>\
             <allow eavesdrop=\"true\"/><allow own=\"*\"/></policy></busconfig>\n",
            home.join("bus").display()
        ),
    )
    .unwrap();
    let mut bus = Command::new("dbus-daemon")
        .args(["--nofork", "--print-address=1"])
        .arg(format!("--config-file={}", config.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("dbus-daemon (Debian dbus-daemon)");
    let mut address = String::new();
    BufReader::new(bus.stdout.take().unwrap())
        .read_line(&mut address)
        .unwrap();
    let address = address.trim().to_owned();
    // Safe here: the only test of this binary, before any thread or D-Bus connection exists.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &address);
    let runtime = home.join("run");
    std::fs::create_dir_all(&runtime).unwrap();
    std::fs::set_permissions(&runtime, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    let mut keyring = Command::new("gnome-keyring-daemon")
        .args(["--foreground", "--unlock", "--components=secrets"])
        .env("DBUS_SESSION_BUS_ADDRESS", &address)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_RUNTIME_DIR", &runtime)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("gnome-keyring-daemon (Debian gnome-keyring)");
    // The login keyring's password, then end of input: the daemon unlocks (creating it) and serves.
    let mut stdin = keyring.stdin.take().unwrap();
    stdin.write_all(b"test-login-password").unwrap();
    drop(stdin);
    let started = PrivateKeyring { bus, keyring };
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let probe = keyring::Entry::new(KEYRING_SERVICE, "probe").unwrap();
        match probe.get_password() {
            Err(keyring::Error::NoEntry) => break,
            other if Instant::now() > deadline => panic!("the keyring did not come up: {other:?}"),
            // Waiting for a condition (the keyring answers), outside any async runtime.
            #[allow(clippy::disallowed_methods)]
            _ => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    started
}

fn config(data_dir: PathBuf, fallback: &Path) -> DeskConfig {
    DeskConfig {
        data_dir,
        central_url: "http://127.0.0.1:9".into(),
        central_trust: siaga_sync::CentralTrust::SystemRoots,
        update_platform: None,
        store_key: KeyPlace::Keyring {
            fallback_dir: fallback.to_path_buf(),
        },
    }
}

/// What the test keeps in the store and reads back: the operator's notification settings.
fn settings() -> NotificationPrefs {
    NotificationPrefs {
        muted: vec![Category::Theft],
        language: Language::En,
    }
}

#[test]
fn the_store_key_lives_in_the_keyring_and_a_copied_store_does_not_open() {
    let home = tempfile::tempdir().unwrap();
    let _keyring = start_keyring(home.path());
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let fallback = home.path().join("fallback-keys");
    let first = home.path().join("desk-a");
    let store_file = first.join("desk.sqlite");

    // First open: a new key, kept in the keyring (not in a file), and the desk works.
    runtime.block_on(async {
        let desk = Desk::open(&config(first.clone(), &fallback)).await.unwrap();
        desk.set_notification_prefs(settings()).await.unwrap();
    });
    let entry = keyring::Entry::new(KEYRING_SERVICE, &store_key::account(&first)).unwrap();
    assert_eq!(
        entry.get_password().unwrap().len(),
        64,
        "the key is in the keyring"
    );
    assert!(!fallback.exists(), "no key file when the keyring works");
    assert!(!siaga_store::is_plain_store(&store_file).unwrap());

    // Reopened: the same key from the keyring, the settings still there.
    runtime.block_on(async {
        let desk = Desk::open(&config(first.clone(), &fallback)).await.unwrap();
        assert_eq!(desk.notification_prefs(), settings());
    });

    // The store copied into another data folder: the keyring holds no key for it, and none is made.
    let second = home.path().join("desk-b");
    std::fs::create_dir_all(&second).unwrap();
    std::fs::copy(&store_file, second.join("desk.sqlite")).unwrap();
    let before = std::fs::read(second.join("desk.sqlite")).unwrap();
    let refused = runtime.block_on(Desk::open(&config(second.clone(), &fallback)));
    let Err(error) = refused else {
        panic!("a copied store opened without its key")
    };
    assert!(matches!(error, DeskError::StoreKeyMissing), "{error:?}");
    assert!(error
        .message(Language::Id)
        .contains("kuncinya tidak ada di komputer ini"));
    assert_eq!(
        std::fs::read(second.join("desk.sqlite")).unwrap(),
        before,
        "left as it was"
    );
    assert!(keyring::Entry::new(KEYRING_SERVICE, &store_key::account(&second))
        .unwrap()
        .get_password()
        .is_err());

    // Another machine's keyring: the entry gone, the original folder does not open either.
    store_key::forget(&config(first.clone(), &fallback).store_key, &first).unwrap();
    let refused = runtime.block_on(Desk::open(&config(first.clone(), &fallback)));
    assert!(matches!(refused, Err(DeskError::StoreKeyMissing)));
}
