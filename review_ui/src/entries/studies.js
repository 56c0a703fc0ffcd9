// Studies list: create a study with its tasks.
import { api } from '../lib/api.js';
import { $, $$ } from '../lib/dom.js';
import { initPage, wireDialog } from '../lib/ui.js';

initPage();
const dialog = wireDialog($('#study-dialog'));
const rows = $('#task-rows');
let rowCount = 0;

/** A task row from the template, its labels tied to its fields. */
function addTaskRow() {
  const row = $('#task-row-template').content.firstElementChild.cloneNode(true);
  rowCount += 1;
  for (const field of $$('input, textarea', row)) {
    field.id = `task-${rowCount}-${field.name}`;
    const label = field.closest('.field')?.querySelector('label');
    if (label && !label.htmlFor) label.htmlFor = field.id;
  }
  $('.remove-task-row', row).addEventListener('click', () => row.remove());
  rows.append(row);
  $('input[name=title]', row).focus();
}

function readTasks() {
  return $$('.task-row', rows).map((row) => {
    const value = (name) => $(`[name=${name}]`, row).value.trim();
    const task = { title: value('title'), instructions: value('instructions') };
    if (value('success_url')) task.success_url = value('success_url');
    if (value('success_event')) task.success_event = value('success_event');
    return task;
  }).filter((task) => task.title || task.instructions);
}

function showError(message) {
  const el = $('#study-error');
  el.hidden = !message;
  el.textContent = message || '';
}

$('#new-study').addEventListener('click', () => {
  showError('');
  if (!rows.children.length) addTaskRow();
  dialog.showModal();
  $('#study-name').focus();
});
$('#add-task-row').addEventListener('click', addTaskRow);
$('#study-think-aloud').addEventListener('change', (event) => {
  $('#study-camera').disabled = !event.target.checked;
  $('#study-consent').disabled = !event.target.checked;
});
$('#study-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  if (!form.reportValidity()) return;
  const body = {
    name: form.elements.name.value.trim(),
    product_url: form.elements.product_url.value.trim(),
    description: form.elements.description.value.trim(),
    tasks: readTasks(),
    think_aloud: form.elements.think_aloud.checked,
  };
  if (body.think_aloud) {
    body.camera = form.elements.camera.checked;
    if (form.elements.consent_text.value.trim()) body.consent_text = form.elements.consent_text.value.trim();
  }
  if (form.elements.project) body.project = Number(form.elements.project.value);
  try {
    const study = await api('/api/v1/studies', { method: 'POST', body });
    window.location.assign(`/studies/${study.id}`);
  } catch (error) {
    showError(error.message);
  }
});
