// The local chat page: send the forms to the JSON API and show the reply in place.
// The server renders every reply (templates, escaped); this script only places it.
(function () {
  "use strict";
  const log = document.getElementById("log");
  const askForm = document.getElementById("ask");
  const box = document.getElementById("question");
  const disclaimerForm = document.getElementById("disclaimer");
  const thread = document.getElementById("thread"); // the conversation: follow-ups are read with it

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

  async function post(url, payload, li, button) {
    button.disabled = true;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify(payload),
      });
      let data = null;
      try { data = await response.json(); } catch (e) { data = null; }
      if (!response.ok || !data) {
        showError(li, (data && data.error) || "Something went wrong (" + response.status + "). Please try again.");
        return false;
      }
      if (data.thread && thread) thread.value = data.thread;
      const reply = document.createElement("div");
      reply.innerHTML = data.html; // rendered and escaped by the server's template
      li.appendChild(reply);
      li.scrollIntoView({ behavior: "smooth", block: "start" });
      return true;
    } catch (e) {
      showError(li, "The assistant could not be reached. Is `policybot serve` still running?");
      return false;
    } finally {
      button.disabled = false;
    }
  }

  askForm.addEventListener("submit", async function (event) {
    event.preventDefault();
    const question = box.value.trim();
    if (!question) { box.focus(); return; }
    const li = entry(question);
    const payload = { question: question };
    if (thread && thread.value) payload.thread = thread.value;
    if (await post("/api/ask", payload, li, askForm.querySelector("button"))) box.value = "";
    box.focus();
  });

  box.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      askForm.requestSubmit();
    }
  });

  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      box.value = button.dataset.question;
      askForm.requestSubmit();
    });
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
    const form = new FormData(disclaimerForm);
    const li = entry("");
    await post("/api/disclaimer", {
      kind: form.get("kind"), role: form.get("role"), department: form.get("department"),
    }, li, disclaimerForm.querySelector("button"));
  });
})();
