//! Every field enum of core converts into the one `InputField` the shells match on, each value
//! to the input of the same meaning (written out here, not derived from the names).

use tessera_core::field::InputField;
use tessera_core::flow::FlowField;
use tessera_core::identityguard::Field;
use tessera_core::issuer::IssuerField;
use tessera_core::provisioning::OtpauthField;
use tessera_core::qr::Side;

fn check<T: Copy + std::fmt::Debug + Into<InputField>>(cases: &[(T, InputField)]) {
    for &(from, expected) in cases {
        assert_eq!(from.into(), expected, "{from:?}");
    }
}

#[test]
fn flow_fields() {
    check(&[
        (FlowField::SerialNumber, InputField::SerialNumber),
        (FlowField::ActivationCode, InputField::ActivationCode),
        (FlowField::Address, InputField::Address),
        (FlowField::Name, InputField::Name),
        (FlowField::Digits, InputField::Digits),
        (FlowField::Link, InputField::Link),
        (FlowField::Password, InputField::Password),
        (FlowField::Pin, InputField::Pin),
        (FlowField::OcraSuite, InputField::OcraSuite),
        (FlowField::Step, InputField::Step),
    ]);
}

#[test]
fn issuer_fields() {
    check(&[
        (IssuerField::Passphrase, InputField::Passphrase),
        (IssuerField::Name, InputField::Name),
        (IssuerField::Digits, InputField::Digits),
        (IssuerField::Policy, InputField::Policy),
        (IssuerField::Address, InputField::Address),
        (IssuerField::OcraSuite, InputField::OcraSuite),
        (IssuerField::Window, InputField::Window),
        (IssuerField::SerialNumber, InputField::SerialNumber),
        (IssuerField::RegistrationCode, InputField::RegistrationCode),
        (IssuerField::Code, InputField::Code),
        (IssuerField::Challenge, InputField::Challenge),
        (IssuerField::Response, InputField::Response),
        (IssuerField::ResetCode, InputField::ResetCode),
    ]);
}

#[test]
fn identityguard_fields() {
    check(&[
        (Field::SerialNumber, InputField::SerialNumber),
        (Field::ActivationCode, InputField::ActivationCode),
        (Field::RegistrationCode, InputField::RegistrationCode),
        (Field::Policy, InputField::Policy),
        (Field::Address, InputField::Address),
        (Field::OcraSuite, InputField::OcraSuite),
    ]);
}

#[test]
fn every_part_of_an_otpauth_link_is_shown_beside_the_link() {
    check(&[
        (OtpauthField::Link, InputField::Link),
        (OtpauthField::Type, InputField::Link),
        (OtpauthField::Label, InputField::Link),
        (OtpauthField::Account, InputField::Link),
        (OtpauthField::Issuer, InputField::Link),
        (OtpauthField::Secret, InputField::Link),
        (OtpauthField::Algorithm, InputField::Link),
        (OtpauthField::Digits, InputField::Link),
        (OtpauthField::Period, InputField::Link),
        (OtpauthField::Counter, InputField::Link),
        (OtpauthField::Encoder, InputField::Link),
    ]);
}

#[test]
fn frame_sides() {
    check(&[
        (Side::Width, InputField::Width),
        (Side::Height, InputField::Height),
    ]);
}
