//! Numbers and names as people type them in spreadsheets and prose
//! (`1,000`, `$10bn`, `10 %`, `€5M`, `gpu spend`), and how premise spells
//! them: the help of a parse error that stops at one.

use super::lexicon::is_keyword;

/// How to write what the parser stopped at, byte `pos` of the statement
/// `text`, when it looks like a number or a name as people type them in
/// spreadsheets and prose: a thousands separator (`1,000`), a scale in
/// lower case or in words (`$10b`, `$1.5bn`, `2 million`), a space before
/// `%` or a scale, a currency sign other than `$` (`€5M`), a name with a
/// space in it (`gpu spend`). `None` when it looks like none of these.
pub(super) fn typing_hint(text: &str, pos: usize) -> Option<String> {
    let before = text.get(..pos)?;
    let rest = text.get(pos..)?;
    let prev_text = before.trim_end();
    let spaced = prev_text.len() < before.len();
    let prev = Token::before(prev_text);
    let next = rest.chars().next()?;
    if next == ',' {
        if let Token::Number(number) = prev {
            return thousands(number, rest);
        }
    }
    if next == '%' && spaced {
        if let Token::Number(number) = prev {
            return Some(format!("write the % right after the number: {number}%"));
        }
    }
    if let Some(code) = currency_code(next) {
        let after = rest.get(next.len_utf8()..).unwrap_or("");
        let number = match prev {
            Token::Number(n) if !spaced => n,
            _ => Token::number_at(after)?,
        };
        return Some(format!(
            "$ is the only currency sign; other currencies are units: {number} [{code}]"
        ));
    }
    let word: &str = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .map_or(rest, |end| rest.get(..end).unwrap_or(""));
    if word.is_empty() || !word.starts_with(char::is_alphabetic) {
        return None;
    }
    match prev {
        Token::Number(number) => {
            let scale = scale_of(word)?;
            // `10 m` may well be ten metres: the unit hint stands.
            if spaced && word.len() == 1 && word != scale {
                return None;
            }
            if word == scale && spaced {
                Some(format!(
                    "write the scale right after the number: {number}{scale}"
                ))
            } else if word != scale {
                Some(format!(
                    "scales are K M B T in capitals, right after the number: {number}{scale}"
                ))
            } else {
                None
            }
        }
        // `as MWh` is a unit without its brackets, not a name with a space.
        Token::Name(name) if spaced && !is_keyword(word) && !is_keyword(name) => Some(format!(
            "a name has no spaces: {name}_{word} (letters, digits and _)"
        )),
        _ => None,
    }
}

/// The token just before a parse stopped.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Token<'a> {
    /// `10`, `$1.5`, `2.5e3`: digits first, a `$` kept.
    Number(&'a str),
    /// `gpu`, `revenue.openai`
    Name(&'a str),
    Other,
}

impl<'a> Token<'a> {
    /// The number or name that `text` ends with.
    fn before(text: &'a str) -> Token<'a> {
        let start = text
            .char_indices()
            .rev()
            .take_while(|&(_, c)| c.is_alphanumeric() || matches!(c, '_' | '.'))
            .last()
            .map_or(text.len(), |(i, _)| i);
        let word = text.get(start..).unwrap_or("");
        if word.starts_with(|c: char| c.is_ascii_digit()) {
            let with_dollar = start
                .checked_sub(1)
                .filter(|&d| text.get(d..start) == Some("$"))
                .unwrap_or(start);
            Token::Number(text.get(with_dollar..).unwrap_or(word))
        } else if word.starts_with(|c: char| c.is_alphabetic() || c == '_') {
            Token::Name(word)
        } else {
            Token::Other
        }
    }

    /// The number `text` starts with, a scale suffix included (`5M`).
    fn number_at(text: &str) -> Option<&str> {
        let end = text
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_')))
            .unwrap_or(text.len());
        let number = text.get(..end)?;
        number
            .starts_with(|c: char| c.is_ascii_digit())
            .then_some(number)
    }
}

/// `1,000,000` written without its separators, when `rest` (from the first
/// comma on) holds groups of three digits.
fn thousands(number: &str, rest: &str) -> Option<String> {
    let mut groups = String::new();
    let mut tail = rest;
    while let Some(after) = tail.strip_prefix(',') {
        let digits = after
            .get(..3)
            .filter(|d| d.bytes().all(|b| b.is_ascii_digit()))?;
        groups.push_str(digits);
        tail = after.get(3..).unwrap_or("");
    }
    if tail.starts_with(|c: char| c.is_ascii_digit()) || groups.is_empty() {
        return None;
    }
    let underscored = groups
        .as_bytes()
        .chunks(3)
        .map(|g| String::from_utf8_lossy(g).into_owned())
        .collect::<Vec<_>>()
        .join("_");
    Some(format!(
        "numbers have no thousands separators: write {number}_{underscored} or {number}{groups}"
    ))
}

/// The unit for a currency sign other than `$`.
fn currency_code(sign: char) -> Option<&'static str> {
    match sign {
        '€' => Some("EUR"),
        '£' => Some("GBP"),
        '¥' => Some("JPY"),
        '₹' => Some("INR"),
        '₩' => Some("KRW"),
        _ => None,
    }
}

/// The scale suffix a word after a number stands for: `bn` and `billion` are `B`.
fn scale_of(word: &str) -> Option<&'static str> {
    match word.to_lowercase().as_str() {
        "k" | "thousand" => Some("K"),
        "m" | "mn" | "mm" | "mil" | "mio" | "mln" | "million" | "millions" => Some("M"),
        "b" | "bn" | "bil" | "bln" | "billion" | "billions" => Some("B"),
        "t" | "tn" | "tr" | "trillion" | "trillions" => Some("T"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::typing_hint;

    /// The hint where `mark` stands in `text` (the mark itself removed).
    fn hint(marked: &str) -> Option<String> {
        let pos = marked.find('|').unwrap();
        typing_hint(&marked.replace('|', ""), pos)
    }

    #[test]
    fn numbers_as_people_type_them() {
        let h = |m: &str| hint(m).unwrap();
        assert_eq!(
            h("x = 1|,000"),
            "numbers have no thousands separators: write 1_000 or 1000"
        );
        assert_eq!(
            h("x = $2|,500,000 + 1"),
            "numbers have no thousands separators: write $2_500_000 or $2500000"
        );
        assert_eq!(
            h("x = $10|b"),
            "scales are K M B T in capitals, right after the number: $10B"
        );
        assert_eq!(
            h("x = $1.5|bn"),
            "scales are K M B T in capitals, right after the number: $1.5B"
        );
        assert_eq!(
            h("x = 2 |million"),
            "scales are K M B T in capitals, right after the number: 2M"
        );
        assert_eq!(
            h("x = 50 |K"),
            "write the scale right after the number: 50K"
        );
        assert_eq!(h("x = 10 |%"), "write the % right after the number: 10%");
        assert_eq!(
            h("x = |€5M"),
            "$ is the only currency sign; other currencies are units: 5M [EUR]"
        );
        assert_eq!(
            h("x = 5|£"),
            "$ is the only currency sign; other currencies are units: 5 [GBP]"
        );
    }

    #[test]
    fn names_with_a_space() {
        assert_eq!(
            hint("gpu |spend = 5").unwrap(),
            "a name has no spaces: gpu_spend (letters, digits and _)"
        );
        assert_eq!(
            hint("x = gpu |spend * 2").unwrap(),
            "a name has no spaces: gpu_spend (letters, digits and _)"
        );
    }

    #[test]
    fn other_stops_get_no_typing_hint() {
        for marked in [
            "x = 1|,00",
            "x = a|,000",
            "x = 10 |GPU",
            "x = 10 |m",
            "x = a |then",
            "x = 1 |+",
            "x = (1|",
            "x = 10|%%",
            "x = |#",
        ] {
            assert_eq!(hint(marked), None, "{marked}");
        }
    }
}
