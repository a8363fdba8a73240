// Copy buttons on the passage page. Without JavaScript the buttons stay hidden
// and the citation and link remain plain, selectable text.
(function () {
  "use strict";

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext !== false) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.className = "visually-hidden";
      document.body.appendChild(area);
      area.select();
      var ok = document.execCommand("copy");
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentElement.querySelector(".copy-status");
    if (!source) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = source.href || source.textContent.trim();
      copyText(text).then(function () {
        if (status) { status.textContent = button.textContent.replace("Copy", "Copied") + "."; }
      }, function () {
        if (status) { status.textContent = "Could not copy; select the text and copy it by hand."; }
      });
    });
  });
}());
