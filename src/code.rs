//! The one-time code a person types back, checked before it is sent anywhere (`verifyOtp`) or
//! looked up (`createOtpHandler`'s `/otp/verify`).
//!
//! A code is 4 to 6 decimal digits, TurkeySMS's code lengths. Spaces around it are dropped, and
//! Arabic-Indic and full-width digits become ASCII, as in mobile numbers; anything else inside
//! it is refused rather than guessed at.

use crate::mobile::decimal_digit;

/// The fewest digits a code has.
pub const MIN_CODE_DIGITS: usize = 4;
/// The most digits a code has.
pub const MAX_CODE_DIGITS: usize = 6;

/// The code in ASCII digits, or a message that says what to fix.
pub fn normalize_code(input: &str) -> Result<String, &'static str> {
    const SHAPE: &str = "code must be the 4 to 6 digits from the SMS, e.g. \"123456\".";
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err("code is empty: type the 4 to 6 digits from the SMS.");
    }
    let mut code = String::with_capacity(MAX_CODE_DIGITS);
    for (i, c) in trimmed.chars().enumerate() {
        match decimal_digit(c) {
            Some(d) if i < MAX_CODE_DIGITS => code.push(d),
            _ => return Err(SHAPE),
        }
    }
    if code.len() < MIN_CODE_DIGITS {
        return Err(SHAPE);
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn four_to_six_digits_pass_as_ascii() {
        assert_eq!(normalize_code("1234").unwrap(), "1234");
        assert_eq!(normalize_code(" 012345\n").unwrap(), "012345");
        assert_eq!(normalize_code("٠١٢٣٤٥").unwrap(), "012345");
        assert_eq!(normalize_code("１２３４５").unwrap(), "12345");
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in [
            "",
            "   ",
            "123",
            "1234567",
            "12 34",
            "12-34",
            "abcd",
            "12a4",
            "+1234",
            "1234\u{0}",
            "１２３",
        ] {
            assert!(normalize_code(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_normalized_code_is_a_fixed_point() {
        for code in ["0000", "99999", "123456"] {
            let once = normalize_code(code).unwrap();
            assert_eq!(normalize_code(&once).unwrap(), once);
        }
    }
}
