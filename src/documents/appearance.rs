//! The look of a signature in the signer's block (being written).
use x509_cert::Certificate;

/// The signature's appearance.
#[must_use]
pub fn signature_appearance(
    _cert: &Certificate,
    _details: &crate::signing::SignDetails,
    _rect: [f32; 4],
) -> Option<Vec<u8>> {
    None
}
