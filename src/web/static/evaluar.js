// pauta web, «Evaluar una exportación»: while an evaluation runs, asks the server how far it is
// every second, moves the progress bar and its text, and reloads the page when it is done. The
// page reloads itself without this script too (every 2 s).
"use strict";

function followEvaluation() {
  const bar = document.getElementById("progreso");
  const text = document.getElementById("progreso-texto");
  if (!bar || !bar.dataset.api) return;
  const poll = async () => {
    try {
      const answer = await fetch(bar.dataset.api, { headers: { Accept: "application/json" } });
      const state = await answer.json();
      if (state.estado !== "en curso") {
        window.location.reload();
        return;
      }
      bar.max = Math.max(state.total, 1);
      bar.value = state.hechos;
      bar.textContent = state.hechos + " de " + state.total;
      if (text) {
        text.textContent = "Evaluando: " + state.hechos + " de unos " + state.total + " casos.";
      }
    } catch (error) {
      // The server may be busy: try again on the next tick.
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 1000);
}

document.addEventListener("DOMContentLoaded", followEvaluation);
