//! A real browser for the tests: headless Chromium driven through its own
//! chromedriver, with checks that every page passes axe (WCAG 2.x A/AA),
//! reflows without horizontal scrolling, and keeps a visible focus
//! indicator — plus a screenshot of every page checked. A page the journey
//! leaves without calling `check_page` is checked as it leaves, so every
//! page visited is covered; each screenshot's path is printed as it is
//! taken and listed again at the end.
//!
//! A journey reads like what a person does:
//!
//! ```ignore
//! let Some(mut browser) = Browser::start(&app, "front_page", Audience::Public).await else { return };
//! browser.goto(ALPHA, "/").await;
//! browser.check_page("nb").await;
//! browser.click_link("English").await;
//! browser.finish().await;
//! ```

use std::io::{Read as _, Write as _};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource as _, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

use radslag::domain::SecretToken;

use crate::common::{ALPHA, BETA, TestApp};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const AXE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/static/node_modules/axe-core/axe.min.js");

/// Whose pages a browser looks at; decides the window size and whether
/// the reflow check runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Residents and the public, on a phone: 360×740, reflow checked.
    Public,
    /// Municipal staff, on a desktop: 1280×900.
    Staff,
}

impl Audience {
    fn viewport(self) -> (u32, u32) {
        match self {
            Audience::Public => (360, 740),
            Audience::Staff => (1280, 900),
        }
    }
}

/// Whether the browser runs page JavaScript.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JavaScript {
    /// As a normal browser.
    On,
    /// Blocked by the browser's content settings, for the no-JS checks.
    Off,
}

/// A chromedriver process on a free port, killed when dropped.
struct Driver {
    child: Child,
    port: u16,
    session: Option<String>,
    profile: PathBuf,
}

impl Driver {
    async fn start() -> Self {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = std::env::temp_dir().join("radslag-tests").join(format!("chromium-{}", unique()));
        std::fs::create_dir_all(&profile).expect("profile dir");
        let driver = Self { child, port, session: None, profile };
        let status = format!("http://127.0.0.1:{port}/status");
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Ok(response) = client.get(&status).send().await
                && let Ok(body) = response.json::<Value>().await
                && body["value"]["ready"] == json!(true)
            {
                return driver;
            }
            assert!(Instant::now() < deadline, "chromedriver did not answer on port {port} within 20 s");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // End the session first so chromedriver closes Chromium, even when a
        // test panicked before `finish`; then stop chromedriver itself.
        if let Some(session) = &self.session
            && let Ok(mut stream) = TcpStream::connect((Ipv4Addr::LOCALHOST, self.port))
        {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let request = format!(
                "DELETE /session/{session} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                self.port
            );
            if stream.write_all(request.as_bytes()).is_ok() {
                let _ = stream.read_to_end(&mut Vec::new());
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn unique() -> String {
    SecretToken::generate().reveal()[..12].to_owned()
}

/// Whether Chromium and chromedriver are here. In CI their absence fails
/// the test; elsewhere the test says so in one line and passes.
fn browser_installed() -> bool {
    let installed = Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists();
    if !installed {
        assert!(std::env::var_os("CI").is_none(), "Chromium and chromedriver must be installed in CI");
        eprintln!("skipped: Chromium/chromedriver not installed");
    }
    installed
}

fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"), PathBuf::from);
    let target = if target.is_absolute() { target } else { Path::new(env!("CARGO_MANIFEST_DIR")).join(target) };
    target.join("screenshots")
}

/// A headless Chromium session looking at one test app.
pub struct Browser {
    client: Client,
    port: u16,
    test: String,
    audience: Audience,
    javascript: JavaScript,
    screenshots: Mutex<Vec<PathBuf>>,
    /// The root element of the last page checked, so a page left without
    /// a check is noticed.
    checked_root: Mutex<Option<String>>,
    // Dropped last: ends the session and chromedriver.
    driver: Driver,
}

impl Browser {
    /// Start a browser for the test named `test` (used in screenshot names).
    /// `None` when Chromium is not installed here (outside CI).
    pub async fn start(app: &TestApp, test: &str, audience: Audience) -> Option<Self> {
        Self::start_with(app, test, audience, JavaScript::On).await
    }

    /// Like [`Browser::start`], choosing whether JavaScript runs.
    pub async fn start_with(app: &TestApp, test: &str, audience: Audience, javascript: JavaScript) -> Option<Self> {
        if !browser_installed() {
            return None;
        }
        let mut driver = Driver::start().await;
        let mut args = vec![
            "--headless=new".to_owned(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            format!("--user-data-dir={}", driver.profile.display()),
            format!("--host-resolver-rules=MAP {ALPHA} 127.0.0.1, MAP {BETA} 127.0.0.1"),
            // A language no test municipality offers, so each page starts
            // in the municipality's default language.
            "--accept-lang=de-DE,de".into(),
        ];
        let (width, height) = audience.viewport();
        args.push(format!("--window-size={width},{height}"));
        let mut options = json!({ "binary": CHROMIUM, "args": args });
        if javascript == JavaScript::Off {
            options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
        }
        let mut capabilities = Capabilities::new();
        capabilities.insert("browserName".into(), json!("chrome"));
        capabilities.insert("goog:chromeOptions".into(), options);
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", driver.port))
            .await
            .expect("a Chromium session starts");
        driver.session = client.session_id().await.expect("session id");
        let mut browser = Self {
            client,
            port: app.port,
            test: test.to_owned(),
            audience,
            javascript,
            screenshots: Mutex::new(Vec::new()),
            checked_root: Mutex::new(None),
            driver,
        };
        if javascript == JavaScript::On {
            browser.set_viewport(width, height).await;
        }
        Some(browser)
    }

    // Loading and checking take `&mut self`, as the journeys (and
    // tests/results.rs) are written; the `&self` versions behind them let
    // navigation helpers check the page they leave.

    /// Load `path` at `host` (for example `ALPHA`, `"/"`).
    pub async fn goto(&mut self, host: &str, path: &str) {
        self.visit(host, path).await;
    }

    /// Load any URL.
    pub async fn goto_url(&mut self, url: &str) {
        self.visit_url(url).await;
    }

    /// Screenshot, axe, and (for public pages) the target-size and reflow
    /// checks. `step` names the screenshot.
    pub async fn check_page(&mut self, step: &str) {
        self.check(step).await;
    }

    /// Save a PNG of the viewport to `target/screenshots/<test>-<step>.png`.
    pub async fn screenshot(&mut self, step: &str) {
        self.shoot(step).await;
    }

    /// Save a PNG of the whole page, top to bottom, at the current width
    /// (`target/screenshots/<test>-<step>-full.png`).
    pub async fn screenshot_full_page(&mut self, step: &str) {
        self.shoot_full_page(step).await;
    }

    /// What the reflow check (WCAG 1.4.10) finds, as a list of problems.
    pub async fn reflow_problems(&mut self, step: &str) -> Vec<String> {
        self.reflow_problems_of(step).await
    }

    /// Size the window so the page's viewport is `width`×`height` CSS px.
    pub async fn set_viewport(&mut self, width: u32, height: u32) {
        self.resize(width, height).await;
    }

    /// The screenshots taken so far.
    pub fn screenshots(&self) -> Vec<PathBuf> {
        self.screenshots.lock().expect("lock").clone()
    }

    /// The WebDriver client, for anything the helpers do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// [`Browser::goto`] for helpers that only borrow the browser.
    async fn visit(&self, host: &str, path: &str) {
        self.check_if_unchecked().await;
        let url = format!("http://{host}:{}{path}", self.port);
        self.client.goto(&url).await.unwrap_or_else(|e| panic!("load {url}: {e}"));
    }

    /// [`Browser::goto_url`] for helpers that only borrow the browser.
    async fn visit_url(&self, url: &str) {
        self.check_if_unchecked().await;
        self.client.goto(url).await.unwrap_or_else(|e| panic!("load {url}: {e}"));
    }

    /// The path (and query) of the current page.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("current url");
        match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_owned(),
        }
    }

    /// The `lang` of the document.
    pub async fn lang(&self) -> String {
        self.find_css("html").await.attr("lang").await.expect("lang").unwrap_or_default()
    }

    /// The text of the page's `h1`.
    pub async fn heading(&self) -> String {
        self.find_css("main h1").await.text().await.expect("h1 text")
    }

    /// The element matching a CSS selector (fails the test if none).
    pub async fn find_css(&self, selector: &str) -> Element {
        self.client.find(Locator::Css(selector)).await.unwrap_or_else(|e| panic!("no element {selector}: {e}"))
    }

    /// The page's visible text.
    pub async fn text(&self) -> String {
        self.find_css("body").await.text().await.expect("body text")
    }

    /// [`Browser::check_page`] for helpers that only borrow the browser.
    async fn check(&self, step: &str) {
        *self.checked_root.lock().expect("lock") = Some(self.root_id().await);
        self.shoot(step).await;
        assert_eq!(self.javascript, JavaScript::On, "the page checks need scripts in the browser");
        self.axe(step).await;
        if self.audience == Audience::Public {
            self.targets(step).await;
            self.reflow(step).await;
        }
    }

    /// The WebDriver reference of the page's root element: a new page has
    /// a new one.
    async fn root_id(&self) -> String {
        self.find_css("html").await.element_id().to_string()
    }

    /// Every page of the app a journey visits is checked: before the
    /// browser leaves a page (or the journey ends) that no
    /// [`Browser::check_page`] looked at, the checks run on it now, named
    /// `auto-<path>` — or, with scripts off, a screenshot is taken.
    async fn check_if_unchecked(&self) {
        let Ok(url) = self.client.current_url().await else { return };
        if !matches!(url.scheme(), "http" | "https") {
            return;
        }
        let root = self.root_id().await;
        if self.checked_root.lock().expect("lock").as_deref() == Some(root.as_str()) {
            return;
        }
        let path: String = url.path().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
        let step = format!("auto{}", &path[..path.len().min(48)]);
        if self.javascript == JavaScript::On {
            self.check(&step).await;
        } else {
            *self.checked_root.lock().expect("lock") = Some(root);
            self.shoot(&step).await;
        }
    }

    /// WCAG 2.5.8, and comfortably more: every radio button and checkbox is
    /// at least 24×24 CSS px, has a `<label for>` that is clickable (nothing
    /// lies on top of it) and at least 44 px tall, so the label is the big
    /// target on a phone.
    pub async fn targets(&self, step: &str) {
        let problems = self.target_problems().await;
        assert!(
            problems.is_empty(),
            "{} ({step}) has small or unclickable targets:\n{}",
            self.test,
            problems.join("\n")
        );
    }

    /// What [`Browser::targets`] checks, as a list of problems.
    pub async fn target_problems(&self) -> Vec<String> {
        let problems = self
            .script(
                "const problems = [], x = window.scrollX, y = window.scrollY;
                 for (const input of document.querySelectorAll('input[type=radio], input[type=checkbox]')) {
                   const r = input.getBoundingClientRect();
                   if (r.width === 0 && r.height === 0) { continue; }
                   const what = input.outerHTML.slice(0, 120);
                   if (r.width < 24 || r.height < 24) {
                     problems.push(`${what} is ${r.width.toFixed(1)}×${r.height.toFixed(1)} px`);
                   }
                   const label = input.id ? document.querySelector(`label[for=\"${CSS.escape(input.id)}\"]`) : null;
                   if (!label) { problems.push(`${what} has no label`); continue; }
                   label.scrollIntoView({ block: 'center' });
                   const l = label.getBoundingClientRect();
                   if (l.height < 44) { problems.push(`the label of ${what} is only ${l.height.toFixed(1)} px tall`); }
                   const hit = document.elementFromPoint(l.left + l.width / 2, l.top + l.height / 2);
                   if (!hit || !(label.contains(hit) || hit === input)) {
                     problems.push(`the middle of the label of ${what} is covered by ${hit && hit.outerHTML.slice(0, 80)}`);
                   }
                 }
                 window.scrollTo(x, y);
                 return problems;",
            )
            .await;
        problems.as_array().expect("a list").iter().map(|p| p.as_str().unwrap_or_default().to_owned()).collect()
    }

    /// [`Browser::screenshot`] for helpers that only borrow the browser.
    async fn shoot(&self, step: &str) {
        let dir = screenshot_dir();
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        let file = {
            let mut screenshots = self.screenshots.lock().expect("lock");
            let mut file = dir.join(format!("{}-{step}.png", self.test));
            // The same step twice (a page loaded again) keeps both pictures.
            for n in 2.. {
                if !screenshots.contains(&file) {
                    break;
                }
                file = dir.join(format!("{}-{step}-{n}.png", self.test));
            }
            screenshots.push(file.clone());
            file
        };
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(&file, png).expect("write screenshot");
        eprintln!("screenshot {}", file.display());
    }

    /// [`Browser::screenshot_full_page`] for helpers that only borrow the
    /// browser.
    async fn shoot_full_page(&self, step: &str) {
        let (width, height) = self.audience.viewport();
        let full = self.script("return Math.ceil(document.documentElement.scrollHeight)").await;
        let full = u32::try_from(full.as_u64().expect("page height")).expect("page height").clamp(height, 8000);
        self.resize(width, full).await;
        self.shoot(&format!("{step}-full")).await;
        self.resize(width, height).await;
    }

    /// Run axe-core on the current page; fail listing every violation.
    pub async fn axe(&self, step: &str) {
        if let Some(report) = self.axe_report(step).await {
            panic!("{report}");
        }
    }

    /// Run axe-core on the current page and describe every violation, or
    /// `None` when there is none. Fails if axe did not really run.
    pub async fn axe_report(&self, step: &str) -> Option<String> {
        let source = std::fs::read_to_string(AXE).expect("axe-core is installed: run `npm ci --prefix static`");
        self.client.execute(&source, vec![]).await.expect("inject axe-core");
        let result = self
            .client
            .execute_async(
                r"const done = arguments[arguments.length - 1];
                  if (typeof window.axe === 'undefined') { done({ error: 'axe did not load' }); return; }
                  const nodes = list => list.map(n => ({
                    target: n.target, html: n.html, summary: n.failureSummary,
                    why: [...n.any, ...n.all, ...n.none].map(c => c.message).join(' '),
                  }));
                  window.axe.run(document, {
                    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
                  }).then(r => done({
                    passes: r.passes.map(p => p.id),
                    incomplete: r.incomplete.map(v => ({ id: v.id, nodes: nodes(v.nodes) })),
                    violations: r.violations.map(v => ({
                      id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, nodes: nodes(v.nodes),
                    })),
                  })).catch(e => done({ error: String(e) }));",
                vec![],
            )
            .await
            .expect("run axe-core");
        assert!(result["error"].is_null(), "axe failed on {step}: {}", result["error"]);
        let passes = result["passes"].as_array().expect("axe returned its passes");
        assert!(!passes.is_empty(), "axe ran no passing rule on {step}, so it did not really check the page");
        let violations = result["violations"].as_array().expect("axe returned its violations");
        let incomplete = result["incomplete"].as_array().expect("axe returned what it could not decide");
        eprintln!(
            "axe on {} ({step}): {} rules passed, {} violated, {} to review by hand",
            self.test,
            passes.len(),
            violations.len(),
            incomplete.len()
        );
        for review in incomplete {
            for node in review["nodes"].as_array().into_iter().flatten() {
                eprintln!("  review [{}] {}: {}", review["id"].as_str().unwrap_or("?"), node["target"], node["why"]);
            }
        }
        if violations.is_empty() {
            return None;
        }
        let mut report = format!("{} accessibility violation(s) on {} ({step}):\n", violations.len(), self.test);
        for violation in violations {
            report.push_str(&format!(
                "\n[{}] impact {}: {}\n  {}\n",
                violation["id"].as_str().unwrap_or("?"),
                violation["impact"].as_str().unwrap_or("?"),
                violation["help"].as_str().unwrap_or(""),
                violation["helpUrl"].as_str().unwrap_or("")
            ));
            for node in violation["nodes"].as_array().into_iter().flatten() {
                report.push_str(&format!(
                    "  - {}\n    {}\n    {}\n",
                    node["target"],
                    node["html"].as_str().unwrap_or(""),
                    node["summary"].as_str().unwrap_or("").replace('\n', "\n    ")
                ));
            }
        }
        Some(report)
    }

    /// WCAG 1.4.10: no horizontal scrolling at 320 CSS px, nor at 640 px
    /// with text at 200 %. Restores the window afterwards.
    async fn reflow(&self, step: &str) {
        let problems = self.reflow_problems_of(step).await;
        assert!(problems.is_empty(), "{} ({step}) scrolls sideways:\n{}", self.test, problems.join("\n"));
    }

    /// [`Browser::reflow_problems`] for helpers that only borrow the
    /// browser.
    async fn reflow_problems_of(&self, step: &str) -> Vec<String> {
        let (width, height) = self.audience.viewport();
        let mut problems = Vec::new();
        self.resize(320, 640).await;
        problems.extend(self.horizontal_scroll("320 px wide", &format!("{step}-320px")).await);
        self.resize(640, 640).await;
        self.script("document.documentElement.style.fontSize = '200%'").await;
        problems
            .extend(self.horizontal_scroll("640 px wide with text at 200 %", &format!("{step}-640px-200pct")).await);
        self.script("document.documentElement.style.fontSize = ''").await;
        self.resize(width, height).await;
        problems
    }

    async fn horizontal_scroll(&self, condition: &str, shot: &str) -> Option<String> {
        self.shoot(shot).await;
        let sizes = self
            .script(
                "const wide = [...document.querySelectorAll('body *')]
                   .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5
                             || e.scrollWidth > e.clientWidth + 0.5 && getComputedStyle(e).overflowX === 'visible')
                   .slice(0, 5).map(e => e.outerHTML.slice(0, 200));
                 return [document.documentElement.scrollWidth, window.innerWidth, wide];",
            )
            .await;
        let scroll_width = sizes[0].as_f64().expect("scrollWidth");
        let inner_width = sizes[1].as_f64().expect("innerWidth");
        (scroll_width > inner_width).then(|| {
            format!("at {condition}, content is {scroll_width} px in a {inner_width} px window; too wide: {}", sizes[2])
        })
    }

    /// [`Browser::set_viewport`] for helpers that only borrow the browser.
    async fn resize(&self, width: u32, height: u32) {
        self.client.set_window_size(width, height).await.expect("resize window");
        let inner = self.script("return [window.innerWidth, window.innerHeight]").await;
        let (inner_width, inner_height) = (inner[0].as_i64().expect("width"), inner[1].as_i64().expect("height"));
        let (extra_width, extra_height) = (i64::from(width) - inner_width, i64::from(height) - inner_height);
        if extra_width != 0 || extra_height != 0 {
            let outer_width = u32::try_from(i64::from(width) + extra_width).expect("width");
            let outer_height = u32::try_from(i64::from(height) + extra_height).expect("height");
            self.client.set_window_size(outer_width, outer_height).await.expect("resize window");
        }
        let inner = self.script("return window.innerWidth").await;
        assert_eq!(inner.as_i64(), Some(i64::from(width)), "the browser would not make its viewport {width} px wide");
    }

    /// Run a script in the page and return its result.
    pub async fn script(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap_or_else(|e| panic!("script {script}: {e}"))
    }

    /// The error summary (`#error-summary`) must be an alert, come after the
    /// `h1` and before every form, and each of its links must lead to a
    /// control that is marked invalid, is described by that same message,
    /// and takes focus when the link is followed. Returns the messages.
    pub async fn check_error_summary(&self) -> Vec<String> {
        let summary = self.find_css("#error-summary").await;
        assert_eq!(summary.attr("role").await.expect("role").as_deref(), Some("alert"), "{}", self.test);
        let order = self
            .script(
                "const main = document.querySelector('main'), s = document.getElementById('error-summary');
                 const after = (a, b) => !!(a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING);
                 return main.contains(s) && after(main.querySelector('h1'), s)
                   && [...main.querySelectorAll('form')].every(f => after(s, f));",
            )
            .await;
        assert_eq!(order, json!(true), "{}: the error summary must follow the h1 and precede the forms", self.test);
        let links = summary.find_all(Locator::Css("a")).await.expect("links");
        assert!(!links.is_empty(), "{}: an error summary without links", self.test);
        let mut messages = Vec::new();
        for link in links {
            let message = link.text().await.expect("text").trim().to_owned();
            let href = link.attr("href").await.expect("href").unwrap_or_default();
            let id = href.strip_prefix('#').unwrap_or_else(|| panic!("{}: {href} is not an in-page link", self.test));
            let target = self
                .client
                .find(Locator::Id(id))
                .await
                .unwrap_or_else(|_| panic!("{}: the summary links to #{id}, which is not on the page", self.test));
            let state = self
                .client
                .execute(
                    "const e = arguments[0];
                     const text = ids => (ids || '').split(/\\s+/).filter(Boolean)
                       .map(i => document.getElementById(i)?.textContent ?? '').join(' ');
                     const group = e.closest('fieldset');
                     return [e.getAttribute('aria-invalid'),
                             text(e.getAttribute('aria-describedby')) + ' ' + text(group?.getAttribute('aria-describedby'))];",
                    vec![serde_json::to_value(&target).expect("element reference")],
                )
                .await
                .expect("field state");
            assert_eq!(state[0], json!("true"), "{}: #{id} has an error but is not marked aria-invalid", self.test);
            let description = state[1].as_str().unwrap_or_default().split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                description.contains(&message),
                "{}: #{id} is not described by its error {message:?} (description: {description:?})",
                self.test
            );
            link.click().await.expect("follow the summary link");
            let focused = self.client.active_element().await.expect("focus");
            assert_eq!(
                focused.attr("id").await.expect("id").as_deref(),
                Some(id),
                "{}: following the link to {message:?} does not focus the field",
                self.test
            );
            messages.push(message);
        }
        messages
    }

    /// Choose a file for the file input labelled `label`.
    pub async fn choose_file(&self, label: &str, path: &Path) {
        self.field(label).await.send_keys(&path.display().to_string()).await.expect("choose file");
    }

    /// Press and release one key, without any check.
    pub async fn press(&self, key: Key) {
        let key = char::from(key);
        let actions =
            KeyActions::new("keyboard".into()).then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
        self.client.perform_actions(actions).await.expect("press key");
    }

    /// Press Tab once and check that the element now focused looks
    /// different from when it is not focused (WCAG 2.4.7): compares its
    /// outline, shadow, colours, underline and size focused and blurred,
    /// then gives focus back.
    pub async fn press_tab(&self) -> Element {
        self.press(Key::Tab).await;
        self.focused_and_visible().await
    }

    /// Press Shift+Tab once, with the same visible-focus check as
    /// [`Browser::press_tab`].
    pub async fn press_shift_tab(&self) -> Element {
        let (shift, tab) = (char::from(Key::Shift), char::from(Key::Tab));
        let actions = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: shift })
            .then(KeyAction::Down { value: tab })
            .then(KeyAction::Up { value: tab })
            .then(KeyAction::Up { value: shift });
        self.client.perform_actions(actions).await.expect("press shift+tab");
        self.focused_and_visible().await
    }

    /// Press a key that moves focus within a control (an arrow key in a
    /// radio group) and check the focus is still visible.
    pub async fn press_in_control(&self, key: Key) -> Element {
        self.press(key).await;
        self.focused_and_visible().await
    }

    async fn focused_and_visible(&self) -> Element {
        let focused = self.client.active_element().await.expect("focused element");
        if self.javascript == JavaScript::On && !self.focus_is_visible(&focused).await {
            let html = focused.html(false).await.unwrap_or_default();
            panic!("{}: focus is not visible on {html}", self.test);
        }
        focused
    }

    /// The `id` of the element that has focus (empty if it has none).
    pub async fn focused_id(&self) -> String {
        let focused = self.client.active_element().await.expect("focused element");
        focused.attr("id").await.expect("id").unwrap_or_default()
    }

    /// Whether `element`, which has focus, looks different unfocused.
    pub async fn focus_is_visible(&self, element: &Element) -> bool {
        let shown = self
            .client
            .execute(
                "const e = arguments[0];
                 const look = () => {
                   const s = getComputedStyle(e), r = e.getBoundingClientRect();
                   return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.boxShadow, s.backgroundColor,
                           s.color, s.textDecorationLine, s.textDecorationThickness, s.borderColor,
                           s.borderWidth, r.width, r.height].join('|');
                 };
                 if (document.activeElement !== e) { return 'not focused'; }
                 const focused = look();
                 e.blur();
                 const blurred = look();
                 e.focus();
                 return focused !== blurred;",
                vec![serde_json::to_value(element).expect("element reference")],
            )
            .await
            .expect("focus style");
        assert!(shown.is_boolean(), "focus check: {shown}");
        shown == json!(true)
    }

    /// Press Tab until the field labelled `label` has focus (at most 30
    /// times); fails if the keyboard never reaches it.
    pub async fn tab_to(&self, label: &str) -> Element {
        let field = self.field(label).await;
        let wanted = field.attr("id").await.expect("id");
        for _ in 0..30 {
            let focused = self.press_tab().await;
            if focused.attr("id").await.expect("id") == wanted {
                return focused;
            }
        }
        panic!("{}: Tab never reached the field labelled {label:?}", self.test);
    }

    /// Press Tab until the element with this `id` has focus (at most 40
    /// times); fails if the keyboard never reaches it.
    pub async fn tab_to_id(&self, id: &str) -> Element {
        for _ in 0..40 {
            let focused = self.press_tab().await;
            if focused.attr("id").await.expect("id").as_deref() == Some(id) {
                return focused;
            }
        }
        panic!("{}: Tab never reached #{id}", self.test);
    }

    /// Press Shift+Tab until the link or button whose text is `text` has
    /// focus.
    pub async fn shift_tab_to_text(&self, text: &str) -> Element {
        for _ in 0..40 {
            let focused = self.press_shift_tab().await;
            if focused.text().await.expect("text").trim() == text {
                return focused;
            }
        }
        panic!("{}: Shift+Tab never reached {text:?}", self.test);
    }

    /// Press Tab until the link or button whose text is `text` has focus.
    pub async fn tab_to_text(&self, text: &str) -> Element {
        for _ in 0..40 {
            let focused = self.press_tab().await;
            if focused.text().await.expect("text").trim() == text {
                return focused;
            }
        }
        panic!("{}: Tab never reached {text:?}", self.test);
    }

    /// Type into whatever has focus, as a keyboard would.
    pub async fn type_text(&self, text: &str) {
        let actions = text.chars().fold(KeyActions::new("keyboard".into()), |actions, c| {
            actions.then(KeyAction::Down { value: c }).then(KeyAction::Up { value: c })
        });
        self.client.perform_actions(actions).await.expect("type");
    }

    /// Press Enter on whatever has focus and wait for the next page.
    pub async fn press_enter(&self) {
        let old = self.expect_new_page().await;
        self.press(Key::Enter).await;
        self.wait_for_new_page(old).await;
    }

    /// Press Space on whatever has focus (a button) and wait for the next
    /// page.
    pub async fn press_space(&self) {
        let old = self.expect_new_page().await;
        self.press(Key::Space).await;
        self.wait_for_new_page(old).await;
    }

    /// The value of the checked radio button or checkboxes named `name`.
    pub async fn checked(&self, name: &str) -> Vec<String> {
        let selector = format!("input[name={}]:checked", css_string(name));
        let mut values = Vec::new();
        for input in self.client.find_all(Locator::Css(&selector)).await.expect("checked inputs") {
            values.push(input.attr("value").await.expect("value").unwrap_or_default());
        }
        values
    }

    /// The current value of a form control (a text field or a select).
    pub async fn value_of(&self, element: &Element) -> String {
        element.prop("value").await.expect("value").unwrap_or_default()
    }

    /// The accessible name the browser computes for `element` (what a
    /// screen reader announces), from its accessibility tree.
    pub async fn computed_label(&self, element: &Element) -> String {
        self.computed(element, "computedlabel").await
    }

    /// The ARIA role the browser computes for `element`.
    pub async fn computed_role(&self, element: &Element) -> String {
        self.computed(element, "computedrole").await
    }

    async fn computed(&self, element: &Element, what: &str) -> String {
        let session = self.driver.session.as_deref().expect("a session");
        let url =
            format!("http://127.0.0.1:{}/session/{session}/element/{}/{what}", self.driver.port, element.element_id());
        let body: Value = reqwest::get(&url)
            .await
            .and_then(reqwest::Response::error_for_status)
            .expect(what)
            .json()
            .await
            .expect(what);
        body["value"].as_str().unwrap_or_else(|| panic!("{what}: {body}")).to_owned()
    }

    /// Press Enter on whatever has focus, staying on the page (an in-page
    /// link, for example).
    pub async fn press_enter_in_page(&self) {
        self.press(Key::Enter).await;
    }

    /// The form control whose `<label>` text is `label` (the label's own
    /// text before any "optional" marker).
    pub async fn field(&self, label: &str) -> Element {
        let xpath = format!("//label[normalize-space(text())={}]", xpath_literal(label));
        let label_element =
            self.client.find(Locator::XPath(&xpath)).await.unwrap_or_else(|e| panic!("no label {label:?}: {e}"));
        let id = label_element.attr("for").await.expect("for").unwrap_or_else(|| panic!("label {label:?} has no for"));
        self.client.find(Locator::Id(&id)).await.unwrap_or_else(|e| panic!("no field #{id} for label {label:?}: {e}"))
    }

    /// Replace the value of the field labelled `label`.
    pub async fn type_into(&self, label: &str, value: &str) {
        let field = self.field(label).await;
        field.clear().await.expect("clear field");
        field.send_keys(value).await.expect("type into field");
    }

    /// Tap the label with this text (of a radio button or checkbox), as a
    /// finger would: the label itself, not the small control.
    pub async fn choose(&self, label: &str) {
        let xpath = format!("//label[normalize-space()={}]", xpath_literal(label));
        let element =
            self.client.find(Locator::XPath(&xpath)).await.unwrap_or_else(|e| panic!("no label {label:?}: {e}"));
        element.click().await.unwrap_or_else(|e| panic!("tap {label:?}: {e}"));
    }

    /// Tap the label `label` inside the group whose legend reads `group`
    /// (before any "required" marker): one row of a matrix, for example.
    pub async fn choose_in(&self, group: &str, label: &str) {
        let xpath = format!(
            "//fieldset[legend[normalize-space(text())={}]]//label[normalize-space()={}]",
            xpath_literal(group),
            xpath_literal(label)
        );
        let element = self
            .client
            .find(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no label {label:?} in {group:?}: {e}"));
        element.click().await.unwrap_or_else(|e| panic!("tap {label:?} in {group:?}: {e}"));
    }

    /// Pick the option with this text in the select labelled `label`.
    pub async fn select(&self, label: &str, option: &str) {
        self.field(label).await.select_by_label(option).await.unwrap_or_else(|e| panic!("{label}: {option}: {e}"));
    }

    /// Click the button with this text and wait for the next page.
    pub async fn submit(&self, button: &str) {
        let xpath = format!("//button[normalize-space()={}]", xpath_literal(button));
        let element =
            self.client.find(Locator::XPath(&xpath)).await.unwrap_or_else(|e| panic!("no button {button:?}: {e}"));
        let old = self.expect_new_page().await;
        element.click().await.expect("click button");
        self.wait_for_new_page(old).await;
    }

    /// The form control with this `id`, where several fields share a label
    /// (one per language, say).
    pub async fn field_by_id(&self, id: &str) -> Element {
        self.client.find(Locator::Id(id)).await.unwrap_or_else(|e| panic!("no field #{id}: {e}"))
    }

    /// Replace the value of the field with this `id`.
    pub async fn type_into_id(&self, id: &str, value: &str) {
        let field = self.field_by_id(id).await;
        field.clear().await.expect("clear field");
        field.send_keys(value).await.expect("type into field");
    }

    /// Pick the option with this text in the select with this `id`.
    pub async fn select_by_id(&self, id: &str, option: &str) {
        self.field_by_id(id).await.select_by_label(option).await.unwrap_or_else(|e| panic!("#{id}: {option}: {e}"));
    }

    /// Click the submit button of the form holding the field with this
    /// `id`, and wait for the next page.
    pub async fn submit_form_of_id(&self, id: &str) {
        self.submit_form_holding(self.field_by_id(id).await, id).await;
    }

    /// Click the button `button` in the innermost section holding an
    /// element whose whole text is `text` (one answer in a list of them),
    /// and wait for the next page.
    pub async fn submit_in_section_with(&self, text: &str, button: &str) {
        let xpath = format!(
            "//*[normalize-space()={}]/ancestor::section[1]//button[normalize-space()={}]",
            xpath_literal(text),
            xpath_literal(button)
        );
        let element = self
            .client
            .find(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no button {button:?} beside {text:?}: {e}"));
        let old = self.expect_new_page().await;
        element.click().await.expect("click button");
        self.wait_for_new_page(old).await;
    }

    /// Click the submit button of the form holding the field labelled
    /// `label`, and wait for the next page.
    pub async fn submit_form_of(&self, label: &str) {
        self.submit_form_holding(self.field(label).await, label).await;
    }

    async fn submit_form_holding(&self, field: Element, label: &str) {
        let button = field
            .find(Locator::XPath("ancestor::form//button[@type='submit']"))
            .await
            .unwrap_or_else(|e| panic!("no submit button in the form of {label:?}: {e}"));
        let old = self.expect_new_page().await;
        button.click().await.expect("click button");
        self.wait_for_new_page(old).await;
    }

    /// Click the link with this text and wait for the next page.
    pub async fn click_link(&self, text: &str) {
        let xpath = format!("//a[normalize-space()={}]", xpath_literal(text));
        let element =
            self.client.find(Locator::XPath(&xpath)).await.unwrap_or_else(|e| panic!("no link {text:?}: {e}"));
        let old = self.expect_new_page().await;
        element.click().await.expect("click link");
        self.wait_for_new_page(old).await;
    }

    /// Mark the page so [`Browser::wait_for_new_page`] can tell when it is
    /// gone: a flag in the page, or without scripts the page's root element.
    async fn expect_new_page(&self) -> Option<Element> {
        self.check_if_unchecked().await;
        if self.javascript == JavaScript::On {
            self.script("window.__radslagOldPage = true").await;
            None
        } else {
            Some(self.find_css("html").await)
        }
    }

    async fn wait_for_new_page(&self, old: Option<Element>) {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let fresh = match &old {
                // Without scripts: the old page's root is gone once the next
                // page has replaced it; chromedriver then waits for it to load.
                Some(root) => root.attr("lang").await.is_err(),
                None => {
                    self.client
                        .execute("return !window.__radslagOldPage && document.readyState === 'complete'", vec![])
                        .await
                        .unwrap_or(json!(false))
                        == json!(true)
                }
            };
            if fresh {
                return;
            }
            assert!(Instant::now() < deadline, "{}: no new page loaded within 10 s", self.test);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Check the last page if nothing did, close the session and list
    /// the screenshots taken.
    pub async fn finish(mut self) {
        self.check_if_unchecked().await;
        // Written to the process's stderr directly, not through `eprintln!`,
        // which the test runner captures for passing tests: the list shows
        // in every run's output.
        let screenshots = self.screenshots();
        let mut list = format!("{} screenshots of {}:\n", screenshots.len(), self.test);
        for file in &screenshots {
            list.push_str(&format!("  {}\n", file.display()));
        }
        let _ = std::io::stderr().lock().write_all(list.as_bytes());
        let client = self.client.clone();
        if client.close().await.is_ok() {
            self.driver.session = None;
        }
    }
}

/// A string as a quoted CSS string.
fn css_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A string as an XPath literal, whatever quotes it holds.
fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        format!("'{text}'")
    } else if !text.contains('"') {
        format!("\"{text}\"")
    } else {
        let parts: Vec<String> = text.split('\'').map(|part| format!("'{part}'")).collect();
        format!("concat({})", parts.join(", \"'\", "))
    }
}
