// The install page: copy the snippet, warn when the page was reached elsewhere than the
// address the snippet sends to, and poll until the project receives a batch.
import { api } from '../lib/api.js';
import { copyText } from '../lib/clipboard.js';
import { $, readPageData } from '../lib/dom.js';
import { initPage, toast } from '../lib/ui.js';
import { reachedElsewhere, receivedState } from '../projects/install-check.js';

const POLL_MS = 2000;

initPage();
const data = readPageData();

$('#copy-snippet').addEventListener('click', async () => {
  try {
    await copyText($('#snippet').textContent);
    toast('Snippet copied: paste it before </head>.');
  } catch (error) {
    toast(error.message, { error: true });
  }
});

const warning = $('#public-url-warning');
if (warning.hidden && reachedElsewhere(data.publicUrl, location.origin)) {
  warning.hidden = false;
  warning.textContent = `This page was reached at ${location.origin}, but the snippet sends to ${data.publicUrl}. `
    + 'Make sure visitors’ browsers reach that address (or set REPLAYDESK_PUBLIC_URL).';
}

function show(answer) {
  const shown = receivedState({ openedAt: data.openedAt, lastReceivedAt: answer.last_received_at, now: answer.now });
  const check = $('#install-check');
  check.dataset.state = shown.state;
  $('#check-text').textContent = shown.text;
  if (shown.state === 'received') {
    $('#check-hint').hidden = true;
    $('#check-open').hidden = false;
    $('#open-session').href = `/sessions/${encodeURIComponent(answer.session_id)}`;
  }
  return shown.state;
}

async function poll() {
  try {
    if (show(await api(data.receivedUrl)) === 'received') return;
  } catch (error) {
    $('#check-text').textContent = `Cannot ask the server: ${error.message}`;
  }
  setTimeout(poll, POLL_MS);
}

show({ last_received_at: data.lastReceivedAt, now: data.openedAt });
setTimeout(poll, POLL_MS);
