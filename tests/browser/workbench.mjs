// Drives headless Chromium through pauta web for tests/it/web_browser.rs.
//
//   node workbench.mjs SCENARIO URL ARTIFACTS_DIR [JSON_ARGUMENTS]
//
// Prints one JSON object on stdout: { ok, steps: [...], texts: {...}, violations: {...},
// console: [...] }. The Rust test compares what the pages show with what the command line
// prints; this script only drives the browser and reports. Screenshots go to ARTIFACTS_DIR.
import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const require = createRequire(import.meta.url);
const [scenario, baseUrl, artifacts, rawArgs] = process.argv.slice(2);
const args = rawArgs ? JSON.parse(rawArgs) : {};
mkdirSync(artifacts, { recursive: true });

const report = { ok: true, steps: [], texts: {}, violations: {}, console: [] };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
  ],
});
// The accessibility engine is injected into the page, which the pages' own policy forbids:
// only that scenario bypasses it. Every other scenario runs under the real policy, and any
// message the browser logs about it (a refused script or style) is reported.
const context = await browser.newContext({
  bypassCSP: scenario === "accesibilidad",
  viewport: { width: 1280, height: 900 },
  acceptDownloads: true,
});
const page = await context.newPage();
page.on("console", (message) => {
  if (message.type() === "error" || message.type() === "warning") {
    report.console.push(message.text());
  }
});
page.on("pageerror", (error) => report.console.push(`pageerror: ${error.message}`));

/// Runs one named step; a failure is recorded with its message and a screenshot.
async function step(name, body) {
  try {
    await body();
    report.steps.push({ name, ok: true });
  } catch (error) {
    report.ok = false;
    report.steps.push({ name, ok: false, error: String(error && error.stack || error) });
    await page.screenshot({ path: join(artifacts, `${scenario}-${name}-fallo.png`), fullPage: true }).catch(() => {});
    throw error;
  }
}

async function shot(name) {
  await page.screenshot({ path: join(artifacts, `${scenario}-${name}.png`), fullPage: true });
}

async function mainText() {
  return await page.locator("main").innerText();
}

const scenarios = {
  // Upload the example export, wait for the evaluation, read the summary; open a case.
  async evaluar() {
    await step("subir", async () => {
      await page.goto(new URL("/evaluar", baseUrl).href);
      await page.getByLabel(/Archivo de casos/).setInputFiles(args.cases);
      await page.getByLabel(/Historial/).setInputFiles(args.history);
      await page.getByLabel(/Fecha de corte/).fill(args.asOf);
      await Promise.all([
        page.waitForURL(/\/evaluar\/\d+/),
        page.getByRole("button", { name: /Evaluar/ }).click(),
      ]);
    });
    await step("esperar", async () => {
      await page.getByRole("table", { name: /Casos evaluados/ }).waitFor({ timeout: 120000 });
      report.texts.resumen = await mainText();
      await shot("resumen");
    });
    await step("explicar", async () => {
      await page.getByLabel("Buscar por número de caso").fill(args.caseId);
      await page.getByRole("button", { name: "Filtrar" }).click();
      await page.getByRole("link", { name: args.caseId, exact: true }).first().click();
      await page.locator("pre").first().waitFor();
      report.texts.explicacion = await page.locator("pre").first().innerText();
      await shot("explicacion");
    });
  },

  // Upload the example export on the report page, ask for a month with a seed, read the figures.
  async informe() {
    await step("subir", async () => {
      await page.goto(new URL("/informe", baseUrl).href);
      await page.getByLabel(/Archivo de casos/).setInputFiles(args.cases);
      await page.getByLabel(/historial/i).setInputFiles(args.history);
      await Promise.all([
        page.waitForURL(/\/informe\/\d+/),
        page.getByRole("button", { name: "Subir y ver sus meses" }).click(),
      ]);
    });
    await step("pedir", async () => {
      await page.locator(`input[name=mes][value="${args.month}"]`).check();
      await page.getByLabel(/Semilla/).fill(args.seed);
      await page.getByLabel(/Fecha de generación/).fill(args.generatedAt);
      await page.getByRole("button", { name: "Producir el informe" }).click();
      await page.locator("iframe.documento").waitFor({ timeout: 120000 });
      report.texts.informe = await mainText();
      report.texts.direccion = page.url();
      await shot("informe");
    });
  },

  // Open the policy, introduce a typo, see the diagnostic at its line and go to it; fix the
  // typo, see the problems go; save.
  async editor() {
    const editor = () => page.getByLabel(/^Texto de /);
    let original = "";
    await step("abrir", async () => {
      await page.goto(new URL(`/politicas/editar?archivo=${encodeURIComponent(args.file)}`, baseUrl).href);
      original = await editor().inputValue();
    });
    await step("errata", async () => {
      const lines = original.split("\n");
      lines[args.line - 1] = lines[args.line - 1].replace(args.from, args.to);
      await editor().fill(lines.join("\n"));
      await page.locator("#diagnosticos").getByText(args.code).first().waitFor({ timeout: 20000 });
      report.texts.diagnosticos = await page.locator("#diagnosticos").innerText();
      await page.locator("#diagnosticos button.ir").first().click();
      report.texts.lineaMarcada = await page.locator("#numeros .linea.actual").first().getAttribute("data-linea");
      await shot("errata");
    });
    await step("corregir", async () => {
      await editor().fill(original + args.append);
      await page.locator("#diagnosticos").getByText(/Sin problemas/).waitFor({ timeout: 20000 });
      report.texts.corregido = await page.locator("#diagnosticos").innerText();
    });
    await step("guardar", async () => {
      await page.getByRole("button", { name: "Guardar" }).click();
      await page.locator("#resultado").getByText(/guardado/).waitFor({ timeout: 20000 });
      report.texts.guardado = await page.locator("#resultado").innerText();
      await shot("guardado");
    });
  },

  // Keyboard only: the skip link, the tab order of the evaluation form, and a problem of the
  // editor reached with Tab and opened with Enter.
  async teclado() {
    const active = () => page.evaluate(() => {
      const element = document.activeElement;
      return element ? { id: element.id, tag: element.tagName, text: (element.innerText || element.value || "").trim().slice(0, 60), cls: element.className } : null;
    });
    await step("saltar", async () => {
      await page.goto(new URL("/", baseUrl).href);
      await page.keyboard.press("Tab");
      report.texts.primero = (await active()).text;
      await page.keyboard.press("Enter");
      report.texts.trasSaltar = (await active()).id;
    });
    await step("orden", async () => {
      await page.goto(new URL("/evaluar", baseUrl).href);
      const order = [];
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press("Tab");
        const now = await active();
        order.push(now.id || `${now.tag}:${now.text}`);
        if (now.tag === "BUTTON") break;
      }
      report.texts.orden = order;
    });
    await step("problema", async () => {
      await page.goto(new URL(`/politicas/editar?archivo=${encodeURIComponent(args.file)}`, baseUrl).href);
      const editor = page.getByLabel(/^Texto de /);
      const text = await editor.inputValue();
      await editor.fill(text.replace(args.from, args.to));
      await page.locator("#diagnosticos button.ir").first().waitFor({ timeout: 20000 });
      let reached = false;
      for (let i = 0; i < 60 && !reached; i++) {
        await page.keyboard.press("Tab");
        reached = ((await active()).cls || "").includes("ir");
      }
      report.texts.alcanzado = reached;
      await page.keyboard.press("Enter");
      report.texts.foco = (await active()).id;
      report.texts.lineaMarcada = await page.locator("#numeros .linea.actual").first().getAttribute("data-linea");
      await shot("problema");
    });
  },

  // Every page given, checked by axe-core against WCAG 2.1 A and AA.
  async accesibilidad() {
    const axePath = require.resolve("axe-core/axe.min.js");
    for (const path of args.paths) {
      await step(`axe ${path}`, async () => {
        await page.goto(new URL(path, baseUrl).href);
        await page.addScriptTag({ path: axePath });
        const result = await page.evaluate(async () =>
          // eslint-disable-next-line no-undef
          await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }),
        );
        report.violations[path] = result.violations.map((v) => ({
          id: v.id,
          impact: v.impact,
          help: v.help,
          nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
        }));
        await shot(path.replace(/[^a-z0-9]+/gi, "_"));
      });
    }
  },
};

try {
  const run = scenarios[scenario];
  if (!run) throw new Error(`no scenario «${scenario}»`);
  await run();
} catch (error) {
  report.ok = false;
  report.error = String(error && error.stack || error);
} finally {
  await browser.close();
  process.stdout.write(JSON.stringify(report) + "\n");
}
