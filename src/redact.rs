//! Scrubbing the API key out of any text an error carries, in every form a server or proxy might
//! echo it back: as given, upper- or lower-cased, URL-encoded, or cut short.
//!
//! This module owns the rule; [`crate::error`] applies it to the code and message a server sent,
//! and the transport to every response body before it is parsed.
//!
//! A byte of the text is *covered* when it lies inside an occurrence, matched ASCII
//! case-insensitively, of one of the key's forms:
//!
//! - the key as given;
//! - the key as JavaScript's `encodeURIComponent` writes it (A–Z a–z 0–9 `-_.!~*'()` kept, every
//!   other byte as `%XX`; hex digits match in either case, since matching folds ASCII case);
//! - that form with a space as `+`, and the `application/x-www-form-urlencoded` form of
//!   `URLSearchParams` (only A–Z a–z 0–9 `*-._` kept, space as `+`), where they differ.
//!
//! For a key of 8 bytes or more, any 8-byte window of a form counts as well (so a key cut short
//! is still caught, and a whole form is the union of its windows); a shorter key is only caught
//! whole. Each maximal run of covered bytes, widened to character boundaries so the result stays
//! valid UTF-8, becomes one `[redacted]`. An absent, empty or whitespace-only key changes nothing.
//!
//! The windows of all forms are kept as a sorted `Vec<u64>` and each text position is one binary
//! search, so the cost is O(text × log(key)), not O(text × key). Measured once with a throwaway
//! timing (native x86-64 Xeon, best of 10): a 1 MiB text with a random 200-byte printable key
//! (560–810 distinct windows) takes about 9 ms in release (opt-level 3 or "z") and 80–90 ms in
//! debug, with or without the key in it; with a 6-byte key, 2 ms in release and 27 ms in debug.
//!
//! Like [`crate::text`], this avoids `format!`, `&str` pattern search and panicking slices, which
//! would pull formatting and the two-way searcher into the wasm.

/// What a covered run becomes.
const MARKER: &str = "[redacted]";
/// A key this long or longer is also caught by any of its windows of this many bytes.
const WINDOW: usize = 8;

/// `text` with every form of `key` (see the module doc) replaced by `[redacted]`.
pub fn redact(text: &str, key: Option<&str>) -> String {
    let key = match key {
        Some(key) if !key.trim().is_empty() => key,
        _ => return text.to_string(),
    };
    let forms = forms(key.as_bytes());
    let mut out = Scrubbed::new(text);
    if key.len() >= WINDOW {
        let windows = windows(&forms);
        // `word` holds the last WINDOW bytes seen, lower-cased, first byte highest.
        let mut word = 0u64;
        for (i, &b) in text.as_bytes().iter().enumerate() {
            word = (word << 8) | u64::from(b.to_ascii_lowercase());
            if i + 1 >= WINDOW && windows.binary_search(&word).is_ok() {
                out.cover(i + 1 - WINDOW, i + 1);
            }
        }
    } else {
        let bytes = text.as_bytes();
        for i in 0..bytes.len() {
            for form in &forms {
                let end = i + form.len();
                if bytes
                    .get(i..end)
                    .is_some_and(|s| s.eq_ignore_ascii_case(form))
                {
                    out.cover(i, end);
                }
            }
        }
    }
    out.finish()
}

/// The key's distinct forms, lower-cased.
fn forms(key: &[u8]) -> Vec<Vec<u8>> {
    let uri = |b: u8| b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b);
    let form = |b: u8| b.is_ascii_alphanumeric() || b"*-._".contains(&b);
    let mut forms: Vec<Vec<u8>> = Vec::with_capacity(4);
    for candidate in [
        key.to_ascii_lowercase(),
        encode(key, uri, false),
        encode(key, uri, true),
        encode(key, form, true),
    ] {
        // Four at most: a linear check costs less wasm than sorting byte strings.
        if !forms.contains(&candidate) {
            forms.push(candidate);
        }
    }
    forms
}

/// Percent-encodes every byte `keep` rejects, in lower-case hex; a space as `+` if `plus`.
fn encode(key: &[u8], keep: impl Fn(u8) -> bool, plus: bool) -> Vec<u8> {
    let hex = |n: u8| if n < 10 { b'0' + n } else { b'a' + n - 10 };
    let mut out = Vec::with_capacity(key.len());
    for &b in key {
        if keep(b) {
            out.push(b.to_ascii_lowercase());
        } else if plus && b == b' ' {
            out.push(b'+');
        } else {
            out.extend_from_slice(&[b'%', hex(b >> 4), hex(b & 0xf)]);
        }
    }
    out
}

/// Every WINDOW-byte window of every form as a number (first byte highest), sorted, distinct.
fn windows(forms: &[Vec<u8>]) -> Vec<u64> {
    // Kept sorted by inserting in place: a key gives a few hundred windows, and this costs far
    // less wasm than the standard sort.
    let mut all: Vec<u64> = Vec::new();
    for w in forms.iter().flat_map(|form| form.windows(WINDOW)) {
        let word = w.iter().fold(0u64, |word, &b| (word << 8) | u64::from(b));
        if let Err(at) = all.binary_search(&word) {
            all.insert(at, word);
        }
    }
    all
}

/// The output being built: covered ranges arrive in order of their start and are merged.
struct Scrubbed<'a> {
    text: &'a str,
    out: String,
    /// Where the text not yet copied to `out` begins.
    copied: usize,
    /// The covered run still growing, if any.
    run: Option<(usize, usize)>,
}

impl<'a> Scrubbed<'a> {
    fn new(text: &'a str) -> Self {
        Scrubbed {
            text,
            out: String::new(),
            copied: 0,
            run: None,
        }
    }

    /// Marks `start..end` covered; `start` never decreases from one call to the next.
    fn cover(&mut self, mut start: usize, mut end: usize) {
        while start > 0 && !self.text.is_char_boundary(start) {
            start -= 1;
        }
        while end < self.text.len() && !self.text.is_char_boundary(end) {
            end += 1;
        }
        match &mut self.run {
            // Overlapping or touching: the same run.
            Some((_, run_end)) if start <= *run_end => *run_end = (*run_end).max(end),
            _ => {
                self.flush();
                self.run = Some((start, end));
            }
        }
    }

    /// Writes the pending run, and the text before it, to `out`.
    fn flush(&mut self) {
        if let Some((start, end)) = self.run.take() {
            if self.out.capacity() == 0 {
                self.out.reserve(self.text.len());
            }
            self.out
                .push_str(self.text.get(self.copied..start).unwrap_or_default());
            self.out.push_str(MARKER);
            self.copied = end;
        }
    }

    fn finish(mut self) -> String {
        self.flush();
        if self.out.is_empty() {
            return self.text.to_string();
        }
        self.out
            .push_str(self.text.get(self.copied..).unwrap_or_default());
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "Ab3dEf9hJk2mNp7q";

    fn r(text: &str, key: &str) -> String {
        redact(text, Some(key))
    }

    #[test]
    fn the_exact_key_is_redacted() {
        assert_eq!(
            r("key Ab3dEf9hJk2mNp7q is bad", KEY),
            "key [redacted] is bad"
        );
        assert_eq!(r(KEY, KEY), "[redacted]");
    }

    #[test]
    fn the_key_in_any_case_is_redacted() {
        assert_eq!(r("x AB3DEF9HJK2MNP7Q y", KEY), "x [redacted] y");
        assert_eq!(r("x ab3def9hjk2mnp7q y", KEY), "x [redacted] y");
        assert_eq!(r("x aB3DeF9HjK2MnP7Q y", KEY), "x [redacted] y");
    }

    #[test]
    fn the_url_encoded_key_is_redacted_with_hex_in_either_case() {
        let key = "a/b+c d=ef&gh12345";
        let encoded = "a%2Fb%2Bc%20d%3Def%26gh12345";
        assert_eq!(
            r(&("?k=".to_string() + encoded + "&x"), key),
            "?k=[redacted]&x"
        );
        let lower = "A%2fB%2bC%20D%3dEF%26GH12345";
        assert_eq!(r(&("?k=".to_string() + lower), key), "?k=[redacted]");
    }

    #[test]
    fn the_form_encoded_key_is_redacted() {
        let key = "a/b+c d=ef&gh12345";
        assert_eq!(r("k=a%2Fb%2Bc+d%3Def%26gh12345.", key), "k=[redacted].");
        // URLSearchParams also encodes ! ~ ' ( ) that encodeURIComponent keeps.
        let key = "it's (a) key!";
        assert_eq!(r("it's+(a)+key!", key), "[redacted]");
        assert_eq!(r("it%27s+%28a%29+key%21", key), "[redacted]");
        assert_eq!(r("it's%20(a)%20key!", key), "[redacted]");
    }

    #[test]
    fn an_eight_byte_piece_of_the_key_is_redacted_anywhere() {
        assert_eq!(r("start Ab3dEf9h.", KEY), "start [redacted].");
        assert_eq!(r("mid 3dEf9hJk!", KEY), "mid [redacted]!");
        assert_eq!(r("end Jk2mNp7q", KEY), "end [redacted]");
        assert_eq!(
            r("cut: jk2mnp7", KEY),
            "cut: jk2mnp7",
            "7 bytes are not enough"
        );
    }

    #[test]
    fn overlapping_and_touching_pieces_make_one_marker() {
        // Two windows sharing bytes, then a whole key right after a piece of it.
        assert_eq!(r("[Ab3dEf9hJk] x", KEY), "[[redacted]] x");
        assert_eq!(r("<Ab3dEf9hAb3dEf9hJk2mNp7q>", KEY), "<[redacted]>");
        assert_eq!(r("Ab3dEf9h Ab3dEf9h", KEY), "[redacted] [redacted]");
    }

    #[test]
    fn multibyte_text_around_and_inside_the_key_stays_valid() {
        assert_eq!(r("şö€Ab3dEf9hJk2mNp7q😀ğ", KEY), "şö€[redacted]😀ğ");
        let key = "ключ-şifre-😀-42";
        assert_eq!(r("«ключ-şifre-😀-42»", key), "«[redacted]»");
        // A window that starts or ends inside a character takes the whole character.
        let key = "😀abcdefg";
        assert_eq!(r("x😀abcdefgy", key), "x[redacted]y");
        assert_eq!(r("x\u{1F600}abcdef", key), "x[redacted]");
        // Multibyte key bytes are percent-encoded too.
        assert_eq!(r("k=%F0%9F%98%80abcdefg", key), "k=[redacted]");
        // U+5F600 ends in the same three bytes as 😀: only the window from its 2nd byte matches.
        assert_eq!(r("x\u{5F600}abcdefgy", key), "x[redacted]y");
        let key = "abcdefg😀";
        // U+1F601 starts like 😀: only the window ending at its 1st byte matches.
        assert_eq!(r("xabcdefg\u{1F601}y", key), "x[redacted]y");
    }

    #[test]
    fn a_short_key_is_redacted_only_whole() {
        assert_eq!(
            r("a KEY, a key, a Ke", "KEY"),
            "a [redacted], a [redacted], a Ke"
        );
        assert_eq!(
            r("a b, a+b, a%20B", "a b"),
            "[redacted], [redacted], [redacted]"
        );
        assert_eq!(r("xxaaxx", "aa"), "xx[redacted]xx");
        assert_eq!(r("aaa", "aa"), "[redacted]");
        assert_eq!(r("1234567", "1234567"), "[redacted]");
    }

    #[test]
    fn no_key_changes_nothing() {
        let text = "TurkeySMS answered TS-1031: bad key.";
        assert_eq!(redact(text, None), text);
        assert_eq!(redact(text, Some("")), text);
        assert_eq!(redact(text, Some("  \t")), text);
        assert_eq!(redact("", Some(KEY)), "");
    }

    #[test]
    fn text_without_the_key_is_unchanged() {
        let text = "TurkeySMS answered TS-1031: Ab3dEf9 ş h Jk2mNp7 is not it.";
        assert_eq!(r(text, KEY), text);
        assert_eq!(r("short", KEY), "short");
    }
}
