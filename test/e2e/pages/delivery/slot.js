// A storefront's recommendation slot, wired as the README tells merchants to: the queue stub, the async
// script tag, and a slot whose own markup stays when Tacit has nothing to show. An external file (not an
// inline script) so that the strict-CSP page can use it too. Query parameters configure the tag:
//   ?model=<url>&integrity=<sri>&backend=<cpu|webgl|auto>&thread=<auto|worker|main>
(function () {
  var q = new URLSearchParams(location.search);
  window.tacit = window.tacit || [];
  var s = document.createElement('script');
  s.async = true;
  s.referrerPolicy = 'no-referrer';
  s.src = document.documentElement.dataset.cdn + '/sdk/tacit.iife.js';
  s.dataset.model = q.get('model') || document.documentElement.dataset.cdn + '/models/demo/latest.json';
  if (q.get('integrity')) s.dataset.modelIntegrity = q.get('integrity');
  if (q.get('backend')) s.dataset.backend = q.get('backend');
  if (q.get('thread')) s.dataset.thread = q.get('thread');
  document.head.appendChild(s);

  window.tacit.push(['recommend', { k: 4 }, function (items) {
    var slot = document.getElementById('slot');
    if (!items.length) {
      slot.setAttribute('data-state', 'empty'); // the merchant's markup stays as it is
      return;
    }
    var list = document.createElement('ol');
    items.forEach(function (r) {
      var li = document.createElement('li');
      li.setAttribute('data-item-id', r.itemId);
      li.textContent = r.itemId;
      list.appendChild(li);
    });
    slot.replaceChildren(list);
    slot.setAttribute('data-state', 'ready');
  }]);
})();
