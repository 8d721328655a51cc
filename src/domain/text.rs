//! Text and HTML: what staff type becomes escaped HTML; what other servers send is sanitised;
//! HTML becomes plain text for the search index and feeds.

/// Plain text as HTML: escaped, blank lines make paragraphs, single newlines make `<br>`.
/// Browsers send a textarea's line breaks as CRLF, which count as newlines too.
pub fn text_to_html(text: &str) -> String {
    text.replace("\r\n", "\n")
        .trim()
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", escape(p).replace('\n', "<br>")))
        .collect()
}

pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// Remote HTML reduced to safe formatting: no scripts, event handlers or styles, and links
/// and images only to `http`, `https` and `mailto` addresses (a mail link opens the reader's
/// mail program and runs nothing). Relative addresses are dropped too: on this node they would
/// point at this node's own pages (or, as `//host`, at any site). Applied before a remote post
/// is stored.
pub fn sanitize_html(html: &str) -> String {
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into())
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(html)
        .to_string()
}

/// `url` when it is an absolute `http` or `https` address with a host: the only addresses from
/// remote content this node renders as links.
pub fn web_url(url: &str) -> Option<String> {
    let parsed = url::Url::parse(url.trim()).ok()?;
    (matches!(parsed.scheme(), "http" | "https") && parsed.host_str().is_some())
        .then(|| parsed.to_string())
}

/// The plain text of an HTML fragment: tags dropped, entities decoded.
pub fn html_text(html: &str) -> String {
    // Paragraphs and line breaks end with a newline, so their words do not run together.
    let spaced = html
        .replace("</p>", "</p>\n")
        .replace("<br>", "\n")
        .replace("<br/>", "\n")
        .replace("<br />", "\n");
    ammonia::Builder::empty()
        .clean(&spaced)
        .to_string()
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_becomes_escaped_paragraphs() {
        assert_eq!(
            text_to_html("Clinic open <today>\nfrom 9\n\nBring ID & papers"),
            "<p>Clinic open &lt;today&gt;<br>from 9</p><p>Bring ID &amp; papers</p>"
        );
        assert_eq!(
            text_to_html("From a form\r\nline two\r\n\r\nSecond paragraph"),
            "<p>From a form<br>line two</p><p>Second paragraph</p>"
        );
    }

    #[test]
    fn hostile_html_is_made_inert() {
        let clean = sanitize_html(
            r#"<p onclick="x()">Hi<script>alert(1)</script><a href="javascript:alert(2)">l</a></p>"#,
        );
        assert!(!clean.contains("script"), "{clean}");
        assert!(!clean.contains("onclick"), "{clean}");
        assert!(!clean.contains("javascript:"), "{clean}");
        assert!(clean.contains("Hi"), "{clean}");
        assert_eq!(html_text("<b>Legal</b> aid &amp; more"), "Legal aid & more");
    }

    #[test]
    fn only_web_and_mail_links_survive() {
        let clean = sanitize_html(concat!(
            r#"<a href="javascript:alert(1)">j</a><a href="JaVaScRiPt:alert(1)">J</a>"#,
            r#"<a href="data:text/html,x">d</a><a href="vbscript:msgbox(1)">v</a>"#,
            r#"<a href="//evil.example/x">r</a><a href="/admin/settings">l</a>"#,
            r#"<img src="data:image/png;base64,AAAA"><a href="ftp://f.example/">f</a>"#,
            r#"<a href="https://good.example/ok">ok</a><a href="mailto:a@b.example">m</a>"#,
        ));
        for gone in [
            "javascript",
            "JaVaScRiPt",
            "data:",
            "vbscript",
            "evil.example",
            "/admin",
            "ftp:",
        ] {
            assert!(!clean.contains(gone), "{gone} in {clean}");
        }
        // Control: the same cleaner keeps web and mail links.
        assert!(
            clean.contains(r#"href="https://good.example/ok""#),
            "{clean}"
        );
        assert!(clean.contains(r#"href="mailto:a@b.example""#), "{clean}");
        assert_eq!(
            web_url("https://a.example/u").as_deref(),
            Some("https://a.example/u")
        );
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "vbscript:x",
            "//a.example/u",
            "/u",
        ] {
            assert_eq!(web_url(bad), None, "{bad}");
        }
    }
}
