// pauta web: the policy editor. Without this script the page still works: its buttons post
// the form and the page comes back with the result. With it, the text is reviewed as the user
// types (300 ms after the last key), the buttons answer without reloading, and choosing a
// problem moves the caret to its line and column. No HTML is built from text: every message is
// set with textContent.
"use strict";

(function () {
  const form = document.getElementById("editor");
  const area = document.getElementById("texto");
  const gutter = document.getElementById("numeros");
  const panel = document.getElementById("diagnosticos");
  const result = document.getElementById("resultado");
  const stamp = document.getElementById("huella");
  if (!form || !area || !gutter || !panel || !result) return;
  const archivo = form.dataset.archivo || "";
  let timer = null;
  let marked = [];

  async function call(path, extra) {
    const body = Object.assign({ archivo: archivo, texto: area.value }, extra || {});
    const answer = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
    let data = {};
    try {
      data = await answer.json();
    } catch (_) {
      data = { codigo: "W016", mensaje: "respuesta inesperada del servidor (" + answer.status + ")" };
    }
    return { ok: answer.ok, data: data };
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // The gutter: one number per line of the text, the lines with a problem marked.
  function drawGutter() {
    const lines = area.value.split("\n").length;
    gutter.textContent = "";
    for (let line = 1; line <= lines; line++) {
      const span = element("span", "linea", line + "\n");
      span.dataset.linea = String(line);
      if (marked.indexOf(line) >= 0) span.classList.add("marcada");
      gutter.appendChild(span);
    }
    gutter.scrollTop = area.scrollTop;
  }

  function entry(diagnostic) {
    const item = element("li");
    const button = element("button", "ir " + (diagnostic.severity === "error" ? "error" : "aviso"));
    button.type = "button";
    button.dataset.linea = String(diagnostic.line);
    button.dataset.columna = String(diagnostic.column);
    const label = diagnostic.severity === "error" ? "error" : "aviso";
    button.appendChild(document.createTextNode("Línea " + diagnostic.line + ", columna " + diagnostic.column + ": "));
    button.appendChild(element("strong", "", label + "[" + diagnostic.code + "]"));
    button.appendChild(document.createTextNode(" " + diagnostic.message));
    item.appendChild(button);
    if (diagnostic.help) item.appendChild(element("p", "ayuda", "Ayuda: " + diagnostic.help));
    return item;
  }

  // The problems panel from a review's JSON.
  function showReview(data) {
    const own = data.diagnosticos || [];
    const others = (data.otros || []).filter((d) => d.severity === "error");
    const errors = own.filter((d) => d.severity === "error").length;
    const warnings = own.length - errors;
    panel.textContent = "";
    panel.appendChild(
      element(
        "p",
        "resumen",
        own.length === 0
          ? "Sin problemas: el texto no tiene errores ni avisos."
          : errors + " error(es), " + warnings + " aviso(s) en este archivo."
      )
    );
    if (own.length > 0) {
      const list = element("ul", "diagnosticos");
      own.forEach((d) => list.appendChild(entry(d)));
      panel.appendChild(list);
    }
    if (others.length > 0) {
      panel.appendChild(element("p", "nota", "Otros archivos de la carpeta tienen " + others.length + " error(es):"));
      const rest = element("ul", "diagnosticos otros");
      others.forEach((d) =>
        rest.appendChild(element("li", "", d.file + ":" + d.line + ":" + d.column + " error[" + d.code + "] " + d.message))
      );
      panel.appendChild(rest);
    }
    marked = own.map((d) => d.line);
    drawGutter();
  }

  async function review() {
    const answer = await call("/api/politicas/revisar");
    if (answer.ok) showReview(answer.data);
  }

  function showResult(kind, text, pre) {
    result.textContent = "";
    if (kind === "error") {
      const box = element("div", "aviso error");
      box.setAttribute("role", "alert");
      box.appendChild(element("p", "", text));
      result.appendChild(box);
    } else {
      result.appendChild(element("p", "aviso bien", text));
    }
    if (pre) result.appendChild(element("pre", "diferencias", pre));
  }

  function refusal(data) {
    showResult("error", "error[" + (data.codigo || "W016") + "] " + (data.mensaje || ""));
    if (data.diagnosticos && data.diagnosticos.length > 0) {
      showReview({ diagnosticos: data.diagnosticos, otros: [] });
    }
  }

  // The offset in the textarea's value of a 1-based line and column (columns count characters).
  function offsetOf(line, column) {
    const text = area.value;
    let offset = 0;
    for (let current = 1; current < line; current++) {
      const next = text.indexOf("\n", offset);
      if (next < 0) return text.length;
      offset = next + 1;
    }
    let chars = 1;
    while (chars < column && offset < text.length && text[offset] !== "\n") {
      const code = text.charCodeAt(offset);
      offset += code >= 0xd800 && code <= 0xdbff ? 2 : 1;
      chars++;
    }
    return offset;
  }

  function goTo(line, column) {
    const offset = offsetOf(line, column);
    area.focus();
    area.setSelectionRange(offset, offset);
    const style = window.getComputedStyle(area);
    const height = parseFloat(style.lineHeight) || 20;
    area.scrollTop = Math.max(0, (line - 3) * height);
    for (const span of gutter.querySelectorAll(".linea.actual")) span.classList.remove("actual");
    const target = gutter.querySelector('.linea[data-linea="' + line + '"]');
    if (target) target.classList.add("actual");
    gutter.scrollTop = area.scrollTop;
  }

  panel.addEventListener("click", (event) => {
    const button = event.target.closest("button.ir");
    if (!button) return;
    goTo(parseInt(button.dataset.linea, 10) || 1, parseInt(button.dataset.columna, 10) || 1);
  });

  area.addEventListener("scroll", () => {
    gutter.scrollTop = area.scrollTop;
  });

  area.addEventListener("input", () => {
    drawGutter();
    if (timer) clearTimeout(timer);
    timer = setTimeout(review, 300);
  });

  function extra() {
    const exportSelect = document.getElementById("exportacion");
    const cut = document.getElementById("corte");
    return {
      exportacion: exportSelect ? exportSelect.value : "",
      corte: cut ? cut.value : "",
    };
  }

  const actions = {
    async revisar() {
      await review();
      showResult("ok", "Texto revisado.");
    },
    async formatear() {
      const answer = await call("/api/politicas/formatear");
      if (!answer.ok) return refusal(answer.data);
      area.value = answer.data.texto;
      showResult("ok", "Formato aplicado al texto (aún sin guardar).");
      await review();
    },
    async comparar() {
      showResult("ok", "Comparando…");
      const answer = await call("/api/politicas/comparar", extra());
      if (!answer.ok) return refusal(answer.data);
      showResult(
        "ok",
        answer.data.vacio ? "Sin diferencias de fondo con la versión en disco." : "Diferencias con la versión en disco:",
        answer.data.texto
      );
    },
    async guardar() {
      const answer = await call("/api/politicas/guardar", { huella: stamp ? stamp.value : "" });
      if (!answer.ok) return refusal(answer.data);
      if (stamp) stamp.value = answer.data.huella;
      showResult("ok", answer.data.mensaje);
      await review();
    },
  };

  form.addEventListener("submit", (event) => {
    const action = event.submitter && actions[event.submitter.value];
    if (!action) return;
    event.preventDefault();
    action().catch(() => showResult("error", "No se pudo contactar con pauta web; ¿sigue abierta la ventana donde se inició?"));
  });

  drawGutter();
})();
