/* Live updates for logged-in pages, and the owner of the tab's one socket to this site's own /ws/.
   It keeps the unread badge current and reads new notifications aloud politely. Other scripts on the page (the chat)
   share the same socket through window.HereAndNowSocket instead of opening their own:

     HereAndNowSocket.send(frame)    send a frame (an object) now; false if the socket isn't open
     HereAndNowSocket.isOpen()       true while the socket is open
     HereAndNowSocket.onFrame(fn)    fn(frame) for every frame the server sends
     HereAndNowSocket.onOpen(fn)     fn() on every (re)connect, and at once if already open: subscribe again here
     HereAndNowSocket.onClose(fn)    fn({code, retrying}) when the socket closes; retrying is false for 4401 (logged
                                     out), 4403 (account paused) and 4428 (the updated agreement isn't accepted yet),
                                     which are final
     HereAndNowSocket.reconnectNow() try again at once (when the browser says it is back online)
   Each on* returns a function that stops the calls. Reconnects use backoff with jitter (1 s, 2 s, 4 s ... 30 s;
   at least a minute after 4429). Small on purpose: no framework, no requests anywhere but this site. */
(function () {
  "use strict";
  if (!("WebSocket" in window) || !document.querySelector || window.HereAndNowSocket) { return; }

  var socket = null;
  var retryDelay = 1000;
  var retryTimer = null;
  var stopped = false;        // 4401, 4403 or 4428: trying again would not help
  var MAX_DELAY = 30000;
  var listeners = {frame: [], open: [], close: []};

  function notificationsLink() {
    return document.querySelector('a[href="/notifications/"]');
  }

  function setUnreadCount(count) {
    var badge = document.querySelector("[data-unread-count]");
    if (count <= 0) {
      // The page shows no badge when nothing is unread, so remove it (and the space before it).
      if (badge) {
        var space = badge.previousSibling;
        if (space && space.nodeType === 3 && !space.nodeValue.trim()) { space.parentNode.removeChild(space); }
        badge.parentNode.removeChild(badge);
      }
      return;
    }
    if (!badge) {
      var link = notificationsLink();
      if (!link) { return; }
      badge = document.createElement("span");
      badge.className = "badge";
      badge.setAttribute("data-unread-count", "");
      link.appendChild(document.createTextNode(" "));
      link.appendChild(badge);
    }
    badge.textContent = String(count);
    var hidden = document.createElement("span");
    hidden.className = "visually-hidden";
    hidden.textContent = " unread";
    badge.appendChild(hidden);
  }

  function liveRegion() {
    var region = document.getElementById("live-announcer");
    if (!region) {
      region = document.createElement("div");
      region.id = "live-announcer";
      region.className = "visually-hidden";
      region.setAttribute("role", "status");
      region.setAttribute("aria-live", "polite");
      document.body.appendChild(region);
    }
    return region;
  }

  function announce(text) {
    var region = liveRegion();
    region.textContent = "";
    // A short pause lets screen readers notice the change even if the same words come twice.
    window.setTimeout(function () { region.textContent = text; }, 100);
  }

  function handle(frame) {
    if (!frame || typeof frame !== "object") { return; }
    if (frame.type === "notification") {
      if (typeof frame.unread_count === "number") { setUnreadCount(frame.unread_count); }
      if (frame.notification && frame.notification.title) {
        announce("New notification: " + frame.notification.title);
      }
    } else if (frame.type === "notifications.read") {
      if (typeof frame.unread_count === "number") { setUnreadCount(frame.unread_count); }
    }
  }

  // --- the shared socket ------------------------------------------------------------------------------------------

  function listen(kind, fn) {
    listeners[kind].push(fn);
    return function () {
      var at = listeners[kind].indexOf(fn);
      if (at !== -1) { listeners[kind].splice(at, 1); }
    };
  }

  function tell(kind, value) {
    // A copy, so a listener may stop listening while being called; one listener's mistake doesn't stop the rest.
    listeners[kind].slice().forEach(function (fn) {
      try { fn(value); } catch (error) { window.setTimeout(function () { throw error; }, 0); }
    });
  }

  function isOpen() { return !!socket && socket.readyState === WebSocket.OPEN; }

  function connect() {
    retryTimer = null;
    if (stopped || socket) { return; }
    var scheme = location.protocol === "https:" ? "wss" : "ws";
    var current;
    try {
      current = socket = new WebSocket(scheme + "://" + location.host + "/ws/");
    } catch (error) {
      socket = null;
      scheduleReconnect();
      return;
    }
    current.onopen = function () {
      retryDelay = 1000;
      tell("open");
    };
    current.onmessage = function (event) {
      var frame = null;
      try { frame = JSON.parse(event.data); } catch (error) { return; }
      if (!frame || typeof frame !== "object") { return; }
      handle(frame);
      tell("frame", frame);
    };
    current.onclose = function (event) {
      if (socket !== current) { return; }
      socket = null;
      // 4401: logged out; 4403: account paused; 4428: the updated agreement isn't accepted yet. Trying again would
      // not help.
      if (event.code === 4401 || event.code === 4403 || event.code === 4428) { stopped = true; }
      // 4429: rate limited repeatedly; wait at least a minute.
      if (event.code === 4429) { retryDelay = Math.max(retryDelay, 60000); }
      tell("close", {code: event.code, retrying: !stopped});
      if (!stopped) { scheduleReconnect(); }
    };
  }

  function scheduleReconnect() {
    if (retryTimer || stopped) { return; }
    var delay = retryDelay + Math.floor(Math.random() * Math.min(1000, retryDelay / 2));
    retryDelay = Math.min(retryDelay * 2, MAX_DELAY);
    retryTimer = window.setTimeout(connect, delay);
  }

  function reconnectNow() {
    if (socket || stopped) { return; }
    if (retryTimer) { window.clearTimeout(retryTimer); retryTimer = null; }
    retryDelay = 1000;
    connect();
  }

  window.HereAndNowSocket = {
    send: function (frame) {
      if (!isOpen()) { return false; }
      socket.send(JSON.stringify(frame));
      return true;
    },
    isOpen: isOpen,
    onFrame: function (fn) { return listen("frame", fn); },
    onOpen: function (fn) {
      var stop = listen("open", fn);
      if (isOpen()) { fn(); }
      return stop;
    },
    onClose: function (fn) { return listen("close", fn); },
    reconnectNow: reconnectNow
  };

  window.addEventListener("online", reconnectNow);
  window.addEventListener("pagehide", function () {
    if (retryTimer) { window.clearTimeout(retryTimer); retryTimer = null; }
    if (socket) { socket.onclose = null; socket.close(); socket = null; }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && !socket) { reconnectNow(); }
  });

  connect();
})();
