/* The managers' audit trail: a copy button beside each shortened hash (shown only
 * where the clipboard can be written; the full value stays one click away). On a
 * phone every event's fields start folded, so the sentences come one after another. */
(function () {
  'use strict';

  if (window.matchMedia('(max-width: 40rem)').matches) {
    document.querySelectorAll('details.trail-fields[open]').forEach(function (fold) { fold.open = false; });
  }
  if (!navigator.clipboard) { return; }
  document.querySelectorAll('button.copy[data-copy]').forEach(function (button) {
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(button.dataset.copy).then(function () {
        button.textContent = button.dataset.copied;
        window.setTimeout(function () { button.textContent = label; }, 1500);
      });
    });
  });
}());
