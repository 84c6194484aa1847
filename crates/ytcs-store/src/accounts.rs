//! Storage of accounts and sessions. Password hashing and the policy live
//! elsewhere (`ytcs_web::auth`, `ytcs_core::access`); this module keeps rows.
//!
//! Passwords are stored only as argon2id PHC strings, session tokens only
//! as their SHA-256: the database never holds a secret that opens a session.
//! [`AccountStore`] is migration 0006. Changing or resetting a password,
//! or deactivating an account, deletes its sessions in the same
//! transaction.

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use ytcs_core::access::{format_scope, parse_scope, Role};
use ytcs_core::org::OrgCode;

use crate::StoreError;

/// An account, without its password hash.
#[derive(Debug, Clone, PartialEq)]
pub struct Account {
    /// Row id.
    pub id: i64,
    /// Login name (lower case, unique).
    pub username: String,
    /// Name shown in the header.
    pub display_name: String,
    /// The role.
    pub role: Role,
    /// Codes of the units whose subtrees the user works in.
    pub scope: Vec<OrgCode>,
    /// Whether the account may sign in.
    pub active: bool,
    /// Whether the user must choose a new password at next sign-in.
    pub must_change_password: bool,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// An account to create.
#[derive(Clone, PartialEq)]
pub struct NewAccount {
    /// Login name.
    pub username: String,
    /// Name shown in the header.
    pub display_name: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// The role.
    pub role: Role,
    /// Scope unit codes.
    pub scope: Vec<OrgCode>,
    /// Whether the user must choose a new password at first sign-in.
    pub must_change_password: bool,
}

impl std::fmt::Debug for NewAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewAccount")
            .field("username", &self.username)
            .field("role", &self.role)
            .field("scope", &self.scope)
            .field("password_hash", &"***")
            .finish()
    }
}

/// A session to open.
#[derive(Clone, PartialEq)]
pub struct NewSession {
    /// SHA-256 (hex) of the token the client holds.
    pub token_hash: String,
    /// The account.
    pub account_id: i64,
    /// The session's anti-forgery token, embedded in its forms.
    pub csrf_token: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// The client's address, for the record.
    pub address: Option<String>,
}

impl std::fmt::Debug for NewSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewSession")
            .field("account_id", &self.account_id)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// A live session with its account.
#[derive(Clone, PartialEq)]
pub struct SessionInfo {
    /// The account.
    pub account: Account,
    /// The session's anti-forgery token.
    pub csrf_token: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
}

impl std::fmt::Debug for SessionInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionInfo")
            .field("account", &self.account.username)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// Accounts and sessions.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Creates an account; refuses a username already taken.
    async fn create_account(&self, a: &NewAccount) -> Result<Account, StoreError>;
    /// The account with this username (any case), with its password hash.
    async fn account_for_login(
        &self,
        username: &str,
    ) -> Result<Option<(Account, String)>, StoreError>;
    /// Every account, by username.
    async fn accounts(&self) -> Result<Vec<Account>, StoreError>;
    /// How many accounts exist.
    async fn count_accounts(&self) -> Result<i64, StoreError>;
    /// Replaces an account's password and closes all its sessions, in one
    /// transaction.
    async fn set_password(
        &self,
        account_id: i64,
        password_hash: &str,
        must_change: bool,
    ) -> Result<(), StoreError>;
    /// Changes role, scope and whether the account is active; closing the
    /// account's sessions when it is deactivated.
    async fn update_account(
        &self,
        account_id: i64,
        role: Role,
        scope: &[OrgCode],
        active: bool,
    ) -> Result<(), StoreError>;
    /// Opens a session.
    async fn open_session(&self, s: &NewSession) -> Result<(), StoreError>;
    /// The live (unexpired, active account) session with this token hash.
    async fn session(&self, token_hash: &str) -> Result<Option<SessionInfo>, StoreError>;
    /// Closes a session.
    async fn close_session(&self, token_hash: &str) -> Result<(), StoreError>;
    /// Deletes expired sessions; returns how many.
    async fn purge_sessions(&self) -> Result<u64, StoreError>;
}

/// Lower-cased, trimmed login name; refused when empty, too long or made of
/// anything but letters, digits, `.`, `_` and `-`.
pub fn normalise_username(s: &str) -> Result<String, StoreError> {
    let u = s.trim().to_lowercase();
    let ok = !u.is_empty()
        && u.len() <= 64
        && u.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if ok {
        Ok(u)
    } else {
        Err(StoreError::Invalid(format!(
            "'{s}' is not a valid username: use 1–64 letters, digits, '.', '_' or '-'"
        )))
    }
}

pub(crate) type AccountRow = (
    i64,
    String,
    String,
    String,
    String,
    bool,
    bool,
    DateTime<Utc>,
);

pub(crate) const ACCOUNT_COLUMNS: &str =
    "a.id, a.username, a.display_name, a.role, a.scope, a.active, a.must_change_password, a.created_at";

pub(crate) fn account_from_row(r: AccountRow) -> Result<Account, StoreError> {
    Ok(Account {
        id: r.0,
        username: r.1,
        display_name: r.2,
        role: r.3.parse::<Role>().map_err(StoreError::Invalid)?,
        scope: parse_scope(&r.4).map_err(|e| StoreError::Invalid(e.to_string()))?,
        active: r.5,
        must_change_password: r.6,
        created_at: r.7,
    })
}

pub(crate) fn scope_text(scope: &[OrgCode]) -> String {
    format_scope(scope)
}

macro_rules! impl_account_store {
    ($ty:ty) => {
        #[async_trait::async_trait]
        impl AccountStore for $ty {
            async fn create_account(&self, a: &NewAccount) -> Result<Account, StoreError> {
                let username = normalise_username(&a.username)?;
                // Microseconds: what PostgreSQL keeps, so the returned
                // account equals the stored one on both engines.
                let now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 6);
                // One statement: the unique index decides a race between two
                // creations of the same name.
                let inserted: Result<i64, sqlx::Error> = sqlx::query_scalar(
                    "INSERT INTO account (username, display_name, password_hash, role, scope, active, \
                     must_change_password, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
                )
                .bind(&username)
                .bind(a.display_name.trim())
                .bind(&a.password_hash)
                .bind(a.role.code())
                .bind(scope_text(&a.scope))
                .bind(true)
                .bind(a.must_change_password)
                .bind(now)
                .fetch_one(&self.pool)
                .await;
                let id = match inserted {
                    Ok(id) => id,
                    Err(e) if e.as_database_error().is_some_and(|d| d.is_unique_violation()) => {
                        return Err(StoreError::Invalid(format!("the username '{username}' is already taken")));
                    }
                    Err(e) => return Err(e.into()),
                };
                Ok(Account {
                    id,
                    username,
                    display_name: a.display_name.trim().to_string(),
                    role: a.role,
                    scope: a.scope.clone(),
                    active: true,
                    must_change_password: a.must_change_password,
                    created_at: now,
                })
            }

            async fn account_for_login(&self, username: &str) -> Result<Option<(Account, String)>, StoreError> {
                let u = username.trim().to_lowercase();
                let row: Option<(i64, String, String, String, String, bool, bool, DateTime<Utc>, String)> =
                    sqlx::query_as(&format!("SELECT {ACCOUNT_COLUMNS}, a.password_hash FROM account a WHERE a.username = $1"))
                        .bind(&u)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(|r| {
                    let hash = r.8.clone();
                    account_from_row((r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7)).map(|a| (a, hash))
                })
                .transpose()
            }

            async fn accounts(&self) -> Result<Vec<Account>, StoreError> {
                let rows: Vec<AccountRow> = sqlx::query_as(&format!("SELECT {ACCOUNT_COLUMNS} FROM account a ORDER BY a.username"))
                    .fetch_all(&self.pool)
                    .await?;
                rows.into_iter().map(account_from_row).collect()
            }

            async fn count_accounts(&self) -> Result<i64, StoreError> {
                Ok(sqlx::query_scalar("SELECT COUNT(*) FROM account").fetch_one(&self.pool).await?)
            }

            async fn set_password(&self, account_id: i64, password_hash: &str, must_change: bool) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                let n = sqlx::query("UPDATE account SET password_hash = $1, must_change_password = $2, updated_at = $3 WHERE id = $4")
                    .bind(password_hash)
                    .bind(must_change)
                    .bind(Utc::now())
                    .bind(account_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 0 {
                    return Err(StoreError::Invalid(format!("no account with id {account_id}")));
                }
                sqlx::query("DELETE FROM session WHERE account_id = $1").bind(account_id).execute(&mut *tx).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn update_account(&self, account_id: i64, role: Role, scope: &[OrgCode], active: bool) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await?;
                let n = sqlx::query("UPDATE account SET role = $1, scope = $2, active = $3, updated_at = $4 WHERE id = $5")
                    .bind(role.code())
                    .bind(scope_text(scope))
                    .bind(active)
                    .bind(Utc::now())
                    .bind(account_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 0 {
                    return Err(StoreError::Invalid(format!("no account with id {account_id}")));
                }
                if !active {
                    sqlx::query("DELETE FROM session WHERE account_id = $1").bind(account_id).execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn open_session(&self, s: &NewSession) -> Result<(), StoreError> {
                sqlx::query(
                    "INSERT INTO session (token_hash, account_id, csrf_token, created_at, expires_at, address) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&s.token_hash)
                .bind(s.account_id)
                .bind(&s.csrf_token)
                .bind(Utc::now())
                .bind(s.expires_at)
                .bind(&s.address)
                .execute(&self.pool)
                .await?;
                Ok(())
            }

            async fn session(&self, token_hash: &str) -> Result<Option<SessionInfo>, StoreError> {
                let row: Option<(i64, String, String, String, String, bool, bool, DateTime<Utc>, String, DateTime<Utc>)> =
                    sqlx::query_as(&format!(
                        "SELECT {ACCOUNT_COLUMNS}, s.csrf_token, s.expires_at FROM session s \
                         JOIN account a ON a.id = s.account_id WHERE s.token_hash = $1"
                    ))
                    .bind(token_hash)
                    .fetch_optional(&self.pool)
                    .await?;
                let Some(r) = row else { return Ok(None) };
                let (csrf_token, expires_at) = (r.8.clone(), r.9);
                let account = account_from_row((r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7))?;
                if !account.active || expires_at <= Utc::now() {
                    return Ok(None);
                }
                Ok(Some(SessionInfo { account, csrf_token, expires_at }))
            }

            async fn close_session(&self, token_hash: &str) -> Result<(), StoreError> {
                sqlx::query("DELETE FROM session WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
                Ok(())
            }

            async fn purge_sessions(&self) -> Result<u64, StoreError> {
                Ok(sqlx::query("DELETE FROM session WHERE expires_at <= $1")
                    .bind(Utc::now())
                    .execute(&self.pool)
                    .await?
                    .rows_affected())
            }
        }
    };
}

impl_account_store!(crate::SqliteStore);
impl_account_store!(crate::PgStore);
