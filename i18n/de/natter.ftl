# Natter — Deutsch (dieselben IDs wie die englische Referenzdatei)

app-title = Natter

## app
app-title-unread = Natter ({ $count })
app-welcome = Wähle einen Kontakt, um zu chatten.
app-requests = Anfragen und Privatsphäre
app-error-session = Die Sitzung hat die Anfrage nicht angenommen: { $reason }
app-error-offline = Nicht verbunden: Bitte melde dich zuerst an.
app-error-store = Natter kann seine Datendatei nicht öffnen: { $reason }
app-error-link = Nur Web-, E-Mail- und XMPP-Links können geöffnet werden.
app-error-open = Der Link konnte nicht geöffnet werden: { $reason }
app-conn-idle = Nicht angemeldet
app-conn-online = Online
app-conn-connecting = Verbindung wird hergestellt…
app-conn-retrying = Neuer Verbindungsversuch in { $seconds } s ({ $reason })
app-conn-offline = Offline: { $reason }
app-retry-now = Jetzt erneut versuchen
app-presence-unknown = Anwesenheit unbekannt
app-last-seen = Zuletzt online: { $when }
notify-request-title = Neue Kontaktanfrage
notify-request-body = { $jid } möchte sehen, wann du online bist.
show-available = Verfügbar
show-chat = Gesprächsbereit
show-away = Abwesend
show-xa = Länger abwesend
show-dnd = Bitte nicht stören
show-unavailable = Offline

## chat
chat-search = Suchen
chat-search-placeholder = In dieser Unterhaltung suchen
chat-search-submit = Finden
chat-search-close = Schließen
chat-searching = Suche läuft…
chat-search-count = { $count ->
    [0] Keine Nachrichten gefunden.
    [one] Eine Nachricht gefunden.
   *[other] { $count } Nachrichten gefunden.
}
chat-you = Du
chat-loading = Nachrichten werden geladen…
chat-load-older = Frühere Nachrichten anzeigen
chat-empty = Noch keine Nachrichten. Sag Hallo!
chat-start = Hier beginnt eure Unterhaltung.
chat-placeholder = Nachricht schreiben (Enter sendet, Shift+Enter beginnt eine neue Zeile)
chat-send = Senden
chat-retry = Erneut versuchen
chat-typing = { $name } schreibt…
chat-paused = { $name } schreibt nicht mehr.
chat-too-long = Diese Nachricht ist zu lang zum Senden ({ $size } Bytes; höchstens { $max }).
chat-mark-queued = ◷
chat-mark-sent = ↑
chat-mark-acked = ✓
chat-mark-delivered = ✓✓
chat-mark-failed = ⚠ Nicht gesendet
chat-day-today = Heute
chat-day-yesterday = Gestern
chat-day-this-year = { $weekday }, { $day }. { $month }
chat-day-date = { $weekday }, { $day }. { $month } { $year }
chat-weekday-mon = Montag
chat-weekday-tue = Dienstag
chat-weekday-wed = Mittwoch
chat-weekday-thu = Donnerstag
chat-weekday-fri = Freitag
chat-weekday-sat = Samstag
chat-weekday-sun = Sonntag
chat-month-1 = Januar
chat-month-2 = Februar
chat-month-3 = März
chat-month-4 = April
chat-month-5 = Mai
chat-month-6 = Juni
chat-month-7 = Juli
chat-month-8 = August
chat-month-9 = September
chat-month-10 = Oktober
chat-month-11 = November
chat-month-12 = Dezember

## login
login-title = Willkommen bei Natter
login-intro = Melde dich mit deinem XMPP-Konto (Jabber) an.
login-jid = Adresse
login-jid-placeholder = name@example.org
login-jid-hint = Deine vollständige Adresse, etwa name@example.org.
login-jid-empty = Gib deine Adresse ein, etwa name@example.org.
login-jid-no-user = „{ $address }“ ist ein Server, kein Konto: Schreibe die Adresse als name@{ $address }.
login-jid-has-resource = Lass den Teil „/…“ weg: Schreibe nur name@server.
login-jid-spaces = Eine Adresse darf keine Leerzeichen enthalten.
login-jid-two-at = Eine Adresse hat nur ein @.
login-jid-no-user-part = Der Name vor dem @ fehlt.
login-jid-no-server = Der Server nach dem @ fehlt.
login-jid-invalid = „{ $address }“ ist keine gültige Adresse: Schreibe sie als name@server.
login-password = Passwort
login-password-placeholder = Dein Passwort
login-remember = Passwort merken
login-no-keyring = Auf diesem Desktop ist kein Schlüsselbund verfügbar, daher kann Natter dein Passwort nicht speichern: Es wird bei jedem Start danach gefragt.
login-advanced-show = ▸ Erweiterte Einstellungen
login-advanced-hide = ▾ Erweiterte Einstellungen
login-host = Server-Host
login-host-placeholder = Per DNS ermittelt
login-host-invalid = Gib einen Hostnamen oder eine IP-Adresse ein, ohne Leerzeichen oder Schrägstriche.
login-port = Port
login-port-invalid = Der Port ist eine Zahl von 1 bis 65535.
login-tls = Verschlüsselung
login-tls-starttls = StartTLS
login-tls-direct = Direktes TLS
login-resource = Ressource
login-resource-placeholder = Vom Server gewählt
login-resource-invalid = Die Ressource ist zu lang oder enthält Steuerzeichen.
login-timeout = Verbindungs-Timeout (Sekunden)
login-timeout-invalid = Das Timeout ist eine ganze Zahl von Sekunden von 1 bis { $max }.
login-test = Verbindung testen
login-sign-in = Anmelden
login-testing = Verbindung wird getestet…
login-signing-in = Anmeldung läuft…
login-test-ok = Verbunden: online in { $ms } ms.
login-test-failed = Die Verbindung ist fehlgeschlagen: { $reason }

## roster
roster-filter-placeholder = Kontakte filtern
roster-show-offline = Offline-Kontakte anzeigen
roster-add-tooltip = Kontakt hinzufügen (Ctrl+N)
roster-group-default = Kontakte
roster-group-count = { $online }/{ $total }
roster-empty = Noch keine Kontakte.
roster-no-match = Kein Kontakt passt zu „{ $filter }“.
roster-all-offline = { $count ->
    [one] Dein Kontakt ist offline.
   *[other] Alle { $count } Kontakte sind offline.
}
roster-sub-both = Gegenseitig: Ihr seht gegenseitig eure Anwesenheit.
roster-sub-to = Du siehst die Anwesenheit des Kontakts, er deine aber nicht.
roster-sub-from = Der Kontakt sieht deine Anwesenheit, du seine aber nicht.
roster-sub-from-ask = Der Kontakt sieht deine Anwesenheit; deine Anfrage, seine zu sehen, wartet auf Antwort.
roster-sub-none = Keiner von euch sieht die Anwesenheit des anderen.
roster-sub-ask = Wartet auf Bestätigung: Du hast angefragt, die Anwesenheit des Kontakts zu sehen.
roster-add-title = Kontakt hinzufügen
roster-add-jid = Adresse
roster-add-jid-placeholder = name@example.org
roster-add-jid-hint = Gib die Adresse des Kontakts ein, etwa name@example.org.
roster-add-jid-empty = Die Adresse ist leer.
roster-add-jid-no-user = „{ $server }“ ist ein Server, keine Person: Schreibe die Adresse als name@{ $server }.
roster-add-jid-resource = Lass den Teil nach „/“ weg: Schreibe nur name@server.
roster-add-jid-space = Eine Adresse darf keine Leerzeichen enthalten.
roster-add-jid-no-name = Gib vor dem „@“ den Namen an.
roster-add-jid-two-at = Eine Adresse hat nur ein „@“.
roster-add-jid-no-server = Gib nach dem „@“ den Server an, etwa name@example.org.
roster-add-jid-char = „{ $char }“ darf im Namensteil einer Adresse nicht vorkommen.
roster-add-jid-long = Die Adresse ist zu lang.
roster-add-jid-invalid = Das ist keine gültige Adresse ({ $reason }).
roster-add-known = Bereits in deinen Kontakten als „{ $name }“. Erneutes Hinzufügen fragt an, die Anwesenheit zu sehen; leere Felder behalten ihren Wert.
roster-add-name = Name
roster-add-group = Gruppe
roster-add-optional = Optional
roster-add-message = Nachricht
roster-add-message-placeholder = Optional: Sag, wer du bist
roster-add-explain = Der Kontakt wird gebeten, seine Anwesenheit mit dir zu teilen.
roster-add-cancel = Abbrechen
roster-add-submit = Hinzufügen

## requests
requests-title = { $count ->
    [0] Kontaktanfragen
   *[other] Kontaktanfragen ({ $count })
}
requests-explain = Diese Personen möchten sehen, wann du online bist, und deine Statusnachricht lesen. Sie werden durch ihre Adresse identifiziert; ein angegebener Name ist nur eine Behauptung.
requests-empty = Niemand wartet auf eine Antwort. Neue Anfragen erscheinen hier.
requests-claims = gibt sich als „{ $nick }“ aus
requests-known-as = in deinen Kontakten als „{ $name }“
requests-known = in deinen Kontakten
requests-message = „{ $message }“
requests-no-message = Keine Nachricht.
requests-approve = Annehmen
requests-approve-add = Annehmen und hinzufügen
requests-deny = Ablehnen
requests-block = Blockieren
requests-presence-title = Wer meine Anwesenheit sehen kann
requests-sees-explain = Sehen dich: Diese Kontakte sehen, wann du online bist, und deine Statusnachricht. „Entziehen“ beendet das Teilen mit ihnen.
requests-waiting-explain = Ausstehend: Du hast diese Personen gebeten, ihre Anwesenheit zu teilen, und sie haben noch nicht geantwortet. „Anfrage zurückziehen“ nimmt die Anfrage zurück.
requests-sees-title = Sehen dich ({ $count })
requests-sees-empty = Niemand sieht deine Anwesenheit.
requests-waiting-title = Warten auf Antwort ({ $count })
requests-waiting-empty = Du hast keine unbeantworteten Anfragen.
requests-revoke = Entziehen
requests-cancel = Anfrage zurückziehen

## status
status-placeholder = Statusnachricht
status-recent = Zuletzt verwendet
status-clear = Statusnachricht löschen

## contact
contact-sub-both = Du siehst die Anwesenheit des Kontakts und er deine.
contact-sub-to = Du siehst die Anwesenheit des Kontakts, er deine aber nicht.
contact-sub-from = Der Kontakt sieht deine Anwesenheit, du seine aber nicht.
contact-sub-none = Keiner von euch sieht die Anwesenheit des anderen.
contact-sub-asked = Du hast angefragt, die Anwesenheit des Kontakts zu sehen, und wartest auf Antwort.
contact-name = Name
contact-name-placeholder = Ein Name, den nur du siehst
contact-groups = Gruppen
contact-groups-placeholder = Durch Kommas getrennt, z. B. Familie, Arbeit
contact-save = Speichern
contact-request = Anwesenheit anfragen
contact-cancel-request = Anfrage zurückziehen
contact-stop-seeing = Anwesenheit abbestellen
contact-revoke = Freigabe entziehen
contact-remove = Kontakt entfernen
contact-remove-confirm = { $jid } aus deinen Kontakten entfernen? Ihr seht dann die Anwesenheit des anderen nicht mehr.
contact-remove-yes = Ja, entfernen
contact-remove-no = Behalten
contact-close = Zurück zur Unterhaltung
contact-privacy = Anwesenheit teilen
contact-details = Details

## notifications
notify-open = Öffnen
