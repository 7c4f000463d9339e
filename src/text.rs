//! Substring search and replace over UTF-8 bytes. A needle that is itself valid UTF-8 only
//! matches at character boundaries, so byte search is exact. These replace `str::contains` and
//! `str::replace` with a `&str` pattern, whose two-way searcher (and the panic formatting behind
//! it) cost about 4 KB of wasm for texts of a few hundred bytes.

/// Where `needle` first occurs in `haystack`.
pub fn find(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    if n.is_empty() {
        return Some(0);
    }
    (0..h.len().saturating_sub(n.len() - 1)).find(|&i| h.get(i..i + n.len()) == Some(n))
}

pub fn contains(haystack: &str, needle: &str) -> bool {
    find(haystack, needle).is_some()
}

/// `haystack` with every `needle` replaced by `with`.
pub fn replace_all(haystack: &str, needle: &str, with: &str) -> String {
    let mut out = String::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some(i) = find(rest, needle).filter(|_| !needle.is_empty()) {
        out.push_str(rest.get(..i).unwrap_or_default());
        out.push_str(with);
        rest = rest.get(i + needle.len()..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_replaces_like_std() {
        for (h, n) in [
            ("abc", "b"),
            ("abc", "d"),
            ("", "a"),
            ("a", ""),
            ("şTS-CODEş", "TS-CODE"),
            ("TS-CODETS-CODE", "TS-CODE"),
            ("aaa", "aa"),
        ] {
            assert_eq!(find(h, n), h.find(n), "{h:?} {n:?}");
            assert_eq!(contains(h, n), h.contains(n));
            if !n.is_empty() {
                assert_eq!(replace_all(h, n, "123"), h.replace(n, "123"), "{h:?} {n:?}");
            }
        }
    }
}
