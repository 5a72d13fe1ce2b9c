//! Criteria strings of the `*IF(S)` family (`">=2"`, `"goal"`, `"<>"`,
//! `"a*"`) and Excel's wildcard matching (`*`, `?`, `~` escapes).

/// Whether `text` matches the wildcard `pattern` as Excel matches it:
/// case-insensitive, `*` any run, `?` any one character, `~` escaping the
/// next `*`, `?` or `~`.
pub fn wildcard_match(pattern: &str, text: &str) -> bool {
    let pattern: Vec<Token> = tokenize(pattern);
    let text: Vec<char> = text.chars().flat_map(char::to_lowercase).collect();
    let (mut p, mut t) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(Token::Any) => {
                backtrack = Some((p, t));
                p += 1;
            }
            Some(Token::One) => {
                p += 1;
                t += 1;
            }
            Some(Token::Char(c)) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match backtrack {
                Some((bp, bt)) => {
                    p = bp + 1;
                    t = bt + 1;
                    backtrack = Some((bp, bt + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|token| *token == Token::Any)
}

/// Whether a text holds an unescaped wildcard at all.
pub fn has_wildcards(pattern: &str) -> bool {
    tokenize(pattern).iter().any(|t| !matches!(t, Token::Char(_)))
        || pattern.contains('~')
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Token {
    Any,
    One,
    Char(char),
}

fn tokenize(pattern: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        match c {
            '*' => out.push(Token::Any),
            '?' => out.push(Token::One),
            '~' => match chars.next() {
                Some(next) => out.extend(next.to_lowercase().map(Token::Char)),
                None => out.push(Token::Char('~')),
            },
            other => out.extend(other.to_lowercase().map(Token::Char)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_follow_excel() {
        assert!(wildcard_match("go*", "Goal"));
        assert!(wildcard_match("g?al", "goal"));
        assert!(!wildcard_match("g?al", "gooal"));
        assert!(wildcard_match("*~*", "a*"));
        assert!(!wildcard_match("*~*", "ab"));
        assert!(wildcard_match("*", ""));
    }
}
