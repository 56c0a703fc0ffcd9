// An experiment's report: stop or resume assigning variants.
import { api } from '../lib/api.js';
import { $, readPageData } from '../lib/dom.js';
import { initPage, toast } from '../lib/ui.js';

initPage();
const { name } = readPageData();

$('#toggle-status')?.addEventListener('click', async (event) => {
  const status = event.currentTarget.dataset.status;
  if (status === 'stopped' && !window.confirm('Stop assigning variants? Visitors get no variant of this experiment from then on.')) return;
  try {
    await api(`/api/v1/experiments/${encodeURIComponent(name)}`, { method: 'PATCH', body: { status } });
    window.location.reload();
  } catch (error) {
    toast(error.message, { error: true });
  }
});
