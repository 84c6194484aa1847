//! The file a form uploads: one named field of a multipart body, read
//! whole within the router's body limit (`app::MAX_UPLOAD_BYTES`).

use axum::extract::Multipart;

/// Why no file came.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Upload {
    /// The body is larger than the limit, or broken.
    TooLarge,
    /// The field is missing or empty.
    Missing,
}

/// The file of field `name` (its file name, else `default_name`, and its
/// bytes); other fields are skipped.
pub(crate) async fn file_field(
    form: &mut Multipart,
    name: &str,
    default_name: &str,
) -> Result<(String, Vec<u8>), Upload> {
    let mut file = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some(name) => {
                let file_name = field.file_name().unwrap_or(default_name).to_string();
                let bytes = field.bytes().await.map_err(|_| Upload::TooLarge)?;
                file = Some((file_name, bytes.to_vec()));
            }
            Ok(Some(_)) => continue,
            Ok(None) => break,
            Err(_) => return Err(Upload::TooLarge),
        }
    }
    file.filter(|(_, b)| !b.is_empty()).ok_or(Upload::Missing)
}
