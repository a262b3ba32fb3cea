//! Files and the protocol's URIs: the path an open document's URI names
//! (the model's path in messages, and where its imports are found from),
//! and the URI of an imported file (go to definition opens it).

use lsp_types as lsp;

/// The path of a `file:` URI (percent-decoded), or the URI itself for
/// other schemes (an unsaved buffer): the name messages use for the model.
pub fn path_of(uri: &lsp::Uri) -> String {
    let is_file = uri
        .scheme()
        .is_some_and(|s| s.as_str().eq_ignore_ascii_case("file"));
    if !is_file {
        return uri.as_str().to_string();
    }
    let path = uri.path().as_estr().decode().into_bytes();
    String::from_utf8_lossy(&path).into_owned()
}

/// The `file:` URI of a path (an imported file's, for go to definition):
/// every byte but letters, digits and `-._~/` percent-encoded. `None` for a
/// path that is not absolute (it names no file an editor can open).
pub fn uri_of(path: &str) -> Option<lsp::Uri> {
    if !std::path::Path::new(path).is_absolute() {
        return None;
    }
    let mut uri = String::from("file://");
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            uri.push(char::from(b));
        } else {
            uri.push_str(&format!("%{b:02X}"));
        }
    }
    uri.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_goes_to_a_uri_and_back() {
        for path in [
            "/tmp/plan b.model",
            "/tmp/sites é/中文 𝑥.model",
            "/a/100%.model",
        ] {
            let uri = uri_of(path).unwrap();
            assert!(!uri.as_str().contains(' '), "{}", uri.as_str());
            assert_eq!(path_of(&uri), path);
        }
        assert_eq!(uri_of("relative/site.model"), None);
        let unsaved: lsp::Uri = "untitled:Untitled-1".parse().unwrap();
        assert_eq!(path_of(&unsaved), "untitled:Untitled-1");
    }
}
