//! Who holds an outbox lease: the sending process, named well enough that a
//! later process on the same machine can tell whether it is still running. A
//! `remind` killed mid-send leaves rows `sending`; the next `remind` or `serve`
//! there releases them at once instead of waiting out the lease, which stays
//! the rule for holders elsewhere (another machine, another container).
//!
//! The name is `<where> <pid> <start>`. `<where>` is the set of processes whose
//! pids can be compared: the host name, the boot and the pid namespace, so a
//! reboot or a sibling container never looks like the same place. `<start>`
//! tells the holder from a later process that got its pid. Only Linux (through
//! `/proc`) can answer; elsewhere no name is written and the lease decides.
use std::sync::LazyLock;

/// A lease holder: one process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseHolder {
    place: String,
    pid: u32,
    started: u64,
}

static CURRENT: LazyLock<Option<LeaseHolder>> = LazyLock::new(|| {
    let holder = proc::current();
    if holder.is_none() {
        tracing::debug!("no process identity from /proc: orphaned leases wait for expiry");
    }
    holder
});

impl LeaseHolder {
    /// This process; None where processes cannot be told apart (see the module).
    pub fn current() -> Option<&'static LeaseHolder> {
        CURRENT.as_ref()
    }

    /// A holder in this process's place; for tests of dead and reused pids.
    pub fn here(pid: u32, started: u64) -> Option<Self> {
        Self::current().map(|me| Self {
            place: me.place.clone(),
            pid,
            started,
        })
    }

    /// What the `lease_owner` column stores.
    pub fn to_column(&self) -> String {
        format!("{} {} {}", self.place, self.pid, self.started)
    }

    /// Reads a `lease_owner` value; None when it is not one.
    pub fn from_column(value: &str) -> Option<Self> {
        let mut parts = value.rsplitn(3, ' ');
        let started = parts.next()?.parse().ok()?;
        let pid = parts.next()?.parse().ok()?;
        let place = parts.next()?.to_owned();
        Some(Self {
            place,
            pid,
            started,
        })
    }

    /// Whether this holder ran in our place and has ended (or its pid now
    /// belongs to a later process). Unknown counts as alive: releasing the rows
    /// of a live sender would send them twice.
    pub fn is_gone(&self) -> bool {
        let Some(me) = Self::current() else {
            return false;
        };
        self.place == me.place && !proc::is_running(self.pid, self.started)
    }
}

#[cfg(target_os = "linux")]
mod proc {
    use super::LeaseHolder;

    pub fn current() -> Option<LeaseHolder> {
        let read = |path: &str| std::fs::read_to_string(path).ok();
        let host = read("/proc/sys/kernel/hostname")?;
        let boot = read("/proc/sys/kernel/random/boot_id")?;
        let namespace = std::fs::read_link("/proc/self/ns/pid").ok()?;
        let pid = std::process::id();
        let (_, started) = stat(&read("/proc/self/stat")?)?;
        let place =
            format!("{}/{}/{}", host.trim(), boot.trim(), namespace.display()).replace(' ', "_");
        Some(LeaseHolder {
            place,
            pid,
            started,
        })
    }

    /// Whether `pid` is a live process that started at `started`. A zombie (killed,
    /// not yet reaped) has ended.
    pub fn is_running(pid: u32, started: u64) -> bool {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Ok(text) => match stat(&text) {
                Some((state, since)) => since == started && !matches!(state, 'Z' | 'X'),
                None => true,
            },
            Err(error) => error.kind() != std::io::ErrorKind::NotFound,
        }
    }

    /// The state and start time (clock ticks after boot) in a `/proc/<pid>/stat`
    /// line. The command name, field 2, may hold spaces and parentheses, so the
    /// fields are counted from its closing parenthesis: state is field 3, the
    /// start time field 22.
    fn stat(line: &str) -> Option<(char, u64)> {
        let rest = &line[line.rfind(')')? + 1..];
        let mut fields = rest.split_whitespace();
        let state = fields.next()?.chars().next()?;
        let started = fields.nth(18)?.parse().ok()?;
        Some((state, started))
    }

    #[cfg(test)]
    mod tests {
        use super::stat;

        #[test]
        fn reads_state_and_start_past_a_tricky_command_name() {
            let line = "4242 (a) (b c) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 \
                        987654 1000 10 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0";
            assert_eq!(stat(line), Some(('S', 987_654)));
            assert_eq!(stat("garbage"), None);
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod proc {
    use super::LeaseHolder;

    pub fn current() -> Option<LeaseHolder> {
        None
    }

    pub fn is_running(_pid: u32, _started: u64) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::LeaseHolder;

    #[test]
    fn column_round_trips() {
        let holder = LeaseHolder {
            place: "vm/ebef-c104/pid:[4026531836]".into(),
            pid: 4242,
            started: 987_654,
        };
        assert_eq!(LeaseHolder::from_column(&holder.to_column()), Some(holder));
        assert_eq!(LeaseHolder::from_column("4242 987654"), None);
        assert_eq!(LeaseHolder::from_column("here x 1"), None);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn this_process_is_running_and_a_reused_pid_is_not() {
        let me = LeaseHolder::current().expect("linux has /proc");
        assert!(!me.is_gone());
        let reused = LeaseHolder::here(me.pid, me.started + 1).expect("here");
        assert!(reused.is_gone());
        let elsewhere = LeaseHolder {
            place: "another-host/boot/pid:[1]".into(),
            pid: 999_999,
            started: 1,
        };
        assert!(!elsewhere.is_gone(), "another place decides by lease only");
    }
}
