//! What the conversation reads from the store besides its pages: search results, the earlier
//! versions of an edited message, and the pages back to the message a reply quotes.

use iced::Task;

use super::state::SignedIn;
use super::{App, Message, PAGE};
use crate::model::{BareJid, MessageId, Millis};
use crate::screen::chat::{self, QUOTE_REACH, Quoted};
use crate::store::{Store, StoreError};

impl SignedIn {
    /// Searches the conversation with `peer`.
    pub(super) fn search(&self, peer: BareJid, text: String) -> Task<Message> {
        let store = self.desk.store.clone();
        let account = self.session.account_jid();
        Task::perform(
            async move {
                let r = store.search(&account, Some(&peer), &text, 100).await;
                (peer, r)
            },
            |(peer, r)| match r {
                Ok(results) => Message::Found { peer, results },
                Err(e) => Message::Failed(e.into()),
            },
        )
    }

    /// Reads the earlier versions of message `local_id` for the open conversation.
    pub(super) fn load_versions(&self, peer: BareJid, local_id: i64) -> Task<Message> {
        let store = self.desk.store.clone();
        Task::perform(
            async move { store.versions(local_id).await },
            move |versions| match versions {
                Ok(versions) => Message::Versions {
                    peer: peer.clone(),
                    local_id,
                    versions,
                },
                Err(e) => Message::Failed(e.into()),
            },
        )
    }

    /// Finds the message `id` that reply `reply` quotes, with the pages back to it.
    pub(super) fn find_quoted(
        &self,
        peer: BareJid,
        id: MessageId,
        reply: i64,
        before: Option<(Millis, i64)>,
    ) -> Task<Message> {
        let store = self.desk.store.clone();
        let account = self.session.account_jid();
        Task::perform(
            async move {
                let found = pages_back_to(&store, &account, &peer, &id, before).await;
                (peer, found)
            },
            move |(peer, found)| match found {
                Ok(found) => Message::Quoted { peer, reply, found },
                Err(e) => Message::Failed(e.into()),
            },
        )
    }
}

impl App {
    /// The store's earlier versions of a message, for the open conversation.
    pub(super) fn on_versions(
        &mut self,
        peer: &BareJid,
        local_id: i64,
        versions: Vec<(Millis, String)>,
    ) -> Task<Message> {
        if let Some(chat) = self.chat_with(peer) {
            chat.set_versions(local_id, versions);
        }
        Task::none()
    }

    /// What the store found of a quoted message: loaded and scrolled to, or said why not.
    pub(super) fn on_quoted(&mut self, peer: &BareJid, reply: i64, found: Quoted) -> Task<Message> {
        let Some(chat) = self.chat_with(peer) else {
            return Task::none();
        };
        match chat.quoted(reply, found) {
            chat::Action::Reveal(local_id) => chat::reveal(local_id),
            _ => Task::none(),
        }
    }

    fn chat_with(&mut self, peer: &BareJid) -> Option<&mut chat::State> {
        let desk = self.screen.desk_mut()?;
        desk.chat.as_mut().filter(|c| c.peer() == peer)
    }
}

/// The message of the conversation that `id` names, and the pages from before `before` (the
/// oldest loaded message) back to the one that holds it, a page at a time as scrolling would
/// load them, up to [`QUOTE_REACH`] messages.
async fn pages_back_to(
    store: &Store,
    account: &BareJid,
    peer: &BareJid,
    id: &MessageId,
    before: Option<(Millis, i64)>,
) -> Result<Quoted, StoreError> {
    let Some(target) = store.find_message(account, peer, id).await? else {
        return Ok(Quoted::Missing);
    };
    let local_id = target.local_id;
    if before.is_none_or(|b| (target.sent_at, local_id) >= b) {
        // Within what is loaded (or nothing is): the message itself is all that is needed.
        return Ok(Quoted::Found {
            local_id,
            pages: vec![target],
            start: false,
        });
    }
    let mut pages = Vec::new();
    let mut cursor = before;
    while pages.len() < QUOTE_REACH {
        let page = store.history(account, peer, cursor, PAGE).await?;
        let start = page.len() < PAGE;
        let Some(first) = page.first() else { break };
        cursor = Some((first.sent_at, first.local_id));
        let holds = page.iter().any(|m| m.local_id == local_id);
        pages.splice(0..0, page);
        if holds {
            return Ok(Quoted::Found {
                local_id,
                pages,
                start,
            });
        }
        if start {
            break;
        }
    }
    Ok(if pages.len() >= QUOTE_REACH {
        Quoted::TooFar
    } else {
        Quoted::Missing
    })
}

#[cfg(test)]
mod tests;
