/* sitrep map page: events on an offline world map, a timeline that brushes
 * the time range, filters, a list, an evidence panel, live updates over
 * Server-Sent Events and a "be the first to know" Web Push subscription. */
'use strict';

const TYPE_COLORS = {
  'Battles': '#c0392b',
  'Explosions/Remote violence': '#e67e22',
  'Violence against civilians': '#8e44ad',
  'Protests': '#2e86c1',
  'Riots': '#d4ac0d',
  'Strategic developments': '#5d6d7e',
};
const OTHER_COLOR = '#7f8c8d';
const PAGE = 1000, MAX_EVENTS = 5000;

const state = { filters: {}, since: null, until: null, events: new Map(), markers: new Map(), selected: null };
const $ = (id) => document.getElementById(id);

/* ---- map ------------------------------------------------------------- */

const map = L.map('map', { worldCopyJump: true, minZoom: 2, maxZoom: 12, zoomControl: true, attributionControl: true })
  .setView([25, 20], 3);
map.attributionControl.setPrefix('');
map.attributionControl.addAttribution('Borders: Natural Earth · Places: GeoNames (CC BY)');
const clusters = L.markerClusterGroup({ maxClusterRadius: 40, showCoverageOnHover: false, chunkedLoading: true });
map.addLayer(clusters);

fetch('/vendor/world-atlas/countries-50m.json').then((r) => r.json()).then((topo) => {
  const land = topojson.feature(topo, topo.objects.countries);
  L.geoJSON(land, {
    style: { color: '#9aa5b1', weight: 0.6, fillColor: '#f4f1ea', fillOpacity: 1 },
    interactive: false,
  }).addTo(map).bringToBack();
}).catch(() => toast('Country outlines could not be loaded'));

function colorOf(ev) { return TYPE_COLORS[ev.acled_type] || OTHER_COLOR; }

function deaths(ev) {
  const f = ev.fatalities;
  if (f == null) return 0;
  return typeof f === 'number' ? f : (f.value || 0);
}

function markerFor(ev) {
  const d = deaths(ev);
  const size = Math.min(26, 10 + Math.sqrt(d) * 2.5);
  const icon = L.divIcon({
    className: '',
    html: `<div class="marker${ev.breaking ? ' breaking' : ''}" style="width:${size}px;height:${size}px;background:${colorOf(ev)}"></div>`,
    iconSize: [size, size],
  });
  const m = L.marker([ev.place.lat, ev.place.lon], { icon, title: label(ev), keyboard: true });
  m.on('click', () => openEvent(ev.id));
  return m;
}

/* ---- data ------------------------------------------------------------ */

function query(extra = {}) {
  const p = new URLSearchParams();
  const f = { ...state.filters, ...extra };
  if (state.since) p.set('since', state.since);
  if (state.until) p.set('until', state.until);
  for (const [k, v] of Object.entries(f)) if (v !== '' && v != null) p.set(k, v);
  return p;
}

async function getJSON(url) {
  const r = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return r.json();
}

async function loadEvents() {
  state.events.clear();
  let cursor = null;
  try {
    do {
      const p = query({ limit: PAGE });
      if (cursor) p.set('cursor', cursor);
      const page = await getJSON('/api/events?' + p);
      for (const ev of page.events) state.events.set(ev.id, ev);
      cursor = page.next;
    } while (cursor && state.events.size < MAX_EVENTS);
  } catch (e) {
    toast('Events could not be loaded: ' + e.message);
  }
  render();
}

async function loadStats() {
  try {
    const p = query();
    p.delete('since');
    p.delete('until');
    drawTimeline((await getJSON('/api/stats?' + p)).days || []);
  } catch (e) { /* the timeline is optional */ }
}

/* ---- list and markers -------------------------------------------------- */

function label(ev) {
  const what = ev.acled_subtype || ev.cameo_name || ('CAMEO ' + ev.cameo);
  return ev.place ? `${what} — ${ev.place.name}` : what;
}

function escapeHTML(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function actorName(a) { return a ? (a.text || a.code || '') : ''; }
function sourceCount(ev) { return ev.articles || (ev.sources || []).length || 1; }

function listItem(ev) {
  const li = document.createElement('li');
  li.dataset.id = ev.id;
  const who = [actorName(ev.source), actorName(ev.target)].filter(Boolean).join(' → ');
  const d = deaths(ev);
  li.innerHTML = `<div class="ev-title"><span class="dot" style="background:${colorOf(ev)}"></span>${escapeHTML(label(ev))}</div>
    <div class="ev-meta">${escapeHTML(ev.date)}${who ? ' · ' + escapeHTML(who) : ''}${d ? ' · ' + d + ' killed' : ''} · ${sourceCount(ev)} source${sourceCount(ev) > 1 ? 's' : ''}${ev.breaking ? ' · <span class="badge">BREAKING</span>' : ''}</div>`;
  li.addEventListener('click', () => openEvent(ev.id));
  return li;
}

function sorted() {
  return [...state.events.values()].sort((a, b) => (b.date || '').localeCompare(a.date || '') || b.id - a.id);
}

function render() {
  clusters.clearLayers();
  state.markers.clear();
  const list = $('list');
  list.replaceChildren();
  const markers = [];
  for (const ev of sorted()) {
    list.appendChild(listItem(ev));
    if (ev.place && ev.place.lat != null) {
      const m = markerFor(ev);
      state.markers.set(ev.id, m);
      markers.push(m);
    }
  }
  clusters.addLayers(markers);
  $('count').textContent = `${state.events.size} event${state.events.size === 1 ? '' : 's'}` +
    (state.since || state.until ? ` · ${state.since || '…'} to ${state.until || 'now'}` : '');
}

function upsert(ev) {
  const old = state.markers.get(ev.id);
  if (old) clusters.removeLayer(old);
  state.events.set(ev.id, ev);
  if (ev.place && ev.place.lat != null) {
    const m = markerFor(ev);
    state.markers.set(ev.id, m);
    clusters.addLayer(m);
  }
  const list = $('list');
  const prev = list.querySelector(`li[data-id="${ev.id}"]`);
  const li = listItem(ev);
  li.classList.add('new');
  if (prev) prev.replaceWith(li); else list.prepend(li);
  $('count').textContent = `${state.events.size} events`;
}

/* ---- the event panel --------------------------------------------------- */

function highlight(sentence, ev) {
  // Offsets in the API are code points; JS strings are UTF-16, so work on code points.
  const cps = Array.from(sentence || '');
  const marks = [];
  const find = (text, cls) => {
    if (!text) return;
    const at = (sentence || '').indexOf(text);
    if (at < 0) return;
    const start = Array.from(sentence.slice(0, at)).length;
    marks.push([start, start + Array.from(text).length, cls]);
  };
  find(actorName(ev.source), 'actor');
  find(actorName(ev.target), 'actor');
  find(ev.place && ev.place.name, 'place');
  marks.sort((a, b) => a[0] - b[0]);
  let out = '', pos = 0;
  for (const [s, e, cls] of marks) {
    if (s < pos) continue;
    out += escapeHTML(cps.slice(pos, s).join('')) + `<mark class="${cls}">` + escapeHTML(cps.slice(s, e).join('')) + '</mark>';
    pos = e;
  }
  return out + escapeHTML(cps.slice(pos).join(''));
}

async function openEvent(id) {
  let ev = state.events.get(id);
  try {
    ev = { ...(ev || {}), ...(await getJSON('/api/events/' + encodeURIComponent(id))) };
  } catch (e) {
    if (!ev) { toast(e.message); return; }
  }
  state.selected = id;
  document.querySelectorAll('#list li.sel').forEach((li) => li.classList.remove('sel'));
  const li = document.querySelector(`#list li[data-id="${id}"]`);
  if (li) { li.classList.add('sel'); li.scrollIntoView({ block: 'nearest' }); }
  const m = state.markers.get(id);
  if (m) clusters.zoomToShowLayer(m, () => {});
  const p = ev.place || {};
  // The evidence: the sentence of every supporting article, else the event's own.
  const evidences = (ev.sources && ev.sources.length) ? ev.sources : (ev.evidence ? [ev.evidence] : []);
  const f = ev.fatalities;
  const rows = [
    ['When', `${escapeHTML(ev.date)} (${escapeHTML(ev.date_precision || 'day')})${ev.historical ? ' · historical' : ''}`],
    ['Where', `${escapeHTML(p.name || 'unknown')}${p.admin1 ? ', ' + escapeHTML(p.admin1) : ''}${p.cc ? ' (' + escapeHTML(p.cc) + ')' : ''} · precision: ${escapeHTML(p.precision || p.kind || '?')}`],
    ['Who', `${escapeHTML(ev.source ? actorName(ev.source) + ' [' + (ev.source.code || '?') + ']' : '?')} → ${escapeHTML(ev.target ? actorName(ev.target) + ' [' + (ev.target.code || '?') + ']' : '?')}`],
    ['What', `CAMEO ${escapeHTML(ev.cameo)}${ev.cameo_name ? ' ' + escapeHTML(ev.cameo_name) : ''} · Goldstein ${ev.goldstein ?? '?'}${ev.acled_type ? ' · ' + escapeHTML(ev.acled_type) + ' / ' + escapeHTML(ev.acled_subtype || '') : ''}`],
  ];
  if (f) rows.push(['Killed', typeof f === 'number' ? f : `${f.at_least ? 'at least ' : ''}${f.value}${f.who ? ' ' + escapeHTML(f.who) : ''}${f.aggregate ? ' (over a period)' : ''}`]);
  if (ev.negated) rows.push(['Note', 'reported as not having happened (negated)']);
  if (ev.modality) rows.push(['Note', escapeHTML(ev.modality)]);
  const sources = (ev.sources || []).map((s) =>
    `<li><a href="${escapeHTML(s.url)}" target="_blank" rel="noopener noreferrer">${escapeHTML(s.title || s.url)}</a> <span class="ev-meta">${escapeHTML(s.outlet || '')} ${escapeHTML(s.published || '')}</span></li>`).join('');
  $('panel-body').innerHTML = `<h2>${escapeHTML(label(ev))}</h2>
    <table>${rows.map(([k, v]) => `<tr><td>${k}</td><td>${v}</td></tr>`).join('')}</table>
    ${evidences.map((e) => `<blockquote>${highlight(e.sentence, ev)}</blockquote>`).join('')}
    <h3>Sources (${sourceCount(ev)})</h3><ul>${sources || '<li>—</li>'}</ul>`;
  $('panel').hidden = false;
  history.replaceState(null, '', '?event=' + encodeURIComponent(id));
}

$('panel-close').addEventListener('click', () => {
  $('panel').hidden = true;
  history.replaceState(null, '', location.pathname);
});

/* ---- timeline ---------------------------------------------------------- */

let days = [];
function drawTimeline(d) {
  days = d;
  const svg = $('histogram');
  const w = svg.clientWidth || 800, h = svg.clientHeight || 80;
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  const totals = days.map((x) => Object.values(x.counts || {}).reduce((a, b) => a + b, 0));
  const max = Math.max(1, ...totals);
  const bw = days.length ? w / days.length : w;
  let html = '';
  days.forEach((x, i) => {
    let y = h;
    for (const [type, n] of Object.entries(x.counts || {})) {
      const bh = (n / max) * (h - 14);
      y -= bh;
      html += `<rect x="${i * bw}" y="${y}" width="${Math.max(1, bw - 1)}" height="${bh}" fill="${TYPE_COLORS[type] || OTHER_COLOR}"><title>${x.date}: ${n} ${type}</title></rect>`;
    }
  });
  html += '<rect id="brush" y="0" height="100%" width="0" fill="rgba(232,163,58,.25)" stroke="#e8a33a"/>';
  svg.innerHTML = html;
  $('range').textContent = days.length ? `${days[0].date} – ${days[days.length - 1].date} · drag to choose a range, double-click to reset` : '';
}

(function brushing() {
  const svg = $('histogram');
  let start = null;
  const dayAt = (x) => {
    if (!days.length) return null;
    const i = Math.max(0, Math.min(days.length - 1, Math.floor(x / (svg.clientWidth / days.length))));
    return i;
  };
  // offsetX of a pointer on one of the bars is relative to that bar, not to
  // the chart: measure from the chart's own left edge.
  const xOf = (e) => e.clientX - svg.getBoundingClientRect().left;
  svg.addEventListener('pointerdown', (e) => { start = xOf(e); svg.setPointerCapture(e.pointerId); });
  svg.addEventListener('pointermove', (e) => {
    if (start == null) return;
    const b = svg.querySelector('#brush');
    if (b) { b.setAttribute('x', Math.min(start, xOf(e))); b.setAttribute('width', Math.abs(xOf(e) - start)); }
  });
  svg.addEventListener('pointerup', (e) => {
    if (start == null) return;
    const x = xOf(e);
    const width = Math.abs(x - start);
    const a = dayAt(Math.min(start, x)), b = dayAt(Math.max(start, x));
    start = null;
    if (a == null || width < 3) return;  // a click, not a drag
    // a bare `until` date includes that day (docs/api.md)
    state.since = days[a].date;
    state.until = days[b].date;
    refresh();
  });
  svg.addEventListener('dblclick', () => { state.since = state.until = null; refresh(); });
})();

/* ---- filters ----------------------------------------------------------- */

$('filters').addEventListener('submit', (e) => {
  e.preventDefault();
  state.filters = {
    acled_type: $('f-type').value,
    actor: $('f-actor').value.trim().toUpperCase(),
    country: $('f-country').value.trim().toUpperCase(),
    min_fatalities: $('f-fatal').value,
    q: $('f-q').value.trim(),
  };
  refresh();
});

/* ---- live updates ------------------------------------------------------ */

let stream = null;
function connectStream() {
  if (stream) stream.close();
  const p = query();
  p.delete('since');
  p.delete('until');
  stream = new EventSource('/api/stream?' + p);
  stream.addEventListener('open', () => $('live').classList.remove('off'));
  stream.addEventListener('error', () => $('live').classList.add('off'));
  stream.addEventListener('event', (m) => {
    try {
      const ev = JSON.parse(m.data);
      if ((state.until && ev.date > state.until) || (state.since && ev.date < state.since)) return;
      const was = state.events.get(ev.id);
      upsert(ev);
      if (ev.breaking && !(was && was.breaking)) toast('Breaking: ' + label(ev));
    } catch (_) { /* a malformed message is skipped */ }
  });
}

function refresh() {
  loadEvents();
  loadStats();
  connectStream();
}

/* ---- be the first to know ---------------------------------------------- */

function b64urlToBytes(s) {
  const pad = '='.repeat((4 - (s.length % 4)) % 4);
  const raw = atob((s + pad).replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(raw, (c) => c.charCodeAt(0));
}

async function subscribe() {
  const btn = $('subscribe');
  if (!('serviceWorker' in navigator) || !('PushManager' in window)) {
    toast('This browser cannot receive push notifications');
    return;
  }
  try {
    const reg = await navigator.serviceWorker.register('/sw.js');
    const perm = await Notification.requestPermission();
    if (perm !== 'granted') { toast('Notifications were not allowed'); return; }
    const { key } = await getJSON('/api/vapid');
    const sub = await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: b64urlToBytes(key) });
    const f = state.filters;
    const body = {
      region: f.country ? { country: f.country } : { bbox: viewBox() },
      actors: f.actor ? [f.actor] : [],
      acled_types: f.acled_type ? [f.acled_type] : [],
      min_fatalities: f.min_fatalities ? +f.min_fatalities : 0,
      words: f.q ? [f.q] : [],
      channel: { webpush: sub.toJSON() },
    };
    const r = await fetch('/api/subscriptions', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    if (!r.ok) throw new Error('HTTP ' + r.status);
    const saved = await r.json();
    localStorage.setItem('sitrep-subscription', JSON.stringify(saved));
    btn.textContent = 'Alerts on for this view';
    btn.classList.add('done');
    toast('You will be notified of new events in this view');
  } catch (e) {
    toast('Could not subscribe: ' + e.message);
  }
}
$('subscribe').addEventListener('click', subscribe);

/* The view as [west, south, east, north] the server accepts: Leaflet's
 * longitudes run past ±180 when the world wraps, latitudes past ±85 at
 * low zoom. A view wider than the world is the whole world. */
function viewBox() {
  const b = map.getBounds();
  const clampLat = (y) => Math.max(-90, Math.min(90, y));
  const wrap = (x) => ((((x + 180) % 360) + 360) % 360) - 180;
  let west = b.getWest(), east = b.getEast();
  if (east - west >= 360) { west = -180; east = 180; } else { west = wrap(west); east = wrap(east); }
  if (east === -180) east = 180;
  return [west, clampLat(b.getSouth()), east, clampLat(b.getNorth())].map((x) => +x.toFixed(4));
}

function toast(msg) {
  const t = $('toast');
  t.textContent = msg;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 4000);
}

/* ---- start ------------------------------------------------------------- */

refresh();
const wanted = new URLSearchParams(location.search).get('event');
if (wanted) openEvent(/^\d+$/.test(wanted) ? +wanted : wanted);
window.sitrep = { state, map, clusters, openEvent, viewBox };  // for the browser test and for the curious
