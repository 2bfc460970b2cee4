//! The screens. Each has `State`, `Message` (its inputs), `Action` (what it asks of the app),
//! `update(&mut self, Message) -> Action` and `view`. No tokio, SQL or XMPP in here.

pub mod chat;
pub mod contact;
pub mod help;
pub mod login;
pub mod requests;
pub mod roster;
pub mod settings;
pub mod status;
pub mod switcher;
