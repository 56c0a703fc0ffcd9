// A project's people: change a role, remove someone, invite by email (a new reviewer
// gets a one-time sign-in link, shown once).
import { api } from '../lib/api.js';
import { copyText } from '../lib/clipboard.js';
import { $, $$, readPageData } from '../lib/dom.js';
import { initPage, toast } from '../lib/ui.js';

initPage();
const { projectId } = readPageData();
const members = `/api/v1/projects/${projectId}/members`;

for (const select of $$('.member-role')) {
  select.addEventListener('change', async () => {
    try {
      await api(members, { method: 'PUT', body: { email: select.dataset.email, role: select.value } });
      toast(`${select.dataset.email} is now ${select.value}.`);
    } catch (error) {
      toast(error.message, { error: true });
    }
  });
}

for (const button of $$('.remove-member')) {
  button.addEventListener('click', async () => {
    if (!window.confirm(`Remove ${button.dataset.email} from this project?`)) return;
    try {
      await api(`${members}/${button.dataset.user}`, { method: 'DELETE' });
      button.closest('tr').remove();
      toast(`${button.dataset.email} was removed.`);
    } catch (error) {
      toast(error.message, { error: true });
    }
  });
}

$('#invite-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const email = $('#invite-email').value.trim();
  try {
    const answer = await api(`/api/v1/projects/${projectId}/invites`, { method: 'POST', body: { email, role: $('#invite-role').value } });
    $('#invite-result').hidden = false;
    $('#invite-message').textContent = answer.created
      ? `${email} can sign in with this link, then choose a password. Send it to them; it is not shown again.`
      : `${email} already has an account: they see this project now, as ${answer.member.role}. Reload to see them listed.`;
    $('#invite-link-box').hidden = !answer.link;
    $('#invite-link').value = answer.link || '';
    $('#invite-form').reset();
  } catch (error) {
    toast(error.message, { error: true });
  }
});

$('#copy-invite').addEventListener('click', async () => {
  try {
    await copyText($('#invite-link').value);
    toast('Sign-in link copied.');
  } catch (error) {
    toast(error.message, { error: true });
  }
});
