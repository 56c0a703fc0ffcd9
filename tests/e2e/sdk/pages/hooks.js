// Test instrumentation, loaded before anything else: sees every listener, observer,
// timer and global patch the page gets, so a test can check that Replaydesk.stop()
// leaves the page as it found it. window.__hooks.baseline() records the page's own
// state (call it just before the snippet); window.__hooks.diff() says what changed.
// Playwright's own script (it installs listeners and an observer in the page when it
// first clicks) is told apart by its stack, which names InjectedScript.
(function () {
  function byPlaywright() {
    return /InjectedScript|HitTargetInterceptor/.test(String(new Error().stack));
  }
  var listeners = new Map(); // "id" -> description, for listeners currently attached
  var observers = new Set();
  var timers = new Map(); // id -> "timeout"|"interval", while pending
  var targetIds = new WeakMap();
  var nextTargetId = 1;
  var listenerIds = new WeakMap();
  var nextListenerId = 1;

  function idOf(map, object, counter) {
    if (!map.has(object)) map.set(object, counter());
    return map.get(object);
  }
  function label(target) {
    if (target === window) return 'window';
    if (target === document) return 'document';
    return (target && target.nodeName) || Object.prototype.toString.call(target);
  }
  function key(target, type, listener, options) {
    var capture = typeof options === 'boolean' ? options : Boolean(options && options.capture);
    return [idOf(targetIds, target, function () { return nextTargetId++; }), label(target), type,
      idOf(listenerIds, listener, function () { return nextListenerId++; }), capture].join(' ');
  }

  var add = EventTarget.prototype.addEventListener;
  var remove = EventTarget.prototype.removeEventListener;
  EventTarget.prototype.addEventListener = function (type, listener, options) {
    if (listener && (typeof listener === 'function' || typeof listener === 'object') && !byPlaywright()) {
      listeners.set(key(this, type, listener, options), true);
    }
    return add.apply(this, arguments);
  };
  EventTarget.prototype.removeEventListener = function (type, listener, options) {
    if (listener) listeners.delete(key(this, type, listener, options));
    return remove.apply(this, arguments);
  };

  // On the prototype, not the constructor: rrweb takes the constructor from
  // MutationObserver.prototype.constructor (a native one, or from a fresh iframe).
  var observe = MutationObserver.prototype.observe;
  var disconnect = MutationObserver.prototype.disconnect;
  MutationObserver.prototype.observe = function () {
    if (!byPlaywright()) observers.add(this);
    return observe.apply(this, arguments);
  };
  MutationObserver.prototype.disconnect = function () {
    observers.delete(this);
    return disconnect.apply(this, arguments);
  };

  function trackTimer(kind, set, clear) {
    window[set] = (function (native) {
      return function (fn) {
        var args = Array.prototype.slice.call(arguments);
        var id;
        if (typeof fn === 'function') {
          args[0] = function () {
            if (kind === 'timeout') timers.delete(id);
            return fn.apply(this, arguments);
          };
        }
        id = native.apply(window, args);
        timers.set(id, kind);
        return id;
      };
    })(window[set]);
    window[clear] = (function (native) {
      return function (id) {
        timers.delete(id);
        return native.apply(window, arguments);
      };
    })(window[clear]);
  }
  trackTimer('timeout', 'setTimeout', 'clearTimeout');
  trackTimer('interval', 'setInterval', 'clearInterval');

  // Every property of the objects a recorder might patch, by identity.
  var watched = {
    'window': window,
    'history': history,
    'History.prototype': History.prototype,
    'console': console,
    'navigator': navigator,
    'Response.prototype': Response.prototype,
    'EventTarget.prototype': EventTarget.prototype,
    'Node.prototype': Node.prototype,
    'Element.prototype': Element.prototype,
    'HTMLElement.prototype': HTMLElement.prototype,
    'HTMLInputElement.prototype': HTMLInputElement.prototype,
    'HTMLTextAreaElement.prototype': HTMLTextAreaElement.prototype,
    'HTMLSelectElement.prototype': HTMLSelectElement.prototype,
    'HTMLOptionElement.prototype': HTMLOptionElement.prototype,
    'Document.prototype': Document.prototype,
    'ShadowRoot.prototype': ShadowRoot.prototype,
    'CSSStyleSheet.prototype': CSSStyleSheet.prototype,
    'CSSGroupingRule.prototype': CSSGroupingRule.prototype,
    'CSSStyleDeclaration.prototype': CSSStyleDeclaration.prototype,
    'HTMLCanvasElement.prototype': HTMLCanvasElement.prototype,
    'FontFace.prototype': FontFace.prototype,
    'XMLHttpRequest.prototype': XMLHttpRequest.prototype,
  };
  function snapshotProperties() {
    var result = {};
    Object.keys(watched).forEach(function (name) {
      var object = watched[name];
      var properties = new Map();
      Reflect.ownKeys(object).forEach(function (property) {
        var descriptor = Object.getOwnPropertyDescriptor(object, property);
        if (!descriptor) return;
        var value = descriptor.value;
        // Only functions and accessors are patches; data values (counters, state) change by themselves.
        if ('value' in descriptor && typeof value !== 'function') return;
        properties.set(property, [value, descriptor.get, descriptor.set]);
      });
      result[name] = properties;
    });
    return result;
  }

  var base = null;
  window.__hooks = {
    baseline: function () {
      base = {
        listeners: new Set(listeners.keys()),
        timers: new Set(timers.keys()),
        observers: new Set(observers),
        properties: snapshotProperties(),
      };
    },
    /** What differs from the baseline: listeners, observers, pending timers and patched properties. */
    diff: function () {
      var now = snapshotProperties();
      var patched = [];
      Object.keys(now).forEach(function (name) {
        var before = base.properties[name];
        now[name].forEach(function (identity, property) {
          var old = before.get(property);
          var same = old && old[0] === identity[0] && old[1] === identity[1] && old[2] === identity[2];
          if (!same) patched.push(name + '.' + String(property) + (old ? ' (changed)' : ' (added)'));
        });
        before.forEach(function (_identity, property) {
          if (!now[name].has(property)) patched.push(name + '.' + String(property) + ' (removed)');
        });
      });
      return {
        listeners: Array.from(listeners.keys()).filter(function (k) { return !base.listeners.has(k); }),
        removedListeners: Array.from(base.listeners).filter(function (k) { return !listeners.has(k); }),
        observers: Array.from(observers).filter(function (o) { return !base.observers.has(o); }).length,
        timers: Array.from(timers.entries()).filter(function (e) { return !base.timers.has(e[0]); }).map(function (e) { return e[1]; }),
        patched: patched,
      };
    },
  };
})();
