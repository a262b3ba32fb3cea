//! The words and signs of the language, each defined once: the keywords,
//! and the operators with their spelling and precedence (docs/language.md,
//! "Names" and "Expressions").
//!
//! The grammar (`grammar/premise.pest`) spells the operators and the keywords
//! it uses where they stand; the tests below hold it to these tables, and
//! everything else (refusing a keyword as a name, the message listing them,
//! precedence climbing, printing) reads them from here.

/// Every reserved word, in the order the "cannot be names" message lists
/// them. Reserving a new keyword is adding it here.
pub const KEYWORDS: &[&str] = &[
    "if", "then", "else", "and", "or", "not", "true", "false", "scenario", "as", "axis", "import",
    "unit", "to", "assert",
];

/// Whether a word is reserved, and so cannot name a cell.
pub fn is_keyword(word: &str) -> bool {
    // Every keyword is a short lower-case word: most names are told apart
    // by their first characters, without a look at the table.
    word.len() <= 8 && word.bytes().all(|b| b.is_ascii_lowercase()) && KEYWORDS.contains(&word)
}

/// The keywords as the message about a keyword used as a name lists them.
pub fn keywords_listed() -> String {
    KEYWORDS.join(" ")
}

/// How operators of one precedence level group when several follow each other.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Associativity {
    /// `a - b - c` is `(a - b) - c`.
    Left,
    /// `a ^ b ^ c` is `a ^ (b ^ c)`.
    Right,
    /// `a < b < c` is refused.
    None,
}

/// Prefix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`
    Neg,
    /// `+x`
    Plus,
    /// `not x`
    Not,
}

/// Infix operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    And,
    Or,
    /// `a to b`: a range (docs/language.md#uncertainty), built as a
    /// [`super::ast::Distribution`], never as an operation.
    To,
}

/// One operator's facts: how it is written, and how tightly it binds.
struct Sign {
    symbol: &'static str,
    /// The symbol in quotes, for messages, without building a string each time.
    quoted: &'static str,
    /// The level of the precedence table, lowest first: `if` 1, `or` 2,
    /// `and` 3, `not` 4, comparisons 5, `to` 6, `+ -` 7, `* /` 8, prefix
    /// `- +` 9, `^` 10.
    precedence: u8,
    associativity: Associativity,
}

impl BinaryOp {
    /// Every infix operator, the most common first (they are looked up by spelling in this order).
    pub const ALL: [BinaryOp; 14] = [
        BinaryOp::Add,
        BinaryOp::Mul,
        BinaryOp::Sub,
        BinaryOp::Div,
        BinaryOp::Pow,
        BinaryOp::Eq,
        BinaryOp::Ne,
        BinaryOp::Lt,
        BinaryOp::Le,
        BinaryOp::Gt,
        BinaryOp::Ge,
        BinaryOp::And,
        BinaryOp::Or,
        BinaryOp::To,
    ];

    /// The table of infix operators.
    const fn sign(self) -> Sign {
        use Associativity::{Left, None, Right};
        let (symbol, quoted, precedence, associativity) = match self {
            BinaryOp::Or => ("or", "'or'", 2, Left),
            BinaryOp::And => ("and", "'and'", 3, Left),
            BinaryOp::Eq => ("==", "'=='", 5, None),
            BinaryOp::Ne => ("!=", "'!='", 5, None),
            BinaryOp::Lt => ("<", "'<'", 5, None),
            BinaryOp::Le => ("<=", "'<='", 5, None),
            BinaryOp::Gt => (">", "'>'", 5, None),
            BinaryOp::Ge => (">=", "'>='", 5, None),
            BinaryOp::To => ("to", "'to'", 6, None),
            BinaryOp::Add => ("+", "'+'", 7, Left),
            BinaryOp::Sub => ("-", "'-'", 7, Left),
            BinaryOp::Mul => ("*", "'*'", 8, Left),
            BinaryOp::Div => ("/", "'/'", 8, Left),
            BinaryOp::Pow => ("^", "'^'", 10, Right),
        };
        Sign {
            symbol,
            quoted,
            precedence,
            associativity,
        }
    }

    /// The operator written as `text`, if it is one.
    pub fn from_symbol(text: &str) -> Option<BinaryOp> {
        BinaryOp::ALL.into_iter().find(|op| op.symbol() == text)
    }

    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        self.sign().symbol
    }

    /// The operator in quotes, for messages ("'+' needs a number").
    pub fn quoted(self) -> &'static str {
        self.sign().quoted
    }

    /// Its level in the precedence table (higher binds tighter). Operators
    /// of one level chain together into one flat [`super::ast::ExprKind::Chain`].
    pub fn precedence(self) -> u8 {
        self.sign().precedence
    }

    /// How a run of operators of its level groups.
    pub fn associativity(self) -> Associativity {
        self.sign().associativity
    }

    /// `+ - * /`: a single one is held as a [`super::ast::ExprKind::Binary`]
    /// pair, more of one level as a [`super::ast::ExprKind::Chain`].
    pub fn is_arithmetic(self) -> bool {
        matches!(
            self,
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div
        )
    }

    /// Comparisons do not chain: `a < b < c` is refused.
    pub fn is_comparison(self) -> bool {
        self.associativity() == Associativity::None && self != BinaryOp::To
    }
}

impl UnaryOp {
    /// Every prefix operator.
    pub const ALL: [UnaryOp; 3] = [UnaryOp::Neg, UnaryOp::Plus, UnaryOp::Not];

    /// The table of prefix operators: spelling and precedence level.
    const fn sign(self) -> (&'static str, u8) {
        match self {
            UnaryOp::Not => ("not", 4),
            UnaryOp::Neg => ("-", 9),
            UnaryOp::Plus => ("+", 9),
        }
    }

    /// The operator written as `text`, if it is one.
    pub fn from_symbol(text: &str) -> Option<UnaryOp> {
        UnaryOp::ALL.into_iter().find(|op| op.symbol() == text)
    }

    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        self.sign().0
    }

    /// The operator as a formula prints it: a word is followed by a space (`not x`, `-x`).
    pub fn written(self) -> &'static str {
        match self {
            UnaryOp::Not => "not ",
            UnaryOp::Neg | UnaryOp::Plus => self.symbol(),
        }
    }

    /// Its level in the precedence table: what it applies to binds tighter.
    pub fn precedence(self) -> u8 {
        self.sign().1
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::grammar::{rule_matches, Rule};

    /// The grammar's `infix` and `prefix` rules read exactly the table's
    /// spellings, and every keyword-like spelling they read is a keyword.
    #[test]
    fn the_grammar_spells_the_operators_of_the_table() {
        for op in BinaryOp::ALL {
            assert!(rule_matches(Rule::infix, op.symbol()), "{op:?}");
            assert_eq!(BinaryOp::from_symbol(op.symbol()), Some(op));
        }
        for op in UnaryOp::ALL {
            assert!(rule_matches(Rule::prefix, op.symbol()), "{op:?}");
            assert_eq!(UnaryOp::from_symbol(op.symbol()), Some(op));
        }
        // Every spelling the rules take is in the tables: candidates made of
        // the characters operators are written with.
        let chars = ["+", "-", "*", "/", "^", "=", "!", "<", ">", "&", "|", "%"];
        let mut candidates: Vec<String> = Vec::new();
        for a in chars {
            candidates.push(a.to_string());
            for b in chars {
                candidates.push(format!("{a}{b}"));
            }
        }
        candidates.extend(KEYWORDS.iter().map(|k| k.to_string()));
        candidates.extend(["xor", "mod", "div", "nand"].map(String::from));
        for text in &candidates {
            assert_eq!(
                rule_matches(Rule::infix, text),
                BinaryOp::from_symbol(text).is_some(),
                "infix {text}"
            );
            assert_eq!(
                rule_matches(Rule::prefix, text),
                UnaryOp::from_symbol(text).is_some(),
                "prefix {text}"
            );
        }
        for op in BinaryOp::ALL {
            let word = op.symbol().chars().all(|c| c.is_alphabetic());
            assert_eq!(word, is_keyword(op.symbol()), "{op:?}");
        }
        assert!(is_keyword(UnaryOp::Not.symbol()));
    }

    /// The keywords the grammar reads (`kw_*` rules) are reserved words, and
    /// every reserved word is refused as a cell's name.
    #[test]
    fn the_grammar_reads_only_reserved_keywords() {
        let rules = [
            (Rule::kw_if, "if"),
            (Rule::kw_then, "then"),
            (Rule::kw_else, "else"),
            (Rule::kw_true, "true"),
            (Rule::kw_false, "false"),
            (Rule::kw_as, "as"),
            (Rule::kw_scenario, "scenario"),
            (Rule::kw_axis, "axis"),
            (Rule::kw_import, "import"),
            (Rule::kw_assert, "assert"),
            (Rule::import_as, "as"),
        ];
        for (rule, word) in rules {
            assert!(rule_matches(rule, word), "{word}");
            assert!(!rule_matches(rule, &format!("{word}x")), "{word}x");
            assert!(is_keyword(word), "{word}");
        }
        for word in KEYWORDS {
            let err = crate::syntax::parse_statement(&format!("{word} = 1")).unwrap_err();
            assert_eq!(err.message, format!("'{word}' is a keyword, not a name"));
            assert!(err.help.unwrap_or_default().contains(&keywords_listed()));
        }
    }

    /// Precedence as the language reference lists it, lowest first.
    #[test]
    fn precedence_follows_the_reference_table() {
        use BinaryOp::*;
        let levels = [
            (vec![Or], 2),
            (vec![And], 3),
            (vec![Eq, Ne, Lt, Le, Gt, Ge], 5),
            (vec![To], 6),
            (vec![Add, Sub], 7),
            (vec![Mul, Div], 8),
            (vec![Pow], 10),
        ];
        for (ops, level) in levels {
            for op in ops {
                assert_eq!(op.precedence(), level, "{op:?}");
            }
        }
        assert_eq!(UnaryOp::Not.precedence(), 4);
        assert_eq!(UnaryOp::Neg.precedence(), 9);
        assert_eq!(UnaryOp::Plus.precedence(), 9);
    }
}
