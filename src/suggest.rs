//! Did-you-mean suggestions for misspelt cell, function and scenario names.

/// The closest candidate to `wrong`, if one is close enough to be what was meant.
pub fn did_you_mean<'a>(
    wrong: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let mut best: Option<(f64, &'a str)> = None;
    let wrong_lower = wrong.to_lowercase();
    for c in candidates {
        if c == wrong {
            continue;
        }
        let score = strsim::jaro_winkler(&wrong_lower, &c.to_lowercase());
        if score >= 0.8 && best.is_none_or(|(b, _)| score > b) {
            best = Some((score, c));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::did_you_mean;

    #[test]
    fn finds_a_close_name() {
        let names = ["gpu_spend", "margin", "gap"];
        assert_eq!(did_you_mean("gpu_spen", names), Some("gpu_spend"));
        assert_eq!(did_you_mean("margni", names), Some("margin"));
    }

    #[test]
    fn stays_quiet_when_nothing_is_close() {
        assert_eq!(did_you_mean("zzz", ["gpu_spend", "margin"]), None);
    }
}
