// Served by the web host as /bridge.js and loaded by the Store Manager page before its own
// bundle. It puts `window.insight` (the InsightApi of shared/ipc.ts) on the page, carried over
// one WebSocket to the host, which checks every message with the same handle() as Electron's
// ipcMain. Plain browser JavaScript on purpose: it is sent as-is, without a build step.
//   page → host   {"id": 7, "channel": "forms:list", "payload": {}}
//   host → page   {"id": 7, "result": {"ok": true, "value": [...]}}
//   host → page   {"event": "sync:status", "payload": {...}}
// The host fills in the channel and event names of the contract where the placeholders are.
(function () {
  'use strict';
  var channels = new Set(/*INSIGHT_CHANNELS*/ []);
  var events = new Set(/*INSIGHT_EVENTS*/ []);
  var socketUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/bridge';

  var nextId = 1;
  var waiting = new Map(); // id → resolve
  var outbox = []; // messages written while the socket was (re)connecting
  var listeners = new Map(); // event → Set(listener)
  var socket = null;
  var retryMs = 250;

  function fail(error) {
    return { ok: false, error: error };
  }

  // The page shows a "Reconnecting" overlay while the host is gone (renderer/app/Reconnecting.tsx).
  function announce(connected) {
    window.dispatchEvent(new CustomEvent('insight-connection', { detail: { connected: connected } }));
  }

  function connect() {
    socket = new WebSocket(socketUrl);
    socket.onopen = function () {
      retryMs = 250;
      announce(true);
      var pending = outbox;
      outbox = [];
      pending.forEach(function (text) {
        socket.send(text);
      });
    };
    socket.onmessage = function (message) {
      var data;
      try {
        data = JSON.parse(message.data);
      } catch (error) {
        return;
      }
      if (data && typeof data.id === 'number' && waiting.has(data.id)) {
        var resolve = waiting.get(data.id);
        waiting.delete(data.id);
        resolve(data.result);
      } else if (data && typeof data.event === 'string' && listeners.has(data.event)) {
        listeners.get(data.event).forEach(function (listener) {
          try {
            listener(data.payload);
          } catch (error) {
            console.error('insight event listener failed', error);
          }
        });
      }
    };
    socket.onclose = function () {
      // Requests in flight have no answer coming: say so instead of leaving them hanging.
      waiting.forEach(function (resolve) {
        resolve(fail('The Store Manager core is not reachable (the connection to the web host closed)'));
      });
      waiting.clear();
      announce(false);
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  }

  var insight = {
    invoke: function (channel, request) {
      if (!channels.has(channel)) return Promise.resolve(fail('Unknown channel ' + JSON.stringify(channel)));
      return new Promise(function (resolve) {
        var id = nextId++;
        var text;
        try {
          text = JSON.stringify({ id: id, channel: channel, payload: request === undefined ? {} : request });
        } catch (error) {
          resolve(fail(channel + ': the request cannot be sent (' + error.message + ')'));
          return;
        }
        waiting.set(id, resolve);
        if (socket && socket.readyState === WebSocket.OPEN) socket.send(text);
        else outbox.push(text);
      });
    },
    on: function (event, listener) {
      if (!events.has(event)) throw new Error('Unknown event ' + JSON.stringify(event));
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(listener);
      return function () {
        listeners.get(event).delete(listener);
      };
    },
  };

  Object.defineProperty(window, 'insight', { value: Object.freeze(insight), enumerable: true });
  connect();
  window.dispatchEvent(new Event('insight-ready'));
})();
