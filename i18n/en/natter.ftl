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
app-conn-idle = Not signed in
app-conn-online = Online
app-conn-connecting = Connecting…
app-conn-retrying = Reconnecting in { $seconds } s ({ $reason })
app-conn-offline = Offline: { $reason }
app-retry-now = Retry now
app-presence-unknown = Presence unknown
app-last-seen = Last seen { $when }
notify-request-title = New contact request
notify-request-body = { $jid } asks to see when you are online.
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
chat-too-long = This message is too long to send ({ $size } bytes; at most { $max }).
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
contact-close = Back to the conversation
contact-privacy = Presence sharing
contact-details = Details

## notifications
notify-open = Open
