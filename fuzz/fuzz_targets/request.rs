//! A log change's body through the handlers' decoding.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| sengine_tests::fuzz_entry::request(data));
