// Test scenario for tests/e2e/sdk/test_engineer_context.py, loaded before the snippet
// (so it holds the browser's own fetch and XMLHttpRequest, whatever the SDK does later).
// window.runScenario() drives fetch and XHR through every case the SDK must not change
// and returns what the page saw, without timings, so a run without the SDK and a run
// with it can be compared as they are.
(function () {
  var unhandled = [];
  window.addEventListener('unhandledrejection', function (event) {
    var reason = event.reason;
    unhandled.push(reason && reason.name ? reason.name + ': ' + reason.message : String(reason));
    event.preventDefault(); // seen and counted; keep Playwright's page errors quiet
  });

  function describeError(error) {
    return { name: error && error.name, message: error && error.message, isTypeError: error instanceof TypeError };
  }

  async function fetchOutcome(input, init) {
    try {
      var response = await fetch(input, init);
      return {
        ok: response.ok, status: response.status, statusText: response.statusText, type: response.type,
        redirected: response.redirected, url: response.url.replace(location.origin, ''),
        contentType: response.headers.get('content-type'), bodyUsed: response.bodyUsed,
        text: await response.text(),
      };
    } catch (error) {
      return { thrown: describeError(error) };
    }
  }

  // Read a body chunk by chunk, as a page streaming a long answer does.
  async function streamOutcome() {
    var response = await fetch('/api/stream');
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var chunks = [];
    var gaps = [];
    var last = performance.now();
    for (;;) {
      var step = await reader.read();
      if (step.done) break;
      chunks.push(decoder.decode(step.value, { stream: true }));
      gaps.push(performance.now() - last);
      last = performance.now();
    }
    return {
      status: response.status, bodyUsed: response.bodyUsed, text: chunks.join(''),
      // The server waits 400 ms between parts: the page sees them as they come, not at the end.
      arrivedInParts: gaps.filter(function (gap) { return gap > 250; }).length >= 2,
    };
  }

  async function abortOutcome() {
    var controller = new AbortController();
    var pending = fetch('/api/slow', { signal: controller.signal });
    setTimeout(function () { controller.abort(); }, 100);
    try {
      await pending;
      return { aborted: false };
    } catch (error) {
      return { thrown: describeError(error), signalAborted: controller.signal.aborted };
    }
  }

  function xhrOutcome(method, url, options) {
    options = options || {};
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      var seen = [];
      xhr.onreadystatechange = function () { seen.push('readystate ' + xhr.readyState); };
      ['loadstart', 'progress', 'load', 'error', 'abort', 'timeout', 'loadend'].forEach(function (type) {
        xhr.addEventListener(type, function (event) {
          if (type !== 'progress') seen.push(type + (event.lengthComputable ? ' ' + event.loaded + '/' + event.total : ''));
          if (type === 'loadend') {
            resolve({
              seen: seen, status: xhr.status, statusText: xhr.statusText, readyState: xhr.readyState,
              responseType: xhr.responseType,
              response: xhr.responseType === 'json' ? xhr.response : xhr.responseType === '' ? xhr.responseText : String(xhr.response),
              contentType: xhr.getResponseHeader('content-type'),
            });
          }
        });
      });
      xhr.open(method, url);
      if (options.responseType) xhr.responseType = options.responseType;
      if (options.timeout) xhr.timeout = options.timeout;
      xhr.setRequestHeader('X-Request-Tag', 'scenario');
      xhr.send(options.body === undefined ? null : options.body);
      if (options.abort) xhr.abort();
    });
  }

  function syncXhrOutcome(url) {
    var xhr = new XMLHttpRequest();
    var seen = [];
    xhr.onreadystatechange = function () { seen.push('readystate ' + xhr.readyState); };
    xhr.onload = function () { seen.push('load'); };
    xhr.open('GET', url, false);
    try {
      var returned = xhr.send();
      return { returned: String(returned), seen: seen, status: xhr.status, response: xhr.responseText };
    } catch (error) {
      return { thrown: describeError(error), seen: seen, status: xhr.status };
    }
  }

  window.runScenario = async function () {
    var results = {};
    console.log('scenario started', { step: 1 });
    results.ok200 = await fetchOutcome('/api/items?token=s3cr3t-t0ken&page=2');
    results.missing404 = await fetchOutcome('/api/missing');
    results.networkError = await fetchOutcome('http://127.0.0.1:9/unreachable?token=port-secret');
    results.request = await fetchOutcome(new Request('/api/echo', { method: 'POST', body: 'towel=blue', headers: { 'Content-Type': 'text/plain' } }));
    results.aborted = await abortOutcome();
    results.stream = await streamOutcome();
    results.fetchReturnsPromise = fetch('/api/items?page=1') instanceof Promise;
    // A rejection the page never handles still reaches unhandledrejection.
    fetch('http://127.0.0.1:9/ignored');
    results.xhr = await xhrOutcome('GET', '/api/items?token=xhr-secret&page=3');
    results.xhrJson = await xhrOutcome('GET', '/api/items', { responseType: 'json' });
    results.xhrPost404 = await xhrOutcome('POST', '/api/missing', { body: 'a=1' });
    results.xhrAbort = await xhrOutcome('GET', '/api/slow', { abort: true });
    results.xhrNetworkError = await xhrOutcome('GET', 'http://127.0.0.1:9/xhr');
    results.xhrTimeout = await xhrOutcome('GET', '/api/slow', { timeout: 100 });
    results.syncXhr = syncXhrOutcome('/api/items?token=sync-secret');
    results.syncXhrError = syncXhrOutcome('http://127.0.0.1:9/sync');
    console.warn('low stock', { sku: 'T-1', left: 2 });
    console.error(new Error('payment failed'));
    await new Promise(function (resolve) { setTimeout(resolve, 300); });
    results.unhandled = unhandled.slice();
    document.getElementById('status').textContent = 'Done';
    return results;
  };
})();
