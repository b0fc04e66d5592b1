// Quotes in a paragraph: every quote's `span` is [start, end) in code points into the speech's
// normalised text, and so is the paragraph's; their difference places the quote in the paragraph.
// Overlapping quotes (a term inside a golden sentence) are cut into runs, each run one <mark>
// carrying every kind that covers it. The run where a quote starts gets the anchor `quote-ID`.

import { h } from './dom.js';

const ORDER = ['golden', 'citation', 'term'];
export const KIND_NAMES = { golden: '金句', citation: '引用', term: '术语' };

/**
 * Nodes for `text` (which starts at `offset` in the speech) with each quote of `quotes` marked.
 * Returns {nodes, anchored}: the nodes, and the ids of the quotes whose start is in this text.
 */
export function markQuotes(text, offset, quotes) {
  const chars = Array.from(text); // code points, as the API counts them (not UTF-16 units)
  const length = chars.length;
  const inside = [];
  for (const quote of quotes) {
    const start = Math.max(quote.span[0] - offset, 0);
    const end = Math.min(quote.span[1] - offset, length);
    if (start < end) inside.push({ quote, start, end, starts: quote.span[0] - offset === start });
  }
  const anchored = [];
  if (!inside.length) return { nodes: [text], anchored };

  const cuts = [...new Set([0, length, ...inside.flatMap((x) => [x.start, x.end])])].sort((a, b) => a - b);
  const nodes = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [from, to] = [cuts[i], cuts[i + 1]];
    const run = chars.slice(from, to).join('');
    const covering = inside.filter((x) => x.start <= from && x.end >= to);
    if (!covering.length) {
      nodes.push(run);
      continue;
    }
    const kinds = [...new Set(covering.map((x) => x.quote.kind))].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b));
    const mark = h(
      'mark',
      {
        class: ['q', ...kinds.map((k) => `q--${k}`)].join(' '),
        'data-quotes': covering.map((x) => x.quote.id).join(' '),
      },
      run,
    );
    const opening = covering.filter((x) => x.starts && x.start === from);
    opening.forEach((x, n) => {
      anchored.push(x.quote.id);
      // One element carries one id: further quotes starting here get an empty anchor before it.
      if (n === 0) mark.id = `quote-${x.quote.id}`;
      else nodes.push(h('span', { id: `quote-${x.quote.id}`, class: 'anchor' }));
    });
    nodes.push(mark);
  }
  return { nodes, anchored };
}
