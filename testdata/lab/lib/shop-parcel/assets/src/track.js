// tracking form
function trackFocus() {
  document.querySelector("form.track input").focus();
}
