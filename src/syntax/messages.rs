//! Syntax errors in the analyst's words: what pest tried where it stopped,
//! turned into "expected ..., found ...", with a caret and help where it
//! helps. No message ever names a grammar rule.

use pest::error::{ErrorVariant, InputLocation};

use super::ast::Span;
use super::error::SyntaxError;
use super::grammar::Rule;
use super::lexicon::{is_keyword, keywords_listed};
use super::split::MAX_NESTING;

/// A statement nested past [`MAX_NESTING`], refused before pest reads it.
pub(super) fn too_deep(span: Span) -> SyntaxError {
    SyntaxError::new(
        Span::new(span.start(), span.start() + 1),
        format!(
            "statement nested too deeply (more than {MAX_NESTING} levels of parentheses and ifs)"
        ),
        "this statement",
    )
    .with_help("split the formula into several cells")
}

/// Turns pest's error into one in the analyst's words.
pub(super) fn friendly(err: pest::error::Error<Rule>, text: &str) -> SyntaxError {
    if let Some(e) = unbalanced(text) {
        return e;
    }
    if let Some(e) = bad_unit(text) {
        return e;
    }
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((a, _)) => a,
    };
    let (found, found_len) = found_at(text, pos);
    let span = Span::new(
        pos,
        pos + found_len.max(if pos < text.len() { 1 } else { 0 }),
    );
    let mut expected: Vec<&'static str> = Vec::new();
    // An import or an assertion: not the definition pest also tried.
    let opening = statement_keyword(text);
    if let ErrorVariant::ParsingError { positives, .. } = &err.variant {
        for r in positives {
            let words = match (r, opening) {
                (Rule::string, Some("assert")) => Some(MESSAGE),
                (Rule::assign, Some(_)) => None,
                _ => rule_words(*r),
            };
            if let Some(w) = words {
                if !expected.contains(&w) {
                    expected.push(w);
                }
            }
        }
    }
    if found == "\"" && (expected.contains(&PATH) || expected.contains(&MESSAGE)) {
        let mut quote = span;
        if text.get(pos..).is_some_and(|rest| rest.starts_with('"')) {
            quote = Span::new(pos, pos + 1);
        }
        return SyntaxError::new(quote, "this string is never closed", "opened here")
            .with_help("a string ends with '\"' on the same line");
    }
    if is_keyword(&found) && expected.contains(&VALUE) {
        return keyword_error(span, &found);
    }
    let found_words = if found.is_empty() {
        "the end of the line".to_string()
    } else if let Some(words) = invisible(&found) {
        words
    } else if found.trim().is_empty() {
        "a space".to_string()
    } else {
        format!("'{found}'")
    };
    let mut help = None;
    if text
        .get(..pos)
        .is_some_and(|before| before.trim().is_empty())
    {
        // Nothing read yet: whatever else pest tried, a statement starts with a name.
        expected = vec!["a cell definition such as 'x = 1'"];
    }
    if found.is_empty() && expected.contains(&VALUE) {
        help = Some(
            "a formula continues on the next line only while a parenthesis is open".to_string(),
        );
    }
    if found == "[" && name_then_space(text.get(..pos).unwrap_or("")) {
        help =
            Some("a period goes right after the series' name, without a space: capex[2026]".into());
    }
    // A unit was tried after a number read as a `literal`, which the
    // grammar's `plain` gives way to before a letter (or after `as`): a word
    // there reads as a unit without its brackets.
    if expected.contains(&UNIT) && found.starts_with(|c: char| c.is_alphabetic()) {
        if let Some(h) = unit_in_brackets(text, pos, &found, expected.contains(&OPERATOR)) {
            help = Some(h);
        }
    }
    if expected.contains(&OPERATOR) {
        // After a complete value only a few alternatives are worth naming.
        expected.retain(|w| [OPERATOR, END, "')'", "'then'", "'else'", COMMA].contains(w));
    }
    let rank = |w: &&str| {
        [VALUE, OPERATOR, "')'", "'then'", "'else'"]
            .iter()
            .position(|x| x == w)
            .unwrap_or(9)
    };
    expected.sort_by_key(rank);
    let message = match expected.as_slice() {
        [] => format!("unexpected {found_words}"),
        [one] => format!("expected {one}, found {found_words}"),
        many => {
            let (last, rest) = many.split_last().unwrap_or((&"", &[]));
            format!(
                "expected {} or {last}, found {found_words}",
                rest.join(", ")
            )
        }
    };
    let label = if found.is_empty() {
        "the statement ends here"
    } else {
        "unexpected"
    };
    // A number or a name typed as in a spreadsheet: how premise spells it.
    if let Some(hint) = super::spelling::typing_hint(text, pos) {
        help = Some(hint);
    }
    let err = SyntaxError::new(span, message, label);
    match help {
        Some(h) => err.with_help(h),
        None => err,
    }
}

const VALUE: &str = "a value (a number, a cell name or '(')";
const PATH: &str = "a path in double quotes, such as \"site.model\"";
const MESSAGE: &str = "a message in double quotes";
const COMMA: &str = "',' and a message in double quotes";

/// `import` or `assert` when the statement begins with that keyword.
fn statement_keyword(text: &str) -> Option<&'static str> {
    let t = text.trim_start();
    ["import", "assert"].into_iter().find(|k| {
        t.strip_prefix(k).is_some_and(|rest| {
            !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_' || c == '.')
        })
    })
}
const OPERATOR: &str = "an operator";
const END: &str = "the end of the statement";
const UNIT: &str = "a unit such as [W] or [kW/rack]";

/// What a rule pest tried stands for, in words; `None` for rules a message
/// need not name.
fn rule_words(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::expr
        | Rule::literal
        | Rule::number
        | Rule::money
        | Rule::name
        | Rule::plain
        | Rule::ident
        | Rule::call
        | Rule::paren
        | Rule::if_expr
        | Rule::kw_if
        | Rule::kw_true
        | Rule::kw_false
        | Rule::prefix
        | Rule::group => VALUE,
        Rule::infix => OPERATOR,
        Rule::assign => "'='",
        Rule::EOI => END,
        Rule::hint | Rule::kw_as => "'as %' or 'as [UNIT]'",
        Rule::percent => "'%'",
        Rule::unit_decl | Rule::kw_unit => "a unit declaration such as 'unit pod'",
        Rule::decl_name => "a unit name such as 'MMBtu'",
        Rule::block_close => "'}'",
        Rule::kw_then => "'then'",
        Rule::kw_else => "'else'",
        Rule::unit
        | Rule::unit_body
        | Rule::unit_product
        | Rule::unit_factor
        | Rule::unit_name
        | Rule::unit_one => UNIT,
        Rule::unit_power => "a whole-number power",
        Rule::statement | Rule::scenario_open | Rule::kw_scenario => {
            "a cell definition such as 'x = 1'"
        }
        Rule::label | Rule::period_range | Rule::period_all | Rule::period_shift => {
            "a period (2026, year, year - 1, * or 2025..2027)"
        }
        Rule::shift => "']' or a shift (year - 1)",
        Rule::dots => "'..' between the first and the last period",
        Rule::shift_by => "a whole number of periods",
        Rule::kw_axis | Rule::axis_def => "an axis such as 'axis year = 2024..2030'",
        Rule::string => PATH,
        Rule::import_as => "'as NAME'",
        Rule::alias => "a name for the import, such as 'site'",
        Rule::block_open => "'{'",
        Rule::comma => COMMA,
        _ => return None,
    })
}

/// How to write `word`, found where a unit could stand, as one: in brackets
/// (`[kWh]`), except that a `$` number is in USD already, and a unit after
/// `as` goes in brackets too. `after_value`: a complete value stands before
/// `word`; otherwise it stands inside brackets already (`5 [W` is only
/// unclosed) and there is nothing to say.
fn unit_in_brackets(text: &str, pos: usize, word: &str, after_value: bool) -> Option<String> {
    let before = text.get(..pos).unwrap_or("").trim_end();
    let last = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    if last == "as" {
        return Some(format!("a unit after 'as' goes in brackets: as [{word}]"));
    }
    if !after_value {
        return None;
    }
    if let Some(amount) = last
        .strip_prefix('$')
        .filter(|_| word == crate::value::unit::USD)
    {
        return Some(format!(
            "{last} is already in USD: write {last}, or {amount} [USD]"
        ));
    }
    Some(format!("a unit goes in brackets after a number: [{word}]"))
}

/// A unit in brackets with a power that is not a whole number (`[kWh^0.5]`)
/// or a name that is not a name (`[5x]`, `[k-W]`): said in those words,
/// rather than as what pest expected where it stopped.
fn bad_unit(text: &str) -> Option<SyntaxError> {
    let mut from = 0;
    while let Some(open) = text.get(from..).and_then(|t| t.find('[')).map(|i| from + i) {
        let close = text.get(open..)?.find(']').map(|i| open + i)?;
        from = close + 1;
        if !after_a_number(text.get(..open)?) {
            continue;
        }
        let inside = text.get(open + 1..close)?;
        let mut at = open + 1;
        for part in inside.split(['*', '/']) {
            let trimmed = part.trim();
            let lead = part.len() - part.trim_start().len();
            let start = at + lead;
            let (name, power) = match trimmed.split_once('^') {
                Some((n, p)) => (n.trim_end(), Some(p)),
                None => (trimmed, None),
            };
            let is_name = name
                .chars()
                .next()
                .is_some_and(|c| c == '_' || unicode_ident::is_xid_start(c))
                && name.chars().all(unicode_ident::is_xid_continue);
            if !trimmed.is_empty() && trimmed != "1" && !is_name && !name.is_empty() {
                return Some(
                    SyntaxError::new(
                        Span::new(start, start + name.len()),
                        format!("'{name}' is not a unit name"),
                        "not a name",
                    )
                    .with_help("a unit name is letters, digits and _, starting with a letter: [kWh], [GPU], [rack_slot]"),
                );
            }
            if let Some(p) = power {
                let p = p.trim();
                let whole = p.strip_prefix('-').unwrap_or(p);
                if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
                    let p_start = start + trimmed.find('^').map_or(0, |i| i + 1);
                    return Some(
                        SyntaxError::new(
                            Span::new(p_start, p_start + p.len().max(1)),
                            if p.is_empty() {
                                "a unit's power is a whole number after '^'".to_string()
                            } else {
                                format!("a unit's power is a whole number, not '{p}'")
                            },
                            "not a whole number",
                        )
                        .with_help(
                            "write [kWh^2] or [m/s^2]; a fractional power of a unit has no meaning",
                        ),
                    );
                }
            }
            at += part.len() + 1;
        }
    }
    None
}

/// Whether a `[` after `before` opens a unit: it follows a number (`700 [`,
/// `$2 [`, `5K[`) or `as`; after a name it is something else.
fn after_a_number(before: &str) -> bool {
    let before = before.trim_end();
    let token = before
        .rsplit(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '.' | '$' | '%')))
        .next()
        .unwrap_or("");
    token == "as" || token.starts_with(|c: char| c.is_ascii_digit() || c == '$')
}

/// The token at `pos`: a word, a number, or one character; empty at the end.
fn found_at(text: &str, pos: usize) -> (String, usize) {
    let rest = text.get(pos..).unwrap_or("");
    let rest = rest.split('\n').next().unwrap_or("");
    let mut chars = rest.char_indices();
    let Some((_, first)) = chars.next() else {
        return (String::new(), 0);
    };
    let wordy = |c: char| c.is_alphanumeric() || c == '_' || c == '.';
    if wordy(first) {
        let end = rest.find(|c: char| !wordy(c)).unwrap_or(rest.len());
        let word = rest.get(..end).unwrap_or("");
        let shown: String = word.chars().take(40).collect();
        (shown, end)
    } else {
        (first.to_string(), first.len_utf8())
    }
}

/// A character that does not show, or shows text out of order, named by its
/// code point: quoting it would print nothing (or reorder the message).
fn invisible(found: &str) -> Option<String> {
    let mut chars = found.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return None;
    };
    let what = match c {
        ' ' | '\t' => return None,
        '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' => {
            "a bidirectional control character"
        }
        '\u{200B}' => "a zero-width space",
        '\u{200C}' | '\u{200D}' => "a zero-width joiner",
        '\u{FEFF}' => "a byte order mark",
        '\u{00A0}' | '\u{202F}' => "a no-break space",
        c if c.is_control() => "a control character",
        c if c.is_whitespace() => "an unusual space",
        _ => return None,
    };
    Some(format!("{what} (U+{:04X})", u32::from(c)))
}

/// A keyword used where a name belongs.
pub(crate) fn keyword_error(span: Span, word: &str) -> SyntaxError {
    SyntaxError::new(
        span,
        format!("'{word}' is a keyword, not a name"),
        "keyword",
    )
    .with_help(format!("keywords ({}) cannot be names", keywords_listed()))
}

/// A parenthesis never closed, or closed without being opened.
fn unbalanced(text: &str) -> Option<SyntaxError> {
    let mut open: Vec<usize> = Vec::new();
    for line_start in line_starts(text) {
        let line = text.get(line_start..).unwrap_or("");
        let line = line.split('\n').next().unwrap_or("");
        let mut quoting = super::split::Quoting::default();
        for (i, b) in line.bytes().enumerate() {
            if b == b'"' || quoting.inside {
                quoting.step(b);
                continue;
            }
            match b {
                b'#' => break,
                b'(' => open.push(line_start + i),
                b')' if open.pop().is_none() => {
                    let at = line_start + i;
                    return Some(
                        SyntaxError::new(
                            Span::new(at, at + 1),
                            "unmatched ')'",
                            "no '(' before it",
                        )
                        .with_help("remove it, or add the '(' it closes"),
                    );
                }
                _ => {}
            }
        }
    }
    open.first().map(|&at| {
        SyntaxError::new(
            Span::new(at, at + 1),
            "this '(' is never closed",
            "opened here",
        )
        .with_help("add the matching ')'")
    })
}

fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1))
}

/// Whether `before` ends in a name and then layout (`capex [`): a period
/// written apart from its series' name, not a unit without its number.
fn name_then_space(before: &str) -> bool {
    let trimmed = before.trim_end();
    if trimmed.len() == before.len() {
        return false;
    }
    let word = trimmed
        .rsplit(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .next()
        .unwrap_or("");
    word.starts_with(|c: char| c.is_alphabetic() || c == '_')
}
