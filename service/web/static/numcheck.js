// numcheck's pages: the check form (documents added and removed, a size check before sending) and
// the report (selecting a flag marks its figures, filters, what was read of a figure on hover or
// focus). The pages work without it: the form posts, the report is rendered by the server.
//
// Entry points: initForm(form) for each form.check-form, initReport(root) for body.page-report (a
// story page is one too: its triage forms post without script).
// Other views hook in through window.numcheck.selectFlag(id) and the "numcheck:flag-selected"
// event that each selection dispatches on document (detail: {id, figures}).
"use strict";

(function () {
  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

  // --- the form ---------------------------------------------------------------------------------

  function initForm(form) {
    const list = $(".doc-fields", form);
    const template = $("#doc-field-template", form);
    const addButton = $(".add-doc", form);
    const maxDocuments = Number(form.dataset.maxDocuments) || Infinity;
    let next = $$(".doc-field", list).reduce((n, field) => Math.max(n, Number(field.dataset.index) + 1), 0);

    function renumber() {
      const fields = $$(".doc-field", list);
      fields.forEach((field, n) => {
        $$(".doc-number", field).forEach((span) => { span.textContent = String(n + 1); });
        $(".remove-doc", field).hidden = fields.length < 2;
      });
      addButton.hidden = fields.length >= maxDocuments;
    }

    addButton.addEventListener("click", () => {
      const html = template.innerHTML.replaceAll("__i__", String(next)).replaceAll("__n__", "");
      next += 1;
      list.insertAdjacentHTML("beforeend", html);
      renumber();
      $$(".doc-field", list).pop().querySelector("input[type=text]").focus();
    });

    list.addEventListener("click", (event) => {
      const button = event.target.closest(".remove-doc");
      if (!button) return;
      const field = button.closest(".doc-field");
      const fields = $$(".doc-field", list);
      const neighbour = fields[fields.indexOf(field) - 1] || fields[fields.indexOf(field) + 1];
      field.remove();
      renumber();
      if (neighbour) $("input[type=text]", neighbour).focus();
    });

    const label = $(".check-button", form).textContent;

    form.addEventListener("submit", (event) => {
      // The server refuses a body over its limit before reading it, so it could not show the
      // texts again: say so here, with everything still in the form.
      const limit = Number(form.dataset.maxBodyBytes);
      const encoder = new TextEncoder();
      let bytes = 0;
      $$("textarea, input[type=text]", list).forEach((field) => { bytes += encoder.encode(field.value).length; });
      $$("input[type=file]", list).forEach((input) => { for (const file of input.files) bytes += file.size; });
      const error = $(".form-error", form);
      if (limit && bytes > limit) {
        event.preventDefault();
        error.textContent = `These texts and files add up to ${bytes.toLocaleString("en")} bytes, more than the ` +
          `${limit.toLocaleString("en")} this server takes in one check. Remove a document or shorten the texts.`;
        error.hidden = false;
        return;
      }
      error.hidden = true;
      const button = $(".check-button", form);
      button.disabled = true;
      button.textContent = "Checking…";
      $(".busy-note", form).textContent = "Reading the numbers; this takes a moment for long texts.";
    });

    // The form is shown again on going back: let it be sent again.
    window.addEventListener("pageshow", () => {
      const button = $(".check-button", form);
      button.disabled = false;
      button.textContent = label;
      $(".busy-note", form).textContent = "";
    });

    renumber();
  }

  // --- the report ---------------------------------------------------------------------------------

  function marksFor(ids) {
    const wanted = new Set(ids);
    return $$(".doc-text mark.fig").filter((mark) => mark.dataset.figures.split(" ").some((id) => wanted.has(id)));
  }

  function scrollIntoPanel(mark) {
    const panel = mark.closest(".doc-text");
    if (panel && panel.scrollHeight > panel.clientHeight) {
      const top = mark.getBoundingClientRect().top - panel.getBoundingClientRect().top + panel.scrollTop;
      panel.scrollTo({ top: Math.max(0, top - panel.clientHeight / 3), behavior: smooth() });
    }
  }

  function smooth() {
    return window.matchMedia("(prefers-reduced-motion: reduce)").matches ? "auto" : "smooth";
  }

  function clearSelection() {
    $$("mark.selected").forEach((mark) => mark.classList.remove("selected"));
    $$(".flag.is-selected").forEach((card) => {
      card.classList.remove("is-selected");
      $(".flag-select", card).setAttribute("aria-pressed", "false");
    });
  }

  function announce(text) {
    const live = $("#announcer");
    if (live) live.textContent = text;
  }

  function selectFlag(id, options = {}) {
    const card = document.getElementById(`flag-${id}`);
    if (!card) return;
    const wasSelected = card.classList.contains("is-selected");
    clearSelection();
    if (wasSelected && options.toggle) {
      announce("Selection cleared.");
      return;
    }
    card.classList.add("is-selected");
    $(".flag-select", card).setAttribute("aria-pressed", "true");
    const ids = card.dataset.figures.split(" ");
    const marks = marksFor(ids);
    marks.forEach((mark) => mark.classList.add("selected"));
    // Each document scrolls to its first marked figure; on one column the page goes to the first.
    const firstByPanel = new Map();
    marks.forEach((mark) => {
      const panel = mark.closest(".document");
      if (!firstByPanel.has(panel)) firstByPanel.set(panel, mark);
    });
    firstByPanel.forEach(scrollIntoPanel);
    if (options.scrollPage !== false && marks.length && window.matchMedia("(max-width: 60rem)").matches) {
      marks[0].scrollIntoView({ block: "center", behavior: smooth() });
    }
    const where = Array.from(firstByPanel.keys()).map((doc) => $(".document-title", doc).firstChild.textContent.trim());
    announce(`${marks.length} figure${marks.length === 1 ? "" : "s"} marked in ${where.join(" and ") || "no document"}.`);
    // Not while the page loads with an address of its own: the browser goes to the address's
    // fragment once loaded, and a changed one would take the focus from what the page focused.
    if (history.replaceState && !options.keepUrl) history.replaceState(null, "", `#flag-${id}`);
    document.dispatchEvent(new CustomEvent("numcheck:flag-selected", { detail: { id, figures: ids } }));
  }

  function applyFilters(root) {
    const filters = $(".filters", root);
    if (!filters) return;
    const severities = new Set($$("input[name=severity]:checked", filters).map((box) => box.value));
    const kind = $("select[name=kind]", filters).value;
    const status = $("select[name=status]", filters).value;
    const cards = $$(".flag", root);
    let shown = 0;
    cards.forEach((card) => {
      const visible = severities.has(card.dataset.severity) && (!kind || card.dataset.kind === kind) &&
        (!status || card.dataset.status === status);
      card.parentElement.hidden = !visible;
      if (visible) shown += 1;
      else if (card.classList.contains("is-selected")) clearSelection();
    });
    $(".filter-count", root).textContent = `Showing ${shown} of ${cards.length}.`;
  }

  function showTip(wrap) {
    wrap.classList.remove("tip-hidden");
    placeTip(wrap);
  }

  function placeTip(wrap) {
    const tip = $(".tip", wrap);
    const mark = $("mark", wrap);
    if (!tip || !mark) return;
    // The text panel scrolls and would clip a tip placed inside it: place it on the viewport.
    tip.classList.add("placed");
    const rect = mark.getClientRects()[0] || mark.getBoundingClientRect();
    const width = tip.offsetWidth;
    const height = tip.offsetHeight;
    const left = Math.max(8, Math.min(rect.left, window.innerWidth - width - 8));
    const below = rect.bottom + 6;
    const top = below + height > window.innerHeight - 8 ? Math.max(8, rect.top - height - 6) : below;
    tip.style.left = `${left}px`;
    tip.style.top = `${top}px`;
  }

  function initTips(root) {
    root.addEventListener("mouseover", (event) => {
      const wrap = event.target.closest(".mark-wrap");
      if (wrap && !wrap.contains(event.relatedTarget)) showTip(wrap);
    });
    root.addEventListener("focusin", (event) => {
      const wrap = event.target.closest(".mark-wrap");
      if (wrap) showTip(wrap);
    });
    // A placed tip stays on the viewport: follow its figure when the page or a panel scrolls.
    let pending = false;
    document.addEventListener("scroll", () => {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(() => {
        pending = false;
        $$(".mark-wrap:hover, .mark-wrap:focus-within").forEach(placeTip);
      });
    }, true);
  }

  function initReport(root) {
    root.addEventListener("click", (event) => {
      const button = event.target.closest(".flag-select");
      if (button) selectFlag(button.closest(".flag").dataset.flag, { toggle: true });
    });
    // A flagged figure leads to its flag: Enter on it, or a click.
    root.addEventListener("click", (event) => {
      const mark = event.target.closest("mark.fig.flagged");
      if (mark) goToFlag(mark);
    });
    root.addEventListener("keydown", (event) => {
      const mark = event.target.closest && event.target.closest("mark.fig");
      if (mark && event.key === "Enter" && mark.classList.contains("flagged")) {
        event.preventDefault();
        goToFlag(mark);
      }
    });
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      const wrap = document.activeElement && document.activeElement.closest(".mark-wrap");
      const hovered = $$(".mark-wrap").find((w) => w.matches(":hover") && !w.classList.contains("tip-hidden"));
      if ((wrap && !wrap.classList.contains("tip-hidden")) || hovered) {
        (wrap || hovered).classList.add("tip-hidden");
        return;
      }
      const selected = $(".flag.is-selected");
      if (selected) {
        clearSelection();
        announce("Selection cleared.");
        $(".flag-select", selected).focus();
      }
    });
    const filters = $(".filters", root);
    if (filters) {
      filters.addEventListener("change", () => applyFilters(root));
      filters.addEventListener("submit", (event) => event.preventDefault());
    }
    const showIgnored = $("input[name=show-ignored]", root);
    if (showIgnored) {
      showIgnored.addEventListener("change", () => {
        document.body.classList.toggle("show-ignored", showIgnored.checked);
        $$("mark.ign").forEach((mark) => {
          if (showIgnored.checked) mark.setAttribute("tabindex", "0");
          else mark.removeAttribute("tabindex");
        });
      });
    }
    initTips(root);
    const fromHash = /^#flag-(.+)$/.exec(window.location.hash);
    if (fromHash) selectFlag(decodeURIComponent(fromHash[1]), { scrollPage: false });
    // After a triage change the address names what it came to ("Saved", a conflict): its flag is selected.
    const outcome = $(".triage .conflict, .triage .form-problem, .triage .saved", root);
    const changed = outcome && outcome.closest(".flag");
    if (changed && !fromHash) selectFlag(changed.dataset.flag, { scrollPage: false, keepUrl: true });
  }

  function goToFlag(mark) {
    const id = mark.dataset.flags.split(" ")[0];
    if (!id) return;
    selectFlag(id, { scrollPage: false });
    const card = document.getElementById(`flag-${id}`);
    if (card) {
      card.parentElement.hidden = false;
      $(".flag-select", card).focus();
    }
  }

  window.numcheck = { selectFlag, clearSelection, applyFilters };

  document.addEventListener("DOMContentLoaded", () => {
    $$("form.check-form").forEach(initForm);
    if (document.body.classList.contains("page-report")) initReport($("main"));
    // What the last action came to (an error, a change refused or saved) takes the focus, so the
    // keyboard and a screen reader start there.
    const outcome = $("#check-error") || $(".triage .conflict, .triage .form-problem, .triage .saved");
    if (outcome) outcome.focus();
  });
})();
