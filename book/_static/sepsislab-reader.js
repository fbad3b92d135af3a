/* Small accessibility fixes, loaded on every page of the book.
 * 1. Header buttons of the stock theme. They are shown only when JavaScript runs
 *    (class pst-js-only), so fixing them here covers every reader who sees them.
 *    Each fix is for an axe "label-content-name-mismatch": a control's accessible
 *    name must contain the text it shows (WCAG 2.5.3, Label in Name).
 * 2. A displayed equation wider than the column scrolls sideways; keyboard users
 *    can scroll it only if it can take focus (axe "scrollable-region-focusable").
 *    MathJax's own explorer does the same (tabindex 0 on the equation).
 * 3. Printing in dark mode would put light text on white paper: print in light. */
(function () {
  "use strict";

  function each(selector, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), fn);
  }

  function fixHeader() {
    // The search field shows "Search Ctrl+K" but was named just "Search":
    // drop the override so the name is the visible text, and announce the shortcut.
    each(".search-button-field[aria-label]", function (button) {
      button.removeAttribute("aria-label");
      button.setAttribute("aria-keyshortcuts", "Control+K");
    });
    // The colour-mode button is named "Color mode", but its icons carry titles
    // ("Light", "Dark", "System Settings") that count as its text. The icons are
    // decoration; the current mode goes into the name instead.
    each(".theme-switch-button .theme-switch", function (icon) {
      icon.removeAttribute("title");
      icon.setAttribute("aria-hidden", "true");
    });
    nameColourMode();
    new MutationObserver(nameColourMode).observe(document.documentElement,
      { attributes: true, attributeFilter: ["data-mode"] });
  }

  function nameColourMode() {
    var mode = document.documentElement.dataset.mode || "auto";
    var label = "Color mode: " + (mode === "auto" ? "system settings" : mode);
    each(".theme-switch-button", function (button) { button.setAttribute("aria-label", label); });
  }

  function focusableWideEquations() {
    each('mjx-container[display="true"]', function (eq) {
      if (eq.scrollWidth > eq.clientWidth + 1) {
        eq.setAttribute("tabindex", "0");
      } else if (eq.getAttribute("tabindex") === "0") {
        eq.removeAttribute("tabindex");
      }
    });
  }

  // MathJax typesets after the page has loaded; check again when the width changes.
  window.addEventListener("load", function () {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      MathJax.startup.promise.then(focusableWideEquations);
    }
    var pending;
    window.addEventListener("resize", function () {
      clearTimeout(pending);
      pending = setTimeout(focusableWideEquations, 200);
    });
  });

  var screenTheme = null;
  window.addEventListener("beforeprint", function () {
    screenTheme = document.documentElement.dataset.theme || null;
    document.documentElement.dataset.theme = "light";
  });
  window.addEventListener("afterprint", function () {
    if (screenTheme) document.documentElement.dataset.theme = screenTheme;
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fixHeader);
  } else {
    fixHeader();
  }
})();
