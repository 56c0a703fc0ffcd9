// Moderator logic without the DOM: task commands for the participant's widget, the
// participant's progress read from `$task` events, which task comes next, and what
// the participant is doing now (the room's task header).
import { formatOffset } from '../lib/format.js';

const CUSTOM = 5;

/** The command that shows `task` in the participant's widget (null takes it back). */
export function taskCommand(task) {
  return { type: 'task', task: task ? { task_id: task.task_id, title: task.title, text: task.text || '' } : null };
}

/** {task_id: last status} from `$task` events, folded into `progress`. */
export function foldTaskProgress(events, progress = {}) {
  const next = { ...progress };
  for (const event of events) {
    if (event.type !== CUSTOM || event.data?.tag !== '$task') continue;
    const { task_id: taskId, status } = event.data.payload || {};
    if (typeof taskId === 'string' && typeof status === 'string') next[taskId] = status;
  }
  return next;
}

/** Task ids the moderator has sent, from the sent commands. */
export function sentTaskIds(commands) {
  return new Set(commands.filter((c) => c?.type === 'task' && c.task).map((c) => c.task.task_id));
}

/** The first task neither sent nor begun by the participant on their own, or null. */
export function nextTask(tasks, commands, progress) {
  const sent = sentTaskIds(commands);
  return tasks.find((task) => !sent.has(task.task_id) && !progress[task.task_id]) || null;
}

// The participant's own steps, in the words the study report uses for outcomes
// (analysis/study_outcomes.py): Done is a claim until the report checks the criteria.
const STATUS_WORDS = { start: 'working on it', complete: 'said done', give_up: 'gave up', fail: 'failed', abandon: 'abandoned' };

/** What a task's row says: the participant's progress first, else whether it was sent. */
export function taskState(task, commands, progress) {
  if (progress[task.task_id]) return { key: progress[task.task_id], text: STATUS_WORDS[progress[task.task_id]] || progress[task.task_id] };
  if (sentTaskIds(commands).has(task.task_id)) return { key: 'sent', text: 'sent' };
  return { key: 'waiting', text: 'not sent' };
}

/** One line for the log of what was sent. */
export function describeCommand(command) {
  if (command?.type === 'task') return command.task ? `Task: ${command.task.title || command.task.task_id}` : 'Took the task back';
  return `Command: ${JSON.stringify(command)}`;
}

/**
 * The participant's latest step, folded over `$task` and `$answer` events:
 * {task_id, status, at (participant clock), answers (given since that step)} or null.
 */
export function foldCurrentTask(events, current = null) {
  let next = current;
  for (const event of events) {
    if (event.type !== CUSTOM) continue;
    const { tag, payload } = event.data || {};
    if (tag === '$task' && typeof payload?.task_id === 'string' && typeof payload?.status === 'string') {
      next = { task_id: payload.task_id, status: payload.status, at: event.timestamp, answers: 0 };
    } else if (tag === '$answer' && next) {
      next = { ...next, answers: next.answers + 1 };
    }
  }
  return next;
}

/** The task header: which task, and what the participant does with it (`now` on their clock). */
export function describeCurrentTask(current, tasks, now = null) {
  if (!current) return 'No task yet.';
  const index = tasks.findIndex((task) => task.task_id === current.task_id);
  const name = index >= 0 ? `Task ${index + 1} of ${tasks.length}: ${tasks[index].title}` : `Task ${current.task_id}`;
  if (current.status === 'start') {
    return now === null ? `${name} · working on it` : `${name} · working on it for ${formatOffset(Math.max(0, now - current.at))}`;
  }
  const word = STATUS_WORDS[current.status] || current.status;
  return current.answers ? `${name} · ${word}, answering questions` : `${name} · ${word}`;
}
