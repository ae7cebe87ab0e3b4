/* OmniDesk web chat widget. One <script src=".../widget.js" data-channel="ID" async> tag; no framework, no eval,
   no inline styles or scripts (CSP-friendly: the page needs script-src and style-src for this server,
   connect-src for its /webchat/ API, and img-src for previews of the pictures sent in the chat). Options: data-color, data-greeting, data-lang (uk, ru, en), data-position
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
      close: "Close chat", error: "Could not send. Please try again.", attach: "Attach a file", sending: "Sending…",
      tooLarge: "The file is too large (at most 10 MB).", refused: "This kind of file cannot be sent.", kb: "KB", mb: "MB",
      choices: "Choose an answer", score: "Score {n} of {max}" },
    uk: { title: "Напишіть нам", placeholder: "Введіть повідомлення…", send: "Надіслати", name: "Ваше ім'я", phone: "Телефон",
      email: "E-mail", start: "Почати чат", typing: "Оператор друкує…", offline: "Зараз ми не на зв'язку. Залиште повідомлення, і ми відповімо телефоном або поштою.",
      message: "Повідомлення", leave: "Надіслати", thanks: "Дякуємо! Ми з вами зв'яжемося.", open: "Відкрити чат",
      close: "Закрити чат", error: "Не вдалося надіслати. Спробуйте ще раз.", attach: "Прикріпити файл", sending: "Надсилання…",
      tooLarge: "Файл завеликий (не більше 10 МБ).", refused: "Такий файл надіслати не можна.", kb: "КБ", mb: "МБ",
      choices: "Оберіть відповідь", score: "Оцінка {n} з {max}" },
    ru: { title: "Напишите нам", placeholder: "Введите сообщение…", send: "Отправить", name: "Ваше имя", phone: "Телефон",
      email: "E-mail", start: "Начать чат", typing: "Оператор печатает…", offline: "Сейчас мы не на связи. Оставьте сообщение, и мы ответим по телефону или почте.",
      message: "Сообщение", leave: "Отправить", thanks: "Спасибо! Мы с вами свяжемся.", open: "Открыть чат",
      close: "Закрыть чат", error: "Не удалось отправить. Попробуйте ещё раз.", attach: "Прикрепить файл", sending: "Отправка…",
      tooLarge: "Файл слишком большой (не больше 10 МБ).", refused: "Такой файл отправить нельзя.", kb: "КБ", mb: "МБ",
      choices: "Выберите ответ", score: "Оценка {n} из {max}" }
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
  var attach = el("button", "odw-attach");
  var picker = el("input", "odw-hidden");
  attach.type = "button";
  picker.type = "file";
  header.appendChild(title); header.appendChild(close);
  composer.appendChild(attach); composer.appendChild(picker); composer.appendChild(input); composer.appendChild(send);
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
  function size(n) {
    var t = state.t, lang = t === T.en ? "en" : t === T.uk ? "uk" : "ru";
    return n >= 1048576 ? (n / 1048576).toLocaleString(lang, { maximumFractionDigits: 1 }) + " " + t.mb
      : Math.max(1, Math.round(n / 1024)).toLocaleString(lang) + " " + t.kb;
  }
  function fileUrl(f) { return api + "/files/" + encodeURIComponent(f.id) + "?token=" + encodeURIComponent(state.token); }
  function fill(row, m) {
    row.textContent = "";
    if (!m.files || !m.files.length) { row.textContent = m.text; return; }
    var text = m.text || "";
    // A file sent alone has its name as the message's text (for channels without files): shown once, as the file.
    if (text && !(m.files.length === 1 && text.slice(-m.files[0].name.length) === m.files[0].name)) {
      row.appendChild(el("div", "odw-text", text));
    }
    m.files.forEach(function (f) {
      var link = el("a", "odw-file");
      link.href = fileUrl(f);
      link.target = "_blank";
      link.rel = "noopener";
      link.download = f.name;
      if (f.image) {
        var img = el("img", "odw-thumb");
        img.src = fileUrl(f);
        img.alt = f.name;
        link.appendChild(img);
      }
      link.appendChild(el("span", "odw-file-name", f.name));
      link.appendChild(el("span", "odw-file-size", size(f.size)));
      row.appendChild(link);
    });
  }
  function addMessage(m) {
    var row = state.seen[m.id];
    if (row) {  // already shown (its live frame came first): a later copy with its files fills them in
      if (m.files && m.files.length && !row.querySelector(".odw-file")) { fill(row, m); }
      return;
    }
    row = el("div", "odw-msg " + (m.direction === "in" ? "odw-mine" : "odw-theirs"));
    state.seen[m.id] = row;
    fill(row, m);
    row.dataset.id = m.id;
    dropChoices();  // the answers offered under an earlier message answer nothing once a newer one is here
    log.appendChild(row);
    if (m.direction === "out" && m.choices && m.choices.length) { log.appendChild(choiceRow(m.choices)); }
    log.scrollTop = log.scrollHeight;
    if (m.direction === "out") { show(typing, false); }
  }
  function dropChoices() {
    Array.prototype.forEach.call(log.querySelectorAll(".odw-choices"), function (c) { c.remove(); });
  }
  // A message's quick replies (a survey's 1-5 or 0-10, an operator's choices) as a row of buttons; a click sends
  // the choice as the visitor's message (one client key per row: a retried click is one message).
  function choiceRow(choices) {
    var t = state.t, group = el("div", "odw-choices"), rowKey = key();
    var numbers = choices.every(function (c) { return /^\d{1,2}$/.test(c); });
    // A survey's scale (1-5, 0-10): each button says "score N of MAX" to a screen reader; other choices their text.
    var scale = numbers && (choices.join() === "1,2,3,4,5" || choices.join() === "0,1,2,3,4,5,6,7,8,9,10");
    var max = scale ? choices[choices.length - 1] : "";
    group.setAttribute("role", "group");
    group.setAttribute("aria-label", t.choices);
    // Numbers sit in a grid (5 in one row, 0-10 in two rows of 6 and 5, which fit a phone-width panel).
    if (numbers) { group.classList.add("odw-grid", "odw-cols-" + (choices.length <= 6 ? choices.length : Math.ceil(choices.length / 2))); }
    choices.forEach(function (c) {
      var b = el("button", "odw-choice", c);
      b.type = "button";
      b.setAttribute("aria-label", scale ? t.score.replace("{n}", c).replace("{max}", max) : c);
      b.addEventListener("click", function () {
        Array.prototype.forEach.call(group.querySelectorAll("button"), function (x) { x.disabled = true; });
        b.classList.add("odw-picked");
        sendText(c, rowKey).catch(function () {
          Array.prototype.forEach.call(group.querySelectorAll("button"), function (x) { x.disabled = false; });
          b.classList.remove("odw-picked");
        });
      });
      group.appendChild(b);
    });
    return group;
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
      page_title: (document.title || "").slice(0, 300) || null, language: navigator.language || null,
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
    var clip = document.createElementNS(ns, "svg"), clipPath = document.createElementNS(ns, "path");
    clip.setAttribute("viewBox", "0 0 24 24"); clip.setAttribute("width", "20"); clip.setAttribute("height", "20");
    clip.setAttribute("aria-hidden", "true");
    clipPath.setAttribute("fill", "none"); clipPath.setAttribute("stroke", "currentColor");
    clipPath.setAttribute("stroke-width", "2"); clipPath.setAttribute("stroke-linecap", "round");
    clipPath.setAttribute("d", "M21 11.5l-8.5 8.5a5 5 0 0 1-7-7L14 4.5a3.5 3.5 0 0 1 5 5L10.5 18a2 2 0 0 1-3-3L15 7.5");
    clip.appendChild(clipPath); attach.appendChild(clip);
    attach.title = t.attach;
    attach.setAttribute("aria-label", t.attach);
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
  attach.addEventListener("click", function () { picker.click(); });
  picker.addEventListener("change", function () {
    var file = picker.files && picker.files[0];
    picker.value = "";
    if (!file || !state.token) { return; }
    var t = state.t;
    if (file.size > 10 * 1024 * 1024) { log.appendChild(el("div", "odw-error", t.tooLarge)); return; }
    var note = el("div", "odw-greeting", t.sending + " " + file.name);
    log.appendChild(note);
    var form = new FormData();
    form.append("file", file, file.name);
    form.append("client_key", key());
    fetch(api + "/files", { method: "POST", headers: { Authorization: "Bearer " + state.token }, body: form })
      .then(function (r) { return r.json().then(function (j) { if (!r.ok) { j.status = r.status; throw j; } return j; }); })
      .then(function (r) {
        note.remove();
        addMessage({ id: r.id, direction: "in", text: file.name, files: r.files });
        listen();
      })
      .catch(function (err) {
        note.remove();
        var status = err && err.status;
        log.appendChild(el("div", "odw-error", status === 413 ? t.tooLarge : status === 415 ? t.refused : t.error));
      });
  });
  input.addEventListener("keydown", function (e) { if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); composer.requestSubmit(); } });
  // The visitor's text (typed, or a choice's button) through /messages; the survey reads its answer from it.
  function sendText(text, clientKey) {
    var body = { text: text, client_key: clientKey || key(), page_url: location.href,
      page_title: (document.title || "").slice(0, 300) || null };
    if (state.pending) { body.phone = state.pending.phone; body.email = state.pending.email; }
    return post("/messages", body).then(function (r) {
      state.pending = null;
      addMessage({ id: r.id, direction: "in", text: text });
      listen();
    }).catch(function (err) { log.appendChild(el("div", "odw-error", state.t.error)); throw err; });
  }
  composer.addEventListener("submit", function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) { return; }
    input.value = "";
    sendText(text).catch(function () { input.value = text; });
  });
})();
