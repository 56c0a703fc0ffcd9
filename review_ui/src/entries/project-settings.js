// A project's detector settings: save what differs from the defaults (PATCH), or go
// back to the defaults. The server re-analyses the project's sessions.
import { api } from '../lib/api.js';
import { $, $$, readPageData } from '../lib/dom.js';
import { initPage, toast } from '../lib/ui.js';
import { settingsBody } from '../projects/settings-form.js';

initPage();
const { projectId, settings } = readPageData();
const url = `/api/v1/projects/${projectId}`;

async function save(body, message) {
  try {
    await api(url, { method: 'PATCH', body });
    toast(message);
    setTimeout(() => window.location.reload(), 600);
  } catch (error) {
    toast(error.message, { error: true });
  }
}

$('#settings-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const raw = Object.fromEntries($$('#settings-form [name]').map((field) => [field.name, field.value]));
  let body;
  try {
    body = settingsBody(raw, settings);
  } catch (error) {
    toast(error.message, { error: true });
    return;
  }
  save(body, 'Saved: the sessions are being analysed again.');
});

$('#reset-settings').addEventListener('click', () => {
  if (window.confirm('Use the default for every setting?')) save({ detectors: {}, goal_urls: [] }, 'Back to the defaults.');
});
