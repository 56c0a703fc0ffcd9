// Webhooks page: add a webhook (its secret shown once) and delete one, through the review API.
import { api } from '../lib/api.js';
import { $, $$ } from '../lib/dom.js';
import { initPage, toast, wireDialog } from '../lib/ui.js';

initPage();
const dialog = wireDialog($('#webhook-dialog'));
const secretDialog = $('#secret-dialog');
const form = $('#webhook-form');

function showError(message) {
  const el = $('#webhook-error');
  el.hidden = !message;
  el.textContent = message || '';
}

for (const button of $$('.new-webhook')) {
  button.addEventListener('click', () => {
    form.reset();
    showError('');
    form.elements.project.value = button.dataset.project;
    $('#webhook-project-name').textContent = `Project: ${button.dataset.name}`;
    dialog.showModal();
    $('#webhook-url').focus();
  });
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const events = $$('input[name=events]:checked', form).map((box) => box.value);
  if (!events.length) {
    showError('Tick at least one event.');
    return;
  }
  try {
    const made = await api(`/api/v1/projects/${form.elements.project.value}/webhooks`, {
      method: 'POST', body: { url: form.elements.url.value.trim(), events },
    });
    dialog.close();
    $('#webhook-secret').textContent = made.secret;
    secretDialog.showModal();
  } catch (error) {
    showError(error.message);
  }
});

$('#copy-secret').addEventListener('click', async () => {
  try {
    await navigator.clipboard.writeText($('#webhook-secret').textContent);
    toast('Secret copied.');
  } catch (_) {
    toast('Copy it by hand: the browser refused the clipboard.', { error: true });
  }
});
$('#secret-done').addEventListener('click', () => window.location.reload());

for (const button of $$('.delete-webhook')) {
  button.addEventListener('click', async () => {
    if (!window.confirm('Delete this webhook and its delivery log? Nothing more is sent to it.')) return;
    try {
      await api(`/api/v1/webhooks/${button.dataset.id}`, { method: 'DELETE' });
      window.location.reload();
    } catch (error) {
      toast(error.message, { error: true });
    }
  });
}
