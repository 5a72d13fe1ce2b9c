//! Excel formulas: syntax tree, parser, and position shifting.
//!
//! The parser implements Excel's formula grammar with this precedence, from
//! the tightest binding to the loosest:
//!
//! | operators            | meaning                               |
//! |----------------------|---------------------------------------|
//! | `:`                  | range                                 |
//! | ` ` (space)          | intersection                          |
//! | `,` (in parentheses) | union                                 |
//! | `-` `+` (prefix)     | negation (binds tighter than `^`)     |
//! | `%` (postfix)        | percent                               |
//! | `^`                  | exponentiation (left-associative)     |
//! | `*` `/`              | multiplication, division              |
//! | `+` `-`              | addition, subtraction                 |
//! | `&`                  | concatenation                         |
//! | `=` `<>` `<` `<=` `>` `>=` | comparison                      |

pub mod ast;
pub mod parser;
pub mod structured;
