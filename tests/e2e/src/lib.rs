//! Harness for end-to-end tests: starts `tauri-driver` (which starts WebKitWebDriver and the real `siaga`
//! binary) on free loopback ports, opens a WebDriver session, and offers waits and screenshots.
//!
//! Inputs come from the environment, set by `./dev test`: `SIAGA_APP_BIN` (the desk binary),
//! `SIAGA_SCREENSHOT_DIR` (where screenshots go) and a `DISPLAY` (Xvfb). Each session gets its own
//! XDG data/config/cache folders, so stored preferences never leak from one test into another.
//!
//! The driver runs in a process group of its own, which its WebKitWebDriver and the app inherit: closing
//! a desk, or dropping it when a test fails, ends the whole group (SIGTERM, then SIGKILL after a grace
//! period), so a failing test leaves no window, driver or port behind.

pub mod browser;
pub mod central;
pub mod coturn;
pub mod nik_scan;
pub mod notifications;

use anyhow::{bail, Context, Result};
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};

/// How long to wait for the UI to show something before calling it broken.
pub const UI_TIMEOUT: Duration = Duration::from_secs(20);

/// A running desk under WebDriver. Call [`Desk::close`] at the end of a test; dropping it (a failed
/// test) ends the driver's whole process group as well.
#[derive(Debug)]
pub struct Desk {
    pub client: Client,
    driver: ProcessGroup,
    profile: TempDir,
}

impl Desk {
    /// Starts the desk and waits until its shell is on screen.
    pub async fn launch() -> Result<Desk> {
        Desk::launch_with(&[]).await
    }

    /// Starts the desk with extra environment (e.g. `SIAGA_CENTRAL_URL`) and waits for its shell.
    pub async fn launch_with(env: &[(&str, &str)]) -> Result<Desk> {
        let app = std::env::var("SIAGA_APP_BIN")
            .context("SIAGA_APP_BIN must name the siaga binary (./dev test sets it)")?;
        if !Path::new(&app).exists() {
            bail!("SIAGA_APP_BIN={app} does not exist; build it with `cargo build -p siaga-app`");
        }
        Desk::launch_binary(Path::new(&app), env).await
    }

    /// Starts the desk binary at `app` (e.g. the one a package installed) with extra environment, and
    /// waits for its shell.
    pub async fn launch_binary(app: &Path, env: &[(&str, &str)]) -> Result<Desk> {
        Desk::launch_binary_showing(app, env, "#app-shell").await
    }

    /// Starts the desk as a new install meets it: no `SIAGA_CENTRAL_URL`, the session's own (empty) config
    /// folder unless `env` names one, and waits for the setup screen.
    pub async fn launch_first_run(app: &Path, env: &[(&str, &str)]) -> Result<Desk> {
        let mut env = env.to_vec();
        env.push(("SIAGA_CENTRAL_URL", ""));
        Desk::launch_binary_showing(app, &env, "#desk-setup").await
    }

    /// Starts the desk binary at `app` with extra environment, and waits for `first` to be on screen. Unless
    /// the test names a central, the desk gets one where nothing listens (offline, as a desk whose central
    /// is down), so it opens on its shell rather than on the first-run setup screen.
    async fn launch_binary_showing(app: &Path, env: &[(&str, &str)], first: &str) -> Result<Desk> {
        let app = app.to_string_lossy().into_owned();
        std::env::var("DISPLAY").context("no DISPLAY: run under xvfb-run (./dev test does)")?;
        let profile = TempDir::new("siaga-e2e")?;
        for sub in ["data", "config"] {
            std::fs::create_dir_all(profile.path.join(sub))?;
        }
        // The GPU shader cache may be shared (and outlive a session's processes); stored preferences may not.
        let shared_cache = std::env::temp_dir().join("siaga-e2e-cache");
        std::fs::create_dir_all(&shared_cache)?;
        let port = free_port()?;
        let native_port = free_port()?;
        let mut command = Command::new("tauri-driver");
        command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("XDG_DATA_HOME", profile.path.join("data"))
            // The store's key in files beside the data (never the session's keyring, which a test
            // machine may not have or may answer with an unlock prompt): a relaunch on the same
            // SIAGA_DATA_DIR finds its key again.
            .env("SIAGA_STORE_KEY_DIR", store_key_dir(env, &profile.path))
            .env("XDG_CONFIG_HOME", profile.path.join("config"))
            .env("XDG_CACHE_HOME", &shared_cache)
            .env("SIAGA_CENTRAL_URL", "http://127.0.0.1:9")
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            // The driver's, WebKit's and the desk's own messages, read by siaga-nik-scan after the suite.
            .stderr(nik_scan::log_file("desk")?.1)
            .process_group(0);
        let driver = command
            .spawn()
            .context("starting tauri-driver (./dev setup installs it)")?;
        let driver = ProcessGroup {
            id: driver.id().context("tauri-driver exited at once")?,
            leader: driver,
        };
        wait_for_port(port).await?;

        let mut capabilities = serde_json::Map::new();
        capabilities.insert("browserName".into(), "wry".into());
        capabilities.insert("tauri:options".into(), serde_json::json!({ "application": app }));
        let client = ClientBuilder::native()
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .context("opening a WebDriver session")?;
        let desk = Desk {
            client,
            driver,
            profile,
        };
        desk.wait_for_css(first)
            .await
            .with_context(|| format!("{first} never appeared (blank window?)"))?;
        desk.assert_no_fatal_error().await?;
        Ok(desk)
    }

    /// The session's XDG data folder (`XDG_DATA_HOME`): where a desk launched without `SIAGA_DATA_DIR`
    /// keeps its store, under `siaga-110/`.
    pub fn xdg_data_home(&self) -> PathBuf {
        self.profile.path.join("data")
    }

    /// Waits for an element to exist. An element the UI replaced while WebKitWebDriver read it (it then answers
    /// "Could not parse element info", or a stale element) is looked for again, within the same time.
    pub async fn wait_for_css(&self, css: &str) -> Result<fantoccini::elements::Element> {
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self
                .client
                .wait()
                .at_most(left)
                .for_element(Locator::Css(css))
                .await
            {
                Ok(element) => return Ok(element),
                Err(err) if replaced_element(&err) && Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                Err(err) => return Err(err).with_context(|| format!("waiting for {css}")),
            }
        }
    }

    /// Runs a script and answers its value. WebKitWebDriver now and then answers a script with an empty error
    /// while the page is busy (a map swapping its style): that is retried until `deadline`, and reported if it
    /// lasts.
    #[allow(clippy::print_stderr)] // a retry is worth a line in the test's output
    pub async fn execute_until(
        &self,
        script: &str,
        args: Vec<serde_json::Value>,
        deadline: Instant,
    ) -> Result<serde_json::Value> {
        loop {
            match self.client.execute(script, args.clone()).await {
                Ok(value) => return Ok(value),
                Err(err) if Instant::now() <= deadline => {
                    eprintln!("the page could not answer yet ({err}); retrying");
                    tokio::time::sleep(Duration::from_millis(150)).await;
                }
                Err(err) => bail!("the page could not answer: {err}"),
            }
        }
    }

    /// Runs one of the harness's own idempotent scripts (scroll, read an attribute, wait for a paint). A
    /// reply WebKitWebDriver could not read back ("Could not parse script result", or an empty error while
    /// the page re-renders) is a hiccup of the driver, not an answer: such a script is run again, for a few
    /// seconds at most; any other error is reported at once.
    async fn run_idempotent(
        &self,
        script: &str,
        args: Vec<serde_json::Value>,
        asynchronous: bool,
    ) -> Result<serde_json::Value> {
        let deadline = Instant::now() + DRIVER_HICCUP_GRACE;
        loop {
            let answer = if asynchronous {
                self.client.execute_async(script, args.clone()).await
            } else {
                self.client.execute(script, args.clone()).await
            };
            match answer {
                Ok(value) => return Ok(value),
                Err(err) if Instant::now() <= deadline && driver_hiccup(&err) => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(err) => return Err(err.into()),
            }
        }
    }

    /// Saves the new-report form and waits until this report is saved: the form empties its description
    /// only then (the "saved" message may still stand from the report before).
    pub async fn save_report(&self) -> Result<()> {
        self.click("#report-submit").await?;
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            let value = self
                .client
                .execute(
                    "return document.querySelector('#report-description').value;",
                    vec![],
                )
                .await?;
            if value.as_str() == Some("") {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("the report was not saved within {UI_TIMEOUT:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Signs in through the shell's form as `user` and waits until the status bar names them.
    pub async fn sign_in(&self, user: &str, password: &str) -> Result<()> {
        self.click("#sign-in-open").await?;
        self.type_into("#sign-in-username", user).await?;
        self.type_into("#sign-in-password", password).await?;
        self.click("#sign-in-submit").await?;
        self.wait_for_text("#operator-name", |t| t == user).await?;
        Ok(())
    }

    /// The visible text of an element.
    pub async fn text(&self, css: &str) -> Result<String> {
        Ok(self.wait_for_css(css).await?.text().await?.trim().to_owned())
    }

    /// Waits until `css`'s text satisfies `accept`, and returns it.
    pub async fn wait_for_text(&self, css: &str, accept: impl Fn(&str) -> bool) -> Result<String> {
        let deadline = Instant::now() + UI_TIMEOUT;
        loop {
            let text = self.text(css).await?;
            if accept(&text) {
                return Ok(text);
            }
            if Instant::now() > deadline {
                bail!("{css} shows {text:?}, which never became what the test expects");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Brings an element to the middle of its scrolling box, clear of the fixed top and status bars, as
    /// a user scrolls to what they work on.
    async fn scroll_to(&self, css: &str) -> Result<()> {
        self.run_idempotent(
            "const e = document.querySelector(arguments[0]); if (e) e.scrollIntoView({block: 'center'});",
            vec![css.into()],
            false,
        )
        .await?;
        Ok(())
    }

    /// Types into an input (after clearing it).
    pub async fn type_into(&self, css: &str, text: &str) -> Result<()> {
        // A field the UI re-rendered between finding it and typing (WebKitWebDriver then answers "Could not
        // parse element file upload information", or a stale element) is found again; the field is cleared
        // before each try, so nothing is typed twice.
        let mut tries = 0;
        loop {
            let input = self.wait_for_css(css).await?;
            self.scroll_to(css).await?;
            let typed = match input.clear().await {
                Ok(()) => input.send_keys(text).await,
                Err(err) => Err(err),
            };
            match typed {
                Ok(()) => return Ok(()),
                Err(err) if tries < 3 && replaced_element(&err) => tries += 1,
                Err(err) => return Err(err).with_context(|| format!("typing into {css}")),
            }
        }
    }

    /// Clicks an element.
    pub async fn click(&self, css: &str) -> Result<()> {
        let element = self.wait_for_css(css).await?;
        self.scroll_to(css).await?;
        element.click().await.with_context(|| format!("clicking {css}"))
    }

    /// An attribute of the document's root element (`lang`, `data-theme`).
    pub async fn root_attribute(&self, name: &str) -> Result<String> {
        let value = self
            .run_idempotent(
                "return document.documentElement.getAttribute(arguments[0]);",
                vec![name.into()],
                false,
            )
            .await?;
        Ok(value.as_str().unwrap_or_default().to_owned())
    }

    /// Fails if the UI reported a panic or a load failure in the window.
    pub async fn assert_no_fatal_error(&self) -> Result<()> {
        if let Ok(banner) = self.client.find(Locator::Id("fatal-error")).await {
            bail!(
                "the window shows an error: {}",
                banner.text().await.unwrap_or_default()
            );
        }
        Ok(())
    }

    /// Saves a PNG of the window as WebDriver sees it, under `SIAGA_SCREENSHOT_DIR` (default `target/e2e`).
    pub async fn screenshot(&self, name: &str) -> Result<PathBuf> {
        // WebKitWebDriver returns the last painted frame: let the DOM changes of the last action reach the
        // screen first.
        let path = self.painted_shot_path(name).await?;
        // Taking a picture is idempotent: WebKitWebDriver's empty answer now and then is tried again.
        let deadline = Instant::now() + DRIVER_HICCUP_GRACE;
        let png = loop {
            match self.client.screenshot().await {
                Ok(png) => break png,
                Err(err) if Instant::now() <= deadline && driver_hiccup(&err) => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                Err(err) => return Err(err.into()),
            }
        };
        if png.len() < 1024 {
            bail!("screenshot {name} is only {} bytes: blank window?", png.len());
        }
        std::fs::write(&path, png)?;
        Ok(path)
    }

    /// CPU time (seconds, user and system) the desk's processes have used so far: the desk and its WebKit
    /// processes (its process group, without tauri-driver and WebKitWebDriver).
    pub async fn cpu_seconds(&self) -> Result<f64> {
        let out = Command::new("pgrep")
            .args(["-g", &self.driver.id.to_string()])
            .output()
            .await
            .context("running pgrep")?;
        let mut ticks = 0u64;
        for pid in String::from_utf8_lossy(&out.stdout).split_whitespace() {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            let Some((name, rest)) = stat.split_once('(').and_then(|(_, r)| r.rsplit_once(')')) else {
                continue;
            };
            if matches!(name, "tauri-driver" | "WebKitWebDriver") {
                continue;
            }
            // utime and stime: fields 14 and 15, the 12th and 13th after the name.
            let fields: Vec<&str> = rest.split_whitespace().collect();
            ticks += [11, 12]
                .iter()
                .filter_map(|i| fields.get(*i).and_then(|v| v.parse::<u64>().ok()))
                .sum::<u64>();
        }
        // The kernel's USER_HZ: 100 on Linux everywhere.
        Ok(ticks as f64 / 100.0)
    }

    /// The pids of the desk's WebKit web processes (the page's), found in its process group.
    pub async fn web_processes(&self) -> Result<Vec<u32>> {
        let out = Command::new("pgrep")
            .args(["-g", &self.driver.id.to_string(), "-f", "WebKitWebProcess"])
            .output()
            .await
            .context("running pgrep")?;
        Ok(String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .filter_map(|pid| pid.parse().ok())
            .collect())
    }

    /// Saves a PNG of the whole X screen (Xvfb) as it really is, with ImageMagick's `import`: WebKitWebDriver
    /// can hand back a stale frame of a WebGL canvas right after a style switch, the X server cannot.
    pub async fn screenshot_screen(&self, name: &str) -> Result<PathBuf> {
        let path = self.painted_shot_path(name).await?;
        import_screen(&path).await?;
        Ok(path)
    }

    /// [`Desk::screenshot_screen`] without asking the page first (its WebDriver session may be gone, after a
    /// crash of its web process, say).
    pub async fn screenshot_screen_now(&self, name: &str) -> Result<PathBuf> {
        let path = shot_dir()?.join(format!("{name}.png"));
        import_screen(&path).await?;
        Ok(path)
    }

    /// Waits until the last action's DOM changes are painted, and answers where screenshot `name` goes
    /// (under `SIAGA_SCREENSHOT_DIR`, default `target/e2e`).
    async fn painted_shot_path(&self, name: &str) -> Result<PathBuf> {
        let dir = shot_dir()?;
        self.run_idempotent(
            "const done = arguments[0]; \
             requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 400)));",
            vec![],
            true,
        )
        .await?;
        Ok(dir.join(format!("{name}.png")))
    }

    /// Answers the system's file dialog titled `title` (GTK's file chooser, a window of its own that
    /// WebDriver cannot reach) as an operator would at the keyboard: the location field (Ctrl+L), the
    /// path typed, Enter — or Escape when `path` is `None`. Waits for the dialog to open and to close.
    pub async fn answer_file_dialog(&self, title: &str, path: Option<&Path>, shot: &str) -> Result<()> {
        let started = Instant::now();
        let window = loop {
            let found = xdotool(&["search", "--onlyvisible", "--name", title]).await?;
            if let Some(id) = found.split_whitespace().next() {
                break id.to_owned();
            }
            if started.elapsed() > Duration::from_secs(20) {
                bail!("no file dialog titled {title:?} opened within 20 s");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        };
        // The dialog draws its folder list after it maps: let it settle before it is shown and typed into.
        tokio::time::sleep(Duration::from_millis(800)).await;
        self.screenshot_screen(shot).await?;
        xdotool(&["windowfocus", "--sync", &window]).await?;
        match path {
            Some(path) => {
                xdotool(&["key", "--clearmodifiers", "ctrl+l"]).await?;
                tokio::time::sleep(Duration::from_millis(300)).await;
                let text = path.to_str().context("a path the keyboard can type")?;
                xdotool(&["type", "--delay", "15", text]).await?;
                tokio::time::sleep(Duration::from_millis(300)).await;
                xdotool(&["key", "Return"]).await?;
            }
            None => {
                xdotool(&["key", "Escape"]).await?;
            }
        }
        let started = Instant::now();
        while xdotool(&["search", "--onlyvisible", "--name", title])
            .await?
            .contains(&window)
        {
            if started.elapsed() > Duration::from_secs(10) {
                bail!("the file dialog {title:?} did not close after it was answered");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    /// The process group of the driver, its WebKitWebDriver and the app (its id is the driver's pid).
    pub fn process_group(&self) -> u32 {
        self.driver.id
    }

    /// Ends the WebDriver session (closing the app) and stops the driver gracefully: after SIGKILL its
    /// WebKitWebDriver child would keep its port. Whatever is left of the group is ended on drop.
    pub async fn close(mut self) -> Result<()> {
        let closed = self.client.clone().close().await;
        let _ = Command::new("kill")
            .args(["-TERM", &self.driver.id.to_string()])
            .status()
            .await;
        let _ = tokio::time::timeout(Duration::from_secs(5), self.driver.leader.wait()).await;
        closed.context("closing the WebDriver session")
    }
}

/// Where screenshots go (`SIAGA_SCREENSHOT_DIR`, default `target/e2e`), made if missing.
fn shot_dir() -> Result<PathBuf> {
    let dir = PathBuf::from(std::env::var("SIAGA_SCREENSHOT_DIR").unwrap_or_else(|_| "target/e2e".into()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Saves the whole X screen to `path` with ImageMagick's `import`.
async fn import_screen(path: &Path) -> Result<()> {
    let status = Command::new("import")
        .args(["-window", "root"])
        .arg(path)
        .status()
        .await
        .context("running ImageMagick's import")?;
    if !status.success() {
        bail!("import -window root failed for {}", path.display());
    }
    Ok(())
}

/// A process group that is ended when dropped: SIGTERM to every member, then SIGKILL to whatever is
/// still there after a grace period (WebKitWebDriver gives its port back only on SIGTERM).
#[derive(Debug)]
struct ProcessGroup {
    /// The group's id: its leader's pid.
    id: u32,
    /// tauri-driver, reaped here so that it does not linger as a zombie member of the group.
    leader: Child,
}

impl Drop for ProcessGroup {
    fn drop(&mut self) {
        if !signal_group(self.id, "-TERM") {
            return; // nobody left in the group
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            #[allow(clippy::disallowed_methods)] // `Drop` cannot await: waits for the group to end
            std::thread::sleep(Duration::from_millis(50));
            let _ = self.leader.try_wait();
            if !group_alive(self.id) {
                return;
            }
        }
        signal_group(self.id, "-KILL");
        let _ = self.leader.try_wait();
    }
}

/// Where a launched desk keeps its store's key files: `SIAGA_STORE_KEY_DIR` when the test names it, else
/// inside the test's `SIAGA_DATA_DIR` (so a second launch on it opens the same store, and the key goes when
/// the test's folder goes), else in the profile.
fn store_key_dir(env: &[(&str, &str)], profile: &Path) -> PathBuf {
    let named = |name: &str| env.iter().find(|(key, _)| *key == name).map(|(_, value)| *value);
    match (named("SIAGA_STORE_KEY_DIR"), named("SIAGA_DATA_DIR")) {
        (Some(dir), _) => PathBuf::from(dir),
        (None, Some(data)) => Path::new(data).join(".keys"),
        (None, None) => profile.join("keys"),
    }
}

/// Sends `signal` (`-TERM`, `-KILL`, `-0`) to every process of `group`; false when none is left.
fn signal_group(group: u32, signal: &str) -> bool {
    std::process::Command::new("kill")
        .args([signal, "--", &format!("-{group}")])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// Whether any process of process group `group` is still there.
pub fn group_alive(group: u32) -> bool {
    signal_group(group, "-0")
}

/// A folder removed when dropped.
#[derive(Debug)]
pub(crate) struct TempDir {
    pub(crate) path: PathBuf,
}

impl TempDir {
    fn new(prefix: &str) -> Result<TempDir> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_nanos();
        let path = std::env::temp_dir().join(format!("{prefix}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path)?;
        Ok(TempDir { path })
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

async fn wait_for_port(port: u16) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(10);
    while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        if Instant::now() > deadline {
            bail!("the WebDriver server did not listen on port {port}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

/// How long a harness script is retried after a reply the driver could not read.
const DRIVER_HICCUP_GRACE: Duration = Duration::from_secs(10);

/// A reply WebKitWebDriver failed to read back from the page (seen in CI on 2026-12-04 while clicking
/// through the rail: "Could not parse script result"), or the empty error it gives while the page is busy.
fn driver_hiccup(err: &fantoccini::error::CmdError) -> bool {
    match err {
        fantoccini::error::CmdError::Standard(wd) => {
            let message = &wd.message;
            message.is_empty() || message.contains("Could not parse script result")
        }
        _ => false,
    }
}

/// Whether WebDriver failed because the element was replaced under it (a re-render), not because of the page.
fn replaced_element(err: &fantoccini::error::CmdError) -> bool {
    let text = err.to_string();
    text.contains("stale element")
        || text.contains("element file upload information")
        || text.contains("Could not parse element info")
}

/// Runs `xdotool` on the test's X display and answers what it printed (a search that finds nothing
/// prints nothing and is not an error).
async fn xdotool(args: &[&str]) -> Result<String> {
    let out = Command::new("xdotool")
        .args(args)
        .output()
        .await
        .context("running xdotool (Debian package xdotool)")?;
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    let found_nothing = args.first() == Some(&"search") && printed.is_empty();
    if !out.status.success() && !found_nothing {
        bail!(
            "xdotool {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(printed)
}
