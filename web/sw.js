/* Service worker: shows Web Push alerts and opens the event they name. */
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (e) => e.waitUntil(self.clients.claim()));

self.addEventListener('push', (e) => {
  let ev = {};
  try { ev = e.data ? e.data.json() : {}; } catch (_) { ev = { title: e.data && e.data.text() }; }
  const title = ev.title || 'sitrep alert';
  const body = ev.body || [ev.place && ev.place.name, ev.acled_type || ev.cameo_name].filter(Boolean).join(' · ');
  e.waitUntil(self.registration.showNotification(title, {
    body, tag: ev.id ? 'event-' + ev.id : undefined, icon: '/icon.svg',
    data: { url: ev.id ? '/?event=' + ev.id : '/' },
  }));
});

self.addEventListener('notificationclick', (e) => {
  e.notification.close();
  const url = (e.notification.data && e.notification.data.url) || '/';
  e.waitUntil(self.clients.matchAll({ type: 'window' }).then((list) => {
    for (const c of list) if ('focus' in c) { c.navigate(url); return c.focus(); }
    return self.clients.openWindow(url);
  }));
});
