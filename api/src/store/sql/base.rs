//! [`Store`]: territory, users, sessions, login throttling and settings.

use super::{Backend, SqlStore, now_ms, parse_id, unique_violation};
use crate::store::{
    GridShape, ImportCounts, NewDepartment, NewUser, OrgUnit, RefreshUse, RoleHolder, Store,
    StoreError, StoreResult, TerritoryBatch, UserRecord,
};
use async_trait::async_trait;
use gridline_core::{OrgUnitId, OrgUnitKind, Role, UserId};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

fn parse_kind(s: &str) -> StoreResult<OrgUnitKind> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("bad org unit kind {s:?}")))
}

fn parse_role(s: &str) -> StoreResult<Role> {
    s.parse()
        .map_err(|_| StoreError::Corrupt(format!("bad role {s:?}")))
}

fn user_from_row(row: &AnyRow) -> StoreResult<UserRecord> {
    Ok(UserRecord {
        id: parse_id(row.try_get::<&str, _>("id")?)?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        password_hash: row.try_get("password_hash")?,
        disabled: row.try_get::<i64, _>("disabled")? != 0,
    })
}

async fn bump_territory_version(tx: &mut AnyConnection) -> StoreResult<()> {
    sqlx::query("UPDATE meta SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT) WHERE key = 'territory_version'")
        .execute(&mut *tx)
        .await?;
    Ok(())
}

#[async_trait]
impl Store for SqlStore {
    async fn migrate(&self) -> StoreResult<()> {
        match self.backend {
            Backend::Sqlite => {
                sqlx::migrate!("../migrations/sqlite")
                    .run(&self.pool)
                    .await?
            }
            Backend::Postgres => {
                sqlx::migrate!("../migrations/postgres")
                    .run(&self.pool)
                    .await?
            }
        }
        Ok(())
    }

    async fn import_territory(&self, batch: &TerritoryBatch) -> StoreResult<ImportCounts> {
        let mut tx = self.begin_exclusive().await?;
        let now = now_ms();
        let mut ids: HashMap<String, (String, OrgUnitKind)> = HashMap::new();
        let mut counts = ImportCounts {
            units_created: 0,
            grids_created: 0,
        };

        async fn lookup(
            tx: &mut AnyConnection,
            code: &str,
        ) -> StoreResult<Option<(String, OrgUnitKind)>> {
            let row = sqlx::query("SELECT id, kind FROM org_units WHERE code = $1")
                .bind(code)
                .fetch_optional(&mut *tx)
                .await?;
            row.map(|r| {
                Ok((
                    r.try_get::<String, _>("id")?,
                    parse_kind(r.try_get::<&str, _>("kind")?)?,
                ))
            })
            .transpose()
        }

        async fn parent_id(
            tx: &mut AnyConnection,
            created: &HashMap<String, (String, OrgUnitKind)>,
            code: Option<&String>,
        ) -> StoreResult<Option<String>> {
            let Some(code) = code else { return Ok(None) };
            if let Some((id, _)) = created.get(code) {
                return Ok(Some(id.clone()));
            }
            let (id, _) = lookup(tx, code)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("parent unit {code:?}")))?;
            Ok(Some(id))
        }

        for unit in &batch.units {
            if let Some((id, kind)) = lookup(&mut tx, &unit.code).await? {
                if kind != unit.kind {
                    return Err(StoreError::KindMismatch {
                        code: unit.code.clone(),
                        existing: kind,
                        wanted: unit.kind,
                    });
                }
                ids.insert(unit.code.clone(), (id, kind));
                continue;
            }
            let parent = parent_id(&mut tx, &ids, unit.parent_code.as_ref()).await?;
            let id = OrgUnitId::new().to_string();
            sqlx::query("INSERT INTO org_units (id, kind, code, name, parent_id, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(&id)
                .bind(unit.kind.as_str())
                .bind(&unit.code)
                .bind(&unit.name)
                .bind(parent)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            ids.insert(unit.code.clone(), (id, unit.kind));
            counts.units_created += 1;
        }

        for grid in &batch.grids {
            let parent = parent_id(&mut tx, &ids, grid.parent_code.as_ref()).await?;
            let id = OrgUnitId::new().to_string();
            let inserted = sqlx::query("INSERT INTO org_units (id, kind, code, name, parent_id, created_at) VALUES ($1, 'grid', $2, $3, $4, $5)")
                .bind(&id)
                .bind(&grid.code)
                .bind(&grid.name)
                .bind(parent)
                .bind(now)
                .execute(&mut *tx)
                .await;
            match inserted {
                Err(e) if unique_violation(&e) => {
                    return Err(StoreError::Conflict {
                        what: "org unit code",
                        value: grid.code.clone(),
                    });
                }
                other => other?,
            };
            sqlx::query(
                "INSERT INTO grid_shapes (org_unit_id, geometry, min_lon, min_lat, max_lon, max_lat, vertex_count, area_m2) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&id)
            .bind(&grid.wkb)
            .bind(grid.bbox[0])
            .bind(grid.bbox[1])
            .bind(grid.bbox[2])
            .bind(grid.bbox[3])
            .bind(i64::try_from(grid.vertex_count).unwrap_or(i64::MAX))
            .bind(grid.area_m2)
            .execute(&mut *tx)
            .await?;
            counts.grids_created += 1;
        }
        bump_territory_version(&mut tx).await?;
        tx.commit().await?;
        Ok(counts)
    }

    async fn org_units(&self) -> StoreResult<Vec<OrgUnit>> {
        let rows = sqlx::query(
            "SELECT id, kind, code, name, parent_id, department_kind FROM org_units ORDER BY code",
        )
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OrgUnit {
                    id: parse_id(r.try_get::<&str, _>("id")?)?,
                    kind: parse_kind(r.try_get::<&str, _>("kind")?)?,
                    code: r.try_get("code")?,
                    name: r.try_get("name")?,
                    parent_id: r
                        .try_get::<Option<&str>, _>("parent_id")?
                        .map(parse_id)
                        .transpose()?,
                    department: r
                        .try_get::<Option<&str>, _>("department_kind")?
                        .map(|k| {
                            k.parse()
                                .map_err(|_| StoreError::Corrupt(format!("department kind {k:?}")))
                        })
                        .transpose()?,
                })
            })
            .collect()
    }

    async fn add_department(&self, d: &NewDepartment) -> StoreResult<()> {
        let mut tx = self.begin_exclusive().await?;
        let done = sqlx::query(
            "INSERT INTO org_units (id, kind, code, name, parent_id, created_at, department_kind) VALUES ($1, 'department', $2, $3, $4, $5, $6)",
        )
        .bind(d.id.to_string())
        .bind(&d.code)
        .bind(&d.name)
        .bind(d.parent_id.to_string())
        .bind(now_ms())
        .bind(d.kind.as_str())
        .execute(&mut *tx)
        .await;
        match done {
            Err(e) if unique_violation(&e) => {
                return Err(StoreError::Conflict {
                    what: "org unit code",
                    value: d.code.clone(),
                });
            }
            other => {
                other?;
            }
        }
        bump_territory_version(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn grid_shapes(&self) -> StoreResult<Vec<GridShape>> {
        let rows = sqlx::query("SELECT org_unit_id, geometry FROM grid_shapes")
            .fetch_all(&mut *self.conn().await?)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(GridShape {
                    org_unit_id: parse_id(r.try_get::<&str, _>("org_unit_id")?)?,
                    wkb: r.try_get("geometry")?,
                })
            })
            .collect()
    }

    async fn territory_version(&self) -> StoreResult<i64> {
        let v: String =
            sqlx::query_scalar("SELECT value FROM meta WHERE key = 'territory_version'")
                .fetch_one(&mut *self.conn().await?)
                .await?;
        v.parse()
            .map_err(|_| StoreError::Corrupt("territory_version".into()))
    }

    async fn create_user(&self, user: &NewUser) -> StoreResult<()> {
        let mut tx = self.begin_exclusive().await?;
        let inserted = sqlx::query("INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(user.id.to_string())
            .bind(&user.username)
            .bind(&user.display_name)
            .bind(&user.password_hash)
            .bind(now_ms())
            .execute(&mut *tx)
            .await;
        match inserted {
            Err(e) if unique_violation(&e) => {
                return Err(StoreError::Conflict {
                    what: "username",
                    value: user.username.clone(),
                });
            }
            other => other?,
        };
        for (role, unit) in &user.roles {
            sqlx::query("INSERT INTO user_roles (user_id, role, org_unit_id) VALUES ($1, $2, $3)")
                .bind(user.id.to_string())
                .bind(role.as_str())
                .bind(unit.to_string())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn set_password_hash(&self, username: &str, hash: &str) -> StoreResult<()> {
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE username = $2")
            .bind(hash)
            .bind(username)
            .execute(&mut *self.conn().await?)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound(format!("user {username:?}")));
        }
        Ok(())
    }

    async fn user_by_username(&self, username: &str) -> StoreResult<Option<UserRecord>> {
        sqlx::query("SELECT id, username, display_name, password_hash, disabled FROM users WHERE username = $1")
            .bind(username)
            .fetch_optional(&mut *self.conn().await?)
            .await?
            .as_ref()
            .map(user_from_row)
            .transpose()
    }

    async fn user_by_id(&self, id: UserId) -> StoreResult<Option<UserRecord>> {
        sqlx::query(
            "SELECT id, username, display_name, password_hash, disabled FROM users WHERE id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(&mut *self.conn().await?)
        .await?
        .as_ref()
        .map(user_from_row)
        .transpose()
    }

    async fn roles_of(&self, user: UserId) -> StoreResult<Vec<(Role, OrgUnitId)>> {
        let rows = sqlx::query(
            "SELECT role, org_unit_id FROM user_roles WHERE user_id = $1 ORDER BY role",
        )
        .bind(user.to_string())
        .fetch_all(&mut *self.conn().await?)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    parse_role(r.try_get::<&str, _>("role")?)?,
                    parse_id(r.try_get::<&str, _>("org_unit_id")?)?,
                ))
            })
            .collect()
    }

    async fn role_holders_at(&self, units: &[OrgUnitId]) -> StoreResult<Vec<RoleHolder>> {
        let mut out = Vec::new();
        for unit in units {
            let rows = sqlx::query(
                "SELECT u.id, u.username, u.display_name, r.role, r.on_duty FROM user_roles r JOIN users u ON u.id = r.user_id \
                 WHERE r.org_unit_id = $1 AND u.disabled = 0 ORDER BY r.role, u.username",
            )
            .bind(unit.to_string())
            .fetch_all(&mut *self.conn().await?)
            .await?;
            for r in &rows {
                out.push(RoleHolder {
                    user_id: parse_id(r.try_get::<&str, _>("id")?)?,
                    username: r.try_get("username")?,
                    display_name: r.try_get("display_name")?,
                    role: parse_role(r.try_get::<&str, _>("role")?)?,
                    org_unit_id: *unit,
                    on_duty: r.try_get::<i64, _>("on_duty")? != 0,
                });
            }
        }
        Ok(out)
    }

    async fn set_on_duty(&self, user: UserId, unit: OrgUnitId, on_duty: bool) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE user_roles SET on_duty = $1 WHERE user_id = $2 AND org_unit_id = $3",
        )
        .bind(i64::from(on_duty))
        .bind(user.to_string())
        .bind(unit.to_string())
        .execute(&mut *self.conn().await?)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn user_count(&self) -> StoreResult<u64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&mut *self.conn().await?)
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn create_session(&self, session_id: &str, user: UserId, now_ms: i64) -> StoreResult<()> {
        sqlx::query("INSERT INTO sessions (id, user_id, created_at) VALUES ($1, $2, $3)")
            .bind(session_id)
            .bind(user.to_string())
            .bind(now_ms)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    async fn session_active(&self, session_id: &str) -> StoreResult<bool> {
        let row: Option<Option<i64>> =
            sqlx::query_scalar("SELECT revoked_at FROM sessions WHERE id = $1")
                .bind(session_id)
                .fetch_optional(&mut *self.conn().await?)
                .await?;
        Ok(matches!(row, Some(None)))
    }

    async fn revoke_session(&self, session_id: &str, now_ms: i64) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(now_ms)
            .bind(session_id)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    async fn insert_refresh_token(
        &self,
        hash: &[u8],
        session_id: &str,
        now_ms: i64,
        expires_ms: i64,
    ) -> StoreResult<()> {
        sqlx::query("INSERT INTO refresh_tokens (token_hash, session_id, issued_at, expires_at) VALUES ($1, $2, $3, $4)")
            .bind(hash)
            .bind(session_id)
            .bind(now_ms)
            .bind(expires_ms)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    async fn use_refresh_token(&self, hash: &[u8], now_ms: i64) -> StoreResult<RefreshUse> {
        let mut tx = self.begin_exclusive().await?;
        // Claim the token: only one request can turn used_at from NULL.
        let claimed = sqlx::query(
            "UPDATE refresh_tokens SET used_at = $1 \
             WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $3 \
               AND session_id IN (SELECT id FROM sessions WHERE revoked_at IS NULL) \
             RETURNING session_id, (SELECT user_id FROM sessions WHERE sessions.id = refresh_tokens.session_id) AS user_id",
        )
        .bind(now_ms)
        .bind(hash)
        .bind(now_ms)
        .fetch_optional(&mut *tx)
        .await?;
        let outcome = if let Some(row) = claimed {
            RefreshUse::Valid {
                session_id: row.try_get("session_id")?,
                user_id: parse_id(row.try_get::<&str, _>("user_id")?)?,
            }
        } else {
            let used: Option<(String, Option<i64>)> = sqlx::query_as(
                "SELECT session_id, used_at FROM refresh_tokens WHERE token_hash = $1",
            )
            .bind(hash)
            .fetch_optional(&mut *tx)
            .await?;
            match used {
                Some((session, Some(_))) => {
                    sqlx::query(
                        "UPDATE sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL",
                    )
                    .bind(now_ms)
                    .bind(session)
                    .execute(&mut *tx)
                    .await?;
                    RefreshUse::Replayed
                }
                _ => RefreshUse::Invalid,
            }
        };
        tx.commit().await?;
        Ok(outcome)
    }

    async fn refresh_token_session(&self, hash: &[u8]) -> StoreResult<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT session_id FROM refresh_tokens WHERE token_hash = $1")
                .bind(hash)
                .fetch_optional(&mut *self.conn().await?)
                .await?,
        )
    }

    async fn record_login_failure(&self, keys: &[String], now_ms: i64) -> StoreResult<()> {
        let mut tx = self.begin_exclusive().await?;
        for key in keys {
            sqlx::query("INSERT INTO login_failures (key, at) VALUES ($1, $2)")
                .bind(key)
                .bind(now_ms)
                .execute(&mut *tx)
                .await?;
        }
        // Keep the table small: nothing older than a day matters.
        sqlx::query("DELETE FROM login_failures WHERE at < $1")
            .bind(now_ms - 86_400_000)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn login_failures_since(
        &self,
        key: &str,
        since_ms: i64,
    ) -> StoreResult<(u32, Option<i64>)> {
        let (n, oldest): (i64, Option<i64>) = sqlx::query_as(
            "SELECT COUNT(*), MIN(at) FROM login_failures WHERE key = $1 AND at >= $2",
        )
        .bind(key)
        .bind(since_ms)
        .fetch_one(&mut *self.conn().await?)
        .await?;
        Ok((u32::try_from(n).unwrap_or(u32::MAX), oldest))
    }

    async fn clear_login_failures(&self, key: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM login_failures WHERE key = $1")
            .bind(key)
            .execute(&mut *self.conn().await?)
            .await?;
        Ok(())
    }

    async fn meta(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar("SELECT value FROM meta WHERE key = $1")
            .bind(key)
            .fetch_optional(&mut *self.conn().await?)
            .await?)
    }

    async fn meta_or_insert(&self, key: &str, value: &str) -> StoreResult<String> {
        sqlx::query("INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING")
            .bind(key)
            .bind(value)
            .execute(&mut *self.conn().await?)
            .await?;
        self.meta(key)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("meta {key}")))
    }

    async fn begin_batch(&self) -> StoreResult<Box<dyn crate::store::Batch>> {
        self.open_batch().await
    }
}
