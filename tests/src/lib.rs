//! Harness for Folio's end-to-end tests.
//!
//! - [`site_dir`]: the built site (`dist/`), building it with `make build` unless
//!   `FOLIO_DIST` points at one already built;
//! - [`StaticServer`]: a plain static file server (no rewriting, no special routes) — what a
//!   person hosting `dist/` would use — optionally under a sub-path;
//! - [`Browser`]: a headless browser session over WebDriver (chromedriver by default), so
//!   the same tests can drive other browsers later.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

mod server;
pub use server::StaticServer;

pub use fantoccini::{Client, Locator};

/// The repository root (this crate lives in `tests/`).
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The built site. Uses `FOLIO_DIST` when set (the Makefile builds first and sets it);
/// otherwise runs `make build` once per test process.
pub fn site_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        if let Some(dir) = std::env::var_os("FOLIO_DIST") {
            return PathBuf::from(dir);
        }
        let status = Command::new("make")
            .arg("build")
            .current_dir(repo_root())
            .status()
            .expect("run `make build`");
        assert!(status.success(), "`make build` failed");
        repo_root().join("dist")
    })
}

/// A WebDriver server process (chromedriver), started once per test process.
struct Driver {
    port: u16,
    child: Child,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An X display for browsers that cannot run without one (WebKitGTK's MiniBrowser has no
/// headless mode in Debian 12): `DISPLAY` when set, else an Xvfb started for this process.
fn display() -> String {
    static XVFB: OnceLock<(String, Option<Child>)> = OnceLock::new();
    XVFB.get_or_init(|| {
        if let Ok(display) = std::env::var("DISPLAY") {
            return (display, None);
        }
        let number = (90..200)
            .find(|n| {
                !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                    && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
            })
            .expect("a free X display number");
        let child = Command::new("Xvfb")
            .args([
                format!(":{number}").as_str(),
                "-screen",
                "0",
                "1280x1024x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start Xvfb: {e} (run `make tools`)"));
        let deadline = Instant::now() + Duration::from_secs(10);
        while !Path::new(&format!("/tmp/.X11-unix/X{number}")).exists() {
            assert!(Instant::now() < deadline, "Xvfb did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        // Leaked on purpose: the display lives as long as the test process.
        (format!(":{number}"), Some(child))
    })
    .0
    .clone()
}

/// Starts a WebDriver server `binary` on a free port, with `args` before the port flag.
fn start_driver(binary: &str, args: &[&str], port_flag: &str) -> Driver {
    start_driver_with_env(binary, args, port_flag, &[])
}

fn start_driver_with_env(
    binary: &str,
    args: &[&str],
    port_flag: &str,
    env: &[(&str, String)],
) -> Driver {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("find a free port")
        .port();
    let child = Command::new(binary)
        .args(args)
        .arg(format!("{port_flag}{port}"))
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {binary}: {e} (run `make tools`)"));
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "{binary} did not start listening on {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Driver { port, child }
}

/// chromedriver, shared by every Chromium session of the process.
fn chromedriver() -> &'static Driver {
    static DRIVER: OnceLock<Driver> = OnceLock::new();
    DRIVER.get_or_init(|| {
        let binary =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        start_driver(&binary, &[], "--port=")
    })
}

/// Which browser the suite drives: `FOLIO_BROWSER` = `chromium` (the default), `firefox`
/// (Debian's firefox-esr through geckodriver) or `webkit` (WebKitGTK's MiniBrowser through
/// WebKitWebDriver).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BrowserKind {
    Chromium,
    Firefox,
    WebKit,
}

impl BrowserKind {
    pub fn from_env() -> BrowserKind {
        match std::env::var("FOLIO_BROWSER").as_deref() {
            Ok("firefox") => BrowserKind::Firefox,
            Ok("webkit") => BrowserKind::WebKit,
            Ok("chromium") | Ok("") | Err(_) => BrowserKind::Chromium,
            Ok(other) => panic!("FOLIO_BROWSER={other}: expected chromium, firefox or webkit"),
        }
    }
}

/// A headless browser session. Call [`Browser::close`] at the end of a test: the session
/// cannot end itself on drop (that would need an async drop).
pub struct Browser {
    pub client: Client,
    pub kind: BrowserKind,
    _profile: tempfile::TempDir,
    /// geckodriver and WebKitWebDriver serve one session each: they live with it.
    _driver: Option<Driver>,
    _watchdog: Watchdog,
}

/// A browser session must end within this: a browser that crashed leaves its WebDriver
/// request unanswered, and the test would wait for ever (seen once in WebKit under load).
const SESSION_LIMIT: Duration = Duration::from_secs(300);

/// Ends the test process when a session outlives [`SESSION_LIMIT`]: a hung run fails in
/// minutes, with a message, instead of at the CI's time limit.
struct Watchdog(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Watchdog {
    fn start(kind: BrowserKind) -> Watchdog {
        let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let seen = done.clone();
        std::thread::spawn(move || {
            std::thread::sleep(SESSION_LIMIT);
            if !seen.load(std::sync::atomic::Ordering::SeqCst) {
                eprintln!(
                    "a {kind:?} session ran past {SESSION_LIMIT:?}: the browser or its WebDriver \
                     server stopped answering; ending the test run"
                );
                std::process::exit(101);
            }
        });
        Watchdog(done)
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

impl Browser {
    /// Starts the headless browser `FOLIO_BROWSER` names (Chromium by default) with the
    /// flags this machine kind needs (no network beyond localhost, running as root, a fresh
    /// profile).
    pub async fn start() -> Browser {
        Browser::start_with(&[]).await
    }

    /// [`Browser::start`] with more Chromium flags (`--force-dark-mode` for the dark theme,
    /// `--window-size=360,780` for a phone); other browsers ignore them.
    pub async fn start_with(extra: &[&str]) -> Browser {
        let kind = BrowserKind::from_env();
        let profile = tempfile::tempdir().expect("temporary profile directory");
        let (capabilities, driver) = match kind {
            BrowserKind::Chromium => {
                let chromium =
                    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
                let mut args = vec![
                    "--headless=new".to_string(),
                    "--no-sandbox".into(),
                    "--disable-gpu".into(),
                    "--disable-dev-shm-usage".into(),
                    "--disable-quic".into(),
                    "--no-first-run".into(),
                    "--disable-background-networking".into(),
                    "--disable-component-update".into(),
                    "--disable-sync".into(),
                    "--window-size=1280,900".into(),
                    format!("--user-data-dir={}", profile.path().display()),
                ];
                args.extend(extra.iter().map(|a| a.to_string()));
                let capabilities = serde_json::json!({
                    "browserName": "chrome",
                    "goog:chromeOptions": { "binary": chromium, "args": args }
                });
                (capabilities, None)
            }
            BrowserKind::Firefox => {
                let firefox =
                    std::env::var("FIREFOX").unwrap_or_else(|_| "/usr/bin/firefox-esr".into());
                let geckodriver =
                    std::env::var("GECKODRIVER").unwrap_or_else(|_| "geckodriver".into());
                let driver = start_driver(&geckodriver, &["--log", "fatal"], "--port=");
                let capabilities = serde_json::json!({
                    "browserName": "firefox",
                    "moz:firefoxOptions": {
                        "binary": firefox,
                        "args": ["-headless", "-width=1280", "-height=900"],
                        "prefs": {
                            "network.proxy.type": 0,
                            "app.update.enabled": false,
                            "browser.shell.checkDefaultBrowser": false,
                            "datareporting.policy.dataSubmissionEnabled": false,
                        }
                    }
                });
                (capabilities, Some(driver))
            }
            BrowserKind::WebKit => {
                let driver_binary = std::env::var("WEBKIT_DRIVER")
                    .unwrap_or_else(|_| "/usr/bin/WebKitWebDriver".into());
                let minibrowser = std::env::var("WEBKIT_BROWSER").unwrap_or_else(|_| {
                    "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser".into()
                });
                let driver = start_driver_with_env(
                    &driver_binary,
                    &[],
                    "--port=",
                    &[("DISPLAY", display())],
                );
                let capabilities = serde_json::json!({
                    "browserName": "MiniBrowser",
                    "webkitgtk:browserOptions": {
                        "binary": minibrowser,
                        "args": ["--automation"]
                    }
                });
                (capabilities, Some(driver))
            }
        };
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!()
        };
        let port = driver
            .as_ref()
            .map_or_else(|| chromedriver().port, |d| d.port);
        let client = fantoccini::ClientBuilder::rustls()
            .expect("TLS setup for the WebDriver client")
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .unwrap_or_else(|e| panic!("start a {kind:?} session over WebDriver: {e}"));
        if kind != BrowserKind::Chromium {
            let _ = client.set_window_size(1280, 900).await;
        }
        Browser {
            client,
            kind,
            _profile: profile,
            _driver: driver,
            _watchdog: Watchdog::start(kind),
        }
    }

    pub async fn close(self) {
        let _ = self.client.close().await;
    }
}

/// Polls `check` until it returns `Some`, or panics with `what` after `timeout`.
pub async fn wait_for<T, F, Fut>(timeout: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {timeout:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// A copy of the built site in a temporary directory, without its `data/` folder: tests
/// put a broken or hostile index there.
pub fn site_copy() -> tempfile::TempDir {
    let copy = tempfile::tempdir().expect("a temporary directory");
    for entry in std::fs::read_dir(site_dir())
        .expect("read the site")
        .flatten()
    {
        if entry.file_type().map(|t| t.is_file()).unwrap_or(false) {
            std::fs::copy(entry.path(), copy.path().join(entry.file_name())).expect("copy");
        }
    }
    copy
}

/// A copy of the built site with its index folder, which `edit` may change first (damage
/// a piece, rewrite the manifest), as a broken or hostile host would serve it.
pub fn site_copy_with_index(edit: impl FnOnce(&Path)) -> tempfile::TempDir {
    let copy = site_copy();
    let data = copy.path().join("data");
    std::fs::create_dir(&data).expect("data folder");
    for entry in std::fs::read_dir(site_dir().join("data"))
        .expect("the built index")
        .flatten()
    {
        std::fs::copy(entry.path(), data.join(entry.file_name())).expect("copy");
    }
    edit(&data);
    copy
}

/// The `folio` binary (`target/release/folio`, built by `make build`; `FOLIO_BIN`
/// overrides).
pub fn folio_bin() -> PathBuf {
    std::env::var_os("FOLIO_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/release/folio"))
}

/// Runs `folio` with `args`, its output discarded; panics unless it succeeds.
pub fn folio(args: &[&str]) {
    let bin = folio_bin();
    let status = Command::new(&bin)
        .args(args)
        .stdout(Stdio::null())
        .status()
        .unwrap_or_else(|e| panic!("run {}: {e}", bin.display()));
    assert!(status.success(), "folio {args:?} failed");
}

/// Runs the indexer over `inputs` into `out`.
pub fn index_into(inputs: &[&Path], out: &Path) {
    let mut args = vec!["index"];
    args.extend(inputs.iter().map(|p| p.to_str().expect("a UTF-8 path")));
    args.extend(["--out", out.to_str().expect("a UTF-8 path")]);
    folio(&args);
}
