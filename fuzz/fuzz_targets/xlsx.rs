//! The whole compiler on arbitrary bytes, as an upload gives them.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sengine_tests::fuzz_entry::xlsx(data));
