# Natter — 简体中文（与英文参考文件的 ID 完全一致）

app-title = Natter

## app
app-title-unread = Natter ({ $count })
app-welcome = 选择一个联系人开始聊天。
app-requests = 请求与隐私
app-error-session = 会话未接受该请求：{ $reason }
app-error-offline = 未连接：请先登录。
app-error-store = Natter 无法打开其数据文件：{ $reason }
app-error-link = 只能打开网页、邮件和 XMPP 链接。
app-error-open = 无法打开该链接：{ $reason }
app-conn-idle = 未登录
app-conn-online = 在线
app-conn-connecting = 正在连接…
app-conn-retrying = { $seconds } 秒后重新连接（{ $reason }）
app-conn-offline = 离线：{ $reason }
app-retry-now = 立即重试
app-presence-unknown = 在线状态未知
app-last-seen = 最后上线：{ $when }
notify-request-title = 新的联系人请求
notify-request-body = { $jid } 请求查看你何时在线。
show-available = 在线
show-chat = 有空聊天
show-away = 离开
show-xa = 长时间离开
show-dnd = 请勿打扰
show-unavailable = 离线

## chat
chat-search = 搜索
chat-search-placeholder = 在此对话中搜索
chat-search-submit = 查找
chat-search-close = 关闭
chat-searching = 正在搜索…
chat-search-count = { $count ->
    [0] 未找到消息。
   *[other] 找到 { $count } 条消息。
}
chat-you = 你
chat-loading = 正在加载消息…
chat-load-older = 显示更早的消息
chat-empty = 还没有消息。打个招呼吧！
chat-start = 这是你们对话的开始。
chat-placeholder = 输入消息（Enter 发送，Shift+Enter 换行）
chat-send = 发送
chat-retry = 重试
chat-typing = { $name } 正在输入…
chat-paused = { $name } 停止了输入。
chat-too-long = 此消息太长，无法发送（{ $size } 字节；最多 { $max }）。
chat-mark-queued = ◷
chat-mark-sent = ↑
chat-mark-acked = ✓
chat-mark-delivered = ✓✓
chat-mark-failed = ⚠ 未发送
chat-day-today = 今天
chat-day-yesterday = 昨天
chat-day-this-year = { $month }{ $day }日 { $weekday }
chat-day-date = { $year }年{ $month }{ $day }日 { $weekday }
chat-weekday-mon = 星期一
chat-weekday-tue = 星期二
chat-weekday-wed = 星期三
chat-weekday-thu = 星期四
chat-weekday-fri = 星期五
chat-weekday-sat = 星期六
chat-weekday-sun = 星期日
chat-month-1 = 1月
chat-month-2 = 2月
chat-month-3 = 3月
chat-month-4 = 4月
chat-month-5 = 5月
chat-month-6 = 6月
chat-month-7 = 7月
chat-month-8 = 8月
chat-month-9 = 9月
chat-month-10 = 10月
chat-month-11 = 11月
chat-month-12 = 12月

## login
login-title = 欢迎使用 Natter
login-intro = 使用你的 XMPP（Jabber）账号登录。
login-jid = 地址
login-jid-placeholder = name@example.org
login-jid-hint = 你的完整地址，例如 name@example.org。
login-jid-empty = 请输入你的地址，例如 name@example.org。
login-jid-no-user = “{ $address }”是服务器，不是账号：请写成 用户名@{ $address }。
login-jid-has-resource = 去掉“/…”部分：只写 用户名@服务器。
login-jid-spaces = 地址不能包含空格。
login-jid-two-at = 地址中只能有一个 @。
login-jid-no-user-part = 缺少 @ 前面的用户名。
login-jid-no-server = 缺少 @ 后面的服务器。
login-jid-invalid = “{ $address }”不是有效的地址：请写成 用户名@服务器。
login-password = 密码
login-password-placeholder = 你的密码
login-remember = 记住密码
login-no-keyring = 此桌面环境没有可用的密钥环，因此 Natter 无法保存你的密码：每次启动时都会要求输入。
login-advanced-show = ▸ 高级设置
login-advanced-hide = ▾ 高级设置
login-host = 服务器主机
login-host-placeholder = 通过 DNS 查找
login-host-invalid = 请填写主机名或 IP 地址，不要包含空格或斜杠。
login-port = 端口
login-port-invalid = 端口是 1 到 65535 之间的数字。
login-tls = 加密
login-tls-starttls = StartTLS
login-tls-direct = 直接 TLS
login-resource = 资源
login-resource-placeholder = 由服务器选择
login-resource-invalid = 资源过长或包含控制字符。
login-timeout = 连接超时（秒）
login-timeout-invalid = 超时时间是 1 到 { $max } 之间的整数秒。
login-test = 测试连接
login-sign-in = 登录
login-testing = 正在测试连接…
login-signing-in = 正在登录…
login-test-ok = 已连接：{ $ms } 毫秒内上线。
login-test-failed = 连接失败：{ $reason }

## roster
roster-filter-placeholder = 筛选联系人
roster-show-offline = 显示离线联系人
roster-add-tooltip = 添加联系人（Ctrl+N）
roster-group-default = 联系人
roster-group-count = { $online }/{ $total }
roster-empty = 还没有联系人。
roster-no-match = 没有与“{ $filter }”匹配的联系人。
roster-all-offline = { $count ->
    [1] 你的联系人处于离线状态。
   *[other] 全部 { $count } 个联系人均已离线。
}
roster-sub-both = 互相订阅：你们可以看到彼此的在线状态。
roster-sub-to = 你能看到对方的在线状态；对方看不到你的。
roster-sub-from = 对方能看到你的在线状态；你看不到对方的。
roster-sub-from-ask = 对方能看到你的在线状态；你查看对方状态的请求正在等待对方回复。
roster-sub-none = 你们都看不到对方的在线状态。
roster-sub-ask = 等待批准：你已请求查看对方的在线状态。
roster-add-title = 添加联系人
roster-add-jid = 地址
roster-add-jid-placeholder = name@example.org
roster-add-jid-hint = 填写对方的地址，例如 name@example.org。
roster-add-jid-empty = 地址为空。
roster-add-jid-no-user = “{ $server }”是服务器，不是个人：请写成 用户名@{ $server }。
roster-add-jid-resource = 去掉“/”后面的部分：只写 用户名@服务器。
roster-add-jid-space = 地址不能包含空格。
roster-add-jid-no-name = 请在“@”前面填写用户名。
roster-add-jid-two-at = 地址中只能有一个“@”。
roster-add-jid-no-server = 请在“@”后面填写服务器，例如 name@example.org。
roster-add-jid-char = 地址的用户名部分不能包含“{ $char }”。
roster-add-jid-long = 地址太长。
roster-add-jid-invalid = 这不是有效的地址（{ $reason }）。
roster-add-known = 已在你的联系人中，名称为“{ $name }”。再次添加会请求查看对方的在线状态；留空的字段将保持原有设置。
roster-add-name = 名称
roster-add-group = 分组
roster-add-optional = 可选
roster-add-message = 附言
roster-add-message-placeholder = 可选：介绍一下你是谁
roster-add-explain = 将请求对方与你共享其在线状态。
roster-add-cancel = 取消
roster-add-submit = 添加

## requests
requests-title = { $count ->
    [0] 联系人请求
   *[other] 联系人请求（{ $count }）
}
requests-explain = 这些人请求查看你何时在线以及你的状态消息。用来识别他们的是地址；他们提供的名称只是自称。
requests-empty = 没有待回复的请求。新的请求会显示在这里。
requests-claims = 自称“{ $nick }”
requests-known-as = 在你的联系人中名为“{ $name }”
requests-known = 已在你的联系人中
requests-message = “{ $message }”
requests-no-message = 无附言。
requests-approve = 批准
requests-approve-add = 批准并添加
requests-deny = 拒绝
requests-block = 屏蔽
requests-presence-title = 谁能看到我的在线状态
requests-sees-explain = 能看到你：这些联系人能看到你何时在线以及你的状态消息。“撤销”将停止与其共享。
requests-waiting-explain = 等待中：你已请求这些人共享其在线状态，但对方尚未回复。“取消请求”将撤回该请求。
requests-sees-title = 能看到你（{ $count }）
requests-sees-empty = 没有人能看到你的在线状态。
requests-waiting-title = 等待回复（{ $count }）
requests-waiting-empty = 你没有未获回复的请求。
requests-revoke = 撤销
requests-cancel = 取消请求

## status
status-placeholder = 状态消息
status-recent = 最近使用
status-clear = 清除状态消息

## contact
contact-sub-both = 你能看到对方的在线状态，对方也能看到你的。
contact-sub-to = 你能看到对方的在线状态；对方看不到你的。
contact-sub-from = 对方能看到你的在线状态；你看不到对方的。
contact-sub-none = 你们都看不到对方的在线状态。
contact-sub-asked = 你已请求查看对方的在线状态，正在等待对方回复。
contact-name = 名称
contact-name-placeholder = 仅你可见的名称
contact-groups = 分组
contact-groups-placeholder = 用英文逗号分隔，例如 家人, 工作
contact-save = 保存
contact-request = 请求查看对方状态
contact-cancel-request = 取消请求
contact-stop-seeing = 不再查看对方状态
contact-revoke = 停止共享我的状态
contact-remove = 删除联系人
contact-remove-confirm = 要将 { $jid } 从联系人中删除吗？你们将无法再看到彼此的在线状态。
contact-remove-yes = 是，删除
contact-remove-no = 保留
contact-close = 返回对话
contact-privacy = 在线状态共享
contact-details = 详细信息

## notifications
notify-open = 打开
