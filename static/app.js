// Small progressive enhancements; every page works without them.
document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-evidence]");
  if (!link) return;
  const target = document.getElementById(link.dataset.evidence);
  if (!target) return;
  event.preventDefault();
  document.querySelectorAll("mark.evidence.active").forEach((m) => m.classList.remove("active"));
  target.classList.add("active");
  target.scrollIntoView({ behavior: "smooth", block: "center" });
  target.focus({ preventScroll: true });
});

// Buttons and links that need a script say so with a data attribute: the
// Content-Security-Policy runs no inline handler or javascript: URL.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
    return;
  }
  const back = event.target.closest("a[data-back]");
  if (back && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});

// An upload over the server's limit would be refused with a 413 after the whole
// body was sent, and the chosen files and pasted text would be gone: say so
// before sending, with everything still in the form.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const limit = Number(form.dataset.maxBytes);
  if (!limit) return;
  let size = 0;
  form.querySelectorAll("input[type=file]").forEach((input) => {
    for (const file of input.files) size += file.size;
  });
  form.querySelectorAll("textarea").forEach((area) => {
    size += new TextEncoder().encode(area.value).length;
  });
  const message = form.querySelector("[data-upload-error]");
  if (size <= limit) {
    if (message) message.hidden = true;
    return;
  }
  event.preventDefault();
  if (message) {
    message.textContent = form.dataset.tooLarge;
    message.hidden = false;
  }
});
