// Autocomplete from GET /api/v1/terms?prefix=… (characters, pinyin "laomo" or initials "lmjs"),
// as an ARIA 1.2 combobox: the input keeps focus, aria-activedescendant points at the option.
// Keys: ↓/↑ move (opening the list), Enter picks the highlighted term, Esc closes (then clears).

import { getJSON } from './api.js';
import { h } from './dom.js';

const DELAY_MS = 150;
const LIMIT = 8;

export function attachAutocomplete(input, { onChoose } = {}) {
  const id = input.id;
  const listbox = h('ul', {
    id: `${id}-listbox`,
    role: 'listbox',
    class: 'combobox__list',
    'aria-label': '搜索建议',
    hidden: true,
  });
  const status = h('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  input.after(listbox, status);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', listbox.id);

  let terms = [];
  let active = -1;
  let timer;
  let controller;

  function open() {
    if (!terms.length) return;
    listbox.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  }

  function close() {
    listbox.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    setActive(-1);
  }

  function setActive(index) {
    const options = listbox.children;
    if (active >= 0 && options[active]) {
      options[active].setAttribute('aria-selected', 'false');
      options[active].classList.remove('is-active');
    }
    active = index;
    if (index >= 0 && options[index]) {
      options[index].setAttribute('aria-selected', 'true');
      options[index].classList.add('is-active');
      options[index].scrollIntoView({ block: 'nearest' });
      input.setAttribute('aria-activedescendant', options[index].id);
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function choose(index) {
    const term = terms[index];
    if (!term) return;
    input.value = term.text;
    close();
    if (onChoose) onChoose(term);
  }

  function show(found) {
    terms = found;
    active = -1;
    listbox.replaceChildren(
      ...found.map((term, i) =>
        h(
          'li',
          {
            id: `${id}-option-${i}`,
            role: 'option',
            'aria-selected': 'false',
            class: 'combobox__option',
            onmousedown: (event) => event.preventDefault(), // keep focus in the input
            onclick: () => choose(i),
          },
          h('span', { class: 'combobox__text' }, term.text),
          h('span', { class: 'combobox__pinyin', lang: 'zh-Latn-pinyin' }, term.pinyin),
        ),
      ),
    );
    status.textContent = found.length ? `${found.length} 条建议，按上下方向键选择` : '';
    if (found.length) open();
    else close();
  }

  async function suggest() {
    const prefix = input.value.trim();
    if (controller) controller.abort();
    if (!prefix) {
      show([]);
      return;
    }
    controller = new AbortController();
    try {
      const page = await getJSON('/terms', { prefix, limit: LIMIT }, { signal: controller.signal });
      if (input.value.trim() === prefix && document.activeElement === input) show(page.data);
    } catch (error) {
      if (error.name !== 'AbortError') show([]); // suggestions are a convenience: fail quietly
    }
  }

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(suggest, DELAY_MS);
  });

  input.addEventListener('keydown', (event) => {
    if (event.isComposing) return; // an IME is choosing characters: its keys are not ours
    const count = terms.length;
    switch (event.key) {
      case 'ArrowDown':
        if (!count) return;
        event.preventDefault();
        if (listbox.hidden) open();
        setActive(active + 1 < count ? active + 1 : 0);
        break;
      case 'ArrowUp':
        if (!count) return;
        event.preventDefault();
        if (listbox.hidden) open();
        setActive(active > 0 ? active - 1 : count - 1);
        break;
      case 'Enter':
        if (!listbox.hidden && active >= 0) {
          event.preventDefault();
          choose(active);
        }
        break;
      case 'Escape':
        if (!listbox.hidden) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = '';
        }
        break;
      case 'Tab':
        close();
        break;
      default:
    }
  });

  input.addEventListener('blur', close);
}
