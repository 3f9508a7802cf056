// Readability.js on linkedom over the same pages, for bench_extract's speed
// comparison. Reads a file of paths (one a line), loads every page first,
// then times parse + Readability in this one process and prints one JSON
// line: {"pages": n, "bytes": b, "seconds": s}.
import { readFileSync } from 'node:fs';
import { parseHTML } from 'linkedom';
import { Readability } from '@mozilla/readability';

const list = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
const pages = list.map((p) => readFileSync(p, 'utf8'));
let bytes = 0;
for (const p of pages) bytes += Buffer.byteLength(p);
let ok = 0;
const t0 = process.hrtime.bigint();
for (const html of pages) {
  try {
    const { document } = parseHTML(html);
    const art = new Readability(document).parse();
    if (art && art.textContent) ok++;
  } catch (e) {
    // a page Readability cannot handle still counts as time spent
  }
}
const s = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(JSON.stringify({ pages: pages.length, bytes, seconds: s, extracted: ok }));
