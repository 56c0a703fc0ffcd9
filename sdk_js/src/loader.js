// The copy-paste snippet (dist/loader.js, minified, < 1 KB). It defines a stub
// window.Replaydesk that queues calls until the bundle arrives, loads the bundle
// asynchronously and queues init(). The server substitutes three placeholders, each
// inside a double-quoted string: __RD_SRC__ (bundle URL), __RD_KEY__ (project key),
// __RD_ENDPOINT__ (server base URL).
(function (window, document) {
  if (window.Replaydesk) return; // already loaded, or the snippet is on the page twice
  var queue = [];
  var stub = { _q: queue };
  'init identify track setVariant task stop optOut optIn'.split(' ').forEach(function (method) {
    stub[method] = function () {
      queue.push([method, [].slice.call(arguments)]);
    };
  });
  // getVariant returns a promise that settles when the bundle has answered it.
  stub.getVariant = function () {
    var args = [].slice.call(arguments);
    return new Promise(function (resolve) {
      queue.push(['getVariant', args, resolve]);
    });
  };
  window.Replaydesk = stub;
  var script = document.createElement('script');
  script.async = true;
  // Fetched with CORS (the server allows any origin on /sdk/): a script without it is
  // "muted", and the browser then hides from the page's own unhandledrejection listeners
  // the rejection of every fetch() called through the SDK's wrapper.
  script.crossOrigin = 'anonymous';
  script.src = '__RD_SRC__';
  (document.head || document.documentElement).appendChild(script);
  stub.init({ key: '__RD_KEY__', endpoint: '__RD_ENDPOINT__' });
})(window, document);
