//! A token of 1,000 real identities, through the session: what one change costs (copy, JSON
//! encode, seal, crash-safe write) and what reading the decrypted payload costs (JSON decode).
//! The KDF is left out; `vault.rs` measures it and the raw open/save.
//!
//! `cargo bench -p tessera-core --bench session`

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use tessera_core::SecretBytes;
use tessera_core::codes::TotpParams;
use tessera_core::flow::{AddIdentityFlow, FlowStep};
use tessera_core::identity::{Identity, IdentityKind};
use tessera_core::session::{FixedClock, Session, TokenData};
use tessera_core::vault::{KdfParams, VaultOptions};

fn thousand_identity_session(dir: &std::path::Path) -> Arc<Session> {
    let options = VaultOptions {
        kdf: KdfParams::MINIMUM,
        ..VaultOptions::default()
    };
    let session = Arc::new(Session::new(
        dir,
        Arc::new(FixedClock(1_700_000_000)),
        None,
        options,
    ));
    for i in 0..1000u32 {
        let secret =
            data_encoding::BASE32_NOPAD.encode(&[&i.to_be_bytes()[..], &[7u8; 16]].concat());
        let uri = format!(
            "otpauth://totp/Example%20Corp:user{i}@example.com?secret={secret}&issuer=Example%20Corp"
        );
        let flow = AddIdentityFlow::new(session.clone()).expect("flow");
        let mut state = flow.enter_link(&uri).expect("link");
        if state == FlowStep::NeedsPin {
            flow.set_pin("739164").expect("pin");
            state = flow.confirm_pin("739164").expect("confirm");
        }
        assert!(matches!(state, FlowStep::Done { .. }));
    }
    session
}

/// The same shape as the session holds, built directly.
fn thousand_identity_payload() -> TokenData {
    let mut data = TokenData::new();
    for i in 0..1000u32 {
        data.identities.push(Identity {
            id: format!("{i:016x}"),
            name: format!("user{i}@example.com"),
            issuer: Some("Example Corp".into()),
            kind: IdentityKind::Totp {
                secret: SecretBytes::new([&i.to_be_bytes()[..], &[7u8; 16]].concat()),
                params: TotpParams::default(),
            },
            added_at: 1_700_000_000,
        });
    }
    data
}

fn session_benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let session = thousand_identity_session(dir.path());
    let mut group = c.benchmark_group("session_1000_identities");
    group.sample_size(30);
    let mut offset = 0;
    group.bench_function("change_and_save", |b| {
        b.iter(|| {
            offset = (offset + 1) % 60;
            session.set_time_offset(black_box(offset)).expect("save")
        })
    });
    let data = thousand_identity_payload();
    let bytes = data.encode().expect("encode");
    eprintln!("payload of 1,000 identities: {} bytes", bytes.len());
    group.bench_function("decode_payload", |b| {
        b.iter(|| TokenData::decode(black_box(&bytes)).expect("decode"))
    });
    group.bench_function("encode_payload", |b| {
        b.iter(|| black_box(&data).encode().expect("encode"))
    });
    group.finish();
}

criterion_group!(benches, session_benches);
criterion_main!(benches);
