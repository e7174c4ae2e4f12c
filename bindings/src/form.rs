//! What the Add Identity form fills in for the person.

use tessera_core::identityguard::name_from_address;

/// The name the form suggests for a self-service address (its host, e.g.
/// "myid.example.edu/igst" gives "myid.example.edu"); none when the address has no host name.
/// The flow gives an identity added without a name the same one.
#[uniffi::export]
pub fn suggested_name(address: String) -> Option<String> {
    name_from_address(&address)
}
