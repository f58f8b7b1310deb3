// mitwirken – live board of a future.lab. Progressive enhancement: the page
// works without this file (plain forms, reload). With it, the board follows
// the server's event log over a websocket (docs/realtime.md), sends the
// person's changes as operations, and offers a keyboard move menu, arrow-key
// navigation between cards and drag and drop. Text written by people is
// only ever inserted with textContent.
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board || !window.WebSocket) {
    return;
  }
  document.documentElement.classList.add("js-board");

  var T = document.getElementById("board-text").dataset;
  var cfg = board.dataset;
  var labID = cfg.lab, boardID = cfg.board;
  var state = {
    seq: parseInt(cfg.seq, 10),
    host: cfg.host === "true",
    write: cfg.write === "true",
    user: cfg.user,
    phase: cfg.phase,
    anonymous: cfg.anonymous === "true",
    votesPerPerson: parseInt(cfg.votesPerPerson, 10),
    votesRevealed: cfg.votesRevealed === "true",
    votesLeft: parseInt(cfg.votesLeft, 10),
    timerEnds: null,
    clockOffset: 0
  };
  var cards = {};      // id -> card state, as the server sent it
  var pending = {};    // op_id -> {op, onAck, onError}
  var ws = null, ready = false, retry = 0, retryTimer = null;
  var focusAfter = null; // card id to focus once its move arrived

  function fmt(s, v) { return s.replace("%s", function () { return v; }); }
  function fmt2(s, a, b) {
    var i = s.indexOf("%s");
    s = s.slice(0, i) + a + s.slice(i + 2);
    var j = s.indexOf("%s", i + a.length);
    return s.slice(0, j) + b + s.slice(j + 2);
  }
  // withText builds a label from a translation with "%s" for the card's
  // text; the text is German content and keeps lang="de" inside it.
  function withText(cls, s, text) {
    var span = el("span", cls);
    var i = s.indexOf("%s");
    span.appendChild(document.createTextNode(s.slice(0, i)));
    span.appendChild(el("span", "", text)).lang = "de";
    span.appendChild(document.createTextNode(s.slice(i + 2)));
    return span;
  }
  function num(s, n, m) { return s.replace("7777", String(n)).replace("8888", String(m)); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function opID() {
    var a = new Uint8Array(12);
    window.crypto.getRandomValues(a);
    return "j-" + Array.prototype.map.call(a, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // ---- polite announcements, at most one every 2 seconds, summarised ----
  // What others did is summarised (three messages and "+N"); the answer to
  // what this person did is never summarised away, and comes first.
  var announcer = document.getElementById("board-announcer");
  var own = [], queue = [], lastAnnounce = 0, announceTimer = null;
  function announce(msg, mine) {
    (mine ? own : queue).push(msg);
    if (announceTimer) { return; }
    var wait = Math.max(0, 2000 - (Date.now() - lastAnnounce));
    announceTimer = setTimeout(function () {
      announceTimer = null;
      lastAnnounce = Date.now();
      var text = own.concat(queue.slice(0, 3)).join(" ");
      if (queue.length > 3) { text += " (+" + (queue.length - 3) + ")"; }
      own = [];
      queue = [];
      announcer.textContent = text;
    }, wait);
  }
  function announceOwn(msg) { announce(msg, true); }

  // Errors of operations without a form field are shown (and read out) at
  // the top of the board for a few seconds.
  var errorP = document.getElementById("board-error"), errorTimer = null;
  function showError(msg) {
    errorP.textContent = msg;
    errorP.hidden = false;
    clearTimeout(errorTimer);
    errorTimer = setTimeout(function () { errorP.hidden = true; }, 8000);
  }

  // ---- reading the server-rendered board ----
  function columns() { return Array.prototype.slice.call(board.querySelectorAll(".board-column")); }
  function listOf(colID) { return board.querySelector('.card-list[data-column="' + colID + '"]'); }
  function cardEl(id) { return board.querySelector('.board-card[data-card="' + id + '"]'); }

  Array.prototype.forEach.call(board.querySelectorAll(".board-card"), function (li) {
    var d = li.dataset;
    var votes = parseInt(d.votes, 10);
    cards[d.card] = {
      id: parseInt(d.card, 10), column_id: parseInt(li.parentNode.dataset.column, 10), pos: parseFloat(d.pos),
      text: li.querySelector(".card-text").textContent, color: d.color,
      author: d.anonymous === "true" ? null : d.author, mine: d.mine === "true", hidden: d.hidden === "true",
      concealed: d.concealed === "true", version: parseInt(d.version, 10),
      votes: votes >= 0 ? votes : undefined, my_votes: parseInt(d.myVotes, 10) || 0
    };
  });

  // ---- rendering cards ----
  function canMove() { return state.write && state.phase !== "closed" && (state.host || state.phase === "collect" || state.phase === "discuss"); }
  function canEdit(c) { return state.write && state.phase !== "closed" && (state.host || (c.mine && (state.phase === "collect" || state.phase === "discuss"))); }
  function canVote(c) { return state.write && state.phase === "vote" && !c.hidden && !c.concealed; }

  // A card's text in a control's name: long texts are cut, the card itself
  // shows them whole right before its controls.
  function short(text) { return text.length > 80 ? text.slice(0, 79).trim() + "…" : text; }
  function named(s, text) { return fmt(s, short(text)); }
  // namedLabel is named() as a hidden label whose card text keeps lang="de".
  function namedLabel(s, text) { return withText("visually-hidden", s, short(text)); }

  function renderCard(c) {
    var li = el("li");
    li.dataset.card = c.id;
    var art = el("div", "card-body");
    art.setAttribute("role", "group");
    art.setAttribute("aria-labelledby", "card-" + c.id + "-text");
    art.setAttribute("aria-describedby", "card-" + c.id + "-meta");
    var text = el("p", "card-text pre-line");
    text.lang = "de"; // what people write is German, also on English pages
    text.id = "card-" + c.id + "-text";
    var meta = el("p", "card-meta");
    meta.id = "card-" + c.id + "-meta";
    art.appendChild(text);
    art.appendChild(meta);
    li.appendChild(art);
    li.appendChild(renderActions(c));
    updateBody(li, c);
    return li;
  }

  // updateBody changes what a card shows in place: the elements (and so a
  // focus on them) stay.
  function updateBody(li, c) {
    li.className = "board-card card-" + c.color + (c.hidden ? " is-hidden" : "");
    li.draggable = canMove();
    var art = li.querySelector(".card-body");
    art.tabIndex = 0;
    var text = art.querySelector(".card-text");
    if (text.textContent !== c.text) { text.textContent = c.text; }
    var meta = art.querySelector(".card-meta");
    var parts = [];
    if (c.author !== null && c.author !== undefined) { parts.push(el("span", "card-author", fmt(T.cardBy, c.author || T.erased))); }
    if (c.mine) { parts.push(el("span", "badge", T.mine)); }
    if (c.hidden) { parts.push(el("span", "badge badge-warn", T.hidden)); }
    if (c.concealed) { parts.push(el("span", "badge", T.concealed)); }
    var v = [];
    // Points are shown once voting has started, not "0 points" on every card.
    if (state.votesRevealed && c.votes !== undefined && (c.votes > 0 || state.phase === "vote")) { v.push(c.votes === 1 ? T.votesOne : num(T.votesCount, c.votes)); }
    if (c.my_votes) { v.push(num(T.myVotes, c.my_votes)); }
    parts.push(el("span", "card-votes", v.join(" · ")));
    var same = meta.children.length === parts.length && parts.every(function (p, i) { return meta.children[i].outerHTML === p.outerHTML; });
    if (!same) { meta.replaceChildren.apply(meta, parts); }
  }

  function button(action, label, cls, hiddenLabel, onClick) {
    var b = el("button", "button button-small" + (cls ? " " + cls : ""));
    b.type = "button";
    b.dataset.action = action;
    setLabel(b, label, hiddenLabel);
    b.addEventListener("click", onClick);
    return b;
  }

  // setLabel gives a control a short visible label and a name that says
  // which card it acts on.
  function setLabel(b, label, hiddenLabel) {
    if (!hiddenLabel) {
      if (b.textContent !== label) { b.textContent = label; }
      return;
    }
    var vis = el("span", "", label);
    vis.setAttribute("aria-hidden", "true");
    // hiddenLabel is a text, or a node from namedLabel (the card's text keeps its language).
    var hid = typeof hiddenLabel === "string" ? el("span", "visually-hidden", hiddenLabel) : hiddenLabel;
    if (b.children.length !== 2 || b.children[0].textContent !== label || b.children[1].textContent !== hid.textContent) { b.replaceChildren(vis, hid); }
  }

  // The controls look the card up by id when used: they outlive changes.
  function renderActions(c) {
    var id = c.id;
    var box = el("div", "card-actions");
    if (canVote(c)) {
      box.appendChild(button("vote", "+1", "", namedLabel(T.voteOn, c.text), function () {
        var t = cards[id].text;
        send({ type: "vote.add", card_id: id }, function () { announceOwn(named(T.ownVote, t)); });
      }));
      if (c.my_votes > 0) {
        box.appendChild(button("unvote", "−1", "button-secondary", namedLabel(T.unvoteOn, c.text), function () {
          var t = cards[id].text;
          send({ type: "vote.remove", card_id: id }, function () { announceOwn(named(T.ownUnvote, t)); });
        }));
      }
    }
    if (canMove()) {
      var mb = button("move", T.move, "button-secondary move-button", null, function () { openMoveMenu(id, mb); });
      mb.setAttribute("aria-haspopup", "menu");
      mb.setAttribute("aria-expanded", "false");
      mb.setAttribute("aria-label", named(T.moveMenu, c.text));
      box.appendChild(mb);
    }
    if (canEdit(c)) {
      box.appendChild(button("edit", T.edit, "button-secondary", namedLabel(T.editOn, c.text), function () { editCard(id); }));
    }
    if (c.mine && canEdit(c)) {
      box.appendChild(button("delete", T.delete, "button-danger", namedLabel(T.deleteOn, c.text), function () { confirmDelete(id); }));
    }
    var a = el("a", "card-link");
    a.dataset.action = "more";
    a.href = "/labs/" + labID + "/boards/" + boardID + "/karten/" + c.id;
    setLabel(a, T.more, namedLabel(T.moreOn, c.text));
    box.appendChild(a);
    return box;
  }

  // updateActions brings a card's controls up to date without replacing
  // the ones that stay, so that a focused button keeps the focus when
  // someone else changes the card. An open editor or confirmation is left
  // alone.
  function updateActions(li, c) {
    if (li.querySelector(".card-edit, .card-confirm")) { return; }
    var box = li.querySelector(".card-actions");
    var fresh = renderActions(c);
    if (!box) { li.appendChild(fresh); return; }
    var wanted = {};
    Array.prototype.forEach.call(fresh.children, function (e) { wanted[e.dataset.action] = e; });
    var lostFocus = false;
    Array.prototype.slice.call(box.children).forEach(function (e) {
      if (!e.dataset.action || !wanted[e.dataset.action]) {
        lostFocus = lostFocus || e.contains(document.activeElement);
        box.removeChild(e);
      }
    });
    var next = box.firstElementChild;
    Array.prototype.slice.call(fresh.children).forEach(function (e) {
      var old = box.querySelector(':scope > [data-action="' + e.dataset.action + '"]');
      if (!old) { box.insertBefore(e, next); return; }
      ["aria-label", "class"].forEach(function (name) {
        var v = e.getAttribute(name);
        if (v === null) { old.removeAttribute(name); } else if (old.getAttribute(name) !== v) { old.setAttribute(name, v); }
      });
      if (old.innerHTML !== e.innerHTML) { old.replaceChildren.apply(old, Array.prototype.slice.call(e.childNodes)); }
      next = old.nextElementSibling;
    });
    if (lostFocus) { li.querySelector(".card-body").focus(); }
  }

  // place shows a card in its column, ordered by position. A card that is
  // already there is changed in place and, when it moved, carried along
  // with moveBefore, which keeps the focus and a half-typed text in it.
  function place(c) {
    var list = listOf(c.column_id);
    if (!list) { return; }
    var li = cardEl(c.id);
    if (li) {
      updateBody(li, c);
      updateActions(li, c);
    } else {
      li = renderCard(c);
    }
    var before = null;
    Array.prototype.some.call(list.children, function (other) {
      if (other === li) { return false; }
      var o = cards[other.dataset.card];
      if (o && (o.pos > c.pos || (o.pos === c.pos && o.id > c.id))) { before = other; return true; }
      return false;
    });
    if (li.parentNode !== list || li.nextElementSibling !== before) { carry(list, li, before); }
    if (focusAfter === c.id) {
      focusAfter = null;
      li.querySelector(".card-body").focus();
    }
    updateEmpty();
  }

  function carry(list, li, before) {
    if (li.parentNode && list.moveBefore && li.isConnected) {
      try { list.moveBefore(li, before); return; } catch (e) { /* fall back below */ }
    }
    var active = li.contains(document.activeElement) ? document.activeElement : null;
    var sel = active && typeof active.selectionStart === "number" ? [active.selectionStart, active.selectionEnd] : null;
    list.insertBefore(li, before);
    if (active) {
      active.focus({ preventScroll: true });
      if (sel) { active.setSelectionRange(sel[0], sel[1]); }
    }
  }

  function removeCard(id) {
    var li = cardEl(id);
    if (li && editors[id]) {
      // Someone removed the card while this person writes: keep the text.
      notify(id, T.changedRemoved);
      editors[id].save.disabled = true;
      editors[id].removed = true;
      delete cards[id];
      return;
    }
    if (li) {
      var next = li.nextElementSibling || li.previousElementSibling;
      var hadFocus = li.contains(document.activeElement);
      li.parentNode.removeChild(li);
      if (hadFocus && next) { next.querySelector(".card-body").focus(); }
    }
    delete cards[id];
    updateEmpty();
  }

  function updateEmpty() {
    columns().forEach(function (col) {
      var empty = col.querySelector(".empty-column");
      if (empty) { empty.hidden = col.querySelector(".board-card") !== null; }
    });
  }

  function rerenderAll() {
    Object.keys(cards).forEach(function (id) { place(cards[id]); });
  }

  function updateVotesLeft() {
    var p = document.getElementById("votes-left");
    if (!p) { return; }
    p.hidden = state.phase !== "vote";
    p.textContent = num(T.votesLeft, state.votesLeft, state.votesPerPerson);
  }

  // ---- applying frames ----
  function remote(id) { return !ownRecent[id] || Date.now() - ownRecent[id] > 5000; }

  function columnTitle(colID) {
    var col = board.querySelector('.board-column[data-column="' + colID + '"] .column-title');
    return col ? col.textContent : "";
  }

  function upsert(c, announceNew) {
    var known = cards[c.id];
    if (known && announceNew && remote(c.id)) {
      if (known.text !== c.text) {
        announce(fmt(T.changed, c.text));
        notify(c.id, T.changedText);
      } else if (known.column_id !== c.column_id) {
        announce(fmt2(T.moved, c.text, columnTitle(c.column_id)));
        notify(c.id, fmt(T.changedMoved, columnTitle(c.column_id)));
      }
    }
    if (known && c.my_votes === undefined) { c.my_votes = known.my_votes; }
    if (c.votes === undefined && known && !state.votesRevealed) { c.votes = undefined; }
    if (c.my_votes === undefined) { c.my_votes = 0; }
    cards[c.id] = c;
    place(c);
    if (!known && announceNew && !c.mine) { announce(fmt(T.added, c.text)); }
  }

  function applyBoard(b) {
    var phaseChanged = b.phase !== state.phase;
    state.phase = b.phase;
    state.votesPerPerson = b.votes_per_person;
    state.votesRevealed = b.votes_revealed;
    state.timerEnds = b.timer_ends_at ? Date.parse(b.timer_ends_at) : null;
    var badge = document.getElementById("board-phase");
    badge.textContent = T.phaseLabel + ": " + T["phase" + b.phase.charAt(0).toUpperCase() + b.phase.slice(1)];
    if (phaseChanged) {
      announce(badge.textContent);
      Object.keys(editors).forEach(function (id) {
        var c = cards[id];
        notify(id, fmt(T.changedPhase, T["phase" + b.phase.charAt(0).toUpperCase() + b.phase.slice(1)]) + (c && !canEdit(c) ? " " + T.phaseNoEdit : ""));
      });
      var add = document.getElementById("add-card-form");
      var wantAdd = state.write && b.phase !== "closed" && (state.host || b.phase === "collect" || b.phase === "discuss");
      if (add) { add.parentNode.hidden = !wantAdd; } else if (wantAdd) { location.reload(); }
    }
    tickTimer();
  }

  function apply(f) {
    switch (f.type) {
      case "card":
        if (f.positions) {
          f.positions.forEach(function (p) { if (cards[p.id]) { cards[p.id].pos = p.pos; } });
        }
        upsert(f.card, true);
        if (f.positions) { rerenderAll(); }
        break;
      case "card_removed":
        if (cards[f.card_id] && remote(f.card_id)) { announce(fmt(T.removed, cards[f.card_id].text)); }
        removeCard(f.card_id);
        break;
      case "column":
        applyColumn(f.column);
        break;
      case "column_removed":
        var col = board.querySelector('.board-column[data-column="' + f.column_id + '"]');
        if (col) { col.parentNode.removeChild(col); }
        var o = document.querySelector('#f-column_id option[value="' + f.column_id + '"]');
        if (o) { o.parentNode.removeChild(o); }
        break;
      case "votes":
        var c = cards[f.card_id];
        if (c) {
          if (editors[c.id] && f.total !== undefined && f.total !== c.votes) { notify(c.id, T.changedVotes); }
          if (f.total !== undefined) { c.votes = f.total; }
          if (f.mine !== undefined) { c.my_votes = f.mine; }
          place(c);
        }
        if (f.remaining !== undefined) { state.votesLeft = f.remaining; updateVotesLeft(); }
        break;
      case "board":
        applyBoard(f.board);
        (f.cards || []).forEach(function (c) { upsert(c, false); });
        if (f.totals) {
          Object.keys(f.totals).forEach(function (id) { if (cards[id]) { cards[id].votes = f.totals[id]; } });
        }
        rerenderAll();
        updateVotesLeft();
        break;
    }
  }

  function applyColumn(c) {
    var sec = board.querySelector('.board-column[data-column="' + c.id + '"]');
    var opt = document.querySelector('#f-column_id option[value="' + c.id + '"]');
    if (sec) {
      sec.querySelector(".column-title").textContent = c.title;
      if (opt) { opt.textContent = c.title; }
      return;
    }
    sec = el("section", "board-column");
    sec.dataset.column = c.id;
    sec.setAttribute("aria-labelledby", "col-" + c.id + "-title");
    var h = el("h2", "column-title", c.title);
    h.lang = "de";
    h.id = "col-" + c.id + "-title";
    var ul = el("ul", "card-list");
    ul.dataset.column = c.id;
    ul.setAttribute("aria-labelledby", h.id);
    var empty = el("p", "empty-column muted", T.empty);
    sec.appendChild(h);
    sec.appendChild(ul);
    sec.appendChild(empty);
    board.appendChild(sec);
    wireDrop(ul);
    var sel = document.getElementById("f-column_id");
    if (sel) {
      var o = el("option", "", c.title);
      o.value = c.id;
      sel.appendChild(o);
    }
  }

  var unsequenced = { hello: 1, ready: 1, ack: 1, error: 1, presence: 1, reload: 1, pong: 1 };
  function handle(f) {
    if (!unsequenced[f.type]) {
      if (f.seq <= state.seq) { return; }           // already shown (snapshot or replay)
      if (f.seq !== state.seq + 1) { reconnect(true); return; } // a gap: resume again
      state.seq = f.seq;
      if (f.type !== "noop") { apply(f); }
      return;
    }
    switch (f.type) {
      case "hello":
        state.clockOffset = Date.parse(f.now) - Date.now();
        break;
      case "ready":
        ready = true;
        retry = 0;
        setLive(true);
        Object.keys(pending).forEach(function (id) { ws.send(JSON.stringify(pending[id].op)); });
        break;
      case "ack":
        var p = pending[f.op_id];
        delete pending[f.op_id];
        if (p && p.onAck) { p.onAck(f); }
        break;
      case "error":
        var q = pending[f.op_id];
        delete pending[f.op_id];
        if (f.card) { upsert(f.card, false); }
        if (q && q.onError) { q.onError(f); } else { showError(f.message); }
        break;
      case "presence":
        showPresence(f);
        break;
      case "reload":
        ws.close();
        setTimeout(function () { location.reload(); }, 300);
        break;
    }
  }

  // ---- the connection ----
  var live = document.getElementById("board-live");
  function setLive(on) {
    live.hidden = false;
    live.classList.toggle("is-online", on);
    document.getElementById("board-live-text").textContent = on ? T.liveOk : (retry ? T.liveLost : T.liveWait);
  }

  function connect() {
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/labs/" + labID + "/boards/" + boardID + "/ws";
    ws = new WebSocket(url);
    ready = false;
    setLive(false);
    ws.onopen = function () { ws.send(JSON.stringify({ type: "resume", after: state.seq })); };
    ws.onmessage = function (ev) {
      var data = JSON.parse(ev.data);
      if (Array.isArray(data)) { data.forEach(handle); } else { handle(data); }
    };
    ws.onclose = function () { ready = false; reconnect(false); };
  }

  function reconnect(now) {
    if (ws && ws.readyState <= 1) { ws.onclose = null; ws.close(); }
    ready = false;
    setLive(false);
    clearTimeout(retryTimer);
    var delay = now ? 0 : Math.min(15000, 500 * Math.pow(2, retry)) * (0.75 + Math.random() / 2);
    retry++;
    retryTimer = setTimeout(connect, delay);
  }

  // send queues an operation; it is (re)sent until acknowledged, with the
  // same op_id, so the server applies it once.
  var ownRecent = {}; // card id -> time of this person's last operation on it
  function send(op, onAck, onError) {
    op.op_id = op.op_id || opID();
    if (op.card_id) { ownRecent[op.card_id] = Date.now(); }
    pending[op.op_id] = { op: op, onAck: onAck, onError: onError };
    if (ready) { ws.send(JSON.stringify(op)); }
    return op.op_id;
  }

  // ---- forms become operations ----
  function fieldError(form, name, msg) {
    var input = form.querySelector('[name="' + name + '"]');
    if (!input) { announceOwn(msg); return; }
    var id = input.id + "-error";
    var p = document.getElementById(id);
    if (!msg) {
      if (p) { p.parentNode.removeChild(p); }
      input.removeAttribute("aria-invalid");
      input.setAttribute("aria-describedby", (input.getAttribute("aria-describedby") || "").replace(id, "").trim());
      return;
    }
    if (!p) {
      p = el("p", "field-error");
      p.id = id;
      input.parentNode.insertBefore(p, input);
      input.setAttribute("aria-describedby", ((input.getAttribute("aria-describedby") || "") + " " + id).trim());
    }
    p.textContent = msg;
    input.setAttribute("aria-invalid", "true");
    input.focus();
  }

  var addForm = document.getElementById("add-card-form");
  if (addForm) {
    addForm.addEventListener("submit", function (ev) {
      if (!ready) { return; } // without a connection the form posts normally
      ev.preventDefault();
      var btn = addForm.querySelector("button[type=submit]");
      var text = addForm.elements.text;
      var written = text.value.trim();
      btn.disabled = true;
      send({ type: "card.create", column_id: parseInt(addForm.elements.column_id.value, 10), text: text.value, color: addForm.elements.color.value },
        function () { btn.disabled = false; fieldError(addForm, "text", ""); text.value = ""; text.focus(); announceOwn(named(T.ownAdded, written)); },
        function (e) { btn.disabled = false; fieldError(addForm, (e.fields && Object.keys(e.fields)[0]) || "text", e.message); });
    });
  }

  // ---- the inline editor ----
  // editors holds the open editors by card id. An editor belongs to the
  // person typing: changes by others update the card above it and leave a
  // notice in it, but never close it, replace its text or take the focus.
  var editors = {};

  function notify(id, msg) {
    var ed = editors[id];
    if (!ed) { return; }
    ed.notice.textContent = msg + " " + T.kept;
    ed.notice.hidden = false;
  }

  function editCard(id) {
    var c = cards[id], li = cardEl(id);
    if (!c || !li || editors[id]) { return; }
    var form = el("form", "card-edit");
    form.noValidate = true;
    var ta = el("textarea");
    ta.id = "edit-" + id;
    ta.name = "text";
    ta.maxLength = 500;
    ta.value = c.text;
    var label = el("label", "", T.cardText);
    label.htmlFor = ta.id;
    var notice = el("p", "card-edit-notice");
    notice.id = "edit-" + id + "-notice";
    notice.hidden = true;
    ta.setAttribute("aria-describedby", notice.id);
    var save = el("button", "button button-small", T.save);
    save.type = "submit";
    var cancel = el("button", "button button-small button-secondary", T.cancel);
    cancel.type = "button";
    var buttons = el("div", "card-edit-buttons");
    buttons.appendChild(save);
    buttons.appendChild(cancel);
    form.appendChild(label);
    form.appendChild(notice);
    form.appendChild(ta);
    form.appendChild(buttons);
    var ed = editors[id] = { form: form, ta: ta, save: save, notice: notice, version: c.version };
    li.replaceChild(form, li.querySelector(".card-actions"));
    ta.focus();
    cancel.addEventListener("click", function () { closeEditor(id); });
    form.addEventListener("keydown", function (e) { if (e.key === "Escape") { closeEditor(id); } });
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (ed.removed) { return; }
      var text = ta.value;
      send({ type: "card.update", card_id: id, version: ed.version, text: text },
        function () { closeEditor(id); announceOwn(named(T.ownSaved, text.trim())); },
        function (e) {
          if (e.card) {
            // The version conflict: the card above shows the current
            // state; saving again replaces it with this text, knowingly.
            ed.version = e.card.version;
            showError(e.message);
            notify(id, T.conflict);
          } else {
            fieldError(form, "text", e.message);
          }
        });
    });
  }

  // closeEditor puts the card's controls back and the focus on the card.
  function closeEditor(id) {
    var ed = editors[id];
    if (!ed) { return; }
    delete editors[id];
    var li = ed.form.parentNode;
    if (!li) { return; }
    if (ed.removed || !cards[id]) {
      li.parentNode.removeChild(li);
      updateEmpty();
      return;
    }
    li.replaceChild(renderActions(cards[id]), ed.form);
    li.querySelector(".card-body").focus();
  }

  // ---- deleting: asked once, inside the card ----
  function confirmDelete(id) {
    var c = cards[id], li = cardEl(id);
    if (!c || !li) { return; }
    var actions = li.querySelector(".card-actions");
    var box = el("div", "card-confirm");
    box.setAttribute("role", "group");
    var q = el("p", "card-confirm-question", named(T.confirmDelete, c.text));
    q.id = "confirm-" + id;
    q.tabIndex = -1;
    box.setAttribute("aria-labelledby", q.id);
    var yes = el("button", "button button-small button-danger", T.confirmYes);
    yes.type = "button";
    var no = el("button", "button button-small button-secondary", T.cancel);
    no.type = "button";
    box.appendChild(q);
    box.appendChild(yes);
    box.appendChild(no);
    li.replaceChild(box, actions);
    q.focus();
    function back() {
      if (!box.parentNode) { return; }
      li.replaceChild(actions, box);
      if (cards[id]) { updateActions(li, cards[id]); }
      var del = actions.querySelector('[data-action="delete"]');
      (del || li.querySelector(".card-body")).focus();
    }
    no.addEventListener("click", back);
    box.addEventListener("keydown", function (e) { if (e.key === "Escape") { back(); } });
    yes.addEventListener("click", function () {
      var text = c.text;
      yes.disabled = true;
      send({ type: "card.delete", card_id: id }, function () { announceOwn(named(T.ownDeleted, text)); },
        function (e) { yes.disabled = false; back(); showError(e.message); });
    });
  }

  // ---- moving: menu, keys, drag and drop ----
  function cardsIn(colID) {
    return Array.prototype.map.call(listOf(colID).querySelectorAll(".board-card"), function (li) { return parseInt(li.dataset.card, 10); });
  }

  // move sends a move; said is what the live region tells once it is done.
  function move(id, colID, beforeID, said) {
    focusAfter = id;
    send({ type: "card.move", card_id: id, column_id: colID, before_id: beforeID || 0 }, function () { announceOwn(said); });
  }

  var openMenu = null;
  function closeMenu(focusButton) {
    if (!openMenu) { return; }
    openMenu.button.setAttribute("aria-expanded", "false");
    openMenu.menu.parentNode.removeChild(openMenu.menu);
    if (focusButton) { openMenu.button.focus(); }
    openMenu = null;
  }

  function openMoveMenu(id, btn) {
    if (openMenu) { closeMenu(false); }
    var c = cards[id];
    var same = cardsIn(c.column_id), i = same.indexOf(id);
    var items = [];
    if (i > 0) { items.push([T.moveUp, function () { move(id, c.column_id, same[i - 1], named(T.ownMovedUp, c.text)); }]); }
    if (i >= 0 && i < same.length - 1) { items.push([T.moveDown, function () { move(id, c.column_id, same[i + 2] || 0, named(T.ownMovedDown, c.text)); }]); }
    columns().forEach(function (col) {
      var cid = parseInt(col.dataset.column, 10);
      if (cid !== c.column_id) {
        var title = col.querySelector(".column-title").textContent;
        items.push([fmt(T.moveTo, title), function () { move(id, cid, 0, fmt2(T.moved, short(c.text), title)); }]);
      }
    });
    var menu = el("ul", "move-menu");
    menu.setAttribute("role", "menu");
    menu.setAttribute("aria-label", btn.getAttribute("aria-label"));
    items.forEach(function (it) {
      var li = el("li");
      li.setAttribute("role", "none");
      var b = el("button", "", it[0]);
      b.type = "button";
      b.setAttribute("role", "menuitem");
      b.tabIndex = -1;
      b.addEventListener("click", function () { closeMenu(false); it[1](); });
      li.appendChild(b);
      menu.appendChild(li);
    });
    btn.parentNode.appendChild(menu);
    btn.setAttribute("aria-expanded", "true");
    openMenu = { menu: menu, button: btn };
    var first = menu.querySelector("button");
    if (first) { first.focus(); }
    menu.addEventListener("keydown", function (e) {
      var all = Array.prototype.slice.call(menu.querySelectorAll("button"));
      var k = all.indexOf(document.activeElement);
      if (e.key === "ArrowDown") { all[(k + 1) % all.length].focus(); e.preventDefault(); }
      else if (e.key === "ArrowUp") { all[(k - 1 + all.length) % all.length].focus(); e.preventDefault(); }
      else if (e.key === "Home") { all[0].focus(); e.preventDefault(); }
      else if (e.key === "End") { all[all.length - 1].focus(); e.preventDefault(); }
      else if (e.key === "Escape" || e.key === "Tab") { closeMenu(true); e.preventDefault(); }
    });
  }
  document.addEventListener("click", function (e) {
    if (openMenu && !openMenu.menu.contains(e.target) && e.target !== openMenu.button && !openMenu.button.contains(e.target)) { closeMenu(false); }
  });

  // Arrow keys move the focus between cards (up/down in a column,
  // left/right to the neighbouring column).
  board.addEventListener("keydown", function (e) {
    var art = e.target;
    if (!art.classList || !art.classList.contains("card-body")) { return; }
    var li = art.parentNode, target = null;
    if (e.key === "ArrowDown") { target = li.nextElementSibling; }
    else if (e.key === "ArrowUp") { target = li.previousElementSibling; }
    else if (e.key === "ArrowLeft" || e.key === "ArrowRight") {
      var cols = columns(), ci = cols.indexOf(li.closest(".board-column"));
      var idx = Array.prototype.indexOf.call(li.parentNode.children, li);
      for (var step = 1; step < cols.length && !target; step++) {
        var col = cols[ci + (e.key === "ArrowRight" ? step : -step)];
        if (!col) { break; }
        var lis = col.querySelectorAll(".board-card");
        if (lis.length) { target = lis[Math.min(idx, lis.length - 1)]; }
      }
    } else if (e.key === "Home" || e.key === "End") {
      var sib = li.parentNode.querySelectorAll(".board-card");
      target = e.key === "Home" ? sib[0] : sib[sib.length - 1];
    } else {
      return;
    }
    e.preventDefault();
    if (target) { target.querySelector(".card-body").focus(); }
  });

  var dragged = null;
  board.addEventListener("dragstart", function (e) {
    var li = e.target.closest && e.target.closest(".board-card");
    if (!li || !canMove()) { return; }
    dragged = parseInt(li.dataset.card, 10);
    li.classList.add("is-dragging");
    e.dataTransfer.effectAllowed = "move";
    e.dataTransfer.setData("text/plain", String(dragged));
  });
  board.addEventListener("dragend", function (e) {
    var li = e.target.closest && e.target.closest(".board-card");
    if (li) { li.classList.remove("is-dragging"); }
    columns().forEach(function (c) { c.classList.remove("is-drop-target"); });
    dragged = null;
  });
  function wireDrop(list) {
    list.addEventListener("dragover", function (e) {
      if (dragged === null) { return; }
      e.preventDefault();
      list.closest(".board-column").classList.add("is-drop-target");
    });
    list.addEventListener("dragleave", function () { list.closest(".board-column").classList.remove("is-drop-target"); });
    list.addEventListener("drop", function (e) {
      if (dragged === null) { return; }
      e.preventDefault();
      var before = 0;
      Array.prototype.some.call(list.querySelectorAll(".board-card"), function (li) {
        var r = li.getBoundingClientRect();
        if (e.clientY < r.top + r.height / 2 && parseInt(li.dataset.card, 10) !== dragged) { before = parseInt(li.dataset.card, 10); return true; }
        return false;
      });
      var colID = parseInt(list.dataset.column, 10);
      move(dragged, colID, before, fmt2(T.moved, short(cards[dragged].text), columnTitle(colID)));
    });
  }
  Array.prototype.forEach.call(board.querySelectorAll(".card-list"), wireDrop);

  // ---- timer and presence ----
  var timerP = document.getElementById("board-timer");
  if (timerP.dataset.ends) { state.timerEnds = Date.parse(timerP.dataset.ends); }
  var announcedMinute = false, announcedOver = false;
  function tickTimer() {
    if (!state.timerEnds) { timerP.hidden = true; announcedMinute = announcedOver = false; return; }
    var left = Math.max(0, Math.round((state.timerEnds - (Date.now() + state.clockOffset)) / 1000));
    timerP.hidden = false;
    var txt = left > 0 ? fmt(T.timerLeft, Math.floor(left / 60) + ":" + ("0" + (left % 60)).slice(-2)) : T.timerOver;
    var span = document.getElementById("board-timer-text");
    if (span.textContent !== txt) { span.textContent = txt; }
    if (left <= 60 && left > 0 && !announcedMinute) { announcedMinute = true; announce(txt); }
    if (left === 0 && !announcedOver) { announcedOver = true; announce(T.timerOver); }
    if (left > 60) { announcedMinute = false; }
    if (left > 0) { announcedOver = false; }
  }
  setInterval(tickTimer, 1000);

  function showPresence(f) {
    var p = document.getElementById("board-presence");
    p.hidden = false;
    var names = f.names || [];
    var text = names.length ? names.join(", ") : (f.count > 1 ? String(f.count) : T.alone);
    if (f.count > names.length && names.length) { text += " (+" + (f.count - names.length) + ")"; }
    document.getElementById("board-presence-list").textContent = text;
  }

  document.getElementById("board-nojs").hidden = true;
  rerenderAll();
  updateVotesLeft();
  tickTimer();
  connect();
})();
