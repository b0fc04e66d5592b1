// One speech: GET /api/v1/speeches/{id} (metadata and outline), then every section
// (GET …/sections/{eid}: paragraphs with spans, previous/next, breadcrumb) and its quotes
// (GET /api/v1/quotes?speech={id}, all pages). Anchors: each section and paragraph has its eid
// as id (#part_2__point_3, #part_2__point_3__para_1) and each quote `quote-{id}`.

import { getAll, getJSON, mapLimit } from './api.js';
import {
  copyText,
  errorBox,
  formatDate,
  h,
  render,
  sectionLabel,
  setTitle,
  shortLabel,
  speechTitle,
  toast,
} from './dom.js';
import { KIND_NAMES, markQuotes } from './highlight.js';

const PARALLEL = 6; // requests in flight, as many as a browser opens per origin over HTTP/1.1
const WIDE = '(min-width: 64em)';
const METADATA = [
  ['speaker', '讲话人'],
  ['occasion', '场合'],
  ['place', '地点'],
  ['delivered_on', '讲话日期', formatDate],
  ['genre', '体裁'],
  ['publisher', '发布机构'],
  ['document_number', '发文字号'],
  ['index_number', '索引号'],
  ['topic', '主题分类'],
  ['written_on', '成文日期', formatDate],
  ['published_on', '发布日期', formatDate],
];

/** The outline in reading order: preamble, 一、, its points…, closing. */
function flatten(nodes, out = []) {
  for (const node of nodes) {
    out.push(node);
    flatten(node.children, out);
  }
  return out;
}

const linkTo = (speech, anchor) => `${location.origin}/speeches/${speech.id}${anchor ? `#${anchor}` : ''}`;

/** “text”——speaker，《title》（date） link; without speaker, title and date: “text” link. */
export function quoteWithSource(quote, speech, anchor) {
  const who = [speech.speaker, speech.title ? `《${speech.title}》` : null].filter(Boolean).join('，');
  const when = speech.delivered_on ? `（${formatDate(speech.delivered_on)}）` : '';
  const source = who || when ? `——${who}${when}` : '';
  return `“${quote.text}”${source} ${linkTo(speech, anchor)}`;
}

export async function showSpeech(ref) {
  let speech;
  let sections;
  let quotes;
  try {
    speech = await getJSON(`/speeches/${encodeURIComponent(ref)}`);
    const order = flatten(speech.outline);
    [sections, quotes] = await Promise.all([
      mapLimit(order, PARALLEL, (node) => getJSON(`/speeches/${speech.id}/sections/${encodeURIComponent(node.eid)}`)),
      getAll('/quotes', { speech: speech.id, limit: 100 }),
    ]);
  } catch (error) {
    setTitle('无法打开讲话');
    render(breadcrumbs(null), h('h1', {}, '无法打开这篇讲话'), errorBox(error));
    return;
  }
  new SpeechPage(speech, sections, quotes).show();
}

function breadcrumbs(speech) {
  return h(
    'nav',
    { class: 'breadcrumbs', 'aria-label': '面包屑' },
    h(
      'ol',
      {},
      h('li', {}, h('a', { href: '/' }, '讲话')),
      speech ? h('li', { 'aria-current': 'page' }, speechTitle(speech)) : null,
    ),
  );
}

class SpeechPage {
  constructor(speech, sections, quotes) {
    this.speech = speech;
    this.sections = new Map(sections.map((s) => [s.eid, s]));
    this.quotes = quotes.sort((a, b) => a.span[0] - b.span[0]);
    this.quoteAnchor = new Map(); // quote id -> {anchor: its mark's id, paragraph: the paragraph's eid}
    this.current = null;
  }

  show() {
    const { speech } = this;
    setTitle(speechTitle(speech));
    const wide = matchMedia(WIDE).matches;
    this.text = this.renderText();
    this.toc = this.renderToc(wide);
    this.bar = h('nav', { class: 'section-nav', 'aria-label': '上一节和下一节' });
    render(
      breadcrumbs(speech),
      h(
        'div',
        { class: 'speech' },
        this.renderHead(),
        this.toc,
        h('article', { class: 'speech__text', 'aria-labelledby': 'speech-title' }, this.text, this.bar),
        this.renderQuotes(wide),
      ),
    );
    addEventListener('hashchange', () => this.goToHash());
    addEventListener('scroll', () => this.onScroll(), { passive: true });
    this.goToHash(true);
  }

  // --- header --------------------------------------------------------------------------------

  renderHead() {
    const { speech } = this;
    const rows = METADATA.filter(([key]) => speech[key]).map(([key, label, format]) => [
      h('dt', {}, label),
      h('dd', {}, format ? format(speech[key]) : speech[key]),
    ]);
    if (speech.source_url)
      rows.push([
        h('dt', {}, '来源'),
        h('dd', {}, h('a', { href: speech.source_url, rel: 'noopener' }, speech.source_url)),
      ]);
    const c = speech.counts;
    return h(
      'header',
      { class: 'speech__head' },
      h('h1', { id: 'speech-title', class: speech.title ? null : 'is-untitled' }, speechTitle(speech)),
      speech.subtitle ? h('p', { class: 'speech__subtitle' }, speech.subtitle) : null,
      rows.length ? h('dl', { class: 'meta-list' }, rows) : null,
      h('p', { class: 'meta' }, `${c.parts} 个部分 · ${c.points} 个要点 · ${c.paragraphs} 段 · ${c.quotes} 处引文`),
      h(
        'p',
        { class: 'actions' },
        h('button', { type: 'button', onclick: () => copyText(linkTo(speech), '已复制本文链接') }, '复制本文链接'),
      ),
    );
  }

  // --- outline ---------------------------------------------------------------------------------

  renderToc(open) {
    const item = (node) => {
      const link = h('a', { href: `#${node.eid}`, 'data-eid': node.eid }, sectionLabel(node));
      if (!node.children.length) return h('li', {}, link);
      const listId = `toc-${node.eid}`;
      const list = h('ol', { id: listId, hidden: true }, node.children.map(item));
      const toggle = h(
        'button',
        {
          type: 'button',
          class: 'toc__toggle',
          'aria-expanded': 'false',
          'aria-controls': listId,
          'aria-label': `${sectionLabel(node)}：展开或收起`,
          onclick: () => this.expand(node.eid, toggle.getAttribute('aria-expanded') !== 'true'),
        },
        h('span', { 'aria-hidden': 'true' }, '▸'),
      );
      return h('li', { class: 'toc__branch' }, h('div', { class: 'toc__row' }, toggle, link), list);
    };
    return h(
      'details',
      { class: 'panel toc', open },
      h('summary', {}, '目录'),
      h('nav', { 'aria-label': '目录' }, h('ol', { class: 'toc__list' }, this.speech.outline.map(item))),
    );
  }

  expand(eid, on = true) {
    const list = document.getElementById(`toc-${eid}`);
    if (!list) return;
    list.hidden = !on;
    const toggle = this.toc.querySelector(`[aria-controls="toc-${CSS.escape(eid)}"]`);
    toggle.setAttribute('aria-expanded', String(on));
  }

  // --- the text --------------------------------------------------------------------------------

  renderText() {
    const fragment = document.createDocumentFragment();
    for (const node of this.speech.outline) fragment.append(this.renderSection(node));
    return fragment;
  }

  renderSection(node) {
    const section = this.sections.get(node.eid);
    const level = Math.min(node.level + 1, 6);
    const label = sectionLabel(node);
    const titled = Boolean(node.marker || node.heading);
    // The preamble and the closing have no heading of their own: a hidden one keeps the outline
    // of headings whole; their paragraphs' ¶ links stand in for the section's copy-link button.
    const heading = titled
      ? h(
          `h${Math.max(level, 2)}`,
          { class: 'sec__heading', id: `${node.eid}-h` },
          node.marker ? h('span', { class: 'sec__marker' }, node.marker) : null,
          node.heading,
        )
      : h('h2', { class: 'visually-hidden', id: `${node.eid}-h` }, label);
    const copy = titled
      ? h(
          'button',
          {
            type: 'button',
            class: 'copy-link',
            'aria-label': `复制链接：${label}`,
            onclick: () => copyText(linkTo(this.speech, node.eid), '已复制本节链接'),
          },
          '复制链接',
        )
      : null;
    return h(
      'section',
      {
        id: node.eid,
        class: `sec sec--${node.kind}`,
        tabindex: '-1',
        'data-eid': node.eid,
      },
      h('div', { class: 'sec__head' }, heading, copy),
      (section ? section.paragraphs : []).map((p, i) => this.renderParagraph(p, i + 1, node.eid)),
      node.children.map((child) => this.renderSection(child)),
    );
  }

  renderParagraph(paragraph, n, eid) {
    const [start, end] = paragraph.span;
    const here = this.quotes.filter((q) => q.span[0] < end && q.span[1] > start);
    const { nodes, anchored } = markQuotes(paragraph.text, start, here);
    for (const id of anchored) this.quoteAnchor.set(id, { anchor: `quote-${id}`, paragraph: paragraph.eid });
    return h(
      'p',
      { id: paragraph.eid, class: 'para', tabindex: '-1', 'data-eid': eid },
      nodes,
      h(
        'a',
        {
          class: 'para-link',
          href: `#${paragraph.eid}`,
          'aria-label': `第 ${n} 段的链接（复制）`,
          onclick: () => copyText(linkTo(this.speech, paragraph.eid), '已复制段落链接'),
        },
        '¶',
      ),
    );
  }

  // --- quotes panel ----------------------------------------------------------------------------

  renderQuotes(open) {
    const counts = {};
    for (const q of this.quotes) counts[q.kind] = (counts[q.kind] || 0) + 1;
    const list = h(
      'ol',
      { class: 'quotes__list' },
      this.quotes.map((q) => this.quoteItem(q)),
    );
    const filter = (kind) =>
      h(
        'button',
        {
          type: 'button',
          'aria-pressed': String(kind === ''),
          'data-kind': kind,
          onclick: (event) => {
            for (const b of event.currentTarget.parentElement.children)
              b.setAttribute('aria-pressed', String(b === event.currentTarget));
            for (const li of list.children) li.hidden = kind !== '' && li.dataset.kind !== kind;
          },
        },
        kind ? `${KIND_NAMES[kind]} ${counts[kind]}` : `全部 ${this.quotes.length}`,
      );
    const kinds = Object.keys(KIND_NAMES).filter((k) => counts[k]);
    return h(
      'details',
      { class: 'panel quotes', open },
      h('summary', {}, `引文与金句（${this.quotes.length}）`),
      h(
        'aside',
        { 'aria-label': '引文与金句' },
        this.quotes.length
          ? [
              h(
                'div',
                { class: 'quotes__filter', role: 'group', 'aria-label': '按类型筛选' },
                filter(''),
                kinds.map(filter),
              ),
              list,
            ]
          : h('p', { class: 'empty' }, '这篇讲话没有识别出引文。'),
      ),
    );
  }

  quoteItem(quote) {
    const found = this.quoteAnchor.get(quote.id);
    const section = this.sections.get(quote.eid);
    const where = section ? section.breadcrumb.map((ref) => shortLabel(ref)).join(' › ') : quote.eid;
    const anchor = found ? found.paragraph : quote.eid;
    return h(
      'li',
      { class: `quote quote--${quote.kind}`, 'data-kind': quote.kind },
      h(
        'p',
        { class: 'quote__meta' },
        h('span', { class: `badge badge--${quote.kind}` }, KIND_NAMES[quote.kind] || quote.kind),
        quote.source ? ` 出自《${quote.source}》` : '',
        quote.kind === 'term' && quote.uses ? ` 全库出现 ${quote.uses} 次` : '',
      ),
      h('blockquote', { class: 'quote__text' }, quote.text),
      h(
        'p',
        { class: 'quote__actions' },
        h(
          'a',
          { href: `#${found ? found.anchor : quote.eid}`, 'aria-label': `定位 ${where}：${quote.text}` },
          `定位 ${where}`,
        ),
        h(
          'button',
          {
            type: 'button',
            'aria-label': `复制引文及出处：${quote.text}`,
            onclick: () => copyText(quoteWithSource(quote, this.speech, anchor), '已复制引文及出处'),
          },
          '复制引文',
        ),
      ),
    );
  }

  // --- where the reader is: the fragment, the scroll position, prev/next ----------------------

  goToHash(initial = false) {
    const id = decodeURIComponent(location.hash.slice(1));
    const target = id ? this.find(id) : null;
    if (!target) {
      // Not a place in the text (none, unknown, or #main from the skip link).
      if (initial) {
        if (id) toast(`找不到位置 #${id}`);
        this.setCurrent(this.sectionOf(document.querySelector('.speech__text .sec')));
      }
      return;
    }
    if (this.target) this.target.classList.remove('is-target');
    target.classList.add('is-target');
    this.target = target;
    this.setCurrent(this.sectionOf(target));
    // The page was built after load (or the anchor fell back to another element), so the browser
    // could not scroll to the fragment itself.
    if (initial || target.id !== id) target.scrollIntoView({ block: 'start' });
    if (initial) (target.matches('mark, span') ? target.closest('.para') : target).focus({ preventScroll: true });
  }

  /**
   * The element an anchor names in the text, or the nearest thing that still exists: a quote
   * outside any paragraph falls back to its section, and an eid that is gone (the text was
   * corrected) to its closest ancestor, `part_2__point_3__para_4` -> `part_2__point_3` -> `part_2`.
   */
  find(id) {
    const text = document.querySelector('.speech__text');
    const quote = id.match(/^quote-(\d+)$/);
    const candidates = [id];
    if (quote) {
      const found = this.quotes.find((q) => String(q.id) === quote[1]);
      if (found) candidates.push(found.eid);
    }
    for (let eid = id; eid.includes('__');) candidates.push((eid = eid.slice(0, eid.lastIndexOf('__'))));
    for (const candidate of candidates) {
      const el = document.getElementById(candidate);
      if (el && text.contains(el)) return el;
    }
    return null;
  }

  sectionOf(el) {
    const section = el && el.closest('.sec');
    return section ? section.dataset.eid : null;
  }

  onScroll() {
    if (this.scrollQueued) return;
    this.scrollQueued = true;
    requestAnimationFrame(() => {
      this.scrollQueued = false;
      // While the fragment's target is on screen it stays the current place.
      if (this.target && this.target.isConnected) {
        const box = this.target.getBoundingClientRect();
        if (box.bottom > 0 && box.top < innerHeight) return this.setCurrent(this.sectionOf(this.target));
      }
      let current = null;
      for (const el of document.querySelectorAll('.speech__text .sec')) {
        if (el.getBoundingClientRect().top <= innerHeight * 0.25) current = el.dataset.eid;
        else break;
      }
      this.setCurrent(current || this.sectionOf(document.querySelector('.speech__text .sec')));
    });
  }

  setCurrent(eid) {
    if (!eid || eid === this.current) return;
    this.current = eid;
    const section = this.sections.get(eid);
    if (!section) return;
    // Outline: mark the place, open the branch it is in.
    for (const a of this.toc.querySelectorAll('a[aria-current]')) a.removeAttribute('aria-current');
    for (const ref of section.breadcrumb) {
      const link = this.toc.querySelector(`a[data-eid="${CSS.escape(ref.eid)}"]`);
      if (link) link.setAttribute('aria-current', ref.eid === eid ? 'location' : 'true');
      this.expand(ref.eid);
    }
    this.renderBar(section);
  }

  /** previous/next from the section endpoint; past the first or last point, the part around it. */
  neighbours(section) {
    const previous = section.previous || section.parent;
    let next = section.next;
    for (let up = section.parent; !next && up;) {
      const parent = this.sections.get(up.eid);
      next = parent ? parent.next : null;
      up = parent ? parent.parent : null;
    }
    return { previous, next };
  }

  renderBar(section) {
    const { previous, next } = this.neighbours(section);
    const where = section.breadcrumb.map((ref) => shortLabel(ref)).join(' › ');
    this.bar.replaceChildren(
      previous
        ? h(
            'a',
            { class: 'section-nav__prev', href: `#${previous.eid}`, rel: 'prev' },
            h('span', { class: 'section-nav__dir' }, '‹ 上一节'),
            h('span', { class: 'section-nav__label' }, sectionLabel(previous)),
          )
        : h('span', { class: 'section-nav__prev' }),
      h(
        'button',
        {
          type: 'button',
          class: 'section-nav__here',
          onclick: () => copyText(linkTo(this.speech, section.eid), '已复制本节链接'),
        },
        h('span', { class: 'section-nav__where' }, where),
        h('span', { class: 'section-nav__copy' }, '复制本节链接'),
      ),
      next
        ? h(
            'a',
            { class: 'section-nav__next', href: `#${next.eid}`, rel: 'next' },
            h('span', { class: 'section-nav__dir' }, '下一节 ›'),
            h('span', { class: 'section-nav__label' }, sectionLabel(next)),
          )
        : h('span', { class: 'section-nav__next' }),
    );
  }
}
