//! The client a command works with: the base URL, CA files, proxy and timeouts of the global options, and the
//! credentials from the environment or the token file (never from the command line, which every user of the
//! machine sees).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use smartx::api::Client;
use smartx::auth::token::ClientId;
use smartx::http::base_url::ENV_BASE_URL;
use smartx::http::{BaseUrl, ProxyUrl, Settings, Timeouts, Token};

use crate::out::Failure;
use crate::Global;

pub const ENV_TOKEN: &str = "SX_TOKEN";
pub const ENV_CLIENT_ID: &str = "SX_CLIENT_ID";
pub const ENV_CLIENT_SECRET: &str = "SX_CLIENT_SECRET";

/// Where the token comes from, by the precedence of the interface: the token file, then `SX_TOKEN`, then the
/// client credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credentials {
    /// A refresh token saved by `smartx pair`, renewed with the client id and secret of the environment.
    TokenFile(PathBuf),
    Fixed,
    Client,
}

impl Credentials {
    pub fn describe(&self) -> String {
        match self {
            Credentials::TokenFile(path) => {
                format!("the refresh token of {} with {ENV_CLIENT_ID}", path.display())
            }
            Credentials::Fixed => format!("a fixed token ({ENV_TOKEN})"),
            Credentials::Client => format!("the client credentials ({ENV_CLIENT_ID}, {ENV_CLIENT_SECRET})"),
        }
    }
}

/// A configured client and how it logged in.
pub struct Session {
    pub client: Client,
    pub settings: Settings,
    pub credentials: Option<Credentials>,
    /// The refresh token read from the token file, to save a renewed one back.
    saved_refresh: Option<String>,
}

/// The client of the global options, without credentials. Nothing is sent.
pub fn configure(global: &Global) -> Result<(Client, Settings), Failure> {
    let config =
        |e: smartx::http::Error| Failure::new("config", e.message).todo("correct the option or variable named");
    let base = match &global.base_url {
        Some(url) => BaseUrl::named(url).map_err(config)?,
        None => match std::env::var(ENV_BASE_URL) {
            Ok(url) => BaseUrl::named(&url).map_err(|e| config(e).with_prefix(ENV_BASE_URL))?,
            Err(_) => BaseUrl::named("testing").map_err(config)?,
        },
    };
    let client = Client::new(base.clone());
    let mut settings = Settings::new(base, Timeouts::default());
    if let Some(ms) = global.timeout_ms {
        client.set_timeouts(ms, ms, ms);
        settings.set_timeouts(ms, ms, ms);
    }
    for ca in &global.ca_file {
        client.add_ca_file(ca).map_err(config)?;
        settings.roots.add_pem_file(ca).map_err(config)?;
    }
    if let Some(proxy) = &global.proxy {
        let proxy = ProxyUrl::parse(proxy).map_err(config)?;
        client.set_proxy(Some(proxy.clone()));
        settings.proxy = Some(proxy);
    }
    Ok((client, settings))
}

impl Failure {
    fn with_prefix(mut self, prefix: &str) -> Failure {
        self.message = format!("{prefix}: {}", self.message);
        self
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The client id and secret of the environment.
pub fn client_id() -> Result<ClientId, Failure> {
    match (env(ENV_CLIENT_ID), env(ENV_CLIENT_SECRET)) {
        (Some(id), Some(secret)) => Ok(ClientId { id, secret }),
        _ => Err(Failure::new("config", format!("{ENV_CLIENT_ID} and {ENV_CLIENT_SECRET} are not both set"))
            .todo(format!("export {ENV_CLIENT_ID} and {ENV_CLIENT_SECRET} (never on the command line)"))),
    }
}

/// Refuses a token file that anyone but its owner may read or write: the message names its mode.
pub fn check_private(path: &Path) -> Result<(), Failure> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = fs::metadata(path).map_err(|e| {
            Failure::new("config", format!("the token file {} cannot be read ({e})", path.display()))
                .todo("pass the file `smartx pair` wrote, or pair again")
        })?;
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            return Err(Failure::new(
                "config",
                format!(
                    "the token file {} has mode {mode:04o}: group or others may read it, so it is not used",
                    path.display()
                ),
            )
            .todo(format!("chmod 600 {}, and pair again if others could have read it", path.display())));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

impl Session {
    /// Configures the client and gives it its credentials. Nothing is sent.
    pub fn open(global: &Global) -> Result<Session, Failure> {
        let (client, settings) = configure(global)?;
        let mut session = Session { client, settings, credentials: None, saved_refresh: None };
        session.log_in(global)?;
        Ok(session)
    }

    fn log_in(&mut self, global: &Global) -> Result<(), Failure> {
        if let Some(path) = &global.token_file {
            check_private(path)?;
            let text = fs::read_to_string(path).map_err(|e| {
                Failure::new("config", format!("the token file {} cannot be read ({e})", path.display()))
            })?;
            let refresh = text.trim().to_owned();
            if refresh.is_empty() {
                return Err(Failure::new("config", format!("the token file {} is empty", path.display()))
                    .todo("pair again (`smartx pair --force`)"));
            }
            let client = client_id()?;
            self.client.use_refresh_token(client, &refresh);
            self.saved_refresh = Some(refresh);
            self.credentials = Some(Credentials::TokenFile(path.clone()));
        } else if let Some(token) = env(ENV_TOKEN) {
            let token = Token::parse(token.as_bytes())
                .map_err(|_| Failure::new("config", format!("{ENV_TOKEN} is not a valid token")))?;
            self.client.use_token(token);
            self.credentials = Some(Credentials::Fixed);
        } else if env(ENV_CLIENT_ID).is_some() || env(ENV_CLIENT_SECRET).is_some() {
            self.client.use_client_credentials(client_id()?);
            self.credentials = Some(Credentials::Client);
        } else {
            return Err(Failure::new("config", "no credentials").todo(format!(
                "set {ENV_TOKEN}, or {ENV_CLIENT_ID} and {ENV_CLIENT_SECRET}, or pass --token-file from `smartx pair`"
            )));
        }
        Ok(())
    }

    /// Saves a refresh token the API renewed back to the token file, so that the next run still logs in.
    pub fn save_renewed(&self) -> Result<(), Failure> {
        let (Some(Credentials::TokenFile(path)), Some(saved)) = (&self.credentials, &self.saved_refresh) else {
            return Ok(());
        };
        match self.client.refresh_token() {
            Some(now) if &now != saved => write_token_file(path, &now, true),
            _ => Ok(()),
        }
    }
}

/// Writes a refresh token to `path` with mode 0600; an existing file only with `overwrite`, replaced whole.
pub fn write_token_file(path: &Path, refresh_token: &str, overwrite: bool) -> Result<(), Failure> {
    let failed =
        |e: std::io::Error| Failure::new("io", format!("the token file {} cannot be written ({e})", path.display()));
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = path.with_file_name(format!(".{file_name}.{}.tmp", std::process::id()));
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    if !overwrite && path.exists() {
        return Err(Failure::new("exists", format!("{} exists already", path.display()))
            .todo("pass --force to replace it, or another --token-file"));
    }
    let mut file = options.open(&temp).map_err(failed)?;
    let written =
        file.write_all(refresh_token.as_bytes()).and_then(|()| file.write_all(b"\n")).and_then(|()| file.sync_all());
    drop(file);
    let placed = written.and_then(|()| {
        if overwrite {
            fs::rename(&temp, path)
        } else {
            // Never replaces a file that appeared meanwhile.
            fs::hard_link(&temp, path).and_then(|()| fs::remove_file(&temp))
        }
    });
    if let Err(e) = placed {
        let _ = fs::remove_file(&temp);
        return Err(failed(e));
    }
    Ok(())
}
