//! What of a person leaves the province: no name, no citizen id, the
//! birth to the month, the commune kept. A citizen id becomes a keyed
//! hash (HMAC-SHA-256 under the national key that every province is
//! configured with), so that one person registered in two provinces is
//! one person nationally, while the id cannot be read back, nor guessed
//! by hashing all twelve-digit numbers without the key.

use hmac::{Hmac, Mac};
use sha2::Sha256;

use ytcs_core::Date;

/// The national key: at least 32 bytes, the same in every province.
#[derive(Clone)]
pub struct NationalKey(Vec<u8>);

/// A key that cannot serve.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("the national key must be at least 32 bytes (it has {0}); every province needs the same key from the Ministry")]
pub struct ShortKey(pub usize);

impl NationalKey {
    /// The key from its bytes (a file's contents, trailing newline trimmed
    /// by the caller).
    pub fn new(bytes: &[u8]) -> Result<Self, ShortKey> {
        if bytes.len() < 32 {
            return Err(ShortKey(bytes.len()));
        }
        Ok(Self(bytes.to_vec()))
    }

    /// The pseudonym of a citizen id: 64 hexadecimal digits. The id is
    /// taken as written once spaces are removed.
    pub fn pseudonym(&self, national_id: &str) -> String {
        let id: String = national_id.chars().filter(|c| !c.is_whitespace()).collect();
        hmac_hex(&self.0, id.as_bytes())
    }
}

/// HMAC-SHA-256 of `data` under `key`, hexadecimal.
fn hmac_hex(key: &[u8], data: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(data);
    crate::hex(&mac.finalize().into_bytes())
}

impl std::fmt::Debug for NationalKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NationalKey(…)")
    }
}

/// A birth date to the month: the first day of its month.
pub fn birth_month(d: Date) -> Date {
    use chrono::Datelike;
    d.with_day(1).expect("the first of a month exists")
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key() -> NationalKey {
        NationalKey::new(&[7u8; 32]).unwrap()
    }

    #[test]
    fn a_short_key_is_refused() {
        assert_eq!(NationalKey::new(b"short").unwrap_err(), ShortKey(5));
    }

    #[test]
    fn the_pseudonym_is_hmac_sha256() {
        // RFC 4231, test case 2.
        assert_eq!(
            hmac_hex(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let k = key();
        assert_eq!(
            k.pseudonym("001 090 012345"),
            hmac_hex(&[7u8; 32], b"001090012345")
        );
    }

    #[test]
    fn the_key_matters() {
        let other = NationalKey::new(&[8u8; 32]).unwrap();
        assert_ne!(
            key().pseudonym("001090012345"),
            other.pseudonym("001090012345")
        );
    }

    #[test]
    fn birth_is_kept_to_the_month() {
        let d = Date::from_ymd_opt(2019, 7, 23).unwrap();
        assert_eq!(birth_month(d), Date::from_ymd_opt(2019, 7, 1).unwrap());
    }

    proptest! {
        #[test]
        fn one_id_one_pseudonym_and_never_the_id(id in "[0-9]{12}", spaced in any::<bool>()) {
            let written = if spaced { format!("{} {} {}", &id[..3], &id[3..6], &id[6..]) } else { id.clone() };
            let p = key().pseudonym(&written);
            prop_assert_eq!(&p, &key().pseudonym(&id));
            prop_assert_eq!(p.len(), 64);
            prop_assert!(!p.contains(&id));
        }
    }
}
