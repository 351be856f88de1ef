//! Who is calling. Passwords are argon2id; an access token is a short-lived
//! HS256 JWT naming the user and the login session; a refresh token is opaque,
//! stored only as its SHA-256, single-use, and rotated on every refresh.
//! Logging out ends the session, which stops its access and refresh tokens at
//! once. Failed logins are counted in the store per account and per address,
//! so throttling holds across replicas.

pub mod extract;
pub mod password;
pub mod service;
pub mod token;

pub use extract::Caller;
pub use service::{AuthError, AuthService, AuthSettings};
