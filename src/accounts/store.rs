use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, JoinType,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationDef, Set,
};

use std::sync::Arc;

use super::credentials::{Argon2Check, PasswordCheck, hash_password, hash_token, new_token};
use super::throttle;
use crate::{
    departments,
    domain::{AuthenticatedUser, DepartmentName, Login, Password, Role},
    entities::{api_token, department, session, user},
};

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("the login `{0}` is already taken")]
    LoginTaken(String),
    #[error("no user with the login `{0}`")]
    NoSuchUser(String),
    #[error("no department named `{0}`")]
    NoSuchDepartment(String),
    #[error("a department user needs a department (--department)")]
    DepartmentRequired,
    #[error("the email address `{0}` is not valid")]
    InvalidEmail(String),
    #[error("hashing the password failed: {0}")]
    Hash(String),
    #[error(transparent)]
    Db(#[from] DbErr),
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct UserSummary {
    pub id: i32,
    pub login: String,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub department: Option<String>,
    pub active: bool,
}

pub struct NewUser {
    pub login: Login,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    pub department: Option<DepartmentName>,
    pub password: Password,
}

#[derive(Clone)]
pub struct UserStore {
    db: DatabaseConnection,
    passwords: Arc<dyn PasswordCheck>,
}

impl UserStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self::with_password_check(db, Arc::new(Argon2Check))
    }

    pub fn with_password_check(db: DatabaseConnection, passwords: Arc<dyn PasswordCheck>) -> Self {
        Self { db, passwords }
    }

    /// Every user with the name of their department, by login.
    pub async fn list(&self) -> Result<Vec<UserSummary>, DbErr> {
        let rows = user::Entity::find()
            .find_also_related(department::Entity)
            .order_by_asc(user::Column::Login)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(u, d)| UserSummary {
                id: u.id,
                login: u.login,
                display_name: u.display_name,
                email: u.email,
                role: u.role,
                department: d.map(|d| d.name),
                active: u.active,
            })
            .collect())
    }

    pub async fn count(&self) -> Result<u64, DbErr> {
        user::Entity::find().count(&self.db).await
    }

    pub async fn create(&self, new: NewUser, now: DateTime<Utc>) -> Result<i32, AccountError> {
        if new.email.parse::<lettre::Address>().is_err() {
            return Err(AccountError::InvalidEmail(new.email));
        }
        let department_id = match &new.department {
            Some(name) => Some(
                departments::find_by_name_or_alias(&self.db, name.as_str())
                    .await?
                    .ok_or_else(|| AccountError::NoSuchDepartment(name.to_string()))?
                    .id,
            ),
            None if new.role == Role::Department => return Err(AccountError::DepartmentRequired),
            None => None,
        };
        if self.find_by_login(new.login.as_str()).await?.is_some() {
            return Err(AccountError::LoginTaken(new.login.to_string()));
        }
        let password_hash =
            hash_password(&new.password).map_err(|e| AccountError::Hash(e.to_string()))?;
        let row = user::ActiveModel {
            login: Set(new.login.to_string()),
            display_name: Set(new.display_name),
            email: Set(new.email),
            password_hash: Set(password_hash),
            role: Set(new.role),
            department_id: Set(department_id),
            locale: Set("ja".to_owned()),
            active: Set(true),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        Ok(row.id)
    }

    async fn find_by_login(&self, login: &str) -> Result<Option<user::Model>, DbErr> {
        user::Entity::find()
            .filter(user::Column::Login.eq(login))
            .one(&self.db)
            .await
    }

    /// The user id when the login exists, is active and the password matches.
    /// Every attempt hashes the password once, known login or not, so the time
    /// taken does not tell which logins exist.
    pub async fn verify_login(
        &self,
        login: &str,
        password: &str,
    ) -> Result<Option<i32>, AccountError> {
        let user = self.find_by_login(login).await?.filter(|u| u.active);
        let stored_hash = user.as_ref().map(|u| u.password_hash.clone());
        let passwords = self.passwords.clone();
        let password = password.to_owned();
        // Hashing takes milliseconds of CPU: off the async workers.
        let matches = tokio::task::spawn_blocking(move || {
            passwords.matches(&password, stored_hash.as_deref())
        })
        .await
        .map_err(|e| AccountError::Hash(e.to_string()))?;
        Ok(user.filter(|_| matches).map(|u| u.id))
    }

    /// Ends the lockout of an existing user's login and forgets its failed
    /// logins; whether a lockout was in force.
    pub async fn unlock(&self, login: &str, now: DateTime<Utc>) -> Result<bool, AccountError> {
        let user = self
            .find_by_login(login.trim())
            .await?
            .ok_or_else(|| AccountError::NoSuchUser(login.trim().to_owned()))?;
        Ok(throttle::unlock_account(&self.db, &user.login, now).await?)
    }

    /// The logins locked out now, each with when its lockout ends.
    pub async fn locked_out(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<(String, DateTime<Utc>)>, DbErr> {
        throttle::locked_logins(&self.db, now).await
    }

    /// Starts a session; returns the cookie token (only its hash is stored).
    pub async fn start_session(
        &self,
        user_id: i32,
        now: DateTime<Utc>,
        lifetime: Duration,
    ) -> Result<String, DbErr> {
        let token = new_token();
        session::ActiveModel {
            user_id: Set(user_id),
            token_hash: Set(hash_token(&token)),
            csrf_token: Set(new_token()),
            created_at: Set(now),
            expires_at: Set(now + lifetime),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        Ok(token)
    }

    pub async fn end_session(&self, token: &str) -> Result<(), DbErr> {
        session::Entity::delete_many()
            .filter(session::Column::TokenHash.eq(hash_token(token)))
            .exec(&self.db)
            .await
            .map(|_| ())
    }

    pub async fn user_for_session(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<AuthenticatedUser>, DbErr> {
        let Some(found) = session::Entity::find()
            .filter(session::Column::TokenHash.eq(hash_token(token)))
            .filter(session::Column::ExpiresAt.gt(now))
            .one(&self.db)
            .await?
        else {
            return Ok(None);
        };
        let user = self.authenticated(found.user_id).await?;
        Ok(user.map(|u| AuthenticatedUser {
            csrf_token: Some(found.csrf_token),
            ..u
        }))
    }

    /// Creates an API token for a login; returns the token (only its hash is stored).
    pub async fn issue_api_token(
        &self,
        login: &str,
        now: DateTime<Utc>,
    ) -> Result<String, AccountError> {
        let user = self
            .find_by_login(login)
            .await?
            .ok_or_else(|| AccountError::NoSuchUser(login.to_owned()))?;
        let token = new_token();
        api_token::ActiveModel {
            user_id: Set(user.id),
            token_hash: Set(hash_token(&token)),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        Ok(token)
    }

    pub async fn user_for_api_token(
        &self,
        token: &str,
    ) -> Result<Option<AuthenticatedUser>, DbErr> {
        // One round trip: token, user and department together.
        let token_of_user: RelationDef = api_token::Entity::belongs_to(user::Entity)
            .from(api_token::Column::UserId)
            .to(user::Column::Id)
            .into();
        let found = user::Entity::find()
            .find_also_related(department::Entity)
            .join(JoinType::InnerJoin, token_of_user.rev())
            .filter(api_token::Column::TokenHash.eq(hash_token(token)))
            .filter(api_token::Column::RevokedAt.is_null())
            .one(&self.db)
            .await?;
        Ok(found.and_then(|(user, department)| principal(user, department)))
    }

    async fn authenticated(&self, user_id: i32) -> Result<Option<AuthenticatedUser>, DbErr> {
        let found = user::Entity::find_by_id(user_id)
            .find_also_related(department::Entity)
            .one(&self.db)
            .await?;
        Ok(found.and_then(|(user, department)| principal(user, department)))
    }
}

/// The principal a stored user amounts to: none when disabled. (A stored role
/// this version does not know fails the read itself.)
fn principal(
    user: user::Model,
    department: Option<department::Model>,
) -> Option<AuthenticatedUser> {
    if !user.active {
        return None;
    }
    Some(AuthenticatedUser {
        id: user.id,
        login: user.login,
        display_name: user.display_name,
        role: user.role,
        department_id: user.department_id,
        department_name: department.map(|d| d.name),
        locale: user.locale,
        csrf_token: None,
    })
}
