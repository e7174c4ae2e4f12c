//! The FFI surface from Rust, as a shell would use it: errors map to the variants the shells act
//! on, and mock device keys (working, failing, slow, used from several threads) never cause a
//! panic. The issuer object stands in for the organisation.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tessera_ffi::{
    ActivationInput, FlowStep, InputField, Issuer, IssuerError, KeyProtector, KeyProtectorError,
    TokenError, TokenSession, decode_qr_luma, identityguard_code, suggested_name,
};

const PIN: &str = "482913";

/// Wraps by XOR with a per-instance key plus a tag the instance remembers, so unwrap refuses
/// anything this instance did not produce. Counts its calls; can be told to fail or be slow.
struct MockProtector {
    key: u8,
    issued: Mutex<Vec<Vec<u8>>>,
    fail: Option<KeyProtectorError>,
    delay: Duration,
    calls: AtomicUsize,
}

impl MockProtector {
    fn new(key: u8) -> Self {
        Self {
            key,
            issued: Mutex::new(Vec::new()),
            fail: None,
            delay: Duration::ZERO,
            calls: AtomicUsize::new(0),
        }
    }
}

impl KeyProtector for MockProtector {
    fn wrap(&self, plaintext: Vec<u8>) -> Result<Vec<u8>, KeyProtectorError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(self.delay);
        let wrapped: Vec<u8> = plaintext.iter().map(|b| b ^ self.key).collect();
        self.issued.lock().unwrap().push(wrapped.clone());
        Ok(wrapped)
    }

    fn unwrap(&self, wrapped: Vec<u8>) -> Result<Vec<u8>, KeyProtectorError> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(self.delay);
        if let Some(error) = &self.fail {
            return Err(match error {
                KeyProtectorError::KeyInvalidated { reason } => KeyProtectorError::KeyInvalidated {
                    reason: reason.clone(),
                },
                KeyProtectorError::Failed { reason } => KeyProtectorError::Failed {
                    reason: reason.clone(),
                },
            });
        }
        if !self.issued.lock().unwrap().contains(&wrapped) {
            return Err(KeyProtectorError::Failed {
                reason: "not wrapped by this key".into(),
            });
        }
        Ok(wrapped.iter().map(|b| b ^ self.key).collect())
    }
}

fn activation() -> ActivationInput {
    ActivationInput {
        serial: "48244-13456".into(),
        activation: "1745-7712-6942-8698".into(),
        address: Some("myid.example.edu/igst".into()),
        name: None,
        digits: None,
        ocra_suite: None,
    }
}

/// A new token with the spec's activation data; returns the identity id and the registration
/// code shown.
fn new_token(session: &TokenSession) -> (String, String) {
    let flow = session.add_identity().unwrap();
    assert_eq!(
        flow.enter_activation(activation()).unwrap(),
        FlowStep::NeedsPin
    );
    flow.set_pin(PIN.into()).unwrap();
    let FlowStep::ShowRegistrationCode {
        registration_code, ..
    } = flow.confirm_pin(PIN.into()).unwrap()
    else {
        panic!("expected the registration code");
    };
    let FlowStep::Done {
        identity,
        recovery_key: Some(_),
        ..
    } = flow.finish().unwrap()
    else {
        panic!("expected Done with a recovery key");
    };
    (identity.id, registration_code)
}

fn folder() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn a_device_bound_token_opens_only_with_its_protector() {
    let dir = folder();
    let path = dir.path().to_string_lossy().into_owned();
    let protector = Arc::new(MockProtector::new(0x5a));
    let session = TokenSession::new(path.clone(), Some(protector.clone())).unwrap();
    let (id, registration) = new_token(&session);
    assert!(session.settings().unwrap().device_bound);
    assert!(protector.calls.load(Ordering::SeqCst) >= 1);
    let expected = identityguard_code(
        "48244-13456".into(),
        "1745-7712-6942-8698".into(),
        registration,
        None,
        6,
        1_700_000_000,
    )
    .unwrap();
    assert_eq!(
        session.code_at(id.clone(), 1_700_000_000).unwrap().code,
        expected
    );
    session.lock().unwrap();
    session.unlock(PIN.into()).unwrap();

    let stranger =
        TokenSession::new(path.clone(), Some(Arc::new(MockProtector::new(0x5a)))).unwrap();
    let error = stranger.unlock(PIN.into()).unwrap_err();
    assert!(
        matches!(error, TokenError::KeyUnavailable { .. }),
        "{error:?}"
    );

    let mut invalidated = MockProtector::new(0x5a);
    invalidated.fail = Some(KeyProtectorError::KeyInvalidated {
        reason: "biometrics changed".into(),
    });
    let error = TokenSession::new(path, Some(Arc::new(invalidated)))
        .unwrap()
        .unlock(PIN.into())
        .unwrap_err();
    assert!(
        matches!(&error, TokenError::KeyUnavailable { message } if message.contains("biometrics changed")),
        "{error:?}"
    );
}

/// The phone libraries are built without the `desktop-device-key` feature: the constructor is
/// there (one surface everywhere) and says why it cannot be used.
#[cfg(not(feature = "desktop-device-key"))]
#[test]
fn without_the_desktop_feature_there_is_no_system_keystore() {
    let dir = folder();
    let error = TokenSession::with_system_keystore(dir.path().to_string_lossy().into_owned())
        .err()
        .expect("no keystore in this build");
    assert!(
        matches!(&error, TokenError::KeyUnavailable { message } if message == "this build of Tessera has no system keystore (the desktop library is built with the desktop-device-key feature)"),
        "{error:?}"
    );
    assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none());
}

#[test]
fn a_slow_protector_used_from_several_threads_serializes_cleanly() {
    let dir = folder();
    let mut slow = MockProtector::new(0x33);
    slow.delay = Duration::from_millis(20);
    let session = TokenSession::new(
        dir.path().to_string_lossy().into_owned(),
        Some(Arc::new(slow)),
    )
    .unwrap();
    let (id, _) = new_token(&session);
    let threads: Vec<_> = (0..4)
        .map(|i| {
            let session = session.clone();
            let id = id.clone();
            std::thread::spawn(move || {
                if i % 2 == 0 {
                    session.unlock(PIN.into()).map(|_| ())
                } else {
                    session.code_at(id, 1_700_000_000).map(|_| ())
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("no panic").unwrap();
    }
}

#[test]
fn errors_map_to_what_the_shells_act_on() {
    let dir = folder();
    let session = TokenSession::new(dir.path().to_string_lossy().into_owned(), None).unwrap();
    assert!(matches!(
        session.identities().unwrap_err(),
        TokenError::NoToken { .. }
    ));
    let flow = session.add_identity().unwrap();
    let mut typo = activation();
    typo.serial = "48244-13457".into();
    match flow.enter_activation(typo).unwrap_err() {
        TokenError::InvalidInput { field, message } => {
            assert_eq!(field, InputField::SerialNumber);
            assert!(message.contains("check digit"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        flow.finish().unwrap_err(),
        TokenError::WrongStep { .. }
    ));
    let (id, _) = new_token(&session);
    session.lock().unwrap();
    assert!(matches!(
        session.code(id.clone()).unwrap_err(),
        TokenError::NotUnlocked { .. }
    ));
    match session.unlock("000000".into()).unwrap_err() {
        TokenError::WrongPin {
            attempts_left,
            message,
        } => {
            assert_eq!(attempts_left, 4);
            assert_eq!(message, "wrong PIN, 4 tries left before the token locks");
        }
        other => panic!("{other:?}"),
    }
    for _ in 0..4 {
        session.unlock("000000".into()).unwrap_err();
    }
    match session.unlock(PIN.into()).unwrap_err() {
        TokenError::Locked {
            reset_code: Some(code),
            ..
        } => assert_eq!(code.len(), 9),
        other => panic!("{other:?}"),
    }
    match session
        .unlock_with_code("123".into(), "739164".into())
        .unwrap_err()
    {
        TokenError::InvalidInput { field, .. } => assert_eq!(field, InputField::UnlockCode),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_issuer_object_completes_and_verifies_what_the_token_shows() {
    let dir = folder();
    let issuer = Issuer::open(
        dir.path().join("issuer").to_string_lossy().into_owned(),
        "surface test passphrase".into(),
    )
    .unwrap();
    let issued = issuer
        .create(
            "alice".into(),
            6,
            None,
            None,
            Some("myid.example.edu/igst".into()),
        )
        .unwrap();
    let session = TokenSession::new(
        dir.path().join("token").to_string_lossy().into_owned(),
        None,
    )
    .unwrap();
    let flow = session.add_identity().unwrap();
    assert_eq!(
        flow.enter_link(issued.link.clone()).unwrap(),
        FlowStep::NeedsPassword
    );
    match flow.enter_password("00000000".into()).unwrap_err() {
        TokenError::InvalidInput { field, .. } => assert_eq!(field, InputField::Password),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        flow.enter_password(issued.password.clone()).unwrap(),
        FlowStep::NeedsPin
    );
    flow.set_pin(PIN.into()).unwrap();
    let FlowStep::ShowRegistrationCode {
        registration_code, ..
    } = flow.confirm_pin(PIN.into()).unwrap()
    else {
        panic!("expected the registration code");
    };
    match issuer
        .complete(issued.serial.clone(), "00000-00000".into())
        .unwrap_err()
    {
        IssuerError::InvalidInput { field, .. } => assert_eq!(field, InputField::RegistrationCode),
        other => panic!("{other:?}"),
    }
    issuer
        .complete(issued.serial.clone(), registration_code)
        .unwrap();
    let FlowStep::Done { identity, .. } = flow.finish().unwrap() else {
        panic!("expected Done")
    };
    let code = session.code_at(identity.id, 1_700_000_000).unwrap().code;
    assert_eq!(
        issuer
            .verify(issued.serial.clone(), code.clone(), 1_700_000_000)
            .unwrap(),
        0
    );
    assert!(matches!(
        issuer
            .verify(issued.serial, code, 1_700_000_000)
            .unwrap_err(),
        IssuerError::Refused { .. }
    ));
}

fn field_of(error: TokenError) -> InputField {
    match error {
        TokenError::InvalidInput { field, .. } => field,
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[test]
fn settings_take_the_auto_lock_delay_and_a_confirmed_pin() {
    let dir = folder();
    let session = TokenSession::new(dir.path().to_string_lossy().into_owned(), None).unwrap();
    new_token(&session);
    assert_eq!(session.settings().unwrap().auto_lock_seconds, 60);
    session.set_auto_lock_seconds(0).unwrap();
    assert_eq!(session.settings().unwrap().auto_lock_seconds, 0);
    assert_eq!(
        field_of(session.set_auto_lock_seconds(3601).unwrap_err()),
        InputField::AutoLock
    );

    let error = session
        .change_pin_confirmed(PIN.into(), "739164".into(), "739165".into())
        .unwrap_err();
    assert_eq!(field_of(error), InputField::ConfirmPin);
    // A new PIN that breaks a rule is named as the new PIN, not the current one.
    let error = session
        .change_pin_confirmed(PIN.into(), "1234".into(), "1234".into())
        .unwrap_err();
    assert_eq!(field_of(error), InputField::NewPin);
    let error = session.change_pin(PIN.into(), "1234".into()).unwrap_err();
    assert_eq!(field_of(error), InputField::NewPin);
    session
        .change_pin_confirmed(PIN.into(), "739164".into(), "739164".into())
        .unwrap();
    session.lock().unwrap();
    session.unlock("739164".into()).unwrap();
}

#[test]
fn a_new_recovery_key_and_the_lockout_threshold_take_the_pin() {
    let dir = folder();
    let session = TokenSession::new(dir.path().to_string_lossy().into_owned(), None).unwrap();
    new_token(&session);
    // A threshold out of range is refused beside its field before the PIN is checked.
    assert_eq!(
        field_of(
            session
                .set_lockout_threshold(0, "000000".into())
                .unwrap_err()
        ),
        InputField::LockoutThreshold
    );
    match session
        .set_lockout_threshold(100, "000000".into())
        .unwrap_err()
    {
        TokenError::WrongPin { attempts_left, .. } => assert_eq!(attempts_left, 4),
        other => panic!("{other:?}"),
    }
    match session
        .export_new_recovery_key("000000".into())
        .unwrap_err()
    {
        TokenError::WrongPin { attempts_left, .. } => assert_eq!(attempts_left, 3),
        other => panic!("{other:?}"),
    }
    assert_eq!(session.settings().unwrap().lockout_threshold, 5);

    session.set_lockout_threshold(3, PIN.into()).unwrap();
    assert_eq!(session.settings().unwrap().lockout_threshold, 3);
    let key = session.export_new_recovery_key(PIN.into()).unwrap();
    assert_eq!(key.len(), 39, "{key}");

    // With 3 tries, the third wrong PIN locks the token and the session.
    for _ in 0..2 {
        session
            .export_new_recovery_key("000000".into())
            .unwrap_err();
    }
    assert!(matches!(
        session
            .set_lockout_threshold(100, "000000".into())
            .unwrap_err(),
        TokenError::Locked { .. }
    ));
    assert!(matches!(
        session.settings().unwrap_err(),
        TokenError::NotUnlocked { .. }
    ));
    session
        .unlock_with_recovery_key(key, "739164".into())
        .unwrap();
    assert_eq!(session.settings().unwrap().lockout_threshold, 3);
}

#[test]
fn settings_turn_unlock_codes_off_with_the_pin() {
    let dir = folder();
    let session = TokenSession::new(dir.path().to_string_lossy().into_owned(), None).unwrap();
    new_token(&session);
    assert!(session.settings().unwrap().unlock_codes);
    let error = session
        .set_unlock_codes("000000".into(), false)
        .unwrap_err();
    assert!(
        matches!(
            error,
            TokenError::WrongPin {
                attempts_left: 4,
                ..
            }
        ),
        "{error:?}"
    );
    assert!(session.settings().unwrap().unlock_codes);
    session.set_unlock_codes(PIN.into(), false).unwrap();
    assert!(!session.settings().unwrap().unlock_codes);
    session.lock().unwrap();
    session.unlock(PIN.into()).unwrap();
    assert!(!session.settings().unwrap().unlock_codes);
    session.lock().unwrap();
    for _ in 0..5 {
        session.unlock("000000".into()).unwrap_err();
    }
    assert!(matches!(
        session.status().unwrap(),
        tessera_ffi::TokenStatus::LockedOut {
            reset_code: None,
            recovery_key: true,
            ..
        }
    ));
}

#[test]
fn the_form_suggests_the_address_host_as_the_name() {
    assert_eq!(
        suggested_name("myid.example.edu/igst".into()).as_deref(),
        Some("myid.example.edu")
    );
    assert_eq!(
        suggested_name("https://MyID.Example.edu:443/igst?x=1".into()).as_deref(),
        Some("myid.example.edu")
    );
    assert_eq!(suggested_name("".into()), None);
    assert_eq!(suggested_name("/igst".into()), None);
}

#[test]
fn reactivation_takes_the_issuers_new_link_and_keeps_unlock_codes_working() {
    let dir = folder();
    let issuer = Issuer::open(
        dir.path().join("issuer").to_string_lossy().into_owned(),
        "surface test passphrase".into(),
    )
    .unwrap();
    let session = TokenSession::new(
        dir.path().join("token").to_string_lossy().into_owned(),
        None,
    )
    .unwrap();
    let (id, _) = new_token(&session);
    let before = session.identities().unwrap();

    let issued = issuer.create("alice".into(), 6, None, None, None).unwrap();
    let flow = session.reactivate(id.clone()).unwrap();
    assert_eq!(flow.step().unwrap(), FlowStep::Start);
    assert_eq!(
        flow.enter_link(issued.link.clone()).unwrap(),
        FlowStep::NeedsPassword
    );
    let FlowStep::ShowRegistrationCode {
        name,
        registration_code,
    } = flow.enter_password(issued.password.clone()).unwrap()
    else {
        panic!("expected the registration code (no PIN steps)");
    };
    assert_eq!(name, "myid.example.edu");
    issuer
        .complete(issued.serial.clone(), registration_code)
        .unwrap();
    let FlowStep::Done {
        identity,
        recovery_key: None,
        ..
    } = flow.finish().unwrap()
    else {
        panic!("expected Done without a recovery key");
    };
    assert_eq!(identity.id, id);
    assert_eq!(identity.name, before[0].name);
    assert_eq!(identity.serial.as_deref(), Some(issued.serial.as_str()));
    assert_eq!(session.identities().unwrap().len(), 1);
    let code = session.code_at(id.clone(), 1_700_000_000).unwrap().code;
    assert_eq!(
        issuer
            .verify(issued.serial.clone(), code, 1_700_000_000)
            .unwrap(),
        0
    );

    // Locked out, the issuer's unlock code for the new activation opens the token.
    session.lock().unwrap();
    for _ in 0..5 {
        session.unlock("000000".into()).unwrap_err();
    }
    let tessera_ffi::TokenStatus::LockedOut {
        reset_code: Some(reset_code),
        ..
    } = session.status().unwrap()
    else {
        panic!("expected a lockout with a reset code");
    };
    let unlock_code = issuer.unlock_code(issued.serial, reset_code).unwrap();
    session
        .unlock_with_code(unlock_code, "739164".into())
        .unwrap();
}

#[test]
fn only_identityguard_identities_are_reactivated() {
    let dir = folder();
    let session = TokenSession::new(dir.path().to_string_lossy().into_owned(), None).unwrap();
    new_token(&session);
    let flow = session.add_identity().unwrap();
    let FlowStep::Done { identity, .. } = flow
        .enter_link("otpauth://totp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".into())
        .unwrap()
    else {
        panic!("expected Done");
    };
    let Err(error) = session.reactivate(identity.id) else {
        panic!("a TOTP identity has no activation to replace");
    };
    assert_eq!(field_of(error), InputField::Identity);
    assert!(matches!(
        session.reactivate("0123456789abcdef".into()),
        Err(TokenError::NotFound { .. })
    ));
}

#[test]
fn a_camera_frame_gives_the_link_it_shows_and_bad_shapes_name_the_field() {
    let link =
        "otpauth://totp/Example:alice?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Example";
    let code = qrcode::QrCode::new(link).unwrap();
    let modules = code.width();
    let colors = code.to_colors();
    // 4 pixels a module, a 4-module quiet zone, rows padded to 512 bytes.
    let (scale, side, stride) = (4, (modules + 8) * 4, 512);
    let mut luma = vec![255u8; stride * side];
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = ((x / scale).wrapping_sub(4), (y / scale).wrapping_sub(4));
            if mx < modules && my < modules && colors[my * modules + mx] == qrcode::Color::Dark {
                luma[y * stride + x] = 0;
            }
        }
    }
    let (w, h, s) = (side as u32, side as u32, stride as u32);
    assert_eq!(
        decode_qr_luma(w, h, s, luma.clone()).unwrap().as_deref(),
        Some(link)
    );
    assert_eq!(
        decode_qr_luma(w, h, s, vec![255; stride * side]).unwrap(),
        None
    );
    for ((width, height, stride, bytes), field) in [
        ((0, h, s, luma.len()), InputField::Width),
        ((w, 0, s, luma.len()), InputField::Height),
        ((w, h, w - 1, luma.len()), InputField::RowStride),
        ((w, h, s, 100), InputField::Luma),
    ] {
        let error = decode_qr_luma(width, height, stride, luma[..bytes].to_vec()).unwrap_err();
        assert_eq!(field_of(error), field);
    }
}
