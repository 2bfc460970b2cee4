# Natter — español (los mismos identificadores que el archivo de referencia en inglés)

app-title = Natter

## app
app-title-unread = Natter ({ $count })
app-welcome = Elige un contacto para empezar a chatear.
app-requests = Solicitudes y privacidad
app-error-session = La sesión no aceptó la solicitud: { $reason }
app-error-offline = Sin conexión: inicia sesión primero.
app-error-store = Natter no puede abrir su archivo de datos: { $reason }
app-error-link = Solo se pueden abrir enlaces web, de correo y de XMPP.
app-error-open = No se pudo abrir el enlace: { $reason }
app-conn-idle = Sesión no iniciada
app-conn-online = En línea
app-conn-connecting = Conectando…
app-conn-retrying = Reconectando en { $seconds } s ({ $reason })
app-conn-offline = Desconectado: { $reason }
app-retry-now = Reintentar ahora
app-presence-unknown = Presencia desconocida
app-last-seen = Última vez en línea: { $when }
notify-request-title = Nueva solicitud de contacto
notify-request-body = { $jid } quiere ver cuándo estás en línea.
show-available = Disponible
show-chat = Libre para charlar
show-away = Ausente
show-xa = Ausente por mucho tiempo
show-dnd = No molestar
show-unavailable = Desconectado

## chat
chat-search = Buscar
chat-search-placeholder = Buscar en esta conversación
chat-search-submit = Buscar
chat-search-close = Cerrar
chat-searching = Buscando…
chat-search-count = { $count ->
    [0] No se encontraron mensajes.
    [one] Se encontró un mensaje.
   *[other] Se encontraron { $count } mensajes.
}
chat-you = Tú
chat-loading = Cargando mensajes…
chat-load-older = Mostrar mensajes anteriores
chat-empty = Aún no hay mensajes. ¡Saluda!
chat-start = Este es el comienzo de la conversación.
chat-placeholder = Escribe un mensaje (Enter envía, Shift+Enter inserta una nueva línea)
chat-send = Enviar
chat-retry = Reintentar
chat-typing = { $name } está escribiendo…
chat-paused = { $name } dejó de escribir.
chat-too-long = Este mensaje es demasiado largo para enviarlo ({ $size } bytes; máximo { $max }).
chat-mark-queued = ◷
chat-mark-sent = ↑
chat-mark-acked = ✓
chat-mark-delivered = ✓✓
chat-mark-failed = ⚠ No enviado
chat-day-today = Hoy
chat-day-yesterday = Ayer
chat-day-this-year = { $weekday }, { $day } de { $month }
chat-day-date = { $weekday }, { $day } de { $month } de { $year }
chat-weekday-mon = Lunes
chat-weekday-tue = Martes
chat-weekday-wed = Miércoles
chat-weekday-thu = Jueves
chat-weekday-fri = Viernes
chat-weekday-sat = Sábado
chat-weekday-sun = Domingo
chat-month-1 = enero
chat-month-2 = febrero
chat-month-3 = marzo
chat-month-4 = abril
chat-month-5 = mayo
chat-month-6 = junio
chat-month-7 = julio
chat-month-8 = agosto
chat-month-9 = septiembre
chat-month-10 = octubre
chat-month-11 = noviembre
chat-month-12 = diciembre

## login
login-title = Te damos la bienvenida a Natter
login-intro = Inicia sesión con tu cuenta XMPP (Jabber).
login-jid = Dirección
login-jid-placeholder = name@example.org
login-jid-hint = Tu dirección completa, por ejemplo name@example.org.
login-jid-empty = Escribe tu dirección, por ejemplo name@example.org.
login-jid-no-user = «{ $address }» es un servidor, no una cuenta: escríbela como nombre@{ $address }.
login-jid-has-resource = Quita la parte «/…»: escribe solo nombre@servidor.
login-jid-spaces = Una dirección no puede contener espacios.
login-jid-two-at = Una dirección solo tiene una @.
login-jid-no-user-part = Falta el nombre antes de la @.
login-jid-no-server = Falta el servidor después de la @.
login-jid-invalid = «{ $address }» no es una dirección válida: escríbela como nombre@servidor.
login-password = Contraseña
login-password-placeholder = Tu contraseña
login-remember = Recordar contraseña
login-no-keyring = No hay ningún llavero disponible en este escritorio, así que Natter no puede guardar tu contraseña: te la pedirá en cada inicio.
login-advanced-show = ▸ Configuración avanzada
login-advanced-hide = ▾ Configuración avanzada
login-host = Host del servidor
login-host-placeholder = Obtenido mediante DNS
login-host-invalid = Escribe un nombre de host o una dirección IP, sin espacios ni barras.
login-port = Puerto
login-port-invalid = El puerto es un número entre 1 y 65535.
login-tls = Cifrado
login-tls-starttls = StartTLS
login-tls-direct = TLS directo
login-resource = Recurso
login-resource-placeholder = Elegido por el servidor
login-resource-invalid = El recurso es demasiado largo o contiene caracteres de control.
login-timeout = Tiempo de espera de conexión (segundos)
login-timeout-invalid = El tiempo de espera es un número entero de segundos entre 1 y { $max }.
login-test = Probar conexión
login-sign-in = Iniciar sesión
login-testing = Probando la conexión…
login-signing-in = Iniciando sesión…
login-test-ok = Conectado: en línea en { $ms } ms.
login-test-failed = La conexión falló: { $reason }

## roster
roster-filter-placeholder = Filtrar contactos
roster-show-offline = Mostrar contactos desconectados
roster-add-tooltip = Añadir un contacto (Ctrl+N)
roster-group-default = Contactos
roster-group-count = { $online }/{ $total }
roster-empty = Aún no hay contactos.
roster-no-match = Ningún contacto coincide con «{ $filter }».
roster-all-offline = { $count ->
    [one] Tu contacto está desconectado.
   *[other] Los { $count } contactos están desconectados.
}
roster-sub-both = Mutua: cada uno ve la presencia del otro.
roster-sub-to = Ves su presencia; el contacto no ve la tuya.
roster-sub-from = El contacto ve tu presencia; tú no ves la suya.
roster-sub-from-ask = El contacto ve tu presencia; tu solicitud para ver la suya espera respuesta.
roster-sub-none = Ninguno de los dos ve la presencia del otro.
roster-sub-ask = Esperando aprobación: pediste ver su presencia.
roster-add-title = Añadir un contacto
roster-add-jid = Dirección
roster-add-jid-placeholder = name@example.org
roster-add-jid-hint = Escribe su dirección, por ejemplo name@example.org.
roster-add-jid-empty = La dirección está vacía.
roster-add-jid-no-user = «{ $server }» es un servidor, no una persona: escríbela como nombre@{ $server }.
roster-add-jid-resource = Quita la parte que va después de «/»: escribe solo nombre@servidor.
roster-add-jid-space = Una dirección no puede contener espacios.
roster-add-jid-no-name = Escribe el nombre antes de «@».
roster-add-jid-two-at = Una dirección solo tiene una «@».
roster-add-jid-no-server = Escribe el servidor después de «@», por ejemplo name@example.org.
roster-add-jid-char = «{ $char }» no puede aparecer en la parte del nombre de una dirección.
roster-add-jid-long = La dirección es demasiado larga.
roster-add-jid-invalid = No es una dirección válida ({ $reason }).
roster-add-known = Ya está en tus contactos como «{ $name }». Añadirlo de nuevo pide ver su presencia; los campos vacíos conservan su valor actual.
roster-add-name = Nombre
roster-add-group = Grupo
roster-add-optional = Opcional
roster-add-message = Mensaje
roster-add-message-placeholder = Opcional: di quién eres
roster-add-explain = Se le pedirá que comparta su presencia contigo.
roster-add-cancel = Cancelar
roster-add-submit = Añadir

## requests
requests-title = { $count ->
    [0] Solicitudes de contacto
   *[other] Solicitudes de contacto ({ $count })
}
requests-explain = Estas personas quieren ver cuándo estás en línea y tu mensaje de estado. Lo que las identifica es la dirección; el nombre que dan es solo lo que afirman ser.
requests-empty = Nadie espera respuesta. Las nuevas solicitudes aparecerán aquí.
requests-claims = dice ser «{ $nick }»
requests-known-as = en tus contactos como «{ $name }»
requests-known = en tus contactos
requests-message = «{ $message }»
requests-no-message = Sin mensaje.
requests-approve = Aprobar
requests-approve-add = Aprobar y añadir
requests-deny = Rechazar
requests-block = Bloquear
requests-presence-title = Quién puede ver mi presencia
requests-sees-explain = Te ven: estos contactos ven cuándo estás en línea y tu mensaje de estado. «Revocar» deja de compartirlo con ellos.
requests-waiting-explain = En espera: pediste a estas personas que compartan su presencia y aún no han respondido. «Cancelar solicitud» la retira.
requests-sees-title = Te ven ({ $count })
requests-sees-empty = Nadie ve tu presencia.
requests-waiting-title = Esperando respuesta ({ $count })
requests-waiting-empty = No tienes solicitudes sin responder.
requests-revoke = Revocar
requests-cancel = Cancelar solicitud

## status
status-placeholder = Mensaje de estado
status-recent = Recientes
status-clear = Borrar el mensaje de estado

## contact
contact-sub-both = Ves su presencia y el contacto ve la tuya.
contact-sub-to = Ves su presencia; el contacto no ve la tuya.
contact-sub-from = El contacto ve tu presencia; tú no ves la suya.
contact-sub-none = Ninguno de los dos ve la presencia del otro.
contact-sub-asked = Pediste ver su presencia y esperas su respuesta.
contact-name = Nombre
contact-name-placeholder = Un nombre que solo ves tú
contact-groups = Grupos
contact-groups-placeholder = Separados por comas, p. ej. Familia, Trabajo
contact-save = Guardar
contact-request = Pedir ver su presencia
contact-cancel-request = Cancelar la solicitud
contact-stop-seeing = Dejar de ver su presencia
contact-revoke = Dejar de compartir la mía
contact-remove = Eliminar contacto
contact-remove-confirm = ¿Eliminar a { $jid } de tus contactos? Ninguno de los dos verá ya la presencia del otro.
contact-remove-yes = Sí, eliminar
contact-remove-no = Conservar
contact-close = Volver a la conversación
contact-privacy = Compartir presencia
contact-details = Detalles

## notifications
notify-open = Abrir
