//! The grammar, `grammar/premise.pest`, and the names of its rules, which
//! the tree builder and the messages read pest's pairs and errors by.

/// The parser pest derives from the grammar.
#[derive(pest_derive::Parser)]
#[grammar = "../grammar/premise.pest"]
pub(super) struct PremiseParser;

/// Whether `rule` reads the whole of `text`: for tests that hold the
/// grammar to the tables of [`super::lexicon`].
#[cfg(test)]
pub(super) fn rule_matches(rule: Rule, text: &str) -> bool {
    use pest::Parser;
    PremiseParser::parse(rule, text)
        .ok()
        .and_then(|mut pairs| pairs.next())
        .is_some_and(|p| p.as_str() == text)
}
