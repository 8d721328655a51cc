//! Where to send the browser after sign-in or a language change (`next`): only a path on this
//! node. Anything a browser could read as another site, or that hides one behind control
//! characters or percent-encoding, falls back to `/`.

/// `next` when it is a local path, otherwise `/`. A local path starts with a single `/` (not
/// `//` or `/\`, which browsers read as another host), has no backslash and no control
/// character, and stays so once percent-decoded (`%0d%0a`, `%09`, `%2f%2f`...).
pub fn local_path(next: Option<&str>) -> String {
    match next {
        Some(path) if is_local_path(path) => path.to_string(),
        _ => "/".to_string(),
    }
}

fn is_local_path(path: &str) -> bool {
    if !path.starts_with('/') {
        return false;
    }
    // Each decoding round may reveal more (`%250d` is `%0d` is a carriage return).
    let mut form = path.to_string();
    for _ in 0..4 {
        let plain =
            !form.starts_with("//") && !form.contains('\\') && !form.chars().any(char::is_control);
        if !plain {
            return false;
        }
        let decoded = percent_decode(&form);
        if decoded == form {
            break;
        }
        form = decoded;
    }
    // And a URL parser resolving it against this node must stay on this node.
    let base = url::Url::parse("http://this-node.invalid/").expect("constant URL");
    base.join(path)
        .is_ok_and(|url| url.host_str() == Some("this-node.invalid") && url.scheme() == "http")
}

/// `%XX` sequences decoded (invalid UTF-8 replaced), anything else kept.
fn percent_decode(input: &str) -> String {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[i], bytes.get(i + 1), bytes.get(i + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn a_local_path_is_kept() {
        for path in [
            "/admin/settings?x=1",
            "/",
            "/referrals/3#timeline",
            "/search?q=a%20b",
        ] {
            assert_eq!(local_path(Some(path)), path);
        }
    }

    #[test]
    fn anything_else_falls_back_to_the_home_page() {
        let refused = [
            "",
            "admin",
            "https://evil.example/",
            "javascript:alert(1)",
            "//evil.example/",
            "/\\evil.example/",
            "/admin\\x",
            "/\t/evil.example/",
            "/admin\r\nSet-Cookie: x=1",
            "/admin%0d%0aSet-Cookie:%20x=1",
            "/%09/evil.example/",
            "/%2f/evil.example/",
            "/%5cevil.example/",
            "/%250d%250a",
            "/admin%7f",
            "/admin\u{85}",
        ];
        for path in refused {
            assert_eq!(local_path(Some(path)), "/", "{path:?}");
        }
        assert_eq!(local_path(None), "/");
    }
}
