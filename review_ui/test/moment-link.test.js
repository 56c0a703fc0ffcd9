import assert from 'node:assert/strict';
import { test } from 'node:test';
import { momentUrl } from '../src/player/moment-link.js';

test('a moment link names the session and the moment as M:SS, whole seconds down', () => {
  assert.equal(momentUrl('http://127.0.0.1:5000', 'abc-123', 17_999), 'http://127.0.0.1:5000/sessions/abc-123?t=0:17');
  assert.equal(momentUrl('https://r.example', 'a/b', 3_723_000), 'https://r.example/sessions/a%2Fb?t=1:02:03');
  assert.equal(momentUrl('https://r.example', 's', -5), 'https://r.example/sessions/s?t=0:00');
});
