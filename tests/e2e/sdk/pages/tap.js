// Test instrumentation, loaded before the snippet: keeps a copy of every beacon the
// page sends, in sessionStorage (it survives the page's own unload and is read back
// by the test from the next page of the tab). Chromium does not show beacons sent
// while a page unloads to DevTools, so Playwright's request events miss exactly the
// batches that page hide delivers; fetch requests are seen there directly.
(function () {
  var STORE = '__rd_tap_beacons';
  var original = navigator.sendBeacon;
  navigator.sendBeacon = function sendBeacon(url, body) {
    var accepted = original.apply(navigator, arguments);
    try {
      var copies = JSON.parse(sessionStorage.getItem(STORE) || '[]');
      copies.push({
        url: String(url),
        accepted: accepted,
        // A Blob body is a gzipped batch that fetch already tried to send (seen by Playwright).
        body: typeof body === 'string' ? body : null,
        type: Object.prototype.toString.call(body),
      });
      sessionStorage.setItem(STORE, JSON.stringify(copies));
    } catch (_) {
      // instrumentation must not change what the page does
    }
    return accepted;
  };
})();
