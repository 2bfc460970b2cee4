# Natter — русский (идентификаторы совпадают с английским файлом)

app-title = Natter

## app
app-title-unread = Natter ({ $count })
app-welcome = Выберите контакт, чтобы начать переписку.
app-requests = Запросы и приватность
app-error-session = Сеанс не принял запрос: { $reason }
app-error-offline = Нет подключения: сначала войдите.
app-error-store = Natter не может открыть файл данных: { $reason }
app-error-link = Открывать можно только веб-ссылки, ссылки на почту и XMPP.
app-error-open = Не удалось открыть ссылку: { $reason }
app-error-task = Фоновая задача Natter прервалась, не закончив работу; попробуйте ещё раз.
app-conn-idle = Вход не выполнен
app-conn-online = В сети
app-conn-connecting = Подключение…
app-conn-retrying = Переподключение через { $seconds } с ({ $reason })
app-conn-offline = Не в сети: { $reason }
app-retry-now = Повторить сейчас
app-catching-up = { $count ->
    [0] Загрузка сообщений из архива сервера…
    [one] Загрузка сообщений из архива сервера… пока { $count } новое
    [few] Загрузка сообщений из архива сервера… пока { $count } новых
    [many] Загрузка сообщений из архива сервера… пока { $count } новых
   *[other] Загрузка сообщений из архива сервера… пока { $count } новых
}
app-presence-unknown = Статус неизвестен
app-last-seen = Последний раз в сети: { $when }
notify-request-title = Новый запрос на подписку
notify-request-body = { $jid } хочет видеть, когда вы в сети.
notify-more = Ещё { $count }; последнее: { $last }
show-available = В сети
show-chat = Хочу поболтать
show-away = Отсутствую
show-xa = Давно отсутствую
show-dnd = Не беспокоить
show-unavailable = Не в сети

## chat
chat-search = Поиск
chat-search-placeholder = Поиск в этой переписке
chat-search-submit = Найти
chat-search-close = Закрыть
chat-searching = Поиск…
chat-search-count = { $count ->
    [0] Сообщения не найдены.
    [one] Найдено { $count } сообщение.
    [few] Найдено { $count } сообщения.
    [many] Найдено { $count } сообщений.
   *[other] Найдено { $count } сообщения.
}
chat-you = Вы
chat-loading = Загрузка сообщений…
chat-load-older = Показать более ранние сообщения
chat-empty = Сообщений пока нет. Поздоровайтесь!
chat-start = Это начало вашей переписки.
chat-placeholder = Напишите сообщение (Enter — отправить, Shift+Enter — новая строка)
chat-send = Отправить
chat-retry = Повторить
chat-typing = { $name } печатает…
chat-paused = { $name } больше не печатает.
chat-too-long = Сообщение слишком длинное для отправки: { $size } байт, а в сообщении может быть не более { $max } байт ({ $kib } КиБ). Сократите его или разбейте на несколько.
chat-show-less = Свернуть
chat-show-all = { $lines ->
    [one] Показать всё ({ $lines } строка)
    [few] Показать всё ({ $lines } строки)
    [many] Показать всё ({ $lines } строк)
   *[other] Показать всё ({ $lines } строки)
}
chat-not-sent = Не отправлено: { $reason }. Ваш текст остался здесь; отправьте его снова, когда это будет устранено.
chat-mark-queued = ◷
chat-mark-sent = ↑
chat-mark-acked = ✓
chat-mark-delivered = ✓✓
chat-mark-failed = ⚠ Не отправлено
chat-day-today = Сегодня
chat-day-yesterday = Вчера
chat-day-this-year = { $weekday }, { $day } { $month }
chat-day-date = { $weekday }, { $day } { $month } { $year } г.
chat-weekday-mon = Понедельник
chat-weekday-tue = Вторник
chat-weekday-wed = Среда
chat-weekday-thu = Четверг
chat-weekday-fri = Пятница
chat-weekday-sat = Суббота
chat-weekday-sun = Воскресенье
chat-month-1 = января
chat-month-2 = февраля
chat-month-3 = марта
chat-month-4 = апреля
chat-month-5 = мая
chat-month-6 = июня
chat-month-7 = июля
chat-month-8 = августа
chat-month-9 = сентября
chat-month-10 = октября
chat-month-11 = ноября
chat-month-12 = декабря

## login
login-title = Добро пожаловать в Natter
login-intro = Войдите с помощью учётной записи XMPP (Jabber).
login-jid = Адрес
login-jid-placeholder = name@example.org
login-jid-hint = Ваш полный адрес, например name@example.org.
login-jid-empty = Введите свой адрес, например name@example.org.
login-jid-no-user = «{ $address }» — это сервер, а не учётная запись: напишите имя@{ $address }.
login-jid-has-resource = Уберите часть «/…»: напишите только имя@сервер.
login-jid-spaces = Адрес не может содержать пробелы.
login-jid-two-at = В адресе может быть только один символ @.
login-jid-no-user-part = Не указано имя перед @.
login-jid-no-server = Не указан сервер после @.
login-jid-invalid = «{ $address }» — недопустимый адрес: напишите его в виде имя@сервер.
login-password = Пароль
login-password-placeholder = Ваш пароль
login-remember = Запомнить пароль
login-no-keyring = В этой рабочей среде нет связки ключей, поэтому Natter не может сохранить пароль: он будет запрашиваться при каждом запуске.
login-advanced-show = ▸ Дополнительные настройки
login-advanced-hide = ▾ Дополнительные настройки
login-host = Хост сервера
login-host-placeholder = Определяется через DNS
login-host-invalid = Укажите имя хоста или IP-адрес без пробелов и косых черт.
login-port = Порт
login-port-invalid = Порт — это число от 1 до 65535.
login-tls = Шифрование
login-tls-starttls = StartTLS
login-tls-direct = Прямой TLS
login-resource = Ресурс
login-resource-placeholder = Выбирается сервером
login-resource-invalid = Ресурс слишком длинный или содержит управляющие символы.
login-timeout = Тайм-аут подключения (секунды)
login-timeout-invalid = Тайм-аут — целое число секунд от 1 до { $max }.
login-allow-plain = Разрешить более слабые способы входа
login-allow-plain-hint = Natter отказывается от сервера, который предлагает более слабый способ входа, чем тот, что уже работал (PLAIN или SCRAM без привязки к каналу): так поступил бы посредник. Отметьте, только если ваш сервер изменился намеренно.
login-test = Проверить подключение
login-sign-in = Войти
login-testing = Проверка подключения…
login-signing-in = Вход…
login-test-ok = Подключено: вход выполнен за { $ms } мс.
login-test-failed = Не удалось подключиться: { $reason }

## roster
roster-filter-placeholder = Поиск по контактам
roster-show-offline = Показывать контакты не в сети
roster-add-tooltip = Добавить контакт (Ctrl+N)
roster-group-default = Контакты
roster-group-count = { $online }/{ $total }
roster-empty = Контактов пока нет.
roster-no-match = Нет контактов, подходящих под «{ $filter }».
roster-all-offline = { $count ->
    [1] Ваш контакт не в сети.
    [one] Все контакты не в сети ({ $count }).
    [few] Все { $count } контакта не в сети.
    [many] Все { $count } контактов не в сети.
   *[other] Все контакты не в сети ({ $count }).
}
roster-sub-both = Взаимная подписка: вы видите статусы присутствия друг друга.
roster-sub-to = Вы видите статус присутствия контакта, а он ваш — нет.
roster-sub-from = Контакт видит ваш статус присутствия, а вы его — нет.
roster-sub-from-ask = Контакт видит ваш статус присутствия; ваш запрос на подписку ожидает ответа.
roster-sub-none = Никто из вас не видит статус присутствия другого.
roster-sub-ask = Ожидает одобрения: вы запросили статус присутствия контакта.
roster-add-title = Добавить контакт
roster-add-jid = Адрес
roster-add-jid-placeholder = name@example.org
roster-add-jid-hint = Укажите адрес собеседника, например name@example.org.
roster-add-jid-empty = Адрес не указан.
roster-add-jid-no-user = «{ $server }» — это сервер, а не человек: напишите имя@{ $server }.
roster-add-jid-resource = Уберите часть после «/»: напишите только имя@сервер.
roster-add-jid-space = Адрес не может содержать пробелы.
roster-add-jid-no-name = Укажите имя перед «@».
roster-add-jid-two-at = В адресе может быть только один символ «@».
roster-add-jid-no-server = Укажите сервер после «@», например name@example.org.
roster-add-jid-char = Символ «{ $char }» недопустим в имени адреса.
roster-add-jid-long = Адрес слишком длинный.
roster-add-jid-invalid = Недопустимый адрес ({ $reason }).
roster-add-known = Уже есть в ваших контактах как «{ $name }». Повторное добавление отправит запрос на подписку; пустые поля не изменят текущие значения.
roster-add-name = Имя
roster-add-group = Группа
roster-add-optional = Необязательно
roster-add-message = Сообщение
roster-add-message-placeholder = Необязательно: представьтесь
roster-add-explain = Контакту придёт запрос поделиться с вами статусом присутствия.
roster-add-share = Показывать им мой статус
roster-add-share-on = Контакт будет видеть, когда вы в сети, и ваш статус — без повторного вопроса.
roster-add-share-off = Контакт увидит ваш статус, только если попросит, а вы согласитесь.
roster-add-cancel = Отмена
roster-add-submit = Добавить

## requests
requests-title = { $count ->
    [0] Запросы на подписку
   *[other] Запросы на подписку ({ $count })
}
requests-explain = Эти люди хотят видеть, когда вы в сети, и ваше статусное сообщение. Их определяет адрес; имя, которое они указали, — лишь то, как они себя называют.
requests-empty = Никто не ждёт ответа. Новые запросы появятся здесь.
requests-claims = называет себя «{ $nick }»
requests-known-as = в ваших контактах как «{ $name }»
requests-known = в ваших контактах
requests-look-alike = ⚠ это не ваш контакт «{ $name }» ({ $jid })
requests-message = «{ $message }»
requests-no-message = Без сообщения.
requests-approve = Одобрить
requests-approve-add = Одобрить и добавить
requests-deny = Отклонить
requests-block = Заблокировать
requests-presence-title = Кто видит мой статус присутствия
requests-sees-explain = Видят вас: эти контакты видят, когда вы в сети, и ваше статусное сообщение. «Отозвать» прекращает показывать им ваш статус.
requests-waiting-explain = Ожидание: вы запросили у этих людей их статус присутствия, но они ещё не ответили. «Отменить запрос» отзывает запрос.
requests-sees-title = Видят вас ({ $count })
requests-sees-empty = Никто не видит ваш статус присутствия.
requests-waiting-title = Ожидают ответа ({ $count })
requests-waiting-empty = У вас нет запросов без ответа.
requests-revoke = Отозвать
requests-cancel = Отменить запрос

## status
status-placeholder = Статусное сообщение
status-recent = Недавние
status-clear = Очистить статусное сообщение

## settings
app-settings = Настройки
settings-title = Настройки
settings-close = Закрыть
settings-language = Язык
settings-language-hint = Natter говорит на языке рабочего стола, если здесь не выбран другой.
settings-language-desktop = Как у рабочего стола
settings-away = «Отошёл» через
settings-away-hint = Если так долго не трогать клавиатуру и мышь, статус станет «Отошёл», а ваше сообщение о статусе сохранится; по возвращении всё вернётся как было.
settings-xa = «Давно отсутствую» через
settings-xa-hint = Ещё позже — «Давно отсутствую».
settings-never = Никогда
settings-minutes = { $count ->
    [one] { $count } минуту
    [few] { $count } минуты
    [many] { $count } минут
   *[other] { $count } минуты
}
language-en = English
language-ru = Русский
language-de = Deutsch
language-es = Español
language-zh-cn = 简体中文

## links
uri-not-xmpp = «{ $text }» — не ссылка xmpp:
uri-bad-escape = В «{ $text }» испорчена %-последовательность
uri-open-failed = Не удалось открыть ссылку xmpp: { $reason }
uri-not-a-contact = { $jid } нет среди ваших контактов.
cli-not-a-command = «{ $text }» — не команда и не ссылка xmpp: (см. natter --help)

## contact
contact-sub-both = Вы видите статус присутствия контакта, а он — ваш.
contact-sub-to = Вы видите статус присутствия контакта, а он ваш — нет.
contact-sub-from = Контакт видит ваш статус присутствия, а вы его — нет.
contact-sub-none = Никто из вас не видит статус присутствия другого.
contact-sub-asked = Вы запросили статус присутствия контакта и ждёте ответа.
contact-name = Имя
contact-name-placeholder = Имя, которое видите только вы
contact-groups = Группы
contact-groups-placeholder = Через запятую, например: Семья, Работа
contact-save = Сохранить
contact-request = Запросить статус контакта
contact-cancel-request = Отменить запрос
contact-stop-seeing = Отписаться от статуса контакта
contact-revoke = Скрыть мой статус
contact-remove = Удалить контакт
contact-remove-confirm = Удалить { $jid } из контактов? Вы больше не будете видеть статусы присутствия друг друга.
contact-remove-yes = Да, удалить
contact-remove-no = Оставить
contact-stop-seeing-confirm = Перестать видеть статус присутствия { $jid }? Собеседник узнает об этом.
contact-stop-seeing-yes = Да, перестать
contact-stop-seeing-no = Продолжать видеть
contact-close = Назад к переписке
contact-privacy = Видимость статуса
contact-details = Сведения

## cli
cli-about = Быстрый и лёгкий XMPP-мессенджер для рабочего стола
cli-help-usage = Использование
cli-help-commands = Команды
cli-help-arguments = Аргументы
cli-help-options = Параметры
cli-flag-help = Показать справку
cli-flag-version = Показать версию
cli-flag-account = Учётная запись (по умолчанию — основная, а если её нет, то единственная)
cli-flag-json = Вывести один документ JSON вместо текста
cli-flag-timeout = Сколько секунд ждать ответа сервера, прежде чем сдаться (команды, работающие в сети)
cli-cmd-account = Добавить, показать или удалить учётные записи
cli-cmd-account-add = Сохранить учётную запись и положить её пароль в связку ключей
cli-cmd-account-list = Показать учётные записи
cli-cmd-account-remove = Удалить учётную запись, её локальные данные и её пароль из связки ключей
cli-cmd-check = Подключиться и сообщить, получилось ли, за сколько удалось войти в сеть, что умеет сервер и какая была ошибка, если была
cli-cmd-send = Отправить сообщение; завершается, когда сервер подтвердил получение
cli-cmd-roster = Показать список контактов (из локального хранилища, если не указан --refresh)
cli-cmd-presence = Показать статус присутствия контакта: состояние, статусное сообщение, бездействие или когда был в сети
cli-cmd-requests = Показать ожидающие запросы на подписку (из локального хранилища)
cli-cmd-accept = Принять запрос на подписку: контакт сможет видеть ваш статус присутствия
cli-cmd-deny = Отклонить запрос на подписку
cli-cmd-contact = Добавить или удалить контакты
cli-cmd-contact-add = Добавить контакт и запросить его статус присутствия
cli-cmd-contact-remove = Удалить контакт (это также отменяет обе подписки)
cli-cmd-history = Показать переписку с контактом (из локального хранилища)
cli-cmd-headless = Запустить сеанс без окна: строки JSON в stdout (события) и stdin (команды)
cli-arg-account = Учётная запись
cli-arg-account-address = Адрес учётной записи, name@server
cli-arg-contact = Контакт
cli-arg-requester = Автор запроса
cli-arg-text = Сообщение, не более { $kib } КиБ; если не указано, читается из stdin
cli-flag-host = Хост сервера, к которому подключаться вместо поиска через DNS SRV
cli-flag-port = Порт сервера
cli-flag-tls = STARTTLS на клиентском порту или TLS с первого байта (XEP-0368)
cli-tls-starttls = STARTTLS, обязательно (никогда без шифрования)
cli-tls-direct = Прямой TLS
cli-flag-resource = Какой ресурс запросить (если не задан, его выбирает сервер)
cli-flag-password-stdin = Прочитать пароль из первой строки stdin
cli-flag-default = Сделать эту учётную запись основной: её используют команды, в которых запись не указана
cli-flag-allow-plain = Разрешить любой способ входа, который предлагает сервер, вплоть до PLAIN, даже более слабый, чем уже работавший
cli-flag-no-allow-plain = Снова отказываться от способа входа слабее уже работавшего (по умолчанию)
cli-flag-refresh = Сначала загрузить список контактов с сервера
cli-flag-all = Показать также запросы, на которые уже дан ответ
cli-flag-to = Получатель
cli-flag-wait-receipt = Ждать уведомления о доставке от получателя, а не только подтверждения сервера
cli-flag-name = Имя, под которым показывать контакт
cli-flag-group = Группа для контакта (повторите, чтобы указать несколько)
cli-flag-message = Сообщение, которое отправить вместе с запросом на подписку
cli-flag-no-share = Не показывать моё присутствие: их запрос ждёт моего ответа, как любой другой
cli-flag-limit = Сколько сообщений показать (самые новые)
cli-flag-search = Только сообщения с этим текстом (полнотекстовый поиск)
cli-list-separator = {", "}
cli-no-reason = причина не указана
cli-column-jid = JID
cli-column-default = ОСНОВНАЯ
cli-column-server = СЕРВЕР
cli-column-tls = TLS
cli-column-resource = РЕСУРС
cli-column-name = ИМЯ
cli-column-subscription = ПОДПИСКА
cli-column-groups = ГРУППЫ
cli-column-from = ОТ
cli-column-state = СОСТОЯНИЕ
cli-column-received = ПОЛУЧЕН
cli-column-nick = НИК
cli-column-message = СООБЩЕНИЕ
cli-password-prompt = Пароль для { $jid }:
cli-account-added = Учётная запись { $jid } добавлена ({ $note }).
cli-account-updated = Учётная запись { $jid } обновлена ({ $note }).
cli-account-password-in-keyring = пароль сохранён в связке ключей
cli-account-password-from-env = пароль не сохранён: будет использоваться NATTER_PASSWORD
cli-accounts-none = Учётных записей нет. Добавьте запись командой `natter account add JID`.
cli-account-default-yes = да
cli-account-server-dns = (DNS)
cli-account-removed = Учётная запись { $jid } удалена.
cli-account-removed-keyring-failed = учётная запись { $jid } удалена, но её пароль, возможно, остался в связке ключей: { $reason }
cli-roster-empty = Список контактов пуст. Добавьте контакт командой `natter contact add JID`.
cli-subscription-none = нет
cli-subscription-to = вы видите контакт
cli-subscription-from = контакт видит вас
cli-subscription-both = взаимная
cli-roster-asked = { $subscription } (запрос отправлен)
cli-requests-none = Запросов на подписку нет.
cli-requests-none-pending = Ожидающих запросов на подписку нет.
cli-request-pending = ожидает
cli-request-accepted = принят
cli-request-denied = отклонён
cli-history-empty = Сообщений с { $jid } нет.
cli-history-me = я
cli-check-ok = успешно
cli-check-online-in = в сети через
cli-check-ms = { $ms } мс
cli-check-features = возможности
cli-check-missing = отсутствуют
cli-check-not-reported = (сервер не сообщил)
cli-feature-stream-management = управление потоком
cli-feature-roster-versioning = версии списка контактов
cli-feature-pre-approval = предварительное одобрение
cli-feature-carbons = копии сообщений (carbons)
cli-feature-mam = архив (MAM)
cli-feature-blocking = блокировка
cli-feature-last-activity = последняя активность
cli-feature-ping = пинг
cli-send-type-message = Введите сообщение и нажмите Ctrl-D:
cli-sent-acked = Сообщение для { $jid } отправлено (сервер подтвердил получение, id { $id }).
cli-sent-delivered = Сообщение для { $jid } отправлено (доставлено, id { $id }).
cli-presence-contact = контакт
cli-presence-show = состояние
cli-presence-status = статус
cli-presence-idle-since = бездействует с
cli-presence-last-seen = был в сети
cli-presence-unknown = неизвестно
cli-presence-resources = ресурсы
cli-presence-resource = { $resource }: { $show } (приоритет { $priority })
cli-accepted = Запрос от { $jid } принят: контакт сможет видеть ваш статус присутствия.
cli-denied = Запрос от { $jid } отклонён.
cli-contact-added = Контакт { $jid } добавлен, запрос на его статус присутствия отправлен.
cli-contact-removed = Контакт { $jid } удалён.
cli-connection-lost = соединение потеряно: { $reason }
cli-error-in-context = { $context }: { $problem }
cli-error-runtime = не удалось запустить асинхронную среду выполнения: { $reason }
cli-error-json = не удалось записать JSON: { $reason }
cli-error-output = не удалось записать вывод: { $reason }
cli-error-no-account = нет учётной записи: добавьте её командой `natter account add JID`
cli-error-unknown-account = нет учётной записи { $jid }: добавьте её командой `natter account add { $jid }`
cli-error-no-default-account = учётных записей несколько, и ни одна не основная: выберите нужную через --account JID
cli-error-remove-unknown-account = нет учётной записи { $jid } (см. `natter account list`)
cli-error-no-display = нет графического сеанса (не задана ни WAYLAND_DISPLAY, ни DISPLAY): окно не может открыться; о командной строке см. `natter --help`
cli-error-window = не удалось открыть окно
cli-error-window-reason = не удалось открыть окно: { $reason }
cli-error-no-window = в этой сборке Natter нет окна (она собрана без функции `gui`); о командной строке см. `natter --help`
cli-error-no-password-source = нет пароля: передайте его через --password-stdin, запустите команду в терминале или задайте NATTER_PASSWORD
cli-error-host = --host: «{ $host }» — это не имя хоста
cli-error-resource-empty = --resource: ресурс пуст
cli-error-password-read = не удалось прочитать пароль из stdin: { $reason }
cli-error-password-read-stopped = чтение пароля неожиданно прервалось
cli-error-password-empty = в stdin нет пароля
cli-error-no-password = нет пароля для { $jid }: сохраните его командой `natter account add { $jid }` или задайте NATTER_PASSWORD
cli-error-sign-in-failed = не удалось войти под { $jid }: { $reason }
cli-error-connect = не удалось подключить учётную запись { $jid }: { $reason }
cli-error-ended-before-online = сеанс { $jid } завершился до входа в сеть: { $reason }
cli-error-sign-in-timeout = за { $seconds } с не удалось дождаться входа в сеть как { $jid }
cli-error-session-unreachable = не удалось связаться с сеансом: { $reason }
cli-error-session-ended = сеанс неожиданно завершился: { $reason }
cli-error-headless-ended = сеанс { $jid } неожиданно завершился
cli-error-search-empty = --search: текст для поиска пуст
cli-error-send-empty = нечего отправлять: сообщение пустое
cli-error-send-too-long = сообщение занимает { $size } байт, а Natter отправляет не более { $max } байт ({ $kib } КиБ): сократите его или разбейте
cli-error-send-failed = не удалось отправить сообщение для { $jid }: { $reason }
cli-error-send-no-receipt = за { $seconds } с не пришло уведомление о доставке от { $jid }; сообщение уже на сервере
cli-error-send-no-ack = за { $seconds } с сервер не подтвердил получение сообщения для { $jid }; оно остаётся в очереди исходящих и уйдёт, когда Natter снова будет в сети
cli-error-stdin-read = не удалось прочитать сообщение из stdin: { $reason }
cli-error-stdin-stopped = чтение stdin неожиданно прервалось
cli-error-stdin-too-long = сообщение в stdin длиннее, чем отправляет Natter: не более { $max } байт ({ $kib } КиБ)
cli-error-stdin-not-utf8 = сообщение в stdin — не текст в UTF-8
cli-error-roster-timeout = за { $seconds } с список контактов так и не пришёл
cli-error-group-empty = пустое название группы
cli-error-add-unconfirmed = за { $seconds } с сервер не подтвердил добавление { $jid }
cli-error-remove-unconfirmed = за { $seconds } с сервер не подтвердил удаление { $jid }
cli-headless-malformed = неправильная команда: { $reason }
cli-headless-body-empty = текст сообщения (body) пуст
cli-headless-body-too-long = текст сообщения (body) занимает { $size } байт; в сообщении может быть не более { $max } байт ({ $kib } КиБ)
cli-headless-bad-id = id должен состоять из 1–128 печатных символов
cli-headless-id-empty = id пуст
cli-headless-unknown-show = неизвестное состояние «{ $show }»: используйте available, chat, away, xa или dnd
cli-headless-unknown-state = неизвестное состояние чата «{ $state }»
cli-headless-line-too-long = строка длиннее 1 МиБ
cli-headless-line-not-utf8 = строка — не текст в UTF-8
cli-panic = внутренняя ошибка: { $what }; пожалуйста, сообщите о ней
cli-panic-at = внутренняя ошибка: { $what } в { $place }; пожалуйста, сообщите о ней
cli-panic-unknown = неизвестный сбой

## errors
error-address-empty = адрес пуст
error-address-invalid = «{ $address }» — недопустимый адрес XMPP: { $reason }
error-address-no-user = в «{ $address }» нет имени пользователя: запишите адрес как name@{ $address }
error-address-resource = в «{ $address }» указан ресурс (/…); укажите адрес без него
error-paths-no-data-dir = нет каталога данных: задайте NATTER_DATA_DIR или HOME
error-store-open = Не удалось открыть хранилище сообщений { $path }: { $reason }.
error-store-corrupt = Файл { $path } не является хранилищем сообщений Natter или повреждён.
error-store-too-new = Хранилище сообщений записано более новой версией Natter (схема { $found }, эта версия знает схемы до { $supported }); обновите Natter.
error-store-disk-full = Диск заполнен, поэтому изменение не сохранено.
error-store-read-only = Хранилище сообщений доступно только для чтения, поэтому изменение не сохранено.
error-store-sqlite = Хранилище сообщений сообщило об ошибке: { $reason }.
error-store-closed = Хранилище сообщений закрыто.
error-store-invalid = В хранилище сообщений есть значение, которое эта версия не может прочитать: { $what }.
error-store-value = { $what } «{ $value }»
error-store-value-tls-mode = режим TLS
error-store-value-show = состояние
error-store-value-direction = направление
error-store-value-delivery = состояние доставки
error-store-value-request-state = состояние запроса
error-store-value-subscription = подписка
error-store-value-group-list = список групп
error-store-value-auth-method = способ входа
error-store-value-schema = версия схемы { $version }
error-store-value-out-of-range = число { $value } в столбце { $column } вне допустимого диапазона
error-store-value-type = столбец { $column } содержит значение типа { $kind }
error-store-value-not-utf8 = столбец { $column } содержит текст не в UTF-8
error-keyring-unreachable = Связка ключей (Secret Service) недоступна ({ $reason }): запустите её (например, gnome-keyring) или задайте NATTER_PASSWORD для этой команды
error-keyring-failed = Ошибка связки ключей ({ $reason }): разблокируйте или перезапустите её либо задайте NATTER_PASSWORD для этой команды
error-keyring-stopped = обращение к связке ключей неожиданно прервалось
error-keyring-no-default = нет хранилища учётных данных по умолчанию
error-keyring-locked = нет доступа к связке ключей — может быть, она заблокирована? { $reason }
error-keyring-no-entry = пароль не сохранён
error-keyring-bad-encoding = сохранённый пароль — не текст
error-keyring-bad-data = сохранённый пароль повреждён
error-keyring-damaged = связка ключей повреждена: { $reason }
error-keyring-too-long = { $attribute } длиннее { $limit }
error-keyring-invalid = недопустимое значение { $what }: { $reason }
error-keyring-ambiguous = { $count ->
    [one] найден { $count } подходящий пароль
    [few] найдено { $count } подходящих пароля
    [many] найдено { $count } подходящих паролей
   *[other] найдено { $count } подходящего пароля
}
error-keyring-unsupported = не поддерживается: { $what }
error-keyring-unknown = неизвестная ошибка связки ключей
error-connect-address = адрес учётной записи недопустим: { $reason }
error-connect-no-user = в { $address } нет имени пользователя
error-connect-unreachable = сервер недоступен: { $reason }
error-connect-closed = сервер закрыл соединение
error-connect-timed-out = время ожидания соединения истекло
error-connect-timeout = сервер не ответил за { $seconds } с
error-connect-no-starttls = сервер не предлагает шифрование (STARTTLS); без него Natter не подключается
error-connect-injection = сервер прислал неожиданные данные до начала шифрования; соединение отклонено
error-connect-tls = сертификату сервера нельзя доверять: { $reason }
error-connect-auth = сервер не принял пароль ({ $reason })
error-connect-no-mechanism = у Natter и сервера нет общего способа входа
error-auth-downgrade = Раньше { $jid } входила через { $before }, а теперь сервер предлагает только { $offered }. Возможно, между вами и сервером кто-то есть, поэтому Natter не стал входить. Если сервер изменился намеренно, разрешите это командой «natter account add { $jid } --allow-plain» или флажком «Разрешить более слабые способы входа» в дополнительных настройках входа.
error-auth-wrong-signature = сервер не доказал, что знает ваш пароль (его подпись SCRAM неверна): возможно, между вами и сервером кто-то есть, поэтому Natter не стал входить
error-auth-no-signature = сервер принял вход, не доказав, что знает ваш пароль (нет подписи SCRAM): возможно, между вами и сервером кто-то есть, поэтому Natter не стал входить
error-auth-server-error = сервер прервал вход: { $reason }
error-auth-malformed = не удалось прочитать сообщение сервера при входе ({ $reason })
error-auth-no-randomness = компьютер не выдал случайных чисел для входа
error-auth-unexpected = сервер прислал { $what } посреди входа
log-auth-remembered-unreadable = не удалось прочитать запомненный для учётной записи способ входа: { $reason }
log-auth-not-remembered = не удалось запомнить сработавший способ входа: { $reason }
auth-method-plain = PLAIN (сам пароль)
auth-method-scram = SCRAM без привязки к каналу
auth-method-scram-plus = SCRAM с привязкой к каналу
error-connect-refused = сервер отказал в сеансе: { $reason }
error-connect-protocol = не удалось подключиться: { $reason }
error-connect-ended = сервер завершил сеанс: { $reason }
error-stream-conflict = другое устройство вошло с тем же ресурсом и заменило этот сеанс; Natter остановился, чтобы они не вытесняли друг друга без конца
error-stream-policy = по словам сервера, этот сеанс нарушил его правила (policy-violation)
error-stream-other = сервер закрыл поток ({ $condition })
error-stream-said = { $reason } (сервер сообщил: «{ $text }»)
error-wire-too-large = сервер прислал станзу больше { $mib } МиБ; соединение сброшено
error-wire-too-deep = сервер прислал станзу с вложенностью больше { $levels } уровней; соединение сброшено
error-wire-refused = сервер прислал { $what }, а Natter такое не принимает; соединение сброшено
error-wire-doctype = объявление типа документа (DTD)
error-wire-comment = XML-комментарий
error-wire-instruction = инструкцию обработки XML
error-wire-entity = неизвестную сущность «&{ $name };»
error-session-ended = сеанс завершён
error-session-busy = сеанс занят; повторите попытку
session-offline-ended = соединение завершилось
session-offline-lost = соединение потеряно; переподключение
session-error-empty-message = пустое сообщение не отправлено
session-error-too-long = сообщение размером { $size } байт не отправлено: в сообщении может быть не более { $max } байт ({ $kib } КиБ)
session-undeliverable = сервер не смог доставить сообщение
session-error-undelivered = сообщение не удалось доставить: { $reason }
session-error-roster = сервер не прислал список контактов: { $reason }
session-error-roster-change = изменение списка контактов для { $jid } отклонено: { $reason }
session-error-roster-retry = { $problem }. Статусы контактов показаны по сохранённому списку; Natter снова запросит сервер через { $seconds } с.
session-roster-no-answer = нет ответа
session-error-store = { $what }: { $reason }
session-error-received-later = Не удалось сохранить полученные сообщения: { $reason }. Они остаются на сервере, и Natter загрузит их снова, как только сможет сохранить.
session-error-archive = Архив сообщений на сервере сейчас недоступен. Natter попробует снова через { $seconds } с; сообщения для вас, в том числе новые, до тех пор ждут на сервере.
session-store-save-message = при сохранении сообщения
session-store-save-status = при сохранении вашего статуса
session-store-retry = при повторной отправке сообщения
session-store-save-answer = при сохранении вашего ответа
session-store-read-archive-id = при чтении последнего сообщения из архива
session-store-read-outbox = при чтении очереди исходящих
session-store-save-delivery = при сохранении состояния доставки
session-store-save-received = при сохранении полученных сообщений
session-store-save-request = при сохранении запроса на подписку
session-store-save-roster-change = при сохранении изменения списка контактов
session-store-save-roster = при сохранении списка контактов
session-store-read-roster = при чтении списка контактов
log-connect-certificates = при загрузке системных сертификатов: { $reason }
log-session-iq-dropped = отброшен ответ IQ от неожиданного отправителя
log-store-job-panicked = задание хранилища аварийно завершилось; вызвавший его получит ошибку
log-store-close-failed = не удалось закрыть хранилище
log-store-no-wal = хранилище не смогло перейти в режим WAL
log-store-check-skipped = хранилище было корректно закрыто и с тех пор не менялось, поэтому проверка на повреждения пропущена
log-store-seal-failed = хранилищу не удалось отметить корректное закрытие; при следующем запуске оно будет проверено полностью
log-headless-stdout-closed = stdout закрыт ({ $reason }); завершение работы
log-headless-stdin-failed = ошибка чтения stdin ({ $reason }); завершение работы
log-headless-no-stdin = не удалось читать stdin: { $reason }

## notifications
notify-open = Открыть
notify-unavailable = Уведомления рабочего стола недоступны: { $reason }
