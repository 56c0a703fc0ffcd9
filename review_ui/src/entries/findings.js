// The findings board: change a finding's status from its card.
import { api } from '../lib/api.js';
import { $$ } from '../lib/dom.js';
import { initPage, toast } from '../lib/ui.js';

initPage();
for (const select of $$('select.status-select')) {
  select.addEventListener('change', async () => {
    try {
      await api(`/api/v1/findings/${select.dataset.finding}`, { method: 'PATCH', body: { status: select.value } });
      window.location.reload();
    } catch (error) {
      toast(error.message, { error: true });
    }
  });
}
