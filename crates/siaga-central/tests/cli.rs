//! The `siaga-central` binary's admin subcommand: the first admin comes from the command line with the
//! password on stdin; there is no default account and no default password.

use siaga_central::auth::check_password;
use siaga_central::Store;
use std::io::Write as _;
use std::process::{Command, Stdio};

fn create_admin(database: &str, args: &[&str], stdin: &str) -> (bool, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_siaga-central"))
        .arg("create-admin")
        .args(args)
        .args(["--database", database])
        .env("RUST_LOG", "off")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes())
        .expect("writing the password");
    let output = child.wait_with_output().expect("the binary ends");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test]
async fn the_first_admin_comes_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite:{}", dir.path().join("central.db").display());
    let store = Store::open(&database).await.unwrap();
    let (users,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(&store.pool)
        .await
        .unwrap();
    assert_eq!(
        users, 0,
        "a fresh database has no account, so no default password"
    );

    // (arguments, stdin, succeeds, what the error says)
    let cases: &[(&[&str], &str, bool, &str)] = &[
        (&["--username", "root"], "a long enough password\n", true, ""),
        (
            &["--username", "root"],
            "another long password\n",
            false,
            "exists",
        ),
        (
            &["--username", "short"],
            "short\n",
            false,
            "at least 12 characters",
        ),
        (
            &["--username", "diyadmin", "--polda", "diy"],
            "a long enough password\n",
            true,
            "",
        ),
        (
            &["--username", "narnia", "--polda", "narnia"],
            "a long enough password\n",
            false,
            "unknown Polda",
        ),
        (&[], "a long enough password\n", false, "--username is required"),
    ];
    for (args, stdin, succeeds, says) in cases {
        let (ok, stderr) = create_admin(&database, args, stdin);
        assert_eq!(ok, *succeeds, "{args:?}: {stderr}");
        assert!(stderr.contains(says), "{args:?}: {stderr}");
    }
    let rows: Vec<(String, String, String, Option<String>)> =
        sqlx::query_as("SELECT username, password_hash, role, polda FROM users ORDER BY username")
            .fetch_all(&store.pool)
            .await
            .unwrap();
    let summary: Vec<(&str, &str, Option<&str>)> = rows
        .iter()
        .map(|(u, _, r, p)| (u.as_str(), r.as_str(), p.as_deref()))
        .collect();
    assert_eq!(
        summary,
        vec![("diyadmin", "admin", Some("diy")), ("root", "admin", None)]
    );
    let hash = rows[1].1.clone();
    assert!(hash.starts_with("$argon2id$"), "stored as an argon2id hash");
    assert!(check_password("a long enough password", Some(&hash)));
    assert!(
        !check_password("another long password", Some(&hash)),
        "the refused second run changed nothing"
    );
}

fn verify_audit(database: &str) -> (bool, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_siaga-central"))
        .args(["verify-audit", "--database", database])
        .env("RUST_LOG", "off")
        .output()
        .expect("the binary runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[tokio::test]
async fn verify_audit_says_intact_or_names_the_first_bad_entry() {
    use siaga_central::audit::{record, sign_heads, Audit};
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite:{}", dir.path().join("central.db").display());
    let store = Store::open(&database).await.unwrap();
    for n in 0..5 {
        let subject = format!("incident-{n}");
        let audit = Audit {
            actor: "op1-diy",
            role: "operator1",
            polda: Some("diy"),
            action: "incident_event",
            subject: &subject,
            detail: "classify",
        };
        record(&store, &audit, 1_796_353_200_000 + n).await.unwrap();
    }
    sign_heads(&store, 1_796_353_300_000).await.unwrap();
    let (ok, out) = verify_audit(&database);
    assert!(ok, "{out}");
    assert!(out.contains("diy: intact, 5 entries, 1 signed heads"), "{out}");

    sqlx::query("UPDATE audit_log SET detail = 'close' WHERE seq = 2")
        .execute(&store.pool)
        .await
        .unwrap();
    let (ok, out) = verify_audit(&database);
    assert!(!ok, "a broken chain is exit status 1");
    assert!(
        out.contains("diy: BROKEN at entry 2: entry 2 was changed"),
        "{out}"
    );
}
