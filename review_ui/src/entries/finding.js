// One finding: edit its fields, remove evidence, delete it.
import { api } from '../lib/api.js';
import { $, $$, readPageData } from '../lib/dom.js';
import { parseTags } from '../lib/format.js';
import { initPage, toast } from '../lib/ui.js';

initPage();
const { finding } = readPageData();
const url = `/api/v1/findings/${finding.id}`;

$('#finding-edit').addEventListener('submit', async (event) => {
  event.preventDefault();
  const fields = new FormData(event.target);
  const body = {
    title: String(fields.get('title') || ''),
    description: String(fields.get('description') || ''),
    status: String(fields.get('status')),
    severity: Number(fields.get('severity')),
    tags: parseTags(fields.get('tags')),
    variant: String(fields.get('variant') || '').trim() || null,
  };
  try {
    await api(url, { method: 'PATCH', body });
    window.location.reload();
  } catch (error) {
    toast(error.message, { error: true });
  }
});

for (const button of $$('.remove-clip')) {
  button.addEventListener('click', async () => {
    const evidence = finding.evidence.filter((id) => id !== Number(button.dataset.annotation));
    try {
      await api(url, { method: 'PATCH', body: { evidence } });
      window.location.reload();
    } catch (error) {
      toast(error.message, { error: true });
    }
  });
}

$('#delete-finding').addEventListener('click', async () => {
  if (!window.confirm('Delete this finding? Its notes stay.')) return;
  try {
    await api(url, { method: 'DELETE' });
    window.location.assign('/findings');
  } catch (error) {
    toast(error.message, { error: true });
  }
});
