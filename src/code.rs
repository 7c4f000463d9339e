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

/// The code TurkeySMS answered as a JSON number (`otp_code: 12345`), written back as the code it
/// was: a number has lost its leading zeros, so it is padded to the `digits` the request asked
/// for (TurkeySMS's default, 6, when it asked for none). One rule for the SDK's `otpCode` and the
/// handler's stored code. A number that is not a whole number from 0 up is left as JavaScript
/// printed it (`printed`), for `normalize_code` to refuse.
pub fn code_from_number(value: f64, printed: &str, digits: Option<u8>) -> String {
    let width = usize::from(digits.unwrap_or(crate::defaults::DEFAULT_CODE_DIGITS));
    let mut code = String::with_capacity(width.max(printed.len()));
    // JavaScript prints a whole number below 10^15 as its digits, exactly.
    if value.fract() == 0.0 && (0.0..1e15).contains(&value) {
        for _ in printed.len()..width {
            code.push('0');
        }
    }
    code.push_str(printed);
    code
}

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
    fn a_numeric_code_gets_its_leading_zeros_back() {
        assert_eq!(code_from_number(12345.0, "12345", Some(6)), "012345");
        assert_eq!(code_from_number(123.0, "123", Some(4)), "0123");
        assert_eq!(code_from_number(42.0, "42", None), "000042");
        assert_eq!(code_from_number(123456.0, "123456", Some(4)), "123456");
        assert_eq!(code_from_number(1.5, "1.5", Some(6)), "1.5");
        assert_eq!(code_from_number(-12.0, "-12", Some(6)), "-12");
        assert_eq!(code_from_number(1e21, "1e+21", Some(6)), "1e+21");
    }

    #[test]
    fn a_normalized_code_is_a_fixed_point() {
        for code in ["0000", "99999", "123456"] {
            let once = normalize_code(code).unwrap();
            assert_eq!(normalize_code(&once).unwrap(), once);
        }
    }
}
