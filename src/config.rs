//! Deployment configuration: a TOML file, overridden by `RADSLAG_*` variables.
//!
//! Only settings that belong to the deployment live here (where to listen, the
//! database, mail). Everything that belongs to a municipality lives in the
//! database and is managed in the staff pages or with `radslag municipality`.
//!
//! A missing or invalid setting produces one [`ConfigError`] naming the file
//! key and the environment variable, so start-up fails with one clear line.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use url::Url;

/// A setting that could not be used, with the reason.
#[derive(Debug, thiserror::Error)]
#[error("configuration error: {setting} ({env}): {problem}")]
pub struct ConfigError {
    /// Key in the configuration file.
    pub setting: &'static str,
    /// The environment variable that overrides it.
    pub env: &'static str,
    /// What is wrong with it, in plain words.
    pub problem: String,
}

impl ConfigError {
    fn new(setting: &'static str, env: &'static str, problem: impl Into<String>) -> Self {
        Self { setting, env, problem: problem.into() }
    }
}

/// How outgoing email leaves the service.
#[derive(Debug, Clone)]
pub enum MailTransport {
    /// Write each message as a `.eml` file into a folder (demo and development).
    Files {
        /// Folder the messages are written to.
        dir: PathBuf,
    },
    /// Send through an SMTP relay.
    Smtp(SmtpSettings),
}

/// How the connection to the SMTP relay is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// Plain connection, upgraded with STARTTLS (port 587). Refuses to send without it.
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or in tests.
    None,
}

/// Connection settings for an SMTP relay.
#[derive(Clone)]
pub struct SmtpSettings {
    /// Host name of the relay.
    pub host: String,
    /// TCP port of the relay.
    pub port: u16,
    /// Transport security.
    pub security: SmtpSecurity,
    /// User name, if the relay wants authentication.
    pub username: Option<String>,
    /// Password for the user name; never printed.
    pub password: Option<SecretString>,
}

impl std::fmt::Debug for SmtpSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("password", &self.password.as_ref().map(|_| "[redacted]"))
            .finish()
    }
}

/// The whole deployment configuration, parsed and checked.
#[derive(Clone)]
pub struct Config {
    /// Address and port the HTTP server listens on.
    pub listen: SocketAddr,
    /// Public address residents and staff use, e.g. `https://panel.example.no`.
    /// Links in emails are built from it.
    pub base_url: Url,
    /// `sqlite://path/to/file.db` or `postgres://user@host/db`.
    pub database_url: String,
    /// PostgreSQL schema to use instead of `public` (optional).
    pub database_schema: Option<String>,
    /// Largest number of pooled database connections.
    pub database_max_connections: u32,
    /// How email is delivered.
    pub mail: MailTransport,
    /// The `From:` address of every email, e.g. `Rådslag <panel@example.no>`.
    pub sender: String,
    /// Key for signing CSRF tokens; never printed.
    pub session_key: SecretString,
    /// Municipality (by slug) that answers requests for unknown host names.
    /// Set it for a single-municipality install; leave it out on a shared host.
    pub default_municipality: Option<String>,
    /// Folder with the stylesheets (`static/`).
    pub static_dir: PathBuf,
    /// Run the email outbox worker inside the web server.
    pub run_worker: bool,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("listen", &self.listen)
            .field("base_url", &self.base_url.as_str())
            .field("database_url", &redact_url(&self.database_url))
            .field("database_schema", &self.database_schema)
            .field("mail", &self.mail)
            .field("sender", &self.sender)
            .field("session_key", &"[redacted]")
            .field("default_municipality", &self.default_municipality)
            .field("static_dir", &self.static_dir)
            .field("run_worker", &self.run_worker)
            .finish()
    }
}

/// Hide a password inside a database URL.
fn redact_url(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("redacted"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

/// The configuration file as written: every key optional, checked later.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    listen: Option<String>,
    base_url: Option<String>,
    database_url: Option<String>,
    database_schema: Option<String>,
    database_max_connections: Option<u32>,
    sender: Option<String>,
    session_key: Option<String>,
    default_municipality: Option<String>,
    static_dir: Option<String>,
    run_worker: Option<bool>,
    mail: Option<FileMail>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileMail {
    transport: Option<String>,
    dir: Option<String>,
    smtp_host: Option<String>,
    smtp_port: Option<u16>,
    smtp_security: Option<String>,
    smtp_username: Option<String>,
    smtp_password: Option<String>,
}

/// A source of environment variables (the process environment, or a map in tests).
pub trait Environment {
    /// The value of a variable, if set and not empty.
    fn var(&self, name: &str) -> Option<String>;
}

/// The real process environment.
pub struct ProcessEnv;

impl Environment for ProcessEnv {
    fn var(&self, name: &str) -> Option<String> {
        std::env::var(name).ok().filter(|v| !v.is_empty())
    }
}

impl Environment for std::collections::HashMap<&str, &str> {
    fn var(&self, name: &str) -> Option<String> {
        self.get(name).map(|v| (*v).to_owned())
    }
}

/// Default location of the configuration file.
pub const DEFAULT_CONFIG_FILE: &str = "radslag.toml";

impl Config {
    /// Load the file (if it exists; it must exist when named explicitly) and
    /// apply environment overrides.
    pub fn load(file: Option<&Path>, env: &dyn Environment) -> Result<Self, ConfigError> {
        let raw = read_file(file, env)?;
        Self::from_parts(raw, env)
    }

    /// Build from environment variables alone, ignoring any file.
    pub fn from_environment(env: &dyn Environment) -> Result<Self, ConfigError> {
        Self::from_parts(FileConfig::default(), env)
    }

    fn from_parts(raw: FileConfig, env: &dyn Environment) -> Result<Self, ConfigError> {
        let pick = |file: Option<String>, var: &str| env.var(var).or(file);
        let mail = raw.mail.unwrap_or_default();

        let listen_text = pick(raw.listen, "RADSLAG_LISTEN").unwrap_or_else(|| "127.0.0.1:8080".into());
        let listen = listen_text.parse::<SocketAddr>().map_err(|_| {
            ConfigError::new(
                "listen",
                "RADSLAG_LISTEN",
                format!("`{listen_text}` is not an address and port such as 0.0.0.0:8080"),
            )
        })?;

        let base_url_text = pick(raw.base_url, "RADSLAG_BASE_URL").ok_or_else(|| {
            ConfigError::new(
                "base_url",
                "RADSLAG_BASE_URL",
                "missing; set the public address, e.g. https://panel.example.no",
            )
        })?;
        let base_url = Url::parse(&base_url_text)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.host().is_some())
            .ok_or_else(|| {
                ConfigError::new("base_url", "RADSLAG_BASE_URL", format!("`{base_url_text}` is not an http(s) address"))
            })?;

        let database_url = env
            .var("RADSLAG_DATABASE_URL")
            .or_else(|| env.var("DATABASE_URL"))
            .or(raw.database_url)
            .unwrap_or_else(|| "sqlite://data/radslag.db".into());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(ConfigError::new(
                "database_url",
                "RADSLAG_DATABASE_URL",
                "must start with sqlite:// or postgres://",
            ));
        }
        let database_schema = pick(raw.database_schema, "RADSLAG_DATABASE_SCHEMA");
        if let Some(schema) = &database_schema
            && (schema.is_empty() || !schema.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        {
            return Err(ConfigError::new(
                "database_schema",
                "RADSLAG_DATABASE_SCHEMA",
                "use letters, digits and _ only",
            ));
        }
        let database_max_connections = match env.var("RADSLAG_DATABASE_MAX_CONNECTIONS") {
            Some(text) => text.parse::<u32>().ok().filter(|n| *n > 0).ok_or_else(|| {
                ConfigError::new(
                    "database_max_connections",
                    "RADSLAG_DATABASE_MAX_CONNECTIONS",
                    "must be a whole number above 0",
                )
            })?,
            None => raw.database_max_connections.unwrap_or(10),
        };

        let mail = parse_mail(mail, env)?;

        let sender = pick(raw.sender, "RADSLAG_SENDER").ok_or_else(|| {
            ConfigError::new(
                "sender",
                "RADSLAG_SENDER",
                "missing; set the From address, e.g. Rådslag <panel@example.no>",
            )
        })?;
        if sender.parse::<lettre::message::Mailbox>().is_err() {
            return Err(ConfigError::new("sender", "RADSLAG_SENDER", format!("`{sender}` is not an email address")));
        }

        let session_key = pick(raw.session_key, "RADSLAG_SESSION_KEY").ok_or_else(|| {
            ConfigError::new("session_key", "RADSLAG_SESSION_KEY", "missing; set at least 32 random characters")
        })?;
        if session_key.chars().count() < 32 {
            return Err(ConfigError::new(
                "session_key",
                "RADSLAG_SESSION_KEY",
                "too short; use at least 32 random characters",
            ));
        }

        let run_worker = match env.var("RADSLAG_RUN_WORKER") {
            Some(text) => parse_bool(&text)
                .ok_or_else(|| ConfigError::new("run_worker", "RADSLAG_RUN_WORKER", "must be true or false"))?,
            None => raw.run_worker.unwrap_or(true),
        };

        Ok(Self {
            listen,
            base_url,
            database_url,
            database_schema,
            database_max_connections,
            mail,
            sender,
            session_key: SecretString::from(session_key),
            default_municipality: pick(raw.default_municipality, "RADSLAG_DEFAULT_MUNICIPALITY"),
            static_dir: PathBuf::from(pick(raw.static_dir, "RADSLAG_STATIC_DIR").unwrap_or_else(|| "static".into())),
            run_worker,
        })
    }

    /// Whether cookies must carry the `Secure` flag (the public address is https).
    pub fn secure_cookies(&self) -> bool {
        self.base_url.scheme() == "https"
    }

    /// The key used to sign CSRF tokens.
    pub fn session_key_bytes(&self) -> &[u8] {
        self.session_key.expose_secret().as_bytes()
    }
}

fn read_file(file: Option<&Path>, env: &dyn Environment) -> Result<FileConfig, ConfigError> {
    let named = file.map(Path::to_path_buf).or_else(|| env.var("RADSLAG_CONFIG").map(PathBuf::from));
    let (path, must_exist) = match named {
        Some(path) => (path, true),
        None => (PathBuf::from(DEFAULT_CONFIG_FILE), false),
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !must_exist => return Ok(FileConfig::default()),
        Err(e) => {
            return Err(ConfigError::new(
                "config file",
                "RADSLAG_CONFIG",
                format!("cannot read {}: {e}", path.display()),
            ));
        }
    };
    toml::from_str(&text).map_err(|e| {
        let message = e.message().replace('\n', " ");
        ConfigError::new("config file", "RADSLAG_CONFIG", format!("{}: {message}", path.display()))
    })
}

fn parse_bool(text: &str) -> Option<bool> {
    match text.to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Some(true),
        "false" | "0" | "no" | "off" => Some(false),
        _ => None,
    }
}

fn parse_mail(file: FileMail, env: &dyn Environment) -> Result<MailTransport, ConfigError> {
    let pick = |file: Option<String>, var: &str| env.var(var).or(file);
    let transport = pick(file.transport, "RADSLAG_MAIL_TRANSPORT").unwrap_or_else(|| "files".into());
    match transport.as_str() {
        "files" => Ok(MailTransport::Files {
            dir: PathBuf::from(pick(file.dir, "RADSLAG_MAIL_DIR").unwrap_or_else(|| "data/outbox".into())),
        }),
        "smtp" => {
            let host = pick(file.smtp_host, "RADSLAG_SMTP_HOST").ok_or_else(|| {
                ConfigError::new("mail.smtp_host", "RADSLAG_SMTP_HOST", "missing; name the SMTP relay")
            })?;
            let security_text = pick(file.smtp_security, "RADSLAG_SMTP_SECURITY").unwrap_or_else(|| "starttls".into());
            let security = match security_text.as_str() {
                "starttls" => SmtpSecurity::StartTls,
                "tls" => SmtpSecurity::Tls,
                "none" => SmtpSecurity::None,
                other => {
                    return Err(ConfigError::new(
                        "mail.smtp_security",
                        "RADSLAG_SMTP_SECURITY",
                        format!("`{other}` is not one of starttls, tls, none"),
                    ));
                }
            };
            let default_port = match security {
                SmtpSecurity::StartTls => 587,
                SmtpSecurity::Tls => 465,
                SmtpSecurity::None => 25,
            };
            let port = match env.var("RADSLAG_SMTP_PORT") {
                Some(text) => text.parse::<u16>().map_err(|_| {
                    ConfigError::new("mail.smtp_port", "RADSLAG_SMTP_PORT", format!("`{text}` is not a port number"))
                })?,
                None => file.smtp_port.unwrap_or(default_port),
            };
            Ok(MailTransport::Smtp(SmtpSettings {
                host,
                port,
                security,
                username: pick(file.smtp_username, "RADSLAG_SMTP_USERNAME"),
                password: pick(file.smtp_password, "RADSLAG_SMTP_PASSWORD").map(SecretString::from),
            }))
        }
        other => Err(ConfigError::new(
            "mail.transport",
            "RADSLAG_MAIL_TRANSPORT",
            format!("`{other}` is not one of files, smtp"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn base() -> HashMap<&'static str, &'static str> {
        HashMap::from([
            ("RADSLAG_BASE_URL", "https://panel.example.no"),
            ("RADSLAG_SENDER", "Rådslag <panel@example.no>"),
            ("RADSLAG_SESSION_KEY", "0123456789abcdef0123456789abcdef"),
            ("RADSLAG_CONFIG", "/nonexistent/radslag.toml"),
        ])
    }

    fn load(env: &HashMap<&str, &str>) -> Result<Config, ConfigError> {
        Config::from_parts(FileConfig::default(), env)
    }

    #[test]
    fn complete_environment_gives_a_config() {
        let config = load(&base()).expect("valid");
        assert_eq!(config.base_url.as_str(), "https://panel.example.no/");
        assert!(config.secure_cookies());
        assert!(matches!(config.mail, MailTransport::Files { .. }));
    }

    #[test]
    fn missing_base_url_names_the_setting() {
        let mut env = base();
        env.remove("RADSLAG_BASE_URL");
        let error = load(&env).expect_err("must fail").to_string();
        assert!(error.contains("base_url") && error.contains("RADSLAG_BASE_URL"), "{error}");
        assert!(!error.contains('\n'));
    }

    #[test]
    fn invalid_values_are_named() {
        for (var, value, setting) in [
            ("RADSLAG_LISTEN", "here", "listen"),
            ("RADSLAG_BASE_URL", "ftp://x", "base_url"),
            ("RADSLAG_DATABASE_URL", "mysql://x", "database_url"),
            ("RADSLAG_SESSION_KEY", "short", "session_key"),
            ("RADSLAG_SENDER", "not an address", "sender"),
            ("RADSLAG_MAIL_TRANSPORT", "pigeon", "mail.transport"),
        ] {
            let mut env = base();
            env.insert(var, value);
            let error = load(&env).expect_err(var);
            assert_eq!(error.setting, setting);
        }
    }

    #[test]
    fn secrets_are_not_in_debug_output() {
        let mut env = base();
        env.insert("RADSLAG_MAIL_TRANSPORT", "smtp");
        env.insert("RADSLAG_SMTP_HOST", "smtp.example.no");
        env.insert("RADSLAG_SMTP_PASSWORD", "hunter2-very-secret");
        env.insert("RADSLAG_DATABASE_URL", "postgres://app:dbpass-secret@db/radslag");
        let config = load(&env).expect("valid");
        let debug = format!("{config:?}");
        assert!(!debug.contains("hunter2-very-secret"), "{debug}");
        assert!(!debug.contains("dbpass-secret"), "{debug}");
        assert!(!debug.contains("0123456789abcdef0123456789abcdef"), "{debug}");
    }

    #[test]
    fn unknown_file_keys_are_rejected() {
        let parsed: Result<FileConfig, _> = toml::from_str("lisen = \"x\"");
        assert!(parsed.is_err());
    }
}
