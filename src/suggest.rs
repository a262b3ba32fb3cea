//! Did-you-mean suggestions for misspelt cell, function and scenario names,
//! and the one message for a name that is not there ([`Unknown`]).

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

/// The words of a suggestion: `did you mean 'gap'?`.
pub fn suggestion_words(suggestion: &str) -> String {
    format!("did you mean '{suggestion}'?")
}

/// What was looked for and not found; it decides the words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Looked {
    /// A name read by a formula: `unknown name 'x'`.
    Name,
    /// A cell named outside a formula (command line, what-if): `no cell named 'x'`.
    Cell,
    /// A scenario: `no scenario named 'x'`.
    Scenario,
    /// A REPL command: `unknown command ':x'`.
    Command,
}

/// A name that is not there, with the closest one that is: every "no such
/// name" message is written here, so that they all read alike.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unknown {
    /// What kind of name.
    pub looked: Looked,
    /// The name as written.
    pub name: String,
    /// Where it was looked for (a model file), when worth saying.
    pub within: Option<String>,
    /// The closest name that exists, if one is close enough.
    pub suggestion: Option<String>,
    /// The names there are, said when none is close (scenarios: a few at most).
    pub known: Vec<String>,
}

impl Unknown {
    /// `name` of kind `looked` is not there; `suggestion` is the closest name that is.
    pub fn new(looked: Looked, name: &str, suggestion: Option<&str>) -> Unknown {
        Unknown {
            looked,
            name: name.to_string(),
            within: None,
            suggestion: suggestion.map(str::to_string),
            known: Vec::new(),
        }
    }

    /// `name` of kind `looked` is not among `candidates`: the closest of them is suggested.
    pub fn among<'a>(
        looked: Looked,
        name: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Unknown {
        Unknown::new(looked, name, did_you_mean(name, candidates))
    }

    /// The same, looked for in `file` (nothing is said for an empty path).
    pub fn within(mut self, file: &str) -> Unknown {
        self.within = (!file.is_empty()).then(|| file.to_string());
        self
    }
}

impl std::fmt::Display for Unknown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = &self.name;
        match self.looked {
            Looked::Name => write!(f, "unknown name '{name}'")?,
            Looked::Cell => write!(f, "no cell named '{name}'")?,
            Looked::Scenario => write!(f, "no scenario named '{name}'")?,
            Looked::Command => write!(f, "unknown command ':{name}'")?,
        }
        if let Some(file) = &self.within {
            write!(f, " in {file}")?;
        }
        match (&self.suggestion, self.looked) {
            (Some(s), Looked::Command) => write!(f, " ({})", suggestion_words(&format!(":{s}"))),
            (Some(s), _) => write!(f, " ({})", suggestion_words(s)),
            (None, Looked::Command) => f.write_str("; :help lists the commands"),
            (None, Looked::Scenario) if !self.known.is_empty() => {
                write!(f, "; the scenarios are {}", self.known.join(", "))
            }
            (None, _) => Ok(()),
        }
    }
}

impl std::error::Error for Unknown {}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn one_message_for_every_unknown_name() {
        let names = ["gpu_spend", "margin"];
        let cell = Unknown::among(Looked::Cell, "margni", names).within("m.model");
        assert_eq!(
            cell.to_string(),
            "no cell named 'margni' in m.model (did you mean 'margin'?)"
        );
        let name = Unknown::among(Looked::Name, "zzz", names);
        assert_eq!(name.to_string(), "unknown name 'zzz'");
        let mut scenario = Unknown::among(Looked::Scenario, "zzz", ["base", "bear"]);
        scenario.known = vec!["base".into(), "bear".into()];
        assert_eq!(
            scenario.to_string(),
            "no scenario named 'zzz'; the scenarios are base, bear"
        );
        let command = Unknown::among(Looked::Command, "lst", ["list", "why"]);
        assert_eq!(
            command.to_string(),
            "unknown command ':lst' (did you mean ':list'?)"
        );
    }
}
