/* The dashboard on a phone: its sections start folded so the figures at the top
 * and every section's title fit on one screen; a tap on a title opens it. Wide
 * screens (and pages without scripts) keep every section open. */
(function () {
  'use strict';

  if (!window.matchMedia('(max-width: 40rem)').matches) { return; }
  document.querySelectorAll('details.mon-fold[open]').forEach(function (fold) { fold.open = false; });
}());
