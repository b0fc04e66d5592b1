// Small DOM helpers shared by the pages: element building, errors, the toast, the clipboard.

/**
 * h('a', {href: '/', class: 'x'}, 'text', child) -> <a href="/" class="x">text…</a>.
 * Attributes set to null/undefined/false are skipped; `on*` functions become listeners;
 * strings become text nodes (never HTML), so API text cannot inject markup.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, value);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replace the main landmark's content; mark it ready for assistive technology. */
export function render(...children) {
  const main = document.getElementById('main');
  main.replaceChildren(...children.flat().filter(Boolean));
  main.setAttribute('aria-busy', 'false');
  return main;
}

// What each kind of problem (its `type`, /problems/<slug>) means to a reader, in Chinese; the API's
// own title and detail follow it, for whoever reports the problem.
const PROBLEM_HINTS = {
  'not-found': '找不到这项内容：链接可能有误，或者它已被删除。',
  gone: '这篇讲话已被撤回，不再提供阅读。',
  'invalid-query': '关键词里没有可以搜索的字词，请换一个关键词。',
  'invalid-cursor': '这个分页链接已经失效，请从第一页重新开始。',
  'validation-error': '请求的参数有误，请检查筛选条件（例如日期）。',
  'bad-request': '请求的参数有误，请检查筛选条件。',
  unauthorized: '这台服务器要求 API 密钥才能阅读。',
  forbidden: '没有权限访问这项内容。',
  'rate-limited': '请求太频繁了，请稍等片刻再试。',
  'index-outdated': '搜索索引正在重建，请稍后再试。',
  'not-ready': '服务器暂时不可用，请稍后再试。',
  'internal-error': '服务器出错了，请稍后再试；如果一直出错，请把下面的请求编号告诉管理员。',
};

/** A readable box for an ApiError (problem+json): what it means, then title, status, detail, type. */
export function errorBox(error, heading = '出错了') {
  const problem = error.problem || { title: String(error.message || error), status: 0 };
  const slug = problem.type ? problem.type.split('/').pop() : '';
  return h(
    'div',
    { class: 'error', role: 'alert' },
    h('h2', {}, heading),
    PROBLEM_HINTS[slug] ? h('p', { class: 'error__hint' }, PROBLEM_HINTS[slug]) : null,
    h('p', {}, h('strong', {}, problem.title || '错误'), problem.status ? `（HTTP ${problem.status}）` : ''),
    problem.detail ? h('p', {}, problem.detail) : null,
    problem.request_id ? h('p', { class: 'error__type' }, '请求编号：', h('code', {}, problem.request_id)) : null,
    problem.type ? h('p', { class: 'error__type' }, '类型：', h('a', { href: problem.type }, problem.type)) : null,
  );
}

let toastTimer;
/** Say something briefly (copied, …) in a polite live region. */
export function toast(message) {
  const box = document.querySelector('.toast');
  box.textContent = message;
  box.classList.add('is-visible');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => box.classList.remove('is-visible'), 2500);
}

/** Copy text to the clipboard (with a fallback for insecure origins), then say so. */
export async function copyText(text, message = '已复制') {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const area = h('textarea', { class: 'visually-hidden', readonly: true });
    area.value = text;
    document.body.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    if (!ok) {
      toast('无法访问剪贴板，请手动复制');
      return false;
    }
  }
  toast(message);
  return true;
}

/** 2024-05-01 -> 2024年5月1日 (null stays empty). */
export function formatDate(iso) {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

export const UNTITLED = '无标题讲话';

/** A speech's name wherever it is shown: its title, or 无标题讲话 (never the bare slug). */
export function speechTitle(speech) {
  return speech.title || UNTITLED;
}

const SECTION_NAMES = { preamble: '导语', closing: '结束语' };

/** How a section is named in links and breadcrumbs: "二、要争创一流…" or "导语". */
export function sectionLabel(ref) {
  if (ref.marker || ref.heading) return `${ref.marker || ''}${ref.heading || ''}`;
  return SECTION_NAMES[ref.kind] || ref.eid;
}

/** A section in a short path: its marker without the trailing 、 ("二", "三是"), or its name. */
export function shortLabel(ref) {
  return ref.marker ? ref.marker.replace(/[、．.，,]$/, '') : sectionLabel(ref);
}

/** Set the document title: "<page> · 讲话阅读器". */
export function setTitle(page) {
  document.title = page ? `${page} · 讲话阅读器` : '讲话阅读器';
}

/**
 * Pager for a cursor-paginated list at `path` (a reader page) with query `params`.
 * Cursors are opaque and go forward only, so each page remembers (in sessionStorage) the cursor
 * of the page before it and its number: "上一页" works after a reload, Back works as always.
 */
export function pager(path, params, nextCursor) {
  const rest = new URLSearchParams(params);
  rest.delete('cursor');
  rest.sort();
  const key = `reader:pages:${path}?${rest}`;
  const current = params.get('cursor') || '';
  let pages = {};
  try {
    pages = JSON.parse(sessionStorage.getItem(key) || '{}');
  } catch {
    /* storage may be unavailable: the pager still works, without page numbers */
  }
  const here = current ? pages[current] : { n: 1 };
  if (nextCursor) {
    pages[nextCursor] = { prev: current, n: here ? here.n + 1 : null };
    try {
      sessionStorage.setItem(key, JSON.stringify(pages));
    } catch {
      /* ignore */
    }
  }
  const hrefFor = (cursor) => {
    const query = new URLSearchParams(rest);
    if (cursor) query.set('cursor', cursor);
    const text = query.toString();
    return text ? `${path}?${text}` : path;
  };
  if (!current && !nextCursor) return null;
  return h(
    'nav',
    { class: 'pager', 'aria-label': '分页' },
    current
      ? here
        ? h('a', { href: hrefFor(here.prev), rel: 'prev' }, '‹ 上一页')
        : h('a', { href: hrefFor('') }, '« 第一页')
      : null,
    here && here.n ? h('span', { class: 'pager__here', 'aria-current': 'page' }, `第 ${here.n} 页`) : null,
    nextCursor ? h('a', { href: hrefFor(nextCursor), rel: 'next' }, '下一页 ›') : null,
  );
}

/** Submit only the fields of a GET form that have a value: shorter, cleaner URLs. */
export function dropEmptyFields(form) {
  form.addEventListener('formdata', (event) => {
    for (const [name, value] of [...event.formData]) if (value === '') event.formData.delete(name);
  });
  return form;
}
