// cart badge
function cartCount(n) {
  document.querySelector(".cart .count").textContent = n;
}
