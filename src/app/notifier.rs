//! The notification throttle: a burst (hundreds of messages or requests) makes one notification
//! now and one summary later, never one each. Decides only; the app shows what it returns.

use std::time::{Duration, Instant};

use crate::notify::Notice;

/// At most one notification of a kind this often; what comes in between is summed up
/// afterwards.
pub(super) const NOTIFY_EVERY: Duration = Duration::from_secs(10);

/// The kinds of notification, each held back on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Messages from contacts.
    Message,
    /// Subscription requests.
    Request,
}

/// One kind's pause: when its last notification was shown, and what was held back since.
#[derive(Debug, Default)]
pub(super) struct Throttle {
    pub(super) shown_at: Option<Instant>,
    /// The newest notice held back, and how many it stands for.
    pub(super) held: Option<(Notice, usize)>,
}

impl Throttle {
    fn pausing(&self) -> bool {
        self.shown_at.is_some_and(|at| at.elapsed() < NOTIFY_EVERY)
    }
}

/// The throttles of both kinds.
#[derive(Debug, Default)]
pub(super) struct Notifier {
    pub(super) messages: Throttle,
    pub(super) requests: Throttle,
}

impl Notifier {
    pub(super) fn of(&mut self, kind: Kind) -> &mut Throttle {
        match kind {
            Kind::Message => &mut self.messages,
            Kind::Request => &mut self.requests,
        }
    }

    /// `notice`, when it is to be shown now. `quiet` (the window has the focus, or the person
    /// chose do-not-disturb) drops it and what was held; during a pause it is held.
    pub(super) fn offer(&mut self, kind: Kind, notice: Notice, quiet: bool) -> Option<Notice> {
        let throttle = self.of(kind);
        if quiet {
            throttle.held = None;
            return None;
        }
        if throttle.pausing() {
            let count = throttle.held.as_ref().map_or(0, |(_, n)| *n);
            throttle.held = Some((notice, count + 1));
            return None;
        }
        throttle.shown_at = Some(Instant::now());
        Some(notice)
    }

    /// The notices held back during a burst, one per kind, once its pause is over: the newest
    /// stands for the rest.
    pub(super) fn due(&mut self, quiet: bool) -> Vec<Notice> {
        let mut due = Vec::new();
        for kind in [Kind::Message, Kind::Request] {
            let throttle = self.of(kind);
            if throttle.pausing() {
                continue;
            }
            let Some((mut notice, count)) = throttle.held.take() else {
                continue;
            };
            if count > 1 {
                let more: usize = count - 1;
                notice.body = crate::fl!("notify-more", count = more, last = notice.body);
            }
            due.extend(self.offer(kind, notice, quiet));
        }
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::address::j;

    fn notice(body: &str) -> Notice {
        Notice {
            summary: "Bob".into(),
            body: body.into(),
            jid: j("bob@example.org"),
        }
    }

    #[test]
    fn a_burst_is_one_now_one_summary_later_and_kinds_pause_apart() {
        let mut notifier = Notifier::default();
        let first = notifier.offer(Kind::Message, notice("1"), false);
        assert_eq!(first.map(|n| n.body), Some("1".to_owned()));
        for n in 2..=5 {
            let shown = notifier.offer(Kind::Message, notice(&n.to_string()), false);
            assert!(shown.is_none(), "held during the pause");
        }
        // The other kind has its own pause.
        assert!(notifier.offer(Kind::Request, notice("r"), false).is_some());
        assert!(
            notifier.due(false).is_empty(),
            "nothing is due before the pause ends"
        );
        notifier.messages.shown_at = Some(Instant::now() - NOTIFY_EVERY);
        let due: Vec<String> = notifier.due(false).into_iter().map(|n| n.body).collect();
        assert_eq!(due, ["3 more; the last: 5"]);
        assert!(notifier.messages.held.is_none());
        // Quiet (focused, or do-not-disturb): nothing shown, and what was held is dropped.
        notifier.offer(Kind::Request, notice("again"), false);
        assert!(notifier.requests.held.is_some());
        assert!(notifier.offer(Kind::Request, notice("x"), true).is_none());
        assert!(notifier.requests.held.is_none());
    }
}
