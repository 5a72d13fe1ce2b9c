//! `docs/functions.md`, the table of supported functions, is generated from
//! `Function::all()` and must match it: run with `SENGINE_BLESS=1` to
//! rewrite it after adding a function.

use std::collections::BTreeMap;
use std::fmt::Write;

use runtime::functions::Function;
use sengine_tests::repo_root;

/// The category of a function: the name of its `Function` variant, read
/// from `Debug` so that a new category needs no change here.
fn category(f: Function) -> String {
    let debug = format!("{f:?}");
    debug.split('(').next().unwrap_or_default().to_string()
}

/// The page as it should be.
fn render() -> String {
    let mut by_category: BTreeMap<String, Vec<(&'static str, String)>> = BTreeMap::new();
    for f in Function::all() {
        let s = f.signature();
        let arity = match s.max_args {
            Some(max) if max == s.min_args => format!("{max}"),
            Some(max) => format!("{}–{max}", s.min_args),
            None => format!("{} or more", s.min_args),
        };
        let arity = if s.volatile { format!("{arity} (volatile)") } else { arity };
        by_category.entry(category(f)).or_default().push((f.name(), arity));
    }
    let total: usize = by_category.values().map(Vec::len).sum();
    let mut page = String::from("# Supported functions\n\n");
    page.push_str(
        "Generated from `Function::all()` by the test `docs::function_table_is_current`; ",
    );
    page.push_str("run it with `SENGINE_BLESS=1` to rewrite this page.\n");
    let _ = writeln!(page, "\n{total} functions in {} categories.", by_category.len());
    for (category, mut functions) in by_category {
        functions.sort();
        let _ = write!(page, "\n## {category}\n\n| Function | Arguments |\n| --- | --- |\n");
        for (name, arity) in functions {
            let _ = writeln!(page, "| {name} | {arity} |");
        }
    }
    page
}

/// The committed table lists exactly the functions the engine supports.
#[test]
fn function_table_is_current() {
    let path = repo_root().join("docs").join("functions.md");
    let expected = render();
    if std::env::var_os("SENGINE_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &expected).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == expected,
        "docs/functions.md is out of date: run `SENGINE_BLESS=1 cargo test -p sengine-tests --test it docs::` and commit it"
    );
}
