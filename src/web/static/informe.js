// pauta web, «Informe mensual»: while a form of the page is sent (an upload, or a report that
// takes seconds on a large export), say so in the form's status line and keep the button from
// sending it twice. Without this script the forms work the same, silently.
"use strict";

function prepareReportForms() {
  for (const form of document.querySelectorAll("form[data-espera]")) {
    form.addEventListener("submit", () => {
      const status = form.querySelector(".estado-envio");
      if (status) status.textContent = form.dataset.espera;
      for (const button of form.querySelectorAll("button[type=submit]")) {
        button.disabled = true;
      }
    });
  }
}

document.addEventListener("DOMContentLoaded", prepareReportForms);
