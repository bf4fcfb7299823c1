//! Single sign-on with any OpenID Connect provider: authorization code flow
//! with PKCE; state and nonce travel in a short-lived signed cookie and are
//! checked on the way back.

use app::services::cursor::CursorKey;
use openidconnect::core::{
    CoreAuthenticationFlow, CoreClient, CoreProviderMetadata, CoreUserInfoClaims,
};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, IssuerUrl, Nonce, OAuth2TokenResponse,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse,
};
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;

pub const FLOW_COOKIE: &str = "gadesk_oidc";
const FLOW_SECONDS: i64 = 600;

#[derive(Clone)]
pub struct OidcSettings {
    pub issuer: String,
    /// Email domains allowed to sign in (`GADESK_OIDC_ALLOWED_DOMAINS`);
    /// empty allows every domain the provider vouches for.
    pub allowed_domains: Vec<String>,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// Where the provider sends the browser back:
    /// `<public URL>/api/v1/auth/oauth2/callback`.
    pub redirect_url: String,
}

impl std::fmt::Debug for OidcSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcSettings")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    #[error("the identity provider could not be reached or described itself wrongly: {0}")]
    Discovery(String),
    #[error("the sign-in attempt expired or was tampered with; start again")]
    BadFlow,
    #[error("the identity provider refused the sign-in: {0}")]
    Exchange(String),
    #[error("the identity provider did not vouch for a verified email address")]
    NoVerifiedEmail,
}

/// What the flow cookie remembers between leaving and coming back.
#[derive(Serialize, Deserialize)]
struct Flow {
    state: String,
    nonce: String,
    verifier: String,
    next: String,
    exp: i64,
}

/// The person the provider vouched for.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The provider (`iss`) and its stable id for the person (`sub`): an
    /// account is bound to these after its first sign-in, not to the email.
    pub issuer: String,
    pub subject: String,
    pub email: String,
    pub name: String,
}

pub struct Oidc {
    settings: OidcSettings,
    http: openidconnect::reqwest::Client,
    metadata: RwLock<Option<CoreProviderMetadata>>,
    signer: CursorKey,
}

impl Oidc {
    pub fn allowed_domains(&self) -> &[String] {
        &self.settings.allowed_domains
    }

    pub fn new(settings: OidcSettings, secret: &[u8]) -> Result<Self, OidcError> {
        let http = openidconnect::reqwest::ClientBuilder::new()
            // Following redirects would open the door to SSRF.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| OidcError::Discovery(e.to_string()))?;
        Ok(Self {
            settings,
            http,
            metadata: RwLock::new(None),
            signer: CursorKey::derive_for(secret, "oidc flow"),
        })
    }

    /// Provider metadata, discovered on first use and kept (a provider that
    /// is down at start-up does not stop GA Desk from starting).
    async fn metadata(&self) -> Result<CoreProviderMetadata, OidcError> {
        if let Some(m) = self.metadata.read().await.as_ref() {
            return Ok(m.clone());
        }
        let issuer = IssuerUrl::new(self.settings.issuer.clone())
            .map_err(|e| OidcError::Discovery(e.to_string()))?;
        let m = CoreProviderMetadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| OidcError::Discovery(e.to_string()))?;
        *self.metadata.write().await = Some(m.clone());
        Ok(m)
    }

    fn redirect(&self) -> Result<RedirectUrl, OidcError> {
        RedirectUrl::new(self.settings.redirect_url.clone())
            .map_err(|e| OidcError::Discovery(e.to_string()))
    }

    /// Where to send the browser, and the value of the flow cookie.
    pub async fn start(&self, next: &str) -> Result<(String, String), OidcError> {
        let client = CoreClient::from_provider_metadata(
            self.metadata().await?,
            ClientId::new(self.settings.client_id.clone()),
            self.settings.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(self.redirect()?);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("email".into()))
            .add_scope(Scope::new("profile".into()))
            .set_pkce_challenge(challenge)
            .url();
        let flow = Flow {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            verifier: verifier.secret().clone(),
            next: next.to_string(),
            exp: chrono::Utc::now().timestamp() + FLOW_SECONDS,
        };
        let cookie = self
            .signer
            .encode(&serde_json::to_string(&flow).map_err(|_| OidcError::BadFlow)?);
        Ok((url.to_string(), cookie))
    }

    /// Checks state, exchanges the code (with the PKCE verifier), verifies
    /// the ID token (signature, issuer, audience, expiry, nonce) and returns
    /// the verified identity and where to go next.
    pub async fn finish(
        &self,
        code: &str,
        state: &str,
        cookie: &str,
    ) -> Result<(Identity, String), OidcError> {
        let flow: Flow = self
            .signer
            .decode(cookie)
            .ok()
            .and_then(|json| serde_json::from_str(&json).ok())
            .ok_or(OidcError::BadFlow)?;
        if flow.exp < chrono::Utc::now().timestamp() || flow.state != state {
            return Err(OidcError::BadFlow);
        }
        let client = CoreClient::from_provider_metadata(
            self.metadata().await?,
            ClientId::new(self.settings.client_id.clone()),
            self.settings.client_secret.clone().map(ClientSecret::new),
        )
        .set_redirect_uri(self.redirect()?);
        let token = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|e| OidcError::Exchange(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(flow.verifier))
            .request_async(&self.http)
            .await
            .map_err(|e| OidcError::Exchange(e.to_string()))?;
        let id_token = token
            .id_token()
            .ok_or_else(|| OidcError::Exchange("no ID token".into()))?;
        let claims = id_token
            .claims(&client.id_token_verifier(), &Nonce::new(flow.nonce))
            .map_err(|e| OidcError::Exchange(e.to_string()))?;
        let from_token = (
            claims.email().map(|e| e.as_str().to_string()),
            claims.email_verified(),
            claims
                .name()
                .and_then(|n| n.get(None))
                .map(|n| n.as_str().to_string()),
        );
        // Many providers put profile claims only in the userinfo answer;
        // ask there (for the same subject) when the ID token lacks them.
        let (email, verified, name) = match from_token {
            (Some(e), Some(v), n) => (Some(e), Some(v), n),
            _ => {
                let info: CoreUserInfoClaims = client
                    .user_info(
                        token.access_token().to_owned(),
                        Some(claims.subject().clone()),
                    )
                    .map_err(|e| OidcError::Exchange(e.to_string()))?
                    .request_async(&self.http)
                    .await
                    .map_err(|e| OidcError::Exchange(e.to_string()))?;
                (
                    info.email().map(|e| e.as_str().to_string()),
                    info.email_verified(),
                    info.name()
                        .and_then(|n| n.get(None))
                        .map(|n| n.as_str().to_string()),
                )
            }
        };
        match (email, verified) {
            (Some(email), Some(true)) => Ok((
                Identity {
                    issuer: claims.issuer().as_str().to_string(),
                    subject: claims.subject().as_str().to_string(),
                    email,
                    name: name.unwrap_or_default(),
                },
                flow.next,
            )),
            _ => Err(OidcError::NoVerifiedEmail),
        }
    }
}
