//! `siaga-release`: the release manager's tool (docs/decisions/0021).
//!
//! ```text
//! siaga-release keygen --out DIR                 # DIR/release.key (secret, mode 600) and DIR/release.pub
//! siaga-release sign --key release.key --package FILE --version X.Y.Z --platform linux-x86_64-deb \
//!                    [--notes-id TEXT] [--notes-en TEXT] --out release.json
//! siaga-release verify --keys release.pub --release release.json --package FILE [--current X.Y.Z]
//! ```
//! The secret key stays with the release manager, off every central and desk. `release.json` and the package
//! go to a Polda's central with `siaga-central add-release`.

use anyhow::{bail, Context, Result};
use siaga_update::{
    check_package, generate_key, package_digest, parse_secret_key, public_key_line, secret_key_line, sign,
    verify, Manifest, SignedManifest, TrustedKeys,
};
use std::path::{Path, PathBuf};

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|arg| arg == name)
        .and_then(|index| args.get(index + 1).cloned())
}

fn required(args: &[String], name: &str) -> Result<String> {
    flag(args, name).with_context(|| format!("{name} is required"))
}

#[allow(clippy::print_stdout)] // a command-line tool answers on stdout
fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("keygen") => {
            let dir = PathBuf::from(required(&args, "--out")?);
            std::fs::create_dir_all(&dir)?;
            let secret = dir.join("release.key");
            if secret.exists() {
                bail!("{} exists: a release key is never overwritten", secret.display());
            }
            let key = generate_key().map_err(|e| anyhow::anyhow!("the system's randomness: {e}"))?;
            write_private(&secret, &(secret_key_line(&key) + "\n"))?;
            std::fs::write(
                dir.join("release.pub"),
                public_key_line(&key.verifying_key()) + "\n",
            )?;
            println!("{}", public_key_line(&key.verifying_key()));
        }
        Some("sign") => {
            let key = parse_secret_key(&std::fs::read_to_string(required(&args, "--key")?)?)
                .map_err(anyhow::Error::msg)?;
            let package = PathBuf::from(required(&args, "--package")?);
            let bytes = std::fs::read(&package).with_context(|| format!("reading {}", package.display()))?;
            let manifest = Manifest {
                version: required(&args, "--version")?,
                platform: required(&args, "--platform")?,
                package: file_name(&package)?,
                size: bytes.len() as u64,
                sha256: package_digest(&bytes),
                notes_id: flag(&args, "--notes-id").unwrap_or_default(),
                notes_en: flag(&args, "--notes-en").unwrap_or_default(),
            };
            siaga_update::check_manifest(&manifest)?;
            let signed = sign(&manifest, &key);
            std::fs::write(
                required(&args, "--out")?,
                serde_json::to_string_pretty(&signed)? + "\n",
            )?;
            println!(
                "signed {} {} with key {}",
                manifest.platform, manifest.version, signed.key_id
            );
        }
        Some("verify") => {
            let keys = TrustedKeys::parse(&std::fs::read_to_string(required(&args, "--keys")?)?)
                .map_err(anyhow::Error::msg)?;
            let signed: SignedManifest =
                serde_json::from_str(&std::fs::read_to_string(required(&args, "--release")?)?)?;
            let manifest = verify(&signed, &keys)?;
            check_package(&manifest, &std::fs::read(required(&args, "--package")?)?)?;
            if let Some(current) = flag(&args, "--current") {
                siaga_update::offer(&signed, &keys, &current, &manifest.platform)?;
            }
            println!(
                "good: {} {} ({})",
                manifest.platform, manifest.version, manifest.package
            );
        }
        _ => bail!("usage: siaga-release keygen|sign|verify (see the module's documentation)"),
    }
    Ok(())
}

fn file_name(path: &Path) -> Result<String> {
    Ok(path
        .file_name()
        .and_then(|name| name.to_str())
        .context("the package has no file name")?
        .to_owned())
}

fn write_private(path: &Path, text: &str) -> Result<()> {
    #[cfg(unix)]
    {
        use std::io::Write as _;
        use std::os::unix::fs::OpenOptionsExt as _;
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)?;
        file.write_all(text.as_bytes())?;
        Ok(())
    }
    #[cfg(not(unix))]
    {
        std::fs::write(path, text)?;
        Ok(())
    }
}
