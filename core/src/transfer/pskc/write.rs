//! Writing PSKC files (RFC 6030), for servers that hand their tokens' secrets on. Encrypted
//! with a pre-shared key (AES-CBC with the key's size, section 6.1) or with a key PBKDF2
//! derives from a password (PBKDF2-HMAC-SHA256, AES-256-CBC, section 6.2); each value carries
//! an HMAC-SHA256 `ValueMAC` under a random MAC key sent encrypted in `MACMethod`. Plain files
//! are written only when asked for by name ([`PskcProtection::Plain`]).
//!
//! IVs, the salt and the MAC key are random for every file. The text is returned in a
//! zeroizing string: a plain file holds the secrets as they are.

use aes::{Aes128, Aes192, Aes256};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cbc::cipher::block_padding::Pkcs7;
use cbc::cipher::{BlockModeEncrypt, KeyIvInit};
use hmac::{Hmac, KeyInit, Mac};
use pbkdf2::pbkdf2_hmac;
use quick_xml::escape::escape;
use sha2::Sha256;
use zeroize::Zeroizing;

use super::{PSKC_NAMESPACE, PskcKey};
use crate::codes::Algorithm;
use crate::identity::IdentityKind;
use crate::random::{RandomError, make_random_bytes};
use crate::transfer::MAX_PBKDF2_ITERATIONS;
use crate::transfer::password::Password;

/// PBKDF2 iterations of files written with a password: a tenth of what a reader accepts
/// ([`crate::transfer::MAX_PBKDF2_ITERATIONS`]), about a tenth of a second.
pub const EXPORT_PBKDF2_ITERATIONS: u32 = 200_000;

/// How a written file protects its secrets.
pub enum PskcProtection {
    /// No encryption: the secrets in base64. Only when the person asked for it.
    Plain,
    /// A key both sides hold: 16, 24 or 32 bytes (AES-128, -192 or -256), and the name written
    /// in `ds:KeyName` so the receiver knows which key to use.
    PreSharedKey {
        /// The AES key.
        key: Zeroizing<Vec<u8>>,
        /// Its name.
        name: String,
    },
    /// A password the receiver is told apart, and the PBKDF2 iterations
    /// ([`EXPORT_PBKDF2_ITERATIONS`] unless a test wants speed; readers refuse more than
    /// [`crate::transfer::MAX_PBKDF2_ITERATIONS`]).
    Password {
        /// The password.
        password: Password,
        /// PBKDF2 iterations, at least 1.
        iterations: u32,
    },
}

/// Why a file could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PskcWriteError {
    /// A pre-shared key of a length AES does not take.
    #[error(
        "the pre-shared key is {bytes} bytes long: AES takes 16, 24 or 32 (32, 48 or 64 hexadecimal digits)"
    )]
    KeyLength {
        /// Its length.
        bytes: usize,
    },
    /// A key of a kind PSKC has no profile for (Steam Guard, IdentityGuard).
    #[error(
        "key {position} makes {kind} codes, which PSKC has no profile for: no file was written"
    )]
    NoProfile {
        /// Its place among the keys given, from 1.
        position: usize,
        /// Which codes it makes.
        kind: &'static str,
    },
    /// The system's random source failed.
    #[error(transparent)]
    Random(#[from] RandomError),
}

/// The PSKC document holding `keys`, protected as `protection` says. A key PSKC cannot carry
/// refuses the whole file rather than leave a package without its key.
pub fn write_pskc(
    keys: &[PskcKey],
    protection: &PskcProtection,
) -> Result<Zeroizing<String>, PskcWriteError> {
    let mut out = Zeroizing::new(String::new());
    out.push_str(&format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<pskc:KeyContainer Version=\"1.0\" xmlns:pskc=\"{PSKC_NAMESPACE}\" \
         xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" xmlns:xenc=\"http://www.w3.org/2001/04/xmlenc#\" \
         xmlns:xenc11=\"http://www.w3.org/2009/xmlenc11#\" \
         xmlns:pkcs5=\"http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#\">\n"
    ));
    let sealer = match protection {
        PskcProtection::Plain => None,
        PskcProtection::PreSharedKey { key, name } => {
            if ![16, 24, 32].contains(&key.len()) {
                return Err(PskcWriteError::KeyLength { bytes: key.len() });
            }
            out.push_str(&format!(
                "  <pskc:EncryptionKey><ds:KeyName>{}</ds:KeyName></pskc:EncryptionKey>\n",
                escape(name.as_str())
            ));
            Some(Sealer::new(key.clone())?)
        }
        PskcProtection::Password {
            password,
            iterations,
        } => {
            let iterations = (*iterations).clamp(1, MAX_PBKDF2_ITERATIONS);
            let salt: [u8; 16] = make_random_bytes()?;
            let mut key = Zeroizing::new(vec![0u8; 32]);
            pbkdf2_hmac::<Sha256>(password.as_bytes(), &salt, iterations, &mut key);
            out.push_str(&format!(
                "  <pskc:EncryptionKey><xenc11:DerivedKey><xenc11:KeyDerivationMethod \
                 Algorithm=\"http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#pbkdf2\">\
                 <pkcs5:PBKDF2-params><Salt><Specified>{}</Specified></Salt>\
                 <IterationCount>{iterations}</IterationCount><KeyLength>32</KeyLength>\
                 <PRF Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#hmac-sha256\"/>\
                 </pkcs5:PBKDF2-params></xenc11:KeyDerivationMethod></xenc11:DerivedKey></pskc:EncryptionKey>\n",
                STANDARD.encode(salt)
            ));
            Some(Sealer::new(key)?)
        }
    };
    if let Some(sealer) = &sealer {
        let wrapped = sealer.encrypt(&sealer.mac_key)?;
        out.push_str(&format!(
            "  <pskc:MACMethod Algorithm=\"http://www.w3.org/2001/04/xmldsig-more#hmac-sha256\"><pskc:MACKey>\
             <xenc:EncryptionMethod Algorithm=\"{}\"/><xenc:CipherData><xenc:CipherValue>{}</xenc:CipherValue>\
             </xenc:CipherData></pskc:MACKey></pskc:MACMethod>\n",
            sealer.method(),
            STANDARD.encode(&wrapped)
        ));
    }
    for (index, key) in keys.iter().enumerate() {
        write_package(&mut out, index + 1, key, sealer.as_ref())?;
    }
    out.push_str("</pskc:KeyContainer>\n");
    Ok(out)
}

fn write_package(
    out: &mut String,
    position: usize,
    key: &PskcKey,
    sealer: Option<&Sealer>,
) -> Result<(), PskcWriteError> {
    let text = |value: &str| escape(value).into_owned();
    out.push_str("  <pskc:KeyPackage>");
    if key.serial.is_some() {
        out.push_str("<pskc:DeviceInfo>");
        if let Some(serial) = &key.serial {
            out.push_str(&format!("<pskc:SerialNo>{}</pskc:SerialNo>", text(serial)));
        }
        out.push_str("</pskc:DeviceInfo>");
    }
    let (algorithm, parameters, counter, period) = match &key.kind {
        IdentityKind::Totp { params, .. } => (
            "urn:ietf:params:xml:ns:keyprov:pskc:totp",
            format!(
                "<pskc:Suite>{}</pskc:Suite><pskc:ResponseFormat Length=\"{}\" Encoding=\"DECIMAL\"/>",
                hash_suite(params.algorithm),
                params.digits
            ),
            None,
            Some(params.period),
        ),
        IdentityKind::Hotp {
            algorithm,
            digits,
            counter,
            ..
        } => (
            "urn:ietf:params:xml:ns:keyprov:pskc:hotp",
            format!(
                "<pskc:Suite>{}</pskc:Suite><pskc:ResponseFormat Length=\"{digits}\" Encoding=\"DECIMAL\"/>",
                hash_suite(*algorithm)
            ),
            Some(*counter),
            None,
        ),
        IdentityKind::Ocra { ocra, .. } => (
            "urn:ietf:params:xml:ns:keyprov:pskc#OCRA-1",
            format!(
                "<pskc:Suite>{}</pskc:Suite><pskc:ResponseFormat Length=\"{}\" Encoding=\"DECIMAL\"/>",
                text(&ocra.suite.to_string()),
                ocra.suite.digits()
            ),
            Some(ocra.counter),
            None,
        ),
        IdentityKind::Steam { .. } => return Err(no_profile(position, "Steam Guard")),
        IdentityKind::IdentityGuard(_) => return Err(no_profile(position, "IdentityGuard")),
    };
    out.push_str(&format!("<pskc:Key Algorithm=\"{algorithm}\""));
    if let Some(id) = &key.id {
        out.push_str(&format!(" Id=\"{}\"", text(id)));
    }
    out.push('>');
    if let Some(issuer) = &key.issuer {
        out.push_str(&format!("<pskc:Issuer>{}</pskc:Issuer>", text(issuer)));
    }
    out.push_str(&format!(
        "<pskc:AlgorithmParameters>{parameters}</pskc:AlgorithmParameters><pskc:Data><pskc:Secret>"
    ));
    let secret = key.kind.secret().as_bytes();
    match sealer {
        None => out.push_str(&format!(
            "<pskc:PlainValue>{}</pskc:PlainValue>",
            Zeroizing::new(STANDARD.encode(secret)).as_str()
        )),
        Some(sealer) => {
            let sealed = sealer.encrypt(secret)?;
            out.push_str(&format!(
                "<pskc:EncryptedValue><xenc:EncryptionMethod Algorithm=\"{}\"/><xenc:CipherData>\
                 <xenc:CipherValue>{}</xenc:CipherValue></xenc:CipherData></pskc:EncryptedValue>\
                 <pskc:ValueMAC>{}</pskc:ValueMAC>",
                sealer.method(),
                STANDARD.encode(&sealed),
                STANDARD.encode(sealer.mac(&sealed))
            ));
        }
    }
    out.push_str("</pskc:Secret>");
    if let Some(counter) = counter {
        out.push_str(&format!(
            "<pskc:Counter><pskc:PlainValue>{counter}</pskc:PlainValue></pskc:Counter>"
        ));
    }
    if let Some(period) = period {
        out.push_str(&format!(
            "<pskc:TimeInterval><pskc:PlainValue>{period}</pskc:PlainValue></pskc:TimeInterval>"
        ));
    }
    out.push_str("</pskc:Data>");
    if let Some(user) = &key.user {
        out.push_str(&format!("<pskc:UserId>{}</pskc:UserId>", text(user)));
    }
    out.push_str("</pskc:Key></pskc:KeyPackage>\n");
    Ok(())
}

fn no_profile(position: usize, kind: &'static str) -> PskcWriteError {
    PskcWriteError::NoProfile { position, kind }
}

fn hash_suite(algorithm: Algorithm) -> &'static str {
    match algorithm {
        Algorithm::Sha1 => "HMAC-SHA1",
        Algorithm::Sha256 => "HMAC-SHA256",
        Algorithm::Sha512 => "HMAC-SHA512",
    }
}

/// The encryption key of a file being written, and its random MAC key.
struct Sealer {
    key: Zeroizing<Vec<u8>>,
    mac_key: Zeroizing<Vec<u8>>,
}

impl Sealer {
    fn new(key: Zeroizing<Vec<u8>>) -> Result<Self, PskcWriteError> {
        let mac_key: Zeroizing<[u8; 32]> = Zeroizing::new(make_random_bytes()?);
        Ok(Sealer {
            key,
            mac_key: Zeroizing::new(mac_key.to_vec()),
        })
    }

    fn method(&self) -> &'static str {
        match self.key.len() {
            16 => "http://www.w3.org/2001/04/xmlenc#aes128-cbc",
            24 => "http://www.w3.org/2001/04/xmlenc#aes192-cbc",
            _ => "http://www.w3.org/2001/04/xmlenc#aes256-cbc",
        }
    }

    /// A random IV followed by the AES-CBC (PKCS #7) ciphertext of `plain`.
    fn encrypt(&self, plain: &[u8]) -> Result<Vec<u8>, PskcWriteError> {
        let iv: [u8; 16] = make_random_bytes()?;
        let mut buffer = Zeroizing::new(vec![0u8; plain.len() + 16]);
        buffer[..plain.len()].copy_from_slice(plain);
        let length = plain.len();
        // The key length was checked when the sealer was made; the buffer has a block to spare.
        let ciphertext = match self.key.len() {
            16 => cbc::Encryptor::<Aes128>::new_from_slices(&self.key, &iv)
                .ok()
                .and_then(|c| c.encrypt_padded::<Pkcs7>(&mut buffer, length).ok())
                .map(<[u8]>::to_vec),
            24 => cbc::Encryptor::<Aes192>::new_from_slices(&self.key, &iv)
                .ok()
                .and_then(|c| c.encrypt_padded::<Pkcs7>(&mut buffer, length).ok())
                .map(<[u8]>::to_vec),
            _ => cbc::Encryptor::<Aes256>::new_from_slices(&self.key, &iv)
                .ok()
                .and_then(|c| c.encrypt_padded::<Pkcs7>(&mut buffer, length).ok())
                .map(<[u8]>::to_vec),
        }
        .ok_or(PskcWriteError::KeyLength {
            bytes: self.key.len(),
        })?;
        Ok([iv.as_slice(), &ciphertext].concat())
    }

    fn mac(&self, sealed: &[u8]) -> Vec<u8> {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.mac_key)
            .expect("invariant: HMAC accepts keys of any length");
        mac.update(sealed);
        mac.finalize().into_bytes().to_vec()
    }
}
