// redline dashboard: small conveniences on server-rendered pages. No framework, no network.
"use strict";

// Filter forms: leave empty fields out of the URL, so shared links stay short.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "get") return;
  for (const el of form.elements) {
    if ((el instanceof HTMLInputElement || el instanceof HTMLSelectElement) && el.name && el.value === "") {
      el.disabled = true;
    }
  }
  setTimeout(() => { for (const el of form.elements) el.disabled = false; }, 0);
});

// Article page: select an event (its evidence in the text and its card) by id.
function selectEvents(ids, scrollTo) {
  const text = document.getElementById("text");
  if (!text) return;
  document.querySelectorAll(".sel").forEach((el) => el.classList.remove("sel"));
  let firstMark = null;
  let firstCard = null;
  for (const id of ids) {
    text.querySelectorAll(".m.ev").forEach((m) => {
      if (m.dataset.ev.split(" ").includes(id)) {
        m.classList.add("sel");
        if (!firstMark) firstMark = m;
      }
    });
    const card = document.getElementById("e" + id);
    if (card) {
      card.classList.add("sel");
      if (!firstCard) firstCard = card;
    }
  }
  if (scrollTo === "mark" && firstMark) firstMark.scrollIntoView({ block: "center" });
  if (scrollTo === "card" && firstCard) firstCard.scrollIntoView({ block: "nearest" });
}

function fromHash() {
  const m = /^#e(\d+)$/.exec(window.location.hash);
  if (m) selectEvents([m[1]], "mark");
}

document.addEventListener("click", (event) => {
  const mark = event.target.closest("#text .m.ev");
  if (mark) {
    const ids = mark.dataset.ev.split(" ");
    selectEvents(ids, "card");
    history.replaceState(null, "", "#e" + ids[0]);
    return;
  }
  const card = event.target.closest(".evcard");
  if (card && !event.target.closest("a")) {
    selectEvents([card.dataset.ev], "mark");
    history.replaceState(null, "", "#e" + card.dataset.ev);
  }
});

document.addEventListener("keydown", (event) => {
  const card = event.target.closest && event.target.closest(".evcard");
  if (card && (event.key === "Enter" || event.key === " ")) {
    event.preventDefault();
    selectEvents([card.dataset.ev], "mark");
  }
});

document.addEventListener("change", (event) => {
  const box = event.target;
  const text = document.getElementById("text");
  if (text && box.dataset && box.dataset.toggle) {
    text.classList.toggle("no-" + box.dataset.toggle, !box.checked);
  }
});

window.addEventListener("hashchange", fromHash);
document.addEventListener("DOMContentLoaded", fromHash);
