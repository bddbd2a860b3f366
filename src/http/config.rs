//! How long calls may take: set by the caller, else from the environment, else defaults.

use std::time::Duration;

use super::error::{sanitize, Error};

pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
pub const DEFAULT_TOTAL_TIMEOUT: Duration = Duration::from_secs(60);

pub const ENV_CONNECT_TIMEOUT_MS: &str = "SX_CONNECT_TIMEOUT_MS";
pub const ENV_TIMEOUT_MS: &str = "SX_TIMEOUT_MS";

/// Timeouts of one call. `total` bounds the whole call, answer included: no call waits forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts { connect: DEFAULT_CONNECT_TIMEOUT, total: DEFAULT_TOTAL_TIMEOUT }
    }
}

impl Timeouts {
    /// 0 stands for the default, so a caller can change one and keep the other.
    pub fn from_millis(connect_ms: u32, total_ms: u32) -> Timeouts {
        let pick = |ms: u32, default| if ms == 0 { default } else { Duration::from_millis(ms.into()) };
        Timeouts { connect: pick(connect_ms, DEFAULT_CONNECT_TIMEOUT), total: pick(total_ms, DEFAULT_TOTAL_TIMEOUT) }
    }

    /// Reads `SX_CONNECT_TIMEOUT_MS` and `SX_TIMEOUT_MS`; a variable that is set but not a number is an error
    /// rather than silently ignored.
    pub fn from_env() -> Result<Timeouts, Error> {
        let read = |name: &str| -> Result<u32, Error> {
            match std::env::var(name) {
                Err(std::env::VarError::NotPresent) => Ok(0),
                Ok(v) => v.trim().parse::<u32>().map_err(|_| {
                    Error::invalid(format!(
                        "{name}={:?} is not a number of milliseconds (0 to 4294967295)",
                        sanitize(&v, 40)
                    ))
                }),
                Err(std::env::VarError::NotUnicode(_)) => Err(Error::invalid(format!("{name} is not valid UTF-8"))),
            }
        };
        Ok(Timeouts::from_millis(read(ENV_CONNECT_TIMEOUT_MS)?, read(ENV_TIMEOUT_MS)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_timeouts_mean_default() {
        assert_eq!(Timeouts::from_millis(0, 0), Timeouts::default());
        let t = Timeouts::from_millis(250, 0);
        assert_eq!((t.connect, t.total), (Duration::from_millis(250), DEFAULT_TOTAL_TIMEOUT));
    }
}
