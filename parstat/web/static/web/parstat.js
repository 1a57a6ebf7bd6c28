// The entry form's few lines of script. Every text a person reads comes from the page itself
// (translated there); values typed are never dropped here: a failed save keeps them in their
// cell, says why, and saves them again once that is possible.
(function () {
  "use strict";

  // After every save, the findings panel says which rows the rules name: mark those rows and
  // show the rules beside them (badges built with textContent, never as markup).
  function markFindings() {
    var panel = document.getElementById("findings");
    if (!panel) return;
    var byCode = {};
    try { byCode = JSON.parse(panel.dataset.rules || "{}"); } catch (e) { byCode = {}; }
    document.querySelectorAll("tr[data-code]").forEach(function (row) {
      var found = byCode[row.dataset.code] || [];
      row.classList.toggle("flagged", found.length > 0);
      var holder = row.querySelector(".row-findings");
      if (!holder) return;
      holder.replaceChildren();
      found.forEach(function (item) {
        var badge = document.createElement("span");
        badge.className = "badge-" + item[1];
        badge.textContent = item[0];
        badge.title = item[2];
        holder.appendChild(badge);
      });
    });
  }

  // A refused cell (422: the value, 409: changed meanwhile) is an answer to show in its cell,
  // like a success; any other 4xx/5xx is a save that did not happen, handled below.
  if (window.htmx) {
    window.htmx.config.responseHandling = [
      {code: "204", swap: false},
      {code: "[23]..", swap: true},
      {code: "409", swap: true, error: false},
      {code: "422", swap: true, error: false},
      {code: "[45]..", swap: false, error: true}
    ];
  }

  function texts() {
    var holder = document.getElementById("save-messages");
    return holder ? holder.dataset : {};
  }

  function form() { return document.getElementById("entry-form"); }

  function isCellField(element) {
    return !!(element && element.name && /^[vn]:/.test(element.name) && element.closest &&
              element.closest("#entry-form"));
  }

  function valueField(code) {
    var entry = form();
    return entry && entry.querySelector('[name="v:' + CSS.escape(code) + '"]');
  }

  // Fields whose latest save failed. Their text stays as typed; they are sent again on
  // "Lưu lại", after signing in again, when the network comes back.
  var pending = new Set();
  // Fields typed into and not yet saved: never overwritten by values merged from others.
  var editing = new Set();
  var signingIn = false;

  function showUnsaved(field, reason, offerSignIn) {
    var row = field.closest("tr[data-code]");
    var cell = row && row.querySelector("td.status");
    if (!cell) return;
    var t = texts();
    var message = document.createElement("span");
    message.className = "cell-error cell-unsaved";
    message.setAttribute("role", "alert");
    message.textContent = t.unsaved + ": " + reason;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "retry";
    button.textContent = offerSignIn ? t.signIn : t.retry;
    button.addEventListener("click", offerSignIn ? openSignIn : savePending);
    cell.replaceChildren(message, document.createTextNode(" "), button);
    row.classList.add("unsaved");
  }

  function savePending() {
    var fields = Array.from(pending);
    pending.clear();
    fields.forEach(function (field) {
      field.closest("tr").classList.remove("unsaved");
      window.htmx.trigger(field, "change");
    });
  }

  function useToken(token) {
    // The token of the new session (signing in rotates it), for htmx and for the page's forms.
    document.body.setAttribute("hx-headers", JSON.stringify({"X-CSRFToken": token}));
    document.querySelectorAll("input[name=csrfmiddlewaretoken]").forEach(function (input) {
      input.value = token;
    });
  }

  function signInUrl() {
    var dialogForm = document.getElementById("signin-form");
    return dialogForm ? dialogForm.dataset.url : "/dang-nhap/";
  }

  function askSession() {
    // Also sets a new CSRF cookie when the old one went with the session.
    return fetch(signInUrl(), {headers: {"Accept": "application/json"},
                               credentials: "same-origin"})
      .then(function (answer) { return answer.json(); });
  }

  function renewTokenThenSave() {
    askSession().then(function (session) {
      useToken(session.csrf);
      if (session.signed_in) {
        savePending();
        return;
      }
      pending.forEach(function (field) { showUnsaved(field, texts().signedOut, true); });
      openSignIn();
    }).catch(function () { /* still offline: the cells say so and keep their text */ });
  }

  function openSignIn() {
    var dialog = document.getElementById("signin-dialog");
    if (!dialog || dialog.open) return;
    signingIn = true;
    dialog.showModal();
    dialog.querySelector("input[name=username]").focus();
  }

  function closeSignIn() {
    var dialog = document.getElementById("signin-dialog");
    signingIn = false;
    if (dialog && dialog.open) dialog.close();
  }

  function signIn(event) {
    event.preventDefault();
    var dialogForm = event.target;
    var error = document.getElementById("signin-error");
    error.hidden = true;
    var fields = new URLSearchParams(new FormData(dialogForm));
    askSession().then(function (session) {
      if (session.signed_in) return {ok: true, data: session};
      return fetch(signInUrl(), {
        method: "POST", body: fields, credentials: "same-origin",
        headers: {"Accept": "application/json", "X-CSRFToken": session.csrf}
      }).then(function (answer) {
        return answer.json().then(function (data) { return {ok: answer.ok, data: data}; });
      });
    }).then(function (result) {
      if (!result.ok || !result.data.signed_in) {
        error.textContent = result.data.message || "";
        error.hidden = false;
        return;
      }
      useToken(result.data.csrf);
      dialogForm.reset();
      closeSignIn();
      savePending();
    }).catch(function () {
      error.textContent = texts().network;
      error.hidden = false;
    });
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var field = event.detail.elt;
    if (!isCellField(field)) return;
    if (event.detail.successful) {
      pending.delete(field);
      editing.delete(field);
      field.closest("tr").classList.remove("unsaved");
      return;
    }
    pending.add(field);
    var t = texts();
    var xhr = event.detail.xhr;
    var status = xhr ? xhr.status : 0;
    var reason = xhr ? xhr.getResponseHeader("X-Parstat-Reason") : null;
    if (status === 401) {
      showUnsaved(field, t.signedOut, true);
      openSignIn();
    } else if (status === 403 && reason === "csrf") {
      showUnsaved(field, t.csrf, false);
      renewTokenThenSave();
    } else if (status === 403) {
      showUnsaved(field, t.forbidden, false);
    } else if (status === 0) {
      showUnsaved(field, t.network, false);
    } else {
      showUnsaved(field, t.server + " (" + status + ")", false);
    }
  });

  window.addEventListener("online", function () {
    if (pending.size && !signingIn) renewTokenThenSave();
  });
  window.addEventListener("beforeunload", function (event) {
    if (pending.size) event.preventDefault();  // the browser asks before typed values are lost
  });

  // Cells other people changed since this page read them (their saves merged with ours):
  // show the values now stored, except where the person is typing or a save is pending.
  function showMerged() {
    var holder = document.getElementById("merged-values");
    if (!holder) return;
    var values = {};
    try { values = JSON.parse(holder.dataset.values || "{}"); } catch (e) { values = {}; }
    Object.keys(values).forEach(function (code) {
      var field = valueField(code);
      if (!field || field === document.activeElement || pending.has(field) ||
          editing.has(field)) return;
      field.value = values[code];
      field.closest("tr").classList.add("merged");
    });
  }

  // Enter never submits the whole form: it moves to the next value cell (Shift+Enter: the one
  // before), which saves the cell left. Tab goes value to value (notes have tabindex=-1);
  // → at the end of a value reaches its note, ← at the start of a note comes back.
  function valueFields() {
    var entry = form();
    if (!entry) return [];
    return Array.from(entry.querySelectorAll('[name^="v:"]')).filter(function (field) {
      return !field.disabled;
    });
  }

  function moveFrom(field, step) {
    var row = field.closest("tr[data-code]");
    var fields = valueFields();
    var index = fields.indexOf(row.querySelector('[name^="v:"]'));
    var next = fields[index + step];
    if (next) {
      next.focus();
      if (next.select) next.select();
    } else {
      field.blur();
    }
  }

  function caretAt(field, where) {
    if (typeof field.selectionStart !== "number") return false;
    if (field.selectionStart !== field.selectionEnd) return false;
    return where === "end" ? field.selectionEnd === field.value.length : field.selectionStart === 0;
  }

  document.addEventListener("input", function (event) {
    if (isCellField(event.target)) editing.add(event.target);
  });

  document.addEventListener("keydown", function (event) {
    var field = event.target;
    if (!isCellField(field) || event.isComposing) return;
    var isValue = field.name.indexOf("v:") === 0;
    var row = field.closest("tr[data-code]");
    // A note is one line however long (a line break is refused), shown wrapped in a textarea:
    // Enter moves on from it too; only a text value's textarea takes Enter as a new line.
    if (event.key === "Enter" && !(isValue && field.tagName === "TEXTAREA")) {
      event.preventDefault();
      moveFrom(field, event.shiftKey ? -1 : 1);
    } else if (event.key === "ArrowRight" && isValue && field.tagName === "INPUT" &&
               caretAt(field, "end")) {
      var note = row.querySelector('[name^="n:"]');
      if (note) { event.preventDefault(); note.focus(); }
    } else if (event.key === "ArrowLeft" && !isValue && caretAt(field, "start")) {
      var value = row.querySelector('[name^="v:"]');
      if (value) { event.preventDefault(); value.focus(); }
    }
  });

  // "Dùng giá trị tính": clear the typed value of a formula row, saved like any cell (audited),
  // so the row shows what its formula gives again.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.use-computed");
    if (!button) return;
    var field = valueField(button.dataset.code);
    if (!field) return;
    field.value = "";
    window.htmx.trigger(field, "change");
  });

  // After a clash on a cell (409): save what was typed anyway (the page now holds the current
  // version, and the person has read what changed), or take the stored value.
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.keep-mine, button.take-stored");
    if (!button) return;
    var entry = form();
    var field = entry && entry.querySelector('[name="' + CSS.escape(button.dataset.field) + '"]');
    if (!field) return;
    var row = field.closest("tr[data-code]");
    if (button.classList.contains("keep-mine")) {
      window.htmx.trigger(field, "change");
      return;
    }
    field.value = button.dataset.text;
    editing.delete(field);
    row.querySelector("td.status").replaceChildren();
  });

  document.addEventListener("DOMContentLoaded", function () {
    markFindings();
    var dialogForm = document.getElementById("signin-form");
    if (dialogForm) dialogForm.addEventListener("submit", signIn);
    var cancel = document.getElementById("signin-cancel");
    if (cancel) cancel.addEventListener("click", closeSignIn);
  });
  document.addEventListener("htmx:afterSettle", function () {
    markFindings();
    showMerged();
  });

  // A search box beside a long list of choices (the report list's units): typing narrows the
  // list to the names that contain what was typed, with or without Vietnamese accents, and
  // selects the first match (Enter then filters the list of reports).
  function folded(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d")
      .replace(/Đ/g, "D").toLowerCase();
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.classList || !box.classList.contains("option-search")) return;
    var select = document.getElementById(box.dataset.select);
    if (!select) return;
    var wanted = folded(box.value.trim());
    var first = null;
    Array.from(select.options).forEach(function (option) {
      var shown = !option.value || !wanted || folded(option.text).indexOf(wanted) !== -1;
      option.hidden = !shown;
      if (shown && option.value && !first) first = option;
    });
    if (wanted && first) select.value = first.value;
  });
})();

// Scripts and styles come from files only (Content-Security-Policy): no inline handlers, and
// htmx must not insert its own <style> (its indicator rules are in parstat.css instead).
if (window.htmx) { window.htmx.config.includeIndicatorStyles = false; }
// A form marked data-submit-on-change (the language choice, the province page's scope) is sent
// as soon as its choice changes; its button stays for a browser without scripts.
document.addEventListener("change", function (event) {
  var select = event.target.closest &&
    event.target.closest("form.lang select, form[data-submit-on-change] select");
  if (select) select.form.submit();
});
