//! `siaga-store-audit --store desk.sqlite [--key-stdin]`: verifies a desk's own audit trail (decision 0015) —
//! every entry must give its hash and link to the one before it, numbers in turn from 1 — and names the first
//! entry edited, removed or moved, and checks it against every head of it the central signed and the desk kept
//! (a trail cut short or rewritten, every hash recomputed, after a signed head no longer verifies). Exit status 0 when intact, 1 when broken, 2 when the store cannot be read.
//! A desk's store is encrypted: `--key-stdin` reads its key (64 hex digits) from standard input, e.g. from the
//! keyring with `secret-tool lookup service siaga-110 username desk-store:… | siaga-store-audit --store … --key-stdin`.
//! The store is opened read-only (beside a running desk).

#![allow(clippy::print_stdout, clippy::print_stderr)] // a command-line tool reports on its terminal

use siaga_store::{Store, StoreKey};
use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let Some(path) = args
        .iter()
        .position(|a| a == "--store")
        .and_then(|i| args.get(i + 1))
    else {
        eprintln!("usage: siaga-store-audit --store desk.sqlite [--key-stdin]");
        return ExitCode::from(2);
    };
    let key = if args.iter().any(|a| a == "--key-stdin") {
        let mut hex = String::new();
        if let Err(err) = std::io::stdin().read_line(&mut hex) {
            eprintln!("siaga-store-audit: reading the key: {err}");
            return ExitCode::from(2);
        }
        match StoreKey::from_hex(&hex) {
            Ok(key) => Some(key),
            Err(err) => {
                eprintln!("siaga-store-audit: {err}");
                return ExitCode::from(2);
            }
        }
    } else {
        None
    };
    let verdict = match Store::open_read_only(std::path::Path::new(path), key.as_ref()).await {
        Ok(store) => store.verify_audit().await,
        Err(err) => Err(err),
    };
    match verdict {
        Ok(Ok(intact)) => {
            println!("intact: {} entries, head {}", intact.entries, intact.head);
            ExitCode::SUCCESS
        }
        Ok(Err(problem)) => {
            println!("broken at entry {}: {problem}", problem.seq());
            ExitCode::from(1)
        }
        Err(err) => {
            eprintln!("siaga-store-audit: {path}: {err}");
            ExitCode::from(2)
        }
    }
}
