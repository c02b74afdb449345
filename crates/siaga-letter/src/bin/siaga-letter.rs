//! `siaga-letter verify FILE.pdf --keys KEYS.json | --public-key HEX`: checks a letter file offline
//! against the central's published keys (the JSON of `GET /v1/letters/keys`, or one key in hex) and says
//! what it states, or why it is not valid. Exit status 0 valid, 1 not valid, 2 usage or unreadable input.
//! Whether a valid letter was later revoked only the central knows: its verification URL (the QR code)
//! answers that.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use anyhow::{bail, Context as _, Result};
use siaga_letter::{verify_pdf, PublicKey};
use std::process::ExitCode;

fn keys_from_json(text: &str) -> Result<Vec<PublicKey>> {
    let value: serde_json::Value = serde_json::from_str(text).context("the keys file is not JSON")?;
    let list = value["keys"]
        .as_array()
        .context("the keys file has no \"keys\" list (save GET /v1/letters/keys)")?;
    list.iter()
        .map(|key| {
            let hex = key["publicKey"].as_str().context("a key without \"publicKey\"")?;
            PublicKey::from_hex(hex).map_err(anyhow::Error::from)
        })
        .collect()
}

fn run(args: &[String]) -> Result<bool> {
    let [command, file, option, value] = args else {
        bail!("usage: siaga-letter verify FILE.pdf (--keys KEYS.json | --public-key HEX)");
    };
    if command != "verify" {
        bail!("unknown command {command:?}; the one command is verify");
    }
    let keys = match option.as_str() {
        "--keys" => {
            keys_from_json(&std::fs::read_to_string(value).with_context(|| format!("reading {value}"))?)?
        }
        "--public-key" => vec![PublicKey::from_hex(value)?],
        other => bail!("unknown option {other}; use --keys or --public-key"),
    };
    let bytes = std::fs::read(file).with_context(|| format!("reading {file}"))?;
    match verify_pdf(&bytes, &keys) {
        Ok(letter) => {
            println!("VALID: signed by the central's key {}", letter.key_id);
            for (key, value) in &letter.fields {
                let shown = if key == "nik" {
                    siaga_domain::nik::mask_nik(value)
                } else {
                    value.clone()
                };
                println!("  {key}: {shown}");
            }
            println!("  (whether it was revoked since: open its QR code's URL)");
            Ok(true)
        }
        Err(err) => {
            println!("NOT VALID: {err}");
            Ok(false)
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(err) => {
            eprintln!("siaga-letter: {err:#}");
            ExitCode::from(2)
        }
    }
}
