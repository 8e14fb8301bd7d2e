/* Here and Now chat room: live messages over this site's own /ws/ socket (protocol: docs/realtime.md).
   The tab has one socket, opened by community/live.js (loaded first, on every logged-in page); this file shares it
   through window.HereAndNowSocket, which also reconnects with backoff. On every (re)connect the chat subscribes
   again with `after`, so nothing is missed. No framework, no build step, no requests to anywhere else. The page works
   without this file: it is server-rendered with a plain form to send. Words people write are only ever put on the
   page with textContent; only http(s) addresses become links. */
(function () {
  "use strict";
  var configNode = document.getElementById("chat-config");
  var log = document.getElementById("chat-log");
  var live = window.HereAndNowSocket;
  if (!configNode || !log || !live || !window.fetch) { return; }

  var config = JSON.parse(configNode.textContent);
  var ROOM = config.room;
  var ME = config.user.id;

  var form = document.getElementById("chat-form");
  var textarea = form ? form.querySelector("textarea[name=body]") : null;
  var fileInput = form ? form.querySelector("input[type=file]") : null;
  var sendButton = document.getElementById("chat-send");
  var errorBox = document.getElementById("chat-error");
  var contextBox = document.getElementById("chat-context");
  var contextText = document.getElementById("chat-context-text");
  var contextCancel = document.getElementById("chat-context-cancel");
  var olderButton = document.getElementById("chat-older");
  var typingLine = document.getElementById("chat-typing");
  var announcer = document.getElementById("chat-announcer");
  var connectionLine = document.getElementById("chat-connection");

  var messages = {};          // id -> message payload
  var elements = {};          // id -> <li>
  var pending = {};           // client_id -> {body, reply_to, element}
  var lastSeen = 0;           // highest message id shown
  var oldestId = null;        // lowest message id shown
  var hasOlder = !!config.has_older;
  var loadingOlder = false;
  var replyTo = null;         // message payload being replied to
  var editing = null;         // message payload being edited
  var subscribed = false;
  var stopped = false;        // logged out, paused, or no longer in this room: the chat stops being live
  var lastTypingSent = 0;
  var typingTimers = {};
  var readSent = 0;
  var readTimer = null;
  var clientCounter = 0;

  // --- small helpers ------------------------------------------------------------------------------------------------

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) { return input.value; }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function newClientId() {
    clientCounter += 1;
    return "web-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 8) + "-" + clientCounter;
  }

  function announce(text) {
    announcer.textContent = "";
    window.setTimeout(function () { announcer.textContent = text; }, 100);
  }

  function setConnection(text) { connectionLine.textContent = text; }

  // For people: the status line. For tests and styles: data-connection on the chat ("live" or "offline").
  function setLive(live) {
    var chat = document.getElementById("chat");
    if (chat) { chat.setAttribute("data-connection", live ? "live" : "offline"); }
  }

  function showError(text) { if (errorBox) { errorBox.textContent = text || ""; } }

  function nearBottom() {
    return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 120;
  }

  function formatTime(iso) {
    var date = new Date(iso);
    if (isNaN(date.getTime())) { return ""; }
    var today = new Date();
    var time = date.toLocaleTimeString("en-GB", {hour: "2-digit", minute: "2-digit"});
    if (date.toDateString() === today.toDateString()) { return time; }
    return date.toLocaleDateString("en-GB", {day: "numeric", month: "short"}) + ", " + time;
  }

  function authorName(person) { return person ? person.display_name : "Deleted member"; }

  // Words to DOM nodes: text stays text; only http:// and https:// addresses become links.
  var LINK = /https?:\/\/[^\s<>"']+/gi;
  var TRAILING = /[.,;:!?)\]}'"]+$/;

  function appendText(parent, text) {
    var position = 0;
    var found;
    LINK.lastIndex = 0;
    while ((found = LINK.exec(text)) !== null) {
      var url = found[0].replace(TRAILING, "");
      if (found.index > position) { parent.appendChild(document.createTextNode(text.slice(position, found.index))); }
      var safe = null;
      try {
        var parsed = new URL(url);
        if (parsed.protocol === "http:" || parsed.protocol === "https:") { safe = parsed.href; }
      } catch (error) { safe = null; }
      if (safe) {
        var link = el("a", null, url);
        link.href = safe;
        link.rel = "noopener noreferrer nofollow";
        parent.appendChild(link);
      } else {
        parent.appendChild(document.createTextNode(url));
      }
      position = found.index + url.length;
      LINK.lastIndex = position;
    }
    if (position < text.length) { parent.appendChild(document.createTextNode(text.slice(position))); }
  }

  function canEdit(message) {
    if (message.author === null || message.author.id !== ME || message.is_deleted || message.is_hidden) { return false; }
    return Date.now() - new Date(message.created_at).getTime() < config.edit_minutes * 60000;
  }

  // --- rendering ----------------------------------------------------------------------------------------------------

  function render(message) {
    var item = el("li", "chat-message" + (message.author && message.author.id === ME ? " chat-mine" : ""));
    item.id = "message-" + message.id;
    item.setAttribute("data-message-id", String(message.id));

    var meta = el("p", "chat-meta");
    meta.appendChild(el("span", "chat-author", authorName(message.author)));
    meta.appendChild(document.createTextNode(" "));
    var time = el("time", null, formatTime(message.created_at));
    time.setAttribute("datetime", message.created_at);
    meta.appendChild(time);
    if (message.edited_at && !message.is_deleted) { meta.appendChild(el("span", "chat-edited", " (edited)")); }
    item.appendChild(meta);

    if (message.reply_to) {
      var reply = message.reply_to;
      var excerpt = reply.is_hidden ? "a message removed by a moderator" :
        (reply.is_deleted ? "a deleted message" : reply.excerpt);
      var quote = el("p", "chat-quote", "Replying to " + authorName(reply.author) + ": ");
      var quoted = el("span");
      appendText(quoted, excerpt);
      quote.appendChild(quoted);
      item.appendChild(quote);
    }

    if (message.is_deleted && !message.is_hidden) {  // removed by a moderator: is_hidden too, shown below
      item.appendChild(el("p", "chat-placeholder", "Message deleted"));
    } else if (message.is_hidden) {
      item.appendChild(el("p", "chat-placeholder", message.hidden_reason === "reports" ?
        "Hidden while a moderator takes a look" : "Removed by a moderator"));
    } else {
      if (message.is_held) {
        item.className += " chat-held";
        item.appendChild(el("p", "chat-held-note",
          "Only you can see this for now. A moderator will look at it soon, then everyone can see it."));
      }
      if (message.body) {
        var body = el("p", "chat-body");
        appendText(body, message.body);
        item.appendChild(body);
      }
      if (message.image_url && /^(\/|https?:)/.test(message.image_url)) {
        var image = el("img", "chat-image");
        image.src = message.image_url;
        image.alt = "Picture from " + authorName(message.author);
        item.appendChild(image);
      }
      item.appendChild(renderReactions(message));
      if (config.can_post) { item.appendChild(renderActions(message)); }
      if (message.author && message.author.id !== ME && config.links) { item.appendChild(renderMore(message)); }
    }
    return item;
  }

  function renderReactions(message) {
    var wrap = el("div", "chat-reactions");
    var counts = {};
    (message.reactions || []).forEach(function (reaction) { counts[reaction.emoji] = reaction; });
    var shown = config.reactions.filter(function (emoji) { return counts[emoji]; });
    shown.forEach(function (emoji) { wrap.appendChild(reactionButton(message, emoji, counts[emoji])); });
    if (!config.can_post) { return wrap; }
    var picker = el("details", "chat-picker");
    var summary = el("summary", null, "React");
    summary.setAttribute("aria-label", "React to " + authorName(message.author) + "'s message");
    picker.appendChild(summary);
    var options = el("div", "chat-picker-options");
    config.reactions.forEach(function (emoji) {
      if (!counts[emoji]) { options.appendChild(reactionButton(message, emoji, null)); }
    });
    picker.appendChild(options);
    if (options.childNodes.length) { wrap.appendChild(picker); }
    return wrap;
  }

  function reactionButton(message, emoji, reaction) {
    var mine = !!(reaction && reaction.user_ids.indexOf(ME) !== -1);
    var count = reaction ? reaction.count : 0;
    var button = el("button", "chat-reaction", count ? emoji + " " + count : emoji);
    button.type = "button";
    button.setAttribute("aria-pressed", mine ? "true" : "false");
    button.setAttribute("aria-label", emoji + (count ? ", " + count + (count === 1 ? " reaction" : " reactions") : "") +
      (mine ? ", including yours. Press to take yours away" : ". Press to add yours"));
    button.disabled = !config.can_post;
    button.addEventListener("click", function () {
      send({type: "reaction.toggle", message: message.id, emoji: emoji});
    });
    return button;
  }

  function renderActions(message) {
    var actions = el("div", "chat-actions");
    var reply = el("button", "link-button", "Reply");
    reply.type = "button";
    reply.setAttribute("aria-label", "Reply to " + authorName(message.author));
    reply.addEventListener("click", function () { startReply(message.id); });
    actions.appendChild(reply);
    if (canEdit(message)) {
      var edit = el("button", "link-button", "Edit");
      edit.type = "button";
      edit.setAttribute("aria-label", "Edit your message");
      edit.addEventListener("click", function () { startEdit(message.id); });
      actions.appendChild(edit);
    }
    if (message.author && message.author.id === ME) {
      var remove = el("button", "link-button chat-delete", "Delete");
      remove.type = "button";
      remove.setAttribute("aria-label", "Delete your message");
      remove.addEventListener("click", function () {
        if (window.confirm("Delete this message? Everyone will see \u201cmessage deleted\u201d instead.")) {
          send({type: "message.delete", message: message.id});
        }
      });
      actions.appendChild(remove);
    }
    return actions;
  }

  // Report, block and mute someone else's message: a small menu (a native disclosure, so keyboards work). Block and
  // mute are plain forms that come back to this page, which then leaves that person's messages out.
  function renderMore(message) {
    var name = authorName(message.author);
    var more = el("details", "chat-more");
    var summary = el("summary", null, "More");
    summary.setAttribute("aria-label", "More options for " + name + "'s message");
    more.appendChild(summary);
    var list = el("ul", "chat-more-options");
    var report = el("a", null, "Report this message");
    report.href = config.links.report_message.replace("/0/", "/" + message.id + "/");
    var item = el("li");
    item.appendChild(report);
    list.appendChild(item);
    [["block", "Block " + name], ["mute", "Mute " + name]].forEach(function (pair) {
      var form = el("form", "inline-form");
      form.method = "post";
      form.action = config.links[pair[0]].replace("/0/", "/" + message.author.id + "/");
      [["csrfmiddlewaretoken", csrfToken()], ["next", location.pathname]].forEach(function (field) {
        var input = el("input");
        input.type = "hidden";
        input.name = field[0];
        input.value = field[1];
        form.appendChild(input);
      });
      var button = el("button", "link-button", pair[1]);
      button.type = "submit";
      form.appendChild(button);
      var row = el("li");
      row.appendChild(form);
      list.appendChild(row);
    });
    more.appendChild(list);
    more.appendChild(el("p", "help", "They won't be told."));
    return more;
  }

  function removeEmptyNote() {
    var empty = document.getElementById("chat-empty");
    if (empty) { empty.parentNode.removeChild(empty); }
  }

  // Put a message in the list (once), in id order. Returns true if it was new.
  function place(message) {
    if (!message || typeof message.id !== "number") { return false; }
    var existing = elements[message.id];
    if (message.is_held && !(message.author && message.author.id === ME)) {
      // Held for a moderator after it was shown (an edit): it leaves everyone else's view.
      if (existing) { existing.parentNode.removeChild(existing); delete elements[message.id]; }
      delete messages[message.id];
      return false;
    }
    messages[message.id] = message;
    var node = render(message);
    if (message.client_id && pending[message.client_id]) { dropPending(message.client_id); }
    if (existing) {
      var hadFocus = existing.contains(document.activeElement);
      existing.parentNode.replaceChild(node, existing);
      elements[message.id] = node;
      if (hadFocus) { node.setAttribute("tabindex", "-1"); node.focus(); }
      return false;
    }
    removeEmptyNote();
    elements[message.id] = node;
    var after = null;
    var ids = Object.keys(elements).map(Number).sort(function (a, b) { return a - b; });
    for (var i = 0; i < ids.length; i += 1) {
      if (ids[i] > message.id) { after = elements[ids[i]]; break; }
    }
    if (after) { log.insertBefore(node, after); } else { log.insertBefore(node, firstPendingNode()); }
    if (message.id > lastSeen) { lastSeen = message.id; }
    if (oldestId === null || message.id < oldestId) { oldestId = message.id; }
    observe(node);
    return true;
  }

  function firstPendingNode() { return log.querySelector(".chat-pending"); }

  // --- sending ------------------------------------------------------------------------------------------------------

  function send(frame) {
    if (subscribed && live.send(frame)) { return true; }
    showError("You're offline just now. We'll keep trying to reconnect.");
    return false;
  }

  function addPending(clientId, body, replyId) {
    removeEmptyNote();
    var node = el("li", "chat-message chat-mine chat-pending");
    node.appendChild(el("p", "chat-meta", "Sending\u2026"));
    var text = el("p", "chat-body");
    appendText(text, body);
    node.appendChild(text);
    log.appendChild(node);
    pending[clientId] = {body: body, reply_to: replyId, element: node};
  }

  function dropPending(clientId) {
    var item = pending[clientId];
    if (!item) { return; }
    if (item.element.parentNode) { item.element.parentNode.removeChild(item.element); }
    delete pending[clientId];
  }

  function sendPending(clientId) {
    var item = pending[clientId];
    var frame = {type: "message.send", room: ROOM, body: item.body, client_id: clientId};
    if (item.reply_to) { frame.reply_to = item.reply_to; }
    if (subscribed) { live.send(frame); }
  }

  function submitComposer() {
    showError("");
    var body = textarea.value.replace(/\s+$/, "");
    if (editing) {
      if (!body.trim()) { showError("Write something first, or delete the message instead."); return; }
      if (send({type: "message.edit", message: editing.id, body: body})) { textarea.value = ""; clearContext(); }
      return;
    }
    var file = fileInput && fileInput.files && fileInput.files[0];
    if (file) { uploadPicture(file, body); return; }
    if (!body.trim()) { showError("Write something first, then send."); textarea.focus(); return; }
    if (body.length > config.max_chars) {
      showError("That message is " + body.length + " characters long. Messages can be up to " +
        config.max_chars + " characters, so please make it shorter or split it in two.");
      return;
    }
    var clientId = newClientId();
    addPending(clientId, body, replyTo ? replyTo.id : null);
    sendPending(clientId);
    if (!live.isOpen()) {
      setConnection("You're offline. Your message will be sent when you're back online.");
    }
    textarea.value = "";
    clearContext();
    window.scrollTo(0, document.documentElement.scrollHeight);
  }

  function uploadPicture(file, body) {
    var data = new FormData();
    data.append("image", file);
    data.append("body", body);
    data.append("client_id", newClientId());
    if (replyTo) { data.append("reply_to", String(replyTo.id)); }
    sendButton.disabled = true;
    setConnection("Sending your picture\u2026");
    fetch(config.api.messages, {
      method: "POST", body: data, credentials: "same-origin", headers: {"X-CSRFToken": csrfToken()}
    }).then(function (response) {
      return response.json().then(function (payload) { return {ok: response.ok, payload: payload}; });
    }).then(function (result) {
      sendButton.disabled = false;
      setConnection("");
      if (!result.ok) { showError(result.payload.detail || "That picture couldn't be sent. Please try another."); return; }
      place(result.payload);
      textarea.value = "";
      fileInput.value = "";
      clearContext();
    }).catch(function () {
      sendButton.disabled = false;
      setConnection("");
      showError("That picture couldn't be sent. Check your connection and try again.");
    });
  }

  function startReply(id) {
    editing = null;
    replyTo = messages[id];
    contextText.textContent = "Replying to " + authorName(replyTo.author) + ": " + (replyTo.body || "").slice(0, 120);
    contextCancel.textContent = "Cancel reply";
    contextBox.hidden = false;
    textarea.focus();
  }

  function startEdit(id) {
    replyTo = null;
    editing = messages[id];
    contextText.textContent = "Editing your message.";
    contextCancel.textContent = "Cancel edit";
    contextBox.hidden = false;
    textarea.value = editing.body;
    sendButton.textContent = "Save changes";
    textarea.focus();
  }

  function clearContext() {
    var wasEditing = editing;
    replyTo = null;
    editing = null;
    if (contextBox) { contextBox.hidden = true; }
    if (sendButton) { sendButton.textContent = "Send"; }
    if (wasEditing && textarea) { textarea.value = ""; }
  }

  // --- read markers -------------------------------------------------------------------------------------------------

  var seenObserver = ("IntersectionObserver" in window) ? new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) {
        var id = Number(entry.target.getAttribute("data-message-id"));
        if (id > readSent) { scheduleRead(); }
      }
    });
  }) : null;

  function observe(node) { if (seenObserver) { seenObserver.observe(node); } }

  function newestVisibleId() {
    var best = 0;
    Object.keys(elements).forEach(function (key) {
      var rect = elements[key].getBoundingClientRect();
      if (rect.top < window.innerHeight && rect.bottom > 0 && Number(key) > best) { best = Number(key); }
    });
    return best;
  }

  function scheduleRead() {
    if (readTimer) { return; }
    readTimer = window.setTimeout(function () {
      readTimer = null;
      if (document.visibilityState === "hidden") { return; }
      var id = newestVisibleId();
      if (id > readSent && subscribed) {
        readSent = id;
        send({type: "read", room: ROOM, message: id});
      }
    }, 800);
  }

  // --- older history ------------------------------------------------------------------------------------------------

  function fetchPage(before) {
    var url = config.api.messages + "?limit=50" + (before ? "&before=" + before : "");
    return fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}}).then(function (response) {
      if (!response.ok) { throw new Error("history " + response.status); }
      return response.json();
    });
  }

  function loadOlder() {
    if (loadingOlder || !hasOlder || oldestId === null) { return; }
    loadingOlder = true;
    olderButton.disabled = true;
    olderButton.textContent = "Loading older messages\u2026";
    var anchor = elements[oldestId];
    var anchorTop = anchor ? anchor.getBoundingClientRect().top : 0;
    fetchPage(oldestId).then(function (page) {
      page.results.forEach(place);
      hasOlder = page.has_more;
      if (anchor) { window.scrollBy(0, anchor.getBoundingClientRect().top - anchorTop); }
      announce(page.results.length ? "Loaded " + page.results.length + " older messages." : "No older messages.");
    }).catch(function () {
      showError("Older messages couldn't load. Please try again.");
    }).then(function () {
      loadingOlder = false;
      olderButton.disabled = false;
      olderButton.textContent = "Show older messages";
      olderButton.hidden = !hasOlder;
    });
  }

  // Fill a gap after a long time offline: page back from the oldest replayed message until we reach what we had.
  function fillGap(before, had) {
    fetchPage(before).then(function (page) {
      var reached = false;
      page.results.forEach(function (message) {
        if (message.id <= had) { reached = true; } else { place(message); }
      });
      if (!reached && page.has_more && page.next_before) { fillGap(page.next_before, had); }
    }).catch(function () { /* the next reconnect tries again */ });
  }

  // --- the socket ---------------------------------------------------------------------------------------------------

  function handle(frame) {
    if (stopped || !frame || typeof frame !== "object") { return; }
    if (frame.room !== undefined && frame.room !== ROOM && frame.type !== "error") { return; }
    switch (frame.type) {
      case "subscribed": onSubscribed(frame); break;
      case "message.new": onNew(frame.message); break;
      case "message.updated": if (frame.message && elements[frame.message.id]) { place(frame.message); } break;
      case "typing": onTyping(frame.user); break;
      case "room.updated": onRoomUpdated(frame); break;
      case "room.read": onRead(frame); break;
      case "room.left": onLeft(frame); break;
      case "error": onError(frame); break;
      default: break;
    }
  }

  var replaying = 0;
  var hadBeforeReplay = 0;
  var firstReplayId = null;
  var missedWhileAway = 0;

  function onSubscribed(frame) {
    subscribed = true;
    setLive(true);
    setConnection("");
    showError("");
    replaying = frame.replayed || 0;
    firstReplayId = null;
    missedWhileAway = 0;
    if (frame.details && applyRoomDetails(frame.details)) { return; }
    if (frame.has_more) { hadBeforeReplay = lastSeen; }
    else { hadBeforeReplay = 0; }
    Object.keys(pending).forEach(sendPending);
    if (!replaying) { finishReplay(frame.has_more); }
    else { pendingHasMore = frame.has_more; }
  }

  var pendingHasMore = false;

  function finishReplay(hasMore) {
    if (hasMore && firstReplayId && hadBeforeReplay) { fillGap(firstReplayId, hadBeforeReplay); }
    if (missedWhileAway) {
      announce(missedWhileAway === 1 ? "1 new message while you were away." :
        missedWhileAway + " new messages while you were away.");
    }
    scheduleRead();
  }

  function onNew(message) {
    if (!message) { return; }
    var wasNearBottom = nearBottom();
    var isNew = place(message);
    var fromOther = !message.author || message.author.id !== ME;
    if (replaying > 0) {
      if (firstReplayId === null) { firstReplayId = message.id; }
      if (isNew && fromOther) { missedWhileAway += 1; }
      replaying -= 1;
      if (replaying === 0) { finishReplay(pendingHasMore); }
    } else if (isNew && fromOther) {
      announce("New message from " + authorName(message.author) + ": " +
        (message.body || (message.image_url ? "a picture" : "")));
      if (message.author) { clearTyping(message.author.id); }
    }
    if (isNew && (wasNearBottom || !fromOther)) { window.scrollTo(0, document.documentElement.scrollHeight); }
    if (isNew) { scheduleRead(); }
  }

  function onTyping(user) {
    if (!user || user.id === ME) { return; }
    window.clearTimeout(typingTimers[user.id] && typingTimers[user.id].timer);
    typingTimers[user.id] = {name: user.display_name, timer: window.setTimeout(function () { clearTyping(user.id); }, 5000)};
    showTyping();
  }

  function clearTyping(userId) {
    if (typingTimers[userId]) { window.clearTimeout(typingTimers[userId].timer); delete typingTimers[userId]; }
    showTyping();
  }

  function showTyping() {
    var names = Object.keys(typingTimers).map(function (key) { return typingTimers[key].name; });
    typingLine.textContent = !names.length ? "" :
      (names.length === 1 ? names[0] + " is typing\u2026" : names.join(" and ") + " are typing\u2026");
  }

  // The server confirmed how far this person has read (from this tab or another one).
  function onRead(frame) {
    var chat = document.getElementById("chat");
    if (chat && typeof frame.last_read_message_id === "number") {
      chat.setAttribute("data-read-up-to", String(frame.last_read_message_id));
      if (frame.last_read_message_id > readSent) { readSent = frame.last_read_message_id; }
    }
  }

  function onLeft(frame) {
    // The server has ended this room's subscription. The socket stays open for the rest of the page (notifications).
    stopped = true;
    subscribed = false;
    setLive(false);
    setConnection(frame.detail || "You're no longer in this chat.");
    if (form) { form.hidden = true; }
  }

  function onError(frame) {
    if (frame.client_id && pending[frame.client_id]) {
      var item = pending[frame.client_id];
      dropPending(frame.client_id);
      if (textarea && !textarea.value) { textarea.value = item.body; }
    }
    showError(frame.detail || "That didn't work. Please try again.");
  }

  // --- room controls: slow mode, lock, staffed hours -----------------------------------------------------------------
  // The room's moderation state comes with `subscribed` (details) and `room.updated` (changes). The banner says calmly
  // what is in force, and the composer is switched off while a lock or staffed hours stop this person posting (and on
  // again when they end). Nothing is sent when staffed hours open or close by the clock, so the chat subscribes again
  // at that moment and gets a fresh `can_post`.
  var roomState = null;
  var recheckTimer = null;

  function slowModeWords(seconds) {
    if (seconds === 60) { return "minute"; }
    if (seconds === 3600) { return "hour"; }
    if (seconds > 60 && seconds % 60 === 0) { return (seconds / 60) + " minutes"; }
    return seconds + " seconds";
  }

  function roomStateLines(state) {
    var lines = [];
    if (state.is_locked) { lines.push("A moderator has paused this chat for now. You can still read messages."); }
    if (state.staffed_hours_only && state.open_now === false) {
      lines.push("This chat is open when a moderator is around." +
        (state.next_opening_text ? " It opens on " + state.next_opening_text + "." : "") +
        " You can still read messages.");
    }
    if (state.slow_mode_seconds > 0) {
      lines.push("Slow mode: one message every " + slowModeWords(state.slow_mode_seconds) + ".");
    }
    return lines;
  }

  function showRoomState(state, tell) {
    var box = document.getElementById("chat-room-state");
    var lines = roomStateLines(state);
    var text = lines.join(" ");
    if (!box || box.getAttribute("data-text") === text) { return; }
    var first = !box.hasAttribute("data-text");
    box.setAttribute("data-text", text);
    while (box.firstChild) { box.removeChild(box.firstChild); }
    lines.forEach(function (line) { box.appendChild(el("p", null, line)); });
    box.hidden = !lines.length;
    if (tell && !first) { announce(text || "This chat is open again. You can post."); }
  }

  function scheduleRecheck(state) {
    window.clearTimeout(recheckTimer);
    var when = state.next_opening_at || state.open_until;
    var wait = when ? new Date(when).getTime() - Date.now() + 1500 : NaN;
    if (isNaN(wait)) { return; }
    recheckTimer = window.setTimeout(subscribe, Math.max(1000, Math.min(wait, 6 * 3600 * 1000)));
  }

  function pausedByModerators(state) {
    return !!(state.is_locked || (state.staffed_hours_only && state.open_now === false));
  }

  function setCanPost(canPost) {
    var fieldset = document.getElementById("chat-fieldset");
    config.can_post = canPost;
    if (fieldset) { fieldset.disabled = !canPost; }
    Object.keys(messages).forEach(function (id) { place(messages[id]); });  // reply and react buttons follow
  }

  // The room as `subscribed` describes it. Returns true when the page reloads for a change it can't show in place.
  function applyRoomDetails(details) {
    var told = roomState !== null;
    roomState = details;
    showRoomState(details, told);
    scheduleRecheck(details);
    if (typeof details.can_post !== "boolean" || details.can_post === config.can_post) { return false; }
    if (document.getElementById("chat-fieldset") && (details.can_post || pausedByModerators(details))) {
      setCanPost(details.can_post);
      return false;
    }
    window.location.reload();
    return true;
  }

  function onRoomUpdated(frame) {
    var changes = frame.changes || {};
    if (roomState && "is_locked" in changes) {
      Object.keys(changes).forEach(function (key) { roomState[key] = changes[key]; });
      showRoomState(roomState, true);
      scheduleRecheck(roomState);
    }
    subscribe();  // `subscribed` brings a fresh can_post (and a direct conversation's status)
  }

  function subscribe() {
    if (stopped) { return; }
    var frame = {type: "subscribe", room: ROOM};
    if (lastSeen) { frame.after = lastSeen; }
    live.send(frame);
  }

  // The shared socket (re)opened: subscribe again, asking for everything after the newest message shown.
  function onOpen() {
    subscribed = false;
    subscribe();
  }

  function onClose(event) {
    subscribed = false;
    setLive(false);
    if (stopped) { return; }
    if (event.code === 4401) {
      stopped = true;
      setConnection("You've been logged out. Please log in again to keep chatting.");
      return;
    }
    if (event.code === 4403) {
      stopped = true;
      setConnection("Your account is paused, so chat is closed for now. Staff can tell you more.");
      if (form) { form.hidden = true; }
      return;
    }
    if (event.code === 4428) {
      stopped = true;
      setConnection("We've updated our community agreement. Please read it and say yes to keep chatting: ");
      var link = document.createElement("a");
      link.href = config.links.agreements;
      link.textContent = "read what's changed";
      connectionLine.appendChild(link);
      return;
    }
    setConnection("Connection lost. Trying to reconnect\u2026");
  }

  // --- wiring -------------------------------------------------------------------------------------------------------

  function start() {
    // Swap the server-rendered list for live-rendered messages (same data, plus buttons).
    Array.prototype.slice.call(log.querySelectorAll(".chat-message")).forEach(function (node) {
      node.parentNode.removeChild(node);
    });
    (config.messages || []).forEach(place);

    if (olderButton) {
      olderButton.hidden = !hasOlder;
      olderButton.addEventListener("click", loadOlder);
      if ("IntersectionObserver" in window) {
        new IntersectionObserver(function (entries) {
          if (entries[0].isIntersecting && oldestId !== null && window.scrollY > 0) { loadOlder(); }
        }).observe(olderButton.parentNode);
      }
    }

    if (form && textarea) {
      var help = document.getElementById("chat-keys-help");
      if (help) {
        help.hidden = false;
        textarea.setAttribute("aria-describedby",
          ((textarea.getAttribute("aria-describedby") || "") + " chat-keys-help").trim());
      }
      form.addEventListener("submit", function (event) { event.preventDefault(); submitComposer(); });
      textarea.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          submitComposer();
        } else if (event.key === "Escape" && (replyTo || editing)) {
          event.preventDefault();
          clearContext();
        }
      });
      textarea.addEventListener("input", function () {
        var now = Date.now();
        if (textarea.value && now - lastTypingSent > 3000 && subscribed) {
          lastTypingSent = now;
          live.send({type: "typing", room: ROOM});
        }
      });
      contextCancel.addEventListener("click", function () { clearContext(); textarea.focus(); });
    }

    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "visible") { scheduleRead(); }
    });
    // Reconnecting (backoff, going back online, coming back from the back-forward cache) is the shared socket's job.
    live.onFrame(handle);
    live.onClose(onClose);

    var target = location.hash ? document.getElementById(location.hash.slice(1)) : null;
    if (target) { target.scrollIntoView(); } else { window.scrollTo(0, document.documentElement.scrollHeight); }
    live.onOpen(onOpen);
  }

  start();
})();
