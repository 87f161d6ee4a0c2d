// AnyOrder live page: plain JS, no dependencies. Streams /v1/infill or /v1/generate as Server-Sent Events
// (read with fetch, since EventSource cannot POST) and paints each position as it is committed.
'use strict';

const $ = (sel, root = document) => root.querySelector(sel);
const app = { model: null, task: null, instance: null, runs: [] };

const MAZE_SYMBOLS = { 0: '\u00a0', 1: '\u00a0', 2: 'S', 3: 'G', 4: '\u25cf' };
const MAZE_CLASSES = { 0: 'tok-empty', 1: 'tok-wall', 2: 'tok-start', 3: 'tok-goal', 4: 'tok-path' };

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

async function errorOf(res) {
  try {
    const body = await res.json();
    if (body.error) return { text: `${res.status}: ${body.error.message}`, field: body.error.field };
  } catch (e) {
    // not JSON: fall through
  }
  return { text: `HTTP ${res.status}` };
}

async function errorText(res) {
  return (await errorOf(res)).text;
}

/** The step colour: a strong line colour and a light fill of the same hue, first step blue to last red. */
function stepColours(step, steps) {
  const t = steps <= 1 ? 0 : (step - 1) / (steps - 1);
  const hue = Math.round(220 - 220 * Math.min(1, Math.max(0, t)));
  return { line: `hsl(${hue} 72% 42%)`, fill: `hsl(${hue} 85% 86%)` };
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

/** Shows {@code token} in a cell; maze cells also carry the token's kind, so walls and path keep their look. */
function paint(cell, token) {
  cell.textContent = symbol(token);
  if (app.task && app.task.kind === 'maze') {
    Object.values(MAZE_CLASSES).forEach((k) => cell.classList.remove(k));
    if (token >= 0) cell.classList.add(MAZE_CLASSES[token] || 'tok-other');
  }
}

/** Copies text, with a fallback for pages the Clipboard API refuses; marks the button for a moment. */
async function copyText(button, text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    const area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    document.execCommand('copy');
    area.remove();
  }
  const label = button.dataset.label || button.textContent;
  button.dataset.label = label;
  button.textContent = 'Copied';
  button.dataset.copied = 'true';
  setTimeout(() => { button.textContent = label; delete button.dataset.copied; }, 1500);
}

// ---------- the request shared by both panels ----------

function currentRequest() {
  if (app.task) {
    if (!app.instance) throw new Error('pick a puzzle first');
    return { path: '/v1/generate', body: { given: app.instance.given }, given: app.instance.given.slice(), instance: app.instance };
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

/**
 * The server's defaults for a sampler (GET /v1/model, options.defaults): the page keeps none of its own. For a
 * model that records the decoding it was made for, its sampler's entry is that decoding.
 */
function defaultsOf(sampler) {
  return app.model.options.defaults[sampler];
}

/** The model's recommended decoding (options.recommended, a sampler object), or undefined when it records none. */
function recommended() {
  return app.model.options.recommended;
}

/** A sampler object in a few words, e.g. "adaptive, margin, temperature 0.1": only what sets it apart. */
function describeDecoding(c) {
  const parts = [c.sampler];
  if (c.sampler === 'adaptive') parts.push(c.rule);
  if (c.sampler === 'sequential' || c.sampler === 'speculative') parts.push(`${c.order} order`);
  if (c.sampler === 'speculative') parts.push(`k ${c.k}`);
  if (c.sampler === 'adaptive' && c.k !== 1) parts.push(`${c.k} positions per step`);
  if (c.sampler === 'burst') parts.push(`${c.orders} orders`);
  parts.push(`temperature ${c.temperature}`);
  if (c.top_k) parts.push(`top_k ${c.top_k}`);
  if (c.top_p < 1) parts.push(`top_p ${c.top_p}`);
  return parts.join(', ');
}

/** The request fields the shared controls set; num_samples only when it differs from the default. */
function sharedOptions(seed) {
  const o = { seed };
  const n = Number($('#num-samples').value);
  if (n !== defaultsOf(app.model.options.default_sampler).num_samples) o.num_samples = n;
  return o;
}

/** A shell command that sends exactly {@code body} to {@code path}; a token is read from $ANYORDER_TOKEN, never pasted. */
function curlCommand(path, body) {
  const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;
  const parts = [`curl -sN ${quote(new URL(path, window.location.href).href)}`, `-H 'Content-Type: application/json'`];
  if ($('#token').value.trim()) parts.push(`-H "Authorization: Bearer $ANYORDER_TOKEN"`);
  parts.push(`-d ${quote(JSON.stringify(body))}`);
  return parts.join(' \\\n  ');
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

/** Shows only the controls of the panel's sampler. */
function showSamplerControls(panel) {
  const s = $('.sampler', panel).value;
  $('.opt-rule', panel).hidden = s !== 'adaptive';
  $('.opt-drafter', panel).hidden = s !== 'speculative';
  $('.opt-k', panel).hidden = s === 'sequential' || s === 'burst';
}

/**
 * The control of each sampler field a panel sets, by the field's name in the server's one sampler schema
 * (SamplerConfigJson); PageSchemaTest fails if the page names a field the schema does not.
 */
const SAMPLER_CONTROLS = { sampler: '.sampler', order: '.order', k: '.k', rule: '.rule', drafter: '.drafter', temperature: '.temperature', top_k: '.top-k', top_p: '.top-p' };

/** Sets the panel's controls to the sampler object {@code c} (a server default or the recommended decoding). */
function applyDecoding(panel, c) {
  for (const [field, control] of Object.entries(SAMPLER_CONTROLS)) {
    // An explicit order (an array of positions) has no control: the panel keeps its named order.
    if (field === 'order' && typeof c.order !== 'string') continue;
    $(control, panel).value = c[field];
  }
  panel.querySelectorAll('[data-field].invalid').forEach((x) => x.classList.remove('invalid'));
  showSamplerControls(panel);
}

function setUpPanel(panel) {
  panel.appendChild($('#panel-template').content.cloneNode(true));
  const opts = app.model.options;
  // Every panel opens on the decoding the model was made for when it records one; else each on its own sampler.
  const first = recommended() ? opts.default_sampler
    : defaultsOf(panel.dataset.default) ? panel.dataset.default : opts.default_sampler;
  fillSelect($('.sampler', panel), opts.samplers, first);
  fillSelect($('.order', panel), opts.orders);
  fillSelect($('.rule', panel), opts.rules);
  fillSelect($('.drafter', panel), opts.drafters);
  $('.top-k', panel).max = app.model.config.vocabSize;
  applyDecoding(panel, defaultsOf(first));
  // Settings that belong to one sampler follow its defaults when the sampler changes.
  $('.sampler', panel).addEventListener('change', () => {
    const sd = defaultsOf($('.sampler', panel).value);
    $('.k', panel).value = sd.k;
    $('.rule', panel).value = sd.rule;
    $('.drafter', panel).value = sd.drafter;
    showSamplerControls(panel);
  });
  panel.querySelectorAll('[data-field]').forEach((c) => c.addEventListener('input', () => c.classList.remove('invalid')));
  $('.copy-output', panel).addEventListener('click', (e) => copyText(e.target, $('.output', panel).textContent));
  $('.copy-curl', panel).addEventListener('click', (e) => copyText(e.target, $('.curl', panel).textContent));
}

/** The panel's sampler fields that differ from the server's defaults for its sampler (the sampler itself always). */
function panelOptions(panel) {
  const sampler = $('.sampler', panel).value;
  const d = defaultsOf(sampler);
  const o = { sampler };
  const put = (field, value) => { if (value !== d[field]) o[field] = value; };
  put('order', $('.order', panel).value);
  if (sampler === 'adaptive' || sampler === 'speculative') put('k', Number($('.k', panel).value));
  if (sampler === 'adaptive') put('rule', $('.rule', panel).value);
  if (sampler === 'speculative') put('drafter', $('.drafter', panel).value);
  put('temperature', Number($('.temperature', panel).value));
  put('top_k', Number($('.top-k', panel).value));
  put('top_p', Number($('.top-p', panel).value));
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
    paint(c, given[p]);
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
      grid.className = `sequence grid ${app.task.kind}`;
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
  constructor(panel, request, shared) {
    this.panel = panel;
    this.request = request;
    this.body = { ...request.body, ...panelOptions(panel), ...shared, stream: true };
    this.controller = new AbortController();
    this.stopped = false;
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
    $('.output', panel).textContent = '';
    $('.copy-output', panel).disabled = true;
    $('.curl', panel).textContent = curlCommand(request.path, this.body);
    $('.copy-curl', panel).disabled = false;
    const badge = $('.badge', panel);
    badge.hidden = true;
    badge.className = 'badge';
    delete panel.dataset.verdict;
    $('.wrong-key', panel).hidden = true;
    panel.querySelectorAll('[data-field].invalid').forEach((c) => c.classList.remove('invalid'));
    panel.dataset.state = 'running';
    delete panel.dataset.reportedNfe;
  }

  set(sel, value) {
    $(sel, this.panel).textContent = String(value);
  }

  status(text) {
    $('.status', this.panel).textContent = text;
  }

  colour(cell, step, steps) {
    const { line, fill } = stepColours(step, steps);
    cell.style.setProperty('--step-line', line);
    cell.style.setProperty('--step-fill', fill);
  }

  onCommit(e) {
    if (e.sample !== 0 || this.stopped) return;
    this.steps = Math.max(this.steps, e.step);
    this.panel.querySelectorAll('.cell.fresh').forEach((c) => c.classList.remove('fresh'));
    e.positions.forEach((p, i) => {
      const c = this.cells[p];
      if (!c) return;
      paint(c, e.tokens[i]);
      c.classList.remove('gap', 'known');
      c.classList.add('committed', 'fresh');
      this.colour(c, e.step, Math.max(this.targets, 1));
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
    for (const [p, step] of this.stepOf) this.colour(this.cells[p], step, this.steps);
    this.panel.querySelectorAll('.cell.fresh').forEach((c) => c.classList.remove('fresh'));
    s.tokens.forEach((t, p) => { if (this.cells[p]) paint(this.cells[p], t); });
    this.set('.nfe', s.nfe);
    this.panel.dataset.reportedNfe = String(r.nfe);
    this.status('done');
    const speed = r.tokens_generated / Math.max(1, s.nfe);
    $('.summary', this.panel).textContent = `${r.tokens_generated} tokens in ${this.steps} steps, NFE ${r.nfe} ` +
      `(${speed.toFixed(2)} tokens/NFE), ${r.timing.total_ms.toFixed(0)} ms (queued ${r.timing.queued_ms.toFixed(0)} ms)` +
      (s.log_prob !== null ? `, log p = ${s.log_prob.toFixed(2)}` : '') +
      (r.samples.length > 1 ? ` · showing sample 1 of ${r.samples.length}` : '');
    if (this.request.instance) {
      return this.judge(r.samples);
    }
    this.showOutput(r.samples.map((x) => (app.model.text ? x.text : x.tokens.join(' '))).join('\n'));
    this.panel.dataset.state = 'done';
    return undefined;
  }

  showOutput(text) {
    $('.output', this.panel).textContent = text;
    $('.copy-output', this.panel).disabled = false;
  }

  /** Asks the server whether each sample solves the puzzle; badges sample 1 and marks its wrong cells. */
  async judge(samples) {
    try {
      const verdicts = await Promise.all(samples.map(async (x) => {
        const res = await api('/v1/task/check', { method: 'POST', body: JSON.stringify({ seed: this.request.instance.seed, tokens: x.tokens }) });
        if (!res.ok) throw new Error(await errorText(res));
        return res.json();
      }));
      const v = verdicts[0];
      const badge = $('.badge', this.panel);
      badge.hidden = false;
      badge.classList.add(v.solved ? 'solved' : 'incorrect');
      badge.textContent = v.solved ? '\u2713 solved' : `\u2717 incorrect${v.wrong.length ? ` · ${v.wrong.length} wrong cell${v.wrong.length > 1 ? 's' : ''}` : ''}`;
      if (samples.length > 1) badge.textContent += ` · ${verdicts.filter((x) => x.solved).length}/${samples.length} samples solved`;
      this.panel.dataset.verdict = v.solved ? 'solved' : 'incorrect';
      v.wrong.forEach((p) => {
        const c = this.cells[p];
        if (c) {
          c.classList.add('wrong');
          c.title += ' · wrong';
        }
      });
      $('.wrong-key', this.panel).hidden = v.wrong.length === 0;
      this.showOutput(verdicts.map((x) => x.rendered).join('\n'));
    } catch (e) {
      $('.summary', this.panel).textContent += ` · could not check the solution: ${e.message}`;
    }
    this.panel.dataset.state = 'done';
  }

  onError(message, field) {
    this.panel.dataset.state = 'error';
    this.status('error');
    $('.summary', this.panel).textContent = message;
    const control = field && this.panel.querySelector(`[data-field="${field}"]`);
    if (control) control.classList.add('invalid');
    if (field === 'seed' || field === 'num_samples') $('#' + (field === 'seed' ? 'seed' : 'num-samples')).classList.add('invalid');
  }

  async start() {
    let res;
    try {
      res = await api(this.request.path, { method: 'POST', body: JSON.stringify(this.body), signal: this.controller.signal });
    } catch (e) {
      if (e.name !== 'AbortError') this.onError(String(e));
      return;
    }
    if (!res.ok) {
      const err = await errorOf(res);
      this.onError(err.text, err.field);
      return;
    }
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const pending = [];
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          pending.push(this.dispatch(buffer.slice(0, cut)));
          buffer = buffer.slice(cut + 2);
        }
      }
    } catch (e) {
      if (e.name !== 'AbortError') this.onError(String(e));
    }
    await Promise.all(pending);
  }

  dispatch(block) {
    let event = 'message';
    const data = [];
    for (const line of block.split('\n')) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).trim());
    }
    if (!data.length || this.stopped) return undefined;
    const payload = JSON.parse(data.join('\n'));
    if (event === 'commit') this.onCommit(payload);
    else if (event === 'result') return this.onResult(payload);
    else if (event === 'error') this.onError(`${payload.error.status}: ${payload.error.message}`, payload.error.field);
    return undefined;
  }

  /** Closes the stream; the server cancels a job whose client went away (at its next commit). */
  stop() {
    if (this.panel.dataset.state !== 'running') return;
    this.stopped = true;
    this.controller.abort();
    this.panel.dataset.state = 'stopped';
    this.status('stopped');
    this.panel.querySelectorAll('.cell.fresh').forEach((c) => c.classList.remove('fresh'));
    $('.summary', this.panel).textContent = `stopped after ${this.committed} of ${this.targets} tokens`;
  }

  abort() {
    this.stopped = true;
    this.controller.abort();
  }
}

function readSeed() {
  if ($('#reseed').checked) $('#seed').value = String(randomSeed());
  return Math.max(0, Math.floor(Number($('#seed').value) || 0));
}

function randomSeed() {
  return Math.floor(Math.random() * 2 ** 31);
}

async function runAll() {
  $('#error').textContent = '';
  document.querySelectorAll('#input .invalid').forEach((c) => c.classList.remove('invalid'));
  app.runs.forEach((r) => r.abort());
  let request;
  try {
    request = currentRequest();
  } catch (e) {
    $('#error').textContent = e.message;
    return;
  }
  const shared = sharedOptions(readSeed());
  const panels = [$('#panel-a')];
  if ($('#compare').checked) panels.push($('#panel-b'));
  const runs = panels.map((p) => new Run(p, request, shared));
  app.runs = runs;
  $('#run').disabled = true;
  $('#stop').disabled = false;
  await Promise.all(runs.map((r) => r.start()));
  if (app.runs === runs) {
    $('#run').disabled = false;
    $('#stop').disabled = true;
  }
}

function stopAll() {
  app.runs.forEach((r) => r.stop());
  $('#stop').disabled = true;
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
  $('#task-name').dataset.seed = String(app.instance.seed);
  for (const p of [$('#panel-a'), $('#panel-b')]) {
    renderSequence(p, app.instance.given);
    const badge = $('.badge', p);
    if (badge) badge.hidden = true;
    delete p.dataset.verdict;
  }
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
  const d = defaultsOf(app.model.options.default_sampler);
  $('#seed').value = d.seed;
  $('#num-samples').value = d.num_samples;
  $('#num-samples').max = app.model.limits.max_samples;
  for (const p of [$('#panel-a'), $('#panel-b')]) setUpPanel(p);
  const r = recommended();
  if (r) {
    $('#recommended').hidden = false;
    $('#recommended-text').textContent = `model's recommended decoding: ${describeDecoding(r)}`;
    $('#use-recommended').addEventListener('click', () => {
      for (const p of [$('#panel-a'), $('#panel-b')]) applyDecoding(p, r);
    });
  }
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
  $('#dice').addEventListener('click', () => { $('#seed').value = String(randomSeed()); });
  $('#run').addEventListener('click', runAll);
  $('#stop').addEventListener('click', stopAll);
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
