//! Password guessing is slowed down: failed logins are counted per login name and
//! per client address in the database (so every instance sharing it counts
//! alike), and reaching a limit locks that login or address for a while, longer
//! with each lockout. Counting is one atomic upsert, never read-modify-write, so
//! instances failing at the same moment lose no failure.
use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    QueryOrder, Statement, Value,
};

use super::client::ClientAddress;
use crate::{config::LoginSettings, domain::Login, entities::login_throttle};

/// What a count is kept for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A login name as typed, whether or not such a user exists (so that a
    /// lockout tells nothing about existence).
    Account,
    Address,
}

impl Scope {
    fn as_str(self) -> &'static str {
        match self {
            Self::Account => "account",
            Self::Address => "address",
        }
    }
}

/// A lockout in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lockout {
    pub scope: Scope,
    pub until: DateTime<Utc>,
}

impl Lockout {
    /// Whole seconds until it ends (at least 1), for `Retry-After`.
    pub fn retry_after_secs(&self, now: DateTime<Utc>) -> u64 {
        let millis = u64::try_from((self.until - now).num_milliseconds()).unwrap_or(0);
        millis.div_ceil(1000).max(1)
    }
}

/// The login name a count is kept under: as the login is looked up (trimmed),
/// cut to the longest login there can be.
fn account_key(login: &str) -> String {
    login.trim().chars().take(Login::MAX_CHARS).collect()
}

#[derive(Clone)]
pub struct LoginThrottle {
    db: DatabaseConnection,
    rules: LoginSettings,
}

impl LoginThrottle {
    pub fn new(db: DatabaseConnection, rules: &LoginSettings) -> Self {
        Self {
            db,
            rules: rules.clone(),
        }
    }

    /// The lockout in force for this login or this address (the later one if both).
    pub async fn lockout(
        &self,
        login: &str,
        address: &ClientAddress,
        now: DateTime<Utc>,
    ) -> Result<Option<Lockout>, DbErr> {
        let rows = login_throttle::Entity::find()
            .filter(
                Condition::any()
                    .add(
                        Condition::all()
                            .add(login_throttle::Column::Scope.eq(Scope::Account.as_str()))
                            .add(login_throttle::Column::Subject.eq(account_key(login))),
                    )
                    .add(
                        Condition::all()
                            .add(login_throttle::Column::Scope.eq(Scope::Address.as_str()))
                            .add(login_throttle::Column::Subject.eq(address.as_str())),
                    ),
            )
            .filter(login_throttle::Column::LockedUntil.gt(now))
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                let scope = if row.scope == Scope::Account.as_str() {
                    Scope::Account
                } else {
                    Scope::Address
                };
                row.locked_until.map(|until| Lockout { scope, until })
            })
            .max_by_key(|lockout| lockout.until))
    }

    /// Counts a failed login against its login name and its address; the lockout
    /// it starts, if it reaches a limit (each lockout is logged).
    pub async fn record_failure(
        &self,
        login: &str,
        address: &ClientAddress,
        now: DateTime<Utc>,
    ) -> Result<Option<Lockout>, DbErr> {
        let login = account_key(login);
        let by_account = self
            .count(
                Scope::Account,
                &login,
                self.rules.max_failures_per_account.get(),
                now,
            )
            .await?;
        let by_address = self
            .count(
                Scope::Address,
                address.as_str(),
                self.rules.max_failures_per_address.get(),
                now,
            )
            .await?;
        let started = [by_account, by_address].into_iter().flatten();
        let mut latest: Option<Lockout> = None;
        for (lockout, lockouts) in started {
            tracing::warn!(
                login = %login,
                address = %address,
                locked = lockout.scope.as_str(),
                until = %lockout.until,
                lockouts,
                "too many failed logins: locked out"
            );
            if latest.is_none_or(|l| l.until < lockout.until) {
                latest = Some(lockout);
            }
        }
        if latest.is_some() {
            self.forget_old(now).await?;
        }
        Ok(latest)
    }

    /// A successful login clears its login name's count and lockouts (never its
    /// address's: one good account must not reset a guesser's address).
    pub async fn record_success(&self, login: &str) -> Result<(), DbErr> {
        self.clear(Scope::Account, &account_key(login))
            .await
            .map(|_| ())
    }

    async fn clear(&self, scope: Scope, subject: &str) -> Result<u64, DbErr> {
        clear(&self.db, scope, subject).await
    }

    /// One more failure for `subject`: a fresh count when its window has passed,
    /// no doubling when it has been quiet for `forget_after_hours`. When the count
    /// reaches `limit`, the lockout this call started and the lockouts so far.
    async fn count(
        &self,
        scope: Scope,
        subject: &str,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<Option<(Lockout, i32)>, DbErr> {
        let backend = self.db.get_database_backend();
        let window_floor = now - minutes(self.rules.window_minutes.get());
        let forget_floor = now - Duration::hours(i64::from(self.rules.forget_after_hours.get()));
        // Table-qualified columns are the stored row's (PostgreSQL and SQLite agree).
        let counted = self
            .db
            .query_one_raw(Statement::from_sql_and_values(
                backend,
                "INSERT INTO login_throttle \
                 (scope, subject, failures, window_started_at, lockouts, locked_until, last_failure_at) \
                 VALUES ($1, $2, 1, $3, 0, NULL, $3) \
                 ON CONFLICT (scope, subject) DO UPDATE SET \
                 failures = CASE WHEN login_throttle.window_started_at <= $4 THEN 1 \
                   ELSE login_throttle.failures + 1 END, \
                 window_started_at = CASE WHEN login_throttle.window_started_at <= $4 THEN $3 \
                   ELSE login_throttle.window_started_at END, \
                 lockouts = CASE WHEN login_throttle.last_failure_at <= $5 THEN 0 \
                   ELSE login_throttle.lockouts END, \
                 last_failure_at = $3 \
                 RETURNING failures, lockouts",
                [
                    Value::from(scope.as_str()),
                    Value::from(subject),
                    Value::from(now),
                    Value::from(window_floor),
                    Value::from(forget_floor),
                ],
            ))
            .await?
            .ok_or_else(|| DbErr::RecordNotFound("the failed-login count just written".into()))?;
        let failures: i32 = counted.try_get("", "failures")?;
        let lockouts: i32 = counted.try_get("", "lockouts")?;
        if i64::from(failures) < i64::from(limit) {
            return Ok(None);
        }
        let until = now + lock_duration(&self.rules, lockouts);
        // Only the instance whose update finds the count still at the limit (and
        // the lockouts unchanged) starts the lockout; a concurrent one finds it reset.
        let locked = self
            .db
            .execute_raw(Statement::from_sql_and_values(
                backend,
                "UPDATE login_throttle SET locked_until = $3, lockouts = lockouts + 1, \
                 failures = 0, window_started_at = $4 \
                 WHERE scope = $1 AND subject = $2 AND failures >= $5 AND lockouts = $6",
                [
                    Value::from(scope.as_str()),
                    Value::from(subject),
                    Value::from(until),
                    Value::from(now),
                    Value::from(i64::from(limit)),
                    Value::from(lockouts),
                ],
            ))
            .await?;
        Ok((locked.rows_affected() == 1).then_some((Lockout { scope, until }, lockouts + 1)))
    }

    /// Rows quiet for `forget_after_hours` and not locked any more.
    async fn forget_old(&self, now: DateTime<Utc>) -> Result<(), DbErr> {
        let forget_floor = now - Duration::hours(i64::from(self.rules.forget_after_hours.get()));
        login_throttle::Entity::delete_many()
            .filter(login_throttle::Column::LastFailureAt.lt(forget_floor))
            .filter(
                Condition::any()
                    .add(login_throttle::Column::LockedUntil.is_null())
                    .add(login_throttle::Column::LockedUntil.lt(now)),
            )
            .exec(&self.db)
            .await
            .map(|_| ())
    }
}

/// Ends a login's lockout and forgets its failures (an admin's unlock);
/// whether a lockout was in force.
pub(super) async fn unlock_account(
    db: &DatabaseConnection,
    login: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let key = account_key(login);
    let was_locked =
        login_throttle::Entity::find_by_id((Scope::Account.as_str().to_owned(), key.clone()))
            .one(db)
            .await?
            .and_then(|row| row.locked_until)
            .is_some_and(|until| until > now);
    clear(db, Scope::Account, &key).await?;
    Ok(was_locked)
}

/// Login names locked now, with when each lockout ends.
pub(super) async fn locked_logins(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
) -> Result<Vec<(String, DateTime<Utc>)>, DbErr> {
    let rows = login_throttle::Entity::find()
        .filter(login_throttle::Column::Scope.eq(Scope::Account.as_str()))
        .filter(login_throttle::Column::LockedUntil.gt(now))
        .order_by_asc(login_throttle::Column::Subject)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| row.locked_until.map(|until| (row.subject, until)))
        .collect())
}

async fn clear(db: &DatabaseConnection, scope: Scope, subject: &str) -> Result<u64, DbErr> {
    login_throttle::Entity::delete_many()
        .filter(login_throttle::Column::Scope.eq(scope.as_str()))
        .filter(login_throttle::Column::Subject.eq(subject))
        .exec(db)
        .await
        .map(|done| done.rows_affected)
}

/// `lock_minutes`, doubled for each earlier lockout, at most `max_lock_minutes`.
fn lock_duration(rules: &LoginSettings, earlier_lockouts: i32) -> Duration {
    let base = u64::from(rules.lock_minutes.get());
    let max = u64::from(rules.max_lock_minutes.get()).max(base);
    let doublings = u32::try_from(earlier_lockouts).unwrap_or(0).min(32);
    let lock = base.saturating_mul(1u64 << doublings).min(max);
    // At most `max_lock_minutes`, a u32: far inside what a Duration holds.
    minutes(u32::try_from(lock).unwrap_or(u32::MAX))
}

fn minutes(count: u32) -> Duration {
    Duration::minutes(i64::from(count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_rounds_up() {
        let now = Utc::now();
        let lockout = Lockout {
            scope: Scope::Account,
            until: now + Duration::milliseconds(1500),
        };
        assert_eq!(lockout.retry_after_secs(now), 2);
        assert_eq!(lockout.retry_after_secs(lockout.until), 1);
    }

    #[test]
    fn each_lockout_doubles_up_to_the_cap() {
        let rules = crate::config::Settings::defaults().expect("defaults").login;
        let minutes: Vec<i64> = (0..9)
            .map(|earlier| lock_duration(&rules, earlier).num_minutes())
            .collect();
        assert_eq!(minutes, [15, 30, 60, 120, 240, 480, 960, 1440, 1440]);
        assert_eq!(lock_duration(&rules, 1000).num_minutes(), 1440);
    }

    #[test]
    fn account_keys_are_trimmed_and_bounded() {
        assert_eq!(account_key("  kumin "), "kumin");
        assert_eq!(account_key(&"x".repeat(500)).len(), Login::MAX_CHARS);
    }
}
