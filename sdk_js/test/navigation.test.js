import assert from 'node:assert/strict';
import test from 'node:test';
import { createPageviewTracker, startNavigation } from '../src/navigation.js';
import { createBrowser } from '../testing/fakes.js';

test('the tracker emits one page view per new URL; the referrer chains through SPA views', () => {
  const tracker = createPageviewTracker('https://search.example/?q=towels');
  assert.deepEqual(tracker.next('https://shop.example/', 'Home'), { url: 'https://shop.example/', referrer: 'https://search.example/?q=towels', title: 'Home' });
  assert.equal(tracker.next('https://shop.example/', 'Home'), null, 'same URL again is not a page view');
  assert.deepEqual(tracker.next('https://shop.example/account/orders', 'Orders'), {
    url: 'https://shop.example/account/orders',
    referrer: 'https://shop.example/',
    title: 'Orders',
  });
});

test('missing referrer and title become empty strings', () => {
  assert.deepEqual(createPageviewTracker(undefined).next('https://a.example/', undefined), { url: 'https://a.example/', referrer: '', title: '' });
});

const microtasks = () => new Promise((resolve) => setImmediate(resolve));

test('page views on load, pushState, replaceState to a new URL and popstate', async () => {
  const browser = createBrowser({ href: 'https://shop.example/', referrer: 'https://ref.example/', title: 'Home' });
  const views = [];
  const stop = startNavigation({ window: browser.window, document: browser.document, onPageview: (payload) => views.push(payload) });
  assert.deepEqual(views, [{ url: 'https://shop.example/', referrer: 'https://ref.example/', title: 'Home' }], 'the landing view at once');

  browser.document.title = 'Profile';
  browser.window.history.pushState({}, '', '/account/profile');
  browser.window.history.replaceState({ scroll: 10 }, '', '/account/profile'); // routers store state: not a page view
  browser.window.history.replaceState({}, '', '/account/orders');
  browser.location.href = 'https://shop.example/account/profile';
  browser.window.dispatch('popstate');
  await microtasks();
  assert.deepEqual(
    views.slice(1).map((view) => [view.url, view.referrer]),
    [
      ['https://shop.example/account/profile', 'https://shop.example/'],
      ['https://shop.example/account/orders', 'https://shop.example/account/profile'],
      ['https://shop.example/account/profile', 'https://shop.example/account/orders'],
    ],
  );
  assert.equal(views[1].title, 'Profile');
  stop();
});

test('an SPA view carries the title its router set after pushState, in the same task', async () => {
  const browser = createBrowser({ href: 'https://shop.example/', title: 'Home' });
  const views = [];
  const stop = startNavigation({ window: browser.window, document: browser.document, onPageview: (payload) => views.push(payload) });
  browser.window.history.pushState({}, '', '/cart');
  browser.document.title = 'Your cart'; // the router renders the view after pushState returns
  assert.equal(views.length, 1, 'the view waits for the router to finish its task');
  await microtasks();
  assert.deepEqual(views[1], { url: 'https://shop.example/cart', referrer: 'https://shop.example/', title: 'Your cart' });

  browser.window.history.pushState({}, '', '/pay');
  stop(); // a view still waiting for its title is dropped: nothing is reported after stop()
  await microtasks();
  assert.equal(views.length, 2);
});

test('stop() restores history.pushState / replaceState and removes the popstate listener', () => {
  const browser = createBrowser();
  const views = [];
  const stop = startNavigation({ window: browser.window, document: browser.document, onPageview: (payload) => views.push(payload) });
  assert.notEqual(browser.history.pushState, browser.originals.pushState);
  assert.equal(browser.window.listenerCount('popstate'), 1);
  stop();
  assert.equal(browser.history.pushState, browser.originals.pushState);
  assert.equal(browser.history.replaceState, browser.originals.replaceState);
  assert.equal(browser.window.listenerCount(), 0);
  browser.history.pushState({}, '', '/after-stop');
  assert.equal(views.length, 1, 'no page view after stop');
});

test('the host\'s pushState result and errors pass through; our failures do not', () => {
  const browser = createBrowser();
  browser.history.pushState = function pushState(state, unused, url) {
    if (url === '/forbidden') throw new Error('SecurityError');
    browser.location.href = new URL(url, browser.location.href).href;
    return 'host result';
  };
  const stop = startNavigation({
    window: browser.window,
    document: browser.document,
    onPageview: (payload) => {
      if (payload.url.endsWith('/explode')) throw new Error('SDK bug');
    },
  });
  assert.equal(browser.history.pushState({}, '', '/ok'), 'host result');
  assert.throws(() => browser.history.pushState({}, '', '/forbidden'), /SecurityError/);
  assert.equal(browser.history.pushState({}, '', '/explode'), 'host result');
  stop();
});
