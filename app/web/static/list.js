// The speech list: GET /api/v1/speeches with the filters in the page's own query string.

import { getJSON, mapLimit } from './api.js';
import { dropEmptyFields, errorBox, formatDate, h, pager, render, setTitle, speechTitle } from './dom.js';

export const GENRES = ['讲话', '致辞', '报告', '演讲', '发言', '贺信', '书面讲话', '其他'];
const FILTERS = ['q', 'speaker', 'genre', 'from', 'to', 'sort'];
const PAGE_SIZE = 20;
const NARROW = '(max-width: 47.99em)';
const EXCERPT = 90; // characters of an untitled speech's opening shown in its card

function field(label, control) {
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
}

function filterForm(params, speakers) {
  const value = (name) => params.get(name) || '';
  const select = (id, name, options) =>
    h(
      'select',
      { id, name },
      options.map(([v, text]) => h('option', { value: v, selected: value(name) === v }, text)),
    );
  const form = h(
    'form',
    { class: 'filters', action: '/', method: 'get', 'aria-label': '筛选讲话' },
    field('标题', h('input', { id: 'f-q', name: 'q', type: 'search', value: value('q'), placeholder: '标题中的词' })),
    field(
      '讲话人',
      h('input', {
        id: 'f-speaker',
        name: 'speaker',
        value: value('speaker'),
        list: 'f-speakers',
        autocomplete: 'off',
      }),
    ),
    h(
      'datalist',
      { id: 'f-speakers' },
      speakers.map((s) => h('option', { value: s })),
    ),
    field('体裁', select('f-genre', 'genre', [['', '全部'], ...GENRES.map((g) => [g, g])])),
    field('起始日期', h('input', { id: 'f-from', name: 'from', type: 'date', value: value('from') })),
    field('截止日期', h('input', { id: 'f-to', name: 'to', type: 'date', value: value('to') })),
    field(
      '排序',
      select('f-sort', 'sort', [
        ['', '收录顺序'],
        ['date', '讲话日期（新→旧）'],
      ]),
    ),
    h('div', { class: 'filters__actions' }, h('button', { type: 'submit' }, '筛选'), h('a', { href: '/' }, '清除')),
  );
  return dropEmptyFields(form);
}

function speechCard(speech) {
  const meta = [speech.speaker, formatDate(speech.delivered_on), speech.genre, speech.occasion, speech.place].filter(
    Boolean,
  );
  return h(
    'li',
    { class: 'card' },
    h(
      'h2',
      { class: speech.title ? 'card__title' : 'card__title card__title--untitled' },
      h('a', { href: `/speeches/${speech.id}` }, speechTitle(speech)),
    ),
    speech.subtitle ? h('p', { class: 'card__subtitle' }, speech.subtitle) : null,
    speech.title ? null : h('p', { class: 'card__excerpt', 'data-speech': speech.id }),
    meta.length ? h('p', { class: 'meta' }, meta.join(' · ')) : null,
    speech.keywords.length
      ? h(
          'p',
          { class: 'tags' },
          speech.keywords.map((k) => h('span', { class: 'tag' }, k)),
        )
      : null,
  );
}

/**
 * An untitled speech is known by how it opens: its first paragraph that is more than a salutation
 * (同志们：). Two calls per untitled card (the outline, then the first sections), a few at a time;
 * a failure leaves the card as it is.
 */
async function fillExcerpts(cards) {
  const opening = async (id) => {
    const speech = await getJSON(`/speeches/${id}`);
    for (const node of speech.outline.slice(0, 2)) {
      const section = await getJSON(`/speeches/${id}/sections/${encodeURIComponent(node.eid)}`);
      const paragraph = section.paragraphs.find((p) => !/^.{0,12}[：:]$/.test(p.text));
      if (paragraph) return paragraph.text;
    }
    return '';
  };
  await mapLimit(cards, 4, async (card) => {
    try {
      const text = await opening(card.dataset.speech);
      const chars = Array.from(text);
      card.textContent = chars.length > EXCERPT ? `${chars.slice(0, EXCERPT).join('')}…` : text;
    } catch {
      /* the card keeps its title; the excerpt is only a help */
    }
  });
}

export async function showList() {
  const params = new URLSearchParams(location.search);
  const query = Object.fromEntries(FILTERS.map((name) => [name, params.get(name) || '']));
  setTitle('讲话列表');
  let page;
  try {
    page = await getJSON('/speeches', { ...query, cursor: params.get('cursor'), limit: PAGE_SIZE });
  } catch (error) {
    render(h('h1', {}, '讲话'), filterForm(params, []), errorBox(error, '无法载入讲话列表'));
    return;
  }
  const speakers = [...new Set(page.data.map((s) => s.speaker).filter(Boolean))];
  const filtered = FILTERS.some((name) => name !== 'sort' && query[name]);
  const form = filterForm(params, speakers);
  // On a phone the filters would fill the first screen: they fold away unless some are in use.
  const filters = matchMedia(NARROW).matches
    ? h('details', { class: 'filters-box', open: filtered }, h('summary', {}, filtered ? '筛选（已启用）' : '筛选'), form)
    : form;
  let empty = null;
  if (!page.data.length)
    empty = filtered
      ? h('p', { class: 'empty' }, '没有符合条件的讲话。', h('a', { href: '/' }, '清除筛选'))
      : h(
          'p',
          { class: 'empty' },
          '还没有收录讲话。用 ',
          h('code', {}, 'python -m app import 文件.txt'),
          ' 或 API 的 POST /api/v1/speeches 导入讲话稿。',
        );
  const main = render(
    h('h1', {}, '讲话'),
    filters,
    h(
      'p',
      { class: 'summary', role: 'status' },
      filtered ? `符合条件的讲话共 ${page.total} 篇` : `共收录 ${page.total} 篇讲话`,
    ),
    empty || h('ol', { class: 'cards', 'aria-label': '讲话' }, page.data.map(speechCard)),
    pager('/', params, page.next_cursor),
  );
  fillExcerpts([...main.querySelectorAll('.card__excerpt')]);
}
