//! IdentityGuard-compatible activation (see docs/security.md for what compatibility promises).
