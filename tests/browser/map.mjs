// The map page in a real browser (Debian's chromium driven by playwright-core):
// markers of the fixture store appear, a live event stored by another process
// shows up without a reload, its panel opens with the evidence highlighted.
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
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
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

  // Filters reload the view: only Iraqi places remain.
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
