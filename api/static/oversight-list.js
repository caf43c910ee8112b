/* The monitoring list: the filters beyond the search open by themselves on a
 * wide screen; on a phone they stay folded so the requests come first. */
(function () {
  'use strict';

  var more = document.querySelector('details.more-filters');
  if (more && window.matchMedia('(min-width: 40rem)').matches) { more.open = true; }
}());
