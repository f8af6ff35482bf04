//! Names in certificates: the one decoder of a distinguished name's attributes, for the
//! signatures, their appearance, `verify` and the token listing alike.

use der::Tag;

/// The common name (CN) of a distinguished name, if any: "Ký bởi" in the appearance.
#[must_use]
pub fn common_name(name: &x509_cert::name::Name) -> Option<String> {
    name_attribute(name, const_oid::db::rfc4519::CN)
}

/// The organisation (O) of a distinguished name, if any.
#[must_use]
pub fn organisation(name: &x509_cert::name::Name) -> Option<String> {
    name_attribute(name, const_oid::db::rfc4519::O)
}

/// The first attribute `oid` (CN, O, …) of a name, decoded from whichever string type the CA
/// used: the one decoder of certificate names, for the token listing and the signatures.
#[must_use]
pub fn name_attribute(
    name: &x509_cert::name::Name,
    oid: const_oid::ObjectIdentifier,
) -> Option<String> {
    name.0
        .iter()
        .flat_map(|rdn| rdn.0.iter())
        .find(|atv| atv.oid == oid)
        .and_then(|atv| directory_string(&atv.value))
}

/// A DirectoryString's text. BMPString (UTF-16BE) still appears on older Vietnamese
/// certificates; TeletexString is taken as Latin-1, as issuers mean it in practice.
fn directory_string(value: &der::Any) -> Option<String> {
    let bytes = value.value();
    match der::Tagged::tag(value) {
        Tag::Utf8String | Tag::PrintableString | Tag::Ia5String => {
            std::str::from_utf8(bytes).ok().map(str::to_owned)
        }
        Tag::TeletexString => Some(bytes.iter().map(|&b| char::from(b)).collect()),
        Tag::BmpString => {
            let units: Vec<u16> = bytes
                .chunks_exact(2)
                .map(|p| u16::from_be_bytes([p[0], p[1]]))
                .collect();
            String::from_utf16(&units).ok()
        }
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests fail loudly")]
mod tests {
    use super::*;

    /// A CN in BMPString or UTF8String reads as text.
    #[test]
    fn directory_strings() {
        let utf8 = der::Any::new(Tag::Utf8String, "Phạm Văn Đức".as_bytes()).unwrap();
        assert_eq!(directory_string(&utf8).unwrap(), "Phạm Văn Đức");
        let units: Vec<u8> = "Đức".encode_utf16().flat_map(u16::to_be_bytes).collect();
        let bmp = der::Any::new(Tag::BmpString, units).unwrap();
        assert_eq!(directory_string(&bmp).unwrap(), "Đức");
    }
}
