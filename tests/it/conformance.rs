//! Our own conformance corpus (`fixtures/conformance/`): workbooks authored
//! for the semantics the shared Excel corpus lacks, with the values
//! LibreOffice computed cached in them. Every formula must reproduce them.

use sengine_tests::repo_root;
use server::conformance::{check_file, workbooks, Locale, Totals};

#[test]
fn own_corpus_passes_in_every_cell() {
    let dir = repo_root().join("fixtures").join("conformance");
    let files = workbooks(&[dir]).unwrap();
    assert!(files.len() >= 3, "expected the conformance workbooks, found {files:?}");
    let results: Vec<_> = files.iter().map(|f| check_file(f, Some(Locale::EnUs))).collect();
    let mut out = Vec::new();
    for result in &results {
        server::conformance::print_file(result, true, &mut out).unwrap();
    }
    let report = String::from_utf8(out).unwrap();
    let totals = Totals::of(&results);
    assert!(totals.passed >= 70, "too few cells checked:\n{report}");
    assert_eq!(totals.failed, 0, "{report}");
    assert_eq!(totals.files_passing, totals.files, "{report}");
}
