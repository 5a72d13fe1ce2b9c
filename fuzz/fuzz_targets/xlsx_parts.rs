//! The compiler on a valid workbook whose parts the fuzzer rewrites.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sengine_tests::fuzz_entry::xlsx_parts(data));
