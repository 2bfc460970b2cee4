//! Show, per-resource presence and its aggregation into one contact-level presence.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Millis;

/// What a person shows to their contacts. `Unavailable` means offline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Show {
    /// Online, no particular state.
    #[default]
    Available,
    /// Free for chat.
    Chat,
    /// Away.
    Away,
    /// Extended away.
    Xa,
    /// Do not disturb.
    Dnd,
    /// Offline.
    Unavailable,
}

impl Show {
    /// Every show a person can choose for themselves.
    pub const CHOOSABLE: [Show; 5] = [Show::Available, Show::Chat, Show::Away, Show::Xa, Show::Dnd];

    /// The wire and JSON name (`available`, `chat`, `away`, `xa`, `dnd`, `unavailable`).
    pub fn as_str(self) -> &'static str {
        match self {
            Show::Available => "available",
            Show::Chat => "chat",
            Show::Away => "away",
            Show::Xa => "xa",
            Show::Dnd => "dnd",
            Show::Unavailable => "unavailable",
        }
    }

    /// Parses a wire/JSON name; also accepts `online` for available.
    pub fn parse(s: &str) -> Option<Show> {
        Some(match s {
            "available" | "online" => Show::Available,
            "chat" => Show::Chat,
            "away" => Show::Away,
            "xa" => Show::Xa,
            "dnd" => Show::Dnd,
            "unavailable" | "offline" => Show::Unavailable,
            _ => return None,
        })
    }

    /// How reachable the show says the person is; higher is more reachable. Used to pick the
    /// resource that represents a contact when priorities tie.
    pub fn reachability(self) -> u8 {
        match self {
            Show::Chat => 5,
            Show::Available => 4,
            Show::Away => 3,
            Show::Dnd => 2,
            Show::Xa => 1,
            Show::Unavailable => 0,
        }
    }
}

/// The presence of one resource (one device) of a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourcePresence {
    /// Show of this resource.
    pub show: Show,
    /// Status message, possibly empty.
    pub status: String,
    /// RFC 6121 priority (-128..=127).
    pub priority: i8,
    /// When the person went idle on this device (XEP-0319).
    pub idle_since: Option<Millis>,
}

/// All online resources of one contact, and what is known of them when offline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactPresence {
    /// Online resources by resource name.
    pub resources: BTreeMap<String, ResourcePresence>,
    /// When the contact was last seen online (XEP-0012 or the time of the last unavailable).
    pub last_seen: Option<Millis>,
    /// Status the contact left with, when they went offline.
    pub last_status: String,
}

impl ContactPresence {
    /// Applies a presence from `resource`. `Show::Unavailable` removes the resource.
    pub fn apply(&mut self, resource: &str, presence: ResourcePresence, now: Millis) {
        if presence.show == Show::Unavailable {
            self.resources.remove(resource);
            if self.resources.is_empty() {
                self.last_seen = Some(now);
                self.last_status = presence.status;
            }
        } else {
            self.resources.insert(resource.to_owned(), presence);
        }
    }

    /// The resource that stands for the contact: highest priority, then most reachable, then
    /// the resource name for a stable choice.
    pub fn best(&self) -> Option<(&str, &ResourcePresence)> {
        self.resources
            .iter()
            .max_by(|(an, a), (bn, b)| {
                a.priority
                    .cmp(&b.priority)
                    .then(a.show.reachability().cmp(&b.show.reachability()))
                    .then(bn.cmp(an))
            })
            .map(|(n, p)| (n.as_str(), p))
    }

    /// The contact-level show: the best resource's, or unavailable.
    pub fn show(&self) -> Show {
        self.best().map_or(Show::Unavailable, |(_, p)| p.show)
    }

    /// The contact-level status message.
    pub fn status(&self) -> &str {
        self.best()
            .map_or(self.last_status.as_str(), |(_, p)| p.status.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(show: Show, priority: i8) -> ResourcePresence {
        ResourcePresence {
            show,
            status: show.as_str().into(),
            priority,
            idle_since: None,
        }
    }

    #[test]
    fn aggregation_prefers_priority_then_reachability() {
        type Resources<'a> = &'a [(&'a str, Show, i8)];
        let cases: [(Resources, Show); 5] = [
            (&[], Show::Unavailable),
            (&[("a", Show::Away, 0)], Show::Away),
            (&[("a", Show::Away, 0), ("b", Show::Chat, 0)], Show::Chat),
            (&[("a", Show::Away, 5), ("b", Show::Chat, 0)], Show::Away),
            (&[("a", Show::Dnd, 0), ("b", Show::Xa, 0)], Show::Dnd),
        ];
        for (resources, expected) in cases {
            let mut c = ContactPresence::default();
            for (r, s, prio) in resources {
                c.apply(r, p(*s, *prio), 1);
            }
            assert_eq!(c.show(), expected, "{resources:?}");
        }
    }

    #[test]
    fn last_resource_leaving_records_last_seen_and_status() {
        let mut c = ContactPresence::default();
        c.apply("phone", p(Show::Available, 0), 10);
        c.apply("laptop", p(Show::Away, 0), 11);
        c.apply(
            "phone",
            ResourcePresence {
                show: Show::Unavailable,
                status: "bye".into(),
                priority: 0,
                idle_since: None,
            },
            20,
        );
        assert_eq!(c.last_seen, None, "one resource is still online");
        c.apply(
            "laptop",
            ResourcePresence {
                show: Show::Unavailable,
                status: "gone".into(),
                priority: 0,
                idle_since: None,
            },
            30,
        );
        assert_eq!(c.show(), Show::Unavailable);
        assert_eq!(c.last_seen, Some(30));
        assert_eq!(c.status(), "gone");
    }
}
