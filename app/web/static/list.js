// The speech list: GET /api/v1/speeches with the filters in the page's own query string.

import { getJSON } from './api.js';
import { dropEmptyFields, errorBox, formatDate, h, pager, render, setTitle } from './dom.js';

export const GENRES = ['讲话', '致辞', '报告', '演讲', '发言', '贺信', '书面讲话', '其他'];
const FILTERS = ['q', 'speaker', 'genre', 'from', 'to', 'sort'];
const PAGE_SIZE = 20;

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
    h('h2', { class: 'card__title' }, h('a', { href: `/speeches/${speech.id}` }, speech.title || speech.slug)),
    speech.subtitle ? h('p', { class: 'card__subtitle' }, speech.subtitle) : null,
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
  render(
    h('h1', {}, '讲话'),
    filterForm(params, speakers),
    h(
      'p',
      { class: 'summary', role: 'status' },
      filtered ? `符合条件的讲话共 ${page.total} 篇` : `共收录 ${page.total} 篇讲话`,
    ),
    page.data.length
      ? h('ol', { class: 'cards', 'aria-label': '讲话' }, page.data.map(speechCard))
      : h('p', { class: 'empty' }, '没有符合条件的讲话。'),
    pager('/', params, page.next_cursor),
  );
}
