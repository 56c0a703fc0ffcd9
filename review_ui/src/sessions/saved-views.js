// Saved views of the session list: the current filters and sort under a name, per
// reviewer (POST /api/v1/views), listed above the filters; × deletes one.
import { api } from '../lib/api.js';
import { $, $$ } from '../lib/dom.js';
import { toast, wireDialog } from '../lib/ui.js';

/** The list's query string without the page cursor: a view is filters, not a page. */
export function viewQuery(search) {
  const params = new URLSearchParams(search);
  params.delete('cursor');
  for (const [name, value] of [...params]) if (!value) params.delete(name, value);
  return params.toString();
}

export function wireSavedViews() {
  const dialog = $('#save-view-dialog');
  if (!dialog) return;
  wireDialog(dialog);
  $('#save-view').addEventListener('click', () => {
    dialog.showModal();
    $('#view-name').focus();
  });
  $('#save-view-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = $('#view-name').value.trim();
    if (!name) return;
    try {
      await api('/api/v1/views', { method: 'POST', body: { name, query: viewQuery(location.search) } });
      dialog.close();
      window.location.reload();
    } catch (error) {
      toast(error.message, { error: true });
    }
  });
  for (const button of $$('.delete-view')) {
    button.addEventListener('click', async () => {
      try {
        await api(`/api/v1/views/${button.dataset.view}`, { method: 'DELETE' });
        button.closest('li').remove();
      } catch (error) {
        toast(error.message, { error: true });
      }
    });
  }
}
