// What the study widget asks, word for word: the Single Ease Question after each task
// and the System Usability Scale (Brooke, 1986; "system" read as "website") after the
// last, then a free comment. The server scores them by these names (`$answer`
// question "seq", "sus_1" … "sus_10", "comment"); changing a statement's wording
// changes what the answers mean, so keep them as they are.

export const SEQ = Object.freeze({
  question: 'Overall, how difficult or easy was this task to complete?',
  points: 7,
  low: 'Very difficult',
  high: 'Very easy',
});

export const SUS_ITEMS = Object.freeze([
  'I think that I would like to use this website frequently.',
  'I found the website unnecessarily complex.',
  'I thought the website was easy to use.',
  'I think that I would need the support of a technical person to be able to use this website.',
  'I found the various functions in this website were well integrated.',
  'I thought there was too much inconsistency in this website.',
  'I would imagine that most people would learn to use this website very quickly.',
  'I found the website very cumbersome to use.',
  'I felt very confident using the website.',
  'I needed to learn a lot of things before I could get going with this website.',
]);

export const SUS_SCALE = Object.freeze({ points: 5, low: 'Strongly disagree', high: 'Strongly agree' });

export const COMMENT = Object.freeze({
  question: 'Anything else you would like to tell us? (optional)',
  maxLength: 2000,
});

/**
 * What the panel shows for a question view: {label, title, question, scale | null,
 * comment, submit, announce}. `scale` is {points, low, high}; a comment view has none.
 */
export function describeQuestion(view) {
  if (view.kind === 'seq') {
    const about = view.position ? `Task ${view.position} of ${view.total}` : 'Your task';
    return {
      label: `${about} · one question`,
      title: view.task.title,
      question: SEQ.question,
      scale: SEQ,
      submit: 'Next',
      announce: `${SEQ.question} Choose 1, very difficult, to 7, very easy.`,
    };
  }
  if (view.kind === 'sus') {
    return {
      label: `Last questions · ${view.item} of ${view.total}`,
      title: 'How much do you agree?',
      question: SUS_ITEMS[view.item - 1],
      scale: SUS_SCALE,
      submit: 'Next',
      announce: `Statement ${view.item} of ${view.total}: ${SUS_ITEMS[view.item - 1]} Choose 1, strongly disagree, to 5, strongly agree.`,
    };
  }
  return {
    label: 'Last question',
    title: 'Thank you!',
    question: COMMENT.question,
    scale: null,
    submit: 'Send',
    announce: COMMENT.question,
  };
}
