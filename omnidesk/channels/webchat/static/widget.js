/* OmniDesk web chat widget. One <script src=".../widget.js" data-channel="ID" async> tag; no framework, no eval,
   no inline styles or scripts (CSP-friendly: the page needs script-src and style-src for this server, and
   connect-src for its /webchat/ API). Options: data-color, data-greeting, data-lang (uk, ru, en), data-position
   (right, left), data-user-token (the site's signed user token for a logged-in customer). */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !script.dataset.channel) { return; }
  var base = new URL(script.src).origin;
  var channel = script.dataset.channel;
  var api = base + "/webchat/" + encodeURIComponent(channel);
  var storeKey = "omnidesk.webchat." + channel;
  var T = {
    en: { title: "Chat with us", placeholder: "Type a message…", send: "Send", name: "Your name", phone: "Phone",
      email: "E-mail", start: "Start chat", typing: "The operator is typing…", offline: "We are offline. Leave a message and we will answer by phone or e-mail.",
      message: "Message", leave: "Send message", thanks: "Thank you! We will get back to you.", open: "Open chat",
      close: "Close chat", error: "Could not send. Please try again." },
    uk: { title: "Напишіть нам", placeholder: "Введіть повідомлення…", send: "Надіслати", name: "Ваше ім'я", phone: "Телефон",
      email: "E-mail", start: "Почати чат", typing: "Оператор друкує…", offline: "Зараз ми не на зв'язку. Залиште повідомлення, і ми відповімо телефоном або поштою.",
      message: "Повідомлення", leave: "Надіслати", thanks: "Дякуємо! Ми з вами зв'яжемося.", open: "Відкрити чат",
      close: "Закрити чат", error: "Не вдалося надіслати. Спробуйте ще раз." },
    ru: { title: "Напишите нам", placeholder: "Введите сообщение…", send: "Отправить", name: "Ваше имя", phone: "Телефон",
      email: "E-mail", start: "Начать чат", typing: "Оператор печатает…", offline: "Сейчас мы не на связи. Оставьте сообщение, и мы ответим по телефону или почте.",
      message: "Сообщение", leave: "Отправить", thanks: "Спасибо! Мы с вами свяжемся.", open: "Открыть чат",
      close: "Закрыть чат", error: "Не удалось отправить. Попробуйте ещё раз." }
  };
  var state = { token: null, config: null, seen: {}, source: null, lastTyping: 0, t: T.en };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text) { e.textContent = text; }
    return e;
  }
  function post(path, body) {
    var headers = { "Content-Type": "application/json" };
    if (state.token) { headers.Authorization = "Bearer " + state.token; }
    return fetch(api + path, { method: "POST", headers: headers, body: JSON.stringify(body || {}) })
      .then(function (r) { return r.status === 204 ? {} : r.json().then(function (j) { if (!r.ok) { throw j; } return j; }); });
  }
  function key() {
    var a = new Uint8Array(12);
    crypto.getRandomValues(a);
    return Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  var css = document.createElement("link");
  css.rel = "stylesheet";
  css.href = base + "/widget.css";
  document.head.appendChild(css);

  var root = el("div", "odw-root");
  var bubble = el("button", "odw-bubble");
  var panel = el("div", "odw-panel odw-hidden");
  var header = el("div", "odw-header");
  var title = el("span", "odw-title");
  var close = el("button", "odw-close", "×");
  var log = el("div", "odw-log");
  var typing = el("div", "odw-typing odw-hidden");
  var prechat = el("form", "odw-form odw-hidden");
  var offline = el("form", "odw-form odw-hidden");
  var composer = el("form", "odw-composer odw-hidden");
  var input = el("textarea", "odw-input");
  var send = el("button", "odw-send");
  header.appendChild(title); header.appendChild(close);
  composer.appendChild(input); composer.appendChild(send);
  panel.appendChild(header); panel.appendChild(log); panel.appendChild(typing);
  panel.appendChild(prechat); panel.appendChild(offline); panel.appendChild(composer);
  root.appendChild(panel); root.appendChild(bubble);

  function field(form, name, type, label, required) {
    var f = el(type === "textarea" ? "textarea" : "input", "odw-field");
    f.name = name;
    if (type !== "textarea") { f.type = type; }
    f.placeholder = label;
    f.setAttribute("aria-label", label);
    f.required = !!required;
    form.appendChild(f);
    return f;
  }
  function show(node, on) { node.classList.toggle("odw-hidden", !on); }
  function addMessage(m) {
    if (state.seen[m.id]) { return; }
    state.seen[m.id] = true;
    var row = el("div", "odw-msg " + (m.direction === "in" ? "odw-mine" : "odw-theirs"), m.text);
    row.dataset.id = m.id;
    log.appendChild(row);
    log.scrollTop = log.scrollHeight;
    if (m.direction === "out") { show(typing, false); }
  }
  function listen() {
    if (state.source || !state.token) { return; }
    state.source = new EventSource(api + "/stream?token=" + encodeURIComponent(state.token));
    state.source.addEventListener("message", function (e) { addMessage(JSON.parse(e.data).message); });
    state.source.addEventListener("typing", function () {
      show(typing, true);
      clearTimeout(state.typingTimer);
      state.typingTimer = setTimeout(function () { show(typing, false); }, 5000);
    });
  }
  function session(extra) {
    var body = { token: localStorage.getItem(storeKey), page_url: location.href, referrer: document.referrer || null,
      user_token: script.dataset.userToken || null };
    Object.keys(extra || {}).forEach(function (k) { body[k] = extra[k]; });
    return post("/session", body).then(function (s) {
      state.token = s.token;
      localStorage.setItem(storeKey, s.token);
      s.history.forEach(addMessage);
      return s;
    });
  }
  function ready(s) {
    var c = state.config;
    if (!c.online && !s.history.length) { show(offline, true); return; }
    if (c.prechat && !s.prechat_done && !s.history.length) { show(prechat, true); return; }
    show(composer, true);
    listen();
    input.focus();
  }
  function open() {
    show(panel, true);
    bubble.setAttribute("aria-expanded", "true");
    if (state.started) { return; }
    state.started = true;
    (state.restored || session({})).then(ready);
  }

  fetch(api + "/config").then(function (r) { return r.json(); }).then(function (c) {
    state.config = c;
    var lang = script.dataset.lang || c.language || (navigator.language || "en").slice(0, 2);
    state.t = T[lang] || T.en;
    var t = state.t;
    var color = script.dataset.color || c.color;
    if (color && /^#[0-9a-fA-F]{6}$/.test(color)) { root.style.setProperty("--odw-color", color); }
    if ((script.dataset.position || c.position) === "left") { root.classList.add("odw-left"); }
    title.textContent = c.name || t.title;
    var ns = "http://www.w3.org/2000/svg", icon = document.createElementNS(ns, "svg"), path = document.createElementNS(ns, "path");
    icon.setAttribute("viewBox", "0 0 24 24"); icon.setAttribute("width", "26"); icon.setAttribute("height", "26");
    icon.setAttribute("aria-hidden", "true");
    path.setAttribute("fill", "currentColor");
    path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z");
    icon.appendChild(path); bubble.appendChild(icon);
    bubble.setAttribute("aria-label", t.open);
    close.setAttribute("aria-label", t.close);
    input.placeholder = t.placeholder;
    input.setAttribute("aria-label", t.placeholder);
    send.textContent = t.send;
    typing.textContent = t.typing;
    if (c.greeting || script.dataset.greeting) { log.appendChild(el("div", "odw-greeting", script.dataset.greeting || c.greeting)); }
    var pName = field(prechat, "name", "text", t.name, true);
    var pPhone = field(prechat, "phone", "tel", t.phone);
    var pEmail = field(prechat, "email", "email", t.email);
    prechat.appendChild(el("button", "odw-send", t.start));
    offline.appendChild(el("p", "odw-note", t.offline));
    var oName = field(offline, "name", "text", t.name);
    var oPhone = field(offline, "phone", "tel", t.phone);
    var oEmail = field(offline, "email", "email", t.email);
    var oText = field(offline, "message", "textarea", t.message, true);
    offline.appendChild(el("button", "odw-send", t.leave));
    prechat.addEventListener("submit", function (e) {
      e.preventDefault();
      state.pending = { phone: pPhone.value || null, email: pEmail.value || null };
      session({ name: pName.value }).then(function () { show(prechat, false); show(composer, true); listen(); input.focus(); });
    });
    offline.addEventListener("submit", function (e) {
      e.preventDefault();
      post("/offline", { name: oName.value || null, phone: oPhone.value || null, email: oEmail.value || null,
        message: oText.value, page_url: location.href })
        .then(function () { show(offline, false); log.appendChild(el("div", "odw-greeting", t.thanks)); })
        .catch(function (err) { log.appendChild(el("div", "odw-error", (err && err.detail && JSON.stringify(err.detail)) || t.error)); });
    });
    document.body.appendChild(root);
    if (localStorage.getItem(storeKey)) {
      state.restored = session({});
      state.restored.then(function (s) { if (s.history.length) { listen(); } });
    }
  });

  bubble.addEventListener("click", function () { if (panel.classList.contains("odw-hidden")) { open(); } else { show(panel, false); } });
  close.addEventListener("click", function () { show(panel, false); bubble.setAttribute("aria-expanded", "false"); });
  input.addEventListener("input", function () {
    var now = Date.now();
    if (state.token && now - state.lastTyping > 3000) { state.lastTyping = now; post("/typing").catch(function () {}); }
  });
  input.addEventListener("keydown", function (e) { if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); composer.requestSubmit(); } });
  composer.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    var body = { text: text, client_key: key(), page_url: location.href };
    if (state.pending) { body.phone = state.pending.phone; body.email = state.pending.email; }
    input.value = "";
    post("/messages", body).then(function (r) {
      state.pending = null;
      addMessage({ id: r.id, direction: "in", text: text });
      listen();
    }).catch(function () { input.value = text; log.appendChild(el("div", "odw-error", state.t.error)); });
  });
})();
