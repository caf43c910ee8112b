/* The managers' audit trail: a copy button beside each shortened hash (shown only
 * where the clipboard can be written; the full value stays one click away). */
(function () {
  'use strict';

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
