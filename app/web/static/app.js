// Entry point: the header's search box with autocomplete, then the page the path names.
//   /                    speech list (filters: speaker, genre, dates, title words)
//   /search?q=…          full-text search
//   /speeches/{id}#eid   one speech; the fragment is a section, paragraph or quote anchor
// Every page is a real URL served as index.html, so links, reloads and Back work as usual.

import { attachAutocomplete } from './autocomplete.js';
import { errorBox, h, render, setTitle } from './dom.js';

const form = document.querySelector('.site-search');
const input = document.getElementById('site-q');
input.value = location.pathname === '/search' ? new URLSearchParams(location.search).get('q') || '' : '';
attachAutocomplete(input, { onChoose: () => form.requestSubmit() });

async function route() {
  const path = location.pathname;
  const speech = path.match(/^\/speeches\/([^/]+)\/?$/);
  if (path === '/') return (await import('./list.js')).showList();
  if (path === '/search') return (await import('./search.js')).showSearch();
  if (speech) return (await import('./speech.js')).showSpeech(decodeURIComponent(speech[1]));
  setTitle('找不到页面');
  render(h('h1', {}, '找不到页面'), h('p', {}, h('a', { href: '/' }, '返回讲话列表')));
}

route().catch((error) => {
  setTitle('出错了');
  render(h('h1', {}, '出错了'), errorBox(error, '错误详情'));
});
