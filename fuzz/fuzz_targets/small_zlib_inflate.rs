//! `small_zlib::decompress` on arbitrary bytes up to the token size limit, at the 007 body
//! limit (`cargo xtask fuzz` passes `-max_len=262144` for this target).
//!
//! Properties: nothing panics; the output never exceeds the limit, and an output-limit refusal
//! names that limit; whatever `small_zlib` accepts, `miniz_oxide` accepts with the same output
//! (ours is the stricter decoder: no trailing bytes, zero padding bits); the output
//! re-compresses and decodes back to itself.
#![no_main]

use agora_dynamic_key::MAX_INFLATED_LEN;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match small_zlib::decompress(data, MAX_INFLATED_LEN) {
        Ok(out) => {
            assert!(out.len() <= MAX_INFLATED_LEN);
            let theirs =
                miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(data, MAX_INFLATED_LEN)
                    .ok();
            assert_eq!(theirs.as_deref(), Some(&out[..]));
            let z = small_zlib::compress(&out);
            assert_eq!(small_zlib::decompress(&z, out.len()), Ok(out));
        }
        Err(small_zlib::Error::OutputTooLarge { limit }) => assert_eq!(limit, MAX_INFLATED_LEN),
        Err(_) => {}
    }
});
