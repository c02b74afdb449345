//! A real Chromium (Debian's `chromium`, driven by its `chromedriver` from `chromium-driver`) for the
//! pages the central serves to citizens. Headless, with its own profile; chromedriver and the browsers it
//! starts run in a process group of their own that is ended when the browser is dropped, so a failing
//! test leaves no browser behind.

use super::{free_port, wait_for_port, ProcessGroup, TempDir, UI_TIMEOUT};
use anyhow::{bail, Context, Result};
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::process::Command;

/// A headless Chromium under WebDriver.
#[derive(Debug)]
pub struct Browser {
    pub client: Client,
    _driver: ProcessGroup,
    _profile: TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a phone-sized window.
    pub async fn launch() -> Result<Browser> {
        Browser::launch_with(&[]).await
    }

    /// [`Browser::launch`] with a fake camera and microphone, as a citizen's phone: the camera plays `clip` (a Y4M
    /// file, see [`stamped_clip`]), permission is granted, and WebRTC may use loopback (the desk and the central
    /// are on this computer).
    pub async fn launch_with_camera(clip: &std::path::Path) -> Result<Browser> {
        Browser::launch_with(&[
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            &format!("--use-file-for-fake-video-capture={}", clip.display()),
            "--allow-loopback-in-peer-connection",
            "--disable-features=WebRtcHideLocalIpsWithMdns",
        ])
        .await
    }

    /// [`Browser::launch`] with more command-line switches (a fake camera, say).
    pub async fn launch_with(extra: &[&str]) -> Result<Browser> {
        let profile = TempDir::new("siaga-e2e-chromium")?;
        let port = free_port()?;
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .context("starting chromedriver (Debian's chromium-driver; ./dev test installs it)")?;
        let driver = ProcessGroup {
            id: driver.id().context("chromedriver exited at once")?,
            leader: driver,
        };
        wait_for_port(port).await?;
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), "chrome".into());
        let mut args: Vec<String> = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--window-size=480,1000",
            "--lang=id",
        ]
        .iter()
        .map(|arg| (*arg).to_owned())
        .collect();
        args.push(format!("--user-data-dir={}", profile.path.display()));
        args.extend(extra.iter().map(|arg| (*arg).to_owned()));
        capabilities.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({ "binary": "/usr/bin/chromium", "args": args }),
        );
        let client = ClientBuilder::native()
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .context("opening a Chromium WebDriver session")?;
        Ok(Browser {
            client,
            _driver: driver,
            _profile: profile,
        })
    }

    /// Waits until `css` matches an element that is displayed.
    pub async fn wait_visible(&self, css: &str) -> Result<fantoccini::elements::Element> {
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                if element.is_displayed().await.unwrap_or(false) {
                    return Ok(element);
                }
            }
            if Instant::now() > deadline {
                bail!("{css} was not shown within {UI_TIMEOUT:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the text of `css` satisfies `accept`; answers it.
    pub async fn wait_for_text(&self, css: &str, accept: impl Fn(&str) -> bool) -> Result<String> {
        let deadline = Instant::now() + UI_TIMEOUT;
        let mut last = String::new();
        loop {
            if let Ok(element) = self.client.find(Locator::Css(css)).await {
                last = element.text().await.unwrap_or_default();
                if accept(&last) {
                    return Ok(last);
                }
            }
            if Instant::now() > deadline {
                bail!("{css} never showed the expected text; last: {last:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Types into the field `css` (after clearing it).
    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        let field = self.client.find(Locator::Css(css)).await?;
        field.clear().await?;
        field.send_keys(text).await?;
        Ok(())
    }

    /// Sets a field's value by script (date inputs, whose typing order depends on the locale) and fires
    /// its `input` and `change` events.
    pub async fn set_value(&self, css: &str, value: &str) -> Result<()> {
        self.client
            .execute(
                "const f = document.querySelector(arguments[0]); f.value = arguments[1]; \
                 f.dispatchEvent(new Event('input', {bubbles: true})); \
                 f.dispatchEvent(new Event('change', {bubbles: true}));",
                vec![css.into(), value.into()],
            )
            .await?;
        Ok(())
    }

    /// Clicks `css`.
    pub async fn click(&self, css: &str) -> Result<()> {
        self.client.find(Locator::Css(css)).await?.click().await?;
        Ok(())
    }

    /// Saves a PNG of the page under `SIAGA_SCREENSHOT_DIR` (default `target/e2e`).
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        let dir =
            PathBuf::from(std::env::var("SIAGA_SCREENSHOT_DIR").unwrap_or_else(|_| "target/e2e".into()));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, self.client.screenshot().await?)?;
        Ok(path)
    }

    /// Ends the session (the browser closes; the driver goes when dropped).
    pub async fn close(self) -> Result<()> {
        self.client.clone().close().await.context("closing Chromium")
    }
}

/// Writes `frames` frames of the stamped test pattern (320×240, 15 a second; frame `n` stamped `n`) as a Y4M clip,
/// the format Chromium's fake camera plays (in a loop).
pub fn stamped_clip(path: &std::path::Path, frames: u32) -> Result<()> {
    use std::io::Write as _;
    let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
    file.write_all(b"YUV4MPEG2 W320 H240 F15:1 Ip A1:1 C420jpeg\n")?;
    for frame in 0..frames {
        let stamp = siaga_video::barcode::Stamp {
            frame,
            capture_ms: 1_796_353_200_000 + u64::from(frame) * 66,
        };
        let picture = siaga_video::I420Frame::test_pattern(320, 240, stamp).context("a test pattern")?;
        file.write_all(b"FRAME\n")?;
        file.write_all(&picture.data)?;
    }
    file.flush()?;
    Ok(())
}
