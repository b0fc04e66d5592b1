// Full-text search: GET /api/v1/search with the page's query string (q, in, sort, speech, from,
// to, cursor). Each hit links to its place in the speech: the paragraph, the quote or the section.

import { getJSON } from './api.js';
import { attachAutocomplete } from './autocomplete.js';
import {
  dropEmptyFields,
  errorBox,
  formatDate,
  h,
  pager,
  render,
  sectionLabel,
  setTitle,
  speechTitle,
  UNTITLED,
} from './dom.js';

const PARAMS = ['q', 'in', 'sort', 'speech', 'from', 'to'];
const WHERE = [
  ['sentences', '句子'],
  ['sections', '标题'],
  ['quotes', '引文'],
];
const PAGE_SIZE = 20;

/** The API's snippet is escaped text with <mark> around matches; keep exactly that, as DOM. */
export function snippetNodes(html) {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  return [...doc.body.childNodes].map((node) =>
    node.nodeName === 'MARK' ? h('mark', {}, node.textContent) : node.textContent,
  );
}

function searchForm(params, speeches) {
  const value = (name) => params.get(name) || '';
  const where = value('in') || 'sentences';
  const input = h('input', {
    id: 'search-q',
    name: 'q',
    type: 'search',
    value: value('q'),
    required: true,
    autocomplete: 'off',
    spellcheck: 'false',
    enterkeyhint: 'search',
    placeholder: '关键词，如 劳模 创新；"劳模 精神"；-改革',
  });
  const form = h(
    'form',
    { class: 'filters filters--search', role: 'search', action: '/search', method: 'get', 'aria-label': '搜索' },
    h(
      'div',
      { class: 'field field--wide' },
      h('label', { for: 'search-q' }, '关键词'),
      h('div', { class: 'combobox' }, input),
    ),
    h(
      'fieldset',
      { class: 'field field--choices' },
      h('legend', {}, '范围'),
      WHERE.map(([v, text]) =>
        h(
          'label',
          { class: 'choice' },
          h('input', { type: 'radio', name: 'in', value: v, checked: where === v }),
          text,
        ),
      ),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 's-speech' }, '讲话'),
      h(
        'select',
        { id: 's-speech', name: 'speech' },
        h('option', { value: '' }, '全部讲话'),
        speeches.map((s) =>
          h('option', { value: String(s.id), selected: value('speech') === String(s.id) }, s.title || `${UNTITLED}（${s.slug}）`),
        ),
      ),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 's-from' }, '起始日期'),
      h('input', { id: 's-from', name: 'from', type: 'date', value: value('from') }),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 's-to' }, '截止日期'),
      h('input', { id: 's-to', name: 'to', type: 'date', value: value('to') }),
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 's-sort' }, '排序'),
      h(
        'select',
        { id: 's-sort', name: 'sort' },
        h('option', { value: '' }, '相关度'),
        h('option', { value: 'date', selected: value('sort') === 'date' }, '讲话日期（新→旧）'),
      ),
    ),
    h('div', { class: 'filters__actions' }, h('button', { type: 'submit' }, '搜索')),
  );
  dropEmptyFields(form);
  return { form, input };
}

function hitLink(hit) {
  const anchor = hit.kind === 'quote' ? `quote-${hit.id}` : hit.paragraph_eid || hit.eid;
  return `/speeches/${hit.speech.id}#${anchor}`;
}

function hitItem(hit) {
  const speechUrl = `/speeches/${hit.speech.id}`;
  const meta = [
    { sentence: '句子', section: '标题', quote: '引文' }[hit.kind],
    hit.quote_kind ? { golden: '金句', citation: '引用', term: '术语' }[hit.quote_kind] : null,
    hit.source ? `出自《${hit.source}》` : null,
    hit.speech.speaker,
    formatDate(hit.speech.delivered_on),
  ].filter(Boolean);
  return h(
    'li',
    { class: 'hit' },
    h(
      'div',
      { class: 'breadcrumbs breadcrumbs--hit' },
      h(
        'ol',
        { 'aria-label': '位置' },
        h('li', {}, h('a', { href: speechUrl }, speechTitle(hit.speech))),
        hit.breadcrumb.map((ref) => h('li', {}, h('a', { href: `${speechUrl}#${ref.eid}` }, sectionLabel(ref)))),
      ),
    ),
    h('p', { class: 'hit__snippet' }, h('a', { href: hitLink(hit) }, snippetNodes(hit.snippet))),
    meta.length ? h('p', { class: 'meta' }, meta.join(' · ')) : null,
  );
}

/**
 * When nothing matched, the terms the query may have meant (pinyin typed without choosing a
 * suggestion, `laomo`, or the start of a longer term) as searches of their own.
 */
async function alternatives(params) {
  const q = (params.get('q') || '').trim();
  if (!q || /\s/.test(q)) return null;
  let terms;
  try {
    terms = (await getJSON('/terms', { prefix: q, limit: 5 })).data.filter((t) => t.text !== q);
  } catch {
    return null; // only a help
  }
  if (!terms.length) return null;
  const hrefFor = (text) => {
    const query = new URLSearchParams(params);
    query.delete('cursor');
    query.set('q', text);
    return `/search?${query}`;
  };
  return h(
    'p',
    { class: 'alternatives' },
    '试试：',
    terms.map((t, i) => [i ? '、' : '', h('a', { href: hrefFor(t.text) }, t.text)]),
  );
}

export async function showSearch() {
  document.querySelector('.site-search').hidden = true; // this page has its own, larger box
  const params = new URLSearchParams(location.search);
  const query = Object.fromEntries(PARAMS.map((name) => [name, params.get(name) || '']));
  const crumbs = h(
    'nav',
    { class: 'breadcrumbs', 'aria-label': '面包屑' },
    h('ol', {}, h('li', {}, h('a', { href: '/' }, '讲话')), h('li', { 'aria-current': 'page' }, '搜索')),
  );
  setTitle(query.q ? `搜索：${query.q}` : '搜索');

  const speechesRequest = getJSON('/speeches', { limit: 100 }).then(
    (page) => page.data,
    () => [],
  );
  let page = null;
  let failure = null;
  if (query.q.trim()) {
    try {
      page = await getJSON('/search', { ...query, cursor: params.get('cursor'), limit: PAGE_SIZE });
    } catch (error) {
      failure = error;
    }
  }
  const { form, input } = searchForm(params, await speechesRequest);
  attachAutocomplete(input, { onChoose: () => form.requestSubmit() });

  let results;
  if (failure) results = errorBox(failure, '搜索失败');
  else if (!page) results = h('p', { class: 'empty' }, '输入关键词开始搜索。支持拼音联想，如 laomo → 劳模。');
  else {
    const where = WHERE.find(([v]) => v === (query.in || 'sentences'))[1];
    results = [
      h('p', { class: 'summary', role: 'status' }, `“${page.query}”：共 ${page.total_text} 条${where}结果`),
      ...(page.data.length
        ? [h('ol', { class: 'hits', 'aria-label': '搜索结果' }, page.data.map(hitItem))]
        : [h('p', { class: 'empty' }, '没有找到。试试更短的词，或换一个范围。'), await alternatives(params)]),
      pager('/search', params, page.next_cursor),
    ];
  }
  render(crumbs, h('h1', {}, '搜索'), form, results);
  if (!query.q) input.focus();
}
