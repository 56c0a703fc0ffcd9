// Experiments list: define a new experiment (variants with weights, an optional goal).
import { api } from '../lib/api.js';
import { $, $$, h } from '../lib/dom.js';
import { initPage, wireDialog } from '../lib/ui.js';

initPage();
const dialog = wireDialog($('#experiment-dialog'));
const rows = $('#variant-rows');

function variantRow(name = '', weight = 50) {
  const n = rows.children.length + 1;
  const remove = h('button', { type: 'button', class: 'small ghost', 'aria-label': `Remove variant ${n}`, onclick: () => { row.remove(); syncRemoveButtons(); } }, 'Remove');
  const row = h('div', { class: 'variant-row' },
    h('input', { type: 'text', name: 'variant', value: name, required: true, maxlength: 200, 'aria-label': `Variant ${n} name`, placeholder: `Variant ${n}` }),
    h('input', { type: 'number', name: 'weight', value: weight, min: 1, step: 'any', required: true, 'aria-label': `Variant ${n} weight` }),
    remove);
  return row;
}

function syncRemoveButtons() {
  for (const button of $$('button', rows)) button.disabled = rows.children.length <= 2; // an experiment has at least two
}

function addVariant(name, weight) {
  rows.append(variantRow(name, weight));
  syncRemoveButtons();
}

function showError(message) {
  const el = $('#experiment-error');
  el.hidden = !message;
  el.textContent = message || '';
}

function readForm(form) {
  const names = $$('input[name=variant]', form).map((input) => input.value.trim());
  const weights = $$('input[name=weight]', form).map((input) => Number(input.value));
  const body = {
    name: form.elements.name.value.trim(),
    description: form.elements.description.value.trim(),
    variants: names.map((name, i) => ({ name, weight: weights[i] })),
  };
  if (form.elements.project) body.project = Number(form.elements.project.value);
  const goalKind = form.elements.goal_kind.value;
  if (goalKind) body.goal = { [goalKind]: form.elements.goal.value.trim() };
  return body;
}

$('#define-experiment').addEventListener('click', () => {
  showError('');
  if (!rows.children.length) {
    addVariant('A', 50);
    addVariant('B', 50);
  }
  dialog.showModal();
  $('#exp-name').focus();
});
$('#add-variant').addEventListener('click', () => addVariant(String.fromCharCode(65 + rows.children.length), 50));
$('#exp-goal-kind').addEventListener('change', (event) => {
  const goal = $('#exp-goal');
  goal.disabled = !event.target.value;
  goal.required = Boolean(event.target.value);
  goal.placeholder = { url: '*/thanks.html', event: 'order_placed', task: 'checkout' }[event.target.value] || '';
});
$('#experiment-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  if (!form.reportValidity()) return;
  const body = readForm(form);
  try {
    await api('/api/v1/experiments', { method: 'POST', body });
    window.location.assign(`/experiments/${encodeURIComponent(body.name)}`);
  } catch (error) {
    showError(error.message);
  }
});
