/* Live updates for logged-in pages: keeps the unread badge current and reads new notifications aloud politely.
   Small on purpose: no framework, no requests anywhere but this site's own /ws/ socket. */
(function () {
  "use strict";
  if (!("WebSocket" in window) || !document.querySelector) { return; }

  var socket = null;
  var retryDelay = 1000;
  var MAX_DELAY = 60000;

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

  function connect() {
    var scheme = location.protocol === "https:" ? "wss" : "ws";
    try {
      socket = new WebSocket(scheme + "://" + location.host + "/ws/");
    } catch (error) {
      scheduleReconnect();
      return;
    }
    socket.onopen = function () { retryDelay = 1000; };
    socket.onmessage = function (event) {
      var frame = null;
      try { frame = JSON.parse(event.data); } catch (error) { return; }
      handle(frame);
    };
    socket.onclose = function (event) {
      socket = null;
      // 4401: logged out; 4403: account paused. Trying again would not help.
      if (event.code === 4401 || event.code === 4403) { return; }
      scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    var delay = retryDelay + Math.floor(Math.random() * 1000);
    retryDelay = Math.min(retryDelay * 2, MAX_DELAY);
    window.setTimeout(connect, delay);
  }

  window.addEventListener("pagehide", function () {
    if (socket) { socket.onclose = null; socket.close(); socket = null; }
  });
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && !socket) { connect(); }
  });

  connect();
})();
