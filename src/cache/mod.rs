//! Answers to repeated reads, kept in memory until the data behind them changes.
//!
//! Every entry is filed under the *epoch* current when its load began. Any change to
//! the watched tables moves the epoch on, so older entries can no longer be found
//! (and age out of the bounded cache). The epoch moves:
//! - when a state-changing request through this instance has finished
//!   ([`ReadCache::changed`] from the HTTP layer), so a client reads its own writes;
//! - when [`watch`] hears of a commit made elsewhere: another instance, the CLI.
//!
//! An entry loaded while a change was committing is filed under the old epoch and
//! so never served after the change is known. Until the watcher has its first
//! reading, and whenever it loses track, the cache is bypassed rather than trusted.
mod watch;

use std::{
    future::Future,
    sync::{
        Arc,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
};

use bytes::Bytes;
use quick_cache::{Weighter, sync::Cache};

use crate::{config::CacheSettings, domain::AuthenticatedUser};

pub use watch::watch;

#[derive(Clone)]
struct ByteWeighter;

impl Weighter<(u64, String), Bytes> for ByteWeighter {
    fn weight(&self, key: &(u64, String), value: &Bytes) -> u64 {
        (key.1.len() + value.len()) as u64
    }
}

/// Cheap to clone: every clone shares the same entries and epoch.
#[derive(Clone)]
pub struct ReadCache {
    inner: Arc<Inner>,
}

struct Inner {
    enabled: bool,
    epoch: AtomicU64,
    /// Set by the watcher while it can vouch that no outside change goes unseen.
    tracking: AtomicBool,
    responses: Cache<(u64, String), Bytes, ByteWeighter>,
    principals: Cache<(u64, String), AuthenticatedUser>,
}

/// Principals are small; this bounds their count, not their bytes.
const PRINCIPAL_CAPACITY: usize = 10_000;
/// A typical cached answer (one page of 50 tasks) is some tens of kilobytes.
const TYPICAL_RESPONSE_BYTES: u64 = 32 * 1024;

impl ReadCache {
    pub fn new(settings: &CacheSettings) -> Self {
        let max_bytes = settings.max_bytes.max(1);
        let estimated_items = usize::try_from(max_bytes / TYPICAL_RESPONSE_BYTES)
            .unwrap_or(usize::MAX)
            .max(16);
        Self {
            inner: Arc::new(Inner {
                enabled: settings.enabled,
                epoch: AtomicU64::new(0),
                tracking: AtomicBool::new(false),
                responses: Cache::with_weighter(estimated_items, max_bytes, ByteWeighter),
                principals: Cache::new(PRINCIPAL_CAPACITY),
            }),
        }
    }

    /// Something the cached answers depend on has changed (or may have).
    pub fn changed(&self) {
        self.inner.epoch.fetch_add(1, Ordering::AcqRel);
    }

    fn set_tracking(&self, tracking: bool) {
        self.inner.tracking.store(tracking, Ordering::Release);
    }

    /// The epoch to file a load under, or `None` when the cache must not be used.
    fn current_epoch(&self) -> Option<u64> {
        (self.inner.enabled && self.inner.tracking.load(Ordering::Acquire))
            .then(|| self.inner.epoch.load(Ordering::Acquire))
    }

    /// The answer filed under `key`, or `load`'s, which is then kept. Concurrent
    /// callers for one key wait for a single load. Errors are not kept.
    pub async fn response<E, F, Fut>(&self, key: String, load: F) -> Result<Bytes, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Bytes, E>>,
    {
        let Some(epoch) = self.current_epoch() else {
            return load().await;
        };
        match self
            .inner
            .responses
            .get_value_or_guard_async(&(epoch, key))
            .await
        {
            Ok(bytes) => Ok(bytes),
            Err(guard) => {
                let bytes = load().await?;
                // Losing the race to a concurrent insert is fine: both are current.
                let _ = guard.insert(bytes.clone());
                Ok(bytes)
            }
        }
    }

    /// The user behind an API token hash, or `load`'s answer; only found users are
    /// kept, so unknown tokens cannot fill the cache.
    pub async fn principal<E, F, Fut>(
        &self,
        token_hash: String,
        load: F,
    ) -> Result<Option<AuthenticatedUser>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Option<AuthenticatedUser>, E>>,
    {
        let Some(epoch) = self.current_epoch() else {
            return load().await;
        };
        let key = (epoch, token_hash);
        if let Some(user) = self.inner.principals.get(&key) {
            return Ok(Some(user));
        }
        let user = load().await?;
        if let Some(user) = &user {
            self.inner.principals.insert(key, user.clone());
        }
        Ok(user)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicUsize;

    use super::*;

    fn settings(enabled: bool) -> CacheSettings {
        CacheSettings {
            enabled,
            max_bytes: 1 << 20,
            poll_ms: 250,
        }
    }

    async fn load_counting(cache: &ReadCache, loads: &AtomicUsize, answer: &'static str) -> Bytes {
        let result: Result<Bytes, ()> = cache
            .response("tasks?page=1".into(), || async {
                loads.fetch_add(1, Ordering::SeqCst);
                Ok(Bytes::from_static(answer.as_bytes()))
            })
            .await;
        result.unwrap_or_default()
    }

    #[tokio::test]
    async fn serves_the_kept_answer_until_something_changes() {
        let cache = ReadCache::new(&settings(true));
        cache.set_tracking(true);
        let loads = AtomicUsize::new(0);
        assert_eq!(load_counting(&cache, &loads, "first").await, "first");
        assert_eq!(load_counting(&cache, &loads, "second").await, "first");
        assert_eq!(loads.load(Ordering::SeqCst), 1);
        cache.changed();
        assert_eq!(load_counting(&cache, &loads, "third").await, "third");
        assert_eq!(loads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn is_bypassed_while_changes_cannot_be_tracked_or_when_disabled() {
        let loads = AtomicUsize::new(0);
        let untracked = ReadCache::new(&settings(true));
        load_counting(&untracked, &loads, "a").await;
        load_counting(&untracked, &loads, "a").await;
        assert_eq!(loads.load(Ordering::SeqCst), 2);

        let disabled = ReadCache::new(&settings(false));
        disabled.set_tracking(true);
        load_counting(&disabled, &loads, "a").await;
        load_counting(&disabled, &loads, "a").await;
        assert_eq!(loads.load(Ordering::SeqCst), 4);
    }

    #[tokio::test]
    async fn failed_loads_are_not_kept() {
        let cache = ReadCache::new(&settings(true));
        cache.set_tracking(true);
        let failed: Result<Bytes, &str> = cache
            .response("k".into(), || async { Err("database down") })
            .await;
        assert_eq!(failed, Err("database down"));
        let loaded: Result<Bytes, &str> = cache
            .response("k".into(), || async { Ok(Bytes::from_static(b"ok")) })
            .await;
        assert_eq!(loaded, Ok(Bytes::from_static(b"ok")));
    }
}
