//! Forged stanzas from another account never reach what the person sees; strangers and
//! floods change nothing the person did not choose; nothing is answered that should not be.

mod forged;
mod strangers;
mod subscriptions;

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use natter::session::{Command, Event};
use tokio_xmpp::Stanza;
use tokio_xmpp::minidom::Element;
use tokio_xmpp::stanzastream::XmppStream;
use tokio_xmpp::xmlstream::XmppStreamElement;

use crate::client::{Client, account};
use crate::j;
use crate::support::{Kind, Server, Shared, on_servers};

/// The one ejabberd of `hostile` and its modules.
pub static SERVERS: Shared = Shared::new();

/// A bound raw stream for a misbehaving account (or a peer that records what reaches it): it
/// writes whatever XML the test gives it.
pub struct Raw {
    stream: XmppStream,
    /// Everything received since the bind: who sent it (as the server stamped it) and the XML.
    pub received: Vec<(String, String)>,
}

impl Raw {
    pub async fn login(server: &Server, jid: &str, pw: &str) -> Raw {
        Raw::login_as(server, jid, pw, "evil").await
    }

    /// Signs in and binds `resource`.
    pub async fn login_as(server: &Server, jid: &str, pw: &str, resource: &str) -> Raw {
        let conn = natter::session::raw_login(&account(server, jid, None), pw)
            .await
            .expect("raw login");
        let mut raw = Raw {
            stream: conn.stream,
            received: Vec::new(),
        };
        raw.send(&format!("<iq xmlns='jabber:client' type='set' id='bind1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>{resource}</resource></bind></iq>")).await;
        loop {
            let next = tokio::time::timeout(Duration::from_secs(10), raw.stream.next()).await;
            match next.map(|n| n.map(|r| r.and_then(|e| e.into_read_error()))) {
                Ok(Some(Ok(XmppStreamElement::Stanza(Stanza::Iq(iq))))) if iq.id() == "bind1" => {
                    break;
                }
                Ok(Some(_)) => continue,
                other => panic!("no bind result: {other:?}"),
            }
        }
        raw
    }

    /// Sends initial presence, so the server delivers messages to the bare JID here.
    pub async fn available(&mut self) {
        self.send("<presence xmlns='jabber:client'/>").await;
    }

    /// Reads what arrives for `d`, keeping it in `received`.
    pub async fn listen(&mut self, d: Duration) {
        let deadline = tokio::time::Instant::now() + d;
        while let Ok(Some(item)) = tokio::time::timeout_at(deadline, self.stream.next()).await {
            if let Ok(XmppStreamElement::Stanza(stanza)) = item.and_then(|e| e.into_read_error()) {
                let el = Element::from(stanza);
                let from = el.attr("from").unwrap_or_default().to_owned();
                self.received.push((from, String::from(&el)));
            }
        }
    }

    /// What was received from exactly `from`.
    pub fn received_from(&self, from: &str) -> Vec<&str> {
        self.received
            .iter()
            .filter(|(f, _)| f == from)
            .map(|(_, xml)| xml.as_str())
            .collect()
    }

    pub async fn send(&mut self, xml: &str) {
        let el: Element = xml.parse().expect("test XML");
        let stanza = Stanza::try_from(el).expect("a stanza");
        self.stream
            .send(&XmppStreamElement::Stanza(stanza))
            .await
            .expect("sent");
    }
}

on_servers!(async fn a_forged_carbon_and_a_forged_roster_push_from_another_account_are_ignored);
async fn a_forged_carbon_and_a_forged_roster_push_from_another_account_are_ignored(kind: Kind) {
    let server = SERVERS.get(kind);
    let (a, apw) = server.create_user("alice");
    let (m, mpw) = server.create_user("mallory");
    let mut alice = Client::online(&server, &a, &apw, "desk").await;
    alice
        .wait("features", |e| matches!(e, Event::Features(_)))
        .await;
    alice
        .wait("carbons on and caught up", |e| {
            matches!(e, Event::CaughtUp { .. })
        })
        .await;
    let mut mallory = Raw::login(&server, &m, &mpw).await;

    // CVE-2017-5589: a "carbon" claiming Bob wrote to Alice.
    mallory
        .send(&format!(
            "<message xmlns='jabber:client' to='{a}/desk' type='chat' id='f1'>\
         <received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'>\
         <message xmlns='jabber:client' from='bob@localhost/x' to='{a}/desk' type='chat' id='f2'>\
         <body>send me your password</body></message></forwarded></received></message>"
        ))
        .await;
    // CVE-2015-8688: a roster push adding mallory as "Bob (bank)".
    mallory.send(&format!(
        "<iq xmlns='jabber:client' to='{a}/desk' type='set' id='r1'><query xmlns='jabber:iq:roster'>\
         <item jid='{m}' name='Bob (bank)' subscription='both'/></query></iq>"
    )).await;
    // A plain message after them, to know they were processed.
    mallory.send(&format!("<message xmlns='jabber:client' to='{a}/desk' type='chat' id='p1'><body>marker</body></message>")).await;

    alice
        .wait(
            "marker",
            |e| matches!(e, Event::Messages(ms) if ms.iter().any(|m| m.body == "marker")),
        )
        .await;
    let seen = format!("{:?}", alice.seen);
    assert!(
        !seen.contains("send me your password"),
        "forged carbon shown: {seen}"
    );
    assert!(
        !seen.contains("Bob (bank)"),
        "forged roster push applied: {seen}"
    );
    assert!(
        alice.item(&m).await.is_none(),
        "mallory is not in the stored roster"
    );
    let history = alice
        .store
        .history(&j(&a), &j("bob@localhost"), None, 10)
        .await
        .expect("history");
    assert!(history.is_empty(), "nothing attributed to bob: {history:?}");
    let _ = alice.handle.send(Command::Quit);
}
