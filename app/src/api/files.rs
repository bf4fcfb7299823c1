//! Server functions for photos and documents. Uploads go to the REST
//! endpoint (multipart with progress); the rest is plain RPC.

use super::ApiError;
use crate::domain::attachment::Owner;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use uuid::Uuid;

/// Removes one file from a ticket or an asset.
#[server(prefix = "/rpc", endpoint = "files/remove", input = Json)]
pub async fn remove_file(owner: Owner, id: Uuid) -> Result<(), ApiError> {
    let state = super::ctx::state()?;
    let actor = super::ctx::session()?.actor;
    Ok(crate::services::attachments::remove(&state.db, &actor, owner, id).await?)
}
