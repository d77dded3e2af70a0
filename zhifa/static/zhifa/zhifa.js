// 长者模式 (larger text, higher contrast), remembered on this device.
document.addEventListener("DOMContentLoaded", () => {
  const root = document.documentElement;
  for (const button of document.querySelectorAll("[data-elder-toggle]")) {
    button.setAttribute("aria-pressed", root.classList.contains("elder"));
    button.addEventListener("click", () => {
      const on = root.classList.toggle("elder");
      localStorage.setItem("zhifa-elder", on ? "1" : "0");
      button.setAttribute("aria-pressed", on);
    });
  }
  // A submit button is disabled once clicked so a double click does not send the form twice.
  for (const form of document.querySelectorAll("form[method=post]")) {
    form.addEventListener("submit", () => {
      for (const b of form.querySelectorAll("button[type=submit]")) b.disabled = true;
    });
  }
});
