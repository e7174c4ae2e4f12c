//! Vault files: whatever bytes are on disk, decoding the header and slots never panics and
//! never allocates what a hostile header asks for.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tessera_core::vault::check_file_format;

fuzz_target!(|data: &[u8]| {
    let _ = check_file_format(data);
});
