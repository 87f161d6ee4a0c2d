// AnyOrder live page: plain JS, no dependencies. Streams /v1/infill or /v1/generate as Server-Sent Events
// (read with fetch, since EventSource cannot POST) and paints each position as it is committed.
'use strict';

const $ = (sel, root = document) => root.querySelector(sel);
const app = { model: null, task: null, instance: null, runs: [] };

const MAZE_SYMBOLS = { 0: '\u00a0', 1: '\u2588', 2: 'S', 3: 'G', 4: '\u2022' };

function tokenHeaders() {
  const h = { 'Content-Type': 'application/json' };
  const t = $('#token').value.trim();
  if (t) h.Authorization = 'Bearer ' + t;
  return h;
}

async function api(path, options = {}) {
  const res = await fetch(path, { ...options, headers: { ...tokenHeaders(), ...(options.headers || {}) } });
  if (res.status === 401) $('#auth').hidden = false;
  return res;
}

async function errorText(res) {
  try {
    const body = await res.json();
    return body.error ? `${res.status}: ${body.error.message}` : `HTTP ${res.status}`;
  } catch (e) {
    return `HTTP ${res.status}`;
  }
}

function stepColour(step, steps) {
  const t = steps <= 1 ? 0 : (step - 1) / (steps - 1);
  return `hsl(${Math.round(220 - 220 * Math.min(1, Math.max(0, t)))} 72% 45%)`;
}

function symbol(token) {
  if (token < 0) return app.model.text ? (app.placeholder || '_') : '_';
  if (app.task && app.task.kind === 'maze') return MAZE_SYMBOLS[token] ?? '?';
  if (app.task && app.task.kind === 'sudoku') return String(token + 1);
  if (app.model.text) {
    const s = app.model.vocabulary.symbols[token];
    return s === ' ' ? '\u00a0' : s === '\n' ? '\u21b5' : s;
  }
  return String(token);
}

// ---------- the request shared by both panels ----------

function currentRequest() {
  if (app.task) {
    if (!app.instance) throw new Error('pick a puzzle first');
    return { path: '/v1/generate', body: { given: app.instance.given }, given: app.instance.given.slice() };
  }
  if (app.model.text) {
    const text = $('#template').value.replace(/\r?\n/g, ' ');
    const ph = app.placeholder;
    const given = Array.from(text).map((ch) => (ch === ph ? -1 : app.model.vocabulary.symbols.indexOf(ch)));
    const bad = given.findIndex((t, i) => t < -1 || (t === -1 && Array.from(text)[i] !== ph));
    if (bad >= 0) throw new Error(`character '${Array.from(text)[bad]}' at ${bad} is not in the model's vocabulary`);
    return { path: '/v1/infill', body: { text, placeholder: ph }, given };
  }
  const given = $('#given').value.trim().split(/\s+/).map((s) => (s === '_' ? -1 : Number(s)));
  if (given.some((t) => !Number.isInteger(t))) throw new Error('token ids must be integers or _');
  return { path: '/v1/generate', body: { given }, given };
}

// ---------- panels ----------

function fillSelect(select, values, chosen) {
  select.innerHTML = '';
  for (const v of values) {
    const o = document.createElement('option');
    o.value = v;
    o.textContent = v;
    if (v === chosen) o.selected = true;
    select.appendChild(o);
  }
}

function setUpPanel(panel) {
  panel.appendChild($('#panel-template').content.cloneNode(true));
  const opts = app.model.options;
  fillSelect($('.sampler', panel), opts.samplers, panel.dataset.default);
  fillSelect($('.order', panel), opts.orders, 'random');
  fillSelect($('.rule', panel), opts.rules, 'margin');
  fillSelect($('.drafter', panel), opts.drafters, 'self');
  const sync = () => {
    const s = $('.sampler', panel).value;
    $('.opt-rule', panel).hidden = s !== 'adaptive';
    $('.opt-drafter', panel).hidden = s !== 'speculative';
    $('.opt-k', panel).hidden = s === 'sequential' || s === 'burst';
    $('.k', panel).value = s === 'adaptive' ? 1 : 4;
  };
  $('.sampler', panel).addEventListener('change', sync);
  sync();
}

function panelOptions(panel) {
  const sampler = $('.sampler', panel).value;
  const o = { sampler, order: $('.order', panel).value, temperature: Number($('.temperature', panel).value) };
  if (sampler === 'adaptive' || sampler === 'speculative') o.k = Number($('.k', panel).value);
  if (sampler === 'adaptive') o.rule = $('.rule', panel).value;
  if (sampler === 'speculative') o.drafter = $('.drafter', panel).value;
  return o;
}

function renderSequence(panel, given) {
  const box = $('.sequence', panel);
  box.innerHTML = '';
  box.className = 'sequence';
  const cells = [];
  const make = (p) => {
    const c = document.createElement('span');
    c.className = 'cell ' + (given[p] >= 0 ? 'known' : 'gap');
    c.textContent = symbol(given[p]);
    c.dataset.pos = p;
    cells[p] = c;
    return c;
  };
  if (app.task) {
    const { height, width } = app.task;
    const wrap = document.createElement('div');
    wrap.className = 'grids';
    for (let start = 0; start < given.length; start += height * width) {
      const grid = document.createElement('div');
      grid.className = 'sequence grid';
      grid.style.gridTemplateColumns = `repeat(${width}, 22px)`;
      for (let p = start; p < Math.min(given.length, start + height * width); p++) {
        const c = make(p);
        const col = (p - start) % width;
        const row = Math.floor((p - start) / width);
        if (app.task.kind === 'sudoku' && (col === 2 || col === 5)) c.classList.add('box-right');
        if (app.task.kind === 'sudoku' && (row === 2 || row === 5)) c.classList.add('box-bottom');
        grid.appendChild(c);
      }
      wrap.appendChild(grid);
    }
    box.appendChild(wrap);
  } else {
    given.forEach((_, p) => box.appendChild(make(p)));
  }
  return cells;
}

class Run {
  constructor(panel, request, seed) {
    this.panel = panel;
    this.request = request;
    this.seed = seed;
    this.controller = new AbortController();
    this.cells = renderSequence(panel, request.given);
    this.targets = request.given.filter((t) => t < 0).length;
    this.stepOf = new Map();
    this.steps = 0;
    this.committed = 0;
    this.set('.nfe', 0);
    this.set('.committed', 0);
    this.set('.targets', this.targets);
    this.set('.steps', 0);
    this.status('queued…');
    $('.summary', panel).textContent = '';
    panel.dataset.state = 'running';
    delete panel.dataset.reportedNfe;
  }

  set(sel, value) {
    $(sel, this.panel).textContent = String(value);
  }

  status(text) {
    $('.status', this.panel).textContent = text;
  }

  onCommit(e) {
    if (e.sample !== 0) return;
    this.steps = Math.max(this.steps, e.step);
    this.panel.querySelectorAll('.cell.fresh').forEach((c) => c.classList.remove('fresh'));
    e.positions.forEach((p, i) => {
      const c = this.cells[p];
      if (!c) return;
      c.textContent = symbol(e.tokens[i]);
      c.classList.remove('gap', 'known');
      c.classList.add('committed', 'fresh');
      c.style.background = stepColour(e.step, Math.max(this.targets, 1));
      c.title = `position ${p} · step ${e.step} · NFE ${e.nfe}`;
      this.stepOf.set(p, e.step);
      this.committed++;
    });
    this.set('.nfe', e.nfe);
    this.set('.committed', this.committed);
    this.set('.steps', this.steps);
    this.status('generating…');
  }

  onResult(r) {
    const s = r.samples[0];
    // Repaint with the final step count so the colour ramp spans first to last step.
    for (const [p, step] of this.stepOf) this.cells[p].style.background = stepColour(step, this.steps);
    this.panel.querySelectorAll('.cell.fresh').forEach((c) => c.classList.remove('fresh'));
    s.tokens.forEach((t, p) => { if (this.cells[p]) this.cells[p].textContent = symbol(t); });
    this.set('.nfe', s.nfe);
    this.panel.dataset.reportedNfe = String(r.nfe);
    this.panel.dataset.state = 'done';
    this.status('done');
    const speed = r.tokens_generated / Math.max(1, s.nfe);
    $('.summary', this.panel).textContent = `${r.tokens_generated} tokens in ${this.steps} steps, NFE ${r.nfe} ` +
      `(${speed.toFixed(2)} tokens/NFE), ${r.timing.total_ms.toFixed(0)} ms (queued ${r.timing.queued_ms.toFixed(0)} ms)` +
      (s.log_prob !== null ? `, log p = ${s.log_prob.toFixed(2)}` : '');
  }

  onError(message) {
    this.panel.dataset.state = 'error';
    this.status('error');
    $('.summary', this.panel).textContent = message;
  }

  async start() {
    const body = { ...this.request.body, ...panelOptions(this.panel), seed: this.seed, stream: true };
    let res;
    try {
      res = await api(this.request.path, { method: 'POST', body: JSON.stringify(body), signal: this.controller.signal });
    } catch (e) {
      if (e.name !== 'AbortError') this.onError(String(e));
      return;
    }
    if (!res.ok) {
      this.onError(await errorText(res));
      return;
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          this.dispatch(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
        }
      }
    } catch (e) {
      if (e.name !== 'AbortError') this.onError(String(e));
    }
  }

  dispatch(block) {
    let event = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trim());
    }
    if (!data.length) return;
    const payload = JSON.parse(data.join('\n'));
    if (event === 'commit') this.onCommit(payload);
    else if (event === 'result') this.onResult(payload);
    else if (event === 'error') this.onError(`${payload.error.status}: ${payload.error.message}`);
  }

  abort() {
    this.controller.abort();
  }
}

async function runAll() {
  $('#error').textContent = '';
  app.runs.forEach((r) => r.abort());
  let request;
  try {
    request = currentRequest();
  } catch (e) {
    $('#error').textContent = e.message;
    return;
  }
  const seed = Math.max(0, Math.floor(Number($('#seed').value) || 0));
  const panels = [$('#panel-a')];
  if ($('#compare').checked) panels.push($('#panel-b'));
  app.runs = panels.map((p) => new Run(p, request, seed));
  $('#run').disabled = true;
  await Promise.all(app.runs.map((r) => r.start()));
  $('#run').disabled = false;
}

async function newInstance() {
  const res = await api('/v1/task/instance?seed=' + Math.floor(Math.random() * 1e9));
  if (!res.ok) {
    $('#error').textContent = await errorText(res);
    return;
  }
  app.instance = await res.json();
  $('#task-name').textContent = `${app.instance.name}, ${app.instance.given.filter((t) => t < 0).length} cells to fill`;
  for (const p of [$('#panel-a'), $('#panel-b')]) renderSequence(p, app.instance.given);
}

function defaultTemplate(max) {
  const symbols = new Set(app.model.vocabulary.symbols);
  const example = 'the quick brown ___ jumps over the ____ dog and ______ away.';
  const fits = Array.from(example).every((c) => c === '_' || symbols.has(c));
  return fits ? example.slice(0, max) : '_'.repeat(Math.min(max, 32));
}

async function init() {
  const res = await api('/v1/model');
  if (!res.ok) {
    $('#model-info').textContent = 'model unavailable: ' + (await errorText(res)) + ' (enter the bearer token above)';
    $('#auth').hidden = false;
    return;
  }
  app.model = await res.json();
  app.task = app.model.task;
  const c = app.model.config;
  $('#model-info').textContent = `${app.model.name}: ${c.layers} layers, width ${c.dim}, ` +
    `${app.model.parameters.toLocaleString()} parameters, max length ${c.maxLength}, ` +
    `${app.model.text ? 'text' : 'token ids'} vocabulary of ${c.vocabSize}` +
    (app.task ? `, task ${app.task.name}` : '') + (app.model.limits.batching ? ' · dynamic batching on' : '');
  app.placeholder = '_';
  for (const p of [$('#panel-a'), $('#panel-b')]) setUpPanel(p);
  if (app.task) {
    $('#task-input').hidden = false;
    $('#new-instance').textContent = app.task.kind === 'maze' ? 'New maze' : 'New Sudoku';
    $('#new-instance').addEventListener('click', newInstance);
    await newInstance();
  } else if (app.model.text) {
    $('#text-input').hidden = false;
    $('#template').value = defaultTemplate(c.maxLength);
    $('#template').maxLength = c.maxLength;
  } else {
    $('#ids-input').hidden = false;
    $('#given').value = Array.from({ length: Math.min(c.maxLength, 16) }, (_, i) => (i % 4 === 0 ? String(i % c.vocabSize) : '_')).join(' ');
  }
  $('#compare').addEventListener('change', () => {
    $('#panels').classList.toggle('single', !$('#compare').checked);
    $('#panel-b').hidden = !$('#compare').checked;
  });
  $('#run').addEventListener('click', runAll);
  document.body.dataset.ready = 'true';
}

function start() {
  init().catch((e) => { $('#model-info').textContent = 'failed to start: ' + e; });
}

$('#token').value = sessionStorage.getItem('anyorder-token') || '';
$('#token').addEventListener('change', () => {
  sessionStorage.setItem('anyorder-token', $('#token').value.trim());
  if (!app.model) start();
});
start();
