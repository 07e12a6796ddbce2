//! Personal data published by mistake (docs/rules.md `security.privacy`): 18-digit resident ID numbers whose last character
//! is a valid ISO 7064 MOD 11-2 checksum and whose birth date is real, and bank card numbers (16–19 digits, Luhn-valid).
//!
//! Only free-standing digit runs count: a number glued to other digits or letters (an index number, a file id, a URL
//! path) is not a person's number. Card numbers must also start like a payment card (3–6) — a Luhn check alone
//! passes one random number in ten, too many for a finding that goes into a bulletin.

use chrono::NaiveDate;
use regex::Regex;
use std::sync::LazyLock;

static DIGIT_RUN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[0-9A-Za-z]+").unwrap());
/// Card numbers printed in groups of four ("6222 0212 3456 7890 123").
static GROUPED_CARD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[^0-9A-Za-z])(\d{4}(?: \d{4}){3}(?: \d{1,3})?)(?:$|[^0-9A-Za-z])").unwrap());

/// ISO 7064 MOD 11-2 check of an 18-character resident ID number, plus a real birth date.
pub fn is_valid_id_number(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = b[..17].iter().zip(W).map(|(c, w)| (c - b'0') as u32 * w).sum();
    let expect = CHECK[(sum % 11) as usize];
    if b[17].to_ascii_uppercase() != expect {
        return false;
    }
    if !(b'1'..=b'8').contains(&b[0]) {
        return false;
    }
    let y: i32 = s[6..10].parse().unwrap_or(0);
    let m: u32 = s[10..12].parse().unwrap_or(0);
    let d: u32 = s[12..14].parse().unwrap_or(0);
    (1900..=2030).contains(&y) && NaiveDate::from_ymd_opt(y, m, d).is_some()
}

/// Luhn check of a 16–19 digit number that starts like a payment card.
pub fn is_valid_card_number(s: &str) -> bool {
    let b = s.as_bytes();
    if !(16..=19).contains(&b.len()) || !b.iter().all(u8::is_ascii_digit) || !(b'3'..=b'6').contains(&b[0]) {
        return false;
    }
    let mut sum = 0u32;
    for (i, c) in b.iter().rev().enumerate() {
        let mut v = (c - b'0') as u32;
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum.is_multiple_of(10)
}

/// What a page exposes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Exposure {
    pub id_numbers: Vec<String>,
    pub card_numbers: Vec<String>,
}

impl Exposure {
    pub fn is_empty(&self) -> bool {
        self.id_numbers.is_empty() && self.card_numbers.is_empty()
    }
}

/// Mask a number for evidence: enough to find it on the page, not enough to republish it.
pub fn mask(s: &str) -> String {
    let n = s.chars().count();
    if n <= 8 {
        return s.to_string();
    }
    let head: String = s.chars().take(4).collect();
    let tail: String = s.chars().skip(n - 4).collect();
    format!("{head}{}{tail}", "*".repeat(n - 8))
}

/// Scan visible page text.
pub fn scan(text: &str) -> Exposure {
    let mut out = Exposure::default();
    for m in DIGIT_RUN.find_iter(text) {
        let s = m.as_str();
        if s.len() == 18 && is_valid_id_number(s) {
            out.id_numbers.push(s.to_ascii_uppercase());
        } else if is_valid_card_number(s) {
            out.card_numbers.push(s.to_string());
        }
    }
    for c in GROUPED_CARD.captures_iter(text) {
        let digits: String = c[1].chars().filter(char::is_ascii_digit).collect();
        if is_valid_card_number(&digits) {
            out.card_numbers.push(digits);
        }
    }
    out.id_numbers.sort();
    out.id_numbers.dedup();
    out.card_numbers.sort();
    out.card_numbers.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_checksum() {
        // GB 11643 example number
        assert!(is_valid_id_number("11010519491231002X"));
        assert!(is_valid_id_number("11010519491231002x"));
        assert!(!is_valid_id_number("110105194912310021"));
        assert!(!is_valid_id_number("440524188001010014")); // birth year out of range
        assert!(!is_valid_id_number("11010519491331002X")); // month 13
        assert!(!is_valid_id_number("1101051949123100"));
    }

    #[test]
    fn luhn() {
        assert!(is_valid_card_number("4111111111111111"));
        assert!(is_valid_card_number("6217000010001234564") == luhn_ok("6217000010001234564"));
        assert!(!is_valid_card_number("4111111111111112"));
        assert!(!is_valid_card_number("411111111111111")); // 15 digits
        assert!(!is_valid_card_number("1111111111111117")); // does not start like a card
    }

    fn luhn_ok(s: &str) -> bool {
        let mut sum = 0;
        for (i, c) in s.chars().rev().enumerate() {
            let mut v = c.to_digit(10).unwrap();
            if i % 2 == 1 {
                v *= 2;
                if v > 9 {
                    v -= 9
                }
            }
            sum += v;
        }
        sum % 10 == 0
    }

    #[test]
    fn scan_finds_only_free_standing_valid_numbers() {
        let t = "公示：张三 身份证号 11010519491231002X，银行卡号 4111111111111111；索引号 A11010519491231002X0，\
                 错号 110105194912310021，卡 4111 1111 1111 1111，文件 t4111111111111111";
        let e = scan(t);
        assert_eq!(e.id_numbers, vec!["11010519491231002X"]);
        assert_eq!(e.card_numbers, vec!["4111111111111111"]);
        assert_eq!(mask("11010519491231002X"), "1101**********002X");
    }
}
