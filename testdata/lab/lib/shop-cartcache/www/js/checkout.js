// checkout.js: the payment form. The card number never touches the shop:
// the provider's hosted fields (an iframe) tokenise it and the form posts
// only the token (payment_ref).
(function () {
  'use strict';
  function ready(fn) { if (document.readyState !== 'loading') fn(); else document.addEventListener('DOMContentLoaded', fn); }
  ready(function () {
    var form = document.getElementById('checkout');
    if (!form) return;
    form.addEventListener('submit', function (ev) {
      var ref = form.querySelector('input[name=payment_ref]');
      if (!ref || !ref.value) { ev.preventDefault(); alert('Please complete the card details.'); }
    });
  });
})();
