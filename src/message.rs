//! The Sender ID (`title`), the custom text and its `TS-CODE` placeholder, and how many SMS
//! segments a text becomes (GSM-7 or UCS-2).

use crate::error::LocalCode;
use crate::text::{contains, replace_all};

/// The placeholder TurkeySMS replaces with the generated code.
pub const PLACEHOLDER: &str = "TS-CODE";
/// Longest custom text accepted (characters). OTP texts are short; this stops runaway input
/// before it is sent and billed as many segments.
pub const MAX_TEXT_CHARS: usize = 1000;
/// Longest Sender ID.
pub const MAX_TITLE_CHARS: usize = 11;

/// Checks a Sender ID: 1–11 ASCII letters or digits, spaces, `.` and `-` allowed inside.
pub fn check_title(title: &str) -> Result<(), &'static str> {
    if title.trim().is_empty() {
        return Err("title is empty: give your approved Sender ID, e.g. \"MyApp\".");
    }
    if title.len() > MAX_TITLE_CHARS {
        return Err("title is longer than 11 characters: use your approved Sender ID, at most 11 characters.");
    }
    if !title
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b' ' | b'.' | b'-'))
    {
        return Err("title may contain only ASCII letters, digits, spaces, . and - (no Turkish letters): use your approved Sender ID.");
    }
    if title.starts_with(' ') || title.ends_with(' ') {
        return Err("title starts or ends with a space: Sender IDs are exact, remove the space.");
    }
    Ok(())
}

/// Checks a custom text: present, not too long, and with the `TS-CODE` placeholder.
pub fn check_text(text: &str) -> Result<(), (LocalCode, &'static str)> {
    if text.trim().is_empty() {
        return Err((
            LocalCode::InvalidText,
            "text is empty: write the message with TS-CODE where the code goes, e.g. \"MyApp code: TS-CODE\".",
        ));
    }
    if text.chars().nth(MAX_TEXT_CHARS).is_some() {
        return Err((
            LocalCode::InvalidText,
            "text is longer than 1000 characters: an OTP message should be short; shorten it.",
        ));
    }
    if !contains(text, PLACEHOLDER) {
        let message = if contains(text, "TS_CODE") {
            "text uses TS_CODE, the old V3 spelling: V4 needs TS-CODE (with a hyphen)."
        } else {
            "text has no TS-CODE placeholder: put TS-CODE where the code should appear, e.g. \"MyApp code: TS-CODE\"."
        };
        return Err((LocalCode::MissingPlaceholder, message));
    }
    Ok(())
}

/// How a text travels: which alphabet, how many characters it counts as, how many SMS.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SegmentEstimate {
    pub encoding: &'static str,
    pub characters: u32,
    pub segments: u32,
}

/// `{ encoding, characters, segments }`, as a map for the reason given at [`crate::error::Issue`].
impl serde::Serialize for SegmentEstimate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(3))?;
        map.serialize_entry("encoding", self.encoding)?;
        map.serialize_entry("characters", &self.characters)?;
        map.serialize_entry("segments", &self.segments)?;
        map.end()
    }
}

pub const GSM7: &str = "GSM-7";
pub const UCS2: &str = "UCS-2";

/// GSM 03.38 basic character set (one septet each).
const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
/// GSM 03.38 extension table (an escape plus one septet: two each).
const GSM_EXTENSION: &str = "^{}\\[~]|€\u{c}";

/// Septets a character takes in GSM-7, or `None` when it forces UCS-2.
fn gsm_septets(c: char) -> Option<u32> {
    // Letters, digits and space first: the common case skips the table scan.
    if c.is_ascii_alphanumeric() || c == ' ' || GSM_BASIC.chars().any(|g| g == c) {
        Some(1)
    } else if GSM_EXTENSION.chars().any(|g| g == c) {
        Some(2)
    } else {
        None
    }
}

/// Counts a text as the phone receives it: `TS-CODE` stands for a code of `digits` digits.
pub fn estimate_segments(text: &str, digits: u32) -> SegmentEstimate {
    let code = "0".repeat(digits as usize);
    let rendered = replace_all(text, PLACEHOLDER, &code);
    let gsm: Option<Vec<u32>> = rendered.chars().map(gsm_septets).collect();
    match gsm {
        Some(units) => pack(GSM7, &units, 160, 153),
        None => {
            let units: Vec<u32> = rendered.chars().map(|c| c.len_utf16() as u32).collect();
            pack(UCS2, &units, 70, 67)
        }
    }
}

/// Splits characters of the given unit sizes into segments. One SMS holds `single` units; a
/// split message holds `part` units per segment, and no character is cut across two segments
/// (an escaped GSM character or a UTF-16 surrogate pair stays whole).
fn pack(encoding: &'static str, units: &[u32], single: u32, part: u32) -> SegmentEstimate {
    let characters: u32 = units.iter().sum();
    let segments = if characters == 0 {
        0
    } else if characters <= single {
        1
    } else {
        let mut segments = 1;
        let mut used = 0;
        for &size in units {
            if used + size > part {
                segments += 1;
                used = 0;
            }
            used += size;
        }
        segments
    };
    SegmentEstimate {
        encoding,
        characters,
        segments,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_approved_looking_titles() {
        for title in ["MyApp", "A", "MY-APP.COM", "Shop 24", "ABCDEFGHIJK"] {
            assert_eq!(check_title(title), Ok(()), "{title:?}");
        }
    }

    #[test]
    fn rejects_bad_titles_with_a_reason() {
        for title in [
            "",
            "   ",
            "ABCDEFGHIJKL",
            "Şirket",
            "My_App",
            "App!",
            " App",
            "App ",
            "Ürün",
        ] {
            assert!(check_title(title).is_err(), "{title:?} was accepted");
        }
    }

    #[test]
    fn text_needs_the_placeholder_and_explains_the_v3_spelling() {
        assert_eq!(check_text("Code: TS-CODE"), Ok(()));
        let (code, message) = check_text("Code: TS_CODE").unwrap_err();
        assert_eq!(code, LocalCode::MissingPlaceholder);
        assert!(message.contains("V3"));
        let (code, message) = check_text("Code: 1234").unwrap_err();
        assert_eq!(code, LocalCode::MissingPlaceholder);
        assert!(message.contains("TS-CODE"));
        assert_eq!(check_text(" \n").unwrap_err().0, LocalCode::InvalidText);
        let long = "TS-CODE ".to_string() + &"a".repeat(MAX_TEXT_CHARS);
        assert_eq!(check_text(&long).unwrap_err().0, LocalCode::InvalidText);
        assert_eq!(
            check_text("ts-code lower").unwrap_err().0,
            LocalCode::MissingPlaceholder
        );
    }

    fn estimate(text: &str) -> (&'static str, u32, u32) {
        let e = estimate_segments(text, 6);
        (e.encoding, e.characters, e.segments)
    }

    #[test]
    fn gsm_boundaries_are_160_then_153() {
        assert_eq!(estimate(&"a".repeat(160)), (GSM7, 160, 1));
        assert_eq!(estimate(&"a".repeat(161)), (GSM7, 161, 2));
        assert_eq!(estimate(&"a".repeat(306)), (GSM7, 306, 2));
        assert_eq!(estimate(&"a".repeat(307)), (GSM7, 307, 3));
    }

    #[test]
    fn ucs2_boundaries_are_70_then_67() {
        assert_eq!(estimate(&"ş".repeat(70)), (UCS2, 70, 1));
        assert_eq!(estimate(&"ş".repeat(71)), (UCS2, 71, 2));
        assert_eq!(estimate(&"ş".repeat(134)), (UCS2, 134, 2));
        assert_eq!(estimate(&"ş".repeat(135)), (UCS2, 135, 3));
    }

    #[test]
    fn extension_characters_count_two() {
        assert_eq!(estimate("€[]{}"), (GSM7, 10, 1));
        assert_eq!(estimate(&"€".repeat(80)), (GSM7, 160, 1));
        assert_eq!(estimate(&("€".repeat(80) + "a")), (GSM7, 161, 2));
    }

    #[test]
    fn an_escaped_character_is_not_split_across_segments() {
        // 152 plain septets then a two-septet character: it moves whole to the second part.
        let text = "a".repeat(152) + "€" + &"a".repeat(152);
        assert_eq!(estimate(&text), (GSM7, 306, 3));
    }

    #[test]
    fn a_turkish_letter_forces_ucs2() {
        assert_eq!(estimate("Kodunuz: TS-CODE").0, GSM7);
        for letter in ["ğ", "ı", "ş", "Ğ", "İ", "Ş", "ç"] {
            assert_eq!(
                estimate(&(letter.to_string() + " TS-CODE")).0,
                UCS2,
                "{letter}"
            );
        }
    }

    #[test]
    fn placeholder_counts_as_the_code_length() {
        assert_eq!(estimate_segments("TS-CODE", 4).characters, 4);
        assert_eq!(estimate_segments("TS-CODE", 6).characters, 6);
        assert_eq!(estimate_segments("A TS-CODE B TS-CODE", 5).characters, 15);
    }

    #[test]
    fn emoji_take_two_ucs2_units() {
        assert_eq!(estimate("😀"), (UCS2, 2, 1));
    }

    #[test]
    fn empty_text_is_zero_segments() {
        assert_eq!(estimate(""), (GSM7, 0, 0));
    }
}
