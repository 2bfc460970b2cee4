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

## errors
error-address-empty = la dirección está vacía
error-address-invalid = «{ $address }» no es una dirección XMPP válida: { $reason }
error-address-no-user = «{ $address }» no tiene parte de usuario: escríbela como name@{ $address }
error-address-resource = «{ $address }» tiene un recurso (/…); indica la dirección sin él
error-paths-no-data-dir = no hay directorio de datos: define NATTER_DATA_DIR o HOME
error-store-open = No se pudo abrir el almacén de mensajes en { $path }: { $reason }.
error-store-corrupt = El archivo { $path } no es un almacén de mensajes de Natter o está dañado.
error-store-too-new = El almacén de mensajes lo escribió una versión más reciente de Natter (esquema { $found }; esta versión conoce hasta el { $supported }); actualiza Natter.
error-store-disk-full = El disco está lleno, así que no se pudo guardar el cambio.
error-store-read-only = El almacén de mensajes es de solo lectura, así que no se pudo guardar el cambio.
error-store-sqlite = El almacén de mensajes informó de un error: { $reason }.
error-store-closed = El almacén de mensajes está cerrado.
error-store-invalid = El almacén de mensajes contiene un valor que esta versión no puede leer: { $what }.
error-store-value = { $what } «{ $value }»
error-store-value-tls-mode = modo TLS
error-store-value-show = disponibilidad
error-store-value-direction = sentido
error-store-value-delivery = estado de entrega
error-store-value-request-state = estado de la solicitud
error-store-value-subscription = suscripción
error-store-value-group-list = lista de grupos
error-store-value-schema = la versión de esquema { $version }
error-store-value-out-of-range = el número { $value } de la columna { $column } está fuera de rango
error-store-value-type = la columna { $column } contiene un valor de tipo { $kind }
error-store-value-not-utf8 = la columna { $column } contiene texto que no es UTF-8
error-keyring-unreachable = No se puede acceder a ningún llavero (Secret Service) ({ $reason }): inicia uno (p. ej., gnome-keyring) o define NATTER_PASSWORD para este comando
error-keyring-failed = El llavero falló ({ $reason }): desbloquéalo o reinícialo, o define NATTER_PASSWORD para este comando
error-keyring-stopped = la llamada al llavero se interrumpió inesperadamente
error-keyring-no-default = no hay almacén de credenciales predeterminado
error-keyring-locked = sin acceso al llavero, ¿está bloqueado? { $reason }
error-keyring-no-entry = no hay ninguna contraseña guardada
error-keyring-bad-encoding = la contraseña guardada no es texto válido
error-keyring-bad-data = la contraseña guardada está dañada
error-keyring-damaged = el llavero está dañado: { $reason }
error-keyring-too-long = { $attribute } supera { $limit }
error-keyring-invalid = valor no válido para { $what }: { $reason }
error-keyring-ambiguous = { $count ->
    [one] { $count } contraseña coincidente
   *[other] { $count } contraseñas coincidentes
}
error-keyring-unsupported = no admitido: { $what }
error-keyring-unknown = error desconocido del llavero
error-connect-address = la dirección de la cuenta no es válida: { $reason }
error-connect-no-user = { $address } no tiene parte de usuario
error-connect-unreachable = no se puede acceder al servidor: { $reason }
error-connect-closed = el servidor cerró la conexión
error-connect-timed-out = se agotó el tiempo de la conexión
error-connect-timeout = el servidor no respondió en { $seconds } s
error-connect-no-starttls = el servidor no ofrece cifrado (STARTTLS); Natter no se conecta sin él
error-connect-injection = el servidor envió datos inesperados antes de que empezara el cifrado; conexión rechazada
error-connect-tls = no se puede confiar en el certificado del servidor: { $reason }
error-connect-auth = el servidor rechazó la contraseña ({ $reason })
error-connect-no-mechanism = no hay ningún método de inicio de sesión en común con el servidor
error-connect-refused = el servidor rechazó la sesión: { $reason }
error-connect-protocol = la conexión falló: { $reason }
error-session-ended = la sesión ha terminado
error-session-busy = la sesión está ocupada; inténtalo de nuevo
session-offline-ended = la conexión terminó
session-offline-lost = se perdió la conexión; reconectando
session-error-empty-message = no se envió un mensaje vacío
session-undeliverable = el servidor no pudo entregar el mensaje
session-error-undelivered = no se pudo entregar un mensaje: { $reason }
session-error-roster = el servidor no envió la lista de contactos: { $reason }
session-error-roster-change = se rechazó el cambio de la lista de contactos para { $jid }: { $reason }
session-error-store = { $what }: { $reason }
session-store-save-message = al guardar el mensaje
session-store-save-status = al guardar tu estado
session-store-retry = al reintentar el mensaje
session-store-save-answer = al guardar tu respuesta
session-store-read-archive-id = al leer el mensaje archivado más reciente
session-store-read-outbox = al leer la bandeja de salida
session-store-save-delivery = al guardar un estado de entrega
session-store-save-received = al guardar los mensajes recibidos
session-store-save-request = al guardar una solicitud de suscripción
session-store-save-roster-change = al guardar un cambio de la lista de contactos
session-store-save-roster = al guardar la lista de contactos
session-store-read-roster = al leer la lista de contactos
log-connect-certificates = al cargar los certificados del sistema: { $reason }
log-session-iq-dropped = se descartó una respuesta IQ de un remitente inesperado
log-store-job-panicked = una tarea del almacén falló de forma inesperada; quien la pidió recibe un error
log-store-close-failed = no se pudo cerrar el almacén
log-store-no-wal = el almacén no pudo pasar al modo WAL
log-headless-stdout-closed = stdout está cerrado ({ $reason }); saliendo
log-headless-stdin-failed = falló la lectura de stdin ({ $reason }); saliendo
log-headless-no-stdin = no se pudo leer stdin: { $reason }
