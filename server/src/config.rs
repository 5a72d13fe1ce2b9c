//! The service's settings, and the parsers for the sizes and durations the
//! command line accepts.

use std::path::PathBuf;
use std::time::Duration;

/// Everything the service needs to know that does not come from a request.
/// Its `Debug` form hides the tokens, so printing the settings leaks no secret.
#[derive(Clone)]
pub struct Config {
    /// Where uploaded workbooks and their metadata live.
    pub data_dir: PathBuf,
    /// How long an event may go without any call before it is released.
    pub idle_timeout: Duration,
    /// Required on `/api/files` and `GET /api/events` when set.
    pub admin_token: Option<String>,
    /// Required on every `/api/events` route when set (the admin token is accepted too).
    pub api_token: Option<String>,
    /// The largest request body accepted, in bytes.
    pub max_body: usize,
    /// The largest workbook upload accepted, in bytes.
    pub max_upload: usize,
    /// The capacity of a workbook that reaches `IN` only through whole columns.
    pub default_capacity: u32,
    /// The most live events the engine holds; creating one more answers `STU`.
    pub max_events: usize,
    /// The most entries one append or rewrite may carry; more answers `TLA`.
    pub max_entries: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            data_dir: PathBuf::from("./data"),
            idle_timeout: Duration::from_secs(15 * 60),
            admin_token: None,
            api_token: None,
            max_body: 8 << 20,
            max_upload: 50 << 20,
            default_capacity: 10_000,
            max_events: 100_000,
            max_entries: 10_000,
        }
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hidden = |token: &Option<String>| token.as_ref().map(|_| "<hidden>");
        f.debug_struct("Config")
            .field("data_dir", &self.data_dir)
            .field("idle_timeout", &self.idle_timeout)
            .field("admin_token", &hidden(&self.admin_token))
            .field("api_token", &hidden(&self.api_token))
            .field("max_body", &self.max_body)
            .field("max_upload", &self.max_upload)
            .field("default_capacity", &self.default_capacity)
            .field("max_events", &self.max_events)
            .field("max_entries", &self.max_entries)
            .finish()
    }
}

/// Checks the tokens against the address the service will listen on: a
/// token must not be empty or blank (it would let anyone in, or no one), and
/// an address beyond loopback needs an admin token, since the files routes
/// would otherwise be open to the network.
///
/// # Errors
///
/// A message saying which rule is broken and how to fix it.
pub fn check_listen(
    listen: std::net::SocketAddr,
    admin_token: Option<&str>,
    api_token: Option<&str>,
) -> Result<(), String> {
    for (token, flag) in [(admin_token, "--admin-token"), (api_token, "--api-token")] {
        if token.is_some_and(|t| t.trim().is_empty()) {
            return Err(format!("{flag} is empty: give a token, or leave the option out"));
        }
        if token.is_some_and(|t| t.chars().any(|c| c.is_whitespace() || c.is_control())) {
            return Err(format!(
                "{flag} holds a space or a control character, which a bearer token cannot carry"
            ));
        }
    }
    if !listen.ip().is_loopback() && admin_token.is_none() {
        return Err(format!(
            "refusing to listen on {listen} without an admin token: set --admin-token \
             (or SENGINE_ADMIN_TOKEN), or listen on a loopback address"
        ));
    }
    Ok(())
}

/// A byte count as a person reads it: `8 MiB` for whole mebibytes, `512 KiB`
/// for whole kibibytes, plain bytes otherwise.
pub fn describe_size(bytes: usize) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

/// Parses a duration: plain seconds (`900`) or numbers with units `ms`, `s`,
/// `m`, `h`, `d`, possibly combined (`1h30m`).
///
/// # Errors
///
/// A message naming the text when it is empty, has an unknown unit or overflows.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Ok(Duration::from_secs(seconds));
    }
    let bad = || format!("invalid duration '{text}': use seconds or units such as 15m, 90s, 1h");
    let mut total = Duration::ZERO;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
        let number: u64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = rest[digits..].trim_start();
        let unit_len = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
        let unit = rest[..unit_len].trim();
        let step = match unit {
            "ms" => Duration::from_millis(number),
            "s" | "sec" | "secs" => Duration::from_secs(number),
            "m" | "min" | "mins" => Duration::from_secs(number.checked_mul(60).ok_or_else(bad)?),
            "h" | "hour" | "hours" => {
                Duration::from_secs(number.checked_mul(3600).ok_or_else(bad)?)
            }
            "d" | "day" | "days" => {
                Duration::from_secs(number.checked_mul(86_400).ok_or_else(bad)?)
            }
            _ => return Err(bad()),
        };
        total = total.checked_add(step).ok_or_else(bad)?;
        rest = rest[unit_len..].trim_start();
    }
    if text.is_empty() {
        return Err(bad());
    }
    Ok(total)
}

/// Parses a size in bytes: plain bytes (`1024`) or a number with a unit
/// `B`, `KB`, `MB`, `GB` (powers of 1000) or `KiB`, `MiB`, `GiB` (powers of 1024).
///
/// # Errors
///
/// A message naming the text when it is not a size or overflows.
pub fn parse_size(text: &str) -> Result<usize, String> {
    let text = text.trim();
    let bad = || format!("invalid size '{text}': use bytes or units such as 8MiB, 50MB");
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let number: usize = text[..digits].parse().map_err(|_| bad())?;
    let factor: usize = match text[digits..].trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        _ => return Err(bad()),
    };
    number.checked_mul(factor).ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Durations accept plain seconds, single units and combined units.
    #[test]
    fn durations() {
        assert_eq!(parse_duration("900"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("15m"), Ok(Duration::from_secs(900)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        assert!(parse_duration("").is_err());
        assert!(parse_duration("5 fortnights").is_err());
    }

    /// The settings print without their tokens.
    #[test]
    fn debug_hides_tokens() {
        let config = Config {
            admin_token: Some("admin-secret-1".into()),
            api_token: Some("api-secret-2".into()),
            ..Config::default()
        };
        let printed = format!("{config:?}");
        assert!(!printed.contains("secret"), "{printed}");
        assert!(printed.contains("admin_token: Some(\"<hidden>\")"), "{printed}");
    }

    /// Beyond loopback an admin token is required; blank tokens never pass.
    #[test]
    fn listening() {
        let outside: std::net::SocketAddr = "0.0.0.0:8080".parse().unwrap();
        let loopback: std::net::SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let ipv6_loopback: std::net::SocketAddr = "[::1]:8080".parse().unwrap();
        assert_eq!(check_listen(loopback, None, None), Ok(()));
        assert_eq!(check_listen(ipv6_loopback, None, None), Ok(()));
        assert_eq!(check_listen(outside, Some("s3cret"), None), Ok(()));
        let refused = check_listen(outside, None, Some("s3cret")).unwrap_err();
        assert!(refused.starts_with("refusing to listen on 0.0.0.0:8080"), "{refused}");
        let blank = check_listen(outside, Some("  "), None).unwrap_err();
        assert_eq!(blank, "--admin-token is empty: give a token, or leave the option out");
        assert!(check_listen(loopback, None, Some("")).is_err());
        assert!(check_listen(loopback, Some("two words"), None).is_err());
    }

    /// Sizes print in the largest binary unit that divides them.
    #[test]
    fn described_sizes() {
        assert_eq!(describe_size(8 << 20), "8 MiB");
        assert_eq!(describe_size(2048), "2 KiB");
        assert_eq!(describe_size(1536), "1536 bytes");
        assert_eq!(describe_size(100), "100 bytes");
    }

    /// Sizes accept decimal and binary units, case-insensitively.
    #[test]
    fn sizes() {
        assert_eq!(parse_size("8MiB"), Ok(8 * 1024 * 1024));
        assert_eq!(parse_size("50mb"), Ok(50_000_000));
        assert_eq!(parse_size("1024"), Ok(1024));
        assert!(parse_size("MiB").is_err());
        assert!(parse_size("3 parsecs").is_err());
    }
}
