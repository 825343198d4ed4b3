// The queue stub, the async script tag configured from the query string, and attributes for the slot.
// An external file (not an inline script) so that pages with a strict CSP could share it.
(function () {
  var q = new URLSearchParams(location.search);
  var cdn = document.documentElement.dataset.cdn;
  window.tacit = window.tacit || [];
  (q.get('track') || '').split(',').filter(Boolean).forEach(function (id) {
    window.tacit.push(['track', { type: 'view_item', itemId: id }]);
  });
  var s = document.createElement('script');
  s.async = true;
  s.referrerPolicy = 'no-referrer';
  s.src = cdn + '/sdk/tacit.iife.js';
  s.dataset.model = q.get('model') || cdn + '/models/demo/latest.json';
  ['backend', 'storage', 'thread'].forEach(function (k) {
    if (q.get(k)) s.dataset[k] = q.get(k);
  });
  document.head.appendChild(s);
  document.addEventListener('DOMContentLoaded', function () {
    var slot = document.getElementById('slot');
    ['k', 'timeout', 'context', 'exclude', 'item', 'images'].forEach(function (k) {
      if (q.get(k)) slot.setAttribute(k, q.get(k));
    });
    // Recorded for the tests: what the element announced.
    window.widgetEvents = [];
    ['tacit:render', 'tacit:fallback'].forEach(function (type) {
      slot.addEventListener(type, function (e) {
        window.widgetEvents.push({ type: type, detail: e.detail });
      });
    });
  });
})();
