/*
 * Forsikringsassistenten – chat widget for the Helse Vest intranet.
 *
 * Embed with one tag:
 *   <script src="https://…/widget.js" data-server="https://assistent.example" data-title="Forsikringsassistenten"
 *           data-lang="nb"></script>
 *
 * Talks to Rasa's socketio channel (session_request / session_confirm / user_uttered / bot_uttered) through the
 * vendored socket.io client (vendor/socket.io.min.js, loaded from beside this file unless the page has `io`).
 * Every message is put on the page as text nodes, never as HTML: links are anchor elements built for http(s)
 * URLs only. The session id and the conversation are kept in localStorage, so a reload shows the same chat.
 * See docs/widget.md.
 */
(function () {
  "use strict";

  var script = document.currentScript;
  if (!script || window.__forsikringsassistenten) return; // one widget per page
  window.__forsikringsassistenten = true;

  var base = script.src.replace(/[^/]*$/, "");
  var data = script.dataset;
  var LANG = data.lang === "nn" ? "nn" : "nb";
  var SERVER = (data.server || window.location.origin).replace(/\/+$/, "");
  var SOCKET_PATH = data.socketPath || "/socket.io";
  var TRANSPORTS = (data.transports || "polling").split(",").map(function (t) { return t.trim(); })
    .filter(function (t) { return t === "polling" || t === "websocket"; });
  if (!TRANSPORTS.length) TRANSPORTS = ["polling"];
  var HISTORY_LIMIT = 200;
  var TYPING_TIMEOUT_MS = 20000;
  var SOURCE_LINE = /^\s*(Kilde|Kjelde)\s*:/;

  var TEXT = {
    nb: {
      title: "Forsikringsassistenten",
      launcher: "Spør om forsikringene dine",
      close: "Lukk chatten",
      restart: "Ny samtale",
      note: "Svarene bygger på brosjyren «Personalforsikringer». Ikke skriv helseopplysninger eller andre personopplysninger her.",
      log: "Samtale med forsikringsassistenten",
      input: "Skriv spørsmålet ditt",
      placeholder: "Skriv spørsmålet ditt …",
      send: "Send",
      handoff: "Snakk med personalavdelingen",
      typing: "Assistenten skriver …",
      you: "Du:",
      bot: "Assistenten:",
      choices: "Svaralternativer",
      connecting: "Kobler til assistenten …",
      offline: "Får ikke kontakt med assistenten. Prøver igjen automatisk …",
      online: "Tilkoblet.",
      cannotSend: "Meldingen ble ikke sendt fordi assistenten ikke kan nås. Prøv igjen når den er tilkoblet.",
      feedback: "Var svaret nyttig?",
      up: "Ja, svaret var nyttig",
      down: "Nei, svaret var ikke nyttig",
      thanks: "Takk for tilbakemeldingen!",
      newTab: "(åpnes i ny fane)"
    },
    nn: {
      title: "Forsikringsassistenten",
      launcher: "Spør om forsikringane dine",
      close: "Lukk chatten",
      restart: "Ny samtale",
      note: "Svara byggjer på brosjyren «Personalforsikringer». Ikkje skriv helseopplysningar eller andre personopplysningar her.",
      log: "Samtale med forsikringsassistenten",
      input: "Skriv spørsmålet ditt",
      placeholder: "Skriv spørsmålet ditt …",
      send: "Send",
      handoff: "Snakk med personalavdelinga",
      typing: "Assistenten skriv …",
      you: "Du:",
      bot: "Assistenten:",
      choices: "Svaralternativ",
      connecting: "Koplar til assistenten …",
      offline: "Får ikkje kontakt med assistenten. Prøver igjen automatisk …",
      online: "Tilkopla.",
      cannotSend: "Meldinga vart ikkje send fordi assistenten ikkje kan nåast. Prøv igjen når han er tilkopla.",
      feedback: "Var svaret nyttig?",
      up: "Ja, svaret var nyttig",
      down: "Nei, svaret var ikkje nyttig",
      thanks: "Takk for tilbakemeldinga!",
      newTab: "(opnar i ny fane)"
    }
  }[LANG];
  var TITLE = data.title || TEXT.title;

  // ---- storage: the session id, the conversation and the ratings survive a reload ----------------------------
  var STORE_KEY = "forsikringsassistenten:" + SERVER;
  var memoryStore = null;

  function loadState() {
    var raw = null;
    try { raw = window.localStorage.getItem(STORE_KEY); } catch (e) { raw = memoryStore; }
    try {
      var state = raw ? JSON.parse(raw) : null;
      if (state && typeof state.sessionId === "string" && Array.isArray(state.history)) {
        state.ratings = state.ratings || {};
        state.turn = state.turn || 0;
        return state;
      }
    } catch (e) { /* a damaged entry starts a new conversation */ }
    return { sessionId: newSessionId(), history: [], ratings: {}, turn: 0, open: false };
  }

  function saveState() {
    state.history = state.history.slice(-HISTORY_LIMIT);
    var raw = JSON.stringify(state);
    try { window.localStorage.setItem(STORE_KEY, raw); } catch (e) { memoryStore = raw; }
  }

  function newSessionId() {
    // getRandomValues works on plain-http intranet pages too (randomUUID needs a secure context).
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  var state = loadState();

  // ---- DOM helpers: text only ---------------------------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      if (name === "text") node.textContent = attrs[name];
      else if (name === "className") node.className = attrs[name];
      else if (attrs[name] !== null && attrs[name] !== undefined) node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function safeHttpUrl(candidate) {
    try {
      var url = new URL(candidate);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (e) {
      return null;
    }
  }

  // Icons are drawn paths (not emoji, which some machines lack a font for), built with the DOM like the rest.
  var ICONS = {
    chat: "M4 3h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9.5L4 21.5V17a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z",
    thumb: "M2 10h4v11H2z M8 10l4-8c1.7 0 2.5 1.2 2 3l-1 4h6.5c1.4 0 2.3 1.3 1.9 2.6l-2.3 7.2c-.3.7-1 1.2-1.8 1.2H8z"
  };

  function icon(name, flipped) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "fa-icon");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    path.setAttribute("fill", "currentColor");
    if (flipped) path.setAttribute("transform", "rotate(180 12 12)");
    svg.appendChild(path);
    return svg;
  }

  function link(label, href) {
    var a = el("a", { href: href, target: "_blank", rel: "noopener noreferrer", className: "fa-link" });
    a.appendChild(document.createTextNode(label));
    a.appendChild(el("span", { className: "fa-sr", text: " " + TEXT.newTab }));
    return a;
  }

  // Markdown links [label](https://…) and bare http(s) URLs become anchors; everything else stays text.
  var LINK_PATTERN = /\[([^\]\n]{1,200})\]\((https?:\/\/[^\s)]+)\)|https?:\/\/[^\s<>"'«»]+/g;

  function appendLinkified(parent, text) {
    var last = 0;
    text.replace(LINK_PATTERN, function (match, label, target, offset) {
      var href = target || match.replace(/[.,;:!?)]+$/, "");
      var consumed = target ? match : href;
      var safe = safeHttpUrl(href);
      if (!safe) return match;
      if (offset > last) parent.appendChild(document.createTextNode(text.slice(last, offset)));
      parent.appendChild(link(label || href, safe));
      last = offset + consumed.length;
      return match;
    });
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // ---- the widget's frame -----------------------------------------------------------------------------------
  var stylesheet = el("link", { rel: "stylesheet", href: base + "widget.css" });
  document.head.appendChild(stylesheet);

  var launcher = el("button", {
    type: "button", className: "fa-launcher", "aria-expanded": "false", "aria-controls": "fa-panel"
  }, [icon("chat"), el("span", { text: TEXT.launcher })]);
  var titleEl = el("h2", { id: "fa-title", className: "fa-title", text: TITLE });
  var restartBtn = el("button", { type: "button", className: "fa-header-btn fa-restart", text: TEXT.restart });
  var closeBtn = el("button", { type: "button", className: "fa-header-btn fa-close", "aria-label": TEXT.close },
    [el("span", { "aria-hidden": "true", text: "✕" })]);
  var statusEl = el("p", { className: "fa-status", role: "status", "data-state": "connecting" });
  var log = el("div", {
    id: "fa-log", className: "fa-log", role: "log", "aria-live": "polite", "aria-label": TEXT.log, tabindex: "0"
  });
  var typing = el("div", { className: "fa-typing", hidden: "" }, [
    el("span", { className: "fa-dots", "aria-hidden": "true" }, [el("span"), el("span"), el("span")]),
    el("span", { className: "fa-typing-text", text: TEXT.typing })
  ]);
  var input = el("input", {
    id: "fa-input", className: "fa-input", type: "text", autocomplete: "off", maxlength: "1000",
    placeholder: TEXT.placeholder
  });
  var sendBtn = el("button", { type: "submit", className: "fa-send", text: TEXT.send });
  var form = el("form", { className: "fa-form" }, [
    el("label", { "for": "fa-input", className: "fa-sr", text: TEXT.input }), input, sendBtn
  ]);
  var handoffBtn = el("button", { type: "button", className: "fa-handoff", text: TEXT.handoff });
  var panel = el("section", { id: "fa-panel", className: "fa-panel", "aria-labelledby": "fa-title", hidden: "" }, [
    el("header", { className: "fa-header" }, [titleEl, restartBtn, closeBtn]),
    statusEl,
    el("p", { className: "fa-note", text: TEXT.note }),
    log,
    typing,
    form,
    el("div", { className: "fa-footer" }, [handoffBtn])
  ]);
  var root = el("div", { className: "fa-root", lang: LANG }, [launcher, panel]);

  // ---- rendering the conversation -----------------------------------------------------------------------------
  var feedbackByTurn = {};

  function renderText(bubble, text) {
    var body = [];
    var sources = [];
    String(text || "").split("\n").forEach(function (line) { (SOURCE_LINE.test(line) ? sources : body).push(line); });
    var bodyText = body.join("\n").replace(/^\n+|\n+$/g, "");
    if (bodyText) {
      var p = el("p", { className: "fa-text" });
      appendLinkified(p, bodyText);
      bubble.appendChild(p);
    }
    sources.forEach(function (line) {
      var source = el("p", { className: "fa-source" });
      appendLinkified(source, line.trim());
      bubble.appendChild(source);
    });
  }

  function choiceGroup(choices, kind) {
    var group = el("div", { className: "fa-choices fa-choices--" + kind, role: "group", "aria-label": TEXT.choices });
    choices.forEach(function (choice) {
      if (!choice || typeof choice.title !== "string") return;
      var url = choice.url ? safeHttpUrl(choice.url) : null;
      if (url) {
        group.appendChild(link(choice.title, url));
        return;
      }
      var button = el("button", { type: "button", className: "fa-choice", text: choice.title });
      button.addEventListener("click", function () {
        sendUserMessage(choice.title, typeof choice.payload === "string" ? choice.payload : choice.title);
      });
      group.appendChild(button);
    });
    return group;
  }

  function renderEntry(entry) {
    var isUser = entry.from === "user";
    var node = el("div", { className: "fa-msg " + (isUser ? "fa-msg--user" : "fa-msg--bot") });
    var bubble = el("div", { className: "fa-bubble" }, [
      el("span", { className: "fa-sr", text: (isUser ? TEXT.you : TEXT.bot) + " " })
    ]);
    renderText(bubble, entry.text);
    if (entry.image) {
      var src = safeHttpUrl(entry.image);
      if (src) bubble.appendChild(el("img", { src: src, alt: "", className: "fa-image" }));
    }
    node.appendChild(bubble);
    if (entry.quickReplies && entry.quickReplies.length) node.appendChild(choiceGroup(entry.quickReplies, "quick"));
    if (entry.buttons && entry.buttons.length) node.appendChild(choiceGroup(entry.buttons, "buttons"));

    var feedback = feedbackByTurn[entry.turn];
    if (!isUser && entry.rateable && !feedback) {
      feedback = feedbackControl(entry.turn, entry.text);
      feedbackByTurn[entry.turn] = feedback;
      log.appendChild(feedback);
    }
    // A turn's answer may come in several messages: its thumbs stay after the last one.
    if (!isUser && feedback && feedback.parentNode === log) log.insertBefore(node, feedback);
    else log.appendChild(node);
    log.scrollTop = log.scrollHeight;
  }

  function feedbackControl(turn, ratedText) {
    var box = el("div", { className: "fa-feedback", role: "group", "aria-label": TEXT.feedback });
    var question = el("span", { className: "fa-feedback-q", text: TEXT.feedback, "aria-hidden": "true" });
    var thanks = el("span", { className: "fa-feedback-thanks" });
    var buttons = {};
    ["up", "down"].forEach(function (rating) {
      buttons[rating] = el("button", {
        type: "button", className: "fa-thumb fa-thumb--" + rating, "aria-label": TEXT[rating],
        "aria-pressed": state.ratings[turn] === rating ? "true" : "false", "data-rating": rating
      }, [icon("thumb", rating === "down")]);
      buttons[rating].addEventListener("click", function () {
        if (!sendHidden('/answer_feedback{"rating":"' + rating + '"}', { rated_answer: String(ratedText || "").slice(0, 300), turn: turn })) return;
        state.ratings[turn] = rating;
        saveState();
        buttons.up.setAttribute("aria-pressed", String(rating === "up"));
        buttons.down.setAttribute("aria-pressed", String(rating === "down"));
        thanks.textContent = TEXT.thanks;
      });
    });
    box.appendChild(question);
    box.appendChild(buttons.up);
    box.appendChild(buttons.down);
    box.appendChild(thanks);
    return box;
  }

  function addEntry(entry) {
    state.history.push(entry);
    saveState();
    renderEntry(entry);
  }

  function renderHistory() {
    log.textContent = "";
    feedbackByTurn = {};
    state.history.forEach(renderEntry);
  }

  // ---- talking to Rasa ------------------------------------------------------------------------------------------
  var socket = null;
  var ready = false;
  var typingTimer = null;
  var awaitingGreeting = false;

  function setStatus(kind) {
    statusEl.setAttribute("data-state", kind);
    statusEl.textContent = kind === "online" ? "" : TEXT[kind];
    sendBtn.disabled = kind !== "online";
    handoffBtn.disabled = kind !== "online";
    panel.setAttribute("data-connection", kind);
  }

  function showTyping(on) {
    clearTimeout(typingTimer);
    if (on) {
      typing.hidden = false;
      typingTimer = setTimeout(function () { typing.hidden = true; }, TYPING_TIMEOUT_MS);
    } else {
      typing.hidden = true;
    }
  }

  function emit(text, metadata) {
    if (!socket || !ready) return false;
    socket.emit("user_uttered", { message: text, session_id: state.sessionId, metadata: metadata || {} });
    return true;
  }

  function sendHidden(payload, metadata) {
    return emit(payload, metadata);
  }

  function sendUserMessage(shown, payload) {
    shown = String(shown || "").trim();
    if (!shown) return;
    if (!ready) {
      statusEl.textContent = TEXT.cannotSend;
      return;
    }
    state.turn += 1;
    addEntry({ from: "user", text: shown, turn: state.turn });
    emit(payload || shown, { widget_lang: LANG });
    showTyping(true);
  }

  function onBotMessage(message) {
    if (!message || typeof message !== "object") return;
    var entry = { from: "bot", text: typeof message.text === "string" ? message.text : "", turn: state.turn,
                  rateable: state.turn > 0 };
    if (Array.isArray(message.quick_replies)) entry.quickReplies = message.quick_replies;
    if (Array.isArray(message.buttons)) entry.buttons = message.buttons;
    var attachment = message.attachment;
    if (attachment && attachment.type === "image" && attachment.payload) entry.image = attachment.payload.src;
    if (attachment && attachment.payload && Array.isArray(attachment.payload.elements)) {
      attachment.payload.elements.forEach(function (element) {
        entry.text += (entry.text ? "\n" : "") + [element.title, element.subtitle].filter(Boolean).join("\n");
        if (Array.isArray(element.buttons)) entry.buttons = (entry.buttons || []).concat(element.buttons);
      });
    }
    if (!entry.text && !entry.quickReplies && !entry.buttons && !entry.image) return;
    showTyping(false);
    addEntry(entry);
  }

  function greetIfNew() {
    if (state.history.length || !ready || awaitingGreeting) return;
    awaitingGreeting = true;
    // The language entity sets the `language` slot, so the greeting comes in the page's written standard.
    sendHidden('/greet{"language":"' + LANG + '"}', { widget_lang: LANG });
    showTyping(true);
  }

  function connect() {
    if (socket || typeof window.io !== "function") return;
    setStatus("connecting");
    socket = window.io(SERVER, {
      path: SOCKET_PATH,
      // Long-polling by default: Rasa 3.6's socketio on Sanic 21.12 and python-engineio 4.15 answers a WebSocket
      // handshake with a broken frame ("Invalid frame header"). Polling needs this page's origin in Rasa's --cors
      // (CORS_ORIGINS) and, with several Rasa replicas, sticky sessions. data-transports="websocket,polling"
      // switches WebSocket on where the server supports it.
      transports: TRANSPORTS,
      upgrade: TRANSPORTS.indexOf("websocket") >= 0,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
      timeout: 8000
    });
    socket.on("connect", function () {
      socket.emit("session_request", { session_id: state.sessionId });
    });
    socket.on("session_confirm", function (sessionId) {
      if (typeof sessionId === "string" && sessionId && sessionId !== state.sessionId) {
        state.sessionId = sessionId; // the server replaced an id it would not accept
        saveState();
      }
      ready = true;
      setStatus("online");
      if (!panel.hidden) greetIfNew();
    });
    socket.on("bot_uttered", onBotMessage);
    socket.on("disconnect", function () { ready = false; showTyping(false); setStatus("offline"); });
    socket.on("connect_error", function () { ready = false; setStatus("offline"); });
  }

  function loadSocketIo(then) {
    if (typeof window.io === "function") return then();
    var tag = el("script", { src: base + "vendor/socket.io.min.js" });
    tag.addEventListener("load", then);
    tag.addEventListener("error", function () { setStatus("offline"); });
    document.head.appendChild(tag);
  }

  // ---- opening, closing and the controls ---------------------------------------------------------------------
  function setOpen(open, moveFocus) {
    panel.hidden = !open;
    launcher.hidden = open;
    launcher.setAttribute("aria-expanded", String(open));
    state.open = open;
    saveState();
    if (open) {
      log.scrollTop = log.scrollHeight;
      greetIfNew();
      if (moveFocus) input.focus();
    } else if (moveFocus) {
      launcher.focus();
    }
  }

  launcher.addEventListener("click", function () { setOpen(true, true); });
  closeBtn.addEventListener("click", function () { setOpen(false, true); });
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") setOpen(false, true);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (!ready) {
      statusEl.textContent = TEXT.cannotSend;
      return;
    }
    var text = input.value;
    input.value = "";
    sendUserMessage(text, text);
  });
  handoffBtn.addEventListener("click", function () { sendUserMessage(TEXT.handoff, "/human_handoff"); });
  restartBtn.addEventListener("click", function () {
    state = { sessionId: newSessionId(), history: [], ratings: {}, turn: 0, open: true };
    saveState();
    renderHistory();
    awaitingGreeting = false;
    if (socket && ready) socket.emit("session_request", { session_id: state.sessionId });
    input.focus();
  });

  function start() {
    document.body.appendChild(root);
    renderHistory();
    setStatus("connecting");
    if (state.open) setOpen(true, false);
    loadSocketIo(connect);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
