//! Login, refresh, logout and token checks.

use super::{password, token};
use crate::clock::now_ms;
use crate::store::{RefreshUse, Store, StoreError};
use gridline_core::wire::auth::TokenResponse;
use gridline_core::{OrgUnitId, Role, UserId};
use std::net::IpAddr;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct AuthSettings {
    pub access_ttl_s: i64,
    pub refresh_ttl_s: i64,
    /// Failed logins allowed per account within the window.
    pub max_failures_per_account: u32,
    /// Failed logins allowed per client address within the window.
    pub max_failures_per_address: u32,
    pub failure_window_s: i64,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            access_ttl_s: 900,
            refresh_ttl_s: 30 * 86_400,
            max_failures_per_account: 5,
            max_failures_per_address: 20,
            failure_window_s: 900,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("wrong username or password")]
    BadCredentials,
    #[error("too many failed logins; try again in {retry_after_s} s")]
    RateLimited { retry_after_s: u64 },
    #[error("missing bearer token")]
    MissingToken,
    #[error("the access token is invalid or expired")]
    InvalidToken,
    #[error("the session has ended; log in again")]
    SessionEnded,
    #[error("the refresh token is invalid, expired or already used")]
    InvalidRefreshToken,
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("auth failed: {0}")]
    Internal(String),
}

/// The authenticated caller of a request.
#[derive(Debug, Clone)]
pub struct Identity {
    pub user_id: UserId,
    pub username: String,
    pub display_name: String,
    pub session_id: String,
    pub roles: Vec<(Role, OrgUnitId)>,
    /// The registered device the request came from, when it named one (the
    /// `X-Gridline-Device` header, or the device of a sync call); logged
    /// with what the caller reads and does.
    pub device: Option<gridline_core::DeviceId>,
}

impl Identity {
    /// The same caller, acting from `device` (already checked to be theirs).
    #[must_use]
    pub fn on_device(&self, device: gridline_core::DeviceId) -> Self {
        Self {
            device: Some(device),
            ..self.clone()
        }
    }
}

pub struct AuthService {
    store: Arc<dyn Store>,
    keys: token::TokenKeys,
    settings: AuthSettings,
}

impl AuthService {
    #[must_use]
    pub fn new(store: Arc<dyn Store>, secret: &[u8], settings: AuthSettings) -> Self {
        Self {
            store,
            keys: token::TokenKeys::new(secret),
            settings,
        }
    }

    /// Checks the password and opens a session.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        address: Option<IpAddr>,
    ) -> Result<TokenResponse, AuthError> {
        let now = now_ms();
        let account_key = format!("account:{}", username.to_lowercase());
        let address_key = address.map(|a| format!("address:{a}"));
        let since = now - self.settings.failure_window_s * 1000;
        self.throttle(
            &account_key,
            since,
            self.settings.max_failures_per_account,
            now,
        )
        .await?;
        if let Some(key) = &address_key {
            self.throttle(key, since, self.settings.max_failures_per_address, now)
                .await?;
        }

        let user = self.store.user_by_username(username).await?;
        let stored_hash = user
            .as_ref()
            .map_or_else(|| password::DECOY.clone(), |u| u.password_hash.clone());
        let attempt = password.to_owned();
        let matches = tokio::task::spawn_blocking(move || password::verify(&stored_hash, &attempt))
            .await
            .map_err(|e| AuthError::Internal(e.to_string()))?;
        let user = match user {
            Some(u) if matches && !u.disabled => u,
            _ => {
                let mut keys = vec![account_key];
                keys.extend(address_key);
                self.store.record_login_failure(&keys, now).await?;
                return Err(AuthError::BadCredentials);
            }
        };
        self.store.clear_login_failures(&account_key).await?;
        let session = uuid::Uuid::now_v7().to_string();
        self.store.create_session(&session, user.id, now).await?;
        self.issue(&user.id.to_string(), &session, now).await
    }

    async fn throttle(&self, key: &str, since: i64, limit: u32, now: i64) -> Result<(), AuthError> {
        let (count, oldest) = self.store.login_failures_since(key, since).await?;
        if count >= limit {
            let free_at = oldest.unwrap_or(now) + self.settings.failure_window_s * 1000;
            let retry_after_s = u64::try_from((free_at - now).max(1000) / 1000).unwrap_or(1);
            return Err(AuthError::RateLimited { retry_after_s });
        }
        Ok(())
    }

    async fn issue(&self, user: &str, session: &str, now: i64) -> Result<TokenResponse, AuthError> {
        let access = self
            .keys
            .issue(user, session, now / 1000, self.settings.access_ttl_s)
            .map_err(|e| AuthError::Internal(e.to_string()))?;
        let refresh = token::new_refresh_token();
        self.store
            .insert_refresh_token(
                &token::refresh_hash(&refresh),
                session,
                now,
                now + self.settings.refresh_ttl_s * 1000,
            )
            .await?;
        Ok(TokenResponse {
            access_token: access,
            refresh_token: refresh,
            expires_in: u64::try_from(self.settings.access_ttl_s).unwrap_or(0),
            token_type: "Bearer".into(),
        })
    }

    /// Trades a refresh token for a new pair. A token works once; a second use
    /// ends the session, since only a thief or a replay would send it again.
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenResponse, AuthError> {
        let now = now_ms();
        match self
            .store
            .use_refresh_token(&token::refresh_hash(refresh_token), now)
            .await?
        {
            RefreshUse::Valid {
                session_id,
                user_id,
            } => {
                let user = self
                    .store
                    .user_by_id(user_id)
                    .await?
                    .filter(|u| !u.disabled);
                if user.is_none() {
                    self.store.revoke_session(&session_id, now).await?;
                    return Err(AuthError::InvalidRefreshToken);
                }
                self.issue(&user_id.to_string(), &session_id, now).await
            }
            RefreshUse::Replayed | RefreshUse::Invalid => Err(AuthError::InvalidRefreshToken),
        }
    }

    /// Ends the caller's session, and the session of `refresh_token` if given.
    pub async fn logout(
        &self,
        caller: &Identity,
        refresh_token: Option<&str>,
    ) -> Result<(), AuthError> {
        let now = now_ms();
        self.store.revoke_session(&caller.session_id, now).await?;
        if let Some(t) = refresh_token
            && let Some(session) = self
                .store
                .refresh_token_session(&token::refresh_hash(t))
                .await?
        {
            self.store.revoke_session(&session, now).await?;
        }
        Ok(())
    }

    /// Checks an access token and loads the caller.
    pub async fn authenticate(&self, bearer: &str) -> Result<Identity, AuthError> {
        let claims = self
            .keys
            .verify(bearer)
            .map_err(|_| AuthError::InvalidToken)?;
        if !self.store.session_active(&claims.sid).await? {
            return Err(AuthError::SessionEnded);
        }
        let user_id: UserId = claims.sub.parse().map_err(|_| AuthError::InvalidToken)?;
        let user = self
            .store
            .user_by_id(user_id)
            .await?
            .filter(|u| !u.disabled)
            .ok_or(AuthError::SessionEnded)?;
        let roles = self.store.roles_of(user_id).await?;
        Ok(Identity {
            user_id,
            username: user.username,
            display_name: user.display_name,
            session_id: claims.sid,
            roles,
            device: None,
        })
    }
}
