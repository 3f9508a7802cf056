// The map page in a real browser (Debian's chromium driven by playwright-core):
// markers of the fixture store appear, a live event stored by another process
// shows up without a reload, its panel opens with the evidence highlighted;
// markers of one place cluster and split when zoomed into; dragging on the
// timeline narrows the view to that range; "Be the first to know" registers
// the service worker and subscribes the view and filters.
// Usage: node map.mjs URL SCREENSHOT.png ADD_EVENT_COMMAND...
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

// playwright-core comes from the project's npm packages (scripts/deps.sh).
const require = createRequire((process.env.SR_SOURCE_DIR || process.cwd()) + '/package.json');
const { chromium } = require('playwright-core');

const [url, shot, ...addEvent] = process.argv.slice(2);
const fail = (msg) => { console.error('FAIL: ' + msg); process.exitCode = 1; };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic',
         '--no-first-run', '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['notifications'], { origin: new URL(url).origin });
  // No push service here: the browser's subscribe() gives a subscription
  // with real P-256 keys and an endpoint on loopback, as a push service would.
  await context.addInitScript(() => {
    PushManager.prototype.subscribe = async function (options) {
      const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
      const b64 = (b) => btoa(String.fromCharCode(...b)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
      const json = {
        endpoint: 'http://127.0.0.1:9/push/browser-test', expirationTime: null,
        keys: { p256dh: b64(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey))),
                auth: b64(crypto.getRandomValues(new Uint8Array(16))) },
      };
      window.pushKeyLength = options && options.applicationServerKey ? options.applicationServerKey.byteLength : 0;
      return { endpoint: json.endpoint, options, toJSON: () => json };
    };
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.waitForFunction(() => document.querySelectorAll('#list li').length > 0, null, { timeout: 15000 });
  const listed = await page.locator('#list li').count();
  const onMap = await page.evaluate(() => window.sitrep.state.markers.size);
  if (listed < 100 || onMap < 100) fail(`expected the fixture's 120 events, list ${listed}, map ${onMap}`);
  await page.waitForFunction(() => !document.getElementById('live').classList.contains('off'), null, { timeout: 10000 });

  // A live event: stored by another process, it must appear without a reload.
  execFileSync(addEvent[0], addEvent.slice(1));
  await page.waitForSelector('#list li.new', { timeout: 10000 });
  const after = await page.locator('#list li').count();
  if (after !== listed + 1) fail(`live event: list went from ${listed} to ${after}`);

  await page.locator('#list li.new').first().click();
  await page.waitForSelector('#panel:not([hidden]) blockquote mark', { timeout: 10000 });
  const sources = await page.locator('#panel a[href^="https://news.example/"]').count();
  if (sources < 1) fail('the panel links no source');
  const marked = await page.locator('#panel blockquote mark').allTextContents();
  if (!marked.length) fail('no highlighted words in the evidence');
  await page.screenshot({ path: shot });
  if (errors.length) fail('page errors: ' + errors.join('; '));
  await page.click('#panel-close');

  await checkClusters(page);
  await checkBrush(page);
  await checkSubscribe(page);

  // Filters reload the view: only Iraqi places remain.
  await page.selectOption('#f-type', '');
  await page.fill('#f-fatal', '');
  await page.fill('#f-country', 'IQ');
  await page.click('#filters button[type=submit]');
  await page.waitForFunction(() => [...window.sitrep.state.events.values()].every((e) => e.place.cc === 'IQ'),
                             null, { timeout: 10000 });
  // "Be the first to know" subscribes the view: across the antimeridian and
  // zoomed out past one world, the box it sends is still one the server takes.
  for (const [center, zoom] of [[[10, 179], 4], [[0, 0], 2]]) {
    await page.evaluate(([c, z]) => { window.sitrep.map.setView(c, z, { animate: false }); }, [center, zoom]);
    const status = await page.evaluate(() =>
      fetch('/api/events?limit=1&bbox=' + window.sitrep.viewBox().join(',')).then((r) => r.status));
    if (status !== 200) fail(`the view at ${center} zoom ${zoom} gives a box the server refuses (${status})`);
  }
  // Usable on a phone: the map and the list are both on screen.
  await page.setViewportSize({ width: 390, height: 844 });
  const map = await page.locator('#map').boundingBox(), side = await page.locator('#side').boundingBox();
  if (!map || !side || map.height < 200 || side.height < 100) fail('phone layout hides the map or the list');
  const manifest = await page.evaluate(() => fetch('/manifest.webmanifest').then((r) => r.json()));
  if (!manifest.name || !manifest.icons.length) fail('no installable manifest');
} finally {
  await browser.close();
}
if (!process.exitCode) console.log('map page: all checks passed; screenshot ' + shot);

// Many events at one place show as one cluster with their count; zooming
// in (a click on the cluster) splits it into smaller clusters and markers
// that together still hold every one of them.
async function checkClusters(page) {
  const isolated = ['Kabul', 'Goma', 'Kharkiv', 'Maiduguri', 'Mogadishu'];
  const [place, n, lat, lon] = await page.evaluate((names) => {
    const by = new Map();
    for (const e of window.sitrep.state.events.values())
      if (names.includes(e.place.name)) by.set(e.place.name, [...(by.get(e.place.name) || []), e]);
    const [name, evs] = [...by].sort((a, b) => b[1].length - a[1].length)[0];
    return [name, evs.length, evs[0].place.lat, evs[0].place.lon];
  }, isolated);
  if (n < 3) { fail(`too few events at ${place} (${n}) to see a cluster`); return; }
  await page.evaluate(([la, lo]) => { window.sitrep.map.setView([la, lo], 4, { animate: false }); }, [lat, lon]);
  await page.waitForTimeout(300);
  const icon = await page.evaluate(([name]) => {
    const { clusters, state } = window.sitrep;
    const ev = [...state.events.values()].find((e) => e.place.name === name);
    const parent = clusters.getVisibleParent(state.markers.get(ev.id));
    if (!parent || !parent._icon) return null;
    const r = parent._icon.getBoundingClientRect();
    return { text: parent._icon.textContent.trim(), x: r.x + r.width / 2, y: r.y + r.height / 2 };
  }, [place]);
  if (!icon || icon.text !== String(n)) {
    fail(`the ${n} events at ${place} do not show as one cluster of ${n}: ${JSON.stringify(icon)}`);
    return;
  }
  await page.mouse.click(icon.x, icon.y);
  await page.waitForFunction(() => window.sitrep.map.getZoom() >= 8, null, { timeout: 5000 })
    .catch(() => fail('a click on the cluster did not zoom in'));
  await page.waitForTimeout(400);  // the spreading animation
  const seen = await page.evaluate(([la, lo]) => {
    const { map, clusters, state } = window.sitrep;
    const parts = new Set();
    for (const e of state.events.values()) {
      if (Math.abs(e.place.lat - la) > 0.2 || Math.abs(e.place.lon - lo) > 0.2) continue;
      const m = state.markers.get(e.id);
      const parent = m && clusters.getVisibleParent(m);
      if (parent && map.getBounds().contains(parent.getLatLng())) parts.add(parent);
    }
    let total = 0;
    for (const p of parts) total += p.getChildCount ? p.getChildCount() : 1;
    return { parts: parts.size, total };
  }, [lat, lon]);
  if (seen.parts < 2 || seen.total !== n)
    fail(`zoomed in, the cluster of ${n} at ${place} shows as ${seen.parts} parts holding ${seen.total}`);
}

// Dragging across the timeline asks for that range (since/until in the
// request) and leaves only the events of those days in the list and on
// the map; a double-click gives the whole range back.
async function checkBrush(page) {
  await page.evaluate(() => { window.sitrep.map.setView([25, 20], 2, { animate: false }); });
  const all = await page.evaluate(() => window.sitrep.state.events.size);
  const box = await page.locator('#histogram').boundingBox();
  const y = box.y + box.height / 2;
  const asked = page.waitForRequest((r) => r.url().includes('/api/events?') && new URL(r.url()).searchParams.has('since'));
  await page.mouse.move(box.x + box.width * 0.3, y);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.5, y, { steps: 5 });
  await page.mouse.move(box.x + box.width * 0.7, y, { steps: 5 });
  await page.mouse.up();
  const params = new URL((await asked).url()).searchParams;
  const since = params.get('since'), until = params.get('until');
  if (!since || !until || since > until) { fail(`the brushed request carries since=${since} until=${until}`); return; }
  await page.waitForFunction(([s, u]) => {
    const evs = [...window.sitrep.state.events.values()];
    return evs.length && evs.every((e) => e.date >= s && e.date <= u);
  }, [since, until], { timeout: 10000 }).catch(() => {});
  const got = await page.evaluate(async ([s, u]) => {
    const { state } = window.sitrep;
    const evs = [...state.events.values()];
    const days = (await (await fetch('/api/stats')).json()).days;
    const want = days.filter((d) => d.date >= s && d.date <= u)
      .reduce((a, d) => a + Object.values(d.counts).reduce((x, y) => x + y, 0), 0);
    return { n: evs.length, inside: evs.every((e) => e.date >= s && e.date <= u), want,
             listed: document.querySelectorAll('#list li').length, markers: state.markers.size };
  }, [since, until]);
  if (!got.inside || got.n !== got.want || got.listed !== got.want || got.markers !== got.want || got.n >= all)
    fail(`brushed ${since}..${until}: ${got.n} events (${got.listed} listed, ${got.markers} on the map), ` +
         `the store has ${got.want} in that range and ${all} in all`);
  await page.dblclick('#histogram');
  await page.waitForFunction((n) => window.sitrep.state.events.size === n && !window.sitrep.state.since, all,
                             { timeout: 10000 }).catch(() => fail('a double-click did not give the whole range back'));
}

// "Be the first to know": with notifications allowed, the page registers
// its service worker, subscribes to push with the server's VAPID key and
// sends the subscription with the view's box and the filters.
async function checkSubscribe(page) {
  await page.selectOption('#f-type', 'Battles');
  await page.fill('#f-fatal', '2');
  await page.click('#filters button[type=submit]');
  await page.waitForFunction(() => [...window.sitrep.state.events.values()].every((e) => e.acled_type === 'Battles'),
                             null, { timeout: 10000 });
  await page.evaluate(() => { window.sitrep.map.setView([33.5, 43.5], 6, { animate: false }); });
  const view = await page.evaluate(() => window.sitrep.viewBox());
  const posted = page.waitForRequest((r) => r.url().endsWith('/api/subscriptions') && r.method() === 'POST');
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/subscriptions'));
  await page.click('#subscribe');
  const body = (await posted).postDataJSON();
  const status = (await answered).status();
  if (status !== 201) fail(`subscribing answered ${status}`);
  const bbox = body.region && body.region.bbox;
  if (!bbox || bbox.some((v, i) => Math.abs(v - view[i]) > 1e-3))
    fail(`the subscription's region ${JSON.stringify(body.region)} is not the view ${JSON.stringify(view)}`);
  if (JSON.stringify(body.acled_types) !== '["Battles"]' || body.min_fatalities !== 2)
    fail(`the subscription's filters are not the page's: ${JSON.stringify(body)}`);
  const push = body.channel && body.channel.webpush;
  if (!push || !push.endpoint.startsWith('http://127.0.0.1:9/') || !push.keys || push.keys.p256dh.length !== 87
      || push.keys.auth.length !== 22)
    fail(`the subscription's channel is not the push subscription: ${JSON.stringify(body.channel)}`);
  await page.waitForSelector('#subscribe.done', { timeout: 5000 }).catch(() => fail('no success state on the button'));
  const sw = await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.getRegistration('/');
    return { scope: reg ? reg.scope : null, script: reg && (reg.active || reg.installing || reg.waiting)
             ? (reg.active || reg.installing || reg.waiting).scriptURL : null, key: window.pushKeyLength };
  });
  if (!sw.scope || !/\/sw\.js$/.test(sw.script || '')) fail(`no service worker registered: ${JSON.stringify(sw)}`);
  if (sw.key !== 65) fail(`push subscribe got an application server key of ${sw.key} bytes, not the VAPID key`);
}
