// Small progressive enhancements; every page works without them. No inline handlers (CSP).
document.addEventListener("submit", function (ev) {
  var form = ev.target;
  var text = form && form.getAttribute && form.getAttribute("data-confirm");
  if (text && !window.confirm(text)) { ev.preventDefault(); }
}, true);
