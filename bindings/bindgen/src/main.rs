//! The UniFFI binding generator, pinned to the same version as the library it reads.

fn main() {
    uniffi::uniffi_bindgen_main()
}
