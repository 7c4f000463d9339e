//! Normalising and validating recipient numbers.
//!
//! TurkeySMS wants international format, digits only, no `+` (`905321234567`). People type
//! `+90 532 123 45 67`, `0532 123 4567`, `5321234567`, `0090 532…`, `+49 151…`. This module turns
//! all of those into the wire form, or says exactly what is wrong.

/// Longest input looked at; anything longer is not a phone number someone typed.
const MAX_INPUT_CHARS: usize = 64;

/// Turns a typed number into TurkeySMS's form, or returns a message that says what to fix.
///
/// The result is a fixed point: normalising it again returns it unchanged.
pub fn normalize_mobile(input: &str) -> Result<String, &'static str> {
    if input.chars().nth(MAX_INPUT_CHARS).is_some() {
        return Err("mobile is too long to be a phone number: give at most 15 digits, e.g. +90 532 123 45 67.");
    }
    let (plus, digits) = read_digits(input)?;
    if digits.is_empty() {
        return Err(
            "mobile is empty: give a mobile number, e.g. 0532 123 45 67 or +90 532 123 45 67.",
        );
    }
    let international = if plus {
        if digits.starts_with('0') {
            return Err("mobile has a 0 right after +: write the country code after +, e.g. +90 532 123 45 67.");
        }
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_string()
    } else if let Some(rest) = digits.strip_prefix('0') {
        return turkish_national(rest);
    } else if digits.len() == 10 && digits.starts_with('5') {
        // A Turkish mobile typed without its leading 0 or country code.
        let mut wire = String::with_capacity(12);
        wire.push_str("90");
        wire.push_str(&digits);
        return Ok(wire);
    } else {
        digits
    };
    check_international(international)
}

/// Splits off an optional leading `+` and keeps the digits, skipping the separators people type.
fn read_digits(input: &str) -> Result<(bool, String), &'static str> {
    let trimmed = input.trim();
    let (plus, body) = match trimmed.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let mut digits = String::with_capacity(16);
    for c in body.chars() {
        if let Some(d) = decimal_digit(c) {
            digits.push(d);
        } else if !(c.is_whitespace() || matches!(c, '-' | '.' | '(' | ')' | '/')) {
            return Err(if c == '+' {
                "mobile has a + that is not at the start: write + only before the country code."
            } else {
                "mobile may contain only digits, spaces, - . ( ) / and a leading +, e.g. +90 532 123 45 67."
            });
        }
    }
    Ok((plus, digits))
}

/// ASCII digits, and the Arabic-Indic, Eastern Arabic-Indic and full-width digits some keyboards type.
pub(crate) fn decimal_digit(c: char) -> Option<char> {
    let zero = match c {
        '0'..='9' => return Some(c),
        '\u{0660}'..='\u{0669}' => 0x0660,
        '\u{06F0}'..='\u{06F9}' => 0x06F0,
        '\u{FF10}'..='\u{FF19}' => 0xFF10,
        _ => return None,
    };
    char::from_digit(c as u32 - zero, 10)
}

/// A number written the Turkish national way: `0` already removed, 10 digits remain.
fn turkish_national(rest: &str) -> Result<String, &'static str> {
    if rest.len() != 10 {
        return Err("mobile starts with 0, so it is read as a Turkish number, which has 11 digits (0532 123 45 67): check the length, or write +<country code> for another country.");
    }
    let mut wire = String::with_capacity(12);
    wire.push_str("90");
    wire.push_str(rest);
    check_turkish(wire)
}

/// Digits that begin with a country code (no `+`, no `00`).
fn check_international(digits: String) -> Result<String, &'static str> {
    if digits.starts_with("90") {
        return check_turkish(digits);
    }
    if digits.starts_with('0') {
        return Err("mobile has a 0 where the country code should start: write +<country code>, e.g. +49 151 2345 6789.");
    }
    if digits.len() < 8 {
        return Err("mobile is too short: an international number has 8 to 15 digits with its country code.");
    }
    if digits.len() > 15 {
        return Err("mobile is too long: an international number has at most 15 digits with its country code.");
    }
    if digits.len() == 10 && digits.starts_with('5') {
        // On the wire this could equally be a Turkish mobile without 90: TurkeySMS cannot tell.
        return Err("mobile is ambiguous: 10 digits starting with 5 also read as a Turkish mobile without 90; TurkeySMS's format cannot tell them apart.");
    }
    Ok(digits)
}

/// `90` + a mobile: the subscriber part is 10 digits starting with 5.
fn check_turkish(wire: String) -> Result<String, &'static str> {
    if wire.len() != 12 {
        return Err("mobile is not a Turkish mobile: after 90 come 10 digits starting with 5, e.g. +90 532 123 45 67.");
    }
    if wire.as_bytes().get(2) != Some(&b'5') {
        return Err("mobile is a Turkish landline, not a mobile: an OTP needs a mobile number (05xx xxx xx xx).");
    }
    Ok(wire)
}

#[cfg(test)]
mod tests {
    use super::normalize_mobile;

    fn ok(input: &str) -> String {
        normalize_mobile(input).unwrap_or_else(|e| panic!("{input:?} was rejected: {e}"))
    }

    #[test]
    fn accepts_the_forms_people_type_for_a_turkish_mobile() {
        for input in [
            "+90 532 123 45 67",
            "0532 123 4567",
            "05321234567",
            "5321234567",
            "905321234567",
            "00905321234567",
            "0090 532 123 45 67",
            "+90 (532) 123-45-67",
            "  +90.532.123.45.67  ",
            "0532/123 45 67",
            "\u{a0}0532\u{a0}123\u{a0}45\u{a0}67",
            "٠٥٣٢١٢٣٤٥٦٧",
            "０５３２１２３４５６７",
        ] {
            assert_eq!(ok(input), "905321234567", "{input:?}");
        }
    }

    #[test]
    fn accepts_other_countries_with_their_country_code() {
        assert_eq!(ok("+49 151 2345 6789"), "4915123456789");
        assert_eq!(ok("0049 151 2345 6789"), "4915123456789");
        assert_eq!(ok("4915123456789"), "4915123456789");
        assert_eq!(ok("+1 (415) 555-0100"), "14155550100");
        assert_eq!(ok("+357 9912 3456"), "35799123456");
    }

    #[test]
    fn rejects_turkish_landlines_and_wrong_lengths() {
        assert!(normalize_mobile("0212 123 45 67")
            .unwrap_err()
            .contains("landline"));
        assert!(normalize_mobile("+90 212 123 45 67")
            .unwrap_err()
            .contains("landline"));
        assert!(normalize_mobile("0532 123 456").is_err());
        assert!(normalize_mobile("0532 123 45 678").is_err());
        assert!(normalize_mobile("90532123456").is_err());
        assert!(normalize_mobile("+90 532 123 45 678").is_err());
    }

    #[test]
    fn rejects_what_is_not_a_number() {
        for input in [
            "",
            "   ",
            "+",
            "abc",
            "0532 123 45 6x",
            "+90+532",
            "+0532 123 45 67",
            "1234567",
            "+1234567890123456",
            "(0)",
            "05321234567;DROP",
        ] {
            assert!(normalize_mobile(input).is_err(), "{input:?} was accepted");
        }
    }

    #[test]
    fn rejects_a_ten_digit_foreign_number_that_reads_as_turkish() {
        assert!(normalize_mobile("+53 5123 4567")
            .unwrap_err()
            .contains("ambiguous"));
    }

    #[test]
    fn rejects_very_long_input_without_reading_it_all() {
        let long = "5".repeat(100_000);
        assert!(normalize_mobile(&long).unwrap_err().contains("too long"));
    }
}
