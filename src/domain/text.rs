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

/// Remote HTML reduced to safe formatting: no scripts, event handlers, styles or
/// `javascript:` links. Applied before a remote post is stored.
pub fn sanitize_html(html: &str) -> String {
    ammonia::Builder::default()
        .link_rel(Some("noopener noreferrer nofollow"))
        .clean(html)
        .to_string()
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
}
