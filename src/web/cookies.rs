//! Reading and writing the few cookies Rådslag uses.

use axum::http::{HeaderMap, HeaderValue, header};

/// Staff session token.
pub const SESSION: &str = "radslag_session";
/// Random value the CSRF tokens are derived from.
pub const CSRF: &str = "radslag_csrf";
/// The reader's chosen language.
pub const LANGUAGE: &str = "radslag_lang";

/// The value of cookie `name` in the request headers.
pub fn get<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim_matches('"'))
}

/// How long a cookie should live.
#[derive(Debug, Clone, Copy)]
pub enum Lifetime {
    /// Until the browser closes.
    Session,
    /// This many seconds.
    Seconds(i64),
    /// Remove the cookie.
    Expired,
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, and Secure over https.
pub fn build(name: &str, value: &str, lifetime: Lifetime, secure: bool) -> Option<HeaderValue> {
    let mut text = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    match lifetime {
        Lifetime::Session => {}
        Lifetime::Seconds(seconds) => text.push_str(&format!("; Max-Age={seconds}")),
        Lifetime::Expired => text.push_str("; Max-Age=0"),
    }
    if secure {
        text.push_str("; Secure");
    }
    HeaderValue::from_str(&text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_one_cookie_among_many() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("a=1; radslag_lang=nn; b=2"));
        assert_eq!(get(&headers, LANGUAGE), Some("nn"));
        assert_eq!(get(&headers, SESSION), None);
    }

    #[test]
    fn builds_safe_cookies() {
        let value = build(SESSION, "abc", Lifetime::Session, true).expect("valid");
        let text = value.to_str().expect("ascii");
        assert!(text.contains("HttpOnly") && text.contains("SameSite=Lax") && text.contains("Secure"));
    }
}
