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
app-conn-idle = Вход не выполнен
app-conn-online = В сети
app-conn-connecting = Подключение…
app-conn-retrying = Переподключение через { $seconds } с ({ $reason })
app-conn-offline = Не в сети: { $reason }
app-retry-now = Повторить сейчас
app-presence-unknown = Статус неизвестен
app-last-seen = Последний раз в сети: { $when }
notify-request-title = Новый запрос на подписку
notify-request-body = { $jid } хочет видеть, когда вы в сети.
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
chat-too-long = Сообщение слишком длинное для отправки ({ $size } байт; не более { $max }).
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
contact-close = Назад к переписке
contact-privacy = Видимость статуса
contact-details = Сведения

## notifications
notify-open = Открыть
