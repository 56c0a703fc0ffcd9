// The study widget's state without the DOM: the current task, the study's tasks and
// which are finished, the question waiting for an answer (SEQ after each task, SUS and
// a free comment after the last), and the `$task` / `$answer` events changes mean.
// Everything survives page loads of the visit (sessionStorage).

import { STORAGE_KEYS } from './constants.js';
import { parseJson } from './safe.js';
import { SUS_ITEMS } from './widget_questions.js';

/**
 * createTaskFlow({storage, onTask, onAnswer, onChange}). `onTask(task_id, status)` and
 * `onAnswer(question, value, task_id?)` emit events; `onChange(view)` redraws, with view
 *   {kind: "consent", text, camera}             think-aloud: may we record you? (before the first task)
 *   {kind: "active", task, position?, total?}   a started task: Done / Give up
 *   {kind: "next", task, position, total}       the study's next task: Start task
 *   {kind: "seq", task, position?, total?}      how easy was the task just finished (1-7)
 *   {kind: "sus", item, total}                  SUS statement `item` of `total` (1-5)
 *   {kind: "comment"}                           anything else to say (free text)
 *   {kind: "finished", total}                   every study task is finished
 *   null                                        nothing to show
 * Questions are asked in a study walk only (a task list from the server); a task the
 * moderator sends while a question waits is shown once it is answered or skipped.
 * `voice` says what the participant chose for a think-aloud study: null (not asked
 * yet), "yes" (record), "no", "stopped" (they stopped it), "failed" (no device).
 */
export function createTaskFlow({ storage, onTask, onAnswer = () => {}, onChange = () => {} }) {
  let current = parseJson(storage.getItem(STORAGE_KEYS.task));
  if (!current || typeof current.task_id !== 'string') current = null;
  let plan = parseJson(storage.getItem(STORAGE_KEYS.studyTasks));
  if (!plan || !Array.isArray(plan.tasks) || !Array.isArray(plan.finished)) plan = null;

  function place(task) {
    const index = plan ? plan.tasks.findIndex((t) => t.task_id === task.task_id) : -1;
    return index < 0 ? {} : { position: index + 1, total: plan.tasks.length };
  }

  function upcoming() {
    const index = plan ? plan.tasks.findIndex((t) => !plan.finished.includes(t.task_id)) : -1;
    return index < 0 ? null : plan.tasks[index];
  }

  function view() {
    if (plan && plan.thinkAloud && !plan.voice) return { kind: 'consent', text: plan.thinkAloud.consent, camera: Boolean(plan.thinkAloud.camera) };
    const asked = plan && plan.asking;
    if (asked && asked.kind === 'seq') return { kind: 'seq', task: asked.task, ...place(asked.task) };
    if (asked && asked.kind === 'sus') return { kind: 'sus', item: asked.item, total: SUS_ITEMS.length };
    if (asked && asked.kind === 'comment') return { kind: 'comment' };
    if (current) return { kind: 'active', task: current, ...place(current) };
    const next = upcoming();
    if (next) return { kind: 'next', task: next, ...place(next) };
    return plan && plan.tasks.length ? { kind: 'finished', total: plan.tasks.length } : null;
  }

  function save() {
    if (current) storage.setItem(STORAGE_KEYS.task, JSON.stringify(current));
    else storage.removeItem(STORAGE_KEYS.task);
    if (plan) storage.setItem(STORAGE_KEYS.studyTasks, JSON.stringify(plan));
    onChange(view());
  }

  function start(task) {
    if (current) onTask(current.task_id, 'abandon');
    current = { ...task };
    onTask(current.task_id, 'start');
  }

  /** After a question: the next one, or the task the moderator sent meanwhile. */
  function askNext() {
    const asked = plan.asking;
    if (asked && asked.kind === 'sus' && asked.item < SUS_ITEMS.length) plan.asking = { kind: 'sus', item: asked.item + 1 };
    else if (asked && asked.kind === 'sus') plan.asking = { kind: 'comment' };
    else if (asked && asked.kind === 'comment') {
      plan.asking = null;
      plan.surveyed = true;
    } else plan.asking = !upcoming() && !plan.surveyed && !plan.waiting ? { kind: 'sus', item: 1 } : null;
    if (!plan.asking && plan.waiting) {
      start(plan.waiting);
      plan.waiting = null;
    }
  }

  return {
    get current() {
      return current;
    },
    view,
    get voice() {
      return plan ? plan.voice || null : null;
    },
    /** The participant's answer to the consent text (true: record), or what became of it ("stopped", "failed"). */
    setVoice(choice) {
      if (!plan) return;
      plan.voice = choice === true ? 'yes' : choice === false ? 'no' : choice;
      save();
    },
    /** The study's tasks (from the server) and its think-aloud ({consent, camera} or null); what this visit finished stays finished. */
    setPlan(study, tasks, thinkAloud = null) {
      const same = plan && plan.study === study;
      const finished = same ? plan.finished : [];
      plan = {
        study,
        tasks,
        finished: finished.filter((id) => tasks.some((t) => t.task_id === id)),
        asking: same ? plan.asking || null : null,
        waiting: same ? plan.waiting || null : null,
        surveyed: same ? Boolean(plan.surveyed) : false,
        thinkAloud: thinkAloud && typeof thinkAloud.consent === 'string' ? thinkAloud : null,
        voice: same ? plan.voice || null : null,
      };
      save();
    },
    /** Show `task` and start it; an unfinished other task is abandoned first. The same task again is a no-op. */
    show(task) {
      if (current && current.task_id === task.task_id) return;
      if (plan && plan.asking) {
        plan.waiting = { ...task }; // shown once the participant has answered
        save();
        return;
      }
      start(task);
      save();
    },
    /** Start the study's next task (the participant pressed Start task). */
    startNext() {
      const next = upcoming();
      if (next && !current && !(plan && plan.asking) && view().kind !== 'consent') this.show(next);
    },
    /** The participant finished: status "complete" (Done) or "give_up" (Give up). */
    finish(status) {
      if (!current) return;
      onTask(current.task_id, status);
      if (plan) {
        if (!plan.finished.includes(current.task_id)) plan.finished.push(current.task_id);
        plan.asking = { kind: 'seq', task: current };
      }
      current = null;
      save();
    },
    /** The answer to the question asked (a number, or the comment's text); null skips it. */
    answer(value) {
      const asked = plan && plan.asking;
      if (!asked) return;
      if (asked.kind === 'seq' && value !== null) onAnswer('seq', value, asked.task.task_id);
      if (asked.kind === 'sus' && value !== null) onAnswer(`sus_${asked.item}`, value);
      if (asked.kind === 'comment' && typeof value === 'string' && value.trim()) onAnswer('comment', value.trim());
      askNext();
      save();
    },
    /** The moderator took the task back: the attempt ends as abandoned (no question asked). */
    clear() {
      const hadWaiting = Boolean(plan && plan.waiting);
      if (hadWaiting) plan.waiting = null;
      if (current) {
        onTask(current.task_id, 'abandon');
        current = null;
      } else if (!hadWaiting) return;
      save();
    },
  };
}
