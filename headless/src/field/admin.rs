//! What the field run asks of the server as the admin: the grids of the
//! county, and accounts for the simulated people (created when missing, a
//! fresh password set when they exist).

use anyhow::{Context, bail};
use gridline_core::Role;
use gridline_core::wire::auth::{NewUserRequest, PasswordReset, RoleRequest, TokenResponse};
use serde_json::Value;

pub struct Admin {
    client: reqwest::Client,
    server: String,
    token: String,
}

/// A grid the simulation can send a worker into.
#[derive(Debug, Clone)]
pub struct GridPlace {
    pub code: String,
    pub name: String,
    pub village_code: String,
    pub village_name: String,
    /// A point inside the grid (WGS84), with the grid's rings to test others.
    pub inside: (f64, f64),
    pub rings: Vec<Vec<[f64; 2]>>,
}

impl Admin {
    pub async fn login(server: &str, username: &str, password: &str) -> anyhow::Result<Self> {
        let client = reqwest::Client::new();
        let server = server.trim_end_matches('/').to_owned();
        let r = client
            .post(format!("{server}/v1/auth/login"))
            .json(&serde_json::json!({ "username": username, "password": password }))
            .send()
            .await
            .with_context(|| format!("cannot reach {server}"))?;
        if !r.status().is_success() {
            bail!(
                "logging in as {username} at {server}: {} {}",
                r.status(),
                r.text().await.unwrap_or_default()
            );
        }
        let tokens: TokenResponse = r.json().await.context("reading the login answer")?;
        Ok(Self {
            client,
            server,
            token: tokens.access_token,
        })
    }

    /// The grids the admin sees, each with a point inside it.
    pub async fn grids(&self) -> anyhow::Result<Vec<GridPlace>> {
        let doc: Value = self
            .client
            .get(format!("{}/v1/grids", self.server))
            .bearer_auth(&self.token)
            .send()
            .await?
            .error_for_status()
            .context("listing grids")?
            .json()
            .await?;
        let mut out = Vec::new();
        for f in doc["features"].as_array().into_iter().flatten() {
            let p = &f["properties"];
            let (Some(code), Some(village)) = (p["code"].as_str(), p["village"]["code"].as_str())
            else {
                continue;
            };
            // The first polygon of the grid: its outer ring and holes.
            let rings: Vec<Vec<[f64; 2]>> =
                serde_json::from_value(f["geometry"]["coordinates"][0].clone()).unwrap_or_default();
            let Some(inside) = crate::field::geometry::interior_point(&rings) else {
                continue;
            };
            out.push(GridPlace {
                code: code.to_owned(),
                name: p["name"].as_str().unwrap_or(code).to_owned(),
                village_code: village.to_owned(),
                village_name: p["village"]["name"].as_str().unwrap_or(village).to_owned(),
                inside,
                rings,
            });
        }
        Ok(out)
    }

    /// Creates the account, or gives the existing one `password`.
    pub async fn ensure_user(
        &self,
        username: &str,
        display_name: &str,
        role: Role,
        unit: &str,
        password: &str,
    ) -> anyhow::Result<()> {
        let body = NewUserRequest {
            username: username.into(),
            display_name: Some(display_name.into()),
            password: password.into(),
            roles: vec![RoleRequest {
                role,
                unit: unit.into(),
            }],
        };
        let r = self
            .client
            .post(format!("{}/v1/users", self.server))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await?;
        match r.status().as_u16() {
            201 => Ok(()),
            409 => {
                let r = self
                    .client
                    .put(format!("{}/v1/users/{username}/password", self.server))
                    .bearer_auth(&self.token)
                    .json(&PasswordReset {
                        password: password.into(),
                    })
                    .send()
                    .await?;
                if r.status().is_success() {
                    Ok(())
                } else {
                    bail!(
                        "setting the password of {username}: {} {}",
                        r.status(),
                        r.text().await.unwrap_or_default()
                    )
                }
            }
            _ => bail!(
                "creating {username}: {} {}",
                r.status(),
                r.text().await.unwrap_or_default()
            ),
        }
    }
}
