-- Schema version 6: contacts the person let see their presence when adding them, on a server
-- that keeps no pre-approvals (RFC 6121 §3.4 is optional; ejabberd 23.01 has none). Applied in
-- one transaction together with `PRAGMA user_version = 6`; no existing value changes.
--
-- A row is the person's answer given in advance: the contact's next subscription request is
-- approved when it arrives, and the row goes in the same transaction (an approval in advance
-- answers one request, as the server's own pre-approval does). Removing the contact, or
-- answering them otherwise, withdraws it.
CREATE TABLE approved_ahead (
    account TEXT NOT NULL REFERENCES accounts (jid) ON DELETE CASCADE,
    jid     TEXT NOT NULL,
    at      INTEGER NOT NULL,
    PRIMARY KEY (account, jid)
) WITHOUT ROWID;
