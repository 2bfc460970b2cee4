# Natter — English (the reference: every other locale has exactly these ids)

app-title = Natter

## app
app-title-unread = Natter ({ $count })
app-welcome = Choose a contact to start chatting.
app-requests = Requests and privacy
app-error-session = The session did not take the request: { $reason }
app-error-offline = Not connected: sign in first.
app-error-store = Natter cannot open its data file: { $reason }
app-error-link = Only web, mail and XMPP links can be opened.
app-error-open = The link could not be opened: { $reason }
app-error-task = A background task of Natter stopped before it finished; try again.
app-conn-idle = Not signed in
app-conn-online = Online
app-conn-connecting = Connecting…
app-conn-retrying = Reconnecting in { $seconds } s ({ $reason })
app-conn-offline = Offline: { $reason }
app-retry-now = Retry now
app-catching-up = { $count ->
    [0] Fetching your messages from the server's archive…
    [one] Fetching your messages from the server's archive… 1 new so far
   *[other] Fetching your messages from the server's archive… { $count } new so far
}
app-presence-unknown = Presence unknown
app-last-seen = Last seen { $when }
notify-request-title = New contact request
notify-request-body = { $jid } asks to see when you are online.
notify-more = { $count } more; the last: { $last }
show-available = Available
show-chat = Free for chat
show-away = Away
show-xa = Extended away
show-dnd = Do not disturb
show-unavailable = Offline

## chat
chat-search = Search
chat-search-placeholder = Search this conversation
chat-search-submit = Find
chat-search-close = Close
chat-searching = Searching…
chat-search-count = { $count ->
    [0] No messages found.
    [one] One message found.
   *[other] { $count } messages found.
}
chat-you = You
chat-loading = Loading messages…
chat-load-older = Show earlier messages
chat-empty = No messages yet. Say hello!
chat-start = This is the start of your conversation.
chat-placeholder = Write a message (Enter sends, Shift+Enter starts a new line)
chat-send = Send
chat-retry = Retry
chat-typing = { $name } is typing…
chat-paused = { $name } stopped typing.
chat-too-long = This message is too long to send: { $size } bytes, and a message can have at most { $max } bytes ({ $kib } KiB). Shorten it or split it into several.
chat-show-less = Show less
chat-show-all = { $lines ->
    [one] Show all (1 line)
   *[other] Show all ({ $lines } lines)
}
chat-not-sent = Not sent: { $reason }. Your text is still here; send it again when that is solved.
chat-mark-queued = ◷
chat-mark-sent = ↑
chat-mark-acked = ✓
chat-mark-delivered = ✓✓
chat-mark-failed = ⚠ Not sent
chat-day-today = Today
chat-day-yesterday = Yesterday
chat-day-this-year = { $weekday }, { $day } { $month }
chat-day-date = { $weekday }, { $day } { $month } { $year }
chat-weekday-mon = Monday
chat-weekday-tue = Tuesday
chat-weekday-wed = Wednesday
chat-weekday-thu = Thursday
chat-weekday-fri = Friday
chat-weekday-sat = Saturday
chat-weekday-sun = Sunday
chat-month-1 = January
chat-month-2 = February
chat-month-3 = March
chat-month-4 = April
chat-month-5 = May
chat-month-6 = June
chat-month-7 = July
chat-month-8 = August
chat-month-9 = September
chat-month-10 = October
chat-month-11 = November
chat-month-12 = December

## login
login-title = Welcome to Natter
login-intro = Sign in with your XMPP (Jabber) account.
login-jid = Address
login-jid-placeholder = name@example.org
login-jid-hint = Your full address, like name@example.org.
login-jid-empty = Enter your address, like name@example.org.
login-jid-no-user = “{ $address }” is a server, not an account: write it as name@{ $address }.
login-jid-has-resource = Leave out the “/…” part: write only name@server.
login-jid-spaces = An address cannot contain spaces.
login-jid-two-at = An address has only one @.
login-jid-no-user-part = The name before the @ is missing.
login-jid-no-server = The server after the @ is missing.
login-jid-invalid = “{ $address }” is not a valid address: write it as name@server.
login-password = Password
login-password-placeholder = Your password
login-remember = Remember password
login-no-keyring = No keyring is available on this desktop, so Natter cannot keep your password: it will ask for it at each start.
login-advanced-show = ▸ Advanced settings
login-advanced-hide = ▾ Advanced settings
login-host = Server host
login-host-placeholder = Found through DNS
login-host-invalid = Write a host name or an IP address, without spaces or slashes.
login-port = Port
login-port-invalid = The port is a number from 1 to 65535.
login-tls = Encryption
login-tls-starttls = StartTLS
login-tls-direct = Direct TLS
login-resource = Resource
login-resource-placeholder = Chosen by the server
login-resource-invalid = The resource is too long or has control characters.
login-timeout = Connection timeout (seconds)
login-timeout-invalid = The timeout is a whole number of seconds from 1 to { $max }.
login-allow-plain = Allow weaker sign-in methods
login-allow-plain-hint = Natter refuses a server that offers a weaker sign-in than the one that worked before (PLAIN, or SCRAM without channel binding), as someone in between would. Tick this only if your server changed on purpose.
login-test = Test connection
login-sign-in = Sign in
login-testing = Testing the connection…
login-signing-in = Signing in…
login-test-ok = Connected: online in { $ms } ms.
login-test-failed = The connection failed: { $reason }

## roster
roster-filter-placeholder = Filter contacts
roster-show-offline = Show offline contacts
roster-add-tooltip = Add a contact (Ctrl+N)
roster-group-default = Contacts
roster-group-count = { $online }/{ $total }
roster-empty = No contacts yet.
roster-no-match = No contact matches “{ $filter }”.
roster-all-offline = { $count ->
    [one] Your contact is offline.
   *[other] All { $count } contacts are offline.
}
roster-sub-both = Mutual: you see each other’s presence.
roster-sub-to = You see their presence; they do not see yours.
roster-sub-from = They see your presence; you do not see theirs.
roster-sub-from-ask = They see your presence; your request to see theirs waits for their answer.
roster-sub-none = Neither of you sees the other’s presence.
roster-sub-ask = Waiting for approval: you asked to see their presence.
roster-add-title = Add a contact
roster-add-jid = Address
roster-add-jid-placeholder = name@example.org
roster-add-jid-hint = Write their address, like name@example.org.
roster-add-jid-empty = The address is empty.
roster-add-jid-no-user = “{ $server }” is a server, not a person: write it as name@{ $server }.
roster-add-jid-resource = Leave out the part after “/”: write name@server only.
roster-add-jid-space = An address cannot contain spaces.
roster-add-jid-no-name = Write the name before “@”.
roster-add-jid-two-at = An address has only one “@”.
roster-add-jid-no-server = Write the server after “@”, like name@example.org.
roster-add-jid-char = “{ $char }” cannot appear in the name part of an address.
roster-add-jid-long = The address is too long.
roster-add-jid-invalid = This is not a valid address ({ $reason }).
roster-add-known = Already in your contacts as “{ $name }”. Adding again asks to see their presence; empty fields keep what is set.
roster-add-name = Name
roster-add-group = Group
roster-add-optional = Optional
roster-add-message = Message
roster-add-message-placeholder = Optional: say who you are
roster-add-explain = They will be asked to share their presence with you.
roster-add-share = Let them see my status
roster-add-share-on = They will see when you are online and your status, without asking you again.
roster-add-share-off = They will see your status only if they ask and you accept.
roster-add-cancel = Cancel
roster-add-submit = Add

## requests
requests-title = { $count ->
    [0] Contact requests
   *[other] Contact requests ({ $count })
}
requests-explain = These people ask to see when you are online and your status message. The address is what identifies them; a name they give is only what they claim.
requests-empty = No one is waiting for an answer. New requests will appear here.
requests-claims = claims to be “{ $nick }”
requests-known-as = in your contacts as “{ $name }”
requests-known = in your contacts
requests-look-alike = ⚠ not your contact “{ $name }” ({ $jid })
requests-message = “{ $message }”
requests-no-message = No message.
requests-approve = Approve
requests-approve-add = Approve and add
requests-deny = Deny
requests-block = Block
requests-presence-title = Who can see my presence
requests-sees-explain = Can see you: these contacts see when you are online and your status message. Revoke stops sharing it with them.
requests-waiting-explain = Waiting: you asked these people to share their presence and they have not answered yet. Cancel withdraws the request.
requests-sees-title = Can see you ({ $count })
requests-sees-empty = No one sees your presence.
requests-waiting-title = Waiting for an answer ({ $count })
requests-waiting-empty = You have no unanswered requests.
requests-revoke = Revoke
requests-cancel = Cancel request

## status
status-placeholder = Status message
status-recent = Recent
status-clear = Clear the status message

## settings
app-settings = Settings
settings-title = Settings
settings-close = Close
settings-language = Language
settings-language-hint = Natter follows the desktop's language unless you choose one here.
settings-language-desktop = As the desktop
settings-away = Away after
settings-away-hint = Without keyboard or mouse input for this long, your show becomes “away”, keeping your status message; it comes back when you return.
settings-xa = Extended away after
settings-xa-hint = Later still, “extended away”.
settings-never = Never
settings-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
language-en = English
language-ru = Русский
language-de = Deutsch
language-es = Español
language-zh-cn = 简体中文

## links
uri-not-xmpp = “{ $text }” is not an xmpp: link
uri-bad-escape = “{ $text }” has a broken %-escape
uri-open-failed = The xmpp: link could not be opened: { $reason }
uri-not-a-contact = { $jid } is not in your contacts.
cli-not-a-command = “{ $text }” is neither a command nor an xmpp: link (see natter --help)

## contact
contact-sub-both = You see their presence and they see yours.
contact-sub-to = You see their presence; they do not see yours.
contact-sub-from = They see your presence; you do not see theirs.
contact-sub-none = Neither of you sees the other's presence.
contact-sub-asked = You asked to see their presence and wait for their answer.
contact-name = Name
contact-name-placeholder = A name only you see
contact-groups = Groups
contact-groups-placeholder = Comma separated, e.g. Family, Work
contact-save = Save
contact-request = Ask to see theirs
contact-cancel-request = Cancel the request
contact-stop-seeing = Stop seeing theirs
contact-revoke = Stop sharing mine
contact-remove = Remove contact
contact-remove-confirm = Remove { $jid } from your contacts? You will no longer see each other's presence.
contact-remove-yes = Yes, remove
contact-remove-no = Keep
contact-stop-seeing-confirm = Stop seeing the presence of { $jid }? They will be told.
contact-stop-seeing-yes = Yes, stop
contact-stop-seeing-no = Keep seeing it
contact-close = Back to the conversation
contact-privacy = Presence sharing
contact-details = Details

## cli
# The command line: help texts, what it prints, its errors. Command names, flags (--json),
# JSON fields and values, and placeholders like JID stay as they are.
cli-about = A fast, light desktop XMPP messenger
cli-help-usage = Usage
cli-help-commands = Commands
cli-help-arguments = Arguments
cli-help-options = Options
cli-flag-help = Print help
cli-flag-version = Print version
cli-flag-account = The account to use (default: the default account, else the only one)
cli-flag-json = Print one JSON document instead of text
cli-flag-timeout = Seconds to wait for the server before giving up (online commands)
cli-cmd-account = Add, list or remove accounts
cli-cmd-account-add = Store an account and put its password in the keyring
cli-cmd-account-list = List the accounts
cli-cmd-account-remove = Remove an account, its local data and its password from the keyring
cli-cmd-check = Connect and report success, time to online, server features and the error, if any
cli-cmd-send = Send a message; returns once the server acknowledged it
cli-cmd-roster = Show the contact list (from the local store unless --refresh)
cli-cmd-presence = Show a contact's presence: show, status, idle or last seen
cli-cmd-requests = Show pending subscription requests (from the local store)
cli-cmd-accept = Accept a subscription request: the contact may see your presence
cli-cmd-deny = Deny a subscription request
cli-cmd-contact = Add or remove contacts
cli-cmd-contact-add = Add a contact and ask to see their presence
cli-cmd-contact-remove = Remove a contact (which also ends both subscriptions)
cli-cmd-history = Show the conversation with a contact (from the local store)
cli-cmd-headless = Run the session without a window: JSON lines on stdout (events) and stdin (commands)
cli-arg-account = The account
cli-arg-account-address = The account's address, name@server
cli-arg-contact = The contact
cli-arg-requester = The requester
cli-arg-text = The message, at most { $kib } KiB; read from stdin when absent
cli-flag-host = Server host to connect to instead of the DNS SRV lookup
cli-flag-port = Server port
cli-flag-tls = STARTTLS on the client port, or TLS from the first byte (XEP-0368)
cli-tls-starttls = STARTTLS, required (never plaintext)
cli-tls-direct = Direct TLS
cli-flag-resource = The resource to ask for (the server chooses one when unset)
cli-flag-password-stdin = Read the password from the first line of stdin
cli-flag-default = Make this the account commands use when none is named
cli-flag-allow-plain = Allow any sign-in method the server offers, down to PLAIN, even one weaker than the one that worked before
cli-flag-no-allow-plain = Refuse again a sign-in method weaker than the one that worked before (the default)
cli-flag-refresh = Fetch the roster from the server first
cli-flag-all = Also show answered requests
cli-flag-to = The recipient
cli-flag-wait-receipt = Wait for the recipient's delivery receipt, not only the server's acknowledgement
cli-flag-name = The name to show for them
cli-flag-group = A group to put them in (repeat for several)
cli-flag-message = A message to send with the subscription request
cli-flag-no-share = Do not let them see my presence: a request of theirs waits for my answer, as anyone's does
cli-flag-limit = How many messages, the newest ones
cli-flag-search = Only messages containing this text (full-text search)
# Between the items of a list on one line.
cli-list-separator = {", "}
cli-no-reason = no reason given
# Table headings (the first line of `account list`, `roster`, `requests`).
cli-column-jid = JID
cli-column-default = DEFAULT
cli-column-server = SERVER
cli-column-tls = TLS
cli-column-resource = RESOURCE
cli-column-name = NAME
cli-column-subscription = SUBSCRIPTION
cli-column-groups = GROUPS
cli-column-from = FROM
cli-column-state = STATE
cli-column-received = RECEIVED
cli-column-nick = NICK
cli-column-message = MESSAGE
cli-password-prompt = Password for { $jid }:
cli-account-added = Added { $jid } ({ $note }).
cli-account-updated = Updated { $jid } ({ $note }).
cli-account-password-in-keyring = the password is in the keyring
cli-account-password-from-env = no password stored: NATTER_PASSWORD will be used
cli-accounts-none = No accounts. Add one with `natter account add JID`.
cli-account-default-yes = yes
# The server of an account that is found through DNS.
cli-account-server-dns = (DNS)
cli-account-removed = Removed { $jid }.
cli-account-removed-keyring-failed = { $jid } is removed, but its password may still be in the keyring: { $reason }
cli-roster-empty = The roster is empty. Add a contact with `natter contact add JID`.
# A subscription state (RFC 6121) in the roster table; the JSON keeps none, to, from, both.
cli-subscription-none = none
cli-subscription-to = to
cli-subscription-from = from
cli-subscription-both = both
cli-roster-asked = { $subscription } (asked)
cli-requests-none = No subscription requests.
cli-requests-none-pending = No pending subscription requests.
cli-request-pending = pending
cli-request-accepted = accepted
cli-request-denied = denied
cli-history-empty = No messages with { $jid }.
# Who wrote an outgoing message, in `history`.
cli-history-me = me
cli-check-ok = ok
cli-check-online-in = online in
cli-check-ms = { $ms } ms
cli-check-features = features
cli-check-missing = missing
cli-check-not-reported = (not reported)
cli-feature-stream-management = stream management
cli-feature-roster-versioning = roster versioning
cli-feature-pre-approval = pre-approval
cli-feature-carbons = carbons
cli-feature-mam = archive (MAM)
cli-feature-blocking = blocking
cli-feature-last-activity = last activity
cli-feature-ping = ping
cli-send-type-message = Type the message, then Ctrl-D:
cli-sent-acked = Sent to { $jid } (acked, id { $id }).
cli-sent-delivered = Sent to { $jid } (delivered, id { $id }).
cli-presence-contact = contact
cli-presence-show = show
cli-presence-status = status
cli-presence-idle-since = idle since
cli-presence-last-seen = last seen
cli-presence-unknown = unknown
cli-presence-resources = resources
cli-presence-resource = { $resource }: { $show } (priority { $priority })
cli-accepted = Accepted { $jid }: they may see your presence.
cli-denied = Denied { $jid }.
cli-contact-added = Added { $jid } and asked to see their presence.
cli-contact-removed = Removed { $jid }.
cli-connection-lost = the connection was lost: { $reason }
# A flag or command and what is wrong with it: "--to: “example.org” has no user part".
cli-error-in-context = { $context }: { $problem }
cli-error-runtime = could not start the async runtime: { $reason }
cli-error-json = could not write JSON: { $reason }
cli-error-output = could not write the output: { $reason }
cli-error-no-account = no account: add one with `natter account add JID`
cli-error-unknown-account = no account { $jid }: add it with `natter account add { $jid }`
cli-error-no-default-account = there are several accounts and none is the default: choose one with --account JID
cli-error-remove-unknown-account = no account { $jid } (see `natter account list`)
cli-error-no-display = no graphical session (neither WAYLAND_DISPLAY nor DISPLAY is set): the window cannot open; see `natter --help` for the command line
cli-error-window = the window could not open
cli-error-window-reason = the window could not open: { $reason }
cli-error-no-window = this build of Natter has no window (it was built without the `gui` feature); see `natter --help` for the command line
cli-error-no-password-source = no password: give it with --password-stdin, run the command on a terminal, or set NATTER_PASSWORD
cli-error-host = --host: “{ $host }” is not a host name
cli-error-resource-empty = --resource: the resource is empty
cli-error-password-read = could not read the password from stdin: { $reason }
cli-error-password-read-stopped = reading the password stopped unexpectedly
cli-error-password-empty = no password on stdin
cli-error-no-password = no password for { $jid }: store one with `natter account add { $jid }` or set NATTER_PASSWORD
cli-error-sign-in-failed = { $jid } could not sign in: { $reason }
cli-error-connect = could not connect { $jid }: { $reason }
cli-error-ended-before-online = the session of { $jid } ended before it was online: { $reason }
cli-error-sign-in-timeout = timed out after { $seconds } s waiting to sign in to { $jid }
cli-error-session-unreachable = could not reach the session: { $reason }
cli-error-session-ended = the session ended unexpectedly: { $reason }
cli-error-headless-ended = the session of { $jid } ended unexpectedly
cli-error-search-empty = --search: the search text is empty
cli-error-send-empty = nothing to send: the message is empty
cli-error-send-too-long = the message is { $size } bytes long, and Natter sends at most { $max } bytes ({ $kib } KiB): shorten it or split it
cli-error-send-failed = the message to { $jid } failed: { $reason }
cli-error-send-no-receipt = timed out after { $seconds } s waiting for the receipt from { $jid }; the server has the message
cli-error-send-no-ack = timed out after { $seconds } s waiting for the server to acknowledge the message to { $jid }; it stays in the outbox and goes out the next time Natter is online
cli-error-stdin-read = could not read the message from stdin: { $reason }
cli-error-stdin-stopped = reading stdin stopped unexpectedly
cli-error-stdin-too-long = the message on stdin is longer than Natter sends: at most { $max } bytes ({ $kib } KiB)
cli-error-stdin-not-utf8 = the message on stdin is not UTF-8 text
cli-error-roster-timeout = timed out after { $seconds } s waiting for the roster
cli-error-group-empty = a group name is empty
cli-error-add-unconfirmed = the server did not confirm adding { $jid } within { $seconds } s
cli-error-remove-unconfirmed = the server did not confirm removing { $jid } within { $seconds } s
# Headless mode: why a line on stdin was not used (the `message` of an `error` event).
cli-headless-malformed = malformed command: { $reason }
cli-headless-body-empty = the body is empty
cli-headless-body-too-long = the body is { $size } bytes long; a message can have at most { $max } bytes ({ $kib } KiB)
cli-headless-bad-id = the id must be 1 to 128 printable characters
cli-headless-id-empty = the id is empty
cli-headless-unknown-show = unknown show “{ $show }”: use available, chat, away, xa or dnd
cli-headless-unknown-state = unknown state “{ $state }”
cli-headless-line-too-long = the line is longer than 1 MiB
cli-headless-line-not-utf8 = the line is not UTF-8 text
cli-panic = internal error: { $what }; please report it
cli-panic-at = internal error: { $what } at { $place }; please report it
cli-panic-unknown = unknown panic

## errors
# Errors of the engine (store, keyring, connection, session) as the window and the command line
# show them, and the warnings it logs on stderr.
error-address-empty = the address is empty
error-address-invalid = “{ $address }” is not a valid XMPP address: { $reason }
error-address-no-user = “{ $address }” has no user part: write it as name@{ $address }
error-address-resource = “{ $address }” has a resource (/…); give the address without it
error-paths-no-data-dir = no data directory: set NATTER_DATA_DIR or HOME
error-store-open = The message store at { $path } could not be opened: { $reason }.
error-store-corrupt = The file { $path } is not a Natter message store or is damaged.
error-store-too-new = The message store was written by a newer version of Natter (schema { $found }, this version knows up to { $supported }); please update Natter.
error-store-disk-full = The disk is full, so the change could not be saved.
error-store-read-only = The message store is read-only, so the change could not be saved.
error-store-sqlite = The message store reported an error: { $reason }.
error-store-closed = The message store is closed.
error-store-invalid = The message store holds a value this version cannot read: { $what }.
# What could not be read, e.g. "delivery state “sideways”".
error-store-value = { $what } “{ $value }”
error-store-value-tls-mode = TLS mode
error-store-value-show = show
error-store-value-direction = direction
error-store-value-delivery = delivery state
error-store-value-request-state = request state
error-store-value-subscription = subscription
error-store-value-group-list = group list
error-store-value-auth-method = sign-in method
error-store-value-schema = the schema version { $version }
error-store-value-out-of-range = the number { $value } in column { $column } is out of range
error-store-value-type = column { $column } holds a value of type { $kind }
error-store-value-not-utf8 = column { $column } holds text that is not UTF-8
error-keyring-unreachable = No keyring (Secret Service) is reachable ({ $reason }): start one (e.g. gnome-keyring) or set NATTER_PASSWORD for this command
error-keyring-failed = The keyring failed ({ $reason }): unlock or restart it, or set NATTER_PASSWORD for this command
error-keyring-stopped = the keyring call stopped unexpectedly
error-keyring-no-default = no default credential store
error-keyring-locked = no access to the keyring, is it locked? { $reason }
error-keyring-no-entry = no password stored
error-keyring-bad-encoding = the stored password is not valid text
error-keyring-bad-data = the stored password is damaged
error-keyring-damaged = the keyring is damaged: { $reason }
error-keyring-too-long = { $attribute } is longer than { $limit }
error-keyring-invalid = invalid { $what }: { $reason }
error-keyring-ambiguous = { $count ->
    [one] { $count } matching password
   *[other] { $count } matching passwords
}
error-keyring-unsupported = not supported: { $what }
error-keyring-unknown = unknown keyring error
error-connect-address = the account address is not valid: { $reason }
error-connect-no-user = { $address } has no user part
error-connect-unreachable = cannot reach the server: { $reason }
error-connect-closed = the server closed the connection
error-connect-timed-out = the connection timed out
error-connect-timeout = the server did not answer within { $seconds } s
error-connect-no-starttls = the server does not offer encryption (STARTTLS); Natter will not connect without it
error-connect-injection = the server sent unexpected data before encryption started; connection refused
error-connect-tls = the server's certificate cannot be trusted: { $reason }
error-connect-auth = the server refused the password ({ $reason })
error-connect-no-mechanism = no sign-in method in common with the server
error-auth-downgrade = { $jid } signed in with { $before } before, but the server now offers only { $offered }. Someone may be between you and the server, so Natter did not sign in. If the server changed on purpose, allow it with “natter account add { $jid } --allow-plain” or with “Allow weaker sign-in methods” in the advanced sign-in settings.
error-auth-wrong-signature = the server could not prove that it knows your password (its SCRAM signature is wrong): someone may be between you and the server, so Natter did not sign in
error-auth-no-signature = the server accepted the sign-in without proving that it knows your password (no SCRAM signature): someone may be between you and the server, so Natter did not sign in
error-auth-server-error = the server stopped the sign-in: { $reason }
error-auth-malformed = the server’s sign-in message cannot be read ({ $reason })
error-auth-no-randomness = this computer gave no random numbers for the sign-in
error-auth-unexpected = the server sent { $what } in the middle of the sign-in
log-auth-remembered-unreadable = the sign-in method remembered for the account could not be read: { $reason }
log-auth-not-remembered = the sign-in method that worked could not be remembered: { $reason }
auth-method-plain = PLAIN (the password itself)
auth-method-scram = SCRAM without channel binding
auth-method-scram-plus = SCRAM with channel binding
error-connect-refused = the server refused the session: { $reason }
error-connect-protocol = the connection failed: { $reason }
error-connect-ended = the server ended the session: { $reason }
error-stream-conflict = another device signed in with the same resource and replaced this session; Natter stopped so that the two do not keep replacing each other
error-stream-policy = the server says this session broke its rules (policy-violation)
error-stream-other = the server closed the stream ({ $condition })
error-stream-said = { $reason } (the server said: “{ $text }”)
error-wire-too-large = the server sent a stanza larger than { $mib } MiB; the connection was reset
error-wire-too-deep = the server sent a stanza nested more than { $levels } levels deep; the connection was reset
error-wire-refused = the server sent { $what }, which Natter does not accept; the connection was reset
error-wire-doctype = a document type declaration (DTD)
error-wire-comment = an XML comment
error-wire-instruction = an XML processing instruction
error-wire-entity = an undefined entity “&{ $name };”
error-session-ended = the session has ended
error-session-busy = the session is busy; try again
session-offline-ended = the connection ended
session-offline-lost = the connection was lost; reconnecting
session-error-empty-message = an empty message was not sent
session-error-too-long = a message of { $size } bytes was not sent: a message can have at most { $max } bytes ({ $kib } KiB)
session-undeliverable = the server could not deliver the message
session-error-undelivered = a message could not be delivered: { $reason }
session-error-roster = the server did not send the contact list: { $reason }
session-error-roster-change = the contact list change for { $jid } was refused: { $reason }
session-error-roster-retry = { $problem }. Contacts' presence is shown as the stored list has them; Natter asks the server again in { $seconds } s.
session-roster-no-answer = no answer
# What the session was doing when the store failed: "saving the message: The disk is full, …".
session-error-store = { $what }: { $reason }
session-error-received-later = Received messages could not be saved: { $reason }. They stay on the server, and Natter fetches them again once it can save them.
session-error-archive = The server's message archive cannot be read right now. Natter tries again in { $seconds } s; the messages it holds for you, and new ones, wait there until then.
session-store-save-message = saving the message
session-store-save-status = saving your status
session-store-retry = retrying the message
session-store-save-answer = saving your answer
session-store-read-archive-id = reading the newest archived message
session-store-read-outbox = reading the outbox
session-store-save-delivery = saving a delivery state
session-store-save-received = saving received messages
session-store-save-request = saving a subscription request
session-store-save-roster-change = saving a roster change
session-store-save-roster = saving the contact list
session-store-read-roster = reading the contact list
# Warnings on stderr (shown by default).
log-connect-certificates = while loading system certificates: { $reason }
log-session-iq-dropped = dropped an IQ response from an unexpected sender
log-store-job-panicked = a store job panicked; its caller gets an error
log-store-close-failed = closing the store failed
log-store-no-wal = the store could not switch to WAL
log-store-check-skipped = the store was closed cleanly and not changed since, so its damage check is skipped
log-store-seal-failed = the store could not note its clean close; the next start checks it in full
log-headless-stdout-closed = stdout is closed ({ $reason }); quitting
log-headless-stdin-failed = stdin failed ({ $reason }); quitting
log-headless-no-stdin = could not read stdin: { $reason }

## notifications
notify-open = Open
notify-unavailable = Desktop notifications are not available: { $reason }
