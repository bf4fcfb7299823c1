//! Where attachment bytes live: one object store (local disk by default,
//! S3-compatible when configured), addressed by the SHA-256 of the bytes,
//! so a file attached twice is kept once.

use crate::domain::attachment::Variant;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use bytes::Bytes;
use futures::stream::BoxStream;
use futures::StreamExt;
use hmac::{Hmac, Mac};
use object_store::path::Path as Key;
use object_store::{ObjectStore, PutPayload, WriteMultipart};
use sha2::Sha256;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::io::AsyncReadExt;
use uuid::Uuid;

/// Parts sent to S3 are this big (its minimum is 5 MiB); it is also the
/// most a single upload holds in memory while it is stored.
const PART_BYTES: usize = 5 * 1024 * 1024;

/// Signed download links live this long: enough to open a page and its
/// photos, short enough that a forwarded or emailed link soon stops working.
pub const LINK_SECS: i64 = 15 * 60;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("object store: {0}")]
    Store(#[from] object_store::Error),
    #[error("file: {0}")]
    Io(#[from] std::io::Error),
}

/// Which backend, as configured.
#[derive(Debug, Clone)]
pub enum Backend {
    /// A folder on this machine.
    Disk(PathBuf),
    /// An S3-compatible bucket; endpoint, region and credentials come from
    /// the standard `AWS_*` environment variables.
    S3 { bucket: String },
}

pub struct Files {
    store: Arc<dyn ObjectStore>,
    /// Uploads are written here while they arrive (removed when done).
    incoming: PathBuf,
    key: [u8; 32],
    /// Decoding a photo takes memory and a core: at most this many at once.
    pub images: tokio::sync::Semaphore,
    pub backend: &'static str,
}

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Files")
            .field("backend", &self.backend)
            .field("incoming", &self.incoming)
            .finish_non_exhaustive()
    }
}

impl Files {
    /// Opens the configured backend; `incoming` is a local folder for
    /// uploads in flight (created when missing).
    pub fn open(backend: &Backend, incoming: &Path, secret: &[u8]) -> Result<Files, StoreError> {
        std::fs::create_dir_all(incoming)?;
        let (store, name): (Arc<dyn ObjectStore>, _) = match backend {
            Backend::Disk(dir) => {
                std::fs::create_dir_all(dir)?;
                (
                    Arc::new(object_store::local::LocalFileSystem::new_with_prefix(dir)?),
                    "disk",
                )
            }
            Backend::S3 { bucket } => (
                Arc::new(
                    object_store::aws::AmazonS3Builder::from_env()
                        .with_bucket_name(bucket)
                        .build()?,
                ),
                "s3",
            ),
        };
        Files::with_store(store, incoming, secret, name)
    }

    /// Over any object store (the tests' S3 server, say).
    pub fn with_store(
        store: Arc<dyn ObjectStore>,
        incoming: &Path,
        secret: &[u8],
        name: &'static str,
    ) -> Result<Files, StoreError> {
        std::fs::create_dir_all(incoming)?;
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("hmac takes any key length");
        mac.update(b"gadesk file links v1");
        Ok(Files {
            store,
            incoming: incoming.to_path_buf(),
            key: mac.finalize().into_bytes().into(),
            // Decoding a photo takes a core and tens of MB: one per core.
            images: tokio::sync::Semaphore::new(
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            ),
            backend: name,
        })
    }

    /// Where uploads in flight are written.
    pub fn incoming(&self) -> &Path {
        &self.incoming
    }

    /// A new, empty file for an upload in flight; it is deleted when dropped.
    pub fn incoming_file(&self) -> std::io::Result<tempfile::NamedTempFile> {
        tempfile::Builder::new()
            .prefix("upload-")
            .tempfile_in(&self.incoming)
    }

    fn key_of(sha256: &str) -> Key {
        Key::from(format!("blobs/{}/{}/{sha256}", &sha256[..2], &sha256[2..4]))
    }

    pub async fn exists(&self, sha256: &str) -> Result<bool, StoreError> {
        match self.store.head(&Self::key_of(sha256)).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(e.into()),
        }
    }

    /// Stores a file's bytes under their hash, unless already there. Read
    /// and sent a part at a time, so memory stays flat for any size.
    pub async fn put_file(&self, sha256: &str, path: &Path) -> Result<(), StoreError> {
        if self.exists(sha256).await? {
            return Ok(());
        }
        let upload = self.store.put_multipart(&Self::key_of(sha256)).await?;
        let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_BYTES);
        let mut file = tokio::fs::File::open(path).await?;
        let mut buf = vec![0u8; 256 * 1024];
        loop {
            let n = match file.read(&mut buf).await {
                Ok(n) => n,
                Err(e) => {
                    writer.abort().await?;
                    return Err(e.into());
                }
            };
            if n == 0 {
                break;
            }
            writer.wait_for_capacity(2).await?;
            writer.write(&buf[..n]);
        }
        writer.finish().await?;
        Ok(())
    }

    /// Stores small bytes (a thumbnail) under their hash.
    pub async fn put_bytes(&self, sha256: &str, bytes: Vec<u8>) -> Result<(), StoreError> {
        if self.exists(sha256).await? {
            return Ok(());
        }
        self.store
            .put(&Self::key_of(sha256), PutPayload::from(bytes))
            .await?;
        Ok(())
    }

    /// The bytes, as a stream.
    pub async fn get(
        &self,
        sha256: &str,
    ) -> Result<BoxStream<'static, Result<Bytes, StoreError>>, StoreError> {
        let got = self.store.get(&Self::key_of(sha256)).await?;
        Ok(got
            .into_stream()
            .map(|r| r.map_err(StoreError::from))
            .boxed())
    }

    pub async fn delete(&self, sha256: &str) -> Result<(), StoreError> {
        match self.store.delete(&Self::key_of(sha256)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// How many objects the store holds (for tests and the admin page).
    pub async fn count(&self) -> Result<usize, StoreError> {
        let mut listing = self.store.list(Some(&Key::from("blobs")));
        let mut n = 0;
        while let Some(item) = listing.next().await {
            item?;
            n += 1;
        }
        Ok(n)
    }

    fn mac(&self, id: Uuid, variant: Variant, expires: i64) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("hmac takes any key length");
        mac.update(id.as_bytes());
        mac.update(variant.as_str().as_bytes());
        mac.update(&expires.to_be_bytes());
        mac
    }

    /// `/files/<id>/<variant>?exp=<unix seconds>&sig=<signature>`.
    pub fn signed_url(&self, id: Uuid, variant: Variant, now: i64) -> String {
        let expires = now + LINK_SECS;
        let sig = URL_SAFE_NO_PAD.encode(self.mac(id, variant, expires).finalize().into_bytes());
        format!("/files/{id}/{}?exp={expires}&sig={sig}", variant.as_str())
    }

    /// Whether a link's signature holds (it may still have expired).
    pub fn signature_holds(&self, id: Uuid, variant: Variant, expires: i64, sig: &str) -> bool {
        let Ok(sig) = URL_SAFE_NO_PAD.decode(sig) else {
            return false;
        };
        self.mac(id, variant, expires).verify_slice(&sig).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_signed_per_file_variant_and_expiry() {
        let dir = tempfile::tempdir().unwrap();
        let files = Files::open(
            &Backend::Disk(dir.path().join("b")),
            &dir.path().join("i"),
            b"a secret of some length here!!!!",
        )
        .unwrap();
        let id = Uuid::now_v7();
        let url = files.signed_url(id, Variant::Thumb, 1_000);
        let query = url.split_once('?').unwrap().1;
        let sig = query.split("sig=").nth(1).unwrap();
        let exp = 1_000 + LINK_SECS;
        assert!(files.signature_holds(id, Variant::Thumb, exp, sig));
        assert!(!files.signature_holds(id, Variant::Original, exp, sig));
        assert!(!files.signature_holds(id, Variant::Thumb, exp + 1, sig));
        assert!(!files.signature_holds(Uuid::now_v7(), Variant::Thumb, exp, sig));
        assert!(!files.signature_holds(id, Variant::Thumb, exp, "bm9wZQ"));
    }
}
