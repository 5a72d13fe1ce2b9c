//! The formula parser on arbitrary text.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sengine_tests::fuzz_entry::formula(data));
