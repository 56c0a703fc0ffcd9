// The Issues page: "Make a finding" turns an issue into a finding whose evidence is a
// note at each sample session's moment, then opens it.
import { api } from '../lib/api.js';
import { $$, readPageData } from '../lib/dom.js';
import { initPage, toast } from '../lib/ui.js';

initPage();
const { project, days } = readPageData();

for (const button of $$('.make-finding')) {
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      const finding = await api('/api/v1/issues/findings', { method: 'POST', body: { key: button.dataset.key, project, days } });
      window.location.assign(`/findings/${finding.id}`);
    } catch (error) {
      toast(error.message, { error: true });
      button.disabled = false;
    }
  });
}
