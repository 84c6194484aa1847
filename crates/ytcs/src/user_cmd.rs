//! `ytcs user …`: accounts from the command line — the first administrator,
//! and a way back in when every administrator has lost their password.

use std::io::Read;

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use ytcs_core::access::{format_scope, parse_scope, Role};
use ytcs_store::accounts::NewAccount;
use ytcs_store::Store;
use ytcs_web::auth::{check_new_password, hash_password, random_password, PasswordProblem};

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create an account. Without --password-stdin a random password is
    /// printed once, and must be changed at first sign-in.
    Add {
        /// Login name (letters, digits, '.', '_', '-').
        name: String,
        /// Make an administrator (same as --role admin).
        #[arg(long)]
        admin: bool,
        /// viewer, data_entry, reviewer, manager or admin.
        #[arg(long, default_value = "viewer")]
        role: String,
        /// Unit codes of the user's scope, separated by spaces or commas.
        #[arg(long, default_value = "")]
        scope: String,
        /// Name shown in the header (defaults to the login name).
        #[arg(long)]
        display_name: Option<String>,
        /// Read the password from standard input (first line).
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts.
    List,
    /// Set a new password (from standard input with --password-stdin, or a
    /// printed random one that must be changed at sign-in).
    Password {
        /// Login name.
        name: String,
        /// Read the password from standard input (first line).
        #[arg(long)]
        password_stdin: bool,
    },
}

fn read_password(name: &str) -> Result<String> {
    let mut s = String::new();
    std::io::stdin()
        .take(4096)
        .read_to_string(&mut s)
        .context("reading the password from standard input")?;
    let p = s.lines().next().unwrap_or("").to_string();
    if let Err(problem) = check_new_password(name, &p, &p) {
        bail!(
            "the password is not acceptable: {}",
            match problem {
                PasswordProblem::TooShort => "use at least 10 characters",
                PasswordProblem::SameAsUsername => "it must not be the login name",
                PasswordProblem::Mismatch => "the two copies differ",
                PasswordProblem::Common =>
                    "it is one of the passwords people try first, or as easy to guess",
                PasswordProblem::TooLong => "use at most 256 characters",
            }
        );
    }
    Ok(p)
}

pub async fn user(store: &dyn Store, command: UserCommand) -> Result<std::process::ExitCode> {
    match command {
        UserCommand::Add {
            name,
            admin,
            role,
            scope,
            display_name,
            password_stdin,
        } => {
            let role = if admin {
                Role::Admin
            } else {
                role.parse::<Role>().map_err(anyhow::Error::msg)?
            };
            let scope = parse_scope(&scope).context("reading --scope")?;
            if !scope.is_empty() {
                let h = store.hierarchy().await?;
                let unknown: Vec<&str> = scope
                    .iter()
                    .filter(|c| h.units_with_code(c).is_empty())
                    .map(|c| c.as_str())
                    .collect();
                if !unknown.is_empty() {
                    bail!(
                        "--scope names no unit: {} (use the codes of communes, wards or provinces, see `ytcs org show`)",
                        unknown.join(", ")
                    );
                }
            }
            let username = ytcs_store::accounts::normalise_username(&name)?;
            let (password, must_change) = if password_stdin {
                (read_password(&username)?, false)
            } else {
                (random_password(), true)
            };
            let hash = hash_password(&password).map_err(anyhow::Error::msg)?;
            let acc = store
                .create_account(&NewAccount {
                    username: username.clone(),
                    display_name: display_name.unwrap_or_else(|| username.clone()),
                    password_hash: hash,
                    role,
                    scope,
                    must_change_password: must_change,
                })
                .await?;
            crate::audit_cli(
                store,
                ytcs_core::audit::AuditAction::Create,
                ytcs_core::audit::ObjectKind::User,
                &acc.username,
                format!("user add: role {}", acc.role.code()),
            )
            .await;
            out!(
                "Created {} ({}, scope: {})",
                acc.username,
                acc.role.code(),
                if acc.scope.is_empty() {
                    "—".to_string()
                } else {
                    format_scope(&acc.scope)
                }
            );
            if !password_stdin {
                out!("Temporary password (change it at first sign-in): {password}");
            }
        }
        UserCommand::List => {
            for a in store.accounts().await? {
                out!(
                    "{}\t{}\t{}\t{}\t{}",
                    a.username,
                    a.role.code(),
                    format_scope(&a.scope),
                    if a.active { "active" } else { "inactive" },
                    a.display_name
                );
            }
        }
        UserCommand::Password {
            name,
            password_stdin,
        } => {
            let Some((acc, _)) = store.account_for_login(&name).await? else {
                bail!("no account named '{name}': see `ytcs user list`");
            };
            let (password, must_change) = if password_stdin {
                (read_password(&acc.username)?, false)
            } else {
                (random_password(), true)
            };
            let hash = hash_password(&password).map_err(anyhow::Error::msg)?;
            store.set_password(acc.id, &hash, must_change).await?;
            crate::audit_cli(
                store,
                ytcs_core::audit::AuditAction::ResetPassword,
                ytcs_core::audit::ObjectKind::User,
                &acc.username,
                "user password".into(),
            )
            .await;
            out!(
                "Password of {} replaced; their sessions were closed.",
                acc.username
            );
            if !password_stdin {
                out!("Temporary password (change it at first sign-in): {password}");
            }
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}
