//! `small_zlib::compress` then `decompress` on arbitrary inputs up to the token size limit
//! (`cargo xtask fuzz` passes `-max_len=262144` for this target).
//!
//! Properties: nothing panics; the stream decodes to the input, with `small_zlib` at a limit
//! of exactly the input's length and with `miniz_oxide` (a differential check of the
//! encoder); one byte less of limit is `OutputTooLarge`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let z = small_zlib::compress(data);
    assert_eq!(small_zlib::decompress(&z, data.len()).as_deref(), Ok(data));
    let theirs = miniz_oxide::inflate::decompress_to_vec_zlib(&z).ok();
    assert_eq!(theirs.as_deref(), Some(data));
    if let Some(less) = data.len().checked_sub(1) {
        assert_eq!(
            small_zlib::decompress(&z, less),
            Err(small_zlib::Error::OutputTooLarge { limit: less })
        );
    }
});
