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
