//! The `baseUrl` option: which server a call goes to, and how paths join onto it.

use crate::text;

/// TurkeySMS's own API, the default target.
pub const TURKEYSMS_API: &str = "https://api.turkeysms.com.tr";

/// A checked base URL: `origin` (scheme, host, port) and a path prefix without trailing `/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaseUrl {
    origin: String,
    prefix: String,
    /// The host is TurkeySMS's (`turkeysms.com.tr` or a subdomain), so an API key is required.
    pub is_turkeysms: bool,
}

impl BaseUrl {
    /// The full URL of an endpoint path such as `/otp/send`.
    pub fn join(&self, path: &str) -> String {
        let mut url = String::with_capacity(self.origin.len() + self.prefix.len() + path.len());
        url.push_str(&self.origin);
        url.push_str(&self.prefix);
        url.push_str(path);
        url
    }

    /// Scheme, host and port, for messages (never carries a key: keys live in the body).
    pub fn origin(&self) -> &str {
        &self.origin
    }
}

/// Parses a base URL: `https://host[:port][/prefix]`; `http:` only for loopback hosts.
pub fn parse_base_url(input: &str) -> Result<BaseUrl, &'static str> {
    let url = input.trim();
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        return Err("baseUrl contains spaces or control characters: give a URL such as https://api.turkeysms.com.tr.");
    }
    let (secure, rest) = if let Some(rest) = strip_prefix_ignore_case(url, "https://") {
        (true, rest)
    } else if let Some(rest) = strip_prefix_ignore_case(url, "http://") {
        (false, rest)
    } else {
        return Err("baseUrl must start with https:// (or http:// for a loopback address), e.g. https://api.turkeysms.com.tr.");
    };
    if rest.bytes().any(|b| b == b'?' || b == b'#') {
        return Err("baseUrl must not have a query (?) or fragment (#): give only the origin and an optional path prefix.");
    }
    let (authority, path) = match text::find(rest, "/") {
        Some(i) => (rest.get(..i).unwrap_or(rest), rest.get(i..).unwrap_or("")),
        None => (rest, ""),
    };
    if authority.bytes().any(|b| b == b'@') {
        return Err("baseUrl must not contain credentials (user@host): the API key goes in apiKey, never in a URL.");
    }
    let (host, port) = split_host_port(authority)?;
    let host = host.to_ascii_lowercase();
    if !secure && !is_loopback(&host) {
        return Err("baseUrl uses http:// with a host that is not loopback: use https:// (http:// is only for localhost and 127.0.0.1).");
    }
    let mut origin = String::with_capacity(url.len());
    origin.push_str(if secure { "https://" } else { "http://" });
    origin.push_str(&host);
    if let Some(port) = port {
        origin.push(':');
        origin.push_str(port);
    }
    let bare = host.strip_suffix('.').unwrap_or(&host);
    Ok(BaseUrl {
        origin,
        prefix: trim_trailing_slashes(path).to_string(),
        is_turkeysms: bare == "turkeysms.com.tr" || bare.ends_with(".turkeysms.com.tr"),
    })
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    // get(), not slicing: slicing brings in the panic path with its char formatting.
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

fn split_host_port(authority: &str) -> Result<(&str, Option<&str>), &'static str> {
    const BAD_HOST: &str = "baseUrl has no valid host: give a URL such as https://api.turkeysms.com.tr or http://127.0.0.1:8787.";
    let (host, port) = if authority.starts_with('[') {
        let end = text::find(authority, "]").ok_or(BAD_HOST)?;
        let (host, after) = (
            authority.get(..end + 1).ok_or(BAD_HOST)?,
            authority.get(end + 1..).ok_or(BAD_HOST)?,
        );
        let inner = host.get(1..end).ok_or(BAD_HOST)?;
        if inner.is_empty()
            || !inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.')
        {
            return Err(BAD_HOST);
        }
        match after {
            "" => (host, None),
            _ => (host, Some(after.strip_prefix(':').ok_or(BAD_HOST)?)),
        }
    } else {
        let (host, port) = match text::find(authority, ":") {
            Some(i) => (
                authority.get(..i).unwrap_or_default(),
                authority.get(i + 1..),
            ),
            None => (authority, None),
        };
        // DNS labels: letters, digits and inner hyphens (found by the fuzzer: "https://-/").
        let name = host.as_bytes();
        let name = name.strip_suffix(b".").unwrap_or(name);
        let labels_ok = name.split(|&b| b == b'.').all(|l| {
            !l.is_empty()
                && !l.starts_with(b"-")
                && !l.ends_with(b"-")
                && l.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
        });
        if host.is_empty() || !labels_ok {
            return Err(BAD_HOST);
        }
        (host, port)
    };
    if let Some(port) = port {
        let valid = !port.is_empty()
            && port.len() <= 5
            && port.bytes().all(|b| b.is_ascii_digit())
            && (1..=65535).contains(&decimal(port.as_bytes()));
        if !valid {
            return Err("baseUrl has an invalid port: use a number from 1 to 65535, e.g. http://127.0.0.1:8787.");
        }
    }
    Ok((host, port))
}

/// The value of at most five ASCII digits (callers check they are digits).
fn decimal(digits: &[u8]) -> u32 {
    digits
        .iter()
        .fold(0, |n, d| n * 10 + u32::from(d.wrapping_sub(b'0')))
}

fn trim_trailing_slashes(path: &str) -> &str {
    let end = path.bytes().rposition(|b| b != b'/').map_or(0, |i| i + 1);
    path.get(..end).unwrap_or(path)
}

/// `localhost`, `*.localhost`, `127.0.0.0/8` and `[::1]`: addresses that never leave the machine.
fn is_loopback(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host);
    if host == "localhost" || host.ends_with(".localhost") || host == "[::1]" {
        return true;
    }
    let parts = host.as_bytes().split(|&b| b == b'.');
    host.starts_with("127.")
        && parts.clone().count() == 4
        && parts.into_iter().all(|p| {
            !p.is_empty() && p.len() <= 3 && p.iter().all(u8::is_ascii_digit) && decimal(p) <= 255
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(base: &str) -> String {
        parse_base_url(base).unwrap().join("/otp/send")
    }

    #[test]
    fn joins_paths_cleanly() {
        assert_eq!(url(TURKEYSMS_API), "https://api.turkeysms.com.tr/otp/send");
        assert_eq!(
            url("https://api.turkeysms.com.tr/"),
            "https://api.turkeysms.com.tr/otp/send"
        );
        assert_eq!(
            url("https://example.com/api"),
            "https://example.com/api/otp/send"
        );
        assert_eq!(
            url("https://example.com/api/"),
            "https://example.com/api/otp/send"
        );
        assert_eq!(
            url("https://example.com/a/b//"),
            "https://example.com/a/b/otp/send"
        );
        assert_eq!(
            url("HTTPS://Example.COM:8443/x"),
            "https://example.com:8443/x/otp/send"
        );
        assert_eq!(
            url("http://127.0.0.1:8787"),
            "http://127.0.0.1:8787/otp/send"
        );
        assert_eq!(url("http://[::1]:9000/"), "http://[::1]:9000/otp/send");
        assert_eq!(
            url(" http://localhost:3000 "),
            "http://localhost:3000/otp/send"
        );
    }

    #[test]
    fn http_only_for_loopback() {
        for ok in [
            "http://localhost",
            "http://127.0.0.1",
            "http://127.9.8.7:1",
            "http://app.localhost",
            "http://[::1]",
        ] {
            assert!(parse_base_url(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com",
            "http://192.168.1.2",
            "http://10.0.0.1",
            "http://127.0.0.1.evil.com",
            "http://[::2]",
            "http://128.0.0.1",
        ] {
            assert!(parse_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_base_url() {
        for bad in [
            "",
            "api.turkeysms.com.tr",
            "ftp://x",
            "https://",
            "https:///path",
            "https://a b.com",
            "https://example.com?x=1",
            "https://example.com/#f",
            "https://user:pw@example.com",
            "https://example.com:0",
            "https://example.com:99999",
            "https://example.com:",
            "https://exa_mple.com",
            "https://example..com",
            "https://[zz]",
            "https://[::1",
            "https://ex\\ample.com",
            "https://-/@",
            "https://-a.com",
            "https://a-.com",
        ] {
            assert!(parse_base_url(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn knows_the_turkeysms_host() {
        assert!(parse_base_url(TURKEYSMS_API).unwrap().is_turkeysms);
        assert!(
            parse_base_url("https://API.TurkeySMS.com.tr./")
                .unwrap()
                .is_turkeysms
        );
        assert!(
            !parse_base_url("https://proxy.example.com")
                .unwrap()
                .is_turkeysms
        );
        assert!(
            !parse_base_url("https://turkeysms.com.tr.evil.com")
                .unwrap()
                .is_turkeysms
        );
        assert!(!parse_base_url("http://127.0.0.1:1").unwrap().is_turkeysms);
    }
}
