//! Which cells `:list PATTERN` shows: a name prefix (`revenue`, `revenue.`)
//! or a glob (`revenue.*`, `*_spend`, `g?_0`).

/// A `:list` pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// Names that start with this text (empty: every name).
    Prefix(String),
    /// A whole-name glob: `*` is any text, `?` one character.
    Glob(Vec<char>),
}

impl Pattern {
    /// A glob if the text has `*` or `?`, else a prefix.
    pub fn new(text: &str) -> Pattern {
        if text.contains(['*', '?']) {
            Pattern::Glob(text.chars().collect())
        } else {
            Pattern::Prefix(text.to_string())
        }
    }

    /// Whether `name` is one of the cells meant.
    pub fn matches(&self, name: &str) -> bool {
        match self {
            Pattern::Prefix(p) => name.starts_with(p.as_str()),
            Pattern::Glob(g) => glob(g, &name.chars().collect::<Vec<_>>()),
        }
    }
}

/// Glob matching without recursion: on a mismatch, let the last `*` take one more character.
fn glob(pattern: &[char], name: &[char]) -> bool {
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        match pattern.get(p) {
            Some('*') => {
                star = Some((p, n));
                p += 1;
            }
            Some(&c) if c == '?' || Some(&c) == name.get(n) => {
                p += 1;
                n += 1;
            }
            _ => match star {
                Some((sp, sn)) => {
                    p = sp + 1;
                    n = sn + 1;
                    star = Some((sp, sn + 1));
                }
                None => return false,
            },
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|&c| c == '*'))
}

#[cfg(test)]
mod tests {
    use super::Pattern;

    #[test]
    fn a_plain_pattern_is_a_prefix() {
        let p = Pattern::new("revenue");
        assert!(p.matches("revenue.openai"));
        assert!(p.matches("revenue"));
        assert!(!p.matches("ai_revenue"));
        assert!(Pattern::new("").matches("anything"));
    }

    #[test]
    fn globs_match_the_whole_name() {
        let p = Pattern::new("revenue.*");
        assert!(p.matches("revenue.openai"));
        assert!(!p.matches("revenue"));
        assert!(!p.matches("ai_revenue.x"));
        assert!(Pattern::new("*_spend").matches("gpu_spend"));
        assert!(!Pattern::new("*_spend").matches("gpu_spend_2"));
        assert!(Pattern::new("g?_0").matches("g1_0"));
        assert!(!Pattern::new("g?_0").matches("g12_0"));
        assert!(Pattern::new("*a*b*").matches("xxaxxbxx"));
        assert!(!Pattern::new("*a*b*").matches("xxbxxaxx"));
        assert!(Pattern::new("margem_*").matches("margem_líquida"));
    }
}
