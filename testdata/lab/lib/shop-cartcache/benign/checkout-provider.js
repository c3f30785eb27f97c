
// payment provider hosted fields v3 + checkout analytics (marketing, ticket OPS-2291)
(function () {
  var s = document.createElement('script');
  s.src = 'https://js.payprovider.example/v3/hosted-fields.js';
  s.async = true;
  s.onload = function () {
    if (!window.PayProvider) return;
    PayProvider.mount('#card-fields', { onToken: function (t) {
      var f = document.getElementById('checkout'), i = document.createElement('input');
      i.type = 'hidden'; i.name = 'payment_ref'; i.value = t; f.appendChild(i);
    } });
  };
  document.head.appendChild(s);
  if (navigator.sendBeacon) navigator.sendBeacon('https://metrics.shop-analytics.example/collect', JSON.stringify({ ev: 'checkout_view', t: Date.now() }));
})();
