// The local chat page: send the forms to the JSON API and show the reply in place.
// The server renders every reply (templates, escaped); this script only places it. Its own two
// messages (a failed request, an unreachable server) come worded from the page: #log's data-*.
(function () {
  "use strict";
  const log = document.getElementById("log");
  const askForm = document.getElementById("ask");
  const box = document.getElementById("question");
  const disclaimerForm = document.getElementById("disclaimer");
  const thread = document.getElementById("thread"); // the conversation: follow-ups are read with it
  const status = document.getElementById("status");

  // The page's status region (role="status") hears a reply's short announcement, which the
  // server's template wrote in data-announce; the conversation itself is not a live region,
  // so the quotes are not all read aloud. Emptied first so the same text is announced again.
  function announce(text) {
    status.textContent = "";
    if (text) window.setTimeout(function () { status.textContent = text; }, 50);
  }

  function entry(askedText) {
    const li = document.createElement("li");
    if (askedText) {
      const p = document.createElement("p");
      p.className = "asked";
      p.textContent = askedText; // the question is shown as text, never as markup
      li.appendChild(p);
    }
    log.appendChild(li);
    return li;
  }

  function showError(li, message) {
    const p = document.createElement("p");
    p.className = "error";
    p.setAttribute("role", "alert");
    p.textContent = message;
    li.appendChild(p);
  }

  // A button is marked busy with aria-disabled, not disabled: disabling the focused button
  // would drop keyboard focus to the page body.
  function busy(button) { return button.getAttribute("aria-disabled") === "true"; }

  // Sends the payload and places the rendered reply in li; returns the reply's element, or null.
  async function post(url, payload, li, button) {
    button.setAttribute("aria-disabled", "true");
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify(payload),
      });
      let data = null;
      try { data = await response.json(); } catch (e) { data = null; }
      if (!response.ok || !data) {
        showError(li, (data && data.error) || log.dataset.failed.replace("{status}", response.status));
        return null;
      }
      if (data.thread && thread) thread.value = data.thread;
      const reply = document.createElement("div");
      reply.innerHTML = data.html; // rendered and escaped by the server's template
      li.appendChild(reply);
      li.scrollIntoView({ behavior: "smooth", block: "start" });
      const article = reply.querySelector("article") || reply;
      announce(article.dataset.announce);
      return article;
    } catch (e) {
      showError(li, log.dataset.unreachable);
      return null;
    } finally {
      button.removeAttribute("aria-disabled");
    }
  }

  askForm.addEventListener("submit", async function (event) {
    event.preventDefault();
    // An example button submits this form too (form="ask", name="question"): its value is the question.
    const example = event.submitter && event.submitter.classList.contains("example") ? event.submitter : null;
    const question = (example ? example.value : box.value).trim();
    const button = askForm.querySelector("button[type=submit]");
    if (busy(button)) return;
    if (!question) { box.focus(); return; }
    const li = entry(question);
    const payload = { question: question };
    if (thread && thread.value) payload.thread = thread.value;
    if (await post("/api/ask", payload, li, button) && !example) box.value = "";
    box.focus();
  });

  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      askForm.requestSubmit();
    }
  });

  // "Ask HR" forms arrive inside answers: one listener on the log handles them all.
  log.addEventListener("submit", async function (event) {
    const form = event.target;
    if (!form.classList || !form.classList.contains("handoff-form")) return;
    event.preventDefault();
    const data = new FormData(form);
    const li = form.closest("li") || entry("");
    await post("/api/handoff", { message: data.get("message"), answer_id: data.get("answer_id") }, li, form.querySelector("button"));
  });

  disclaimerForm.addEventListener("submit", async function (event) {
    event.preventDefault();
    const button = disclaimerForm.querySelector("button");
    if (busy(button)) return;
    const form = new FormData(disclaimerForm);
    const li = entry("");
    const draft = await post("/api/disclaimer", {
      kind: form.get("kind"), role: form.get("role"), department: form.get("department"),
    }, li, button);
    // Focus goes to the draft, so a keyboard or screen-reader user lands on what to copy.
    if (draft) { draft.setAttribute("tabindex", "-1"); draft.focus({ preventScroll: true }); }
  });
})();
