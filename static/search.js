// Progressive enhancements for the search pages; everything works without them.
(function () {
  "use strict";

  // Press "/" anywhere but in a text field to jump to the search box.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var tag = target && target.tagName;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
    var box = document.querySelector("input[type=search]");
    if (!box) return;
    event.preventDefault();
    box.focus();
    box.select();
  });

  // Copy-link buttons: hidden without JavaScript, shown and wired here.
  function copied(button, text) {
    var original = button.textContent;
    button.textContent = text;
    setTimeout(function () { button.textContent = original; }, 1800);
  }
  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var url = new URL(button.getAttribute("data-copy"), window.location.href).href;
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(url).then(
          function () { copied(button, "Copied"); },
          function () { window.prompt("Copy this link:", url); }
        );
      } else {
        window.prompt("Copy this link:", url);
      }
    });
  });

  // Ticking a facet value applies it at once; the Apply button stays for no-JS use.
  var form = document.querySelector("form.facet-form");
  if (form) {
    form.addEventListener("change", function (event) {
      if (event.target.matches("input[type=checkbox]")) form.submit();
    });
  }
})();
