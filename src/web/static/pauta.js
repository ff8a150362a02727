// pauta web: the script every page shares. Pages work without it (forms post normally); with
// it, file fields accept dropped files.
"use strict";

// Drop zones: a `.zona-archivo` wraps one file input; a file dropped on it goes to the input.
function prepareDropZones() {
  for (const zone of document.querySelectorAll(".zona-archivo")) {
    const input = zone.querySelector("input[type=file]");
    if (!input) continue;
    zone.addEventListener("dragover", (event) => {
      event.preventDefault();
      zone.classList.add("encima");
    });
    zone.addEventListener("dragleave", () => zone.classList.remove("encima"));
    zone.addEventListener("drop", (event) => {
      event.preventDefault();
      zone.classList.remove("encima");
      if (event.dataTransfer && event.dataTransfer.files.length > 0) {
        input.files = event.dataTransfer.files;
        input.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });
  }
}

document.addEventListener("DOMContentLoaded", prepareDropZones);
